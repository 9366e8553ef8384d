//! The `ffkg` binary: parses the command line, runs it, prints an error once and maps it to an
//! exit code. A closed pipe (`ffkg … | head`) is not an error.

use ffkg::cli::Cli;
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
    match app::run(cli) {
        Ok(status) => code(status),
        Err(err) if is_broken_pipe(&err) => code(ExitStatus::Success),
        Err(err) => {
            eprintln!("ffkg: {err:#}");
            code(exit_status(&err))
        }
    }
}

fn code(status: ExitStatus) -> ExitCode {
    ExitCode::from(status as u8)
}
