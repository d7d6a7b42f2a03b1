#!/usr/bin/python3
# check-doc-facts.py --plugin SIPMTLS_SO [--list] [FILE.md...]
#
# Checks the facts the documentation's prose states about the bundled
# captures (frame numbers, verdicts, counts) against what the built plugin
# says about those captures, and fails when prose names a frame, a verdict or
# a count that no check covers.  The convention is in tests/docs/README.md;
# in short, a Markdown comment (invisible when rendered) next to the prose:
#
#   <!-- facts tls12-optional-request-no-cert => 7: cert_request; 10: chain.length=0; 14: verdict=2 -->
#   <!-- facts all-merged +keys => count(verdict=3)=16; streams(verdict)=46 -->
#
# Left of "=>": a capture under captures/ (name without .pcapng), then
# options: +keys (its key log, captures/keys/NAME.keys, -keyed stripped),
# 1pass (one tshark pass; the default is two, as the GUI shows), or tshark
# options given as they are (-o PREF:VALUE, -d RULE).  Right of "=>",
# assertions separated by ";":
#
#   N: FIELD[=VALUE] ...     frame N has each FIELD (among its occurrences,
#                            that VALUE; booleans are 1 or 0; FIELD~TEXT:
#                            an occurrence contains TEXT, e.g. _ws.col.Info)
#   FIELD[=VALUE]@N,M,...    exactly frames N, M, ... have it
#   count(FIELD[=VALUE])=K   K occurrences in the whole capture
#   streams(FIELD[=VALUE])=K K TCP connections (tcp.stream) have it
#   none(FIELD)              no frame has it
#
# A FIELD without a dot-prefix of another protocol is a sipmtls field
# ("verdict" is sipmtls.verdict; "tls.alert_message.desc" stays).  VALUEs
# with spaces take shell quotes.
#
# The lint: in the files checked, every paragraph (or table row) that names
# a frame ("frame 14", "frames 7 and 10", "14: verdict"), a verdict
# ("verdict 6", "verdict **3") or a count ("46 connections", "16 x") must
# hold a facts comment whose assertions use that number as a frame, a
# verdict value or a count.  A paragraph that names numbers not about a
# capture (the verdict table's definitions, say) says so with
# <!-- facts-free: why -->.
#
# Exit status 0 when every fact holds and every number is covered, 1 when
# not, 2 on a malformed comment.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import os
import re
import shlex
import subprocess
import sys
from collections import defaultdict

def _load_runner():
    import importlib.util
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "run-doc-commands.py")
    spec = importlib.util.spec_from_file_location("run_doc_commands", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_runner = _load_runner()
ROOT, FENCE, Stage, rel = _runner.ROOT, _runner.FENCE, _runner.Stage, _runner.rel

DEFAULT_FILES = ["docs/course.md", "docs/user-guide.md", "docs/warnings.md",
                 "docs/verdicts.md", "docs/cheatsheet.md", "docs/tls13-inference.md",
                 "captures/README.md", "README.md"]
MARKER = re.compile(r"<!--\s*facts\s+(?P<spec>.*?)\s*=>\s*(?P<asserts>.*?)\s*-->", re.S)
FREE = re.compile(r"<!--\s*facts-free:[^>]*-->")
OTHER_PROTOCOLS = ("frame", "tcp", "tls", "ip", "ipv6", "sip", "x509ce", "x509af", "x509sat",
                   "_ws")
NUMLIST = r"(\d+(?:\s*(?:,|and|or|to)\s*\d+)*)"
FRAME_RE = [re.compile(r"\b[Ff]rames?\s+" + NUMLIST),
            re.compile(r"(?:^|[|;(:]\s*)(\d+): (?=[a-zA-Z])")]
VERDICT_RE = re.compile(r"\b[Vv]erdicts?\s+\**" + NUMLIST)
COUNT_RE = [re.compile(r"(?<![\d.])(\d+)\s+(?:TLS\s+)?(?:connections?|verdicts?|handshakes?|"
                       r"certificate requests?|lines?)\b"),
            re.compile(r"\b(\d+) x ")]


def numbers(text):
    return [int(n) for n in re.findall(r"\d+", text)]


def field_name(name):
    if name == "sipmtls" or name.startswith("sipmtls."):
        return name
    if name.split(".")[0] in OTHER_PROTOCOLS:
        return name
    return "sipmtls." + name


def norm(value):
    return {"True": "1", "False": "0"}.get(value, value)


class Marker:
    """One facts comment: the capture run it needs and its assertions."""

    def __init__(self, path, line, spec, asserts):
        self.where = f"{rel(path)}:{line}"
        words = shlex.split(spec)
        if not words:
            raise ValueError(f"{self.where}: facts comment without a capture")
        self.capture = words[0]
        self.keys = "+keys" in words[1:]
        self.two_pass = "1pass" not in words[1:]
        self.options = tuple(w for w in words[1:] if w not in ("+keys", "1pass"))
        self.asserts = []
        self.frames, self.values, self.counts = set(), defaultdict(set), set()
        for text in [a.strip() for a in asserts.split(";") if a.strip()]:
            self.asserts.append(self.parse(text))

    def run_key(self):
        return (self.capture, self.keys, self.two_pass, self.options)

    def parse(self, text):
        m = re.fullmatch(r"(count|streams)\((\S+?)\)\s*=\s*(\d+)", text)
        if m:
            f, v = self.field_value(m.group(2))
            self.counts.add(int(m.group(3)))
            self.values[f].add(v)
            return (m.group(1), f, v, int(m.group(3)), text)
        m = re.fullmatch(r"none\((\S+)\)", text)
        if m:
            return ("none", field_name(m.group(1)), None, None, text)
        m = re.fullmatch(r"(\d+)\s*:\s*(.+)", text)
        if m:
            frame = int(m.group(1))
            self.frames.add(frame)
            fvs = [self.field_value(w) for w in shlex.split(m.group(2))]
            for f, v in fvs:
                self.values[f].add(v)
            return ("frame", frame, fvs, None, text)
        m = re.fullmatch(r"(\S+?)@([\d,\s]+)", text)
        if m:
            f, v = self.field_value(m.group(1))
            frames = numbers(m.group(2))
            self.frames.update(frames)
            self.values[f].add(v)
            return ("exactly", f, v, frames, text)
        raise ValueError(f"{self.where}: cannot read the assertion {text!r}")

    @staticmethod
    def field_value(word):
        """FIELD, FIELD=VALUE, or FIELD~TEXT (an occurrence contains TEXT),
        kept as "~TEXT"."""
        m = re.match(r"([A-Za-z_][\w.-]*)([=~])?(.*)$", word, re.S)
        name, op, value = m.group(1), m.group(2), m.group(3)
        if op == "~":
            return field_name(name), "~" + value
        return field_name(name), (norm(value) if op else None)


class Capture:
    """What tshark with the plugin shows of a capture: per frame, per field,
    the list of occurrences."""

    def __init__(self, stage, checkout, key, fields):
        capture, keys, two_pass, options = key
        path = f"captures/{capture}.pcapng"
        if not os.path.exists(os.path.join(ROOT, path)):
            raise ValueError(f"no capture {path}")
        # tshark leaves a field given twice empty the first time.  The Info
        # column is read as displayed (the packet list, tshark's summary
        # lines), what the docs show; tests/integration/info-column.sh
        # checks the field _ws.col.info itself.
        self.info = "_ws.col.Info" in fields
        self.fields = sorted(set(fields) - {"frame.number", "tcp.stream", "_ws.col.Info"})
        common = ["-r", path]
        if keys:
            base = re.sub(r"-keyed$", "", capture)
            common += ["-o", f"tls.keylog_file:captures/keys/{base}.keys"]
        if two_pass:
            common.append("-2")
        common += list(options)
        args = ["tshark"] + common + ["-T", "fields", "-E", "separator=/t",
                "-E", "occurrence=a", "-E", "aggregator=\x1f", "-e", "frame.number",
                "-e", "tcp.stream"]
        for f in self.fields:
            args += ["-e", f]
        status, out = stage.run(" ".join(shlex.quote(a) for a in args) + " 2>&1", checkout)
        if status != 0:
            raise ValueError(f"tshark failed on {path}: {out.strip()[:400]}")
        self.rows = {}
        for line in out.split("\n"):
            cols = line.split("\t")
            if len(cols) != len(self.fields) + 2 or not cols[0].isdigit():
                continue
            values = {f: [norm(v) for v in c.split("\x1f")] if c != "" else []
                      for f, c in zip(self.fields, cols[2:])}
            self.rows[int(cols[0])] = (cols[1], values)
        if self.info:
            args = ["tshark"] + common + ["-T", "tabs", "-o",
                                          'gui.column.format:"No.","%m","Info","%i"']
            status, out = stage.run(" ".join(shlex.quote(a) for a in args) + " 2>&1", checkout)
            if status != 0:
                raise ValueError(f"tshark failed on {path}: {out.strip()[:400]}")
            for line in out.split("\n"):
                cols = line.strip(" ").split("\t", 1)
                if len(cols) == 2 and cols[0].isdigit() and int(cols[0]) in self.rows:
                    self.rows[int(cols[0])][1]["_ws.col.Info"] = [norm(cols[1])]
                elif len(cols) == 2 and cols[0].isdigit():
                    self.rows[int(cols[0])] = ("", {"_ws.col.Info": [norm(cols[1])]})

    def has(self, frame, field, value):
        row = self.rows.get(frame)
        if row is None:
            return False
        occ = [row[0]] if field == "tcp.stream" else row[1].get(field, [])
        if value is None:
            return bool(occ)
        if value.startswith("~"):
            return any(value[1:] in o for o in occ)
        return value in occ

    def frames_with(self, field, value):
        return [n for n in sorted(self.rows) if self.has(n, field, value)]


def check_marker(marker, cap):
    problems = []
    for kind, a, b, c, text in marker.asserts:
        if kind == "frame":
            for f, v in b:
                if not cap.has(a, f, v):
                    got = cap.rows.get(a, (None, {}))[1].get(f, [])
                    problems.append(f"{text}: frame {a} has {f} = {got or 'nothing'}")
        elif kind == "exactly":
            got = cap.frames_with(a, b)
            if got != sorted(c):
                problems.append(f"{text}: the frames with it are {got or 'none'}")
        elif kind == "count":
            got = sum(len([x for x in cap.rows[n][1].get(a, []) if b is None or x == b
                           or (b.startswith("~") and b[1:] in x)])
                      for n in cap.rows)
            if got != c:
                problems.append(f"{text}: {got} occurrences")
        elif kind == "streams":
            got = len({cap.rows[n][0] for n in cap.frames_with(a, b)})
            if got != c:
                problems.append(f"{text}: {got} connections")
        elif kind == "none":
            got = cap.frames_with(a, None)
            if got:
                problems.append(f"{text}: frames {got} have it")
    return problems


def units(path, lines):
    """Paragraphs and table rows outside code: (first line number, text)."""
    out, para, start, fence = [], [], 0, None
    for i, ln in enumerate(lines + [""]):
        m = FENCE.match(ln)
        if fence is not None:
            if m and m.group("fence")[0] == fence[0] and len(m.group("fence")) >= len(fence) \
                    and not m.group("info"):
                fence = None
            continue
        if m:
            fence = m.group("fence")
            if para:
                out.append((start, "\n".join(para)))
                para = []
            continue
        if ln.strip() == "" or ln.lstrip().startswith("|"):
            if para:
                out.append((start, "\n".join(para)))
                para = []
            if ln.lstrip().startswith("|"):
                out.append((i + 1, ln))
            continue
        if para and re.match(r"^\s{0,3}(?:[-*+]|\d+\.)\s", ln):   # a list item begins
            out.append((start, "\n".join(para)))
            para = []
        if not para:
            if ln.startswith("    "):      # an indented code block
                continue
            start = i + 1
        para.append(ln)
    return out


def lint(path, start, text, markers):
    """The numbers a paragraph names that its facts comments do not cover."""
    if FREE.search(text):
        return []
    prose = MARKER.sub("", text)
    prose = re.sub(r"`[^`]*`", "", prose)          # code spans: filters, options
    frames = set().union(*[m.frames for m in markers]) if markers else set()
    frames = set(frames)
    verdicts = set()
    counts = set().union(*[m.counts for m in markers]) if markers else set()
    for m in markers:
        for f in ("sipmtls.request_in", "sipmtls.answer_in", "sipmtls.verdict_in",
                  "sipmtls.sip.frame"):
            frames |= {int(v) for v in m.values.get(f, set()) if v is not None and v.isdigit()}
        for v in m.values.get("sipmtls.verdict", set()):
            if v is not None:
                verdicts.add(int(v))
    problems = []
    for rx in FRAME_RE:
        for g in rx.finditer(prose):
            for n in numbers(g.group(1)):
                if n != 0 and n not in frames:      # frames count from 1: "(0: ..." is not one
                    problems.append(f"frame {n}")
    for g in VERDICT_RE.finditer(prose):
        for n in numbers(g.group(1)):
            if n not in verdicts:
                problems.append(f"verdict {n}")
    for rx in COUNT_RE:
        for g in rx.finditer(prose):
            n = int(g.group(1))
            if n not in counts:
                problems.append(f"count {g.group(0).strip()}")
    return [f"{rel(path)}:{start}: names {p}, which no facts comment here checks"
            for p in problems]


def main():
    ap = argparse.ArgumentParser(description="Check the docs' facts about the captures.")
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--report", help="unused; accepted for symmetry with run-doc-commands")
    ap.add_argument("--list", action="store_true", help="print each fact as it is checked")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    files = [os.path.abspath(f) for f in args.files] or [os.path.join(ROOT, f) for f in DEFAULT_FILES]

    markers, problems = [], []
    for path in files:
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for start, text in units(path, lines):
            here = []
            for m in MARKER.finditer(text):
                line = start + text[:m.start()].count("\n")
                try:
                    here.append(Marker(path, line, m.group("spec"), m.group("asserts")))
                except ValueError as e:
                    print(f"check-doc-facts: {e}", file=sys.stderr)
                    return 2
            if "<!--" in MARKER.sub("", FREE.sub("", text)) and "facts" in text:
                print(f"check-doc-facts: {rel(path)}:{start}: a facts comment I cannot read",
                      file=sys.stderr)
                return 2
            markers += here
            problems += lint(path, start, text, here)

    runs = defaultdict(set)
    for m in markers:
        for f in m.values:
            runs[m.run_key()].add(f)
    stage = Stage(os.path.abspath(args.plugin), None)
    checked = 0
    try:
        checkout = stage.checkout_copy()
        caps = {}
        for key, fields in sorted(runs.items()):
            try:
                caps[key] = Capture(stage, checkout, key, fields)
            except ValueError as e:
                problems.append(str(e))
        for m in markers:
            if m.run_key() not in caps:
                continue
            found = check_marker(m, caps[m.run_key()])
            checked += len(m.asserts)
            problems += [f"{m.where}: {m.capture}: {p}" for p in found]
            if args.list:
                print(f"{'not ok' if found else 'ok'} - {m.where}: {m.capture} "
                      + "; ".join(a[-1] for a in m.asserts))
    finally:
        stage.close()
    for p in problems:
        print("not ok - " + p)
    print(f"{checked} facts in {len(markers)} comments over {len(runs)} capture runs; "
          f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
