/* packet-sipmtls.h
 * The registration routines of the sipmtls dissector and its
 * statistics, called from the plugin entry point (plugin.c), and what the
 * dissector hands to the statistics tap.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_SIPMTLS_H
#define PACKET_SIPMTLS_H

#include "sipmtls.h"

/* Name of the tap sipmtls queues one sipmtls_tap_info per frame to. */
#define SIPMTLS_TAP_NAME "sipmtls"

/* A frame's findings, with the TLS server endpoint ("address:port") they
 * concern, for statistics. */
typedef struct sipmtls_tap_info {
    const sipmtls_finding *findings;
    unsigned               n_findings;
    const char            *server;
} sipmtls_tap_info;

void proto_register_sipmtls(void);
void proto_reg_handoff_sipmtls(void);

/* The stats tree behind `-z sipmtls,tree` and Statistics > SIP-TLS. */
void register_sipmtls_stats(void);

#endif /* PACKET_SIPMTLS_H */
