//! One thin function per subcommand: a validated [`Config`] in, engine calls, an exit status
//! out. Errors go back to `main`, which prints them once.

mod check;
mod data;
pub mod jobs;
mod push;
mod query;

use crate::cli::Cli;
use crate::config::Config;
use crate::error::ExitStatus;

/// Runs the command line; errors carry their exit status (see [`crate::error::exit_status`]).
pub fn run(config: Config) -> anyhow::Result<ExitStatus> {
    match config {
        Config::Query(config) => query::run(config),
        Config::Update(config) => data::update(config),
        Config::Load(config) => data::load(config),
        Config::Index(config) => data::index(config),
        Config::Dump(config) => data::dump(config),
        Config::Check(config) => check::run(config),
        Config::Queries { long, name, format } => {
            check::queries(long, name.as_deref(), format.as_deref())
        }
        Config::Repl(config) => crate::repl::run(config),
        Config::Serve(config) => crate::server::run(config),
        Config::Publish(config) => crate::server::publish::run(config),
        Config::Push(config) => push::run(config),
        Config::Completions(shell) => shell_files(|out| Cli::write_completions(shell, out)),
        Config::Man => shell_files(Cli::write_man_page),
    }
}

/// Writes a completion script or the manual page to stdout.
fn shell_files(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<ExitStatus> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match write(&mut out) {
        Ok(()) => Ok(ExitStatus::Success),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitStatus::Success),
        Err(e) => Err(crate::error::Error::io("<stdout>", e).into()),
    }
}
