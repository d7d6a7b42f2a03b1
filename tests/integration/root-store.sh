#!/bin/bash
# root-store.sh PLUGIN_SO REPORT CAPTURES_DIR
#
# The sipmtls.root_store preference when it names no usable file: tshark
# says why in one line and goes on with the built-in roots (the DigiCert
# test chain stays public); sipmtls-report refuses a missing --root-store
# with exit status 2.  And when it names the test-only store: the built-in
# roots are replaced (DigiCert's test chain is then private).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
plugin_so=$1 report=$2 captures=$3
stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-roots.XXXXXX")
trap 'rm -rf "$stage"' EXIT
cp "$captures/tls12-public-digicert-clientauth.pcapng" "$stage/digicert.pcapng"
cp "$captures/pki/testpublic-root.pem" "$stage/test-store.pem"
echo "not a certificate" > "$stage/junk.pem"
chmod -R a+rX "$stage"
failures=0

# check NAME EXPECTED_FIELDS EXPECTED_STDERR_REGEX -- TSHARK_ARGS...
check() {
    local name=$1 want=$2 err_re=$3 out err
    shift 4
    out=$("$here/run-tshark.sh" "$plugin_so" -- -r "$stage/digicert.pcapng" "$@" -Y sipmtls.verdict \
          -T fields -e sipmtls.client_cert.trust -e sipmtls.client_cert.ca 2>"$stage/err") || {
        echo "FAILED $name: tshark exited with $?"; failures=$((failures + 1)); return; }
    err=$(cat "$stage/err")
    if [[ $out != "$want" ]]; then
        echo "FAILED $name: fields '$out', expected '$want'"; failures=$((failures + 1))
    elif [[ -n $err_re && ! $err =~ $err_re ]] || [[ -z $err_re && -n $err ]]; then
        echo "FAILED $name: stderr '$err'"; failures=$((failures + 1))
    else
        echo "ok $name"
    fi
}

public=$'1\tDigiCert'
check built-in "$public" "" --
check missing-file "$public" "^tshark: sipmtls: cannot read the root store /nonexistent/roots\.pem \(.*\): using the built-in one$" \
    -- -o sipmtls.root_store:/nonexistent/roots.pem
check not-pem "$public" "^tshark: sipmtls: root store $stage/junk\.pem: no certificate read: .*: using the built-in one$" \
    -- -o sipmtls.root_store:"$stage/junk.pem"
check replaced $'2\t' "" -- -o sipmtls.root_store:"$stage/test-store.pem"

exit $((failures > 0))
