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
 * the segments where its sequence analysis can flag a loss; a FIN or RST
 * elsewhere is read from the header, fact_tree_segment_flags).  The
 * private tree is kept from frame to frame (fact_tree_items tells a
 * frame's items from older ones) and made anew every 256 frames.  X.509 is
 * read apart, once per certificate (tls_fields.c).  When TCP returns (every
 * layer above it done), it has sipmtls read the frame's facts, and calls
 * sipmtls's report dissector on a frame that has something to show; on
 * later passes, on the frames that have a report.
 * Every other frame goes straight to TCP, untouched: sipmtls is no
 * post-dissector, so frames without TCP never meet it.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_FACT_TREE_H
#define SIPMTLS_FACT_TREE_H

#include <epan/epan_dissect.h>
#include <epan/packet.h>

/* Whether a TCP segment between these ports is audited. */
typedef gboolean (*fact_tree_audited_fn)(guint32 src_port, guint32 dst_port);

/* From the protocol's registration: sipmtls's protocol id. */
void fact_tree_register_protocol(int proto);

/* Whether a frame (on a later pass) has a report to draw. */
typedef gboolean (*fact_tree_has_report_fn)(packet_info *pinfo);

/* On the first pass, once TCP and every layer above it are done: reads the
 * frame's facts out of its tree (fact_tree_of_frame) and keeps what it
 * shows; whether the frame has a report to draw. */
typedef gboolean (*fact_tree_analyse_fn)(packet_info *pinfo, proto_tree *tree);

/* From the handoff: the fields to make real on a segment whose sender's
 * role is unknown, sent by the TLS client, sent by the TLS server, sent
 * (roles unknown) by the side that sent the SYN (the arrays become
 * fact_tree's), the test for audited segments, the reading of a frame's facts,
 * the dissector that draws its report (called with the frame's tvb, only
 * on a frame that has one), and the test for frames that have one. */
void fact_tree_register(GArray *any_sender, GArray *from_client, GArray *from_server,
                        GArray *from_syn_sender, fact_tree_audited_fn audited,
                        fact_tree_analyse_fn analyse, dissector_handle_t report,
                        fact_tree_has_report_fn reported);

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
 * frame.  fact_tree_release(), once it is read, puts back the fields
 * primed for it when they were primed into Wireshark's tree. */
proto_tree *fact_tree_of_frame(packet_info *pinfo, proto_tree *tree);
void fact_tree_release(void);

/* The items of field id in tree that belong to the frame being dissected:
 * the list, and the index of its first such item in it (0 but in the
 * private tree, which holds several frames); NULL when there are none. */
GPtrArray *fact_tree_items(proto_tree *tree, int id, guint *first);

/* Fields made real for a dissection, and put back as they were once it is
 * read: the fields (and their protocols) that were referenced by nothing
 * before.  A struct starts zeroed. */
#define FACT_TREE_MAX_REFS 160
typedef struct fact_tree_refs {
    header_field_info *hfi[FACT_TREE_MAX_REFS];
    guint              n;
} fact_tree_refs;
typedef struct fact_tree_fields {
    GArray    *ids;   /* int: the field ids to prime */
    GPtrArray *hfi;   /* header_field_info *: those fields and their protocols, once each */
    /* fact_tree.c's own frame sets only: for each id its field and where it
     * and its protocol are in the set of all, and which of all are here */
    header_field_info **field;
    guint             *field_at;
    gint              *parent_at;
    guint8            *member;
} fact_tree_fields;
fact_tree_fields *fact_tree_fields_new(GArray *ids);
void fact_tree_prime(epan_dissect_t *edt, const fact_tree_fields *fields, fact_tree_refs *refs);
void fact_tree_unprime(fact_tree_refs *refs);

/* On the first pass: the 12 bits of tcp.flags of the frame's one audited
 * segment when TCP dissected it without a tree (no tcp.flags to read). */
gboolean fact_tree_segment_flags(packet_info *pinfo, guint *flags);

/* On the first pass, a pointer's worth of room kept with the connection of
 * the frame's audited TCP segment, from one of its frames to the next; it
 * is emptied on every SYN, where TCP may begin a new conversation on the
 * same addresses and ports (port reuse, packet-tcp.c).  NULL when the
 * frame has not exactly one audited segment. */
void **fact_tree_connection_slot(packet_info *pinfo);

/* On the first pass: whether TLS dissected this frame's segment without
 * the tree sipmtls gave it (a conversation's own dissector reached TLS
 * around sipmtls's handle): its facts are missing, as if lost. */
gboolean fact_tree_frame_lost(packet_info *pinfo);

#endif /* SIPMTLS_FACT_TREE_H */
