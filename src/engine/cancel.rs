//! Deadlines: how long a cancelled statement may take to stop, and the errors of a statement
//! cancelled at its deadline become timeouts, or past the memory limit, that limit's error. (The
//! deadline and the limit are watched by [`super::worker::supervise`] and its kin.)

use super::memory;
use crate::error::Error;
use std::time::Duration;

/// How long a cancelled statement may take to notice (oxigraph checks the token only when it
/// reads the store, not while it sorts or aggregates) before it is abandoned.
pub const GRACE: Duration = Duration::from_millis(500);

/// The error of a statement cancelled at its deadline is a timeout, whatever oxigraph called it;
/// this also fills in the timeout's length, which the evaluator does not know.
pub fn timeout_error(error: Error, timed_out: bool, timeout: Option<Duration>) -> Error {
    match error {
        Error::Timeout { origin, .. } => Error::Timeout {
            origin,
            seconds: timeout.map_or(0.0, |t| t.as_secs_f64()),
        },
        Error::QueryEvaluation { origin, .. } if timed_out => Error::Timeout {
            origin,
            seconds: timeout.map_or(0.0, |t| t.as_secs_f64()),
        },
        other => other,
    }
}

/// The error of a statement cancelled because the heap passed `--max-memory`, whatever the
/// evaluator called it.
pub fn memory_error(error: Error) -> Error {
    let mib = memory::mib(memory::limit().unwrap_or(0));
    match error {
        Error::Timeout { origin, .. } | Error::QueryEvaluation { origin, .. } => {
            Error::Memory { origin, mib }
        }
        other => other,
    }
}
