#!/usr/bin/env bash
# gen-roots.sh - (re)generate the built-in public root store from the
# installed Debian ca-certificates package, as the build does.
#
# Usage: scripts/gen-roots.sh GEN_ROOTS OUT.c [ROOTS_DIR]
#        scripts/gen-roots.sh --check GEN_ROOTS BUILT.c [ROOTS_DIR]
#   GEN_ROOTS  the build's tools/gen-roots.c program (build/gen-roots)
#   ROOTS_DIR  default /usr/share/ca-certificates/mozilla
# --check regenerates into a temporary file and compares it with BUILT.c
# (the build's generated/sipmtls_roots.c): exit 0 when the build's table is
# current with the installed package, 1 with the reason when it is not,
# 2 on error.
set -euo pipefail

check=0
if [[ ${1:-} == --check ]]; then check=1; shift; fi
[[ $# -ge 2 ]] || { echo "usage: $0 [--check] GEN_ROOTS OUT.c [ROOTS_DIR]" >&2; exit 2; }
gen=$1 out=$2 dir=${3:-/usr/share/ca-certificates/mozilla}

version=$(dpkg-query -W -f='${Version}' ca-certificates 2>/dev/null) || version=
[[ -n $version ]] || version="unknown version"
source="Mozilla roots from Debian ca-certificates $version"
mapfile -t files < <(find "$dir" -maxdepth 1 -name '*.crt' | LC_ALL=C sort)
[[ ${#files[@]} -gt 0 ]] || { echo "$0: no root certificates in $dir (ca-certificates installed?)" >&2; exit 2; }

if [[ $check == 0 ]]; then
    exec "$gen" "$out" "$source" "${files[@]}"
fi
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$gen" "$tmp" "$source" "${files[@]}" || exit 2
[[ -f $out ]] || { echo "$0: $out missing" >&2; exit 2; }
if ! cmp -s "$tmp" "$out"; then
    built=$(sed -n 's|^ \* Source: \(.*\)\. \*/$|\1|p' "$out")
    echo "the built-in root store is not current: built from '$built', installed is '$source' (${#files[@]} roots); configure and build again to regenerate it" >&2
    diff -u "$out" "$tmp" | head -20 >&2 || true
    exit 1
fi
echo "built-in root store current: $source, ${#files[@]} files"
