//! The merge rule for updates on the embedded graph: its default graph is the merge of its
//! named graphs, and an update keeps it so, as RDF4J and GraphDB treat their default graph. A
//! triple deleted from the default graph is deleted from every graph of the merge; one
//! inserted into the default graph alone goes into `graph:user`; a triple inserted into or
//! deleted from a graph of the merge is inserted into or (when no other graph holds it)
//! deleted from the default graph. The graphs of `--named` files stand apart and are left as
//! they are.
//!
//! The store keeps the merge as a real default graph (so each triple counts once); the rule is
//! applied after each update from the difference between the store before and after it.

use crate::error::{Error, Result};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad, Triple};
use oxigraph::store::Store;
use std::collections::HashSet;

/// `graph:user`: where triples inserted into the default graph alone are kept.
pub fn user_graph() -> NamedNode {
    NamedNode::new_unchecked("https://w3id.org/ffkg/graph/user")
}

/// Which named graphs are not part of the merge.
#[derive(Debug, Clone, Default)]
pub struct Merge {
    apart: HashSet<NamedNode>,
}

/// The store's quads before an update, to tell afterwards what it changed.
#[derive(Debug)]
pub struct Before(HashSet<Quad>);

impl Merge {
    /// A merge that leaves out `apart` (the `--named` files' graphs).
    pub fn apart(apart: impl IntoIterator<Item = NamedNode>) -> Self {
        Self {
            apart: apart.into_iter().collect(),
        }
    }

    /// True when no graph stands apart: the default graph is the merge of them all.
    pub fn is_whole(&self) -> bool {
        self.apart.is_empty()
    }

    fn member(&self, graph: &GraphName) -> Option<NamedNode> {
        match graph {
            GraphName::NamedNode(g) if !self.apart.contains(g) => Some(g.clone()),
            _ => None,
        }
    }

    /// The store's state before an update.
    pub fn before(store: &Store) -> Result<Before> {
        Ok(Before(
            store
                .iter()
                .collect::<std::result::Result<_, _>>()
                .map_err(Error::store)?,
        ))
    }

    /// Applies the rule to what an update changed.
    pub fn reconcile(&self, store: &Store, before: &Before) -> Result<()> {
        let after: HashSet<Quad> = store
            .iter()
            .collect::<std::result::Result<_, _>>()
            .map_err(Error::store)?;
        let members: Vec<NamedNode> = store
            .named_graphs()
            .filter_map(|g| match g {
                Ok(NamedOrBlankNode::NamedNode(g)) if !self.apart.contains(&g) => Some(Ok(g)),
                Ok(_) => None,
                Err(e) => Some(Err(Error::store(e))),
            })
            .collect::<Result<_>>()?;
        let in_some_member = |triple: &Triple| {
            members
                .iter()
                .any(|g| after.contains(&triple.clone().in_graph(GraphName::NamedNode(g.clone()))))
        };
        let mut remove = Vec::new();
        let mut insert = Vec::new();
        for quad in before.0.difference(&after) {
            let triple = Triple::from(quad.clone());
            if quad.graph_name == GraphName::DefaultGraph {
                for graph in &members {
                    let copy = triple.clone().in_graph(GraphName::NamedNode(graph.clone()));
                    // A graph the update itself put the triple in keeps it (MOVE DEFAULT TO g).
                    if !after.contains(&copy) || before.0.contains(&copy) {
                        remove.push(copy);
                    }
                }
            } else if self.member(&quad.graph_name).is_some() && !in_some_member(&triple) {
                remove.push(triple.in_graph(GraphName::DefaultGraph));
            }
        }
        for quad in after.difference(&before.0) {
            let triple = Triple::from(quad.clone());
            if quad.graph_name == GraphName::DefaultGraph {
                if !in_some_member(&triple) {
                    insert.push(triple.in_graph(GraphName::NamedNode(user_graph())));
                }
            } else if self.member(&quad.graph_name).is_some() {
                insert.push(triple.in_graph(GraphName::DefaultGraph));
            }
        }
        for quad in &remove {
            store.remove(quad).map_err(Error::store)?;
        }
        store.extend(insert).map_err(Error::store)
    }
}
