//! The seam between the engine and the data: everything a statement needs from a dataset. The
//! local [`Dataset`](super::Dataset) is one implementation, a remote SPARQL endpoint
//! ([`Remote`](super::remote::Remote)) the other, so that the CLI, the REPL and the server
//! reach either through the same engine.

use crate::error::Result;
use crate::output::dataset::Wrote;
use crate::output::format::Format;
use crate::sparql::prefixes::PrefixMap;
use oxigraph::model::NamedNode;
use oxigraph::sparql::{CancellationToken, QueryExplanation, QueryResults};
use spargebra::{Query, Update};
use std::io::Write;

/// What the engine runs statements on.
pub trait Backend: Send + Sync {
    /// What the data is, for people: "the embedded graph", "the store in DIR" …
    fn description(&self) -> String;

    /// Starts a query; its results stream as they are read and stop once `token` is
    /// cancelled. A local dataset runs `query`; a remote endpoint is sent `text`, the query as
    /// written with the prologue it needs, which engines with quirks of their own take best.
    fn run_query(
        &self,
        query: Query,
        text: &str,
        token: CancellationToken,
        origin: &str,
    ) -> Result<QueryResults<'static>>;

    /// Runs a query to its end and explains how it was evaluated, with row counts and times.
    fn explain_query(
        &self,
        query: Query,
        token: CancellationToken,
        origin: &str,
    ) -> Result<QueryExplanation>;

    /// Runs an update (`text` as for [`Backend::run_query`]).
    fn run_update(
        &mut self,
        update: Update,
        text: &str,
        token: CancellationToken,
        origin: &str,
    ) -> Result<()>;

    /// Writes the whole dataset in `format` (the entailments only when `entailments`) and says
    /// how many triples or quads it wrote.
    fn write_dataset(
        &self,
        format: Format,
        prefixes: &PrefixMap,
        output_name: &str,
        writer: &mut dyn Write,
        entailments: bool,
    ) -> Result<Wrote>;

    /// True when the dataset has a named graph of that name (it may be empty).
    fn contains_named_graph(&self, graph: &NamedNode) -> Result<bool>;

    /// True when changes are saved as they are made.
    fn is_persistent(&self) -> bool {
        false
    }

    /// The local dataset, for what only one can do (load a file, change the reasoning).
    fn local(&self) -> Option<&super::Dataset> {
        None
    }

    fn local_mut(&mut self) -> Option<&mut super::Dataset> {
        None
    }
}
