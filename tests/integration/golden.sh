#!/bin/bash
# golden.sh PLUGIN_SO CAPTURE EXPECTED_PREFIX MODE [TSHARK_ARGS...]
#
# Runs tshark with the plugin on one committed capture in one mode and
# compares what sipmtls said with the committed expectation
# EXPECTED_PREFIX.<mode>.  Modes come in pairs: one pass, and two passes
# ("-2"), where the second pass only replays what the first pass found.
# The two differ only by the links to later frames (sipmtls.answer_in,
# sipmtls.verdict_in, sipmtls.sip.frame) and the SIP request shown on a
# verdict that came before it, which a single pass cannot know yet.
#
#   fields, fields-2pass    -T fields of every sipmtls field, frames with sipmtls only
#   fields-treeless         fields-2pass without the display filter, whose first
#                           pass reads the facts without Wireshark's tree (the
#                           private tree of plugin/fact_tree.c): compared with
#                           the fields-2pass expectation, which it must equal
#   verbose, verbose-2pass  the sipmtls subtree of every frame (-V -O sipmtls)
#   expert, expert-2pass    sipmtls lines of -z expert
#   stats                   -z sipmtls,tree (names and counts)
#   report-MODE             sipmtls-report (SIPMTLS_REPORT names the binary)
#                           with the options MODE names: text, csv, json,
#                           connections (text), connections-csv; the exit
#                           status is part of the expectation
#
# Set SIPMTLS_UPDATE_GOLDEN=1 to rewrite the expectation instead (then
# read the diff: a golden file is only as right as the person who checked it).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1 capture=$2 expected_prefix=$3 mode=$4
shift 4

two_pass=()
select=(-Y sipmtls)
case "$mode" in
    *-2pass) two_pass=(-2); kind=${mode%-2pass} ;;
    # Two passes without a display filter: the first pass, which reads the
    # facts, runs without Wireshark's tree (sipmtls's private one,
    # plugin/fact_tree.c); the second prints.  It must find what the
    # first pass with Wireshark's tree finds (the -2pass expectation).
    fields-treeless) two_pass=(-2); select=(); kind=fields ;;
    *)       kind=$mode ;;
esac
expected="$expected_prefix.$mode"
[ "$mode" = fields-treeless ] && expected="$expected_prefix.fields-2pass"

# The unprivileged tshark must be able to read the capture.
stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-golden.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp "$capture" "$stage/capture.pcapng"
# In extra arguments, "@keys/NAME" names a key log beside the capture
# (captures/keys/NAME) and "@pki/NAME" a file of the test PKI
# (captures/pki/NAME, e.g. a test-only root store); they are staged too.
extra=()
for arg in "$@"; do
    for dir in keys pki; do
        if [[ $arg == *@$dir/* ]]; then
            file=${arg#*@"$dir"/}
            cp "$(dirname "$capture")/$dir/$file" "$stage/$file"
            arg=${arg%%@"$dir"/*}$stage/$file
        fi
    done
    extra+=("$arg")
done
chmod -R a+rX "$stage"

fields=(frame.number sipmtls.cert_request sipmtls.client_auth_eku sipmtls.chain.length
        sipmtls.cert.sender sipmtls.cert.position sipmtls.cert.client_auth
        sipmtls.cert.eku_present sipmtls.cert.eku sipmtls.cert.subject sipmtls.cert.issuer
        sipmtls.cert.not_after sipmtls.handshake sipmtls.verdict sipmtls.outcome
        sipmtls.rejected sipmtls.alert sipmtls.reason sipmtls.server sipmtls.client
        sipmtls.client_cert.subject sipmtls.request_in sipmtls.answer_in sipmtls.verdict_in
        sipmtls.sip.method sipmtls.sip.call_id sipmtls.cert_request.ca
        sipmtls.cert_request.inferred sipmtls.client_cert.inferred sipmtls.verdict.inferred
        sipmtls.client_cert.eku_present sipmtls.client_cert.client_auth sipmtls.requested
        sipmtls.chain.trust sipmtls.client_cert.ca sipmtls.deadline sipmtls.deadline.past)

# The Wireshark release the plugin was built for: plugins/X.Y/epan/sipmtls.so.
ws_version=$(basename "$(dirname "$(dirname "$plugin_so")")")
ws_at_least() { [ "$(printf '%s\n%s\n' "$1" "$ws_version" | sort -V | head -n1)" = "$1" ]; }

run() { "$here/run-tshark.sh" "$plugin_so" -- -r "$stage/capture.pcapng" "${two_pass[@]}" "${extra[@]}" "$@"; }

case "$kind" in
fields)
    args=("${select[@]}" -T fields -E header=y -E separator=/t -E occurrence=a -E aggregator=';')
    for f in "${fields[@]}"; do args+=(-e "$f"); done
    # Wireshark 4.0 prints booleans in -T fields as 1/0, later releases as
    # True/False: the expectation uses 1/0.
    to_legacy=(cat)
    if ws_at_least 4.6; then
        # 4.6 writes absolute times in -T fields as ISO 8601 UTC
        # (2122-09-25T02:44:55.000000000Z) instead of the field's display;
        # 4.0 and 4.4 use the display, as -V does in every release.  The
        # expectation uses the display, so 4.6's form is rewritten to it
        # (same instant, same nanoseconds; only the spelling differs).
        # shellcheck disable=SC2016  # the $ are Perl's
        to_legacy=(perl -pe 'my @mon = qw(Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec);
            s/\b(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d\.\d{9})Z(?=[;\t]|$)/
              sprintf("%s %2d, %s %s UTC", $mon[$2 - 1], $3, $1, $4)/ge')
    fi
    # Without a display filter every frame is printed: keep the header and
    # the frames whose layers end in sipmtls's (frame.protocols, a first
    # column of its own, dropped).
    keep=(cat)
    if [ ${#select[@]} -eq 0 ]; then
        args+=(-e frame.protocols)
        # shellcheck disable=SC2016  # the $ are awk's
        keep=(awk -F '\t' 'NR == 1 || $NF ~ /:sipmtls$/ {
                  line = $1; for (i = 2; i < NF; i++) line = line "\t" $i; print line }')
    fi
    run "${args[@]}" | "${keep[@]}" | sed -e 's/\bTrue\b/1/g' -e 's/\bFalse\b/0/g' | "${to_legacy[@]}" >"$stage/actual"
    ;;
verbose)
    # Keep the frame line and the sipmtls subtree of each frame that has one.
    run -Y sipmtls -V -O sipmtls |
        awk '/^Frame [0-9]+:/ { print "Frame " $2; next }
             /^\[?SIP-TLS Mutual TLS Audit/ { on = 1 }
             /^$/ { if (on) print ""; on = 0 }
             on { print }' >"$stage/actual"
    ;;
stats)
    # Keep each node's name and count; rates depend on nothing but the
    # capture, yet their layout is not ours to pin.
    run -q -z sipmtls,tree | sed -n -E 's/^( *[^ ].*[^ ]) +([0-9]+) .*/\1  \2/p' >"$stage/actual"
    ;;
report-*)
    case "${kind#report-}" in
        text) opts=() ;;
        csv) opts=(--format csv) ;;
        json) opts=(--format json) ;;
        connections) opts=(--connections) ;;
        connections-csv) opts=(--connections --format csv) ;;
        *) echo "golden.sh: unknown report mode $kind" >&2; exit 2 ;;
    esac
    status=0
    "$here/run-tshark.sh" --exec "${SIPMTLS_REPORT:?SIPMTLS_REPORT names sipmtls-report}" \
        "$plugin_so" -- "${opts[@]}" "${extra[@]}" "$stage/capture.pcapng" >"$stage/actual" || status=$?
    # The file's name and the report's version (JSON "generator") are not
    # part of the expectation.
    sed -i -e "s|$stage/capture.pcapng|CAPTURE|g" \
        -e 's|"generator": "sipmtls-report [^"]*"|"generator": "sipmtls-report VERSION"|' "$stage/actual"
    echo "exit status $status" >>"$stage/actual"
    ;;
expert)
    run -q -z expert | grep -E '^ +[0-9]+ +[A-Za-z]+ +SIPMTLS ' | sed -e 's/ \+/ /g' >"$stage/actual" || true
    ;;
*)
    echo "golden.sh: unknown mode $mode" >&2
    exit 2
    ;;
esac

if [ "${SIPMTLS_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$stage/actual" "$expected"
    echo "updated $expected"
    exit 0
fi
# Labels longer than Wireshark's limit (ITEM_LABEL_LENGTH) are cut, and
# marked " [truncated]" on 4.0 but "[…]" on 4.4 and 4.6, which also keep a
# few more characters.  The expectation is 4.0's; both sides of the
# comparison keep the label's name and the first 150 characters of its
# text (an expert item's whole text is the line after it, compared in full).
compared=("$expected" "$stage/actual")
if [ "$kind" = verbose ]; then
    # shellcheck disable=SC2016  # the $ are Perl's
    canon='s/^(\s*)\[(?: \[truncated\]|\[…\] )(.*?): (.*)\]$/$1\[$2: @{[substr($3, 0, 150)]} <cut by Wireshark>]/;
           s/^(\s*)\[(.*?) (?:\[truncated\]|\[…\]): (.*)\]$/$1\[$2: @{[substr($3, 0, 150)]} <cut by Wireshark>]/'
    perl -pe "$canon" "$expected" >"$stage/expected.canon"
    perl -pe "$canon" "$stage/actual" >"$stage/actual.canon"
    compared=("$stage/expected.canon" "$stage/actual.canon")
fi
if ! diff -u "${compared[@]}"; then
    echo "FAILED: sipmtls output differs from $expected" >&2
    echo "reproduce: $0 $plugin_so $capture $expected_prefix $mode $*" >&2
    exit 1
fi
