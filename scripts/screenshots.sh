#!/bin/bash
# screenshots.sh [--check-only] [--plugin SIPMTLS_SO] [--timeout SECONDS] [--keep]
#
# Screenshots of the real Wireshark GUI with sipmtls, for docs/images/, and
# a check that the GUI paths the documentation describes work.
#
# Starts a private Xvfb (a display number of its own, an authorization
# cookie), runs Debian's `wireshark` as the unprivileged user nobody (65534)
# with the built plugin staged as run-tshark.sh does, on
# captures/all-merged.pcapng with its key log, and lets
# scripts/screenshots-gui.py drive it through the accessibility bus
# (AT-SPI): no pixel coordinates, no OCR.  That driver checks, and fails
# when one check fails:
#
#   - tshark with the same environment lists the staged sipmtls.so
#     (-G plugins), and the running wireshark process has it mapped;
#   - the packet list holds the frames of the display filter `sipmtls`;
#   - the sipmtls subtree of the first rejection (sipmtls.rejected) is
#     expanded and visible in the packet details, every line of it as
#     tshark -V shows it;
#   - Analyze > Expert Information lists sipmtls's entries: each summary is
#     one the plugin registers, the totals per severity are those of
#     `tshark -2 -z expert`;
#   - Statistics > SIP-TLS Mutual TLS opens and counts what
#     `tshark -2 -z sipmtls,tree` counts;
#   - the profile "SIP-TLS mTLS audit", installed by `cmake --install` of
#     the plugin's build tree (into a DESTDIR of the stage), opened with
#     `wireshark -C` on the capture filtered on verdicts, has the Verdict,
#     Severity, TLS server and TLS client columns, and the Verdict column
#     names each verdict as tshark -V does;
#   - every screenshot has the window's size and is not blank.
#
# Without --check-only it then writes docs/images/wireshark-*.png (PNG,
# 256 colours).  --check-only does all of the above in a temporary folder
# and leaves docs/images/ alone (the ctest test docs/screenshots).
# --keep keeps the temporary folder (screenshots, wireshark's log).
# SIPMTLS_SCREENSHOT_TIMEOUT (seconds, default 240) bounds the GUI session;
# SIPMTLS_SCREENSHOT_ENV adds VAR=value words to its environment, e.g.
# QT_LOGGING_RULES=qt.accessibility.atspi*=true to see Qt's side.
#
# Needs the `test` group of scripts/packages.txt (scripts/install-deps.sh test).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# The system's tools, not wrappers that may sit in /usr/local.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

check_only=0 keep=0 plugin_so='' limit=${SIPMTLS_SCREENSHOT_TIMEOUT:-240}
while [ $# -gt 0 ]; do
    case "$1" in
    --check-only) check_only=1 ;;
    --keep) keep=1 ;;
    --plugin) plugin_so=$2; shift ;;
    --timeout) limit=$2; shift ;;
    -h|--help) sed -n '2,/^# SPDX/{/^# SPDX/d;p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "screenshots.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

fail() { echo "screenshots.sh: $*" >&2; exit 1; }

missing=()
for tool in Xvfb xauth xdotool xprop xwininfo import convert identify wireshark tshark dbus-run-session dbus-send \
            python3; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -x /usr/libexec/at-spi-bus-launcher ] || missing+=(at-spi-bus-launcher)
python3 -c 'import pyatspi' 2>/dev/null || missing+=(python3-pyatspi)
if [ ${#missing[@]} -gt 0 ]; then
    fail "missing ${missing[*]}: run scripts/install-deps.sh test"
fi

# The plugin built for the installed Wireshark (build/plugins/X.Y/epan/).
ws_version=$(tshark --version 2>/dev/null | sed -n -E '1s/.* ([0-9]+\.[0-9]+)\.[0-9]+.*/\1/p')
[ -n "$plugin_so" ] || plugin_so=$root/build/plugins/$ws_version/epan/sipmtls.so
[ -f "$plugin_so" ] || fail "no plugin at $plugin_so: build first, or name it with --plugin"
plugin_version=$(basename "$(dirname "$(dirname "$plugin_so")")")
[ "$plugin_version" = "$ws_version" ] ||
    fail "$plugin_so is built for Wireshark $plugin_version, the installed one is $ws_version"

capture=$root/captures/all-merged.pcapng
keys=$root/captures/keys/all-merged.keys

# ---- the stage: everything nobody must read, in one private folder ----------
stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-shots.XXXXXX")
xvfb_pid='' session_pid=''
cleanup() {
    local rc=$?
    [ -z "$session_pid" ] || kill -KILL "$session_pid" 2>/dev/null || true
    if [ -n "$xvfb_pid" ]; then
        kill "$xvfb_pid" 2>/dev/null || true
        wait "$xvfb_pid" 2>/dev/null || true
    fi
    if [ "$keep" = 1 ]; then
        echo "screenshots.sh: kept $stage" >&2
    else
        rm -rf "$stage"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$stage/plugins/$ws_version/epan" "$stage/home" "$stage/out" "$stage/capture"
# The profile as cmake --install installs it (the build tree holds the
# plugin at BUILD/plugins/X.Y/epan/sipmtls.so).
build=$(cd "$(dirname "$plugin_so")/../../.." && pwd)
DESTDIR="$stage/install" cmake --install "$build" > "$stage/out/install.log" 2>&1 ||
    fail "cmake --install $build failed: $(tail -n3 "$stage/out/install.log")"
profile_dir=$(find "$stage/install" -type d -name "SIP-TLS mTLS audit" | head -n1)
[ -n "$profile_dir" ] || fail "cmake --install $build installed no profile \"SIP-TLS mTLS audit\""
cp "$plugin_so" "$stage/plugins/$ws_version/epan/sipmtls.so"
cp "$capture" "$keys" "$stage/capture/"
cp "$here/screenshots-gui.py" "$stage/"
chmod -R a+rX "$stage"
chmod a+rwx "$stage/home" "$stage/out"
mkdir -m 700 "$stage/home/run"          # XDG_RUNTIME_DIR: the D-Bus sockets
[ "$(id -u)" != 0 ] || chown 65534:65534 "$stage/home/run"

# ---- a private X server -----------------------------------------------------
# Xvfb picks a free display number itself (-displayfd); the cookie is a
# wildcard entry (family ffff, no display number), so it fits whatever
# number Xvfb chose.
cookie=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
: > "$stage/Xauthority"
echo "ffff 0000  0000  0012 4d49542d4d414749432d434f4f4b49452d31 0010 $cookie" |
    xauth -q -f "$stage/Xauthority" nmerge -
chmod a+r "$stage/Xauthority"
screen=2560x1600x24
exec 8> "$stage/display"
Xvfb -displayfd 8 -screen 0 "$screen" -nolisten tcp -noreset -auth "$stage/Xauthority" \
    > "$stage/out/xvfb.log" 2>&1 &
xvfb_pid=$!
exec 8>&-
for _ in $(seq 100); do
    [ -s "$stage/display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || fail "Xvfb did not start: $(cat "$stage/out/xvfb.log")"
    sleep 0.1
done
display=:$(head -n1 "$stage/display")
[ "$display" != ":" ] || fail "Xvfb gave no display number"

# ---- the GUI session --------------------------------------------------------
# As root: as nobody, in a PID namespace of its own, so that wireshark, the
# D-Bus daemons and the accessibility registry all end with it.
read -r -a extra_env <<<"${SIPMTLS_SCREENSHOT_ENV:-}"
session_env=(env -i PATH="$PATH" HOME="$stage/home" TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
             DISPLAY="$display" XAUTHORITY="$stage/Xauthority"
             WIRESHARK_PLUGIN_DIR="$stage/plugins" WIRESHARK_CONFIG_DIR="$stage/home/config"
             XDG_RUNTIME_DIR="$stage/home/run" XDG_CONFIG_HOME="$stage/home/xdg"
             QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_ACCESSIBILITY=1 "${extra_env[@]}")
driver=(python3 "$stage/screenshots-gui.py"
        --capture "$stage/capture/$(basename "$capture")" --keys "$stage/capture/$(basename "$keys")"
        --out "$stage/out" --profile-dir "$profile_dir")
if [ "$(id -u)" = 0 ]; then
    run=(unshare --pid --mount-proc --fork --kill-child
         setpriv --reuid=65534 --regid=65534 --clear-groups "${session_env[@]}")
else
    run=("${session_env[@]}")
fi
echo "screenshots.sh: Wireshark $ws_version on $display, plugin $plugin_so"
status=0
timeout --kill-after=10 "$limit" "${run[@]}" dbus-run-session -- "${driver[@]}" &
session_pid=$!
wait "$session_pid" || status=$?
session_pid=''
if [ "$status" = 124 ]; then
    fail "timed out after ${limit}s (rerun with --keep to read wireshark's log)"
elif [ "$status" != 0 ]; then
    [ "$keep" = 1 ] || echo "screenshots.sh: rerun with --keep to look at $stage/out" >&2
    fail "a check failed (status $status)"
fi

images=(wireshark-packet-list wireshark-packet-details wireshark-expert-info wireshark-statistics
        wireshark-profile)
for name in "${images[@]}"; do
    size=$(stat -c %s "$stage/out/$name.png")
    [ "$size" -le 307200 ] || fail "$name.png is $size bytes, more than 300 KB"
done
if [ "$check_only" = 1 ]; then
    echo "screenshots.sh: all checks passed (--check-only: docs/images/ left alone)"
    exit 0
fi
mkdir -p "$root/docs/images"
for name in "${images[@]}"; do
    cp "$stage/out/$name.png" "$root/docs/images/$name.png"
    echo "wrote docs/images/$name.png"
done
