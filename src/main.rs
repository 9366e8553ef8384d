//! The `ffkg` binary: parses the command line into a validated config, runs it on a thread with
//! a deep stack, prints an error once and maps it to an exit code. The only place the process
//! ends: a statement that would not stop at its deadline ends here too, with the others'
//! threads. A closed pipe (`ffkg … | head`) is not an error.

use ffkg::cli::Cli;
use ffkg::config::Config;
use ffkg::engine::worker;
use ffkg::error::{exit_status, is_broken_pipe};
use ffkg::{ExitStatus, app};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse_ordered(std::env::args_os()) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                code(ExitStatus::Usage)
            } else {
                code(ExitStatus::Success)
            };
        }
    };
    ffkg::engine::memory::set_limit(cli.max_memory());
    let config = match Config::from_cli(cli) {
        Ok(config) => config,
        Err(err) => {
            eprintln!("ffkg: {}", ffkg::error::report(&err));
            return code(err.exit_status());
        }
    };
    // Parsing, evaluation and the REPL's line editor all recurse with their input: give them
    // the deep stack the nesting limit is measured against.
    let result = worker::spawn("ffkg", move || app::run(config)).map(|handle| handle.join());
    match result {
        Ok(Ok(Ok(status))) => code(status),
        Ok(Ok(Err(err))) if is_broken_pipe(&err) => code(ExitStatus::Success),
        Ok(Ok(Err(err))) => {
            eprintln!("ffkg: {err:#}");
            code(exit_status(&err))
        }
        // A panic has printed its message already.
        Ok(Err(_)) => code(ExitStatus::QueryOrData),
        Err(err) => {
            eprintln!("ffkg: {}", ffkg::error::report(&err));
            code(err.exit_status())
        }
    }
}

fn code(status: ExitStatus) -> ExitCode {
    ExitCode::from(status as u8)
}
