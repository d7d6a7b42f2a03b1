#!/bin/bash
# make-capture.sh - the large captures of the sipmtls benchmark (issue 7).
#
# Usage:  sudo bench/make-capture.sh [--force]     prints the capture folder
#   env:  TLS_CONNECTIONS (3000)  RTP_STREAMS (200)  RTP_PACKETS (1000 per stream)
#         SPAN_SECONDS (12: both kinds of traffic are spread over this span)
#         SMALL_FRAMES (40000: frames of the callgrind capture)
#         SIPMTLS_BENCH_CACHE (bench/.cache)
#
# Records, on loopback inside a private network namespace it creates and
# removes (nothing but lo, MTU 1500, TSO/GSO off as in captures/record.sh),
# at the same time:
#   * TLS_CONNECTIONS TLS connections to port 5061 from bench/traffic.py
#     (TLS 1.2 and 1.3, with and without CertificateRequest, client
#     certificates with and without clientAuth, the PKI of captures/pki/),
#     each carrying a SIP OPTIONS and its 200 OK;
#   * RTP_STREAMS x RTP_PACKETS RTP packets over UDP.
# Each is captured by its own dumpcap; the two are merged in time order.
#
# Writes into $SIPMTLS_BENCH_CACHE/<sizes>/ (never committed):
#   bench.pcapng        TLS + RTP, merged
#   bench-keyed.pcapng  the same with the TLS key log embedded (DSB)
#   rtp.pcapng          the RTP traffic alone
#   small.pcapng, small-keyed.pcapng, small-rtp.pcapng
#                       the first SMALL_FRAMES frames of each, for callgrind
#   tls.keys, manifest.txt (counts, sizes, generation time)
# A folder whose manifest names the same sizes and the same generator is
# reused as it is; --force records it again.  Packet counts of RTP and TLS
# connections are fixed; TCP frame counts vary by a few dozen (ACK timing).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
PKI_DIR=$ROOT/captures/pki
PYTHON=/usr/bin/python3   # Debian's, for its ssl module and OpenSSL

TLS_CONNECTIONS=${TLS_CONNECTIONS:-3000}
RTP_STREAMS=${RTP_STREAMS:-200}
RTP_PACKETS=${RTP_PACKETS:-1000}
SPAN_SECONDS=${SPAN_SECONDS:-12}
SMALL_FRAMES=${SMALL_FRAMES:-40000}
CACHE=${SIPMTLS_BENCH_CACHE:-$HERE/.cache}

log() { printf '[make-capture] %s\n' "$*" >&2; }
die() { printf '[make-capture] ERROR: %s\n' "$*" >&2; exit 1; }

sizes="tls${TLS_CONNECTIONS}-rtp${RTP_STREAMS}x${RTP_PACKETS}"
out=$CACHE/$sizes
generator=$(cat "$HERE/make-capture.sh" "$HERE/traffic.py" | sha256sum | cut -c1-16)
key="sizes=$sizes span=$SPAN_SECONDS small=$SMALL_FRAMES generator=$generator"

###########################################################################
# Inside the namespace: record
###########################################################################
wait_for() {   # wait_for FILE REGEX TIMEOUT_S
    local i
    for ((i = 0; i < $3 * 20; i++)); do
        grep -Eq -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

inner() {
    local work=$1 pids=()
    # shellcheck disable=SC2317
    stop_all() { local p; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
    trap stop_all EXIT
    [[ $(ip -o link show | wc -l) -eq 1 ]] || die "not inside the private network namespace"

    # Large kernel buffers: RTP arrives at tens of thousands of packets a second.
    dumpcap -q -i lo -B 256 -f "tcp port 5061" -w "$work/tls.pcapng" 2> "$work/dumpcap-tls.err" &
    local cap_tls=$!; pids+=("$cap_tls")
    dumpcap -q -i lo -B 256 -f "udp" -w "$work/rtp.pcapng" 2> "$work/dumpcap-rtp.err" &
    local cap_rtp=$!; pids+=("$cap_rtp")
    wait_for "$work/dumpcap-tls.err" "^Capturing on" 10 || die "dumpcap: $(cat "$work/dumpcap-tls.err")"
    wait_for "$work/dumpcap-rtp.err" "^Capturing on" 10 || die "dumpcap: $(cat "$work/dumpcap-rtp.err")"

    "$PYTHON" "$HERE/traffic.py" tls-server --pki "$PKI_DIR" --ready "$work/server.ready" \
        2> "$work/server.err" &
    local srv=$!; pids+=("$srv")
    wait_for "$work/server.ready" ready 10 || die "TLS server: $(cat "$work/server.err")"
    sleep 0.3

    "$PYTHON" "$HERE/traffic.py" rtp --streams "$RTP_STREAMS" --packets "$RTP_PACKETS" \
        --seconds "$SPAN_SECONDS" &
    local rtp_pid=$!; pids+=("$rtp_pid")
    mkdir -p "$work/keys"
    "$PYTHON" "$HERE/traffic.py" tls-clients --pki "$PKI_DIR" --count "$TLS_CONNECTIONS" \
        --seconds "$SPAN_SECONDS" --keylog-dir "$work/keys"
    wait "$rtp_pid"
    kill -TERM "$srv"; wait "$srv" || true
    sleep 1
    kill -INT "$cap_tls" "$cap_rtp"
    wait "$cap_tls" "$cap_rtp" || true
    trap - EXIT
    grep -h -E 'Packets (captured|received)' "$work"/dumpcap-*.err >&2 || true
}

###########################################################################
# Outside: namespace, checks, merge, key injection, manifest
###########################################################################
count_frames() { capinfos -M -c -T -r "$1" | awk -F'\t' '{print $2}'; }

outer() {
    local start ns work secs n_rtp n_tls n_syn n_all
    [[ $EUID -eq 0 ]] || die "must run as root (network namespace and capture): sudo $0"
    for tool in ip ethtool dumpcap mergecap editcap capinfos tshark "$PYTHON"; do
        command -v "$tool" >/dev/null || die "missing tool: $tool (scripts/install-deps.sh build run record)"
    done
    [[ -f $PKI_DIR/server-serverauth-chain.pem ]] || die "no test PKI in $PKI_DIR (captures/record.sh makes it)"

    start=$(date +%s.%N)
    ns=sipmtls-bench-$$
    work=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-bench.XXXXXX")
    # shellcheck disable=SC2064
    # Every step may fail (after a good recording the namespace is gone):
    # under set -e and pipefail a failing step would make the exit status 1.
    trap "{ ip netns pids '$ns' 2>/dev/null | xargs -r kill -KILL 2>/dev/null; } || true; ip netns del '$ns' 2>/dev/null || true; rm -rf '$work'" EXIT
    ip netns add "$ns"
    ip netns exec "$ns" ip link set lo mtu 1500
    ip netns exec "$ns" ip link set lo up
    ip netns exec "$ns" ethtool -K lo tso off gso off >/dev/null
    log "recording $TLS_CONNECTIONS TLS connections and $RTP_STREAMS x $RTP_PACKETS RTP packets in namespace $ns"
    ip netns exec "$ns" "$HERE/make-capture.sh" --inside "$work"
    ip netns del "$ns"

    n_rtp=$(count_frames "$work/rtp.pcapng")
    [[ $n_rtp -eq $((RTP_STREAMS * RTP_PACKETS)) ]] ||
        die "RTP capture has $n_rtp packets, not $((RTP_STREAMS * RTP_PACKETS)) (dropped? raise SPAN_SECONDS)"
    n_syn=$(tshark -r "$work/tls.pcapng" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' 2>/dev/null | wc -l)
    [[ $n_syn -eq $TLS_CONNECTIONS ]] || die "TLS capture has $n_syn connections, not $TLS_CONNECTIONS"
    n_tls=$(count_frames "$work/tls.pcapng")

    cat "$work"/keys/*.keys > "$work/tls.keys"
    mergecap -w "$work/bench.pcapng" "$work/tls.pcapng" "$work/rtp.pcapng"
    editcap --inject-secrets "tls,$work/tls.keys" "$work/bench.pcapng" "$work/bench-keyed.pcapng"
    editcap -r "$work/bench.pcapng" "$work/small.pcapng" "1-$SMALL_FRAMES"
    editcap --inject-secrets "tls,$work/tls.keys" "$work/small.pcapng" "$work/small-keyed.pcapng"
    editcap -r "$work/rtp.pcapng" "$work/small-rtp.pcapng" "1-$SMALL_FRAMES"
    n_all=$(count_frames "$work/bench.pcapng")
    secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')

    mkdir -p "$CACHE"
    rm -rf "$out.new"
    mkdir "$out.new"
    mv "$work"/{bench,bench-keyed,rtp,small,small-keyed,small-rtp}.pcapng "$work/tls.keys" "$out.new/"
    {
        echo "$key"
        printf 'generated %s in %.0f s on %s (%s cores)\n' "$(date -u +%FT%TZ)" "$secs" \
            "$(hostname)" "$(nproc)"
        echo "tls_connections $TLS_CONNECTIONS tls_frames $n_tls rtp_packets $n_rtp bench_frames $n_all small_frames $SMALL_FRAMES"
        (cd "$out.new" && ls -l --block-size=1 ./*.pcapng | awk '{print "size", $NF, $5}')
    } > "$out.new/manifest.txt"
    chmod -R a+rX "$out.new"
    rm -rf "$out"
    mv "$out.new" "$out"
    chmod a+rx "$CACHE"
    log "done in ${secs%.*} s: $out"
    cat "$out/manifest.txt" >&2
}

if [[ ${1:-} == --inside ]]; then
    inner "$2"
    exit 0
fi
if [[ ${1:-} != --force && -f $out/manifest.txt && $(head -1 "$out/manifest.txt") == "$key" ]]; then
    log "reusing $out"
    echo "$out"
    exit 0
fi
outer >&2
echo "$out"
