//! The derivation state: asserted and derived triples, and the rules applied to each.

#[allow(unused_imports)]
use super::*;

/// The triples known so far and the bookkeeping of the rules.
#[derive(Debug)]
pub(super) struct State<'a> {
    pub(super) level: Reasoning,
    pub(super) terms: Terms<'a>,
    pub(super) v: Vocab,
    /// Asserted and inferred triples.
    pub(super) known: FxSet<Key>,
    /// Inferred triples, in order; `true` when the transitive closure step made it.
    pub(super) inferred: Vec<(Key, bool)>,
    /// Inferred triples the rules have not seen yet.
    pub(super) queue: Vec<(Key, bool)>,
    /// Known triples the schema is built from.
    pub(super) schema_triples: Vec<Key>,
    /// Predicates seen (rdf1 and rdfs12 are applied to each once).
    pub(super) predicates: FxSet<Id>,
    /// Edges of each transitive property (those the closure step did not make), by subject.
    pub(super) edges: FxMap<Id, FxMap<Id, Vec<Id>>>,
    /// Transitive properties with edges their closure has not seen.
    pub(super) dirty: FxSet<Id>,
}

impl<'a> State<'a> {
    pub(super) fn add_asserted(&mut self, triple: TripleRef<'a>) -> Key {
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

    pub(super) fn is_schema_triple(&self, Key(_, p, o): Key) -> bool {
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
    pub(super) fn derive(&mut self, s: Id, p: Id, o: Id) {
        self.derive_marked(s, p, o, false);
    }

    pub(super) fn derive_marked(&mut self, s: Id, p: Id, o: Id, by_closure: bool) {
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
    pub(super) fn build_schema(&self) -> Schema {
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

    pub(super) fn is_container_membership(&self, id: Id) -> bool {
        match self.terms.terms[id as usize] {
            TermRef::NamedNode(node) => is_container_membership(node.as_str()),
            _ => false,
        }
    }

    /// Outputs the schema's own closure: subclass and subproperty chains, and at the OWL level
    /// equivalences (both ways, and from mutual subclasses), inverses both ways and sameAs.
    pub(super) fn derive_schema(&mut self, schema: &Schema) {
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
    pub(super) fn apply(&mut self, schema: &Schema, Key(s, p, o): Key, by_closure: bool) {
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
    pub(super) fn derive_predicate(&mut self, p: Id) {
        self.derive(p, self.v.type_, self.v.property);
        if self.is_container_membership(p) {
            self.derive(p, self.v.type_, self.v.container_membership);
        }
    }

    /// Applies the rules to queued triples until none is left.
    pub(super) fn drain(&mut self, schema: &Schema) {
        while let Some((key, by_closure)) = self.queue.pop() {
            self.apply(schema, key, by_closure);
        }
    }

    /// Derives the transitive closure of every transitive property with new edges; true when
    /// something new was derived.
    pub(super) fn close_transitive(&mut self) -> bool {
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
    pub(super) fn emit(&self, emit: &mut dyn FnMut(TripleRef<'_>)) {
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
