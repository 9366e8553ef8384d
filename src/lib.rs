//! ffkg: a SPARQL engine over a curated knowledge graph of foreign fighters, as a library the
//! binary and the tests share. `docs/architecture.md` walks through the modules and the one
//! path a statement takes through them.

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod data;
pub mod describe;
pub mod engine;
pub mod error;
pub mod infer;
pub mod library;
pub mod output;
pub mod repl;
pub mod search;
pub mod server;
pub mod sparql;

pub use error::{Error, ExitStatus, Result};

/// Every allocation is counted, so that statements can be stopped when the process holds more
/// than `--max-memory` ([`engine::memory`]). No hard cap: an allocation is never refused, which
/// would abort the process.
#[global_allocator]
pub static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);
