#!/usr/bin/env bash
# Load benchmark of `ffkg serve` side by side with Virtuoso 7 on the same machine and data.
#
#   benches/serve.sh [SECONDS]      SECONDS per measurement (default 10)
#
# Builds the release binary (nice), dumps the embedded graph with its named graphs (and the OWL
# entailments ffkg serve answers with) as N-Quads, starts `ffkg serve` and a private Virtuoso
# (scripts/virtuoso.sh) on loopback, loads the dump into Virtuoso, checks that the query of
# benches/serve.rq gets the same one-row answer from both, then measures it with wrk — GET
# /sparql?query=…, Accept: application/sparql-results+json — at 1, 16 and 64 connections: requests
# per second, p50 and p99 latency, responses that are not 2xx and socket errors, and the server's
# CPU use. Writes the table as markdown to stdout and to benches/results/serve-<date>.md.
#
# wrk runs on the same cores as the server it measures: the figures are what one 2-core machine
# does with the client and the server on it, not the server alone.
#
# Environment (all optional):
#   BENCH_CONNECTIONS   connection levels          (default: "1 16 64")
#   BENCH_WARMUP        seconds of unmeasured load per server before its first level (default 2)
#   FFKG_SERVE_FLAGS    extra flags for `ffkg serve` (the table says which); default none
#   FFKG_RAISED_FLAGS   if set, ffkg is measured a second time with these flags, labelled as such
#   SKIP_BUILD=1        use target/release/ffkg as it is
#   KEEP_WORK=1         keep the work directory (logs, dump, Virtuoso database)
#   BENCH_RESULTS=FILE  write the table there instead of benches/results/serve-<date>.md
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
DURATION=${1:-10}
case "$DURATION" in '' | *[!0-9]* | 0) echo "usage: benches/serve.sh [SECONDS]" >&2; exit 2 ;; esac
LEVELS=${BENCH_CONNECTIONS:-1 16 64}
WARMUP=${BENCH_WARMUP:-2}
FFKG=$ROOT/target/release/ffkg
VIRTUOSO=$ROOT/scripts/virtuoso.sh
LUA=$ROOT/benches/serve.lua
QUERY_FILE=$ROOT/benches/serve.rq
ACCEPT='application/sparql-results+json'
CLK_TCK=$(getconf CLK_TCK)

log() { echo "serve.sh: $*" >&2; }
die() { log "$*"; exit 1; }

for tool in wrk jq curl ss virtuoso-t isql-vt; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install wrk jq curl virtuoso-opensource)"
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ffkg-serve-bench.XXXXXX")
FFKG_PID=
CHILD_PID=

# run_waited OUTPUT COMMAND…: run COMMAND in the background, its output to OUTPUT, and wait for
# it. wrk catches SIGINT and exits 0, which would let a foreground wrk swallow Ctrl-C; the wait
# builtin returns at once on a trapped signal, so the trap runs (and cleanup stops the command).
# The redirection is inside, so the trap's own messages still reach stderr.
run_waited() {
    local out=$1
    shift
    "$@" >"$out" 2>&1 &
    CHILD_PID=$!
    local status=0
    wait "$CHILD_PID" || status=$?
    CHILD_PID=
    return "$status"
}

stop_ffkg() {
    local pid=$FFKG_PID i
    [ -n "$pid" ] || return 0
    FFKG_PID=
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "ffkg serve (pid $pid) still running 10 s after SIGTERM; SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "$CHILD_PID" ]; then
        kill -TERM "$CHILD_PID" 2>/dev/null || true
        wait "$CHILD_PID" 2>/dev/null || true
    fi
    stop_ffkg
    if [ -d "$WORK/virtuoso" ]; then
        "$VIRTUOSO" stop "$WORK/virtuoso" 2>>"$WORK/virtuoso-control.log" ||
            log "could not stop Virtuoso in $WORK/virtuoso"
    fi
    # Kept when asked for, or for a look after a failure (not after Ctrl-C or SIGTERM).
    if [ "${KEEP_WORK:-0}" = 1 ] || { [ "$status" -ne 0 ] && [ "$status" -ne 130 ] && [ "$status" -ne 143 ]; }; then
        log "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'log interrupted; exit 130' INT
trap 'log terminated; exit 143' TERM

. "$ROOT/scripts/free-port.sh"

# CPU time (user + system) of a process so far, in clock ticks.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Busy and total CPU ticks of the whole machine so far (all cores), from /proc/stat.
machine_ticks() {
    awk '$1 == "cpu" { total = 0; for (i = 2; i <= NF; i++) total += $i; print total - $5 - $6, total }' /proc/stat
}

# The query as sent: benches/serve.rq without its comment lines.
QUERY=$(grep -v '^#' "$QUERY_FILE")
QUERY_URI=$(jq -rn --arg q "$QUERY" '$q | @uri')

# ---- build, dump ---------------------------------------------------------------------------
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    log "building the release binary (nice)"
    (cd "$ROOT" && nice -n 10 cargo build --release --quiet)
fi
[ -x "$FFKG" ] || die "no $FFKG"
# `ffkg serve` answers on the embedded graph with OWL reasoning (graph:inferred is part of its
# default graph); the dump carries the same triples: every named graph, graph:inferred included.
"$FFKG" dump --reasoning owl -o "$WORK/graph.nq" 2>"$WORK/dump.log" ||
    die "ffkg dump failed: $(cat "$WORK/dump.log")"

# ---- servers ---------------------------------------------------------------------------------
FFKG_PORT=
start_ffkg() {
    local flags=$1 i
    FFKG_PORT=$(free_port)
    # shellcheck disable=SC2086
    "$FFKG" serve --bind "127.0.0.1:$FFKG_PORT" $flags 2>>"$WORK/ffkg.log" &
    FFKG_PID=$!
    for i in $(seq 1 300); do
        if curl -fsS -o /dev/null --max-time 2 -G "http://127.0.0.1:$FFKG_PORT/sparql" \
            --data-urlencode 'query=ASK {}' 2>/dev/null; then
            return 0
        fi
        kill -0 "$FFKG_PID" 2>/dev/null || die "ffkg serve exited (log: $WORK/ffkg.log)"
        sleep 0.1
    done
    die "ffkg serve did not answer within 30 s"
}

log "starting Virtuoso"
VIRTUOSO_PORTS=$("$VIRTUOSO" start "$WORK/virtuoso" 2>>"$WORK/virtuoso-control.log") ||
    die "Virtuoso did not start: $(tail -n 5 "$WORK/virtuoso-control.log")"
eval "$VIRTUOSO_PORTS"
VIRTUOSO_PID=$(cat "$WORK/virtuoso/virtuoso.pid")
# Named graphs keep their names; the default-graph copy of every triple (the dump writes the
# merge too) goes to a graph of its own and is dropped: Virtuoso's default graph is the union of
# all graphs, which then holds each triple once, as ffkg's does.
VIRTUOSO_LOAD_GRAPH=urn:ffkg:dump-default-graph "$VIRTUOSO" load "$WORK/virtuoso" "$WORK/graph.nq" \
    2>>"$WORK/virtuoso-control.log" || die "loading into Virtuoso failed: $(tail -n 5 "$WORK/virtuoso-control.log")"
"$VIRTUOSO" isql "$WORK/virtuoso" 'SPARQL CLEAR GRAPH <urn:ffkg:dump-default-graph>' 'checkpoint' >/dev/null

start_ffkg "${FFKG_SERVE_FLAGS:-}"

# ---- the same data, the same answer ----------------------------------------------------------
# SPARQL JSON results, normalised: Virtuoso writes "typed-literal" for a literal with a datatype.
normalised_answer() {
    curl -fsS --max-time 30 -G "$1" -H "Accept: $ACCEPT" --data-urlencode "query=$2" |
        jq -S '{vars: .head.vars, rows: ([.results.bindings[] | map_values(
            if .type == "typed-literal" then .type = "literal" else . end)] | sort)}'
}
FFKG_URL="http://127.0.0.1:$FFKG_PORT/sparql"
VIRT_URL="http://127.0.0.1:$VIRTUOSO_HTTP_PORT/sparql"

COUNT_QUERY='SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/ffkg/graph/")) }'
ffkg_quads=$(normalised_answer "$FFKG_URL" "$COUNT_QUERY" | jq -r '.rows[0].n.value')
virt_quads=$(normalised_answer "$VIRT_URL" "$COUNT_QUERY" | jq -r '.rows[0].n.value')
[ "$ffkg_quads" = "$virt_quads" ] ||
    die "the servers hold different data: $ffkg_quads quads in ffkg's graphs, $virt_quads in Virtuoso's"
log "both servers hold $ffkg_quads quads in the graph's named graphs"

normalised_answer "$FFKG_URL" "$QUERY" >"$WORK/answer-ffkg.json"
normalised_answer "$VIRT_URL" "$QUERY" >"$WORK/answer-virtuoso.json"
if ! cmp -s "$WORK/answer-ffkg.json" "$WORK/answer-virtuoso.json"; then
    diff "$WORK/answer-ffkg.json" "$WORK/answer-virtuoso.json" >&2 || true
    die "the servers answer the benchmark query differently"
fi
ROWS=$(jq '.rows | length' "$WORK/answer-ffkg.json")
[ "$ROWS" = 1 ] || die "the benchmark query returns $ROWS rows, not one"
ANSWER=$(jq -r '.vars as $vars | .rows[0] as $r | [$vars[] | "?\(.) = \($r[.].value)"] | join(", ")' \
    "$WORK/answer-ffkg.json")
log "both answer: $ANSWER"

# ---- measurements ----------------------------------------------------------------------------
RESULTS=$WORK/results.tsv
: >"$RESULTS"

# measure LABEL URL PID CONNECTIONS: one wrk run; appends a row to $RESULTS (tab-separated:
# label, connections, threads, requests, duration µs, p50 µs, p99 µs, non-2xx, connect, read,
# write, timeout errors, server CPU ticks, non-2xx statuses).
measure() {
    local label=$1 url=$2 pid=$3 conns=$4 threads line before after m_before m_after
    threads=$((conns < 2 ? conns : 2))
    before=$(cpu_ticks "$pid")
    m_before=$(machine_ticks)
    run_waited "$WORK/wrk.out" wrk -t"$threads" -c"$conns" -d"${DURATION}s" --timeout 10s \
        --latency -s "$LUA" "$url?query=$QUERY_URI" || die "wrk failed: $(cat "$WORK/wrk.out")"
    after=$(cpu_ticks "$pid")
    m_after=$(machine_ticks)
    cat "$WORK/wrk.out" >>"$WORK/wrk.log"
    [ -d "/proc/$pid" ] || die "$label (pid $pid) exited during the run at $conns connections (logs: $WORK)"
    line=$(grep '^WRK_RESULT' "$WORK/wrk.out") || die "no result from wrk: $(cat "$WORK/wrk.out")"
    # The key=value fields of the WRK_RESULT line become wrk_KEY variables.
    local wrk_requests wrk_duration_us wrk_p50_us wrk_p90_us wrk_p99_us wrk_max_us wrk_non2xx \
        wrk_connect wrk_read wrk_write wrk_timeout wrk_statuses field
    for field in ${line#WRK_RESULT }; do
        case "$field" in *=*) printf -v "wrk_${field%%=*}" '%s' "${field#*=}" ;; esac
    done
    # The machine's busy share over the run, all cores (200% = both of two cores busy).
    local machine
    machine=$(awk -v b="$m_before" -v a="$m_after" -v n="$(nproc)" 'BEGIN {
        split(b, x, " "); split(a, y, " "); t = y[2] - x[2];
        if (t > 0) printf "%.0f", (y[1] - x[1]) / t * n * 100; else print 0 }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$conns" "$threads" \
        "$wrk_requests" "$wrk_duration_us" "$wrk_p50_us" "$wrk_p99_us" "$wrk_non2xx" \
        "$wrk_connect" "$wrk_read" "$wrk_write" "$wrk_timeout" "$((after - before))" \
        "$wrk_statuses" "$machine" >>"$RESULTS"
    log "$label, $conns connections: $wrk_requests requests in $((wrk_duration_us / 1000)) ms, p50 $wrk_p50_us µs, p99 $wrk_p99_us µs, non-2xx $wrk_non2xx ($wrk_statuses), socket errors $wrk_connect/$wrk_read/$wrk_write/$wrk_timeout"
}

warm_up() {
    run_waited /dev/null wrk -t2 -c16 -d"${WARMUP}s" -H "Accept: $ACCEPT" "$1?query=$QUERY_URI" || true
}

run_server() {
    local label=$1 url=$2 pid=$3 c
    log "$label: warming up ${WARMUP} s"
    warm_up "$url"
    for c in $LEVELS; do
        measure "$label" "$url" "$pid" "$c"
    done
}

FFKG_LABEL="ffkg"
[ -n "${FFKG_SERVE_FLAGS:-}" ] && FFKG_LABEL="ffkg ($FFKG_SERVE_FLAGS)"
run_server "$FFKG_LABEL" "$FFKG_URL" "$FFKG_PID"
run_server "Virtuoso" "$VIRT_URL" "$VIRTUOSO_PID"
if [ -n "${FFKG_RAISED_FLAGS:-}" ]; then
    stop_ffkg
    start_ffkg "$FFKG_RAISED_FLAGS"
    FFKG_URL="http://127.0.0.1:$FFKG_PORT/sparql"
    run_server "ffkg, raised: $FFKG_RAISED_FLAGS" "$FFKG_URL" "$FFKG_PID"
fi

# Both still run and give the same answer after the load.
kill -0 "$FFKG_PID" 2>/dev/null || die "ffkg serve exited during the run (log: $WORK/ffkg.log)"
"$VIRTUOSO" status "$WORK/virtuoso" || die "Virtuoso exited during the run (log: $WORK/virtuoso/virtuoso.log)"
normalised_answer "$FFKG_URL" "$QUERY" | cmp -s - "$WORK/answer-ffkg.json" || die "ffkg's answer changed under load"
normalised_answer "$VIRT_URL" "$QUERY" | cmp -s - "$WORK/answer-virtuoso.json" || die "Virtuoso's answer changed under load"

# ffkg's own log: the statuses it answered (a 503 is the queue being full).
FFKG_STATUSES=$(awk '$1 == "GET" && $2 ~ /^\/sparql/ { n[$3]++ } END { for (s in n) printf "%s: %d, ", s, n[s] }' \
    "$WORK/ffkg.log" | sed 's/, $//')

# ---- report ----------------------------------------------------------------------------------
DATE=$(date +%Y-%m-%d)
OUT=${BENCH_RESULTS:-$ROOT/benches/results/serve-$DATE.md}
mkdir -p "$(dirname "$OUT")"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- src Cargo.toml Cargo.lock build.rs data ontology 2>/dev/null || COMMIT="$COMMIT (with uncommitted changes)"

fmt_ms() { awk -v us="$1" 'BEGIN { if (us >= 10000) printf "%.0f ms", us / 1000; else printf "%.2f ms", us / 1000 }'; }
# requests/s of REQUESTS in DURATION µs, with thousands separators.
fmt_rps() { awk -v r="$1" -v d="$2" 'BEGIN { s = sprintf("%.0f", r / (d / 1e6)); out = "";
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    print s out }'; }
# 2xx responses per second of LABEL at CONNECTIONS.
rps_of() { awk -F'\t' -v l="$1" -v c="$2" '$1 == l && $2 == c { printf "%.1f", ($4 - $8) / ($5 / 1e6) }' "$RESULTS"; }
p99_of() { awk -F'\t' -v l="$1" -v c="$2" '$1 == l && $2 == c { print $7 }' "$RESULTS"; }

report() {
    cat <<EOF
# ffkg serve against Virtuoso 7: a one-row SPARQL query

$(date -u '+%Y-%m-%d %H:%M UTC') · ffkg $("$FFKG" --version | sed 's/^ffkg //') at commit $COMMIT ·
$(virtuoso-t -? 2>&1 | sed -n 2p | sed 's/ as of.*//; s/^Version/Virtuoso Open Source/') (Debian package $(dpkg-query -W -f '${Version}' virtuoso-opensource-7-bin 2>/dev/null || echo '?')) ·
$(wrk -v 2>&1 | head -1 | awk '{print "wrk", $2}') · $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), $(free -g | awk '/^Mem:/ {print $2}') GB ·
load average before the run: $LOAD_BEFORE

**wrk runs on the same $(nproc) cores as the server it measures**, so client and server compete
for the CPU: these are the figures of one small machine serving itself, lower than the server
alone would reach. "Server CPU" is the server process's CPU time over the run, "machine CPU"
that of the whole machine (200% = both cores busy): the difference is wrk's share and anything
else running at the time. Each level ran ${DURATION} s (wrk threads ≤ 2, keep-alive connections),
after ${WARMUP} s of unmeasured load per server. Latencies are wrk's (not corrected for
coordinated omission) and cover every response, a fast 503 included.

Query (\`benches/serve.rq\`, sent as the same text to both, with its PREFIX lines, by
\`GET /sparql?query=…\` with \`Accept: $ACCEPT\`); both return the same single row —
$ANSWER. Both servers hold the same $ffkg_quads quads
(the embedded graph's named graphs, OWL entailments in graph:inferred included; Virtuoso's
default graph is the union of its graphs, ffkg's the merge of its files).

- ffkg: \`ffkg serve --bind 127.0.0.1:PORT${FFKG_SERVE_FLAGS:+ $FFKG_SERVE_FLAGS}\` (defaults: 4 query
  workers, queue 128, 128 connections; each request logged to stderr, here a file)${FFKG_RAISED_FLAGS:+; the rows
  labelled \"raised\" are a second ffkg run with \`$FFKG_RAISED_FLAGS\` added, for comparison}.
- Virtuoso: \`virtuoso-t +foreground\` from \`scripts/virtuoso.sh\`, its virtuoso.ini derived from
  Debian's \`/etc/virtuoso-opensource-7/virtuoso.ini\`: 10 HTTP server threads (Debian's
  default), MaxKeepAlives 128 (Debian: 10), NumberOfBuffers 10000, MaxQueryMem 256M,
  ThreadsPerQuery 2; data bulk-loaded with \`ld_dir\` + \`rdf_loader_run()\`.

| server | connections | requests/s (2xx) | p50 | p99 | non-2xx | socket errors (connect/read/write/timeout) | all responses/s | server CPU | machine CPU | server CPU per 2xx |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
EOF
    local label conns threads requests duration p50 p99 non2xx connect read write timeout ticks statuses machine
    while IFS=$'\t' read -r label conns threads requests duration p50 p99 non2xx connect read write timeout ticks statuses machine; do
        local ok=$((requests - non2xx)) shown=$non2xx
        [ "$statuses" != "-" ] && shown="$non2xx ($statuses)"
        echo "| $label | $conns | $(fmt_rps "$ok" "$duration") | $(fmt_ms "$p50") | $(fmt_ms "$p99") | $shown | $connect/$read/$write/$timeout | $(fmt_rps "$requests" "$duration") | $(awk -v t="$ticks" -v h="$CLK_TCK" -v d="$duration" 'BEGIN { printf "%.0f%%", t / h / (d / 1e6) * 100 }') | ${machine}% | $(awk -v t="$ticks" -v h="$CLK_TCK" -v n="$ok" 'BEGIN { if (n > 0) printf "%.0f µs", t / h / n * 1e6; else print "–" }') |"
    done <"$RESULTS"
    echo
    echo "| connections | ffkg requests/s | Virtuoso requests/s | ffkg / Virtuoso | ffkg p99 | Virtuoso p99 |"
    echo "|---:|---:|---:|---:|---:|---:|"
    local c f v
    for c in $LEVELS; do
        f=$(rps_of "$FFKG_LABEL" "$c")
        v=$(rps_of "Virtuoso" "$c")
        echo "| $c | $(fmt_rps "$f" 1000000) | $(fmt_rps "$v" 1000000) | $(awk -v f="$f" -v v="$v" 'BEGIN { if (v > 0) printf "%.2f×", f / v; else print "–" }') | $(fmt_ms "$(p99_of "$FFKG_LABEL" "$c")") | $(fmt_ms "$(p99_of "Virtuoso" "$c")") |"
    done
    echo
    local best p99_16
    best=$(awk -F'\t' -v l="$FFKG_LABEL" '$1 == l { x = ($4 - $8) / ($5 / 1e6); if (x > m) m = x } END { printf "%.0f", m }' "$RESULTS")
    p99_16=$(p99_of "$FFKG_LABEL" 16)
    echo "Targets (ffkg, default flags${FFKG_SERVE_FLAGS:+ plus $FFKG_SERVE_FLAGS}):"
    echo "- ≥ 5,000 requests/s for a one-row query on 2 cores: best level $(fmt_rps "$best" 1000000) 2xx responses/s — $(awk -v b="$best" 'BEGIN { print (b >= 5000) ? "met" : "**not met**" }')."
    if [ -n "$p99_16" ]; then
        echo "- p99 under 20 ms at 16 connections: $(fmt_ms "$p99_16") — $(awk -v p="$p99_16" 'BEGIN { print (p < 20000) ? "met" : "**not met**" }')."
    fi
    echo
    echo "ffkg's log over the whole run (warm-ups and checks included), responses to /sparql by status: ${FFKG_STATUSES:-none}."
    echo "Requests/s counts 2xx responses only; \"all responses/s\" includes the non-2xx ones (a 503 is answered at"
    echo "once, so a level with 503s shows a high total). \"non-2xx\" counts every response whose status is"
    echo "not 2xx (benches/serve.lua); socket errors are wrk's. \"Server CPU per 2xx\" is the server's CPU time over"
    echo "the run divided by its 2xx responses."
}

report | tee "$OUT"
log "written to $OUT"
