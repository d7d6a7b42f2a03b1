#!/bin/bash
# gen-connections.sh N OUT.pcapng
#
# Records a large capture for memory measurements (memory.sh): N short TLS
# 1.2 connections, made with OpenSSL through Python's ssl module, to one
# server on port 5061 that asks for a client certificate (optional): a
# third of the clients send a clientAuth certificate, a third a
# serverAuth-only one (which the server refuses), a third none.  Each
# sends one SIP OPTIONS request and closes with close_notify.  The
# captures are large (~8 KB per connection): never commit them.
#
# Like captures/record.sh, everything runs in a private network namespace
# made here, which has nothing but a loopback interface (MTU 1500, TSO/GSO
# off so flights are split into real frames); no traffic leaves it.  Needs
# root (ip netns), python3, dumpcap, ethtool; uses the test PKI of
# captures/pki/.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
pki=$(cd "$here/../../captures/pki" && pwd)
n=$1
out=$2
port=5061

if [ "${SIPMTLS_IN_NETNS:-}" != 1 ]; then
    [ "$(id -u)" = 0 ] || { echo "gen-connections.sh: needs root (network namespace)" >&2; exit 2; }
    ns=sipmtls-mem-$$
    ip netns add "$ns"
    trap 'ip netns delete "$ns" 2>/dev/null || true' EXIT
    out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
    ip netns exec "$ns" env SIPMTLS_IN_NETNS=1 "$0" "$n" "$out"
    exit $?
fi

# Inside the namespace: nothing but loopback, or stop.
[ "$(ip -o link show | wc -l)" -eq 1 ] || { echo "not in a private namespace" >&2; exit 1; }
ip link set lo mtu 1500 up
ethtool -K lo tso off gso off >/dev/null 2>&1 || true

work=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-gen.XXXXXX")
dumpcap_pid=
cleanup() {
    [ -z "$dumpcap_pid" ] || kill "$dumpcap_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

dumpcap -q -i lo -f "tcp port $port" -B 64 -w "$work/cap.pcapng" 2>"$work/dumpcap.err" &
dumpcap_pid=$!
for _ in $(seq 100); do grep -q "Capturing on" "$work/dumpcap.err" 2>/dev/null && break; sleep 0.05; done
sleep 0.3

# One Python process (OpenSSL through the ssl module) is both the server,
# which asks for an optional client certificate and checks it against the
# test root, and the client, one connection after the other.
cat >"$work/drive.py" <<'PY'
import socket, ssl, sys, threading
n, port, pki = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
server_ctx.maximum_version = ssl.TLSVersion.TLSv1_2   # certificates in clear
server_ctx.load_cert_chain(pki + "/server-serverauth-chain.pem", pki + "/server-serverauth.key")
server_ctx.load_verify_locations(pki + "/root-ca.pem")
server_ctx.verify_mode = ssl.CERT_OPTIONAL
listener = socket.create_server(("127.0.0.1", port))

def serve():
    for _ in range(n):
        conn, _ = listener.accept()
        try:
            with server_ctx.wrap_socket(conn, server_side=True) as tls:
                tls.settimeout(10)
                while tls.recv(4096):
                    pass
                tls.unwrap()   # answer the client's close_notify
        except (OSError, ssl.SSLError):
            pass   # a refused client certificate ends here

server = threading.Thread(target=serve, daemon=True)
server.start()
contexts = []
for cert in ("client-dualeku", "client-serverauth", None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(pki + "/root-ca.pem")
    if cert:
        ctx.load_cert_chain(pki + "/" + cert + "-chain.pem", pki + "/" + cert + ".key")
    contexts.append(ctx)
failed = 0
for i in range(n):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
            with contexts[i % 3].wrap_socket(raw, server_hostname="sbc.example.test") as tls:
                tls.sendall(("OPTIONS sip:sbc.example.test:%d;transport=tls SIP/2.0\r\n"
                             "Call-ID: mem-%d@trunk.carrier.example\r\n"
                             "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n" % (port, i)).encode())
                tls.unwrap()
    except (OSError, ssl.SSLError):
        failed += 1
server.join(timeout=10)
print("gen-connections: %d connections, %d refused or failed" % (n, failed), file=sys.stderr)
PY
python3 "$work/drive.py" "$n" "$port" "$pki"

sleep 1
kill -INT "$dumpcap_pid"
wait "$dumpcap_pid" || true
dumpcap_pid=
cp "$work/cap.pcapng" "$out"
chmod a+r "$out"
grep -o 'Packets received/dropped.*' "$work/dumpcap.err" >&2 || true
