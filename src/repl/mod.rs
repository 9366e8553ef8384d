//! The interactive SPARQL shell (work in progress: being written now).

use crate::cli::ReplCmd;
use crate::error::{Error, ExitStatus};

/// Runs the REPL, or a script when stdin is not a terminal.
pub fn run(_cmd: ReplCmd) -> anyhow::Result<ExitStatus> {
    Err(Error::usage("the REPL is not built yet: use `ffkg query`").into())
}
