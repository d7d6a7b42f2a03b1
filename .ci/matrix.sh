#!/usr/bin/env bash
# shellcheck disable=SC2016  # single-quoted $VARS are meant to expand inside the root
# Build and test sipmtls against the Wireshark of other Debian suites
# (trixie = Wireshark 4.4, sid = Wireshark 4.6) in cached debootstrap chroots.
#
#   bash .ci/matrix.sh                       # prepare roots if needed, build+test in each
#   bash .ci/matrix.sh --suites sid          # only some suites
#   bash .ci/matrix.sh --prepare-only        # only create/refresh the cached roots
#   bash .ci/matrix.sh --rebuild             # recreate the roots from scratch first
#   bash .ci/matrix.sh --copy                # copy the source in instead of a read-only bind mount
#   bash .ci/matrix.sh --shell trixie        # interactive shell in a prepared root (same mounts)
#
# Environment:
#   SIPMTLS_MATRIX_CACHE   folder holding one root per suite (default /var/cache/sipmtls-matrix)
#   SIPMTLS_MATRIX_MIRROR  Debian mirror (default: first .../debian URI in the host's apt sources)
#   SIPMTLS_MATRIX_CMD     overrides BUILD_TEST_CMD below
#
# Needs root. Everything runs in a private mount namespace, so no mount can leak to the host.
# Inside the root the command sees $SRC (the checkout, read-only unless --copy) and $BUILD
# (an empty, world-readable build folder, recreated for every run).
set -euo pipefail

# ---- the project's build+test command, run by bash inside each root ----------------------
# The same scripts/test.sh as on the host (warnings as errors, every test), building into
# $BUILD; --no-install because the root already holds every package it needs (below);
# SIPMTLS_QUICK=1 because the sanitizer, valgrind and libFuzzer runs test the plugin's
# code, not the Wireshark release, and run once, on the host.
BUILD_TEST_CMD=${SIPMTLS_MATRIX_CMD:-'SIPMTLS_QUICK=1 SIPMTLS_BUILD_DIR="$BUILD" scripts/test.sh --no-install'}

SELF=$(readlink -f "${BASH_SOURCE[0]}")
SRC_DIR=$(cd "$(dirname "$SELF")/.." && pwd -P)

# ---- packages installed into every root (changing this list rebuilds the roots) ----------
# The groups of scripts/packages.txt (the project's one list of Debian
# packages) that building and testing need; recording captures (group
# "record") happens on the host only.
MATRIX_GROUPS="build run test package"
PACKAGES=$(for g in $MATRIX_GROUPS; do
               awk -v g="# $g:" 'index($0, g) == 1 { getline; print; exit }' "$SRC_DIR/scripts/packages.txt"
           done | tr -s ' \t' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ')   # normalised: one line, sorted
DEFAULT_SUITES="trixie sid"
PREP_VERSION=1          # bump to force every cached root to be rebuilt

CACHE=${SIPMTLS_MATRIX_CACHE:-/var/cache/sipmtls-matrix}
STAMP=.sipmtls-matrix-stamp
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

usage() { sed -n '3,20p' "$SELF" | sed 's/^# \{0,1\}//'; }
log() { printf '[matrix %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 2; }

ORIG_ARGS=("$@")
suites=$DEFAULT_SUITES prepare_only=0 rebuild=0 copy_src=0 shell_suite=
while (($#)); do
  case $1 in
    --suites) [[ $# -ge 2 ]] || die "--suites needs a value"; suites=$2; shift 2 ;;
    --suites=*) suites=${1#*=}; shift ;;
    --prepare-only) prepare_only=1; shift ;;
    --rebuild) rebuild=1; shift ;;
    --copy) copy_src=1; shift ;;
    --shell) [[ $# -ge 2 ]] || die "--shell needs a suite"; shell_suite=$2; suites=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
for s in $suites; do
  case $s in trixie|sid) ;; *) die "unsupported suite '$s' (known: trixie sid)" ;; esac
done
[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, chroot, mounts)"

# Re-run ourselves in a private mount namespace: every mount below vanishes with it.
if [[ -z ${SIPMTLS_MATRIX_IN_NS:-} ]]; then
  export SIPMTLS_MATRIX_IN_NS=1
  exec unshare --mount --propagation private -- bash "$SELF" "${ORIG_ARGS[@]}"
fi

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd -P)
case $CACHE/ in "$SRC_DIR"/*) die "cache $CACHE must be outside the checkout $SRC_DIR" ;; esac

# Same mirror as the host's apt configuration (deb822 "URIs:" or one-line "deb URI suite").
detect_mirror() {
  local f uri
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -r $f ]] || continue
    uri=$(sed -nE -e 's#^[[:space:]]*URIs:[[:space:]]*(https?://[^[:space:]]*/debian)/?[[:space:]]*$#\1#p' \
                  -e 's#^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?(https?://[^[:space:]]*/debian)/?[[:space:]].*#\2#p' "$f" | head -n1)
    [[ -n $uri ]] && { echo "$uri"; return; }
  done
  echo http://deb.debian.org/debian
}
MIRROR=${SIPMTLS_MATRIX_MIRROR:-$(detect_mirror)}

sources_list() {   # $1 suite -> contents of the root's /etc/apt/sources.list
  echo "deb $MIRROR $1 main"
}
apt_conf() {       # $1 suite -> contents of the root's /etc/apt/apt.conf.d/99sipmtls-matrix
  echo 'APT::Install-Recommends "false";'
  echo 'APT::Install-Suggests "false";'
  # sid's Release on this mirror carries a Valid-Until that can be in the past.
  # (debootstrap itself never checks Valid-Until, only the signature, so only apt needs this.)
  [[ $1 == sid ]] && echo 'Acquire::Check-Valid-Until "false";'
  return 0
}
stamp_for() {      # what a completed root must have recorded
  printf 'prep=%s\nsuite=%s\nmirror=%s\npackages=%s\n' "$PREP_VERSION" "$1" "$MIRROR" \
    "$PACKAGES"
}

# ---- mounts ------------------------------------------------------------------------------
mounts_under() { awk -v r="$1" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo; }
mount_root() {     # $1 root [$2 source to bind at /src]
  local r=$1
  mkdir -p "$r/proc" "$r/sys" "$r/dev" "$r/run" "$r/tmp"
  mount --bind "$r" "$r"         # make / a mount point: 'ip netns exec' does 'mount --make-rslave /'
  mount -t proc -o nosuid,nodev,noexec proc "$r/proc"
  mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$r/sys"
  mount --rbind /dev "$r/dev"                               # includes /dev/pts, /dev/shm
  mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs "$r/run"     # /run/netns etc. start empty
  mkdir -p "$r/run/lock" "$r/run/netns" && chmod 1777 "$r/run/lock"
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$r/tmp"
  if [[ -n ${2:-} ]]; then
    mkdir -p "$r/src"
    mount --bind "$2" "$r/src"
    mount -o remount,bind,ro "$r/src"
  fi
}
umount_root() {
  local r=$1 m
  # deepest first, the root's self bind mount last
  for m in $(mounts_under "$r" | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "warning: could not unmount $m"
  done
}
# shellcheck disable=SC2317  # invoked from traps
cleanup() { umount_root "$CACHE"; }   # everything we mounted lives under $CACHE
set_traps() { trap cleanup EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; }
set_traps
exec 9>"$CACHE/.lock"
flock -w 7200 9 || die "another matrix run holds $CACHE/.lock"

safe_rm() {        # remove a root, never through a mount
  [[ -e $1 ]] || return 0
  [[ -z $(mounts_under "$1") ]] || die "refusing to remove $1: still has mounts"
  rm -rf --one-file-system "$1"
}

# Run a command in the root: own PID namespace (leftover daemons die with it), clean env.
in_root() {        # $1 root, $2 suite, rest: command
  local r=$1 s=$2; shift 2
  unshare --pid --fork --kill-child --mount-proc="$r/proc" -- \
    chroot "$r" /usr/bin/env -i \
      PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM="${TERM:-dumb}" \
      DEBIAN_FRONTEND=noninteractive CI="${CI:-}" \
      SIPMTLS_MATRIX_SUITE="$s" SRC=/src BUILD=/build \
      CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
      "$@" 9>&-
}

# ---- preparing a root --------------------------------------------------------------------
ensure_root() {    # $1 suite; creates $CACHE/$1 if missing or stale
  local s=$1 root=$CACHE/$1 tmp=$CACHE/.$1.partial t0=$SECONDS
  if [[ $rebuild -eq 0 && -f $root/$STAMP ]] && [[ "$(cat "$root/$STAMP")" == "$(stamp_for "$s")" ]]; then
    log "$s: cached root $root is up to date"
    return 0
  fi
  command -v debootstrap >/dev/null || {
    log "installing debootstrap on the host"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null; }
  }
  log "$s: creating root with debootstrap from $MIRROR (into $tmp)"
  safe_rm "$tmp"
  debootstrap --variant=minbase --components=main --keyring="$KEYRING" "$s" "$tmp" "$MIRROR" \
    > "$CACHE/.$s.debootstrap.log" 2>&1 ||
    { tail -n 30 "$CACHE/.$s.debootstrap.log" >&2; [[ -f $tmp/debootstrap/debootstrap.log ]] &&
      tail -n 30 "$tmp/debootstrap/debootstrap.log" >&2; die "$s: debootstrap failed"; }
  log "$s: debootstrap done after $((SECONDS - t0))s; installing packages"
  sources_list "$s" > "$tmp/etc/apt/sources.list"
  apt_conf "$s" > "$tmp/etc/apt/apt.conf.d/99sipmtls-matrix"
  printf '#!/bin/sh\nexit 101\n' > "$tmp/usr/sbin/policy-rc.d"; chmod 755 "$tmp/usr/sbin/policy-rc.d"
  cp -L /etc/resolv.conf "$tmp/etc/resolv.conf" 2>/dev/null || true
  mount_root "$tmp"
  # shellcheck disable=SC2086
  in_root "$tmp" "$s" sh -ec "apt-get update -q && apt-get install -y -q $PACKAGES && apt-get clean" \
    > "$CACHE/.$s.apt.log" 2>&1 ||
    { tail -n 40 "$CACHE/.$s.apt.log" >&2; die "$s: package installation failed (log: $CACHE/.$s.apt.log)"; }
  in_root "$tmp" "$s" dpkg-query -W -f='${Package} ${Version}\n' libwireshark-dev tshark cmake gcc libcriterion-dev \
    > "$tmp/.sipmtls-matrix-versions"
  umount_root "$tmp"
  stamp_for "$s" > "$tmp/$STAMP"
  safe_rm "$root"
  mv "$tmp" "$root"
  log "$s: root ready in $((SECONDS - t0))s ($(du -sh --one-file-system "$root" | cut -f1)): $(tr '\n' ' ' < "$root/.sipmtls-matrix-versions")"
}

# ---- running the build+test command in a root --------------------------------------------
run_suite() {      # $1 suite
  local s=$1 root=$CACHE/$1 src=$SRC_DIR
  rm -rf --one-file-system "$root/build"; mkdir -m 0755 "$root/build"
  if [[ $copy_src -eq 1 ]]; then
    safe_rm "$root/src"; mkdir -m 0755 "$root/src"
    tar -C "$SRC_DIR" --exclude=./.git -cf - . | tar -C "$root/src" -xf -
    src=
  elif [[ -d $root/src && -z $(mounts_under "$root/src") && -n $(ls -A "$root/src") ]]; then
    safe_rm "$root/src"         # left over from a --copy run
  fi
  mount_root "$root" "$src"
  if [[ -n $shell_suite ]]; then
    in_root "$root" "$s" bash -c 'cd "$SRC"; exec bash -i' || true
  else
    log "$s: $(tr '\n' ' ' < "$root/.sipmtls-matrix-versions")"
    log "$s: running: $BUILD_TEST_CMD"
    in_root "$root" "$s" bash -c 'cd "$SRC" && eval "$1"' bash "$BUILD_TEST_CMD"
  fi
}

declare -A result=() took=() prep_took=()
failed=0
for s in $suites; do
  t0=$SECONDS
  set +e; ( set -e; set_traps; ensure_root "$s" ); rc=$?; set -e
  prep_took[$s]=$((SECONDS - t0))
  [[ $rc -eq 0 ]] || { result[$s]="FAIL(prepare)"; failed=1; }
done

if [[ $prepare_only -eq 0 ]]; then
  for s in $suites; do
    [[ -z ${result[$s]:-} ]] || continue
    echo "=================== [$s] build + test ===================" >&2
    t0=$SECONDS
    set +e; ( set -e; set_traps; run_suite "$s" ); rc=$?; set -e
    took[$s]=$((SECONDS - t0))
    if [[ $rc -eq 0 ]]; then result[$s]=PASS; else result[$s]="FAIL(rc=$rc)"; failed=1; fi
  done
fi

echo "=================== matrix summary ==================="
printf '%-8s %-14s %9s %9s  %s\n' suite result prepare run wireshark
for s in $suites; do
  ver=$(awk '$1 == "libwireshark-dev" { print $2 }' "$CACHE/$s/.sipmtls-matrix-versions" 2>/dev/null || true)
  printf '%-8s %-14s %9s %9s  %s\n' "$s" "${result[$s]:-PREPARED}" "${prep_took[$s]}s" \
    "${took[$s]:+${took[$s]}s}" "${ver:-?}"
done
exit "$failed"
