#!/bin/bash
# check-capture-tables.sh: the frame-number and record-size tables of
# captures/README.md are what `captures/record.sh --summary` and
# `--records` print for the committed captures (they are generated, not
# typed: a re-recording that moves a frame fails here until the tables are
# regenerated).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
readme=$root/captures/README.md
fail=0
for mode in --summary --records; do
    if ! out=$(bash "$root/captures/record.sh" "$mode" 2>/dev/null) || [ -z "$out" ]; then
        echo "not ok - captures/record.sh $mode failed or printed nothing"; fail=1; continue
    fi
    # Every generated row is a row of the README ...
    missing=$(grep -vxF -f "$readme" <<<"$out")
    if [ -n "$missing" ]; then
        echo "not ok - captures/README.md lacks these rows of record.sh $mode:"; echo "$missing"; fail=1
    else
        echo "ok - record.sh $mode: all $(wc -l <<<"$out") rows are in captures/README.md"
    fi
    # ... and the README's frame table has no row record.sh does not print.
    if [ "$mode" = --summary ]; then
        extra=$(grep -E '^\| [a-z0-9-]+\.pcapng( tcp\.stream [0-9]+)? \| [0-9]+ \|' "$readme" |
                grep -vxF -f <(echo "$out"))
        if [ -n "$extra" ]; then
            echo "not ok - captures/README.md has frame-table rows record.sh does not print:"
            echo "$extra"; fail=1
        fi
    fi
done
exit $fail
