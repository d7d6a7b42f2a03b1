/* stats.c
 * The sipmtls statistics tree: `tshark -q -z sipmtls,tree` and
 * Statistics > SIP-TLS Mutual TLS in Wireshark.  One node per TLS server
 * endpoint (address:port), counting its connections (TLS connections whose
 * first handshake was seen), and below it the
 * certificate requests, the client certificates with and without
 * clientAuth, empty answers, rejections and verdicts.
 *
 * It reads nothing but what the dissector queues to the "sipmtls" tap, so
 * the counts are those of the packet details, pass after pass.
 *
 * Every handshake is counted under exactly one verdict.  In one pass nothing
 * knows the capture has ended, so a handshake counts as "Undetermined:
 * capture ends before the outcome" from its start until its verdict comes
 * and takes its place; what is still open at the end stays there.  (A
 * second pass settles those itself, on the frame that began them.)
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/stats_tree.h>
#include <epan/tap.h>

#include "packet-sipmtls.h"
#include "sipmtls.h"

#define NODE_SERVERS           "Connections by TLS server"
#define NODE_REQUESTS          "Certificate requests"
#define NODE_WITH_CLIENT_AUTH  "Client certificates with clientAuth"
#define NODE_WITHOUT_CLIENT_AUTH "Client certificates without clientAuth"
#define NODE_EMPTY             "Empty client certificates"
#define NODE_REJECTIONS        "Rejections"
#define NODE_VERDICTS          "Verdicts"

static int servers_node = -1;

/* Per stats tree: the handshakes counted as still open. */
static GHashTable *open_by_tree;

static GHashTable *
open_handshakes(stats_tree *st)
{
    GHashTable *open;

    if (open_by_tree == NULL)
        open_by_tree = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                             (GDestroyNotify)g_hash_table_destroy);
    open = g_hash_table_lookup(open_by_tree, st);
    if (open == NULL) {
        open = g_hash_table_new(g_direct_hash, g_direct_equal);
        g_hash_table_insert(open_by_tree, st, open);
    }
    return open;
}

static void
sipmtls_stats_init(stats_tree *st)
{
    servers_node = stats_tree_create_node(st, NODE_SERVERS, 0, STAT_DT_INT, TRUE);
    g_hash_table_remove_all(open_handshakes(st));
}

static void
sipmtls_stats_cleanup(stats_tree *st)
{
    if (open_by_tree != NULL)
        g_hash_table_remove(open_by_tree, st);
}

/* Counts a verdict (and the reason of an undetermined one) on a server's
 * node; delta -1 takes a count back. */
static void
count_verdict(stats_tree *st, int node, sipmtls_verdict verdict, sipmtls_reason reason, int delta)
{
    const char *why = sipmtls_name_of(sipmtls_reason_names, reason);

    node = increase_stat_node(st, NODE_VERDICTS, node, TRUE, delta);
    node = increase_stat_node(st, sipmtls_verdict_name(verdict), node, TRUE, delta);
    if (verdict == SIPMTLS_VERDICT_UNDETERMINED && why != NULL)
        increase_stat_node(st, why, node, FALSE, delta);
}

/* The node of a server without counting anything on it. */
static int
server_node(stats_tree *st, const char *server)
{
    return increase_stat_node(st, server, servers_node, TRUE, 0);
}

static void
count_finding(stats_tree *st, const char *server, const sipmtls_finding *f)
{
    int node;

    switch (f->kind) {
    case SIPMTLS_FINDING_HANDSHAKE_START:
        if (f->handshake != NULL && f->handshake->kind == SIPMTLS_HANDSHAKE_INITIAL) {
            tick_stat_node(st, NODE_SERVERS, 0, TRUE);
            tick_stat_node(st, server, servers_node, TRUE);
        }
        /* Open until its verdict comes. */
        if (f->handshake != NULL) {
            g_hash_table_add(open_handshakes(st), (gpointer)f->handshake);
            count_verdict(st, server_node(st, server), SIPMTLS_VERDICT_UNDETERMINED,
                          SIPMTLS_REASON_CAPTURE_ENDS, 1);
        }
        break;
    case SIPMTLS_FINDING_CERT_REQUEST:
        tick_stat_node(st, NODE_REQUESTS, server_node(st, server), FALSE);
        break;
    case SIPMTLS_FINDING_CERTIFICATE:
        if (f->sender != SIPMTLS_ROLE_CLIENT)
            break;
        node = server_node(st, server);
        if (f->n_certs_seen == 0)
            tick_stat_node(st, NODE_EMPTY, node, FALSE);
        else if (f->n_certs > 0 && f->certs[0].client_auth)
            tick_stat_node(st, NODE_WITH_CLIENT_AUTH, node, FALSE);
        else
            tick_stat_node(st, NODE_WITHOUT_CLIENT_AUTH, node, FALSE);
        break;
    case SIPMTLS_FINDING_VERDICT:
        node = server_node(st, server);
        if (f->verdict == SIPMTLS_VERDICT_REJECTED)
            tick_stat_node(st, NODE_REJECTIONS, node, FALSE);
        if (g_hash_table_remove(open_handshakes(st), f->handshake))
            count_verdict(st, node, SIPMTLS_VERDICT_UNDETERMINED, SIPMTLS_REASON_CAPTURE_ENDS, -1);
        count_verdict(st, node, f->verdict, f->reason, 1);
        break;
    default:
        break;
    }
}

static tap_packet_status
sipmtls_stats_packet(stats_tree *st, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                     const void *data, tap_flags_t flags _U_)
{
    const sipmtls_tap_info *tap = data;

    for (unsigned i = 0; i < tap->n_findings; i++)
        count_finding(st, tap->server, &tap->findings[i]);
    return TAP_PACKET_REDRAW;
}

void
register_sipmtls_stats(void)
{
    stats_tree_register_plugin(SIPMTLS_TAP_NAME, "sipmtls", "SIP-TLS Mutual TLS", 0,
                               sipmtls_stats_packet, sipmtls_stats_init,
                               sipmtls_stats_cleanup);
}
