#!/usr/bin/env python3
"""cut.py PLUGIN_SO CAPTURES_DIR [--jobs N] [--keys]

The exhaustive cut test (issue 11): every committed single-connection
capture, started at each of its frames in turn and with each of its frames
dropped in turn (editcap, as a support engineer would get it from a capture
started late or a lossy capture point), must never say more than the full
capture shows:

  - no variant says "no client certificate requested" (verdict 1) where the
    full capture's handshake has any other verdict (a request, or
    undetermined);
  - no variant claims a request (verdicts 2-6, 8) where the full capture
    shows none, nor any verdict but "undetermined" that differs from the
    full capture's (verdict 8, a chain accepted with its EKU unseen, is what
    3, 4 and 5 are without decryption: a cut before the ClientHello leaves
    the key log's client random unknown);
  - every handshake of every audited connection ends in exactly one class:
    one verdict each, numbered 1..n, in two passes (where sipmtls settles
    what is still open at the end of the capture).

"Undetermined" (7) is always allowed.  With --keys every capture is read
with every key log (captures/keys/all-merged.keys): the -keyed copies are
these same recordings with their key log inside, so their variants are the
plain variants read with keys.

Cost: a tshark run costs about 0.3 s before it reads a packet, which would
make ~1,900 variants per mode take minutes per core.  So variants are
batched: the i-th variant of every capture goes into one file (mergecap -a).
The recordings have distinct client ports, so their connections stay apart
in one file, and each verdict is told by its client port; a batch is one
tshark run.  Multi-connection captures (tls13-psk-resumption, deadlines-merged,
multi-connection-interleaved, all-merged) are left out: a cut of one of
their connections is already a cut of a single-connection recording; so
are the committed cut-* variants, which are such cuts.

On failure it prints, per offending variant, the editcap command that makes
it and the tshark command that shows it.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import collections
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_TSHARK = os.path.join(HERE, "run-tshark.sh")
LEFT_OUT = ("all-merged", "deadlines-merged", "multi-connection-interleaved", "tls13-psk-resumption", "cut-")
REQUEST_VERDICTS = {2, 3, 4, 5, 6, 8}
UNDETERMINED = 7
FIELDS = ["frame.number", "tcp.srcport", "tcp.dstport", "sipmtls.verdict",
          "sipmtls.handshake", "sipmtls.reason", "frame.protocols"]
SERVER_PORTS = ("5061", "5071")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)


def frame_count(path):
    out = run(["capinfos", "-c", "-M", "-T", "-r", path]).stdout
    return int(out.split("\t")[-1])


def client_port(path):
    out = run(["tshark", "-r", path, "-c", "1", "-T", "fields", "-e", "tcp.srcport"]).stdout
    return out.strip()


def tshark_args(keys):
    args = ["-n", "-2", "-o", "sipmtls.ports:5061,5071"]
    if keys:
        args += ["-o", "tls.keylog_file:" + keys]
    return args


def verdicts(plugin, capture, keys):
    """client port -> list of (handshake, verdict, reason, frame) in frame order,
    and the set of client ports of connections with any sipmtls item."""
    # No display filter: with one, tshark's first pass builds a tree for
    # every frame, and sipmtls's own way of reading the facts without one
    # (TCP without a tree, fact_tree.c) would go untested by the cuts, which
    # are what it must get right.  Frames without sipmtls are skipped here.
    cmd = [RUN_TSHARK, plugin, "--", "-r", capture] + tshark_args(keys) + [
        "-T", "fields", "-E", "occurrence=a", "-E", "separator=\t"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = run(cmd).stdout
    by_port = collections.defaultdict(list)
    audited = set()
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) != len(FIELDS):
            continue
        t, src, dst, verdict, handshake, reason, protocols = cols
        if "sipmtls" not in protocols.split(":"):
            continue
        port = dst if src in SERVER_PORTS else src
        audited.add(port)
        if verdict == "":
            continue
        vs = [int(v) for v in verdict.split(",")]
        # A request's subtree names its handshake too, before the verdict's.
        hs = [int(h) for h in handshake.split(",")][-len(vs):] if handshake else [0] * len(vs)
        rs = reason.split(",") if reason else []
        for i, v in enumerate(vs):
            by_port[port].append((hs[i] if i < len(hs) else 0, v, rs[i] if i < len(rs) else "",
                                  int(t)))
    return by_port, audited


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("plugin")
    ap.add_argument("captures")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keys", action="store_true", help="read every variant with all key logs")
    ap.add_argument("--only", help="comma-separated capture names (for debugging)")
    args = ap.parse_args()
    started = time.time()

    names = sorted(f[:-len(".pcapng")] for f in os.listdir(args.captures)
                   if f.endswith(".pcapng") and not f.endswith("-keyed.pcapng")
                   and not f.startswith(LEFT_OUT))
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    work = tempfile.mkdtemp(prefix="sipmtls-cut.")
    os.chmod(work, 0o755)
    try:
        keys = None
        if args.keys:
            keys = os.path.join(work, "all.keys")
            shutil.copy(os.path.join(args.captures, "keys", "all-merged.keys"), keys)
            os.chmod(keys, 0o644)

        caps = {}
        for n in names:
            path = os.path.join(args.captures, n + ".pcapng")
            caps[n] = {"path": path, "port": client_port(path), "n": frame_count(path)}
        ports = collections.Counter(c["port"] for c in caps.values())
        clash = [n for n, c in caps.items() if ports[c["port"]] > 1]
        if clash:
            print("cut.py: captures share a client port, cannot batch them: " + " ".join(clash))
            return 2

        # The full captures, all in one run: the baseline.
        full = os.path.join(work, "full.pcapng")
        run(["mergecap", "-a", "-w", full] + [caps[n]["path"] for n in names])
        os.chmod(full, 0o644)
        base, _ = verdicts(args.plugin, full, keys)
        offset = 0
        for n in names:
            c = caps[n]
            c["full"] = [(h, v, r, f - offset) for h, v, r, f in base.get(c["port"], [])]
            offset += c["n"]

        # Variants: ("start", k) keeps frames k..N, ("drop", k) all but k.
        variants = {n: [("start", k) for k in range(2, c["n"] + 1)]
                    + [("drop", k) for k in range(1, c["n"] + 1)] for n, c in caps.items()}
        n_batches = max(len(v) for v in variants.values())

        def editcap_cmd(n, kind, k, out):
            c = caps[n]
            if kind == "start":
                return ["editcap", "-r", c["path"], out, "%d-%d" % (k, c["n"])]
            return ["editcap", c["path"], out, str(k)]

        def one_batch(i):
            d = os.path.join(work, "b%d" % i)
            os.mkdir(d)
            members = []
            offset = 0
            for n in names:
                if i < len(variants[n]):
                    kind, k = variants[n][i]
                    out = os.path.join(d, "%s.pcapng" % n)
                    run(editcap_cmd(n, kind, k, out))
                    members.append((n, kind, k, out, offset))
                    offset += caps[n]["n"] - (k - 1 if kind == "start" else 1)
            merged = os.path.join(d, "batch.pcapng")
            run(["mergecap", "-a", "-w", merged] + [m[3] for m in members])
            os.chmod(d, 0o755)
            os.chmod(merged, 0o644)
            got, audited = verdicts(args.plugin, merged, keys)
            shutil.rmtree(d)
            def original(kind, k, f):
                return f + k - 1 if kind == "start" else (f if f < k else f + 1)
            return [(n, kind, k, [(h, v, r, original(kind, k, f - off))
                                  for h, v, r, f in got.get(caps[n]["port"], [])],
                     caps[n]["port"] in audited)
                    for n, kind, k, _, off in members]

        results = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for r in pool.map(one_batch, range(n_batches)):
                results.extend(r)

        failures = []
        counts = collections.Counter()

        def full_verdict(n, kind, hs, t):
            """The verdict of the full capture's handshake that the variant's
            handshake hs, settled on (full capture) frame t, is.  A dropped
            frame leaves every handshake's start in place, so the numbers
            agree; a capture started late may begin with a later handshake,
            so there it is the first whose verdict is at or after t."""
            full_list = caps[n]["full"]
            if kind == "drop":
                for fh, v, reason, ft in full_list:
                    if fh == hs:
                        return v
            for fh, v, reason, ft in full_list:
                if ft >= t:
                    return v
            return full_list[-1][1] if full_list else None

        for n, kind, k, got, audited in results:
            counts["variants"] += 1
            problems = []
            numbers = sorted(h for h, _, _, _ in got)
            if audited and not got:
                problems.append("audited connection without a verdict")
            if numbers != list(range(1, len(numbers) + 1)):
                problems.append("handshakes %s: not exactly one verdict each" % numbers)
            for hs, v, reason, t in got:
                f = full_verdict(n, kind, hs, t)
                counts["verdicts"] += 1
                if v == UNDETERMINED:
                    counts["undetermined"] += 1
                    continue
                if v == 1 and f != 1:
                    counts["false no request"] += 1
                    problems.append("handshake %d: verdict 1 (no request), full capture %s" % (hs, f))
                elif v in REQUEST_VERDICTS and f == 1:
                    counts["false request"] += 1
                    problems.append("handshake %d: verdict %d (a request), full capture 1" % (hs, v))
                elif v == 8 and f in (3, 4, 5):
                    # A chain accepted, its EKU not visible: what the full
                    # capture shows with the EKU (a cut before the ClientHello
                    # leaves Wireshark without the key log's client random).
                    counts["agreeing"] += 1
                elif v != f:
                    counts["other contradictions"] += 1
                    problems.append("handshake %d: verdict %d, full capture %s" % (hs, v, f))
                else:
                    counts["agreeing"] += 1
            if problems:
                cmd = editcap_cmd(n, kind, k, "cut.pcapng")
                failures.append("%s\n    %s && tshark -r cut.pcapng %s -Y sipmtls.verdict"
                                % ("; ".join(problems), " ".join(cmd), " ".join(tshark_args(
                                    "captures/keys/all-merged.keys" if keys else None))))
        mode = "with keys" if keys else "without keys"
        print("cut.py %s: %d captures, %d variants in %d tshark runs, %d verdicts: %d agree with "
              "the full capture, %d undetermined, %d false no request, %d false request, "
              "%d other contradictions; %.0f s"
              % (mode, len(names), counts["variants"], n_batches + 1, counts["verdicts"],
                 counts["agreeing"], counts["undetermined"], counts["false no request"],
                 counts["false request"], counts["other contradictions"], time.time() - started))
        for f in failures:
            print("FAILED: " + f)
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
