//! The session's dataset: what queries, updates, `.load` and dumps run against, whichever way
//! it was built. The embedded graph alone is queried in place from its prebuilt index (no
//! start-up cost); a user's files are indexed the same way and queried on top of it, or alone
//! ([`crate::data::overlay`]); updates and persistent stores use an oxigraph store, into which
//! the embedded graph and the files are copied the first time one is needed.

use super::Backend;
use crate::data::export::{self, Export};
use crate::data::graph::{self, DatasetSpec};
use crate::data::merge::Merge;
use crate::data::overlay::Overlay;
use crate::data::prebuilt::Prebuilt;
use crate::data::store;
use crate::error::{Error, Result};
use crate::infer::Reasoning;
use crate::output::dataset::{Quads, Wrote};
use crate::output::format::Format;
use crate::search::{self, TextIndex};
use crate::sparql::prefixes::PrefixMap;
use crate::sparql::{Fetch, evaluator};
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, PreparedSparqlUpdate, QueryExplanation, QueryResults,
    SparqlEvaluator,
};
use oxigraph::store::Store;
use spargebra::{Query, Update};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the dataset comes from, validated from the command line.
#[derive(Debug, Clone)]
pub enum DatasetChoice {
    /// Built in memory from the embedded graph and the user's files.
    Memory(DatasetSpec),
    /// A persistent store on disk.
    Persistent(PathBuf),
    /// A read-only index file `ffkg index` wrote, queried in place.
    Index(PathBuf),
}

enum Storage {
    /// The embedded graph, read-only, in place.
    Prebuilt(Prebuilt),
    /// The user's files' index, on the embedded graph in place or alone, read-only until an
    /// update or a `.load` copies everything into one store.
    Overlay(Overlay),
    /// An oxigraph store; `persistent` when it is on disk.
    Store { store: Store, persistent: bool },
}

/// A dataset queries run against.
pub struct Dataset {
    backend: Storage,
    /// The entailments kept in `graph:inferred` (always none for a persistent store).
    reasoning: Reasoning,
    /// For the embedded graph copied into a store: the rule that keeps its default graph the
    /// merge of its named graphs through updates ([`crate::data::merge`]).
    merge: Option<Merge>,
    /// What its statements may fetch (nothing unless a front end allows it).
    fetch: Fetch,
    /// The full-text index of its texts, once a statement has searched.
    text: search::Cache,
}

impl std::fmt::Debug for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.backend {
            Storage::Prebuilt(_) => "prebuilt",
            Storage::Overlay(overlay) if overlay.base().is_some() => "prebuilt with files on top",
            Storage::Overlay(_) => "files' index",
            Storage::Store {
                persistent: true, ..
            } => "persistent store",
            Storage::Store { .. } => "in-memory store",
        };
        f.debug_struct("Dataset").field("backend", &kind).finish()
    }
}

impl Dataset {
    /// Builds the in-memory dataset or opens the persistent store.
    pub fn open(choice: &DatasetChoice) -> Result<Self> {
        let mut merge = None;
        let (backend, reasoning) = match choice {
            DatasetChoice::Memory(spec)
                if spec.embedded && spec.data.is_empty() && spec.named.is_empty() =>
            {
                (
                    Storage::Prebuilt(Prebuilt::with_reasoning(spec.reasoning)),
                    spec.reasoning,
                )
            }
            // The user's files: indexed, and queried on top of the embedded graph when it is in.
            DatasetChoice::Memory(spec) => {
                if spec.embedded {
                    // Only the --named files stand apart from the merge.
                    let apart = spec
                        .named
                        .iter()
                        .map(|path| graph::file_url(path))
                        .collect::<Result<Vec<_>>>()?;
                    merge = Some(Merge::apart(apart));
                }
                (Storage::Overlay(Overlay::load(spec)?), spec.reasoning)
            }
            DatasetChoice::Persistent(dir) => (
                Storage::Store {
                    store: store::open_existing(dir)?,
                    persistent: true,
                },
                Reasoning::None,
            ),
            DatasetChoice::Index(path) => {
                let overlay = Overlay::read(path)?;
                let level = overlay.reasoning();
                (Storage::Overlay(overlay), level)
            }
        };
        Ok(Self {
            backend,
            reasoning,
            merge,
            fetch: Fetch::NONE,
            text: search::Cache::default(),
        })
    }

    /// Opens (creating when missing) a persistent store, for updates.
    pub fn open_or_create_store(dir: &Path) -> Result<Self> {
        Ok(Self {
            backend: Storage::Store {
                store: store::open(dir)?,
                persistent: true,
            },
            reasoning: Reasoning::None,
            merge: None,
            fetch: Fetch::NONE,
            text: search::Cache::default(),
        })
    }

    /// Wraps an in-memory store built elsewhere (tests, harnesses).
    pub fn from_store(store: Store) -> Self {
        Self {
            backend: Storage::Store {
                store,
                persistent: false,
            },
            reasoning: Reasoning::None,
            merge: None,
            fetch: Fetch::NONE,
            text: search::Cache::default(),
        }
    }

    /// The embedded graph alone, read-only.
    pub fn from_prebuilt(graph: Prebuilt) -> Self {
        Self {
            reasoning: graph.reasoning(),
            backend: Storage::Prebuilt(graph),
            merge: None,
            fetch: Fetch::NONE,
            text: search::Cache::default(),
        }
    }

    /// The dataset of a spec, in memory.
    pub fn build(spec: &DatasetSpec) -> Result<Self> {
        Self::open(&DatasetChoice::Memory(spec.clone()))
    }

    /// Lets its statements fetch what `fetch` allows (`SERVICE` calls; the HTTP timeout).
    pub fn with_fetch(mut self, fetch: Fetch) -> Self {
        self.fetch = fetch;
        self
    }

    /// What its statements may fetch.
    pub fn fetch(&self) -> Fetch {
        self.fetch
    }

    /// True when changes are saved to disk as they are made.
    pub fn is_persistent(&self) -> bool {
        matches!(
            self.backend,
            Storage::Store {
                persistent: true,
                ..
            }
        )
    }

    /// True when the default graph is the merge of every named graph, as it is for the embedded
    /// graph and the files given with it, through updates too, unless a `--named` file stands
    /// apart (`--no-embedded` and stores keep plain SPARQL semantics).
    pub fn default_graph_is_union(&self) -> bool {
        match &self.backend {
            Storage::Prebuilt(_) => true,
            _ => self.merge.as_ref().is_some_and(Merge::is_whole),
        }
    }

    /// True while the embedded graph is queried in place (alone or under the user's files).
    pub fn holds_embedded(&self) -> bool {
        match &self.backend {
            Storage::Prebuilt(_) => true,
            Storage::Overlay(overlay) => overlay.base().is_some(),
            Storage::Store { .. } => false,
        }
    }

    /// Starts a query; its results stream as they are read.
    pub fn query(&self, query: PreparedSparqlQuery, origin: &str) -> Result<QueryResults<'static>> {
        let results = match &self.backend {
            Storage::Prebuilt(graph) => query.on_queryable_dataset(*graph).execute(),
            Storage::Overlay(overlay) => query.on_queryable_dataset(overlay.clone()).execute(),
            Storage::Store { store, .. } => query.on_store(store).execute(),
        };
        results.map_err(|e| Error::from_evaluation(origin, e))
    }

    /// Runs a query to its end and explains how it was evaluated, with the row counts and
    /// times of each step (they are gathered as the results are read, so all are read first).
    pub fn explain(&self, query: PreparedSparqlQuery, origin: &str) -> Result<QueryExplanation> {
        let (results, explanation) = match &self.backend {
            Storage::Prebuilt(graph) => query
                .on_queryable_dataset(*graph)
                .compute_statistics()
                .explain(),
            Storage::Overlay(overlay) => query
                .on_queryable_dataset(overlay.clone())
                .compute_statistics()
                .explain(),
            Storage::Store { store, .. } => query.on_store(store).compute_statistics().explain(),
        };
        match results.map_err(|e| Error::from_evaluation(origin, e))? {
            QueryResults::Solutions(solutions) => {
                for solution in solutions {
                    solution.map_err(|e| Error::from_evaluation(origin, e))?;
                }
            }
            QueryResults::Graph(triples) => {
                for triple in triples {
                    triple.map_err(|e| Error::from_evaluation(origin, e))?;
                }
            }
            QueryResults::Boolean(_) => {}
        }
        Ok(explanation)
    }

    /// The reasoning level whose entailments the dataset holds.
    pub fn reasoning(&self) -> Reasoning {
        self.reasoning
    }

    /// Changes the reasoning level: the embedded graph switches to its prebuilt entailments, a
    /// store has its entailments recomputed. Returns how many triples `graph:inferred` holds.
    pub fn set_reasoning(&mut self, level: Reasoning) -> Result<u64> {
        self.text.clear();
        match &mut self.backend {
            Storage::Prebuilt(graph) => {
                *graph = Prebuilt::with_reasoning(level);
                self.reasoning = level;
            }
            Storage::Overlay(overlay) => {
                *overlay = overlay.with_reasoning(level)?;
                self.reasoning = level;
            }
            Storage::Store {
                persistent: true, ..
            } if level != Reasoning::None => {
                return Err(Error::usage(
                    "reasoning works on in-memory graphs, not on a persistent store",
                ));
            }
            Storage::Store { store, .. } => {
                graph::forget_entailments(store)?;
                graph::materialise(store, level)?;
                self.reasoning = level;
            }
        }
        self.inferred_len()
    }

    /// The number of triples in `graph:inferred`.
    pub fn inferred_len(&self) -> Result<u64> {
        let inferred = graph::inferred_graph();
        Ok(match &self.backend {
            Storage::Prebuilt(graph) => graph
                .quads()
                .filter(|q| q.graph_name == GraphName::NamedNode(inferred.clone()))
                .count() as u64,
            Storage::Overlay(overlay) => overlay.inferred_len() as u64,
            Storage::Store { store, .. } => store
                .quads_for_pattern(None, None, None, Some(inferred.as_ref().into()))
                .count() as u64,
        })
    }

    /// Runs an update; with reasoning on, the entailments are recomputed afterwards, since a new
    /// triple can change what the rest implies.
    /// On the embedded graph, the merge rule ([`crate::data::merge`]) is applied to what the
    /// update changed before the entailments are.
    pub fn update(&mut self, update: PreparedSparqlUpdate, origin: &str) -> Result<()> {
        let store = self.store()?.clone();
        let before = self
            .merge
            .as_ref()
            .map(|_| Merge::before(&store))
            .transpose()?;
        update
            .on_store(&store)
            .execute()
            .map_err(|e| Error::evaluation(origin, e))?;
        if let (Some(merge), Some(before)) = (&self.merge, &before) {
            merge.reconcile(&store, before)?;
        }
        self.text.clear();
        self.refresh_entailments()
    }

    fn refresh_entailments(&mut self) -> Result<()> {
        if self.reasoning != Reasoning::None {
            if let Storage::Store { store, .. } = &self.backend {
                graph::forget_entailments(store)?;
                graph::materialise(store, self.reasoning)?;
            }
        }
        Ok(())
    }

    /// Adds a file: into `graph` when given, else into the default graph (quads keep theirs).
    pub fn load(
        &mut self,
        path: &Path,
        format: Option<Format>,
        graph: Option<NamedNode>,
    ) -> Result<()> {
        graph::load_file(self.store()?, path, format, graph)?;
        self.text.clear();
        self.refresh_entailments()
    }

    /// Writes the dataset: every graph in N-Quads and TriG, the merge in the other syntaxes;
    /// the entailments only when asked for.
    pub fn write(
        &self,
        format: Format,
        prefixes: &PrefixMap,
        output_name: &str,
        writer: impl Write,
        entailments: bool,
    ) -> Result<Wrote> {
        let export = Export::new(self, entailments)?;
        crate::output::dataset::write_dataset(&export, format, prefixes, output_name, writer)
    }

    /// The quads of one graph (`None`: the default graph), whatever backs the dataset.
    pub fn graph_quads<'a>(
        &'a self,
        name: Option<&'a NamedNode>,
    ) -> Result<Box<dyn Iterator<Item = Result<Quad>> + 'a>> {
        Ok(match &self.backend {
            Storage::Store { store, .. } => export::store_graph(store, name),
            Storage::Overlay(overlay) => match name {
                None => Box::new(overlay.default_graph().map(Ok)),
                Some(_) => export::only_graph(overlay.quads().map(Ok), name),
            },
            Storage::Prebuilt(graph) => match name {
                None => Box::new(default_graph(*graph).map(Ok)),
                Some(_) => export::only_graph(graph.quads().map(Ok), name),
            },
        })
    }

    /// The default graph's quads that no named graph holds (what a dataset syntax writes for a
    /// default graph that is the merge of the named graphs).
    pub fn unmerged_default_quads(&self) -> Quads<'_> {
        match &self.backend {
            Storage::Store { store, .. } => export::store_unmerged_default(store),
            // The embedded graph's default graph is its named graphs' merge; the files'
            // default graph holds copies of their named graphs' quads (and entailments) too,
            // which are left out here.
            Storage::Overlay(overlay) => {
                let named: std::collections::HashSet<oxigraph::model::Triple> = overlay
                    .files()
                    .quads()
                    .filter(|q| matches!(q.graph_name, GraphName::NamedNode(_)))
                    .map(Into::into)
                    .collect();
                Box::new(
                    overlay
                        .own_default_graph()
                        .filter(move |q| !named.contains(&q.clone().into()))
                        .map(Ok),
                )
            }
            Storage::Prebuilt(_) => Box::new(std::iter::empty()),
        }
    }

    /// The store, when a store backs the dataset.
    pub(super) fn storage_store(&self) -> Option<&Store> {
        match &self.backend {
            Storage::Store { store, .. } => Some(store),
            _ => None,
        }
    }

    /// The named graphs the user's files added on top of the embedded graph.
    pub(super) fn extra_graphs(&self) -> Result<Vec<NamedNode>> {
        match &self.backend {
            Storage::Overlay(overlay) => Ok(overlay.named_graphs()),
            _ => Ok(Vec::new()),
        }
    }

    /// The store behind the dataset, copying the embedded graph into a new in-memory store the
    /// first time one is needed (an update, a `.load`).
    pub fn store(&mut self) -> Result<&Store> {
        match &self.backend {
            Storage::Prebuilt(_) => {
                let store = Store::new().map_err(Error::store)?;
                graph::load_embedded(&store, self.reasoning)?;
                self.merge = Some(Merge::default());
                self.backend = Storage::Store {
                    store,
                    persistent: false,
                };
            }
            Storage::Overlay(overlay) => {
                // The asserted triples of both sides in one store, then the entailments anew.
                let store = Store::new().map_err(Error::store)?;
                if overlay.base().is_some() {
                    graph::load_embedded(&store, Reasoning::None)?;
                    self.merge = Some(self.merge.take().unwrap_or_default());
                }
                store
                    .extend(overlay.files().asserted())
                    .map_err(Error::store)?;
                graph::materialise(&store, self.reasoning)?;
                self.backend = Storage::Store {
                    store,
                    persistent: false,
                };
            }
            Storage::Store { .. } => {}
        }
        match &self.backend {
            Storage::Store { store, .. } => Ok(store),
            _ => unreachable!("replaced above"),
        }
    }
}

impl Dataset {
    /// An evaluator for `statement`, with the search functions when it calls one (the index is
    /// built then, the first time, under the statement's token).
    fn evaluator_for(
        &self,
        statement: &dyn std::fmt::Display,
        token: &CancellationToken,
        origin: &str,
    ) -> Result<SparqlEvaluator> {
        let plain = evaluator(Some(token.clone()), self.fetch);
        if !search::functions::used_in(&statement.to_string()) {
            return Ok(plain);
        }
        let index = self
            .text
            .get_or_build(|| self.build_text_index(token, origin))?;
        Ok(search::functions::register(plain, index))
    }

    /// The full-text index of the data as it is now: the embedded graph's from the binary,
    /// any other's read from the data.
    pub fn build_text_index(
        &self,
        token: &CancellationToken,
        origin: &str,
    ) -> Result<Arc<TextIndex>> {
        if let (Storage::Prebuilt(_), Some(index)) = (&self.backend, search::embedded()) {
            return Ok(index);
        }
        self.read_text_index(token, origin).map(Arc::new)
    }

    /// The index built from the data's texts, read with a query.
    pub fn read_text_index(&self, token: &CancellationToken, origin: &str) -> Result<TextIndex> {
        let query = evaluator(Some(token.clone()), self.fetch)
            .parse_query(&search::texts_query())
            .map_err(|e| Error::evaluation(origin, e))?;
        let QueryResults::Solutions(rows) = self.query(query, origin)? else {
            return Ok(TextIndex::default());
        };
        let mut texts = Vec::new();
        for row in rows {
            let row = row.map_err(|e| Error::from_evaluation(origin, e))?;
            if let Some(oxigraph::model::Term::Literal(text)) = row.get("text") {
                texts.push(text.value().to_owned());
            }
        }
        Ok(TextIndex::build(texts))
    }
}

fn default_graph(graph: Prebuilt) -> impl Iterator<Item = Quad> {
    graph.quads().map(|q| Quad {
        graph_name: GraphName::DefaultGraph,
        ..q
    })
}

impl Backend for Dataset {
    fn description(&self) -> String {
        match &self.backend {
            Storage::Prebuilt(_) => "the embedded graph".to_owned(),
            Storage::Overlay(overlay) if overlay.base().is_some() => {
                "the embedded graph and your files".to_owned()
            }
            Storage::Overlay(_) => "your files".to_owned(),
            Storage::Store {
                persistent: true, ..
            } => "a persistent store".to_owned(),
            Storage::Store { .. } => "your files".to_owned(),
        }
    }

    fn run_query(
        &self,
        query: Query,
        _text: &str,
        token: CancellationToken,
        origin: &str,
    ) -> Result<QueryResults<'static>> {
        let evaluator = self.evaluator_for(&query, &token, origin)?;
        self.query(evaluator.for_query(query), origin)
    }

    fn explain_query(
        &self,
        query: Query,
        token: CancellationToken,
        origin: &str,
    ) -> Result<QueryExplanation> {
        let evaluator = self.evaluator_for(&query, &token, origin)?;
        self.explain(evaluator.for_query(query), origin)
    }

    fn run_update(
        &mut self,
        update: Update,
        _text: &str,
        token: CancellationToken,
        origin: &str,
    ) -> Result<()> {
        let evaluator = self.evaluator_for(&update, &token, origin)?;
        self.update(evaluator.for_update(update), origin)
    }

    fn write_dataset(
        &self,
        format: Format,
        prefixes: &PrefixMap,
        output_name: &str,
        writer: &mut dyn Write,
        entailments: bool,
    ) -> Result<Wrote> {
        self.write(format, prefixes, output_name, writer, entailments)
    }

    fn contains_named_graph(&self, graph: &NamedNode) -> Result<bool> {
        Ok(match &self.backend {
            Storage::Prebuilt(prebuilt) => {
                crate::data::graph::EMBEDDED
                    .iter()
                    .any(|f| f.graph_iri() == *graph)
                    || (prebuilt.reasoning() != Reasoning::None
                        && *graph == graph::inferred_graph())
            }
            Storage::Overlay(overlay) => overlay.named_graphs().contains(graph),
            Storage::Store { store, .. } => store
                .contains_named_graph(graph.as_ref())
                .map_err(Error::store)?,
        })
    }

    fn is_persistent(&self) -> bool {
        Dataset::is_persistent(self)
    }

    fn local(&self) -> Option<&Dataset> {
        Some(self)
    }

    fn local_mut(&mut self) -> Option<&mut Dataset> {
        Some(self)
    }
}
