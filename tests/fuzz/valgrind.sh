#!/bin/bash
# valgrind.sh PLUGIN_SO CAPTURE...
#
# Valgrind memcheck over tshark with the plugin, on each capture in one
# pass (-nVxr) and two passes (-2 -nVxr), with the capture's key log where
# there is one (all key logs for a capture that merges several).  Fails on
# any invalid read or write, use of uninitialised memory, or bad free that
# valgrind reports (--error-exitcode), and on any leak whose stack passes
# through sipmtls.so.  valgrind.supp holds what is known not to be ours
# (stock tshark, glib, libwireshark); an error whose stack names sipmtls is
# ours even if a suppression would hide it, so the log is checked too.
#
# wmem hands out one malloc per allocation here, so overruns of packet and
# file scope memory are visible to memcheck, not hidden in wmem's blocks.
# Use the plugin of an ordinary build (not SIPMTLS_SANITIZE=ON).
#
# A run takes ~10 s per capture and pass; ctest runs it with the label
# "valgrind" (one test per capture).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1
shift

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-valgrind.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod a+rwx "$stage"
cp "$here/valgrind.supp" "$stage/"

passed=0 failed=0
for capture in "$@"; do
    name=$(basename "$capture" .pcapng)
    cp "$capture" "$stage/$name.pcapng"
    keys_dir=$(dirname "$capture")/keys
    keylog=() keysrc=
    if [ -f "$keys_dir/${name%-keyed}.keys" ]; then
        keysrc=$keys_dir/${name%-keyed}.keys
        cp "$keysrc" "$stage/$name.keys"
    elif [ "$name" = all-merged ] && ls "$keys_dir"/*.keys >/dev/null 2>&1; then
        keysrc="all of $keys_dir/*.keys, concatenated"
        cat "$keys_dir"/*.keys >"$stage/$name.keys"
    fi
    [ -z "$keysrc" ] || keylog=(-o "tls.keylog_file:$stage/$name.keys")
    chmod a+r "$stage"/*
    for pass in "" "-2"; do
        log=$stage/$name$pass.vg
        status=0
        SIPMTLS_EXTRA_ENV="WIRESHARK_DEBUG_WMEM_OVERRIDE=simple G_SLICE=always-malloc" \
        SIPMTLS_TSHARK_WRAPPER="valgrind --tool=memcheck --error-exitcode=99 --num-callers=50
            --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=none
            --suppressions=$stage/valgrind.supp --log-file=$log" \
            "$here/../integration/run-tshark.sh" "$plugin_so" -- $pass -nVxr "$stage/$name.pcapng" \
            "${keylog[@]}" >"$stage/out" 2>"$stage/err" || status=$?
        # Records are separated by a bare "==PID== " line; keep those with
        # a frame in the plugin (its source files, or sipmtls.so without
        # debug information).
        ours=$(awk -v frame='[(]((packet-sipmtls|tls_fields|stats|plugin|conn|tls|x509)[.]c:[0-9]+|in [^)]*/sipmtls[.]so)[)]' \
                   '/^==[0-9]+== $/ { if (rec ~ frame) print rec; rec = ""; next }
                    { rec = rec "\n" $0 }
                    END { if (rec ~ frame) print rec }' "$log")
        errors=$(grep -o 'ERROR SUMMARY: [0-9]*' "$log" | tail -1)
        if [ "$status" -ne 0 ] || [ -n "$ours" ]; then
            echo "FAILED: $name ${pass:-one pass}: exit status $status, $errors"
            if [ -n "$ours" ]; then echo "$ours" | head -80; else grep -A25 -m3 'Invalid\|uninitialised\|Mismatched' "$log" || tail -20 "$stage/err"; fi
            echo "reproduce: SIPMTLS_TSHARK_WRAPPER='valgrind --tool=memcheck' tests/integration/run-tshark.sh $plugin_so -- $pass -nVxr $capture${keysrc:+ -o tls.keylog_file:KEYS (KEYS: $keysrc)}"
            failed=$((failed + 1))
        else
            echo "ok: $name ${pass:-one pass}: $errors"
            passed=$((passed + 1))
        fi
    done
done
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
