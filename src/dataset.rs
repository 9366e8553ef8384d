//! The session's dataset: what queries, updates, `.load` and dumps run against, whichever way
//! it was built. The embedded graph alone is queried in place from its prebuilt index (no
//! start-up cost); user files, updates and persistent stores use an oxigraph store, into which
//! the embedded graph is copied the first time it is needed.

use crate::error::{Error, Result};
use crate::format::Format;
use crate::graph::{self, DatasetSpec};
use crate::prebuilt::Prebuilt;
use crate::prefixes::PrefixMap;
use crate::render;
use crate::sparql::evaluation_error;
use crate::store;
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::sparql::{PreparedSparqlQuery, PreparedSparqlUpdate, QueryExplanation, QueryResults};
use oxigraph::store::Store;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the dataset comes from, validated from the command line.
#[derive(Debug, Clone)]
pub enum DatasetChoice {
    /// Built in memory from the embedded graph and the user's files.
    Memory(DatasetSpec),
    /// A persistent store on disk.
    Persistent(PathBuf),
}

enum Backend {
    /// The embedded graph, read-only, in place.
    Prebuilt(Prebuilt),
    /// An oxigraph store; `persistent` when it is on disk.
    Store { store: Store, persistent: bool },
}

/// A dataset queries run against.
pub struct Dataset {
    backend: Backend,
}

impl std::fmt::Debug for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.backend {
            Backend::Prebuilt(_) => "prebuilt",
            Backend::Store {
                persistent: true, ..
            } => "persistent store",
            Backend::Store { .. } => "in-memory store",
        };
        f.debug_struct("Dataset").field("backend", &kind).finish()
    }
}

impl Dataset {
    /// Builds the in-memory dataset or opens the persistent store.
    pub fn open(choice: &DatasetChoice) -> Result<Self> {
        let backend = match choice {
            DatasetChoice::Memory(spec)
                if spec.embedded && spec.data.is_empty() && spec.named.is_empty() =>
            {
                Backend::Prebuilt(Prebuilt::get())
            }
            DatasetChoice::Memory(spec) => Backend::Store {
                store: graph::build(spec)?,
                persistent: false,
            },
            DatasetChoice::Persistent(dir) => Backend::Store {
                store: store::open_existing(dir)?,
                persistent: true,
            },
        };
        Ok(Self { backend })
    }

    /// Opens (creating when missing) a persistent store, for updates.
    pub fn open_or_create_store(dir: &Path) -> Result<Self> {
        Ok(Self {
            backend: Backend::Store {
                store: store::open(dir)?,
                persistent: true,
            },
        })
    }

    /// Wraps an in-memory store built elsewhere (tests, harnesses).
    pub fn from_store(store: Store) -> Self {
        Self {
            backend: Backend::Store {
                store,
                persistent: false,
            },
        }
    }

    /// The embedded graph alone, read-only.
    pub fn from_prebuilt(graph: Prebuilt) -> Self {
        Self {
            backend: Backend::Prebuilt(graph),
        }
    }

    /// The dataset of a spec, in memory.
    pub fn build(spec: &DatasetSpec) -> Result<Self> {
        Self::open(&DatasetChoice::Memory(spec.clone()))
    }

    /// True when changes are saved to disk as they are made.
    pub fn is_persistent(&self) -> bool {
        matches!(
            self.backend,
            Backend::Store {
                persistent: true,
                ..
            }
        )
    }

    /// Starts a query; its results stream as they are read.
    pub fn query(&self, query: PreparedSparqlQuery, origin: &str) -> Result<QueryResults<'static>> {
        let results = match &self.backend {
            Backend::Prebuilt(graph) => query.on_queryable_dataset(*graph).execute(),
            Backend::Store { store, .. } => query.on_store(store).execute(),
        };
        results.map_err(|e| evaluation_error(origin, e))
    }

    /// Runs a query to its end and explains how it was evaluated (with statistics).
    pub fn explain(&self, query: PreparedSparqlQuery) -> QueryExplanation {
        match &self.backend {
            Backend::Prebuilt(graph) => {
                query
                    .on_queryable_dataset(*graph)
                    .compute_statistics()
                    .explain()
                    .1
            }
            Backend::Store { store, .. } => query.on_store(store).compute_statistics().explain().1,
        }
    }

    /// Runs an update.
    pub fn update(&mut self, update: PreparedSparqlUpdate, origin: &str) -> Result<()> {
        update
            .on_store(self.store()?)
            .execute()
            .map_err(|e| Error::QueryEvaluation {
                origin: origin.to_owned(),
                message: e.to_string(),
            })
    }

    /// Adds a file: into `graph` when given, else into the default graph (quads keep theirs).
    pub fn load(
        &mut self,
        path: &Path,
        format: Option<Format>,
        graph: Option<NamedNode>,
    ) -> Result<()> {
        graph::load_file(self.store()?, path, format, graph)
    }

    /// Writes the dataset (every graph in N-Quads and TriG, the default graph otherwise) and
    /// returns the number of triples or quads written.
    pub fn write(
        &self,
        format: Format,
        prefixes: &PrefixMap,
        output_name: &str,
        writer: impl Write,
    ) -> Result<u64> {
        match &self.backend {
            Backend::Store { store, .. } => {
                render::write_store(store, format, prefixes, output_name, writer)
            }
            Backend::Prebuilt(graph) => {
                // The same dataset a store would hold: the default graph, then the files' graphs.
                let quads: Box<dyn Iterator<Item = Quad>> = if format.holds_datasets() {
                    Box::new(default_graph(*graph).chain(graph.quads()))
                } else {
                    Box::new(default_graph(*graph))
                };
                let graphs: Vec<String> = crate::graph::EMBEDDED
                    .iter()
                    .map(|f| f.graph_iri().into_string())
                    .collect();
                render::write_quads(
                    quads.map(Ok),
                    &graphs,
                    format,
                    prefixes,
                    output_name,
                    writer,
                )
            }
        }
    }

    /// The store behind the dataset, copying the embedded graph into a new in-memory store the
    /// first time one is needed (an update, a `.load`).
    pub fn store(&mut self) -> Result<&Store> {
        if let Backend::Prebuilt(_) = self.backend {
            let store = Store::new().map_err(|e| Error::Store(e.to_string()))?;
            graph::load_embedded(&store)?;
            self.backend = Backend::Store {
                store,
                persistent: false,
            };
        }
        match &self.backend {
            Backend::Store { store, .. } => Ok(store),
            Backend::Prebuilt(_) => unreachable!("replaced above"),
        }
    }
}

fn default_graph(graph: Prebuilt) -> impl Iterator<Item = Quad> {
    graph.quads().map(|q| Quad {
        graph_name: GraphName::DefaultGraph,
        ..q
    })
}
