//! The documentation stays true: every ontology term and measure is in the reference, every
//! example query in docs/ontology.md and the README's first command run and return rows.

use ffkg::data::dataset::Dataset;
use ffkg::data::prebuilt::Prebuilt;
use ffkg::sparql::{Settings, Source};
use oxigraph::sparql::QueryResults;
use std::path::PathBuf;

fn read(path: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The number of solutions (or triples) a query returns on the embedded graph.
fn rows(origin: &str, query: &str) -> usize {
    let dataset = Dataset::from_prebuilt(Prebuilt::get());
    let source = Source {
        origin: origin.into(),
        text: query.into(),
    };
    let prepared = Settings::default()
        .prepare_query(&source, None)
        .unwrap_or_else(|e| panic!("{e}"));
    match dataset
        .query(prepared, origin)
        .unwrap_or_else(|e| panic!("{e}"))
    {
        QueryResults::Solutions(s) => s.inspect(|s| assert!(s.is_ok(), "{s:?}")).count(),
        QueryResults::Graph(t) => t.inspect(|t| assert!(t.is_ok(), "{t:?}")).count(),
        QueryResults::Boolean(b) => usize::from(b),
    }
}

/// The fenced blocks of a language in a Markdown text.
fn blocks<'a>(text: &'a str, language: &str) -> Vec<&'a str> {
    let fence = format!("```{language}\n");
    text.split(&fence)
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .collect()
}

#[test]
fn every_term_and_measure_is_in_the_reference() {
    let reference = read("docs/ontology.md");
    let terms = "SELECT ?t WHERE {
        { GRAPH graph:ontology { ?t rdfs:label ?l } FILTER(STRSTARTS(STR(?t), STR(ff:))) }
        UNION { GRAPH graph:measures { ?t a ff:Measure } } }";
    let dataset = Dataset::from_prebuilt(Prebuilt::get());
    let source = Source {
        origin: "terms".into(),
        text: terms.into(),
    };
    let prepared = Settings::default()
        .prepare_query(&source, None)
        .expect("parses");
    let QueryResults::Solutions(solutions) = dataset.query(prepared, "terms").expect("runs") else {
        panic!("select");
    };
    let prefixes = ffkg::sparql::prefixes::PrefixMap::default();
    let mut missing = Vec::new();
    let mut count = 0;
    for solution in solutions {
        let solution = solution.expect("evaluates");
        let Some(oxigraph::model::Term::NamedNode(term)) = solution.get("t") else {
            continue;
        };
        count += 1;
        let short = prefixes.shorten(term.as_str()).expect("a prefixed name");
        if !reference.contains(&format!("`{short}`")) {
            missing.push(short);
        }
    }
    assert!(count > 100, "only {count} terms");
    assert!(missing.is_empty(), "not in docs/ontology.md: {missing:?}");
}

#[test]
fn every_example_query_returns_rows() {
    let doc = read("docs/ontology.md");
    let examples = blocks(&doc, "sparql");
    assert!(examples.len() >= 10, "only {} examples", examples.len());
    for (i, query) in examples.iter().enumerate() {
        let n = rows(&format!("docs/ontology.md example {}", i + 1), query);
        assert!(n > 0, "example {} returns nothing:\n{query}", i + 1);
    }
}

#[test]
fn the_readme_query_returns_ten_countries() {
    let readme = read("README.md");
    let first = blocks(&readme, "sh")[0];
    let command = first
        .lines()
        .find(|l| l.starts_with("cargo run --release -- query -e '"))
        .expect("the README opens with a query command");
    let query = command
        .trim_start_matches("cargo run --release -- query -e '")
        .trim_end_matches('\'');
    assert_eq!(rows("README", query), 10);
}

#[test]
fn the_readme_lists_every_library_query() {
    let readme = read("README.md");
    let missing: Vec<&str> = ffkg::library::LIBRARY
        .iter()
        .map(|q| q.name)
        .filter(|name| !readme.contains(&format!("| `{name}` |")))
        .collect();
    assert!(
        missing.is_empty(),
        "library queries missing from the README: {missing:?}"
    );
}

#[test]
fn the_readme_has_each_heading_once() {
    // A bad splice once copied half the README after itself; nothing else would have noticed.
    let readme = read("README.md");
    let mut seen = std::collections::HashSet::new();
    let mut fence = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            fence = !fence;
        }
        if !fence && line.starts_with('#') {
            assert!(seen.insert(line), "the README has {line:?} twice");
        }
    }
}
