/* conn.c
 * One TLS connection as the core follows it: roles, handshakes, the client
 * certificate exchange of each handshake, its outcome and its verdict.
 *
 * Roles.  Whoever sends a ClientHello is the TLS client; whoever sends a
 * ServerHello (or any message only a server sends) is the TLS server; the
 * other direction gets the other role.  The first evidence wins, so a hostile
 * capture cannot flip the roles half-way.
 *
 * Handshakes.  A ClientHello opens the initial handshake, or a TLS 1.2
 * renegotiation once a handshake has completed; a ClientHello before the
 * server has shown its certificate continues the same handshake (a
 * HelloRetryRequest).  A CertificateRequest after a completed TLS 1.3
 * handshake opens a post-handshake authentication.  At most
 * SIPMTLS_MAX_HANDSHAKES are followed; later ones are counted only.
 *
 * Each handshake then moves through these steps (RFC 5246 7.3, RFC 8446 2):
 *   request   the server's CertificateRequest, if any;
 *   answer    the client's Certificate: a chain, empty, or none at all;
 *   Finished  per direction: a readable Finished, or (TLS 1.2 without keys)
 *             the first handshake record after that side's ChangeCipherSpec;
 *   outcome   COMPLETED when both Finished were seen (TLS 1.2), or when the
 *             server sends anything but an alert after the client's Finished
 *             (TLS 1.3, where the server's Finished comes before the client
 *             authenticates), or when application data flowed both ways;
 *             SERVER_ALERT on an error alert from the server; SERVER_CLOSED
 *             when the server closes (close_notify, FIN, RST) first;
 *             CLIENT_ABORTED when the client does either.
 * The outcome settles the verdict (decide_verdict) on the outcome's frame,
 * but for a completed handshake in which a certificate was requested: many
 * servers look at the certificate's purpose in the application, once TLS is
 * done, and drop the connection without an alert.  Such a handshake is
 * settled by the server's first application data (accepted), or by the
 * server closing first (rejected after the handshake).
 * A TLS 1.3 handshake that Wireshark cannot decrypt shows nothing past the
 * hellos but the lengths of its records: the client's flight is read from
 * them (infer.c), and the server's first record after it tells an alert
 * from anything else.  Such verdicts are marked inferred; a handshake whose
 * records fit no known pattern is settled as undetermined when the
 * connection closes.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipmtls.h"
#include "sipmtls_tls.h"
#include "sipmtls_x509.h"

#include <stdio.h>
#include <string.h>

struct sipmtls_conn {
    const sipmtls_allocator *alloc;
    sipmtls_role             role[2];   /* indexed by sipmtls_dir */
    uint8_t                  role_type; /* the message that taught the roles */
    uint32_t                 role_frame;
    sipmtls_handshake       *hs[SIPMTLS_MAX_HANDSHAKES];
    unsigned                 n_hs;      /* stored */
    unsigned                 n_hs_seen; /* begun, stored or not */
    bool                     app_data[2];
    uint32_t                 gap[2];    /* first frame before which bytes sent in that
                                           direction were lost; 0: none */
    sipmtls_sip             *sip;
};

/* ---- memory ------------------------------------------------------------ */

static void *
alloc0(const sipmtls_allocator *a, size_t size)
{
    return a->alloc(a->ctx, size);
}

/* A bounded copy of s; "" for NULL. */
static const char *
copy_text(const sipmtls_allocator *a, const char *s)
{
    size_t n;
    char *copy;

    if (s == NULL)
        return "";
    n = strnlen(s, SIPMTLS_MAX_TEXT - 1);
    copy = alloc0(a, n + 1);
    memcpy(copy, s, n);
    return copy;
}

/* ---- roles ------------------------------------------------------------- */

/* Which role a handshake message proves its sender has.  Certificate,
 * CertificateVerify and Finished are sent by both sides: they prove nothing. */
static sipmtls_role
sender_role_of(uint8_t type)
{
    switch (type) {
    case SIPMTLS_HS_CLIENT_HELLO:
    case SIPMTLS_HS_CLIENT_KEY_EXCHANGE:
    case SIPMTLS_HS_END_OF_EARLY_DATA:
        return SIPMTLS_ROLE_CLIENT;
    case SIPMTLS_HS_HELLO_REQUEST:
    case SIPMTLS_HS_SERVER_HELLO:
    case SIPMTLS_HS_NEW_SESSION_TICKET:
    case SIPMTLS_HS_ENCRYPTED_EXTENSIONS:
    case SIPMTLS_HS_SERVER_KEY_EXCHANGE:
    case SIPMTLS_HS_CERTIFICATE_REQUEST:
    case SIPMTLS_HS_SERVER_HELLO_DONE:
        return SIPMTLS_ROLE_SERVER;
    default:
        return SIPMTLS_ROLE_UNKNOWN;
    }
}

/* Learns the roles from a message only one side sends.  A Certificate
 * seen earlier in the same frame (a client's flight read from its middle:
 * Certificate, then ClientKeyExchange) gets its sender now, so its
 * clientAuth warning is raised on the side that is certain. */
static void
learn_roles(sipmtls_conn *conn, sipmtls_dir dir, uint8_t type, uint32_t frame,
            sipmtls_frame_report *report)
{
    sipmtls_role r = sender_role_of(type);

    if (r == SIPMTLS_ROLE_UNKNOWN || conn->role[dir] != SIPMTLS_ROLE_UNKNOWN
        || conn->role[!dir] != SIPMTLS_ROLE_UNKNOWN)
        return;
    conn->role[dir] = r;
    conn->role[!dir] = r == SIPMTLS_ROLE_CLIENT ? SIPMTLS_ROLE_SERVER : SIPMTLS_ROLE_CLIENT;
    conn->role_type = type;
    conn->role_frame = frame;
    for (unsigned i = 0; i < report->n_findings; i++) {
        sipmtls_finding *f = &report->findings[i];
        if (f->sender == SIPMTLS_ROLE_UNKNOWN)
            f->sender = conn->role[f->dir];
    }
}

bool
sipmtls_conn_role_evidence(const sipmtls_conn *conn, uint8_t *type, uint32_t *frame)
{
    if (conn->role[0] == SIPMTLS_ROLE_UNKNOWN)
        return false;
    if (type != NULL)
        *type = conn->role_type;
    if (frame != NULL)
        *frame = conn->role_frame;
    return true;
}

sipmtls_conn *
sipmtls_conn_new(const sipmtls_allocator *alloc)
{
    sipmtls_conn *conn = alloc0(alloc, sizeof *conn);
    conn->alloc = alloc;
    return conn;
}

sipmtls_role
sipmtls_conn_role(const sipmtls_conn *conn, sipmtls_dir dir)
{
    return conn->role[dir & 1];
}

static bool
is_client(const sipmtls_conn *conn, sipmtls_dir dir)
{
    return conn->role[dir] == SIPMTLS_ROLE_CLIENT;
}

static bool
is_server(const sipmtls_conn *conn, sipmtls_dir dir)
{
    return conn->role[dir] == SIPMTLS_ROLE_SERVER;
}

/* The direction the client sends in; only meaningful once roles are known. */
static sipmtls_dir
client_dir(const sipmtls_conn *conn)
{
    return conn->role[SIPMTLS_DIR_A_TO_B] == SIPMTLS_ROLE_CLIENT ? SIPMTLS_DIR_A_TO_B
                                                                  : SIPMTLS_DIR_B_TO_A;
}

/* ---- findings ---------------------------------------------------------- */

static sipmtls_finding *
new_finding(sipmtls_frame_report *report, sipmtls_finding_kind kind,
            const sipmtls_conn *conn, sipmtls_dir dir, const sipmtls_handshake *hs)
{
    sipmtls_finding *f;

    if (report->n_findings >= SIPMTLS_MAX_FINDINGS_PER_FRAME) {
        report->n_dropped++;
        return NULL;
    }
    f = &report->findings[report->n_findings++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->dir = dir;
    f->sender = conn->role[dir];
    f->handshake = hs;
    f->client_auth_index = -1;
    return f;
}

bool
sipmtls_report_has(const sipmtls_frame_report *report, sipmtls_finding_kind kind)
{
    for (unsigned i = 0; i < report->n_findings; i++) {
        if (report->findings[i].kind == kind)
            return true;
    }
    return false;
}

bool
sipmtls_report_has_client_auth(const sipmtls_frame_report *report)
{
    for (unsigned i = 0; i < report->n_findings; i++) {
        if (report->findings[i].kind == SIPMTLS_FINDING_CERTIFICATE
            && report->findings[i].client_auth_index >= 0)
            return true;
    }
    return false;
}

/* ---- handshakes -------------------------------------------------------- */

/* The handshake in progress or last seen; NULL before any, or when the
 * current one is past SIPMTLS_MAX_HANDSHAKES and not followed. */
static sipmtls_handshake *
current(const sipmtls_conn *conn)
{
    if (conn->n_hs == 0 || conn->n_hs != conn->n_hs_seen)
        return NULL;
    return conn->hs[conn->n_hs - 1];
}

static sipmtls_handshake *
begin_handshake(sipmtls_conn *conn, sipmtls_handshake_kind kind, uint32_t frame,
                sipmtls_dir dir, sipmtls_frame_report *report)
{
    sipmtls_handshake *prev = current(conn);
    sipmtls_handshake *h;

    conn->n_hs_seen++;
    if (conn->n_hs >= SIPMTLS_MAX_HANDSHAKES)
        return NULL;
    h = alloc0(conn->alloc, sizeof *h);
    h->index = conn->n_hs_seen;
    h->kind = kind;
    h->start_frame = frame;
    /* Post-handshake authentication continues the TLS 1.3 session. */
    if (kind == SIPMTLS_HANDSHAKE_POST_HANDSHAKE && prev != NULL)
        h->version = prev->version;
    conn->hs[conn->n_hs++] = h;
    new_finding(report, SIPMTLS_FINDING_HANDSHAKE_START, conn, dir, h);
    return h;
}

const sipmtls_handshake *
sipmtls_conn_handshake(const sipmtls_conn *conn, unsigned i)
{
    return i < conn->n_hs ? conn->hs[i] : NULL;
}

unsigned
sipmtls_conn_n_handshakes(const sipmtls_conn *conn)
{
    return conn->n_hs;
}

unsigned
sipmtls_conn_n_handshakes_seen(const sipmtls_conn *conn)
{
    return conn->n_hs_seen;
}

const sipmtls_sip *
sipmtls_conn_sip(const sipmtls_conn *conn)
{
    return conn->sip;
}

static bool
is_tls13(const sipmtls_handshake *h)
{
    return h->version == SIPMTLS_TLS_1_3;
}

/* A session resumed without certificates: the server finished (TLS 1.3)
 * or changed ciphers (TLS 1.2) before it ever showed a certificate. */
static bool
was_resumed(const sipmtls_conn *conn, const sipmtls_handshake *h)
{
    sipmtls_dir sdir = (sipmtls_dir)!client_dir(conn);

    if (h->kind != SIPMTLS_HANDSHAKE_INITIAL || h->server_cert_seen || h->request_frame)
        return false;
    return h->finished_frame[sdir] != 0 || (!is_tls13(h) && h->ccs_seen[sdir]);
}

static sipmtls_verdict
verdict_of_accepted_chain(const sipmtls_cert *leaf)
{
    if (leaf == NULL)
        return SIPMTLS_VERDICT_UNDETERMINED;
    if (leaf->client_auth)
        return SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED;
    if (!leaf->has_eku_extension)
        return SIPMTLS_VERDICT_NO_EKU_ACCEPTED;
    return SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED;
}

/* The verdict of a handshake whose outcome is known. */
/* Whether the server asked this handshake's client for a certificate, as
 * read from the messages or inferred from record sizes. */
static bool
asked_for_certificate(const sipmtls_handshake *h)
{
    return h->request_frame != 0 || (h->inferred && h->inferred_request == SIPMTLS_YES);
}

/* Undetermined because of the segment lost before frame gap. */
static sipmtls_verdict
lost(sipmtls_handshake *h, uint32_t gap, sipmtls_reason *reason)
{
    h->gap_frame = gap;
    *reason = SIPMTLS_REASON_SEGMENT_LOST;
    return SIPMTLS_VERDICT_UNDETERMINED;
}

static sipmtls_verdict
undetermined(sipmtls_reason why, sipmtls_reason *reason)
{
    *reason = why;
    return SIPMTLS_VERDICT_UNDETERMINED;
}

/* The verdict of a TLS 1.3 handshake read from record sizes. */
static sipmtls_verdict
decide_inferred_verdict(sipmtls_handshake *h, sipmtls_reason *reason)
{
    /* read_client_flight() gives no reading over a lost segment. */
    if (h->inferred_request == SIPMTLS_NO)
        return SIPMTLS_VERDICT_NO_REQUEST;
    if (h->inferred_request != SIPMTLS_YES) {
        if (h->psk)
            return undetermined(SIPMTLS_REASON_RESUMED, reason);
        if (h->inference_gap != 0)
            return lost(h, h->inference_gap, reason);
        return undetermined(SIPMTLS_REASON_NO_PATTERN, reason);
    }
    switch (h->outcome) {
    case SIPMTLS_OUTCOME_COMPLETED:
        return h->inferred_chain == SIPMTLS_YES ? SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN
                                                : SIPMTLS_VERDICT_OPTIONAL_NONE_SENT;
    case SIPMTLS_OUTCOME_SERVER_ALERT:
    case SIPMTLS_OUTCOME_SERVER_CLOSED:
        if (h->reply_gap != 0)
            return lost(h, h->reply_gap, reason);
        if (h->outcome == SIPMTLS_OUTCOME_SERVER_CLOSED && h->server_replied)
            return undetermined(SIPMTLS_REASON_CLOSED_AFTER_REPLY, reason);
        return SIPMTLS_VERDICT_REJECTED;
    default:
        *reason = SIPMTLS_REASON_CLIENT_ABORTED;
        return SIPMTLS_VERDICT_UNDETERMINED;
    }
}

/* No CertificateRequest was seen: "no request" only when the capture holds
 * the server's whole flight up to where one would stand, else why not. */
static sipmtls_verdict
decide_without_request(const sipmtls_conn *conn, sipmtls_handshake *h, sipmtls_reason *reason)
{
    if (!h->server_hello_seen) {
        if (!h->messages_seen)
            return undetermined(SIPMTLS_REASON_NOT_CAPTURED, reason);
        if (!h->client_hello_seen)
            return undetermined(SIPMTLS_REASON_START_NOT_CAPTURED, reason);
        if (h->flight_gap != 0)
            return lost(h, h->flight_gap, reason);   /* the ServerHello may be in it */
        return undetermined(SIPMTLS_REASON_BEFORE_SERVER_HELLO, reason);
    }
    if (h->flight_gap != 0)
        return lost(h, h->flight_gap, reason);
    if (was_resumed(conn, h))
        return undetermined(SIPMTLS_REASON_RESUMED, reason);
    if (!h->server_flight_done)
        return undetermined(SIPMTLS_REASON_FLIGHT_INCOMPLETE, reason);
    return SIPMTLS_VERDICT_NO_REQUEST;
}

static sipmtls_verdict
decide_verdict(const sipmtls_conn *conn, sipmtls_handshake *h, sipmtls_reason *reason)
{
    if (h->inferred)
        return decide_inferred_verdict(h, reason);
    if (h->request_frame == 0)
        return decide_without_request(conn, h, reason);
    switch (h->outcome) {
    case SIPMTLS_OUTCOME_COMPLETED:
        if (h->answer == SIPMTLS_ANSWER_CHAIN)
            return verdict_of_accepted_chain(h->answer_leaf);
        /* The client's Certificate may be in what the capture lost, or in
         * a record that could not be decrypted (after a lost segment of
         * the client's, the records that follow cannot be). */
        if (h->answer == SIPMTLS_ANSWER_NONE && h->answer_gap != 0)
            return lost(h, h->answer_gap, reason);
        if (h->answer == SIPMTLS_ANSWER_NONE && h->answer_hidden) {
            if (conn->gap[client_dir(conn)] != 0)
                return lost(h, conn->gap[client_dir(conn)], reason);
            return undetermined(SIPMTLS_REASON_ENCRYPTED, reason);
        }
        return SIPMTLS_VERDICT_OPTIONAL_NONE_SENT;
    case SIPMTLS_OUTCOME_SERVER_ALERT:
    case SIPMTLS_OUTCOME_SERVER_CLOSED:
        /* Only a refusal after the client answered is about its certificate;
         * a server that gives up earlier objects to something else.  What
         * the server sent in a lost segment may have been its acceptance,
         * and a close after the server answered is no refusal. */
        if (h->reply_gap != 0)
            return lost(h, h->reply_gap, reason);
        if (h->outcome == SIPMTLS_OUTCOME_SERVER_CLOSED && h->server_replied)
            return undetermined(SIPMTLS_REASON_CLOSED_AFTER_REPLY, reason);
        if (h->client_flight_sent || h->answer != SIPMTLS_ANSWER_NONE)
            return SIPMTLS_VERDICT_REJECTED;
        if (h->answer_gap != 0)
            return lost(h, h->answer_gap, reason);
        return SIPMTLS_VERDICT_UNDETERMINED;
    case SIPMTLS_OUTCOME_CLIENT_ABORTED:
        *reason = SIPMTLS_REASON_CLIENT_ABORTED;
        return SIPMTLS_VERDICT_UNDETERMINED;
    default:
        return SIPMTLS_VERDICT_NONE;
    }
}

/* Settles h's verdict on this frame, its outcome being known. */
static void
settle_verdict(sipmtls_conn *conn, sipmtls_handshake *h, uint32_t frame, sipmtls_dir dir,
               sipmtls_frame_report *report)
{
    sipmtls_finding *f;

    h->awaiting_server_data = false;
    h->verdict = decide_verdict(conn, h, &h->reason);
    h->verdict_frame = frame;
    f = new_finding(report, SIPMTLS_FINDING_VERDICT, conn, dir, h);
    if (f != NULL) {
        f->outcome = h->outcome;
        f->verdict = h->verdict;
        f->reason = h->reason;
        f->alert_desc = h->alert_desc;
        f->inferred = h->inferred;
        f->gap_frame = h->reason == SIPMTLS_REASON_SEGMENT_LOST ? h->gap_frame : 0;
    }
}

/* Records the outcome of h on this frame and settles its verdict.  A
 * completed handshake in which the server asked for a certificate is
 * settled only when the server sends application data: many servers check
 * the certificate's purpose in the application, after TLS has finished
 * (pjsip with verify_client, for one), and close the connection instead. */
static void
settle(sipmtls_conn *conn, sipmtls_handshake *h, sipmtls_outcome outcome,
       sipmtls_reason reason, uint8_t alert_desc, uint32_t frame, sipmtls_dir dir,
       sipmtls_frame_report *report)
{
    if (h == NULL || h->outcome != SIPMTLS_OUTCOME_UNKNOWN || h->verdict != SIPMTLS_VERDICT_NONE)
        return;
    h->outcome = outcome;
    h->outcome_frame = frame;
    h->alert_desc = alert_desc;
    h->reason = reason;
    if (outcome == SIPMTLS_OUTCOME_COMPLETED && asked_for_certificate(h)) {
        h->completed_frame = frame;
        h->awaiting_server_data = true;
        return;
    }
    settle_verdict(conn, h, frame, dir, report);
}

/* A handshake whose encrypted part cannot be read: nothing more will be
 * learnt about it, so it is settled as undetermined. */
static void
settle_hidden(sipmtls_conn *conn, sipmtls_handshake *h, uint32_t frame, sipmtls_dir dir,
              sipmtls_frame_report *report)
{
    sipmtls_finding *f;

    if (h == NULL || h->verdict != SIPMTLS_VERDICT_NONE)
        return;
    h->reason = SIPMTLS_REASON_ENCRYPTED;
    if (h->inference_gap != 0) {
        h->reason = SIPMTLS_REASON_SEGMENT_LOST;
        h->gap_frame = h->inference_gap;
    }
    h->verdict = SIPMTLS_VERDICT_UNDETERMINED;
    h->verdict_frame = frame;
    f = new_finding(report, SIPMTLS_FINDING_VERDICT, conn, dir, h);
    if (f != NULL) {
        f->verdict = h->verdict;
        f->reason = h->reason;
        f->gap_frame = h->reason == SIPMTLS_REASON_SEGMENT_LOST ? h->gap_frame : 0;
    }
}

static void
complete(sipmtls_conn *conn, sipmtls_handshake *h, uint32_t frame, sipmtls_dir dir,
         sipmtls_frame_report *report)
{
    settle(conn, h, SIPMTLS_OUTCOME_COMPLETED, SIPMTLS_REASON_NONE, 0, frame, dir, report);
}

/* The server sent something other than an alert. */
static void
server_progress(sipmtls_conn *conn, sipmtls_handshake *h, uint32_t frame, sipmtls_dir dir,
                sipmtls_frame_report *report)
{
    if (h != NULL && h->finished_frame[client_dir(conn)] != 0
        && (is_tls13(h) || h->kind == SIPMTLS_HANDSHAKE_POST_HANDSHAKE)) {
        /* Tickets or data: the server answered the client's flight. */
        if (h->outcome == SIPMTLS_OUTCOME_UNKNOWN)
            h->server_replied = true;
        complete(conn, h, frame, dir, report);
    }
}

static void
finished(sipmtls_conn *conn, sipmtls_handshake *h, sipmtls_dir dir, uint32_t frame,
         sipmtls_frame_report *report)
{
    sipmtls_dir cdir = client_dir(conn);

    if (h == NULL || h->finished_frame[dir] != 0)
        return;
    h->finished_frame[dir] = frame;
    if (is_client(conn, dir))
        h->client_flight_sent = true;
    else if (is_server(conn, dir) && is_tls13(h) && h->encrypted_extensions_seen)
        h->server_flight_done = true;
    /* TLS 1.2: the handshake is complete once both sides have finished. */
    if (!is_tls13(h) && h->kind != SIPMTLS_HANDSHAKE_POST_HANDSHAKE
        && h->finished_frame[cdir] != 0 && h->finished_frame[!cdir] != 0)
        complete(conn, h, frame, dir, report);
}

/* The handshake a message from this side belongs to, beginning one when
 * the message opens a new handshake. */
static sipmtls_handshake *
handshake_for(sipmtls_conn *conn, sipmtls_dir dir, uint8_t type, uint32_t frame,
              sipmtls_frame_report *report)
{
    sipmtls_handshake *h = current(conn);
    bool over = h != NULL && h->outcome != SIPMTLS_OUTCOME_UNKNOWN;

    if (conn->n_hs_seen == 0) {
        /* The capture may begin after the ClientHello: any message opens. */
        return begin_handshake(conn, SIPMTLS_HANDSHAKE_INITIAL, frame, dir, report);
    }
    /* Records came first, then a ClientHello: the handshake before it is
     * not in the capture, this one is a renegotiation. */
    if (type == SIPMTLS_HS_CLIENT_HELLO && h != NULL && !h->messages_seen
        && h->verdict == SIPMTLS_VERDICT_NONE) {
        h->outcome = SIPMTLS_OUTCOME_UNKNOWN;
        settle_verdict(conn, h, frame, dir, report);
        return begin_handshake(conn, SIPMTLS_HANDSHAKE_RENEGOTIATION, frame, dir, report);
    }
    /* Past SIPMTLS_MAX_HANDSHAKES nothing is followed, every hello counted.
     * A handshake still waiting for the server's first data is settled
     * when the next one begins: the server carried on with the client
     * instead of dropping it. */
    /* A ClientHello after the server showed its certificate renegotiates
     * over the finished handshake, even when the capture lost its end. */
    if (type == SIPMTLS_HS_CLIENT_HELLO && h != NULL && !over && h->server_cert_seen
        && h->verdict == SIPMTLS_VERDICT_NONE) {
        complete(conn, h, frame, dir, report);
        over = true;
    }
    if (type == SIPMTLS_HS_CLIENT_HELLO && (over || h == NULL)) {
        if (h != NULL && h->awaiting_server_data)
            settle_verdict(conn, h, frame, dir, report);
        return begin_handshake(conn, SIPMTLS_HANDSHAKE_RENEGOTIATION, frame, dir, report);
    }
    if (type == SIPMTLS_HS_CERTIFICATE_REQUEST && over && is_tls13(h)) {
        if (h->awaiting_server_data)
            settle_verdict(conn, h, frame, dir, report);
        return begin_handshake(conn, SIPMTLS_HANDSHAKE_POST_HANDSHAKE, frame, dir, report);
    }
    return h;
}

static void
copy_cert(const sipmtls_allocator *a, sipmtls_cert *dst, const sipmtls_cert_obs *src)
{
    dst->subject = copy_text(a, src->subject);
    dst->issuer = copy_text(a, src->issuer);
    dst->has_eku_extension = src->has_eku_extension;
    dst->not_before = src->not_before;
    dst->not_after = src->not_after;
    if (src->authority_key_id != NULL && src->authority_key_id_len <= SIPMTLS_MAX_KEY_ID) {
        memcpy(dst->authority_key_id, src->authority_key_id, src->authority_key_id_len);
        dst->authority_key_id_len = src->authority_key_id_len;
    }
    dst->n_ekus_seen = src->ekus ? src->n_ekus : 0;
    for (unsigned i = 0; i < dst->n_ekus_seen; i++) {
        const char *oid = src->ekus[i];
        if (oid == NULL)
            continue;
        /* clientAuth counts wherever it sits in the list, even past the
         * part that is stored. */
        if (strcmp(oid, SIPMTLS_OID_KP_CLIENT_AUTH) == 0)
            dst->client_auth = true;
        if (dst->n_ekus < SIPMTLS_MAX_EKUS_PER_CERT)
            dst->ekus[dst->n_ekus++] = copy_text(a, oid);
    }
}

static sipmtls_finding *
record_certificate(sipmtls_conn *conn, sipmtls_dir dir, const sipmtls_handshake *h,
                   const sipmtls_handshake_obs *msg, sipmtls_frame_report *report)
{
    sipmtls_finding *f = new_finding(report, SIPMTLS_FINDING_CERTIFICATE, conn, dir, h);
    unsigned n;

    if (f == NULL)
        return NULL;
    n = msg->certs ? msg->n_certs : 0;
    if (n > SIPMTLS_MAX_CERTS_PER_MSG)
        n = SIPMTLS_MAX_CERTS_PER_MSG;
    f->n_certs_seen = msg->n_certs_listed > n ? msg->n_certs_listed : n;
    if (n > 0)
        f->certs = alloc0(conn->alloc, n * sizeof *f->certs);
    for (unsigned i = 0; i < n; i++) {
        copy_cert(conn->alloc, &f->certs[i], &msg->certs[i]);
        if (f->certs[i].client_auth && f->client_auth_index < 0)
            f->client_auth_index = (int)i;
    }
    f->n_certs = n;
    return f;
}

static void
copy_request(const sipmtls_allocator *a, sipmtls_request *dst, const sipmtls_handshake_obs *msg)
{
    for (unsigned i = 0; msg->cert_types && i < msg->n_cert_types
                         && dst->n_cert_types < SIPMTLS_MAX_REQUEST_CERT_TYPES; i++)
        dst->cert_types[dst->n_cert_types++] = msg->cert_types[i];
    for (unsigned i = 0; msg->sig_algs && i < msg->n_sig_algs
                         && dst->n_sig_algs < SIPMTLS_MAX_REQUEST_SIG_ALGS; i++)
        dst->sig_algs[dst->n_sig_algs++] = msg->sig_algs[i];
    dst->n_ca_names_seen = msg->ca_names ? msg->n_ca_names : 0;
    for (unsigned i = 0; i < dst->n_ca_names_seen && dst->n_ca_names < SIPMTLS_MAX_REQUEST_CAS; i++)
        dst->ca_names[dst->n_ca_names++] = copy_text(a, msg->ca_names[i]);
}

static void
on_handshake(sipmtls_conn *conn, sipmtls_dir dir, const sipmtls_handshake_obs *msg,
             uint32_t frame, sipmtls_frame_report *report)
{
    sipmtls_handshake *h;
    sipmtls_finding *f;

    learn_roles(conn, dir, msg->type, frame, report);
    h = handshake_for(conn, dir, msg->type, frame, report);
    if (h != NULL && h->hidden && msg->type != SIPMTLS_HS_CLIENT_HELLO
        && msg->type != SIPMTLS_HS_SERVER_HELLO)
        h->hidden = false;   /* the encrypted part is readable after all */
    if (h != NULL)
        h->messages_seen = true;

    switch (msg->type) {
    case SIPMTLS_HS_CLIENT_HELLO:
        if (h != NULL)
            h->client_hello_seen = true;
        break;
    case SIPMTLS_HS_SERVER_HELLO:
        if (h != NULL && msg->hello_retry)
            h->hello_retry_seen = true;
        else if (h != NULL && is_server(conn, dir))
            h->server_hello_seen = true;
        if (h != NULL && !msg->hello_retry && msg->version != 0) {
            h->version = msg->version;
            h->hidden = is_tls13(h);
            h->cipher_suite = msg->cipher_suite;
            h->psk = msg->psk;
        }
        break;
    case SIPMTLS_HS_ENCRYPTED_EXTENSIONS:
        if (h != NULL && is_server(conn, dir))
            h->encrypted_extensions_seen = true;
        break;
    case SIPMTLS_HS_CERTIFICATE_REQUEST:
        f = new_finding(report, SIPMTLS_FINDING_CERT_REQUEST, conn, dir, h);
        (void)f;
        /* A settled handshake learns nothing new. */
        if (h != NULL && h->request_frame == 0 && h->outcome == SIPMTLS_OUTCOME_UNKNOWN) {
            h->request_frame = frame;
            copy_request(conn->alloc, &h->request, msg);
        }
        break;
    case SIPMTLS_HS_SERVER_HELLO_DONE:
        if (h != NULL) {
            h->server_done = true;
            if (is_server(conn, dir) && !is_tls13(h))
                h->server_flight_done = true;
        }
        break;
    case SIPMTLS_HS_CERTIFICATE:
        f = record_certificate(conn, dir, h, msg, report);
        if (h == NULL)
            break;
        if (is_server(conn, dir)) {
            h->server_cert_seen = true;
        } else if (is_client(conn, dir) && h->request_frame != 0
                   && h->answer == SIPMTLS_ANSWER_NONE && h->outcome == SIPMTLS_OUTCOME_UNKNOWN) {
            h->answer_frame = frame;
            h->client_flight_sent = true;
            if (f != NULL && f->n_certs_seen > 0) {
                h->answer = SIPMTLS_ANSWER_CHAIN;
                h->answer_leaf = f->n_certs > 0 ? &f->certs[0] : NULL;
                h->answer_n_certs = f->n_certs;
            } else {
                h->answer = SIPMTLS_ANSWER_EMPTY;
            }
        }
        break;
    case SIPMTLS_HS_CLIENT_KEY_EXCHANGE:
        if (h != NULL && is_client(conn, dir))
            h->client_flight_sent = true;
        break;
    case SIPMTLS_HS_FINISHED:
        finished(conn, h, dir, frame, report);
        break;
    case SIPMTLS_HS_NEW_SESSION_TICKET:
        if (is_server(conn, dir))
            server_progress(conn, h, frame, dir, report);
        /* TLS 1.2 sends its ticket just before the server's Finished, once
         * it has accepted the client's flight. */
        if (h != NULL && !is_tls13(h) && h->finished_frame[client_dir(conn)] != 0)
            complete(conn, h, frame, dir, report);
        break;
    default:
        break;
    }
}

static void
on_app_data(sipmtls_conn *conn, sipmtls_dir dir, uint32_t frame, sipmtls_frame_report *report)
{
    sipmtls_handshake *h = current(conn);

    conn->app_data[dir] = true;
    if (h == NULL)
        return;
    if (h->outcome == SIPMTLS_OUTCOME_UNKNOWN) {
        if (is_server(conn, dir))
            server_progress(conn, h, frame, dir, report);
        /* Application data both ways: whatever we missed, it went through. */
        if (conn->app_data[0] && conn->app_data[1] && !h->hidden)
            complete(conn, h, frame, dir, report);
    }
    /* Data from the server after a completed request: it accepted. */
    if (h->awaiting_server_data && is_server(conn, dir))
        settle_verdict(conn, h, frame, dir, report);
}

/* The side in dir closed or gave up before the handshake's outcome. */
static void
on_stop(sipmtls_conn *conn, sipmtls_dir dir, sipmtls_outcome by_server, sipmtls_reason reason,
        uint8_t alert_desc, uint32_t frame, sipmtls_frame_report *report)
{
    sipmtls_handshake *h = current(conn);

    if (h != NULL && h->awaiting_server_data) {
        /* The server ends it before sending any data: it refused the
         * client after the handshake, unless it had answered the client's
         * flight (TLS 1.3 tickets) or a lost segment may hold its data
         * (decide_verdict).  The client ending it first leaves the
         * handshake as accepted. */
        if (is_server(conn, dir)) {
            h->outcome = by_server;
            h->outcome_frame = frame;
            h->reason = reason;
            h->alert_desc = alert_desc;
        }
        settle_verdict(conn, h, frame, dir, report);
        return;
    }
    if (h == NULL || h->outcome != SIPMTLS_OUTCOME_UNKNOWN)
        return;
    /* Nothing of the handshake is in the capture, and it is ending:
     * whichever side this is, nothing more will be learnt. */
    if (!h->messages_seen && h->verdict == SIPMTLS_VERDICT_NONE) {
        settle_verdict(conn, h, frame, dir, report);
        return;
    }
    if (h->hidden && !h->inferred) {
        settle_hidden(conn, h, frame, dir, report);
        return;
    }
    if (is_server(conn, dir))
        settle(conn, h, by_server, reason, alert_desc, frame, dir, report);
    else if (is_client(conn, dir))
        settle(conn, h, SIPMTLS_OUTCOME_CLIENT_ABORTED, reason, alert_desc, frame, dir, report);
}

static void
on_alert(sipmtls_conn *conn, sipmtls_dir dir, uint8_t level, uint8_t desc, uint32_t frame,
         sipmtls_frame_report *report)
{
    if (desc == SIPMTLS_ALERT_CLOSE_NOTIFY || desc == SIPMTLS_ALERT_USER_CANCELED) {
        on_stop(conn, dir, SIPMTLS_OUTCOME_SERVER_CLOSED, SIPMTLS_REASON_CLOSE_NOTIFY, desc,
                frame, report);
        return;
    }
    /* Before TLS 1.3 a warning alert does not end the connection. */
    if (level == 1)
        return;
    on_stop(conn, dir, SIPMTLS_OUTCOME_SERVER_ALERT, SIPMTLS_REASON_ALERT, desc, frame, report);
}

/* Both flights as their record lengths show them. */
static sipmtls_flights
flights_of(const sipmtls_handshake *h, bool server_answered)
{
    sipmtls_flights f = { sipmtls_suite_find(h->cipher_suite), h->server_flight,
                          h->n_server_flight, h->server_flight_truncated, h->flight,
                          h->n_flight, server_answered };
    return f;
}

/* Reads the client's encrypted flight, once, and says so on its last frame
 * (or on the server's record that came in the middle of it). */
static void
read_client_flight(sipmtls_conn *conn, sipmtls_handshake *h, sipmtls_dir dir,
                   const uint16_t *length, uint32_t frame, sipmtls_frame_report *report)
{
    char why[SIPMTLS_MAX_TEXT];
    sipmtls_flight_reading r;
    sipmtls_flights f;

    if (length != NULL && h->n_flight < SIPMTLS_MAX_FLIGHT_RECORDS)
        h->flight[h->n_flight++] = *length;
    if (h->psk) {
        snprintf(why, sizeof why, "PSK resumption: the server authenticates with the "
                 "pre-shared key and exchanges no certificates");
        r.complete = true;
        r.requested = r.chain = SIPMTLS_UNDECIDABLE;
    } else if (h->early_data) {
        snprintf(why, sizeof why, "the client sent early data (0-RTT): its flight cannot be "
                 "told apart from it");
        r.complete = true;
        r.requested = r.chain = SIPMTLS_UNDECIDABLE;
    } else if (h->inference_gap != 0) {
        snprintf(why, sizeof why, "a TCP segment is missing before frame %u: the sizes of "
                 "the records the capture holds cannot be read as the client's flight",
                 (unsigned)h->inference_gap);
        r.complete = true;
        r.requested = r.chain = SIPMTLS_UNDECIDABLE;
    } else {
        f = flights_of(h, length == NULL);
        r = sipmtls_infer_flights(&f, why, sizeof why);
    }
    if (!r.complete)
        return;
    h->flight_read = true;
    h->flight_frame = frame;
    h->inferred_request = r.requested;
    h->inferred_chain = r.chain;
    h->inference = copy_text(conn->alloc, why);
    h->inferred = true;
    h->client_flight_sent = true;
    new_finding(report, SIPMTLS_FINDING_INFERENCE, conn, dir, h);
}

/* A TLS 1.3 record nobody could decrypt: only its length speaks. */
static void
on_opaque_record(sipmtls_conn *conn, sipmtls_dir dir, uint16_t length, uint32_t frame,
                 sipmtls_frame_report *report)
{
    sipmtls_handshake *h = current(conn);

    if (h == NULL || h->verdict != SIPMTLS_VERDICT_NONE)
        return;
    /* After an inferred completion, the server's answer to the client's
     * first data is what shows it accepted the client. */
    if (h->awaiting_server_data) {
        if (is_client(conn, dir))
            h->client_data_after_completion = true;
        else if (is_server(conn, dir) && h->client_data_after_completion)
            settle_verdict(conn, h, frame, dir, report);
        return;
    }
    if (is_client(conn, dir)) {
        if (h->version == 0)
            h->early_data = true;   /* before the ServerHello */
        else if (h->hidden && !h->flight_read)
            read_client_flight(conn, h, dir, &length, frame, report);
        else if (h->flight_read)
            h->client_data_after_completion = true;   /* data before the server's answer */
        return;
    }
    if (is_server(conn, dir) && h->hidden && !h->flight_read) {
        if (h->n_flight == 0) {
            /* the server's own flight, before the client's */
            if (h->n_server_flight < SIPMTLS_MAX_FLIGHT_RECORDS)
                h->server_flight[h->n_server_flight++] = length;
            else
                h->server_flight_truncated = true;
            return;
        }
        /* The server speaks before the client's flight has shown its end:
         * that flight is over, and this is the server's answer to it. */
        read_client_flight(conn, h, dir, NULL, frame, report);
    }
    if (is_server(conn, dir) && h->flight_read) {
        sipmtls_flights f = flights_of(h, true);

        switch (sipmtls_infer_reply(&f, length)) {
        case SIPMTLS_YES:
            settle(conn, h, SIPMTLS_OUTCOME_SERVER_ALERT, SIPMTLS_REASON_ENCRYPTED_ALERT, 0,
                   frame, dir, report);
            break;
        case SIPMTLS_NO:
            h->server_replied = true;
            complete(conn, h, frame, dir, report);
            /* the client's data came first: this is the server's answer */
            if (h->awaiting_server_data && h->client_data_after_completion)
                settle_verdict(conn, h, frame, dir, report);
            break;
        default:
            break;
        }
    }
}

/* The capture misses bytes sent in gap_dir before this frame: remember what
 * they may hide.  While the roles are unknown a gap may be either side's. */
static void
on_gap(sipmtls_conn *conn, sipmtls_dir gap_dir, uint32_t frame)
{
    sipmtls_handshake *h = current(conn);
    bool known = conn->role[0] != SIPMTLS_ROLE_UNKNOWN;
    bool server = !known || is_server(conn, gap_dir);
    bool client = !known || is_client(conn, gap_dir);

    if (conn->gap[gap_dir] == 0)
        conn->gap[gap_dir] = frame;
    if (h == NULL || h->verdict != SIPMTLS_VERDICT_NONE)
        return;
    /* The server's flight, up to where a CertificateRequest would stand. */
    if (server && !h->server_flight_done && h->flight_gap == 0)
        h->flight_gap = frame;
    /* TLS 1.3 without keys: a record missing from either side's flight
     * changes what the sizes say. */
    if (h->hidden && !h->flight_read && h->inference_gap == 0)
        h->inference_gap = frame;
    /* The client's answer to a request. */
    if (client && h->request_frame != 0 && h->answer == SIPMTLS_ANSWER_NONE
        && h->outcome == SIPMTLS_OUTCOME_UNKNOWN && h->answer_gap == 0)
        h->answer_gap = frame;
    /* The server's reply to the client's flight: tickets, data, an alert. */
    if (server && (h->client_flight_sent || h->flight_read) && h->reply_gap == 0)
        h->reply_gap = frame;
}

/* TCP payload that is not TLS: from the server after the client's flight,
 * it is an answer, so a close after it is no refusal. */
static void
on_other_bytes(sipmtls_conn *conn, sipmtls_dir dir)
{
    sipmtls_handshake *h = current(conn);

    if (h != NULL && h->verdict == SIPMTLS_VERDICT_NONE && is_server(conn, dir)
        && (h->client_flight_sent || h->flight_read))
        h->server_replied = true;
}

static void
on_sip(sipmtls_conn *conn, sipmtls_dir dir, const sipmtls_sip_obs *sip, uint32_t frame,
       sipmtls_frame_report *report)
{
    sipmtls_sip *s;

    if (conn->sip != NULL || sip == NULL || sip->method == NULL)
        return;
    s = alloc0(conn->alloc, sizeof *s);
    s->frame = frame;
    s->method = copy_text(conn->alloc, sip->method);
    s->call_id = copy_text(conn->alloc, sip->call_id);
    s->from = copy_text(conn->alloc, sip->from);
    s->to = copy_text(conn->alloc, sip->to);
    conn->sip = s;
    new_finding(report, SIPMTLS_FINDING_SIP, conn, dir, current(conn));
}

void
sipmtls_conn_feed(sipmtls_conn *conn, sipmtls_dir dir, const sipmtls_event *ev,
                  sipmtls_frame_report *report)
{
    sipmtls_handshake *h;

    dir &= 1;
    /* A record before any handshake message: the capture starts after the
     * handshake began, which gets a verdict all the same. */
    switch (ev->kind) {
    case SIPMTLS_EV_CHANGE_CIPHER_SPEC:
    case SIPMTLS_EV_ENCRYPTED_HANDSHAKE:
    case SIPMTLS_EV_APP_DATA:
    case SIPMTLS_EV_ALERT:
    case SIPMTLS_EV_ENCRYPTED_ALERT:
    case SIPMTLS_EV_OPAQUE_RECORD:
        if (conn->n_hs_seen == 0)
            begin_handshake(conn, SIPMTLS_HANDSHAKE_INITIAL, ev->frame, dir, report);
        break;
    default:
        break;
    }
    h = current(conn);
    switch (ev->kind) {
    case SIPMTLS_EV_HANDSHAKE:
        if (ev->hs != NULL)
            on_handshake(conn, dir, ev->hs, ev->frame, report);
        break;
    case SIPMTLS_EV_CHANGE_CIPHER_SPEC:
        /* TLS 1.3 sends it only for middleboxes: it means nothing there. */
        if (h != NULL && !is_tls13(h))
            h->ccs_seen[dir] = true;
        break;
    case SIPMTLS_EV_ENCRYPTED_HANDSHAKE:
        /* TLS 1.2 without keys: the first handshake record after a side's
         * ChangeCipherSpec is its Finished. */
        if (h != NULL && !is_tls13(h) && h->ccs_seen[dir] && h->finished_frame[dir] == 0)
            finished(conn, h, dir, ev->frame, report);
        /* Any other from the client after a request (the glue gives a
         * frame's ChangeCipherSpec first): an answer nobody can read. */
        else if (h != NULL && is_client(conn, dir) && h->request_frame != 0
                 && h->answer == SIPMTLS_ANSWER_NONE)
            h->answer_hidden = true;
        break;
    case SIPMTLS_EV_APP_DATA:
        on_app_data(conn, dir, ev->frame, report);
        break;
    case SIPMTLS_EV_ALERT:
        on_alert(conn, dir, ev->alert_level, ev->alert_desc, ev->frame, report);
        break;
    case SIPMTLS_EV_ENCRYPTED_ALERT:
        on_stop(conn, dir, SIPMTLS_OUTCOME_SERVER_ALERT, SIPMTLS_REASON_ENCRYPTED_ALERT, 0,
                ev->frame, report);
        break;
    case SIPMTLS_EV_OPAQUE_RECORD:
        on_opaque_record(conn, dir, ev->record_length, ev->frame, report);
        break;
    case SIPMTLS_EV_TCP_FIN:
        on_stop(conn, dir, SIPMTLS_OUTCOME_SERVER_CLOSED, SIPMTLS_REASON_FIN, 0, ev->frame, report);
        break;
    case SIPMTLS_EV_TCP_RST:
        on_stop(conn, dir, SIPMTLS_OUTCOME_SERVER_CLOSED, SIPMTLS_REASON_RST, 0, ev->frame, report);
        break;
    case SIPMTLS_EV_SIP_REQUEST:
        on_sip(conn, dir, ev->sip, ev->frame, report);
        break;
    case SIPMTLS_EV_TCP_GAP:
        on_gap(conn, dir, ev->frame);
        break;
    case SIPMTLS_EV_TCP_PEER_GAP:
        on_gap(conn, (sipmtls_dir)!dir, ev->frame);
        break;
    case SIPMTLS_EV_OTHER_BYTES:
        on_other_bytes(conn, dir);
        break;
    }
}

void
sipmtls_conn_observe(sipmtls_conn *conn, sipmtls_dir dir, const sipmtls_handshake_obs *msg,
                     sipmtls_frame_report *report)
{
    sipmtls_event ev;

    memset(&ev, 0, sizeof ev);
    ev.kind = SIPMTLS_EV_HANDSHAKE;
    ev.hs = msg;
    sipmtls_conn_feed(conn, dir, &ev, report);
}

/* ---- verdicts ---------------------------------------------------------- */

bool
sipmtls_settle_at_end(const sipmtls_handshake *h, sipmtls_finding *f)
{
    if (h == NULL || h->verdict != SIPMTLS_VERDICT_NONE)
        return false;
    memset(f, 0, sizeof *f);
    f->kind = SIPMTLS_FINDING_VERDICT;
    f->handshake = h;
    f->client_auth_index = -1;
    f->outcome = h->outcome;
    f->verdict = SIPMTLS_VERDICT_UNDETERMINED;
    f->reason = SIPMTLS_REASON_CAPTURE_ENDS;
    f->inferred = h->inferred;
    f->at_end = true;
    return true;
}

int
sipmtls_verdict_weight(sipmtls_verdict v)
{
    switch (v) {
    case SIPMTLS_VERDICT_REJECTED:                return 8;
    case SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED:    return 7;
    case SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN:   return 6;
    case SIPMTLS_VERDICT_NO_EKU_ACCEPTED:         return 5;
    case SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED: return 4;
    case SIPMTLS_VERDICT_OPTIONAL_NONE_SENT:      return 3;
    case SIPMTLS_VERDICT_UNDETERMINED:            return 2;
    case SIPMTLS_VERDICT_NO_REQUEST:              return 1;
    default:                                      return 0;
    }
}

sipmtls_verdict
sipmtls_conn_verdict(const sipmtls_conn *conn)
{
    sipmtls_verdict best = SIPMTLS_VERDICT_NONE;

    for (unsigned i = 0; i < conn->n_hs; i++) {
        if (sipmtls_verdict_weight(conn->hs[i]->verdict) > sipmtls_verdict_weight(best))
            best = conn->hs[i]->verdict;
    }
    return best;
}

const sipmtls_named_value sipmtls_verdict_names[] = {
    { SIPMTLS_VERDICT_NO_REQUEST,              "No client certificate requested" },
    { SIPMTLS_VERDICT_OPTIONAL_NONE_SENT,      "Client certificate requested, none sent, handshake went on (optional)" },
    { SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED,    "Client certificate with clientAuth accepted" },
    { SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED, "Client certificate without clientAuth accepted" },
    { SIPMTLS_VERDICT_NO_EKU_ACCEPTED,         "Client certificate without any EKU accepted" },
    { SIPMTLS_VERDICT_REJECTED,                "Rejected" },
    { SIPMTLS_VERDICT_UNDETERMINED,            "Undetermined" },
    { SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN,   "Client certificate accepted (TLS 1.3 without keys: EKU not visible)" },
    { 0, NULL }
};

const sipmtls_named_value sipmtls_outcome_names[] = {
    { SIPMTLS_OUTCOME_UNKNOWN,        "Unknown" },
    { SIPMTLS_OUTCOME_COMPLETED,      "Handshake completed" },
    { SIPMTLS_OUTCOME_SERVER_ALERT,   "Server sent an alert" },
    { SIPMTLS_OUTCOME_SERVER_CLOSED,  "Server closed the connection" },
    { SIPMTLS_OUTCOME_CLIENT_ABORTED, "Client gave up" },
    { 0, NULL }
};

const sipmtls_named_value sipmtls_reason_names[] = {
    { SIPMTLS_REASON_ALERT,           "Alert" },
    { SIPMTLS_REASON_ENCRYPTED_ALERT, "Encrypted alert (description unreadable)" },
    { SIPMTLS_REASON_CLOSE_NOTIFY,    "No error alert: close_notify" },
    { SIPMTLS_REASON_FIN,             "No alert: TCP FIN" },
    { SIPMTLS_REASON_RST,             "No alert: TCP RST" },
    { SIPMTLS_REASON_ENCRYPTED,       "TLS 1.3 handshake not decrypted" },
    { SIPMTLS_REASON_RESUMED,         "Session resumed: no certificates exchanged" },
    { SIPMTLS_REASON_CLIENT_ABORTED,  "The client gave up" },
    { SIPMTLS_REASON_NOT_CAPTURED,    "Handshake not in the capture (it starts after the handshake)" },
    { SIPMTLS_REASON_START_NOT_CAPTURED, "Start of the handshake not in the capture (no ServerHello)" },
    { SIPMTLS_REASON_SEGMENT_LOST,    "TCP segment lost: the capture misses bytes that may hold the answer" },
    { SIPMTLS_REASON_CAPTURE_ENDS,    "Capture ends before the outcome" },
    { SIPMTLS_REASON_NO_PATTERN,      "Client flight fits no known pattern (TLS 1.3 without keys)" },
    { SIPMTLS_REASON_BEFORE_SERVER_HELLO, "Handshake ended before the ServerHello: refused at the ClientHello or after a HelloRetryRequest" },
    { SIPMTLS_REASON_FLIGHT_INCOMPLETE, "Server's flight not complete in the capture (no ServerHelloDone or Finished)" },
    { SIPMTLS_REASON_CLOSED_AFTER_REPLY, "Server closed after answering the client's flight, before any data: no refusal shown" },
    { 0, NULL }
};

const sipmtls_named_value sipmtls_hs_type_names[] = {
    { SIPMTLS_HS_HELLO_REQUEST,        "HelloRequest" },
    { SIPMTLS_HS_CLIENT_HELLO,         "ClientHello" },
    { SIPMTLS_HS_SERVER_HELLO,         "ServerHello" },
    { SIPMTLS_HS_NEW_SESSION_TICKET,   "NewSessionTicket" },
    { SIPMTLS_HS_END_OF_EARLY_DATA,    "EndOfEarlyData" },
    { SIPMTLS_HS_ENCRYPTED_EXTENSIONS, "EncryptedExtensions" },
    { SIPMTLS_HS_CERTIFICATE,          "Certificate" },
    { SIPMTLS_HS_SERVER_KEY_EXCHANGE,  "ServerKeyExchange" },
    { SIPMTLS_HS_CERTIFICATE_REQUEST,  "CertificateRequest" },
    { SIPMTLS_HS_SERVER_HELLO_DONE,    "ServerHelloDone" },
    { SIPMTLS_HS_CERTIFICATE_VERIFY,   "CertificateVerify" },
    { SIPMTLS_HS_CLIENT_KEY_EXCHANGE,  "ClientKeyExchange" },
    { SIPMTLS_HS_FINISHED,             "Finished" },
    { SIPMTLS_HS_KEY_UPDATE,           "KeyUpdate" },
    { 0, NULL }
};

const sipmtls_named_value sipmtls_handshake_kind_names[] = {
    { SIPMTLS_HANDSHAKE_INITIAL,        "initial" },
    { SIPMTLS_HANDSHAKE_RENEGOTIATION,  "renegotiation" },
    { SIPMTLS_HANDSHAKE_POST_HANDSHAKE, "post-handshake authentication" },
    { 0, NULL }
};

const char *
sipmtls_verdict_name(sipmtls_verdict v)
{
    const char *name = sipmtls_name_of(sipmtls_verdict_names, v);
    return name != NULL ? name : "Not settled";
}

bool
sipmtls_verdict_depends_on_client_auth(sipmtls_verdict v)
{
    return v == SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED || v == SIPMTLS_VERDICT_REJECTED;
}

const char *
sipmtls_verdict_advice(sipmtls_verdict v)
{
    switch (v) {
    case SIPMTLS_VERDICT_NO_REQUEST:
        return "Nothing: this endpoint does not ask for client certificates.";
    case SIPMTLS_VERDICT_OPTIONAL_NONE_SENT:
        return "Nothing urgent: the client certificate is optional here; keep the endpoint "
               "from starting to require one.";
    case SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED:
        return "Before the peer renews its certificate: stop requesting client certificates "
               "on this interface, or make sure the endpoint does not check the clientAuth "
               "purpose.";
    case SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED:
        return "Nothing: the endpoint accepts a certificate without clientAuth.";
    case SIPMTLS_VERDICT_NO_EKU_ACCEPTED:
        return "Check the endpoint's settings: a certificate without any EKU does not show "
               "whether it checks the clientAuth purpose.";
    case SIPMTLS_VERDICT_REJECTED:
        return "Fix now: the endpoint refuses the peer's client certificate; stop requiring "
               "client certificates for this peer, or stop checking the clientAuth purpose.";
    case SIPMTLS_VERDICT_UNDETERMINED:
        return "Capture again from the start of the connection, with the TLS key log for "
               "TLS 1.3.";
    case SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN:
        return "The endpoint asks for and accepts a client certificate: get the TLS key log "
               "(or check the peer's certificate) to see whether it carries clientAuth.";
    default:
        return "";
    }
}

const char *
sipmtls_outcome_name(sipmtls_outcome o)
{
    const char *name = sipmtls_name_of(sipmtls_outcome_names, o);
    return name != NULL ? name : "Unknown";
}
