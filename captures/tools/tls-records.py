#!/usr/bin/python3
"""tls-records.py CAPTURE PORT KEYLOG - TLS records of each connection as seen
WITHOUT keys, up to the client's (first) Finished, and the few records after it.

The key log is used only to find the frame that carries the client's Finished
(the first handshake Finished sent to PORT on each TCP stream); every record
shown is dissected without it, i.e. what an observer without keys sees.

One line per TCP stream; flights (consecutive records in one direction) are
separated by " ; ", "c" = client to server, "s" = server to client, [a-b] the
frames in which tshark completed the flight's records.  Records in clear are
named (CH ClientHello, SH ServerHello, HRR HelloRetryRequest, CCS
ChangeCipherSpec, alert); an encrypted record (TLS 1.3 opaque type 23) is just
its length, i.e. the TLSCiphertext length field: inner plaintext + 1 + 16 for
every suite recorded here.  After " => " come up to six records that follow
the client's Finished (tickets, an alert, the SIP request).
"""
import json
import subprocess
import sys

HRR_RANDOM = "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c"
HS_NAMES = {"1": "CH", "2": "SH", "4": "NST", "8": "EE", "11": "Cert", "13": "CR",
            "15": "CV", "20": "Fin", "24": "KeyUpd"}


def tshark(*args):
    out = subprocess.run(["tshark", *args], check=True, capture_output=True, text=True).stdout
    return out


def as_list(x):
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def records_without_keys(capture, port):
    """[(frame, stream, 'c'|'s', label)] for every TLS record, no key log."""
    data = json.loads(tshark("-r", capture, "-o", "tls.keylog_file:", "-T", "json", "--no-duplicate-keys",
                             "-J", "frame tcp tls", "-Y", "tls"))
    out = []
    for pkt in data:
        layers = pkt["_source"]["layers"]
        frame = int(layers["frame"]["frame.number"])
        tcp = layers["tcp"]
        stream = int(tcp["tcp.stream"])
        direction = "c" if tcp["tcp.dstport"] == str(port) else "s"
        for tls in as_list(layers.get("tls")):
            recs = tls.get("tls.record") if isinstance(tls, dict) else None
            for rec in as_list(recs):
                if not isinstance(rec, dict):
                    continue
                length = rec.get("tls.record.length", "?")
                if "tls.record.opaque_type" in rec:
                    label = length
                else:
                    ctype = rec.get("tls.record.content_type")
                    if ctype == "22":
                        hs = rec.get("tls.handshake", {})
                        hs = as_list(hs)[0] if hs else {}
                        htype = hs.get("tls.handshake.type", "?")
                        name = HS_NAMES.get(htype, "hs" + htype)
                        if htype == "2" and hs.get("tls.handshake.random", "").replace(":", "") == HRR_RANDOM:
                            name = "HRR"
                        label = f"{name} {length}"
                    elif ctype == "20":
                        label = f"CCS {length}"
                    elif ctype == "21":
                        label = f"alert {length}"
                    elif ctype == "23":
                        label = f"appdata {length}"
                    else:
                        label = f"type{ctype} {length}"
                out.append((frame, stream, direction, label))
    return out


def client_finished_frames(capture, port, keylog):
    out = tshark("-r", capture, "-o", f"tls.keylog_file:{keylog}", "-Y",
                 f"tls.handshake.type == 20 && tcp.dstport == {port}",
                 "-T", "fields", "-e", "tcp.stream", "-e", "frame.number")
    first = {}
    for line in out.splitlines():
        stream, frame = line.split("\t")
        first.setdefault(int(stream), int(frame))
    return first


def flights(recs):
    parts, cur, cur_dir, frames = [], [], None, []
    for frame, _stream, direction, label in recs:
        if direction != cur_dir and cur:
            parts.append((cur_dir, frames, cur))
            cur, frames = [], []
        cur_dir = direction
        cur.append(label)
        frames.append(frame)
    if cur:
        parts.append((cur_dir, frames, cur))
    text = []
    for direction, frames, labels in parts:
        span = str(frames[0]) if frames[0] == frames[-1] else f"{frames[0]}-{frames[-1]}"
        text.append(f"{direction}[{span}] " + ", ".join(labels))
    return " ; ".join(text)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    capture, port, keylog = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    recs = records_without_keys(capture, port)
    fin = client_finished_frames(capture, port, keylog)
    for stream in sorted({r[1] for r in recs}):
        mine = [r for r in recs if r[1] == stream]
        limit = fin.get(stream)
        if limit is None:
            print(f"stream {stream}: (no client Finished) {flights(mine)}")
            continue
        before = [r for r in mine if r[0] <= limit]
        after = [r for r in mine if r[0] > limit][:6]
        print(f"stream {stream}: {flights(before)} => {flights(after) if after else '(nothing)'}")


if __name__ == "__main__":
    main()
