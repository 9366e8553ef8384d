#!/usr/bin/env python3
"""ffkg and pyoxigraph side by side on the same generated files and queries, in one run.

    benches/kg/compare.py [--runs N] [--sizes 10000,1000000] [--out FILE.md]

Builds nothing: it runs target/release/ffkg (build it first: `cargo build --release`). Makes
a venv under target/bench-venv with pyoxigraph from PyPI and runs the peer with that venv's own
interpreter (never a version-manager shim, whose start-up would be counted). Generates the graphs
with benches/kg/generate.py into target/bench-kg (deterministic: the same bytes every time).

Each case is a whole process, timed from start to exit, both tools alternating run by run so a
change in the machine's load falls on both; the first run of each is a warm-up and not counted.
Prints min / median / max and the ratio of medians (ffkg / peer: below 1 is ffkg faster), and
checks that both print the same number of result rows.

Apache Jena's `sparql` (arq, in memory, TSV) runs beside them when `.ci/clients.sh` has written
Jena's classpath to target/jena/classpath (Debian's libapache-jena-java) and `java` is found;
`--no-jena` leaves it out. Its time includes the JVM's start, as a user of its command line has.
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KG = ROOT / "benches" / "kg"
WORK = ROOT / "target" / "bench-kg"
VENV = ROOT / "target" / "bench-venv"
FFKG = ROOT / "target" / "release" / "ffkg"
JENA_CLASSPATH = ROOT / "target" / "jena" / "classpath"


def venv_python():
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "pyoxigraph"], check=True)
    return str(python)


def graph(triples, syntax):
    WORK.mkdir(parents=True, exist_ok=True)
    nt = WORK / f"kg{triples}.nt"
    ttl = WORK / f"kg{triples}.ttl"
    if not nt.exists() or (syntax == "ttl" and not ttl.exists()):
        args = [sys.executable, str(KG / "generate.py"), str(triples), str(nt)]
        if syntax == "ttl":
            args.append(str(ttl))
        subprocess.run(args, check=True)
    return ttl if syntax == "ttl" else nt


def jena_command():
    """`java -cp … arq.sparql` when Jena's classpath and java are there, else None."""
    java = shutil.which("java")
    if java is None or not JENA_CLASSPATH.exists():
        return None
    classpath = JENA_CLASSPATH.read_text(encoding="utf-8").strip()
    return [java, "-cp", classpath, "arq.sparql", "--results", "TSV"]


def timed(command):
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr.decode()}")
    return elapsed, done.stdout.count(b"\n")


def measure(commands, runs):
    times = {name: [] for name in commands}
    rows = {}
    for run in range(runs + 1):
        for name, command in commands.items():
            elapsed, lines = timed(command)
            rows[name] = lines
            if run > 0:
                times[name].append(elapsed)
    return times, rows


def fmt(seconds):
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def table_rows(lines, data, query, times, rows):
    """Adds (and prints) a table row per tool: min, median, max, rows, and the ratio of its
    median to pyoxigraph's."""
    base = statistics.median(times["pyoxigraph"])
    for name, values in times.items():
        median = statistics.median(values)
        ratio = "1" if name == "pyoxigraph" else f"{median / base:.2f}"
        line = (
            f"| {data} | {query} | {name} | {fmt(min(values))} | {fmt(median)} | "
            f"{fmt(max(values))} | {rows[name]} | {ratio} |"
        )
        lines.append(line)
        print(line, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--out")
    parser.add_argument("--no-jena", action="store_true", help="leave Apache Jena out")
    args = parser.parse_args()
    if not FFKG.exists():
        sys.exit("build the release binary first: cargo build --release")
    python = venv_python()
    peer = [python, str(KG / "pyoxigraph_job.py")]
    ffkg = [str(FFKG), "query", "--quiet", "--format", "tsv"]
    jena = None if args.no_jena else jena_command()
    lines = [
        f"# ffkg, pyoxigraph{' and Jena' if jena else ''} side by side ({date.today()})",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}. Whole processes, {args.runs} runs each after one warm-up, "
        "the tools alternating; ratio = the tool's median / pyoxigraph's median.",
        "",
        "| data | query | tool | min | median | max | rows | ratio |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    print("\n".join(lines), flush=True)
    for size in [int(s) for s in args.sizes.split(",")]:
        syntax = "ttl" if size <= 100_000 else "nt"
        data = graph(size, syntax)
        runs = args.runs if size <= 100_000 else max(3, args.runs // 5)
        queries = ["q1"] if size > 100_000 else ["q1", "q2", "q3", "q4", "q5"]
        for q in queries:
            query = str(KG / f"{q}.rq")
            commands = {
                "pyoxigraph": peer + [str(data), query],
                "ffkg --no-embedded": ffkg + ["--no-embedded", "--data", str(data), query],
            }
            if size <= 100_000:
                commands["ffkg (with the embedded graph)"] = ffkg + ["--data", str(data), query]
            if jena:
                commands["Jena arq"] = jena + ["--data", str(data), "--query", query]
            times, rows = measure(commands, runs)
            # (The count of lines includes TSV's header.)
            table_rows(lines, data.name, q, times, {k: v - 1 for k, v in rows.items()})
            # (With the embedded graph, its own figures join the answer: more rows is right.)
            peers = [rows["pyoxigraph"]] + ([rows["Jena arq"]] if jena else [])
            if any(count != rows["ffkg --no-embedded"] for count in peers):
                print(f"warning: the tools printed different row counts for {q}: {rows}")
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
