#!/bin/bash
# exit-status.sh REPORT PLUGIN_SO CAPTURES_DIR
#
# Every row of the exit status table of sipmtls-report(1), and every bad
# input with its exact message: the report REPORT (the installed one in
# ctest) runs with the plugin PLUGIN_SO through run-tshark.sh (as nobody
# when root).  Damaged inputs are made here from the committed captures:
# cut with head -c (a truncated upload), cut before the outcome with
# editcap -r, emptied with editcap, and a text file; nothing is hand-made.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
report=$1 plugin=$2 captures=$(cd "$3" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-exit.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
failures=0 checks=0

c=$work/c
mkdir -p "$c/folder" "$c/empty-folder"
for f in tls12-no-request tls12-required-clientauth tls12-required-serverauth-only \
         tls12-optional-request-no-cert tls13-required-clientauth tls12-request-other-port \
         tls12-required-no-eku tls13-psk-resumption all-merged tls12-renegotiation-request \
         tls13-post-handshake-auth deadlines-merged; do
    cp "$captures/$f.pcapng" "$c/"
done
cp "$captures/keys/tls13-required-clientauth.keys" "$captures/keys/tls12-required-clientauth.keys" \
   "$captures/keys/tls12-renegotiation-request.keys" "$captures/keys/tls13-post-handshake-auth.keys" \
   "$captures/keys/deadlines-merged.keys" "$c/"
cp "$c/tls12-no-request.pcapng" "$c/tls12-required-clientauth.pcapng" "$c/folder/"
: >"$c/empty.pcapng"
# The TCP handshake alone (frames 1-3): a capture without TLS.
editcap -r "$c/tls12-no-request.pcapng" "$c/no-tls.pcapng" 1-3
head -c 3000 /dev/zero | tr '\0' 'x' >"$c/garbage.pcapng"
# A truncated copy: the last 100 bytes of a clean capture cut away.
size=$(stat -c %s "$c/tls12-no-request.pcapng")
head -c $((size - 100)) "$c/tls12-no-request.pcapng" >"$c/cut-clean.pcapng"
size=$(stat -c %s "$c/all-merged.pcapng")
head -c $((size / 2)) "$c/all-merged.pcapng" >"$c/cut-merged.pcapng"
# No packets at all; a capture that ends after the client's certificate,
# before the outcome (frames 1-11 of 23); the resumed connection alone
# (frames 27-47: undetermined, "session resumed").
editcap -r "$c/tls12-no-request.pcapng" "$c/no-packets.pcapng" 0 2>/dev/null
editcap -r "$c/tls12-required-clientauth.pcapng" "$c/ends-early.pcapng" 1-11
editcap -r "$c/tls13-psk-resumption.pcapng" "$c/resumed-only.pcapng" 27-47
cp "$c/tls12-no-request.pcapng" "$c/unreadable.pcapng"
chmod -R a+rX "$c"
chmod 000 "$c/unreadable.pcapng"

# A tshark that prints part of the real output, then dies; and one that
# then hangs (for Ctrl-C).
cat >"$c/dying-tshark" <<'SH'
#!/bin/bash
tshark "$@" | head -n 3
kill -KILL $$
SH
cat >"$c/hanging-tshark" <<'SH'
#!/bin/bash
tshark "$@" | head -n 3
exec sleep 60
SH
chmod 755 "$c/dying-tshark" "$c/hanging-tshark"

run() {   # run ARGS... : sets status, out (stdout), err (stderr)
    status=0
    SIPMTLS_EXTRA_ENV="SIPMTLS_REPORT_NO_PROGRESS=1" \
        "$here/../integration/run-tshark.sh" --exec "$report" "$plugin" -- "$@" \
        >"$work/out" 2>"$work/err" || status=$?
    out=$(cat "$work/out") err=$(cat "$work/err")
}

# expect CODE 'LINE that stdout or stderr must hold exactly' ARGS...
expect() {
    local code=$1 line=$2
    shift 2
    checks=$((checks + 1))
    run "$@"
    if [ "$status" != "$code" ] || ! grep -qxF -- "$line" <<<"$out
$err"; then
        echo "FAILED: sipmtls-report $* -> exit $status (want $code), want the line:" >&2
        echo "    $line" >&2
        echo "--- stdout:" >&2; echo "$out" >&2; echo "--- stderr:" >&2; echo "$err" >&2
        failures=$((failures + 1))
    fi
}

help="(see sipmtls-report --help)"
# ---- 0: pass --------------------------------------------------------------
expect 0 "Answer (exit status 0, --fail-on request): PASS: no audited endpoint requests a client certificate (1 endpoint)." \
    "$c/tls12-no-request.pcapng"
expect 0 "Answer (exit status 0, --fail-on client-auth): PASS: no audited endpoint relies on clientAuth or rejects (1 endpoint)." \
    --fail-on client-auth "$c/tls12-optional-request-no-cert.pcapng"
expect 0 "Answer (exit status 0, --fail-on rejected): PASS: no audited endpoint rejects (1 endpoint)." \
    --fail-on rejected "$c/tls12-required-clientauth.pcapng"
# ---- 1: some endpoint requests a client certificate -----------------------
expect 1 "Answer (exit status 1, --fail-on request): REQUEST: 1 endpoint requests a client certificate: 127.0.0.1:5061." \
    "$c/tls12-optional-request-no-cert.pcapng"
expect 1 "Answer (exit status 1, --fail-on request): REQUEST: 1 endpoint requests a client certificate: 127.0.0.1:5061." \
    "$c/tls13-required-clientauth.pcapng"
expect 1 "Answer (exit status 1, --fail-on request): REQUEST: 1 endpoint requests a client certificate: 127.0.0.1:5061." \
    "$c/tls12-required-no-eku.pcapng"
# ---- 3: fix now ------------------------------------------------------------
expect 3 "Answer (exit status 3, --fail-on request): FIX NOW: 1 endpoint relies on clientAuth or rejects the peer's certificate: 127.0.0.1:5061." \
    "$c/tls12-required-clientauth.pcapng"
expect 3 "Answer (exit status 3, --fail-on rejected): FIX NOW: 1 endpoint rejects the peer's answer: 127.0.0.1:5061." \
    --fail-on rejected "$c/tls12-required-serverauth-only.pcapng"
expect 3 "Answer (exit status 3, --fail-on request): FIX NOW: 1 endpoint relies on clientAuth or rejects the peer's certificate: 127.0.0.1:5061." \
    --keylog "$c/tls13-required-clientauth.keys" "$c/tls13-required-clientauth.pcapng"
expect 3 "Answer (exit status 3, --fail-on request): FIX NOW: 1 endpoint relies on clientAuth or rejects the peer's certificate: 127.0.0.1:5071." \
    --ports 5071 "$c/tls12-request-other-port.pcapng"
expect 3 "Answer (exit status 3, --fail-on request): FIX NOW: 1 endpoint relies on clientAuth or rejects the peer's certificate: 127.0.0.1:5071." \
    --all-ports "$c/tls12-request-other-port.pcapng"
expect 3 "Answer (exit status 3, --fail-on request): FIX NOW: 1 endpoint relies on clientAuth or rejects the peer's certificate: 127.0.0.1:5061." \
    - <"$c/tls12-required-clientauth.pcapng"
expect 3 "sipmtls report for 2 captures" "$c/folder"
# A cut capture still proves what it holds; the warning says it is partial.
expect 3 "  - $c/cut-merged.pcapng: truncated: the file is cut short in the middle of a packet; the packets before the cut are reported" \
    "$c/cut-merged.pcapng"
# ---- 4: the capture cannot answer -------------------------------------------
expect 4 "Answer (exit status 4, --fail-on request): CANNOT ANSWER: no TLS in the capture." "$c/no-tls.pcapng"
expect 4 "  - TLS on ports that are not audited: 5071 (1 connection, 1 CertificateRequest seen). Stock TLS dissection sees a CertificateRequest only where it is in clear (TLS 1.2) or decrypted. Audit them with --ports 5061,5071, or every TLS port with --all-ports." \
    "$c/tls12-request-other-port.pcapng"
expect 4 "Answer (exit status 4, --fail-on request): CANNOT ANSWER: TLS only on ports that are not audited (see the notes)." \
    "$c/tls12-request-other-port.pcapng"
expect 4 "Answer (exit status 4, --fail-on request): CANNOT ANSWER: 1 endpoint with undetermined verdicts." \
    "$c/resumed-only.pcapng"
expect 4 "  verdict: Undetermined: Capture ends before the outcome" "$c/ends-early.pcapng"
# Where a request can hide, never a pass (issue 12): an encrypted TLS 1.2
# renegotiation, and a TLS 1.3 client that offers post-handshake
# authentication, without keys.  With the key log both request (fix now).
expect 4 "  verdict: Undetermined: Encrypted renegotiation (TLS 1.2 without keys): whether it requests a client certificate cannot be seen" \
    "$c/tls12-renegotiation-request.pcapng"
expect 4 "Answer (exit status 4, --fail-on request): CANNOT ANSWER: 1 endpoint with undetermined verdicts." \
    "$c/tls13-post-handshake-auth.pcapng"
expect 4 "  verdict: Undetermined (inferred from record sizes): No request in the handshake, but a later one would be encrypted: the client offers post-handshake authentication, or its ClientHello is not in the capture (TLS 1.3 without keys)" \
    "$c/tls13-post-handshake-auth.pcapng"
expect 3 "Answer (exit status 3, --fail-on request): FIX NOW: 1 endpoint relies on clientAuth or rejects the peer's certificate: 127.0.0.1:5061." \
    --keylog "$c/tls12-renegotiation-request.keys" "$c/tls12-renegotiation-request.pcapng"
expect 3 "Answer (exit status 3, --fail-on request): FIX NOW: 1 endpoint relies on clientAuth or rejects the peer's certificate: 127.0.0.1:5061." \
    --keylog "$c/tls13-post-handshake-auth.keys" "$c/tls13-post-handshake-auth.pcapng"
expect 4 "Answer (exit status 4, --fail-on client-auth): CANNOT ANSWER: 1 endpoint with undetermined verdicts." \
    --fail-on client-auth "$c/tls13-required-clientauth.pcapng"
expect 4 "Answer (exit status 4, --fail-on request): CANNOT ANSWER: the input is incomplete (see the warnings)." \
    "$c/cut-clean.pcapng"
expect 4 "  - $c/unreadable.pcapng: cannot read it: Permission denied" \
    "$c/tls12-no-request.pcapng" "$c/unreadable.pcapng"
expect 4 "  - $c/missing.pcapng: no such file" "$c/tls12-no-request.pcapng" "$c/missing.pcapng"
expect 4 "  - $c/tls12-no-request.pcapng: tshark died (Killed) part way: only the part read so far is reported" \
    --tshark "$c/dying-tshark" "$c/tls12-no-request.pcapng"
# ---- 2: errors ---------------------------------------------------------------
expect 2 "sipmtls-report: $c/empty.pcapng: empty file (0 bytes): not a capture" "$c/empty.pcapng"
expect 2 "sipmtls-report: $c/no-packets.pcapng: no packets in this capture" "$c/no-packets.pcapng"
expect 2 "sipmtls-report: $c/garbage.pcapng: isn't a capture file in a format TShark understands." "$c/garbage.pcapng"
expect 2 "sipmtls-report: $c/missing.pcapng: no such file" "$c/missing.pcapng"
expect 2 "sipmtls-report: $c/unreadable.pcapng: cannot read it: Permission denied" "$c/unreadable.pcapng"
expect 2 "sipmtls-report: $c/empty-folder: no capture files in this directory (*.pcapng, *.pcap, *.cap)" "$c/empty-folder"
expect 2 "sipmtls-report: $c/none-*.pcapng: no file matches" "$c/none-*.pcapng"
expect 2 "sipmtls-report: --keylog $c/missing.keys: cannot read the key log: No such file or directory" \
    --keylog "$c/missing.keys" "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: --ports 'abc': not a port range (e.g. 5061,5071 or 5060-5070, ports 1-65535) $help" \
    --ports abc "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: --ports '70000': not a port range (e.g. 5061,5071 or 5060-5070, ports 1-65535) $help" \
    -p 70000 "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: --jobs '0': a number from 1 to 256 $help" --jobs 0 "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: --format 'xml': unknown format (text, csv, json, html) $help" --format xml "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: --fail-on 'all': request, client-auth or rejected $help" --fail-on all "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: Unknown option --frobnicate $help" --frobnicate "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: no capture named $help"
expect 2 "sipmtls-report: '-' (standard input) can be named only once $help" - -
expect 2 "sipmtls-report: --root-store $c/missing.pem: cannot read the root store: No such file or directory" \
    --root-store "$c/missing.pem" "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: --root-store $c/garbage.pcapng: no PEM certificate in it" \
    --root-store "$c/garbage.pcapng" "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: --output $c/no-dir/report.txt: cannot write in $c/no-dir: No such file or directory" \
    --output "$c/no-dir/report.txt" "$c/tls12-no-request.pcapng"
expect 2 "sipmtls-report: --output $c/folder: is a directory" --output "$c/folder" "$c/tls12-no-request.pcapng"
# A full disk: the report that cannot be written is an error (2), never the
# answer of a report nobody got; --output leaves no partial file.
expect 2 "sipmtls-report: --output /dev/full: cannot write the report: No space left on device" \
    --output /dev/full "$c/tls12-no-request.pcapng"
checks=$((checks + 1))
status=0
SIPMTLS_EXTRA_ENV="SIPMTLS_REPORT_NO_PROGRESS=1" "$here/../integration/run-tshark.sh" --exec "$report" "$plugin" -- \
    "$c/tls12-no-request.pcapng" >/dev/full 2>"$work/err" || status=$?
if [ "$status" != 2 ] || ! grep -qxF "sipmtls-report: cannot write the report to standard output: No space left on device" "$work/err"; then
    echo "FAILED: >/dev/full: exit $status (want 2), stderr: $(cat "$work/err")" >&2
    failures=$((failures + 1))
fi
# --output FILE: the same report as on standard output, the same status.
mkdir -p "$c/out" && chmod 777 "$c/out"
run "$c/tls12-required-clientauth.pcapng"
cp "$work/out" "$work/stdout-report"
expect 3 "" --output "$c/out/report.txt" "$c/tls12-required-clientauth.pcapng"
checks=$((checks + 1))
if [ -n "$out" ] || ! cmp -s "$c/out/report.txt" "$work/stdout-report" || [ "$(ls "$c/out")" != report.txt ]; then
    echo "FAILED: --output: stdout '$out', the file differs from standard output's report or others are left: $(ls "$c/out")" >&2
    failures=$((failures + 1))
fi
# The HTML report too: most urgent first, each peer's CA and deadline.
run --format html --keylog "$c/deadlines-merged.keys" "$c/deadlines-merged.pcapng"
checks=$((checks + 1))
order=$(grep -oE '>127\.0\.0\.[0-9]:5061</h2>' <<<"$out" | tr -d '>' | sed 's|</h2||' | paste -sd' ')
if [ "$status" != 3 ] || [ "$order" != "127.0.0.1:5061 127.0.0.3:5061 127.0.0.2:5061 127.0.0.4:5061 127.0.0.5:5061" ] \
   || ! grep -qF "CA: public CA DigiCert (root owner DigiCert Inc)<br><strong>deadline: 2027-02-10T12:00:00Z: breaks at the latest on 2027-02-10" <<<"$out"; then
    echo "FAILED: --format html: exit $status, endpoints in the order '$order', or no DigiCert CA and deadline" >&2
    failures=$((failures + 1))
fi
# Usage errors are one line.
run --ports abc "$c/tls12-no-request.pcapng"
checks=$((checks + 1))
[ "$(wc -l <"$work/err")" = 1 ] || { echo "FAILED: a usage error takes $(wc -l <"$work/err") lines" >&2; failures=$((failures + 1)); }
# The plugin missing: tshark alone.
checks=$((checks + 1))
status=0
SIPMTLS_EXTRA_ENV="SIPMTLS_REPORT_NO_PROGRESS=1" "$here/../integration/run-tshark.sh" --exec "$report" none -- \
    "$c/tls12-no-request.pcapng" >"$work/out" 2>"$work/err" || status=$?
if [ "$status" != 2 ] || ! grep -qxF "sipmtls-report: $c/tls12-no-request.pcapng: tshark does not know the sipmtls fields: is the plugin installed for this Wireshark (and for this user)?" "$work/err"; then
    echo "FAILED: without the plugin: exit $status, $(cat "$work/err")" >&2
    failures=$((failures + 1))
fi
# --version: the report's, the plugin's and Wireshark's.
expect 0 "sipmtls-report $(sed -n 's/^project(sipmtls VERSION \([0-9.]*\).*/\1/p' "$here/../../CMakeLists.txt") (built for Wireshark $(tshark -v 2>/dev/null | sed -n '1s/^TShark (Wireshark) \([0-9][0-9.]*[0-9]\).*/\1/p'))" --version
grep -q '^sipmtls plugin [0-9]' <<<"$out" || { echo "FAILED: --version names no plugin: $out" >&2; failures=$((failures + 1)); }
grep -q '^TShark (Wireshark) ' <<<"$out" || { echo "FAILED: --version names no Wireshark: $out" >&2; failures=$((failures + 1)); }
# Keys that decrypt nothing: a warning; the keyless answer stands.
expect 1 "  - the key log $c/tls12-required-clientauth.keys decrypts nothing in this capture (keys of other sessions?)" \
    --keylog "$c/tls12-required-clientauth.keys" "$c/tls13-required-clientauth.pcapng"

# ---- 130: interrupted ----------------------------------------------------------
# SIGINT while tshark hangs after part of its output: the report stops it,
# prints what it has, marked incomplete, and exits 130.
checks=$((checks + 1))
SIPMTLS_EXTRA_ENV="SIPMTLS_REPORT_NO_PROGRESS=1" "$here/../integration/run-tshark.sh" --exec "$report" "$plugin" -- \
    --tshark "$c/hanging-tshark" "$c/tls12-no-request.pcapng" >"$work/out" 2>"$work/err" &
runner=$!
pid=
for _ in $(seq 100); do
    pid=$(pgrep -f -n "^$work/.*/sipmtls-report|/sipmtls-run\..*/sipmtls-report --tshark $c/hanging-tshark" || true)
    [ -n "$pid" ] && pgrep -f "sleep 60" -P "$(pgrep -f -n "$c/hanging-tshark" || echo 0)" >/dev/null 2>&1 && break
    [ -n "$pid" ] && [ -n "$(pgrep -f "^sleep 60$" || true)" ] && break
    sleep 0.1
done
sleep 0.5
[ -n "$pid" ] && kill -INT "$pid"
status=0
wait "$runner" || status=$?
if [ "$status" != 130 ] || ! grep -qF "INTERRUPTED, partial report" "$work/out" \
   || ! grep -qxF "  - $c/tls12-no-request.pcapng: interrupted: only the part read so far is reported" "$work/out"; then
    echo "FAILED: Ctrl-C: exit $status (want 130)" >&2
    cat "$work/out" "$work/err" >&2
    failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
    echo "$failures of $checks checks failed" >&2
    exit 1
fi
echo "exit status: $checks checks passed"
