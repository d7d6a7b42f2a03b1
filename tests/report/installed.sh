#!/bin/bash
# installed.sh BUILD_DIR CAPTURES_DIR
#
# What `cmake --install` puts where, and that the INSTALLED report runs with
# the INSTALLED plugin (not the build tree's):
#   1. --prefix STAGE: STAGE/bin/sipmtls-report (mode 755),
#      STAGE/share/man/man1/sipmtls-report.1, the plugin under
#      STAGE/<Wireshark's plugin folder>/epan; the staged report, run as an
#      unprivileged user with WIRESHARK_PLUGIN_DIR at the staged plugin
#      folder, answers on a bundled capture with the documented exit status;
#   2. DESTDIR=D --prefix /usr (a package): D/usr/bin, D/usr/share/man and
#      Wireshark's system plugin folder under D;
#   3. a user's own install (no --prefix, not root): ~/.local/bin,
#      ~/.local/share/man, ~/.local/lib/wireshark/plugins/X.Y/epan, and the
#      report found there by tshark without any environment variable.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

build=$(cd "$1" && pwd) captures=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-installed.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
failures=0
fail() { echo "FAILED: $*" >&2; failures=$((failures + 1)); }
as_user() {   # runs as nobody when root
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    else
        "$@"
    fi
}
check_mode() {   # check_mode FILE MODE
    local m
    if [ ! -e "$1" ]; then fail "$1 not installed"; return; fi
    m=$(stat -c %a "$1")
    [ "$m" = "$2" ] || fail "$1 has mode $m, not $2"
}
ws=$(ls "$build/plugins")

cp "$captures/tls12-required-serverauth-only.pcapng" "$work/capture.pcapng"
chmod 644 "$work/capture.pcapng"

# 1. A staging prefix.
stage=$work/stage
cmake --install "$build" --prefix "$stage" >"$work/install.log"
check_mode "$stage/bin/sipmtls-report" 755
check_mode "$stage/share/man/man1/sipmtls-report.1" 644
plugin=$(find "$stage" -name sipmtls.so)
case "$plugin" in
    "$stage"/*/wireshark/plugins/"$ws"/epan/sipmtls.so) ;;
    *) fail "plugin installed as '$plugin', not under $stage/.../wireshark/plugins/$ws/epan" ;;
esac
chmod -R a+rX "$work"
mkdir -m 777 "$work/home"
status=0
as_user env -i PATH=/usr/bin:/bin HOME="$work/home" LC_ALL=C.UTF-8 \
    WIRESHARK_PLUGIN_DIR="$(dirname "$(dirname "$(dirname "$plugin")")")" \
    "$stage/bin/sipmtls-report" "$work/capture.pcapng" >"$work/out" 2>&1 || status=$?
[ "$status" = 3 ] || fail "staged report: exit status $status, not 3 (fix now)"
grep -q '^Answer (exit status 3, --fail-on request): FIX NOW: 1 endpoint relies on clientAuth or rejects' "$work/out" \
    || { fail "staged report: no FIX NOW answer"; cat "$work/out" >&2; }
grep -q 'alert unsupported_certificate' "$work/out" || fail "staged report: no alert named"
as_user env -i PATH=/usr/bin:/bin HOME="$work/home" \
    WIRESHARK_PLUGIN_DIR="$(dirname "$(dirname "$(dirname "$plugin")")")" \
    "$stage/bin/sipmtls-report" --version >"$work/version" 2>&1 || fail "staged --version failed: $(cat "$work/version")"
grep -q "^sipmtls plugin .*($plugin)" "$work/version" || { fail "--version does not name the staged plugin"; cat "$work/version" >&2; }
man -l "$stage/share/man/man1/sipmtls-report.1" 2>/dev/null | grep -q 'EXIT STATUS' \
    || { command -v man >/dev/null && fail "the installed man page has no EXIT STATUS"; }

# 2. A package's layout.
DESTDIR=$work/dest cmake --install "$build" --prefix /usr >"$work/install-dest.log"
check_mode "$work/dest/usr/bin/sipmtls-report" 755
check_mode "$work/dest/usr/share/man/man1/sipmtls-report.1" 644
sys_plugin=$(find "$work/dest" -name sipmtls.so)
case "$sys_plugin" in
    "$work/dest"/usr/lib/*wireshark/plugins/"$ws"/epan/sipmtls.so) ;;
    *) fail "DESTDIR plugin installed as '$sys_plugin'" ;;
esac

# 3. A user's own install, as a user (nobody when run as root).  The
# install manifest is written into the build tree: make it writable.
if [ "$(id -u)" = 0 ]; then
    touch "$build/install_manifest.txt" && chmod 666 "$build/install_manifest.txt"
fi
mkdir -p "$work/user" && chmod 777 "$work/user"
as_user env -i PATH=/usr/bin:/bin HOME="$work/user" cmake --install "$build" >"$work/install-user.log" 2>&1 \
    || { fail "per-user install failed"; cat "$work/install-user.log" >&2; }
check_mode "$work/user/.local/bin/sipmtls-report" 755
check_mode "$work/user/.local/share/man/man1/sipmtls-report.1" 644
[ -f "$work/user/.local/lib/wireshark/plugins/$ws/epan/sipmtls.so" ] || fail "per-user plugin missing"
status=0
as_user env -i PATH="$work/user/.local/bin:/usr/bin:/bin" HOME="$work/user" LC_ALL=C.UTF-8 \
    sipmtls-report "$work/capture.pcapng" >"$work/out-user" 2>&1 || status=$?
[ "$status" = 3 ] || { fail "per-user report: exit status $status, not 3"; cat "$work/out-user" >&2; }

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "installed: staging prefix, DESTDIR and per-user installs all run"
