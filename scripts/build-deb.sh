#!/bin/bash
# build-deb.sh [--out DIR]: the Debian package of sipmtls for this
# machine's Debian release and Wireshark (wireshark-dev), built with
# debhelper (dpkg-buildpackage -b) from a copy of the checkout, then
# checked with lintian.  Writes into DIR (default dist/):
#   wireshark-plugin-sipmtls_<version>_<arch>.deb (and .buildinfo, .changes)
#   lintian.txt          what lintian said (--fail-on warning: a warning or
#                        an error fails the build; docs/packaging.md)
#   lintian-ok           present when lintian passed
# The package version is project(VERSION) of CMakeLists.txt plus the
# release: +deb12 (bookworm), +deb13 (trixie), +sid.  Needs the groups
# build and package of scripts/packages.txt.  Exit status 1 when the build
# or lintian fails.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
out=$src/dist
while [ $# -gt 0 ]; do
    case "$1" in
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--out DIR]" >&2; exit 2 ;;
    esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)

version=$(sed -nE 's/^project\(sipmtls VERSION ([0-9][0-9.]*)[ )].*/\1/p' CMakeLists.txt)
[ -n "$version" ] || { echo "no project(sipmtls VERSION ...) in CMakeLists.txt" >&2; exit 2; }
# shellcheck disable=SC1091
. /etc/os-release
codename=${VERSION_CODENAME:-sid}
# sid's os-release names the next release (testing); debian_version says sid
case "$(cat /etc/debian_version 2>/dev/null)" in */sid) codename=sid ;; esac
if [ -n "${VERSION_ID:-}" ]; then suffix=+deb${VERSION_ID%%.*}; else suffix=+$codename; fi
ws=$(dpkg-query -W -f='${Version}' libwireshark-dev)

work=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/sipmtls"
# The checkout without git, build trees or earlier packages.
tar -C "$src" --exclude=./.git --exclude='./build' --exclude='./build-*' --exclude='./obj-*' \
    --exclude=./dist --exclude=./stage -cf - . | tar -C "$work/sipmtls" -xf -
{
    printf 'sipmtls (%s%s) %s; urgency=medium\n\n' "$version" "$suffix" "$codename"
    printf '  * sipmtls %s built for Wireshark %s.\n' "$version" "$ws"
    printf '    What changed for users: changelog.gz (CHANGELOG.md).\n\n'
    printf ' -- %s  %s\n' "$(sed -n 's/^Maintainer: //p' debian/control)" \
        "$(date -R -d "@${SOURCE_DATE_EPOCH:-$(stat -c %Y CHANGELOG.md)}")"
} > "$work/sipmtls/debian/changelog"

echo "building sipmtls $version$suffix for $codename (Wireshark $ws)" >&2
(cd "$work/sipmtls" && dpkg-buildpackage -b -uc -us) > "$work/build.log" 2>&1 ||
    { grep -A12 -m3 "CMake Error\|error:" "$work/build.log" >&2 || tail -n 40 "$work/build.log" >&2
      echo "dpkg-buildpackage failed (log: $work/build.log)" >&2; exit 1; }
rm -f "$out"/wireshark-plugin-sipmtls_* "$out"/sipmtls_* "$out/lintian-ok"
mv "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$out"/
deb=$(ls "$out"/wireshark-plugin-sipmtls_*.deb)
echo "built $deb" >&2
dpkg-deb -f "$deb" Package Version Depends >&2

# lintian of the release the package is for; informational tags shown.
rc=0
# (lintian's notice that it runs as root is no tag: dropped)
lintian --info --display-info --fail-on warning "$out"/*.changes > "$work/lintian.txt" 2>&1 || rc=$?
grep -v '^running with root privileges is not recommended!$' "$work/lintian.txt" > "$out/lintian.txt" || true
if [ "$rc" = 0 ]; then
    : > "$out/lintian-ok"
    echo "lintian $(lintian --version | awk '{ print $2 }'): no error or warning$( [ -s "$out/lintian.txt" ] &&
        printf ', %s informational tag(s)' "$(grep -c '^[IP]:' "$out/lintian.txt")")" >&2
else
    echo "lintian failed:" >&2
fi
sed 's/^/  /' "$out/lintian.txt" >&2
exit "$rc"
