#!/usr/bin/env bash
# ffkg as a client of remote endpoints, side by side in one run on one machine:
#
#   benches/remote.sh [RUNS]      RUNS timed runs per measurement (default 10)
#
# 1. The query library (`ffkg query --all`, every query into a directory) run locally on the
#    embedded graph, through `--endpoint` on `ffkg serve`, and through `--endpoint` on a private
#    Virtuoso 7 (scripts/virtuoso.sh) into which `ffkg push` put the same graph: whole-run time.
# 2. Streaming a 100,000-row answer from each endpoint to CSV with `ffkg query --endpoint -f
#    csv -o FILE` (parsed as it streams and written again), in MB of CSV per second — against
#    curl fetching the same answer as CSV straight from the endpoint, the transfer alone; and
#    the client alone, on ffkg serve's answer replayed from a file (benches/replay.py) in TSV
#    (what ffkg asks ffkg serve for) and in JSON (what it asks Virtuoso for), since ffkg serve
#    computes a whole answer before it sends it.
#
# Timings are hyperfine's (mean ± standard deviation, after 2 warm-up runs). Client and servers
# share the machine's cores. Writes markdown to stdout and to benches/results/remote-<date>.md.
#
# Environment (all optional):
#   SKIP_BUILD=1        use target/release/ffkg as it is
#   KEEP_WORK=1         keep the work directory (logs, data, Virtuoso database)
#   BENCH_ROWS=N        rows of the streamed answer (default 100000)
#   BENCH_SLOW_RUNS=N   runs of the Virtuoso streaming lines, which take long (default 3)
#   BENCH_RESULTS=FILE  write the markdown there instead of benches/results/remote-<date>.md
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
RUNS=${1:-10}
case "$RUNS" in '' | *[!0-9]* | 0) echo "usage: benches/remote.sh [RUNS]" >&2; exit 2 ;; esac
ROWS=${BENCH_ROWS:-100000}
SLOW_RUNS=${BENCH_SLOW_RUNS:-3}
FFKG=$ROOT/target/release/ffkg
VIRTUOSO=$ROOT/scripts/virtuoso.sh

log() { echo "remote.sh: $*" >&2; }
die() { log "$*"; exit 1; }

for tool in hyperfine jq curl ss virtuoso-t isql-vt python3; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install hyperfine jq curl virtuoso-opensource)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ffkg-remote-bench.XXXXXX")
SERVE_PIDS=()
REPLAY_PID=

cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${SERVE_PIDS[@]}" $REPLAY_PID; do
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if [ -d "$WORK/virtuoso" ]; then
        "$VIRTUOSO" stop "$WORK/virtuoso" 2>>"$WORK/virtuoso-control.log" ||
            log "could not stop Virtuoso in $WORK/virtuoso"
    fi
    if [ "${KEEP_WORK:-0}" = 1 ] || { [ "$status" -ne 0 ] && [ "$status" -ne 130 ]; }; then
        log "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT TERM

. "$ROOT/scripts/free-port.sh"

# serve NAME FLAGS…: starts `ffkg serve` on a free loopback port; sets SERVED to its URL.
serve() {
    local name=$1 port i
    shift
    port=$(free_port)
    "$FFKG" serve --bind "127.0.0.1:$port" "$@" 2>>"$WORK/$name.log" &
    SERVE_PIDS+=($!)
    for i in $(seq 1 300); do
        if curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$port/sparql" \
            --data-urlencode 'query=ASK {}' 2>/dev/null; then
            SERVED="http://127.0.0.1:$port/sparql"
            return 0
        fi
        sleep 0.1
    done
    die "ffkg serve ($name) did not answer within 30 s (log: $WORK/$name.log)"
}

# mean NAME: hyperfine's mean and standard deviation of a run exported to $WORK/NAME.json.
mean() { jq -r '.results[0] | "\(.mean) \(.stddev)"' "$WORK/$1.json"; }
# fixed SECONDS: "1.234 s" / "56.7 ms".
shown() { awk -v s="$1" -v d="$2" 'BEGIN { if (s >= 1) printf "%.2f s ± %.2f", s, d; else printf "%.1f ms ± %.1f", s * 1000, d * 1000 }'; }

timed() {
    local name=$1
    shift
    timed_runs "$RUNS" "$name" "$@"
}

timed_runs() {
    local runs=$1 name=$2
    shift 2
    hyperfine --style none --warmup 2 --runs "$runs" --export-json "$WORK/$name.json" \
        --prepare "rm -rf $WORK/out" "$@" >/dev/null 2>>"$WORK/hyperfine.log" ||
        die "hyperfine $name failed (log: $WORK/hyperfine.log)"
}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the release binary (nice)"
    (cd "$ROOT" && nice -n 10 cargo build --release --quiet)
fi
[ -x "$FFKG" ] || die "no $FFKG"

# ---- the endpoints -----------------------------------------------------------------------
log "starting ffkg serve and Virtuoso"
serve embedded
EMBEDDED=$SERVED
# The streamed answer: ROWS triples, each an IRI, a predicate and a sentence-long literal.
awk -v n="$ROWS" 'BEGIN { for (i = 1; i <= n; i++)
    printf "<http://example.org/item/%d> <http://example.org/says> \"Item %d of the benchmark, a literal of some sixty characters\"@en .\n", i, i }' \
    >"$WORK/rows.nt"
serve rows --no-embedded --data "$WORK/rows.nt" --max-response 1000000000
ROWS_SERVED=$SERVED
VIRTUOSO_MAX_ROWS=$((ROWS * 2)) "$VIRTUOSO" start "$WORK/virtuoso" >"$WORK/virtuoso.ports" \
    2>>"$WORK/virtuoso-control.log" || die "Virtuoso did not start: $(tail -n 5 "$WORK/virtuoso-control.log")"
# shellcheck disable=SC1090
. "$WORK/virtuoso.ports"
VIRT="http://127.0.0.1:$VIRTUOSO_HTTP_PORT"
"$VIRTUOSO" isql "$WORK/virtuoso" 'GRANT SPARQL_UPDATE TO "SPARQL"' >/dev/null
push_started=$(date +%s.%N)
"$FFKG" push --endpoint "$VIRT/sparql" --graph-store "$VIRT/sparql-graph-crud" --reasoning owl \
    2>"$WORK/push.log" || die "push into Virtuoso failed: $(tail -n 3 "$WORK/push.log")"
push_seconds=$(echo "$(date +%s.%N) - $push_started" | bc)
"$FFKG" push --endpoint "$VIRT/sparql" --graph-store "$VIRT/sparql-graph-crud" --no-embedded \
    --named "$WORK/rows.nt" 2>"$WORK/push-rows.log" ||
    die "push of the rows into Virtuoso failed: $(tail -n 3 "$WORK/push-rows.log")"
ROWS_GRAPH="file://$WORK/rows.nt"

# ---- 1. the library ----------------------------------------------------------------------
log "the query library: local, ffkg serve, Virtuoso ($RUNS runs each)"
library="$FFKG query --all --format tsv --out-dir $WORK/out"
timed local "$library"
timed serve "$library --endpoint $EMBEDDED"
timed virtuoso "$library --endpoint $VIRT/sparql"

# ---- 2. streaming ------------------------------------------------------------------------
log "streaming $ROWS rows to CSV"
STREAM='SELECT ?s ?p ?o WHERE { ?s ?p ?o }'
VSTREAM="SELECT ?s ?p ?o WHERE { GRAPH <$ROWS_GRAPH> { ?s ?p ?o } }"
"$FFKG" query --endpoint "$ROWS_SERVED" -f csv -o "$WORK/serve.csv" -e "$STREAM"
"$FFKG" query --endpoint "$VIRT/sparql" -f csv -o "$WORK/virtuoso.csv" -e "$VSTREAM"
for f in serve virtuoso; do
    lines=$(($(wc -l <"$WORK/$f.csv") - 1))
    [ "$lines" = "$ROWS" ] || die "$f: $lines rows streamed, not $ROWS"
done
curl_csv() { echo "curl -fsS -o $WORK/out.csv -H 'Accept: text/csv' --data-urlencode 'query=$2' $1"; }
timed stream-serve "$FFKG query --endpoint $ROWS_SERVED -f csv -o $WORK/out.csv -e '$STREAM'"
timed curl-serve "$(curl_csv "$ROWS_SERVED" "$STREAM")"
timed_runs "$SLOW_RUNS" stream-virtuoso "$FFKG query --endpoint $VIRT/sparql -f csv -o $WORK/out.csv -e '$VSTREAM'"
timed_runs "$SLOW_RUNS" curl-virtuoso "$(curl_csv "$VIRT/sparql" "$VSTREAM")"
CSV_BYTES=$(stat -c %s "$WORK/serve.csv")
# The client alone: ffkg serve's answer, replayed from a file as fast as loopback goes (ffkg's
# first request, its probe for TSV, gets the same file: TSV passes it, JSON does not).
replay() {
    local kind=$1 media=$2
    curl -fsS -o "$WORK/answer.$kind" -H "Accept: $media" --data-urlencode "query=$STREAM" "$ROWS_SERVED"
    python3 "$ROOT/benches/replay.py" "$WORK/answer.$kind" "$media" "$WORK/replay-$kind.port" &
    REPLAY_PID="$REPLAY_PID $!"
    for i in $(seq 1 100); do [ -s "$WORK/replay-$kind.port" ] && break; sleep 0.1; done
    local url="http://127.0.0.1:$(cat "$WORK/replay-$kind.port")/sparql"
    "$FFKG" query --endpoint "$url" -f csv -o "$WORK/replay.csv" -e "$STREAM"
    cmp -s "$WORK/replay.csv" "$WORK/serve.csv" || die "the replayed $kind answer gave other CSV"
    timed "stream-replay-$kind" "$FFKG query --endpoint $url -f csv -o $WORK/out.csv -e '$STREAM'"
    timed "curl-replay-$kind" "curl -fsS -o $WORK/out.$kind -d x $url"
}
replay tsv text/tab-separated-values
replay json application/sparql-results+json
TSV_BYTES=$(stat -c %s "$WORK/answer.tsv")
JSON_BYTES=$(stat -c %s "$WORK/answer.json")

# ---- the report --------------------------------------------------------------------------
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
virtuoso_version=$({ virtuoso-t -? 2>&1 || true; } | grep -m1 -o 'Version [^ ]*' || echo unknown)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
read -r local_mean local_sd < <(mean local)
read -r serve_mean serve_sd < <(mean serve)
read -r virt_mean virt_sd < <(mean virtuoso)
rate() { awk -v s="$1" -v b="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
report() {
    cat <<EOF
# ffkg as a client of remote endpoints

$(date -u '+%Y-%m-%d %H:%M UTC') · ffkg at commit $commit · Virtuoso $virtuoso_version ·
hyperfine $(hyperfine --version | cut -d' ' -f2) · $(nproc) cores ($cpu) · client and servers on the
same machine · $RUNS runs per line ($SLOW_RUNS for Virtuoso's streaming) after 2 warm-up runs
(mean ± standard deviation).

Virtuoso got the graph by \`ffkg push --graph-store … --reasoning owl\` (Graph Store Protocol,
every graph's count checked) in $(printf '%.2f' "$push_seconds") s.

## The query library (\`ffkg query --all --format tsv --out-dir DIR\`, 35 queries)

| where | whole run | × local |
|---|---:|---:|
| local, the embedded graph | $(shown "$local_mean" "$local_sd") | 1.00 |
| \`--endpoint\` ffkg serve (loopback) | $(shown "$serve_mean" "$serve_sd") | $(ratio "$serve_mean" "$local_mean") |
| \`--endpoint\` Virtuoso 7 (loopback) | $(shown "$virt_mean" "$virt_sd") | $(ratio "$virt_mean" "$local_mean") |

## Streaming $ROWS rows to CSV ($(awk -v b="$CSV_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB of CSV)

\`ffkg query --endpoint URL -f csv -o FILE -e 'SELECT ?s ?p ?o …'\` (the answer parsed as it
streams and written again as CSV) against \`curl -H 'Accept: text/csv'\` writing the endpoint's
own CSV of the same answer to a file (the transfer alone). Target: ≥ 50 MB/s of CSV. ffkg
asks ffkg serve for TSV and Virtuoso for JSON (its TSV is not the standard's). On the last two
lines ffkg serve's answer — $(awk -v b="$TSV_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB of TSV, $(awk -v b="$JSON_BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB of JSON — is replayed from a file
(\`benches/replay.py\`), so the time is the client's alone: reading the answer, writing the
CSV (curl there fetches the replayed file).

EOF
    echo "| endpoint | ffkg | ffkg MB/s | curl | curl MB/s | ffkg ÷ curl time |"
    echo "|---|---:|---:|---:|---:|---:|"
    for e in serve virtuoso replay-tsv replay-json; do
        read -r fm fs < <(mean "stream-$e")
        read -r cm cs < <(mean "curl-$e")
        case $e in
            serve) label="ffkg serve" ;;
            virtuoso) label="Virtuoso 7" ;;
            replay-tsv) label="TSV replayed (the client alone)" ;;
            replay-json) label="JSON replayed (the client alone)" ;;
        esac
        # curl fetches CSV from the endpoints, the replayed file from a replay.
        case $e in
            replay-tsv) curl_bytes=$TSV_BYTES ;;
            replay-json) curl_bytes=$JSON_BYTES ;;
            *) curl_bytes=$CSV_BYTES ;;
        esac
        echo "| $label | $(shown "$fm" "$fs") | $(rate "$fm" "$CSV_BYTES") | $(shown "$cm" "$cs") | $(rate "$cm" "$curl_bytes") | $(ratio "$fm" "$cm") |"
    done
}
out=${BENCH_RESULTS:-$ROOT/benches/results/remote-$(date -u +%Y-%m-%d).md}
report | tee "$out"
log "written to $out"
