#!/bin/bash
# record-hostile.sh OUT_DIR
#
# Records hostile-but-real captures: handshakes made by OpenSSL that push
# every bound of sipmtls.h past its limit, so the plugin's clamps run in
# tshark rather than only in unit tests.  Damaging bytes (fuzz-tshark.sh)
# rarely makes Wireshark's TLS and X.509 dissectors produce such extremes.
#
# Port 5061, TLS 1.2, OpenSSL s_server and s_client, one SIP request each.
# hostile-limits.pcapng:
#   - both sides send chains of 21 certificates (SIPMTLS_MAX_CERTS_PER_MSG 16);
#   - both leaves list 40 EKUs, clientAuth the 38th (SIPMTLS_MAX_EKUS_PER_CERT
#     16: it must still be seen);
#   - the leaves' subjects have 47 attributes (45 OU), longer than
#     SIPMTLS_MAX_TEXT;
#   - the CertificateRequest names 25 acceptable CAs (SIPMTLS_MAX_REQUEST_CAS 16).
# hostile-renegotiation.pcapng: 10 renegotiations (SIPMTLS_MAX_HANDSHAKES 8),
#   half asked by the client, half by the server (HelloRequest); OpenSSL asks
#   for the client's certificate only in the first handshake (s_server sets
#   SSL_VERIFY_CLIENT_ONCE).
# The key logs go beside them (renegotiations are encrypted).
#
# Like captures/record.sh, everything runs in a private network namespace
# made here, with nothing but loopback; the certificates are made afresh in
# a temporary folder each time (they protect nothing).  Needs root.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

out_dir=$1
port=5061

if [ "${SIPMTLS_IN_NETNS:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "record-hostile.sh: needs root (network namespace)" >&2; exit 2; }
    mkdir -p "$out_dir"
    ns=sipmtls-hostile-$$
    ip netns add "$ns"
    trap 'ip netns delete "$ns" 2>/dev/null || true' EXIT
    ip netns exec "$ns" env SIPMTLS_IN_NETNS=1 "$0" "$(cd "$out_dir" && pwd)"
    exit $?
fi

[ "$(ip -o link show | wc -l)" -eq 1 ] || { echo "not in a private namespace" >&2; exit 1; }
ip link set lo mtu 1500 up
ethtool -K lo tso off gso off >/dev/null 2>&1 || true

work=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-hostile.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work folder kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
cd "$work"

# ---- certificates -------------------------------------------------------
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
ekus="serverAuth,codeSigning,emailProtection,timeStamping,OCSPSigning"
for i in $(seq 1 32); do ekus+=",1.3.6.1.4.1.99999.$i"; done
ekus+=",clientAuth,1.3.6.1.4.1.99999.100,1.3.6.1.4.1.99999.101"   # 40, clientAuth 38th
subject="/O=Hostile Example"
for i in $(seq 1 45); do subject+="/OU=organisational unit number $i of a very long name"; done

key ca.key
openssl req -x509 -new -key ca.key -subj "/CN=hostile root" -days 3650 -out ca.pem
# 20 more certificates for each chain, and 24 CA names for the request.
: >chain.pem
for i in $(seq 1 20); do
    key "i$i.key"
    openssl req -x509 -new -key "i$i.key" -subj "/O=Hostile Example/CN=intermediate $i" \
        -days 3650 -out "i$i.pem"
    cat "i$i.pem" >>chain.pem
done
# s_server names the CAs of its -CAfile in its CertificateRequest.
cp ca.pem cas.pem
for i in $(seq 1 24); do
    key "ca$i.key"
    openssl req -x509 -new -key "ca$i.key" -subj "/O=Hostile Example/CN=acceptable CA $i" \
        -days 3650 -out "ca$i.pem"
    cat "ca$i.pem" >>cas.pem
done
printf 'extendedKeyUsage = %s\n' "$ekus" >ext.cnf
key small.key
openssl req -x509 -new -key small.key -subj "/CN=small server" -days 3650 -out small.pem
for side in server client; do
    key "$side.key"
    openssl req -new -key "$side.key" -subj "$subject/CN=$side" -out "$side.csr"
    openssl x509 -req -in "$side.csr" -CA ca.pem -CAkey ca.key -set_serial 1 -days 3650 \
        -extfile ext.cnf -out "$side.pem" 2>/dev/null
done

# ---- the connections ------------------------------------------------------
# record NAME SERVER_CERT SERVER_CHAIN RENEGOTIATIONS: one connection, both
# sides with the hostile leaf's subject and EKUs, the client with the long
# chain; NAME.pcapng and NAME.keys in OUT_DIR.
record() {
    local name=$1 cert=$2 chain=$3 renegotiations=$4 dumpcap_pid srv_pid srv_fd cli_fd i
    rm -f cap.pcapng keys srv.in cli.in
    dumpcap -q -i lo -f "tcp port $port" -w cap.pcapng 2>dumpcap.err &
    dumpcap_pid=$!
    pids+=("$dumpcap_pid")
    for _ in $(seq 100); do grep -q "Capturing on" dumpcap.err 2>/dev/null && break; sleep 0.05; done
    sleep 0.3

    mkfifo srv.in cli.in
    openssl s_server -accept "127.0.0.1:$port" -tls1_2 -naccept 1 -client_renegotiation \
        -no_resumption_on_reneg -cert "$cert.pem" -key "$cert.key" ${chain:+-cert_chain "$chain"} \
        -verify 4 -CAfile cas.pem <srv.in >srv.out 2>srv.err &
    srv_pid=$!
    pids+=("$srv_pid")
    exec {srv_fd}>srv.in
    for _ in $(seq 100); do [ -n "$(ss -Hltn "sport = :$port")" ] && break; sleep 0.05; done
    [ -n "$(ss -Hltn "sport = :$port")" ] || { cat srv.err >&2; exit 1; }
    openssl s_client -connect "127.0.0.1:$port" -tls1_2 -cert client.pem -key client.key \
        -cert_chain chain.pem -keylogfile keys <cli.in >cli.out 2>cli.err &
    pids+=($!)
    exec {cli_fd}>cli.in
    for _ in $(seq 100); do grep -q '^---' cli.out 2>/dev/null && break; sleep 0.05; done
    sleep 0.3
    # A line "R" makes s_client renegotiate, a line "r" s_server send a
    # HelloRequest (its "R" would stop asking for certificates): half each.
    for ((i = 1; i <= renegotiations; i++)); do
        if [ $((i % 2)) = 0 ]; then echo R >&"$cli_fd"; else echo r >&"$srv_fd"; fi
        sleep 0.4
    done
    printf 'OPTIONS sip:hostile.example.test SIP/2.0\r\nCall-ID: %s@example.test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n' \
        "$name" >&"$cli_fd"
    sleep 0.4
    exec {cli_fd}>&-
    sleep 0.5
    exec {srv_fd}>&-
    sleep 0.5
    kill -INT "$dumpcap_pid"
    wait "$dumpcap_pid" || true
    wait "$srv_pid" 2>/dev/null || true
    cp cap.pcapng "$out_dir/$name.pcapng"
    cp keys "$out_dir/$name.keys"
    chmod a+r "$out_dir/$name".*
    echo "$name: $(grep -o 'Packets captured: [0-9]*' dumpcap.err)" >&2
}

# Every bound but the number of handshakes, in one handshake.
record hostile-limits server chain.pem 0
# More handshakes than followed; the server's certificate stays small.
record hostile-renegotiation small "" 10
