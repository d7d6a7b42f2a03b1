/* infer.c
 * Record-size arithmetic for TLS 1.3 handshakes that cannot be decrypted
 * (see sipmtls_infer.h for the reasoning).
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipmtls_infer.h"

#include <stdio.h>
#include <string.h>

/* RFC 8446 B.4; all of them carry a 16-byte tag but AES-CCM-8. */
static const sipmtls_suite suites[] = {
    { 0x1301, "TLS_AES_128_GCM_SHA256",       32, 16 },
    { 0x1302, "TLS_AES_256_GCM_SHA384",       48, 16 },
    { 0x1303, "TLS_CHACHA20_POLY1305_SHA256", 32, 16 },
    { 0x1304, "TLS_AES_128_CCM_SHA256",       32, 16 },
    { 0x1305, "TLS_AES_128_CCM_8_SHA256",     32, 8 },
};

/* Sizes of plaintext handshake pieces (RFC 8446 4 and 4.4). */
#define HANDSHAKE_HEADER     4   /* msg_type (1) + length (3) */
#define CONTENT_TYPE_BYTE    1   /* TLSInnerPlaintext.type */
#define EMPTY_CERTIFICATE    (HANDSHAKE_HEADER + 1 + 3) /* empty context, empty list */
#define ALERT_BODY           2   /* level, description */

/* No X.509 certificate a TLS stack will accept is smaller than this; with
 * its 3-byte length and 2-byte extensions it makes a Certificate record
 * that much larger than an empty one. */
#define MIN_CERTIFICATE      100
#define MIN_CERT_ENTRY       (3 + MIN_CERTIFICATE + 2)

const sipmtls_suite *
sipmtls_suite_find(uint16_t id)
{
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
        if (suites[i].id == id)
            return &suites[i];
    }
    return NULL;
}

static unsigned
record_len(const sipmtls_suite *s, unsigned plaintext)
{
    return plaintext + CONTENT_TYPE_BYTE + s->tag_len;
}

unsigned
sipmtls_finished_record_len(const sipmtls_suite *s)
{
    return record_len(s, HANDSHAKE_HEADER + s->hash_len);
}

unsigned
sipmtls_empty_certificate_record_len(const sipmtls_suite *s)
{
    return record_len(s, EMPTY_CERTIFICATE);
}

unsigned
sipmtls_alert_record_len(const sipmtls_suite *s)
{
    return record_len(s, ALERT_BODY);
}

/* "3 records (1,842 + 281 + 69 bytes)" */
static void
describe_records(char *out, size_t size, const uint16_t *lengths, unsigned n)
{
    size_t at = 0;

    at += (size_t)snprintf(out, size, "%u record%s (", n, n == 1 ? "" : "s");
    for (unsigned i = 0; i < n && at < size; i++) {
        unsigned v = lengths[i];
        if (v >= 1000)
            at += (size_t)snprintf(out + at, size - at, "%s%u,%03u", i ? " + " : "", v / 1000, v % 1000);
        else
            at += (size_t)snprintf(out + at, size - at, "%s%u", i ? " + " : "", v);
    }
    if (at < size)
        snprintf(out + at, size - at, " bytes)");
}

static sipmtls_flight_reading
reading(bool complete, sipmtls_tristate requested, sipmtls_tristate chain)
{
    sipmtls_flight_reading r = { complete, requested, chain };
    return r;
}

/* Whether length is a record of base bytes padded by at most
 * SIPMTLS_MAX_PADDING (base included); the padding goes to *pad. */
static bool
padded(unsigned length, unsigned base, unsigned *pad)
{
    if (length < base || length - base > SIPMTLS_MAX_PADDING)
        return false;
    *pad = length - base;
    return true;
}

/* A record this large holds a Certificate with a certificate in it: no
 * other message of the client's flight (a Finished, an empty Certificate,
 * both together) comes near it, padded or not. */
static unsigned
chain_min_record_len(const sipmtls_suite *s)
{
    return record_len(s, EMPTY_CERTIFICATE + MIN_CERT_ENTRY);
}

/* A full record: a message larger than this spans records. */
static unsigned
full_record_len(const sipmtls_suite *s)
{
    return record_len(s, 16384);
}

/* No CertificateVerify is smaller: header, scheme, length, a 64-byte
 * signature (Ed25519; ECDSA P-256 is about 71). */
#define MIN_CERT_VERIFY      (HANDSHAKE_HEADER + 2 + 2 + 64)

sipmtls_server_reading
sipmtls_infer_server_flight(const sipmtls_suite *suite, const uint16_t *lengths, unsigned n,
                            bool truncated)
{
    sipmtls_server_reading r = { -1, -1, SIPMTLS_UNKNOWN };
    unsigned fin, pad = 0, p;
    int found = -1;

    if (suite == NULL || truncated || n < 2)
        return r;
    fin = sipmtls_finished_record_len(suite);
    for (unsigned i = 0; i < n; i++) {
        if (lengths[i] >= full_record_len(suite))
            return r;   /* a message split over records: counting means nothing */
    }
    /* Its Finished: the one record after EncryptedExtensions of Finished's
     * size, give or take a padding.  Two such records: no telling which. */
    for (unsigned i = 1; i < n; i++) {
        if (padded(lengths[i], fin, &p)) {
            if (found >= 0)
                return r;
            found = (int)i;
            pad = p;
        }
    }
    if (found < 0)
        return r;
    r.finished = found;
    r.padding = (int)pad;
    /* One message per record: EncryptedExtensions, [CertificateRequest],
     * Certificate (holding a certificate), CertificateVerify, Finished. */
    if (lengths[found - 1] >= record_len(suite, MIN_CERT_VERIFY) + pad
        && found >= 3 && lengths[found - 2] >= chain_min_record_len(suite) + pad) {
        if (found == 3)
            r.requested = SIPMTLS_NO;
        else if (found == 4)
            r.requested = SIPMTLS_YES;
    }
    return r;
}

/* ", each record padded by 16 bytes" or "" */
static const char *
padding_note(char *out, size_t size, unsigned pad)
{
    if (pad == 0)
        return "";
    snprintf(out, size, ", each record padded by %u bytes", pad);
    return out;
}

/* What the server's flight says, for a sentence: " (the server's flight:
 * 5 records, Finished 5th)". */
static const char *
server_note(char *out, size_t size, const char *lead, const sipmtls_flights *f,
            const sipmtls_server_reading *sv)
{
    if (size > 0)
        out[0] = '\0';
    if (sv->finished < 0)
        return out;
    if (sv->requested == SIPMTLS_UNKNOWN)
        snprintf(out, size, "%sthe server's Finished is its record %d of %u (%u bytes)", lead,
                 sv->finished + 1, f->n_server, f->server[sv->finished]);
    else
        snprintf(out, size, "%sthe server's flight shows %s CertificateRequest (its Finished "
                 "is record %d of %u, %u bytes)", lead, sv->requested == SIPMTLS_YES ? "a" : "no",
                 sv->finished + 1, f->n_server, f->server[sv->finished]);
    return out;
}

/* A reading of a first record that holds no certificate. */
typedef struct candidate {
    const char      *shape;      /* what the records are */
    unsigned         records;    /* records of the flight it takes */
    unsigned         pad;
    sipmtls_tristate requested;  /* YES or NO; the chain is NO */
    bool             supported;  /* its padding is shown by something else */
} candidate;

static sipmtls_flight_reading
read_small_flight(const sipmtls_flights *f, const sipmtls_server_reading *sv, char *why,
                  size_t why_size)
{
    const sipmtls_suite *s = f->suite;
    const uint16_t *L = f->client;
    unsigned n = f->n_client;
    unsigned fin = sipmtls_finished_record_len(s);
    unsigned empty = sipmtls_empty_certificate_record_len(s);
    unsigned both = fin + EMPTY_CERTIFICATE;
    candidate c[3];
    unsigned nc = 0, p, kept = 0;
    char records[160], note[96], snote[160];
    sipmtls_tristate requested = SIPMTLS_UNKNOWN;
    bool agree = true;

    /* Unpadded sizes are read as they are: most stacks pad nothing. */
    if (L[0] == fin) {
        describe_records(records, sizeof records, L, 1);
        if (sv->requested == SIPMTLS_YES)
            goto contradiction;
        snprintf(why, why_size, "client's second flight: %s = Finished only (%s)", records, s->name);
        return reading(true, SIPMTLS_NO, SIPMTLS_NO);
    }
    if (L[0] == both) {
        describe_records(records, sizeof records, L, 1);
        if (sv->requested == SIPMTLS_NO)
            goto contradiction;
        snprintf(why, why_size, "client's second flight: %s = empty Certificate and "
                 "Finished in one record (Finished alone is %u)", records, fin);
        return reading(true, SIPMTLS_YES, SIPMTLS_NO);
    }
    if (L[0] == empty) {
        if (n == 1 && !f->server_answered)
            return reading(false, SIPMTLS_UNKNOWN, SIPMTLS_UNKNOWN);
        describe_records(records, sizeof records, L, n >= 2 ? 2 : 1);
        if (sv->requested == SIPMTLS_NO)
            goto contradiction;
        if (n == 1) {
            snprintf(why, why_size, "client's second flight: %s = empty Certificate, and the "
                     "server answered it before the client's Finished", records);
            return reading(true, SIPMTLS_YES, SIPMTLS_NO);
        }
        if (L[1] == fin) {
            snprintf(why, why_size, "client's second flight: %s = empty Certificate + "
                     "Finished", records);
            return reading(true, SIPMTLS_YES, SIPMTLS_NO);
        }
    }

    /* Padded (RFC 8446 5.4): every reading whose padding is at most
     * SIPMTLS_MAX_PADDING, each record padded alike. */
    if (padded(L[0], fin, &p) && p > 0)
        c[nc++] = (candidate){ "Finished only", 1, p, SIPMTLS_NO, false };
    if (padded(L[0], both, &p) && p > 0)
        c[nc++] = (candidate){ "empty Certificate and Finished in one record", 1, p, SIPMTLS_YES,
                               false };
    if (padded(L[0], empty, &p) && p > 0) {
        if (n == 1 && !f->server_answered)
            return reading(false, SIPMTLS_UNKNOWN, SIPMTLS_UNKNOWN);   /* its Finished is next */
        if (n >= 2 && L[1] == fin + p)   /* two records padded alike */
            c[nc++] = (candidate){ "empty Certificate + Finished", 2, p, SIPMTLS_YES, true };
    }
    describe_records(records, sizeof records, L, n < 2 ? n : 2);
    if (nc == 0) {
        snprintf(why, why_size, "client's second flight: %s fits no known pattern of "
                 "Certificate, CertificateVerify and Finished", records);
        return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
    }
    for (unsigned i = 0; i < nc; i++) {
        /* the server's count rules out what it contradicts ... */
        if (sv->requested != SIPMTLS_UNKNOWN && sv->requested != c[i].requested)
            continue;
        /* ... and shows a request, or its absence, as a reading needs it */
        if (sv->requested == c[i].requested || (sv->padding >= 0 && (unsigned)sv->padding == c[i].pad))
            c[i].supported = true;
        if (requested != SIPMTLS_UNKNOWN && requested != c[i].requested)
            agree = false;
        requested = c[i].requested;
        if (c[i].supported)
            kept = i + 1;
    }
    server_note(snote, sizeof snote, "; ", f, sv);
    if (requested == SIPMTLS_UNKNOWN) {
        snprintf(why, why_size, "client's second flight: %s would be a padded %s, which the "
                 "server's flight contradicts%s", records, c[0].shape, snote);
        return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
    }
    if (!agree) {
        snprintf(why, why_size, "client's second flight: %s is a padded Finished or a padded "
                 "empty Certificate with Finished: nothing tells which%s", records, snote);
        return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
    }
    if (kept == 0) {
        snprintf(why, why_size, "client's second flight: %s would be a %s padded by %u bytes, "
                 "a padding nothing else shows", records, c[0].shape, c[0].pad);
        return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
    }
    candidate *k = &c[kept - 1];
    describe_records(records, sizeof records, L, k->records);
    snprintf(why, why_size, "client's second flight: %s = %s%s%s", records, k->shape,
             padding_note(note, sizeof note, k->pad), snote);
    return reading(true, k->requested, SIPMTLS_NO);

contradiction:
    server_note(snote, sizeof snote, ": ", f, sv);
    snprintf(why, why_size, "client's second flight: %s contradicts the server's flight%s",
             records, snote);
    return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
}

sipmtls_flight_reading
sipmtls_infer_flights(const sipmtls_flights *f, char *why, size_t why_size)
{
    const sipmtls_suite *s = f->suite;
    const uint16_t *L = f->client;
    unsigned n = f->n_client, fin, p = 0, end;
    sipmtls_server_reading sv;
    char records[160];

    if (why_size > 0)
        why[0] = '\0';
    if (s == NULL) {
        snprintf(why, why_size, "cipher suite unknown to the record-size table");
        return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
    }
    if (n == 0)
        return reading(false, SIPMTLS_UNKNOWN, SIPMTLS_UNKNOWN);
    sv = sipmtls_infer_server_flight(s, f->server, f->n_server, f->server_truncated);
    if (L[0] < chain_min_record_len(s))
        return read_small_flight(f, &sv, why, why_size);

    /* A Certificate with certificates.  Its Finished is the next record or
     * the one after (CertificateVerify between), padded like nothing else
     * can show; or it came in the same record, then the server's answer or
     * the client's data come next. */
    fin = sipmtls_finished_record_len(s);
    for (end = 1; end < n && end <= 2; end++) {
        if (padded(L[end], fin, &p))
            break;
    }
    if (end >= n && n < 3 && !f->server_answered && n < SIPMTLS_MAX_FLIGHT_RECORDS)
        return reading(false, SIPMTLS_UNKNOWN, SIPMTLS_UNKNOWN);
    if (sv.requested == SIPMTLS_NO) {
        char snote[160];

        describe_records(records, sizeof records, L, 1);
        server_note(snote, sizeof snote, ": ", f, &sv);
        snprintf(why, why_size, "client's second flight: %s holds certificates, which the "
                 "server's flight contradicts%s", records, snote);
        return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
    }
    if (end <= 2 && end < n) {
        char note[96];

        describe_records(records, sizeof records, L, end + 1);
        snprintf(why, why_size, "client's second flight: %s = Certificate %s+ Finished%s",
                 records, end == 2 ? "+ CertificateVerify " : "and CertificateVerify in one record ",
                 padding_note(note, sizeof note, p));
    } else {
        describe_records(records, sizeof records, L, 1);
        snprintf(why, why_size, "client's second flight: %s = Certificate holding certificates "
                 "(%u bytes or more), CertificateVerify and Finished %s", records,
                 chain_min_record_len(s), f->server_answered && n == 1
                 ? "in it or still to come (the server answered next)"
                 : "in the same record (the records after it are no Finished)");
    }
    return reading(true, SIPMTLS_YES, SIPMTLS_YES);
}

sipmtls_flight_reading
sipmtls_infer_client_flight(const sipmtls_suite *suite, const uint16_t *lengths, unsigned n,
                            char *why, size_t why_size)
{
    sipmtls_flights f = { suite, NULL, 0, false, lengths, n, false };

    return sipmtls_infer_flights(&f, why, why_size);
}

sipmtls_tristate
sipmtls_infer_reply(const sipmtls_flights *f, uint16_t length)
{
    sipmtls_server_reading sv;
    unsigned alert;

    if (f->suite == NULL)
        return SIPMTLS_UNDECIDABLE;
    sv = sipmtls_infer_server_flight(f->suite, f->server, f->n_server, f->server_truncated);
    alert = sipmtls_alert_record_len(f->suite);
    if (sv.padding > 0)
        alert += (unsigned)sv.padding;   /* padded like its other records */
    return length == alert ? SIPMTLS_YES : SIPMTLS_NO;
}

sipmtls_tristate
sipmtls_infer_server_reply(const sipmtls_suite *suite, uint16_t length)
{
    sipmtls_flights f = { suite, NULL, 0, false, NULL, 0, false };

    return sipmtls_infer_reply(&f, length);
}
