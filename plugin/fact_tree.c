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
 * exports no other way to make a root): items live in its pool, so the
 * items of a frame whose report never ran are still safe to free later.
 * It is kept from frame to frame (see private_edt below).
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
static fact_tree_fields *wanted = NULL;          /* sender's role unknown */
static fact_tree_fields *wanted_client = NULL;   /* sent by the TLS client */
static fact_tree_fields *wanted_server = NULL;   /* sent by the TLS server */
static fact_tree_fields *wanted_syn = NULL;      /* roles unknown, sent by the SYN's sender */
static fact_tree_audited_fn is_audited = NULL;

static dissector_handle_t tcp_handle = NULL;
static dissector_handle_t front_handle = NULL;
static dissector_handle_t tls_handle = NULL;
static dissector_handle_t tls_front_handle = NULL;
static dissector_handle_t report_handle = NULL;
static dissector_table_t tcp_port = NULL;   /* "tcp.port", looked up at registration */
static fact_tree_has_report_fn has_report = NULL;
static fact_tree_analyse_fn analyse = NULL;
static gboolean installed = FALSE;

/* The frame (first pass) whose TCP segment was audited, and the private
 * dissection that holds its facts when Wireshark built no tree.
 *
 * The private dissection is kept from frame to frame, up to
 * PRIVATE_MAX_FRAMES of them: making and freeing one for each frame cost
 * more than the TLS it held (epan's lists of the fields a tree holds are
 * made, filled and freed with it; docs/performance.md).  A frame's items
 * are then the ones added since the frame began: for each field, the tail
 * of the tree's list of it, from where the list ended when the frame began
 * (fact_tree_items).  Wireshark's own trees hold one frame each. */
#define PRIVATE_MAX_FRAMES 256
static guint32 audited_frame = 0;
static epan_dissect_t *private_edt = NULL;
static guint32 private_frame = 0;
static guint private_frames = 0;   /* frames the private dissection has held */

/* For each field sipmtls makes real, the private tree's list of it once it
 * has one, and where this frame's items begin in it. */
typedef struct kept_list {
    int        id;
    GPtrArray *items;
    guint      first;
} kept_list;
static kept_list *kept = NULL;   /* from fact_tree_register */
static guint n_kept = 0;
static guint8 *kept_slot = NULL;   /* by field id: 1 + its index in kept, 0 for none */
static guint n_slots = 0;          /* field ids kept_slot covers */
static guint n_known = 0;   /* kept lists whose items are known */

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
    void    *report_state;   /* the report's, since the last SYN (fact_tree_connection_slot) */
} flow;

/* The flow and direction of the segment being dissected (first pass). */
static flow *current_flow = NULL;
static int current_dir = 0;
static guint32 current_frame = 0;
static guint current_segments = 0;   /* audited segments in current_frame */
/* The frame whose one audited segment TCP dissected without a tree, and
 * its flags (tcp_tree_needed). */
static guint32 header_flags_frame = 0;
static guint header_flags = 0;

static wmem_map_t *flows = NULL;

/* TCP's flag bits (RFC 9293 3.1), in the header's 14th byte. */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

static void release_held(void);
static gboolean frame_tree_is_wiresharks = FALSE;   /* the audited frame's facts are in Wireshark's tree */

static void
free_private(void)
{
    if (private_edt != NULL) {
        epan_dissect_free(private_edt);
        private_edt = NULL;
    }
    for (guint i = 0; i < n_kept; i++) {
        kept[i].items = NULL;
        kept[i].first = 0;
    }
    n_known = 0;
    private_frame = 0;
    private_frames = 0;
}

/* Where each kept list ends as a frame begins.  The lists epan made since
 * the last frame began (those sipmtls did not ask for) are found first:
 * the tree's table has more lists than sipmtls knows of. */
static void
mark_lists(void)
{
    tree_data_t *td = PTREE_DATA(private_edt->tree);

    if (td->interesting_hfids != NULL && n_known < n_kept
        && g_hash_table_size(td->interesting_hfids) > n_known) {
        for (guint i = 0; i < n_kept; i++) {
            if (kept[i].items == NULL
                && (kept[i].items = proto_get_finfo_ptr_array(private_edt->tree, kept[i].id)) != NULL)
                n_known++;
        }
    }
    for (guint i = 0; i < n_kept; i++) {
        if (kept[i].items != NULL)
            kept[i].first = kept[i].items->len;
    }
}

/* The first audited segment of a frame, first pass: the private dissection
 * that holds its facts, a new one after PRIVATE_MAX_FRAMES frames (which
 * bounds what it holds), its items limit counted afresh (as a new tree's
 * would be, prefs.gui_max_tree_items). */
static void
begin_private_frame(packet_info *pinfo)
{
    if (private_edt != NULL && private_frames >= PRIVATE_MAX_FRAMES)
        free_private();
    if (private_edt == NULL)
        private_edt = epan_dissect_new(pinfo->epan, TRUE, FALSE);
    sipmtls_tree_data_begin_frame(PTREE_DATA(private_edt->tree));
    mark_lists();
    private_frames++;
    private_frame = pinfo->num;
}

static kept_list *
kept_of(int id)
{
    if (id < 0 || (guint)id >= n_slots || kept_slot[id] == 0)
        return NULL;
    return &kept[kept_slot[id] - 1];
}

GPtrArray *
fact_tree_items(proto_tree *tree, int id, guint *first)
{
    kept_list *k;

    *first = 0;
    if (tree == NULL)
        return NULL;
    if (private_edt == NULL || tree != private_edt->tree)
        return proto_get_finfo_ptr_array(tree, id);
    /* A field the private tree does not keep has no items of this frame
     * that could be told from older ones. */
    if ((k = kept_of(id)) == NULL)
        return NULL;
    if (k->items == NULL) {
        GHashTable *lists = PTREE_DATA(tree)->interesting_hfids;

        /* no list in the tree that sipmtls does not know of */
        if (lists == NULL || g_hash_table_size(lists) <= n_known)
            return NULL;
        if ((k->items = proto_get_finfo_ptr_array(tree, id)) == NULL)
            return NULL;
        k->first = 0;   /* a list made during this frame */
        n_known++;
    }
    *first = k->first;
    return k->items;
}

/* Makes fields real in whatever tree comes next: priming sets the fields'
 * reference type, and their protocols', which is global.  Those this
 * priming made referenced that were not before (a display filter's are
 * left alone) are put back by fact_tree_unprime, so that a field primed but
 * absent from the frame does not stay real in the frames after it (a
 * server's cipher suite field would make every cipher suite of the next
 * ClientHello real).  A tree used to put back the fields it held when
 * freed; the private one is now kept, and every field is put back here. */
fact_tree_fields *
fact_tree_fields_new(GArray *ids)
{
    fact_tree_fields *fields = g_new0(fact_tree_fields, 1);

    fields->ids = ids;
    fields->hfi = g_ptr_array_new();
    for (guint i = 0; i < ids->len; i++) {
        header_field_info *hfi = proto_registrar_get_nth((guint)g_array_index(ids, int, i));
        header_field_info *parent = hfi->parent >= 0 ? proto_registrar_get_nth((guint)hfi->parent)
                                                     : NULL;
        gboolean have = FALSE, have_parent = parent == NULL;

        for (guint j = 0; j < fields->hfi->len; j++) {
            have = have || g_ptr_array_index(fields->hfi, j) == hfi;
            have_parent = have_parent || g_ptr_array_index(fields->hfi, j) == parent;
        }
        if (!have)
            g_ptr_array_add(fields->hfi, hfi);
        if (!have_parent)
            g_ptr_array_add(fields->hfi, parent);
    }
    return fields;
}

void
fact_tree_prime(epan_dissect_t *edt, const fact_tree_fields *fields, fact_tree_refs *refs)
{
    for (guint i = 0; i < fields->hfi->len; i++) {
        header_field_info *hfi = g_ptr_array_index(fields->hfi, i);
        if (hfi->ref_type == HF_REF_TYPE_NONE && refs->n < FACT_TREE_MAX_REFS)
            refs->hfi[refs->n++] = hfi;
    }
    epan_dissect_prime_with_hfid_array(edt, fields->ids);
}

void
fact_tree_unprime(fact_tree_refs *refs)
{
    for (guint i = 0; i < refs->n; i++)
        refs->hfi[i]->ref_type = HF_REF_TYPE_NONE;
    refs->n = 0;
}

/* The frames' own priming.  On a pass where Wireshark builds no tree
 * (tshark without -V, -Y, -T or a tap that needs one), a primed field
 * changes nothing outside the trees sipmtls makes, so the fields stay
 * primed from one audited frame to the next, and each frame primes only
 * the difference: what its sender's set needs and is not referenced, and
 * puts back what sipmtls primed that the set does not have.  A frame with
 * Wireshark's tree puts every field back once read, as before, and so does
 * the first frame of a later pass.  held[i] says that sipmtls made
 * wanted->hfi[i] referenced. */
static guint8 *held = NULL;
static gboolean holding = FALSE;
static const fact_tree_fields *held_for = NULL;   /* the set the held fields were primed for */

static void
release_held(void)
{
    if (!holding)
        return;
    for (guint i = 0; i < wanted->hfi->len; i++) {
        if (held[i]) {
            ((header_field_info *)g_ptr_array_index(wanted->hfi, i))->ref_type = HF_REF_TYPE_NONE;
            held[i] = 0;
        }
    }
    holding = FALSE;
}

static void
hold(guint at)
{
    header_field_info *hfi = g_ptr_array_index(wanted->hfi, at);

    if (hfi->ref_type == HF_REF_TYPE_NONE) {
        held[at] = 1;
        holding = TRUE;
    }
}

static void
prime(epan_dissect_t *edt, const flow *f, int dir)
{
    const fact_tree_fields *set = wanted;

    if (f != NULL && f->client_dir >= 0)
        set = f->client_dir == dir ? wanted_client : wanted_server;
    else if (f != NULL && f->syn_dir == dir)
        set = wanted_syn;
    if (holding && held_for != set) {
        for (guint i = 0; i < wanted->hfi->len; i++) {
            if (held[i] && !set->member[i]) {
                ((header_field_info *)g_ptr_array_index(wanted->hfi, i))->ref_type = HF_REF_TYPE_NONE;
                held[i] = 0;
            }
        }
    }
    for (guint i = 0; i < set->ids->len; i++) {
        if (set->field[i]->ref_type == HF_REF_TYPE_DIRECT)
            continue;   /* primed already, by sipmtls or a display filter */
        hold(set->field_at[i]);
        if (set->parent_at[i] >= 0)
            hold((guint)set->parent_at[i]);
        epan_dissect_prime_with_hfid(edt, g_array_index(set->ids, int, i));
    }
    held_for = set;
}

/* Where each field and protocol of a frame set is in wanted->hfi, which
 * holds them all. */
static void
index_set(fact_tree_fields *set)
{
    set->member = g_new0(guint8, wanted->hfi->len);
    set->field = g_new0(header_field_info *, set->ids->len);
    set->field_at = g_new0(guint, set->ids->len);
    set->parent_at = g_new0(gint, set->ids->len);
    for (guint i = 0; i < set->ids->len; i++) {
        header_field_info *hfi = proto_registrar_get_nth((guint)g_array_index(set->ids, int, i));
        header_field_info *parent = hfi->parent >= 0 ? proto_registrar_get_nth((guint)hfi->parent)
                                                     : NULL;

        set->field[i] = hfi;
        set->parent_at[i] = -1;
        for (guint j = 0; j < wanted->hfi->len; j++) {
            if (g_ptr_array_index(wanted->hfi, j) == hfi)
                set->field_at[i] = j;
            if (parent != NULL && g_ptr_array_index(wanted->hfi, j) == parent)
                set->parent_at[i] = (gint)j;
        }
        set->member[set->field_at[i]] = 1;
        if (set->parent_at[i] >= 0)
            set->member[set->parent_at[i]] = 1;
    }
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

/* The start of an audited segment's TCP header, read once. */
typedef struct tcp_head {
    guint   captured;   /* bytes of b read, at most 20 */
    guint   reported;   /* the segment's length, header included */
    guint8  b[20];
} tcp_head;

/* Network byte order (pntoh16 and pntoh32 are named otherwise from 4.6 on). */
static guint32
be16(const guint8 *p)
{
    return (guint32)p[0] << 8 | p[1];
}

static guint32
be32(const guint8 *p)
{
    return be16(p) << 16 | be16(p + 2);
}

static void
read_head(tvbuff_t *tvb, tcp_head *h)
{
    h->captured = MIN(tvb_captured_length(tvb), (guint)sizeof h->b);
    h->reported = tvb_reported_length(tvb);
    memset(h->b, 0, sizeof h->b);
    tvb_memcpy(tvb, h->b, 0, h->captured);
}

/* Whether TCP must dissect this segment into the tree: a segment where
 * TCP's sequence analysis can flag what the capture lost
 * (tcp.analysis.lost_segment: its sequence number is past the highest byte
 * seen in its direction;
 * tcp.analysis.ack_lost_segment: it acknowledges a byte the other
 * direction never showed).  A segment that starts exactly where its
 * direction left off and acknowledges nothing unseen can show neither
 * (packet-tcp.c tcp_analyze_sequence_number), so TCP dissects it without a
 * tree, as stock tshark does; anything else, and everything after a zero
 * window or an odd header, gets the tree and TCP decides.  The header's
 * numbers only choose where the tree goes: every fact but one is read from
 * the fields TCP adds.  The one is a FIN or RST on a segment TCP dissects
 * without a tree: its flags are the 12 bits tcp.flags shows (packet-tcp.c
 * reads them from the same two bytes, TH_MASK), kept in *tcp_flags for
 * the report (fact_tree_segment_flags). */
static gboolean
tcp_tree_needed(const tcp_head *h, flow *f, int dir, gboolean *has_payload, guint *tcp_flags)
{
    guint32 seq, ack, hlen, len, flags, end;
    gboolean needed = FALSE;

    *has_payload = TRUE;
    *tcp_flags = 0;
    if (f->tcp_tree_only || h->captured < 20)
        return TRUE;
    seq = be32(h->b + 4);
    ack = be32(h->b + 8);
    hlen = (guint32)(h->b[12] >> 4) * 4;
    flags = h->b[13];
    if (hlen < 20 || hlen > h->reported || be16(h->b + 14) == 0) {
        f->tcp_tree_only = TRUE;
        return TRUE;
    }
    len = h->reported - hlen;
    *has_payload = len > 0;
    *tcp_flags = be16(h->b + 12) & 0x0fff;
    if (len == 1)
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
static guint32 analysed_frame = 0;   /* first pass: each frame is dissected once */

static void
report_frame(packet_info *pinfo, proto_tree *tree)
{
    tvbuff_t *frame_tvb;

    if (pinfo->data_src == NULL)
        return;
    if (!PINFO_FD_VISITED(pinfo)) {
        if (analysed_frame == pinfo->num)
            return;
        analysed_frame = pinfo->num;
        /* the report dissector only where there is a report: a dissector
         * call costs, and one that returns 0 leaves no layer anyway */
        if (!analyse(pinfo, tree))
            return;
    } else {
        /* a later pass, on a frame with a report: once per dissection */
        if (p_get_proto_data(pinfo->pool, pinfo, proto_front, 0) != NULL)
            return;
        p_add_proto_data(pinfo->pool, pinfo, proto_front, 0, GUINT_TO_POINTER(1));
    }
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
        release_held();   /* a later pass primes nothing */
        if (!has_report(pinfo))
            return call_dissector_with_data(tcp_handle, tvb, pinfo, tree, data);
    } else if (!pinfo->flags.in_error_pkt && segment_audited(tvb)) {
        int dir = 0;
        gboolean tcp_tree = TRUE, has_payload = TRUE;
        guint tcp_flags = 0;
        tcp_head head;

        read_head(tvb, &head);   /* segment_audited() saw 4 bytes at least */
        if (flows != NULL)
            f = flow_of(pinfo, be16(head.b), be16(head.b + 2), &dir);
        /* a SYN without ACK: its sender opens the connection */
        if (f != NULL && head.captured >= 14 && (head.b[13] & TCP_SYN) != 0) {
            if ((head.b[13] & TCP_ACK) == 0)
                f->syn_dir = dir;
            /* TCP may begin a new conversation on the same ports here */
            f->report_state = NULL;
        }
        if (tree == NULL && f != NULL) {
            tcp_tree = tcp_tree_needed(&head, f, dir, &has_payload, &tcp_flags);
            /* A frame's second audited segment (a tunnel): TCP gets the
             * tree, whose flags the report reads (the frame's last). */
            if (private_frame == pinfo->num)
                tcp_tree = TRUE;
            /* Nothing for TCP to flag, nothing for TLS, no FIN or RST: no
             * facts. */
            if (!tcp_tree && !has_payload && (tcp_flags & (TCP_FIN | TCP_RST)) == 0)
                return call_dissector_with_data(tcp_handle, tvb, pinfo, NULL, data);
        }
        if (private_frame != pinfo->num) {
            begin_private_frame(pinfo);
            prime(private_edt, f, dir);
            frame_tree_is_wiresharks = tree != NULL;
            /* the frame's first audited segment names its sender */
            current_flow = f;
            current_dir = dir;
            current_frame = pinfo->num;
            current_segments = 1;
        } else {
            current_segments++;
        }
        audited_frame = pinfo->num;
        if (tree == NULL) {
            facts = private_edt->tree;
            if (!tcp_tree) {
                /* TLS gets the tree in front of it, TCP none. */
                facts = NULL;
                tls_tree_frame = pinfo->num;
                tls_tree_given = FALSE;
                header_flags_frame = pinfo->num;
                header_flags = tcp_flags;
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
                   fact_tree_analyse_fn analysis, dissector_handle_t report,
                   fact_tree_has_report_fn reported)
{
    wanted = fact_tree_fields_new(any_sender);
    wanted_syn = fact_tree_fields_new(from_syn_sender);
    wanted_client = fact_tree_fields_new(from_client);
    wanted_server = fact_tree_fields_new(from_server);
    held = g_new0(guint8, wanted->hfi->len);
    index_set(wanted);
    index_set(wanted_syn);
    index_set(wanted_client);
    index_set(wanted_server);
    is_audited = audited;
    analyse = analysis;
    report_handle = report;
    has_report = reported;
    /* every field any priming makes real: "any_sender" holds them all */
    kept = g_new0(kept_list, any_sender->len);
    n_kept = 0;
    n_slots = 0;
    for (guint i = 0; i < any_sender->len; i++) {
        int id = g_array_index(any_sender, int, i);
        if (id >= 0 && (guint)id >= n_slots)
            n_slots = (guint)id + 1;
    }
    kept_slot = g_new0(guint8, n_slots);
    for (guint i = 0; i < any_sender->len && n_kept < 255; i++) {
        int id = g_array_index(any_sender, int, i);
        if (id >= 0 && kept_slot[id] == 0) {
            kept[n_kept].id = id;
            kept_slot[id] = (guint8)++n_kept;
        }
    }
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
    analysed_frame = 0;
    header_flags_frame = 0;
    tls_tree_frame = 0;
    lost_frame = 0;
    current_flow = NULL;
    current_frame = 0;
    flows = NULL;
    free_private();
    release_held();
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
    release_held();
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
fact_tree_segment_flags(packet_info *pinfo, guint *flags)
{
    if (header_flags_frame != pinfo->num || current_frame != pinfo->num || current_segments != 1
        || PINFO_FD_VISITED(pinfo))
        return FALSE;
    *flags = header_flags;
    return TRUE;
}

void **
fact_tree_connection_slot(packet_info *pinfo)
{
    if (current_flow == NULL || current_frame != pinfo->num || current_segments != 1
        || PINFO_FD_VISITED(pinfo))
        return NULL;
    return &current_flow->report_state;
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
    if (frame_tree_is_wiresharks)
        release_held();
}
