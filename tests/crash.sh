#!/usr/bin/env bash
# Crash consistency: kills ffkg with SIGKILL at random moments while it writes an index
# (`ffkg index`), a query's results (`query --output`) or a dump (`dump --output`), over a file
# that already holds an older version, and checks after each kill that the file is either that
# old version or the complete new one — never a torn mix — and that an index still opens.
#
#   tests/crash.sh [ROUNDS] [FFKG]      (defaults: 40 rounds each, target/release/ffkg)
#
# CRASH_TRIPLES sets the size of the new version's graph (default 400,000; CI runs a debug
# build on fewer).
# Prints each job's counts (old / new) and the temporary files a kill left behind, and exits
# non-zero on the first file that is neither.
set -euo pipefail -f
cd "$(dirname "$0")/.."
rounds=${1:-40}
ffkg=${2:-target/release/ffkg}
[ -x "$ffkg" ] || { echo "no binary at $ffkg (cargo build --release)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The old version is made from a small graph, the new one from a large one (long enough to be
# killed in the middle: a few hundred milliseconds).
python3 benches/kg/generate.py 2000 "$work/old.nt" >/dev/null
python3 benches/kg/generate.py "${CRASH_TRIPLES:-400000}" "$work/new.nt" >/dev/null

# One job per line: name, output file, the command with @IN@ for its input and @OUT@ for its
# output.
jobs=(
    "index|out.ffx|index @IN@ --out @OUT@"
    "query --output|out.tsv|query --no-embedded --data @IN@ --output @OUT@ -e SELECT*{?s?p?o}"
    "dump --output|out.nt|dump --no-embedded --data @IN@ --format ntriples --output @OUT@"
)

argv() { # input output command…: the command's words, in the array `args`
    local input=$1 output=$2
    shift 2
    args=()
    for word in $*; do
        word=${word//@IN@/$input}
        args+=("${word//@OUT@/$output}")
    done
}

run() { # input output command…
    argv "$@"
    "$ffkg" "${args[@]}"
}

sum() { sha256sum "$1" | cut -d' ' -f1; }

failed=0
for job in "${jobs[@]}"; do
    IFS='|' read -r name file command <<<"$job"
    out="$work/$file"
    run "$work/old.nt" "$work/old.$file" "$command" 2>/dev/null
    run "$work/new.nt" "$work/new.$file" "$command" 2>/dev/null
    old=$(sum "$work/old.$file")
    new=$(sum "$work/new.$file")
    [ "$old" != "$new" ] || { echo "$name: the old and new files are the same" >&2; exit 1; }
    # How long an uninterrupted run takes, in milliseconds: kills fall within it.
    start=$(date +%s%N)
    run "$work/new.nt" "$work/timed.$file" "$command" 2>/dev/null
    took=$((($(date +%s%N) - start) / 1000000 + 1))
    counts_old=0 counts_new=0
    for ((round = 0; round < rounds; round++)); do
        cp "$work/old.$file" "$out"
        # Started from this shell, not a subshell, so that $! is ffkg itself: a kill of a
        # subshell would leave ffkg running to the end.
        argv "$work/new.nt" "$out" "$command"
        "$ffkg" "${args[@]}" 2>/dev/null &
        pid=$!
        delay=$((RANDOM % took))
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        now=$(sum "$out")
        if [ "$now" = "$old" ]; then
            counts_old=$((counts_old + 1))
        elif [ "$now" = "$new" ]; then
            counts_new=$((counts_new + 1))
        else
            echo "$name: after a kill at ${delay} ms the file is neither the old nor the new one" >&2
            failed=1
            break
        fi
        if [ "$file" = out.ffx ]; then
            "$ffkg" query --index "$out" -e 'ASK { ?s ?p ?o }' >/dev/null ||
                { echo "$name: the index does not open after a kill" >&2; failed=1; break; }
        fi
    done
    left=$(find "$work" -maxdepth 1 -name '.ffkg-*' -o -maxdepth 1 -name '.tmp*' | wc -l)
    find "$work" -maxdepth 1 \( -name '.ffkg-*' -o -name '.tmp*' \) -delete
    echo "$name: $rounds kills within ${took} ms: old file $counts_old, new file $counts_new, torn 0;" \
        "temporary files left by kills: $left"
    [ "$failed" = 0 ] || exit 1
done
