//! The prebuilt embedded graph, queried in place: the index build.rs wrote is part of the binary,
//! so a query on the embedded graph needs no parsing and no store. Its default graph is the union
//! of its named graphs (one per file, and `graph:inferred` for the entailments at the chosen
//! reasoning level), which counts each triple once: build.rs refuses a triple stated in two
//! files, and the entailments are only triples no file states.

use super::guard;
use crate::data::blob::{self, Blob, Kind, OWL_ONLY, Order, TermParts};
use crate::infer::Reasoning;
use oxigraph::model::{
    BlankNodeRef, GraphName, LiteralRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, Term,
    TermRef, TripleRef,
};
use spareval::{InternalQuad, QueryableDataset};
use std::convert::Infallible;
use std::hash::{Hash, Hasher};
use std::sync::OnceLock;

static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/embedded.bin"));

/// The embedded graph as a read-only SPARQL dataset, with the entailments of one reasoning level.
#[derive(Debug, Clone, Copy)]
pub struct Prebuilt {
    blob: Blob<'static>,
    level: Reasoning,
    /// The id of `graph:inferred`.
    inferred: u32,
}

impl Prebuilt {
    /// The embedded graph with the entailments of `level` (its header is read once).
    pub fn with_reasoning(level: Reasoning) -> Self {
        static BLOB: OnceLock<(Blob<'static>, u32)> = OnceLock::new();
        let (blob, inferred) = *BLOB.get_or_init(|| {
            let blob =
                Blob::parse(BYTES).expect("build.rs writes the embedded graph in this layout");
            let inferred = blob
                .find(
                    Kind::Iri,
                    &super::embedded::inferred_graph().into_string(),
                    "",
                )
                .expect("build.rs writes graph:inferred");
            (blob, inferred)
        });
        Self {
            blob,
            level,
            inferred,
        }
    }

    /// The embedded graph with the default reasoning level (`owl`).
    pub fn get() -> Self {
        Self::with_reasoning(Reasoning::Owl)
    }

    pub fn reasoning(&self) -> Reasoning {
        self.level
    }

    /// The graph a stored graph id stands for at this level: `None` for an entailment the level
    /// leaves out; the OWL-only flag folded into `graph:inferred` otherwise.
    fn visible_graph(&self, stored: u32) -> Option<u32> {
        let graph = stored & !OWL_ONLY;
        let visible = if graph != self.inferred {
            true
        } else if stored & OWL_ONLY != 0 {
            self.level == Reasoning::Owl
        } else {
            self.level != Reasoning::None
        };
        visible.then_some(graph)
    }

    /// Number of quads at this level (each triple once, in the named graph of its file or in
    /// `graph:inferred`).
    pub fn len(&self) -> usize {
        self.triples().count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every quad at this level, each in the named graph of its file or in `graph:inferred`.
    pub fn quads(self) -> impl Iterator<Item = Quad> {
        (0..self.blob.quad_count()).filter_map(move |i| {
            let [s, p, o, g] = Order::Spo.unkey(self.blob.key(Order::Spo, i));
            let g = self.visible_graph(g)?;
            Some(Quad::new(
                subject(self.term(s)),
                NamedNode::new_unchecked(self.blob.term(p).value),
                self.term(o),
                GraphName::NamedNode(NamedNode::new_unchecked(self.blob.term(g).value)),
            ))
        })
    }

    /// The default graph at this level, borrowed from the binary (for as long as a caller
    /// needs): every triple once.
    pub fn triples<'a>(self) -> impl Iterator<Item = TripleRef<'a>> + Clone {
        (0..self.blob.quad_count()).filter_map(move |i| {
            let [s, p, o, g] = Order::Spo.unkey(self.blob.key(Order::Spo, i));
            self.visible_graph(g)?;
            let subject = match term_ref(self.blob.term(s)) {
                TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                TermRef::NamedNode(n) => n.into(),
                // Subjects are IRIs or blank nodes: build.rs only stores what Turtle allows.
                _ => return None,
            };
            let predicate = NamedNodeRef::new_unchecked(self.blob.term(p).value);
            Some(TripleRef::new(
                subject,
                predicate,
                term_ref(self.blob.term(o)),
            ))
        })
    }

    /// The term an id stands for.
    pub fn term(&self, id: u32) -> Term {
        term_of(self.blob.term(id))
    }

    /// The id of a term the embedded graph holds.
    pub fn find(&self, term: &Term) -> Option<u32> {
        let parts = parts(term);
        self.blob.find(parts.kind, parts.value, parts.extra)
    }
}

/// The term a blob's parts stand for (this index's, or the user's files').
pub fn term_of(parts: TermParts<'_>) -> Term {
    term_ref(parts).into_owned()
}

/// The same, borrowed from the blob.
pub fn term_ref(parts: TermParts<'_>) -> TermRef<'_> {
    match parts.kind {
        Kind::Iri => NamedNodeRef::new_unchecked(parts.value).into(),
        Kind::Blank => BlankNodeRef::new_unchecked(parts.value).into(),
        Kind::Simple => LiteralRef::new_simple_literal(parts.value).into(),
        Kind::Lang => {
            LiteralRef::new_language_tagged_literal_unchecked(parts.value, parts.extra).into()
        }
        Kind::Typed => {
            LiteralRef::new_typed_literal(parts.value, NamedNodeRef::new_unchecked(parts.extra))
                .into()
        }
    }
}

/// A term as a blob stores it: kind, value and language tag or datatype (an xsd:string is a
/// simple literal, as RDF 1.1 has it).
pub fn parts(term: &Term) -> TermParts<'_> {
    let (kind, value, extra) = match term {
        Term::NamedNode(n) => (Kind::Iri, n.as_str(), ""),
        Term::BlankNode(b) => (Kind::Blank, b.as_str(), ""),
        Term::Literal(l) => match l.language() {
            Some(language) => (Kind::Lang, l.value(), language),
            None if l.datatype() == oxigraph::model::vocab::xsd::STRING => {
                (Kind::Simple, l.value(), "")
            }
            None => (Kind::Typed, l.value(), l.datatype().as_str()),
        },
        // (Triple terms, under oxigraph's RDF 1.2 feature, are not enabled.)
        #[allow(unreachable_patterns)]
        _ => (Kind::Blank, "", ""),
    };
    TermParts { kind, value, extra }
}

fn subject(term: Term) -> oxigraph::model::NamedOrBlankNode {
    match term {
        Term::BlankNode(b) => b.into(),
        Term::NamedNode(n) => n.into(),
        // Subjects are IRIs or blank nodes: build.rs only stores what Turtle allows.
        other => NamedNode::new_unchecked(other.to_string()).into(),
    }
}

/// A term of a query against the embedded graph (and the user's files' index on top of it): an
/// id when the embedded graph holds the term, a file id when only the files do, the term itself
/// when neither does (a constant of the query, a computed value). A term a side holds is always
/// that side's id, the embedded graph's first, so equality of internal terms is equality of
/// terms.
///
/// Cloning and hashing one asks [`guard::check`] whether the statement was cancelled: those are
/// the loops a query that never reads the dataset spends its time in.
#[derive(Debug, PartialEq, Eq)]
pub enum InternalTerm {
    Id(u32),
    File(u32),
    Other(Term),
}

impl Clone for InternalTerm {
    fn clone(&self) -> Self {
        guard::check();
        match self {
            Self::Id(id) => Self::Id(*id),
            Self::File(id) => Self::File(*id),
            Self::Other(term) => Self::Other(term.clone()),
        }
    }
}

impl Hash for InternalTerm {
    fn hash<H: Hasher>(&self, state: &mut H) {
        guard::check();
        match self {
            Self::Id(id) => {
                state.write_u8(0);
                id.hash(state);
            }
            Self::File(id) => {
                state.write_u8(1);
                id.hash(state);
            }
            Self::Other(term) => {
                state.write_u8(2);
                term.hash(state);
            }
        }
    }
}

/// Which graphs a pattern matches.
#[derive(Debug, Clone, Copy)]
enum GraphFilter {
    /// The default graph: the union of all the files' graphs.
    Default,
    /// Any named graph.
    AnyNamed,
    Named(u32),
}

impl QueryableDataset<'static> for Prebuilt {
    type InternalTerm = InternalTerm;
    type Error = Infallible;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&InternalTerm>,
        predicate: Option<&InternalTerm>,
        object: Option<&InternalTerm>,
        graph_name: Option<Option<&InternalTerm>>,
    ) -> impl Iterator<Item = Result<InternalQuad<InternalTerm>, Infallible>> + use<> {
        let blob = self.blob;
        let this = *self;
        // A bound term the graph does not hold matches nothing.
        let id = |term: Option<&InternalTerm>| match term {
            None => Ok(None),
            Some(InternalTerm::Id(id)) => Ok(Some(*id)),
            Some(InternalTerm::File(_) | InternalTerm::Other(_)) => Err(()),
        };
        let filter = match graph_name {
            None => Ok(GraphFilter::AnyNamed),
            Some(None) => Ok(GraphFilter::Default),
            Some(Some(InternalTerm::Id(g))) => Ok(GraphFilter::Named(*g)),
            Some(Some(InternalTerm::File(_) | InternalTerm::Other(_))) => Err(()),
        };
        let (Ok(s), Ok(p), Ok(o), Ok(filter)) = (id(subject), id(predicate), id(object), filter)
        else {
            return Box::new(std::iter::empty())
                as Box<dyn Iterator<Item = Result<InternalQuad<InternalTerm>, Infallible>>>;
        };
        let (order, prefix, len) = blob::pattern(s, p, o);
        let range = blob.range(order, &prefix[..len]);
        Box::new(range.filter_map(move |i| {
            let [s, p, o, stored] = order.unkey(blob.key(order, i));
            let g = this.visible_graph(stored)?;
            let graph_name = match filter {
                GraphFilter::Default => None,
                GraphFilter::AnyNamed => Some(InternalTerm::Id(g)),
                GraphFilter::Named(wanted) if wanted == g => Some(InternalTerm::Id(g)),
                GraphFilter::Named(_) => return None,
            };
            Some(Ok(InternalQuad {
                subject: InternalTerm::Id(s),
                predicate: InternalTerm::Id(p),
                object: InternalTerm::Id(o),
                graph_name,
            }))
        }))
    }

    fn internal_named_graphs(
        &self,
    ) -> impl Iterator<Item = Result<InternalTerm, Infallible>> + use<> {
        let graphs: Vec<u32> = self
            .blob
            .graphs()
            .filter(|g| *g != self.inferred || self.level != Reasoning::None)
            .collect();
        graphs.into_iter().map(|g| Ok(InternalTerm::Id(g)))
    }

    fn contains_internal_graph_name(&self, graph_name: &InternalTerm) -> Result<bool, Infallible> {
        Ok(match graph_name {
            InternalTerm::Id(id) => {
                (*id != self.inferred || self.level != Reasoning::None)
                    && self.blob.graphs().any(|g| g == *id)
            }
            InternalTerm::File(_) | InternalTerm::Other(_) => false,
        })
    }

    fn internalize_term(&self, term: Term) -> Result<InternalTerm, Infallible> {
        Ok(match self.find(&term) {
            Some(id) => InternalTerm::Id(id),
            None => InternalTerm::Other(term),
        })
    }

    fn externalize_term(&self, term: InternalTerm) -> Result<Term, Infallible> {
        Ok(match term {
            InternalTerm::Id(id) => self.term(id),
            InternalTerm::Other(term) => term,
            // Only an overlay makes these, and it externalizes them itself.
            InternalTerm::File(_) => unreachable!("the embedded graph alone makes no file ids"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_term_is_found_by_itself() {
        let graph = Prebuilt::get();
        for id in 0..graph.blob.term_count() as u32 {
            let term = graph.term(id);
            assert_eq!(graph.find(&term), Some(id), "{term}");
        }
    }

    #[test]
    fn quads_are_in_named_graphs() {
        let graph = Prebuilt::get();
        assert!(!graph.is_empty());
        assert!(graph.quads().all(|q| {
            q.graph_name
                .to_string()
                .starts_with("<https://w3id.org/ffkg/graph/")
        }));
    }
}
