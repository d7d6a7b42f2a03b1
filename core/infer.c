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

sipmtls_flight_reading
sipmtls_infer_client_flight(const sipmtls_suite *suite, const uint16_t *lengths, unsigned n,
                            char *why, size_t why_size)
{
    char records[160];
    unsigned fin, empty, k;

    if (why_size > 0)
        why[0] = '\0';
    if (suite == NULL) {
        snprintf(why, why_size, "cipher suite unknown to the record-size table");
        return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
    }
    fin = sipmtls_finished_record_len(suite);
    empty = sipmtls_empty_certificate_record_len(suite);
    for (k = 0; k < n && lengths[k] != fin; k++)
        ;
    describe_records(records, sizeof records, lengths, k < n ? k + 1 : n);
    if (k == n) {
        /* A single record of empty Certificate and Finished together. */
        if (n >= 1 && lengths[0] == fin + EMPTY_CERTIFICATE) {
            snprintf(why, why_size, "client's second flight: %s = empty Certificate and "
                     "Finished in one record (Finished alone is %u)", records, fin);
            return reading(true, SIPMTLS_YES, SIPMTLS_NO);
        }
        if (n < SIPMTLS_MAX_FLIGHT_RECORDS)
            return reading(false, SIPMTLS_UNKNOWN, SIPMTLS_UNKNOWN);
        snprintf(why, why_size, "no record of the client's first %s has the size of a "
                 "Finished (%u bytes with %s): padding or coalescing", records, fin, suite->name);
        return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
    }
    if (k == 0) {
        snprintf(why, why_size, "client's second flight: %s = Finished only (%s)",
                 records, suite->name);
        return reading(true, SIPMTLS_NO, SIPMTLS_NO);
    }
    if (k == 1 && lengths[0] == empty) {
        snprintf(why, why_size, "client's second flight: %s = empty Certificate + "
                 "Finished", records);
        return reading(true, SIPMTLS_YES, SIPMTLS_NO);
    }
    if (k <= 2 && lengths[0] >= empty + MIN_CERT_ENTRY) {
        snprintf(why, why_size, "client's second flight: %s = Certificate %s+ Finished",
                 records, k == 2 ? "+ CertificateVerify " : "and CertificateVerify in one record ");
        return reading(true, SIPMTLS_YES, SIPMTLS_YES);
    }
    snprintf(why, why_size, "client's second flight: %s fits no known pattern of "
             "Certificate, CertificateVerify and Finished", records);
    return reading(true, SIPMTLS_UNDECIDABLE, SIPMTLS_UNDECIDABLE);
}

sipmtls_tristate
sipmtls_infer_server_reply(const sipmtls_suite *suite, uint16_t length)
{
    if (suite == NULL)
        return SIPMTLS_UNDECIDABLE;
    return length == sipmtls_alert_record_len(suite) ? SIPMTLS_YES : SIPMTLS_NO;
}
