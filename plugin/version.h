/* version.h
 * Every difference between the Wireshark releases sipmtls supports (4.0,
 * 4.4, 4.6), in one place.  Each switch says what changed and when, keyed
 * on the version of the headers the plugin is built against.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef SIPMTLS_VERSION_H
#define SIPMTLS_VERSION_H

#include <ws_version.h>

#define SIPMTLS_WS_AT_LEAST(maj, min)                                   \
    (WIRESHARK_VERSION_MAJOR > (maj)                                    \
     || (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* 4.2 made plugin descriptions (type flags shown by `tshark -G plugins`)
 * part of the plugin API, with <wsutil/plugins.h>; 4.0 does not install
 * that header. */
#if SIPMTLS_WS_AT_LEAST(4, 2)
#define SIPMTLS_HAS_PLUGIN_DESCRIBE 1
#else
#define SIPMTLS_HAS_PLUGIN_DESCRIBE 0
#endif

/* field_info holds its fvalue_t by value up to 4.0 and by pointer from 4.2
 * on; this gives the pointer the fvalue_get_*() calls take. */
#if SIPMTLS_WS_AT_LEAST(4, 2)
#define SIPMTLS_FI_FVALUE(fi) ((fi)->value)
#else
#define SIPMTLS_FI_FVALUE(fi) (&(fi)->value)
#endif

#endif /* SIPMTLS_VERSION_H */
