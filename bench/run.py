#!/usr/bin/python3
"""run.py - time tshark with and without sipmtls on the benchmark captures.

Usage (as root, from the checkout, after `cmake -S . -B build && cmake --build build`):

    bench/run.py [--rounds 3] [--captures DIR] [--plugin SO] [--json FILE]

Makes (or reuses) the captures with bench/make-capture.sh, then runs every
combination of

  capture  plain   bench.pcapng: 3,000 TLS connections on 5061 + 200,000 RTP
           keyed   bench-keyed.pcapng: the same with the TLS keys embedded
           rtp     rtp.pcapng: the RTP alone (nothing for sipmtls to see)
  mode     expert  -q -z expert
           filter  -Y <the variant's filter>
           2pass   -2 -q -z expert
           plain   nothing more: one summary line per frame
  variant  stock     tshark without any plugin
           plugin    tshark with sipmtls.so            (-Y sipmtls)
           filter    stock tshark with the equivalent display filter (-Y FILTER)
           lua       stock tshark with bench/sipmtls_equiv.lua (-Y sipmtls_lua)
           disabled  tshark with sipmtls.so and --disable-protocol sipmtls
           unaudited tshark with sipmtls.so and -o sipmtls.ports:1, so that no
                     connection is audited: the TLS captures become captures
                     of TLS on other ports (not run on the RTP capture, where
                     it is the plugin variant)

In filter mode the stock variant runs -Y snmp, a protocol none of the
captures has: a tree is built, as for every other -Y run, and nothing
matches.  (A filter on a field of "frame" would not do: it costs about 10%
more than any other, as callgrind shows.)  Every run has
--enable-heuristic rtp_udp, so RTP is dissected as RTP.

The first round also keeps a hash of every run's output: where sipmtls
audits nothing (the plugin on RTP, the unaudited and disabled variants on
every capture) it must be byte for byte stock tshark's, and the report
says so for each.

ROUNDS timed rounds each run every combination once, the order of the
variants rotated from round to round; what each command found is counted
from the first round's output.  Reports medians of CPU and wall time, the
ratios plugin/stock and plugin/filter, the plugin's added cost as a share
of the Lua script's ((plugin - stock) / (lua - stock)), and the median
peak resident memory (ru_maxrss of the tshark process, as /usr/bin/time -v
reports it).  Ratios and targets use CPU time (user + system of the tshark
process): on a shared machine it varies far less than wall time, which is
printed too.

tshark run as root ignores WIRESHARK_PLUGIN_DIR, personal plugins and Lua
scripts, so as root every run is made as the user nobody (65534), as
tests/integration/run-tshark.sh does, from a world-readable staging folder
laid out as <X.Y>/epan/sipmtls.so; the stock, filter and Lua variants get
an empty plugin folder of the same layout.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import glob
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

EQUIVALENT_FILTER = "tls.handshake.type == 13 || x509ce.KeyPurposeId == 1.3.6.1.5.5.7.3.2"
NOTHING_FILTER = "snmp"   # a protocol none of the captures has
COMMON_ARGS = ["--enable-heuristic", "rtp_udp"]

CAPTURES = [("plain", "bench.pcapng"), ("keyed", "bench-keyed.pcapng"), ("rtp", "rtp.pcapng")]
MODES = ["expert", "filter", "2pass", "plain"]
VARIANTS = ["stock", "plugin", "filter", "lua", "disabled", "unaudited"]
UNAUDITED_PORTS = "1"        # sipmtls.ports for the unaudited variant

# Targets of issue 13.
TARGET_NO_AUDIT = 1.02       # nothing audited (RTP; TLS on other ports) / stock, every mode
TARGET_TRUNK = 1.05          # TLS on 5061 + RTP: plugin / stock (expert, 2pass),
                             # plugin / filter (filter mode)
TARGET_VS_LUA = 0.25         # (plugin - stock) / (lua - stock), every mode
TARGET_DISABLED = 1.01       # --disable-protocol sipmtls / stock
TARGET_MEMORY = 1.05         # peak RSS / stock


def applies(capture, variant):
    """The unaudited variant is the plugin variant on the RTP capture."""
    return not (capture == "rtp" and variant == "unaudited")


def no_audit(capture, variant):
    """Runs in which sipmtls audits nothing: they must print what stock prints."""
    return variant in ("unaudited", "disabled") or (capture == "rtp" and variant == "plugin")


def die(msg):
    print("run.py: " + msg, file=sys.stderr)
    sys.exit(1)


class Stage:
    """A world-readable folder with the plugin folders, the Lua script and a
    home of its own, removed at the end."""

    def __init__(self, plugin_so):
        self.dir = tempfile.mkdtemp(prefix="sipmtls-bench.")
        ws = os.path.basename(os.path.dirname(os.path.dirname(plugin_so)))
        # tshark loads only X.Y/epan/sipmtls.so: a plugin anywhere else
        # would be staged where tshark never looks, and every "plugin" run
        # would measure stock tshark.
        if not re.fullmatch(r"\d+\.\d+", ws) or os.path.basename(os.path.dirname(plugin_so)) != "epan":
            die("the plugin must be at X.Y/epan/sipmtls.so (as a build tree has it): " + plugin_so)
        self.none = os.path.join(self.dir, "plugins-none")
        self.with_plugin = os.path.join(self.dir, "plugins-sipmtls")
        os.makedirs(os.path.join(self.none, ws, "epan"))
        os.makedirs(os.path.join(self.with_plugin, ws, "epan"))
        shutil.copy(plugin_so, os.path.join(self.with_plugin, ws, "epan", "sipmtls.so"))
        self.lua = os.path.join(self.dir, "sipmtls_equiv.lua")
        shutil.copy(os.path.join(HERE, "sipmtls_equiv.lua"), self.lua)
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home)
        subprocess.run(["chmod", "-R", "a+rX", self.dir], check=True)
        os.chmod(self.home, 0o777)

    def remove(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def as_user(stage, plugin_dir):
    """The words before a command: a clean environment with plugin_dir as
    the plugin folder, and, as root, the user nobody (see the docstring)."""
    env = ["env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + stage.home, "TZ=UTC",
           "LC_ALL=C.UTF-8", "WIRESHARK_PLUGIN_DIR=" + plugin_dir,
           "WIRESHARK_CONFIG_DIR=" + os.path.join(stage.home, "config")]
    prefix = []
    if os.geteuid() == 0:
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return prefix + env


def command(stage, capture, mode, variant):
    """The argv of one run and the environment it runs in."""
    args = ["tshark", "-r", capture] + COMMON_ARGS
    if mode == "2pass":
        args.append("-2")
    if mode in ("expert", "2pass"):
        args += ["-q", "-z", "expert"]
        if variant == "filter":
            args += ["-Y", EQUIVALENT_FILTER]
    elif mode == "filter":
        args += ["-Y", {"stock": NOTHING_FILTER, "plugin": "sipmtls",
                        "filter": EQUIVALENT_FILTER, "lua": "sipmtls_lua",
                        "disabled": NOTHING_FILTER, "unaudited": NOTHING_FILTER}[variant]]
    elif variant == "filter":
        args += ["-Y", EQUIVALENT_FILTER]
    if variant == "lua":
        args += ["-X", "lua_script:" + stage.lua]
    if variant == "disabled":
        args += ["--disable-protocol", "sipmtls"]
    if variant == "unaudited":
        args += ["-o", "sipmtls.ports:" + UNAUDITED_PORTS]
    with_plugin = variant in ("plugin", "disabled", "unaudited")
    return as_user(stage, stage.with_plugin if with_plugin else stage.none) + args


def run_once(argv, stdout):
    """Runs argv; returns (wall s, user+sys s, max RSS KiB, stderr)."""
    err = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err)
    # setpriv and env exec into tshark: the rusage of this pid is tshark's.
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    err.seek(0)
    msg = err.read().decode(errors="replace")
    if p.returncode != 0:
        die("failed (%d): %s\n%s" % (p.returncode, " ".join(argv), msg))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, msg


def findings(out, mode, variant):
    """What a run found, in a few words."""
    if mode in ("filter", "plain"):
        return "%d frames" % sum(1 for line in out.splitlines() if line.strip())
    proto = {"plugin": "SIPMTLS", "lua": "SIPMTLS_LUA"}.get(variant)
    if proto is None:
        m = re.search(r"^Warns \((\d+)\)", out, re.M)
        return "%s warns in all" % (m.group(1) if m else "0")
    n = 0
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 4 and f[2] == proto and f[0].isdigit():
            n += int(f[0])
    return "%d %s expert infos" % (n, proto)


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ver = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
    return {"nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(),
            "tshark": ver.splitlines()[0] if ver else "unknown"}


def ratio(a, b):
    return a / b if b > 0 else float("nan")


def main():
    ap = argparse.ArgumentParser(description="time tshark with and without sipmtls")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--captures", help="folder with bench.pcapng, bench-keyed.pcapng, rtp.pcapng "
                    "(default: made or reused by bench/make-capture.sh)")
    ap.add_argument("--plugin", help="sipmtls.so (default: build/plugins/*/epan/sipmtls.so)")
    ap.add_argument("--json", help="write every measurement here")
    ap.add_argument("--only-captures", default=",".join(c for c, _ in CAPTURES))
    ap.add_argument("--only-modes", default=",".join(MODES))
    a = ap.parse_args()

    plugin = a.plugin or next(iter(sorted(glob.glob(os.path.join(
        ROOT, "build", "plugins", "*", "epan", "sipmtls.so")))), None)
    if not plugin or not os.path.isfile(plugin):
        die("no sipmtls.so: build it first (cmake -S . -B build && cmake --build build)")
    cap_dir = a.captures
    if cap_dir is None:
        t0 = time.perf_counter()
        cap_dir = subprocess.run([os.path.join(HERE, "make-capture.sh")], check=True,
                                 stdout=subprocess.PIPE, text=True).stdout.strip()
        print("captures: %s (%.0f s)" % (cap_dir, time.perf_counter() - t0), file=sys.stderr)
    captures = [(c, os.path.join(cap_dir, f)) for c, f in CAPTURES
                if c in a.only_captures.split(",")]
    modes = [m for m in MODES if m in a.only_modes.split(",")]

    stage = Stage(plugin)
    try:
        combos = [(c, m) for c, _ in captures for m in modes]
        path = dict(captures)
        found = {}
        digest = {}
        samples = {(c, m, v): [] for c, m in combos for v in VARIANTS if applies(c, v)}
        t_start = time.perf_counter()
        for r in range(a.rounds):
            order = VARIANTS[r % len(VARIANTS):] + VARIANTS[:r % len(VARIANTS)]
            for c, m in combos:
                for v in order:
                    if not applies(c, v):
                        continue
                    with tempfile.TemporaryFile() as out:
                        wall, cpu, rss, err = run_once(command(stage, path[c], m, v), out)
                        if r == 0:
                            out.seek(0)
                            text = out.read()
                            digest[(c, m, v)] = (hashlib.sha256(text).hexdigest(), len(text))
                            found[(c, m, v)] = findings(text.decode(errors="replace"), m, v)
                            if err.strip():
                                print("warning: %s/%s/%s printed on stderr: %s"
                                      % (c, m, v, err.strip()[:300]), file=sys.stderr)
                    samples[(c, m, v)].append({"wall": wall, "cpu": cpu, "rss_kib": rss})
            print("round %d/%d done (%.0f s)" % (r + 1, a.rounds, time.perf_counter() - t_start),
                  file=sys.stderr)
        elapsed = time.perf_counter() - t_start
    finally:
        stage.remove()

    report(a, plugin, cap_dir, combos, found, samples, elapsed)
    identical = identity(combos, digest)
    if a.json:
        with open(a.json) as f:
            data = json.load(f)
        data["identical"] = identical
        with open(a.json, "w") as f:
            json.dump(data, f, indent=1)


def identity(combos, digest):
    """Byte-identical output where nothing is audited; returns {run: bool}."""
    print()
    print("Output where sipmtls audits nothing, against stock tshark's (first round):")
    print()
    result = {}
    for c, m in combos:
        for v in VARIANTS:
            if (c, m, v) in digest and no_audit(c, v):
                same = digest[(c, m, v)] == digest[(c, m, "stock")]
                result["/".join((c, m, v))] = same
                print("- %-4s %s/%s/%s: %s (%d bytes)" % ("PASS" if same else "FAIL", c, m, v,
                                                          "identical" if same else "DIFFERS",
                                                          digest[(c, m, v)][1]))
    return result


def table(combos, med, spread, metric, title):
    print(title)
    print()
    print("| capture | mode | " + " | ".join(VARIANTS) + " | plugin/stock | plugin/filter "
          "| (plugin-stock)/(lua-stock) | disabled/stock | unaudited/stock |")
    print("|---|---|" + "---|" * (len(VARIANTS) + 5))
    for c, m in combos:
        t = {v: med[(c, m, v)][metric] for v in VARIANTS if (c, m, v) in med}
        cells = ["%.2f (%.2f-%.2f)" % (t[v], *spread[(c, m, v)][metric]) if v in t else "-"
                 for v in VARIANTS]
        print("| %s | %s | %s | %.3f | %.3f | %.2f | %.3f | %s |"
              % (c, m, " | ".join(cells), ratio(t["plugin"], t["stock"]),
                 ratio(t["plugin"], t["filter"]),
                 ratio(t["plugin"] - t["stock"], t["lua"] - t["stock"]),
                 ratio(t["disabled"], t["stock"]),
                 "%.3f" % ratio(t["unaudited"], t["stock"]) if "unaudited" in t else "-"))
    print()


def target_checks(c, m, t):
    """(name, value, limit) of every target of issue 13 for one capture and
    mode, from a {variant: cost} table (CPU time, or instructions)."""
    checks = []
    if c == "rtp":
        checks.append(("nothing audited (RTP): plugin <= %.2f x stock" % TARGET_NO_AUDIT,
                       ratio(t["plugin"], t["stock"]), TARGET_NO_AUDIT))
    else:
        if "unaudited" in t:
            checks.append(("nothing audited (TLS elsewhere) <= %.2f x stock" % TARGET_NO_AUDIT,
                           ratio(t["unaudited"], t["stock"]), TARGET_NO_AUDIT))
        if m == "filter" and "filter" in t:
            checks.append(("trunk: plugin <= %.2f x filter" % TARGET_TRUNK,
                           ratio(t["plugin"], t["filter"]), TARGET_TRUNK))
        elif m in ("expert", "2pass"):
            checks.append(("trunk: plugin <= %.2f x stock" % TARGET_TRUNK,
                           ratio(t["plugin"], t["stock"]), TARGET_TRUNK))
        if "lua" in t:
            checks.append(("trunk: added cost <= %.2f x Lua's" % TARGET_VS_LUA,
                           ratio(t["plugin"] - t["stock"], t["lua"] - t["stock"]),
                           TARGET_VS_LUA))
    if "disabled" in t:
        checks.append(("disabled <= %.2f x stock" % TARGET_DISABLED,
                       ratio(t["disabled"], t["stock"]), TARGET_DISABLED))
    return checks


def report(a, plugin, cap_dir, combos, found, samples, elapsed):
    fields = ("wall", "cpu", "rss_kib")
    med = {k: {f: statistics.median(s[f] for s in v) for f in fields} for k, v in samples.items()}
    spread = {k: {f: (min(s[f] for s in v), max(s[f] for s in v)) for f in fields}
              for k, v in samples.items()}
    mach = machine()
    print("machine: %d cores, %s, kernel %s; %s" % (mach["nproc"], mach["cpu"], mach["kernel"],
                                                   mach["tshark"]))
    print("captures: %s; plugin: %s; %d rounds in %.0f s" % (cap_dir, plugin, a.rounds, elapsed))
    print()
    table(combos, med, spread, "cpu",
          "CPU time (user + system) of tshark, median (min-max) in seconds; the targets use these:")
    table(combos, med, spread, "wall", "Wall time, median (min-max) in seconds:")
    print("Peak resident memory (max RSS), median in MiB:")
    print()
    print("| capture | mode | " + " | ".join(VARIANTS) + " | plugin/stock |")
    print("|---|---|" + "---|" * (len(VARIANTS) + 1))
    for c, m in combos:
        r = {v: med[(c, m, v)]["rss_kib"] for v in VARIANTS if (c, m, v) in med}
        print("| %s | %s | %s | %.3f |" % (c, m, " | ".join("%.1f" % (r[v] / 1024) if v in r else "-"
                                                           for v in VARIANTS),
                                          ratio(r["plugin"], r["stock"])))
    print()
    print("What each variant found (first round):")
    print()
    for c, m in combos:
        print("- %s/%s: %s" % (c, m, "; ".join("%s %s" % (v, found[(c, m, v)]) for v in VARIANTS
                                               if (c, m, v) in found)))
    print()
    print("Targets (CPU time medians; peak RSS). On a shared machine CPU times are noisy:")
    print("bench/callgrind.py gives the same ratios in instructions, the stable figure.")
    print()
    for c, m in combos:
        t = {v: med[(c, m, v)]["cpu"] for v in VARIANTS if (c, m, v) in med}
        rss = {v: med[(c, m, v)]["rss_kib"] for v in VARIANTS if (c, m, v) in med}
        checks = target_checks(c, m, t)
        for v in ("plugin", "disabled", "unaudited"):
            if v in rss:
                checks.append(("peak RSS %s <= %.2f x stock" % (v, TARGET_MEMORY),
                               ratio(rss[v], rss["stock"]), TARGET_MEMORY))
        for name, val, limit in checks:
            print("- %-4s %-48s %s/%s: %.3f" % ("PASS" if val <= limit else "FAIL", name, c, m, val))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"machine": mach, "captures": cap_dir, "rounds": a.rounds,
                       "found": {"/".join(k): v for k, v in found.items()},
                       "samples": {"/".join(k): v for k, v in samples.items()}}, f, indent=1)


if __name__ == "__main__":
    main()
