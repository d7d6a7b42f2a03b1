/* sipmtls_infer.h
 * Seeing mutual TLS in TLS 1.3 without the keys: what the sizes of the
 * encrypted records say.
 *
 * In TLS 1.3 the CertificateRequest and both Certificate messages are
 * encrypted.  Their records are not: each has a length, and a record is its
 * messages' plaintext + 1 byte of content type + the AEAD tag + whatever
 * padding the sender adds (RFC 8446 5.2, 5.4).  The flights are read as
 * sequences, with the shapes real stacks write (docs/tls13-inference.md):
 *
 * The server's flight (EncryptedExtensions, [CertificateRequest],
 * Certificate, CertificateVerify, Finished, sometimes tickets after it).
 * When it writes one message per record, its Finished is the one record
 * after the first whose size is Finished's plus a small padding: that
 * padding is the server's own (JSSE pads every record by 16 bytes), and
 * the records before it count the messages: 3 without a CertificateRequest,
 * 4 with one.  A server that writes its flight in one record (NSS) shows
 * neither.
 *
 * The client's flight, after it: Finished only (no request); an empty
 * Certificate and Finished, in two records or one (request, no
 * certificate); Certificate, CertificateVerify and Finished, in three
 * records, two or one (request, certificates).  A first record too large
 * for anything but a Certificate holding a certificate means a chain.  A
 * padding other than none is believed only when the flight itself shows it
 * (two records padded alike), when it is the server's own, or when the
 * server's count of messages settles the reading; a reading the server's
 * count contradicts is no reading.
 *
 * After the client's flight, a server that rejects the client sends an
 * alert: 2 bytes of plaintext, padded like the server's other records.
 * Anything else (early data, a suite the table does not know, a flight that
 * fits no shape or more than one) is undecidable: the core says so, with
 * the sentence why, rather than guess.
 *
 * The arithmetic lives in one table per cipher suite; the rules in
 * sipmtls_infer_server_flight(), sipmtls_infer_flights() and
 * sipmtls_infer_reply().
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_INFER_H
#define SIPMTLS_INFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Records of the client's flight looked at before giving up; records of the
 * server's flight kept. */
#define SIPMTLS_MAX_FLIGHT_RECORDS 8

/* The largest per-record padding a reading assumes (JSSE pads by 16). */
#define SIPMTLS_MAX_PADDING 32

/* A TLS 1.3 cipher suite (RFC 8446 B.4) and the sizes it gives. */
typedef struct sipmtls_suite {
    uint16_t    id;
    const char *name;
    unsigned    hash_len;   /* bytes of the transcript hash, and of verify_data */
    unsigned    tag_len;    /* bytes of the AEAD tag */
} sipmtls_suite;

/* The suite with this id, or NULL when the table does not know it. */
const sipmtls_suite *sipmtls_suite_find(uint16_t id);

/* Record lengths (TLSCiphertext.length) of single messages. */
unsigned sipmtls_finished_record_len(const sipmtls_suite *s);
unsigned sipmtls_empty_certificate_record_len(const sipmtls_suite *s);
unsigned sipmtls_alert_record_len(const sipmtls_suite *s);

typedef enum sipmtls_tristate {
    SIPMTLS_UNKNOWN = 0,   /* not enough seen yet */
    SIPMTLS_YES,
    SIPMTLS_NO,
    SIPMTLS_UNDECIDABLE
} sipmtls_tristate;

/* What the client's flight shows. */
typedef struct sipmtls_flight_reading {
    bool             complete;   /* the flight's end (Finished) was found, or given up */
    sipmtls_tristate requested;  /* a CertificateRequest came before */
    sipmtls_tristate chain;      /* the client answered with certificates */
} sipmtls_flight_reading;

/* What the server's own encrypted flight shows. */
typedef struct sipmtls_server_reading {
    int              finished;   /* index of its Finished record, or -1 */
    int              padding;    /* bytes each of its records is padded by, or -1 */
    sipmtls_tristate requested;  /* YES: 4 messages before Finished, NO: 3; else UNKNOWN */
} sipmtls_server_reading;

/* Reads the lengths of the server's encrypted records before the client's
 * first one (n of them; truncated: more were sent than are given). */
sipmtls_server_reading sipmtls_infer_server_flight(const sipmtls_suite *suite,
                                                   const uint16_t *lengths, unsigned n,
                                                   bool truncated);

/* Both flights of a TLS 1.3 handshake as the records' lengths show them. */
typedef struct sipmtls_flights {
    const sipmtls_suite *suite;            /* NULL: not in the table */
    const uint16_t      *server;           /* the server's records before the client's */
    unsigned             n_server;
    bool                 server_truncated; /* it sent more than n_server */
    const uint16_t      *client;           /* the client's records since, in order */
    unsigned             n_client;
    bool                 server_answered;  /* the server sent a record after client[n_client-1] */
} sipmtls_flights;

/* Reads the client's flight.  Until the flight is complete, more records
 * are needed.  why (why_size bytes) receives one sentence for people, e.g.
 * "client's second flight: 3 records (1,842 + 281 + 69 bytes) =
 * Certificate + CertificateVerify + Finished". */
sipmtls_flight_reading sipmtls_infer_flights(const sipmtls_flights *f, char *why, size_t why_size);

/* The same, knowing nothing of the server's flight. */
sipmtls_flight_reading sipmtls_infer_client_flight(const sipmtls_suite *suite,
                                                   const uint16_t *lengths, unsigned n,
                                                   char *why, size_t why_size);

/* Whether the server's first record after the client's flight is an alert
 * (YES: likely a rejection), anything else (NO), or cannot be told. */
sipmtls_tristate sipmtls_infer_reply(const sipmtls_flights *f, uint16_t length);

/* The same, knowing nothing of the server's flight (an alert is unpadded). */
sipmtls_tristate sipmtls_infer_server_reply(const sipmtls_suite *suite, uint16_t length);

#ifdef __cplusplus
}
#endif

#endif /* SIPMTLS_INFER_H */
