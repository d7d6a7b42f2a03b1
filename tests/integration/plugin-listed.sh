#!/bin/bash
# plugin-listed.sh PLUGIN_SO VERSION
#
# The plugin loads and says what it is: `tshark -G plugins` must list
# sipmtls.so with VERSION (CMake's project(VERSION)) and the type
# "dissector".  From 4.4 on the type comes from plugin_describe()
# (plugin/version.h); without it tshark still loads the plugin but lists
# it as "unknown".
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1
version=$2

listing=$("$here/run-tshark.sh" "$plugin_so" -- -G plugins)
line=$(printf '%s\n' "$listing" | grep -E '^sipmtls\.so[[:space:]]' || true)
echo "${line:-(sipmtls.so not listed)}"
# columns: name (padded with spaces), version, type, path; tab-separated
if ! printf '%s\n' "$line" | awk -F'\t' -v v="$version" '$2 == v && $3 == "dissector" { ok = 1 } END { exit !ok }'; then
    echo "FAILED: tshark -G plugins does not list sipmtls.so $version as a dissector" >&2
    echo "reproduce: $here/run-tshark.sh $plugin_so -- -G plugins" >&2
    exit 1
fi
