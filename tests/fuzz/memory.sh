#!/bin/bash
# memory.sh PLUGIN_SO [N...]
#
# Peak memory of tshark with and without the plugin against the number of
# audited connections.  For each N (default 500 2000 8000) it records a
# capture of N connections with gen-connections.sh (kept in
# $SIPMTLS_MEM_DIR, default /var/tmp/sipmtls-mem, and reused; never
# committed), then measures the maximum resident set size of tshark
# reading it, stock and with the plugin, in three modes:
#   fields        one pass, every frame dissected (-T fields -e frame.number);
#   fields-2pass  the same in two passes (-2), where tshark keeps every frame;
#   expert        one pass, -q -z expert,warn: how the README audits a
#                 capture (the expert tap keeps every warning's text).
# (tshark -q alone dissects nothing at all: no mode measures it.)  Each
# figure is the smallest of two runs: the peak of a run only grows with
# noise.
#
# Prints one line per capture and mode, and the slope between the smallest
# and largest N: the bytes per connection that tshark keeps, stock, and
# that the plugin adds to it.  docs/robustness.md records the figures.
#
# Needs root for the captures (a private network namespace); tshark itself
# runs unprivileged through run-tshark.sh.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1
shift
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(500 2000 8000)
dir=${SIPMTLS_MEM_DIR:-/var/tmp/sipmtls-mem}
mkdir -p "$dir"
chmod a+rx "$dir"

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-memory.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod a+rwx "$stage"

modes=(fields fields-2pass expert)
declare -A mode_args=([fields]="-T fields -e frame.number" [fields-2pass]="-2 -T fields -e frame.number"
                      [expert]="-q -z expert,warn")

# peak_kib CAPTURE PLUGIN MODE: the smallest of two peak RSS, in KiB.
peak_kib() {
    local best= i kib
    for i in 1 2; do
        rm -f "$stage/rss"
        # shellcheck disable=SC2086
        SIPMTLS_TSHARK_WRAPPER="/usr/bin/time -f %M -o $stage/rss" \
            "$here/../integration/run-tshark.sh" "$2" -- -r "$1" ${mode_args[$3]} >/dev/null 2>&1
        kib=$(tail -1 "$stage/rss")
        if [ -z "$best" ] || [ "$kib" -lt "$best" ]; then best=$kib; fi
    done
    echo "$best"
}

declare -A rss
printf '%-8s %-13s %12s %12s %12s %10s\n' connections mode "stock KiB" "plugin KiB" "added KiB" "conns seen"
for n in "${sizes[@]}"; do
    capture=$dir/connections-$n.pcapng
    [ -s "$capture" ] || "$here/gen-connections.sh" "$n" "$capture" >&2
    seen=$("$here/../integration/run-tshark.sh" "$plugin_so" -- -r "$capture" -q -z sipmtls,tree 2>/dev/null |
           awk '/^Connections by TLS server/ { print $5; exit }')
    for mode in "${modes[@]}"; do
        stock=$(peak_kib "$capture" none "$mode")
        with=$(peak_kib "$capture" "$plugin_so" "$mode")
        rss[$n,$mode,stock]=$stock
        rss[$n,$mode,plugin]=$with
        printf '%-8s %-13s %12s %12s %12s %10s\n' "$n" "$mode" "$stock" "$with" $((with - stock)) "$seen"
    done
done
if [ ${#sizes[@]} -ge 2 ]; then
    lo=${sizes[0]} hi=${sizes[-1]}
    for mode in "${modes[@]}"; do
        stock=$(( (rss[$hi,$mode,stock] - rss[$lo,$mode,stock]) * 1024 / (hi - lo) ))
        added=$(( ((rss[$hi,$mode,plugin] - rss[$hi,$mode,stock]) - (rss[$lo,$mode,plugin] - rss[$lo,$mode,stock])) * 1024 / (hi - lo) ))
        echo "per connection ($mode, $lo to $hi): stock tshark $stock bytes, the plugin adds $added bytes"
    done
fi
