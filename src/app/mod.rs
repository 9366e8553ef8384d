//! One thin function per subcommand: a validated [`Config`] in, engine calls, an exit status
//! out. Errors go back to `main`, which prints them once.

mod check;
mod data;
pub mod jobs;
mod query;

use crate::config::Config;
use crate::error::ExitStatus;

/// Runs the command line; errors carry their exit status (see [`crate::error::exit_status`]).
pub fn run(config: Config) -> anyhow::Result<ExitStatus> {
    match config {
        Config::Query(config) => query::run(config),
        Config::Update(config) => data::update(config),
        Config::Load(config) => data::load(config),
        Config::Dump(config) => data::dump(config),
        Config::Check(config) => check::run(config),
        Config::Queries { long } => check::queries(long),
        Config::Repl(config) => crate::repl::run(config),
        Config::Serve(config) => crate::server::run(config),
    }
}
