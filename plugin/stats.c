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

static void
sipmtls_stats_init(stats_tree *st)
{
    servers_node = stats_tree_create_node(st, NODE_SERVERS, 0, STAT_DT_INT, TRUE);
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
        node = tick_stat_node(st, NODE_VERDICTS, node, TRUE);
        tick_stat_node(st, sipmtls_verdict_name(f->verdict), node, FALSE);
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
                               sipmtls_stats_packet, sipmtls_stats_init, NULL);
}
