#!/bin/bash
# inference-coverage.sh CAPTURES_DIR
#
# The record-size inference must decide at least 95% of the keyless TLS 1.3
# connections whose key log decides them (a client offering post-handshake
# authentication counts as undecided: sipmtls leaves it undetermined) (all but the PSK resumptions, which
# exchange no certificates: sipmtls leaves them undetermined with keys too).  inference.sh (one test per
# capture) fails on every wrong inference and on every undetermined
# connection that inference-undetermined.txt does not list; this check
# bounds that list: its entries, against the connections of every keyless
# TLS 1.3 capture with a key log (the captures inference.sh runs on).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
dir=$1
list=$here/inference-undetermined.txt

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-coverage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
files=()
for c in "$dir"/*tls13*.pcapng; do
    name=$(basename "$c" .pcapng)
    case "$name" in *-keyed) continue ;; esac
    [ -f "$dir/keys/$name.keys" ] && files+=("$c")
done
[ "${#files[@]}" -gt 0 ] || { echo "FAILED: no keyless TLS 1.3 capture with a key log in $dir"; exit 1; }
# connections = TCP handshakes (SYN without ACK), counted in one pass over all of them
mergecap -w "$stage/all.pcapng" "${files[@]}"
total=$(tshark -r "$stage/all.pcapng" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' 2>/dev/null | wc -l)
# PSK resumptions (a ServerHello accepting a pre_shared_key): undetermined with the keys too
resumed=$(tshark -r "$stage/all.pcapng" -Y 'tls.handshake.type == 2 && tls.handshake.extension.type == 41' 2>/dev/null | wc -l)
# clients offering post-handshake authentication: without keys "no request"
# cannot be proven (the request may come later, encrypted), so sipmtls says
# undetermined (reason 18) although the keys decide the first handshake
pha=$(tshark -r "$stage/all.pcapng" -Y 'tls.handshake.type == 1 && tls.handshake.extension.type == 49' 2>/dev/null | wc -l)
listed=0
while read -r name stream reason; do
    case "$name" in ''|'#'*) continue ;; esac
    [ -f "$dir/$name.pcapng" ] || { echo "FAILED: $list names $name, which is no capture"; exit 1; }
    [ -n "$stream" ] && [ -n "$reason" ] || { echo "FAILED: $list: '$name' needs a stream and a reason"; exit 1; }
    listed=$((listed + 1))
done <"$list"
[ "$total" -gt 0 ] || { echo "FAILED: no connection in the captures"; exit 1; }
decidable=$((total - resumed))
[ "$decidable" -gt 0 ] || { echo "FAILED: no connection the keys can decide"; exit 1; }
decided=$((decidable - listed - pha))
pct=$(( decided * 1000 / decidable ))
echo "keyless TLS 1.3 captures: ${#files[@]}; connections: $total, of which $resumed PSK resumptions (undetermined with the keys too) and $decidable the keys decide"
echo "listed as undetermined although the keys decide: $listed; offering post-handshake authentication (undetermined without keys, reason 18): $pha; decided (inference.sh checks each agrees with its keys): $decided of $decidable, $((pct / 10)).$((pct % 10))%; of all connections $(( decided * 1000 / total / 10 )).$(( decided * 1000 / total % 10 ))%"
[ $(( decided * 100 )) -ge $(( decidable * 95 )) ] || { echo "FAILED: fewer than 95% decided"; exit 1; }
