#!/bin/bash
# test.sh [--no-install]: the whole test suite against this machine's
# Wireshark, from a fresh Debian machine.
# Installs what is missing (unless --no-install), then, each build with
# warnings as errors:
#   1. build-test/ (or $SIPMTLS_BUILD_DIR): every test (Criterion unit tests
#      of the core, tshark integration tests on every committed capture, the
#      documentation checks, which need the Wireshark GUI under Xvfb, the
#      core fuzz corpus, the hostile captures) and valgrind memcheck of
#      tshark with the plugin on all-merged (every capture in one) and the
#      hostile captures; on the host (not SIPMTLS_QUICK) also Wireshark's
#      own source checkers and cppcheck (label "static"; the checkers are
#      fetched from the Wireshark source package first), then scan-build
#      (scripts/static-analysis.sh, docs/packaging.md#checks);
#   2. <build>-asan/: the plugin and the core built with AddressSanitizer
#      and UndefinedBehaviorSanitizer (run inside the stock tshark, runtimes
#      preloaded): the same suite but the documentation checks (the GUI does
#      not preload the runtimes) and the damaged-capture runs, which a short
#      bounded tshark fuzz pass replaces (tests/fuzz/fuzz-tshark.sh --short,
#      about 5 minutes at most);
#   3. <build>-fuzz/ (clang): libFuzzer on the core for SIPMTLS_FUZZ_SECONDS
#      (default 60).
# SIPMTLS_QUICK=1 runs step 1 without valgrind only (the Wireshark matrix
# does, .ci/matrix.sh).  .ci/run runs this, then the matrix;
# docs/robustness.md describes the long campaigns.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

cd "$(dirname "$0")/.."
install=1
for arg in "$@"; do
    case "$arg" in
    --no-install) install=0 ;;   # the packages are there already (the matrix roots)
    *) echo "usage: $0 [--no-install]" >&2; exit 2 ;;
    esac
done
quick=${SIPMTLS_QUICK:-0}
groups=(build run test package)
[ "$quick" = 1 ] || groups+=(fuzz static browser live)
[ "$install" = 0 ] || scripts/install-deps.sh "${groups[@]}"

jobs=$(nproc)
build=${SIPMTLS_BUILD_DIR:-build-test}
valgrind=ON
[ "$quick" = 0 ] || valgrind=OFF

cmake -S . -B "$build" -DSIPMTLS_WERROR=ON -DSIPMTLS_VALGRIND=$valgrind
cmake --build "$build" -j"$jobs"
[ "$quick" = 1 ] || scripts/wireshark-checks.sh --fetch-only "$build"
ctest --test-dir "$build" --output-on-failure -j"$jobs"
[ "$quick" = 0 ] || exit 0
scripts/static-analysis.sh --scan-build "$build"

cmake -S . -B "$build-asan" -DSIPMTLS_WERROR=ON -DSIPMTLS_SANITIZE=ON
cmake --build "$build-asan" -j"$jobs"
# integration/robustness (every capture damaged a few ways) ran in step 1;
# under the sanitizers fuzz/tshark-short does that job, bounded in time.
# The live capture tests and report/installed start tshark through the
# report itself, without the sanitizer runtimes preloaded (ASan refuses to
# run); step 1 ran them on the same code.
ctest --test-dir "$build-asan" --output-on-failure -j"$jobs" -LE 'docs|static|live' \
    -E '^(integration/robustness|report/installed)$'

CC=clang cmake -S . -B "$build-fuzz" -DSIPMTLS_WERROR=ON -DSIPMTLS_FUZZ=ON \
    -DSIPMTLS_FUZZ_SECONDS="${SIPMTLS_FUZZ_SECONDS:-60}"
cmake --build "$build-fuzz" -j"$jobs" --target core_fuzzer
ctest --test-dir "$build-fuzz" -L libfuzzer --output-on-failure
