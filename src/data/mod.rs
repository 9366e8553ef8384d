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
pub mod graph;
pub mod guard;
pub mod merge;
pub mod overlay;
pub mod prebuilt;
pub mod remote;
pub mod store;

pub use backend::Backend;
pub use dataset::{Dataset, DatasetChoice};
