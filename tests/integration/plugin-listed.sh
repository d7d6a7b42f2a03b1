#!/bin/bash
# plugin-listed.sh PLUGIN_SO
#
# The plugin loads and says what it is: `tshark -G plugins` must list
# sipmtls.so with its version and the type "dissector".  From 4.4 on the
# type comes from plugin_describe() (plugin/version.h); without it tshark
# still loads the plugin but lists it as "unknown".
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1

listing=$("$here/run-tshark.sh" "$plugin_so" -- -G plugins)
line=$(printf '%s\n' "$listing" | grep -E '^sipmtls\.so[[:space:]]' || true)
echo "${line:-(sipmtls.so not listed)}"
if ! printf '%s\n' "$line" | grep -qE $'^sipmtls\\.so[[:space:]]+[0-9.]+\tdissector\t'; then
    echo "FAILED: tshark -G plugins does not list sipmtls.so as a dissector" >&2
    echo "reproduce: $here/run-tshark.sh $plugin_so -- -G plugins" >&2
    exit 1
fi
