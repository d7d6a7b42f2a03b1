#!/bin/bash
# quickstart.sh: from a fresh Debian machine to sipmtls warnings.
# Installs what is missing, builds, installs the plugin (per-user plugin
# folder, or the system one when run as root) and shows the warnings tshark
# now gives for a bundled capture of a SIP-TLS connection with mutual TLS.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

cd "$(dirname "$0")/.."
scripts/install-deps.sh build run

cmake -S . -B build -DSIPMTLS_TESTS=OFF
cmake --build build -j"$(nproc)"
cmake --install build

capture=captures/tls12-required-clientauth.pcapng
echo
echo "== tshark -r $capture -q -z expert,warn"
tshark -r "$capture" -q -z expert,warn 2>/dev/null

# The report, as installed: ~/.local/bin for a user, /usr/local/bin for root.
if [ "$(id -u)" = 0 ]; then bindir=/usr/local/bin; else bindir=$HOME/.local/bin; fi
echo
echo "== sipmtls-report $capture"
status=0
"$bindir/sipmtls-report" "$capture" || status=$?
echo "(exit status $status: 3 means fix now; see man sipmtls-report)"
case ":$PATH:" in
    *":$bindir:"*) ;;
    *) echo "Note: $bindir is not on your PATH; add it (export PATH=\"$bindir:\$PATH\") or log in again." ;;
esac

cat <<'NEXT'

Next:
  * the findings per TLS server endpoint, in plain words and what to change:
      sipmtls-report captures/all-merged.pcapng
  * the same as a page to look at or attach to a ticket (open report.html in a browser):
      sipmtls-report --format html captures/all-merged.pcapng > report.html
  * in the GUI, with the columns, colours and buttons of the installed profile:
      wireshark -C "SIP-TLS mTLS audit" captures/tls12-required-serverauth-only.pcapng
  * the training course, twelve exercises on the bundled captures: docs/course.md
  * what each warning means and what to do: docs/warnings.md
NEXT
