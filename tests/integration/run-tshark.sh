#!/bin/bash
# run-tshark.sh [--exec PROGRAM] PLUGIN_SO -- ARGS...
#
# Runs the stock tshark (or PROGRAM, e.g. sipmtls-report, which runs tshark
# itself) with a freshly built sipmtls.so loaded, without touching any
# plugin folder of the system or of a user.
#
# tshark run as root ignores WIRESHARK_PLUGIN_DIR and per-user plugins, so
# as root this runs tshark as the unprivileged user nobody (65534).  The
# plugin is staged in a private, world-readable folder laid out as
# Wireshark expects (X.Y/epan/sipmtls.so), since the build tree may sit
# where nobody cannot read (a checkout under /root).  Files named on the
# command line must be readable by that user: see stage_file in golden.sh.
# PLUGIN_SO "none" runs the stock tshark alone, the same way (for
# comparisons, e.g. tests/fuzz/memory.sh).
#
# A plugin built with SIPMTLS_SANITIZE=ON runs inside the stock tshark with
# the sanitizer runtimes it links preloaded (ASan must come first), leak
# detection off (tshark's own leaks at exit are not ours), and wmem handing
# out one malloc per allocation so ASan sees overruns of packet and file
# scope memory.  SIPMTLS_ASAN_OPTIONS and SIPMTLS_UBSAN_OPTIONS replace the
# defaults below.  SIPMTLS_EXTRA_ENV adds NAME=VALUE words (no spaces in a
# value) to the environment.  SIPMTLS_TSHARK_WRAPPER puts a command before
# tshark (words, e.g. "valgrind --tool=memcheck"; tests/fuzz/valgrind.sh).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

program=
if [ "${1:-}" = "--exec" ]; then
    program=$2
    shift 2
fi
plugin_so=$1
shift
[ "${1:-}" = "--" ] && shift

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-run.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/plugins" "$stage/home"
if [ "$plugin_so" != none ]; then
    ws_version=$(basename "$(dirname "$(dirname "$plugin_so")")")
    mkdir -p "$stage/plugins/$ws_version/epan"
    cp "$plugin_so" "$stage/plugins/$ws_version/epan/sipmtls.so"
fi
run=(${SIPMTLS_TSHARK_WRAPPER:-} tshark)
if [ -n "$program" ]; then
    cp "$program" "$stage/"
    run=("$stage/$(basename "$program")")
fi
chmod -R a+rX "$stage"
chmod a+rwx "$stage/home"

# A clean environment: no user preferences, no colour, fixed time zone.
run_env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$stage/home" TZ=UTC LC_ALL=C.UTF-8
         WIRESHARK_PLUGIN_DIR="$stage/plugins" WIRESHARK_CONFIG_DIR="$stage/home/config")
runtimes=
[ "$plugin_so" = none ] || runtimes=$(ldd "$plugin_so" | awk '$1 ~ /^lib(asan|ubsan)\.so/ { print $3 }' | sort | paste -sd:)
if [ -n "$runtimes" ]; then
    # No extcap helpers: they would inherit the preloaded runtimes, and some
    # (androiddump, through libp11-kit) deadlock at exit under ASan, which
    # hangs tshark -G plugins and capture-interface listings.
    mkdir -p "$stage/extcap"
    run_env+=(LD_PRELOAD="$runtimes" WIRESHARK_DEBUG_WMEM_OVERRIDE=simple
              WIRESHARK_EXTCAP_DIR="$stage/extcap"
              ASAN_OPTIONS="${SIPMTLS_ASAN_OPTIONS:-detect_leaks=0:halt_on_error=1:exitcode=86}"
              UBSAN_OPTIONS="${SIPMTLS_UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}")
fi
if [ -n "$runtimes" ] && [ -n "$program" ]; then
    # PROGRAM (the report, itself built with the sanitizers) starts tshark,
    # capinfos and mergecap.  Only tshark loads the plugin; capinfos with
    # the runtimes preloaded deadlocks in glibc's locale lock (ws_getopt,
    # mbtowc).  So the runtimes go to tshark alone, through a tshark first
    # in PATH.
    mkdir -p "$stage/bin"
    printf '#!/bin/sh\nLD_PRELOAD=%s exec %s "$@"\n' "$runtimes" "$(command -v tshark)" >"$stage/bin/tshark"
    chmod 755 "$stage/bin/tshark"
    for i in "${!run_env[@]}"; do
        case ${run_env[$i]} in
        PATH=*) run_env[$i]="PATH=$stage/bin:${run_env[$i]#PATH=}" ;;
        LD_PRELOAD=*) unset "run_env[$i]" ;;
        esac
    done
    run_env=("${run_env[@]}")
fi
for word in ${SIPMTLS_EXTRA_ENV:-}; do
    [[ $word == [A-Za-z_]*=* ]] || { echo "run-tshark.sh: SIPMTLS_EXTRA_ENV: not NAME=VALUE: $word" >&2; exit 2; }
    run_env+=("$word")
done
if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "${run_env[@]}" "${run[@]}" "$@"
else
    "${run_env[@]}" "${run[@]}" "$@"
fi
