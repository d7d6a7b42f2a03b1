#!/bin/bash
# gen-field-reference.sh [--check] [SIPMTLS_SO]
#
# Writes docs/field-reference.md from what the built plugin registers: the
# stock tshark, with SIPMTLS_SO loaded (run as nobody by run-tshark.sh),
# lists every sipmtls field (-G fields), their value names (-G values) and
# the expert infos' names and summaries (which Wireshark registers as
# fields too).  tshark has no report of an expert info's group and
# severity, so those two come from the ei[] registration table of
# plugin/packet-sipmtls.c; the script fails when that table and the build
# name different expert infos, and checks the group and severity of every
# expert info the committed captures raise (tshark -T pdml on
# all-merged.pcapng with and without its key log) against the table.
#
# Only columns that read the same on Wireshark 4.0, 4.4 and 4.6 are used (the
# file comes out identical with 4.0.17, 4.4.19 and 4.6.9):
# name, filter name, field type (described in words by this script, not by
# tshark -G ftypes, whose wording changed), blurb; value, name.
#
#   --check   write nothing; compare with the committed file, print the
#             difference and the command that regenerates it, fail when
#             they differ (the ctest test docs/field-reference)
#
# SIPMTLS_SO defaults to build/plugins/X.Y/epan/sipmtls.so for the
# installed Wireshark X.Y.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
reference=docs/field-reference.md

check=0
if [ "${1:-}" = "--check" ]; then
    check=1
    shift
fi
if [ -n "${1:-}" ]; then
    plugin_so=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
    ws_version=$(tshark --version 2>/dev/null | sed -n -E '1s/.* ([0-9]+\.[0-9]+)\.[0-9]+.*/\1/p')
    plugin_so=$root/build/plugins/$ws_version/epan/sipmtls.so
fi
[ -f "$plugin_so" ] || { echo "gen-field-reference.sh: no plugin at $plugin_so" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-fieldref.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The unprivileged tshark must be able to read the captures.
cp "$root/captures/all-merged.pcapng" "$root/captures/keys/all-merged.keys" "$tmp/"
chmod -R a+rX "$tmp"

tshark_with_plugin() { "$root/tests/integration/run-tshark.sh" "$plugin_so" -- "$@" 2>/dev/null; }

tshark_with_plugin -G fields | awk -F'\t' '$1 == "P" && $3 == "sipmtls" ||
                                          $1 == "F" && $3 ~ /^sipmtls\./' >"$tmp/fields"
tshark_with_plugin -G values | awk -F'\t' '$2 ~ /^sipmtls\./' >"$tmp/values"
grep -q '^P' "$tmp/fields" || {
    echo "gen-field-reference.sh: tshark with $plugin_so registers no protocol sipmtls" >&2
    exit 2
}

# Expert infos: name, group, severity from the registration table.
grep -o '"sipmtls\.expert\.[^"]*", *PI_[A-Z_]*, *PI_[A-Z]*' "$root/plugin/packet-sipmtls.c" |
    sed -E 's/"([^"]*)", *(PI_[A-Z_]*), *(PI_[A-Z]*)/\1\t\2\t\3/' >"$tmp/ei-source"
cut -f1 "$tmp/ei-source" | sort >"$tmp/ei-source-names"
awk -F'\t' '$4 == "FT_NONE" && $3 ~ /^sipmtls\.expert\./ { print $3 }' "$tmp/fields" |
    sort >"$tmp/ei-build-names"
if ! diff "$tmp/ei-source-names" "$tmp/ei-build-names" >"$tmp/ei-diff"; then
    echo "gen-field-reference.sh: the expert infos of plugin/packet-sipmtls.c's ei[] table" \
         "(<) and those the build registers (>) differ:" >&2
    cat "$tmp/ei-diff" >&2
    exit 2
fi

# The group and severity Wireshark shows for every expert info the
# captures raise, in the words of the table below.
for keys in "" "-o tls.keylog_file:$tmp/all-merged.keys"; do
    # shellcheck disable=SC2086  # $keys is two words or none
    tshark_with_plugin -r "$tmp/all-merged.pcapng" -2 $keys -Y sipmtls -T pdml
done | awk '
    /<field name="sipmtls\.expert\./ { match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7) }
    /<field name="_ws\.expert\.severity"/ && name != "" { match($0, /showname="[^"]*"/); sev = substr($0, RSTART + 10, RLENGTH - 11); sub(/^[^:]*: /, "", sev) }
    /<field name="_ws\.expert\.group"/ && name != "" { match($0, /showname="[^"]*"/); grp = substr($0, RSTART + 10, RLENGTH - 11); sub(/^[^:]*: /, "", grp)
                                       print name "\t" grp "\t" sev; name = "" }' |
    sort -u >"$tmp/ei-seen"

awk -F'\t' -v out="$tmp/field-reference.md" -v seen="$tmp/ei-seen" '
function md(s) { gsub(/\|/, "\\|", s); return s }
function type_words(t) {
    if (t in TYPE) return TYPE[t]
    return "`" t "`"
}
BEGIN {
    TYPE["FT_NONE"] = "Label (no value)";       TYPE["FT_PROTOCOL"] = "Protocol"
    TYPE["FT_BOOLEAN"] = "Boolean";             TYPE["FT_FRAMENUM"] = "Frame number"
    TYPE["FT_UINT8"] = "Unsigned integer (8 bits)";   TYPE["FT_UINT16"] = "Unsigned integer (16 bits)"
    TYPE["FT_UINT32"] = "Unsigned integer (32 bits)"; TYPE["FT_UINT64"] = "Unsigned integer (64 bits)"
    TYPE["FT_INT32"] = "Signed integer (32 bits)";    TYPE["FT_STRING"] = "Character string"
    TYPE["FT_ABSOLUTE_TIME"] = "Date and time"; TYPE["FT_RELATIVE_TIME"] = "Time offset"
    TYPE["FT_BYTES"] = "Byte sequence";         TYPE["FT_IPv4"] = "IPv4 address"
    GROUP["PI_SECURITY"] = "Security";   GROUP["PI_PROTOCOL"] = "Protocol"
    GROUP["PI_MALFORMED"] = "Malformed"; GROUP["PI_SEQUENCE"] = "Sequence"
    GROUP["PI_UNDECODED"] = "Undecoded"; GROUP["PI_DECRYPTION"] = "Decryption"
    GROUP["PI_ASSUMPTION"] = "Assumption"; GROUP["PI_DEPRECATED"] = "Deprecated"
    GROUP["PI_RESPONSE_CODE"] = "Response"; GROUP["PI_REQUEST_CODE"] = "Request"
    GROUP["PI_COMMENTS_GROUP"] = "Comment"; GROUP["PI_DEBUG"] = "Debug"
    SEV["PI_ERROR"] = "Error"; SEV["PI_WARN"] = "Warning"; SEV["PI_NOTE"] = "Note"
    SEV["PI_CHAT"] = "Chat";   SEV["PI_COMMENT"] = "Comment"
}
FILENAME ~ /ei-source$/ { ei_group[$1] = $2; ei_sev[$1] = $3; next }
FILENAME ~ /values$/ {
    if ($1 == "V") { vals[$2] = vals[$2] "| `" md($3) "` | " md($4) " |\n" }
    else if ($1 == "R") { vals[$2] = vals[$2] "| `" md($3) "`–`" md($4) "` | " md($5) " |\n" }
    else if ($1 == "T") { vals[$2] = vals[$2] "| `1` | " md($3) " |\n| `0` | " md($4) " |\n" }
    next
}
FILENAME ~ /ei-seen$/ { seen_group[$1] = $2; seen_sev[$1] = $3; next }
$1 == "P" { proto_name = $2; next }
$4 == "FT_NONE" && $3 ~ /^sipmtls\.expert\./ { n_ei++; ei[n_ei] = $3; summary[$3] = $2; next }
{ n_f++; f_name[n_f] = $2; f_abbrev[n_f] = $3; f_type[n_f] = $4; f_blurb[n_f] = $8 }
END {
    print "# sipmtls field reference" > out
    print "" > out
    print "<!-- Generated by scripts/gen-field-reference.sh from what the built plugin" > out
    print "     registers; do not edit. The ctest test docs/field-reference fails when" > out
    print "     this file and the build disagree. -->" > out
    print "" > out
    print "Every display filter field and every expert info of the **" proto_name "**" > out
    print "(`sipmtls`), as the plugin registers them. Use a filter name in the display" > out
    print "filter bar of Wireshark, with `tshark -Y`, or as a column (`tshark -T fields -e`)." > out
    print "What the warnings and verdicts mean: [warnings.md](warnings.md)," > out
    print "[verdicts.md](verdicts.md)." > out
    print "" > out
    print "## Fields" > out
    print "" > out
    print "| Field | Filter name | Type | Description |" > out
    print "|---|---|---|---|" > out
    print "| " md(proto_name) " | `sipmtls` | Protocol | The sipmtls subtree of a frame |" > out
    for (i = 1; i <= n_f; i++)
        print "| " md(f_name[i]) " | `" f_abbrev[i] "` | " type_words(f_type[i]) " | " md(f_blurb[i]) " |" > out
    print "" > out
    print "## Expert infos" > out
    print "" > out
    print "Each is also a field: `" ei[1] "` finds the frames that raise it." > out
    print "" > out
    print "| Expert info (filter name) | Group | Severity | Summary |" > out
    print "|---|---|---|---|" > out
    for (i = 1; i <= n_ei; i++) {
        e = ei[i]
        g = (ei_group[e] in GROUP) ? GROUP[ei_group[e]] : ei_group[e]
        s = (ei_sev[e] in SEV) ? SEV[ei_sev[e]] : ei_sev[e]
        if (e in seen_group && (seen_group[e] != g || seen_sev[e] != s)) {
            printf "gen-field-reference.sh: %s is %s/%s in the table, Wireshark shows %s/%s\n",
                   e, g, s, seen_group[e], seen_sev[e] > "/dev/stderr"
            bad = 1
        }
        if (e in seen_group) checked++
        print "| `" e "` | " g " | " s " | " md(summary[e]) " |" > out
    }
    print "" > out
    print "## Values" > out
    print "" > out
    print "The fields below hold a number; Wireshark shows its name. Filter on the" > out
    print "number: `sipmtls.verdict == 6`." > out
    for (i = 1; i <= n_f; i++) {
        a = f_abbrev[i]
        if (!(a in vals)) continue
        print "" > out
        print "### `" a "`" > out
        print "" > out
        print "| Value | Name |" > out
        print "|---|---|" > out
        printf "%s", vals[a] > out
    }
    printf "gen-field-reference.sh: %d fields, %d expert infos (%d of them raised by the captures, " \
           "group and severity as registered)\n", n_f, n_ei, checked > "/dev/stderr"
    exit bad
}' "$tmp/ei-source" "$tmp/values" "$tmp/ei-seen" "$tmp/fields"

if [ "$check" = 0 ]; then
    cp "$tmp/field-reference.md" "$root/$reference"
    echo "wrote $reference"
    exit 0
fi
if ! diff -u "$root/$reference" "$tmp/field-reference.md"; then
    echo "FAILED: $reference differs from what $plugin_so registers (- committed, + build)." >&2
    echo "If the change to the plugin is meant, regenerate and commit the file:" >&2
    echo "    scripts/gen-field-reference.sh $plugin_so" >&2
    exit 1
fi
echo "$reference matches what $plugin_so registers"
