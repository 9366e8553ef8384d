#!/usr/bin/env python3
"""Writes a synthetic graph of the shape of ffkg's: countries, organizations, people, reports
and figures (about a country, of a measure, stated in a report, with bounds, a date and a quote),
under ffkg's ontology but in a namespace of its own, so it never merges with the embedded graph.

    benches/kg/generate.py TRIPLES OUT.nt [OUT.ttl]

Deterministic: the same TRIPLES gives the same bytes (a fixed-seed generator, no clock). About
90% of the triples are figures' (nine each); the rest describe the things they point at.
"""
import random
import sys

FF = "https://w3id.org/ffkg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
BASE = "http://bench.ffkg.example/id/"
MEASURES = ["foreignFighters", "returnees", "women", "minors", "deaths", "arrests",
            "prosecutions", "departures"]
QUALIFIERS = ["Exact", "Approximately", "MoreThan", "AtLeast", "Range", "Nearly"]
WORDS = ["fighters", "travelled", "returned", "officials", "estimated", "government",
         "reported", "figure", "least", "joined", "conflict", "region", "according", "Syria",
         "Iraq", "citizens", "authorities", "some", "about", "more", "than"]


def iri(value):
    return f"<{value}>"


def lit(value, datatype=None, lang=None):
    text = value.replace("\\", "\\\\").replace('"', '\\"')
    if lang:
        return f'"{text}"@{lang}'
    if datatype:
        return f'"{text}"^^<{XSD}{datatype}>'
    return f'"{text}"'


def generate(total):
    rnd = random.Random(20261202)
    figures = max(1, total * 9 // 10 // 9)
    countries = max(5, min(250, figures // 20))
    organizations = max(5, figures // 50)
    people = max(5, figures // 25)
    reports = max(3, figures // 40)
    out = []
    add = lambda s, p, o: out.append((s, p, o))
    for c in range(countries):
        s = iri(f"{BASE}country/C{c:03d}")
        add(s, iri(RDF + "type"), iri(FF + "Country"))
        add(s, iri(RDFS + "label"), lit(f"Country {c}", lang="en"))
        add(s, iri(FF + "iso3166Alpha3"), lit(f"C{c:03d}"))
    for o in range(organizations):
        s = iri(f"{BASE}organization/org-{o}")
        kind = ["ExtremistGroup", "GovernmentBody", "ResearchOrganization", "NewsOutlet"][o % 4]
        add(s, iri(RDF + "type"), iri(FF + kind))
        add(s, iri(RDFS + "label"), lit(f"Organization {o}", lang="en"))
        if o > 3:
            parent = rnd.randrange(0, o)
            add(s, iri(FF + "subOrganizationOf"), iri(f"{BASE}organization/org-{parent}"))
    for p in range(people):
        s = iri(f"{BASE}person/p-{p}")
        add(s, iri(RDF + "type"), iri(FF + "Person"))
        add(s, iri(RDFS + "label"), lit(f"Person {p}", lang="en"))
        add(s, iri(FF + "memberOf"), iri(f"{BASE}organization/org-{rnd.randrange(organizations)}"))
        if p % 3 == 0:
            add(s, iri(FF + "nationality"), iri(f"{BASE}country/C{rnd.randrange(countries):03d}"))
    for r in range(reports):
        s = iri(f"{BASE}report/r-{r}")
        add(s, iri(RDF + "type"), iri(FF + "Report"))
        add(s, iri(RDFS + "label"), lit(f"Report {r}", lang="en"))
        add(s, iri(FF + "publisher"), iri(f"{BASE}organization/org-{rnd.randrange(organizations)}"))
        add(s, iri(FF + "published"), lit(f"{2013 + r % 8}-{1 + r % 12:02d}-01", "date"))
    while len(out) < total:
        f = len(out)
        s = iri(f"{BASE}figure/f-{f}")
        low = rnd.randrange(1, 5000)
        country = rnd.randrange(countries)
        add(s, iri(RDF + "type"), iri(FF + "Figure"))
        add(s, iri(FF + "about"), iri(f"{BASE}country/C{country:03d}"))
        add(s, iri(FF + "measure"), iri(f"{BASE}measure/{MEASURES[rnd.randrange(len(MEASURES))]}"))
        add(s, iri(FF + "lowerBound"), lit(str(low), "integer"))
        add(s, iri(FF + "upperBound"), lit(str(low + rnd.randrange(0, 500)), "integer"))
        add(s, iri(FF + "qualifier"), iri(FF + QUALIFIERS[rnd.randrange(len(QUALIFIERS))]))
        add(s, iri(FF + "asOf"), lit(f"{2014 + rnd.randrange(6)}-{1 + rnd.randrange(12):02d}", "gYearMonth"))
        add(s, iri(FF + "statedIn"), iri(f"{BASE}report/r-{rnd.randrange(reports)}"))
        words = " ".join(rnd.choice(WORDS) for _ in range(8 + rnd.randrange(8)))
        add(s, iri(FF + "quote"), lit(f"{low} {words}."))
    return out[:total]


def turtle(triples):
    prefixes = {FF: "ff:", RDF: "rdf:", RDFS: "rdfs:", XSD: "xsd:"}
    lines = [f"@prefix {p} <{n}> ." for n, p in prefixes.items()]
    lines.append("")
    last = None
    for s, p, o in triples:
        def short(term):
            for n, pre in prefixes.items():
                if term.startswith(f"<{n}") and term[len(n) + 1:-1].isalnum():
                    return pre + term[len(n) + 1:-1]
            if term.startswith('"') and term.endswith(f"^^<{XSD}integer>"):
                return term[1:term.index('"', 1)]
            return term
        if s == last:
            lines[-1] += " ;"
            lines.append(f"    {short(p)} {short(o)}")
        else:
            if last is not None:
                lines[-1] += " ."
            lines.append(f"{s} {short(p)} {short(o)}")
        last = s
    lines[-1] += " ."
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) not in (3, 4) or not sys.argv[1].isdigit():
        sys.exit("usage: generate.py TRIPLES OUT.nt [OUT.ttl]")
    triples = generate(int(sys.argv[1]))
    with open(sys.argv[2], "w", encoding="utf-8") as nt:
        for s, p, o in triples:
            nt.write(f"{s} {p} {o} .\n")
    if len(sys.argv) == 4:
        with open(sys.argv[3], "w", encoding="utf-8") as ttl:
            ttl.write(turtle(triples))


if __name__ == "__main__":
    main()
