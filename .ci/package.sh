#!/usr/bin/env bash
# Build the Debian package of sipmtls for each supported release and test it
# as a user gets it: installed with apt into a fresh root of that release.
#
#   bash .ci/package.sh                          # bookworm (host), trixie, sid
#   bash .ci/package.sh --suites "bookworm sid"  # some of them
#   bash .ci/package.sh --keep                   # leave the packages in dist/<suite>/
#   bash .ci/package.sh --prepare-only           # only make the cached pristine roots
#
# Building: bookworm on the host, at the same time trixie and sid in
# overlays on the matrix roots (.ci/matrix.sh makes them), all three at
# once (mostly single-threaded: dpkg-buildpackage, lintian), each with
# scripts/build-deb.sh (dpkg-buildpackage, then lintian of that release).
# Testing, per release, in a fresh root: an overlay on a pristine root (debootstrap minbase,
# cached under $SIPMTLS_PACKAGE_CACHE, default /var/cache/sipmtls-package,
# with tshark's dependencies already downloaded, not installed, so a run
# needs no network): `apt-get install ./<package>.deb`; `tshark -G plugins`
# (as nobody) lists sipmtls.so with the version of CMakeLists.txt in the
# release's system plugin folder; the bundled capture gives the findings
# the integration tests expect; sipmtls-report --version; the man page and
# docs are there; then remove and purge, and nothing of the package is left.
# Also: the package of another release must refuse to install.
# Needs root.  The pristine roots are made once (~3 min each).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
SELF=$(readlink -f "${BASH_SOURCE[0]}")
SRC_DIR=$(cd "$(dirname "$SELF")/.." && pwd -P)
suites="bookworm trixie sid" keep=0 prepare_only=0
ORIG_ARGS=("$@")
while (($#)); do
    case $1 in
    --suites) suites=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --prepare-only) prepare_only=1; shift ;;
    *) echo "usage: $0 [--suites LIST] [--keep] [--prepare-only]" >&2; exit 2 ;;
    esac
done
[[ $(id -u) -eq 0 ]] || { echo "must run as root (debootstrap, chroot)" >&2; exit 2; }
if [[ -z ${SIPMTLS_PACKAGE_IN_NS:-} ]]; then
    export SIPMTLS_PACKAGE_IN_NS=1
    exec unshare --mount --propagation private -- bash "$SELF" "${ORIG_ARGS[@]}"
fi

CACHE=${SIPMTLS_PACKAGE_CACHE:-/var/cache/sipmtls-package}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
PREP_VERSION=1
log() { printf '[package %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 2; }
mkdir -p "$CACHE"
exec 8>"$CACHE/.lock"
flock -w 3600 8 || die "another run holds $CACHE/.lock"

version=$(sed -nE 's/^project\(sipmtls VERSION ([0-9][0-9.]*)[ )].*/\1/p' "$SRC_DIR/CMakeLists.txt")
mirror=$(sed -nE 's#^[[:space:]]*URIs:[[:space:]]*(https?://[^[:space:]]*/debian)/?[[:space:]]*$#\1#p' \
             /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
mirror=${mirror:-http://deb.debian.org/debian}
work=$(mktemp -d /var/tmp/sipmtls-package.XXXXXX)
cleanup() {
    local m
    for m in $(awk -v r="$work" 'index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT

sources_for() {    # $1 suite: the root's sources.list (bookworm: as the host, with updates and security)
    case $1 in
    bookworm) printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s-security bookworm-security main\n' \
                  "$mirror" "$mirror" "$mirror" ;;
    *) printf 'deb %s %s main\n' "$mirror" "$1" ;;
    esac
}

# ---- pristine roots: minbase, apt lists, tshark's closure downloaded ----------------------
enter() {          # $1 root, rest: command, in its own PID namespace, clean environment
    local r=$1; shift
    unshare --pid --fork --kill-child --mount-proc="$r/proc" -- chroot "$r" /usr/bin/env -i \
        PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@" 8>&-
}
mount_min() {      # $1 root
    mount --bind "$1" "$1"
    mount -t proc proc "$1/proc"
    mount --rbind /dev "$1/dev"
    mount -t tmpfs -o mode=1777 tmpfs "$1/tmp"
}
umount_min() { local m; for m in $(awk -v r="$1" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do umount "$m" 2>/dev/null || umount -l "$m"; done; }
pristine() {       # $1 suite -> path of its up-to-date pristine root
    local s=$1 root=$CACHE/$1 tmp=$CACHE/.$1.partial stamp t0=$SECONDS
    stamp="prep=$PREP_VERSION $(sources_for "$s" | tr '\n' ' ')"
    if [[ -f $root/.sipmtls-package-stamp && $(cat "$root/.sipmtls-package-stamp") == "$stamp" ]]; then
        echo "$root"; return
    fi
    log "$s: making the pristine root (debootstrap minbase from $mirror)"
    rm -rf --one-file-system "$tmp"
    debootstrap --variant=minbase --keyring="$KEYRING" "$s" "$tmp" "$mirror" > "$CACHE/.$s.log" 2>&1 ||
        { tail -n 20 "$CACHE/.$s.log" >&2; die "$s: debootstrap failed"; }
    sources_for "$s" > "$tmp/etc/apt/sources.list"
    {
        echo 'APT::Install-Recommends "false";'
        [[ $s == sid ]] && echo 'Acquire::Check-Valid-Until "false";'
        true
    } > "$tmp/etc/apt/apt.conf.d/99sipmtls-package"
    # keep what is downloaded (the package test installs from it)
    rm -f "$tmp/etc/apt/apt.conf.d/docker-clean"
    printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d"; chmod 755 "$tmp/usr/sbin/policy-rc.d"
    cp -L /etc/resolv.conf "$tmp/etc/resolv.conf"
    mount_min "$tmp"
    enter "$tmp" sh -ec 'apt-get update -q && apt-get install -y -q --download-only tshark' \
        >> "$CACHE/.$s.log" 2>&1 || { umount_min "$tmp"; tail -n 20 "$CACHE/.$s.log" >&2; die "$s: apt failed"; }
    umount_min "$tmp"
    echo "$stamp" > "$tmp/.sipmtls-package-stamp"
    rm -rf --one-file-system "$root"
    mv "$tmp" "$root"
    log "$s: pristine root ready in $((SECONDS - t0))s ($(du -sh --one-file-system "$root" | cut -f1))"
    echo "$root"
}

if ((prepare_only)); then
    for s in $suites; do pristine "$s" > /dev/null; done
    exit 0
fi

# ---- building ----------------------------------------------------------------------------
declare -A deb=() result=() took=()
builders=()
failed=0
t0=$SECONDS
for s in $suites; do
    case $s in bookworm|trixie|sid) ;; *) die "unknown suite $s" ;; esac
    mkdir -p "$work/out/$s"
done
if [[ " $suites " == *" bookworm "* ]]; then
    [[ $(. /etc/os-release; echo "$VERSION_CODENAME") == bookworm ]] || die "the host is not bookworm"
    log "bookworm: building on the host"
    (cd "$SRC_DIR" && scripts/build-deb.sh --out "$work/out/bookworm" > "$work/out/bookworm.log" 2>&1) &
    builders+=($!)
fi
# trixie and sid: in an overlay on the matrix root of that release, so the
# shared root stays as it is and its lock (held while other runs test in
# it) is not needed; matrix.sh makes the root first if it is missing.
MATRIX_CACHE=${SIPMTLS_MATRIX_CACHE:-/var/cache/sipmtls-matrix}
build_in_overlay() {   # $1 suite, $2 its matrix root
    local s=$1 b=$work/build-$1
    mkdir -p "$b/root" "$b/upper" "$b/work"
    mount -t overlay overlay -o "lowerdir=$2,upperdir=$b/upper,workdir=$b/work" "$b/root"
    mount_min "$b/root"
    mkdir -p "$b/root/src" "$b/root/out"
    mount --bind "$SRC_DIR" "$b/root/src" && mount -o remount,bind,ro "$b/root/src"
    mount --bind "$work/out/$s" "$b/root/out"
    enter "$b/root" bash -c 'cd /src && scripts/build-deb.sh --out /out' > "$work/out/$s.log" 2>&1 || true
    umount_min "$b/root"
    rm -rf --one-file-system "$b"
}
for s in $suites; do
    [[ $s != bookworm ]] || continue
    mroot=$MATRIX_CACHE/$s
    [[ -f $mroot/.sipmtls-matrix-stamp ]] || bash "$SRC_DIR/.ci/matrix.sh" --prepare-only --suites "$s" ||
        { log "$s: no matrix root"; continue; }
    log "$s: building in an overlay on $mroot"
    build_in_overlay "$s" "$mroot" &
    builders+=($!)
done
for p in "${builders[@]}"; do wait "$p" || true; done
for s in $suites; do cat "$work/out/$s.log" >&2 2>/dev/null || true; done
for s in $suites; do
    # build-deb.sh: the .deb once built, "lintian-ok" once lintian passed too
    f=$(ls "$work/out/$s"/wireshark-plugin-sipmtls_*.deb 2>/dev/null || true)
    if [[ -z $f ]]; then
        result[$s]="FAIL(build)"; failed=1
    else
        deb[$s]=$f
        [[ -e $work/out/$s/lintian-ok ]] || { result[$s]="FAIL(lintian)"; failed=1; }
    fi
done
build_took=$((SECONDS - t0))

# ---- testing in a fresh root -------------------------------------------------------------
# Runs inside the fresh root as root; $1 the package file, $2 the version,
# $3 a package of another release (must refuse), or "".
# shellcheck disable=SC2016
CHECK='set -euo pipefail
deb=$1 version=$2 foreign=$3 pkg=wireshark-plugin-sipmtls
asuser() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp "$@"; }
step() { printf "  %s\n" "$*"; }
if [ -n "$foreign" ]; then
    if apt-get install -s -q "$foreign" > /tmp/foreign.log 2>&1; then
        echo "FAIL: $(basename "$foreign") would install here"; exit 1
    fi
    step "refuses $(basename "$foreign"): $(grep -E "Depends:" /tmp/foreign.log | sed -E "s/^ *(wireshark-plugin-sipmtls : )?//" | tr -s " \n" " ")"
fi
unsafe="-o DPkg::Options::=--force-unsafe-io"   # a throwaway root: no fsync
apt-get install -y -q $unsafe --no-download "$deb" > /tmp/install.log 2>&1 ||
    apt-get install -y -q $unsafe "$deb" >> /tmp/install.log 2>&1 || { tail -n 20 /tmp/install.log; exit 1; }
step "installed $(dpkg-query -W -f="\${Package} \${Version}" $pkg) with tshark $(dpkg-query -W -f="\${Version}" tshark)"
dpkg -L $pkg | sort > /tmp/files
plugdir=$(dirname "$(grep "/epan/sipmtls\.so$" /tmp/files)")
line=$(asuser tshark -G plugins | awk -F"\t" "\$1 ~ /^sipmtls\\.so/")
echo "$line" | awk -F"\t" -v v="$version" -v d="$plugdir/sipmtls.so" "\$2 == v && \$3 ~ /dissector/ && \$4 == d { ok = 1 } END { exit !ok }" ||
    { echo "FAIL: tshark -G plugins: ${line:-sipmtls.so not listed}"; exit 1; }
step "tshark -G plugins: $(echo "$line" | tr -s " \t" " ")"
ex=/usr/share/doc/$pkg/examples/tls12-required-clientauth.pcapng
got=$(asuser tshark -r "$ex" -Y sipmtls.cert_request -T fields -e frame.number -e sipmtls.cert_request.ca)
[ "$got" = "$(printf "7\tCN=sipmtls Test Root CA,O=sipmtls test PKI")" ] || { echo "FAIL: CertificateRequest: $got"; exit 1; }
got=$(asuser tshark -r "$ex" -Y sipmtls.verdict -T fields -e frame.number -e sipmtls.verdict -e sipmtls.server)
[ "$got" = "$(printf "16\t3\t127.0.0.1:5061")" ] || { echo "FAIL: verdict: $got"; exit 1; }
step "bundled capture: CertificateRequest in frame 7, verdict 3 (clientAuth accepted) in frame 16"
rv=$(asuser sipmtls-report --version 2>&1 || true)
case "$rv" in *"$version"*) step "sipmtls-report --version: $(echo "$rv" | head -n1)" ;;
    *) echo "FAIL: sipmtls-report --version: $rv"; exit 1 ;; esac
rc=0; asuser sipmtls-report "$ex" > /tmp/report.txt 2>&1 || rc=$?
grep -q "127.0.0.1:5061" /tmp/report.txt || { echo "FAIL: sipmtls-report (exit $rc):"; cat /tmp/report.txt; exit 1; }
step "sipmtls-report on the bundled capture: exit $rc, names 127.0.0.1:5061"
for f in /usr/bin/sipmtls-report /usr/share/man/man1/sipmtls-report.1.gz /usr/share/doc/$pkg/copyright \
         /usr/share/doc/$pkg/changelog.gz /usr/share/doc/$pkg/README.md /usr/share/doc/$pkg/user-guide.md; do
    [ -e "$f" ] || [ -e "$f.gz" ] || { echo "FAIL: $f missing"; exit 1; }   # dh_compress: .gz above 4 kB
done
step "report, man page, copyright, changelog and docs in place ($(wc -l < /tmp/files) paths)"
apt-get remove -y -q $unsafe $pkg > /tmp/remove.log 2>&1 || { cat /tmp/remove.log; exit 1; }
[ ! -e "$plugdir/sipmtls.so" ] && [ ! -e /usr/bin/sipmtls-report ] || { echo "FAIL: files left after remove"; exit 1; }
# after remove only dpkg knows the package (config-files state, installed from a file, in no
# archive): apt-get cannot locate it any more, dpkg purges it
dpkg --purge $pkg > /tmp/purge.log 2>&1 || { cat /tmp/purge.log; exit 1; }
if dpkg-query -W -f="\${db:Status-Abbrev}" $pkg 2>/dev/null | grep -q .; then
    echo "FAIL: dpkg still knows $pkg: $(dpkg-query -W -f="\${db:Status-Abbrev}" $pkg)"; exit 1
fi
left=0
while read -r f; do
    [ -e "$f" ] || continue
    case $f in /.|/) continue ;; esac   # dpkg -L lists the root folder first
    if [ -d "$f" ] && dpkg -S "$f" > /dev/null 2>&1; then continue; fi   # a folder of another package
    echo "left behind: $f"; left=1
done < /tmp/files
[ "$left" = 0 ] || { echo "FAIL: files left after purge"; exit 1; }
step "removed and purged: nothing of the package left"'

test_suite() {     # $1 suite, $2 its pristine root; writes $work/test-$1.{log,rc,took}
    local s=$1 root=$2 fresh=$work/root-$1 foreign= o t1=$SECONDS rc=0
    # fresh: an overlay on the pristine root, which stays untouched
    mkdir -p "$fresh" "$work/upper-$s" "$work/ovl-$s"
    mount -t overlay overlay -o "lowerdir=$root,upperdir=$work/upper-$s,workdir=$work/ovl-$s" "$fresh"
    mount_min "$fresh"
    cp "${deb[$s]}" "$fresh/tmp/"
    for o in $suites; do
        if [[ $o != "$s" && -n ${deb[$o]:-} ]]; then cp "${deb[$o]}" "$fresh/tmp/"; foreign=/tmp/$(basename "${deb[$o]}"); break; fi
    done
    enter "$fresh" bash -c "$CHECK" check "/tmp/$(basename "${deb[$s]}")" "$version" "$foreign" \
        > "$work/test-$s.log" 2>&1 || rc=$?
    umount_min "$fresh"
    rm -rf --one-file-system "$fresh" "$work/upper-$s" "$work/ovl-$s"
    echo "$rc" > "$work/test-$s.rc"
    echo $((SECONDS - t1)) > "$work/test-$s.took"
}
testers=()
for s in $suites; do
    [[ -n ${deb[$s]:-} ]] || continue
    root=$(pristine "$s") || { result[$s]="FAIL(root)"; failed=1; continue; }
    log "$s: installing $(basename "${deb[$s]}") in a fresh root"
    test_suite "$s" "$root" &
    testers+=($!)
done
for p in "${testers[@]}"; do wait "$p" || true; done
for s in $suites; do
    [[ -f $work/test-$s.rc ]] || continue
    echo "--- $s: $(basename "${deb[$s]}") in a fresh $s root" >&2
    cat "$work/test-$s.log" >&2
    took[$s]=$(cat "$work/test-$s.took")
    if [[ $(cat "$work/test-$s.rc") == 0 ]]; then
        result[$s]=${result[$s]:-PASS}
    else
        result[$s]="FAIL(install test)"; failed=1
    fi
done

if ((keep)); then
    for s in $suites; do mkdir -p "$SRC_DIR/dist/$s" && cp -a "$work/out/$s"/. "$SRC_DIR/dist/$s/"; done
fi
echo "=================== package summary ==================="
printf '%-9s %-20s %6s  %s\n' suite result test package
for s in $suites; do
    printf '%-9s %-20s %6s  %s\n' "$s" "${result[$s]:-?}" "${took[$s]:+${took[$s]}s}" \
        "$( [[ -n ${deb[$s]:-} ]] && dpkg-deb -f "${deb[$s]}" Version Depends | tr '\n' ' ')"
done
echo "build (all suites, lintian included) ${build_took}s, total $((SECONDS - t0))s"
exit "$failed"
