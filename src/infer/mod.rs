//! Reasoning: materialises, by forward chaining to a fixpoint, the RDFS entailments of a graph and
//! the OWL features the ffkg ontology uses (inverse, transitive and symmetric properties,
//! equivalent classes and properties, `owl:sameAs`), and returns only the triples not already
//! asserted, so a caller can keep them in a graph of their own.
//!
//! This file depends only on `std` and `oxrdf`: build.rs includes it with `#[path]` to
//! materialise the embedded graph's entailments at compile time.
//!
//! The schema (subclass, subproperty, domain, range, inverse … axioms) is read from the input
//! graph itself and closed once; instance triples then go through one pass that applies the
//! closed schema, so the cost is linear in the data except for transitive properties and
//! `owl:sameAs`, whose closures are inherently larger. When inference adds schema triples (a
//! subproperty of `rdfs:subClassOf`, `owl:sameAs` between classes …) the schema is closed again
//! and every triple reprocessed, until nothing changes. docs/reasoning.md lists the rules.
//!
//! Rules implemented (names from RDF 1.1 Semantics and OWL 2 RL):
//! - RDFS: rdf1 (`p a rdf:Property` for every predicate), rdfs2 and rdfs3 (types from domains
//!   and ranges), rdfs5 and rdfs7 (subproperty closure and inheritance), rdfs6 and rdfs10
//!   (reflexive subproperty and subclass, for IRIs), rdfs9 and rdfs11 (subclass inheritance and
//!   closure), rdfs12 (container membership properties are subproperties of `rdfs:member`),
//!   rdfs13 (datatypes are subclasses of `rdfs:Literal`); the RDFS axiomatic triples that type
//!   the vocabulary's own terms are used (so classes are `rdfs:Class` and properties
//!   `rdf:Property`) but not output.
//! - OWL: `owl:inverseOf` (both ways, and symmetric), `owl:SymmetricProperty`,
//!   `owl:TransitiveProperty`, `owl:equivalentClass` and `owl:equivalentProperty` (as mutual
//!   subclass/subproperty, symmetric, and derived back from mutual subclass/subproperty),
//!   `owl:sameAs` (symmetric, transitive, reflexive for the terms it links, substitution in
//!   every position).
//!
//! Left out on purpose: rdfs4a/rdfs4b and rdfs8 (`?x a rdfs:Resource` for every term, every
//! class a subclass of `rdfs:Resource`), the axiomatic triples themselves, `?x owl:sameAs ?x`
//! for terms outside a sameAs class, `owl:Thing` typing, types to or of blank-node class
//! expressions (an `owl:unionOf` range, an `owl:Restriction`), range types of literals (a
//! literal cannot be a subject), datatype reasoning, and the rest of OWL (restrictions,
//! intersections, functional properties, inconsistency detection).

use oxrdf::vocab::{rdf, rdfs};
use oxrdf::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef, TripleRef};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::str::FromStr;

/// How much reasoning to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Reasoning {
    /// No inference: the asserted triples only.
    #[default]
    None,
    /// RDFS: subclass and subproperty closure, types from domains and ranges.
    Rdfs,
    /// RDFS plus the OWL features the ffkg ontology uses: inverse, transitive and symmetric
    /// properties, equivalent classes and properties, `owl:sameAs`.
    Owl,
}

impl Reasoning {
    /// Every level, weakest first.
    pub const ALL: [Self; 3] = [Self::None, Self::Rdfs, Self::Owl];

    /// The name used on the command line and in the REPL: `none`, `rdfs`, `owl`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Rdfs => "rdfs",
            Self::Owl => "owl",
        }
    }
}

impl fmt::Display for Reasoning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Reasoning {
    type Err = ParseReasoningError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|level| level.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseReasoningError(s.to_owned()))
    }
}

/// A reasoning level name that is not `none`, `rdfs` or `owl`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseReasoningError(pub String);

impl fmt::Display for ParseReasoningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown reasoning level '{}': expected none, rdfs or owl",
            self.0
        )
    }
}

impl std::error::Error for ParseReasoningError {}

/// The triples `asserted` entails at `level` that it does not already hold. The schema comes
/// from `asserted` itself. `progress` is called from time to time with the number of asserted
/// triples processed so far, and once at the end with their total.
pub fn entailments(asserted: &Graph, level: Reasoning, progress: &mut dyn FnMut(u64)) -> Graph {
    let mut inferred = Graph::new();
    for_each_entailment(asserted.iter(), level, progress, &mut |triple| {
        inferred.insert(triple);
    });
    inferred
}

/// The streaming form of [`entailments`], for large inputs: reads the asserted triples from any
/// borrowed source (a `Graph`, or a slice of `Triple`s parsed without building a `Graph`'s
/// indexes) and hands each inferred triple, once, to `emit` (to insert into a store, say)
/// instead of collecting a `Graph`, whose six indexes cost more than the reasoning itself.
/// Repeated asserted triples are harmless.
pub fn for_each_entailment<'a>(
    asserted: impl IntoIterator<Item = TripleRef<'a>>,
    level: Reasoning,
    progress: &mut dyn FnMut(u64),
    emit: &mut dyn FnMut(TripleRef<'_>),
) {
    let asserted = asserted.into_iter();
    if level == Reasoning::None {
        progress(asserted.count() as u64);
        return;
    }
    let mut reasoner = Reasoner::new(level, asserted.size_hint().0);
    let ids: Vec<Key> = asserted.map(|t| reasoner.state.add_asserted(t)).collect();
    reasoner.run(&ids, progress);
    reasoner.state.emit(emit);
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

/// OWL terms (oxrdf has RDF, RDFS and XSD only).
mod owl {
    use oxrdf::NamedNodeRef;

    const fn iri(iri: &'static str) -> NamedNodeRef<'static> {
        NamedNodeRef::new_unchecked(iri)
    }
    pub const CLASS: NamedNodeRef<'static> = iri("http://www.w3.org/2002/07/owl#Class");
    pub const RESTRICTION: NamedNodeRef<'static> = iri("http://www.w3.org/2002/07/owl#Restriction");
    pub const OBJECT_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#ObjectProperty");
    pub const DATATYPE_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#DatatypeProperty");
    pub const ANNOTATION_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#AnnotationProperty");
    pub const ONTOLOGY_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#OntologyProperty");
    pub const FUNCTIONAL_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#FunctionalProperty");
    pub const INVERSE_FUNCTIONAL_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#InverseFunctionalProperty");
    pub const TRANSITIVE_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#TransitiveProperty");
    pub const SYMMETRIC_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#SymmetricProperty");
    pub const ASYMMETRIC_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#AsymmetricProperty");
    pub const REFLEXIVE_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#ReflexiveProperty");
    pub const IRREFLEXIVE_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#IrreflexiveProperty");
    pub const EQUIVALENT_CLASS: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#equivalentClass");
    pub const EQUIVALENT_PROPERTY: NamedNodeRef<'static> =
        iri("http://www.w3.org/2002/07/owl#equivalentProperty");
    pub const INVERSE_OF: NamedNodeRef<'static> = iri("http://www.w3.org/2002/07/owl#inverseOf");
    pub const SAME_AS: NamedNodeRef<'static> = iri("http://www.w3.org/2002/07/owl#sameAs");
}

/// `rdf:_1`, `rdf:_2` …: the container membership properties (rdfs12).
fn is_container_membership(iri: &str) -> bool {
    iri.strip_prefix("http://www.w3.org/1999/02/22-rdf-syntax-ns#_")
        .is_some_and(|n| {
            !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
        })
}

mod fx;
mod reasoner;
mod schema;
mod state;
#[cfg(test)]
mod tests;
mod vocab;

use fx::FxHasher;
use reasoner::Reasoner;
use schema::{Schema, UnionFind, closure, push_edge, sorted};
use state::State;
use vocab::{Kind, Terms, Vocab};

/// A term's index in [`Terms`].
type Id = u32;

/// Three ids: subject, predicate, object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key(Id, Id, Id);

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64((u64::from(self.0) << 32) | u64::from(self.1));
        state.write_u32(self.2);
    }
}

type FxBuild = BuildHasherDefault<FxHasher>;
type FxMap<K, V> = HashMap<K, V, FxBuild>;
type FxSet<K> = HashSet<K, FxBuild>;
