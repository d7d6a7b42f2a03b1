/* test_handshake.c
 * The per-connection state machine over event sequences: what each real
 * exchange (RFC 5246 and RFC 8446 message flows, as OpenSSL and GnuTLS
 * send them) settles, on which frame, and what hostile sequences do not.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "sipmtls.h"

/* ---- a tiny event language --------------------------------------------- */

TestSuite(handshake, .fini = free_arena);

/* The client sends A to B, the server B to A, in every test. */
#define C SIPMTLS_DIR_A_TO_B
#define S SIPMTLS_DIR_B_TO_A

static const char *const with_client_auth[] = { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" };
static const char *const server_auth_only[] = { "1.3.6.1.5.5.7.3.1" };

static const sipmtls_cert_obs leaf_client_auth = {
    "CN=trunk.carrier.example", "CN=Issuing CA", with_client_auth, 2, true, { 0, false }, { 0, false }, NULL, 0
};
static const sipmtls_cert_obs leaf_server_auth = {
    "CN=trunk.carrier.example", "CN=Issuing CA", server_auth_only, 1, true, { 0, false }, { 0, false }, NULL, 0
};
static const sipmtls_cert_obs leaf_no_eku = {
    "CN=trunk.carrier.example", "CN=Issuing CA", NULL, 0, false, { 0, false }, { 0, false }, NULL, 0
};

/* Everything the connection said, frame by frame. */
typedef struct run {
    sipmtls_conn        *conn;
    sipmtls_frame_report frames[64];   /* indexed by frame number */
} run;

static run *
new_run(void)
{
    run *r = arena_alloc0(NULL, sizeof *r);
    r->conn = sipmtls_conn_new(&arena);
    return r;
}

static void
feed(run *r, uint32_t frame, sipmtls_dir dir, sipmtls_event ev)
{
    cr_assert_lt(frame, 64);
    ev.frame = frame;
    sipmtls_conn_feed(r->conn, dir, &ev, &r->frames[frame]);
}

static void
hs(run *r, uint32_t frame, sipmtls_dir dir, uint8_t type)
{
    sipmtls_handshake_obs *m = arena_alloc0(NULL, sizeof *m);
    sipmtls_event ev = { .kind = SIPMTLS_EV_HANDSHAKE, .hs = m };

    m->type = type;
    feed(r, frame, dir, ev);
}

static void
server_hello(run *r, uint32_t frame, uint16_t version, bool retry)
{
    sipmtls_handshake_obs *m = arena_alloc0(NULL, sizeof *m);
    sipmtls_event ev = { .kind = SIPMTLS_EV_HANDSHAKE, .hs = m };

    m->type = SIPMTLS_HS_SERVER_HELLO;
    m->version = version;
    m->hello_retry = retry;
    feed(r, frame, S, ev);
}

static void
certificate(run *r, uint32_t frame, sipmtls_dir dir, const sipmtls_cert_obs *leaf)
{
    sipmtls_handshake_obs *m = arena_alloc0(NULL, sizeof *m);
    sipmtls_event ev = { .kind = SIPMTLS_EV_HANDSHAKE, .hs = m };

    m->type = SIPMTLS_HS_CERTIFICATE;
    m->certs = leaf;
    m->n_certs = m->n_certs_listed = leaf != NULL ? 1 : 0;
    feed(r, frame, dir, ev);
}

static void
record(run *r, uint32_t frame, sipmtls_dir dir, sipmtls_event_kind kind)
{
    sipmtls_event ev = { .kind = kind };
    feed(r, frame, dir, ev);
}

static void
alert(run *r, uint32_t frame, sipmtls_dir dir, uint8_t level, uint8_t desc)
{
    sipmtls_event ev = { .kind = SIPMTLS_EV_ALERT, .alert_level = level, .alert_desc = desc };
    feed(r, frame, dir, ev);
}

/* The verdict finding on a frame, or NULL. */
static const sipmtls_finding *
verdict_on(const run *r, uint32_t frame)
{
    const sipmtls_frame_report *rep = &r->frames[frame];
    for (unsigned i = 0; i < rep->n_findings; i++) {
        if (rep->findings[i].kind == SIPMTLS_FINDING_VERDICT)
            return &rep->findings[i];
    }
    return NULL;
}

/* The Certificate finding on a frame. */
static const sipmtls_finding *
shown_certificate(const run *r, uint32_t frame)
{
    const sipmtls_frame_report *rep = &r->frames[frame];
    for (unsigned i = 0; i < rep->n_findings; i++) {
        if (rep->findings[i].kind == SIPMTLS_FINDING_CERTIFICATE)
            return &rep->findings[i];
    }
    cr_assert_fail("no Certificate finding on frame %u", frame);
    return NULL;
}

/* How many verdicts the whole run produced. */
static unsigned
n_verdicts(const run *r)
{
    unsigned n = 0;
    for (unsigned f = 0; f < 64; f++) {
        for (unsigned i = 0; i < r->frames[f].n_findings; i++)
            n += r->frames[f].findings[i].kind == SIPMTLS_FINDING_VERDICT;
    }
    return n;
}

/* TLS 1.2 full handshake as OpenSSL sends it, up to the client's flight:
 *   1 ClientHello   2 ServerHello, Certificate, SKE, [CertificateRequest], SHD */
static void
tls12_server_flight(run *r, bool request)
{
    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 2, SIPMTLS_TLS_1_2, false);
    certificate(r, 2, S, &leaf_server_auth);
    hs(r, 2, S, SIPMTLS_HS_SERVER_KEY_EXCHANGE);
    if (request)
        hs(r, 2, S, SIPMTLS_HS_CERTIFICATE_REQUEST);
    hs(r, 2, S, SIPMTLS_HS_SERVER_HELLO_DONE);
}

/* 3: the client's flight; leaf NULL sends an empty Certificate, and
 * no_answer sends no Certificate message at all. */
static void
tls12_client_flight(run *r, const sipmtls_cert_obs *leaf, bool answer)
{
    if (answer)
        certificate(r, 3, C, leaf);
    hs(r, 3, C, SIPMTLS_HS_CLIENT_KEY_EXCHANGE);
    if (leaf != NULL)
        hs(r, 3, C, SIPMTLS_HS_CERTIFICATE_VERIFY);
    record(r, 3, C, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    record(r, 3, C, SIPMTLS_EV_ENCRYPTED_HANDSHAKE);
}

/* 4: the server accepts: ticket, ChangeCipherSpec, Finished. */
static void
tls12_server_accepts(run *r)
{
    hs(r, 4, S, SIPMTLS_HS_NEW_SESSION_TICKET);
    record(r, 4, S, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    record(r, 4, S, SIPMTLS_EV_ENCRYPTED_HANDSHAKE);
}

/* 5: the server's first application data (its SIP answer): what shows a
 * server that asked for a certificate accepted the client. */
static void
server_answers(run *r)
{
    record(r, 5, S, SIPMTLS_EV_APP_DATA);
}

/* TLS 1.3 as decrypted, up to the server's Finished (frame 2). */
static void
tls13_server_flight(run *r, bool request)
{
    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 2, SIPMTLS_TLS_1_3, false);
    record(r, 2, S, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    hs(r, 2, S, SIPMTLS_HS_ENCRYPTED_EXTENSIONS);
    if (request)
        hs(r, 2, S, SIPMTLS_HS_CERTIFICATE_REQUEST);
    certificate(r, 2, S, &leaf_server_auth);
    hs(r, 2, S, SIPMTLS_HS_CERTIFICATE_VERIFY);
    hs(r, 2, S, SIPMTLS_HS_FINISHED);
}

/* ---- TLS 1.2 ----------------------------------------------------------- */

Test(handshake, tls12_without_request_settles_no_request_on_the_servers_finished)
{
    run *r = new_run();

    tls12_server_flight(r, false);
    tls12_client_flight(r, NULL, false);
    cr_assert_null(verdict_on(r, 3), "nothing is settled before the server finishes");
    tls12_server_accepts(r);

    const sipmtls_finding *v = verdict_on(r, 4);
    cr_assert_not_null(v);
    cr_assert_eq(v->verdict, SIPMTLS_VERDICT_NO_REQUEST);
    cr_assert_eq(v->outcome, SIPMTLS_OUTCOME_COMPLETED);
    cr_assert_eq(n_verdicts(r), 1, "one verdict per handshake");
}

Test(handshake, tls12_chain_with_client_auth_accepted_links_request_answer_and_verdict)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_client_auth, true);
    tls12_server_accepts(r);
    cr_assert_null(verdict_on(r, 4), "TLS is done, but the server has not yet answered");
    server_answers(r);

    const sipmtls_finding *v = verdict_on(r, 5);
    cr_assert_eq(v->verdict, SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED);
    const sipmtls_handshake *h = v->handshake;
    cr_assert_eq(h->request_frame, 2);
    cr_assert_eq(h->answer_frame, 3);
    cr_assert_eq(h->answer, SIPMTLS_ANSWER_CHAIN);
    cr_assert_str_eq(h->answer_leaf->subject, "CN=trunk.carrier.example");
    cr_assert_eq(h->verdict_frame, 5);
    cr_assert_eq(h->outcome_frame, 4);
    cr_assert_eq(h->completed_frame, 4);
    cr_assert_eq(h->finished_frame[C], 3);
    cr_assert_eq(h->kind, SIPMTLS_HANDSHAKE_INITIAL);
    cr_assert_eq(sipmtls_conn_verdict(r->conn), SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED);
}

Test(handshake, tls12_chain_without_client_auth_accepted_means_no_eku_check)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_server_auth, true);
    tls12_server_accepts(r);
    server_answers(r);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED);
}

Test(handshake, tls12_chain_without_eku_extension_is_its_own_verdict)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_no_eku, true);
    tls12_server_accepts(r);
    server_answers(r);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_NO_EKU_ACCEPTED);
}

Test(handshake, tls12_unsupported_certificate_alert_is_a_rejection_on_the_alert_frame)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_server_auth, true);
    alert(r, 5, S, 2, 43);

    const sipmtls_finding *v = verdict_on(r, 5);
    cr_assert_eq(v->verdict, SIPMTLS_VERDICT_REJECTED);
    cr_assert_eq(v->outcome, SIPMTLS_OUTCOME_SERVER_ALERT);
    cr_assert_eq(v->reason, SIPMTLS_REASON_ALERT);
    cr_assert_eq(v->alert_desc, 43);
}

Test(handshake, tls12_empty_answer_accepted_is_optional)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, NULL, true);
    tls12_server_accepts(r);
    server_answers(r);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_OPTIONAL_NONE_SENT);
    cr_assert_eq(verdict_on(r, 5)->handshake->answer, SIPMTLS_ANSWER_EMPTY);
}

Test(handshake, tls12_no_certificate_message_accepted_is_optional)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, NULL, false);
    tls12_server_accepts(r);
    server_answers(r);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_OPTIONAL_NONE_SENT);
    cr_assert_eq(verdict_on(r, 5)->handshake->answer, SIPMTLS_ANSWER_NONE);
}

Test(handshake, tls12_empty_answer_refused_with_handshake_failure_is_a_rejection)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, NULL, true);
    alert(r, 4, S, 2, 40);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_REJECTED);
    cr_assert_eq(verdict_on(r, 4)->alert_desc, 40);
}

Test(handshake, server_closing_after_the_client_flight_without_alert_is_a_rejection)
{
    run *fin = new_run(), *rst = new_run();

    tls12_server_flight(fin, true);
    tls12_client_flight(fin, &leaf_server_auth, true);
    record(fin, 4, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(verdict_on(fin, 4)->verdict, SIPMTLS_VERDICT_REJECTED);
    cr_assert_eq(verdict_on(fin, 4)->outcome, SIPMTLS_OUTCOME_SERVER_CLOSED);
    cr_assert_eq(verdict_on(fin, 4)->reason, SIPMTLS_REASON_FIN);

    tls12_server_flight(rst, true);
    tls12_client_flight(rst, &leaf_server_auth, true);
    record(rst, 4, S, SIPMTLS_EV_TCP_RST);
    cr_assert_eq(verdict_on(rst, 4)->reason, SIPMTLS_REASON_RST);
}

Test(handshake, server_resetting_after_a_completed_handshake_rejects_in_the_application)
{
    run *r = new_run();

    /* Java's or pjsip's way: TLS accepts, the application checks the EKU
     * and drops the connection before any data. */
    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_server_auth, true);
    tls12_server_accepts(r);
    record(r, 6, S, SIPMTLS_EV_TCP_RST);

    const sipmtls_finding *v = verdict_on(r, 6);
    cr_assert_not_null(v);
    cr_assert_eq(v->verdict, SIPMTLS_VERDICT_REJECTED);
    cr_assert_eq(v->outcome, SIPMTLS_OUTCOME_SERVER_CLOSED);
    cr_assert_eq(v->reason, SIPMTLS_REASON_RST);
    cr_assert_eq(v->handshake->completed_frame, 4);
}

Test(handshake, client_leaving_after_a_completed_handshake_leaves_it_accepted)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_client_auth, true);
    tls12_server_accepts(r);
    alert(r, 6, C, 1, 0);
    cr_assert_eq(verdict_on(r, 6)->verdict, SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED);
    cr_assert_eq(verdict_on(r, 6)->outcome, SIPMTLS_OUTCOME_COMPLETED);
}

Test(handshake, unreadable_alert_from_the_server_is_a_rejection_without_a_name)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_server_auth, true);
    record(r, 4, S, SIPMTLS_EV_ENCRYPTED_ALERT);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_REJECTED);
    cr_assert_eq(verdict_on(r, 4)->reason, SIPMTLS_REASON_ENCRYPTED_ALERT);
}

Test(handshake, server_refusing_before_the_client_answers_is_not_about_its_certificate)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    alert(r, 3, S, 2, 40);
    cr_assert_eq(verdict_on(r, 3)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
}

Test(handshake, client_giving_up_is_undetermined)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    alert(r, 3, C, 2, 48);   /* unknown_ca: the client does not trust the server */
    cr_assert_eq(verdict_on(r, 3)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 3)->reason, SIPMTLS_REASON_CLIENT_ABORTED);
    cr_assert_eq(verdict_on(r, 3)->outcome, SIPMTLS_OUTCOME_CLIENT_ABORTED);
}

Test(handshake, warning_alerts_end_nothing_in_tls12)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    alert(r, 3, S, 1, 100);   /* no_renegotiation, a warning */
    cr_assert_null(verdict_on(r, 3));
}

Test(handshake, close_notify_after_completion_changes_nothing)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_client_auth, true);
    tls12_server_accepts(r);
    server_answers(r);
    alert(r, 6, S, 1, 0);
    record(r, 7, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(n_verdicts(r), 1);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED);
}

Test(handshake, application_data_both_ways_completes_a_handshake_seen_in_part)
{
    run *r = new_run();

    /* The capture begins at the server's request. */
    hs(r, 1, S, SIPMTLS_HS_CERTIFICATE_REQUEST);
    certificate(r, 2, C, &leaf_client_auth);
    record(r, 3, C, SIPMTLS_EV_APP_DATA);
    cr_assert_null(verdict_on(r, 3));
    record(r, 4, S, SIPMTLS_EV_APP_DATA);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED,
                 "the data that completes it is the server's: settled at once");
}

Test(handshake, tls12_abbreviated_resumption_is_undetermined)
{
    run *r = new_run();

    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 2, SIPMTLS_TLS_1_2, false);
    record(r, 2, S, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    record(r, 2, S, SIPMTLS_EV_ENCRYPTED_HANDSHAKE);
    record(r, 3, C, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    record(r, 3, C, SIPMTLS_EV_ENCRYPTED_HANDSHAKE);
    cr_assert_eq(verdict_on(r, 3)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 3)->reason, SIPMTLS_REASON_RESUMED);
}

Test(handshake, tls12_renegotiation_with_request_is_a_second_handshake)
{
    run *r = new_run();

    tls12_server_flight(r, false);
    tls12_client_flight(r, NULL, false);
    tls12_server_accepts(r);
    /* Decrypted renegotiation: HelloRequest, then a new full handshake. */
    hs(r, 10, S, SIPMTLS_HS_HELLO_REQUEST);
    hs(r, 11, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 12, SIPMTLS_TLS_1_2, false);
    certificate(r, 12, S, &leaf_server_auth);
    hs(r, 12, S, SIPMTLS_HS_CERTIFICATE_REQUEST);
    hs(r, 12, S, SIPMTLS_HS_SERVER_HELLO_DONE);
    certificate(r, 13, C, &leaf_client_auth);
    hs(r, 13, C, SIPMTLS_HS_CLIENT_KEY_EXCHANGE);
    record(r, 13, C, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    hs(r, 13, C, SIPMTLS_HS_FINISHED);
    record(r, 14, S, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    hs(r, 14, S, SIPMTLS_HS_FINISHED);
    record(r, 15, S, SIPMTLS_EV_APP_DATA);

    cr_assert_eq(sipmtls_conn_n_handshakes(r->conn), 2);
    const sipmtls_finding *v = verdict_on(r, 15);
    cr_assert_eq(v->verdict, SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED);
    cr_assert_eq(v->handshake->kind, SIPMTLS_HANDSHAKE_RENEGOTIATION);
    cr_assert_eq(v->handshake->index, 2);
    cr_assert_eq(v->handshake->request_frame, 12);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_NO_REQUEST);
    cr_assert_eq(sipmtls_conn_verdict(r->conn), SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED,
                 "the connection's verdict is the one that matters most");
}

/* Regression (tests/fuzz/hostile/hostile-renegotiation.pcapng): a handshake
 * with a request that completed, then a renegotiation before the server's
 * first application data, lost its verdict for good. */
Test(handshake, renegotiation_settles_a_handshake_waiting_for_server_data)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_client_auth, true);
    tls12_server_accepts(r);
    cr_assert_null(verdict_on(r, 4), "a completed request waits for the server's data");
    hs(r, 10, S, SIPMTLS_HS_HELLO_REQUEST);
    hs(r, 11, C, SIPMTLS_HS_CLIENT_HELLO);

    cr_assert_not_null(verdict_on(r, 11), "the renegotiation settles the first handshake");
    cr_assert_eq(verdict_on(r, 11)->verdict, SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED);
    cr_assert_eq(verdict_on(r, 11)->handshake->index, 1);
    cr_assert_eq(sipmtls_conn_n_handshakes(r->conn), 2);
}

Test(handshake, tls12_encrypted_renegotiation_is_not_mistaken_for_finished)
{
    run *r = new_run();

    tls12_server_flight(r, false);
    tls12_client_flight(r, NULL, false);
    tls12_server_accepts(r);
    record(r, 10, S, SIPMTLS_EV_ENCRYPTED_HANDSHAKE);
    record(r, 11, C, SIPMTLS_EV_ENCRYPTED_HANDSHAKE);
    cr_assert_eq(sipmtls_conn_n_handshakes(r->conn), 1);
    cr_assert_eq(n_verdicts(r), 1);
}

/* ---- TLS 1.3 ----------------------------------------------------------- */

Test(handshake, tls13_accepted_when_the_server_answers_after_its_ticket)
{
    run *r = new_run();

    tls13_server_flight(r, true);
    certificate(r, 3, C, &leaf_client_auth);
    hs(r, 3, C, SIPMTLS_HS_CERTIFICATE_VERIFY);
    hs(r, 3, C, SIPMTLS_HS_FINISHED);
    cr_assert_null(verdict_on(r, 3), "the server's Finished came first: nothing settled yet");
    hs(r, 4, S, SIPMTLS_HS_NEW_SESSION_TICKET);
    cr_assert_null(verdict_on(r, 4), "the TLS library sends its ticket before the application "
                   "has looked at the certificate");
    server_answers(r);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED);
    cr_assert_eq(verdict_on(r, 5)->handshake->version, SIPMTLS_TLS_1_3);
}

Test(handshake, tls13_certificate_required_alert_rejects_an_empty_answer)
{
    run *r = new_run();

    tls13_server_flight(r, true);
    certificate(r, 3, C, NULL);
    hs(r, 3, C, SIPMTLS_HS_FINISHED);
    alert(r, 4, S, 2, 116);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_REJECTED);
    cr_assert_eq(verdict_on(r, 4)->alert_desc, 116);
}

Test(handshake, tls13_client_application_data_alone_does_not_prove_acceptance)
{
    run *r = new_run();

    tls13_server_flight(r, true);
    certificate(r, 3, C, &leaf_server_auth);
    hs(r, 3, C, SIPMTLS_HS_FINISHED);
    record(r, 3, C, SIPMTLS_EV_APP_DATA);
    cr_assert_null(verdict_on(r, 3));
    alert(r, 4, S, 2, 43);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_REJECTED);
}

Test(handshake, tls13_without_keys_is_undetermined_when_the_connection_closes)
{
    run *r = new_run();

    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 2, SIPMTLS_TLS_1_3, false);
    record(r, 2, S, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    record(r, 2, S, SIPMTLS_EV_OPAQUE_RECORD);
    record(r, 3, C, SIPMTLS_EV_OPAQUE_RECORD);
    record(r, 4, S, SIPMTLS_EV_OPAQUE_RECORD);
    /* No cipher suite was seen: the sizes cannot be read, and say so. */
    cr_assert_eq(n_verdicts(r), 0);
    cr_assert_eq(r->frames[3].findings[0].kind, SIPMTLS_FINDING_INFERENCE);
    cr_assert_eq(sipmtls_conn_handshake(r->conn, 0)->inferred_request, SIPMTLS_UNDECIDABLE);
    record(r, 9, C, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(verdict_on(r, 9)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 9)->reason, SIPMTLS_REASON_NO_PATTERN);
    record(r, 10, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(n_verdicts(r), 1);
}

Test(handshake, hello_retry_request_keeps_one_handshake)
{
    run *r = new_run();

    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 2, SIPMTLS_TLS_1_3, true);
    hs(r, 3, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 4, SIPMTLS_TLS_1_3, false);
    cr_assert_eq(sipmtls_conn_n_handshakes_seen(r->conn), 1);
    cr_assert_eq(sipmtls_conn_handshake(r->conn, 0)->version, SIPMTLS_TLS_1_3);
}

Test(handshake, tls13_post_handshake_authentication_is_its_own_handshake)
{
    run *r = new_run();

    tls13_server_flight(r, false);
    hs(r, 3, C, SIPMTLS_HS_FINISHED);
    hs(r, 4, S, SIPMTLS_HS_NEW_SESSION_TICKET);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_NO_REQUEST);

    hs(r, 10, S, SIPMTLS_HS_CERTIFICATE_REQUEST);
    certificate(r, 11, C, &leaf_client_auth);
    hs(r, 11, C, SIPMTLS_HS_CERTIFICATE_VERIFY);
    hs(r, 11, C, SIPMTLS_HS_FINISHED);
    record(r, 12, S, SIPMTLS_EV_APP_DATA);

    const sipmtls_finding *v = verdict_on(r, 12);
    cr_assert_not_null(v);
    cr_assert_eq(v->verdict, SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED);
    cr_assert_eq(v->handshake->kind, SIPMTLS_HANDSHAKE_POST_HANDSHAKE);
    cr_assert_eq(v->handshake->index, 2);
    cr_assert_eq(v->handshake->request_frame, 10);
}

/* ---- TLS 1.3 without keys: record sizes -------------------------------- */

static void
sized(run *r, uint32_t frame, sipmtls_dir dir, uint16_t length)
{
    sipmtls_event ev = { .kind = SIPMTLS_EV_OPAQUE_RECORD, .record_length = length };
    feed(r, frame, dir, ev);
}

/* ClientHello, ServerHello (TLS_AES_256_GCM_SHA384, psk or not), the server's
 * encrypted flight with or without a CertificateRequest record. */
static void
tls13_keyless_server_flight(run *r, bool request, bool psk)
{
    sipmtls_handshake_obs *sh = arena_alloc0(NULL, sizeof *sh);
    sipmtls_event ev = { .kind = SIPMTLS_EV_HANDSHAKE, .hs = sh };

    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    sh->type = SIPMTLS_HS_SERVER_HELLO;
    sh->version = SIPMTLS_TLS_1_3;
    sh->cipher_suite = 0x1302;
    sh->psk = psk;
    feed(r, 2, S, ev);
    record(r, 2, S, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    sized(r, 2, S, 23);
    if (request)
        sized(r, 2, S, 130);
    sized(r, 3, S, 1819);
    sized(r, 3, S, 281);
    sized(r, 3, S, 69);
}

static const sipmtls_finding *
inference_on(const run *r, uint32_t frame)
{
    for (unsigned i = 0; i < r->frames[frame].n_findings; i++) {
        if (r->frames[frame].findings[i].kind == SIPMTLS_FINDING_INFERENCE)
            return &r->frames[frame].findings[i];
    }
    return NULL;
}

Test(handshake, keyless_tls13_no_request_is_inferred_on_the_clients_finished)
{
    run *r = new_run();

    tls13_keyless_server_flight(r, false, false);
    record(r, 4, C, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    sized(r, 4, C, 69);
    const sipmtls_finding *inf = inference_on(r, 4);
    cr_assert_not_null(inf);
    cr_assert_eq(inf->handshake->inferred_request, SIPMTLS_NO);
    sized(r, 5, S, 1194);   /* NewSessionTicket */
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_NO_REQUEST);
    cr_assert(verdict_on(r, 5)->inferred);
}

Test(handshake, keyless_tls13_chain_accepted_is_its_own_verdict)
{
    run *r = new_run();

    tls13_keyless_server_flight(r, true, false);
    sized(r, 4, C, 1842);
    sized(r, 4, C, 281);
    cr_assert_null(inference_on(r, 4), "Finished not seen yet");
    sized(r, 5, C, 69);
    cr_assert_eq(inference_on(r, 5)->handshake->inferred_chain, SIPMTLS_YES);
    cr_assert_eq(inference_on(r, 5)->handshake->flight_frame, 5);
    sized(r, 6, S, 1194);
    sized(r, 6, S, 1194);
    cr_assert_eq(n_verdicts(r), 0, "session tickets are not an answer to the client");
    sized(r, 7, C, 442);
    sized(r, 8, S, 397);
    cr_assert_eq(verdict_on(r, 8)->verdict, SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN);
}

Test(handshake, keyless_tls13_alert_sized_reply_is_a_likely_rejection)
{
    run *r = new_run();

    tls13_keyless_server_flight(r, true, false);
    sized(r, 4, C, 1833);
    sized(r, 4, C, 281);
    sized(r, 4, C, 69);
    sized(r, 5, S, 19);
    record(r, 6, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_REJECTED);
    cr_assert_eq(verdict_on(r, 5)->reason, SIPMTLS_REASON_ENCRYPTED_ALERT);
    cr_assert(verdict_on(r, 5)->inferred);
    cr_assert_eq(n_verdicts(r), 1);
}

Test(handshake, keyless_tls13_empty_answer_accepted_is_optional)
{
    run *r = new_run();

    tls13_keyless_server_flight(r, true, false);
    sized(r, 4, C, 25);
    sized(r, 4, C, 69);
    sized(r, 5, S, 1194);
    sized(r, 6, C, 442);
    sized(r, 7, S, 397);
    cr_assert_eq(verdict_on(r, 7)->verdict, SIPMTLS_VERDICT_OPTIONAL_NONE_SENT);
}

Test(handshake, keyless_tls13_server_closing_after_the_flight_is_a_rejection)
{
    run *r = new_run();

    tls13_keyless_server_flight(r, true, false);
    sized(r, 4, C, 25);
    sized(r, 4, C, 69);
    record(r, 5, S, SIPMTLS_EV_TCP_RST);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_REJECTED);
    cr_assert_eq(verdict_on(r, 5)->reason, SIPMTLS_REASON_RST);
}

Test(handshake, keyless_psk_resumption_is_undecidable)
{
    run *r = new_run();

    tls13_keyless_server_flight(r, false, true);
    sized(r, 4, C, 69);
    cr_assert_eq(inference_on(r, 4)->handshake->inferred_request, SIPMTLS_UNDECIDABLE);
    sized(r, 5, S, 1194);
    cr_assert_not_null(verdict_on(r, 5), "the server went on: settled, as undetermined");
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 5)->reason, SIPMTLS_REASON_RESUMED);
}

Test(handshake, keyless_early_data_is_undecidable)
{
    run *r = new_run();

    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    sized(r, 1, C, 500);    /* 0-RTT data before the ServerHello */
    tls13_keyless_server_flight(r, false, false);
    sized(r, 4, C, 21);     /* EndOfEarlyData */
    cr_assert_eq(inference_on(r, 4)->handshake->inferred_request, SIPMTLS_UNDECIDABLE);
}

Test(handshake, decrypted_tls13_is_never_inferred)
{
    run *r = new_run();

    tls13_server_flight(r, true);
    sized(r, 3, C, 69);     /* cannot happen with keys, but must not count */
    certificate(r, 3, C, &leaf_client_auth);
    hs(r, 3, C, SIPMTLS_HS_FINISHED);
    hs(r, 4, S, SIPMTLS_HS_NEW_SESSION_TICKET);
    server_answers(r);
    cr_assert_null(inference_on(r, 3));
    cr_assert_not(verdict_on(r, 5)->inferred);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED);
}

/* ---- hostile sequences ------------------------------------------------- */

Test(handshake, alert_before_any_hello_is_a_handshake_not_in_the_capture)
{
    run *r = new_run();

    alert(r, 1, S, 2, 40);
    record(r, 2, S, SIPMTLS_EV_TCP_RST);
    cr_assert_eq(n_verdicts(r), 1, "every audited connection ends in one class");
    cr_assert_eq(verdict_on(r, 1)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 1)->reason, SIPMTLS_REASON_NOT_CAPTURED);
}

Test(handshake, a_second_client_certificate_does_not_change_the_answer)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    certificate(r, 3, C, &leaf_client_auth);
    certificate(r, 4, C, &leaf_server_auth);
    const sipmtls_handshake *h = sipmtls_conn_handshake(r->conn, 0);
    cr_assert_eq(h->answer_frame, 3);
    cr_assert(h->answer_leaf->client_auth);
}

Test(handshake, request_after_a_completed_tls12_handshake_opens_nothing)
{
    run *r = new_run();

    tls12_server_flight(r, false);
    tls12_client_flight(r, NULL, false);
    tls12_server_accepts(r);
    hs(r, 6, S, SIPMTLS_HS_CERTIFICATE_REQUEST);
    cr_assert_eq(sipmtls_conn_n_handshakes_seen(r->conn), 1);
    cr_assert_eq(sipmtls_conn_handshake(r->conn, 0)->request_frame, 0,
                 "a settled handshake does not learn a request");
    cr_assert_eq(n_verdicts(r), 1);
}

Test(handshake, endless_renegotiations_are_counted_but_followed_only_up_to_the_bound)
{
    run *r = new_run();

    for (uint32_t i = 0; i < 20; i++) {
        uint32_t f = 1 + i * 3;
        hs(r, f, C, SIPMTLS_HS_CLIENT_HELLO);
        server_hello(r, f + 1, SIPMTLS_TLS_1_2, false);
        hs(r, f + 1, S, SIPMTLS_HS_FINISHED);
        hs(r, f + 2, C, SIPMTLS_HS_FINISHED);
    }
    cr_assert_eq(sipmtls_conn_n_handshakes_seen(r->conn), 20);
    cr_assert_eq(sipmtls_conn_n_handshakes(r->conn), SIPMTLS_MAX_HANDSHAKES);
    cr_assert_eq(n_verdicts(r), SIPMTLS_MAX_HANDSHAKES);
}

Test(handshake, only_the_first_sip_request_is_kept)
{
    run *r = new_run();
    sipmtls_sip_obs first = { "OPTIONS", "a@x", "sip:a@x", "sip:b@y" };
    sipmtls_sip_obs second = { "INVITE", "b@x", "sip:a@x", "sip:b@y" };
    sipmtls_sip_obs no_method = { NULL, "c@x", NULL, NULL };
    sipmtls_event ev = { .kind = SIPMTLS_EV_SIP_REQUEST, .sip = &no_method };

    feed(r, 5, C, ev);
    cr_assert_null(sipmtls_conn_sip(r->conn), "a request without a method is no request");
    ev.sip = &first;
    feed(r, 6, C, ev);
    ev.sip = &second;
    feed(r, 7, C, ev);
    cr_assert_str_eq(sipmtls_conn_sip(r->conn)->method, "OPTIONS");
    cr_assert_str_eq(sipmtls_conn_sip(r->conn)->call_id, "a@x");
    cr_assert_eq(sipmtls_conn_sip(r->conn)->frame, 6);
    cr_assert_eq(r->frames[7].n_findings, 0);
}

/* ---- imperfect captures (issue 11) ------------------------------------- */

static void
gap(run *r, uint32_t frame, sipmtls_dir dir)
{
    record(r, frame, dir, SIPMTLS_EV_TCP_GAP);
}

Test(handshake, tls12_lost_segment_in_the_server_flight_is_no_proof_of_no_request)
{
    run *r = new_run();

    /* The CertificateRequest's segment lost: the ServerHelloDone's frame
     * says "previous segment not captured". */
    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 2, SIPMTLS_TLS_1_2, false);
    certificate(r, 2, S, &leaf_server_auth);
    gap(r, 3, S);
    hs(r, 3, S, SIPMTLS_HS_SERVER_HELLO_DONE);
    certificate(r, 4, C, &leaf_client_auth);
    hs(r, 4, C, SIPMTLS_HS_CLIENT_KEY_EXCHANGE);
    record(r, 4, C, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    record(r, 4, C, SIPMTLS_EV_ENCRYPTED_HANDSHAKE);
    record(r, 5, S, SIPMTLS_EV_CHANGE_CIPHER_SPEC);
    record(r, 5, S, SIPMTLS_EV_ENCRYPTED_HANDSHAKE);
    const sipmtls_finding *v = verdict_on(r, 5);
    cr_assert_eq(v->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(v->reason, SIPMTLS_REASON_SEGMENT_LOST);
    cr_assert_eq(v->gap_frame, 3);
}

Test(handshake, an_acked_unseen_server_segment_counts_as_lost)
{
    run *r = new_run();
    sipmtls_event peer = { .kind = SIPMTLS_EV_TCP_PEER_GAP };

    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 2, SIPMTLS_TLS_1_2, false);
    feed(r, 3, C, peer);   /* the client acknowledges server bytes never seen */
    hs(r, 4, S, SIPMTLS_HS_SERVER_HELLO_DONE);
    tls12_client_flight(r, NULL, false);
    tls12_server_accepts(r);
    cr_assert_eq(verdict_on(r, 4)->reason, SIPMTLS_REASON_SEGMENT_LOST);
    cr_assert_eq(verdict_on(r, 4)->gap_frame, 3);
}

Test(handshake, a_lost_client_segment_leaves_the_flight_proof_alone)
{
    run *r = new_run();

    tls12_server_flight(r, false);
    gap(r, 3, C);
    tls12_client_flight(r, NULL, false);
    tls12_server_accepts(r);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_NO_REQUEST);
}

Test(handshake, tls12_without_server_hello_done_is_no_proof)
{
    run *r = new_run();

    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(r, 2, SIPMTLS_TLS_1_2, false);
    certificate(r, 2, S, &leaf_server_auth);
    record(r, 3, C, SIPMTLS_EV_APP_DATA);
    record(r, 4, S, SIPMTLS_EV_APP_DATA);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 4)->reason, SIPMTLS_REASON_FLIGHT_INCOMPLETE);
}

Test(handshake, capture_starting_at_the_clients_flight_learns_roles_in_the_frame)
{
    run *r = new_run();
    uint8_t type;
    uint32_t frame;

    /* The Certificate comes before the ClientKeyExchange that shows who
     * sent it: its clientAuth is the client's all the same. */
    certificate(r, 1, C, &leaf_client_auth);
    hs(r, 1, C, SIPMTLS_HS_CLIENT_KEY_EXCHANGE);
    cr_assert_eq(shown_certificate(r, 1)->sender, SIPMTLS_ROLE_CLIENT);
    cr_assert(sipmtls_conn_role_evidence(r->conn, &type, &frame));
    cr_assert_eq(type, SIPMTLS_HS_CLIENT_KEY_EXCHANGE);
    cr_assert_eq(frame, 1);
    alert(r, 2, S, 2, 43);
    cr_assert_eq(verdict_on(r, 2)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 2)->reason, SIPMTLS_REASON_START_NOT_CAPTURED);
}

Test(handshake, capture_starting_after_the_handshake_is_undetermined)
{
    run *r = new_run();

    record(r, 1, C, SIPMTLS_EV_APP_DATA);
    record(r, 2, S, SIPMTLS_EV_APP_DATA);
    cr_assert_eq(verdict_on(r, 2)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 2)->reason, SIPMTLS_REASON_NOT_CAPTURED);
    cr_assert_eq(n_verdicts(r), 1);
}

Test(handshake, records_then_a_client_hello_settle_the_unseen_handshake_first)
{
    run *r = new_run();

    record(r, 1, C, SIPMTLS_EV_APP_DATA);
    hs(r, 2, C, SIPMTLS_HS_CLIENT_HELLO);
    cr_assert_eq(verdict_on(r, 2)->reason, SIPMTLS_REASON_NOT_CAPTURED);
    cr_assert_eq(sipmtls_conn_n_handshakes(r->conn), 2);
    cr_assert_eq(sipmtls_conn_handshake(r->conn, 1)->kind, SIPMTLS_HANDSHAKE_RENEGOTIATION);
}

Test(handshake, refused_at_the_client_hello_is_undetermined)
{
    run *r = new_run(), *hrr = new_run();

    hs(r, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    alert(r, 2, S, 2, 40);
    cr_assert_eq(verdict_on(r, 2)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 2)->reason, SIPMTLS_REASON_BEFORE_SERVER_HELLO);

    hs(hrr, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(hrr, 2, SIPMTLS_TLS_1_3, true);
    record(hrr, 3, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(verdict_on(hrr, 3)->reason, SIPMTLS_REASON_BEFORE_SERVER_HELLO);
}

Test(handshake, tls13_keyed_no_request_needs_encrypted_extensions_to_finished)
{
    run *r = new_run(), *cut = new_run();

    tls13_server_flight(r, false);
    hs(r, 3, C, SIPMTLS_HS_FINISHED);
    hs(r, 4, S, SIPMTLS_HS_NEW_SESSION_TICKET);
    cr_assert_eq(verdict_on(r, 4)->verdict, SIPMTLS_VERDICT_NO_REQUEST);

    /* No EncryptedExtensions: where a request would stand is not seen. */
    hs(cut, 1, C, SIPMTLS_HS_CLIENT_HELLO);
    server_hello(cut, 2, SIPMTLS_TLS_1_3, false);
    certificate(cut, 3, S, &leaf_server_auth);
    hs(cut, 3, S, SIPMTLS_HS_FINISHED);
    hs(cut, 4, C, SIPMTLS_HS_FINISHED);
    record(cut, 5, S, SIPMTLS_EV_APP_DATA);
    cr_assert_eq(verdict_on(cut, 5)->reason, SIPMTLS_REASON_FLIGHT_INCOMPLETE);
}

Test(handshake, keyless_tls13_lost_segment_before_the_clients_flight_reads_nothing)
{
    run *r = new_run();

    tls13_keyless_server_flight(r, true, false);
    gap(r, 4, C);            /* the Certificate and CertificateVerify records */
    sized(r, 4, C, 69);      /* would read as "Finished only" */
    cr_assert_eq(inference_on(r, 4)->handshake->inferred_request, SIPMTLS_UNDECIDABLE);
    sized(r, 5, S, 1194);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 5)->reason, SIPMTLS_REASON_SEGMENT_LOST);
    cr_assert_eq(verdict_on(r, 5)->gap_frame, 4);
}

Test(handshake, keyless_tls13_tickets_then_close_is_no_rejection)
{
    run *r = new_run();

    /* openssl s_server -Verify 1: the client's chain, two tickets (sent
     * only once the flight is accepted), then close_notify and FIN. */
    tls13_keyless_server_flight(r, true, false);
    sized(r, 4, C, 1842);
    sized(r, 4, C, 281);
    sized(r, 4, C, 69);
    sized(r, 5, S, 1178);
    sized(r, 5, S, 1178);
    sized(r, 6, S, 19);
    record(r, 6, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(verdict_on(r, 6)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 6)->reason, SIPMTLS_REASON_CLOSED_AFTER_REPLY);
}

Test(handshake, tls13_keyed_ticket_then_close_is_no_rejection)
{
    run *r = new_run();

    tls13_server_flight(r, true);
    certificate(r, 3, C, &leaf_server_auth);
    hs(r, 3, C, SIPMTLS_HS_CERTIFICATE_VERIFY);
    hs(r, 3, C, SIPMTLS_HS_FINISHED);
    hs(r, 4, S, SIPMTLS_HS_NEW_SESSION_TICKET);
    record(r, 5, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(verdict_on(r, 5)->reason, SIPMTLS_REASON_CLOSED_AFTER_REPLY);
}

Test(handshake, tls12_other_bytes_from_the_server_then_close_is_no_rejection)
{
    run *r = new_run(), *plain = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_server_auth, true);
    tls12_server_accepts(r);
    record(r, 5, S, SIPMTLS_EV_OTHER_BYTES);
    record(r, 6, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(verdict_on(r, 6)->reason, SIPMTLS_REASON_CLOSED_AFTER_REPLY);

    /* Nothing in between: the application refused the client. */
    tls12_server_flight(plain, true);
    tls12_client_flight(plain, &leaf_server_auth, true);
    tls12_server_accepts(plain);
    record(plain, 6, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(verdict_on(plain, 6)->verdict, SIPMTLS_VERDICT_REJECTED);
}

Test(handshake, a_lost_server_segment_before_its_close_is_no_rejection)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    tls12_client_flight(r, &leaf_server_auth, true);
    tls12_server_accepts(r);
    gap(r, 6, S);            /* its answer to the client may be in it */
    record(r, 6, S, SIPMTLS_EV_TCP_FIN);
    cr_assert_eq(verdict_on(r, 6)->reason, SIPMTLS_REASON_SEGMENT_LOST);
    cr_assert_eq(verdict_on(r, 6)->gap_frame, 6);
}

Test(handshake, a_lost_client_segment_hides_the_answer)
{
    run *r = new_run();

    tls12_server_flight(r, true);
    gap(r, 3, C);            /* the client's Certificate */
    tls12_client_flight(r, NULL, false);
    tls12_server_accepts(r);
    server_answers(r);
    cr_assert_eq(verdict_on(r, 5)->verdict, SIPMTLS_VERDICT_UNDETERMINED,
                 "not 'optional, none sent': the Certificate may be in the lost segment");
    cr_assert_eq(verdict_on(r, 5)->reason, SIPMTLS_REASON_SEGMENT_LOST);
}

Test(handshake, what_is_open_at_the_end_of_the_capture_is_settled_there)
{
    run *r = new_run();
    sipmtls_finding f;

    tls12_server_flight(r, true);
    const sipmtls_handshake *h = sipmtls_conn_handshake(r->conn, 0);
    cr_assert(sipmtls_settle_at_end(h, &f));
    cr_assert_eq(f.kind, SIPMTLS_FINDING_VERDICT);
    cr_assert_eq(f.verdict, SIPMTLS_VERDICT_UNDETERMINED);
    cr_assert_eq(f.reason, SIPMTLS_REASON_CAPTURE_ENDS);
    cr_assert(f.at_end);
    tls12_client_flight(r, &leaf_server_auth, true);
    alert(r, 4, S, 2, 43);
    cr_assert_not(sipmtls_settle_at_end(h, &f), "settled by a frame: nothing to add");
}

Test(handshake, verdict_names_are_stable)
{
    cr_assert_str_eq(sipmtls_verdict_name(SIPMTLS_VERDICT_REJECTED), "Rejected");
    cr_assert_str_eq(sipmtls_verdict_name(SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED),
                     "Client certificate with clientAuth accepted");
    cr_assert_str_eq(sipmtls_verdict_name(SIPMTLS_VERDICT_NONE), "Not settled");
    cr_assert_eq(SIPMTLS_VERDICT_NO_REQUEST, 1, "filters use the numbers");
    cr_assert_eq(SIPMTLS_VERDICT_UNDETERMINED, 7, "filters use the numbers");
}
