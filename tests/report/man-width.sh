#!/bin/bash
# man-width.sh MAN_PAGE
#
# The installed man page reads on an 80-column terminal: no line of
# "MANWIDTH=80 man -l" (or groff at 80 columns where man is missing) is
# longer than 80 characters, and its EXIT STATUS lists every status.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail
page=$1
if command -v man >/dev/null; then
    text=$(MANWIDTH=80 MAN_KEEP_FORMATTING= man -l "$page" 2>&1 | col -bx 2>/dev/null || MANWIDTH=80 man -l "$page")
elif command -v groff >/dev/null; then
    text=$(groff -man -Tutf8 -rLL=80n -P-cbou "$page")
else
    echo "man-width: neither man nor groff: cannot render $page" >&2
    exit 77
fi
failures=0
# characters, not bytes: newer man pages hyphenate with U+2010 (3 bytes), and
# mawk's length counts bytes
long=$(python3 -X utf8 -c 'import sys
for line in sys.stdin.read().splitlines():
    if len(line) > 80:
        print(f"{len(line)}: {line}")' <<<"$text")
if [ -n "$long" ]; then
    echo "FAILED: lines wider than 80 columns in $page:" >&2
    echo "$long" >&2
    failures=$((failures + 1))
fi
table=$(sed -n '/^EXIT STATUS/,/^[A-Z]/p' <<<"$text")
for code in 0 1 2 3 4 130; do
    grep -qE "^ +$code +[A-Z]" <<<"$table" || { echo "FAILED: EXIT STATUS has no row $code" >&2; failures=$((failures + 1)); }
done
grep -qE "full +disk" <<<"$table" || { echo "FAILED: EXIT STATUS does not say what a full disk gives" >&2; failures=$((failures + 1)); }
[ "$failures" = 0 ] || exit 1
echo "man page: fits 80 columns, every exit status listed"
