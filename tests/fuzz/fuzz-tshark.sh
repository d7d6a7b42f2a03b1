#!/bin/bash
# fuzz-tshark.sh [OPTIONS] PLUGIN_SO [CAPTURE...]
#
# Mutation fuzzing of the plugin inside the stock tshark, in the manner of
# Wireshark's own fuzz testing: damage real captures with editcap -E (random
# bytes of the frames changed at a given error rate, from a given seed), run
# tshark with the plugin over each result in one pass (-nVxr) and in two
# passes (-2 -nVxr) under a time limit, and keep every input that makes
# tshark crash, hang, report a sanitizer error in sipmtls, or report a
# dissector bug or malformed packet of SIPMTLS.
#
# With a plugin built with SIPMTLS_SANITIZE=ON, run-tshark.sh preloads the
# sanitizer runtimes into tshark; the plugin is then the only instrumented
# code, and an ASan report whose stack names sipmtls.so is ours.
#
# Captures default to the committed ones under captures/ (not the -keyed
# twin, which editcap 4.0 cannot rewrite: its plain twin and key log stand
# in; not all-merged, which repeats them) and the hostile ones of
# tests/fuzz/hostile/.  Every key log of their keys/ folders is given to
# tshark, so the decrypted paths are fuzzed too.
#
# Inputs are batched: one mutation of each capture (they use different TCP
# ports) is appended into one file per tshark run, since tshark's start-up
# costs far more than dissecting thirty frames.  A failing batch is split
# to find the input responsible; both are kept.  --batch 1 runs each input
# alone, as upstream does.
#
# Options:
#   --count N      mutated inputs to run in all (default 10000; 0: no limit)
#   --duration S   stop starting new runs after S seconds (default 0: no limit)
#   --seed N       first editcap seed (default: from the clock; printed)
#   --rates LIST   comma-separated editcap -E error rates
#                  (default 0.001,0.003,0.01,0.02,0.05,0.1)
#   --timeout S    limit of one tshark run (default 60; a run takes < 2 s)
#   --batch N      inputs per tshark run (default: one per capture)
#   --out DIR      keep failing inputs here (default fuzz-failures)
#   --jobs N       tshark runs in parallel (default 1)
#   --short        for CI: --count 1200 --duration 240 (at most ~5 minutes)
#   --replay       run each capture once as it is, not mutated: the
#                  regression captures of tests/fuzz/regressions/
#
# Exit status 0 when nothing failed; the last line is "fuzz-tshark: N passed,
# M failed" where N and M count inputs.  A kept input reproduces with
#   tests/integration/run-tshark.sh PLUGIN_SO -- -nVxr INPUT [-2] -o tls.keylog_file:KEYS
# (the .log beside it has the exact command).
#
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

count=10000 duration=0 seed= rates=0.001,0.003,0.01,0.02,0.05,0.1 timeout_s=60 batch=0
out=fuzz-failures jobs=1 replay=no
while [ $# -gt 0 ]; do
    case "$1" in
    --count) count=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --short) count=1200 duration=240; shift ;;
    --replay) replay=yes; shift ;;
    --) shift; break ;;
    -*) echo "fuzz-tshark.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || { sed -n '2,/^# SPDX/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
plugin_so=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
captures=("$@")
if [ ${#captures[@]} -eq 0 ]; then
    for c in "$root"/captures/*.pcapng "$here"/hostile/*.pcapng; do
        case "$c" in *-keyed.pcapng|*/all-merged.pcapng) continue ;; esac
        captures+=("$c")
    done
fi
[ "$batch" -gt 0 ] || batch=${#captures[@]}
[ $replay = no ] || { batch=1 count=${#captures[@]} duration=0; }
[ -n "$seed" ] || seed=$(( $(date +%s) % 1000000 ))
IFS=, read -r -a rate_list <<<"$rates"
mkdir -p "$out"
out=$(cd "$out" && pwd)

stage=$(mktemp -d "${TMPDIR:-/tmp}/sipmtls-fuzz.XXXXXX")
trap 'rm -rf "$stage"' EXIT
chmod a+rx "$stage"
# One key log for all: tshark matches secrets by client random.
cat "$root"/captures/keys/*.keys "$here"/hostile/keys/*.keys >"$stage/all.keys" 2>/dev/null || true
chmod a+r "$stage/all.keys"

sanitized=no
# Not "ldd | grep -q": with pipefail, grep leaving early fails the pipe.
case "$(ldd "$plugin_so")" in *libasan.so*) sanitized=yes ;; esac
echo "fuzz-tshark: plugin $plugin_so (sanitizers: $sanitized), ${#captures[@]} captures," \
     "batches of $batch, rates $rates, first seed $seed, count $count, duration ${duration}s"

# check_run OUT ERR STATUS: prints why a run failed, nothing if it did not.
# Only sipmtls's faults count; anything else is noted in not-ours.log.
check_run() {
    local o=$1 e=$2 status=$3
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        echo "hang: no result within ${timeout_s}s"; return
    fi
    if grep -q 'ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer' "$e"; then
        if grep -q 'sipmtls' "$e"; then
            echo "sanitizer report in sipmtls: $(grep -m1 'ERROR: AddressSanitizer\|runtime error:' "$e")"
        else
            echo "NOT-OURS sanitizer report outside sipmtls: $(grep -m1 'ERROR: AddressSanitizer\|runtime error:' "$e")"
        fi
        return
    fi
    if [ "$status" -gt 128 ] || [ "$status" -eq 86 ] || [ "$status" -eq 87 ]; then
        echo "crash: tshark exited with status $status"; return
    fi
    if grep -q 'Dissector bug, protocol SIPMTLS\|Malformed Packet: SIPMTLS\|\[SIPMTLS:' "$o"; then
        echo "dissector bug: $(grep -m1 'Dissector bug, protocol SIPMTLS\|Malformed Packet: SIPMTLS\|\[SIPMTLS:' "$o" | sed 's/^ *//')"
        return
    fi
    if grep -qi 'sipmtls' "$e" && grep -q 'assert\|CRITICAL\|ERROR' "$e"; then
        echo "assertion: $(grep -m1 'assert\|CRITICAL\|ERROR' "$e")"; return
    fi
    if [ "$status" -ne 0 ]; then
        echo "NOT-OURS tshark exited with status $status: $(tail -1 "$e")"
    fi
}

# run_tshark FILE PASS_FLAG OUT ERR: one tshark run, its exit status echoed.
run_tshark() {
    local status=0
    timeout -k 5 "$timeout_s" "$root/tests/integration/run-tshark.sh" "$plugin_so" -- \
        $2 -nVxr "$1" -o "tls.keylog_file:$stage/all.keys" >"$3" 2>"$4" || status=$?
    echo "$status"
}

# keep FILE WHY PASS_FLAG ERR: a failing input and how to reproduce it.
keep() {
    local f=$1 why=$2 pass=$3 err=$4 dest name
    case "$why" in NOT-OURS*) dest=$out/not-ours ;; *) dest=$out ;; esac
    mkdir -p "$dest"
    name=$(basename "$f")
    cp "$f" "$dest/$name"
    cp "$stage/all.keys" "$dest/all.keys"
    {
        echo "why: $why"
        echo "reproduce: tests/integration/run-tshark.sh $plugin_so -- $pass -nVxr $dest/$name -o tls.keylog_file:$dest/all.keys"
        echo "--- stderr (last 60 lines)"
        tail -60 "$err"
    } >"$dest/$name${pass:+.2pass}.log"
    echo "  kept $dest/$name: $why"
}

# fuzz_batch N: makes batch N (seed, rate from N), runs it in both modes,
# and splits it on failure.  Prints "ok K" or "fail K" per input.
fuzz_batch() {
    local n=$1 s rate dir members=() m i=0 pass why status failed=0
    s=$((seed + n))
    rate=${rate_list[$((n % ${#rate_list[@]}))]}
    dir=$stage/b$n
    mkdir -p "$dir"
    if [ $replay = yes ]; then
        [ "$n" -lt ${#captures[@]} ] || { echo "ok 0"; return; }
        cp "${captures[$n]}" "$dir/"
        members=("$dir/$(basename "${captures[$n]}")")
    fi
    for c in "${captures[@]}"; do
        [ $replay = no ] || break
        [ $i -lt "$batch" ] || break
        m="$dir/$(basename "$c" .pcapng).e$rate.s$s.pcapng"
        editcap -E "$rate" --seed "$s" "$c" "$m" >/dev/null 2>&1 && members+=("$m")
        i=$((i + 1))
    done
    if [ ${#members[@]} -gt 1 ]; then
        mergecap -a -w "$dir/batch$n.e$rate.s$s.pcapng" "${members[@]}"
        input=$dir/batch$n.e$rate.s$s.pcapng
    else
        input=${members[0]}
    fi
    chmod -R a+rX "$dir"
    for pass in "" "-2"; do
        status=$(run_tshark "$input" "$pass" "$dir/out" "$dir/err")
        why=$(check_run "$dir/out" "$dir/err" "$status")
        [ -n "$why" ] || continue
        keep "$input" "$why" "$pass" "$dir/err"
        case "$why" in NOT-OURS*) continue ;; esac
        failed=1
        # Which member is it?  Each alone, same mode.
        if [ ${#members[@]} -gt 1 ]; then
            for m in "${members[@]}"; do
                status=$(run_tshark "$m" "$pass" "$dir/out1" "$dir/err1")
                why=$(check_run "$dir/out1" "$dir/err1" "$status")
                [ -z "$why" ] || keep "$m" "$why" "$pass" "$dir/err1"
            done
        fi
    done
    rm -rf "$dir"
    if [ $failed = 1 ]; then
        echo "fail ${#members[@]}"
    else
        echo "ok ${#members[@]}"
    fi
}

start=$(date +%s)
done_inputs=0 failed_inputs=0 n=0 last_report=$start
while :; do
    [ "$count" -eq 0 ] || [ "$done_inputs" -lt "$count" ] || break
    [ "$duration" -eq 0 ] || [ $(( $(date +%s) - start )) -lt "$duration" ] || break
    # A round of up to $jobs batches at once.
    results=$stage/round
    : >"$results"
    for ((j = 0; j < jobs; j++)); do
        fuzz_batch $((n + j)) >>"$results" &
    done
    wait
    n=$((n + jobs))
    grep '^  kept' "$results" || true
    while read -r verdict k; do
        done_inputs=$((done_inputs + k))
        [ "$verdict" = fail ] && failed_inputs=$((failed_inputs + k))
    done < <(grep -E '^(ok|fail) ' "$results")
    now=$(date +%s)
    if [ $((now - last_report)) -ge 60 ]; then
        echo "fuzz-tshark: $done_inputs inputs, $((n)) batches, $((now - start))s, seeds $seed..$((seed + n - 1))"
        last_report=$now
    fi
done
elapsed=$(( $(date +%s) - start ))
echo "fuzz-tshark: $done_inputs mutated inputs (x2 passes) in ${elapsed}s, seeds $seed..$((seed + n - 1))," \
     "$( [ -d "$out/not-ours" ] && find "$out/not-ours" -name '*.pcapng' | wc -l || echo 0) kept as not ours"
echo "fuzz-tshark: $((done_inputs - failed_inputs)) passed, $failed_inputs failed"
[ "$failed_inputs" -eq 0 ]
