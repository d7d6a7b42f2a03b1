/* packet-sipmtls.c
 * Routines for the SIP-TLS Mutual TLS Audit (sipmtls).
 *
 * Public CAs stop putting id-kp-clientAuth into TLS server certificates in
 * 2026-2027.  A SIP endpoint that asks its peer for a client certificate
 * (a TLS CertificateRequest) and checks its purpose will reject a peer whose
 * renewed certificate lacks it.  On TLS connections where either end uses a
 * SIP-TLS port (or, with the sip_on_any_port preference, whose decrypted
 * payload is SIP), this dissector marks the CertificateRequests, the
 * certificates presented and whether they carry clientAuth, and follows
 * each handshake to its outcome and verdict.
 *
 * sipmtls is no post-dissector: fact_tree.c, in front of TCP, calls it on a
 * frame once TCP and every layer above it are done, and only on the frames
 * of audited connections.  Per such frame, in order:
 *   1. on the first pass only: if the frame carried a TCP segment of an
 *      audited connection, fact_tree.c had TCP, TLS, X.509 and SIP put
 *      their fields into a tree (Wireshark's, or a private one where
 *      Wireshark built none); read the frame's events from those fields
 *      (tls_fields.c), feed them to the connection's core state
 *      (core/conn.c), and keep the resulting report with the frame.  Every
 *      other frame leaves at once, and no tree is built for it;
 *   2. on every pass: draw the kept report as tree items and expert infos,
 *      linking to later frames where the connection has seen them, and hand
 *      it to the statistics tap.
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
#include <epan/tap.h>
#include <epan/to_str.h>
#include <wsutil/report_message.h>
#include <wsutil/str_util.h>

#include "fact_tree.h"
#include "packet-sipmtls.h"
#include "sipmtls.h"
#include "sipmtls_ca.h"
#include "sipmtls_ca_pem.h"
#include "sipmtls_roots.h"
#include "sipmtls_tls.h"
#include "sipmtls_x509.h"
#include "tls_fields.h"
#include "version.h"

#define SIPMTLS_DEFAULT_PORTS "5061"

static int proto_sipmtls = -1;
static int sipmtls_tap = -1;

static int hf_cert_request = -1;
static int hf_request_cert_type = -1;
static int hf_request_sig_alg = -1;
static int hf_request_ca = -1;
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
static int hf_handshake = -1;
static int hf_handshake_kind = -1;
static int hf_request_in = -1;
static int hf_answer_in = -1;
static int hf_verdict_in = -1;
static int hf_verdict = -1;
static int hf_outcome = -1;
static int hf_rejected = -1;
static int hf_alert = -1;
static int hf_reason = -1;
static int hf_server = -1;
static int hf_client = -1;
static int hf_client_subject = -1;
static int hf_client_eku_present = -1;
static int hf_client_client_auth = -1;
static int hf_requested = -1;
static int hf_sip = -1;
static int hf_sip_in = -1;
static int hf_sip_method = -1;
static int hf_sip_call_id = -1;
static int hf_sip_from = -1;
static int hf_sip_to = -1;
static int hf_request_inferred = -1;
static int hf_client_cert_inferred = -1;
static int hf_inference = -1;
static int hf_verdict_inferred = -1;
static int hf_lost_before = -1;
static int hf_roles_from = -1;
static int hf_chain_trust = -1;
static int hf_chain_public = -1;
static int hf_chain_root = -1;
static int hf_chain_root_owner = -1;
static int hf_chain_ca = -1;
static int hf_client_cert_trust = -1;
static int hf_client_cert_public = -1;
static int hf_client_cert_root_owner = -1;
static int hf_client_cert_ca = -1;
static int hf_deadline = -1;
static int hf_deadline_past = -1;
static int hf_deadline_text = -1;

static gint ett_sipmtls = -1;
static gint ett_request = -1;
static gint ett_chain = -1;
static gint ett_cert = -1;
static gint ett_verdict = -1;
static gint ett_sip = -1;
static gint ett_inference = -1;
static gint ett_deadline = -1;

static expert_field ei_cert_request = EI_INIT;
static expert_field ei_client_auth_from_client = EI_INIT;
static expert_field ei_client_auth_from_server = EI_INIT;
static expert_field ei_client_auth_from_mtls_server = EI_INIT;
static expert_field ei_verdict_no_request = EI_INIT;
static expert_field ei_verdict_optional = EI_INIT;
static expert_field ei_verdict_client_auth_accepted = EI_INIT;
static expert_field ei_verdict_no_client_auth_accepted = EI_INIT;
static expert_field ei_verdict_no_eku_accepted = EI_INIT;
static expert_field ei_verdict_rejected = EI_INIT;
static expert_field ei_verdict_undetermined = EI_INIT;
static expert_field ei_verdict_chain_accepted_unseen = EI_INIT;
static expert_field ei_inferred_request = EI_INIT;
static expert_field ei_inferred_no_request = EI_INIT;
static expert_field ei_inference_undecidable = EI_INIT;

static dissector_handle_t sipmtls_handle;

/* Preferences */
static range_t *audited_ports = NULL;
static sipmtls_pref_bool sip_on_any_port = FALSE;
static const char *root_store_pref = NULL;

/* The public root store: the built-in one, or the bundle the preference
 * names, read with GnuTLS when preferences are applied (never per frame). */
static const sipmtls_root_store *root_store = &sipmtls_builtin_roots;
static sipmtls_root_store loaded_store;
static char *loaded_path = NULL;
static GPtrArray *loaded_blocks = NULL;   /* the loaded store's memory */

static void *
loaded_alloc0(void *ctx, size_t size)
{
    void *p = g_malloc0(size ? size : 1);
    g_ptr_array_add((GPtrArray *)ctx, p);
    return p;
}

static void
load_root_store(void)
{
    const char *path = root_store_pref != NULL ? root_store_pref : "";
    gchar *pem = NULL;
    gsize len = 0;
    GError *error = NULL;
    sipmtls_allocator alloc;
    sipmtls_root *roots;
    unsigned n;
    char err[256];

    if (g_strcmp0(path, loaded_path != NULL ? loaded_path : "") == 0)
        return;
    g_free(loaded_path);
    loaded_path = g_strdup(path);
    root_store = &sipmtls_builtin_roots;
    if (loaded_blocks != NULL)
        g_ptr_array_free(loaded_blocks, TRUE);
    loaded_blocks = NULL;
    if (path[0] == '\0')
        return;
    if (!g_file_get_contents(path, &pem, &len, &error)) {
        report_failure("sipmtls: cannot read the root store %s (%s): using the built-in one",
                       path, error->message);
        g_error_free(error);
        return;
    }
    loaded_blocks = g_ptr_array_new_with_free_func(g_free);
    alloc.alloc = loaded_alloc0;
    alloc.ctx = loaded_blocks;
    if (sipmtls_roots_from_pem(pem, len, &alloc, &roots, &n, err, sizeof err) != 0) {
        report_failure("sipmtls: root store %s: %s: using the built-in one", path, err);
        g_free(pem);
        return;
    }
    g_free(pem);
    loaded_store.roots = roots;
    loaded_store.n_roots = n;
    loaded_store.source = loaded_path;
    root_store = &loaded_store;
}

static void
apply_prefs(void)
{
    load_root_store();
}

static const value_string role_vals[] = {
    { SIPMTLS_ROLE_UNKNOWN, "Unknown side" },
    { SIPMTLS_ROLE_CLIENT,  "TLS client" },
    { SIPMTLS_ROLE_SERVER,  "TLS server" },
    { 0, NULL }
};

/* The core's name tables have value_string's layout; spelled VALS(CORE_VS(t))
 * so that Wireshark's checkAPIs.pl sees a VALS() in every hf's strings. */
#define CORE_VS(table) ((const value_string *)(const void *)(table))

/* What sipmtls keeps per TCP connection, in file scope: the core's state,
 * the endpoint it calls "A" (the sender of the first frame it saw), and
 * whether the connection is audited because of its ports. */
typedef struct sipmtls_conversation {
    sipmtls_conn *conn;
    address       a_addr;
    guint32       a_port;
    gboolean      on_audited_port;
    /* Per handshake (index 1..SIPMTLS_MAX_HANDSHAKES): the frame where the
     * server presented a certificate with clientAuth, 0 if it did not, so
     * that a CertificateRequest arriving in a later frame can say so. */
    guint32       server_client_auth_frame[SIPMTLS_MAX_HANDSHAKES + 1];
    /* The endpoints as text ("address:port"), A's and B's, made the first
     * time a report names them. */
    const char   *endpoint[2];
} sipmtls_conversation;

/* What sipmtls keeps per frame with something to say: the findings alone,
 * not the core's fixed-size report, since most frames hold one or two. */
typedef struct sipmtls_frame {
    const sipmtls_conversation *state;
    unsigned                    n_findings;
    sipmtls_finding             findings[];
} sipmtls_frame;

static void *
file_scope_alloc0(void *ctx _U_, size_t size)
{
    return wmem_alloc0(wmem_file_scope(), size);
}

static const sipmtls_allocator file_scope_allocator = { file_scope_alloc0, NULL };

static gboolean
on_audited_port(const packet_info *pinfo)
{
    return value_is_in_range(audited_ports, pinfo->srcport)
           || value_is_in_range(audited_ports, pinfo->destport);
}

/* Which TCP segments fact_tree.c dissects into a tree: those on an audited
 * port, or every one when SIP over TLS is looked for on any port. */
static gboolean
segment_audited(guint32 src_port, guint32 dst_port)
{
    return sip_on_any_port || value_is_in_range(audited_ports, src_port)
           || value_is_in_range(audited_ports, dst_port);
}

/* The connection's state, found through Wireshark's conversation (the one
 * TCP found for the segment), and kept with fact_tree.c's record of the
 * connection until its next SYN, which spares a lookup a frame. */
static sipmtls_conversation *
conversation_state(packet_info *pinfo, gboolean create)
{
    void **slot = fact_tree_connection_slot(pinfo);
    conversation_t *conv;
    sipmtls_conversation *state;

    if (slot != NULL && *slot != NULL)
        return (sipmtls_conversation *)*slot;
    conv = create ? find_or_create_conversation(pinfo) : find_conversation_pinfo(pinfo, 0);
    if (conv == NULL)
        return NULL;
    state = conversation_get_proto_data(conv, proto_sipmtls);
    if (state == NULL && create) {
        state = wmem_new0(wmem_file_scope(), sipmtls_conversation);
        state->conn = sipmtls_conn_new(&file_scope_allocator);
        copy_address_wmem(wmem_file_scope(), &state->a_addr, &pinfo->src);
        state->a_port = pinfo->srcport;
        state->on_audited_port = on_audited_port(pinfo);
        conversation_add_proto_data(conv, proto_sipmtls, state);
    }
    if (slot != NULL && state != NULL)
        *slot = state;
    return state;
}

static sipmtls_dir
direction_of(const sipmtls_conversation *state, const packet_info *pinfo)
{
    if (pinfo->srcport == state->a_port && addresses_equal(&pinfo->src, &state->a_addr))
        return SIPMTLS_DIR_A_TO_B;
    return SIPMTLS_DIR_B_TO_A;
}

/* A connection is shown when it runs on an audited port, or once its
 * decrypted payload turned out to be SIP. */
static gboolean
is_shown(const sipmtls_conversation *state)
{
    return state->on_audited_port || sipmtls_conn_sip(state->conn) != NULL;
}

typedef struct feed_ctx {
    sipmtls_conversation *state;
    sipmtls_dir           dir;
    sipmtls_frame_report *report;
} feed_ctx;

static void
feed_event(const sipmtls_event *ev, void *user)
{
    feed_ctx *ctx = user;
    sipmtls_conn_feed(ctx->state->conn, ctx->dir, ev, ctx->report);
}

/* First pass: what this frame shows, kept in file scope; NULL for nothing.
 * Most frames leave within the first two tests. */
static sipmtls_frame *
analyse_frame(packet_info *pinfo, proto_tree *tree)
{
    sipmtls_frame_report report;
    sipmtls_conversation *state;
    sipmtls_frame *frame;
    feed_ctx ctx;

    gboolean lost;

    if (pinfo->ptype != PT_TCP || tree == NULL)
        return NULL;
    lost = fact_tree_frame_lost(pinfo);
    if (lost || tls_fields_frame_has_tls(tree))
        state = conversation_state(pinfo, TRUE);
    else if (tls_fields_frame_closes_tcp(pinfo, tree) || tls_fields_frame_has_other_facts(tree))
        state = conversation_state(pinfo, FALSE);
    else
        return NULL;
    if (state == NULL)
        return NULL;
    memset(&report, 0, sizeof report);
    ctx.state = state;
    ctx.dir = direction_of(state, pinfo);
    ctx.report = &report;
    if (lost) {
        /* TLS read this segment where sipmtls could not see it: what it
         * held is as unknown as a segment the capture lost. */
        sipmtls_event ev;

        memset(&ev, 0, sizeof ev);
        ev.kind = SIPMTLS_EV_TCP_GAP;
        ev.frame = pinfo->num;
        feed_event(&ev, &ctx);
    }
    tls_fields_foreach_event(pinfo, tree, feed_event, &ctx);
    switch (sipmtls_conn_role(state->conn, ctx.dir)) {
    case SIPMTLS_ROLE_CLIENT: fact_tree_note_sender(pinfo, TRUE); break;
    case SIPMTLS_ROLE_SERVER: fact_tree_note_sender(pinfo, FALSE); break;
    default: break;
    }
    if (report.n_findings == 0)
        return NULL;
    for (unsigned i = 0; i < report.n_findings; i++) {
        const sipmtls_finding *f = &report.findings[i];

        if (f->kind == SIPMTLS_FINDING_CERTIFICATE && f->sender == SIPMTLS_ROLE_SERVER
            && f->client_auth_index >= 0 && f->handshake != NULL
            && f->handshake->index >= 1 && f->handshake->index <= SIPMTLS_MAX_HANDSHAKES
            && state->server_client_auth_frame[f->handshake->index] == 0)
            state->server_client_auth_frame[f->handshake->index] = pinfo->num;
    }
    frame = wmem_alloc(wmem_file_scope(),
                       sizeof *frame + report.n_findings * sizeof frame->findings[0]);
    frame->state = state;
    frame->n_findings = report.n_findings;
    memcpy(frame->findings, report.findings, report.n_findings * sizeof frame->findings[0]);
    return frame;
}

/* ---- drawing ----------------------------------------------------------- */

static const char *
endpoint_text(packet_info *pinfo, const address *addr, guint32 port)
{
    char *a = address_to_str(pinfo->pool, addr);
    /* IPv6 addresses take brackets so the port stays readable. */
    if (addr->type == AT_IPv6)
        return wmem_strdup_printf(pinfo->pool, "[%s]:%u", a, port);
    return wmem_strdup_printf(pinfo->pool, "%s:%u", a, port);
}

/* The text of the frame's source (or destination), kept with the
 * connection: every report of a connection names the same two. */
static const char *
side_text(packet_info *pinfo, const sipmtls_conversation *state, gboolean source)
{
    const address *addr = source ? &pinfo->src : &pinfo->dst;
    guint32 port = source ? pinfo->srcport : pinfo->destport;
    int side = port == state->a_port && addresses_equal(addr, &state->a_addr) ? 0 : 1;
    /* A cache in the connection's own (file scope) state. */
    sipmtls_conversation *cache = (sipmtls_conversation *)state;

    if (cache->endpoint[side] == NULL)
        cache->endpoint[side] = wmem_strdup(wmem_file_scope(), endpoint_text(pinfo, addr, port));
    return cache->endpoint[side];
}

/* The TLS server's and client's endpoints, seen from this frame, which
 * travelled in direction dir. */
static void
endpoints(packet_info *pinfo, const sipmtls_conversation *state, sipmtls_dir dir,
          const char **server, const char **client)
{
    const char *src = side_text(pinfo, state, TRUE);
    const char *dst = side_text(pinfo, state, FALSE);
    sipmtls_role role = sipmtls_conn_role(state->conn, dir);
    gboolean from_server = role == SIPMTLS_ROLE_SERVER;

    /* Roles unknown (no message only one side sends is in the capture):
     * the endpoint on the one audited port is named as the server, so that
     * the connection is counted under its SIP-TLS endpoint.  The verdict of
     * such a connection is undetermined and says why. */
    if (role == SIPMTLS_ROLE_UNKNOWN
        && value_is_in_range(audited_ports, pinfo->srcport)
           != value_is_in_range(audited_ports, pinfo->destport))
        from_server = value_is_in_range(audited_ports, pinfo->srcport);

    *server = from_server ? src : dst;
    *client = from_server ? dst : src;
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
add_generated(proto_item *ti)
{
    proto_item_set_generated(ti);
}

/* A link to another frame of the handshake.  A later frame is known only
 * once the first pass has gone past it, so on the first pass (tshark's
 * single pass) only earlier frames are linked. */
static void
add_frame_link(proto_tree *tree, int hf, tvbuff_t *tvb, packet_info *pinfo, guint32 frame)
{
    if (frame == 0 || frame == pinfo->num)
        return;
    if (frame > pinfo->num && !PINFO_FD_VISITED(pinfo))
        return;
    add_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, frame));
}

static void
add_handshake_number(proto_tree *tree, tvbuff_t *tvb, const sipmtls_handshake *h)
{
    proto_item *ti;

    if (h == NULL)
        return;
    ti = proto_tree_add_uint_format_value(tree, hf_handshake, tvb, 0, 0, h->index, "%u (%s)",
                                          h->index,
                                          sipmtls_name_of(sipmtls_handshake_kind_names, h->kind));
    add_generated(ti);
    add_generated(proto_tree_add_uint(tree, hf_handshake_kind, tvb, 0, 0, h->kind));
}

static void
add_time(proto_tree *tree, int hf, tvbuff_t *tvb, sipmtls_time t)
{
    nstime_t ns;

    if (!t.valid)
        return;
    ns.secs = (time_t)t.secs;
    ns.nsecs = 0;
    add_generated(proto_tree_add_time(tree, hf, tvb, 0, 0, &ns));
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
    add_generated(ti);
    ct = proto_item_add_subtree(ti, ett_cert);
    add_generated(proto_tree_add_uint(ct, hf_cert_sender, tvb, 0, 0, f->sender));
    add_generated(proto_tree_add_uint(ct, hf_cert_position, tvb, 0, 0, pos));
    add_generated(proto_tree_add_string(ct, hf_cert_subject, tvb, 0, 0, c->subject));
    add_generated(proto_tree_add_string(ct, hf_cert_issuer, tvb, 0, 0, c->issuer));
    add_generated(proto_tree_add_boolean(ct, hf_cert_eku_present, tvb, 0, 0, c->has_eku_extension));
    for (unsigned i = 0; i < c->n_ekus; i++) {
        const char *name = sipmtls_eku_name(c->ekus[i]);
        ti = proto_tree_add_string_format_value(ct, hf_cert_eku, tvb, 0, 0, c->ekus[i], "%s%s%s%s",
                                                c->ekus[i], name ? " (" : "", name ? name : "",
                                                name ? ")" : "");
        add_generated(ti);
    }
    add_generated(proto_tree_add_boolean(ct, hf_cert_client_auth, tvb, 0, 0, c->client_auth));
    add_time(ct, hf_cert_not_before, tvb, c->not_before);
    add_time(ct, hf_cert_not_after, tvb, c->not_after);
}

/* The client's own certificate (the leaf), alone: a filter on these says
 * something of the leaf, where sipmtls.cert.* match any certificate of the
 * chain (the issuing CA has no EKU either). */
static void
add_client_leaf(proto_tree *tree, tvbuff_t *tvb, const sipmtls_cert *leaf)
{
    if (leaf == NULL)
        return;
    add_generated(proto_tree_add_string(tree, hf_client_subject, tvb, 0, 0, leaf->subject));
    add_generated(proto_tree_add_boolean(tree, hf_client_eku_present, tvb, 0, 0,
                                         leaf->has_eku_extension));
    add_generated(proto_tree_add_boolean(tree, hf_client_client_auth, tvb, 0, 0,
                                         leaf->client_auth));
}

/* Whether the handshake's server asked for a client certificate by the end
 * of this frame (seen, or inferred from record sizes): the same answer on
 * every pass. */
static gboolean
request_seen_by(const sipmtls_handshake *h, guint32 frame)
{
    if (h == NULL)
        return FALSE;
    if (h->request_frame != 0 && h->request_frame <= frame)
        return TRUE;
    return h->inferred_request == SIPMTLS_YES && h->flight_frame != 0 && h->flight_frame <= frame;
}

static void
add_mtls_server_expert(packet_info *pinfo, proto_item *ti, const char *server)
{
    expert_add_info_format(pinfo, ti, &ei_client_auth_from_mtls_server,
                           "TLS server %s asks for client certificates and presents one with the "
                           "clientAuth EKU: where it uses it to call out, its renewal will not "
                           "carry clientAuth", server);
}

/* Whether the chain comes from a public root, which, and whose. */
static void
add_chain_trust(proto_tree *chain, tvbuff_t *tvb, const sipmtls_finding *f)
{
    sipmtls_time none = { 0, false };
    sipmtls_assessment a = sipmtls_assess_chain(root_store, f->certs, f->n_certs, none);

    if (a.trust == SIPMTLS_CHAIN_UNKNOWN)
        return;
    add_generated(proto_tree_add_uint(chain, hf_chain_trust, tvb, 0, 0, a.trust));
    add_generated(proto_tree_add_boolean(chain, hf_chain_public, tvb, 0, 0,
                                         a.trust == SIPMTLS_CHAIN_PUBLIC));
    if (a.trust != SIPMTLS_CHAIN_PUBLIC)
        return;
    add_generated(proto_tree_add_string(chain, hf_chain_root, tvb, 0, 0, a.root->subject));
    add_generated(proto_tree_add_string(chain, hf_chain_root_owner, tvb, 0, 0, a.root->owner));
    add_generated(proto_tree_add_string(chain, hf_chain_ca, tvb, 0, 0, a.ca));
}

static void
add_certificate_finding(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                        const sipmtls_conversation *state, const sipmtls_finding *f)
{
    const char *sender = side_text(pinfo, state, TRUE);
    const sipmtls_handshake *h = f->handshake;
    const char *server, *client;
    proto_item *ti;
    proto_tree *chain;

    endpoints(pinfo, state, f->dir, &server, &client);

    ti = proto_tree_add_uint_format(tree, hf_chain, tvb, 0, 0, f->n_certs_seen,
                                    "Certificate message from %s%s (%u certificate%s%s)",
                                    role_prefix(f->sender), sender, f->n_certs_seen,
                                    plurality(f->n_certs_seen, "", "s"),
                                    f->n_certs_seen == 0 ? ": empty, no certificate sent" : "");
    add_generated(ti);
    chain = proto_item_add_subtree(ti, ett_chain);
    add_generated(proto_tree_add_uint(chain, hf_chain_length, tvb, 0, 0, f->n_certs_seen));
    /* The client's answer to a request links back to it and on to the verdict. */
    if (h != NULL && h->answer_frame == pinfo->num && f->sender == SIPMTLS_ROLE_CLIENT) {
        add_frame_link(chain, hf_request_in, tvb, pinfo, h->request_frame);
        add_frame_link(chain, hf_verdict_in, tvb, pinfo, h->verdict_frame);
    }
    if (f->sender == SIPMTLS_ROLE_CLIENT && f->n_certs > 0)
        add_client_leaf(chain, tvb, &f->certs[0]);
    /* The summaries name the TLS server and the kind, never the client's
     * (ephemeral) port, so that Expert Information and -z expert group them
     * per endpoint; the certificate is in the tree. */
    if (f->client_auth_index >= 0) {
        ti = proto_tree_add_boolean(chain, hf_client_auth_eku, tvb, 0, 0, TRUE);
        add_generated(ti);
        if (f->sender == SIPMTLS_ROLE_CLIENT)
            expert_add_info_format(pinfo, ti, &ei_client_auth_from_client,
                                   "A TLS client of %s presents a certificate with the clientAuth "
                                   "EKU, which public CAs stop issuing", server);
        else if (f->sender == SIPMTLS_ROLE_SERVER && request_seen_by(h, pinfo->num))
            add_mtls_server_expert(pinfo, ti, server);
        else if (f->sender == SIPMTLS_ROLE_SERVER)
            expert_add_info_format(pinfo, ti, &ei_client_auth_from_server,
                                   "TLS server %s presents a certificate with the clientAuth EKU "
                                   "(no client certificate requested so far)",
                                   server);
    }
    add_chain_trust(chain, tvb, f);
    for (unsigned i = 0; i < f->n_certs; i++)
        add_cert(chain, tvb, f, i);
}

static void
add_request_finding(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                    const sipmtls_conversation *state, const sipmtls_finding *f)
{
    const sipmtls_handshake *h = f->handshake;
    proto_item *ti;
    proto_tree *rt;

    ti = proto_tree_add_boolean(tree, hf_cert_request, tvb, 0, 0, TRUE);
    add_generated(ti);
    expert_add_info_format(pinfo, ti, &ei_cert_request,
                           "%s%s requests a client certificate (CertificateRequest: mutual TLS)",
                           role_prefix(f->sender),
                           side_text(pinfo, state, TRUE));
    /* The server's certificate with clientAuth came in an earlier frame,
     * as a Note: now that the server asks too, the warning. */
    if (h != NULL && h->index >= 1 && h->index <= SIPMTLS_MAX_HANDSHAKES
        && state->server_client_auth_frame[h->index] != 0
        && state->server_client_auth_frame[h->index] < pinfo->num)
        add_mtls_server_expert(pinfo, ti, side_text(pinfo, state, TRUE));
    if (h == NULL || h->request_frame != pinfo->num)
        return;
    rt = proto_item_add_subtree(ti, ett_request);
    add_handshake_number(rt, tvb, h);
    for (unsigned i = 0; i < h->request.n_cert_types; i++)
        add_generated(proto_tree_add_uint(rt, hf_request_cert_type, tvb, 0, 0,
                                          h->request.cert_types[i]));
    for (unsigned i = 0; i < h->request.n_sig_algs; i++)
        add_generated(proto_tree_add_uint(rt, hf_request_sig_alg, tvb, 0, 0,
                                          h->request.sig_algs[i]));
    for (unsigned i = 0; i < h->request.n_ca_names; i++)
        add_generated(proto_tree_add_string(rt, hf_request_ca, tvb, 0, 0,
                                            h->request.ca_names[i]));
    add_frame_link(rt, hf_answer_in, tvb, pinfo, h->answer_frame);
    add_frame_link(rt, hf_verdict_in, tvb, pinfo, h->verdict_frame);
}

/* Why, in words: the alert's name, or how the connection ended.  With
 * where: the frame a lost segment came before (the headline; the expert
 * summaries leave it out, so that they group per endpoint and kind). */
static const char *
reason_text_where(packet_info *pinfo, const sipmtls_finding *f, gboolean where)
{
    const char *alert;

    switch (f->reason) {
    case SIPMTLS_REASON_ALERT:
        alert = sipmtls_name_of(sipmtls_alert_names, f->alert_desc);
        return alert != NULL ? wmem_strdup_printf(pinfo->pool, "alert %s", alert)
                             : wmem_strdup_printf(pinfo->pool, "alert %u", f->alert_desc);
    case SIPMTLS_REASON_NONE:
        return "";
    case SIPMTLS_REASON_SEGMENT_LOST:
        if (!where)
            return sipmtls_name_of(sipmtls_reason_names, f->reason);
        return wmem_strdup_printf(pinfo->pool, "%s (lost before frame %u)",
                                  sipmtls_name_of(sipmtls_reason_names, f->reason), f->gap_frame);
    default:
        return sipmtls_name_of(sipmtls_reason_names, f->reason);
    }
}

static const char *
reason_text(packet_info *pinfo, const sipmtls_finding *f)
{
    return reason_text_where(pinfo, f, FALSE);
}

/* The client's chain judged at the verdict's frame: public or private, and
 * for a connection relying on clientAuth the deadline, in words in text
 * ("" when there is nothing to say). */
static sipmtls_assessment
assess_answer(packet_info *pinfo, const sipmtls_handshake *h, char *text, size_t size)
{
    sipmtls_time now = { (int64_t)pinfo->abs_ts.secs, true };
    sipmtls_assessment a;

    memset(&a, 0, sizeof a);
    text[0] = '\0';
    if (h == NULL || h->answer != SIPMTLS_ANSWER_CHAIN || h->answer_leaf == NULL)
        return a;
    a = sipmtls_assess_chain(root_store, h->answer_leaf, h->answer_n_certs, now);
    if (h->verdict == SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED)
        sipmtls_assessment_text(&a, text, size);
    return a;
}

/* The assessment in a few words for the verdict's expert info, which
 * Wireshark cuts at 240 bytes; "" when there is nothing to say. */
static const char *
brief_text(packet_info *pinfo, const sipmtls_assessment *a, const char *text)
{
    char *brief;

    if (text[0] == '\0')
        return "";
    brief = (char *)wmem_alloc(pinfo->pool, SIPMTLS_MAX_TEXT);
    return sipmtls_assessment_brief(a, brief, SIPMTLS_MAX_TEXT);
}

/* One summary per TLS server endpoint and kind: no client port, no
 * certificate subject (the verdict's subtree has both); deadline: the
 * client CA's clientAuth deadline in a few words, or "". */
static void
add_verdict_expert(packet_info *pinfo, proto_item *ti, const sipmtls_finding *f,
                   const char *server, const char *deadline)
{
    const char *inferred = f->inferred ? " (inferred from record sizes)" : "";

    switch (f->verdict) {
    case SIPMTLS_VERDICT_NO_REQUEST:
        expert_add_info_format(pinfo, ti, &ei_verdict_no_request,
                               "TLS server %s requests no client certificate: the removal of "
                               "clientAuth does not affect it%s", server, inferred);
        break;
    case SIPMTLS_VERDICT_OPTIONAL_NONE_SENT:
        expert_add_info_format(pinfo, ti, &ei_verdict_optional,
                               "TLS server %s requests a client certificate but goes on without "
                               "one (optional)%s", server, inferred);
        break;
    case SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED:
        if (deadline[0] != '\0')
            expert_add_info_format(pinfo, ti, &ei_verdict_client_auth_accepted,
                                   "TLS server %s accepts a client certificate with clientAuth: %s",
                                   server, deadline);
        else
            expert_add_info_format(pinfo, ti, &ei_verdict_client_auth_accepted,
                                   "TLS server %s accepts a client certificate with clientAuth: "
                                   "this connection relies on it, and may break when the "
                                   "certificate is renewed without clientAuth", server);
        break;
    case SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED:
        expert_add_info_format(pinfo, ti, &ei_verdict_no_client_auth_accepted,
                               "TLS server %s accepts a client certificate without clientAuth: it "
                               "does not check the EKU, renewal is safe", server);
        break;
    case SIPMTLS_VERDICT_NO_EKU_ACCEPTED:
        expert_add_info_format(pinfo, ti, &ei_verdict_no_eku_accepted,
                               "TLS server %s accepts a client certificate without any EKU "
                               "extension (valid for any purpose): whether it checks clientAuth "
                               "is not shown", server);
        break;
    case SIPMTLS_VERDICT_REJECTED:
        if (f->inferred)
            expert_add_info_format(pinfo, ti, &ei_verdict_rejected,
                                   "TLS server %s likely rejects the client's answer: %s "
                                   "(inferred from record sizes)", server,
                                   f->reason == SIPMTLS_REASON_ENCRYPTED_ALERT
                                   ? "an encrypted record of alert size, right after the "
                                     "client's flight" : reason_text(pinfo, f));
        else
            expert_add_info_format(pinfo, ti, &ei_verdict_rejected,
                                   "TLS server %s rejects the client's %s: %s%s", server,
                                   f->handshake->answer == SIPMTLS_ANSWER_EMPTY
                                   ? "empty Certificate" : f->handshake->answer == SIPMTLS_ANSWER_CHAIN
                                   ? "certificate" : "answer",
                                   reason_text(pinfo, f),
                                   f->handshake->completed_frame != 0
                                   ? ", right after the handshake, before any data" : "");
        break;
    case SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN:
        expert_add_info_format(pinfo, ti, &ei_verdict_chain_accepted_unseen,
                               "TLS server %s accepts a client certificate (inferred from record "
                               "sizes; TLS 1.3 without keys, its EKU is not visible)", server);
        break;
    case SIPMTLS_VERDICT_UNDETERMINED:
        expert_add_info_format(pinfo, ti, &ei_verdict_undetermined,
                               "Client certificate use by TLS server %s undetermined: %s",
                               server, reason_text(pinfo, f));
        break;
    default:
        break;
    }
}

static void
add_sip(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const sipmtls_sip *sip)
{
    proto_item *ti;
    proto_tree *st;

    if (sip == NULL)
        return;
    ti = proto_tree_add_string_format_value(tree, hf_sip, tvb, 0, 0, sip->method,
                                            "%s, Call-ID %s", sip->method, sip->call_id);
    add_generated(ti);
    st = proto_item_add_subtree(ti, ett_sip);
    add_frame_link(st, hf_sip_in, tvb, pinfo, sip->frame);
    add_generated(proto_tree_add_string(st, hf_sip_method, tvb, 0, 0, sip->method));
    add_generated(proto_tree_add_string(st, hf_sip_call_id, tvb, 0, 0, sip->call_id));
    add_generated(proto_tree_add_string(st, hf_sip_from, tvb, 0, 0, sip->from));
    add_generated(proto_tree_add_string(st, hf_sip_to, tvb, 0, 0, sip->to));
}

/* Where the hellos are missing, which message taught the roles. */
static void
add_roles_evidence(proto_tree *tree, tvbuff_t *tvb, const sipmtls_conversation *state)
{
    uint8_t type;
    uint32_t frame;
    const char *name;

    if (!sipmtls_conn_role_evidence(state->conn, &type, &frame)
        || type == SIPMTLS_HS_CLIENT_HELLO || type == SIPMTLS_HS_SERVER_HELLO)
        return;
    name = sipmtls_name_of(sipmtls_hs_type_names, type);
    add_generated(proto_tree_add_string_format_value(
        tree, hf_roles_from, tvb, 0, 0, name, "%s in frame %u (no hello seen)",
        name != NULL ? name : "?", frame));
}

/* The client certificate's CA and, when the connection relies on its
 * clientAuth, the deadline. */
static void
add_deadline(proto_tree *vt, tvbuff_t *tvb, const sipmtls_assessment *a, const char *text)
{
    proto_item *ti;
    proto_tree *dt;
    nstime_t ns;

    if (a->trust == SIPMTLS_CHAIN_UNKNOWN)
        return;
    add_generated(proto_tree_add_uint(vt, hf_client_cert_trust, tvb, 0, 0, a->trust));
    add_generated(proto_tree_add_boolean(vt, hf_client_cert_public, tvb, 0, 0,
                                         a->trust == SIPMTLS_CHAIN_PUBLIC));
    if (a->trust == SIPMTLS_CHAIN_PUBLIC) {
        add_generated(proto_tree_add_string(vt, hf_client_cert_root_owner, tvb, 0, 0,
                                            a->root->owner));
        add_generated(proto_tree_add_string(vt, hf_client_cert_ca, tvb, 0, 0, a->ca));
    }
    if (text[0] == '\0')
        return;
    if (a->kind == SIPMTLS_DEADLINE_NONE) {
        add_generated(proto_tree_add_string(vt, hf_deadline_text, tvb, 0, 0, text));
        return;
    }
    ns.secs = (time_t)a->deadline;
    ns.nsecs = 0;
    ti = proto_tree_add_time(vt, hf_deadline, tvb, 0, 0, &ns);
    add_generated(ti);
    dt = proto_item_add_subtree(ti, ett_deadline);
    add_generated(proto_tree_add_boolean(dt, hf_deadline_past, tvb, 0, 0, a->past));
    add_generated(proto_tree_add_string(dt, hf_deadline_text, tvb, 0, 0, text));
}

static void
add_verdict_finding(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                    const sipmtls_conversation *state, const sipmtls_finding *f)
{
    const sipmtls_handshake *h = f->handshake;
    const char *server, *client;
    proto_item *ti;
    proto_tree *vt;
    char deadline[SIPMTLS_MAX_TEXT];
    sipmtls_assessment a = assess_answer(pinfo, h, deadline, sizeof deadline);

    endpoints(pinfo, state, f->dir, &server, &client);
    ti = proto_tree_add_uint(tree, hf_verdict, tvb, 0, 0, f->verdict);
    add_generated(ti);
    add_verdict_expert(pinfo, ti, f, server, brief_text(pinfo, &a, deadline));
    vt = proto_item_add_subtree(ti, ett_verdict);
    add_handshake_number(vt, tvb, h);
    add_generated(proto_tree_add_string(vt, hf_server, tvb, 0, 0, server));
    add_generated(proto_tree_add_string(vt, hf_client, tvb, 0, 0, client));
    if (f->inferred)
        add_generated(proto_tree_add_boolean(vt, hf_verdict_inferred, tvb, 0, 0, TRUE));
    if (f->outcome != SIPMTLS_OUTCOME_UNKNOWN)
        add_generated(proto_tree_add_uint(vt, hf_outcome, tvb, 0, 0, f->outcome));
    if (f->verdict == SIPMTLS_VERDICT_REJECTED)
        add_generated(proto_tree_add_boolean(vt, hf_rejected, tvb, 0, 0, TRUE));
    /* An alert is a fact even when something else decides the verdict
     * (an undetermined one: the capture starts after the request). */
    if (f->reason == SIPMTLS_REASON_ALERT
        || (f->outcome == SIPMTLS_OUTCOME_SERVER_ALERT && f->alert_desc != 0))
        add_generated(proto_tree_add_uint(vt, hf_alert, tvb, 0, 0, f->alert_desc));
    if (f->reason != SIPMTLS_REASON_ALERT && f->reason != SIPMTLS_REASON_NONE)
        add_generated(proto_tree_add_uint(vt, hf_reason, tvb, 0, 0, f->reason));
    if (request_seen_by(h, pinfo->num))
        add_generated(proto_tree_add_boolean(vt, hf_requested, tvb, 0, 0, TRUE));
    else if (f->verdict == SIPMTLS_VERDICT_NO_REQUEST)
        add_generated(proto_tree_add_boolean(vt, hf_requested, tvb, 0, 0, FALSE));
    if (h->answer == SIPMTLS_ANSWER_CHAIN)
        add_client_leaf(vt, tvb, h->answer_leaf);
    if (f->gap_frame != 0)
        add_generated(proto_tree_add_uint(vt, hf_lost_before, tvb, 0, 0, f->gap_frame));
    add_roles_evidence(vt, tvb, state);
    add_deadline(vt, tvb, &a, deadline);
    add_frame_link(vt, hf_request_in, tvb, pinfo, h->request_frame);
    add_frame_link(vt, hf_answer_in, tvb, pinfo, h->answer_frame);
    add_sip(vt, tvb, pinfo, sipmtls_conn_sip(state->conn));
}

/* TLS 1.3 without keys: what the client's flight showed, on its last frame. */
static void
add_inference_finding(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                      const sipmtls_conversation *state, const sipmtls_finding *f)
{
    const sipmtls_handshake *h = f->handshake;
    const char *server, *client;
    proto_item *ti;
    proto_tree *it;

    endpoints(pinfo, state, f->dir, &server, &client);
    ti = proto_tree_add_string(tree, hf_inference, tvb, 0, 0, h->inference);
    add_generated(ti);
    it = proto_item_add_subtree(ti, ett_inference);
    switch (h->inferred_request) {
    case SIPMTLS_YES:
        add_generated(proto_tree_add_boolean(it, hf_request_inferred, tvb, 0, 0, TRUE));
        if (h->inferred_chain == SIPMTLS_YES || h->inferred_chain == SIPMTLS_NO)
            add_generated(proto_tree_add_boolean(it, hf_client_cert_inferred, tvb, 0, 0,
                                                 h->inferred_chain == SIPMTLS_YES));
        expert_add_info_format(pinfo, ti, &ei_inferred_request,
                               "TLS server %s requested a client certificate, the client %s "
                               "(inferred from record sizes)", server,
                               h->inferred_chain == SIPMTLS_YES ? "sent one"
                               : h->inferred_chain == SIPMTLS_NO ? "sent none" : "answered");
        break;
    case SIPMTLS_NO:
        add_generated(proto_tree_add_boolean(it, hf_request_inferred, tvb, 0, 0, FALSE));
        expert_add_info_format(pinfo, ti, &ei_inferred_no_request,
                               "TLS server %s requested no client certificate (inferred from "
                               "record sizes)", server);
        break;
    default:
        expert_add_info_format(pinfo, ti, &ei_inference_undecidable,
                               "Whether TLS server %s requested a client certificate cannot be "
                               "told from record sizes (why: in the packet details)", server);
        break;
    }
}

/* On the SIP request of a connection shown because its payload is SIP, the
 * verdict so far: in one pass, the frames before it carried no items. */
static void
add_sip_finding(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const sipmtls_finding *f)
{
    const sipmtls_handshake *h = f->handshake;
    proto_item *ti;

    if (h->verdict == SIPMTLS_VERDICT_NONE)
        return;
    ti = proto_tree_add_uint(tree, hf_verdict, tvb, 0, 0, h->verdict);
    add_generated(ti);
    add_frame_link(proto_item_add_subtree(ti, ett_verdict), hf_verdict_in, tvb, pinfo,
                   h->verdict_frame);
}

/* Whether a finding shows in the tree (the rest serve statistics). */
static gboolean
is_drawn(const sipmtls_finding *f, const sipmtls_conversation *state)
{
    switch (f->kind) {
    case SIPMTLS_FINDING_HANDSHAKE_START:
        return FALSE;
    case SIPMTLS_FINDING_SIP:
        return !state->on_audited_port && f->handshake != NULL
               && f->handshake->verdict != SIPMTLS_VERDICT_NONE;
    default:
        return TRUE;
    }
}

/* The verdict in a few words, for the Info column's tag. */
static const char *
verdict_tag(packet_info *pinfo, const sipmtls_finding *f)
{
    switch (f->verdict) {
    case SIPMTLS_VERDICT_NO_REQUEST:              return "No mTLS";
    case SIPMTLS_VERDICT_OPTIONAL_NONE_SENT:      return "mTLS optional";
    case SIPMTLS_VERDICT_CLIENT_AUTH_ACCEPTED:    return "clientAuth accepted";
    case SIPMTLS_VERDICT_NO_CLIENT_AUTH_ACCEPTED: return "Accepted without clientAuth";
    case SIPMTLS_VERDICT_NO_EKU_ACCEPTED:         return "Accepted, no EKU";
    case SIPMTLS_VERDICT_CHAIN_ACCEPTED_UNSEEN:   return "Cert accepted, EKU unseen";
    case SIPMTLS_VERDICT_UNDETERMINED:            return "mTLS undetermined";
    case SIPMTLS_VERDICT_REJECTED:
        if (f->reason == SIPMTLS_REASON_ALERT) {
            const char *alert = sipmtls_name_of(sipmtls_alert_names, f->alert_desc);

            return alert != NULL ? wmem_strdup_printf(pinfo->pool, "Rejected: %s", alert)
                                 : wmem_strdup_printf(pinfo->pool, "Rejected: alert %u",
                                                      f->alert_desc);
        }
        return f->inferred ? "Rejected (inferred)" : "Rejected: no alert";
    default:
        return NULL;
    }
}

/* What a finding says at a glance: a headline for the sipmtls item and,
 * on the frames that answer the question, a tag for the Info column. */
static void
finding_summary(packet_info *pinfo, const sipmtls_conversation *state, const sipmtls_finding *f,
                const char **headline, const char **tag)
{
    const sipmtls_handshake *h = f->handshake;
    const char *server, *client, *name;

    endpoints(pinfo, state, f->dir, &server, &client);
    *headline = NULL;
    *tag = NULL;
    switch (f->kind) {
    case SIPMTLS_FINDING_CERT_REQUEST:
        *headline = wmem_strdup_printf(pinfo->pool, "CertificateRequest from %s%s",
                                       role_prefix(f->sender),
                                       side_text(pinfo, state, TRUE));
        *tag = "mTLS requested";
        break;
    case SIPMTLS_FINDING_CERTIFICATE:
        *headline = wmem_strdup_printf(pinfo->pool, "Certificate from %s%s%s",
                                       role_prefix(f->sender),
                                       side_text(pinfo, state, TRUE),
                                       f->n_certs_seen == 0 ? " (empty)"
                                       : f->client_auth_index >= 0 ? " (clientAuth)" : "");
        if (f->sender == SIPMTLS_ROLE_CLIENT && f->client_auth_index >= 0)
            *tag = "clientAuth cert";
        else if (f->sender == SIPMTLS_ROLE_CLIENT && f->n_certs_seen == 0)
            *tag = "No client cert";
        break;
    case SIPMTLS_FINDING_VERDICT:
        name = sipmtls_verdict_name(f->verdict);
        *headline = wmem_strdup_printf(pinfo->pool, "Verdict: %s%s%s%s", name,
                                       f->reason != SIPMTLS_REASON_NONE ? " (" : "",
                                       reason_text_where(pinfo, f, TRUE),
                                       f->reason != SIPMTLS_REASON_NONE ? ")" : "");
        *tag = verdict_tag(pinfo, f);
        break;
    case SIPMTLS_FINDING_INFERENCE:
        if (h->inferred_request == SIPMTLS_YES) {
            *headline = "Client certificate requested (inferred from record sizes)";
            *tag = "mTLS requested (inferred)";
        } else if (h->inferred_request == SIPMTLS_NO) {
            *headline = "No client certificate requested (inferred from record sizes)";
        } else {
            *headline = "Record sizes cannot tell whether a client certificate was requested";
        }
        break;
    case SIPMTLS_FINDING_SIP:
        if (h != NULL && h->verdict != SIPMTLS_VERDICT_NONE)
            *headline = wmem_strdup_printf(pinfo->pool, "Verdict: %s",
                                           sipmtls_verdict_name(h->verdict));
        break;
    default:
        break;
    }
}

static void
add_finding(proto_tree *st, tvbuff_t *tvb, packet_info *pinfo, const sipmtls_frame *frame,
            const sipmtls_finding *f)
{
    switch (f->kind) {
    case SIPMTLS_FINDING_CERT_REQUEST:
        add_request_finding(st, tvb, pinfo, frame->state, f);
        break;
    case SIPMTLS_FINDING_CERTIFICATE:
        add_certificate_finding(st, tvb, pinfo, frame->state, f);
        break;
    case SIPMTLS_FINDING_VERDICT:
        add_verdict_finding(st, tvb, pinfo, frame->state, f);
        break;
    case SIPMTLS_FINDING_SIP:
        add_sip_finding(st, tvb, pinfo, f);
        break;
    case SIPMTLS_FINDING_INFERENCE:
        add_inference_finding(st, tvb, pinfo, frame->state, f);
        break;
    default:
        break;
    }
}

/* The frame's findings, and once the whole capture has been read (a later
 * pass), a verdict for each handshake begun here that never got one: the
 * capture ends before its outcome.  In pinfo->pool when any is added. */
static const sipmtls_finding *
findings_with_end(packet_info *pinfo, const sipmtls_frame *frame, unsigned *n)
{
    sipmtls_finding *all = NULL;
    unsigned k = frame->n_findings;

    *n = frame->n_findings;
    if (!PINFO_FD_VISITED(pinfo))
        return frame->findings;
    for (unsigned i = 0; i < frame->n_findings; i++) {
        const sipmtls_finding *f = &frame->findings[i];
        sipmtls_finding end;

        if (f->kind != SIPMTLS_FINDING_HANDSHAKE_START || !sipmtls_settle_at_end(f->handshake, &end))
            continue;
        if (all == NULL) {
            all = wmem_alloc_array(pinfo->pool, sipmtls_finding, 2 * frame->n_findings);
            memcpy(all, frame->findings, frame->n_findings * sizeof *all);
        }
        end.dir = f->dir;
        end.sender = f->sender;
        all[k++] = end;
    }
    if (all == NULL)
        return frame->findings;
    *n = k;
    return all;
}

/* Draws the frame's findings under one sipmtls item whose text names them,
 * the CertificateRequest first (in TLS 1.2 it shares its frame with the
 * server's whole chain), and tags the Info column as TCP's analysis does. */
static void
add_report(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const sipmtls_frame *frame)
{
    proto_item *ti = NULL;
    proto_tree *st = NULL;
    const char *server, *client, *headline, *tag;
    wmem_strbuf_t *tags = wmem_strbuf_new(pinfo->pool, "");
    gboolean any = FALSE;
    sipmtls_tap_info *tap;
    unsigned n_findings;
    const sipmtls_finding *findings = findings_with_end(pinfo, frame, &n_findings);

    for (int pass = 0; pass < 2; pass++) {
        for (unsigned i = 0; i < n_findings; i++) {
            const sipmtls_finding *f = &findings[i];

            if (!is_drawn(f, frame->state)
                || (f->kind == SIPMTLS_FINDING_CERT_REQUEST) != (pass == 0))
                continue;
            if (st == NULL) {
                ti = proto_tree_add_item(tree, proto_sipmtls, tvb, 0, 0, ENC_NA);
                add_generated(ti);
                st = proto_item_add_subtree(ti, ett_sipmtls);
            }
            finding_summary(pinfo, frame->state, f, &headline, &tag);
            if (headline != NULL) {
                proto_item_append_text(ti, "%s%s", any ? "; " : ": ", headline);
                any = TRUE;
            }
            if (tag != NULL) {
                wmem_strbuf_append_c(tags, '[');
                wmem_strbuf_append(tags, tag);
                wmem_strbuf_append(tags, "] ");
            }
            add_finding(st, tvb, pinfo, frame, f);
        }
    }
    if (wmem_strbuf_get_len(tags) > 0)
        col_prepend_fence_fstr(pinfo->cinfo, COL_INFO, "%s", wmem_strbuf_get_str(tags));
    endpoints(pinfo, frame->state, findings[0].dir, &server, &client);
    tap = wmem_new(pinfo->pool, sipmtls_tap_info);
    tap->findings = findings;
    tap->n_findings = n_findings;
    tap->server = server;
    tap_queue_packet(sipmtls_tap, pinfo, tap);
}

/* On later passes: whether the first pass left this frame a report. */
static gboolean
frame_has_report(packet_info *pinfo)
{
    return p_get_proto_data(wmem_file_scope(), pinfo, proto_sipmtls, 0) != NULL;
}

/* Called by fact_tree.c on the first pass once TCP and every layer above
 * it are done: what the frame shows, kept for every pass; whether it has a
 * report to draw. */
static gboolean
analyse_first_pass(packet_info *pinfo, proto_tree *tree)
{
    proto_tree *facts = fact_tree_of_frame(pinfo, tree);
    sipmtls_frame *frame = facts != NULL ? analyse_frame(pinfo, facts) : NULL;

    fact_tree_release();
    if (frame == NULL)
        return FALSE;
    p_add_proto_data(wmem_file_scope(), pinfo, proto_sipmtls, 0, frame);
    return is_shown(frame->state);
}

/* Called by fact_tree.c, with the frame's tvb (its first data source), on
 * a frame whose first pass left a report. */
static int
dissect_sipmtls(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    sipmtls_frame *frame = (sipmtls_frame *)p_get_proto_data(wmem_file_scope(), pinfo, proto_sipmtls, 0);

    if (frame == NULL || !is_shown(frame->state))
        return 0;
    add_report(tvb, pinfo, tree, frame);
    return tvb_captured_length(tvb);
}

/* Every file (and every re-dissection after a change of preferences or of
 * the enabled protocols) begins here: sipmtls steps in front of TCP only
 * while it is enabled. */
static void
sipmtls_init(void)
{
    tls_fields_file_init();
    fact_tree_init(sip_on_any_port ? NULL : audited_ports);
}

static void
sipmtls_cleanup(void)
{
    fact_tree_cleanup();
    tls_fields_file_cleanup();
}

void
proto_register_sipmtls(void)
{
    static hf_register_info hf[] = {
        { &hf_cert_request,
          { "CertificateRequest", "sipmtls.cert_request", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "This frame carries a TLS CertificateRequest: the sender asks its peer for a "
            "client certificate (mutual TLS)", HFILL } },
        { &hf_request_cert_type,
          { "Certificate type", "sipmtls.cert_request.cert_type", FT_UINT8, BASE_DEC,
            VALS(CORE_VS(sipmtls_cert_type_names)), 0x0,
            "A certificate type the server accepts (TLS 1.2 and earlier)", HFILL } },
        { &hf_request_sig_alg,
          { "Signature algorithm", "sipmtls.cert_request.sig_alg", FT_UINT16, BASE_HEX,
            VALS(CORE_VS(sipmtls_sig_alg_names)), 0x0,
            "A signature algorithm the server accepts for the client's certificate", HFILL } },
        { &hf_request_ca,
          { "Acceptable CA", "sipmtls.cert_request.ca", FT_STRING, BASE_NONE, NULL, 0x0,
            "A certificate authority the server names as acceptable for client "
            "certificates (RFC 4514)", HFILL } },
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
        { &hf_handshake,
          { "Handshake", "sipmtls.handshake", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Which handshake of the connection (1 is the first)", HFILL } },
        { &hf_handshake_kind,
          { "Handshake kind", "sipmtls.handshake.kind", FT_UINT8, BASE_DEC,
            VALS(CORE_VS(sipmtls_handshake_kind_names)), 0x0,
            "Initial handshake, TLS 1.2 renegotiation or TLS 1.3 post-handshake "
            "authentication", HFILL } },
        { &hf_request_in,
          { "CertificateRequest in", "sipmtls.request_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "The frame with this handshake's CertificateRequest", HFILL } },
        { &hf_answer_in,
          { "Client's Certificate in", "sipmtls.answer_in", FT_FRAMENUM, BASE_NONE,
            FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "The frame with the client's Certificate message answering the request", HFILL } },
        { &hf_verdict_in,
          { "Verdict in", "sipmtls.verdict_in", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The frame that settles this handshake's outcome and verdict", HFILL } },
        { &hf_verdict,
          { "Verdict", "sipmtls.verdict", FT_UINT8, BASE_DEC, VALS(CORE_VS(sipmtls_verdict_names)),
            0x0, "What the handshake means for client certificates and clientAuth", HFILL } },
        { &hf_outcome,
          { "Outcome", "sipmtls.outcome", FT_UINT8, BASE_DEC, VALS(CORE_VS(sipmtls_outcome_names)),
            0x0, "How the handshake ended", HFILL } },
        { &hf_rejected,
          { "Rejected", "sipmtls.rejected", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The server refused the client's certificate (or its absence)", HFILL } },
        { &hf_alert,
          { "Alert", "sipmtls.alert", FT_UINT8, BASE_DEC, VALS(CORE_VS(sipmtls_alert_names)), 0x0,
            "The alert that ended the handshake", HFILL } },
        { &hf_reason,
          { "Reason", "sipmtls.reason", FT_UINT8, BASE_DEC, VALS(CORE_VS(sipmtls_reason_names)), 0x0,
            "Why, when no readable alert says it", HFILL } },
        { &hf_server,
          { "TLS server", "sipmtls.server", FT_STRING, BASE_NONE, NULL, 0x0,
            "The endpoint (address:port) that accepted the TLS connection", HFILL } },
        { &hf_client,
          { "TLS client", "sipmtls.client", FT_STRING, BASE_NONE, NULL, 0x0,
            "The endpoint (address:port) that opened the TLS connection", HFILL } },
        { &hf_client_subject,
          { "Client certificate", "sipmtls.client_cert.subject", FT_STRING, BASE_NONE, NULL,
            0x0, "Subject of the client's leaf certificate (RFC 4514), on the client's "
            "Certificate message and on the verdict", HFILL } },
        { &hf_client_eku_present,
          { "Client certificate has Extended Key Usage", "sipmtls.client_cert.eku_present",
            FT_BOOLEAN, BASE_NONE, NULL, 0x0, "The client's leaf certificate (not its issuers) "
            "has an extKeyUsage extension", HFILL } },
        { &hf_client_client_auth,
          { "Client certificate has clientAuth", "sipmtls.client_cert.client_auth", FT_BOOLEAN,
            BASE_NONE, NULL, 0x0, "The client's leaf certificate (not its issuers) lists "
            "id-kp-clientAuth (1.3.6.1.5.5.7.3.2)", HFILL } },
        { &hf_requested,
          { "Client certificate requested", "sipmtls.requested", FT_BOOLEAN, BASE_NONE, NULL,
            0x0, "On the verdict: the TLS server asked for a client certificate in this "
            "handshake (a CertificateRequest seen, or inferred from record sizes: true), or "
            "did not (false); absent when the capture cannot tell", HFILL } },
        { &hf_sip,
          { "First SIP request", "sipmtls.sip", FT_STRING, BASE_NONE, NULL, 0x0,
            "The first SIP request of the connection, when its payload is readable", HFILL } },
        { &hf_sip_in,
          { "SIP request in", "sipmtls.sip.frame", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The frame with the connection's first SIP request", HFILL } },
        { &hf_sip_method,
          { "Method", "sipmtls.sip.method", FT_STRING, BASE_NONE, NULL, 0x0,
            NULL, HFILL } },
        { &hf_sip_call_id,
          { "Call-ID", "sipmtls.sip.call_id", FT_STRING, BASE_NONE, NULL, 0x0,
            NULL, HFILL } },
        { &hf_sip_from,
          { "From", "sipmtls.sip.from", FT_STRING, BASE_NONE, NULL, 0x0,
            "Address of the From header", HFILL } },
        { &hf_sip_to,
          { "To", "sipmtls.sip.to", FT_STRING, BASE_NONE, NULL, 0x0,
            "Address of the To header", HFILL } },
        { &hf_inference,
          { "Inferred from record sizes", "sipmtls.inference", FT_STRING, BASE_NONE, NULL, 0x0,
            "TLS 1.3 without keys: what the lengths of the client's encrypted records show",
            HFILL } },
        { &hf_request_inferred,
          { "CertificateRequest (inferred)", "sipmtls.cert_request.inferred", FT_BOOLEAN,
            BASE_NONE, NULL, 0x0, "TLS 1.3 without keys: the record sizes show a "
            "CertificateRequest (true) or none (false)", HFILL } },
        { &hf_client_cert_inferred,
          { "Client certificate sent (inferred)", "sipmtls.client_cert.inferred", FT_BOOLEAN,
            BASE_NONE, NULL, 0x0, "TLS 1.3 without keys: the client answered the request "
            "with certificates (true) or an empty Certificate (false)", HFILL } },
        { &hf_lost_before,
          { "Segment lost before", "sipmtls.lost_before", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The capture misses TCP bytes sent before this frame, which may hold what would "
            "decide the verdict (Wireshark's TCP analysis: previous segment not captured, "
            "ACKed unseen segment)", HFILL } },
        { &hf_roles_from,
          { "Roles learnt from", "sipmtls.roles_from", FT_STRING, BASE_NONE, NULL, 0x0,
            "Without the hellos: the message only one side sends that showed which side is "
            "the TLS client and which the TLS server", HFILL } },
        { &hf_chain_trust,
          { "Issued under", "sipmtls.chain.trust", FT_UINT8, BASE_DEC,
            VALS(CORE_VS(sipmtls_chain_trust_names)), 0x0,
            "Whether the chain's top certificate was issued by a root of the public root store "
            "(name, and key identifier where both carry one), or by a private CA", HFILL } },
        { &hf_chain_public,
          { "Public CA", "sipmtls.chain.public", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The chain comes from a publicly trusted TLS root, whose CAs drop clientAuth in "
            "2026-2027", HFILL } },
        { &hf_chain_root,
          { "Public root", "sipmtls.chain.root", FT_STRING, BASE_NONE, NULL, 0x0,
            "Subject of the public root the chain leads to (RFC 4514)", HFILL } },
        { &hf_chain_root_owner,
          { "Root owner", "sipmtls.chain.root_owner", FT_STRING, BASE_NONE, NULL, 0x0,
            "Organisation of the public root the chain leads to", HFILL } },
        { &hf_chain_ca,
          { "Public CA name", "sipmtls.chain.ca", FT_STRING, BASE_NONE, NULL, 0x0,
            "The public CA that issued the chain, as its clientAuth cut-off is known "
            "(else the root's owner)", HFILL } },
        { &hf_client_cert_trust,
          { "Client certificate issued under", "sipmtls.client_cert.trust", FT_UINT8, BASE_DEC,
            VALS(CORE_VS(sipmtls_chain_trust_names)), 0x0,
            "Public or private CA of the client's certificate", HFILL } },
        { &hf_client_cert_public,
          { "Client certificate from a public CA", "sipmtls.client_cert.public", FT_BOOLEAN,
            BASE_NONE, NULL, 0x0, "The client's chain comes from a publicly trusted TLS root",
            HFILL } },
        { &hf_client_cert_root_owner,
          { "Client certificate root owner", "sipmtls.client_cert.root_owner", FT_STRING,
            BASE_NONE, NULL, 0x0, "Organisation of the public root of the client's chain",
            HFILL } },
        { &hf_client_cert_ca,
          { "Client certificate CA", "sipmtls.client_cert.ca", FT_STRING, BASE_NONE, NULL, 0x0,
            "The public CA that issued the client's certificate", HFILL } },
        { &hf_deadline,
          { "Breaks at the latest", "sipmtls.deadline", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC,
            NULL, 0x0, "For a connection relying on clientAuth from a public CA: the client "
            "certificate's notAfter, or its CA's clientAuth cut-off when that comes first",
            HFILL } },
        { &hf_deadline_past,
          { "Already past", "sipmtls.deadline.past", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The deadline was not after the capture: the next handshake with a renewed "
            "certificate fails", HFILL } },
        { &hf_deadline_text,
          { "When it breaks", "sipmtls.deadline.text", FT_STRING, BASE_NONE, NULL, 0x0,
            "The deadline, or why a private CA's certificate is not affected, in words",
            HFILL } },
        { &hf_verdict_inferred,
          { "Verdict inferred", "sipmtls.verdict.inferred", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The verdict rests on the sizes of encrypted records, not on the messages",
            HFILL } },
    };

    static gint *ett[] = {
        &ett_sipmtls,
        &ett_request,
        &ett_chain,
        &ett_cert,
        &ett_verdict,
        &ett_sip,
        &ett_inference,
        &ett_deadline,
    };

    static ei_register_info ei[] = {
        { &ei_cert_request,
          { "sipmtls.expert.cert_request", PI_SECURITY, PI_WARN,
            "CertificateRequest: a client certificate is requested (mutual TLS)", EXPFILL } },
        { &ei_client_auth_from_client,
          { "sipmtls.expert.client_auth.client", PI_SECURITY, PI_WARN,
            "TLS client presents a certificate with the clientAuth EKU", EXPFILL } },
        { &ei_client_auth_from_server,
          { "sipmtls.expert.client_auth.server", PI_SECURITY, PI_NOTE,
            "TLS server presents a certificate with the clientAuth EKU", EXPFILL } },
        { &ei_client_auth_from_mtls_server,
          { "sipmtls.expert.client_auth.mtls_server", PI_SECURITY, PI_WARN,
            "TLS server that asks for client certificates presents one with the clientAuth EKU",
            EXPFILL } },
        { &ei_verdict_no_request,
          { "sipmtls.expert.verdict.no_request", PI_SECURITY, PI_CHAT,
            "No client certificate requested", EXPFILL } },
        { &ei_verdict_optional,
          { "sipmtls.expert.verdict.optional", PI_SECURITY, PI_NOTE,
            "Client certificate requested but optional", EXPFILL } },
        { &ei_verdict_client_auth_accepted,
          { "sipmtls.expert.verdict.client_auth_accepted", PI_SECURITY, PI_WARN,
            "Client certificate with clientAuth accepted", EXPFILL } },
        { &ei_verdict_no_client_auth_accepted,
          { "sipmtls.expert.verdict.no_client_auth_accepted", PI_SECURITY, PI_NOTE,
            "Client certificate without clientAuth accepted", EXPFILL } },
        { &ei_verdict_no_eku_accepted,
          { "sipmtls.expert.verdict.no_eku_accepted", PI_SECURITY, PI_NOTE,
            "Client certificate without any EKU accepted", EXPFILL } },
        { &ei_verdict_rejected,
          { "sipmtls.expert.verdict.rejected", PI_SECURITY, PI_ERROR,
            "Client certificate rejected", EXPFILL } },
        { &ei_verdict_undetermined,
          { "sipmtls.expert.verdict.undetermined", PI_SECURITY, PI_NOTE,
            "Client certificate use undetermined", EXPFILL } },
        { &ei_verdict_chain_accepted_unseen,
          { "sipmtls.expert.verdict.chain_accepted_unseen", PI_SECURITY, PI_WARN,
            "Client certificate accepted, EKU not visible (TLS 1.3 without keys)", EXPFILL } },
        { &ei_inferred_request,
          { "sipmtls.expert.cert_request.inferred", PI_SECURITY, PI_WARN,
            "CertificateRequest inferred from record sizes (TLS 1.3 without keys)", EXPFILL } },
        { &ei_inferred_no_request,
          { "sipmtls.expert.no_cert_request.inferred", PI_SECURITY, PI_CHAT,
            "No CertificateRequest, inferred from record sizes (TLS 1.3 without keys)",
            EXPFILL } },
        { &ei_inference_undecidable,
          { "sipmtls.expert.inference.undecidable", PI_SECURITY, PI_NOTE,
            "Record sizes cannot tell whether a client certificate was requested", EXPFILL } },
    };

    module_t *sipmtls_module;
    expert_module_t *expert_sipmtls;

    proto_sipmtls = proto_register_protocol("SIP-TLS Mutual TLS Audit", "SIPMTLS", "sipmtls");
    proto_register_field_array(proto_sipmtls, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_sipmtls = expert_register_protocol(proto_sipmtls);
    expert_register_field_array(expert_sipmtls, ei, array_length(ei));

    range_convert_str(wmem_epan_scope(), &audited_ports, SIPMTLS_DEFAULT_PORTS, 65535);
    sipmtls_module = prefs_register_protocol(proto_sipmtls, apply_prefs);
    prefs_register_range_preference(sipmtls_module, "ports", "SIP-TLS ports",
                                    "TCP ports of SIP over TLS: a TLS connection is audited "
                                    "when either end uses one of these ports",
                                    &audited_ports, 65535);
    /* The description names the built-in store's source: which package
     * version this build knows the roots of. */
    prefs_register_filename_preference(sipmtls_module, "root_store",
                                       "Public root store (PEM bundle)",
                                       wmem_strdup_printf(wmem_epan_scope(),
                                           "PEM file of the publicly trusted TLS roots, used "
                                           "instead of the built-in ones; empty: the built-in "
                                           "ones (%s)", sipmtls_builtin_roots.source),
                                       &root_store_pref, FALSE);
    prefs_register_bool_preference(sipmtls_module, "sip_on_any_port",
                                   "Also audit SIP over TLS on other ports (slower)",
                                   "Also audit a TLS connection on any other port once its "
                                   "decrypted payload turns out to be SIP.  This makes "
                                   "Wireshark dissect every TCP segment of every capture "
                                   "into a protocol tree for sipmtls, not only those on the "
                                   "ports above: tshark then runs up to a third slower "
                                   "(docs/performance.md)",
                                   &sip_on_any_port);

    fact_tree_register_protocol(proto_sipmtls);
    register_init_routine(sipmtls_init);
    register_cleanup_routine(sipmtls_cleanup);

    sipmtls_handle = register_dissector("sipmtls", dissect_sipmtls, proto_sipmtls);
    sipmtls_tap = register_tap(SIPMTLS_TAP_NAME);
}

void
proto_reg_handoff_sipmtls(void)
{
    /* No post-dissector and no wanted fields: either costs every frame of
     * every capture.  fact_tree.c makes the fields real where they matter
     * and calls sipmtls_handle on the frames of audited connections. */
    tls_fields_ids ids = tls_fields_init();

    fact_tree_register(ids.any_sender, ids.from_client, ids.from_server, ids.from_tcp_client,
                       segment_audited, analyse_first_pass, sipmtls_handle, frame_has_report);
}
