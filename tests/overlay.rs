//! The embedded graph with a user's files on top (queried together without copying) answers
//! exactly as the same data copied into one store does, at every reasoning level.

mod common;

use common::dataset::{dump, rows};
use ffkg::data::dataset::Dataset;
use ffkg::data::graph::DatasetSpec;
use ffkg::infer::Reasoning;
use ffkg::sparql::{Settings, Source};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn spec(embedded: bool, level: Reasoning) -> DatasetSpec {
    DatasetSpec {
        embedded,
        data: vec![fixture("overlay.ttl")],
        named: vec![fixture("sample.trig")],
        data_format: None,
        reasoning: level,
    }
}

/// The same dataset, copied into one oxigraph store.
fn copied(embedded: bool, level: Reasoning) -> Dataset {
    Dataset::from_store(ffkg::data::graph::build(&spec(embedded, level)).expect("builds"))
}

const QUERIES: &[&str] = &[
    "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT *) AS ?d) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT ?label WHERE { country:TUN rdfs:label ?label }",
    "SELECT ?who WHERE { organization:islamic-state ff:hasMember ?who }",
    "SELECT ?class WHERE { <http://example.org/new-group> a ?class }",
    "SELECT ?note ?name WHERE { ?c ex:note ?note ; ff:iso3166Alpha3 ?name }",
    "SELECT ?s WHERE { GRAPH <http://example.org/graph/people> { ?s a <http://example.org/Person> } }",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:inferred { ?s ?p ?o } }",
];

/// With the embedded graph under them and alone (`--no-embedded`), the files' index answers
/// and dumps as the same files in one store do.
#[test]
fn the_overlay_answers_as_one_store_does() {
    for embedded in [true, false] {
        for level in [Reasoning::None, Reasoning::Rdfs, Reasoning::Owl] {
            compare_with_store(embedded, level);
        }
    }
}

fn compare_with_store(embedded: bool, level: Reasoning) {
    let overlay = Dataset::build(&spec(embedded, level)).expect("builds");
    let store = copied(embedded, level);
    for query in QUERIES {
        let query = format!("PREFIX ex: <http://example.org/>\n{query}");
        let (a, b) = (rows(&overlay, &query), rows(&store, &query));
        assert_eq!(a, b, "embedded {embedded}, {level}: {query}");
    }
    if embedded {
        // The triple the user repeats is counted once.
        let count = rows(
            &overlay,
            "SELECT (COUNT(*) AS ?n) WHERE { country:TUN rdfs:label ?l }",
        );
        assert_eq!(count.len(), 1);
        assert!(
            count[0].ends_with("\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>"),
            "{count:?}"
        );
    }
    // Dumps hold the same quads.
    let (a, b) = (dump(&overlay), dump(&store));
    let first_difference = a.iter().zip(&b).find(|(x, y)| x != y);
    assert!(
        a.len() == b.len() && first_difference.is_none(),
        "embedded {embedded}, {level}: {} quads against {}, first difference \
         {first_difference:?}",
        a.len(),
        b.len()
    );
}

#[test]
fn inverse_relations_reach_from_the_embedded_graph_into_the_files() {
    let owl = Dataset::build(&spec(true, Reasoning::Owl)).expect("builds");
    let members = rows(
        &owl,
        "SELECT ?who WHERE { organization:islamic-state ff:hasMember ?who }",
    );
    assert!(
        members.contains(&"?who=<http://example.org/new-group>".to_owned()),
        "{members:?}"
    );
    assert!(
        members.len() > 1,
        "the embedded graph's members too: {members:?}"
    );
}

#[test]
fn an_update_on_the_overlay_keeps_everything() {
    let mut overlay = Dataset::build(&spec(true, Reasoning::Owl)).expect("builds");
    let before = rows(&overlay, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    let update = Source {
        origin: "test".into(),
        text: "INSERT DATA { <http://example.org/x> a ff:NewsOutlet }".into(),
    };
    let prepared = Settings::default()
        .prepare_update(&update, None)
        .expect("parses");
    overlay.update(prepared, "test").expect("updates");
    let agents = rows(
        &overlay,
        "SELECT ?x WHERE { ?x a ff:Agent FILTER(STRSTARTS(STR(?x), \"http://example.org/\")) }",
    );
    assert_eq!(
        agents,
        vec![
            "?x=<http://example.org/new-group>".to_owned(),
            "?x=<http://example.org/x>".to_owned()
        ]
    );
    let after = rows(&overlay, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
    assert_ne!(before, after);
}
