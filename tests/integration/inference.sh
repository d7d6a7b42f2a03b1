#!/bin/bash
# inference.sh PLUGIN_SO CAPTURE KEYLOG
#
# TLS 1.3 without keys: what sipmtls infers from record sizes on CAPTURE
# must agree with what the same recording shows once decrypted with KEYLOG,
# with no false claim:
#   - sipmtls.cert_request.inferred true  <=> a CertificateRequest decrypted,
#     and false <=> none.  An undecidable connection makes no claim at all,
#     which is allowed only where the keys cannot decide either (verdict 7,
#     e.g. a PSK resumption), or where tests/integration/inference-undetermined.txt
#     lists the capture and stream with the reason sipmtls must give;
#   - sipmtls.client_cert.inferred        <=> the client's Certificate held
#     certificates;
#   - the inferred verdict is what the decrypted verdict becomes when the
#     EKU cannot be seen (3, 4, 5 -> 8), or the same.
# Compared per TCP stream, for its first handshake: a later one (TLS 1.3
# post-handshake authentication) is invisible without keys, and sipmtls
# says nothing of it rather than something wrong.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1 capture=$2 keylog=$3
name=$(basename "$capture" .pcapng)

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-infer.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp "$capture" "$stage/c.pcapng"
cp "$keylog" "$stage/k.keys"
chmod -R a+rX "$stage"

fields() { "$here/run-tshark.sh" "$plugin_so" -- -r "$stage/c.pcapng" -2 "$@"; }

# Per stream: request? chain? verdict, from the keyless run ...
fields -Y sipmtls -T fields -E occurrence=f -e tcp.stream -e sipmtls.cert_request.inferred \
       -e sipmtls.client_cert.inferred -e sipmtls.verdict -e sipmtls.inference |
    sed -e 's/\bTrue\b/1/g' -e 's/\bFalse\b/0/g' |
    awk -F'\t' '{ if ($2 != "") req[$1] = $2; if ($3 != "") chain[$1] = $3; if ($4 != "") v[$1] = $4; s[$1] = 1
                  if ($5 != "") why[$1] = $5 }
                END { for (k in s) print k "\t" (k in req ? req[k] : "-") "\t" (k in chain ? chain[k] : "-") "\t" (k in v ? v[k] : "-") "\t" (k in why ? why[k] : "-") }' |
    sort >"$stage/inferred"
# ... and from the decrypted one: the first handshake's request, and its
# verdict with the client's certificate (a chain when it has a subject).
fields -o "tls.keylog_file:$stage/k.keys" -Y 'sipmtls.handshake == 1' -T fields -E occurrence=f \
       -e tcp.stream -e sipmtls.cert_request -e sipmtls.verdict -e sipmtls.client_cert.subject |
    sed -e 's/\bTrue\b/1/g' -e 's/\bFalse\b/0/g' |
    awk -F'\t' '{ s[$1] = 1; if ($2 == "1") req[$1] = 1;
                  if ($3 != "") { v[$1] = $3; chain[$1] = ($4 != "" ? 1 : 0) } }
                END { for (k in s) print k "\t" (k in req ? 1 : 0) "\t" (k in chain ? chain[k] : "-") "\t" (k in v ? v[k] : "-") }' |
    sort >"$stage/truth"

allowed=$here/inference-undetermined.txt
failures=0 checked=0 decided=0 undetermined=0
while IFS=$'\t' read -r stream req chain verdict why; do
    truth=$(awk -F'\t' -v s="$stream" '$1 == s' "$stage/truth")
    IFS=$'\t' read -r _ t_req t_chain t_verdict <<<"$truth"
    checked=$((checked + 1))
    if [ "$req" = "-" ]; then
        # the reason sipmtls must give, when the list allows this one
        reason=$(awk -v n="$name" -v s="$stream" '$1 == n && $2 == s { $1 = $2 = ""; sub(/^ +/, ""); print; exit }' "$allowed")
        if [ "$t_verdict" = 7 ]; then
            echo "stream $stream: undecidable, and so it is with the keys: $why"
        elif [ -n "$reason" ] && [[ "$why" == *"$reason"* ]]; then
            echo "stream $stream: undetermined, as listed: $why"
            undetermined=$((undetermined + 1))
        elif [ -n "$reason" ]; then
            echo "FAILED stream $stream: listed as undetermined because \"$reason\", sipmtls says \"$why\""
            failures=$((failures + 1))
        else
            echo "FAILED stream $stream: undecidable on $name (decrypted verdict $t_verdict): $why"
            failures=$((failures + 1))
        fi
        continue
    fi
    decided=$((decided + 1))
    expected_verdict=$t_verdict
    case "$t_verdict" in 3|4|5) expected_verdict=8 ;; esac
    if [ "$req" != "$t_req" ]; then
        echo "FAILED stream $stream: inferred request $req, decrypted $t_req"; failures=$((failures + 1))
    elif [ "$req" = 1 ] && [ "$chain" != "$t_chain" ]; then
        echo "FAILED stream $stream: inferred chain $chain, decrypted $t_chain"; failures=$((failures + 1))
    elif [ "$verdict" != "$expected_verdict" ]; then
        echo "FAILED stream $stream: inferred verdict $verdict, decrypted $t_verdict"; failures=$((failures + 1))
    else
        echo "stream $stream: request $req, chain $chain, verdict $verdict (decrypted $t_verdict): agrees"
    fi
done <"$stage/inferred"
[ "$checked" -gt 0 ] || { echo "FAILED: no audited connection in $capture"; exit 1; }
echo "$name: $checked connection(s), $decided decided, $undetermined undetermined as listed, $failures failed"
[ "$failures" -eq 0 ] || { echo "reproduce: $0 $*"; exit 1; }
