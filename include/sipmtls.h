/* sipmtls.h
 * The Wireshark-independent core of sipmtls: it follows one TLS connection
 * from plain handshake observations and says what a support engineer must
 * know about client certificates on it.
 *
 * How the pieces fit: the Wireshark glue (plugin/) reads TLS and X.509
 * facts from Wireshark's own fields, turns each handshake message of a
 * frame into a sipmtls_handshake_obs and hands it to sipmtls_conn_observe()
 * together with the direction it travelled.  The core learns which side is
 * the TLS client and which the TLS server, and appends findings to a
 * sipmtls_frame_report.  The glue stores that report with the frame and
 * draws it on every later dissection of the frame.
 *
 * Nothing here knows about epan, trees or addresses; every piece of memory
 * the core keeps comes from the caller's sipmtls_allocator, so that in
 * Wireshark it lives in file scope and in tests in an arena.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_H
#define SIPMTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds on what one connection or frame can make the core keep.  A hostile
 * capture may hold a chain of 10,000 certificates or an EKU list of any
 * length: everything past these limits is counted, not stored. */
#define SIPMTLS_MAX_CERTS_PER_MSG     16
#define SIPMTLS_MAX_EKUS_PER_CERT     16
#define SIPMTLS_MAX_FINDINGS_PER_FRAME 8
#define SIPMTLS_MAX_TEXT              512  /* bytes of a DN or OID string, NUL included */

/* Memory for everything the core keeps.  alloc returns zeroed memory that
 * stays valid until the owner (Wireshark's file scope, a test arena) drops
 * it all at once; the core never frees. */
typedef struct sipmtls_allocator {
    void *(*alloc)(void *ctx, size_t size);
    void *ctx;
} sipmtls_allocator;

/* Which way a message travelled, relative to the first packet the glue saw
 * of the connection: the core does not know addresses, only "A" and "B". */
typedef enum sipmtls_dir {
    SIPMTLS_DIR_A_TO_B = 0,
    SIPMTLS_DIR_B_TO_A = 1
} sipmtls_dir;

typedef enum sipmtls_role {
    SIPMTLS_ROLE_UNKNOWN = 0,
    SIPMTLS_ROLE_CLIENT  = 1,   /* sent the ClientHello */
    SIPMTLS_ROLE_SERVER  = 2    /* sent the ServerHello */
} sipmtls_role;

/* TLS HandshakeType values (RFC 5246 section 7.4, RFC 8446 section 4). */
typedef enum sipmtls_hs_type {
    SIPMTLS_HS_HELLO_REQUEST        = 0,
    SIPMTLS_HS_CLIENT_HELLO         = 1,
    SIPMTLS_HS_SERVER_HELLO         = 2,
    SIPMTLS_HS_NEW_SESSION_TICKET   = 4,
    SIPMTLS_HS_END_OF_EARLY_DATA    = 5,
    SIPMTLS_HS_ENCRYPTED_EXTENSIONS = 8,
    SIPMTLS_HS_CERTIFICATE          = 11,
    SIPMTLS_HS_SERVER_KEY_EXCHANGE  = 12,
    SIPMTLS_HS_CERTIFICATE_REQUEST  = 13,
    SIPMTLS_HS_SERVER_HELLO_DONE    = 14,
    SIPMTLS_HS_CERTIFICATE_VERIFY   = 15,
    SIPMTLS_HS_CLIENT_KEY_EXCHANGE  = 16,
    SIPMTLS_HS_FINISHED             = 20,
    SIPMTLS_HS_KEY_UPDATE           = 24
} sipmtls_hs_type;

/* Time as seconds since the Unix epoch, UTC. */
typedef struct sipmtls_time {
    int64_t secs;
    bool    valid;
} sipmtls_time;

/* One certificate as the glue read it from Wireshark's x509 fields.
 * Strings may be NULL when the field was absent; ekus are dotted OIDs. */
typedef struct sipmtls_cert_obs {
    const char        *subject;           /* RFC 4514 string, see sipmtls_x509.h */
    const char        *issuer;
    const char *const *ekus;
    unsigned           n_ekus;
    bool               has_eku_extension; /* the extKeyUsage extension is present */
    sipmtls_time       not_before;
    sipmtls_time       not_after;
} sipmtls_cert_obs;

/* One handshake message.  The certificate members are used for Certificate
 * messages only: the glue reads at most SIPMTLS_MAX_CERTS_PER_MSG
 * certificates (certs, n_certs) but says how many the message lists
 * (n_certs_listed); 0 is an empty Certificate: the sender has none. */
typedef struct sipmtls_handshake_obs {
    uint8_t                 type;          /* a sipmtls_hs_type, or anything else */
    const sipmtls_cert_obs *certs;
    unsigned                n_certs;
    unsigned                n_certs_listed;
} sipmtls_handshake_obs;

/* What the core kept of a certificate: a bounded copy of the observation. */
typedef struct sipmtls_cert {
    const char  *subject;                  /* never NULL; "" when unknown */
    const char  *issuer;                   /* never NULL; "" when unknown */
    const char  *ekus[SIPMTLS_MAX_EKUS_PER_CERT];
    unsigned     n_ekus;                   /* stored, at most SIPMTLS_MAX_EKUS_PER_CERT */
    unsigned     n_ekus_seen;              /* listed in the certificate */
    bool         has_eku_extension;
    bool         client_auth;              /* lists id-kp-clientAuth */
    sipmtls_time not_before;
    sipmtls_time not_after;
} sipmtls_cert;

typedef enum sipmtls_finding_kind {
    SIPMTLS_FINDING_CERT_REQUEST = 1,  /* a CertificateRequest: mutual TLS asked for */
    SIPMTLS_FINDING_CERTIFICATE  = 2   /* a Certificate message and its chain */
} sipmtls_finding_kind;

typedef struct sipmtls_finding {
    sipmtls_finding_kind kind;
    sipmtls_dir          dir;          /* direction of the message */
    sipmtls_role         sender;       /* role of the side that sent it */
    /* SIPMTLS_FINDING_CERTIFICATE only: */
    sipmtls_cert        *certs;        /* n_certs entries, leaf first */
    unsigned             n_certs;      /* stored */
    unsigned             n_certs_seen; /* in the message */
    int                  client_auth_index; /* first cert with clientAuth, or -1 */
} sipmtls_finding;

/* Everything the core found in one frame, in the order it was found. */
typedef struct sipmtls_frame_report {
    sipmtls_finding findings[SIPMTLS_MAX_FINDINGS_PER_FRAME];
    unsigned        n_findings;
    unsigned        n_dropped;  /* findings past SIPMTLS_MAX_FINDINGS_PER_FRAME */
} sipmtls_frame_report;

typedef struct sipmtls_conn sipmtls_conn;

/* A new connection whose roles are not yet known.  Never returns NULL. */
sipmtls_conn *sipmtls_conn_new(const sipmtls_allocator *alloc);

/* The role of the side that sends in direction dir, as learnt so far. */
sipmtls_role sipmtls_conn_role(const sipmtls_conn *conn, sipmtls_dir dir);

/* Feeds one handshake message, seen in direction dir, in capture order.
 * Appends what it shows to report (which the caller zeroed for the frame);
 * certificate data is copied, bounded, with the connection's allocator. */
void sipmtls_conn_observe(sipmtls_conn *conn, sipmtls_dir dir,
                          const sipmtls_handshake_obs *msg,
                          sipmtls_frame_report *report);

/* True when the report has at least one finding of this kind. */
bool sipmtls_report_has(const sipmtls_frame_report *report,
                        sipmtls_finding_kind kind);

/* True when some finding in the report is a chain with clientAuth. */
bool sipmtls_report_has_client_auth(const sipmtls_frame_report *report);

#ifdef __cplusplus
}
#endif

#endif /* SIPMTLS_H */
