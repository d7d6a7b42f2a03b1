#!/bin/bash
# ring-buffer.sh REPORT PLUGIN_SO CAPTURES_DIR
#
# Several files, one answer.  A real capture (tls12-required-clientauth:
# request in frame 7, the client's certificate in frame 11, the verdict in
# frame 16) is split the way dumpcap's ring buffer would cut it, with
# editcap -c:
#   * after frame 12, inside the handshake: the outcome is in the second
#     file, the request and the certificate in the first; read together in
#     time order they give the one verdict of the whole capture (3), with
#     frames given back to the file each is in;
#   * after frame 20, after the verdict: the second file only continues the
#     connection; it adds nothing and takes nothing away.
# Files named in any order, or as a folder, give the same report; one tshark
# or two at a time give the same report.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
report=$1 plugin=$2 captures=$(cd "$3" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-ring.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
failures=0

mkdir "$work/inside" "$work/after"
editcap -c 12 "$captures/tls12-required-clientauth.pcapng" "$work/inside/ring.pcapng"
editcap -c 20 "$captures/tls12-required-clientauth.pcapng" "$work/after/ring.pcapng"
chmod -R a+rX "$work"
inside=("$work"/inside/ring_*.pcapng) after=("$work"/after/ring_*.pcapng)
[ ${#inside[@]} = 2 ] && [ ${#after[@]} = 2 ] || { echo "FAILED: editcap -c made ${#inside[@]} and ${#after[@]} files" >&2; exit 1; }

run() {   # run NAME ARGS...: stdout in $work/NAME, exit status in $status
    local name=$1
    shift
    status=0
    SIPMTLS_EXTRA_ENV="SIPMTLS_REPORT_NO_PROGRESS=1" \
        "$here/../integration/run-tshark.sh" --exec "$report" "$plugin" -- "$@" >"$work/out-$name" 2>&1 || status=$?
}
want() {   # want NAME STATUS LINE
    if [ "$status" != "$2" ] || ! grep -qxF -- "$3" "$work/out-$1"; then
        echo "FAILED: $1: exit $status (want $2); want the line: $3" >&2
        cat "$work/out-$1" >&2
        failures=$((failures + 1))
    fi
}

# Each half alone cannot answer; together they are the whole capture.
run inside-first "${inside[0]}"
status_first=$status
[ "$status_first" = 4 ] || { echo "FAILED: the first half alone: exit $status_first, want 4" >&2; failures=$((failures + 1)); }
run inside --jobs 2 "${inside[@]}"
want inside 3 "127.0.0.1:5061  (1 connection) - fix now"
want inside 3 "    evidence: ${inside[1]} frame 4 (request 7, answer 11 in ${inside[0]})"
want inside 3 "    1 x Client certificate with clientAuth accepted"
run inside-reversed --jobs 1 "${inside[1]}" "${inside[0]}"
want inside-reversed 3 "    evidence: ${inside[1]} frame 4 (request 7, answer 11 in ${inside[0]})"
run inside-folder "$work/inside"
want inside-folder 3 "    evidence: ${inside[1]} frame 4 (request 7, answer 11 in ${inside[0]})"
if ! diff <(grep -v '^sipmtls report for' "$work/out-inside") <(grep -v "^sipmtls report for" "$work/out-inside-reversed") >&2; then
    echo "FAILED: the order of the files or --jobs changes the report" >&2
    failures=$((failures + 1))
fi

run after "${after[@]}"
want after 3 "127.0.0.1:5061  (1 connection) - fix now"
want after 3 "    evidence: ${after[0]} frame 16 (request 7, answer 11)"
want after 3 "    1 x Client certificate with clientAuth accepted"

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "ring buffer: one connection across two files, in time order"
