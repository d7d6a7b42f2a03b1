/* sipmtls_infer.h
 * Seeing mutual TLS in TLS 1.3 without the keys: what the sizes of the
 * encrypted records say.
 *
 * In TLS 1.3 the CertificateRequest and both Certificate messages are
 * encrypted.  Their records are not: each has a length, and a handshake
 * message's record is its plaintext plus one byte of content type plus the
 * AEAD tag (RFC 8446 5.2).  After the server's flight, the client sends:
 *   - no request: its Finished only, 4 + Hash.length bytes;
 *   - a request it cannot answer: an empty Certificate (8 bytes: header,
 *     empty context, empty list) and Finished, in two records or one;
 *   - a request it answers: Certificate, CertificateVerify and Finished.
 * So the client's flight ends at the first record of exactly Finished's
 * size, and what came before it tells the story.  After that flight, a
 * server that rejects the client sends an alert, 2 bytes of plaintext: a
 * record of exactly alert size, then closes.  Anything else (padding,
 * early data, a suite the table does not know, coalescing other than the
 * forms above) is undecidable: the core says so rather than guess.
 *
 * The arithmetic lives in one table per cipher suite; the rules in
 * sipmtls_infer_client_flight() and sipmtls_infer_server_reply().
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

/* Records of the client's flight looked at before giving up. */
#define SIPMTLS_MAX_FLIGHT_RECORDS 8

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

/* Reads the client's flight from the lengths of its encrypted records since
 * the server's flight, in order.  Until the flight is complete, more records
 * are needed.  why (why_size bytes) receives one sentence for people, e.g.
 * "client's second flight: 3 records (1,842 + 281 + 69 bytes) =
 * Certificate + CertificateVerify + Finished". */
sipmtls_flight_reading sipmtls_infer_client_flight(const sipmtls_suite *suite,
                                                   const uint16_t *lengths, unsigned n,
                                                   char *why, size_t why_size);

/* Whether the server's first record after the client's flight is an
 * alert (YES: likely a rejection) or anything else (NO). */
sipmtls_tristate sipmtls_infer_server_reply(const sipmtls_suite *suite, uint16_t length);

#ifdef __cplusplus
}
#endif

#endif /* SIPMTLS_INFER_H */
