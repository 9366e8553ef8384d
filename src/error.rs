//! The library's error type, the mapping from errors to the documented exit codes, and the one
//! way an error is shown to a person ([`report`]).

use std::error::Error as StdError;
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
    /// A query ran past `--timeout` or `--max-memory`.
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

/// A lower-level error carried as the source of one of ours.
pub type Cause = Box<dyn StdError + Send + Sync>;

/// Everything that can go wrong in the library; each variant knows its exit status. A variant's
/// text does not repeat its source: [`report`] prints the chain.
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
    /// A statement nested deeper than the engine evaluates safely.
    #[error(
        "{origin}:{position}: the statement nests deeper than {limit} levels here (brackets, \
         groups and chained operators each add one): split it or flatten it\n{rendered}"
    )]
    TooDeep {
        origin: String,
        position: Position,
        limit: usize,
        rendered: String,
    },
    /// A query or update that parsed but failed while running.
    #[error("{origin}: query failed")]
    QueryEvaluation {
        origin: String,
        #[source]
        source: Cause,
    },
    /// A query stopped by `--timeout`.
    #[error("{origin}: query stopped after the {seconds} s timeout")]
    Timeout { origin: String, seconds: f64 },
    /// A statement stopped because the process held more memory than `--max-memory`.
    #[error(
        "{origin}: query stopped: the process held more than the {mib} MiB of --max-memory; \
         narrow the query (LIMIT, more selective patterns) or raise the limit"
    )]
    Memory { origin: String, mib: u64 },
    /// An RDF file that does not parse; the position is there when the parser gives one.
    #[error("{}: {message}", location(path, position))]
    Data {
        path: String,
        position: Option<Position>,
        message: String,
    },
    /// A file that cannot be read or written.
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A store operation failed.
    #[error("store")]
    Store(#[source] Cause),
    /// A remote endpoint refused a request (`status`: the HTTP status it answered with; the
    /// message has its text), answered with something unreadable, or could not be reached.
    #[error("{origin}: {endpoint} {message}")]
    Endpoint {
        origin: String,
        endpoint: String,
        message: String,
        status: Option<u16>,
    },
    /// A bug in ffkg, caught before it could take the session down.
    #[error("{origin}: internal error (please report it): {message}")]
    Internal { origin: String, message: String },
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

    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    pub fn store(source: impl Into<Cause>) -> Self {
        Self::Store(source.into())
    }

    /// A failure while running a statement that came from `origin`.
    pub fn evaluation(origin: impl Into<String>, source: impl Into<Cause>) -> Self {
        Self::QueryEvaluation {
            origin: origin.into(),
            source: source.into(),
        }
    }

    pub fn exit_status(&self) -> ExitStatus {
        match self {
            Self::Usage(_) => ExitStatus::Usage,
            Self::QuerySyntax { .. }
            | Self::QuerySyntaxNoPosition { .. }
            | Self::TooDeep { .. }
            | Self::QueryEvaluation { .. }
            | Self::Data { .. }
            | Self::Internal { .. } => ExitStatus::QueryOrData,
            // Refused: the statement or the data; not reached: the network.
            Self::Endpoint {
                status: Some(_), ..
            } => ExitStatus::QueryOrData,
            Self::Timeout { .. } | Self::Memory { .. } => ExitStatus::Timeout,
            Self::Io { .. } | Self::Store(_) | Self::Endpoint { .. } => ExitStatus::Io,
        }
    }

    /// An error of oxigraph's evaluator while running the statement from `origin`; a
    /// cancelled statement is a timeout (its length is filled in by the engine).
    pub fn from_evaluation(origin: &str, error: oxigraph::sparql::QueryEvaluationError) -> Self {
        match error {
            oxigraph::sparql::QueryEvaluationError::Cancelled => Self::Timeout {
                origin: origin.to_owned(),
                seconds: 0.0,
            },
            oxigraph::sparql::QueryEvaluationError::Service(cause) => {
                // The HTTP client's read timeout surfaces as a bare "Resource temporarily
                // unavailable"; say what it means.
                let silent = cause.downcast_ref::<io::Error>().is_some_and(|e| {
                    matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    )
                });
                let message = if silent {
                    "a SERVICE endpoint did not answer within the timeout".to_owned()
                } else {
                    format!("a SERVICE call failed: {cause}")
                };
                Self::evaluation(origin, message)
            }
            other => Self::evaluation(origin, other),
        }
    }

    /// True for a closed pipe on output (`ffkg … | head`), which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Self::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error and its causes on one line each joined by ": ", as every front end shows errors
/// (`ffkg: ` in batch, `error: ` at the prompt).
pub fn report(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        let more = next.to_string();
        // Some libraries repeat their source in their own text.
        if !text.ends_with(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = next.source();
    }
    text
}

/// True when the error is a closed pipe on output (`ffkg … | head`), which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<Error>()
                .is_some_and(Error::is_broken_pipe)
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
    }
    ExitStatus::QueryOrData
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_names_each_cause_once() {
        let error = Error::io(
            "a.ttl",
            io::Error::new(io::ErrorKind::NotFound, "no such file"),
        );
        assert_eq!(report(&error), "a.ttl: no such file");
        let nested = Error::evaluation("-e #1", Error::usage("bad"));
        assert_eq!(report(&nested), "-e #1: query failed: bad");
    }
}
