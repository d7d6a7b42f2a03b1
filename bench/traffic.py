#!/usr/bin/python3
# traffic.py - the traffic behind the benchmark captures (bench/make-capture.sh).
#
# Three roles, each its own process so that each has its own interpreter
# lock on a 2-core machine:
#
#   traffic.py tls-server --pki DIR --ready FILE
#       One listener on 5061 per server configuration, each on its own
#       loopback address (127.0.0.1 ... 127.0.0.8): TLS 1.2 or 1.3, a server
#       certificate with or without clientAuth, no / optional / required
#       client certificate.  Each connection reads one SIP request, answers
#       200 OK and closes with close_notify.  Runs until killed.
#
#   traffic.py tls-clients --pki DIR --count N --seconds T --keylog-dir DIR
#       N connections started evenly over T seconds, 8 at most at a time,
#       connection i using scenario i mod len(SCENARIOS):
#       handshake, one SIP OPTIONS in a single write, read the answer,
#       close_notify.  Key logs go to one file per client context.
#
#   traffic.py rtp --streams S --packets P --seconds T
#       S RTP streams of P packets each (12-byte RTP header, PCMU, 160-byte
#       payload, timestamps advancing 160 per packet as at 20 ms pacing),
#       one packet per stream per round, the rounds spread over T seconds.
#
# Only loopback addresses are used; make-capture.sh runs this inside a
# network namespace that has nothing but lo.
#
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import concurrent.futures
import os
import signal
import socket
import ssl
import struct
import sys
import threading
import time

SIP_PORT = 5061
SIP_DOMAIN = "sbc.example.test"

# Server configurations: (address, TLS version, server certificate, request).
SERVERS = [
    ("127.0.0.1", "1.2", "server-serverauth", "none"),
    ("127.0.0.2", "1.2", "server-serverauth", "optional"),
    ("127.0.0.3", "1.2", "server-serverauth", "required"),
    ("127.0.0.4", "1.2", "server-dualeku", "none"),
    ("127.0.0.5", "1.3", "server-serverauth", "none"),
    ("127.0.0.6", "1.3", "server-serverauth", "optional"),
    ("127.0.0.7", "1.3", "server-serverauth", "required"),
    ("127.0.0.8", "1.3", "server-dualeku", "none"),
]

# Client scenarios, used in turn: (server address, client certificate).
# The same mix as captures/record.sh: no request, an optional request
# answered without a certificate, a required one answered with a
# clientAuth / serverAuth-only (the server rejects it) / EKU-less
# certificate, and a server certificate that itself carries clientAuth.
SCENARIOS = [
    ("127.0.0.1", None),
    ("127.0.0.2", None),
    ("127.0.0.3", "client-dualeku"),
    ("127.0.0.3", "client-serverauth"),
    ("127.0.0.3", "client-noeku"),
    ("127.0.0.4", None),
    ("127.0.0.5", None),
    ("127.0.0.6", None),
    ("127.0.0.7", "client-dualeku"),
    ("127.0.0.7", "client-serverauth"),
    ("127.0.0.7", "client-noeku"),
    ("127.0.0.8", None),
]

TLS_VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}

# RTP streams run from one "media gateway" address to another, on ports no
# Wireshark dissector claims, so every packet is left to the RTP heuristic.
RTP_SRC = ("127.0.1.1", 16000)
RTP_DST = ("127.0.1.2", 14000)
RTP_PAYLOAD_TYPE = 0          # PCMU
RTP_SAMPLES_PER_PACKET = 160  # 20 ms at 8 kHz
RTP_SSRC_BASE = 0x51900000


def sip_options(i):
    return ("OPTIONS sip:%s:%d;transport=tls SIP/2.0\r\n"
            "Via: SIP/2.0/TLS trunk.carrier.example:5061;branch=z9hG4bK-bench-%d\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:ping@trunk.carrier.example>;tag=bench-%d\r\n"
            "To: <sip:%s>\r\n"
            "Call-ID: bench-%d@trunk.carrier.example\r\n"
            "CSeq: 1 OPTIONS\r\n"
            "Contact: <sip:ping@trunk.carrier.example;transport=tls>\r\n"
            "Accept: application/sdp\r\n"
            "Content-Length: 0\r\n\r\n"
            % (SIP_DOMAIN, SIP_PORT, i, i, SIP_DOMAIN, i)).encode()


def sip_ok(request):
    """The 200 OK to an OPTIONS request, echoing its dialog headers."""
    keep = [line for line in request.decode(errors="replace").split("\r\n")
            if line.split(":", 1)[0] in ("Via", "From", "To", "Call-ID", "CSeq")]
    head = ["SIP/2.0 200 OK"]
    for line in keep:
        head.append(line + (";tag=sbc-1" if line.startswith("To:") else ""))
    head += ["Allow: INVITE, ACK, CANCEL, BYE, OPTIONS", "Accept: application/sdp",
             "Content-Length: 0", "", ""]
    return "\r\n".join(head).encode()


def read_message(sock):
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = sock.recv(4096)
        if not data:
            return None
        buf += data
    return buf


# --------------------------------------------------------------------------
# TLS server
# --------------------------------------------------------------------------
def server_context(pki, version, cert, request):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ctx.maximum_version = TLS_VERSIONS[version]
    ctx.load_cert_chain(os.path.join(pki, cert + "-chain.pem"), os.path.join(pki, cert + ".key"))
    if request != "none":
        ctx.load_verify_locations(os.path.join(pki, "root-ca.pem"))
        ctx.verify_mode = ssl.CERT_OPTIONAL if request == "optional" else ssl.CERT_REQUIRED
    return ctx


def serve_one(ctx, raw):
    raw.settimeout(20)
    try:
        with ctx.wrap_socket(raw, server_side=True) as s:
            request = read_message(s)
            if request is None:
                return
            s.sendall(sip_ok(request))
            # The client closes with close_notify; answer with ours.
            while s.recv(4096):
                pass
            s.unwrap()
    except (OSError, ssl.SSLError):
        pass  # rejected client certificates end here, as they should
    finally:
        raw.close()


def accept_loop(ctx, lsock):
    while True:
        raw, _ = lsock.accept()
        threading.Thread(target=serve_one, args=(ctx, raw), daemon=True).start()


def tls_server(args):
    # Block the stop signals before any thread starts, so that only the
    # main thread's sigwait() receives them.
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    for addr, version, cert, request in SERVERS:
        lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lsock.bind((addr, SIP_PORT))
        lsock.listen(512)
        ctx = server_context(args.pki, version, cert, request)
        threading.Thread(target=accept_loop, args=(ctx, lsock), daemon=True).start()
    with open(args.ready, "w") as f:
        f.write("ready\n")
    signal.sigwait([signal.SIGTERM, signal.SIGINT])


# --------------------------------------------------------------------------
# TLS clients
# --------------------------------------------------------------------------
def client_context(pki, cert, keylog):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(os.path.join(pki, "root-ca.pem"))
    if cert is not None:
        ctx.load_cert_chain(os.path.join(pki, cert + "-chain.pem"), os.path.join(pki, cert + ".key"))
    ctx.keylog_filename = keylog
    return ctx


def connect_one(i, ctx, addr):
    """One connection; returns an outcome name."""
    raw = socket.create_connection((addr, SIP_PORT), timeout=20)
    try:
        with ctx.wrap_socket(raw, server_hostname=SIP_DOMAIN) as s:
            s.sendall(sip_options(i))
            answer = read_message(s)
            if answer is None:
                return "no answer"
            s.unwrap()
            return "answered"
    except ssl.SSLError:
        return "rejected"
    except OSError:
        return "reset"
    finally:
        raw.close()


def tls_clients(args):
    certs = sorted({c for _, c in SCENARIOS}, key=lambda c: c or "")
    ctxs = {c: client_context(args.pki, c, os.path.join(args.keylog_dir, "%s.keys" % (c or "nocert")))
            for c in certs}
    outcomes = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.workers) as pool:
        futures = []
        interval = args.seconds / args.count
        start = time.monotonic()
        for i in range(args.count):
            # Spread over the same span as the RTP, so the merged capture
            # interleaves the two from start to end.
            delay = start + i * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            addr, cert = SCENARIOS[i % len(SCENARIOS)]
            futures.append(pool.submit(connect_one, i, ctxs[cert], addr))
        for f in futures:
            o = f.result()
            outcomes[o] = outcomes.get(o, 0) + 1
    print("tls-clients: %d connections in %.1f s: %s" % (args.count, time.monotonic() - start,
          ", ".join("%s %d" % kv for kv in sorted(outcomes.items()))), file=sys.stderr)


# --------------------------------------------------------------------------
# RTP
# --------------------------------------------------------------------------
def rtp(args):
    socks = []
    sinks = []
    for k in range(args.streams):
        # A receiver on every destination port, never read: packets are
        # dropped at its socket instead of drawing ICMP port unreachables.
        sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sink.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sink.bind((RTP_DST[0], RTP_DST[1] + 2 * k))
        sinks.append(sink)
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((RTP_SRC[0], RTP_SRC[1] + 2 * k))
        s.connect((RTP_DST[0], RTP_DST[1] + 2 * k))
        socks.append(s)
    # Silence with a little variation, as a real PCMU stream would carry.
    payloads = [bytes(((0xFF - ((j * 7 + n) % 5)) & 0xFF) for j in range(RTP_SAMPLES_PER_PACKET))
                for n in range(16)]
    interval = args.seconds / args.packets
    start = time.monotonic()
    for n in range(args.packets):
        for k, s in enumerate(socks):
            marker = 0x80 if n == 0 else 0
            seq = (k * 1000 + n) & 0xFFFF
            ts = (k * 48000 + n * RTP_SAMPLES_PER_PACKET) & 0xFFFFFFFF
            header = struct.pack("!BBHII", 0x80, marker | RTP_PAYLOAD_TYPE, seq, ts,
                                 RTP_SSRC_BASE + k)
            s.send(header + payloads[(n + k) % len(payloads)])
        delay = start + (n + 1) * interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    print("rtp: %d streams x %d packets in %.1f s" % (args.streams, args.packets,
                                                      time.monotonic() - start), file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description="traffic of the sipmtls benchmark captures")
    sub = p.add_subparsers(dest="role", required=True)
    s = sub.add_parser("tls-server")
    s.add_argument("--pki", required=True)
    s.add_argument("--ready", required=True)
    c = sub.add_parser("tls-clients")
    c.add_argument("--pki", required=True)
    c.add_argument("--count", type=int, required=True)
    c.add_argument("--workers", type=int, default=8)
    c.add_argument("--seconds", type=float, default=0, help="spread the connections over this span")
    c.add_argument("--keylog-dir", required=True)
    r = sub.add_parser("rtp")
    r.add_argument("--streams", type=int, required=True)
    r.add_argument("--packets", type=int, required=True)
    r.add_argument("--seconds", type=float, required=True)
    args = p.parse_args()
    {"tls-server": tls_server, "tls-clients": tls_clients, "rtp": rtp}[args.role](args)


if __name__ == "__main__":
    main()
