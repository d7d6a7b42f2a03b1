#!/bin/bash
# identical.sh PLUGIN_SO CAPTURES_DIR
#
# Where sipmtls audits nothing it must change nothing (issue 13): tshark's
# output with the plugin loaded is byte for byte that of stock tshark, in
# every mode that dissects (plain summary lines, -V, -q -z expert, -Y, -T
# fields, and each of them in two passes where it makes sense), on
#   * tls12-request-other-port.pcapng: TLS with a CertificateRequest on
#     port 5071, which sipmtls.ports does not name;
#   * all-merged.pcapng with sipmtls.ports set to a port none of it uses:
#     every scenario, none audited;
#   * all-merged.pcapng with sipmtls disabled (--disable-protocol), where
#     everything would be audited.
# No timing here: bench/ measures the cost.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1 captures=$2

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-identical.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp "$captures/tls12-request-other-port.pcapng" "$captures/all-merged.pcapng" "$stage/"
chmod -R a+rX "$stage"

modes=(
    ""
    "-V"
    "-q -z expert"
    "-2 -q -z expert"
    "-2 -V"
    "-Y tls.handshake"
    "-T fields -e frame.number -e frame.protocols -e tls.handshake.type -e _ws.expert"
    "-2 -T fields -e frame.number -e frame.protocols -e tls.handshake.type -e _ws.expert"
)

failed=0 compared=0
# compare NAME CAPTURE PLUGIN_ARGS: stock and plugin runs of every mode.
compare() {
    local name=$1 capture=$2 plugin_args=$3 mode
    for mode in "${modes[@]}"; do
        # shellcheck disable=SC2086  # modes and arguments are words
        "$here/run-tshark.sh" none -- -r "$stage/$capture" $mode >"$stage/stock" 2>&1 || true
        # shellcheck disable=SC2086
        "$here/run-tshark.sh" "$plugin_so" -- -r "$stage/$capture" $plugin_args $mode \
            >"$stage/plugin" 2>&1 || true
        compared=$((compared + 1))
        if [ ! -s "$stage/stock" ]; then
            echo "FAIL: $name, mode '$mode': stock tshark printed nothing"
            failed=1
        elif cmp -s "$stage/stock" "$stage/plugin"; then
            echo "ok: $name, mode '$mode': identical ($(wc -l <"$stage/stock") lines)"
        else
            echo "FAIL: $name, mode '$mode': output differs from stock tshark"
            diff "$stage/stock" "$stage/plugin" | head -20
            failed=1
        fi
    done
}

compare "TLS on port 5071" tls12-request-other-port.pcapng ""
compare "all scenarios, no audited port" all-merged.pcapng "-o sipmtls.ports:1"
compare "all scenarios, sipmtls disabled" all-merged.pcapng "--disable-protocol sipmtls"
echo "$compared comparisons"
exit "$failed"
