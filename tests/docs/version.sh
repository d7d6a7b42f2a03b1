#!/bin/bash
# version.sh VERSION REPORT: the one version (project(VERSION) of
# CMakeLists.txt) is the one the docs and the report show: the newest entry
# of CHANGELOG.md, the package names in README.md and docs/packaging.md,
# and `sipmtls-report --version`.  (tshark -G plugins: integration/plugin-listed.)
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$1
report=$2
failed=0
fail() { echo "FAILED: $*" >&2; failed=1; }

newest=$(sed -nE 's/^## ([0-9][^ ]*).*/\1/p' CHANGELOG.md | head -n1)
[ "$newest" = "$version" ] || fail "CHANGELOG.md's newest entry is '$newest', CMakeLists.txt says $version"
for f in README.md docs/packaging.md; do
    other=$(grep -oE 'wireshark-plugin-sipmtls_[0-9][0-9.]*\+|sipmtls\.so +[0-9][0-9.]+|`[0-9]+\.[0-9]+\.[0-9]+\+deb' "$f" |
            grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | sort -u | grep -vxF "$version" || true)
    [ -z "$other" ] || fail "$f names version(s) $(echo $other) besides $version"
done
out=$("$report" --version 2>&1) || fail "sipmtls-report --version exited $?"
case "$out" in
*"$version"*) ;;
*) fail "sipmtls-report --version says '$out', not $version" ;;
esac
[ "$failed" = 0 ] && echo "version $version: CHANGELOG.md, README.md, docs/packaging.md, sipmtls-report --version"
exit "$failed"
