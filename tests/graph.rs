//! Fidelity of the embedded graph: quotes occur in their documents, figures are complete, the
//! shapes hold, no triple is stated in two files, and both Soufan tables are complete.

use ffkg::data::dataset::Dataset;
use ffkg::data::prebuilt::Prebuilt;
use ffkg::infer::Reasoning;
use ffkg::sparql::{Settings, Source};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, Triple};
use oxigraph::sparql::QueryResults;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a SELECT on the embedded graph without reasoning; each row maps variable names to plain
/// strings (IRIs, literal values).
fn select(query: &str) -> Vec<HashMap<String, String>> {
    select_at(Reasoning::None, query)
}

fn select_at(level: Reasoning, query: &str) -> Vec<HashMap<String, String>> {
    let dataset = Dataset::from_prebuilt(Prebuilt::with_reasoning(level));
    let source = Source {
        origin: "test".into(),
        text: query.into(),
    };
    let prepared = Settings::default()
        .prepare_query(&source, None)
        .expect("the test query parses");
    let QueryResults::Solutions(solutions) = dataset.query(prepared, "test").expect("runs") else {
        panic!("not a SELECT");
    };
    solutions
        .map(|s| {
            let s = s.expect("evaluates");
            s.iter()
                .map(|(v, t)| {
                    let text = match t {
                        Term::NamedNode(n) => n.as_str().to_owned(),
                        Term::Literal(l) => l.value().to_owned(),
                        other => other.to_string(),
                    };
                    (v.as_str().to_owned(), text)
                })
                .collect()
        })
        .collect()
}

/// Whitespace collapsed and end-of-line hyphenation undone ("lit-\ntle" → "little"), or kept
/// ("lit-tle"), as the conventions allow a quote either way.
fn normalise(text: &str, join_hyphens: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '-' {
            // A hyphen followed by spaces and a line break joins the two halves of a word.
            let mut lookahead = chars.clone();
            let mut saw_newline = false;
            while let Some(&n) = lookahead.peek() {
                if n == '\n' {
                    saw_newline = true;
                } else if !n.is_whitespace() {
                    break;
                }
                lookahead.next();
            }
            if saw_newline && out.chars().last().is_some_and(char::is_alphanumeric) {
                chars = lookahead;
                if !join_hyphens {
                    out.push('-');
                }
                continue;
            }
        }
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

#[test]
fn every_quote_occurs_in_its_source_document() {
    let seeds = root().join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!(
            "SKIPPED: the source documents are not at {}; the quote test needs them",
            seeds.display()
        );
        return;
    }
    let rows = select(
        "SELECT ?item ?quote ?file WHERE {
           ?item ff:quote ?quote ; ff:statedIn ?doc . ?doc ff:sourceFile ?file }",
    );
    assert!(rows.len() > 300, "only {} quotes found", rows.len());
    let mut documents: HashMap<String, (String, String)> = HashMap::new();
    let mut missing = Vec::new();
    for row in &rows {
        let file = &row["file"];
        let (joined, kept) = documents.entry(file.clone()).or_insert_with(|| {
            let text =
                std::fs::read_to_string(seeds.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            (normalise(&text, true), normalise(&text, false))
        });
        let quote = &row["quote"];
        let found = [normalise(quote, true), normalise(quote, false)]
            .iter()
            .any(|q| joined.contains(q.as_str()) || kept.contains(q.as_str()));
        if !found {
            missing.push(format!("{} ({file}): {quote:?}", row["item"]));
        }
    }
    assert!(
        missing.is_empty(),
        "quotes not in their documents:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_item_with_a_quote_is_stated_in_a_source_document() {
    let rows = select(
        "SELECT ?item WHERE { ?item ff:quote ?q .
           FILTER NOT EXISTS { ?item ff:statedIn ?doc . ?doc ff:sourceFile ?file } }",
    );
    assert!(rows.is_empty(), "{rows:?}");
}

#[test]
fn every_figure_has_measure_subject_qualifier_source_and_bounds() {
    let figures = select("SELECT (COUNT(*) AS ?n) WHERE { ?f a ff:Figure }");
    let count: usize = figures[0]["n"].parse().expect("a number");
    assert!(count > 300, "only {count} figures");
    let incomplete = select(
        "SELECT ?f WHERE { ?f a ff:Figure .
           FILTER (NOT EXISTS { ?f ff:measure ?m } || NOT EXISTS { ?f ff:about ?a }
                || NOT EXISTS { ?f ff:qualifier ?q } || NOT EXISTS { ?f ff:statedIn ?d }
                || NOT EXISTS { ?f ff:printedValue ?v } || NOT EXISTS { ?f ff:quote ?t }) }",
    );
    assert!(incomplete.is_empty(), "incomplete figures: {incomplete:?}");
    // The bounds are exactly what the qualifier implies.
    let wrong = select(
        "SELECT ?f ?q WHERE { ?f a ff:Figure ; ff:qualifier ?q .
           BIND (EXISTS { ?f ff:lowerBound ?l } AS ?hasLower)
           BIND (EXISTS { ?f ff:upperBound ?u } AS ?hasUpper)
           VALUES (?q ?lower ?upper) {
             (ff:Exact true true) (ff:Approximately true true) (ff:Range true true)
             (ff:MoreThan true false) (ff:AtLeast true false)
             (ff:LessThan false true) (ff:AtMost false true) (ff:Nearly false true)
             (ff:Vague false false) }
           FILTER (?hasLower != ?lower || ?hasUpper != ?upper) }",
    );
    assert!(
        wrong.is_empty(),
        "bounds that do not match the qualifier: {wrong:?}"
    );
}

#[test]
fn the_graph_satisfies_its_shapes_and_ontology() {
    let report = ffkg::check::check(&Dataset::from_prebuilt(Prebuilt::with_reasoning(
        Reasoning::None,
    )))
    .expect("runs");
    assert!(
        report.conforms(),
        "{}",
        ffkg::check::render_text(&report, &ffkg::sparql::prefixes::PrefixMap::default())
    );
    assert!(
        report.focus_nodes > 500,
        "{} resources checked",
        report.focus_nodes
    );
}

fn turtle_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            turtle_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "ttl") && !path.ends_with("shapes.ttl") {
            out.push(path);
        }
    }
}

#[test]
fn no_triple_is_stated_in_two_files() {
    let mut files = Vec::new();
    turtle_files(&root().join("ontology"), &mut files);
    turtle_files(&root().join("data"), &mut files);
    let mut seen: HashMap<Triple, PathBuf> = HashMap::new();
    let mut twice = Vec::new();
    for file in &files {
        let text = std::fs::read(file).expect("readable");
        for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(&text) {
            let triple: Triple = quad.expect("parses").into();
            if let Some(first) = seen.insert(triple.clone(), file.clone()) {
                if &first != file {
                    twice.push(format!(
                        "{triple}: {} and {}",
                        first.display(),
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(twice.is_empty(), "{}", twice.join("\n"));
    // The default graph is their union (and, with reasoning, the entailments no file states)
    // and counts each triple once.
    let count = "SELECT (COUNT(*) AS ?all) (COUNT(DISTINCT *) AS ?distinct) WHERE { ?s ?p ?o }";
    let asserted = select_at(Reasoning::None, count);
    assert_eq!(asserted[0]["all"], asserted[0]["distinct"]);
    assert_eq!(asserted[0]["all"], seen.len().to_string());
    let (rdfs, owl_only) = ffkg::data::graph::INFERRED;
    for (level, inferred) in [(Reasoning::Rdfs, rdfs), (Reasoning::Owl, rdfs + owl_only)] {
        let rows = select_at(level, count);
        assert_eq!(rows[0]["all"], rows[0]["distinct"], "{level}");
        assert_eq!(
            rows[0]["all"],
            (seen.len() + inferred).to_string(),
            "{level}"
        );
    }
}

#[test]
fn the_ontology_version_is_the_graph_version() {
    let rows = select("SELECT ?v WHERE { <https://w3id.org/ffkg/ontology> owl:versionInfo ?v }");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["v"], ffkg::data::graph::VERSION);
    assert!(ffkg::cli::VERSION.contains(&format!("graph {}", ffkg::data::graph::VERSION)));
}

/// The order of the columns of the two tables, for comparing a row's values in order.
fn column_rank(column: &str) -> usize {
    match column {
        "FFs" | "TOTAL" => 0,
        c if c.ends_with("(sent back)") => 1,
        "WOMEN" | "WOMEN, CHILDREN" => 1,
        c if c.starts_with("SENTBACK") => 2,
        "CHILDREN" => 2,
        "REMAIN" => 3,
        "RETURNED" => 4,
        other => panic!("unknown column {other}"),
    }
}

#[test]
fn both_soufan_tables_are_complete() {
    // The expected rows were written by reading the report, apart from the Turtle.
    let expected = std::fs::read_to_string(root().join("tests/data/soufan-tables-expected.tsv"))
        .expect("readable");
    let rows = select(
        "SELECT ?table ?row ?subject ?column ?value WHERE {
           ?f ff:inTable ?table ; ff:tableRow ?row ; ff:tableColumn ?column ;
              ff:printedValue ?value ; ff:about ?subject }",
    );
    // (table, row) → (column rank, column, printed value, subject) of each cell.
    type Cells = Vec<(usize, String, String, String)>;
    let mut actual: HashMap<(String, String), Cells> = HashMap::new();
    for r in rows {
        let table = r["table"]
            .trim_start_matches("https://w3id.org/ffkg/id/document/soufan-2017-table-")
            .to_owned();
        actual.entry((table, r["row"].clone())).or_default().push((
            column_rank(&r["column"]),
            r["column"].clone(),
            r["value"].clone(),
            r["subject"].clone(),
        ));
    }
    let prefixes = ffkg::sparql::prefixes::PrefixMap::default();
    let mut problems = Vec::new();
    let mut lines = 0;
    for line in expected.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        lines += 1;
        let fields: Vec<&str> = line.split('\t').collect();
        let [table, row, subject, count, expected_cells] = fields[..] else {
            panic!("bad line {line:?}");
        };
        let Some(mut cells) = actual.remove(&(table.to_owned(), row.to_owned())) else {
            problems.push(format!("{table} / {row}: no figures"));
            continue;
        };
        cells.sort();
        // Each expected cell is "COLUMN: value", in the order of the table's columns: the
        // column is checked as well as the value, so a value placed in the wrong column fails.
        let wanted: Vec<(&str, &str)> = expected_cells
            .split(" | ")
            .map(|cell| {
                cell.split_once(": ")
                    .unwrap_or_else(|| panic!("bad cell {cell:?}"))
            })
            .collect();
        for (column, _) in &wanted {
            column_rank(column); // an unknown column heading panics
        }
        let got: Vec<(&str, &str)> = cells
            .iter()
            .map(|(_, c, v, _)| (c.as_str(), v.as_str()))
            .collect();
        if got != wanted || count.parse::<usize>().ok() != Some(cells.len()) {
            problems.push(format!(
                "{table} / {row}: expected {wanted:?}, graph has {got:?}"
            ));
        }
        let subject = prefixes.expand(subject).expect("a prefixed subject");
        if cells.iter().any(|(_, _, _, s)| *s != subject) {
            problems.push(format!("{table} / {row}: not all about {subject}"));
        }
    }
    for (key, _) in actual {
        problems.push(format!("{key:?}: in the graph but not expected"));
    }
    assert!(lines > 70, "only {lines} expected rows");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn normalising_undoes_line_end_hyphenation_only() {
    assert_eq!(normalise("lit-\n  tle  doubt", true), "little doubt");
    assert_eq!(normalise("lit-\ntle", false), "lit-tle");
    assert_eq!(
        normalise("Euro–\nMediterranean", true),
        "Euro– Mediterranean"
    );
    assert_eq!(normalise("well - known", true), "well - known");
}

#[test]
fn every_country_links_once_to_wikidata_and_to_geonames() {
    // Each linked country has one Wikidata entity and one GeoNames feature, no two countries
    // share one, and only countries carry links out.
    let links = select(
        "SELECT ?c ?o WHERE { GRAPH <https://w3id.org/ffkg/graph/links> { ?c skos:exactMatch ?o } }",
    );
    let countries = select("SELECT ?c WHERE { ?c a ff:Country }");
    let mut wikidata: HashMap<String, String> = HashMap::new();
    let mut geonames: HashMap<String, String> = HashMap::new();
    for row in &links {
        let (c, o) = (&row["c"], &row["o"]);
        assert!(c.starts_with("https://w3id.org/ffkg/id/country/"), "{c}");
        let site = if let Some(q) = o.strip_prefix("http://www.wikidata.org/entity/Q") {
            assert!(q.bytes().all(|b| b.is_ascii_digit()), "{o}");
            &mut wikidata
        } else if let Some(id) = o.strip_prefix("http://sws.geonames.org/") {
            let id = id
                .strip_suffix('/')
                .expect("a GeoNames RDF IRI ends with /");
            assert!(id.bytes().all(|b| b.is_ascii_digit()), "{o}");
            &mut geonames
        } else {
            panic!("a link to neither Wikidata nor GeoNames: {o}");
        };
        assert!(
            site.insert(c.clone(), o.clone()).is_none(),
            "{c} linked twice"
        );
    }
    for site in [&wikidata, &geonames] {
        let mut targets: Vec<&String> = site.values().collect();
        targets.sort();
        targets.dedup();
        assert_eq!(targets.len(), site.len(), "two countries share a link");
    }
    let unlinked: Vec<&str> = countries
        .iter()
        .map(|r| r["c"].as_str())
        .filter(|c| !wikidata.contains_key(*c) || !geonames.contains_key(*c))
        .collect();
    // The two the source dataset has no row for.
    assert_eq!(
        unlinked.len(),
        2,
        "{unlinked:?}: every other country is linked"
    );
    assert!(
        unlinked
            .iter()
            .all(|c| c.ends_with("/XKX") || c.ends_with("/SUN"))
    );
    // Tunisia, checked by hand against the source row.
    assert_eq!(
        wikidata["https://w3id.org/ffkg/id/country/TUN"],
        "http://www.wikidata.org/entity/Q948"
    );
    assert_eq!(
        geonames["https://w3id.org/ffkg/id/country/TUN"],
        "http://sws.geonames.org/2464461/"
    );
}
