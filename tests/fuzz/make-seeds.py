#!/usr/bin/env python3
# make-seeds.py CAPTURE_DIR OUT_DIR
#
# Seeds for the core fuzzer (core_fuzzer.c): each committed capture, read
# with tshark -T fields, becomes the event sequence the plugin would feed
# the core, written in the harness's byte format.  A seed only has to be
# close to real traffic, so the fuzzer starts from handshakes that reach
# the interesting states (requests, answers, verdicts) instead of finding
# them byte by byte; certificate names are placeholders, and a frame's
# EKUs all go to the first certificate of its Certificate message.
#
# TLS 1.3 captures are converted twice, with and without their key log,
# since the core sees very different events in the two cases.
#
# SPDX-License-Identifier: GPL-2.0-or-later
import glob
import os
import struct
import subprocess
import sys

FIELDS = [
    "frame.number", "tcp.srcport", "tcp.flags",
    "tls.record.content_type", "tls.record.opaque_type", "tls.record.length", "tls.handshake.type",
    "tls.handshake.ciphersuite", "tls.handshake.extensions.psk.identity.selected",
    "tls.handshake.version", "tls.handshake.extensions.supported_version",
    "tls.handshake.cert_type", "tls.handshake.sig_hash_alg", "tls.handshake.dname",
    "tls.handshake.certificate", "x509ce.KeyPurposeIDs", "x509ce.KeyPurposeId",
    "tls.alert_message.level", "tls.alert_message.desc",
    "sip.Method", "sip.Call-ID", "sip.from.addr", "sip.to.addr",
]

# Operation codes of core_fuzzer.c (bits 0-3 of the op byte).
OP_HANDSHAKE_RAW, OP_CCS, OP_ENC_HS, OP_APP_DATA = 0, 2, 3, 4
OP_ALERT, OP_ENC_ALERT, OP_OPAQUE, OP_FIN, OP_RST, OP_SIP = 5, 6, 7, 8, 9, 10
NEW_FRAME = 0x40

CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
SERVER_AUTH = "1.3.6.1.5.5.7.3.1"


def text(s):
    b = s.encode()[:2000]
    if len(b) < 254:
        return bytes([len(b)]) + b
    return b"\xff" + struct.pack(">H", len(b)) + b


def number(s):
    return int(s, 0) if s else 0


def values(s):
    return [v for v in s.split(",") if v] if s else []


def eku(oid):
    if oid == CLIENT_AUTH:
        return b"\x00"
    if oid == SERVER_AUTH:
        return b"\x01"
    return b"\x07" + text(oid)


def certificate(row):
    n = len(values(row["tls.handshake.certificate"]))
    out = bytes([n, 0, min(n, 20)])
    ekus = values(row["x509ce.KeyPurposeId"])
    for i in range(n):
        mine = ekus if i == 0 else []
        flags = 4 if (i == 0 and row["x509ce.KeyPurposeIDs"]) else 0
        out += bytes([flags]) + text("CN=seed leaf %d,O=Example" % i) + text("CN=seed CA,O=Example")
        out += bytes([len(mine)]) + b"".join(eku(o) for o in mine)
    return out


def request(row):
    types = [number(v) for v in values(row["tls.handshake.cert_type"])][:20]
    algs = [number(v) for v in values(row["tls.handshake.sig_hash_alg"])][:48]
    cas = values(row["tls.handshake.dname"])[:24]
    out = bytes([0, len(types), len(algs), len(cas)]) + bytes(t & 0xff for t in types)
    out += b"".join(struct.pack(">H", a & 0xffff) for a in algs)
    out += b"".join(text("CN=seed acceptable CA %d" % i) for i in range(len(cas)))
    return out


def server_hello(row):
    """Version and cipher suite as 16-bit values, PSK flag (see read_server_hello)."""
    v = values(row["tls.handshake.extensions.supported_version"]) or values(row["tls.handshake.version"])
    suite = values(row["tls.handshake.ciphersuite"])
    flags = 0x03 | 0x70 | (0x08 if row["tls.handshake.extensions.psk.identity.selected"] else 0)
    return bytes([flags]) + struct.pack(">HH", number(v[-1]) if v else 0, number(suite[-1]) if suite else 0)


def frame_events(row, direction):
    """The frame's events in the order the glue feeds them."""
    ops = []
    d = direction << 4
    for t in values(row["tls.handshake.type"]):
        t = number(t)
        body = {11: certificate, 13: request, 2: server_hello}.get(t, lambda r: b"")(row)
        ops.append(bytes([OP_HANDSHAKE_RAW | d, t & 0xff]) + body)
    types = [number(v) for v in values(row["tls.record.content_type"])]
    opaque = values(row["tls.record.opaque_type"])
    hs_types = values(row["tls.handshake.type"])
    alerts = values(row["tls.alert_message.desc"])
    for ct in types:
        if ct == 20:
            ops.append(bytes([OP_CCS | d, 0, 1]))
    if 22 in types and not hs_types and not opaque:
        ops.append(bytes([OP_ENC_HS | d, 0, 40]))
    # TLS 1.3 records nobody decrypted: their lengths are all the core sees.
    lengths = [number(v) for v in values(row["tls.record.length"])]
    if opaque and not hs_types and not alerts:
        for length in lengths[-len(opaque):]:
            ops.append(bytes([OP_OPAQUE | d]) + struct.pack(">H", length))
    if 23 in types and not opaque:
        ops.append(bytes([OP_APP_DATA | d, 1, 0]))
    levels = values(row["tls.alert_message.level"])
    for i, desc in enumerate(alerts):
        level = number(levels[i]) if i < len(levels) else 2
        ops.append(bytes([OP_ALERT | d, level, number(desc)]))
    if 21 in types and not alerts:
        ops.append(bytes([OP_ENC_ALERT | d]))
    flags = number(row["tcp.flags"])
    if flags & 0x4:
        ops.append(bytes([OP_RST | d]))
    elif flags & 0x1:
        ops.append(bytes([OP_FIN | d]))
    if row["sip.Method"]:
        ops.append(bytes([OP_SIP | d, 0]) + text(values(row["sip.Method"])[0])
                   + text(row["sip.Call-ID"]) + text(row["sip.from.addr"]) + text(row["sip.to.addr"]))
    return ops


def convert(capture, keys):
    cmd = ["tshark", "-n", "-r", capture, "-T", "fields", "-E", "occurrence=a",
           "-E", "aggregator=,", "-E", "separator=\t", "-o", "tls.desegment_ssl_records:TRUE"]
    if keys:
        cmd += ["-o", "tls.keylog_file:" + keys]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    seed = b""
    prev_frame, first_port = 0, None
    for line in out.splitlines():
        row = dict(zip(FIELDS, line.split("\t") + [""] * len(FIELDS)))
        if first_port is None:
            first_port = row["tcp.srcport"]
        ops = frame_events(row, 0 if row["tcp.srcport"] == first_port else 1)
        if not ops:
            continue
        frame = number(row["frame.number"])
        delta = max(0, min(255, frame - prev_frame - 1))
        prev_frame = frame
        first = ops[0]
        seed += bytes([first[0] | NEW_FRAME, delta]) + first[1:] + b"".join(ops[1:])
    return seed


def main():
    captures, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for capture in sorted(glob.glob(os.path.join(captures, "*.pcapng"))):
        name = os.path.basename(capture)[:-len(".pcapng")]
        if name.endswith("-keyed") or name == "all-merged":
            continue    # the same recordings as others (with a key log, or merged)
        keys = os.path.join(captures, "keys", name + ".keys")
        variants = [("", None)]
        if os.path.exists(keys):
            variants.append(("-keylog", keys))
        for suffix, k in variants:
            seed = convert(capture, k)
            with open(os.path.join(out_dir, name + suffix), "wb") as f:
                f.write(seed)
            print("%s%s: %d bytes" % (name, suffix, len(seed)))


if __name__ == "__main__":
    main()
