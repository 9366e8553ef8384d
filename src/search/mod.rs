//! Full-text search over the graph's names, descriptions and quotes: an index of every text the
//! [`FIELDS`] hold (its words and their counts, and how many texts hold each word), ranked by
//! BM25, and the SPARQL functions `ff:textMatch` and `ff:textScore` that query with it.
//!
//! The embedded graph's index is built at compile time (build.rs); any other dataset's is built
//! from the dataset itself the first time a statement uses a function, and again after the data
//! changes, so a user's files and updates are searched like the embedded graph. The functions score whatever literal they are given; the index supplies the corpus
//! statistics (and the words of the texts it holds, so they are not cut up again per query).

pub mod functions;
mod index;
pub mod tokens;

pub use index::{FIELDS, Search, TextIndex};
use std::sync::{Arc, Mutex, PoisonError};

/// The index of the embedded graph's texts, as build.rs wrote it (read once).
pub fn embedded() -> Option<Arc<TextIndex>> {
    static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/search.bin"));
    static INDEX: std::sync::OnceLock<Option<Arc<TextIndex>>> = std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| TextIndex::read(BYTES).map(Arc::new))
        .clone()
}

/// The query that gathers the texts to index from a dataset.
pub fn texts_query() -> String {
    let properties: Vec<String> = FIELDS
        .iter()
        .map(|(namespace, name, _)| format!("<{namespace}{name}>"))
        .collect();
    format!(
        "SELECT DISTINCT ?text WHERE {{ VALUES ?p {{ {} }} ?s ?p ?text FILTER(isLiteral(?text)) }}",
        properties.join(" ")
    )
}

/// A dataset's index, built when first wanted and forgotten when the data changes.
#[derive(Debug, Default)]
pub struct Cache(Mutex<Option<Arc<TextIndex>>>);

impl Cache {
    /// The index, built with `build` unless it is at hand; a failed build (a cancelled
    /// statement) is tried again next time.
    pub fn get_or_build<E>(
        &self,
        build: impl FnOnce() -> Result<Arc<TextIndex>, E>,
    ) -> Result<Arc<TextIndex>, E> {
        // Held while building, so that two requests at once build it once.
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(index) = &*slot {
            return Ok(Arc::clone(index));
        }
        let index = build()?;
        *slot = Some(Arc::clone(&index));
        Ok(index)
    }

    pub fn clear(&mut self) {
        *self.0.get_mut().unwrap_or_else(PoisonError::into_inner) = None;
    }
}
