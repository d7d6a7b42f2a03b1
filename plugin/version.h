/* version.h
 * Every difference between the Wireshark releases sipmtls supports (4.0,
 * 4.4, 4.6), in one place.  Each switch says what changed and when, keyed
 * on the version of the headers the plugin is built against.  4.2 is
 * neither built nor tested: a switch names the first supported release
 * that has the change.  The CI matrix (.ci/matrix.sh) builds every release
 * with warnings as errors, so a new difference shows up there first.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_VERSION_H
#define SIPMTLS_VERSION_H

#include <epan/proto.h>
#include <epan/tvbuff.h>
#include <ws_version.h>

#define SIPMTLS_WS_AT_LEAST(maj, min)                                   \
    (WIRESHARK_VERSION_MAJOR > (maj)                                    \
     || (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* Plugin descriptions (the type flags `tshark -G plugins` shows) came with
 * the plugin registration rework of the 4.3 development series, so 4.4 is
 * the first release with plugin_describe() and <wsutil/plugins.h>; 4.0
 * installs no such header.  Without it 4.4 and 4.6 still load the plugin
 * but list its type as "unknown". */
#if SIPMTLS_WS_AT_LEAST(4, 4)
#define SIPMTLS_HAS_PLUGIN_DESCRIBE 1
#else
#define SIPMTLS_HAS_PLUGIN_DESCRIBE 0
#endif

/* field_info holds its fvalue_t by value in 4.0 and by pointer in 4.4 and
 * 4.6; this gives the pointer the fvalue_get_*() calls take (SIP header
 * values and generated TLS content types, whose bytes are not the value). */
#if SIPMTLS_WS_AT_LEAST(4, 4)
#define SIPMTLS_FI_FVALUE(fi) ((fi)->value)
#else
#define SIPMTLS_FI_FVALUE(fi) (&(fi)->value)
#endif

/* By 4.4 the tvb accessors have C99-type names (tvb_get_uint8) and the GLib
 * ones (tvb_get_guint8) are deprecated, which -Werror turns into a build
 * failure.  sipmtls uses the new names; 4.0 has only the old ones. */
#if !SIPMTLS_WS_AT_LEAST(4, 4)
#define tvb_get_uint8 tvb_get_guint8
#endif

/* 4.4 renamed the ftype test IS_FT_STRING to FT_IS_STRING.  sipmtls uses
 * the new name; 4.0 has only the old one. */
#if !SIPMTLS_WS_AT_LEAST(4, 4)
#define FT_IS_STRING IS_FT_STRING
#endif

/* Not an API change but a dissection one: 4.6 makes the x509af.utcTime
 * item span the whole BER TLV (identifier and length octets included),
 * 4.0 and 4.4 only its contents.  The contents of a UTCTime or
 * GeneralizedTime are ASCII digits and 'Z', never the identifier octet
 * 0x17 or 0x18, so a header is recognised by its bytes, whichever release
 * added the item, and *start and *length are narrowed to the contents. */
static inline void
sipmtls_ber_time_contents(tvbuff_t *tvb, gint *start, gint *length)
{
    guint8 tag, len;

    if (*length < 2 || !tvb_bytes_exist(tvb, *start, 2))
        return;
    tag = tvb_get_uint8(tvb, *start);
    len = tvb_get_uint8(tvb, *start + 1);
    if ((tag == 0x17 || tag == 0x18) && len == *length - 2) {
        *start += 2;
        *length -= 2;
    }
}

/* prefs_register_bool_preference() takes a gboolean * in 4.0, a bool * in
 * 4.4 and 4.6: a boolean preference's variable has this type. */
#if SIPMTLS_WS_AT_LEAST(4, 4)
#include <stdbool.h>
typedef bool sipmtls_pref_bool;
#else
#include <glib.h>
typedef gboolean sipmtls_pref_bool;
#endif

/* get_ber_identifier() and get_ber_length() (packet-ber.h) report the
 * constructed form and an indefinite length through a gboolean * in 4.0,
 * a bool * in 4.4 and 4.6. */
#if SIPMTLS_WS_AT_LEAST(4, 4)
typedef bool sipmtls_ber_bool;
#else
typedef gboolean sipmtls_ber_bool;
#endif

/* Differences sipmtls does not meet today, checked against the installed
 * headers of 4.0.17, 4.4.19 and 4.6.9.  Whoever first needs one adds its
 * switch here:
 *  - stats_tree_register_plugin() returns void in 4.0 and a stats_tree_cfg *
 *    in 4.4 and 4.6, where stats_tree_set_group() on it replaces
 *    stats_tree_register_with_group();
 *  - expert_add_info_format() returns void in 4.0, the proto_item * later;
 *  - wmem_packet_scope() is gone in 4.6: pinfo->pool works in every release;
 *  - <epan/value_string.h> is <wsutil/value_string.h> in 4.6: include
 *    <epan/packet.h>, which brings it in every release;
 *  - header_field_info keeps same_name_prev_id and same_name_next (read by
 *    tls_fields_init()) in all three. */

/* A protocol tree fact_tree.c keeps from frame to frame starts each frame
 * as a new tree would: its count of items (prefs.gui_max_tree_items)
 * and, from 4.6 on, the loop detector tree_data_t gained there (the data
 * source and offset where items last advanced, and how many did not). */
static inline void
sipmtls_tree_data_begin_frame(tree_data_t *td)
{
    td->count = 0;
#if SIPMTLS_WS_AT_LEAST(4, 6)
    td->idle_count_ds_tvb = NULL;
    td->max_start = 0;
    td->start_idle_count = 0;
#endif
}

#endif /* SIPMTLS_VERSION_H */
