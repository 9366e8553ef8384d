"""The peer's side of benches/kg/compare.py: what `ffkg query --no-embedded --data FILE QUERY`
does, done with pyoxigraph in memory — load the file into a Store, run the query, write the
results as TSV to stdout.

    python pyoxigraph_job.py FILE QUERY
"""
import sys

from pyoxigraph import QueryResultsFormat, RdfFormat, Store


def main():
    path, query_path = sys.argv[1], sys.argv[2]
    store = Store()
    fmt = RdfFormat.N_TRIPLES if path.endswith(".nt") else RdfFormat.TURTLE
    store.load(path=path, format=fmt)
    with open(query_path, encoding="utf-8") as f:
        query = f.read()
    store.query(query).serialize(sys.stdout.buffer, QueryResultsFormat.TSV)


if __name__ == "__main__":
    main()
