//! The library's error type and the mapping from errors to the documented exit codes.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// Exit codes, documented in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Everything worked.
    Success = 0,
    /// The work ran but found problems: `check` found violations, a batch run had failing queries.
    Failed = 1,
    /// Bad command line: unknown option or format, conflicting options, missing argument.
    Usage = 2,
    /// A query or a data file is wrong: SPARQL syntax or evaluation error, RDF syntax error.
    QueryOrData = 3,
    /// Reading or writing a file failed.
    Io = 4,
    /// A query ran past `--timeout`.
    Timeout = 5,
}

/// A position in a text, 1-based, as editors show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Everything that can go wrong in the library; each variant knows its exit status.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user asked for something the command line does not allow.
    #[error("{0}")]
    Usage(String),
    /// A SPARQL query or update that does not parse; `rendered` holds the line and a caret.
    #[error("{origin}:{position}: SPARQL syntax error: {message}\n{rendered}")]
    QuerySyntax {
        origin: String,
        position: Position,
        message: String,
        rendered: String,
    },
    /// A SPARQL syntax error without a position (for example a bad base IRI).
    #[error("{origin}: SPARQL syntax error: {message}")]
    QuerySyntaxNoPosition { origin: String, message: String },
    /// A query or update that parsed but failed while running.
    #[error("{origin}: query failed: {message}")]
    QueryEvaluation { origin: String, message: String },
    /// A query stopped by `--timeout`.
    #[error("{origin}: query stopped after the {seconds} s timeout")]
    Timeout { origin: String, seconds: f64 },
    /// An RDF file that does not parse; the position is there when the parser gives one.
    #[error("{}: {message}", location(path, position))]
    Data {
        path: String,
        position: Option<Position>,
        message: String,
    },
    /// A file that cannot be read or written. (The I/O error is part of the message, not a
    /// `source`, so a chain printed with `{:#}` does not repeat it.)
    #[error("{}: {cause}", path.display())]
    Io { path: PathBuf, cause: io::Error },
    /// A store operation failed.
    #[error("store: {0}")]
    Store(String),
}

fn location(path: &str, position: &Option<Position>) -> String {
    match position {
        Some(p) => format!("{path}:{p}"),
        None => path.to_owned(),
    }
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }

    pub fn io(path: impl Into<PathBuf>, cause: io::Error) -> Self {
        Self::Io {
            path: path.into(),
            cause,
        }
    }

    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Self::Usage(_) => ExitStatus::Usage,
            Self::QuerySyntax { .. }
            | Self::QuerySyntaxNoPosition { .. }
            | Self::QueryEvaluation { .. }
            | Self::Data { .. } => ExitStatus::QueryOrData,
            Self::Timeout { .. } => ExitStatus::Timeout,
            Self::Io { .. } | Self::Store(_) => ExitStatus::Io,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// True when the error is a closed pipe on output (`ffkg … | head`), which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause.downcast_ref::<Error>().is_some_and(|e| {
                matches!(e, Error::Io { cause, .. } if cause.kind() == io::ErrorKind::BrokenPipe)
            })
    })
}

/// The exit status an error chain maps to: the first library error in the chain decides;
/// a bare I/O error is an I/O failure; anything else is a query or data problem.
pub fn exit_status(err: &anyhow::Error) -> ExitStatus {
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            return e.exit_status();
        }
        if cause.downcast_ref::<io::Error>().is_some() {
            return ExitStatus::Io;
        }
        if cause.downcast_ref::<clap::Error>().is_some() {
            return ExitStatus::Usage;
        }
    }
    ExitStatus::QueryOrData
}
