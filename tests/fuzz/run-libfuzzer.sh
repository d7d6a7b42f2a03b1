#!/bin/bash
# run-libfuzzer.sh CORE_FUZZER SECONDS [WORK_DIR]
#
# Runs the libFuzzer build of the core harness (cmake -DSIPMTLS_FUZZ=ON with
# CC=clang) for SECONDS, starting from the committed seeds and regression
# inputs.  New inputs go to WORK_DIR (default: a temporary folder, removed
# afterwards), never into the checkout, so a long campaign can be resumed
# by naming the same WORK_DIR again.  Fails when the fuzzer finds a crash,
# a sanitizer report, a broken invariant, a leak or a timeout; the input
# is then kept in WORK_DIR and its path printed, to be committed under
# tests/fuzz/regressions/core/ once the bug is fixed.
#
# Long campaign (docs/robustness.md):
#   nice tests/fuzz/run-libfuzzer.sh build-fuzz/tests/fuzz/core_fuzzer 3600 /var/tmp/sipmtls-libfuzzer
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fuzzer=$1 seconds=$2 work=${3:-}

if [ -z "$work" ]; then
    work=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-libfuzzer.XXXXXX")
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/corpus" "$work/artifacts"

# -timeout: one input is a few thousand events, far under a second; more is
# a hang.  -rss_limit_mb: the harness frees everything after each input.
status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/" "$work/corpus" "$here/corpus" "$here/regressions/core" \
    >"$work/fuzzer.log" 2>&1 || status=$?
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^Done [0-9]+ runs' "$work/fuzzer.log" || true
echo "corpus: $(find "$work/corpus" -type f | wc -l) inputs in $work/corpus"
if [ "$status" -ne 0 ] || [ -n "$(ls -A "$work/artifacts")" ]; then
    grep -E -A30 'ERROR|invariant broken|runtime error' "$work/fuzzer.log" | head -60
    for a in "$work"/artifacts/*; do
        [ -e "$a" ] || continue
        echo "FAILED: input kept as $a"
        # A temporary work folder goes away: keep what broke next to the log.
        [ -n "${3:-}" ] || cp "$a" "${TMPDIR:-/tmp}/"
    done
    echo "libfuzzer: 0 passed, 1 failed"
    exit 1
fi
echo "libfuzzer: 1 passed, 0 failed (${seconds}s)"
