#!/usr/bin/env bash
# Runs every fuzz target (or those named after SECONDS) for SECONDS of CPU time each, from its
# committed seeds (fuzz/seeds/TARGET) and its growing corpus (fuzz/corpus/TARGET, not
# committed), and prints a line per target: CPU seconds, executions, corpus size, crashes. A
# crash leaves its input in fuzz/artifacts/TARGET/ and makes the script exit 1; add it to the
# seeds and a regression test for it.
#   fuzz/run.sh 600            # each target 10 CPU-minutes
#   fuzz/run.sh 1800 prepare   # the query path 30
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET…]}
shift
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    mapfile -t targets < <(cargo +nightly fuzz list)
fi
# Built once, then each fuzzer binary is run itself, so that the CPU time counted is the
# fuzzer's alone (not a rebuild's).
# Under CARGO_TARGET_DIR (shared with the main build, as CI may set it) in a folder of its own.
target_dir=${CARGO_TARGET_DIR:+$CARGO_TARGET_DIR/fuzz}
target_dir=${target_dir:-target}
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
cargo +nightly fuzz build -O --target-dir "$target_dir" >/dev/null
bin="$target_dir/$triple/release"
mkdir -p logs
# FUZZ_PARALLEL targets at once (default 1): on an idle machine with that many cores, the CPU
# time each gets is its wall time.
parallel=${FUZZ_PARALLEL:-1}

one() {
    local target=$1 status=0
    mkdir -p "corpus/$target" "artifacts/$target"
    local log="logs/$target.log"
    # rdf reads a file on threads of its own; LeakSanitizer reports at random the 32 bytes glibc
    # keeps for a finishing thread's thread-local destructors (a report that never reproduces
    # on its input), so leak checking is off there. Memory bounds are tested in tests/abuse.rs.
    local extra=()
    [ "$target" != rdf ] || extra=(-detect_leaks=0)
    # libFuzzer's clock is wall time; the CPU time is what `time` reports for the run (user and
    # system: a target that writes files spends much of its time in the kernel).
    TIMEFORMAT='%U %S'
    { time "$bin/$target" "corpus/$target" "seeds/$target" \
        -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="artifacts/$target/" "${extra[@]}" >"$log" 2>&1; } 2>"logs/$target.cpu" || status=$?
    echo "$status" >"logs/$target.status"
}

running=0
for target in "${targets[@]}"; do
    one "$target" &
    running=$((running + 1))
    if [ "$running" -ge "$parallel" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait || true

failed=0
printf '%-12s %8s %12s %8s %s\n' target cpu-s executions corpus result
for target in "${targets[@]}"; do
    log="logs/$target.log"
    status=$(cat "logs/$target.status")
    cpu=$(tail -1 "logs/$target.cpu" | awk '{ printf "%.1f", $1 + $2 }')
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus=$(find "corpus/$target" -type f | wc -l)
    if [ "$status" -eq 0 ]; then
        result=ok
    else
        result="CRASH (exit $status, see fuzz/$log and fuzz/artifacts/$target/)"
        failed=1
    fi
    printf '%-12s %8s %12s %8s %s\n' "$target" "$cpu" "${executions:-?}" "$corpus" "$result"
done
exit "$failed"
