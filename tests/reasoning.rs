//! Reasoning over the ffkg ontology: the ontology (`ontology/ffkg.ttl`) with a small fixture
//! (`tests/data/reasoning-fixture.ttl`), and the whole embedded graph read from `ontology/` and
//! `data/`, materialised with `ffkg::infer::entailments` and queried through ffkg's own query path
//! with its default prefixes.

use ffkg::data::dataset::Dataset;
use ffkg::infer::{Reasoning, entailments};
use ffkg::sparql::prefixes::PrefixMap;
use ffkg::sparql::{Settings, Source};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, GraphName, NamedNode, Quad, Term, Triple};
use oxigraph::sparql::QueryResults;
use oxigraph::store::Store;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const EX: &str = "https://example.org/fixture/";
const ASSERTED: &str = "https://example.org/graph/asserted";
const INFERRED: &str = "https://example.org/graph/inferred";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn parse_into(graph: &mut Graph, path: &Path) {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(&text) {
        let quad = quad.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        graph.insert(&Triple::from(quad));
    }
}

/// The ontology and the fixture.
fn fixture() -> Graph {
    let mut graph = Graph::new();
    parse_into(&mut graph, &root().join("ontology/ffkg.ttl"));
    parse_into(&mut graph, &root().join("tests/data/reasoning-fixture.ttl"));
    graph
}

/// Every Turtle file of the embedded graph (the ontology and the data, not the shapes).
fn embedded() -> Graph {
    fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.extension().is_some_and(|e| e == "ttl")
                && !path.ends_with("ontology/shapes.ttl")
            {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    collect(&root().join("ontology"), &mut files);
    collect(&root().join("data"), &mut files);
    let mut graph = Graph::new();
    for file in files {
        parse_into(&mut graph, &file);
    }
    graph
}

/// A store with the asserted triples in a named graph of their own, the inferred ones in
/// another, and both in the default graph, as ffkg lays out its dataset.
fn dataset(asserted: &Graph, inferred: &Graph) -> Dataset {
    let store = Store::new().expect("in-memory store");
    for (graph, name) in [(asserted, ASSERTED), (inferred, INFERRED)] {
        let name = NamedNode::new(name).expect("graph IRI");
        let quads = graph.iter().flat_map(|t| {
            let t = t.into_owned();
            [
                Quad::new(
                    t.subject.clone(),
                    t.predicate.clone(),
                    t.object.clone(),
                    name.clone(),
                ),
                Quad::new(t.subject, t.predicate, t.object, GraphName::DefaultGraph),
            ]
        });
        store.extend(quads).expect("load");
    }
    Dataset::from_store(store)
}

fn reasoned(asserted: &Graph, level: Reasoning) -> (Graph, Dataset) {
    let inferred = entailments(asserted, level, &mut |_| {});
    let dataset = dataset(asserted, &inferred);
    (inferred, dataset)
}

/// Runs a SELECT through ffkg's path and returns the first variable's values.
fn select(dataset: &Dataset, query: &str) -> BTreeSet<String> {
    let settings = Settings {
        prefixes: PrefixMap::default(),
        base_iri: None,
        timeout: None,
        lint: false,
    };
    let source = Source {
        origin: "test".to_owned(),
        text: format!("PREFIX ex: <{EX}>\n{query}"),
    };
    let prepared = settings
        .prepare_query(&source, None)
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    let QueryResults::Solutions(solutions) = dataset.query(prepared, "test").expect("query runs")
    else {
        panic!("{query}: not a SELECT");
    };
    solutions
        .map(|s| {
            let s = s.expect("solution");
            match s.values().first().cloned().flatten() {
                Some(Term::NamedNode(n)) => n
                    .as_str()
                    .strip_prefix(EX)
                    .map_or_else(|| n.as_str().to_owned(), |local| format!("ex:{local}")),
                Some(Term::Literal(l)) => l.value().to_owned(),
                Some(other) => other.to_string(),
                None => String::new(),
            }
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn count(dataset: &Dataset, query: &str) -> usize {
    let values = select(dataset, query);
    let value = values.iter().next().expect("a count");
    value.parse().unwrap_or_else(|e| panic!("{value}: {e}"))
}

#[test]
fn a_subclass_instance_is_found_by_its_superclasses() {
    let (_, dataset) = reasoned(&fixture(), Reasoning::Rdfs);
    for class in [
        "ff:Organization",
        "foaf:Organization",
        "schema:Organization",
        "ff:Agent",
    ] {
        let found = select(&dataset, &format!("SELECT ?x WHERE {{ ?x a {class} }}"));
        assert!(
            found.contains("ex:group"),
            "ex:group is not a {class}: {found:?}"
        );
        assert!(
            found.contains("ex:institute"),
            "ex:institute is not a {class}: {found:?}"
        );
    }
    // Types come from domains and ranges too.
    let organizations = select(&dataset, "SELECT ?x WHERE { ?x a ff:Organization }");
    for x in ["ex:parent-group", "ex:province", "ex:cell"] {
        assert!(
            organizations.contains(x),
            "{x} missing from {organizations:?}"
        );
    }
    let people = select(&dataset, "SELECT ?x WHERE { ?x a ff:Person }");
    assert_eq!(people, set(&["ex:fighter"]));
    // And not beyond what the ontology says.
    let groups = select(&dataset, "SELECT ?x WHERE { ?x a ff:ExtremistGroup }");
    assert_eq!(groups, set(&["ex:group"]));
}

#[test]
fn without_reasoning_only_the_asserted_type() {
    let (inferred, dataset) = reasoned(&fixture(), Reasoning::None);
    assert!(inferred.is_empty());
    let organizations = select(&dataset, "SELECT ?x WHERE { ?x a ff:Organization }");
    assert!(organizations.is_empty(), "{organizations:?}");
}

#[test]
fn inverse_relations_are_answered_both_ways() {
    let (_, dataset) = reasoned(&fixture(), Reasoning::Owl);
    let published = select(&dataset, "SELECT ?d WHERE { ex:institute ff:published ?d }");
    assert_eq!(published, set(&["ex:report"]));
    let publisher = select(&dataset, "SELECT ?o WHERE { ex:report ff:publisher ?o }");
    assert_eq!(publisher, set(&["ex:institute"]));
    let cited_by = select(&dataset, "SELECT ?d WHERE { ex:article ff:citedBy ?d }");
    assert_eq!(cited_by, set(&["ex:report"]));
    let cites = select(&dataset, "SELECT ?d WHERE { ex:survey ff:cites ?d }");
    assert_eq!(cites, set(&["ex:other-report"]));
    let in_region = select(&dataset, "SELECT ?r WHERE { ex:tunisia ff:inRegion ?r }");
    assert_eq!(in_region, set(&["ex:maghreb"]));
    let members = select(&dataset, "SELECT ?m WHERE { ex:group ff:hasMember ?m }");
    assert_eq!(members, set(&["ex:fighter"]));
    // The superproperty of the inverse holds too (ff:cites ⊑ dcterms:references).
    let references = select(
        &dataset,
        "SELECT ?d WHERE { ex:survey dcterms:references ?d }",
    );
    assert_eq!(references, set(&["ex:other-report"]));
    // RDFS alone does not read owl:inverseOf.
    let (_, rdfs) = reasoned(&fixture(), Reasoning::Rdfs);
    let published = select(&rdfs, "SELECT ?d WHERE { ex:institute ff:published ?d }");
    assert!(published.is_empty(), "{published:?}");
}

#[test]
fn sub_organization_of_is_transitive() {
    let (_, dataset) = reasoned(&fixture(), Reasoning::Owl);
    let parents = select(
        &dataset,
        "SELECT ?o WHERE { ex:cell ff:subOrganizationOf ?o }",
    );
    assert_eq!(parents, set(&["ex:province", "ex:group"]));
    let children = select(
        &dataset,
        "SELECT ?o WHERE { ex:group ff:hasSubOrganization ?o }",
    );
    assert_eq!(children, set(&["ex:province", "ex:cell"]));
    let schema = select(
        &dataset,
        "SELECT ?o WHERE { ex:cell schema:parentOrganization ?o }",
    );
    assert_eq!(schema, set(&["ex:province", "ex:group"]));
    // ff:inCountry ⊑ ff:locatedIn, which is transitive.
    let within = select(&dataset, "SELECT ?o WHERE { ex:medina ff:locatedIn ?o }");
    assert_eq!(within, set(&["ex:tunis", "ex:tunisia"]));
}

#[test]
fn every_triple_counts_once() {
    for level in [Reasoning::Rdfs, Reasoning::Owl] {
        let asserted = fixture();
        let (inferred, dataset) = reasoned(&asserted, level);
        assert!(!inferred.is_empty());
        for triple in &inferred {
            assert!(!asserted.contains(triple), "{level}: {triple} is asserted");
        }
        let all = count(&dataset, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }");
        let distinct = count(
            &dataset,
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }",
        );
        assert_eq!(
            all, distinct,
            "{level}: the default graph counts a triple twice"
        );
        assert_eq!(all, asserted.len() + inferred.len(), "{level}");
        let in_inferred = count(
            &dataset,
            &format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}"),
        );
        assert_eq!(in_inferred, inferred.len(), "{level}");
        // GRAPH tells an asserted type from an inferred one.
        let graphs = select(
            &dataset,
            "SELECT ?g WHERE { GRAPH ?g { ex:group a ff:Organization } }",
        );
        assert_eq!(graphs, set(&[INFERRED]), "{level}");
    }
}

#[test]
fn the_embedded_graph_is_closed_and_consistent() {
    let asserted = embedded();
    assert!(
        asserted.len() > 1000,
        "only {} embedded triples",
        asserted.len()
    );
    let mut progress = Vec::new();
    let inferred = entailments(&asserted, Reasoning::Owl, &mut |n| progress.push(n));
    assert_eq!(progress.last().copied(), Some(asserted.len() as u64));
    assert!(
        progress.windows(2).all(|w| w[0] <= w[1]),
        "progress goes back"
    );
    for triple in &inferred {
        assert!(!asserted.contains(triple), "{triple} is asserted");
    }
    // A fixpoint: reasoning over asserted + inferred adds nothing more.
    let mut all = asserted.clone();
    for triple in &inferred {
        all.insert(triple);
    }
    let again = entailments(&all, Reasoning::Owl, &mut |_| {});
    assert!(
        again.is_empty(),
        "{} more triples the second time",
        again.len()
    );

    let dataset = dataset(&asserted, &inferred);
    // Every kind of organization is an ff:Organization, and nothing else is.
    let organizations = count(
        &dataset,
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ff:Organization }",
    );
    let kinds = count(
        &dataset,
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?k . ?k rdfs:subClassOf ff:Organization }",
    );
    assert!(organizations > 0);
    assert_eq!(organizations, kinds);
    let groups = count(
        &dataset,
        "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ff:ExtremistGroup }",
    );
    let missing = select(
        &dataset,
        "SELECT ?x WHERE { ?x a ff:ExtremistGroup FILTER NOT EXISTS { ?x a schema:Organization } }",
    );
    assert!(groups > 0 && missing.is_empty(), "{missing:?}");
    // Every ff:publisher has its ff:published, both ways.
    let unpaired = count(
        &dataset,
        "SELECT (COUNT(*) AS ?n) WHERE { { ?d ff:publisher ?o FILTER NOT EXISTS { ?o ff:published ?d } }
           UNION { ?o ff:published ?d FILTER NOT EXISTS { ?d ff:publisher ?o } } }",
    );
    assert_eq!(unpaired, 0);
    // No blank node is typed by inference with a class expression.
    let blank_types = count(
        &dataset,
        &format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED}> {{ ?x a ?c FILTER isBlank(?c) }} }}"
        ),
    );
    assert_eq!(blank_types, 0);
}
