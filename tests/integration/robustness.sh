#!/bin/bash
# robustness.sh PLUGIN_SO CAPTURE...
#
# Hostile input: damages every given capture in several ways (random byte
# errors with editcap -E at a few rates and fixed seeds; frames cut short
# with editcap -s) and runs tshark with the plugin over each result in
# one-pass and two-pass verbose mode.  Fails when tshark dies or reports a
# dissector bug in sipmtls.  Deliberately malformed inputs, made at test
# time: nothing is committed.  The longer campaign is the fuzz script.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1
shift

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-robust.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod a+rx "$stage"

runs=0 failures=0
for capture in "$@"; do
    name=$(basename "$capture" .pcapng)
    variants=()
    for rate in 0.02 0.1; do
        for seed in 1; do
            out="$stage/$name.e$rate.s$seed.pcapng"
            # editcap 4.0 cannot rewrite a file whose secrets editcap
            # injected; its plain twin plus the key log covers the same data.
            editcap -E "$rate" --seed "$seed" "$capture" "$out" >/dev/null 2>&1 &&
                variants+=("$out")
        done
    done
    for snap in 200; do
        out="$stage/$name.snap$snap.pcapng"
        editcap -s "$snap" "$capture" "$out" >/dev/null 2>&1 && variants+=("$out")
    done
    # Decrypt where a key log exists, so the decrypted paths are exercised.
    keylog=()
    keys="$(dirname "$capture")/keys/${name%-keyed}.keys"
    if [ -f "$keys" ]; then
        cp "$keys" "$stage/$name.keys"
        keylog=(-o "tls.keylog_file:$stage/$name.keys")
    fi
    [ ${#variants[@]} -gt 0 ] || { echo "skipped $name: editcap cannot rewrite it"; continue; }
    chmod a+r "${variants[@]}" "$stage"/*.keys 2>/dev/null || true
    for v in "${variants[@]}"; do
        for pass in "" "-2"; do
            runs=$((runs + 1))
            # shellcheck disable=SC2086
            if ! timeout 60 "$here/run-tshark.sh" "$plugin_so" -- -r "$v" $pass -V \
                    "${keylog[@]}" >"$stage/out" 2>"$stage/err"; then
                echo "FAILED: tshark exited $? on $v ($pass)"; failures=$((failures + 1))
                tail -5 "$stage/err"
            elif grep -q "Dissector bug, protocol SIPMTLS\|Malformed Packet: SIPMTLS" "$stage/out"; then
                echo "FAILED: sipmtls reported a dissector bug on $v ($pass)"; failures=$((failures + 1))
                grep -m3 "SIPMTLS" "$stage/out"
            fi
        done
    done
done
echo "robustness: $((runs - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
