#!/usr/bin/env bash
# Crash consistency: kills ffkg with SIGKILL at random moments while it writes an index
# (`ffkg index`), a query's results (`query --output`) or a dump (`dump --output`), over a file
# that already holds an older version, and checks after each kill that the file is either that
# old version or the complete new one — never a torn mix — and that an index still opens. With a
# binary built with the `rocksdb` feature, it then kills `ffkg load` and `ffkg update --store` and
# checks that the store opens and holds the state before or after, never part of the change.
#
#   tests/crash.sh [ROUNDS] [FFKG]      (defaults: 40 rounds each, target/release/ffkg)
#
# CRASH_TRIPLES sets the size of the new version's graph (default 400,000; CI runs a debug
# build on fewer); CRASH_PART=store kills only the store's jobs.
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
file_jobs=(
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

# CRASH_PART=store runs only the store's jobs (CI runs the files' with a build without the
# store first).
[ "${CRASH_PART:-all}" != store ] || file_jobs=()
failed=0
for job in "${file_jobs[@]}"; do
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

# The persistent store, in a binary built with the `rocksdb` feature: kills during `ffkg load`
# and `ffkg update --store`. Afterwards the store must open and hold exactly the state before
# (the old graph) or after (the old graph and the new one, or the old graph and the update's
# copies), compared as sorted N-Quads.
if ! "$ffkg" load --store "$work/probe" "$work/old.nt" >/dev/null 2>&1; then
    echo "store: skipped (this ffkg is built without the rocksdb feature)"
    exit 0
fi
state() { # the store's sorted N-Quads' checksum; fails when the store does not open
    "$ffkg" dump --store "$1" --format nquads --output "$work/state.nq" 2>"$work/state.err" ||
        { echo "the store in $1 does not open: $(cat "$work/state.err")" >&2; return 1; }
    LC_ALL=C sort "$work/state.nq" | sum /dev/stdin
}
printf 'INSERT { ?s <http://example.org/copy> ?o } WHERE { ?s ?p ?o }\n' >"$work/copy.ru"
store_jobs=(
    "load --store|load --store @STORE@ $work/new.nt"
    "update --store|update --store @STORE@ $work/copy.ru"
)
for job in "${store_jobs[@]}"; do
    IFS='|' read -r name command <<<"$job"
    rm -rf "$work/old.db" "$work/new.db" "$work/db"
    "$ffkg" load --store "$work/old.db" "$work/old.nt" >/dev/null 2>&1
    if [ "$name" = "update --store" ]; then
        # The update copies every triple of the old graph: make that graph the large one.
        rm -rf "$work/old.db"
        "$ffkg" load --store "$work/old.db" "$work/new.nt" >/dev/null 2>&1
    fi
    old=$(state "$work/old.db")
    cp -r "$work/old.db" "$work/new.db"
    start=$(date +%s%N)
    argv "" "" "${command//@STORE@/$work/new.db}"
    "$ffkg" "${args[@]}" >/dev/null 2>&1
    took=$((($(date +%s%N) - start) / 1000000 + 1))
    new=$(state "$work/new.db")
    [ "$old" != "$new" ] || { echo "$name: the job changed nothing" >&2; exit 1; }
    counts_old=0 counts_new=0
    for ((round = 0; round < rounds; round++)); do
        rm -rf "$work/db"
        cp -r "$work/old.db" "$work/db"
        argv "" "" "${command//@STORE@/$work/db}"
        "$ffkg" "${args[@]}" >/dev/null 2>&1 &
        pid=$!
        delay=$((RANDOM % took))
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        now=$(state "$work/db") || exit 1
        if [ "$now" = "$old" ]; then
            counts_old=$((counts_old + 1))
        elif [ "$now" = "$new" ]; then
            counts_new=$((counts_new + 1))
        else
            echo "$name: after a kill at ${delay} ms the store is neither before nor after" >&2
            exit 1
        fi
    done
    echo "$name: $rounds kills within ${took} ms: store before $counts_old, after $counts_new, torn 0"
done
