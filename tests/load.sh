#!/usr/bin/env bash
# The endpoint under load: `ffkg serve` on a free loopback port and wrk with 64 connections for
# SECONDS (default 60), each cycling through queries (SELECT, aggregate, ASK), a resource page,
# the VoID and the service descriptions (tests/load/mix.lua). Fails on any response that is not
# 2xx and on any socket error (a response may take up to 30 s: the check is errors, not speed); prints requests/s, p99 latency and the server's peak memory.
#
#   tests/load.sh [SECONDS] [FFKG]      (defaults: 60, target/release/ffkg)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
ffkg=${2:-target/release/ffkg}
[ -x "$ffkg" ] || { echo "no binary at $ffkg (cargo build --release)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
log=$(mktemp)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$ffkg" serve --bind "127.0.0.1:$port" 2>"$log" &
pid=$!
trap 'kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 300); do
    grep -q "listening on" "$log" && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
done
result=$(wrk -t2 -c64 -d"${seconds}s" --timeout 30s -s tests/load/mix.lua "http://127.0.0.1:$port/" |
    grep '^WRK_RESULT ')
peak=$(awk '/VmHWM/ {printf "%dMiB", $2 / 1024}' "/proc/$pid/status")
kill -TERM "$pid"
wait "$pid"
trap 'rm -f "$log"' EXIT
field() { sed -E "s/.* $1=([0-9]+).*/\1/" <<<"$result"; }
requests=$(field requests)
errors=$(($(field non2xx) + $(field connect) + $(field read) + $(field write) + $(field timeout)))
echo "$result peak=$peak"
[ "$requests" -gt 0 ] || { echo "no request was answered" >&2; exit 1; }
if [ "$errors" -ne 0 ]; then
    echo "errors under load: $result" >&2
    exit 1
fi
echo "64 connections for ${seconds} s: $requests requests ($((requests / seconds))/s), p99 $(($(field p99_us) / 1000)) ms, 0 errors, server peak $peak"
exit 0
