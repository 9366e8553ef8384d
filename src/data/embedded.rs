//! What is compiled in: the embedded graph's files (their paths, named graphs and sizes, from
//! build.rs), the SHACL shapes, the graph's version, and the name of the graph that holds
//! inferred triples.

use crate::sparql::prefixes::GRAPH;
use oxigraph::model::NamedNode;

/// One file of the embedded graph (build.rs prebuilds them all into the prebuilt index).
#[derive(Debug)]
pub struct EmbeddedFile {
    /// Its path in the repository, e.g. `data/countries.ttl`.
    pub path: &'static str,
    /// The local name of its named graph, e.g. `countries`.
    pub graph: &'static str,
    /// How many triples it states.
    pub triples: usize,
}

impl EmbeddedFile {
    pub fn graph_iri(&self) -> NamedNode {
        NamedNode::new_unchecked(format!("{GRAPH}{}", self.graph))
    }
}

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// The SHACL shapes the embedded graph must satisfy (used by `check`, not part of the dataset).
pub const SHAPES: &str = include_str!("../../ontology/shapes.ttl");

/// The version of the embedded graph; a test checks it equals the ontology's owl:versionInfo.
pub const VERSION: &str = "0.2.0";

/// The named graph that holds inferred triples, apart from asserted ones.
pub fn inferred_graph() -> NamedNode {
    NamedNode::new_unchecked(format!("{GRAPH}inferred"))
}
