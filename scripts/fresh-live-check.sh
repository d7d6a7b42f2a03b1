#!/usr/bin/env bash
# fresh-live-check.sh: the release check of `sipmtls-report --live` on a
# fresh bookworm machine, the way a new user gets there.
#
#   sudo scripts/fresh-live-check.sh [--repo DIR] [--keep] [--transcript FILE]
#
# In a throwaway copy of the pristine bookworm root of .ci/package.sh
# (debootstrap minbase, cached under $SIPMTLS_PACKAGE_CACHE; made with
# `.ci/package.sh --prepare-only --suites bookworm` when missing; the cached
# root is never changed), a user `tester` who may use sudo (what a Debian
# install with a user account gives), and `git clone` of DIR (default: this
# checkout) in their home.  As tester:
#
#   1. the README's first command, as written: scripts/quickstart.sh
#      (Debian's archive through this machine's apt sources);
#   2. the course's exercise (docs/course.md, 12): scripts/live-lab.sh
#      start / report / call / stop with sudo, for each server (requires a
#      client certificate, asks for one, asks for none) and client
#      certificate; the verdict, the exit status, and the --write capture
#      read back with `sipmtls-report FILE`; --count 2; --duration; TLS 1.3
#      with --keylog;
#   3. tester's own `sipmtls-report --live lo` in the namespace (no sudo for
#      the report): without the right to capture (what to do, exit 2); then
#      with it, as the user guide says (dpkg-reconfigure wireshark-common,
#      the wireshark group, a new login): --first during a call; an unknown
#      interface (exit 2, the list); silence (exit 4, the ports watched).
#
# Network traffic stays on loopback in network namespaces this script
# creates (sipmtls-i18-fresh*), deleted at the end; only apt reaches
# Debian's archive.  Every step is bounded in time; the whole check takes
# 3-4 minutes here (mostly apt and the build).  Prints a transcript (the
# commands as the user types them, what they printed, their exit status)
# and a PASS/FAIL line per check; exits 0 when all pass, 1 otherwise,
# 2 when it cannot run, 77 when Debian's archive cannot be reached.  Needs
# root.  .ci/run runs it; docs/live-check.md shows a transcript.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
SELF=$(readlink -f "${BASH_SOURCE[0]}")
SRC_DIR=$(cd "$(dirname "$SELF")/.." && pwd -P)

# ==== inside the fresh root (as root, in its own PID and mount namespaces) =====
if [[ ${1:-} == --inside ]]; then
    NS=sipmtls-i18-fresh
    T=/home/tester
    fails=0 checks=0
    export LANG=C.UTF-8
    say() { printf '%s\n' "$*"; }
    check() {   # check NAME CONDITION...: a PASS or FAIL line
        local name=$1; shift
        checks=$((checks + 1))
        if "$@"; then say "PASS: $name"; else say "FAIL: $name"; fails=$((fails + 1)); fi
    }
    # as_tester CMD: CMD in a login shell of tester's (~/.profile read: ~/.local/bin on PATH once it exists)
    as_tester() { runuser -l tester -c "cd $T/sipmtls && $1"; }
    # run LABEL TIMEOUT CMD: CMD as tester, shown as typed; output in /tmp/LABEL.{out,err}; $rc
    run() {
        local label=$1 secs=$2 cmd=$3 t0=$SECONDS
        say ""
        say "tester\$ $cmd"
        rc=0
        timeout "$secs" runuser -l tester -c "cd $T/sipmtls && $cmd" > "/tmp/$label.out" 2> "/tmp/$label.err" < /dev/null || rc=$?
        sed 's/^/  | /' "/tmp/$label.out"
        sed 's/^/  ! /' "/tmp/$label.err"
        say "  (exit status $rc, $((SECONDS - t0)) s)"
    }
    has() { grep -Eq -- "$2" "/tmp/$1.out" "/tmp/$1.err"; }
    # same LIVE FILE: the summaries (from "sipmtls report for" on) but their first line
    same() {
        diff -u <(sed -n '/^sipmtls report for/,$p' "/tmp/$1.out" | sed 1d) \
                <(sed -n '/^sipmtls report for/,$p' "/tmp/$2.out" | sed 1d) >&2
    }
    # read_back NAME LIVE RC FILE [OPTIONS]: the report on the capture a live
    # run kept answers as that run did: the same exit status and summary
    read_back() {
        run "$1" 120 "sipmtls-report ${5:+$5 }$4"
        check "$4 read back${5:+ with $5}: exit $3 too" test "$rc" = "$3"
        check "$4 read back${5:+ with $5}: the same summary as live" same "$2" "$1"
    }
    lab() { printf 'sudo SIPMTLS_LAB_NS=%s scripts/live-lab.sh %s' "$NS" "$*"; }
    # live_call LABEL SERVER CALLS 'REPORT OPTIONS' [REPORT COMMAND]: start the lab's
    # server, the report in the background (the lab's, or the command), each
    # call (words joined by _) once it waits, then the report's end
    live_call() {
        local label=$1 server=$2 call=$3 ropts=$4 i
        local rcmd=${5:-$(lab report $ropts)}
        run "$label-start" 30 "$(lab start $server)"
        say ""
        say "tester\$ $rcmd &"
        rc=0
        ( timeout 60 runuser -l tester -c "cd $T/sipmtls && $rcmd" \
              > "/tmp/$label.out" 2> "/tmp/$label.err" < /dev/null ) &
        local pid=$!
        for ((i = 0; i < 300; i++)); do
            grep -q 'place a test call now' "/tmp/$label.err" 2>/dev/null && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        for c in $call; do run "$label-call" 30 "$(lab call ${c//_/ })"; done
        wait "$pid" || rc=$?
        say "  (the report, started above, printed:)"
        sed 's/^/  | /' "/tmp/$label.out"
        sed 's/^/  ! /' "/tmp/$label.err"
        say "  (exit status $rc)"
        live_rc=$rc
        run "$label-stop" 30 "$(lab stop)"
    }

    say "== the machine: $(. /etc/os-release; echo "$PRETTY_NAME"), user tester (sudo), $T/sipmtls: git clone of $2"

    # 1. the README's first command
    qs=$(sed -n '/^```sh$/,/^```$/p' "$T/sipmtls/README.md" | sed -n '2p' | sed 's/[[:space:]]*#.*//')
    run quickstart 900 "$qs"
    check "quickstart ($qs): exit 0" test "$rc" = 0
    check "quickstart: sipmtls-report on the bundled capture names 127.0.0.1:5061" has quickstart '127\.0\.0\.1:5061'

    # 2. the course's exercise, with sudo
    live_call required-serverauth required serverauth "--first --write call.pcapng"
    check "required + serverauth: Rejected, exit 3" \
        sh -c '[ '"$live_rc"' = 3 ] && grep -q "^  verdict: Rejected: alert unsupported_certificate$" /tmp/required-serverauth.out'
    check "--first: stopped at the first settled handshake" has required-serverauth '^capture stopped: first handshake settled'
    check "--write: call.pcapng kept, tester's" sh -c "[ \"\$(stat -c %U $T/sipmtls/call.pcapng)\" = tester ]"
    read_back readback required-serverauth 3 call.pcapng
    check "call.pcapng read back: Rejected too" has readback '1 x Rejected'
    check "live: the request's and the answer's frames" \
        grep -Eq '^  evidence: frame [0-9]+ \(request [0-9]+, answer [0-9]+\)$' /tmp/required-serverauth.out
    check "live: the certificate's issuer" \
        grep -q '^  client certificate: CN=trunk.carrier.example,O=Example Carrier, issued by CN=sipmtls Test Issuing CA,O=sipmtls test PKI$' /tmp/required-serverauth.out

    live_call required-clientauth required clientauth "--first"
    check "required + clientauth: accepted, exit 3" \
        sh -c '[ '"$live_rc"' = 3 ] && grep -q "^  verdict: Client certificate with clientAuth accepted$" /tmp/required-clientauth.out'

    live_call none-serverauth none serverauth "--first --write none.pcapng"
    check "none: No client certificate requested, exit 0" \
        sh -c '[ '"$live_rc"' = 0 ] && grep -q "^  verdict: No client certificate requested$" /tmp/none-serverauth.out'
    read_back readback-none none-serverauth 0 none.pcapng

    live_call optional-none optional none "--first --write optional.pcapng"
    check "optional + no certificate: optional, exit 1" \
        sh -c '[ '"$live_rc"' = 1 ] && grep -q "^  verdict: Client certificate requested, none sent, handshake went on (optional)$" /tmp/optional-none.out'
    read_back readback-optional optional-none 1 optional.pcapng

    live_call count none "serverauth serverauth" "--count 2 --duration 40"
    check "--count 2: two handshakes, exit 0" \
        sh -c '[ '"$live_rc"' = 0 ] && [ "$(grep -c "^handshake settled" /tmp/count.out)" = 2 ]'

    live_call tls13 "required 1.3" "clientauth_1.3_/tmp/keys.txt" "--first --keylog /tmp/keys.txt --write tls13.pcapng"
    check "TLS 1.3 with --keylog (written by the client once it connects): accepted, exit 3" \
        sh -c '[ '"$live_rc"' = 3 ] && grep -q "^  verdict: Client certificate with clientAuth accepted$" /tmp/tls13.out'
    read_back readback-tls13 tls13 3 tls13.pcapng "--keylog /tmp/keys.txt"

    live_call duration required "" "--duration 3"
    check "--duration 3, no call: exit 4, the ports watched" \
        sh -c '[ '"$live_rc"' = 4 ] && grep -q "no traffic on TCP port 5061 on lo in 3 s" /tmp/duration.err'

    # 3. tester's own report, in a namespace, without sudo for the report
    ip netns add "$NS-user"
    ip netns exec "$NS-user" ip link set lo up
    inns() { printf 'sudo ip netns exec %s runuser -u tester -- ~/.local/bin/%s' "$NS-user" "$*"; }
    say ""
    say "(a namespace $NS-user with loopback only; in it, tester's shell: $(inns sipmtls-report ...))"
    run noperm 60 "$(inns sipmtls-report --live lo --first --duration 10)"
    check "no permission to capture: exit 2, what to do" \
        sh -c '[ '"$rc"' = 2 ] && grep -q "no permission to capture" /tmp/noperm.err && grep -q "usermod -a -G wireshark" /tmp/noperm.err'
    # what the message says to do
    run grant 120 "echo 'wireshark-common wireshark-common/install-setuid boolean true' | sudo debconf-set-selections && sudo DEBIAN_FRONTEND=noninteractive dpkg-reconfigure wireshark-common && sudo usermod -a -G wireshark tester"
    check "dpkg-reconfigure wireshark-common, usermod: exit 0" test "$rc" = 0
    # the lab's server; tester's own report in its namespace, no sudo for the report
    live_call user-first required serverauth "" \
        "sudo ip netns exec $NS runuser -u tester -- ~/.local/bin/sipmtls-report --live lo --first --write user.pcapng"
    check "tester's own --live lo --first (the wireshark group): Rejected, exit 3" \
        sh -c '[ '"$live_rc"' = 3 ] && grep -q "^  verdict: Rejected: alert unsupported_certificate$" /tmp/user-first.out'
    check "tester's own: no sudo note (dumpcap captures as tester)" sh -c '! grep -q "captures as root" /tmp/user-first.err'
    read_back readback-user user-first 3 user.pcapng
    run noiface 60 "$(inns sipmtls-report --live sipmtls-none0 --duration 5)"
    check "unknown interface: exit 2, the list" \
        sh -c '[ '"$rc"' = 2 ] && grep -q "no such interface" /tmp/noiface.err && grep -Eq "^    [0-9]+\. lo" /tmp/noiface.err'
    run silence 60 "$(inns sipmtls-report --live lo --duration 3)"
    check "silence: exit 4, the ports watched, --ports" \
        sh -c '[ '"$rc"' = 4 ] && grep -q "no traffic on TCP port 5061 on lo in 3 s" /tmp/silence.err && grep -q -- "--ports" /tmp/silence.err'

    say ""
    say "== $checks checks, $fails failed"
    ip netns del "$NS-user" 2>/dev/null || true
    [ "$fails" = 0 ]
    exit
fi

# ==== on the host ================================================================
repo=$SRC_DIR keep= transcript=
while (($#)); do
    case $1 in
    --repo) repo=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --transcript) transcript=$2; shift 2 ;;
    *) echo "usage: $0 [--repo DIR] [--keep] [--transcript FILE]" >&2; exit 2 ;;
    esac
done
[[ $(id -u) -eq 0 ]] || { echo "fresh-live-check.sh: must run as root (chroot, network namespaces)" >&2; exit 2; }
if [[ -z ${SIPMTLS_FRESH_IN_NS:-} ]]; then
    export SIPMTLS_FRESH_IN_NS=1
    exec unshare --mount --propagation private -- bash "$SELF" --repo "$repo" ${keep:+--keep} \
        ${transcript:+--transcript "$transcript"}
fi
log() { printf '[fresh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
CACHE=${SIPMTLS_PACKAGE_CACHE:-/var/cache/sipmtls-package}
pristine=$CACHE/bookworm
if [[ ! -f $pristine/.sipmtls-package-stamp ]]; then
    log "no pristine bookworm root: making it (.ci/package.sh --prepare-only)"
    bash "$SRC_DIR/.ci/package.sh" --prepare-only --suites bookworm
fi
work=$(mktemp -d /var/tmp/sipmtls-fresh.XXXXXX)
root=$work/root
cleanup() {
    local m
    [[ -d $root/run/netns ]] && for n in "$root"/run/netns/*; do
        [[ -e $n ]] && umount "$n" 2>/dev/null
    done
    for m in $(awk -v r="$work" 'index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    if [[ -n $keep ]]; then log "the root is kept in $root"; else rm -rf --one-file-system "$work"; fi
}
trap cleanup EXIT
log "copying $pristine (read only) to $root"
(exec 8<"$CACHE/.lock"; flock -s 8; cp -a "$pristine" "$root")
# as a machine is: apt's own defaults (recommends), no build-time leftovers
rm -f "$root/etc/apt/apt.conf.d/99sipmtls-package" "$root/.sipmtls-package-stamp"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
echo "127.0.1.1 $(uname -n)" >> "$root/etc/hosts"   # as the installer writes it (sudo looks it up)
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
mount -t tmpfs -o mode=755 tmpfs "$root/run"
enter() {
    unshare --pid --fork --kill-child --mount-proc="$root/proc" -- chroot "$root" /usr/bin/env -i \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
}
log "the machine: a user tester with sudo (apt-get install sudo)"
# the quickstart needs Debian's archive: without it this check cannot run (77)
enter apt-get update -q > "$work/apt-update.log" 2>&1 && ! grep -q '^\(W\|E\): ' "$work/apt-update.log" ||
    { cat "$work/apt-update.log" >&2; log "SKIP: Debian's archive is not reachable from here"; exit 77; }
enter sh -ec 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q sudo >/dev/null
    useradd -m -s /bin/bash -G sudo tester
    echo "tester ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/tester; chmod 440 /etc/sudoers.d/tester' \
    || { log "cannot set up the machine"; exit 2; }
if git -C "$repo" rev-parse --git-dir > /dev/null 2>&1; then
    log "git clone $repo"
    git clone -q --no-local "$repo" "$root/home/tester/sipmtls"
    cloned="$repo at $(git -C "$root/home/tester/sipmtls" log -1 --format='%h (%s)')"
else
    # a tree without its .git (an unpacked release): copied, without builds
    log "copying $repo (no git repository there)"
    mkdir "$root/home/tester/sipmtls"
    tar -C "$repo" --exclude='./build*' --exclude=./stage -cf - . | tar -C "$root/home/tester/sipmtls" -xf -
    cloned="$repo (copied)"
fi
chown -R --reference="$root/home/tester" "$root/home/tester/sipmtls"
cp "$SELF" "$root/tmp/fresh-live-check.sh"
log "the check (as tester; 3-4 minutes here)"
rc=0
if [[ -n $transcript ]]; then
    timeout --foreground 1200 unshare --pid --fork --kill-child --mount-proc="$root/proc" -- chroot "$root" /usr/bin/env -i \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 bash /tmp/fresh-live-check.sh --inside "$cloned" \
        2>&1 | tee "$transcript" || rc=${PIPESTATUS[0]}
else
    timeout --foreground 1200 unshare --pid --fork --kill-child --mount-proc="$root/proc" -- chroot "$root" /usr/bin/env -i \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 bash /tmp/fresh-live-check.sh --inside "$cloned" 2>&1 || rc=$?
fi
log "done: exit $rc"
exit "$rc"
