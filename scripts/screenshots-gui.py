#!/usr/bin/python3
# screenshots-gui.py: drives Wireshark's GUI for scripts/screenshots.sh.
#
# Runs as the user that runs wireshark, inside a D-Bus session of its own,
# on the X display screenshots.sh started.  It finds its way through
# Wireshark's windows with the accessibility bus (AT-SPI, which Qt serves
# when QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1): menus are pressed and tree
# items expanded by name, and what the windows show is read back as text
# and compared with what tshark says about the same capture.  xdotool only
# places windows, ImageMagick's `import` takes the screenshots.
#
# Every check prints "ok - ..." or "not ok - ..."; the first failure ends
# the run with status 1.  Screenshots go to --out.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import argparse
import os
import re
import signal
import subprocess
import sys
import time

import pyatspi

# Where the windows go on the virtual screen: side by side, never
# overlapping, since `import -window` reads the window's pixels from the
# screen.  Sizes are those of the screenshots.
MAIN_GEOMETRY = (0, 0, 1280, 960)
EXPERT_GEOMETRY = (1300, 0, 1180, 470)
STATS_GEOMETRY = (1300, 520, 1100, 430)

# The packet list: the default columns less those that say nothing here
# (every address is 127.0.0.1), plus the expert severity and the verdict.
VERDICT_COLUMN = "%Cus:sipmtls.verdict:0:R"
COLUMNS = [("No.", "%m", 60), ("Src port", "%uS", 75), ("Dst port", "%uD", 75),
           ("Protocol", "%p", 80), ("Severity", "%a", 75), ("Verdict", VERDICT_COLUMN, 550),
           ("Info", "%i", 400)]

PROFILE = "SIP-TLS mTLS audit"             # profile/, installed by cmake --install
PROFILE_GEOMETRY = (0, 0, 1600, 720)

STATS_MENU_ITEM = "SIP-TLS Mutual TLS"      # stats.c: stats_tree_register_plugin()
PROTOCOL_ITEM = "SIP-TLS Mutual TLS Audit"  # packet-sipmtls.c: proto_register_protocol()

def is_protocol_item(text):
    """The sipmtls item's line: its name, then what the frame shows
    ("SIP-TLS Mutual TLS Audit: Verdict: Rejected (...)")."""
    text = text.strip("[]")
    return text == PROTOCOL_ITEM or text.startswith(PROTOCOL_ITEM + ": ")


SEVERITY_NAMES = {"Errors": "Error", "Warns": "Warning", "Notes": "Note", "Chats": "Chat"}


class CheckFailed(Exception):
    pass


def ok(what):
    print(f"ok - {what}", flush=True)


def fail(what):
    print(f"not ok - {what}", flush=True)
    raise CheckFailed(what)


def wait_for(what, probe, timeout=30.0, interval=0.25, explain=None):
    """Calls probe() until it returns something true; returns that, or fails
    (saying what explain() returns, when given)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = probe()
        except Exception:          # the GUI is still building the window: retry
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            fail(f"{what} (waited {timeout:.0f}s){': ' + explain() if explain else ''}")
        time.sleep(interval)


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


# ---- what tshark says ------------------------------------------------------

class Tshark:
    def __init__(self, capture, keys):
        self.read = ["tshark", "-r", capture, "-2", "-o", f"tls.keylog_file:{keys}"]

    def plugins(self):
        return run(["tshark", "-G", "plugins"])

    def expert_summaries(self):
        """Summaries of the expert infos sipmtls registers (-G fields)."""
        summaries = set()
        for line in run(["tshark", "-G", "fields"]).splitlines():
            col = line.split("\t")
            if len(col) > 2 and col[0] == "F" and col[2].startswith("sipmtls.expert."):
                summaries.add(col[1])
        return summaries

    def expert_totals(self):
        """{severity: count} of sipmtls's expert infos (-z expert)."""
        totals, severity = {}, None
        for line in run(self.read + ["-q", "-z", "expert"]).splitlines():
            m = re.match(r"^(\w+) \(\d+\)$", line)
            if m:
                severity = SEVERITY_NAMES.get(m.group(1))
                continue
            m = re.match(r"^\s+(\d+)\s+\S+\s+SIPMTLS\s", line)
            if m and severity:
                totals[severity] = totals.get(severity, 0) + int(m.group(1))
        return totals

    def stats(self):
        """[(item, count)] of -z sipmtls,tree, in order."""
        rows = []
        for line in run(self.read + ["-q", "-z", "sipmtls,tree"]).splitlines():
            m = re.match(r"^ *(\S.*?\S) +(\d+) ", line)
            if m and not line.startswith("Topic"):
                rows.append((m.group(1), int(m.group(2))))
        return rows

    def verdict_names(self):
        """{frame: verdict name} of every verdict (-V shows the name)."""
        out = run(self.read + ["-Y", "sipmtls.verdict", "-V", "-O", "sipmtls"])
        names, frame = {}, None
        for line in out.splitlines():
            m = re.match(r"^Frame (\d+):", line)
            if m:
                frame = int(m.group(1))
            m = re.match(r"^\s+\[Verdict: (.*) \(\d+\)\]$", line)
            if m and frame is not None and frame not in names:
                names[frame] = m.group(1)
        return names

    def first_frame(self, display_filter):
        out = run(self.read + ["-Y", display_filter, "-T", "fields", "-e", "frame.number"])
        return int(out.split()[0]) if out.split() else None

    def subtree(self, frame):
        """The lines of the sipmtls subtree of one frame (-V -O sipmtls)."""
        out = run(self.read + ["-Y", f"frame.number == {frame}", "-V", "-O", "sipmtls"])
        lines, on = [], False
        for line in out.splitlines():
            if PROTOCOL_ITEM in line and not line.startswith(" "):
                on = True
            elif on and not line.strip():
                break
            if on:
                lines.append(line.strip())
        return lines


# ---- the accessibility tree ------------------------------------------------

def children(acc):
    try:
        count = acc.childCount
    except Exception:
        return []
    out = []
    for i in range(count):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None:
            out.append(child)
    return out


def walk(acc):
    yield acc
    for child in children(acc):
        yield from walk(child)


def role(acc):
    try:
        return acc.getRoleName()
    except Exception:
        return ""


def name(acc):
    try:
        return acc.name or ""
    except Exception:
        return ""


def showing(acc):
    try:
        return acc.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in children(desktop):
        try:
            if app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def top_windows(app):
    return [w for w in children(app) if role(w) in ("frame", "dialog", "window")]


def window_named(app, pattern):
    for w in top_windows(app):
        if re.search(pattern, name(w)) and showing(w):
            return w
    return None


def table_rows(tree):
    """Rows of a tree view as lists of cell texts (the rows Qt shows)."""
    kids = children(tree)
    headers = [k for k in kids if role(k) == "table column header"]
    cells = [k for k in kids if role(k) == "table cell"]
    width = len(headers) or 1
    return [[name(c) for c in cells[i:i + width]] for i in range(0, len(cells), width)], cells


def trees(acc):
    return [a for a in walk(acc) if role(a) in ("tree", "tree table", "table")]


# ---- X windows and pictures ------------------------------------------------

def x_window(pid, title):
    """The X window id of the window of process pid with exactly this title."""
    out = subprocess.run(["xdotool", "search", "--all", "--onlyvisible", "--pid", str(pid),
                          "--name", "^" + re.escape(title) + "$"],
                         capture_output=True, text=True).stdout.split()
    return out[0] if out else None


def place(wid, geometry):
    x, y, w, h = geometry
    subprocess.run(["xdotool", "windowmove", wid, str(x), str(y),
                    "windowsize", wid, str(w), str(h)], check=True)

    def placed():
        info = run(["xwininfo", "-id", wid])
        got = {k: int(v) for k, v in re.findall(r"(Width|Height): (\d+)", info)}
        return got.get("Width") == w and got.get("Height") == h
    wait_for(f"window {wid} to take the size {w}x{h}", placed, timeout=10)


def shoot(wid, path, geometry):
    """Screenshot of one window; checks its size and that it is not blank."""
    raw = path + ".raw.png"
    subprocess.run(["import", "-silent", "-window", wid, raw], check=True)
    # 256 colours are plenty for a GUI and keep the files small.
    subprocess.run(["convert", raw, "-strip", "-colors", "256", "PNG8:" + path], check=True)
    os.unlink(raw)
    w, h, colours, sd = run(["identify", "-format", "%w %h %k %[fx:standard_deviation]",
                             path]).split()
    if (int(w), int(h)) != geometry[2:]:
        fail(f"{os.path.basename(path)} is {w}x{h}, the window is {geometry[2]}x{geometry[3]}")
    if int(colours) < 16 or float(sd) < 0.05:
        fail(f"{os.path.basename(path)} looks blank ({colours} colours, deviation {sd})")
    ok(f"{os.path.basename(path)}: {w}x{h}, {colours} colours, "
       f"{os.path.getsize(path) // 1024} KB")


# ---- the session -----------------------------------------------------------

def start_accessibility_bus():
    """Activates the accessibility bus and its registry before Qt looks,
    and publishes the bus address on the X root window.

    Qt connects to the bus at once when the root window carries its address
    (AT_SPI_BUS; this at-spi-bus-launcher does not set it).  When Qt has to
    ask the session bus instead, its first attempt to register the
    application comes before the connection, and the application never
    appears on the bus.  (The property lasts because Xvfb runs with
    -noreset: otherwise the X server resets, and forgets it, as soon as
    xprop, its only client, disconnects.)"""
    def address():
        r = subprocess.run(["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus",
                            "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
                           capture_output=True, text=True)
        m = re.search(r'string "([^"]+)"', r.stdout)
        return m.group(1) if r.returncode == 0 and m else None
    bus = wait_for("the accessibility bus (at-spi-bus-launcher)", address, timeout=15)
    subprocess.run(["xprop", "-root", "-f", "AT_SPI_BUS", "8s", "-set", "AT_SPI_BUS", bus],
                   check=True)
    pyatspi.Registry.getDesktop(0).childCount      # activates at-spi2-registryd
    ok("accessibility bus and registry up")


def write_profile(config):
    """Wireshark's preferences (the packet list's columns) and 'recent'
    files (no bytes pane, a packet list of 20 rows, column widths: they
    apply only to the columns of the preferences file, not to -o ones)."""
    os.makedirs(config, exist_ok=True)
    columns = ", ".join(f'"{title}", "{fmt}"' for title, fmt, _ in COLUMNS)
    with open(os.path.join(config, "preferences"), "w") as f:
        f.write(f"gui.column.format: {columns}\n")
    # Wireshark 4.0 names a custom column here by its field alone, quoted.
    widths = ",\n".join(
        f"    {fmt}, {width}" if not fmt.startswith("%Cus:")
        else f'    "{":".join(fmt.split(":")[:2])}", {width}' for _, fmt, width in COLUMNS)
    with open(os.path.join(config, "recent"), "w") as f:
        f.write("gui.byte_view_show: FALSE\n"
                "gui.packet_diagram_show: FALSE\n"
                "gui.geometry_main_upper_pane: 390\n"
                f"column.width:\n{widths}\n")
    x, y, w, h = MAIN_GEOMETRY
    with open(os.path.join(config, "recent_common"), "w") as f:
        f.write(f"gui.geometry_main_x: {x}\ngui.geometry_main_y: {y}\n"
                f"gui.geometry_main_width: {w}\ngui.geometry_main_height: {h}\n"
                "gui.geometry_main_maximized: FALSE\n"
                "privs.warn_if_elevated: FALSE\n"
                "sys.warn_if_no_capture: FALSE\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capture", required=True)
    ap.add_argument("--keys", required=True)
    ap.add_argument("--frame", type=int,
                    help="the verdict frame to show (default: the first rejection)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--profile-dir",
                    help="the installed profile folder: also open the capture with it (-C)")
    args = ap.parse_args()

    os.makedirs(os.environ["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    capture_name = os.path.basename(args.capture)
    tshark = Tshark(args.capture, args.keys)
    plugin_dir = os.environ["WIRESHARK_PLUGIN_DIR"]

    # What the GUI must show, from tshark with the same plugin and user.
    if not re.search(re.escape(plugin_dir) + r"/[0-9.]+/epan/sipmtls\.so", tshark.plugins()):
        fail(f"tshark -G plugins does not list the staged sipmtls.so under {plugin_dir}")
    ok("tshark -G plugins lists the staged sipmtls.so")
    if args.frame is None:
        args.frame = tshark.first_frame("sipmtls.rejected")
        if args.frame is None:
            fail("tshark finds no frame with sipmtls.rejected in the capture")
    summaries = tshark.expert_summaries()
    totals = tshark.expert_totals()
    stats = tshark.stats()
    subtree = tshark.subtree(args.frame)
    if not totals.get("Warning") or not stats or not any(
            line.strip("[]").startswith("Verdict:") for line in subtree):
        fail(f"tshark shows too little to compare with: experts {totals}, "
             f"{len(stats)} statistics rows, frame {args.frame}: {subtree}")
    ok(f"tshark: sipmtls expert infos by severity {totals}; {len(stats)} statistics rows; "
       f"frame {args.frame}: {subtree[1] if len(subtree) > 1 else subtree[0]}")

    start_accessibility_bus()
    write_profile(os.environ["WIRESHARK_CONFIG_DIR"])
    log = open(os.path.join(args.out, "wireshark.log"), "w")
    ws = subprocess.Popen(["wireshark", "-r", args.capture,
                           "-o", f"tls.keylog_file:{args.keys}",
                           "-Y", "sipmtls", "-g", str(args.frame), "-z", "expert"],
                          stdout=log, stderr=subprocess.STDOUT)
    try:
        drive(args, ws.pid, capture_name, summaries, totals, stats, subtree)
    finally:
        stop(ws)
    if args.profile_dir:
        with_profile(args, tshark, capture_name)


def stop(ws):
    ws.send_signal(signal.SIGTERM)
    try:
        ws.wait(timeout=10)
    except subprocess.TimeoutExpired:
        ws.kill()
        ws.wait()


def with_profile(args, tshark, capture_name):
    """Opens the capture with the installed profile (-C), filtered on the
    verdicts: the Verdict column must show each verdict's name, on every
    verdict frame, as tshark -V names it; then a screenshot."""
    import shutil
    config = os.environ["WIRESHARK_CONFIG_DIR"]
    mine = os.path.join(config, "profiles", PROFILE)
    os.makedirs(os.path.dirname(mine), exist_ok=True)
    shutil.copytree(args.profile_dir, mine)
    for f in ("preferences", "colorfilters", "dfilter_buttons"):
        if not os.path.exists(os.path.join(mine, f)):
            fail(f"the installed profile has no {f}")
    # The panes as in the other shots; widths for the profile's columns.
    widths = {"Verdict": 330, "Severity": 70, "TLS server": 120, "TLS client": 125}
    with open(os.path.join(mine, "preferences")) as f:
        formats = re.findall(r'"([^"]+)", "(%[^"]+)"', f.read())
    with open(os.path.join(mine, "recent"), "w") as f:
        lines = ",\n".join(
            f"    {fmt}, {widths.get(title, 90)}" if not fmt.startswith("%Cus:")
            else f'    "{":".join(fmt.split(":")[:2])}", {widths.get(title, 90)}'
            for title, fmt in formats)
        f.write("gui.byte_view_show: FALSE\ngui.packet_diagram_show: FALSE\n"
                "gui.geometry_main_upper_pane: 460\n"
                f"column.width:\n{lines}\n")
    want = tshark.verdict_names()
    if not want:
        fail("tshark finds no verdict to compare the profile's column with")
    log = open(os.path.join(args.out, "wireshark-profile.log"), "w")
    ws = subprocess.Popen(["wireshark", "-C", PROFILE, "-r", args.capture,
                           "-o", f"tls.keylog_file:{args.keys}", "-Y", "sipmtls.verdict"],
                          stdout=log, stderr=subprocess.STDOUT)
    try:
        app = wait_for("wireshark -C on the accessibility bus", lambda: find_app(ws.pid),
                       timeout=45)
        main_win = wait_for(f"the main window on {capture_name}",
                            lambda: window_named(app, re.escape(capture_name) + "$"))
        wid = wait_for("the main window's X window", lambda: x_window(ws.pid, name(main_win)))
        place(wid, PROFILE_GEOMETRY)

        def verdict_column():
            for tree in trees(main_win):
                headers = [name(k) for k in children(tree) if role(k) == "table column header"]
                if "Verdict" not in headers or "No." not in headers:
                    continue
                rows, _ = table_rows(tree)
                at, no = headers.index("Verdict"), headers.index("No.")
                got = {int(r[no]): r[at] for r in rows if len(r) == len(headers) and r[no].isdigit()}
                if got:
                    return headers, got
            return None
        # The packet list shows the rows in view; those must match, and be
        # as many as fit.
        headers, got = wait_for(
            "the packet list with the profile's Verdict column",
            lambda: (lambda v: v if v and all(want.get(n) == t for n, t in v[1].items())
                     and len(v[1]) >= min(len(want), 10) else None)(verdict_column()),
            timeout=60, explain=lambda: f"the GUI shows {verdict_column()}, tshark {want}")
        for column in ("Verdict", "Severity", "TLS server", "TLS client"):
            if column not in headers:
                fail(f"the profile's packet list has no {column} column: {headers}")
        ok(f"-C \"{PROFILE}\": columns {headers}; the Verdict column names the verdict on "
           f"all {len(got)} verdict rows in view (of {len(want)}), as tshark -V does")
        time.sleep(1.0)
        shoot(wid, os.path.join(args.out, "wireshark-profile.png"), PROFILE_GEOMETRY)
    finally:
        stop(ws)


def menu_item(window, label):
    """The menu item of this label anywhere in the window's menu bar, and
    the path of menus to it."""
    for acc in walk(window):
        if role(acc) == "menu item" and name(acc) == label:
            path, parent = [label], acc.parent
            while parent is not None and role(parent) not in ("menu bar", "frame", "application"):
                if "menu" in role(parent) and name(parent):
                    path.insert(0, name(parent))
                parent = parent.parent
            return acc, " > ".join(path)
    fail(f"no menu item {label!r}")


def press(item):
    action = item.queryAction()
    for i in range(action.nActions):
        if action.getName(i).lower() in ("press", "click", "activate"):
            action.doAction(i)
            return
    action.doAction(0)


def drive(args, pid, capture_name, summaries, totals, stats, subtree):
    out = args.out
    app = wait_for("wireshark on the accessibility bus", lambda: find_app(pid), timeout=45,
                   explain=lambda: "AT_SPI_BUS on the root window: " + subprocess.run(
                       ["xprop", "-root", "AT_SPI_BUS"], capture_output=True, text=True).stdout)
    ok(f"wireshark (pid {pid}) is on the accessibility bus")

    def mapped():
        with open(f"/proc/{pid}/maps") as maps:
            return sorted({line.split()[-1] for line in maps
                           if line.rstrip().endswith("/sipmtls.so")})
    staged = os.environ["WIRESHARK_PLUGIN_DIR"]
    wait_for("wireshark to load the staged sipmtls.so",
             lambda: any(m.startswith(staged + "/") for m in mapped()), timeout=45,
             explain=lambda: f"sipmtls.so mapped: {mapped() or 'none'}")
    ok("wireshark has the staged sipmtls.so loaded")

    # The main window and the Expert Information dialog (-z expert), placed
    # side by side before any screenshot.
    main_win = wait_for(f"the main window on {capture_name}",
                        lambda: window_named(app, re.escape(capture_name) + "$"))
    expert = wait_for("the Expert Information dialog (-z expert)",
                      lambda: window_named(app, r"Expert Information"))
    main_wid = wait_for("the main window's X window", lambda: x_window(pid, name(main_win)))
    expert_wid = wait_for("the Expert Information X window", lambda: x_window(pid, name(expert)))
    place(main_wid, MAIN_GEOMETRY)
    place(expert_wid, EXPERT_GEOMETRY)

    # (a) The packet list, display filter sipmtls, the verdict frame selected.
    def protocol_cell():
        for tree in trees(main_win):
            for cell in children(tree):
                if role(cell) == "table cell" and is_protocol_item(name(cell)):
                    return tree, cell
        return None
    details, item = wait_for(f"the {PROTOCOL_ITEM} item of frame {args.frame} in the packet details",
                             protocol_cell, timeout=60)
    ok(f"frame {args.frame} selected, its details show {name(item)}")

    def packet_rows():
        for tree in trees(main_win):
            if tree is details:
                continue
            rows, _ = table_rows(tree)
            numbers = [r[0] for r in rows if r and r[0].isdigit()]
            if str(args.frame) in numbers:
                return rows
        return None
    rows = wait_for(f"frame {args.frame} in the packet list", packet_rows)
    verdicts = [r for r in rows if len(r) == len(COLUMNS) and r[5]]
    ok(f"the packet list (filter sipmtls) shows {len(rows)} rows, {len(verdicts)} with a verdict, "
       f"frame {args.frame} among them")
    time.sleep(1.0)           # let the panes settle at the new size
    shoot(main_wid, os.path.join(out, "wireshark-packet-list.png"), MAIN_GEOMETRY)

    # (b) The sipmtls subtree, selected and expanded (View > Expand Subtrees).
    item.queryAction().doAction(0)           # Qt's "Toggle" on a cell selects it
    wait_for(f"the {PROTOCOL_ITEM} item to be selected",
             lambda: item.getState().contains(pyatspi.STATE_SELECTED), timeout=10)
    expand, path = menu_item(main_win, "Expand Subtrees")
    press(expand)

    def subtree_cells():
        cells = [c for c in children(details) if role(c) == "table cell"]
        at = [i for i, c in enumerate(cells) if is_protocol_item(name(c))]
        rest = cells[at[0] + 1:] if at else []
        return rest if len(rest) >= len(subtree) - 1 else None
    cells = wait_for(f"{path} to open the sipmtls subtree ({len(subtree) - 1} lines)",
                     subtree_cells, explain=lambda: f"{len(subtree_cells() or [])} lines open")
    shown = [name(c) for c in cells]
    if shown != subtree[1:]:
        fail(f"the packet details show {shown}, tshark -V shows {subtree[1:]}")
    hidden = [name(c) for c in cells if not showing(c)]
    if hidden:
        fail(f"sipmtls subtree lines outside the visible pane: {hidden}")
    ok(f"{path}: the sipmtls subtree shows its {len(shown)} lines, as tshark -V does "
       f"({shown[0]})")
    time.sleep(0.5)
    shoot(main_wid, os.path.join(out, "wireshark-packet-details.png"), MAIN_GEOMETRY)

    # (c) Analyze > Expert Information.
    def expert_rows():
        for tree in trees(expert):
            rows, _ = table_rows(tree)
            mine = [r for r in rows if len(r) >= 5 and r[3] == "SIPMTLS"]
            got = {}
            for r in mine:
                got[r[0]] = got.get(r[0], 0) + int(r[4])
            if got == totals:
                return mine
        return None
    mine = wait_for(f"sipmtls entries in the Expert Information dialog totalling {totals}",
                    expert_rows, timeout=60)
    strange = [r[1] for r in mine if r[1] not in summaries or r[2] != "Security"]
    if strange:
        fail(f"Expert Information rows sipmtls does not register (or not in Security): {strange}")
    ok(f"Expert Information lists {len(mine)} sipmtls entries, totals by severity {totals} "
       f"as tshark -z expert, summaries as registered")
    shoot(expert_wid, os.path.join(out, "wireshark-expert-info.png"), EXPERT_GEOMETRY)

    # (d) Statistics > SIP-TLS Mutual TLS.
    item, path = menu_item(main_win, STATS_MENU_ITEM)
    press(item)
    stats_win = wait_for(f"{path} to open its window",
                         lambda: window_named(app, re.escape(STATS_MENU_ITEM)))
    stats_wid = wait_for("the statistics X window", lambda: x_window(pid, name(stats_win)))
    place(stats_wid, STATS_GEOMETRY)

    def stats_rows():
        for tree in trees(stats_win):
            rows, _ = table_rows(tree)
            got = [(r[0], int(r[1])) for r in rows if len(r) > 1 and r[1].isdigit()]
            if got:
                return got
        return None
    # The same items and counts; tshark sorts siblings by count, the GUI by
    # the order they came.
    wait_for(f"{path} to count as tshark -z sipmtls,tree ({len(stats)} rows)",
             lambda: sorted(stats_rows() or []) == sorted(stats), timeout=60,
             explain=lambda: f"the window shows {stats_rows()}, tshark {stats}")
    ok(f"{path} opens \"{name(stats_win)}\": {len(stats)} rows, the counts of "
       f"tshark -z sipmtls,tree")
    time.sleep(1.0)
    shoot(stats_wid, os.path.join(out, "wireshark-statistics.png"), STATS_GEOMETRY)


if __name__ == "__main__":
    try:
        main()
    except CheckFailed:
        sys.exit(1)
