#!/bin/bash
# test.sh: the whole test suite, from a fresh Debian machine.
# Installs what is missing, builds with warnings as errors into build-test/,
# and runs every test (Criterion unit tests of the core, tshark integration
# tests on every committed capture, the documentation checks, which need the
# Wireshark GUI under Xvfb) through ctest.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

cd "$(dirname "$0")/.."
scripts/install-deps.sh build run docs

build=${SIPMTLS_BUILD_DIR:-build-test}
cmake -S . -B "$build" -DSIPMTLS_WERROR=ON
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
