//! A user's files queried in place: their index ([`crate::data::index`]) alone, or on top of the
//! embedded graph's prebuilt index, the two queried together without copying. With the embedded
//! graph, the default graph is the union of both default graphs; a triple the embedded graph
//! already holds is left out of the files' index when it is built, so the union still counts
//! each triple once, and the entailments only the merge has are the files' index's.

use crate::data::graph::{self, DatasetSpec};
use crate::data::index::{Builder, FileIndex, GraphSel};
use crate::data::prebuilt::{InternalTerm, Prebuilt};
use crate::error::Result;
use crate::infer::Reasoning;
use oxigraph::model::{GraphName, NamedNode, Quad, Term};
use spareval::{InternalQuad, QueryableDataset};
use std::convert::Infallible;
use std::sync::Arc;

/// The user's files' index, with the embedded graph under it or not.
#[derive(Clone)]
pub struct Overlay {
    base: Option<Prebuilt>,
    files: Arc<FileIndex>,
}

impl std::fmt::Debug for Overlay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Overlay")
            .field("embedded", &self.base.is_some())
            .field("reasoning", &self.reasoning())
            .field("quads", &self.files.len())
            .finish()
    }
}

impl Overlay {
    /// Reads the spec's files into an index, on the embedded graph when the spec has it.
    pub fn load(spec: &DatasetSpec) -> Result<Self> {
        let mut builder = Builder::new();
        crate::data::reader::read(spec, &mut builder)?;
        let base = spec
            .embedded
            .then(|| Prebuilt::with_reasoning(spec.reasoning));
        Self::finish(builder, base, spec.reasoning)
    }

    /// An index file `ffkg index` wrote, alone.
    pub fn read(path: &std::path::Path) -> Result<Self> {
        Ok(Self {
            base: None,
            files: Arc::new(FileIndex::read(path)?),
        })
    }

    fn finish(builder: Builder, base: Option<Prebuilt>, level: Reasoning) -> Result<Self> {
        Ok(Self {
            base,
            files: Arc::new(builder.finish(base, level)?),
        })
    }

    /// The same files at another reasoning level (their entailments computed again).
    pub fn with_reasoning(&self, level: Reasoning) -> Result<Self> {
        let mut builder = Builder::new();
        for quad in self.files.asserted() {
            builder.push(quad);
        }
        let base = self.base.map(|_| Prebuilt::with_reasoning(level));
        Self::finish(builder, base, level)
    }

    pub fn base(&self) -> Option<Prebuilt> {
        self.base
    }

    pub fn files(&self) -> &FileIndex {
        &self.files
    }

    pub fn reasoning(&self) -> Reasoning {
        self.files.reasoning()
    }

    /// Every quad: the files', then the embedded graph's (each in the graph of its file). The
    /// files' default graph is among them; the embedded graph's is the union of its graphs.
    pub fn quads(&self) -> impl Iterator<Item = Quad> + '_ {
        self.files
            .quads()
            .chain(self.base.into_iter().flat_map(Prebuilt::quads))
    }

    /// The default graph's triples, as quads in the default graph.
    pub fn default_graph(&self) -> impl Iterator<Item = Quad> + '_ {
        let embedded = self
            .base
            .into_iter()
            .flat_map(Prebuilt::quads)
            .map(|q| Quad {
                graph_name: GraphName::DefaultGraph,
                ..q
            });
        self.own_default_graph().chain(embedded)
    }

    /// The files' own default graph: the quads in no named graph.
    pub fn own_default_graph(&self) -> impl Iterator<Item = Quad> + '_ {
        self.files
            .quads()
            .filter(|q| q.graph_name.is_default_graph())
    }

    /// The named graphs of both sides, the embedded graph's first.
    pub fn named_graphs(&self) -> Vec<NamedNode> {
        let mut graphs: Vec<NamedNode> = Vec::new();
        if let Some(base) = self.base {
            graphs.extend(graph::EMBEDDED.iter().map(|f| f.graph_iri()));
            if base.reasoning() != Reasoning::None {
                graphs.push(graph::inferred_graph());
            }
        }
        for id in self.files.graphs() {
            if let Term::NamedNode(g) = self.files.term(id) {
                if !graphs.contains(&g) {
                    graphs.push(g);
                }
            }
        }
        graphs
    }

    /// The number of triples in `graph:inferred`, on both sides.
    pub fn inferred_len(&self) -> usize {
        let inferred = GraphName::NamedNode(graph::inferred_graph());
        let base = self.base.map_or(0, |base| {
            base.quads().filter(|q| q.graph_name == inferred).count()
        });
        base + self.files.inferred_len()
    }

    fn externalize(&self, term: &InternalTerm) -> Term {
        match term {
            InternalTerm::Id(id) => match self.base {
                Some(base) => base.term(*id),
                None => unreachable!("no embedded ids without the embedded graph"),
            },
            InternalTerm::File(id) => self.files.term(*id),
            InternalTerm::Other(term) => term.clone(),
        }
    }

    fn internalize(&self, term: Term) -> InternalTerm {
        if let Some(id) = self.base.and_then(|base| base.find(&term)) {
            return InternalTerm::Id(id);
        }
        match self.files.find(&term) {
            Some(id) => InternalTerm::File(id),
            None => InternalTerm::Other(term),
        }
    }
}

type Quads = Box<dyn Iterator<Item = Result<InternalQuad<InternalTerm>, Infallible>>>;

impl QueryableDataset<'static> for Overlay {
    type InternalTerm = InternalTerm;
    type Error = Infallible;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&InternalTerm>,
        predicate: Option<&InternalTerm>,
        object: Option<&InternalTerm>,
        graph_name: Option<Option<&InternalTerm>>,
    ) -> impl Iterator<Item = Result<InternalQuad<InternalTerm>, Infallible>> + use<> {
        let base: Quads = match self.base {
            Some(base) => {
                Box::new(base.internal_quads_for_pattern(subject, predicate, object, graph_name))
            }
            None => Box::new(std::iter::empty()),
        };
        // The files' side, with the pattern's terms as the files' ids: a term they lack
        // matches nothing there.
        let files = &self.files;
        let local = |term: Option<&InternalTerm>| match term {
            None => Ok(None),
            Some(term) => files.local_id(term).map(Some).ok_or(()),
        };
        let graph = match graph_name {
            None => Ok(GraphSel::AnyNamed),
            Some(None) => Ok(GraphSel::Default),
            Some(Some(g)) => files.local_id(g).map(GraphSel::Named).ok_or(()),
        };
        let (Ok(s), Ok(p), Ok(o), Ok(graph)) =
            (local(subject), local(predicate), local(object), graph)
        else {
            return base;
        };
        let default = graph_name == Some(None);
        let index = Arc::clone(files);
        let found = files.matching(s, p, o, graph).map(move |[s, p, o, g]| {
            Ok(InternalQuad {
                subject: index.internal(s),
                predicate: index.internal(p),
                object: index.internal(o),
                graph_name: (!default).then(|| index.internal(g)),
            })
        });
        Box::new(base.chain(found)) as Quads
    }

    fn internal_named_graphs(
        &self,
    ) -> impl Iterator<Item = Result<InternalTerm, Infallible>> + use<> {
        let graphs: Vec<Result<InternalTerm, Infallible>> = self
            .named_graphs()
            .into_iter()
            .map(|g| Ok(self.internalize(g.into())))
            .collect();
        graphs.into_iter()
    }

    fn contains_internal_graph_name(&self, graph_name: &InternalTerm) -> Result<bool, Infallible> {
        let in_base = self.base.is_some_and(|base| {
            base.contains_internal_graph_name(graph_name)
                .unwrap_or_else(|never| match never {})
        });
        let in_files = self
            .files
            .local_id(graph_name)
            .is_some_and(|id| self.files.contains_graph(id));
        Ok(in_base || in_files)
    }

    fn internalize_term(&self, term: Term) -> Result<InternalTerm, Infallible> {
        Ok(self.internalize(term))
    }

    fn externalize_term(&self, term: InternalTerm) -> Result<Term, Infallible> {
        Ok(self.externalize(&term))
    }
}
