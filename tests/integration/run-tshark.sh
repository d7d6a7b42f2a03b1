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

ws_version=$(basename "$(dirname "$(dirname "$plugin_so")")")
stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-run.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/plugins/$ws_version/epan" "$stage/home"
cp "$plugin_so" "$stage/plugins/$ws_version/epan/sipmtls.so"
run=(tshark)
if [ -n "$program" ]; then
    cp "$program" "$stage/"
    run=("$stage/$(basename "$program")")
fi
chmod -R a+rX "$stage"
chmod a+rwx "$stage/home"

# A clean environment: no user preferences, no colour, fixed time zone.
run_env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$stage/home" TZ=UTC LC_ALL=C.UTF-8
         WIRESHARK_PLUGIN_DIR="$stage/plugins" WIRESHARK_CONFIG_DIR="$stage/home/config"
         ${SIPMTLS_EXTRA_ENV:-})
if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=65534 --regid=65534 --clear-groups "${run_env[@]}" "${run[@]}" "$@"
else
    "${run_env[@]}" "${run[@]}" "$@"
fi
