#!/usr/bin/python3
"""callgrind.py - instruction counts of tshark with and without sipmtls.

Usage (as root, from the checkout, after building the plugin):

    bench/callgrind.py [--variants stock,plugin,filter,lua,disabled,unaudited]
                       [--modes expert,filter,2pass,plain]
                       [--captures DIR] [--plugin SO] [--keep DIR]

Runs tshark under `valgrind --tool=callgrind` on the small captures of
bench/make-capture.sh (the first 40,000 frames of bench.pcapng, of
bench-keyed.pcapng and of rtp.pcapng), with the same commands as
bench/run.py, and prints for each run:

  * total instructions (Ir), and the difference from stock tshark;
  * instructions per frame: the total less the same command's start-up
    (measured on a one-frame capture), divided by the frames;
  * the plugin's own instructions (self cost of every function in
    sipmtls.so) and the inclusive cost of its entry point dissect_sipmtls
    (its own code plus the Wireshark calls it makes);
  * what remains of the difference: the work Wireshark does for sipmtls
    outside its code (the protocol tree of the audited frames, priming the
    fields it reads).

Instruction counts do not depend on the load of the machine: they are the
numbers to compare two versions of the plugin with.  Every run preloads
bench/fixed_random.c, so that Wireshark's hash seeds, and with them the
counts, are the same from run to run.  The callgrind files
are kept with --keep DIR for callgrind_annotate.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import concurrent.futures
import glob
import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
import run  # noqa: E402  (the commands, the staging and the machine of bench/run.py)

SMALL = [("plain", "small.pcapng"), ("keyed", "small-keyed.pcapng"), ("rtp", "small-rtp.pcapng")]
FUNC_LINE = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(\S.*?)(?: \[(.*)\])?$")


def annotate(cg_file, inclusive):
    """{(function, object): Ir} from callgrind_annotate."""
    out = subprocess.run(["callgrind_annotate", "--threshold=100",
                          "--inclusive=" + ("yes" if inclusive else "no"), cg_file],
                         check=True, capture_output=True, text=True).stdout
    costs = {}
    for line in out.splitlines():
        m = FUNC_LINE.match(line)
        if m and "PROGRAM TOTALS" not in line:
            key = (m.group(2), m.group(3) or "")
            costs[key] = costs.get(key, 0) + int(m.group(1).replace(",", ""))
    return costs


def totals(cg_file):
    with open(cg_file) as f:
        for line in f:
            if line.startswith("totals:"):
                return int(line.split()[1])
    raise RuntimeError("no totals in " + cg_file)


def measure(cg_file):
    self_costs = annotate(cg_file, False)
    incl = annotate(cg_file, True)
    plugin_self = sum(v for (fn, obj), v in self_costs.items() if obj.endswith("/sipmtls.so"))
    entry = max([v for (fn, obj), v in incl.items() if fn.endswith(":dissect_sipmtls")] or [0])
    # priming: the array call (X.509, read again) and the per-field one
    # (each audited frame primes only what its sender's fields lack)
    prime = sum(max([v for (fn, obj), v in incl.items() if fn.endswith(":" + name)] or [0])
                for name in ("epan_dissect_prime_with_hfid_array", "epan_dissect_prime_with_hfid"))
    return {"total": totals(cg_file), "plugin_self": plugin_self, "entry": entry, "prime": prime}


def main():
    ap = argparse.ArgumentParser(description="instruction counts of tshark with and without sipmtls")
    ap.add_argument("--variants", default=",".join(run.VARIANTS))
    ap.add_argument("--modes", default=",".join(run.MODES))
    ap.add_argument("--only-captures", default=",".join(c for c, _ in SMALL))
    ap.add_argument("--captures")
    ap.add_argument("--plugin")
    ap.add_argument("--keep", help="keep the callgrind files in this folder")
    ap.add_argument("--frames-only", action="store_true",
                    help="count only the dissection of frames (callgrind --toggle-collect on "
                    "epan_dissect_run and epan_dissect_run_with_taps): no start-up runs, "
                    "half the time on a loaded machine")
    ap.add_argument("--jobs", type=int, default=1,
                    help="runs at a time (instruction counts do not depend on the load)")
    ap.add_argument("--small", default=None,
                    help="capture file names instead of small*.pcapng, as plain,keyed,rtp")
    a = ap.parse_args()

    plugin = a.plugin or next(iter(sorted(glob.glob(os.path.join(
        run.ROOT, "build", "plugins", "*", "epan", "sipmtls.so")))), None)
    if not plugin or not os.path.isfile(plugin):
        run.die("no sipmtls.so: build it first (cmake -S . -B build && cmake --build build)")
    cap_dir = a.captures or subprocess.run([os.path.join(run.HERE, "make-capture.sh")], check=True,
                                           stdout=subprocess.PIPE, text=True).stdout.strip()
    variants = a.variants.split(",")
    if "stock" not in variants:
        variants.insert(0, "stock")
    small = SMALL if a.small is None else list(zip([c for c, _ in SMALL], a.small.split(",")))
    captures = [(c, os.path.join(cap_dir, f)) for c, f in small if c in a.only_captures.split(",")]

    stage = run.Stage(plugin)
    fixed_random = os.path.join(stage.dir, "fixed_random.so")
    flags = subprocess.run(["pkg-config", "--cflags", "glib-2.0"], check=True,
                           capture_output=True, text=True).stdout.split()
    subprocess.run(["cc", "-O2", "-fPIC", "-shared", "-o", fixed_random,
                    os.path.join(run.HERE, "fixed_random.c")] + flags, check=True)
    os.chmod(fixed_random, 0o755)
    out_dir = os.path.join(stage.dir, "callgrind")
    os.makedirs(out_dir)
    os.chmod(out_dir, 0o777)
    results = {}
    startup = {}
    one_frame = os.path.join(stage.dir, "one-frame.pcapng")
    frames = {c: int(subprocess.run(["capinfos", "-M", "-c", "-T", "-r", path], check=True,
                                    capture_output=True, text=True).stdout.split("\t")[1])
              for c, path in captures}

    def callgrind(name, path, m, v):
        cg = os.path.join(out_dir, name + ".callgrind")
        argv = run.command(stage, path, m, v)
        # every run hashes alike (bench/fixed_random.c)
        argv.insert(argv.index("-i") + 1, "LD_PRELOAD=" + fixed_random)
        i = argv.index("tshark")
        argv[i:i] = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg]
        if a.frames_only:
            argv[i + 3:i + 3] = ["--collect-atstart=no", "--toggle-collect=epan_dissect_run",
                                 "--toggle-collect=epan_dissect_run_with_taps"]
        t0 = time.perf_counter()
        with open(os.devnull, "wb") as devnull:
            p = subprocess.run(argv, stdout=devnull, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            run.die("failed: %s\n%s" % (" ".join(argv), p.stderr[-2000:]))
        r = measure(cg)
        print("%s: %d Ir (%.0f s)" % (name, r["total"], time.perf_counter() - t0), file=sys.stderr)
        return r

    try:
        subprocess.run(["editcap", "-r", captures[0][1], one_frame, "1"], check=True)
        os.chmod(one_frame, 0o644)
        for m in a.modes.split(","):
            for v in variants:
                startup[(m, v)] = 0 if a.frames_only else \
                    callgrind("startup-%s-%s" % (m, v), one_frame, m, v)["total"]
        runs = [(c, path, m, v) for c, path in captures for m in a.modes.split(",")
                for v in variants if run.applies(c, v)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            done = {k[:1] + k[2:]: pool.submit(callgrind, "%s-%s-%s" % (k[0], k[2], k[3]), k[1], k[2], k[3])
                    for k in runs}
            for k, fut in done.items():
                results[k] = fut.result()
        if a.keep:
            os.makedirs(a.keep, exist_ok=True)
            for f in glob.glob(os.path.join(out_dir, "*.callgrind")):
                shutil.copy(f, a.keep)
    finally:
        stage.remove()

    mach = run.machine()
    print("callgrind, %s; plugin %s; captures %s (first frames of each)" % (mach["tshark"], plugin, cap_dir))
    print()
    print("| capture | mode | variant | Ir total | vs stock | Ir per frame | per frame vs stock "
          "| sipmtls.so self | dissect_sipmtls incl. | priming wanted fields | rest of the difference |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for (c, m, v), r in results.items():
        base = results[(c, m, "stock")]["total"]
        per_frame = (r["total"] - startup[(m, v)]) / frames[c]
        base_per_frame = (base - startup[(m, "stock")]) / frames[c]
        row = [c, m, v, "{:,}".format(r["total"]), "%.3f" % (r["total"] / base),
               "{:,.0f}".format(per_frame), "%.3f" % (per_frame / base_per_frame)]
        if v == "plugin":
            added = (r["total"] - startup[(m, v)]) - (base - startup[(m, "stock")])
            rest = added - r["entry"] - r["prime"]
            row += ["{:,} ({:.2%})".format(r["plugin_self"], r["plugin_self"] / r["total"]),
                    "{:,} ({:.2%})".format(r["entry"], r["entry"] / r["total"]),
                    "{:,}".format(r["prime"]), "{:,}".format(rest)]
        else:
            row += ["", "", "", ""]
        print("| " + " | ".join(row) + " |")
    print()
    print("Start-up (one-frame capture): " + ", ".join(
        "%s/%s {:,}".format(n) % k for k, n in startup.items()))
    print()
    print("Targets of issue 13 in instructions, start-up excluded (the stable figure):")
    print()
    for c, _ in captures:
        for m in a.modes.split(","):
            t = {v: results[(c, m, v)]["total"] - startup[(m, v)] for v in variants
                 if (c, m, v) in results}
            if "plugin" not in t:
                continue
            for name, val, limit in run.target_checks(c, m, t):
                print("- %-4s %-48s %s/%s: %.3f" % ("PASS" if val <= limit else "FAIL",
                                                     name, c, m, val))
    print()
    for c, _ in captures:
        for m in a.modes.split(","):
            if (c, m, "lua") in results and (c, m, "plugin") in results:
                base = results[(c, m, "stock")]["total"] - startup[(m, "stock")]
                p = results[(c, m, "plugin")]["total"] - startup[(m, "plugin")] - base
                lua = results[(c, m, "lua")]["total"] - startup[(m, "lua")] - base
                print("- %s/%s: (plugin - stock) / (lua - stock), start-up excluded = %.3f"
                      % (c, m, p / lua if lua else float("nan")))
            if (c, m, "filter") in results and (c, m, "plugin") in results:
                pl = results[(c, m, "plugin")]["total"] - startup[(m, "plugin")]
                fl = results[(c, m, "filter")]["total"] - startup[(m, "filter")]
                print("- %s/%s: plugin / filter, start-up excluded = %.3f" % (c, m, pl / fl))


if __name__ == "__main__":
    main()
