/* tls_fields.h
 * Where a TLS or X.509 fact enters sipmtls: the Wireshark fields the
 * post-dissector asks for, and the code that turns the field_infos of one
 * frame into the core's handshake observations.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_TLS_FIELDS_H
#define SIPMTLS_TLS_FIELDS_H

#include <epan/packet.h>

#include "sipmtls.h"

/* Looks up the fields of the TLS and X.509 dissectors (call from the
 * handoff, when every protocol is registered) and returns their ids, for
 * set_postdissector_wanted_hfids().  The array belongs to the caller. */
GArray *tls_fields_init(void);

/* True when the frame's tree holds any TLS handshake message. */
gboolean tls_fields_frame_has_handshake(proto_tree *tree);

/* Calls back once per TLS handshake message of the frame, in order, with
 * the observation read from Wireshark's fields.  Everything the observation
 * points to lives in pinfo->pool. */
typedef void (*tls_fields_msg_cb)(const sipmtls_handshake_obs *msg, void *user);

void tls_fields_foreach_handshake(packet_info *pinfo, proto_tree *tree,
                                  tls_fields_msg_cb cb, void *user);

#endif /* SIPMTLS_TLS_FIELDS_H */
