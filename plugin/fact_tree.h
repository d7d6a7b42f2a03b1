/* fact_tree.h
 * Where the facts of a frame are dissected: a protocol tree only for the
 * frames of audited connections, on the first pass, so that Wireshark
 * builds no tree for anything else (issue 13, docs/performance.md).
 *
 * sipmtls sits in front of TCP in the "ip.proto" table, and in front of
 * TLS in "tcp.port" on the audited ports TLS has there (installed by the
 * init routine only while the protocol is enabled, removed by the cleanup
 * routine).  For a TCP segment to or from an audited port it makes sure
 * TCP, TLS and SIP put the fields tls_fields.c reads into a tree:
 * Wireshark's own tree when there is one (the fields are primed into it),
 * otherwise a private tree, invisible, with only those fields real, which
 * TLS gets in front of it while TCP runs without one (TCP gets it too on
 * the segments whose TCP facts are read: FIN, RST, and where its sequence
 * analysis can flag a loss).  X.509 is read apart, once per certificate
 * (tls_fields.c).  When
 * TCP returns (every layer above it done), it calls sipmtls's report
 * dissector on the frame, which reads and frees that tree and draws what
 * the frame shows; on later passes, on the frames that have a report.
 * Every other frame goes straight to TCP, untouched: sipmtls is no
 * post-dissector, so frames without TCP never meet it.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_FACT_TREE_H
#define SIPMTLS_FACT_TREE_H

#include <epan/packet.h>

/* Whether a TCP segment between these ports is audited. */
typedef gboolean (*fact_tree_audited_fn)(guint32 src_port, guint32 dst_port);

/* From the protocol's registration: sipmtls's protocol id. */
void fact_tree_register_protocol(int proto);

/* Whether a frame (on a later pass) has a report to draw. */
typedef gboolean (*fact_tree_has_report_fn)(packet_info *pinfo);

/* From the handoff: the fields to make real on a segment whose sender's
 * role is unknown, sent by the TLS client, sent by the TLS server, sent
 * (roles unknown) by the side that sent the SYN (the arrays become
 * fact_tree's), the test for audited segments, the dissector that reads a
 * frame's facts and draws its report (called with the frame's tvb), and
 * the test for frames that have one. */
void fact_tree_register(GArray *any_sender, GArray *from_client, GArray *from_server,
                        GArray *from_syn_sender, fact_tree_audited_fn audited,
                        dissector_handle_t report, fact_tree_has_report_fn reported);

/* On the first pass, once the report knows the TLS role of the frame's
 * sender (learnt from a handshake message): the connection's later
 * segments get only the fields their sender's messages are read for. */
void fact_tree_note_sender(packet_info *pinfo, gboolean sender_is_client);

/* From the init and cleanup routines; tls_ports are the audited ports,
 * or NULL when every TCP segment is audited (sipmtls.sip_on_any_port). */
void fact_tree_init(const range_t *tls_ports);
void fact_tree_cleanup(void);

/* On the first pass, the tree that holds this frame's facts: tree itself
 * when the frame had a TCP segment of an audited connection and Wireshark
 * built a tree, the private tree when it built none; NULL for every other
 * frame.  fact_tree_release() frees the private tree once it is read. */
proto_tree *fact_tree_of_frame(packet_info *pinfo, proto_tree *tree);
void fact_tree_release(void);

/* On the first pass: whether TLS dissected this frame's segment without
 * the tree sipmtls gave it (a conversation's own dissector reached TLS
 * around sipmtls's handle): its facts are missing, as if lost. */
gboolean fact_tree_frame_lost(packet_info *pinfo);

#endif /* SIPMTLS_FACT_TREE_H */
