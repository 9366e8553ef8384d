//! A dataset opened in the test's own process (the library, not the binary): its SELECT rows
//! and its dump, sorted, to compare two ways of building the same data.

use ffkg::data::dataset::Dataset;
use ffkg::output::format::Format;
use ffkg::sparql::prefixes::PrefixMap;
use ffkg::sparql::{Settings, Source};
use oxigraph::sparql::QueryResults;

/// Sorted rows of a SELECT, each `?var=term …` in N-Triples syntax.
pub fn rows(dataset: &Dataset, query: &str) -> Vec<String> {
    let source = Source {
        origin: "test".into(),
        text: query.into(),
    };
    let prepared = Settings::default()
        .prepare_query(&source, None)
        .expect("parses");
    let QueryResults::Solutions(solutions) = dataset.query(prepared, "test").expect("runs") else {
        panic!("a SELECT");
    };
    let mut rows: Vec<String> = solutions
        .map(|s| {
            s.expect("evaluates")
                .iter()
                .map(|(v, t)| format!("{v}={t}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    rows.sort();
    rows
}

/// Every quad as N-Quads, sorted, blank nodes all written `_:b`: a file parsed twice gets new
/// labels each time.
pub fn dump(dataset: &Dataset) -> Vec<String> {
    let mut out = Vec::new();
    dataset
        .write(
            Format::Nquads,
            &PrefixMap::default(),
            "test",
            &mut out,
            true,
        )
        .expect("writes");
    let mut lines: Vec<String> = String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(|l| {
            l.split(' ')
                .map(|w| if w.starts_with("_:") { "_:b" } else { w })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    lines.sort();
    lines
}
