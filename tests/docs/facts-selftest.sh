#!/bin/bash
# facts-selftest.sh PLUGIN_SO: check-doc-facts.py refuses wrong facts and
# numbers that no facts comment covers (tests/docs/fixtures/wrong-facts.md),
# and says which.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$("$here/check-doc-facts.py" --plugin "$1" "$here/fixtures/wrong-facts.md" 2>&1)
status=$?
fail=0
expect() {
    if ! grep -qF -- "$1" <<<"$out"; then
        echo "missing from the checker's output: $1"
        fail=1
    fi
}
[ "$status" = 1 ] || { echo "exit status $status, want 1"; fail=1; }
expect "wrong-facts.md:4: tls12-optional-request-no-cert: 11: verdict=2: frame 11 has sipmtls.verdict = nothing"
expect "wrong-facts.md:6: names frame 7, which no facts comment here checks"
expect "wrong-facts.md:9: tls12-optional-request-no-cert: 14: verdict=3: frame 14 has sipmtls.verdict = ['2']"
expect "wrong-facts.md:12: all-merged: streams(verdict)=45: 46 connections"
expect "wrong-facts.md:11: names count 46 connections, which no facts comment here checks"
expect "; 5 problems"
if grep -q "wrong-facts.md:1[45]" <<<"$out"; then
    echo "the right facts were refused"; fail=1
fi
[ $fail = 0 ] || { echo "--- output:"; echo "$out"; }
exit $fail
