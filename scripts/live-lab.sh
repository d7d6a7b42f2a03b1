#!/usr/bin/env bash
# live-lab.sh - a local SIP-TLS test server to practise `sipmtls-report --live` on.
#
#   sudo scripts/live-lab.sh start [none|optional|required] [1.2|1.3]
#        a network namespace (sipmtls-lab, loopback only) with a TLS server
#        (openssl s_server, the committed test PKI) on 127.0.0.1:5061 that
#        asks for no client certificate, asks for one, or requires one
#        (default: required; TLS 1.2 unless 1.3 is named)
#   sudo scripts/live-lab.sh report [REPORT OPTIONS...]
#        sipmtls-report --live lo in the namespace, with the options given
#        (e.g. --first); it prints the command it runs
#   sudo scripts/live-lab.sh call [none|clientauth|serverauth|noeku] [1.2|1.3] [KEYLOG]
#        a test call: a TLS connection from a client presenting that
#        certificate (default: serverauth, a renewed certificate without
#        clientAuth), one SIP OPTIONS request, close; KEYLOG: the client
#        appends its TLS keys there (SSLKEYLOGFILE format)
#   sudo scripts/live-lab.sh stop
#
# Nothing leaves the namespace.  What it needs beyond the quickstart
# (openssl, iproute2, ethtool) it installs when missing (install-deps.sh
# lab).  Environment: SIPMTLS_LAB_NS (namespace name, default
# sipmtls-lab), SIPMTLS_REPORT (the sipmtls-report to run; default: the
# one on your PATH or in ~/.local/bin).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pki=$here/../captures/pki
ns=${SIPMTLS_LAB_NS:-sipmtls-lab}
run=/run/$ns

die() { echo "live-lab.sh: $*" >&2; exit 2; }
usage() { sed -n '2,/^# SPDX/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

[ $# -ge 1 ] || { usage; exit 2; }
cmd=$1
shift
case $cmd in -h|--help) usage; exit 0 ;; esac
[ "$(id -u)" = 0 ] || die "run it with sudo (it creates a network namespace)"
# what the quickstart does not install: the lab group of packages.txt
# (openssl, iproute2: ip and ss, ethtool)
for tool in ip ss openssl ethtool; do
    if ! command -v "$tool" >/dev/null; then
        echo "live-lab.sh: $tool is missing: installing the lab's packages (scripts/install-deps.sh lab)" >&2
        "$here/install-deps.sh" lab >&2 || die "could not install the lab's packages: sudo $here/install-deps.sh lab"
        break
    fi
done
for tool in ip ss openssl; do
    command -v "$tool" >/dev/null || die "needs $tool (sudo $here/install-deps.sh lab)"
done
in_ns() { ip netns exec "$ns" "$@"; }
# the namespace itself, not one whose name only starts with it (sipmtls-lab-2)
have_ns() { ip netns list | awk '{ print $1 }' | grep -qxF -- "$ns"; }

case $cmd in
start)
    req=${1:-required} tls=${2:-1.2}
    case $req in none|optional|required) ;; *) die "start: none, optional or required, not $req" ;; esac
    case $tls in 1.2|1.3) ;; *) die "start: TLS 1.2 or 1.3, not $tls" ;; esac
    have_ns && die "$ns is running already: sudo $0 stop"
    ip netns add "$ns"
    in_ns ip link set lo mtu 1500 up
    in_ns ethtool -K lo tso off gso off >/dev/null 2>&1 || true
    mkdir -p "$run"
    server=(openssl s_server -quiet -accept 127.0.0.1:5061 "-tls${tls/./_}"
            -cert "$pki/server-serverauth.pem" -key "$pki/server-serverauth.key"
            -cert_chain "$pki/issuing-ca.pem")
    case $req in
    optional) server+=(-verify 4 -CAfile "$pki/root-ca.pem" -verify_return_error) ;;
    required) server+=(-Verify 4 -CAfile "$pki/root-ca.pem" -verify_return_error) ;;
    esac
    # s_server ends a connection when its stdin ends: a FIFO held open keeps it
    rm -f "$run/server.in"
    mkfifo "$run/server.in"
    setsid ip netns exec "$ns" bash -c 'exec 3<>"$1"; shift; exec "$@" <&3' _ "$run/server.in" \
        "${server[@]}" > "$run/server.log" 2>&1 < /dev/null &
    echo $! > "$run/server.pid"
    for _ in $(seq 100); do
        [ -n "$(in_ns ss -Hltn 'sport = :5061' 2>/dev/null)" ] && break
        sleep 0.05
    done
    [ -n "$(in_ns ss -Hltn 'sport = :5061' 2>/dev/null)" ] || die "the server did not start: $(cat "$run/server.log")"
    echo "TLS $tls server on 127.0.0.1:5061 in namespace $ns, client certificate: $req"
    ;;
report)
    have_ns || die "no lab running: sudo $0 start"
    report=${SIPMTLS_REPORT:-}
    if [ -z "$report" ]; then
        report=$(command -v sipmtls-report || true)
        if [ -z "$report" ] && [ -n "${SUDO_USER:-}" ]; then
            home=$(getent passwd "$SUDO_USER" | cut -d: -f6)
            [ -x "$home/.local/bin/sipmtls-report" ] && report=$home/.local/bin/sipmtls-report
        fi
    fi
    [ -n "$report" ] || die "sipmtls-report not found: install it (scripts/quickstart.sh) or set SIPMTLS_REPORT"
    echo "+ ip netns exec $ns $report --live lo $*" >&2
    exec ip netns exec "$ns" "$report" --live lo "$@"
    ;;
call)
    cert=${1:-serverauth} tls=${2:-1.2} keylog=${3:-}
    case $cert in none|clientauth|serverauth|noeku) ;; *) die "call: none, clientauth, serverauth or noeku, not $cert" ;; esac
    case $tls in 1.2|1.3) ;; *) die "call: TLS 1.2 or 1.3, not $tls" ;; esac
    have_ns || die "no lab running: sudo $0 start"
    client=(openssl s_client -connect 127.0.0.1:5061 -servername sbc.example.test "-tls${tls/./_}"
            -CAfile "$pki/root-ca.pem" -nocommands)
    case $cert in
    clientauth) leaf=client-dualeku ;;
    serverauth) leaf=client-serverauth ;;
    noeku) leaf=client-noeku ;;
    none) leaf= ;;
    esac
    [ -z "$leaf" ] || client+=(-cert "$pki/$leaf.pem" -key "$pki/$leaf.key" -cert_chain "$pki/issuing-ca.pem")
    [ -z "$keylog" ] || client+=(-keylogfile "$keylog")
    { sleep 0.5
      printf 'OPTIONS sip:sbc.example.test:5061;transport=tls SIP/2.0\r\nCall-ID: lab-%s@trunk.carrier.example\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n' "$RANDOM"
      sleep 0.5; } | in_ns timeout 10 "${client[@]}" > "$run/call.log" 2>&1 || true
    echo "call made ($cert certificate, TLS $tls); what the client printed: $run/call.log"
    ;;
stop)
    if [ -f "$run/server.pid" ]; then
        kill "$(cat "$run/server.pid")" 2>/dev/null || true
    fi
    if have_ns; then
        ip netns pids "$ns" | xargs -r kill 2>/dev/null || true
        ip netns del "$ns"
    fi
    rm -rf "$run"
    echo "lab stopped"
    ;;
*)
    usage
    exit 2
    ;;
esac
