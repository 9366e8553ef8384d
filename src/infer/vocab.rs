//! The vocabulary the rules use, and the interning of terms into ids.

#[allow(unused_imports)]
use super::*;

/// Ids of the vocabulary the rules use, interned before the data.
#[derive(Debug)]
pub(super) struct Vocab {
    pub(super) type_: Id,
    pub(super) class: Id,
    pub(super) property: Id,
    pub(super) datatype: Id,
    pub(super) literal: Id,
    pub(super) container_membership: Id,
    pub(super) member: Id,
    pub(super) sub_class_of: Id,
    pub(super) sub_property_of: Id,
    pub(super) domain: Id,
    pub(super) range: Id,
    pub(super) equivalent_class: Id,
    pub(super) equivalent_property: Id,
    pub(super) inverse_of: Id,
    pub(super) same_as: Id,
    pub(super) transitive: Id,
    pub(super) symmetric: Id,
    /// Classes whose instances are classes or properties. A blank node is never inferred to be
    /// one (it is a class expression such as an `owl:unionOf`, typed as asserted), and a class
    /// of this set is never the subject of an output subclass triple (those are axiomatic).
    pub(super) meta: FxSet<Id>,
    /// Axioms about the vocabulary that are used but never output: built-in subclass edges and
    /// the domains and ranges of the RDFS (and OWL) schema properties.
    pub(super) sub_class_axioms: Vec<(Id, Id)>,
    pub(super) domain_axioms: Vec<(Id, Id)>,
    pub(super) range_axioms: Vec<(Id, Id)>,
}

impl Vocab {
    pub(super) fn new(terms: &mut Terms<'_>, level: Reasoning) -> Self {
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Iri,
    Blank,
    /// A literal (or an RDF 1.2 triple term): never a subject or a predicate.
    Value,
}

/// Every term seen, borrowed from the input graph or from the vocabulary constants.
#[derive(Debug, Default)]
pub(super) struct Terms<'a> {
    pub(super) ids: FxMap<TermRef<'a>, Id>,
    pub(super) terms: Vec<TermRef<'a>>,
    pub(super) kinds: Vec<Kind>,
}

impl<'a> Terms<'a> {
    pub(super) fn intern(&mut self, term: TermRef<'a>) -> Id {
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

    pub(super) fn kind(&self, id: Id) -> Kind {
        self.kinds[id as usize]
    }

    pub(super) fn is_iri(&self, id: Id) -> bool {
        self.kind(id) == Kind::Iri
    }

    pub(super) fn is_node(&self, id: Id) -> bool {
        self.kind(id) != Kind::Value
    }
}

// ---------------------------------------------------------------------------------------------
// The closed schema
