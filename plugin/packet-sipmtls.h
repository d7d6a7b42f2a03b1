/* packet-sipmtls.h
 * The two registration routines of the sipmtls post-dissector, called
 * from the plugin entry point (plugin.c).
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_SIPMTLS_H
#define PACKET_SIPMTLS_H

void proto_register_sipmtls(void);
void proto_reg_handoff_sipmtls(void);

#endif /* PACKET_SIPMTLS_H */
