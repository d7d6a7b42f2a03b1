/* test_conn.c
 * The connection core: roles, CertificateRequest and Certificate findings,
 * bounds on what a hostile capture can make it keep.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "sipmtls.h"

TestSuite(conn, .fini = free_arena);

static const char *const client_auth_ekus[] = { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" };
static const char *const server_auth_ekus[] = { "1.3.6.1.5.5.7.3.1" };

static sipmtls_handshake_obs
msg_of(uint8_t type)
{
    sipmtls_handshake_obs m;
    memset(&m, 0, sizeof m);
    m.type = type;
    return m;
}

static sipmtls_handshake_obs
certificate_of(const sipmtls_cert_obs *certs, unsigned n)
{
    sipmtls_handshake_obs m = msg_of(SIPMTLS_HS_CERTIFICATE);
    m.certs = certs;
    m.n_certs = n;
    m.n_certs_listed = n;
    return m;
}

/* Counts the findings of one kind in a report. */
static unsigned
n_of(const sipmtls_frame_report *r, sipmtls_finding_kind kind)
{
    unsigned n = 0;
    for (unsigned i = 0; i < r->n_findings; i++)
        n += r->findings[i].kind == kind;
    return n;
}

/* The i-th finding that is not a HANDSHAKE_START (which only statistics use). */
static const sipmtls_finding *
shown(const sipmtls_frame_report *r, unsigned i)
{
    for (unsigned k = 0; k < r->n_findings; k++) {
        if (r->findings[k].kind == SIPMTLS_FINDING_HANDSHAKE_START)
            continue;
        if (i-- == 0)
            return &r->findings[k];
    }
    cr_assert_fail("report has fewer shown findings than asked for");
    return NULL;
}

/* Feeds a TLS 1.2 full handshake up to the server's CertificateRequest:
 * A is the client, B the server. */
static void
tls12_hello(sipmtls_conn *c, sipmtls_frame_report *r, bool request)
{
    sipmtls_handshake_obs ch = msg_of(SIPMTLS_HS_CLIENT_HELLO);
    sipmtls_handshake_obs sh = msg_of(SIPMTLS_HS_SERVER_HELLO);
    sipmtls_handshake_obs cr = msg_of(SIPMTLS_HS_CERTIFICATE_REQUEST);

    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &ch, r);
    sipmtls_conn_observe(c, SIPMTLS_DIR_B_TO_A, &sh, r);
    if (request)
        sipmtls_conn_observe(c, SIPMTLS_DIR_B_TO_A, &cr, r);
}

Test(conn, client_hello_sender_is_the_client)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_handshake_obs ch = msg_of(SIPMTLS_HS_CLIENT_HELLO);

    cr_assert_eq(sipmtls_conn_role(c, SIPMTLS_DIR_A_TO_B), SIPMTLS_ROLE_UNKNOWN);
    sipmtls_conn_observe(c, SIPMTLS_DIR_B_TO_A, &ch, &r);
    cr_assert_eq(sipmtls_conn_role(c, SIPMTLS_DIR_B_TO_A), SIPMTLS_ROLE_CLIENT);
    cr_assert_eq(sipmtls_conn_role(c, SIPMTLS_DIR_A_TO_B), SIPMTLS_ROLE_SERVER);
    cr_assert_eq(r.n_findings, 1);
    cr_assert_eq(r.findings[0].kind, SIPMTLS_FINDING_HANDSHAKE_START,
                 "a ClientHello only starts a handshake");
}

Test(conn, first_evidence_of_roles_wins)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_handshake_obs ch = msg_of(SIPMTLS_HS_CLIENT_HELLO);

    tls12_hello(c, &r, false);
    /* A hostile ClientHello from the server must not swap the roles. */
    sipmtls_conn_observe(c, SIPMTLS_DIR_B_TO_A, &ch, &r);
    cr_assert_eq(sipmtls_conn_role(c, SIPMTLS_DIR_A_TO_B), SIPMTLS_ROLE_CLIENT);
    cr_assert_eq(sipmtls_conn_role(c, SIPMTLS_DIR_B_TO_A), SIPMTLS_ROLE_SERVER);
}

Test(conn, certificate_request_is_a_finding_from_the_server)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };

    tls12_hello(c, &r, true);
    cr_assert_eq(n_of(&r, SIPMTLS_FINDING_CERT_REQUEST), 1);
    cr_assert_eq(shown(&r, 0)->kind, SIPMTLS_FINDING_CERT_REQUEST);
    cr_assert_eq(shown(&r, 0)->sender, SIPMTLS_ROLE_SERVER);
    cr_assert_eq(shown(&r, 0)->dir, SIPMTLS_DIR_B_TO_A);
    cr_assert(sipmtls_report_has(&r, SIPMTLS_FINDING_CERT_REQUEST));
}

Test(conn, certificate_request_alone_teaches_roles)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_handshake_obs cr = msg_of(SIPMTLS_HS_CERTIFICATE_REQUEST);

    /* Capture started after the hellos. */
    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cr, &r);
    cr_assert_eq(shown(&r, 0)->sender, SIPMTLS_ROLE_SERVER);
    cr_assert_eq(sipmtls_conn_role(c, SIPMTLS_DIR_B_TO_A), SIPMTLS_ROLE_CLIENT);
}

Test(conn, client_chain_with_client_auth_is_flagged_on_the_leaf)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_cert_obs chain[2] = {
        { "CN=trunk.carrier.example", "CN=Test Intermediate", client_auth_ekus, 2, true,
          { 100, true }, { 200, true }, NULL, 0 },
        { "CN=Test Intermediate", "CN=Test Root", NULL, 0, false, { 0, false }, { 0, false }, NULL, 0 },
    };
    sipmtls_handshake_obs cert = certificate_of(chain, 2);

    tls12_hello(c, &r, true);
    memset(&r, 0, sizeof r);
    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cert, &r);

    cr_assert_eq(r.n_findings, 1);
    const sipmtls_finding *f = shown(&r, 0);
    cr_assert_eq(f->kind, SIPMTLS_FINDING_CERTIFICATE);
    cr_assert_eq(f->sender, SIPMTLS_ROLE_CLIENT);
    cr_assert_eq(f->n_certs, 2);
    cr_assert_eq(f->n_certs_seen, 2);
    cr_assert_eq(f->client_auth_index, 0);
    cr_assert_str_eq(f->certs[0].subject, "CN=trunk.carrier.example");
    cr_assert_str_eq(f->certs[0].issuer, "CN=Test Intermediate");
    cr_assert_eq(f->certs[0].n_ekus, 2);
    cr_assert_str_eq(f->certs[0].ekus[1], "1.3.6.1.5.5.7.3.2");
    cr_assert(f->certs[0].client_auth);
    cr_assert(f->certs[0].has_eku_extension);
    cr_assert_eq(f->certs[0].not_before.secs, 100);
    cr_assert_not(f->certs[1].client_auth);
    cr_assert_not(f->certs[1].has_eku_extension);
    cr_assert(sipmtls_report_has_client_auth(&r));
}

Test(conn, copies_strings_so_the_observation_can_go_away)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    char subject[] = "CN=volatile";
    sipmtls_cert_obs leaf = { subject, NULL, NULL, 0, false, { 0, false }, { 0, false }, NULL, 0 };
    sipmtls_handshake_obs cert = certificate_of(&leaf, 1);

    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cert, &r);
    memset(subject, 'X', sizeof subject - 1);
    cr_assert_str_eq(shown(&r, 0)->certs[0].subject, "CN=volatile");
    cr_assert_str_eq(shown(&r, 0)->certs[0].issuer, "", "a missing issuer reads as empty");
}

Test(conn, server_auth_only_chain_is_not_flagged)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_cert_obs leaf = { "CN=renewed", "CN=CA", server_auth_ekus, 1, true,
                              { 0, false }, { 0, false }, NULL, 0 };
    sipmtls_handshake_obs cert = certificate_of(&leaf, 1);

    tls12_hello(c, &r, true);
    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cert, &r);
    cr_assert_eq(shown(&r, 1)->client_auth_index, -1);
    cr_assert_not(sipmtls_report_has_client_auth(&r));
}

Test(conn, server_certificate_is_attributed_to_the_server)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_cert_obs leaf = { "CN=sbc", "CN=CA", client_auth_ekus, 2, true,
                              { 0, false }, { 0, false }, NULL, 0 };
    sipmtls_handshake_obs cert = certificate_of(&leaf, 1);

    tls12_hello(c, &r, false);
    sipmtls_conn_observe(c, SIPMTLS_DIR_B_TO_A, &cert, &r);
    cr_assert_eq(shown(&r, 0)->sender, SIPMTLS_ROLE_SERVER);
    cr_assert_eq(shown(&r, 0)->client_auth_index, 0);
}

Test(conn, empty_certificate_message_is_kept_as_zero_certificates)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_handshake_obs cert = certificate_of(NULL, 0);

    tls12_hello(c, &r, true);
    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cert, &r);
    cr_assert_eq(n_of(&r, SIPMTLS_FINDING_CERTIFICATE), 1);
    cr_assert_eq(shown(&r, 1)->n_certs_seen, 0);
    cr_assert_null(shown(&r, 1)->certs);
    cr_assert_eq(shown(&r, 1)->client_auth_index, -1);
}

Test(conn, certificate_before_any_role_evidence_has_unknown_sender)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_cert_obs leaf = { "CN=x", "CN=y", client_auth_ekus, 2, true, { 0, false }, { 0, false }, NULL, 0 };
    sipmtls_handshake_obs cert = certificate_of(&leaf, 1);

    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cert, &r);
    cr_assert_eq(shown(&r, 0)->sender, SIPMTLS_ROLE_UNKNOWN);
}

Test(conn, long_chains_are_counted_but_stored_bounded)
{
    enum { N = 10000 };
    static sipmtls_cert_obs chain[N];
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_handshake_obs cert = certificate_of(chain, SIPMTLS_MAX_CERTS_PER_MSG);

    for (unsigned i = 0; i < N; i++)
        chain[i].subject = "CN=again";
    cert.n_certs_listed = N;
    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cert, &r);
    cr_assert_eq(shown(&r, 0)->n_certs, SIPMTLS_MAX_CERTS_PER_MSG);
    cr_assert_eq(shown(&r, 0)->n_certs_seen, N);
}

Test(conn, glue_passing_more_certs_than_the_bound_is_clamped)
{
    enum { N = SIPMTLS_MAX_CERTS_PER_MSG * 3 };
    static sipmtls_cert_obs chain[N];
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_handshake_obs cert = certificate_of(chain, N);

    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cert, &r);
    cr_assert_eq(shown(&r, 0)->n_certs, SIPMTLS_MAX_CERTS_PER_MSG);
    cr_assert_eq(shown(&r, 0)->n_certs_seen, N);
}

Test(conn, client_auth_past_the_stored_ekus_still_counts)
{
    enum { N = SIPMTLS_MAX_EKUS_PER_CERT + 5 };
    const char *ekus[N];
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_cert_obs leaf = { "CN=x", "CN=y", ekus, N, true, { 0, false }, { 0, false }, NULL, 0 };
    sipmtls_handshake_obs cert = certificate_of(&leaf, 1);

    for (unsigned i = 0; i < N; i++)
        ekus[i] = "1.3.6.1.5.5.7.3.1";
    ekus[N - 1] = "1.3.6.1.5.5.7.3.2";
    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cert, &r);
    cr_assert_eq(shown(&r, 0)->certs[0].n_ekus, SIPMTLS_MAX_EKUS_PER_CERT);
    cr_assert_eq(shown(&r, 0)->certs[0].n_ekus_seen, N);
    cr_assert(shown(&r, 0)->certs[0].client_auth);
}

Test(conn, findings_past_the_frame_bound_are_counted_as_dropped)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_handshake_obs cr = msg_of(SIPMTLS_HS_CERTIFICATE_REQUEST);

    for (int i = 0; i < SIPMTLS_MAX_FINDINGS_PER_FRAME + 3; i++)
        sipmtls_conn_observe(c, SIPMTLS_DIR_B_TO_A, &cr, &r);
    cr_assert_eq(r.n_findings, SIPMTLS_MAX_FINDINGS_PER_FRAME);
    /* The first request also opened the handshake: one finding more. */
    cr_assert_eq(r.n_dropped, 4);
}

Test(conn, overlong_and_null_strings_are_bounded)
{
    static char huge[SIPMTLS_MAX_TEXT * 4];
    const char *ekus[] = { NULL, "1.3.6.1.5.5.7.3.2" };
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };
    sipmtls_cert_obs leaf = { huge, NULL, ekus, 2, true, { 0, false }, { 0, false }, NULL, 0 };
    sipmtls_handshake_obs cert = certificate_of(&leaf, 1);

    memset(huge, 'a', sizeof huge - 1);
    sipmtls_conn_observe(c, SIPMTLS_DIR_A_TO_B, &cert, &r);
    cr_assert_eq(strlen(shown(&r, 0)->certs[0].subject), SIPMTLS_MAX_TEXT - 1);
    cr_assert_eq(shown(&r, 0)->certs[0].n_ekus, 1, "a NULL EKU is skipped");
    cr_assert(shown(&r, 0)->certs[0].client_auth);
}

Test(conn, unknown_message_types_are_ignored)
{
    sipmtls_conn *c = sipmtls_conn_new(&arena);
    sipmtls_frame_report r = { 0 };

    for (int t = 0; t < 256; t++) {
        sipmtls_handshake_obs m = msg_of((uint8_t)t);
        if (t == SIPMTLS_HS_CERTIFICATE || t == SIPMTLS_HS_CERTIFICATE_REQUEST)
            continue;
        sipmtls_conn_observe(c, (sipmtls_dir)(t & 1), &m, &r);
    }
    /* Only the first message opens a handshake; nothing settles it. */
    cr_assert_eq(r.n_findings, 1);
    cr_assert_eq(r.findings[0].kind, SIPMTLS_FINDING_HANDSHAKE_START);
}
