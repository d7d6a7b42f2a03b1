#!/bin/bash
# static-analysis.sh [--cppcheck | --scan-build] [BUILD_DIR]
#
# cppcheck and clang's scan-build on the whole project (core, plugin,
# report, tests, benchmark).  Clean means no finding at all: a finding
# that is wrong is suppressed at its line with a comment saying why
# (cppcheck-suppress), never globally.  Exit status 1 on a finding, 2 when
# the tools are missing (Debian: cppcheck, clang-tools; group "static" of
# scripts/packages.txt).
#
#   --cppcheck     cppcheck only (a few seconds; ctest runs it as static/cppcheck)
#   --scan-build   scan-build only (a full build under the analyzer, ~1.5 min
#                  on 2 cores, into BUILD_DIR-scan-build)
#   BUILD_DIR      a configured tree (default build-test): cppcheck reads its
#                  compile_commands.json, so it sees the same files, include
#                  folders and definitions as the compiler
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
which=all
case "${1:-}" in
--cppcheck) which=cppcheck; shift ;;
--scan-build) which=scan-build; shift ;;
esac
build=${1:-build-test}
rc=0

if [ "$which" != scan-build ]; then
    command -v cppcheck >/dev/null || { echo "cppcheck is not installed" >&2; exit 2; }
    [ -f "$build/compile_commands.json" ] ||
        { echo "$build/compile_commands.json missing: configure $build first" >&2; exit 2; }
    # System headers are not analysed (missingIncludeSystem): GLib and
    # Wireshark are described by cppcheck's gtk and gnu libraries, Criterion
    # by scripts/cppcheck/criterion.cfg.
    if cppcheck --quiet --enable=warning,style,performance,portability --std=c11 \
        --library=gnu --library=gtk --library="$src/scripts/cppcheck/criterion.cfg" \
        --inline-suppr --suppress=missingIncludeSystem \
        --project="$build/compile_commands.json" \
        --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
        -j"$(nproc)" --error-exitcode=1; then
        echo "PASS  cppcheck $(cppcheck --version | cut -d' ' -f2)"
    else
        echo "FAIL  cppcheck (findings above)"
        rc=1
    fi
fi

if [ "$which" != cppcheck ]; then
    command -v scan-build >/dev/null || { echo "scan-build is not installed (clang-tools)" >&2; exit 2; }
    sb=$build-scan-build
    reports=$(mktemp -d)
    trap 'rm -rf "$reports" "${cdb:-}"' EXIT
    rm -rf "$sb"
    # --status-bugs: exit 1 when the analyzer reports anything.
    scan-build -o "$reports" cmake -S . -B "$sb" -DSIPMTLS_WERROR=ON -DSIPMTLS_VALGRIND=OFF >/dev/null
    if scan-build -o "$reports" --status-bugs cmake --build "$sb" -j"$(nproc)" >"$reports/log" 2>&1; then
        echo "PASS  scan-build ($(grep -c 'Building C object' "$reports/log") files analysed)"
    else
        grep -E 'warning:|error:|scan-build:' "$reports/log" >&2 || tail -n 30 "$reports/log" >&2
        echo "FAIL  scan-build (findings above)"
        rc=1
    fi
fi
exit "$rc"
