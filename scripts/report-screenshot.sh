#!/bin/bash
# report-screenshot.sh [--check-only] --plugin SIPMTLS_SO --report SIPMTLS_REPORT
#
# The HTML report (`sipmtls-report --format html`) of the bundled capture of
# every scenario, with its key log, looked at in a real browser: Debian's
# chromium, headless, offline.  Checks, and fails when one fails:
#
#   - the report writes one page and exits with the status of the text
#     report for the same capture;
#   - the page is self-contained: no <script>, no <link>, no src= or
#     href= and no url(...) that leaves the page, no http(s):// anywhere;
#   - chromium renders it (--dump-dom): the rendered page names every TLS
#     server endpoint of the text report and holds a timeline (an <svg>
#     with a mark per verdict), the evidence frames and the advice;
#   - on deadlines-merged (five endpoints), the page lists the endpoints
#     in the text report's order, most urgent first;
#   - the screenshot (--screenshot) has the window's size and is not blank.
#
# Without --check-only it then writes docs/images/report-html.png.  The
# ctest test docs/html-report runs it with --check-only, on the installed
# report and plugin (report/stage); without chromium it exits 77 (skipped).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

check_only=0 plugin_so='' report=''
while [ $# -gt 0 ]; do
    case "$1" in
    --check-only) check_only=1 ;;
    --plugin) plugin_so=$2; shift ;;
    --report) report=$2; shift ;;
    -h|--help) sed -n '2,/^# SPDX/{/^# SPDX/d;p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "report-screenshot.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
fail() { echo "not ok - $*" >&2; exit 1; }
ok() { echo "ok - $*"; }
[ -f "$plugin_so" ] && [ -x "$report" ] || fail "name the built plugin and report (--plugin, --report)"
plugin_so=$(readlink -f "$plugin_so") report=$(readlink -f "$report")
# Without a browser there is nothing to look with: skipped (77), as ctest
# is told (SKIP_RETURN_CODE), not passed.
for tool in chromium identify; do
    command -v "$tool" >/dev/null || { echo "skip - no $tool (scripts/install-deps.sh browser test)"; exit 77; }
done

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-html.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod 755 "$stage"
cp "$root/captures/all-merged.pcapng" "$root/captures/keys/all-merged.keys" \
   "$root/captures/deadlines-merged.pcapng" "$root/captures/keys/deadlines-merged.keys" "$stage/"
chmod a+r "$stage"/*
mkdir -m 777 "$stage/out"

# The report as a user runs it (run-tshark.sh: as nobody when root).
# From the stage, so that the page names the capture as a user would.
capture=all-merged
run_report() {
    (cd "$stage" && "$root/tests/integration/run-tshark.sh" --exec "$report" "$plugin_so" -- \
        --keylog "$capture.keys" "$@" "$capture.pcapng")
}
set +e
run_report --format html > "$stage/out/report.html" 2> "$stage/out/report.err"
html_status=$?
run_report > "$stage/out/report.txt" 2>&1
text_status=$?
set -e
[ "$html_status" = "$text_status" ] ||
    fail "--format html exits $html_status, the text report $text_status: $(head -c 300 "$stage/out/report.err")"
[ -s "$stage/out/report.html" ] || fail "--format html wrote nothing"
ok "sipmtls-report --format html: $(wc -c < "$stage/out/report.html") bytes, exit status $html_status as the text report"

page=$stage/out/report.html
if grep -Eiq '<script|<link|<iframe|<object|<embed|@import|https?://' "$page"; then
    fail "the page refers to something outside itself: $(grep -Eio '<script|<link|<iframe|<object|<embed|@import|https?://[^" ]*' "$page" | sort -u | head -5 | tr '\n' ' ')"
fi
if grep -Eio '(src|href)="[^"#][^"]*"|url\([^)]*\)' "$page" | grep -vq 'data:'; then
    fail "the page loads something: $(grep -Eio '(src|href)="[^"#][^"]*"|url\([^)]*\)' "$page" | head -3)"
fi
ok "the page is self-contained: no script, no link, no external URL"

# Chromium, headless, offline, in a profile of its own, as nobody when root.
as_user=()
[ "$(id -u)" != 0 ] || as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
browse() {
    local profile
    profile=$(mktemp -d "$stage/chromium.XXXXXX")
    chmod 777 "$profile"
    timeout 120 "${as_user[@]}" env -i PATH="$PATH" HOME="$profile" TZ=UTC LC_ALL=C.UTF-8 \
        chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --disable-extensions \
        --user-data-dir="$profile/data" "$@" "file://$page" 2> "$stage/out/chromium.err"
}
browse --dump-dom > "$stage/out/dom.html" || fail "chromium --dump-dom failed: $(tail -n3 "$stage/out/chromium.err")"
# The endpoints of the text report, every one in the rendered page.
endpoints=$(grep -Eo '^([0-9][0-9a-f.:]*|\[[0-9a-f:.]+\]):[0-9]+' "$stage/out/report.txt" | sort -u || true)
[ -n "$endpoints" ] || fail "the text report names no endpoint: $(head -n5 "$stage/out/report.txt")"
for e in $endpoints; do
    grep -qF ">$e</h2>" "$stage/out/dom.html" || fail "the rendered page has no section for $e"
done
marks=$(grep -o '<circle' "$stage/out/dom.html" | wc -l)
verdicts=$(grep -Eo '^ +[0-9]+ x ' "$stage/out/report.txt" | awk '{ n += $1 } END { print n + 0 }')
[ "$marks" -ge "$verdicts" ] && [ "$marks" -gt 0 ] ||
    fail "the timeline has $marks marks, the text report counts $verdicts connections"
grep -q 'Evidence frames' "$stage/out/dom.html" && grep -Eq 'frame [0-9]+' "$stage/out/dom.html" ||
    fail "the rendered page shows no evidence frames"
grep -q 'What to change' "$stage/out/dom.html" || fail "the rendered page gives no advice"
ok "chromium renders it: $(wc -w <<<"$endpoints") endpoint section(s), $marks timeline marks (>= $verdicts connections), evidence frames, advice"

# Several endpoints: the page's order is the text report's (most urgent first).
capture=deadlines-merged
set +e
run_report --format html > "$stage/out/deadlines.html" 2>> "$stage/out/report.err"
run_report > "$stage/out/deadlines.txt" 2>&1
set -e
text_order=$(grep -Eo '^([0-9][0-9a-f.:]*|\[[0-9a-f:.]+\]):[0-9]+' "$stage/out/deadlines.txt" | tr '\n' ' ' || true)
page_order=$(page=$stage/out/deadlines.html browse --dump-dom | grep -Eo '<h2 class="mono">[^<]*</h2>' |
             sed 's/<[^>]*>//g' | tr '\n' ' ' || true)
[ "$(wc -w <<<"$text_order")" -ge 2 ] && [ "$page_order" = "$text_order" ] ||
    fail "deadlines-merged: the page lists the endpoints as '$page_order', the text report as '$text_order'"
ok "deadlines-merged: $(wc -w <<<"$page_order") endpoints, in the text report's order"

size=1200,1500
browse --hide-scrollbars --window-size=$size --screenshot="$stage/out/report-html.png" >/dev/null ||
    fail "chromium --screenshot failed: $(tail -n3 "$stage/out/chromium.err")"
read -r w h colours sd < <(identify -format '%w %h %k %[fx:standard_deviation]\n' "$stage/out/report-html.png")
[ "$w,$h" = "$size" ] || fail "the screenshot is ${w}x$h, not ${size/,/x}"
awk -v c="$colours" -v s="$sd" 'BEGIN { exit !(c >= 16 && s >= 0.05) }' ||
    fail "the screenshot looks blank ($colours colours, deviation $sd)"
ok "report-html.png: ${w}x$h, $colours colours"

if [ "$check_only" = 1 ]; then
    echo "report-screenshot.sh: all checks passed (--check-only: docs/images/ left alone)"
    exit 0
fi
convert "$stage/out/report-html.png" -strip -colors 256 "PNG8:$root/docs/images/report-html.png"
echo "wrote docs/images/report-html.png"
