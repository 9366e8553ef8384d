//! The embedded graph with a user's files on top, queried together without copying: the
//! prebuilt index answers for the embedded graph, a small oxigraph store for the files (and for
//! the entailments only the merge has). The default graph is the union of both default graphs;
//! a triple the embedded graph already holds is dropped from the store when the files are
//! loaded, so the union still counts each triple once.

use crate::data::graph::inferred_graph;
use crate::data::prebuilt::{InternalTerm, Prebuilt};
use crate::error::{Error, Result};
use crate::infer::Reasoning;
use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, QuadRef, Term,
    Triple,
};
use oxigraph::store::{StorageError, Store};
use spareval::{InternalQuad, QueryableDataset};

/// The prebuilt embedded graph with a store on top.
#[derive(Clone)]
pub struct Overlay {
    base: Prebuilt,
    top: Store,
}

impl std::fmt::Debug for Overlay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overlay")
            .field("reasoning", &self.base.reasoning())
            .finish_non_exhaustive()
    }
}

fn store_error(e: StorageError) -> Error {
    Error::store(e)
}

impl Overlay {
    /// `top` holds the user's files as loaded; triples the embedded graph already states in the
    /// same graph are removed from it, and the entailments of the merge that the embedded graph
    /// lacks are added to its `graph:inferred` (and default graph) at `level`.
    pub fn new(base: Prebuilt, top: Store) -> Result<Self> {
        let overlay = Self { base, top };
        overlay.drop_repeated()?;
        overlay.materialise()?;
        Ok(overlay)
    }

    pub fn base(&self) -> Prebuilt {
        self.base
    }

    pub fn top(&self) -> &Store {
        &self.top
    }

    /// True when the embedded graph (at its reasoning level) holds `triple` in `graph`
    /// (`None`: in its default graph, the union of its graphs).
    fn base_contains(&self, triple: QuadRef<'_>) -> bool {
        let id = |term: Term| self.base.find(&term);
        let (Some(s), Some(p), Some(o)) = (
            id(triple.subject.into_owned().into()),
            id(triple.predicate.into_owned().into()),
            id(triple.object.into_owned()),
        ) else {
            return false;
        };
        let graph = match triple.graph_name {
            GraphNameRef::DefaultGraph => None,
            GraphNameRef::NamedNode(g) => match id(g.into_owned().into()) {
                Some(g) => Some(InternalTerm::Id(g)),
                None => return false,
            },
            GraphNameRef::BlankNode(_) => return false,
        };
        self.base
            .internal_quads_for_pattern(
                Some(&InternalTerm::Id(s)),
                Some(&InternalTerm::Id(p)),
                Some(&InternalTerm::Id(o)),
                Some(graph.as_ref()),
            )
            .next()
            .is_some()
    }

    /// Removes from the store what the embedded graph already says, graph by graph.
    fn drop_repeated(&self) -> Result<()> {
        let repeated: Vec<Quad> = self
            .top
            .iter()
            .filter_map(|quad| match quad {
                Ok(quad) if self.base_contains(quad.as_ref()) => Some(Ok(quad)),
                Ok(_) => None,
                Err(e) => Some(Err(e)),
            })
            .collect::<std::result::Result<_, _>>()
            .map_err(store_error)?;
        for quad in repeated {
            self.top.remove(&quad).map_err(store_error)?;
        }
        Ok(())
    }

    /// Adds the entailments of the merge (the embedded graph's asserted triples and the store's
    /// default graph) that neither side holds yet.
    fn materialise(&self) -> Result<()> {
        let level = self.base.reasoning();
        if level == Reasoning::None {
            return Ok(());
        }
        let asserted_base = Prebuilt::with_reasoning(Reasoning::None)
            .quads()
            .map(Triple::from);
        let asserted_top: Vec<Triple> = self
            .top
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .map(|q| q.map(Triple::from))
            .collect::<std::result::Result<_, _>>()
            .map_err(store_error)?;
        let asserted: Vec<Triple> = asserted_base.chain(asserted_top).collect();
        let new = crate::data::graph::entailments(&asserted, level, |triple| {
            !self.base_contains(QuadRef::new(
                triple.subject,
                triple.predicate,
                triple.object,
                GraphNameRef::DefaultGraph,
            ))
        });
        crate::data::graph::add_entailments(&self.top, new)
    }

    /// Every quad: the store's, then the embedded graph's (each in the graph of its file).
    pub fn quads(&self) -> impl Iterator<Item = Result<Quad>> + '_ {
        self.top
            .iter()
            .map(|q| q.map_err(store_error))
            .chain(self.base.quads().map(Ok))
    }

    /// The default graph's triples, as quads in the default graph.
    pub fn default_graph(&self) -> impl Iterator<Item = Result<Quad>> + '_ {
        self.top
            .quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph))
            .map(|q| q.map_err(store_error))
            .chain(self.base.quads().map(|q| {
                Ok(Quad {
                    graph_name: GraphName::DefaultGraph,
                    ..q
                })
            }))
    }

    /// The named graphs of both sides.
    pub fn named_graphs(&self) -> Result<Vec<NamedNode>> {
        let mut graphs: Vec<NamedNode> = crate::data::graph::EMBEDDED
            .iter()
            .map(|f| f.graph_iri())
            .collect();
        if self.base.reasoning() != Reasoning::None {
            graphs.push(inferred_graph());
        }
        for graph in self.top.named_graphs() {
            if let NamedOrBlankNode::NamedNode(g) = graph.map_err(store_error)? {
                if !graphs.contains(&g) {
                    graphs.push(g);
                }
            }
        }
        Ok(graphs)
    }

    fn externalize(&self, term: &InternalTerm) -> Term {
        match term {
            InternalTerm::Id(id) => self.base.term(*id),
            InternalTerm::Other(term) => term.clone(),
        }
    }

    fn internalize(&self, term: Term) -> InternalTerm {
        match self.base.find(&term) {
            Some(id) => InternalTerm::Id(id),
            None => InternalTerm::Other(term),
        }
    }
}

fn as_subject(term: &Term) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

impl QueryableDataset<'static> for Overlay {
    type InternalTerm = InternalTerm;
    type Error = StorageError;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&InternalTerm>,
        predicate: Option<&InternalTerm>,
        object: Option<&InternalTerm>,
        graph_name: Option<Option<&InternalTerm>>,
    ) -> impl Iterator<Item = Result<InternalQuad<InternalTerm>, StorageError>> + use<> {
        let base = self
            .base
            .internal_quads_for_pattern(subject, predicate, object, graph_name)
            .map(|q| match q {
                Ok(q) => Ok(q),
                Err(never) => match never {},
            });
        // The store side, with the pattern's terms as terms (a subject or graph that cannot be
        // one, such as a literal, matches nothing).
        let s = subject.map(|t| self.externalize(t));
        let p = predicate.map(|t| self.externalize(t));
        let o = object.map(|t| self.externalize(t));
        let g = graph_name.map(|g| g.map(|t| self.externalize(t)));
        let impossible = s.as_ref().is_some_and(|s| as_subject(s).is_none())
            || matches!(&p, Some(p) if !matches!(p, Term::NamedNode(_)))
            || matches!(&g, Some(Some(g)) if as_subject(g).is_none());
        let top = (!impossible).then(|| {
            let predicate = match &p {
                Some(Term::NamedNode(n)) => Some(n.as_ref()),
                _ => None,
            };
            let graph = match &g {
                None => None,
                Some(None) => Some(GraphNameRef::DefaultGraph),
                Some(Some(term)) => as_subject(term).map(GraphNameRef::from),
            };
            self.top.quads_for_pattern(
                s.as_ref().and_then(as_subject),
                predicate,
                o.as_ref().map(Term::as_ref),
                graph,
            )
        });
        let any_named = g.is_none();
        let this = self.base;
        let internalize = move |term: Term| match this.find(&term) {
            Some(id) => InternalTerm::Id(id),
            None => InternalTerm::Other(term),
        };
        let top = top.into_iter().flatten().filter_map(move |quad| {
            let quad = match quad {
                Ok(quad) => quad,
                Err(e) => return Some(Err(e)),
            };
            // `None` asks for any named graph, not the default graph.
            let graph_name = match quad.graph_name {
                GraphName::DefaultGraph if any_named => return None,
                GraphName::DefaultGraph => None,
                GraphName::NamedNode(n) => Some(internalize(n.into())),
                GraphName::BlankNode(b) => Some(internalize(b.into())),
            };
            Some(Ok(InternalQuad {
                subject: internalize(quad.subject.into()),
                predicate: internalize(quad.predicate.into()),
                object: internalize(quad.object),
                graph_name,
            }))
        });
        base.chain(top)
    }

    fn internal_named_graphs(
        &self,
    ) -> impl Iterator<Item = Result<InternalTerm, StorageError>> + use<> {
        let graphs: Vec<Result<InternalTerm, StorageError>> = match self.named_graphs() {
            Ok(graphs) => graphs
                .into_iter()
                .map(|g| Ok(self.internalize(g.into())))
                .collect(),
            Err(e) => vec![Err(StorageError::Other(Box::new(std::io::Error::other(
                e.to_string(),
            ))))],
        };
        graphs.into_iter()
    }

    fn contains_internal_graph_name(
        &self,
        graph_name: &InternalTerm,
    ) -> Result<bool, StorageError> {
        if self
            .base
            .contains_internal_graph_name(graph_name)
            .unwrap_or(false)
        {
            return Ok(true);
        }
        match self.externalize(graph_name) {
            Term::NamedNode(n) => self.top.contains_named_graph(&n),
            Term::BlankNode(b) => self.top.contains_named_graph(&b),
            _ => Ok(false),
        }
    }

    fn internalize_term(&self, term: Term) -> Result<InternalTerm, StorageError> {
        Ok(self.internalize(term))
    }

    fn externalize_term(&self, term: InternalTerm) -> Result<Term, StorageError> {
        Ok(self.externalize(&term))
    }
}
