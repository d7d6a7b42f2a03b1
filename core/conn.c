/* conn.c
 * One TLS connection as the core follows it.
 *
 * The core sees handshake messages in capture order, each with the direction
 * it travelled.  It first learns the roles: whoever sends a ClientHello is
 * the TLS client, whoever sends a ServerHello (or any message only a server
 * sends) is the TLS server, and the other direction gets the other role.
 * The first evidence wins, so a hostile capture cannot flip the roles
 * half-way.  Then:
 *   - a CertificateRequest is a finding: its sender asks its peer for a
 *     client certificate (mutual TLS);
 *   - a Certificate message is a finding: its chain is copied (bounded) and
 *     each certificate is checked for id-kp-clientAuth, so the glue can say
 *     whether a client relies on that EKU or a server still carries it.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "sipmtls.h"
#include "sipmtls_x509.h"

#include <string.h>

struct sipmtls_conn {
    const sipmtls_allocator *alloc;
    sipmtls_role             role[2];   /* indexed by sipmtls_dir */
};

/* Which role a handshake message proves its sender has.  Certificate and
 * CertificateVerify are sent by both sides, so they prove nothing. */
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

static sipmtls_role
other_role(sipmtls_role r)
{
    return r == SIPMTLS_ROLE_CLIENT ? SIPMTLS_ROLE_SERVER : SIPMTLS_ROLE_CLIENT;
}

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

static void
learn_roles(sipmtls_conn *conn, sipmtls_dir dir, uint8_t type)
{
    sipmtls_role r = sender_role_of(type);

    if (r == SIPMTLS_ROLE_UNKNOWN || conn->role[dir] != SIPMTLS_ROLE_UNKNOWN)
        return;
    conn->role[dir] = r;
    conn->role[!dir] = other_role(r);
}

static sipmtls_finding *
new_finding(sipmtls_frame_report *report, sipmtls_finding_kind kind,
            sipmtls_dir dir, sipmtls_role sender)
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
    f->sender = sender;
    f->client_auth_index = -1;
    return f;
}

static void
copy_cert(const sipmtls_allocator *a, sipmtls_cert *dst, const sipmtls_cert_obs *src)
{
    dst->subject = copy_text(a, src->subject);
    dst->issuer = copy_text(a, src->issuer);
    dst->has_eku_extension = src->has_eku_extension;
    dst->not_before = src->not_before;
    dst->not_after = src->not_after;
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

static void
record_certificate(sipmtls_conn *conn, sipmtls_dir dir,
                   const sipmtls_handshake_obs *msg, sipmtls_frame_report *report)
{
    sipmtls_finding *f = new_finding(report, SIPMTLS_FINDING_CERTIFICATE, dir,
                                     conn->role[dir]);
    unsigned n;

    if (f == NULL)
        return;
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
}

void
sipmtls_conn_observe(sipmtls_conn *conn, sipmtls_dir dir,
                     const sipmtls_handshake_obs *msg,
                     sipmtls_frame_report *report)
{
    dir &= 1;
    learn_roles(conn, dir, msg->type);

    switch (msg->type) {
    case SIPMTLS_HS_CERTIFICATE_REQUEST:
        new_finding(report, SIPMTLS_FINDING_CERT_REQUEST, dir, conn->role[dir]);
        break;
    case SIPMTLS_HS_CERTIFICATE:
        record_certificate(conn, dir, msg, report);
        break;
    default:
        break;
    }
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
