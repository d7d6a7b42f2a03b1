#!/bin/bash
# info-column.sh PLUGIN_SO CAPTURES
#
# sipmtls's Info tags are in the Info column's field, one pass and two,
# because sipmtls draws when TCP returns, not as a post-dissector (from
# Wireshark 4.2 on, _ws.col.info is filled before post-dissectors run):
# `tshark -e _ws.col.info` shows them on every release, and from 4.2 on a
# display filter on _ws.col.info finds them (4.0 cannot filter on
# columns).  docs/warnings.md says so.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1 captures=$2

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-info.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp "$captures/tls12-required-clientauth.pcapng" "$stage/"
chmod -R a+rX "$stage"
cap=$stage/tls12-required-clientauth.pcapng

tshark() { "$here/run-tshark.sh" "$plugin_so" -- "$@" 2>/dev/null; }
field=_ws.col.info filterable=1
if tshark --version | grep -q 'Wireshark) 4\.0\.'; then
    field=_ws.col.Info filterable=0
fi

failed=0
want=$'7\t[mTLS requested] Certificate, Server Key Exchange, Certificate Request, Server Hello Done
11\t[clientAuth cert] Certificate, Client Key Exchange, Certificate Verify, Change Cipher Spec, Encrypted Handshake Message
16\t[clientAuth accepted] Application Data'
for pass in "" "-2"; do
    got=$(tshark $pass -r "$cap" -Y sipmtls -T fields -e frame.number -e "$field")
    if [ "$got" != "$want" ]; then
        echo "FAILED: -e $field ${pass:-(one pass)}: got"$'\n'"$got" >&2
        failed=1
    else
        echo "ok - -e $field ${pass:-(one pass)}: the tags of frames 7, 11, 16"
    fi
    if [ "$filterable" = 1 ]; then
        got=$(tshark $pass -r "$cap" -Y "$field contains \"clientAuth accepted\"" -T fields -e frame.number)
        if [ "$got" != 16 ]; then
            echo "FAILED: -Y '$field contains \"clientAuth accepted\"' ${pass:-(one pass)}: got '$got', not 16" >&2
            failed=1
        else
            echo "ok - -Y '$field contains \"clientAuth accepted\"' ${pass:-(one pass)}: frame 16"
        fi
    fi
done
exit "$failed"
