"""The documents `ffkg serve` publishes for a resource, read by rdflib: each syntax parses, and
all four hold the same graph (isomorphic), as many triples as the N-Triples document has.

    python check_documents.py FILE.ttl FILE.nt FILE.jsonld FILE.rdf ...

Files are grouped by name without the suffix; prints one line per group; exits 1 on a mismatch.
"""

import sys
from collections import defaultdict
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml"}


def main(paths):
    groups = defaultdict(dict)
    for path in map(Path, paths):
        groups[path.with_suffix("")][path.suffix] = path
    failed = False
    for stem, files in sorted(groups.items()):
        graphs = {}
        for suffix, path in files.items():
            graph = Graph()
            graph.parse(path, format=FORMATS[suffix])
            graphs[suffix] = graph
        expected = len(graphs[".nt"])
        sizes = {suffix: len(graph) for suffix, graph in graphs.items()}
        same = all(isomorphic(graphs[".nt"], graph) for graph in graphs.values())
        if not same or any(size != expected for size in sizes.values()) or expected == 0:
            print(f"{stem.name}: the syntaxes differ: {sizes}", file=sys.stderr)
            failed = True
        else:
            print(f"{stem.name}: {expected} triples in each of {', '.join(sorted(sizes))}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
