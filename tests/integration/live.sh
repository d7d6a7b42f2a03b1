#!/bin/bash
# live.sh REPORT PLUGIN_SO PKI_DIR SCENARIO
#
# sipmtls-report --live, for real: in a network namespace of its own
# (loopback only; nothing leaves it), a TLS server (openssl s_server) that
# requests a client certificate or not, clients (openssl s_client) that
# connect while `sipmtls-report --live lo` runs, and what the report printed
# and its exit status checked against what the scenario must give.
#
# The report runs as the unprivileged user nobody, as a user on Debian
# would: with a dumpcap that may capture (a private copy given
# cap_net_raw,cap_net_admin, what `dpkg-reconfigure wireshark-common` does
# to /usr/bin/dumpcap for the wireshark group), tshark as that user with
# the built plugin (WIRESHARK_PLUGIN_DIR, see run-tshark.sh).  Scenarios:
#
#   rejected        server requires a certificate, the client's lacks clientAuth: Rejected, exit 3
#   any             the same on --live any
#   two-interfaces  --live lo --live any: one verdict all the same
#   clientauth      server requires one, the client's has clientAuth: accepted, exit 3
#   no-request      server asks for none: No client certificate requested, exit 0
#   optional        server asks, the client has none: optional, exit 1
#   count           --count 2: two calls, two verdicts, then the summary
#   interrupt       no stop condition; SIGINT (Ctrl-C) after one verdict: summary, exit 3
#   write           --write FILE: the file report on FILE gives the same answer and status
#   keylog-tls13    TLS 1.3, --keylog the client's key log as it is written: clientAuth seen;
#                   the --write file read again with the key log: the same summary
#   keylog-later    --keylog a file the client creates only when it connects: accepted all the same
#   json            --format json: the summary alone on stdout, the verdicts on stderr
#   tshark-dies     a tshark that stops reading early: said, the result incomplete, exit 4
#   write-full      --write to a full disk (/dev/full): said, the live answer stands
#   silence         --duration 2 and no traffic: says which ports were watched, exit 4
#   unsettled       a TCP connection that never starts TLS: listed as not settled, exit 4
#   tty             on a terminal: the waiting line is updated in place, no "seen:" lines
#   sudo            the report as root under sudo (SUDO_UID): dumpcap captures as root,
#                   tshark dissects as the user, --write gives the file to the user
#   no-permission   the stock dumpcap, which nobody may not capture with: what to do, exit 2
#   no-interface    an interface that does not exist: the list dumpcap offers, exit 2
#   lab             the course's lab (scripts/live-lab.sh start, report, call, stop)
#
# Needs root (namespace, capabilities), ip, openssl, setcap; exits 77
# (skipped) without them.  Every step is bounded in time.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = --inside ]; then
    shift
    inside=1
else
    inside=0
fi
report=$1 plugin_so=$2 pki=$3 scenario=$4

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL ($scenario): $*"; [ -z "${work:-}" ] || { echo "--- stdout"; cat "$work/out" 2>/dev/null; echo "--- stderr"; cat "$work/err" 2>/dev/null; }; exit 1; }

if [ "$inside" = 0 ]; then
    [ "$(id -u)" = 0 ] || skip "needs root (a network namespace, a dumpcap with capabilities)"
    for tool in ip openssl setcap dumpcap tshark setpriv timeout; do
        command -v "$tool" >/dev/null || skip "needs $tool"
    done
    ns=sipmtls-i18-live-$scenario-$$
    work=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-live.XXXXXX")
    cleanup() {
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
        rm -rf "$work"
    }
    trap cleanup EXIT
    ip netns add "$ns" || skip "cannot create a network namespace"
    ip netns exec "$ns" ip link set lo mtu 1500 up
    ip netns exec "$ns" ethtool -K lo tso off gso off >/dev/null 2>&1 || true
    # nothing but loopback in there
    [ "$(ip netns exec "$ns" ip -o link show | wc -l)" = 1 ] || fail "namespace has more than lo"

    # what the unprivileged report needs, readable by nobody
    ws_version=$(basename "$(dirname "$(dirname "$plugin_so")")")
    mkdir -p "$work/plugins/$ws_version/epan" "$work/home" "$work/bin" "$work/run"
    cp "$plugin_so" "$work/plugins/$ws_version/epan/sipmtls.so"
    cp "$report" "$work/bin/sipmtls-report"
    cp -r "$pki" "$work/pki"
    # a dumpcap that may capture, as Debian makes it for the wireshark group
    cp "$(command -v dumpcap)" "$work/bin/dumpcap"
    setcap cap_net_raw,cap_net_admin=eip "$work/bin/dumpcap" || skip "setcap refused here"
    chmod -R a+rX "$work"
    chmod a+rwx "$work/home" "$work/run"
    export work
    if [ "$scenario" = lab ]; then
        # the course's lab (scripts/live-lab.sh), as the course runs it:
        # `sudo live-lab.sh start|report|call|stop`, sudo by nobody
        lab=(env SIPMTLS_LAB_NS="$ns-lab" "$here/../../scripts/live-lab.sh")
        trap '"${lab[@]}" stop >/dev/null 2>&1 || true; ip netns del "$ns-lab-2" 2>/dev/null || true; cleanup' EXIT
        # a namespace whose name only begins like the lab's is not the lab
        ip netns add "$ns-lab-2"
        "${lab[@]}" call serverauth > "$work/lab.out" 2>&1 && fail "a call without a lab: $(cat "$work/lab.out")"
        grep -q 'no lab running' "$work/lab.out" || fail "a call without a lab said: $(cat "$work/lab.out")"
        "${lab[@]}" start required > "$work/lab.out" || fail "lab did not start"
        grep -q '^TLS 1.2 server on 127.0.0.1:5061 in namespace .*, client certificate: required$' "$work/lab.out" ||
            fail "lab start said: $(cat "$work/lab.out")"
        ( exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TZ=UTC LC_ALL=C.UTF-8 \
              SUDO_UID=65534 SUDO_GID=65534 SUDO_USER=nobody SIPMTLS_LAB_NS="$ns-lab" \
              SIPMTLS_REPORT="$work/bin/sipmtls-report" \
              WIRESHARK_PLUGIN_DIR="$work/plugins" WIRESHARK_CONFIG_DIR="$work/home/config" \
              timeout 60 "$here/../../scripts/live-lab.sh" report --first --duration 30 ) \
            > "$work/out" 2> "$work/err" &
        report_pid=$!
        for _ in $(seq 300); do
            grep -q 'place a test call now' "$work/err" 2>/dev/null && break
            sleep 0.05
        done
        "${lab[@]}" call serverauth > "$work/call.out"
        status=0
        wait "$report_pid" || status=$?
        [ "$status" = 3 ] || fail "lab report exit status $status, expected 3"
        grep -q '^  verdict: Rejected: alert unsupported_certificate$' "$work/out" || fail "lab: no rejection"
        grep -q "^+ ip netns exec $ns-lab $work/bin/sipmtls-report --live lo --first --duration 30$" "$work/err" ||
            fail "lab report did not show its command"
        grep -q '^call made (serverauth certificate, TLS 1.2); what the client printed: /run/.*/call.log$' "$work/call.out" ||
            fail "lab call said: $(cat "$work/call.out")"
        "${lab[@]}" stop > /dev/null
        ip netns list | awk '{ print $1 }' | grep -qxF -- "$ns-lab" && fail "lab namespace left behind"
        echo "PASS ($scenario)"
        exit 0
    fi
    rc=0
    timeout 90 ip netns exec "$ns" bash "$0" --inside "$report" "$plugin_so" "$pki" "$scenario" || rc=$?
    [ "$rc" != 124 ] || fail "timed out"
    exit "$rc"
fi

# ---- inside the namespace ------------------------------------------------
cd "$work"
pids=()
trap 'for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done' EXIT

# The report as nobody, in a clean environment (run-tshark.sh's).
nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups
        env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$work/home" TZ=UTC LC_ALL=C.UTF-8
        WIRESHARK_PLUGIN_DIR="$work/plugins" WIRESHARK_CONFIG_DIR="$work/home/config")
as_nobody() { "${nobody[@]}" "$@"; }

# live ARGS...: starts the report in the background; $live_pid is the
# report itself (exec: signals reach it, not a subshell), with no timeout(1)
# in between; every run has --duration.
live() {
    ( exec "${nobody[@]}" "$work/bin/sipmtls-report" --live "${iface:-lo}" --dumpcap "$work/bin/dumpcap" "$@" ) \
        > "$work/out" 2> "$work/err" &
    live_pid=$!
    pids+=("$live_pid")
}

# wait_for FILE REGEX SECONDS
wait_for() {
    local i
    for ((i = 0; i < $3 * 20; i++)); do
        grep -Eq -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# finish: waits for the report; $status
finish() {
    status=0
    wait "$live_pid" || status=$?
    :
}

wait_capturing() { wait_for "$work/err" 'place a test call now' 15 || fail "capture did not start"; }

# server REQUEST [TLS]: openssl s_server on 127.0.0.1:5061; REQUEST none|optional|required
server() {
    local req=$1 tls=${2:-1.2}
    local -a cmd=(openssl s_server -quiet -accept 127.0.0.1:5061 "-tls${tls/./_}"
                  -cert pki/server-serverauth.pem -key pki/server-serverauth.key -cert_chain pki/issuing-ca.pem)
    case $req in
    optional) cmd+=(-verify 4 -CAfile pki/root-ca.pem -verify_return_error) ;;
    required) cmd+=(-Verify 4 -CAfile pki/root-ca.pem -verify_return_error) ;;
    esac
    # s_server ends a connection when its stdin ends: give it one that stays open
    mkfifo "$work/run/srv.in"
    exec 8<> "$work/run/srv.in"
    "${cmd[@]}" <&8 > "$work/run/srv.out" 2>&1 &
    pids+=($!)
    local i
    for ((i = 0; i < 100; i++)); do
        [ -n "$(ss -Hltn 'sport = :5061' 2>/dev/null)" ] && return 0
        sleep 0.05
    done
    fail "server did not listen"
}

# call CERT [EXTRA...]: one test call: a TLS connection, a SIP OPTIONS, close
call() {
    local cert=$1
    shift
    local -a cmd=(openssl s_client -connect 127.0.0.1:5061 -servername sbc.example.test
                  -CAfile pki/root-ca.pem -nocommands "$@")
    [ "$cert" = none ] || cmd+=(-cert "pki/$cert.pem" -key "pki/$cert.key" -cert_chain pki/issuing-ca.pem)
    { sleep 0.5
      printf 'OPTIONS sip:sbc.example.test:5061;transport=tls SIP/2.0\r\nCall-ID: live-%s@trunk.carrier.example\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n' "$RANDOM"
      sleep 0.5; } | timeout 10 "${cmd[@]}" > "$work/run/cli.out" 2>&1 || true
}

expect_out() { grep -Eq -- "$1" "$work/out" || fail "stdout lacks /$1/"; }
expect_err() { grep -Eq -- "$1" "$work/err" || fail "stderr lacks /$1/"; }
expect_status() { [ "$status" = "$1" ] || fail "exit status $status, expected $1"; }
# count_out REGEX N
count_out() {
    local n
    n=$(grep -Ec -- "$1" "$work/out" || true)
    [ "$n" = "$2" ] || fail "stdout has $n lines /$1/, expected $2"
}

case $scenario in
rejected)
    server required
    live --first --duration 30
    wait_capturing
    call client-serverauth -tls1_2
    finish
    expect_status 3
    expect_err '^capture stopped: first handshake settled; '
    count_out '^handshake settled at [0-9:]+ \(stream 0, frame [0-9]+\):$' 1
    expect_out '^  endpoint: 127\.0\.0\.1:5061$'
    expect_out '^  peer: 127\.0\.0\.1:[0-9]+$'
    expect_out '^  client certificate requested: yes$'
    expect_out '^  client certificate: CN=trunk\.carrier\.example,O=Example Carrier, issued by CN=sipmtls Test Issuing CA,O=sipmtls test PKI$'
    expect_out '^  verdict: Rejected: alert unsupported_certificate$'
    # the frames, as the file report names them: the verdict's, the
    # CertificateRequest's, the client's Certificate's
    expect_out '^  evidence: frame [0-9]+ \(request [0-9]+, answer [0-9]+\)$'
    expect_out '^sipmtls report for live capture on lo$'
    # the summary too: the issuer (from the client's Certificate frame)
    expect_out '^    certificate: CN=trunk\.carrier\.example,O=Example Carrier, issued by CN=sipmtls Test Issuing CA,O=sipmtls test PKI$'
    expect_out '^    evidence: frame [0-9]+ \(request [0-9]+, answer [0-9]+\): alert unsupported_certificate$'
    expect_out '^    1 x Rejected$'
    expect_err '^capturing on lo, TLS on TCP port 5061; place a test call now'
    expect_err '^seen: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:5061 \(stream 0\): TCP connection opened'
    ;;
any)
    # --live any: every interface (here, the namespace has only lo)
    iface=any
    server required
    live --first --duration 30
    wait_capturing
    call client-serverauth -tls1_2
    finish
    expect_status 3
    expect_err '^capturing on any, TLS on TCP port 5061; place a test call now'
    count_out '^handshake settled' 1
    expect_out '^  verdict: Rejected: alert unsupported_certificate$'
    expect_out '^sipmtls report for live capture on any$'
    ;;
two-interfaces)
    # --live lo --live any: dumpcap on both, one pcapng with two interfaces
    # (lo's packets come twice); the same single verdict
    server required
    live --live any --first --duration 30
    wait_capturing
    call client-serverauth -tls1_2
    finish
    expect_status 3
    expect_err '^capturing on lo, any, TLS on TCP port 5061; place a test call now'
    count_out '^handshake settled' 1
    expect_out '^  verdict: Rejected: alert unsupported_certificate$'
    expect_out '^    1 x Rejected$'
    ;;
clientauth)
    server required
    live --first --duration 30
    wait_capturing
    call client-dualeku -tls1_2
    finish
    expect_status 3
    expect_out '^  client certificate requested: yes$'
    expect_out '^  client certificate: CN=trunk\.carrier\.example,O=Example Carrier, issued by CN=sipmtls Test Issuing CA,O=sipmtls test PKI$'
    expect_out '^  verdict: Client certificate with clientAuth accepted$'
    expect_out '^  evidence: frame [0-9]+ \(request [0-9]+, answer [0-9]+\)$'
    expect_out '^    1 x Client certificate with clientAuth accepted$'
    ;;
no-request)
    server none
    live --first --duration 30
    wait_capturing
    call none -tls1_2
    finish
    expect_status 0
    count_out '^handshake settled' 1
    expect_out '^  client certificate requested: no$'
    expect_out '^  verdict: No client certificate requested$'
    expect_out '^  evidence: frame [0-9]+$'
    grep -q '^  client certificate:' "$work/out" && fail "a certificate where none was sent"
    expect_out '^    1 x No client certificate requested$'
    ;;
optional)
    server optional
    live --first --duration 30
    wait_capturing
    call none -tls1_2
    finish
    expect_status 1
    expect_out '^  client certificate requested: yes$'
    expect_out '^  client certificate: none sent$'
    expect_out '^  verdict: Client certificate requested, none sent, handshake went on \(optional\)$'
    expect_out '^  evidence: frame [0-9]+ \(request [0-9]+, answer [0-9]+\)$'
    ;;
count)
    server none
    live --count 2 --duration 40
    wait_capturing
    call none -tls1_2
    wait_for "$work/out" '^handshake settled' 10 || fail "first call not settled"
    # still running after one
    kill -0 "$live_pid" 2>/dev/null || fail "stopped after one handshake"
    call none -tls1_2
    finish
    expect_status 0
    count_out '^handshake settled' 2
    expect_out '^127\.0\.0\.1:5061  \(2 connections\) - pass$'
    expect_out '^    2 x No client certificate requested$'
    ;;
interrupt)
    server required
    live --duration 40
    wait_capturing
    call client-serverauth -tls1_2
    wait_for "$work/out" '^  verdict:' 10 || fail "call not settled"
    sleep 0.5
    kill -INT "$live_pid"
    finish
    expect_status 3
    expect_err '^capture stopped: interrupted \(Ctrl-C\); [0-9]+ packets, 1 connection, 1 handshake settled$'
    count_out '^handshake settled' 1
    expect_out '^    1 x Rejected$'
    ;;
write)
    server required
    live --first --duration 30 --write "$work/run/call.pcapng"
    wait_capturing
    call client-serverauth -tls1_2
    finish
    expect_status 3
    expect_err "^capture kept in $work/run/call\.pcapng$"
    sed -n '/^sipmtls report for/,$p' "$work/out" > "$work/live-summary"
    file_status=0
    as_nobody "$work/bin/sipmtls-report" "$work/run/call.pcapng" > "$work/file-summary" 2> "$work/file-err" || file_status=$?
    [ "$file_status" = "$status" ] || fail "file report exit status $file_status, live $status"
    # The same answer, endpoints, verdicts, certificates (with their
    # issuer), evidence (the request's and the answer's frames) and advice;
    # only the first line, which names the capture, differs.
    same() { sed 1d "$1"; }
    diff -u <(same "$work/live-summary") <(same "$work/file-summary") || fail "the file report differs from the live summary"
    grep -q '^    1 x Rejected$' "$work/file-summary" || fail "file report: no rejection"
    ;;
keylog-tls13)
    server required 1.3
    : > "$work/run/keys.txt"
    chmod a+rw "$work/run/keys.txt"
    live --first --duration 30 --keylog "$work/run/keys.txt" --write "$work/run/tls13.pcapng"
    wait_capturing
    call client-dualeku -tls1_3 -keylogfile "$work/run/keys.txt"
    finish
    expect_status 3
    [ -s "$work/run/keys.txt" ] || fail "the client wrote no key log"
    expect_err 'keys from '
    expect_out '^  client certificate: CN=trunk\.carrier\.example,O=Example Carrier, issued by CN=sipmtls Test Issuing CA,O=sipmtls test PKI$'
    expect_out '^  verdict: Client certificate with clientAuth accepted$'
    expect_out '^    certificate: CN=trunk\.carrier\.example,O=Example Carrier, issued by CN=sipmtls Test Issuing CA,O=sipmtls test PKI$'
    # the key log decrypted the handshake: the summary does not say otherwise
    grep -q 'decrypts nothing' "$work/out" "$work/err" && fail "the summary says the key log decrypted nothing"
    # the kept capture read again later with the key log: the same summary
    file_status=0
    as_nobody "$work/bin/sipmtls-report" --keylog "$work/run/keys.txt" "$work/run/tls13.pcapng" \
        > "$work/file-summary" 2> "$work/file-err" || file_status=$?
    [ "$file_status" = 3 ] || fail "file report with the key log: exit status $file_status"
    diff -u <(sed -n '/^sipmtls report for/,$p' "$work/out" | sed 1d) <(sed 1d "$work/file-summary") ||
        fail "the file report with the key log differs from the live summary"
    ;;
keylog-later)
    # the course's order: the report first, with a key log the client
    # under test creates only when it connects
    server required 1.3
    live --first --duration 30 --keylog "$work/run/later.txt"
    wait_capturing
    expect_err "^capturing on lo, TLS on TCP port 5061, keys from $work/run/later\.txt \(once it is written\); place a test call now"
    call client-dualeku -tls1_3 -keylogfile "$work/run/later.txt"
    finish
    expect_status 3
    [ -s "$work/run/later.txt" ] || fail "the client wrote no key log"
    expect_out '^  verdict: Client certificate with clientAuth accepted$'
    ;;
json)
    # machine formats: the summary alone on stdout, the verdicts on stderr
    server required
    live --first --duration 30 --format json
    wait_capturing
    call client-dualeku -tls1_2
    finish
    expect_status 3
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert len(d["endpoints"]) == 1 and d["endpoints"][0]["top"]["verdict_code"] == 3, d' \
        "$work/out" || fail "stdout is not the JSON summary"
    expect_err '^  verdict: Client certificate with clientAuth accepted$'
    ;;
tshark-dies)
    # a tshark that stops reading early (-c 3): said, and no answer
    printf '#!/bin/sh\nexec tshark -c 3 "$@"\n' > "$work/run/tshark-dies"
    chmod a+rx "$work/run/tshark-dies"
    server none
    live --duration 30 --tshark "$work/run/tshark-dies"
    wait_capturing
    call none -tls1_2
    finish
    expect_status 4
    expect_err "^sipmtls-report: $work/run/tshark-dies ended before the capture did: the result is incomplete$"
    ;;
write-full)
    # --write to a full disk: said, the file is not called kept, the live answer stands
    server required
    live --first --duration 30 --write /dev/full
    wait_capturing
    call client-serverauth -tls1_2
    finish
    expect_status 3
    expect_err '^sipmtls-report: --write /dev/full: No space left on device: the file is incomplete; the capture goes on$'
    expect_err '^capture NOT kept: /dev/full is incomplete$'
    expect_out '^  verdict: Rejected: alert unsupported_certificate$'
    expect_out '^sipmtls report for live capture on lo$'
    ;;
silence)
    live --duration 2
    finish
    expect_status 4
    expect_err '^capture stopped: duration reached; 0 packets, 0 connections, 0 handshakes settled$'
    expect_err '^sipmtls-report: no traffic on TCP port 5061 on lo in 2 s\. .*--ports'
    grep -q '^handshake settled' "$work/out" && fail "a verdict out of silence"
    ;;
unsettled)
    server none
    live --duration 3
    wait_capturing
    # a TCP connection that never starts TLS
    exec 7<>/dev/tcp/127.0.0.1/5061
    wait_for "$work/err" '^seen:' 5 || fail "connection not seen"
    finish
    exec 7>&-
    expect_status 4
    expect_err '^not settled: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:5061 \(stream 0\): TCP connection opened$'
    expect_err 'no handshake settled: the capture cannot answer yet'
    ;;
tty)
    # on a terminal the waiting line is rewritten in place (script(1) gives
    # the report one), and no "seen:" lines are printed
    command -v script >/dev/null || skip "needs script (util-linux)"
    server none
    ( exec "${nobody[@]}" script -q -e -c "$work/bin/sipmtls-report --live lo --dumpcap $work/bin/dumpcap --first --duration 30" /dev/null ) \
        > "$work/out" 2> "$work/err" < /dev/null &
    live_pid=$!
    pids+=("$live_pid")
    wait_for "$work/out" 'place a test call now' 15 || fail "capture did not start"
    call none -tls1_2
    finish
    expect_status 0
    grep -q $'\r\033\[Kwaiting for a handshake on TCP port 5061 (0 connections not settled, 0 handshakes settled)' "$work/out" ||
        fail "no waiting line in place"
    grep -q $'\r\033\[Kwaiting: 127\.0\.0\.1:[0-9]* -> 127\.0\.0\.1:5061: ' "$work/out" || fail "no connection line in place"
    grep -q '^seen:' "$work/out" && fail "plain seen lines on a terminal"
    expect_out 'verdict: No client certificate requested'
    ;;
sudo)
    # `sudo sipmtls-report --live ...` by a user (here nobody): the report
    # runs as root, dumpcap (the stock one) captures as root, tshark runs as
    # the user sudo names, and the kept capture is given to that user.
    server required
    ( exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TZ=UTC LC_ALL=C.UTF-8 \
          SUDO_UID=65534 SUDO_GID=65534 SUDO_USER=nobody \
          WIRESHARK_PLUGIN_DIR="$work/plugins" WIRESHARK_CONFIG_DIR="$work/home/config" \
          "$work/bin/sipmtls-report" --live lo --first --duration 30 --write "$work/run/sudo.pcapng" ) \
        > "$work/out" 2> "$work/err" &
    live_pid=$!
    pids+=("$live_pid")
    wait_capturing
    call client-serverauth -tls1_2
    finish
    expect_status 3
    expect_err '^\(dumpcap captures as root; tshark dissects as nobody, who ran sudo\)$'
    expect_out '^  verdict: Rejected: alert unsupported_certificate$'
    [ "$(stat -c %u "$work/run/sudo.pcapng")" = 65534 ] || fail "the kept capture is not nobody's"
    ;;
no-permission)
    status=0
    as_nobody timeout 30 "$work/bin/sipmtls-report" --live lo --duration 5 --dumpcap "$(command -v dumpcap)" \
        > "$work/out" 2> "$work/err" || status=$?
    expect_status 2
    expect_err '^sipmtls-report: no permission to capture'
    expect_err 'usermod -a -G wireshark'
    expect_err 'setcap cap_net_raw,cap_net_admin=eip'
    ;;
no-interface)
    status=0
    as_nobody timeout 30 "$work/bin/sipmtls-report" --live sipmtls-none0 --duration 5 --dumpcap "$work/bin/dumpcap" \
        > "$work/out" 2> "$work/err" || status=$?
    expect_status 2
    expect_err '^sipmtls-report: no such interface .*sipmtls-none0'
    expect_err '^    [0-9]+\. lo'
    ;;
*)
    echo "live.sh: unknown scenario $scenario" >&2
    exit 2
    ;;
esac
[ -z "${SIPMTLS_LIVE_SHOW:-}" ] || { cat "$work/out"; echo "--- stderr"; cat "$work/err"; echo "--- exit status ${status:-}"; }
echo "PASS ($scenario)"
