#!/usr/bin/python3
"""report.py - what sipmtls-report costs (issue 12, docs/performance.md).

Usage (as root, from the checkout, after building the plugin and the report):

    bench/report.py --capture FILE [--split N] [--rounds R] [--report PATH] [--plugin SO]

FILE is a large capture of bench/make-capture.sh (for issue 12, 1 GB:
TLS_CONNECTIONS=20000 RTP_STREAMS=1000 RTP_PACKETS=3750 SPAN_SECONDS=200).
In R interleaved rounds (the order rotated from round to round) it runs

  on FILE
    report        sipmtls-report FILE
    its-tshark    the one tshark command the report runs on FILE, alone
                  (recorded from the report itself through --tshark)
    two-pass      tshark -n -2 -r FILE -Y sipmtls -T fields -e sipmtls.verdict:
                  "one two-pass tshark run with the plugin"
  on FILE cut by editcap -c into N files (a ring-buffer set, one folder)
    jobs-1        sipmtls-report --jobs 1 FOLDER
    jobs-2        sipmtls-report --jobs 2 FOLDER
    largest       sipmtls-report on the largest file of the set alone

and prints medians of CPU time (user + system of the command and every
process it waited for: the report, its tshark and capinfos runs), wall
time and peak resident memory (the largest of those processes), then the
ratios the issue asks for: report / two-pass and report / its-tshark (CPU),
jobs-1 / jobs-2 (wall), and peak memory of the folder against its largest
file.  The report's exit status and its summary line are checked to be the
same in every round.

As bench/run.py does, every command runs as the user nobody with
WIRESHARK_PLUGIN_DIR set to a staging folder holding the plugin.

SPDX-License-Identifier: GPL-2.0-or-later
"""
import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
import run  # noqa: E402  (the staging and the environment of bench/run.py)

REPORT_EXITS = (0, 1, 3, 4)   # answers; 2 is an error, 130 an interruption


def die(msg):
    print("report.py: " + msg, file=sys.stderr)
    sys.exit(1)


def measure(argv, accept=(0,)):
    """(wall s, CPU s of the command and its waited descendants, peak RSS MiB, exit, stdout)."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    text = out.read().decode(errors="replace")
    if code not in accept:
        die("failed (%d): %s\n%s" % (code, " ".join(argv), err.read().decode(errors="replace")[-2000:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, code, text


def summary_line(text):
    """The report's line that counts endpoints and connections."""
    for line in text.splitlines():
        if "endpoint" in line and "connection" in line:
            return line.strip()
    return "%d lines" % len(text.splitlines())


def main():
    ap = argparse.ArgumentParser(description="what sipmtls-report costs")
    ap.add_argument("--capture", required=True)
    ap.add_argument("--split", type=int, default=8, help="files of the ring-buffer set")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--report", default=os.path.join(run.ROOT, "build", "sipmtls-report"))
    ap.add_argument("--plugin")
    ap.add_argument("--only", help="the runs to make, e.g. report,its-tshark,two-pass (default: all)")
    a = ap.parse_args()

    plugin = a.plugin or next(iter(sorted(glob.glob(os.path.join(
        run.ROOT, "build", "plugins", "*", "epan", "sipmtls.so")))), None)
    if not plugin or not os.path.isfile(plugin):
        die("no sipmtls.so: build it first")
    if not os.access(a.report, os.X_OK):
        die("no report at %s: build it first" % a.report)
    stage = run.Stage(plugin)
    try:
        report = os.path.join(stage.dir, "sipmtls-report")
        subprocess.run(["cp", a.report, report], check=True)
        capture = os.path.abspath(a.capture)
        env = run.as_user(stage, stage.with_plugin)

        # The report's own tshark command, as it runs it.
        logger = os.path.join(stage.dir, "log-tshark")
        argv_file = os.path.join(stage.home, "argv")
        with open(logger, "w") as f:
            f.write("#!/bin/sh\nprintf '%%s\\0' \"$@\" > %s\nexec tshark \"$@\"\n" % argv_file)
        os.chmod(logger, 0o755)
        one = os.path.join(stage.dir, "one-frame.pcapng")
        subprocess.run(["editcap", "-r", capture, one, "1-2000"], check=True)
        os.chmod(one, 0o644)
        measure(env + [report, "--tshark", logger, one], REPORT_EXITS)
        with open(argv_file) as f:
            its_tshark = ["tshark"] + [x for x in f.read().split("\0") if x]
        its_tshark[its_tshark.index(one)] = capture

        ring = os.path.join(stage.dir, "ring")
        os.makedirs(ring)
        frames = int(subprocess.run(["capinfos", "-M", "-c", "-T", "-r", capture], check=True,
                                    capture_output=True, text=True).stdout.split("\t")[1])
        per_file = -(-frames // a.split)
        subprocess.run(["editcap", "-c", str(per_file), capture, os.path.join(ring, "ring.pcapng")],
                       check=True)
        subprocess.run(["chmod", "-R", "a+rX", ring], check=True)
        files = sorted(glob.glob(os.path.join(ring, "*.pcapng")))
        largest = max(files, key=os.path.getsize)

        runs = [
            ("report", env + [report, capture], REPORT_EXITS),
            ("its-tshark", env + its_tshark, (0,)),
            ("two-pass", env + ["tshark", "-n", "-2", "-r", capture, "-Y", "sipmtls",
                                "-T", "fields", "-e", "sipmtls.verdict"], (0,)),
            ("jobs-1", env + [report, "--jobs", "1", ring], REPORT_EXITS),
            ("jobs-2", env + [report, "--jobs", "2", ring], REPORT_EXITS),
            ("largest", env + [report, largest], REPORT_EXITS),
        ]
        if a.only:
            runs = [r for r in runs if r[0] in a.only.split(",")]
        samples = {name: [] for name, _, _ in runs}
        answers = {}
        t_all = time.perf_counter()
        for r in range(a.rounds):
            order = runs[r % len(runs):] + runs[:r % len(runs)]
            for name, argv, accept in order:
                wall, cpu, rss, code, text = measure(argv, accept)
                samples[name].append((wall, cpu, rss))
                answer = (code, summary_line(text))
                if answers.setdefault(name, answer) != answer:
                    die("%s answered %r, then %r" % (name, answers[name], answer))
                print("round %d %-10s wall %7.1f s  cpu %7.1f s  rss %6.1f MiB  exit %d"
                      % (r + 1, name, wall, cpu, rss, code), file=sys.stderr, flush=True)

        med = {n: tuple(statistics.median(s[i] for s in samples[n]) for i in range(3))
               for n in samples}
        size = os.path.getsize(capture)
        print("# sipmtls-report, %d round(s), %s" % (a.rounds, time.strftime("%Y-%m-%d %H:%M UTC",
                                                                              time.gmtime())))
        print()
        print("Capture: %s, %d bytes (%.2f GB), %d frames; the set: %d files of up to %d frames "
              "(largest %d bytes)" % (os.path.basename(capture), size, size / 1e9, frames,
                                       len(files), per_file, os.path.getsize(largest)))
        print("Machine: %d cores, load average before the runs: see the log; %s"
              % (os.cpu_count(), run.machine()["tshark"]))
        print()
        print("| run | CPU s (min-max) | wall s (min-max) | peak RSS MiB | exit | answer |")
        print("|---|---|---|---|---|---|")
        for name, _, _ in runs:
            s = samples[name]
            print("| %s | %.1f (%.1f-%.1f) | %.1f (%.1f-%.1f) | %.1f | %d | %s |"
                  % (name, med[name][1], min(x[1] for x in s), max(x[1] for x in s),
                     med[name][0], min(x[0] for x in s), max(x[0] for x in s), med[name][2],
                     answers[name][0], answers[name][1].replace("|", "/")))
        print()
        def have(*names):
            return all(n in med for n in names)
        if have("report", "two-pass"):
            print("- report / two-pass, CPU: %.3f (target: <= 1.05)"
                  % (med["report"][1] / med["two-pass"][1]))
        if have("report", "its-tshark"):
            print("- report / its-tshark, CPU: %.3f (what the report adds to the tshark it runs)"
                  % (med["report"][1] / med["its-tshark"][1]))
        if have("jobs-1", "jobs-2"):
            print("- jobs-1 / jobs-2, wall: %.2f (%d cores)"
                  % (med["jobs-1"][0] / med["jobs-2"][0], os.cpu_count()))
        if have("jobs-1", "largest"):
            print("- peak RSS, folder of %d (jobs-1) / its largest file: %.3f"
                  % (len(files), med["jobs-1"][2] / med["largest"][2]))
        print("- measured in %.0f s" % (time.perf_counter() - t_all))
    finally:
        stage.remove()


if __name__ == "__main__":
    main()
