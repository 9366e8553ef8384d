#!/usr/bin/env bash
# Run a private Virtuoso 7 (Debian's virtuoso-opensource package) in a directory of its own.
#
#   scripts/virtuoso.sh start DIR          create DIR (database, virtuoso.ini, log) if needed, start
#                                          the server, wait until /sparql answers; prints
#                                          VIRTUOSO_HTTP_PORT=… and VIRTUOSO_SQL_PORT=… (eval-able)
#   scripts/virtuoso.sh stop DIR           stop it: a checkpoint, SIGTERM, wait for the PID to exit,
#                                          SIGKILL after a grace period; only DIR's own process
#   scripts/virtuoso.sh isql DIR SQL…      run SQL statements (one per argument) as dba; exit 1 if
#                                          one fails
#   scripts/virtuoso.sh load DIR FILE…     bulk-load RDF files (.nq .nt .ttl .trig .rdf, .gz too)
#                                          with ld_dir + rdf_loader_run; N-Quads/TriG keep their
#                                          graphs, other files go into $VIRTUOSO_LOAD_GRAPH
#   scripts/virtuoso.sh ports DIR          print the ports of a started DIR (the same two lines)
#   scripts/virtuoso.sh status DIR         exit 0 if DIR's server is running
#
# The package's own service (/etc/init.d/virtuoso-opensource-7, /var/lib/virtuoso-opensource-7)
# is never used: DIR holds the database, the generated virtuoso.ini (both listeners bound to
# 127.0.0.1 only, on free ports), the log and the pid file. The server runs in the foreground of
# its own session (setsid), so it is started and stopped by PID alone. A new database has
# Virtuoso's stock account dba/dba, reachable only from this machine.
#
# Environment (all optional):
#   VIRTUOSO_BIN          server binary          (default: /usr/bin/virtuoso-t)
#   VIRTUOSO_ISQL         isql client            (default: /usr/bin/isql-vt)
#   VIRTUOSO_HTTP_PORT    HTTP port              (default: a free port)
#   VIRTUOSO_SQL_PORT     SQL (isql) port        (default: a free port)
#   VIRTUOSO_START_TIMEOUT  seconds to wait for /sparql (default: 120)
#   VIRTUOSO_STOP_GRACE   seconds before SIGKILL (default: 30)
#   VIRTUOSO_HTTP_THREADS HTTP worker threads    (default: 10, as Debian's virtuoso.ini)
#   VIRTUOSO_KEEPALIVES   keep-alive connections (default: 128)
#   VIRTUOSO_MAX_ROWS     rows a SPARQL answer may have; Virtuoso cuts longer ones short
#                         without an error (default: 10000, as Debian's virtuoso.ini)
#   VIRTUOSO_LOAD_GRAPH   graph for triple files (default: urn:ffkg:default)
set -euo pipefail

VIRTUOSO_BIN=${VIRTUOSO_BIN:-/usr/bin/virtuoso-t}
VIRTUOSO_ISQL=${VIRTUOSO_ISQL:-/usr/bin/isql-vt}
# The Debian default this script's virtuoso.ini is derived from (see write_ini).
DEBIAN_INI=/etc/virtuoso-opensource-7/virtuoso.ini
DEBIAN_VAD=/usr/share/virtuoso-opensource-7/vad

die() { echo "virtuoso.sh: $*" >&2; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

# A TCP port no socket uses (listening, connected or in TIME_WAIT), in 20000 up to the start
# of the kernel's ephemeral range, so that no outgoing connection takes it before Virtuoso
# binds it.
free_port() {
    local port avoid=${1:-0} i top
    top=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    [ "$top" -gt 21000 ] 2>/dev/null || top=32768
    for i in $(seq 1 200); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % (top - 20000)))
        [ "$port" = "$avoid" ] && continue
        if [ -z "$(ss -Htan "sport = :$port" 2>/dev/null)" ]; then
            echo "$port"
            return 0
        fi
    done
    die "no free port found"
}

# The PID in DIR/virtuoso.pid if that process is alive and is this DIR's virtuoso-t.
running_pid() {
    local dir=$1 pid
    [ -f "$dir/virtuoso.pid" ] || return 1
    pid=$(cat "$dir/virtuoso.pid")
    [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
    # Guard against a recycled PID: the process must run our binary on DIR's ini.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$dir/virtuoso.ini" || return 1
    echo "$pid"
}

print_ports() {
    local dir=$1
    [ -f "$dir/ports" ] || die "$dir has no ports file (never started?)"
    cat "$dir/ports"
}

# Load DIR/ports into VIRTUOSO_HTTP_PORT / VIRTUOSO_SQL_PORT.
read_ports() {
    local dir=$1
    [ -f "$dir/ports" ] || die "$dir has no ports file (never started?)"
    # shellcheck disable=SC1091
    . "$dir/ports"
}

# virtuoso.ini for DIR, derived from Debian's /etc/virtuoso-opensource-7/virtuoso.ini. Changes
# from it: every path under DIR; both ServerPorts bound to 127.0.0.1; memory bounded for a small
# 2-core machine (NumberOfBuffers 10000 ≈ 80 MB of pages, as Debian's default, MaxQueryMem 256M
# instead of 2G, ThreadsPerQuery 2 instead of 4, AsyncQueueMaxThreads 4 instead of 10);
# MaxKeepAlives 128 instead of 10 so that up to 128 HTTP/1.1 clients keep their connection (ffkg
# serve's --max-connections default); DirsAllowed limited to DIR and the VAD directory; the
# hosting plugins (wiki renderers) not loaded; no [URIQA] DefaultHost on port 8890.
write_ini() {
    local dir=$1 http=$2 sql=$3
    cat >"$dir/virtuoso.ini" <<EOF
; Generated by scripts/virtuoso.sh from $DEBIAN_INI — do not edit, rerun start.
[Database]
DatabaseFile       = $dir/virtuoso.db
ErrorLogFile       = $dir/virtuoso.log
LockFile           = $dir/virtuoso.lck
TransactionFile    = $dir/virtuoso.trx
xa_persistent_file = $dir/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/virtuoso-temp.db
TransactionFile    = $dir/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:$sql
LiteMode                 = 0
DisableUnixSocket        = 1
DisableTcpSocket         = 0
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
CheckpointAuditTrail     = 0
AllowOSCalls             = 0
SchedulerInterval        = 10
DirsAllowed              = ., $dir, $DEBIAN_VAD
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize        = 100000
SingleCPU                = 0
VADInstallDir            = $DEBIAN_VAD/
PrefixResultNames        = 0
RdfFreeTextRulesSize     = 100
IndexTreeMaps            = 64
MaxMemPoolSize           = 100000000
MacSpotlight             = 0
MaxQueryMem              = 256M
VectorSize               = 1000
MaxVectorSize            = 1000000
AdjustVectorSize         = 0
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 4
NumberOfBuffers          = 10000
MaxDirtyBuffers          = 6000

[HTTPServer]
ServerPort                  = 127.0.0.1:$http
ServerRoot                  = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections        = ${VIRTUOSO_HTTP_THREADS:-10}
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
TempASPXDir                 = 0
ServerThreads               = ${VIRTUOSO_HTTP_THREADS:-10}
MaxKeepAlives               = ${VIRTUOSO_KEEPALIVES:-128}
KeepAliveTimeout            = 10
MaxCachedProxyConnections   = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
MaintenancePage             = atomic.html
EnabledGzipContent          = 1

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT  = 0
SQL_TXN_TIMEOUT    = 0

[VDB]
ArrayOptimization           = 0
NumArrayParameters          = 10
VDBDisconnectTimeout        = 1000
KeepConnectionOnFixedThread = 0

[Replication]
ServerName   = db
ServerEnable = 1
QueueMax     = 50000

[Zero Config]
ServerName = virtuoso

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:$http

[SPARQL]
ResultSetMaxRows           = ${VIRTUOSO_MAX_ROWS:-10000}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 60
DefaultQuery               = select distinct ?Concept where {[] a ?Concept} LIMIT 100
DeferInferenceRulesInit    = 0
EOF
}

sparql_answers() {
    local http=$1
    curl -fsS -o /dev/null --max-time 5 -G "http://127.0.0.1:$http/sparql" \
        -H 'Accept: application/sparql-results+json' --data-urlencode 'query=ASK {}' 2>/dev/null
}

cmd_start() {
    local dir=$1 pid http sql deadline
    command -v "$VIRTUOSO_BIN" >/dev/null || die "$VIRTUOSO_BIN not found (apt-get install virtuoso-opensource)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    if pid=$(running_pid "$dir"); then
        die "already running in $dir (pid $pid); stop it first"
    fi
    http=${VIRTUOSO_HTTP_PORT:-$(free_port)}
    sql=${VIRTUOSO_SQL_PORT:-$(free_port "$http")}
    [ "$http" != "$sql" ] || die "HTTP and SQL ports must differ"
    write_ini "$dir" "$http" "$sql"
    printf 'VIRTUOSO_HTTP_PORT=%s\nVIRTUOSO_SQL_PORT=%s\n' "$http" "$sql" >"$dir/ports"
    # A lock file left by a killed server would stop the new one from starting.
    rm -f "$dir/virtuoso.lck"
    (cd "$dir" && exec setsid "$VIRTUOSO_BIN" +foreground +configfile "$dir/virtuoso.ini" \
        </dev/null >>"$dir/virtuoso.out" 2>&1) &
    pid=$!
    echo "$pid" >"$dir/virtuoso.pid"
    # Interrupted while waiting: do not leave a half-started server behind.
    trap 'cmd_stop "$dir" >&2 || true; exit 130' INT
    trap 'cmd_stop "$dir" >&2 || true; exit 143' TERM
    deadline=$((SECONDS + ${VIRTUOSO_START_TIMEOUT:-120}))
    until sparql_answers "$http"; do
        if ! [ -d "/proc/$pid" ]; then
            tail -n 20 "$dir/virtuoso.log" "$dir/virtuoso.out" >&2 2>/dev/null || true
            rm -f "$dir/virtuoso.pid"
            die "virtuoso-t exited during start-up (log: $dir/virtuoso.log)"
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            tail -n 20 "$dir/virtuoso.log" >&2 2>/dev/null || true
            cmd_stop "$dir" >&2 || true
            die "/sparql on 127.0.0.1:$http did not answer within ${VIRTUOSO_START_TIMEOUT:-120} s"
        fi
        sleep 0.5
    done
    # Both listeners must be on loopback only.
    local listeners
    listeners=$(ss -Htlnp 2>/dev/null | grep -F "pid=$pid," | awk '{print $4}' || true)
    if echo "$listeners" | grep -qvE '^(127\.0\.0\.1:|$)'; then
        cmd_stop "$dir" >&2 || true
        die "virtuoso-t listens beyond loopback: $(echo "$listeners" | tr '\n' ' ')"
    fi
    trap - INT TERM
    echo "virtuoso.sh: started pid $pid in $dir, http://127.0.0.1:$http/sparql, SQL 127.0.0.1:$sql" >&2
    print_ports "$dir"
}

cmd_stop() {
    local dir=$1 pid grace deadline
    [ -d "$dir" ] || die "no directory $dir"
    dir=$(cd "$dir" && pwd -P)
    if ! pid=$(running_pid "$dir"); then
        rm -f "$dir/virtuoso.pid"
        echo "virtuoso.sh: not running in $dir" >&2
        return 0
    fi
    grace=${VIRTUOSO_STOP_GRACE:-30}
    # SIGTERM makes Virtuoso do a quick shutdown without a checkpoint; take one first (bounded,
    # in case the server is wedged) so the database reopens without replaying its log.
    if [ -f "$dir/ports" ]; then
        read_ports "$dir"
        echo 'checkpoint;' | timeout 15 "$VIRTUOSO_ISQL" "127.0.0.1:$VIRTUOSO_SQL_PORT" dba dba \
            VERBOSE=OFF BANNER=OFF PROMPT=OFF ECHO=OFF >/dev/null 2>&1 || true
    fi
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + grace))
    while [ -d "/proc/$pid" ] && [ "$SECONDS" -lt "$deadline" ]; do
        # A zombie (exited, not yet reaped by its parent) counts as stopped.
        [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
        sleep 0.2
    done
    if [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
        echo "virtuoso.sh: pid $pid still running after ${grace} s; SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        while [ -d "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
            sleep 0.1
        done
    fi
    rm -f "$dir/virtuoso.pid"
    echo "virtuoso.sh: stopped pid $pid ($dir)" >&2
}

cmd_isql() {
    local dir=$1 out status=0
    shift
    [ $# -gt 0 ] || die "isql: no SQL given"
    dir=$(cd "$dir" && pwd -P)
    running_pid "$dir" >/dev/null || die "not running in $dir"
    read_ports "$dir"
    out=$(for stmt in "$@"; do printf '%s;\n' "${stmt%;}"; done |
        "$VIRTUOSO_ISQL" "127.0.0.1:$VIRTUOSO_SQL_PORT" dba dba \
            VERBOSE=OFF BANNER=OFF PROMPT=OFF ECHO=OFF 2>&1) || status=$?
    printf '%s\n' "$out"
    if [ "$status" -ne 0 ] || printf '%s\n' "$out" | grep -q '^\*\*\* Error'; then
        return 1
    fi
}

cmd_load() {
    local dir=$1 f name graph errors
    shift
    [ $# -gt 0 ] || die "load: no files given"
    dir=$(cd "$dir" && pwd -P)
    graph=${VIRTUOSO_LOAD_GRAPH:-urn:ffkg:default}
    # The bulk loader reads only from DirsAllowed: copy the files into DIR/import.
    rm -rf "$dir/import"
    mkdir -p "$dir/import"
    for f in "$@"; do
        [ -f "$f" ] || die "load: no file $f"
        cp "$f" "$dir/import/"
    done
    cmd_isql "$dir" \
        "DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE '$dir/import/%'" \
        "ld_dir('$dir/import', '%', '$graph')" \
        "rdf_loader_run()" \
        "checkpoint" >/dev/null
    errors=$(cmd_isql "$dir" \
        "SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE '$dir/import/%' AND (ll_state <> 2 OR ll_error IS NOT NULL)")
    if printf '%s\n' "$errors" | grep -qF "$dir/import/"; then
        printf '%s\n' "$errors" >&2
        die "load: the bulk loader reported errors"
    fi
    for f in "$@"; do
        name=$(basename "$f")
        echo "virtuoso.sh: loaded $name" >&2
    done
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
shift 2
case "$cmd" in
    start) [ $# -eq 0 ] || usage; cmd_start "$dir" ;;
    stop) [ $# -eq 0 ] || usage; cmd_stop "$dir" ;;
    isql) cmd_isql "$dir" "$@" ;;
    load) cmd_load "$dir" "$@" ;;
    ports) print_ports "$(cd "$dir" && pwd -P)" ;;
    status) running_pid "$(cd "$dir" && pwd -P)" >/dev/null ;;
    *) usage ;;
esac
