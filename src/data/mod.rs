//! The data a statement runs on: the [`Backend`] seam the engine talks through, and its local
//! implementations — the prebuilt embedded index ([`prebuilt`], laid out by [`blob`]), a user's
//! files in a small store on top of it ([`overlay`]), oxigraph stores in memory or on disk
//! ([`store`]) — how the embedded graph and user files are loaded ([`graph`]), and its remote
//! implementation, a SPARQL endpoint ([`remote`], reached as [`endpoint`] says).

pub mod backend;
pub mod blob;
pub mod dataset;
pub mod embedded;
pub mod endpoint;
pub mod export;
pub mod ffx;
pub mod graph;
pub mod guard;
pub mod index;
pub mod merge;
pub mod overlay;
pub mod prebuilt;
pub mod reader;
pub mod remote;
pub mod split;
pub mod starts;
pub mod store;

pub use backend::Backend;

use crate::error::Result;
use std::time::Duration;

/// What statements run on: a local dataset, or a remote endpoint.
#[derive(Debug, Clone)]
pub enum Connection {
    Local(DatasetChoice),
    Remote(Box<endpoint::Endpoint>),
}

impl Connection {
    /// Opens the backend; HTTP requests (SERVICE calls, or every request to a remote endpoint)
    /// are bounded by the statement timeout, or by a default one.
    pub fn open(&self, timeout: Option<Duration>) -> Result<Box<dyn Backend>> {
        let fetch = crate::sparql::Fetch::services(timeout);
        Ok(match self {
            Self::Local(choice) => Box::new(Dataset::open(choice)?.with_fetch(fetch)),
            Self::Remote(endpoint) => {
                Box::new(remote::Remote::new((**endpoint).clone(), fetch.timeout))
            }
        })
    }
}
pub use dataset::{Dataset, DatasetChoice};
