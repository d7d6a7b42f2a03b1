/* fact_tree.c
 * A protocol tree only for the frames sipmtls audits (see fact_tree.h).
 *
 * Why in front of TCP: wanted fields (set_postdissector_wanted_hfids) make
 * tshark build a tree for every frame of every capture, which costs 20%
 * on RTP and changes other dissectors' expert infos.  A dissector in front
 * of TCP sees every TCP segment before any of its fields exist, including
 * the FIN or RST without payload that ends a handshake, and the TCP
 * analysis of the segment; in front of TLS (tcp.port) it would see neither,
 * would take TLS's reassembly offer (can_desegment) away and be bypassed
 * once TLS claims the conversation.  The handle's protocol is a protocol in
 * name only (a "pino", as Wireshark's helper dissectors have), so it adds
 * no layer (frame.protocols stays as it is), leaves pinfo->current_proto
 * alone and is enabled exactly when sipmtls is.
 *
 * The private tree is that of an epan_dissect_t of sipmtls's own (epan
 * exports no other way to make a root): items live in its pool, so a tree
 * left behind by a frame whose report never ran is still safe to free
 * later.
 *
 * Why the report is drawn here and not by a post-dissector: Wireshark wraps
 * its post-dissectors in a TRY and a call on every frame of every capture
 * once one is enabled (+684 instructions an RTP frame, docs/performance.md).
 * When TCP returns, every layer above it is done, so the front handle calls
 * the report itself, on the frames that have one: non-TCP frames cost what
 * they cost without sipmtls.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "fact_tree.h"
#include "version.h"

#include <epan/epan_dissect.h>
#include <epan/exceptions.h>
#include <epan/ipproto.h>
#include <epan/prefs-int.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/wmem_scopes.h>

#include <string.h>

static int proto_sipmtls = -1;
static int proto_front = -1;
static int proto_front_tls = -1;
static GArray *wanted = NULL;          /* sender's role unknown */
static GArray *wanted_client = NULL;   /* sent by the TLS client */
static GArray *wanted_server = NULL;   /* sent by the TLS server */
static GArray *wanted_syn = NULL;      /* roles unknown, sent by the SYN's sender */
static fact_tree_audited_fn is_audited = NULL;

static dissector_handle_t tcp_handle = NULL;
static dissector_handle_t front_handle = NULL;
static dissector_handle_t tls_handle = NULL;
static dissector_handle_t tls_front_handle = NULL;
static dissector_handle_t report_handle = NULL;
static dissector_table_t tcp_port = NULL;   /* "tcp.port", looked up at registration */
static fact_tree_has_report_fn has_report = NULL;
static gboolean installed = FALSE;

/* The frame (first pass) whose TCP segment was audited, and the private
 * dissection that holds its facts when Wireshark built no tree. */
static guint32 audited_frame = 0;
static epan_dissect_t *private_edt = NULL;
static guint32 private_frame = 0;

/* TLS's own ports among the audited ones, where sipmtls also stands in
 * front of TLS ("tcp.port"), and the frame whose TLS is handed the private
 * tree there while TCP runs without one. */
static GArray *wrapped_ports = NULL;   /* guint32, to put TLS back */
static guint8 tls_wrapped[65536 / 8];   /* a bit per port */
static guint32 tls_tree_frame = 0;
static gboolean tls_tree_given = FALSE;

/* Per connection, what TCP has seen of each direction's sequence numbers,
 * so that TCP gets a tree exactly where its analysis can find something
 * (see tcp_tree_needed). */
typedef struct flow_key {
    guint8  addr[2][16];
    guint32 port[2];
    guint8  addr_len;
} flow_key;

typedef struct flow {
    flow_key key;
    guint32  next[2];        /* sequence number after the highest byte seen */
    gboolean seen[2];
    gboolean tcp_tree_only;  /* from now on TCP gets the tree on every segment */
    int      client_dir;     /* the TLS client's direction, -1 while unknown */
    int      syn_dir;        /* the direction of the SYN, -1 while unseen */
} flow;

/* The flow and direction of the segment being dissected (first pass). */
static flow *current_flow = NULL;
static int current_dir = 0;
static guint32 current_frame = 0;

static wmem_map_t *flows = NULL;

/* TCP's flag bits (RFC 9293 3.1), in the header's 14th byte. */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

static void restore_references(void);

static void
free_private(void)
{
    if (private_edt != NULL) {
        epan_dissect_free(private_edt);
        private_edt = NULL;
    }
    private_frame = 0;
    restore_references();
}

/* Makes the wanted fields real in whatever tree comes next: priming sets
 * the fields' reference type, which is global.  Those this priming made
 * referenced that were not before (a display filter's are left alone) are
 * put back once the report has read the frame, so that a field primed but
 * absent from the frame does not stay real in the frames after it, where
 * sipmtls reads other fields (a server's cipher suite field would make
 * every cipher suite of the next ClientHello real). */
#define MAX_PRIMED 128
static header_field_info *unprime[MAX_PRIMED];
static guint n_unprime = 0;

static void
prime(epan_dissect_t *edt, const flow *f, int dir)
{
    GArray *ids = wanted;

    if (f != NULL && f->client_dir >= 0)
        ids = f->client_dir == dir ? wanted_client : wanted_server;
    else if (f != NULL && f->syn_dir == dir)
        ids = wanted_syn;
    for (guint i = 0; i < ids->len; i++) {
        header_field_info *hfi = proto_registrar_get_nth((guint)g_array_index(ids, int, i));
        if (hfi->ref_type == HF_REF_TYPE_NONE && n_unprime < MAX_PRIMED)
            unprime[n_unprime++] = hfi;
    }
    epan_dissect_prime_with_hfid_array(edt, ids);
}

static void
restore_references(void)
{
    for (guint i = 0; i < n_unprime; i++)
        unprime[i]->ref_type = HF_REF_TYPE_NONE;
    n_unprime = 0;
}

static guint
flow_hash(gconstpointer k)
{
    const flow_key *key = (const flow_key *)k;
    guint h = key->port[0] * 65599u + key->port[1];

    for (guint i = 0; i < key->addr_len; i++)
        h = h * 31u + key->addr[0][i] * 7u + key->addr[1][i];
    return h;
}

static gboolean
flow_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(flow_key)) == 0;
}

static gboolean
port_wrapped(guint32 port)
{
    return port < 65536 && (tls_wrapped[port / 8] & (1u << (port % 8))) != 0;
}

/* Whether TCP hands this segment's payload to TLS through sipmtls's handle
 * in "tcp.port".  TCP tries the server port (the SYN's destination), then
 * the lower port, then the higher one (packet-tcp.c decode_tcp_ports), and
 * Decode As entries before those: each port must be one sipmtls stands in
 * front of, or have no dissector of its own.  Otherwise, and when a
 * conversation's dissector takes TLS around it (fact_tree_frame_lost), TCP
 * gets the tree as before. */
static gboolean
port_clear(guint32 port)
{
    if (port_wrapped(port))
        return dissector_get_uint_handle(tcp_port, port) == tls_front_handle;
    return dissector_get_uint_handle(tcp_port, port) == NULL;
}

static gboolean
reaches_tls_front(guint32 sport, guint32 dport)
{
    return tcp_port != NULL && (port_wrapped(sport) || port_wrapped(dport))
           && port_clear(sport) && port_clear(dport);
}

/* The flow of this segment, made on its first one; dir is 0 or 1. */
static flow *
flow_of(packet_info *pinfo, guint32 sport, guint32 dport, int *dir)
{
    flow_key key;
    flow *f;
    int cmp;

    if (pinfo->src.type != pinfo->dst.type || pinfo->src.len != pinfo->dst.len
        || pinfo->src.len <= 0 || pinfo->src.len > 16)
        return NULL;
    memset(&key, 0, sizeof key);
    cmp = memcmp(pinfo->src.data, pinfo->dst.data, (size_t)pinfo->src.len);
    if (cmp == 0)
        cmp = sport < dport ? -1 : sport > dport;
    *dir = cmp > 0;
    memcpy(key.addr[*dir], pinfo->src.data, (size_t)pinfo->src.len);
    memcpy(key.addr[!*dir], pinfo->dst.data, (size_t)pinfo->dst.len);
    key.port[*dir] = sport;
    key.port[!*dir] = dport;
    key.addr_len = (guint8)pinfo->src.len;
    f = (flow *)wmem_map_lookup(flows, &key);
    if (f == NULL) {
        f = wmem_new0(wmem_file_scope(), flow);
        f->key = key;
        f->client_dir = -1;
        f->syn_dir = -1;
        f->tcp_tree_only = !reaches_tls_front(sport, dport);
        wmem_map_insert(flows, &f->key, f);
    }
    return f;
}

/* Whether TCP must dissect this segment into the tree: a FIN or RST (the
 * report reads tcp.flags), or a segment where TCP's sequence analysis can
 * flag what the capture lost (tcp.analysis.lost_segment: its sequence
 * number is past the highest byte seen in its direction;
 * tcp.analysis.ack_lost_segment: it acknowledges a byte the other
 * direction never showed).  A segment that starts exactly where its
 * direction left off and acknowledges nothing unseen can show neither
 * (packet-tcp.c tcp_analyze_sequence_number), so TCP dissects it without a
 * tree, as stock tshark does; anything else, and everything after a zero
 * window or an odd header, gets the tree and TCP decides.  The header's
 * numbers only choose where the tree goes: every fact is read from the
 * fields TCP adds. */
static gboolean
tcp_tree_needed(tvbuff_t *tvb, flow *f, int dir, gboolean *has_payload)
{
    guint32 seq, ack, hlen, len, flags, end;
    gboolean needed = FALSE;

    *has_payload = TRUE;
    if (f->tcp_tree_only || tvb_captured_length(tvb) < 20)
        return TRUE;
    seq = tvb_get_ntohl(tvb, 4);
    ack = tvb_get_ntohl(tvb, 8);
    hlen = (guint32)(tvb_get_uint8(tvb, 12) >> 4) * 4;
    flags = tvb_get_uint8(tvb, 13);
    if (hlen < 20 || hlen > tvb_reported_length(tvb) || tvb_get_ntohs(tvb, 14) == 0) {
        f->tcp_tree_only = TRUE;
        return TRUE;
    }
    len = tvb_reported_length(tvb) - hlen;
    *has_payload = len > 0;
    if ((flags & (TCP_FIN | TCP_RST)) != 0 || len == 1)
        needed = TRUE;
    else if (f->seen[dir] && seq != f->next[dir])
        needed = TRUE;
    else if ((flags & TCP_ACK) != 0 && f->seen[!dir] && (gint32)(ack - f->next[!dir]) > 0)
        needed = TRUE;
    end = seq + len + ((flags & TCP_SYN) != 0) + ((flags & TCP_FIN) != 0);
    if (!f->seen[dir] || (gint32)(end - f->next[dir]) > 0)
        f->next[dir] = end;
    f->seen[dir] = TRUE;
    return needed;
}

static gboolean
segment_audited(tvbuff_t *tvb)
{
    /* The ports, which TCP has not read yet: the first two fields of the
     * header.  sipmtls's dissector checks them again from pinfo. */
    if (tvb_captured_length(tvb) < 4)
        return FALSE;
    return is_audited(tvb_get_ntohs(tvb, 0), tvb_get_ntohs(tvb, 2));
}

/* The report of the frame, once per dissection of it (a frame can hold TCP
 * twice, in a tunnel), on the frame's own data source as a post-dissector
 * would have it, and as a layer of its own (frame.protocols). */
static void
report_frame(packet_info *pinfo, proto_tree *tree)
{
    tvbuff_t *frame_tvb;

    if (pinfo->data_src == NULL || p_get_proto_data(pinfo->pool, pinfo, proto_front, 0) != NULL)
        return;
    p_add_proto_data(pinfo->pool, pinfo, proto_front, 0, GUINT_TO_POINTER(1));
    frame_tvb = get_data_source_tvb((const struct data_source *)pinfo->data_src->data);
    call_dissector_only(report_handle, frame_tvb, pinfo, tree, NULL);
}

/* The frame whose TLS ran without the private tree although TCP had none:
 * its facts are lost, and the report says so (fact_tree_frame_lost). */
static guint32 lost_frame = 0;

static void
tls_missed(packet_info *pinfo, flow *f)
{
    if (f == NULL || tls_tree_frame != pinfo->num || tls_tree_given)
        return;
    tls_tree_frame = 0;
    if (!proto_is_frame_protocol(pinfo->layers, "tls"))
        return;
    f->tcp_tree_only = TRUE;
    lost_frame = pinfo->num;
}

static int
dissect_in_front_of_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    proto_tree *volatile facts = tree;
    flow *volatile f = NULL;
    volatile int len = 0;

    if (PINFO_FD_VISITED(pinfo)) {
        if (!has_report(pinfo))
            return call_dissector_with_data(tcp_handle, tvb, pinfo, tree, data);
    } else if (!pinfo->flags.in_error_pkt && segment_audited(tvb)) {
        int dir = 0;
        gboolean tcp_tree = TRUE, has_payload = TRUE;

        if (private_edt != NULL && private_frame != pinfo->num)
            free_private();   /* left behind by a frame that did not finish */
        if (flows != NULL)
            f = flow_of(pinfo, tvb_get_ntohs(tvb, 0), tvb_get_ntohs(tvb, 2), &dir);
        /* a SYN without ACK: its sender opens the connection */
        if (f != NULL && tvb_captured_length(tvb) >= 14
            && (tvb_get_uint8(tvb, 13) & (TCP_SYN | TCP_ACK)) == TCP_SYN)
            f->syn_dir = dir;
        if (tree == NULL && f != NULL) {
            tcp_tree = tcp_tree_needed(tvb, f, dir, &has_payload);
            /* Nothing for TCP to flag and nothing for TLS: no facts. */
            if (!tcp_tree && !has_payload)
                return call_dissector_with_data(tcp_handle, tvb, pinfo, NULL, data);
        }
        if (audited_frame != pinfo->num || private_edt == NULL) {
            if (private_edt == NULL) {
                private_edt = epan_dissect_new(pinfo->epan, TRUE, FALSE);
                private_frame = pinfo->num;
            }
            prime(private_edt, f, dir);
            /* the frame's first audited segment names its sender */
            current_flow = f;
            current_dir = dir;
            current_frame = pinfo->num;
        }
        audited_frame = pinfo->num;
        if (tree == NULL) {
            facts = private_edt->tree;
            if (!tcp_tree) {
                /* TLS gets the tree in front of it, TCP none. */
                facts = NULL;
                tls_tree_frame = pinfo->num;
                tls_tree_given = FALSE;
            }
        }
    } else {
        return call_dissector_with_data(tcp_handle, tvb, pinfo, tree, data);
    }
    /* Malformed segments too: TCP or a layer above it may throw. */
    TRY {
        len = call_dissector_with_data(tcp_handle, tvb, pinfo, facts, data);
    }
    CATCH_ALL {
        tls_missed(pinfo, f);
        report_frame(pinfo, tree);
        RETHROW;
    }
    ENDTRY;
    tls_missed(pinfo, f);
    report_frame(pinfo, tree);
    return len;
}

/* In "tcp.port", in front of TLS on its audited ports: on a frame whose
 * TCP runs without a tree, TLS gets the private one.  It passes TLS the
 * reassembly offer TCP made (the SOCKS dissector does the same): a handle
 * in between would otherwise take it away. */
static int
dissect_in_front_of_tls(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (tree == NULL && tls_tree_frame == pinfo->num && !PINFO_FD_VISITED(pinfo)
        && private_edt != NULL && private_frame == pinfo->num) {
        tree = private_edt->tree;
        tls_tree_given = TRUE;
    }
    pinfo->can_desegment = pinfo->saved_can_desegment;
    return call_dissector_with_data(tls_handle, tvb, pinfo, tree, data);
}

void
fact_tree_register_protocol(int proto)
{
    proto_sipmtls = proto;
    proto_front = proto_register_protocol_in_name_only(
        "TCP, as audited by sipmtls", "TCP (sipmtls)", "sipmtls.tcp", proto, FT_PROTOCOL);
    proto_front_tls = proto_register_protocol_in_name_only(
        "TLS, as audited by sipmtls", "TLS (sipmtls)", "sipmtls.tls", proto, FT_PROTOCOL);
}

void
fact_tree_register(GArray *any_sender, GArray *from_client, GArray *from_server,
                   GArray *from_syn_sender, fact_tree_audited_fn audited,
                   dissector_handle_t report, fact_tree_has_report_fn reported)
{
    wanted = any_sender;
    wanted_syn = from_syn_sender;
    wanted_client = from_client;
    wanted_server = from_server;
    is_audited = audited;
    report_handle = report;
    has_report = reported;
    tcp_handle = find_dissector("tcp");
    tls_handle = find_dissector("tls");
    tcp_port = find_dissector_table("tcp.port");
    front_handle = create_dissector_handle(dissect_in_front_of_tcp, proto_front);
    tls_front_handle = create_dissector_handle(dissect_in_front_of_tls, proto_front_tls);
}

/* In front of TLS on each audited port where TLS is what "tcp.port" has,
 * unless TCP tries heuristics first (they would reach TLS around it). */
static void
wrap_tls_ports(const range_t *ports)
{
    module_t *tcp_module = prefs_find_module("tcp");
    pref_t *heur_first = tcp_module != NULL ? prefs_find_preference(tcp_module, "try_heuristic_first")
                                            : NULL;

    memset(tls_wrapped, 0, sizeof tls_wrapped);
    if (wrapped_ports == NULL)
        wrapped_ports = g_array_new(FALSE, FALSE, (guint)sizeof(guint32));
    g_array_set_size(wrapped_ports, 0);
    if (tcp_port == NULL || tls_handle == NULL || ports == NULL || heur_first == NULL
        || prefs_get_bool_value(heur_first, pref_current))
        return;
    for (guint r = 0; r < ports->nranges; r++) {
        for (guint32 p = ports->ranges[r].low; p <= ports->ranges[r].high && p < 65536; p++) {
            if (dissector_get_uint_handle(tcp_port, p) != tls_handle
                || dissector_is_uint_changed(tcp_port, p))
                continue;
            dissector_add_uint("tcp.port", p, tls_front_handle);
            g_array_append_val(wrapped_ports, p);
            tls_wrapped[p / 8] |= (guint8)(1u << (p % 8));
            if (p == 65535)
                break;
        }
    }
}

static void
unwrap_tls_ports(void)
{
    for (guint i = 0; wrapped_ports != NULL && i < wrapped_ports->len; i++) {
        guint32 p = g_array_index(wrapped_ports, guint32, i);
        if (tcp_port != NULL && dissector_get_uint_handle(tcp_port, p) == tls_front_handle)
            dissector_add_uint("tcp.port", p, tls_handle);
    }
    if (wrapped_ports != NULL)
        g_array_set_size(wrapped_ports, 0);
    memset(tls_wrapped, 0, sizeof tls_wrapped);
}

void
fact_tree_init(const range_t *tls_ports)
{
    dissector_table_t ip_proto = find_dissector_table("ip.proto");

    audited_frame = 0;
    tls_tree_frame = 0;
    lost_frame = 0;
    current_flow = NULL;
    current_frame = 0;
    flows = NULL;
    free_private();
    if (!proto_is_protocol_enabled(find_protocol_by_id(proto_sipmtls)) || tcp_handle == NULL
        || ip_proto == NULL)
        return;
    /* Only in front of TCP itself: a user who decodes IP protocol 6 as
     * something else (Decode As) keeps it. */
    if (dissector_get_uint_handle(ip_proto, IP_PROTO_TCP) != tcp_handle)
        return;
    dissector_add_uint("ip.proto", IP_PROTO_TCP, front_handle);
    installed = TRUE;
    flows = wmem_map_new(wmem_file_scope(), flow_hash, flow_equal);
    wrap_tls_ports(tls_ports);
}

void
fact_tree_cleanup(void)
{
    dissector_table_t ip_proto = find_dissector_table("ip.proto");

    free_private();
    audited_frame = 0;
    tls_tree_frame = 0;
    current_flow = NULL;
    current_frame = 0;
    flows = NULL;
    unwrap_tls_ports();
    if (installed && ip_proto != NULL
        && dissector_get_uint_handle(ip_proto, IP_PROTO_TCP) == front_handle)
        dissector_add_uint("ip.proto", IP_PROTO_TCP, tcp_handle);
    installed = FALSE;
}

void
fact_tree_note_sender(packet_info *pinfo, gboolean sender_is_client)
{
    if (current_flow == NULL || current_frame != pinfo->num || PINFO_FD_VISITED(pinfo))
        return;
    current_flow->client_dir = sender_is_client ? current_dir : !current_dir;
}

gboolean
fact_tree_frame_lost(packet_info *pinfo)
{
    return lost_frame == pinfo->num && !PINFO_FD_VISITED(pinfo);
}

proto_tree *
fact_tree_of_frame(packet_info *pinfo, proto_tree *tree)
{
    if (audited_frame != pinfo->num || PINFO_FD_VISITED(pinfo))
        return NULL;
    if (tree != NULL)
        return tree;
    return private_edt != NULL && private_frame == pinfo->num ? private_edt->tree : NULL;
}

void
fact_tree_release(void)
{
    free_private();
}
