//! The persistent on-disk store (RocksDB, behind the `rocksdb` feature): opening it and bulk
//! loading files with a progress bar and a triples-per-second report.

use crate::data::graph::{decode, loader_error};
use crate::error::{Error, Result};
use crate::output::format::{Format, rdf_format_for_input};
use oxigraph::model::NamedNode;
use oxigraph::store::Store;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// True when this binary was built with the persistent store.
pub const AVAILABLE: bool = cfg!(feature = "rocksdb");

/// The error for `--store` in a build without the persistent store.
pub fn unavailable() -> Error {
    Error::usage(
        "--store needs the persistent store, which this ffkg was built without: rebuild with \
         `cargo install --path . --features rocksdb` (or `cargo build --release --features \
         rocksdb`); building RocksDB needs libclang (Debian: apt install libclang-dev)",
    )
}

/// Opens (creating if needed) the store in `dir`.
#[cfg(feature = "rocksdb")]
pub fn open(dir: &Path) -> Result<Store> {
    Store::open(dir).map_err(|e| Error::store(format!("{}: {e}", dir.display())))
}

/// Without the feature there is no persistent store.
#[cfg(not(feature = "rocksdb"))]
pub fn open(_dir: &Path) -> Result<Store> {
    Err(unavailable())
}

/// Opens an existing store read-only, for queries and dumps: fails when `dir` is not a store.
pub fn open_existing(dir: &Path) -> Result<Store> {
    if !AVAILABLE {
        return Err(unavailable());
    }
    if !dir.is_dir() {
        return Err(Error::io(
            dir,
            std::io::Error::new(std::io::ErrorKind::NotFound, "no store in this directory"),
        ));
    }
    open(dir)
}

/// What a load did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadReport {
    pub triples: u64,
    pub bytes: u64,
    pub elapsed: Duration,
}

impl LoadReport {
    pub fn per_second(&self) -> f64 {
        self.triples as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// What a failed commit names: the one file, or how many.
fn store_name(files: &[PathBuf]) -> String {
    match files {
        [one] => one.display().to_string(),
        _ => format!("{} files", files.len()),
    }
}

/// Bulk-loads `files` into `store` (into `graph` when given), all or none, showing progress by
/// bytes read: oxigraph reports progress only once per million triples, too rarely for a bar.
pub fn bulk_load(
    store: &Store,
    files: &[PathBuf],
    graph: Option<NamedNode>,
    format: Option<Format>,
) -> Result<LoadReport> {
    let start = Instant::now();
    let total_bytes = crate::output::progress::size_of(files)?;
    let bar = crate::output::progress::bytes(total_bytes);
    let mut triples = 0;
    // One loader for every file, committed once: oxigraph ingests its sorted files in one
    // atomic step, so a load that fails or is killed leaves the store as it was.
    let mut loader = store.bulk_loader();
    for path in files {
        let (_, gzipped) = rdf_format_for_input(path, format)?;
        let parser = crate::data::graph::parser_for(path, format, graph.clone())?;
        // For .gz files the bar counts compressed bytes: it tracks the file on disk.
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let counted = crate::output::progress::Counting {
            inner: file,
            bar: bar.clone(),
        };
        let reader = decode(counted, gzipped);
        let mut count = 0u64;
        loader
            .load_ok_quads::<oxigraph::io::RdfParseError, oxigraph::store::LoaderError>(
                parser.rename_blank_nodes().for_reader(reader).inspect(|q| {
                    if q.is_ok() {
                        count += 1;
                    }
                }),
            )
            .map_err(|e| loader_error(path, e))?;
        triples += count;
    }
    loader
        .commit()
        .map_err(|e| Error::store(format!("{}: {e}", store_name(files))))?;
    bar.finish_and_clear();
    Ok(LoadReport {
        triples,
        bytes: total_bytes,
        elapsed: start.elapsed(),
    })
}
