//! A user's files as a compact index in the embedded graph's layout ([`crate::data::blob`]):
//! parsed once, terms interned and sorted, quads sorted in three orders, then queried in place
//! as build.rs's index is — no store, no copy. Literals keep the form they were written in (a
//! store turns `"01"^^xsd:integer` into `"1"`). Unlike the embedded graph's, this index holds a
//! default graph of its own: its quads carry [`DEFAULT_GRAPH`] as their graph id.

use crate::data::blob::{self, DEFAULT_GRAPH, Kind, Order, Owned, TermParts};
use crate::data::graph::inferred_graph;
use crate::data::prebuilt::{InternalTerm, Prebuilt, parts, term_of};
use crate::data::starts::Starts;
use crate::error::{Error, Result};
use crate::infer::Reasoning;
use indexmap::IndexSet;
use oxigraph::model::{
    BlankNode, GraphName, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, TermRef,
    Triple, TripleRef,
};
use std::collections::HashMap;

/// No embedded id: the term is the files' alone.
const NOT_EMBEDDED: u32 = u32::MAX;

/// Quads with their terms interned: a user's files as they are read, or one piece of a file
/// parsed on its own thread (see [`crate::data::reader`]).
#[derive(Debug, Default)]
pub struct Interned {
    /// (foldhash: seeded per process like std's hasher, and several times faster on terms.)
    terms: IndexSet<Term, foldhash::fast::RandomState>,
    /// `[s, p, o, g]` as indexes into `terms` (`g` is [`DEFAULT_GRAPH`] for the default graph).
    quads: Vec<[u32; 4]>,
}

impl Interned {
    fn intern(&mut self, term: Term) -> u32 {
        // Ids stop short of DEFAULT_GRAPH; `finish` refuses an index with more terms than that.
        let (id, _) = self.terms.insert_full(term);
        u32::try_from(id).unwrap_or(NOT_EMBEDDED - 1)
    }

    pub fn push(&mut self, quad: Quad) {
        let s = self.intern(quad.subject.into());
        let p = self.intern(quad.predicate.into());
        let o = self.intern(quad.object);
        let g = match quad.graph_name {
            GraphName::DefaultGraph => DEFAULT_GRAPH,
            GraphName::NamedNode(n) => self.intern(n.into()),
            GraphName::BlankNode(b) => self.intern(b.into()),
        };
        self.quads.push([s, p, o, g]);
    }

    /// The number of quads.
    pub fn len(&self) -> usize {
        self.quads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.quads.is_empty()
    }

    pub fn push_triple(&mut self, triple: Triple) {
        let s = self.intern(triple.subject.into());
        let p = self.intern(triple.predicate.into());
        let o = self.intern(triple.object);
        self.quads.push([s, p, o, DEFAULT_GRAPH]);
    }
}

/// How one file's pieces join the index: its blank nodes renamed alike in every piece (and
/// apart from other files'), its default graph (a `--named` file's own graph), and whether its
/// named graphs are copied into the default graph too (beside the embedded graph).
#[derive(Debug, Default)]
pub struct FileJoin {
    blanks: HashMap<BlankNode, BlankNode>,
    default_graph: Option<u32>,
    copy_named: bool,
}

/// The quads of a user's files as they are read, their terms interned.
#[derive(Debug, Default)]
pub struct Builder {
    files: Interned,
}

/// Where a builder stood before a file, to go back to when the file is read again.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    terms: usize,
    quads: usize,
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, quad: Quad) {
        self.files.push(quad);
    }

    pub fn len(&self) -> usize {
        self.files.quads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.quads.is_empty()
    }

    fn intern(&mut self, term: Term) -> u32 {
        self.files.intern(term)
    }

    /// How the pieces of a file join: `graph` is its default graph, when not the index's.
    pub fn join(&mut self, graph: Option<NamedNode>, copy_named: bool) -> FileJoin {
        FileJoin {
            blanks: HashMap::new(),
            default_graph: graph.map(|g| self.intern(g.into())),
            copy_named,
        }
    }

    /// Adds a piece of a file, parsed apart, renumbering its terms into the index's.
    pub fn absorb(&mut self, piece: Interned, file: &mut FileJoin) {
        // The first piece of the first file is taken as it is when nothing in it is renamed or
        // moved: its ids are already the index's.
        let as_it_is = self.files.terms.is_empty()
            && file.default_graph.is_none()
            && !piece.terms.iter().any(Term::is_blank_node)
            && !(file.copy_named && piece.quads.iter().any(|q| q[3] != DEFAULT_GRAPH));
        if as_it_is {
            self.files = piece;
            return;
        }
        let ids: Vec<u32> = piece
            .terms
            .into_iter()
            .map(|term| {
                let term = match term {
                    Term::BlankNode(b) => file.blanks.entry(b).or_default().clone().into(),
                    term => term,
                };
                self.intern(term)
            })
            .collect();
        let quads = &mut self.files.quads;
        quads.reserve(piece.quads.len());
        for [s, p, o, g] in piece.quads {
            let [s, p, o] = [s, p, o].map(|id| ids[id as usize]);
            let g = match g {
                DEFAULT_GRAPH => file.default_graph.unwrap_or(DEFAULT_GRAPH),
                g => ids[g as usize],
            };
            if file.copy_named && g != DEFAULT_GRAPH {
                quads.push([s, p, o, DEFAULT_GRAPH]);
            }
            quads.push([s, p, o, g]);
        }
    }

    pub fn mark(&self) -> Mark {
        Mark {
            terms: self.files.terms.len(),
            quads: self.files.quads.len(),
        }
    }

    /// Forgets what was added since `mark`.
    pub fn rewind(&mut self, mark: Mark) {
        self.files.terms.truncate(mark.terms);
        self.files.quads.truncate(mark.quads);
    }

    fn triple(&self, [s, p, o, _]: [u32; 4]) -> TripleRef<'_> {
        let term = |id: u32| self.files.terms[id as usize].as_ref();
        TripleRef::new(as_subject(term(s)), as_predicate(term(p)), term(o))
    }

    /// The index: with `base`, what the embedded graph already holds is left out (so the union
    /// counts each triple once), and the entailments at its reasoning level of the merge that it
    /// lacks are added to `graph:inferred` and the default graph; without, the entailments of the
    /// files' default graph at `level`.
    pub fn finish(mut self, base: Option<Prebuilt>, level: Reasoning) -> Result<FileIndex> {
        let level = base.map_or(level, |b| b.reasoning());
        if self.files.terms.len() >= NOT_EMBEDDED as usize - 1 {
            return Err(too_large());
        }
        let mut in_base = Vec::new();
        if let Some(base) = base {
            in_base = self
                .files
                .terms
                .iter()
                .map(|t| embedded_id(base, t))
                .collect();
            self.files
                .quads
                .retain(|&quad| !base_holds(base, &in_base, quad, quad[3] == DEFAULT_GRAPH));
        }
        self.add_entailments(base, level);
        if let Some(base) = base {
            // Terms the entailments brought (a vocabulary term, say) are looked up too.
            let known = in_base.len();
            in_base.extend(
                self.files.terms[known..]
                    .iter()
                    .map(|t| embedded_id(base, t)),
            );
        }
        self.files.quads.sort_unstable();
        self.files.quads.dedup();
        self.index(in_base, level)
    }

    /// Adds the entailments of the files' default graph, on the embedded graph when `base` is
    /// there. The reasoner is given the embedded graph with its entailments at the level, so it
    /// hands back only what the files add: what the embedded graph entails alone it already
    /// holds, and is not found again.
    fn add_entailments(&mut self, base: Option<Prebuilt>, level: Reasoning) {
        if level == Reasoning::None {
            return;
        }
        let files = self.files.quads.iter().filter(|q| q[3] == DEFAULT_GRAPH);
        let total = base.map_or(0, |b| b.len()) + files.clone().count();
        let embedded = base.map(|b| b.triples()).into_iter().flatten();
        let asserted = files.map(|&q| self.triple(q)).chain(embedded);
        let bar = crate::output::progress::triples(total as u64, "reasoning", 100_000);
        let mut new = Vec::new();
        crate::infer::for_each_entailment(
            asserted,
            level,
            &mut |done| bar.set_position(done),
            &mut |triple| new.push(triple.into_owned()),
        );
        bar.finish_and_clear();
        if new.is_empty() {
            return;
        }
        let inferred = self.intern(inferred_graph().into());
        for triple in new {
            let s = self.intern(triple.subject.into());
            let p = self.intern(triple.predicate.into());
            let o = self.intern(triple.object);
            self.files.quads.push([s, p, o, inferred]);
            self.files.quads.push([s, p, o, DEFAULT_GRAPH]);
        }
    }

    /// Sorts the terms into the blob's order, renumbers the quads and encodes them; `in_base`
    /// is each term's embedded id (empty without the embedded graph).
    fn index(self, in_base: Vec<u32>, level: Reasoning) -> Result<FileIndex> {
        let Interned { terms, mut quads } = self.files;
        let what = format!(
            "sorting {} terms and {} quads",
            indicatif::HumanCount(terms.len() as u64),
            indicatif::HumanCount(quads.len() as u64)
        );
        let spinner = crate::output::progress::step(&what, quads.len() as u64, 1_000_000);
        let keyed: Vec<(TermParts<'_>, u32)> = terms.iter().map(parts).zip(0..).collect();
        let order: Vec<u32> = sort_on_two_threads(keyed, |(a, _), (b, _)| {
            (a.kind, a.value, a.extra).cmp(&(b.kind, b.value, b.extra))
        })
        .into_iter()
        .map(|(_, id)| id)
        .collect();
        let mut renumber = vec![0u32; terms.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        let map = |id: u32| match id {
            DEFAULT_GRAPH => DEFAULT_GRAPH,
            id => renumber[id as usize],
        };
        for quad in &mut quads {
            *quad = quad.map(map);
        }
        let mut graphs: Vec<u32> = quads
            .iter()
            .map(|q| q[3])
            .filter(|&g| g != DEFAULT_GRAPH)
            .collect();
        graphs.sort_unstable();
        graphs.dedup();
        let in_base = match in_base.is_empty() {
            true => vec![NOT_EMBEDDED; terms.len()],
            false => order.iter().map(|&old| in_base[old as usize]).collect(),
        };
        let sorted = order.iter().map(|&id| parts(&terms[id as usize]));
        let blob = blob::encode_owned(sorted, &quads, &graphs).ok_or_else(too_large)?;
        spinner.finish_and_clear();
        Ok(FileIndex::new(blob, in_base, level))
    }
}

/// Sorts each half on a thread of its own, then merges them: the term table of a large dump
/// takes a second to sort on one core.
fn sort_on_two_threads<T: Copy + Send>(
    mut items: Vec<T>,
    compare: impl Fn(&T, &T) -> std::cmp::Ordering + Sync,
) -> Vec<T> {
    if items.len() < 1 << 16 {
        items.sort_unstable_by(&compare);
        return items;
    }
    let half = items.len() / 2;
    let (left, right) = items.split_at_mut(half);
    std::thread::scope(|scope| {
        scope.spawn(|| left.sort_unstable_by(&compare));
        right.sort_unstable_by(&compare);
    });
    let (left, right) = items.split_at(half);
    let mut merged = Vec::with_capacity(items.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if compare(&right[j], &left[i]).is_lt() {
            merged.push(right[j]);
            j += 1;
        } else {
            merged.push(left[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    merged
}

fn too_large() -> Error {
    Error::usage(
        "the files are too large for an in-memory index (over 4 GiB of term text or 4 billion \
         terms): load them into a store with `ffkg load` and query it with --store",
    )
}

/// The id of `term` in the embedded graph, or [`NOT_EMBEDDED`].
fn embedded_id(base: Prebuilt, term: &Term) -> u32 {
    base.find(term).unwrap_or(NOT_EMBEDDED)
}

/// True when the embedded graph holds the quad: in its default graph (the union of its graphs)
/// when `default`, else in the same named graph.
fn base_holds(base: Prebuilt, in_base: &[u32], quad: [u32; 4], default: bool) -> bool {
    let [s, p, o, g] = quad.map(|id| match id {
        DEFAULT_GRAPH => NOT_EMBEDDED,
        id => in_base[id as usize],
    });
    if [s, p, o].contains(&NOT_EMBEDDED) || (!default && g == NOT_EMBEDDED) {
        return false;
    }
    let graph = (!default).then_some(InternalTerm::Id(g));
    base_matches(base, [s, p, o], graph.as_ref())
}

fn base_matches(base: Prebuilt, [s, p, o]: [u32; 3], graph: Option<&InternalTerm>) -> bool {
    use spareval::QueryableDataset;
    base.internal_quads_for_pattern(
        Some(&InternalTerm::Id(s)),
        Some(&InternalTerm::Id(p)),
        Some(&InternalTerm::Id(o)),
        Some(graph),
    )
    .next()
    .is_some()
}

fn as_subject(term: TermRef<'_>) -> NamedOrBlankNodeRef<'_> {
    match term {
        TermRef::BlankNode(b) => b.into(),
        TermRef::NamedNode(n) => n.into(),
        // Never taken: `push` interns only subjects here (IRIs and blank nodes).
        _ => oxigraph::model::vocab::rdf::NIL.into(),
    }
}

fn as_predicate(term: TermRef<'_>) -> oxigraph::model::NamedNodeRef<'_> {
    match term {
        TermRef::NamedNode(n) => n,
        // Never taken, as above: predicates are IRIs.
        _ => oxigraph::model::vocab::rdf::NIL,
    }
}

/// Which graphs a pattern on the files matches.
#[derive(Debug, Clone, Copy)]
pub enum GraphSel {
    Default,
    AnyNamed,
    Named(u32),
}

/// The user's files, indexed.
#[derive(Debug)]
pub struct FileIndex {
    blob: Owned,
    /// Where each id's keys start, for the probes of joins.
    starts: Starts,
    /// Each term's id in the embedded graph the index was built on top of, or [`NOT_EMBEDDED`].
    in_base: Vec<u32>,
    /// The other way: the files' id of each term both hold.
    from_base: HashMap<u32, u32>,
    /// The id of `graph:inferred`, when the files have entailments of their own.
    inferred: Option<u32>,
    level: Reasoning,
}

impl FileIndex {
    /// `in_base` holds each term's id in the embedded graph, or [`NOT_EMBEDDED`].
    fn new(blob: Owned, in_base: Vec<u32>, level: Reasoning) -> Self {
        let view = blob.view();
        let from_base = (0u32..)
            .zip(&in_base)
            .filter(|&(_, &e)| e != NOT_EMBEDDED)
            .map(|(id, &e)| (e, id))
            .collect();
        let inferred = view.find(Kind::Iri, inferred_graph().as_str(), "");
        Self {
            blob,
            starts: Starts::default(),
            in_base,
            from_base,
            inferred,
            level,
        }
    }

    /// Reads a spec's files (not the embedded graph: see [`crate::data::overlay`] for both) into
    /// an index with the entailments of the spec's level; also the files' size on disk.
    pub fn build(spec: &crate::data::graph::DatasetSpec) -> Result<(Self, u64)> {
        let mut builder = Builder::new();
        let bytes = crate::data::reader::read(spec, &mut builder)?.bytes;
        Ok((builder.finish(None, spec.reasoning)?, bytes))
    }

    pub fn term_count(&self) -> usize {
        self.blob.view().term_count()
    }

    /// Reads an index file `ffkg index` wrote (checked whole first: see [`crate::data::ffx`]).
    pub fn read(path: &std::path::Path) -> Result<Self> {
        let (blob, level) = crate::data::ffx::read(path)?;
        let terms = blob.view().term_count();
        Ok(Self::new(blob, vec![NOT_EMBEDDED; terms], level))
    }

    /// Writes the index to `path` (replaced only once the new file is complete); its size.
    pub fn write(&self, path: &std::path::Path) -> Result<u64> {
        crate::data::ffx::write(path, &self.blob, self.level)
    }

    pub fn blob(&self) -> &Owned {
        &self.blob
    }

    /// The reasoning level its entailments were computed at.
    pub fn reasoning(&self) -> Reasoning {
        self.level
    }

    pub fn len(&self) -> usize {
        self.blob.view().quad_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn term(&self, id: u32) -> Term {
        term_of(self.blob.view().term(id))
    }

    /// The files' id of a term they hold.
    pub fn find(&self, term: &Term) -> Option<u32> {
        let p = parts(term);
        self.blob.view().find(p.kind, p.value, p.extra)
    }

    /// The files' id for an internal term of a query: `None` when the files lack the term.
    pub fn local_id(&self, term: &InternalTerm) -> Option<u32> {
        match term {
            InternalTerm::File(id) => Some(*id),
            InternalTerm::Id(embedded) => self.from_base.get(embedded).copied(),
            InternalTerm::Other(_) => None,
        }
    }

    /// The internal term for one of the files' ids: the embedded graph's id when it holds the
    /// term too, so that both sides name a term alike.
    pub fn internal(&self, id: u32) -> InternalTerm {
        match self.in_base.get(id as usize) {
            Some(&embedded) if embedded != NOT_EMBEDDED => InternalTerm::Id(embedded),
            _ => InternalTerm::File(id),
        }
    }

    /// The stored quads `[s, p, o, g]` that match, in one of the index's orders.
    pub fn matching(
        self: &std::sync::Arc<Self>,
        s: Option<u32>,
        p: Option<u32>,
        o: Option<u32>,
        graph: GraphSel,
    ) -> impl Iterator<Item = [u32; 4]> + use<> {
        let (order, prefix, len) = blob::pattern(s, p, o);
        let range = self.starts.range(self.blob.view(), order, &prefix[..len]);
        let this = std::sync::Arc::clone(self);
        range.filter_map(move |i| {
            let quad = order.unkey(this.blob.view().key(order, i));
            let wanted = match graph {
                GraphSel::Default => quad[3] == DEFAULT_GRAPH,
                GraphSel::AnyNamed => quad[3] != DEFAULT_GRAPH,
                GraphSel::Named(g) => quad[3] == g,
            };
            wanted.then_some(quad)
        })
    }

    /// The named graphs the files hold.
    pub fn graphs(&self) -> impl Iterator<Item = u32> + '_ {
        self.blob.view().graphs()
    }

    pub fn contains_graph(&self, id: u32) -> bool {
        self.graphs().any(|g| g == id)
    }

    /// Every quad, as terms (`DEFAULT_GRAPH` as the default graph).
    pub fn quads(&self) -> impl Iterator<Item = Quad> + '_ {
        let view = self.blob.view();
        (0..view.quad_count()).map(move |i| self.quad(Order::Spo.unkey(view.key(Order::Spo, i))))
    }

    fn quad(&self, [s, p, o, g]: [u32; 4]) -> Quad {
        let subject = match self.term(s) {
            Term::BlankNode(b) => NamedOrBlankNode::from(b),
            Term::NamedNode(n) => n.into(),
            other => NamedNode::new_unchecked(other.to_string()).into(),
        };
        let predicate = match self.term(p) {
            Term::NamedNode(n) => n,
            other => NamedNode::new_unchecked(other.to_string()),
        };
        let graph = match g {
            DEFAULT_GRAPH => GraphName::DefaultGraph,
            g => match self.term(g) {
                Term::BlankNode(b) => b.into(),
                Term::NamedNode(n) => n.into(),
                other => NamedNode::new_unchecked(other.to_string()).into(),
            },
        };
        Quad::new(subject, predicate, self.term(o), graph)
    }

    /// The quads as the files stated them: without the entailments (`graph:inferred` and their
    /// copies in the default graph), to build again at another level or copy into a store.
    pub fn asserted(&self) -> impl Iterator<Item = Quad> + '_ {
        let view = self.blob.view();
        let inferred = self.inferred;
        (0..view.quad_count()).filter_map(move |i| {
            let quad = Order::Spo.unkey(view.key(Order::Spo, i));
            let entailed = inferred.is_some_and(|g| {
                quad[3] == g
                    || (quad[3] == DEFAULT_GRAPH
                        && self
                            .starts
                            .range(view, Order::Spo, &[quad[0], quad[1], quad[2]])
                            .any(|j| view.key(Order::Spo, j)[3] == g))
            });
            (!entailed).then(|| self.quad(quad))
        })
    }

    /// The number of entailments the files add.
    pub fn inferred_len(&self) -> usize {
        self.inferred.map_or(0, |g| {
            let view = self.blob.view();
            (0..view.quad_count())
                .filter(|&i| view.key(Order::Spo, i)[3] == g)
                .count()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::sort_on_two_threads;

    #[test]
    fn two_threads_sort_as_one_does() {
        // Large enough to be split; repeated keys, and a key that decides ties apart.
        let items: Vec<(u32, u32)> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) % 1000, i))
            .collect();
        let mut expected = items.clone();
        expected.sort_unstable_by_key(|&(k, i)| (k, i));
        assert_eq!(sort_on_two_threads(items, |a, b| a.cmp(b)), expected);
        assert_eq!(
            sort_on_two_threads(vec![3, 1, 2], |a, b| a.cmp(b)),
            [1, 2, 3]
        );
    }
}
