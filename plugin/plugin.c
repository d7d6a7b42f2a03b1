/* plugin.c
 * The entry point Wireshark's plugin loader looks for: which Wireshark
 * release the plugin was built for, and how to register it.
 *
 * Copyright 2026 the sipmtls authors
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <gmodule.h>

#include <epan/proto.h>
#include <epan/tap.h>
#include <ws_symbol_export.h>

#include "packet-sipmtls.h"
#include "sipmtls-version.h"
#include "version.h"

#if SIPMTLS_HAS_PLUGIN_DESCRIBE
#include <wsutil/plugins.h>
#endif

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = SIPMTLS_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if SIPMTLS_HAS_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif

void
plugin_register(void)
{
    static proto_plugin plug;
    static tap_plugin tap_plug;

    plug.register_protoinfo = proto_register_sipmtls;
    plug.register_handoff = proto_reg_handoff_sipmtls;
    proto_register_plugin(&plug);
    tap_plug.register_tap_listener = register_sipmtls_stats;
    tap_register_plugin(&tap_plug);
}
