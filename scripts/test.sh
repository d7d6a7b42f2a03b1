#!/bin/bash
# test.sh [--no-install]: the whole test suite against this machine's
# Wireshark, from a fresh Debian machine.
# Installs what is missing (unless --no-install), builds with warnings as
# errors into build-test/ (or $SIPMTLS_BUILD_DIR), and runs every test
# (Criterion unit tests of the core, tshark integration tests on every
# committed capture, the documentation checks, which need the Wireshark GUI
# under Xvfb) through ctest.  .ci/run runs this, then the same script
# against the other supported Wireshark releases (.ci/matrix.sh).
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
[ "$install" = 0 ] || scripts/install-deps.sh build run test

build=${SIPMTLS_BUILD_DIR:-build-test}
cmake -S . -B "$build" -DSIPMTLS_WERROR=ON
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
