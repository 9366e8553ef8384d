//! Deadlines: how long a cancelled statement may take to stop, and the errors of a statement
//! cancelled at its deadline become timeouts. (The deadline itself is watched by
//! [`super::worker::supervise`].)

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
