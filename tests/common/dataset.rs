//! A dataset opened in the test's own process (the library, not the binary): its SELECT rows
//! and its dump, sorted, to compare two ways of building the same data.

use ffkg::data::dataset::Dataset;
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

/// Every quad as N-Quads, the default graph whole (however a dump would write it), sorted,
/// blank nodes all written `_:b`: a file parsed twice gets new labels each time.
pub fn dump(dataset: &Dataset) -> Vec<String> {
    let names = dataset.named_graph_names().expect("graph names");
    let graphs = std::iter::once(None).chain(names.iter().map(Some));
    let mut lines: Vec<String> = graphs
        .flat_map(|g| dataset.graph_quads(g).expect("quads"))
        .map(|q| {
            q.expect("a quad")
                .to_string()
                .split(' ')
                .map(|w| if w.starts_with("_:") { "_:b" } else { w })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    lines.sort();
    lines
}
