/* tls_fields.h
 * Where a fact enters sipmtls: the Wireshark fields it reads from a frame's
 * tree (TLS records and handshake messages, X.509 certificates, TCP flags,
 * SIP request headers), and the code that turns the field_infos of one frame
 * into the core's events.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_TLS_FIELDS_H
#define SIPMTLS_TLS_FIELDS_H

#include <epan/packet.h>

#include "sipmtls.h"

/* Looks up the fields of the TLS, X.509, TCP and SIP dissectors (call from
 * the handoff, when every protocol is registered) and returns the ids
 * fact_tree.c makes real in the trees it reads, per sender.  The arrays
 * belong to the caller. */
typedef struct tls_fields_ids {
    GArray *any_sender;    /* a segment whose sender's TLS role is not known */
    GArray *from_client;   /* a segment the TLS client sent */
    GArray *from_server;   /* a segment the TLS server sent */
    GArray *from_tcp_client; /* roles not yet learnt, sent by the side that sent the SYN */
} tls_fields_ids;

tls_fields_ids tls_fields_init(void);

/* From the init and cleanup routines: the certificates and names read in
 * this file (file scope). */
void tls_fields_file_init(void);
void tls_fields_file_cleanup(void);

/* Cheap questions about the frame, answered from the wanted fields alone. */
gboolean tls_fields_frame_has_tls(proto_tree *tree);
gboolean tls_fields_frame_closes_tcp(packet_info *pinfo, proto_tree *tree);
/* A TCP segment lost before the frame, or bytes that are no TLS record. */
gboolean tls_fields_frame_has_other_facts(proto_tree *tree);

/* Calls back once per event of the frame, in the order sipmtls_conn_feed()
 * wants, with frame numbers filled in.  Everything an event points to lives
 * in pinfo->pool. */
typedef void (*tls_fields_event_cb)(const sipmtls_event *ev, void *user);

void tls_fields_foreach_event(packet_info *pinfo, proto_tree *tree,
                              tls_fields_event_cb cb, void *user);

#endif /* SIPMTLS_TLS_FIELDS_H */
