#!/bin/bash
# install-deps.sh [GROUP...]
# Installs the Debian packages of the named groups of scripts/packages.txt
# (default: build run) that are not installed yet.  Needs root or sudo.
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(build run)

wanted=()
for g in "${groups[@]}"; do
    line=$(awk -v g="# $g:" 'index($0, g) == 1 { getline; print; exit }' "$here/packages.txt")
    [ -n "$line" ] || { echo "install-deps.sh: no package group '$g'" >&2; exit 2; }
    read -r -a pkgs <<<"$line"
    wanted+=("${pkgs[@]}")
done

missing=()
for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" = 0 ] || sudo=(sudo)
echo "installing: ${missing[*]}"
"${sudo[@]}" apt-get update -q
# tshark asks whether non-root users may capture: keep the default, silently.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
