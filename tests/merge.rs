//! The merge rule for updates on the embedded graph (#11): the default graph stays the merge
//! of the named graphs through every update form. Each test runs `ffkg update` and compares the
//! written dataset with the one a no-op update writes, quad by quad.

mod common;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad, Triple};
use std::collections::HashSet;

const FF: &str = "https://w3id.org/ffkg/ontology#";
const COUNTRY: &str = "https://w3id.org/ffkg/id/country/";
const GRAPH: &str = "https://w3id.org/ffkg/graph/";

/// The dataset after `update`, as N-Quads read back with the default graph the merge of the
/// named graphs, as ffkg reads them (the file holds each triple once, in its named graph).
fn after(update: &str) -> HashSet<Quad> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.nq");
    common::ffkg()
        .args(["update", "--reasoning", "none", "-e", update, "-o"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).expect("written");
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(&bytes)
        .collect::<Result<_, _>>()
        .expect("N-Quads");
    let merged: Vec<Quad> = quads
        .iter()
        .map(|q| Quad {
            graph_name: GraphName::DefaultGraph,
            ..q.clone()
        })
        .collect();
    quads.into_iter().chain(merged).collect()
}

fn before() -> HashSet<Quad> {
    after("CLEAR SILENT GRAPH <urn:nothing>")
}

fn iri(text: &str) -> NamedNode {
    NamedNode::new(text).expect("an IRI")
}

fn graph(name: &str) -> GraphName {
    GraphName::NamedNode(iri(&format!("{GRAPH}{name}")))
}

/// The quads in one and not the other: (removed, added).
fn diff(old: &HashSet<Quad>, new: &HashSet<Quad>) -> (HashSet<Quad>, HashSet<Quad>) {
    (
        old.difference(new).cloned().collect(),
        new.difference(old).cloned().collect(),
    )
}

/// The graphs of some quads.
fn graph_names(quads: &HashSet<Quad>) -> HashSet<GraphName> {
    quads.iter().map(|q| q.graph_name.clone()).collect()
}

/// Every graph that holds `triple`.
fn graphs_of(quads: &HashSet<Quad>, triple: &Triple) -> HashSet<GraphName> {
    quads
        .iter()
        .filter(|q| Triple::from((*q).clone()) == *triple)
        .map(|q| q.graph_name.clone())
        .collect()
}

fn label_of_tunisia() -> Triple {
    Triple::new(
        iri(&format!("{COUNTRY}TUN")),
        iri("http://www.w3.org/2000/01/rdf-schema#label"),
        oxigraph::model::Literal::new_language_tagged_literal("Tunisia", "en").expect("literal"),
    )
}

#[test]
fn delete_where_on_the_default_graph_reaches_every_named_graph() {
    let old = before();
    let new = after("DELETE WHERE { ?d ff:publisher ?o }");
    let (removed, added) = diff(&old, &new);
    assert!(added.is_empty(), "{added:?}");
    let publisher = iri(&format!("{FF}publisher"));
    assert!(removed.iter().all(|q| q.predicate == publisher));
    // Each triple went from the default graph and from the graph that stated it.
    let in_default = removed
        .iter()
        .filter(|q| q.graph_name.is_default_graph())
        .count();
    assert!(in_default >= 17, "{in_default}");
    assert_eq!(removed.len(), in_default * 2);
    assert!(new.iter().all(|q| q.predicate != publisher));
}

#[test]
fn insert_data_into_the_default_graph_lands_in_graph_user() {
    let old = before();
    let new = after("INSERT DATA { country:TUN ff:note \"checked\" }");
    let (removed, added) = diff(&old, &new);
    assert!(removed.is_empty());
    let expected: HashSet<GraphName> = [GraphName::DefaultGraph, graph("user")].into();
    assert_eq!(graph_names(&added), expected);
    assert_eq!(added.len(), 2);
}

#[test]
fn insert_into_a_named_graph_joins_the_default_graph() {
    let old = before();
    let new = after("INSERT DATA { GRAPH <https://example.org/mine> { country:TUN ff:note 1 } }");
    let (removed, added) = diff(&old, &new);
    assert!(removed.is_empty());
    let expected: HashSet<GraphName> = [
        GraphName::DefaultGraph,
        GraphName::NamedNode(iri("https://example.org/mine")),
    ]
    .into();
    assert_eq!(graph_names(&added), expected);
}

#[test]
fn delete_data_from_either_side_removes_the_triple_from_both() {
    let label = label_of_tunisia();
    let old = before();
    assert_eq!(
        graphs_of(&old, &label),
        [GraphName::DefaultGraph, graph("countries")].into()
    );
    for update in [
        "DELETE DATA { country:TUN rdfs:label \"Tunisia\"@en }",
        "DELETE DATA { GRAPH graph:countries { country:TUN rdfs:label \"Tunisia\"@en } }",
        "WITH graph:countries DELETE { ?c rdfs:label \"Tunisia\"@en } WHERE { ?c rdfs:label \"Tunisia\"@en }",
    ] {
        let new = after(update);
        assert!(graphs_of(&new, &label).is_empty(), "{update}");
        let (removed, added) = diff(&old, &new);
        assert_eq!(removed.len(), 2, "{update}");
        assert!(added.is_empty(), "{update}");
    }
}

#[test]
fn using_reads_one_graph_and_the_insert_lands_in_graph_user() {
    let old = before();
    let new = after(
        "INSERT { ?c ff:note \"in countries\" } USING graph:countries WHERE { ?c a ff:Country }",
    );
    let (removed, added) = diff(&old, &new);
    assert!(removed.is_empty());
    let countries = added
        .iter()
        .filter(|q| q.graph_name == graph("user"))
        .count();
    assert_eq!(countries, 89, "one note per country");
    assert_eq!(added.len(), 2 * countries);
}

#[test]
fn clear_and_drop_default_empty_the_merge() {
    for update in ["CLEAR DEFAULT", "DROP DEFAULT"] {
        let new = after(update);
        // The embedded graphs are all part of the merge: nothing is left.
        assert!(new.is_empty(), "{update}: {} quads left", new.len());
    }
}

#[test]
fn copy_move_and_add_default_keep_the_merge_whole() {
    let old = before();
    let default: HashSet<Triple> = old
        .iter()
        .filter(|q| q.graph_name.is_default_graph())
        .map(|q| Triple::from(q.clone()))
        .collect();
    let copy = GraphName::NamedNode(iri("https://example.org/copy"));
    for update in [
        "COPY DEFAULT TO <https://example.org/copy>",
        "ADD DEFAULT TO <https://example.org/copy>",
    ] {
        let new = after(update);
        let (removed, added) = diff(&old, &new);
        assert!(removed.is_empty(), "{update}");
        assert_eq!(added.len(), default.len(), "{update}");
        assert!(added.iter().all(|q| q.graph_name == copy), "{update}");
    }
    // MOVE: the triples are in the new graph (and so in the default graph), and nowhere else.
    let new = after("MOVE DEFAULT TO <https://example.org/copy>");
    assert_eq!(
        graph_names(&new),
        [GraphName::DefaultGraph, copy.clone()].into()
    );
    let moved: HashSet<Triple> = new
        .iter()
        .filter(|q| q.graph_name == copy)
        .map(|q| Triple::from(q.clone()))
        .collect();
    assert_eq!(moved, default);
}

#[test]
fn a_users_named_file_stands_apart_from_the_merge() {
    let sample = common::arg("sample.ttl");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.nq");
    common::ffkg()
        .args(["update", "--reasoning", "none", "--named", &sample])
        .args(["-e", "CLEAR DEFAULT", "-o"])
        .arg(&out)
        .assert()
        .success();
    let bytes = std::fs::read(&out).expect("written");
    let quads: Vec<Quad> = RdfParser::from_format(RdfFormat::NQuads)
        .for_slice(&bytes)
        .collect::<Result<_, _>>()
        .expect("N-Quads");
    assert!(!quads.is_empty(), "the named file's graph is kept");
    assert!(quads.iter().all(|q| match &q.graph_name {
        GraphName::NamedNode(g) => g.as_str().starts_with("file://"),
        _ => false,
    }));
}
