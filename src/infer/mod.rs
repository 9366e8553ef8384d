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

/// Ids of the vocabulary the rules use, interned before the data.
#[derive(Debug)]
struct Vocab {
    type_: Id,
    class: Id,
    property: Id,
    datatype: Id,
    literal: Id,
    container_membership: Id,
    member: Id,
    sub_class_of: Id,
    sub_property_of: Id,
    domain: Id,
    range: Id,
    equivalent_class: Id,
    equivalent_property: Id,
    inverse_of: Id,
    same_as: Id,
    transitive: Id,
    symmetric: Id,
    /// Classes whose instances are classes or properties. A blank node is never inferred to be
    /// one (it is a class expression such as an `owl:unionOf`, typed as asserted), and a class
    /// of this set is never the subject of an output subclass triple (those are axiomatic).
    meta: FxSet<Id>,
    /// Axioms about the vocabulary that are used but never output: built-in subclass edges and
    /// the domains and ranges of the RDFS (and OWL) schema properties.
    sub_class_axioms: Vec<(Id, Id)>,
    domain_axioms: Vec<(Id, Id)>,
    range_axioms: Vec<(Id, Id)>,
}

impl Vocab {
    fn new(terms: &mut Terms<'_>, level: Reasoning) -> Self {
        let mut id = |node: NamedNodeRef<'static>| terms.intern(node.into());
        let class = id(rdfs::CLASS);
        let property = id(rdf::PROPERTY);
        let datatype = id(rdfs::DATATYPE);
        let container_membership = id(rdfs::CONTAINER_MEMBERSHIP_PROPERTY);
        let type_ = id(rdf::TYPE);
        let sub_class_of = id(rdfs::SUB_CLASS_OF);
        let sub_property_of = id(rdfs::SUB_PROPERTY_OF);
        let domain = id(rdfs::DOMAIN);
        let range = id(rdfs::RANGE);
        let equivalent_class = id(owl::EQUIVALENT_CLASS);
        let equivalent_property = id(owl::EQUIVALENT_PROPERTY);
        let inverse_of = id(owl::INVERSE_OF);

        // RDFS axiomatic triples (RDF 1.1 Semantics, section 9.1) that type the schema's terms.
        let mut sub_class_axioms = vec![(datatype, class), (container_membership, property)];
        let mut domain_axioms = vec![
            (domain, property),
            (range, property),
            (sub_property_of, property),
            (sub_class_of, class),
        ];
        let mut range_axioms = vec![
            (type_, class),
            (domain, class),
            (range, class),
            (sub_property_of, property),
            (sub_class_of, class),
        ];
        let mut meta = vec![class, property, datatype, container_membership];
        if level == Reasoning::Owl {
            // The OWL 2 RDF-Based Semantics' vocabulary classes, as far as they type classes
            // and properties.
            let owl_class = id(owl::CLASS);
            let restriction = id(owl::RESTRICTION);
            let object_property = id(owl::OBJECT_PROPERTY);
            sub_class_axioms.push((owl_class, class));
            sub_class_axioms.push((restriction, owl_class));
            sub_class_axioms.push((object_property, property));
            meta.extend([owl_class, restriction, object_property]);
            for node in [
                owl::DATATYPE_PROPERTY,
                owl::ANNOTATION_PROPERTY,
                owl::ONTOLOGY_PROPERTY,
                owl::FUNCTIONAL_PROPERTY,
            ] {
                let c = id(node);
                sub_class_axioms.push((c, property));
                meta.push(c);
            }
            for node in [
                owl::TRANSITIVE_PROPERTY,
                owl::SYMMETRIC_PROPERTY,
                owl::ASYMMETRIC_PROPERTY,
                owl::REFLEXIVE_PROPERTY,
                owl::IRREFLEXIVE_PROPERTY,
                owl::INVERSE_FUNCTIONAL_PROPERTY,
            ] {
                let c = id(node);
                sub_class_axioms.push((c, object_property));
                meta.push(c);
            }
            for (p, c) in [
                (equivalent_class, class),
                (equivalent_property, property),
                (inverse_of, property),
            ] {
                domain_axioms.push((p, c));
                range_axioms.push((p, c));
            }
        }
        Self {
            type_,
            class,
            property,
            datatype,
            literal: id(rdfs::LITERAL),
            container_membership,
            member: id(rdfs::MEMBER),
            sub_class_of,
            sub_property_of,
            domain,
            range,
            equivalent_class,
            equivalent_property,
            inverse_of,
            same_as: id(owl::SAME_AS),
            transitive: id(owl::TRANSITIVE_PROPERTY),
            symmetric: id(owl::SYMMETRIC_PROPERTY),
            meta: meta.into_iter().collect(),
            sub_class_axioms,
            domain_axioms,
            range_axioms,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Interned terms

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Iri,
    Blank,
    /// A literal (or an RDF 1.2 triple term): never a subject or a predicate.
    Value,
}

/// Every term seen, borrowed from the input graph or from the vocabulary constants.
#[derive(Debug, Default)]
struct Terms<'a> {
    ids: FxMap<TermRef<'a>, Id>,
    terms: Vec<TermRef<'a>>,
    kinds: Vec<Kind>,
}

impl<'a> Terms<'a> {
    fn intern(&mut self, term: TermRef<'a>) -> Id {
        if let Some(&id) = self.ids.get(&term) {
            return id;
        }
        // An in-memory oxrdf::Graph cannot hold 2^32 distinct terms (each takes tens of bytes).
        let id = Id::try_from(self.terms.len()).expect("fewer than 2^32 distinct terms");
        let kind = match term {
            TermRef::NamedNode(_) => Kind::Iri,
            TermRef::BlankNode(_) => Kind::Blank,
            _ => Kind::Value,
        };
        self.ids.insert(term, id);
        self.terms.push(term);
        self.kinds.push(kind);
        id
    }

    fn kind(&self, id: Id) -> Kind {
        self.kinds[id as usize]
    }

    fn is_iri(&self, id: Id) -> bool {
        self.kind(id) == Kind::Iri
    }

    fn is_node(&self, id: Id) -> bool {
        self.kind(id) != Kind::Value
    }
}

// ---------------------------------------------------------------------------------------------
// The closed schema

/// What the instance rules need, closed once per round.
#[derive(Debug, Default, PartialEq)]
struct Schema {
    /// Strict superclasses of each class (transitive; equivalent classes included).
    super_classes: FxMap<Id, Vec<Id>>,
    /// Strict superproperties of each property (transitive; equivalent properties included).
    super_properties: FxMap<Id, Vec<Id>>,
    /// The named domains each property declares.
    domains: FxMap<Id, Vec<Id>>,
    /// The named ranges each property declares.
    ranges: FxMap<Id, Vec<Id>>,
    /// Inverses of each property; a symmetric property is its own inverse.
    inverses: FxMap<Id, Vec<Id>>,
    /// Transitive properties.
    transitive: FxSet<Id>,
    /// For each term in an `owl:sameAs` class, the other members.
    same: FxMap<Id, Vec<Id>>,
}

/// Everything reachable from each node of `edges`, itself excluded; lists sorted.
fn closure(edges: &FxMap<Id, Vec<Id>>) -> FxMap<Id, Vec<Id>> {
    let mut result = FxMap::default();
    let mut seen = FxSet::default();
    let mut stack = Vec::new();
    for (&start, direct) in edges {
        seen.clear();
        stack.clear();
        stack.extend(direct.iter().copied());
        let mut reached = Vec::new();
        while let Some(node) = stack.pop() {
            if !seen.insert(node) {
                continue;
            }
            if node != start {
                reached.push(node);
            }
            if let Some(next) = edges.get(&node) {
                stack.extend(next.iter().copied());
            }
        }
        if !reached.is_empty() {
            reached.sort_unstable();
            result.insert(start, reached);
        }
    }
    result
}

fn push_edge(edges: &mut FxMap<Id, Vec<Id>>, from: Id, to: Id) {
    if from != to {
        edges.entry(from).or_default().push(to);
    }
}

fn sorted(mut map: FxMap<Id, Vec<Id>>) -> FxMap<Id, Vec<Id>> {
    for list in map.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    map
}

// ---------------------------------------------------------------------------------------------
// The reasoner

/// The triples known so far and the bookkeeping of the rules.
#[derive(Debug)]
struct State<'a> {
    level: Reasoning,
    terms: Terms<'a>,
    v: Vocab,
    /// Asserted and inferred triples.
    known: FxSet<Key>,
    /// Inferred triples, in order; `true` when the transitive closure step made it.
    inferred: Vec<(Key, bool)>,
    /// Inferred triples the rules have not seen yet.
    queue: Vec<(Key, bool)>,
    /// Known triples the schema is built from.
    schema_triples: Vec<Key>,
    /// Predicates seen (rdf1 and rdfs12 are applied to each once).
    predicates: FxSet<Id>,
    /// Edges of each transitive property (those the closure step did not make), by subject.
    edges: FxMap<Id, FxMap<Id, Vec<Id>>>,
    /// Transitive properties with edges their closure has not seen.
    dirty: FxSet<Id>,
}

impl<'a> State<'a> {
    fn add_asserted(&mut self, triple: TripleRef<'a>) -> Key {
        let s = self.terms.intern(triple.subject.into());
        let p = self.terms.intern(triple.predicate.into());
        let o = self.terms.intern(triple.object);
        let key = Key(s, p, o);
        self.known.insert(key);
        if self.is_schema_triple(key) {
            self.schema_triples.push(key);
        }
        key
    }

    fn is_schema_triple(&self, Key(_, p, o): Key) -> bool {
        let v = &self.v;
        [
            v.sub_class_of,
            v.sub_property_of,
            v.domain,
            v.range,
            v.equivalent_class,
            v.equivalent_property,
            v.inverse_of,
            v.same_as,
        ]
        .contains(&p)
            || (p == v.type_ && (o == v.transitive || o == v.symmetric))
    }

    /// Records an inferred triple if it is well formed, new and not excluded by policy.
    fn derive(&mut self, s: Id, p: Id, o: Id) {
        self.derive_marked(s, p, o, false);
    }

    fn derive_marked(&mut self, s: Id, p: Id, o: Id, by_closure: bool) {
        let terms = &self.terms;
        if !terms.is_node(s) || !terms.is_iri(p) {
            return;
        }
        if p == self.v.type_
            && (!terms.is_iri(o) || (terms.kind(s) == Kind::Blank && self.v.meta.contains(&o)))
        {
            // No types to blank-node class expressions; no class or property types for the
            // blank nodes of class expressions.
            return;
        }
        let key = Key(s, p, o);
        if self.known.insert(key) {
            self.inferred.push((key, by_closure));
            self.queue.push((key, by_closure));
            if self.is_schema_triple(key) {
                self.schema_triples.push(key);
            }
        }
    }

    /// The schema of the triples known so far, closed.
    fn build_schema(&self) -> Schema {
        let v = &self.v;
        let owl = self.level == Reasoning::Owl;
        let mut class_edges: FxMap<Id, Vec<Id>> = FxMap::default();
        let mut property_edges: FxMap<Id, Vec<Id>> = FxMap::default();
        let mut domains: FxMap<Id, Vec<Id>> = FxMap::default();
        let mut ranges: FxMap<Id, Vec<Id>> = FxMap::default();
        let mut inverses: FxMap<Id, Vec<Id>> = FxMap::default();
        let mut transitive = FxSet::default();
        let mut same = UnionFind::default();

        for &(a, b) in &v.sub_class_axioms {
            push_edge(&mut class_edges, a, b);
        }
        for &(p, c) in &v.domain_axioms {
            domains.entry(p).or_default().push(c);
        }
        for &(p, c) in &v.range_axioms {
            ranges.entry(p).or_default().push(c);
        }
        for &p in &self.predicates {
            if self.is_container_membership(p) {
                push_edge(&mut property_edges, p, v.member);
            }
        }
        for &Key(s, p, o) in &self.schema_triples {
            if p == v.sub_class_of {
                push_edge(&mut class_edges, s, o);
            } else if p == v.sub_property_of {
                push_edge(&mut property_edges, s, o);
            } else if p == v.domain {
                // A blank-node domain (an owl:unionOf) would only give blank-node types.
                if self.terms.is_iri(o) {
                    domains.entry(s).or_default().push(o);
                }
            } else if p == v.range {
                if self.terms.is_iri(o) {
                    ranges.entry(s).or_default().push(o);
                }
            } else if !owl {
                continue;
            } else if p == v.equivalent_class {
                push_edge(&mut class_edges, s, o);
                push_edge(&mut class_edges, o, s);
            } else if p == v.equivalent_property {
                push_edge(&mut property_edges, s, o);
                push_edge(&mut property_edges, o, s);
            } else if p == v.inverse_of {
                if self.terms.is_iri(o) {
                    inverses.entry(s).or_default().push(o);
                    inverses.entry(o).or_default().push(s);
                }
            } else if p == v.type_ && o == v.symmetric {
                inverses.entry(s).or_default().push(s);
            } else if p == v.type_ && o == v.transitive {
                transitive.insert(s);
            } else if p == v.same_as && self.terms.is_node(o) {
                same.union(s, o);
            }
        }
        Schema {
            super_classes: closure(&class_edges),
            super_properties: closure(&property_edges),
            domains: sorted(domains),
            ranges: sorted(ranges),
            inverses: sorted(inverses),
            transitive,
            same: same.classes(),
        }
    }

    fn is_container_membership(&self, id: Id) -> bool {
        match self.terms.terms[id as usize] {
            TermRef::NamedNode(node) => is_container_membership(node.as_str()),
            _ => false,
        }
    }

    /// Outputs the schema's own closure: subclass and subproperty chains, and at the OWL level
    /// equivalences (both ways, and from mutual subclasses), inverses both ways and sameAs.
    fn derive_schema(&mut self, schema: &Schema) {
        let v_sub_class = self.v.sub_class_of;
        let v_sub_property = self.v.sub_property_of;
        for (relation, equivalence, supers) in [
            (v_sub_class, self.v.equivalent_class, &schema.super_classes),
            (
                v_sub_property,
                self.v.equivalent_property,
                &schema.super_properties,
            ),
        ] {
            for (&a, list) in supers {
                if !self.terms.is_iri(a) || self.v.meta.contains(&a) {
                    continue;
                }
                for &b in list {
                    if !self.terms.is_iri(b) {
                        continue;
                    }
                    self.derive(a, relation, b);
                    let mutual = supers
                        .get(&b)
                        .is_some_and(|back| back.binary_search(&a).is_ok());
                    if self.level == Reasoning::Owl && mutual {
                        self.derive(a, equivalence, b);
                    }
                }
            }
        }
        if self.level != Reasoning::Owl {
            return;
        }
        for (&p, list) in &schema.inverses {
            for &q in list {
                if q != p {
                    self.derive(p, self.v.inverse_of, q);
                }
            }
        }
        for (&x, list) in &schema.same {
            // eq-ref, for the members of sameAs classes only (not for every term).
            self.derive(x, self.v.same_as, x);
            for &y in list {
                self.derive(x, self.v.same_as, y);
            }
        }
    }

    /// Applies every instance rule to one known triple.
    fn apply(&mut self, schema: &Schema, Key(s, p, o): Key, by_closure: bool) {
        let v_type = self.v.type_;
        if self.predicates.insert(p) {
            self.derive_predicate(p);
        }
        // rdfs7 (and equivalent properties)
        if let Some(supers) = schema.super_properties.get(&p) {
            for &q in supers {
                self.derive(s, q, o);
            }
        }
        // rdfs2
        if let Some(classes) = schema.domains.get(&p) {
            for &c in classes {
                self.derive(s, v_type, c);
            }
        }
        // rdfs3, for subjects that can be typed
        if let Some(classes) = schema.ranges.get(&p).filter(|_| self.terms.is_node(o)) {
            for &c in classes {
                self.derive(o, v_type, c);
            }
        }
        if p == v_type {
            // rdfs9 (and equivalent classes)
            if let Some(supers) = schema.super_classes.get(&o) {
                for &c in supers {
                    self.derive(s, v_type, c);
                }
            }
            if self.terms.is_iri(s) {
                if o == self.v.class {
                    self.derive(s, self.v.sub_class_of, s); // rdfs10
                } else if o == self.v.property {
                    self.derive(s, self.v.sub_property_of, s); // rdfs6
                } else if o == self.v.datatype {
                    self.derive(s, self.v.sub_class_of, self.v.literal); // rdfs13
                }
            }
        }
        if self.level != Reasoning::Owl {
            return;
        }
        // owl:inverseOf and owl:SymmetricProperty
        if let Some(inverses) = schema.inverses.get(&p).filter(|_| self.terms.is_node(o)) {
            for &q in inverses {
                self.derive(o, q, s);
            }
        }
        // owl:TransitiveProperty: collect the edge; the closure step joins them.
        if !by_closure && schema.transitive.contains(&p) {
            let targets = self.edges.entry(p).or_default().entry(s).or_default();
            targets.push(o);
            self.dirty.insert(p);
        }
        // owl:sameAs substitution in every position
        if !schema.same.is_empty() {
            for (position, term) in [(0, s), (1, p), (2, o)] {
                if let Some(others) = schema.same.get(&term) {
                    for &other in others {
                        match position {
                            0 => self.derive(other, p, o),
                            1 => self.derive(s, other, o),
                            _ => self.derive(s, p, other),
                        }
                    }
                }
            }
        }
    }

    /// rdf1 (a predicate is an `rdf:Property`) and rdfs12's axiomatic typing of `rdf:_n`.
    fn derive_predicate(&mut self, p: Id) {
        self.derive(p, self.v.type_, self.v.property);
        if self.is_container_membership(p) {
            self.derive(p, self.v.type_, self.v.container_membership);
        }
    }

    /// Applies the rules to queued triples until none is left.
    fn drain(&mut self, schema: &Schema) {
        while let Some((key, by_closure)) = self.queue.pop() {
            self.apply(schema, key, by_closure);
        }
    }

    /// Derives the transitive closure of every transitive property with new edges; true when
    /// something new was derived.
    fn close_transitive(&mut self) -> bool {
        let before = self.inferred.len();
        let mut dirty: Vec<Id> = self.dirty.drain().collect();
        dirty.sort_unstable();
        let mut seen = FxSet::default();
        let mut stack = Vec::new();
        let mut found = Vec::new();
        for p in dirty {
            let Some(edges) = self.edges.get(&p) else {
                continue;
            };
            for (&start, direct) in edges {
                seen.clear();
                stack.clear();
                stack.extend(direct.iter().copied());
                while let Some(node) = stack.pop() {
                    if !seen.insert(node) {
                        continue;
                    }
                    if !self.known.contains(&Key(start, p, node)) {
                        found.push(Key(start, p, node));
                    }
                    if let Some(next) = edges.get(&node) {
                        stack.extend(next.iter().copied());
                    }
                }
            }
        }
        for Key(s, p, o) in found {
            self.derive_marked(s, p, o, true);
        }
        self.inferred.len() > before
    }

    /// Hands every inferred triple to `emit`.
    fn emit(&self, emit: &mut dyn FnMut(TripleRef<'_>)) {
        for &(Key(s, p, o), _) in &self.inferred {
            let subject: NamedOrBlankNodeRef<'_> = match self.terms.terms[s as usize] {
                TermRef::NamedNode(node) => node.into(),
                TermRef::BlankNode(node) => node.into(),
                _ => continue,
            };
            let TermRef::NamedNode(predicate) = self.terms.terms[p as usize] else {
                continue;
            };
            emit(TripleRef::new(
                subject,
                predicate,
                self.terms.terms[o as usize],
            ));
        }
    }
}

/// The state and the schema it is reasoned with, apart so rules can borrow both.
#[derive(Debug)]
struct Reasoner<'a> {
    state: State<'a>,
    schema: Schema,
}

/// How often `progress` is called, in asserted triples.
const PROGRESS_STEP: usize = 1 << 14;

impl<'a> Reasoner<'a> {
    fn new(level: Reasoning, capacity: usize) -> Self {
        let mut terms = Terms::default();
        let v = Vocab::new(&mut terms, level);
        let mut known = FxSet::default();
        known.reserve(capacity);
        Self {
            state: State {
                level,
                terms,
                v,
                known,
                inferred: Vec::new(),
                queue: Vec::new(),
                schema_triples: Vec::new(),
                predicates: FxSet::default(),
                edges: FxMap::default(),
                dirty: FxSet::default(),
            },
            schema: Schema::default(),
        }
    }

    fn run(&mut self, asserted: &[Key], progress: &mut dyn FnMut(u64)) {
        let state = &mut self.state;
        // Container membership properties are subproperties of rdfs:member from the start.
        for key in asserted {
            state.predicates.insert(key.1);
        }
        let mut predicates: Vec<Id> = state.predicates.iter().copied().collect();
        predicates.sort_unstable();
        for p in predicates {
            state.derive_predicate(p);
        }
        self.schema = state.build_schema();
        state.derive_schema(&self.schema);
        state.drain(&self.schema);
        for (done, &key) in asserted.iter().enumerate() {
            if done % PROGRESS_STEP == 0 {
                progress(done as u64);
            }
            state.apply(&self.schema, key, false);
            state.drain(&self.schema);
        }
        progress(asserted.len() as u64);
        loop {
            while state.close_transitive() {
                state.drain(&self.schema);
            }
            let schema = state.build_schema();
            if schema == self.schema {
                return;
            }
            // Inference changed the schema: apply the new one to every known triple.
            self.schema = schema;
            state.edges.clear();
            state.dirty.clear();
            state.derive_schema(&self.schema);
            state.drain(&self.schema);
            let inferred_before = state.inferred.len();
            for &key in asserted {
                state.apply(&self.schema, key, false);
                state.drain(&self.schema);
            }
            for index in 0..inferred_before {
                let (key, by_closure) = state.inferred[index];
                state.apply(&self.schema, key, by_closure);
                state.drain(&self.schema);
            }
        }
    }
}

/// Union-find over ids, for `owl:sameAs` classes.
#[derive(Debug, Default)]
struct UnionFind {
    parent: FxMap<Id, Id>,
}

impl UnionFind {
    fn find(&mut self, x: Id) -> Id {
        let mut root = x;
        while let Some(&parent) = self.parent.get(&root) {
            if parent == root {
                break;
            }
            root = parent;
        }
        // Path compression.
        let mut node = x;
        while node != root {
            let next = self.parent.get(&node).copied().unwrap_or(root);
            self.parent.insert(node, root);
            node = next;
        }
        root
    }

    fn union(&mut self, a: Id, b: Id) {
        let ra = self.find(a);
        let rb = self.find(b);
        self.parent.entry(ra).or_insert(ra);
        self.parent.entry(rb).or_insert(rb);
        if ra != rb {
            self.parent.insert(ra.max(rb), ra.min(rb));
        }
    }

    /// For each member of a class of two or more, the other members, sorted.
    fn classes(mut self) -> FxMap<Id, Vec<Id>> {
        let nodes: Vec<Id> = self.parent.keys().copied().collect();
        let mut members: FxMap<Id, Vec<Id>> = FxMap::default();
        for node in nodes {
            let root = self.find(node);
            members.entry(root).or_default().push(node);
        }
        let mut result = FxMap::default();
        for group in members.into_values() {
            if group.len() < 2 {
                continue;
            }
            for &x in &group {
                let mut others: Vec<Id> = group.iter().copied().filter(|&y| y != x).collect();
                others.sort_unstable();
                result.insert(x, others);
            }
        }
        result
    }
}

// ---------------------------------------------------------------------------------------------
// A fast hash for interned ids (the FxHash of rustc; keys here are not attacker-chosen in a way
// that matters: the worst case is a slower run, not a wrong one).

#[derive(Debug, Default, Clone, Copy)]
struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply leaves the low bits, which pick the bucket, poorly mixed (ids that differ
        // in their high bits would collide); rustc-hash 2 rotates them in the same way.
        self.hash.rotate_left(26)
    }
}

type FxBuild = BuildHasherDefault<FxHasher>;
type FxMap<K, V> = HashMap<K, V, FxBuild>;
type FxSet<K> = HashSet<K, FxBuild>;

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxrdf::{NamedNode, Triple};

    const PREFIXES: &str = "
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix : <http://example.org/> .
    ";

    fn graph(turtle: &str) -> Graph {
        let text = format!("{PREFIXES}{turtle}");
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(text.as_bytes())
            .map(|quad| Triple::from(quad.expect("test Turtle parses")))
            .collect()
    }

    fn infer(level: Reasoning, turtle: &str) -> (Graph, Graph) {
        let asserted = graph(turtle);
        let inferred = entailments(&asserted, level, &mut |_| {});
        (asserted, inferred)
    }

    fn iri(local: &str) -> NamedNode {
        let iri = match local.split_once(':') {
            Some(("rdf", name)) => format!("http://www.w3.org/1999/02/22-rdf-syntax-ns#{name}"),
            Some(("rdfs", name)) => format!("http://www.w3.org/2000/01/rdf-schema#{name}"),
            Some(("owl", name)) => format!("http://www.w3.org/2002/07/owl#{name}"),
            _ => format!("http://example.org/{local}"),
        };
        NamedNode::new(iri).expect("test IRI")
    }

    fn has(graph: &Graph, s: &str, p: &str, o: &str) -> bool {
        graph.contains(&Triple::new(iri(s), iri(p), iri(o)))
    }

    /// The subjects typed `class`, sorted, by local name.
    fn instances(graph: &Graph, class: &str) -> Vec<String> {
        let class = iri(class);
        let mut found: Vec<String> = graph
            .subjects_for_predicate_object(rdf::TYPE, &class)
            .map(|s| s.to_string())
            .collect();
        found.sort();
        found
    }

    #[test]
    fn level_names_round_trip() {
        for level in Reasoning::ALL {
            assert_eq!(level.name().parse::<Reasoning>(), Ok(level));
            assert_eq!(level.to_string(), level.name());
        }
        assert_eq!("OWL".parse::<Reasoning>(), Ok(Reasoning::Owl));
        let error = "full".parse::<Reasoning>().unwrap_err();
        assert!(error.to_string().contains("'full'"), "{error}");
    }

    #[test]
    fn none_returns_nothing() {
        let (_, inferred) = infer(
            Reasoning::None,
            ":x a :A . :A rdfs:subClassOf :B . :p owl:inverseOf :q . :x :p :y .",
        );
        assert!(inferred.is_empty(), "{inferred}");
    }

    #[test]
    fn subclass_instance_found_by_its_superclasses() {
        let (_, inferred) = infer(
            Reasoning::Rdfs,
            ":x a :A . :A rdfs:subClassOf :B . :B rdfs:subClassOf :C .",
        );
        assert!(has(&inferred, "x", "rdf:type", "B"));
        assert!(has(&inferred, "x", "rdf:type", "C"));
        assert!(has(&inferred, "A", "rdfs:subClassOf", "C"), "rdfs11");
        assert!(has(&inferred, "A", "rdfs:subClassOf", "A"), "rdfs10");
        assert!(has(&inferred, "A", "rdf:type", "rdfs:Class"));
        assert!(
            !has(&inferred, "x", "rdf:type", "rdfs:Resource"),
            "rdfs4a is left out"
        );
        assert!(!has(&inferred, "B", "rdf:type", "A"));
    }

    #[test]
    fn subproperty_chain() {
        let (_, inferred) = infer(
            Reasoning::Rdfs,
            ":x :p :y . :p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r .",
        );
        assert!(has(&inferred, "x", "q", "y"));
        assert!(has(&inferred, "x", "r", "y"));
        assert!(has(&inferred, "p", "rdfs:subPropertyOf", "r"), "rdfs5");
        assert!(has(&inferred, "p", "rdf:type", "rdf:Property"), "rdf1");
        assert!(has(&inferred, "r", "rdfs:subPropertyOf", "r"), "rdfs6");
        assert!(!has(&inferred, "y", "p", "x"));
    }

    #[test]
    fn domain_and_range_types_also_through_superproperties() {
        let (_, inferred) = infer(
            Reasoning::Rdfs,
            r#":x :p :y . :x :name "X" .
               :p rdfs:subPropertyOf :q . :q rdfs:domain :D ; rdfs:range :R .
               :R rdfs:subClassOf :S .
               :name rdfs:domain :Named ; rdfs:range rdfs:Literal ."#,
        );
        assert_eq!(instances(&inferred, "D"), ["<http://example.org/x>"]);
        assert_eq!(instances(&inferred, "R"), ["<http://example.org/y>"]);
        assert_eq!(instances(&inferred, "S"), ["<http://example.org/y>"]);
        assert_eq!(instances(&inferred, "Named"), ["<http://example.org/x>"]);
        // A literal cannot be typed: no rdfs:Literal instances at all.
        assert!(instances(&inferred, "rdfs:Literal").is_empty());
    }

    #[test]
    fn blank_node_ranges_and_domains_are_skipped() {
        let (_, inferred) = infer(
            Reasoning::Owl,
            ":x :p :y .
             :p rdfs:range [ a owl:Class ; owl:unionOf ( :A :B ) ] ;
                rdfs:domain [ a owl:Class ; owl:unionOf ( :C :D ) ] .",
        );
        for triple in &inferred {
            assert!(
                !(triple.predicate == rdf::TYPE && triple.object.is_blank_node()),
                "blank-node type: {triple}"
            );
            assert!(
                !(triple.subject.is_blank_node() && triple.predicate == rdf::TYPE),
                "blank-node class typed: {triple}"
            );
        }
        assert!(instances(&inferred, "A").is_empty());
        // The rest of the reasoning still happens.
        assert!(has(&inferred, "p", "rdf:type", "rdf:Property"));
    }

    #[test]
    fn inverse_answered_both_ways() {
        let (_, inferred) = infer(
            Reasoning::Owl,
            ":doc :publisher :org . :org2 :published :doc2 .
             :publisher owl:inverseOf :published .
             :published rdfs:subPropertyOf :related .",
        );
        assert!(has(&inferred, "org", "published", "doc"));
        assert!(has(&inferred, "doc2", "publisher", "org2"));
        assert!(has(&inferred, "published", "owl:inverseOf", "publisher"));
        // The inferred triple goes on through the other rules.
        assert!(has(&inferred, "org", "related", "doc"));
        // RDFS alone does not know inverses.
        let (_, rdfs) = infer(Reasoning::Rdfs, ":a :p :b . :p owl:inverseOf :q .");
        assert!(!has(&rdfs, "b", "q", "a"));
    }

    #[test]
    fn transitive_chain_and_its_inverse() {
        let (_, inferred) = infer(
            Reasoning::Owl,
            ":a :partOf :b . :b :partOf :c . :c :partOf :d . :x :subUnitOf :a .
             :partOf a owl:TransitiveProperty ; owl:inverseOf :hasPart .
             :subUnitOf rdfs:subPropertyOf :partOf .",
        );
        for (s, o) in [("a", "c"), ("a", "d"), ("b", "d"), ("x", "a"), ("x", "d")] {
            assert!(has(&inferred, s, "partOf", o), "{s} partOf {o}");
            assert!(has(&inferred, o, "hasPart", s), "{o} hasPart {s}");
        }
        assert!(!has(&inferred, "d", "partOf", "a"));
        assert!(!has(&inferred, "a", "partOf", "a"));
    }

    #[test]
    fn transitive_cycle_closes() {
        let (_, inferred) = infer(
            Reasoning::Owl,
            ":a :near :b . :b :near :a . :near a owl:TransitiveProperty .",
        );
        assert!(has(&inferred, "a", "near", "a"));
        assert!(has(&inferred, "b", "near", "b"));
        assert_eq!(inferred.triples_for_predicate(&iri("near")).count(), 2);
    }

    #[test]
    fn symmetric() {
        let (_, inferred) = infer(
            Reasoning::Owl,
            ":a :knows :b . :knows a owl:SymmetricProperty .",
        );
        assert!(has(&inferred, "b", "knows", "a"));
        assert!(!has(&inferred, "a", "knows", "a"));
    }

    #[test]
    fn equivalent_class_and_property() {
        let (_, inferred) = infer(
            Reasoning::Owl,
            ":x a :A . :y a :B . :A owl:equivalentClass :B . :B owl:equivalentClass :C .
             :x :p :z . :p owl:equivalentProperty :q .",
        );
        assert!(has(&inferred, "x", "rdf:type", "B"));
        assert!(has(&inferred, "x", "rdf:type", "C"));
        assert!(has(&inferred, "y", "rdf:type", "A"));
        assert!(has(&inferred, "A", "rdfs:subClassOf", "B"));
        assert!(has(&inferred, "B", "rdfs:subClassOf", "A"));
        assert!(
            has(&inferred, "C", "owl:equivalentClass", "A"),
            "symmetric and transitive"
        );
        assert!(has(&inferred, "x", "q", "z"));
        assert!(has(&inferred, "q", "owl:equivalentProperty", "p"));
        // RDFS does not read owl:equivalentClass.
        let (_, rdfs) = infer(Reasoning::Rdfs, ":x a :A . :A owl:equivalentClass :B .");
        assert!(!has(&rdfs, "x", "rdf:type", "B"));
    }

    #[test]
    fn same_as_symmetric_transitive_and_substituted() {
        let (_, inferred) = infer(
            Reasoning::Owl,
            ":a owl:sameAs :b . :c owl:sameAs :b . :a :p :x . :y :q :c . :c a :K .
             :K rdfs:subClassOf :L .",
        );
        assert!(has(&inferred, "b", "owl:sameAs", "a"));
        assert!(has(&inferred, "a", "owl:sameAs", "c"));
        assert!(
            has(&inferred, "a", "owl:sameAs", "a"),
            "eq-ref for sameAs members"
        );
        assert!(
            !has(&inferred, "x", "owl:sameAs", "x"),
            "not for every term"
        );
        for member in ["b", "c"] {
            assert!(has(&inferred, member, "p", "x"), "{member} p x");
        }
        for member in ["a", "b"] {
            assert!(has(&inferred, "y", "q", member), "y q {member}");
            assert!(has(&inferred, member, "rdf:type", "L"), "{member} a L");
        }
    }

    #[test]
    fn same_as_between_properties_is_a_schema_change() {
        // Inference makes a new schema triple; the fixpoint applies it.
        let (_, inferred) = infer(
            Reasoning::Owl,
            ":x :p :y . :p owl:sameAs :p2 . :p2 rdfs:subPropertyOf :q .",
        );
        assert!(has(&inferred, "x", "p2", "y"));
        assert!(has(&inferred, "p", "rdfs:subPropertyOf", "q"));
        assert!(has(&inferred, "x", "q", "y"));
    }

    #[test]
    fn subproperty_of_subclass_of_is_a_schema_change() {
        let (_, inferred) = infer(
            Reasoning::Rdfs,
            ":x a :A . :A :isA :B . :isA rdfs:subPropertyOf rdfs:subClassOf .",
        );
        assert!(has(&inferred, "A", "rdfs:subClassOf", "B"));
        assert!(has(&inferred, "x", "rdf:type", "B"));
    }

    #[test]
    fn containers() {
        let (_, inferred) = infer(Reasoning::Rdfs, ":list rdf:_1 :a ; rdf:_2 :b .");
        assert!(has(&inferred, "list", "rdfs:member", "a"));
        assert!(has(&inferred, "list", "rdfs:member", "b"));
        assert!(has(
            &inferred,
            "rdf:_1",
            "rdfs:subPropertyOf",
            "rdfs:member"
        ));
    }

    #[test]
    fn nothing_already_asserted_is_returned() {
        let (asserted, inferred) = infer(
            Reasoning::Owl,
            ":x a :A , :B . :A rdfs:subClassOf :B . :B rdfs:subClassOf :C . :x a :C .
             :p owl:inverseOf :q . :a :p :b . :b :q :a . :p a rdf:Property .
             :t a owl:TransitiveProperty . :a :t :b . :b :t :c . :a :t :c .",
        );
        assert!(!inferred.is_empty());
        for triple in &inferred {
            assert!(
                !asserted.contains(triple),
                "asserted triple returned: {triple}"
            );
        }
        assert!(has(&inferred, "q", "owl:inverseOf", "p"));
    }

    #[test]
    fn streaming_form_gives_the_same_triples_once() {
        let asserted = graph(
            ":x a :A . :A rdfs:subClassOf :B . :p owl:inverseOf :q . :x :p :y .
             :t a owl:TransitiveProperty . :a :t :b . :b :t :c .",
        );
        let expected = entailments(&asserted, Reasoning::Owl, &mut |_| {});
        // The same triples twice over, as a slice rather than a Graph.
        let triples: Vec<Triple> = asserted
            .iter()
            .chain(&asserted)
            .map(|t| t.into_owned())
            .collect();
        let mut emitted = Vec::new();
        let mut last = 0;
        for_each_entailment(
            triples.iter().map(Triple::as_ref),
            Reasoning::Owl,
            &mut |n| last = n,
            &mut |t| emitted.push(t.into_owned()),
        );
        assert_eq!(last, triples.len() as u64);
        assert_eq!(emitted.len(), expected.len(), "each inferred triple once");
        assert!(emitted.iter().all(|t| expected.contains(t)));
    }

    #[test]
    fn progress_reaches_the_asserted_count() {
        let asserted = graph(":x a :A . :A rdfs:subClassOf :B . :y :p :z .");
        let mut last = None;
        let mut calls = 0;
        let _ = entailments(&asserted, Reasoning::Owl, &mut |n| {
            calls += 1;
            last = Some(n);
        });
        assert!(calls >= 1);
        assert_eq!(last, Some(asserted.len() as u64));
    }

    #[test]
    fn entailments_are_closed() {
        // Reasoning again over asserted + inferred adds nothing: the result is a fixpoint.
        let (asserted, inferred) = infer(
            Reasoning::Owl,
            ":a :partOf :b . :b :partOf :c . :partOf a owl:TransitiveProperty ;
                 owl:inverseOf :hasPart ; rdfs:domain :Part ; rdfs:range :Whole .
             :Whole rdfs:subClassOf :Thing . :a owl:sameAs :a2 . :k :knows :a .
             :knows a owl:SymmetricProperty ; rdfs:subPropertyOf :related .",
        );
        let mut all = asserted.clone();
        for triple in &inferred {
            all.insert(triple);
        }
        let again = entailments(&all, Reasoning::Owl, &mut |_| {});
        assert!(again.is_empty(), "not a fixpoint, still adds: {again}");
    }
}
