/* sipmtls.h
 * The Wireshark-independent core of sipmtls: it follows one TLS connection
 * from plain observations and says what a support engineer must know about
 * client certificates on it.
 *
 * How the pieces fit: the Wireshark glue (plugin/) reads TLS, X.509, TCP and
 * SIP facts from Wireshark's own fields, turns each into a sipmtls_event and
 * hands it to sipmtls_conn_feed() with the direction it travelled and the
 * frame it came in.  The core learns which side is the TLS client and which
 * the TLS server, follows every handshake of the connection (the initial
 * one, TLS 1.2 renegotiations, TLS 1.3 post-handshake authentication) from
 * the server's CertificateRequest through the client's answer to the
 * outcome, and appends findings to a sipmtls_frame_report.  The glue keeps
 * that report with the frame and draws it on every dissection of the frame.
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

#include "sipmtls_infer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds on what one connection or frame can make the core keep.  A hostile
 * capture may hold a chain of 10,000 certificates, endless renegotiations or
 * an EKU list of any length: everything past these limits is counted, not
 * stored. */
#define SIPMTLS_MAX_CERTS_PER_MSG      16
#define SIPMTLS_MAX_EKUS_PER_CERT      16
#define SIPMTLS_MAX_FINDINGS_PER_FRAME 8
#define SIPMTLS_MAX_HANDSHAKES         8   /* followed per connection */
#define SIPMTLS_MAX_REQUEST_CAS        16  /* acceptable CA names kept per request */
#define SIPMTLS_MAX_REQUEST_SIG_ALGS   32
#define SIPMTLS_MAX_REQUEST_CERT_TYPES 8
#define SIPMTLS_MAX_TEXT               512 /* bytes of a DN, OID or header, NUL included */
#define SIPMTLS_MAX_KEY_ID             64  /* bytes of a key identifier kept; longer ones are dropped */

/* Memory for everything the core keeps.  alloc returns zeroed memory that
 * stays valid until the owner (Wireshark's file scope, a test arena) drops
 * it all at once; the core never frees. */
typedef struct sipmtls_allocator {
    void *(*alloc)(void *ctx, size_t size);
    void *ctx;
} sipmtls_allocator;

/* Which way something travelled, relative to the first packet the glue saw
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

/* TLS protocol versions as they appear on the wire. */
#define SIPMTLS_TLS_1_2 0x0303
#define SIPMTLS_TLS_1_3 0x0304

/* TLS AlertDescription values the core treats specially (RFC 8446 6.1). */
#define SIPMTLS_ALERT_CLOSE_NOTIFY  0
#define SIPMTLS_ALERT_USER_CANCELED 90

/* A name and its value, laid out like Wireshark's value_string so the glue
 * can hand the core's tables to field registrations as they are.  Tables
 * end with { 0, NULL }. */
typedef struct sipmtls_named_value {
    uint32_t    value;
    const char *name;
} sipmtls_named_value;

/* The name of value in table, or NULL. */
const char *sipmtls_name_of(const sipmtls_named_value *table, uint32_t value);

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
    /* The keyIdentifier of the authorityKeyIdentifier extension: which key
     * signed the certificate.  NULL, 0 when absent. */
    const uint8_t     *authority_key_id;
    unsigned           authority_key_id_len;
} sipmtls_cert_obs;

/* One readable handshake message.  Members past `type` are used by the
 * messages they name and ignored otherwise.
 *   Certificate: the glue reads at most SIPMTLS_MAX_CERTS_PER_MSG
 *   certificates (certs, n_certs) but says how many the message lists
 *   (n_certs_listed); 0 is an empty Certificate: the sender has none.
 *   CertificateRequest: its certificate types, signature algorithms and
 *   acceptable CA names (RFC 4514 strings), each as many as were read.
 *   ServerHello: the negotiated version (supported_versions if present, else
 *   the legacy version field), whether it is a HelloRetryRequest, the cipher
 *   suite, and whether it accepts a pre-shared key (resumption). */
typedef struct sipmtls_handshake_obs {
    uint8_t                 type;          /* a sipmtls_hs_type, or anything else */
    const sipmtls_cert_obs *certs;
    unsigned                n_certs;
    unsigned                n_certs_listed;
    const uint8_t          *cert_types;
    unsigned                n_cert_types;
    const uint16_t         *sig_algs;
    unsigned                n_sig_algs;
    const char *const      *ca_names;
    unsigned                n_ca_names;
    uint16_t                version;
    bool                    hello_retry;
    uint16_t                cipher_suite;  /* ServerHello */
    bool                    psk;           /* ServerHello: pre_shared_key accepted */
} sipmtls_handshake_obs;

/* A SIP request read from the connection's (decrypted) payload. */
typedef struct sipmtls_sip_obs {
    const char *method;
    const char *call_id;
    const char *from;
    const char *to;
} sipmtls_sip_obs;

typedef enum sipmtls_event_kind {
    SIPMTLS_EV_HANDSHAKE = 1,      /* a readable handshake message (hs) */
    SIPMTLS_EV_CHANGE_CIPHER_SPEC, /* a ChangeCipherSpec record */
    SIPMTLS_EV_ENCRYPTED_HANDSHAKE,/* a handshake record Wireshark could not read */
    SIPMTLS_EV_APP_DATA,           /* an application data record, read or not */
    SIPMTLS_EV_ALERT,              /* an alert with readable level and description */
    SIPMTLS_EV_ENCRYPTED_ALERT,    /* an alert record Wireshark could not read */
    SIPMTLS_EV_OPAQUE_RECORD,      /* a TLS 1.3 record that could not be decrypted */
    SIPMTLS_EV_TCP_FIN,
    SIPMTLS_EV_TCP_RST,
    SIPMTLS_EV_SIP_REQUEST,        /* sip */
    /* What the capture misses or holds besides TLS, from Wireshark's TCP
     * analysis.  Fed first in their frame: what they speak of came before. */
    SIPMTLS_EV_TCP_GAP,            /* bytes this direction sent before this frame are not in
                                      the capture (tcp.analysis.lost_segment) */
    SIPMTLS_EV_TCP_PEER_GAP,       /* this frame acknowledges bytes of the other direction
                                      the capture does not hold (tcp.analysis.ack_lost_segment) */
    SIPMTLS_EV_OTHER_BYTES         /* TCP payload that is not TLS */
} sipmtls_event_kind;

typedef struct sipmtls_event {
    sipmtls_event_kind           kind;
    uint32_t                     frame;        /* frame number it came in */
    const sipmtls_handshake_obs *hs;           /* SIPMTLS_EV_HANDSHAKE */
    uint8_t                      alert_level;  /* SIPMTLS_EV_ALERT: 1 warning, 2 fatal */
    uint8_t                      alert_desc;   /* SIPMTLS_EV_ALERT */
    uint16_t                     record_length;/* record events: the TLS record length */
    const sipmtls_sip_obs       *sip;          /* SIPMTLS_EV_SIP_REQUEST */
} sipmtls_event;

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
    uint8_t      authority_key_id[SIPMTLS_MAX_KEY_ID];
    unsigned     authority_key_id_len;     /* 0: absent, or longer than kept */
} sipmtls_cert;

/* The content of a CertificateRequest, bounded. */
typedef struct sipmtls_request {
    uint8_t      cert_types[SIPMTLS_MAX_REQUEST_CERT_TYPES];
    unsigned     n_cert_types;
    uint16_t     sig_algs[SIPMTLS_MAX_REQUEST_SIG_ALGS];
    unsigned     n_sig_algs;
    const char  *ca_names[SIPMTLS_MAX_REQUEST_CAS];
    unsigned     n_ca_names;       /* stored */
    unsigned     n_ca_names_seen;  /* in the message */
} sipmtls_request;

typedef enum sipmtls_handshake_kind {
    SIPMTLS_HANDSHAKE_INITIAL = 1,
    SIPMTLS_HANDSHAKE_RENEGOTIATION,   /* TLS 1.2 and earlier */
    SIPMTLS_HANDSHAKE_POST_HANDSHAKE   /* TLS 1.3 post-handshake authentication */
} sipmtls_handshake_kind;

/* How the client answered a CertificateRequest. */
typedef enum sipmtls_answer {
    SIPMTLS_ANSWER_NONE = 0,   /* nothing (yet) */
    SIPMTLS_ANSWER_CHAIN,      /* a Certificate with at least one certificate */
    SIPMTLS_ANSWER_EMPTY       /* an empty Certificate: the client has none */
} sipmtls_answer;

typedef enum sipmtls_outcome {
    SIPMTLS_OUTCOME_UNKNOWN = 0,
    SIPMTLS_OUTCOME_COMPLETED,       /* both Finished, or data flowed */
    SIPMTLS_OUTCOME_SERVER_ALERT,    /* the server sent an error alert */
    SIPMTLS_OUTCOME_SERVER_CLOSED,   /* the server closed (close_notify, FIN or RST) */
    SIPMTLS_OUTCOME_CLIENT_ABORTED   /* the client sent an error alert or closed */
} sipmtls_outcome;

/* What a handshake means for the endpoint; the values are stable, filters
 * and scripts use them (sipmtls.verdict). */
typedef enum sipmtls_verdict {
    SIPMTLS_VERDICT_NONE = 0,                 /* not settled yet */
    SIPMTLS_VERDICT_NO_REQUEST = 1,           /* no client certificate requested */
    SIPMTLS_VERDICT_OPTIONAL_NONE_SENT = 2,   /* requested, none sent, handshake went on */
    SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED = 3, /* leaf with clientAuth accepted */
    SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED = 4, /* leaf with an EKU list without clientAuth accepted */
    SIPMTLS_VERDICT_NO_EKU_ACCEPTED = 5,      /* leaf without any EKU extension accepted */
    SIPMTLS_VERDICT_REJECTED = 6,             /* the server refused the client's answer */
    SIPMTLS_VERDICT_UNDETERMINED = 7,         /* the capture cannot tell */
    SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN = 8 /* TLS 1.3 without keys: a chain was sent and
                                                 accepted, its EKU is not visible */
} sipmtls_verdict;

#define SIPMTLS_VERDICT_MAX SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN

/* Why a verdict is UNDETERMINED or REJECTED beyond the alert itself. */
typedef enum sipmtls_reason {
    SIPMTLS_REASON_NONE = 0,
    SIPMTLS_REASON_ALERT,             /* alert_desc says which */
    SIPMTLS_REASON_ENCRYPTED_ALERT,   /* an alert that could not be read */
    SIPMTLS_REASON_CLOSE_NOTIFY,      /* closed with close_notify, no error alert */
    SIPMTLS_REASON_FIN,               /* TCP FIN, no alert */
    SIPMTLS_REASON_RST,               /* TCP RST, no alert */
    SIPMTLS_REASON_ENCRYPTED,         /* TLS 1.3 handshake not decrypted */
    SIPMTLS_REASON_RESUMED,           /* session resumption: no certificates exchanged */
    SIPMTLS_REASON_CLIENT_ABORTED,    /* the client gave up (alert or close) */
    /* What the capture lacks (issue 11): each makes the verdict undetermined. */
    SIPMTLS_REASON_NOT_CAPTURED,      /* no handshake message: the capture starts after it */
    SIPMTLS_REASON_START_NOT_CAPTURED,/* no ServerHello: the capture starts within the handshake */
    SIPMTLS_REASON_SEGMENT_LOST,      /* a TCP segment that could hold the answer is missing
                                         (gap_frame says before which frame) */
    SIPMTLS_REASON_CAPTURE_ENDS,      /* the capture ends before the outcome */
    SIPMTLS_REASON_NO_PATTERN,        /* TLS 1.3 without keys: the client's flight fits no
                                         known pattern */
    SIPMTLS_REASON_BEFORE_SERVER_HELLO, /* ended before any ServerHello (refused at the
                                           ClientHello, or after a HelloRetryRequest) */
    SIPMTLS_REASON_FLIGHT_INCOMPLETE, /* the server's flight up to where a CertificateRequest
                                         would stand is not all in the capture */
    SIPMTLS_REASON_CLOSED_AFTER_REPLY /* the server closed after answering the client's flight
                                         (tickets, other bytes) but before any data */
} sipmtls_reason;

/* One handshake of a connection, as far as the capture showed it.  Frame
 * numbers are 0 when that step was not seen.  It lives as long as the
 * connection and keeps changing as later frames arrive, so a glue drawing a
 * frame on a later pass can link forward. */
typedef struct sipmtls_handshake {
    unsigned               index;          /* 1 for the first handshake */
    sipmtls_handshake_kind kind;
    uint16_t               version;        /* from the ServerHello; 0 if unseen */
    uint32_t               start_frame;
    uint32_t               request_frame;
    sipmtls_request        request;
    uint32_t               answer_frame;
    sipmtls_answer         answer;
    const sipmtls_cert    *answer_leaf;    /* CHAIN only: the client's leaf ... */
    unsigned               answer_n_certs; /* ... and the answer_n_certs stored after it */
    uint32_t               finished_frame[2];  /* per direction */
    uint32_t               outcome_frame;
    sipmtls_outcome        outcome;
    uint8_t                alert_desc;
    sipmtls_verdict        verdict;
    sipmtls_reason         reason;
    uint32_t               verdict_frame;
    /* Progress marks the state machine needs; see conn.c. */
    bool                   server_cert_seen;
    bool                   server_done;        /* server's first flight is over */
    bool                   ccs_seen[2];
    bool                   client_flight_sent; /* the client answered or finished */
    bool                   hidden;             /* TLS 1.3 and nothing past the hellos readable */
    /* TLS 1.3 without keys: what the record sizes say (sipmtls_infer.h). */
    uint16_t               cipher_suite;
    bool                   psk;
    bool                   early_data;         /* client records before the ServerHello */
    uint16_t               server_flight[SIPMTLS_MAX_FLIGHT_RECORDS]; /* before the client's */
    unsigned               n_server_flight;
    bool                   server_flight_truncated;
    uint16_t               flight[SIPMTLS_MAX_FLIGHT_RECORDS];
    unsigned               n_flight;
    bool                   flight_read;        /* the client's flight has been read */
    uint32_t               flight_frame;
    sipmtls_tristate       inferred_request;
    sipmtls_tristate       inferred_chain;
    const char            *inference;          /* why, in one sentence; "" before */
    bool                   inferred;           /* the verdict rests on record sizes */
    /* Completed after a request: waiting for the server's first data. */
    uint32_t               completed_frame;
    bool                   awaiting_server_data;
    bool                   client_data_after_completion;
    bool                   server_replied;     /* the server sent something after the
                                                  client's flight (TLS 1.3 tickets, bytes) */
    /* What the capture holds of it: a "no request" needs the server's whole
     * flight, from its ServerHello to where a request would stand. */
    bool                   messages_seen;      /* any readable handshake message */
    bool                   client_hello_seen;
    bool                   hello_retry_seen;
    bool                   server_hello_seen;  /* the ServerHello proper (not a retry) */
    bool                   encrypted_extensions_seen;
    bool                   server_flight_done; /* ServerHelloDone (TLS 1.2), or the server's
                                                  Finished after EncryptedExtensions (1.3) */
    /* First frame before which a segment went missing, per thing it hides;
     * 0 when none did. */
    uint32_t               flight_gap;         /* within the server's flight */
    uint32_t               inference_gap;      /* TLS 1.3 without keys: before the client's
                                                  flight was read */
    uint32_t               answer_gap;         /* client bytes after the request, before its
                                                  answer was seen */
    uint32_t               reply_gap;          /* server bytes after the client's flight */
    uint32_t               gap_frame;          /* the one the verdict rests on */
    bool                   answer_hidden;      /* the client sent handshake records after
                                                  the request that could not be read */
} sipmtls_handshake;

/* The name of a handshake message type ("ServerHelloDone"), or NULL. */
extern const sipmtls_named_value sipmtls_hs_type_names[];

/* The first SIP request of a connection. */
typedef struct sipmtls_sip {
    uint32_t    frame;
    const char *method;
    const char *call_id;
    const char *from;
    const char *to;
} sipmtls_sip;

typedef enum sipmtls_finding_kind {
    SIPMTLS_FINDING_HANDSHAKE_START = 1, /* a handshake begins (drawn by nobody; counted) */
    SIPMTLS_FINDING_CERT_REQUEST,        /* a CertificateRequest: mutual TLS asked for */
    SIPMTLS_FINDING_CERTIFICATE,         /* a Certificate message and its chain */
    SIPMTLS_FINDING_INFERENCE,           /* TLS 1.3 without keys: the client's flight was read */
    SIPMTLS_FINDING_VERDICT,             /* the handshake's outcome and verdict are settled */
    SIPMTLS_FINDING_SIP                  /* the connection's first SIP request */
} sipmtls_finding_kind;

typedef struct sipmtls_finding {
    sipmtls_finding_kind     kind;
    sipmtls_dir              dir;          /* direction of what was seen */
    sipmtls_role             sender;       /* role of the side that sent it */
    const sipmtls_handshake *handshake;    /* the handshake it belongs to, if any */
    /* SIPMTLS_FINDING_CERTIFICATE only: */
    sipmtls_cert            *certs;        /* n_certs entries, leaf first */
    unsigned                 n_certs;      /* stored */
    unsigned                 n_certs_seen; /* in the message */
    int                      client_auth_index; /* first cert with clientAuth, or -1 */
    /* SIPMTLS_FINDING_VERDICT: a copy, as settled on this frame */
    sipmtls_outcome          outcome;
    sipmtls_verdict          verdict;
    sipmtls_reason           reason;
    uint8_t                  alert_desc;
    bool                     inferred;     /* the verdict rests on record sizes */
    uint32_t                 gap_frame;    /* SIPMTLS_REASON_SEGMENT_LOST: lost before this frame */
    bool                     at_end;       /* settled at the end of the capture, not by a frame
                                              (sipmtls_settle_at_end) */
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

/* Feeds one event, seen in direction dir, in capture order (within a frame:
 * handshake messages, then ChangeCipherSpec, encrypted handshake records,
 * application data, alerts, TCP FIN/RST, SIP).  Appends what it shows to
 * report (which the caller zeroed for the frame); everything kept is copied,
 * bounded, with the connection's allocator. */
void sipmtls_conn_feed(sipmtls_conn *conn, sipmtls_dir dir, const sipmtls_event *ev,
                       sipmtls_frame_report *report);

/* Convenience for a readable handshake message: sipmtls_conn_feed with a
 * SIPMTLS_EV_HANDSHAKE event in frame 0. */
void sipmtls_conn_observe(sipmtls_conn *conn, sipmtls_dir dir,
                          const sipmtls_handshake_obs *msg,
                          sipmtls_frame_report *report);

/* The handshakes followed so far (at most SIPMTLS_MAX_HANDSHAKES), oldest
 * first, and how many began in all. */
const sipmtls_handshake *sipmtls_conn_handshake(const sipmtls_conn *conn, unsigned i);
unsigned sipmtls_conn_n_handshakes(const sipmtls_conn *conn);
unsigned sipmtls_conn_n_handshakes_seen(const sipmtls_conn *conn);

/* How the roles were learnt: the handshake message (a sipmtls_hs_type) and
 * the frame that proved them.  False while the roles are unknown. */
bool sipmtls_conn_role_evidence(const sipmtls_conn *conn, uint8_t *type, uint32_t *frame);

/* The connection's first SIP request, or NULL. */
const sipmtls_sip *sipmtls_conn_sip(const sipmtls_conn *conn);

/* The verdict that matters most for the connection: a rejection over a
 * reliance on clientAuth over the rest; NONE when nothing is settled. */
sipmtls_verdict sipmtls_conn_verdict(const sipmtls_conn *conn);

/* A handshake still without a verdict when the capture has ended: fills f
 * with the verdict it gets then (undetermined, the capture ends before the
 * outcome) and returns true; false when h already has its verdict.  In one
 * pass nothing knows the capture has ended: the statistics and a second
 * pass (the report) call this. */
bool sipmtls_settle_at_end(const sipmtls_handshake *h, sipmtls_finding *f);

/* True when the report has at least one finding of this kind. */
bool sipmtls_report_has(const sipmtls_frame_report *report,
                        sipmtls_finding_kind kind);

/* True when some finding in the report is a chain with clientAuth. */
bool sipmtls_report_has_client_auth(const sipmtls_frame_report *report);

/* Names, for people: "Client certificate with clientAuth accepted", ...
 * The tables hold the same names, by value. */
extern const sipmtls_named_value sipmtls_verdict_names[];
extern const sipmtls_named_value sipmtls_outcome_names[];
extern const sipmtls_named_value sipmtls_reason_names[];
extern const sipmtls_named_value sipmtls_handshake_kind_names[];
const char *sipmtls_verdict_name(sipmtls_verdict v);
const char *sipmtls_outcome_name(sipmtls_outcome o);

/* What a support engineer should change on the TLS server's side, in one
 * sentence, for a verdict. */
const char *sipmtls_verdict_advice(sipmtls_verdict v);

/* How much a verdict matters when several describe one connection or one
 * endpoint: higher wins (a rejection over a reliance on clientAuth over
 * the rest; 0 for NONE). */
int sipmtls_verdict_weight(sipmtls_verdict v);

/* True for the verdicts that show an endpoint relying on or enforcing
 * clientAuth: it accepted a certificate with clientAuth, or refused one. */
bool sipmtls_verdict_depends_on_client_auth(sipmtls_verdict v);

#ifdef __cplusplus
}
#endif

#endif /* SIPMTLS_H */
