#!/bin/bash
# check.sh - what CI checks of the benchmark, without running it (running
# it needs root, a network namespace and minutes): its scripts parse, and
# the Lua post-dissector it compares sipmtls with still loads and marks,
# on committed captures, exactly the frames the equivalent stock display
# filter marks.  Exits 77 (skipped) when python3 is missing.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=/usr/bin/python3
[ -x "$python" ] || { echo "check.sh: no $python, skipped"; exit 77; }

bash -n "$here/make-capture.sh"
"$python" -B -c 'import ast, sys
for f in sys.argv[1:]:
    ast.parse(open(f).read(), f)' "$here"/run.py "$here"/callgrind.py "$here"/traffic.py "$here"/report.py
filter=$(cd "$here" && "$python" -B -c 'import run; print(run.EQUIVALENT_FILTER)')

# tshark run as root ignores Lua scripts: run it as nobody, from a staged,
# world-readable folder, without any plugin.
stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-bench-check.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/plugins" "$stage/home"
cp "$here/sipmtls_equiv.lua" "$stage/"
chmod -R a+rX "$stage"
chmod a+rwx "$stage/home"
tshark_as_user() {
    local env=(env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$stage/home" LC_ALL=C.UTF-8
               WIRESHARK_PLUGIN_DIR="$stage/plugins" WIRESHARK_CONFIG_DIR="$stage/home/config")
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups "${env[@]}" tshark "$@"
    else
        "${env[@]}" tshark "$@"
    fi
}

failed=0
for name in tls12-required-clientauth tls12-server-cert-clientauth tls13-required-clientauth-keyed; do
    cp "$root/captures/$name.pcapng" "$stage/"
    chmod a+r "$stage/$name.pcapng"
    lua=$(tshark_as_user -r "$stage/$name.pcapng" -X "lua_script:$stage/sipmtls_equiv.lua" \
          -Y sipmtls_lua -T fields -e frame.number | paste -sd, -)
    stock=$(tshark_as_user -r "$stage/$name.pcapng" -Y "$filter" -T fields -e frame.number | paste -sd, -)
    if [ -n "$lua" ] && [ "$lua" = "$stock" ]; then
        echo "ok: $name: sipmtls_equiv.lua and the stock filter mark frames $lua"
    else
        echo "FAIL: $name: sipmtls_equiv.lua marks '$lua', the stock filter '$stock'"
        failed=1
    fi
done
exit "$failed"
