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

# bench/callgrind.py preloads fixed_random.c into tshark, so that every run
# hashes alike: it must build without warnings and take the place of
# GLib's g_random_int() (the first two numbers of its sequence).
glib_cflags=$(pkg-config --cflags glib-2.0)
# shellcheck disable=SC2086  # the flags are words
cc -O2 -fPIC -shared -Wall -Wextra -Werror $glib_cflags -o "$stage/fixed_random.so" "$here/fixed_random.c"
printf '%s\n' '#include <glib.h>' '#include <stdio.h>' \
    'int main(void) { guint32 a = g_random_int(); printf("%u %u\n", a, g_random_int()); return 0; }' >"$stage/random.c"
# shellcheck disable=SC2086,SC2046
cc $glib_cflags -o "$stage/random" "$stage/random.c" $(pkg-config --libs glib-2.0)
want=$("$python" -c 's = 0x9e3779b9
a = (s * 1664525 + 1013904223) % 2**32
print(a, (a * 1664525 + 1013904223) % 2**32)')
got=$(LD_PRELOAD="$stage/fixed_random.so" "$stage/random")
if [ "$got" = "$want" ]; then
    echo "ok: fixed_random.c gives g_random_int() the sequence $got"
else
    echo "FAIL: with fixed_random.c, g_random_int() gave '$got', not '$want'"
    failed=1
fi

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
