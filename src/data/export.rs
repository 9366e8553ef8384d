//! The dataset as [`Graphs`] to write out: graph by graph, whatever backs it, with or without
//! the entailments. Entailments (`graph:inferred`, and their copies in the default graph) are
//! written only when asked for — a dump with `--reasoning` — never back as asserted data by
//! `update -o` or `.save`.

use super::dataset::Dataset;
use crate::data::graph::{EMBEDDED, inferred_graph};
use crate::error::{Error, Result};
use crate::infer::Reasoning;
use crate::output::dataset::{Graphs, Quads};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Triple};
use std::collections::HashSet;

/// A dataset seen for writing.
pub struct Export<'a> {
    dataset: &'a Dataset,
    /// The entailments to leave out; empty when they are written.
    inferred: HashSet<Triple>,
    entailments: bool,
}

impl<'a> Export<'a> {
    pub fn new(dataset: &'a Dataset, entailments: bool) -> Result<Self> {
        let inferred = if entailments {
            HashSet::new()
        } else {
            let name = inferred_graph();
            dataset
                .graph_quads(Some(&name))?
                .map(|q| q.map(Triple::from))
                .collect::<Result<_>>()?
        };
        Ok(Self {
            dataset,
            inferred,
            entailments,
        })
    }
}

impl std::fmt::Debug for Export<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Export")
            .field("entailments", &self.entailments)
            .finish_non_exhaustive()
    }
}

impl Graphs for Export<'_> {
    fn names(&self) -> Result<Vec<NamedNode>> {
        let inferred = inferred_graph();
        Ok(self
            .dataset
            .named_graph_names()?
            .into_iter()
            .filter(|g| self.entailments || *g != inferred)
            .collect())
    }

    fn graph<'b>(
        &'b self,
        name: Option<&'b NamedNode>,
    ) -> Result<Box<dyn Iterator<Item = Result<Quad>> + 'b>> {
        let quads = self.dataset.graph_quads(name)?;
        if self.inferred.is_empty() || name.is_some() {
            return Ok(quads);
        }
        // The default graph holds a copy of each entailment.
        Ok(Box::new(quads.filter(move |q| {
            q.as_ref()
                .map_or(true, |q| !self.inferred.contains(&Triple::from(q.clone())))
        })))
    }

    fn unmerged_default<'b>(&'b self) -> Result<Option<Quads<'b>>> {
        if !self.dataset.default_graph_is_union() {
            return Ok(None);
        }
        // Entailments are in `graph:inferred`, so never among these (the files' copies of
        // theirs in their default graph are left out with the rest of their named graphs').
        Ok(Some(self.dataset.unmerged_default_quads()))
    }
}

impl Dataset {
    /// The named graphs, in the order they are written: the embedded files', then the rest.
    pub fn named_graph_names(&self) -> Result<Vec<NamedNode>> {
        let mut names: Vec<NamedNode> = EMBEDDED.iter().map(|f| f.graph_iri()).collect();
        if self.reasoning() != Reasoning::None {
            names.push(inferred_graph());
        }
        match self.storage_store() {
            Some(store) => {
                let mut held = Vec::new();
                for graph in store.named_graphs() {
                    if let NamedOrBlankNode::NamedNode(g) = graph.map_err(Error::store)? {
                        held.push(g);
                    }
                }
                names.retain(|n| held.contains(n));
                for graph in held {
                    if !names.contains(&graph) {
                        names.push(graph);
                    }
                }
            }
            None => {
                for graph in self.extra_graphs()? {
                    if !names.contains(&graph) {
                        names.push(graph);
                    }
                }
            }
        }
        Ok(names)
    }
}

/// The default graph's quads of a store whose triple no written (IRI-named) graph holds.
pub fn store_unmerged_default(store: &oxigraph::store::Store) -> Quads<'_> {
    let named = move |q: &Quad| -> Result<bool> {
        for held in store.quads_for_pattern(
            Some(q.subject.as_ref()),
            Some(q.predicate.as_ref()),
            Some(q.object.as_ref()),
            None,
        ) {
            // Only an IRI-named graph is written beside the default graph.
            if matches!(
                held.map_err(Error::store)?.graph_name,
                GraphName::NamedNode(_)
            ) {
                return Ok(true);
            }
        }
        Ok(false)
    };
    Box::new(store_graph(store, None).filter_map(
        move |q| match q.and_then(|q| Ok((named(&q)?, q))) {
            Ok((true, _)) => None,
            Ok((false, q)) => Some(Ok(q)),
            Err(e) => Some(Err(e)),
        },
    ))
}

/// The quads of a store's graph.
pub fn store_graph<'a>(
    store: &'a oxigraph::store::Store,
    name: Option<&'a NamedNode>,
) -> Box<dyn Iterator<Item = Result<Quad>> + 'a> {
    let graph = name.map_or(GraphNameRef::DefaultGraph, |n| n.as_ref().into());
    Box::new(
        store
            .quads_for_pattern(None, None, None, Some(graph))
            .map(|q| q.map_err(Error::store)),
    )
}

/// Quads of a graph from an iterator over all quads.
pub fn only_graph<'a>(
    quads: impl Iterator<Item = Result<Quad>> + 'a,
    name: Option<&'a NamedNode>,
) -> Box<dyn Iterator<Item = Result<Quad>> + 'a> {
    let wanted = name.map_or(GraphName::DefaultGraph, |n| GraphName::NamedNode(n.clone()));
    Box::new(quads.filter(move |q| q.as_ref().map_or(true, |q| q.graph_name == wanted)))
}
