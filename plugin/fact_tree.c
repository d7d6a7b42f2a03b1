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

#include <epan/epan_dissect.h>
#include <epan/exceptions.h>
#include <epan/ipproto.h>
#include <epan/proto_data.h>

static int proto_sipmtls = -1;
static int proto_front = -1;
static GArray *wanted = NULL;
static fact_tree_audited_fn is_audited = NULL;

static dissector_handle_t tcp_handle = NULL;
static dissector_handle_t front_handle = NULL;
static dissector_handle_t report_handle = NULL;
static fact_tree_has_report_fn has_report = NULL;
static gboolean installed = FALSE;

/* The frame (first pass) whose TCP segment was audited, and the private
 * dissection that holds its facts when Wireshark built no tree. */
static guint32 audited_frame = 0;
static epan_dissect_t *private_edt = NULL;
static guint32 private_frame = 0;

static void
free_private(void)
{
    if (private_edt != NULL) {
        epan_dissect_free(private_edt);
        private_edt = NULL;
    }
    private_frame = 0;
}

/* Makes the wanted fields real in whatever tree comes next: priming sets
 * the fields' reference type, which is global; Wireshark's tree (and the
 * private one) reset it when they are freed. */
static void
prime(epan_dissect_t *edt)
{
    epan_dissect_prime_with_hfid_array(edt, wanted);
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

static int
dissect_in_front_of_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    proto_tree *volatile facts = tree;
    volatile int len = 0;

    if (PINFO_FD_VISITED(pinfo)) {
        if (!has_report(pinfo))
            return call_dissector_with_data(tcp_handle, tvb, pinfo, tree, data);
    } else if (!pinfo->flags.in_error_pkt && segment_audited(tvb)) {
        if (private_edt != NULL && private_frame != pinfo->num)
            free_private();   /* left behind by a frame that did not finish */
        if (audited_frame != pinfo->num || private_edt == NULL) {
            if (private_edt == NULL) {
                private_edt = epan_dissect_new(pinfo->epan, TRUE, FALSE);
                private_frame = pinfo->num;
            }
            prime(private_edt);
        }
        audited_frame = pinfo->num;
        if (tree == NULL)
            facts = private_edt->tree;
    } else {
        return call_dissector_with_data(tcp_handle, tvb, pinfo, tree, data);
    }
    /* Malformed segments too: TCP or a layer above it may throw. */
    TRY {
        len = call_dissector_with_data(tcp_handle, tvb, pinfo, facts, data);
    }
    CATCH_ALL {
        report_frame(pinfo, tree);
        RETHROW;
    }
    ENDTRY;
    report_frame(pinfo, tree);
    return len;
}

void
fact_tree_register_protocol(int proto)
{
    proto_sipmtls = proto;
    proto_front = proto_register_protocol_in_name_only(
        "TCP, as audited by sipmtls", "TCP (sipmtls)", "sipmtls.tcp", proto, FT_PROTOCOL);
}

void
fact_tree_register(GArray *wanted_ids, fact_tree_audited_fn audited, dissector_handle_t report,
                   fact_tree_has_report_fn reported)
{
    wanted = wanted_ids;
    is_audited = audited;
    report_handle = report;
    has_report = reported;
    tcp_handle = find_dissector("tcp");
    front_handle = create_dissector_handle(dissect_in_front_of_tcp, proto_front);
}

void
fact_tree_init(void)
{
    dissector_table_t ip_proto = find_dissector_table("ip.proto");

    audited_frame = 0;
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
}

void
fact_tree_cleanup(void)
{
    dissector_table_t ip_proto = find_dissector_table("ip.proto");

    free_private();
    audited_frame = 0;
    if (installed && ip_proto != NULL
        && dissector_get_uint_handle(ip_proto, IP_PROTO_TCP) == front_handle)
        dissector_add_uint("ip.proto", IP_PROTO_TCP, tcp_handle);
    installed = FALSE;
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
