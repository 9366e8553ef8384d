//! ffkg: a SPARQL engine over a curated knowledge graph of foreign fighters, as a library the
//! binary and the tests share.

pub mod app;
pub mod blob;
pub mod check;
pub mod cli;
pub mod dataset;
pub mod error;
pub mod format;
pub mod graph;
pub mod infer;
pub mod library;
pub mod overlay;
pub mod prebuilt;
pub mod prefixes;
pub mod render;
pub mod repl;
pub mod sparql;
pub mod statements;
pub mod store;
pub mod table;

pub use error::{Error, ExitStatus, Result};
