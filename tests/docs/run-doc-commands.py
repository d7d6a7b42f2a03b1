#!/usr/bin/python3
# run-doc-commands.py --plugin SIPMTLS_SO --report SIPMTLS_REPORT [--update] [FILE.md...]
#
# Runs the command blocks of the documentation that are marked runnable and
# compares what they print with the output block that follows them (the
# convention is in tests/docs/README.md).  Without FILE arguments it reads
# README.md and docs/*.md.
#
# Each block runs with bash, from a fresh copy of the checkout (so a command
# may write files), as the unprivileged user nobody (65534) when run as root
# (tshark as root ignores WIRESHARK_PLUGIN_DIR), in a clean environment:
# PATH starts with a folder holding the built sipmtls-report, so `tshark` is
# the stock one and `sipmtls-report` the built one; WIRESHARK_PLUGIN_DIR
# holds the built plugin; TZ=UTC, LC_ALL=C.UTF-8, an empty HOME and
# Wireshark profile.  stdout and stderr are compared together, in the order
# written.  The only normalization: trailing whitespace on each line and
# trailing blank lines are ignored.
#
#   --update   rewrite each output block with what its command prints
#              (then read the diff: a doc example is only as right as the
#              person who checked it)
#
# Exit status 0 when every block printed its output and exit status, 1 when
# one did not, 2 when the documents break the convention (a runnable block
# without an output block after it, no runnable block at all).
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import difflib
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*$")
TIMEOUT = 120


class Block:
    def __init__(self, path, line, info, body, body_start, body_end, indent):
        self.path, self.line, self.info, self.body = path, line, info, body
        self.body_start, self.body_end, self.indent = body_start, body_end, indent

    @property
    def words(self):
        return self.info.split()

    def option(self, key, default):
        for word in self.words:
            if word.startswith(key + "="):
                return word.split("=", 1)[1]
        return default


def fenced_blocks(path, lines):
    """Every fenced code block: its info string, body lines and where."""
    blocks, i = [], 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, indent = m.group("fence"), len(m.group("indent"))
        close = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        body = [ln[indent:] if ln[:indent].strip() == "" else ln.lstrip() for ln in lines[i + 1:j]]
        blocks.append(Block(path, i + 1, m.group("info"), body, i + 1, j, indent))
        i = j + 1
    return blocks


def runnable_pairs(path, lines):
    """(command block, output block) pairs; raises ValueError on a runnable
    block with no output block right after it."""
    blocks = fenced_blocks(path, lines)
    pairs = []
    for k, block in enumerate(blocks):
        if "runnable" not in block.words:
            continue
        nxt = blocks[k + 1] if k + 1 < len(blocks) else None
        between = lines[block.body_end + 1:nxt.line - 1] if nxt else []
        if nxt is None or "output" not in nxt.words or any(ln.strip() for ln in between):
            raise ValueError(f"{rel(path)}:{block.line}: a runnable block must be followed "
                             "at once by a ```text output block")
        pairs.append((block, nxt))
    return pairs


def rel(path):
    return os.path.relpath(path, ROOT)


def normalize(text_lines):
    out = [ln.rstrip() for ln in text_lines]
    while out and out[-1] == "":
        out.pop()
    return out


class Stage:
    """A private folder with the plugin and the report, readable by nobody."""

    def __init__(self, plugin_so, report):
        self.dir = tempfile.mkdtemp(prefix="sipmtls-doccmd.")
        os.chmod(self.dir, 0o755)
        ws_version = os.path.basename(os.path.dirname(os.path.dirname(plugin_so)))
        epan = os.path.join(self.dir, "plugins", ws_version, "epan")
        os.makedirs(epan)
        shutil.copy(plugin_so, os.path.join(epan, "sipmtls.so"))
        os.makedirs(os.path.join(self.dir, "bin"))
        if report is not None:
            shutil.copy(report, os.path.join(self.dir, "bin", "sipmtls-report"))
        for d, _, files in os.walk(self.dir):
            os.chmod(d, 0o755)
            for f in files:
                os.chmod(os.path.join(d, f), 0o755)

    def checkout_copy(self):
        """A fresh, writable copy of the checkout (no .git, no build trees)."""
        work = tempfile.mkdtemp(prefix="repo.", dir=self.dir)
        repo = os.path.join(work, "sipmtls")

        def ignore(folder, names):
            top = os.path.abspath(folder) == ROOT
            return [n for n in names
                    if n == "__pycache__" or (top and (n == ".git" or n.startswith("build")))]
        shutil.copytree(ROOT, repo, ignore=ignore, symlinks=True)
        home = os.path.join(work, "home")
        os.makedirs(home)
        for d, dirs, files in os.walk(work):
            os.chmod(d, 0o777)
            for f in files:
                p = os.path.join(d, f)
                if not os.path.islink(p):
                    os.chmod(p, os.stat(p).st_mode | 0o666)
        return work, repo, home

    def run(self, script, checkout=None):
        """Runs script in a fresh copy of the checkout, or in checkout (a
        (work, repo, home) from checkout_copy(), kept)."""
        work, repo, home = checkout or self.checkout_copy()
        env = ["env", "-i",
               f"PATH={self.dir}/bin:/usr/sbin:/usr/bin:/sbin:/bin",
               f"HOME={home}", "TZ=UTC", "LC_ALL=C.UTF-8", "LANG=C.UTF-8",
               f"WIRESHARK_PLUGIN_DIR={self.dir}/plugins",
               f"WIRESHARK_CONFIG_DIR={home}/wireshark"]
        as_nobody = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
                     if os.geteuid() == 0 else [])
        try:
            r = subprocess.run(as_nobody + env + ["bash", "-c", script], cwd=repo,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               timeout=TIMEOUT)
            return r.returncode, r.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace")
            return None, out + f"\n[timed out after {TIMEOUT}s]\n"
        finally:
            if checkout is None:
                shutil.rmtree(work, ignore_errors=True)

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description="Run the runnable command blocks of the docs.")
    ap.add_argument("--plugin", required=True, help="the built sipmtls.so (build/plugins/X.Y/epan/)")
    ap.add_argument("--report", required=True, help="the built sipmtls-report")
    ap.add_argument("--update", action="store_true", help="rewrite the output blocks")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()

    files = [os.path.abspath(f) for f in args.files] or \
        [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    stage = Stage(os.path.abspath(args.plugin), os.path.abspath(args.report))
    total = failed = 0
    try:
        for path in files:
            with open(path, encoding="utf-8") as f:
                lines = f.read().split("\n")
            try:
                pairs = runnable_pairs(path, lines)
            except ValueError as e:
                print(f"run-doc-commands: {e}", file=sys.stderr)
                return 2
            replacements = []
            for command, output in pairs:
                total += 1
                script = "\n".join(command.body) + "\n"
                want_status = int(command.option("exit", "0"))
                status, actual = stage.run(script)
                got, want = normalize(actual.split("\n")), normalize(output.body)
                where = f"{rel(path)}:{command.line}"
                title = command.body[0] if command.body else "(empty)"
                if got == want and status == want_status:
                    print(f"ok - {where}: {title}")
                    continue
                if args.update and status == want_status:
                    replacements.append((output, got))
                    print(f"updated - {where}: {title}")
                    continue
                failed += 1
                print(f"not ok - {where}: {title}")
                if status != want_status:
                    print(f"    exit status {status}, the block says exit={want_status}"
                          + ("" if want_status else " (the default)"))
                for ln in difflib.unified_diff(want, got, f"{rel(path)}:{output.line} (documented)",
                                               "what the command printed", lineterm=""):
                    print("    " + ln)
            if replacements:
                for output, got in sorted(replacements, key=lambda r: -r[0].body_start):
                    pad = " " * output.indent
                    lines[output.body_start:output.body_end] = [pad + ln if ln else ln for ln in got]
                with open(path, "w", encoding="utf-8") as f:
                    f.write("\n".join(lines))
    finally:
        stage.close()

    if total == 0:
        print("run-doc-commands: no runnable block in " + ", ".join(rel(f) for f in files),
              file=sys.stderr)
        return 2
    print(f"{total - failed} of {total} documented commands print what the docs say")
    if failed:
        print("reproduce: " + " ".join([sys.argv[0], "--plugin", args.plugin, "--report",
                                        args.report] + [rel(f) for f in files]))
        print("if the new output is right: add --update, then read the diff")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
