#!/usr/bin/env python3
"""Warm queries: ffkg and pyoxigraph each with the graph already loaded, the same five queries
asked again and again, side by side in one run; and how fast ffkg streams a large result as CSV.

    benches/kg/warm.py [--sizes 1000000,5000000] [--runs N] [--out FILE.md]

ffkg: `ffkg index` builds the graph's index once, `ffkg serve --index` (on a free loopback port)
answers each query by HTTP POST with `Accept: text/tab-separated-values`, so a run is a request
and its whole answer read. pyoxigraph (from PyPI, in target/bench-venv, run with that venv's own
interpreter): the file bulk-loaded into an in-memory Store once, each run a `store.query` with the
whole result serialized as TSV into memory. Each query runs once to warm up, then --runs times,
the tools alternating query by query; prints min / median / max and the ratio of medians
(ffkg / peer: below 1 is ffkg faster) and checks that both give the same number of rows.

The CSV line: `ffkg query --index … --format csv` on q5 (SELECT * of 120,000 figures and more)
to a file, whole process; MB/s is the output's size over that time.
"""
import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare  # noqa: E402  (the venv, the graphs and the paths are compare.py's)

PEER = r"""
import json, sys, time, io
from pyoxigraph import QueryResultsFormat, RdfFormat, Store
path, runs = sys.argv[1], int(sys.argv[2])
store = Store()
store.bulk_load(path=path, format=RdfFormat.N_TRIPLES)
print("ready", flush=True)
for line in sys.stdin:
    query = json.loads(line)
    times = []
    for run in range(runs + 1):
        start = time.perf_counter()
        out = io.BytesIO()
        store.query(query).serialize(out, QueryResultsFormat.TSV)
        elapsed = time.perf_counter() - start
        if run:
            times.append(elapsed)
    print(json.dumps({"times": times, "rows": out.getvalue().count(b"\n") - 1}), flush=True)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ask(port, query):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/sparql",
        data=query.encode("utf-8"),
        headers={
            "Content-Type": "application/sparql-query",
            "Accept": "text/tab-separated-values",
        },
    )
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read()
    return time.perf_counter() - start, body.count(b"\n") - 1


def serve(index):
    port = free_port()
    server = subprocess.Popen(
        [str(compare.FFKG), "serve", "--index", str(index), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(600):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, port
        except OSError:
            if server.poll() is not None:
                sys.exit(f"ffkg serve stopped: {server.stderr.read().decode()}")
            time.sleep(0.1)
    server.kill()
    sys.exit("ffkg serve did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,5000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out")
    args = parser.parse_args()
    if not compare.FFKG.exists():
        sys.exit("build the release binary first: cargo build --release")
    python = compare.venv_python()
    lines = [
        f"# Warm queries, ffkg serve and pyoxigraph side by side ({date.today()})",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}. Each query once to warm up, then {args.runs} runs, the tools "
        "alternating query by query; ratio = ffkg median / pyoxigraph median.",
        "",
        "| data | query | tool | min | median | max | rows | ratio |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(lines), flush=True)
    csv_lines = []
    for size in [int(s) for s in args.sizes.split(",")]:
        data = compare.graph(size, "nt")
        index = compare.WORK / f"kg{size}.ffx"
        if not index.exists() or index.stat().st_mtime < data.stat().st_mtime:
            subprocess.run([str(compare.FFKG), "index", str(data), "--out", str(index)], check=True)
        peer = subprocess.Popen(
            [python, "-c", PEER, str(data), str(args.runs)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert peer.stdout.readline().strip() == "ready"
        server, port = serve(index)
        try:
            for q in ["q1", "q2", "q3", "q4", "q5"]:
                query = (compare.KG / f"{q}.rq").read_text(encoding="utf-8")
                peer.stdin.write(json.dumps(query) + "\n")
                peer.stdin.flush()
                ours = [ask(port, query) for _ in range(args.runs + 1)][1:]
                theirs = json.loads(peer.stdout.readline())
                times = {"pyoxigraph": theirs["times"], "ffkg serve --index": [t for t, _ in ours]}
                rows = {"pyoxigraph": theirs["rows"], "ffkg serve --index": ours[-1][1]}
                compare.table_rows(lines, data.name, q, times, rows)
                if rows["pyoxigraph"] != rows["ffkg serve --index"]:
                    print(f"warning: the tools gave different row counts for {q}: {rows}")
        finally:
            server.terminate()
            server.wait()
            peer.stdin.close()
            peer.wait()
        out = compare.WORK / f"q5-{size}.csv"
        start = time.perf_counter()
        subprocess.run(
            [str(compare.FFKG), "query", "--index", str(index), "--format", "csv",
             "--output", str(out), str(compare.KG / "q5.rq")],
            check=True,
        )
        elapsed = time.perf_counter() - start
        megabytes = out.stat().st_size / 1e6
        csv_lines.append(
            f"| {data.name} | q5 as CSV | {megabytes:.1f} MB | {compare.fmt(elapsed)} | "
            f"{megabytes / elapsed:.0f} MB/s |"
        )
    lines += ["", "| data | job | output | time (whole process) | rate |", "|---|---|---:|---:|---:|"]
    lines += csv_lines
    print("\n".join(lines[-len(csv_lines) - 2:]), flush=True)
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
