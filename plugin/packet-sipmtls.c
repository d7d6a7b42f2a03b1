/* packet-sipmtls.c
 * Routines for the SIP-TLS mutual TLS audit (sipmtls), a post-dissector.
 *
 * Public CAs stop putting id-kp-clientAuth into TLS server certificates in
 * 2026-2027.  A SIP endpoint that asks its peer for a client certificate
 * (a TLS CertificateRequest) and checks its purpose will reject a peer whose
 * renewed certificate lacks it.  This post-dissector marks, on TLS
 * connections where either end uses a SIP-TLS port, the frames that carry a
 * CertificateRequest and the certificates that carry clientAuth.
 *
 * Per frame, in order:
 *   1. on the first pass only (Wireshark fills the wanted fields then and
 *      only then): check the ports, read the handshake messages from the
 *      TLS/X.509 fields (tls_fields.c), feed them to the connection's core
 *      state (core/conn.c), and keep the resulting report with the frame;
 *   2. on every pass: draw the kept report as tree items and expert infos.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/address_types.h>
#include <epan/conversation.h>
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/range.h>
#include <epan/to_str.h>
#include <wsutil/str_util.h>

#include "packet-sipmtls.h"
#include "sipmtls.h"
#include "sipmtls_x509.h"
#include "tls_fields.h"

#define SIPMTLS_DEFAULT_PORTS "5061"

static int proto_sipmtls = -1;

static int hf_cert_request = -1;
static int hf_client_auth_eku = -1;
static int hf_chain = -1;
static int hf_chain_length = -1;
static int hf_cert = -1;
static int hf_cert_sender = -1;
static int hf_cert_position = -1;
static int hf_cert_subject = -1;
static int hf_cert_issuer = -1;
static int hf_cert_eku_present = -1;
static int hf_cert_eku = -1;
static int hf_cert_client_auth = -1;
static int hf_cert_not_before = -1;
static int hf_cert_not_after = -1;

static gint ett_sipmtls = -1;
static gint ett_chain = -1;
static gint ett_cert = -1;

static expert_field ei_cert_request = EI_INIT;
static expert_field ei_client_auth_from_client = EI_INIT;
static expert_field ei_client_auth_from_server = EI_INIT;

static dissector_handle_t sipmtls_handle;

/* Preferences */
static range_t *audited_ports = NULL;

static const value_string role_vals[] = {
    { SIPMTLS_ROLE_UNKNOWN, "Unknown side" },
    { SIPMTLS_ROLE_CLIENT,  "TLS client" },
    { SIPMTLS_ROLE_SERVER,  "TLS server" },
    { 0, NULL }
};

/* What sipmtls keeps per TCP connection, in file scope: the core's state
 * and the endpoint it calls "A" (the sender of the first frame it saw). */
typedef struct sipmtls_conversation {
    sipmtls_conn *conn;
    address       a_addr;
    guint32       a_port;
} sipmtls_conversation;

static void *
file_scope_alloc0(void *ctx _U_, size_t size)
{
    return wmem_alloc0(wmem_file_scope(), size);
}

static const sipmtls_allocator file_scope_allocator = { file_scope_alloc0, NULL };

static gboolean
is_audited(const packet_info *pinfo)
{
    return pinfo->ptype == PT_TCP
           && (value_is_in_range(audited_ports, pinfo->srcport)
               || value_is_in_range(audited_ports, pinfo->destport));
}

static sipmtls_conversation *
conversation_state(packet_info *pinfo)
{
    conversation_t *conv = find_or_create_conversation(pinfo);
    sipmtls_conversation *state = conversation_get_proto_data(conv, proto_sipmtls);

    if (state == NULL) {
        state = wmem_new0(wmem_file_scope(), sipmtls_conversation);
        state->conn = sipmtls_conn_new(&file_scope_allocator);
        copy_address_wmem(wmem_file_scope(), &state->a_addr, &pinfo->src);
        state->a_port = pinfo->srcport;
        conversation_add_proto_data(conv, proto_sipmtls, state);
    }
    return state;
}

static sipmtls_dir
direction_of(const sipmtls_conversation *state, const packet_info *pinfo)
{
    if (pinfo->srcport == state->a_port && addresses_equal(&pinfo->src, &state->a_addr))
        return SIPMTLS_DIR_A_TO_B;
    return SIPMTLS_DIR_B_TO_A;
}

typedef struct observe_ctx {
    sipmtls_conversation *state;
    sipmtls_dir           dir;
    sipmtls_frame_report *report;
} observe_ctx;

static void
observe_message(const sipmtls_handshake_obs *msg, void *user)
{
    observe_ctx *ctx = user;
    sipmtls_conn_observe(ctx->state->conn, ctx->dir, msg, ctx->report);
}

/* First pass: what this frame shows, kept in file scope; NULL for nothing. */
static sipmtls_frame_report *
analyse_frame(packet_info *pinfo, proto_tree *tree)
{
    sipmtls_frame_report report;
    observe_ctx ctx;

    if (!is_audited(pinfo) || !tls_fields_frame_has_handshake(tree))
        return NULL;
    memset(&report, 0, sizeof report);
    ctx.state = conversation_state(pinfo);
    ctx.dir = direction_of(ctx.state, pinfo);
    ctx.report = &report;
    tls_fields_foreach_handshake(pinfo, tree, observe_message, &ctx);
    if (report.n_findings == 0)
        return NULL;
    return wmem_memdup(wmem_file_scope(), &report, sizeof report);
}

static const char *
endpoint_text(packet_info *pinfo, const address *addr, guint32 port)
{
    char *a = address_to_str(pinfo->pool, addr);
    /* IPv6 addresses take brackets so the port stays readable. */
    if (addr->type == AT_IPv6)
        return wmem_strdup_printf(pinfo->pool, "[%s]:%u", a, port);
    return wmem_strdup_printf(pinfo->pool, "%s:%u", a, port);
}

static const char *
role_prefix(sipmtls_role role)
{
    switch (role) {
    case SIPMTLS_ROLE_CLIENT: return "TLS client ";
    case SIPMTLS_ROLE_SERVER: return "TLS server ";
    default:                  return "";
    }
}

static void
add_time(proto_tree *tree, int hf, tvbuff_t *tvb, sipmtls_time t)
{
    nstime_t ns;

    if (!t.valid)
        return;
    ns.secs = (time_t)t.secs;
    ns.nsecs = 0;
    proto_item_set_generated(proto_tree_add_time(tree, hf, tvb, 0, 0, &ns));
}

static void
add_cert(proto_tree *tree, tvbuff_t *tvb, const sipmtls_finding *f, unsigned pos)
{
    const sipmtls_cert *c = &f->certs[pos];
    proto_item *ti;
    proto_tree *ct;

    ti = proto_tree_add_none_format(tree, hf_cert, tvb, 0, 0, "Certificate %u%s: %s", pos,
                                    pos == 0 ? " (leaf)" : "",
                                    c->subject[0] ? c->subject : "(no subject)");
    proto_item_set_generated(ti);
    ct = proto_item_add_subtree(ti, ett_cert);
    proto_item_set_generated(proto_tree_add_uint(ct, hf_cert_sender, tvb, 0, 0, f->sender));
    proto_item_set_generated(proto_tree_add_uint(ct, hf_cert_position, tvb, 0, 0, pos));
    proto_item_set_generated(proto_tree_add_string(ct, hf_cert_subject, tvb, 0, 0, c->subject));
    proto_item_set_generated(proto_tree_add_string(ct, hf_cert_issuer, tvb, 0, 0, c->issuer));
    proto_item_set_generated(proto_tree_add_boolean(ct, hf_cert_eku_present, tvb, 0, 0,
                                                    c->has_eku_extension));
    for (unsigned i = 0; i < c->n_ekus; i++) {
        const char *name = sipmtls_eku_name(c->ekus[i]);
        ti = proto_tree_add_string_format_value(ct, hf_cert_eku, tvb, 0, 0, c->ekus[i], "%s%s%s%s",
                                                c->ekus[i], name ? " (" : "", name ? name : "",
                                                name ? ")" : "");
        proto_item_set_generated(ti);
    }
    proto_item_set_generated(proto_tree_add_boolean(ct, hf_cert_client_auth, tvb, 0, 0,
                                                    c->client_auth));
    add_time(ct, hf_cert_not_before, tvb, c->not_before);
    add_time(ct, hf_cert_not_after, tvb, c->not_after);
}

static void
add_certificate_finding(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                        const sipmtls_finding *f)
{
    const char *sender = endpoint_text(pinfo, &pinfo->src, pinfo->srcport);
    proto_item *ti;
    proto_tree *chain;

    ti = proto_tree_add_uint_format(tree, hf_chain, tvb, 0, 0, f->n_certs_seen,
                                    "Certificate message from %s%s (%u certificate%s%s)",
                                    role_prefix(f->sender), sender, f->n_certs_seen,
                                    plurality(f->n_certs_seen, "", "s"),
                                    f->n_certs_seen == 0 ? ": empty, no certificate sent" : "");
    proto_item_set_generated(ti);
    chain = proto_item_add_subtree(ti, ett_chain);
    proto_item_set_generated(proto_tree_add_uint(chain, hf_chain_length, tvb, 0, 0,
                                                 f->n_certs_seen));
    if (f->client_auth_index >= 0) {
        const char *subject = f->certs[f->client_auth_index].subject;

        ti = proto_tree_add_boolean(chain, hf_client_auth_eku, tvb, 0, 0, TRUE);
        proto_item_set_generated(ti);
        if (f->sender == SIPMTLS_ROLE_CLIENT)
            expert_add_info_format(pinfo, ti, &ei_client_auth_from_client,
                                   "TLS client %s presents a certificate with the clientAuth EKU "
                                   "(%s): this connection relies on an EKU that public CAs stop "
                                   "issuing", sender, subject);
        else if (f->sender == SIPMTLS_ROLE_SERVER)
            expert_add_info_format(pinfo, ti, &ei_client_auth_from_server,
                                   "TLS server %s presents a certificate with the clientAuth EKU "
                                   "(%s): public CAs stop issuing it, a renewed certificate will "
                                   "not carry it", sender, subject);
    }
    for (unsigned i = 0; i < f->n_certs; i++)
        add_cert(chain, tvb, f, i);
}

static void
add_report(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
           const sipmtls_frame_report *report)
{
    proto_item *ti = proto_tree_add_item(tree, proto_sipmtls, tvb, 0, 0, ENC_NA);
    proto_tree *st = proto_item_add_subtree(ti, ett_sipmtls);

    proto_item_set_generated(ti);
    for (unsigned i = 0; i < report->n_findings; i++) {
        const sipmtls_finding *f = &report->findings[i];

        switch (f->kind) {
        case SIPMTLS_FINDING_CERT_REQUEST:
            ti = proto_tree_add_boolean(st, hf_cert_request, tvb, 0, 0, TRUE);
            proto_item_set_generated(ti);
            expert_add_info_format(pinfo, ti, &ei_cert_request,
                                   "%s%s requests a client certificate from %s "
                                   "(CertificateRequest: mutual TLS)",
                                   role_prefix(f->sender),
                                   endpoint_text(pinfo, &pinfo->src, pinfo->srcport),
                                   endpoint_text(pinfo, &pinfo->dst, pinfo->destport));
            break;
        case SIPMTLS_FINDING_CERTIFICATE:
            add_certificate_finding(st, tvb, pinfo, f);
            break;
        }
    }
}

static int
dissect_sipmtls(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    sipmtls_frame_report *report;

    if (!PINFO_FD_VISITED(pinfo)) {
        report = analyse_frame(pinfo, tree);
        if (report != NULL)
            p_add_proto_data(wmem_file_scope(), pinfo, proto_sipmtls, 0, report);
    } else {
        report = (sipmtls_frame_report *)p_get_proto_data(wmem_file_scope(), pinfo,
                                                          proto_sipmtls, 0);
    }
    if (report == NULL)
        return 0;
    add_report(tvb, pinfo, tree, report);
    return tvb_captured_length(tvb);
}

void
proto_register_sipmtls(void)
{
    static hf_register_info hf[] = {
        { &hf_cert_request,
          { "CertificateRequest", "sipmtls.cert_request", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "This frame carries a TLS CertificateRequest: the sender asks its peer for a "
            "client certificate (mutual TLS)", HFILL } },
        { &hf_client_auth_eku,
          { "Certificate with clientAuth EKU", "sipmtls.client_auth_eku", FT_BOOLEAN, BASE_NONE,
            NULL, 0x0, "A certificate in this Certificate message lists id-kp-clientAuth "
            "(1.3.6.1.5.5.7.3.2)", HFILL } },
        { &hf_chain,
          { "Certificate message", "sipmtls.chain", FT_UINT32, BASE_DEC, NULL, 0x0,
            "A TLS Certificate message and the certificates it presents", HFILL } },
        { &hf_chain_length,
          { "Certificates presented", "sipmtls.chain.length", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Number of certificates in the Certificate message (0: empty, none sent)", HFILL } },
        { &hf_cert,
          { "Certificate", "sipmtls.cert", FT_NONE, BASE_NONE, NULL, 0x0,
            "One presented certificate", HFILL } },
        { &hf_cert_sender,
          { "Sent by", "sipmtls.cert.sender", FT_UINT8, BASE_DEC, VALS(role_vals), 0x0,
            "Which side of the TLS connection presented the certificate", HFILL } },
        { &hf_cert_position,
          { "Position in chain", "sipmtls.cert.position", FT_UINT32, BASE_DEC, NULL, 0x0,
            "0 is the leaf (the sender's own certificate), then its issuers", HFILL } },
        { &hf_cert_subject,
          { "Subject", "sipmtls.cert.subject", FT_STRING, BASE_NONE, NULL, 0x0,
            "Subject distinguished name (RFC 4514)", HFILL } },
        { &hf_cert_issuer,
          { "Issuer", "sipmtls.cert.issuer", FT_STRING, BASE_NONE, NULL, 0x0,
            "Issuer distinguished name (RFC 4514)", HFILL } },
        { &hf_cert_eku_present,
          { "Has Extended Key Usage", "sipmtls.cert.eku_present", FT_BOOLEAN, BASE_NONE, NULL,
            0x0, "The certificate has an extKeyUsage extension (without one it is valid for "
            "any purpose)", HFILL } },
        { &hf_cert_eku,
          { "Extended Key Usage", "sipmtls.cert.eku", FT_STRING, BASE_NONE, NULL, 0x0,
            "A KeyPurposeId the certificate lists (dotted OID)", HFILL } },
        { &hf_cert_client_auth,
          { "Has clientAuth", "sipmtls.cert.client_auth", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The certificate lists id-kp-clientAuth (1.3.6.1.5.5.7.3.2)", HFILL } },
        { &hf_cert_not_before,
          { "Not before", "sipmtls.cert.not_before", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL,
            0x0, "Start of the certificate's validity", HFILL } },
        { &hf_cert_not_after,
          { "Not after", "sipmtls.cert.not_after", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL,
            0x0, "End of the certificate's validity", HFILL } },
    };

    static gint *ett[] = {
        &ett_sipmtls,
        &ett_chain,
        &ett_cert,
    };

    static ei_register_info ei[] = {
        { &ei_cert_request,
          { "sipmtls.expert.cert_request", PI_SECURITY, PI_WARN,
            "CertificateRequest: a client certificate is requested (mutual TLS)", EXPFILL } },
        { &ei_client_auth_from_client,
          { "sipmtls.expert.client_auth.client", PI_SECURITY, PI_WARN,
            "TLS client presents a certificate with the clientAuth EKU", EXPFILL } },
        { &ei_client_auth_from_server,
          { "sipmtls.expert.client_auth.server", PI_SECURITY, PI_WARN,
            "TLS server presents a certificate with the clientAuth EKU", EXPFILL } },
    };

    module_t *sipmtls_module;
    expert_module_t *expert_sipmtls;

    proto_sipmtls = proto_register_protocol("SIP-TLS Mutual TLS Audit", "SIPMTLS", "sipmtls");
    proto_register_field_array(proto_sipmtls, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_sipmtls = expert_register_protocol(proto_sipmtls);
    expert_register_field_array(expert_sipmtls, ei, array_length(ei));

    range_convert_str(wmem_epan_scope(), &audited_ports, SIPMTLS_DEFAULT_PORTS, 65535);
    sipmtls_module = prefs_register_protocol(proto_sipmtls, NULL);
    prefs_register_range_preference(sipmtls_module, "ports", "SIP-TLS ports",
                                    "TCP ports of SIP over TLS: a TLS connection is audited "
                                    "when either end uses one of these ports",
                                    &audited_ports, 65535);

    sipmtls_handle = register_dissector("sipmtls", dissect_sipmtls, proto_sipmtls);
}

void
proto_reg_handoff_sipmtls(void)
{
    register_postdissector(sipmtls_handle);
    set_postdissector_wanted_hfids(sipmtls_handle, tls_fields_init());
}
