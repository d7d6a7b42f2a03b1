#!/bin/bash
# wireshark-checks.sh: Wireshark's own source checkers on plugin/ (and the
# core where they apply), taken from the source package of the Wireshark
# release installed here, never from the checkout.  Exit status 1 when a
# checker finds anything (an error or a warning), 2 when the checkers
# cannot be had.  docs/packaging.md#checks says what runs and what does
# not apply to an out-of-tree plugin.
#
# The checkers come from Debian's source package of libwireshark-dev's
# exact version (`apt-get source --download-only`, which needs a deb-src
# entry: one is added beside the host's deb entries if missing), unpacked
# once into $SIPMTLS_WSTOOLS_CACHE (default /var/cache/sipmtls-wstools as
# root, ~/.cache/sipmtls-wstools otherwise), outside the checkout.  Only
# tools/ and the two source files the checkers read (epan/tfs.c for
# check_tfs.py) are kept.
#
#   scripts/wireshark-checks.sh [--fetch-only | --offline] [BUILD_DIR]
#
# BUILD_DIR (default build-test) is a configured and built tree of this
# checkout: check_static.py reads its object files.  --fetch-only fills
# the cache and stops (scripts/test.sh, before ctest); --offline exits 77
# (ctest: skipped) when the cache is empty instead of fetching (ctest runs
# this as static/wireshark-checks).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
mode=check
case "${1:-}" in
--fetch-only) mode=fetch; shift ;;
--offline) mode=offline; shift ;;
esac
build=${1:-build-test}

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
if [ "$(id -u)" = 0 ]; then
    cache=${SIPMTLS_WSTOOLS_CACHE:-/var/cache/sipmtls-wstools}
else
    cache=${SIPMTLS_WSTOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sipmtls-wstools}
fi
case "$(readlink -f "$cache")/" in "$src"/*) echo "cache $cache is inside the checkout" >&2; exit 2 ;; esac

ver=$(dpkg-query -W -f='${source:Version}' libwireshark-dev) ||
    { echo "libwireshark-dev is not installed" >&2; exit 2; }
ws=$cache/wireshark-$ver

# A deb-src entry for every deb822 "Types: deb" file of the host, the same
# URIs, suites and keys (Debian's images ship deb only).
add_deb_src() {
    local f out=/etc/apt/sources.list.d/sipmtls-src.sources
    [ -e "$out" ] && return 0
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        sed -n '/^Types:.*deb-src/q1' "$f" || return 0   # already has deb-src
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] && awk 'BEGIN { RS = ""; ORS = "\n\n" }
                             /(^|\n)Types:[ \t]*deb([ \t]|\n|$)/ { sub(/Types:[ \t]*deb/, "Types: deb-src"); print }' "$f"
    done | "${sudo[@]}" tee "$out" >/dev/null
    echo "added $out (deb-src for the host's Debian archive)" >&2
}

fetch_tools() {
    local tmp
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    if ! (cd "$tmp" && apt-get source --download-only -q "wireshark=$ver" >/dev/null 2>&1); then
        add_deb_src
        "${sudo[@]}" apt-get update -q -o DPkg::Lock::Timeout=900 >/dev/null
        (cd "$tmp" && apt-get source --download-only -q "wireshark=$ver" >/dev/null) ||
            { echo "apt-get source wireshark=$ver failed" >&2; return 2; }
    fi
    mkdir -p "$cache"
    rm -rf "$ws.partial"
    mkdir "$ws.partial"
    tar -C "$ws.partial" --strip-components=1 --wildcards --no-wildcards-match-slash \
        -xf "$tmp"/wireshark_*.orig.tar.* '*/tools' '*/epan/tfs.c'
    mv "$ws.partial" "$ws"
    echo "Wireshark $ver checkers cached in $ws" >&2
}
if [ ! -d "$ws/tools" ]; then
    if [ "$mode" = offline ]; then
        echo "SKIP  Wireshark $ver checkers not cached in $cache (scripts/wireshark-checks.sh --fetch-only)"
        exit 77
    fi
    fetch_tools
fi
[ "$mode" != fetch ] || exit 0
T=$ws/tools
build=$(cd "$build" && pwd)

plugin_c=("$src"/plugin/*.c)
core_c=("$src"/core/*.c)
failed=0
# run NAME COMMAND...: the checker must exit 0 and print no finding.
# FILTER (a grep -E pattern, set before calling) removes the lines a
# checker prints when it finds nothing (headers, "0 warnings").
run() {
    local name=$1 out rc=0
    shift
    out=$(cd "$ws" && "$@" 2>&1) || rc=$?
    out=$(printf '%s\n' "$out" | grep -Ev "${FILTER:-^$}" | grep -v '^[[:space:]]*$' || true)
    if [ "$rc" = 0 ] && [ -z "$out" ]; then
        echo "PASS  $name"
    else
        echo "FAIL  $name (exit $rc)"
        printf '%s\n' "$out" | sed 's/^/      /'
        failed=1
    fi
}

# Deprecated, prohibited and soft-deprecated APIs, and hf/ei consistency,
# everywhere Wireshark's code would be; the dissector groups on plugin/.
FILTER='^$' run "checkAPIs.pl plugin/ (+ dissectors-prohibited, dissectors-restricted)" \
    perl "$T/checkAPIs.pl" -g dissectors-prohibited -g dissectors-restricted \
    "${plugin_c[@]}" "$src"/plugin/*.h
# The core is plain C with no Wireshark types: the API groups apply, the
# dissector ones do not.  include/sipmtls.h: the shadow check is a regex
# that takes the struct member `index` for a variable shadowing index(3);
# struct members live in their own namespace in C (docs/packaging.md).
FILTER='^$' run "checkAPIs.pl core/" perl "$T/checkAPIs.pl" "${core_c[@]}"
FILTER='^$' run "checkAPIs.pl include/ (--nocheck-shadow)" \
    perl "$T/checkAPIs.pl" --nocheck-shadow "$src"/include/*.h
FILTER='^$' run "checkhf.pl plugin/" perl "$T/checkhf.pl" "${plugin_c[@]}"
FILTER='^$' run "checkfiltername.pl plugin/" perl "$T/checkfiltername.pl" "${plugin_c[@]}"
typed_args=()
for f in "${plugin_c[@]}"; do typed_args+=(--file "$f"); done
FILTER='^(Examining:|0 warnings$|(/[^ ]+\.c ?)+$)' run "check_typed_item_calls.py plugin/ (--mask --label --consecutive --missing-items)" \
    python3 "$T/check_typed_item_calls.py" --mask --label --consecutive --missing-items "${typed_args[@]}"
FILTER='^(Examining:|0 warnings found$|(/[^ ]+\.c ?)+$)' run "check_tfs.py plugin/" \
    python3 "$T/check_tfs.py" "${typed_args[@]}"

# check_static.py: which global symbols of a file nothing else refers to
# (could be static).  It reads object files where Wireshark's own build
# puts them, so lay ours out the same way: every plugin file is checked,
# every object of the project (plugin, core, report, tests) is a caller.
# Wireshark's loader finds the plugin's entry points with dlsym, not by a
# reference, so those are expected and named here.
st=$(mktemp -d)
trap 'rm -rf "$st"' EXIT
mkdir -p "$st/src/epan/dissectors" "$st/src/ui/qt" "$st/src/ui/cli" \
         "$st/build/epan/dissectors/CMakeFiles/dissectors.dir" \
         "$st/build/epan/dissectors/CMakeFiles/dissector-registration.dir" "$st/build/ui/CMakeFiles/ui.dir"
objs=$(find "$build/CMakeFiles" "$build/tests/CMakeFiles" -name '*.c.o' ! -path '*/CMakeTmp/*' 2>/dev/null)
[ -n "$objs" ] || { echo "no object files under $build: build it first" >&2; exit 2; }
for o in $objs; do
    b=$(basename "$o" .o)
    case "$o" in
    */sipmtls.dir/plugin/*)
        cp "$src/plugin/$b" "$st/src/epan/dissectors/$b"
        ln -s "$o" "$st/build/epan/dissectors/CMakeFiles/dissectors.dir/$b.o" ;;
    esac
    # plugin.c registers the plugin, as the generated dissectors.c does in Wireshark
    case "$o" in */sipmtls.dir/plugin/plugin.c.o)
        ln -s "$o" "$st/build/epan/dissectors/CMakeFiles/dissector-registration.dir/dissectors.c.o" ;;
    esac
    # callers: one uniquely named source and object each
    u=$(printf '%s' "$o" | md5sum | cut -c1-8)-$b
    : > "$st/src/ui/$u"
    ln -s "$o" "$st/build/ui/CMakeFiles/ui.dir/$u.o"
done
static_args=()
for f in "$st"/src/epan/dissectors/*.c; do static_args+=(--file "epan/dissectors/$(basename "$f")"); done
entry='plugin_(register|describe|version|want_major|want_minor)'
ws_static() { cd "$st/src" && python3 "$T/check_static.py" --build "$st/build" "${static_args[@]}"; }
FILTER="^(Examining:|(epan/dissectors/[^ ]+\\.c ?)+\$|[0-9]+ issues found\$)|^epan/dissectors/plugin\\.c \\([0-9a-f]* [TDR] $entry\\) is not referred to" \
    run "check_static.py plugin/ (entry points $entry found by dlsym)" ws_static

# check_spelling.py needs pyspellchecker, which Debian does not package.
echo "SKIP  check_spelling.py (needs pyspellchecker, not in Debian: docs/packaging.md#checks)"
exit "$failed"
