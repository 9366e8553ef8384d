//! Finding query text (argument, file, stdin), parsing it with the prefix map declared, turning
//! syntax errors into line/column/caret messages, and running queries and updates with a timeout.

use crate::error::{Error, Position, Result};
use crate::format::ResultKind;
use crate::prefixes::PrefixMap;
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, PreparedSparqlUpdate, QueryEvaluationError,
    QueryResults, SparqlEvaluator, SparqlSyntaxError,
};
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// A query or update as the user gave it, with where it came from for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `-e #2`, `queries/x.rq`, `<stdin>`: printed before every error about this text.
    pub origin: String,
    pub text: String,
}

impl Source {
    pub fn inline(index: usize, text: impl Into<String>) -> Self {
        Self {
            origin: format!("-e #{index}"),
            text: text.into(),
        }
    }

    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(Self {
            origin: path.display().to_string(),
            text,
        })
    }

    pub fn from_stdin() -> Result<Self> {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        Ok(Self {
            origin: "<stdin>".to_owned(),
            text,
        })
    }
}

/// Parsing and evaluation settings shared by every statement of a run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub prefixes: PrefixMap,
    pub base_iri: Option<String>,
    pub timeout: Option<Duration>,
}

impl Settings {
    /// An evaluator with the prefixes and base IRI declared and no SERVICE calls.
    pub fn evaluator(&self, token: Option<CancellationToken>) -> Result<SparqlEvaluator> {
        let mut evaluator = SparqlEvaluator::new();
        if let Some(base) = &self.base_iri {
            evaluator = evaluator
                .with_base_iri(base.as_str())
                .map_err(|e| Error::usage(format!("bad --base IRI '{base}': {e}")))?;
        }
        evaluator = self
            .prefixes
            .declare_on(evaluator)
            .map_err(|e| Error::usage(format!("bad prefix IRI: {e}")))?;
        if let Some(token) = token {
            evaluator = evaluator.with_cancellation_token(token);
        }
        Ok(evaluator)
    }

    /// Parses a query; with a token, the prepared query can be cancelled while it runs.
    pub fn prepare_query(
        &self,
        source: &Source,
        token: Option<CancellationToken>,
    ) -> Result<PreparedSparqlQuery> {
        self.evaluator(token)?
            .parse_query(&source.text)
            .map_err(|e| self.wrong_kind(source, e, "an update", "ffkg update"))
    }

    /// Parses an update; with a token, it can be cancelled while it runs.
    pub fn prepare_update(
        &self,
        source: &Source,
        token: Option<CancellationToken>,
    ) -> Result<PreparedSparqlUpdate> {
        self.evaluator(token)?
            .parse_update(&source.text)
            .map_err(|e| self.wrong_kind(source, e, "a query", "ffkg query"))
    }

    /// A syntax error, unless the text is the other kind of statement: then the error says
    /// which command runs it, rather than pointing at the first keyword that surprised the
    /// parser.
    fn wrong_kind(
        &self,
        source: &Source,
        error: SparqlSyntaxError,
        other: &str,
        command: &str,
    ) -> Error {
        let Ok(evaluator) = self.evaluator(None) else {
            return syntax_error(source, &error);
        };
        let is_other = if other == "a query" {
            evaluator.parse_query(&source.text).is_ok()
        } else {
            evaluator.parse_update(&source.text).is_ok()
        };
        if is_other {
            Error::usage(format!(
                "{}: this is {other}: run it with `{command}` (or in the REPL)",
                source.origin
            ))
        } else {
            syntax_error(source, &error)
        }
    }
}

/// What a query's results are.
pub fn result_kind(results: &QueryResults<'_>) -> ResultKind {
    match results {
        QueryResults::Solutions(_) | QueryResults::Boolean(_) => ResultKind::Solutions,
        QueryResults::Graph(_) => ResultKind::Graph,
    }
}

/// A syntax error with its line and column, the offending line and a caret under the column.
pub fn syntax_error(source: &Source, error: &SparqlSyntaxError) -> Error {
    let text = error.to_string();
    match parse_peg_message(&text) {
        Some((position, message)) => Error::QuerySyntax {
            origin: source.origin.clone(),
            position,
            message: readable_expectation(&source.text, position, &message),
            rendered: caret(&source.text, position),
        },
        None => Error::QuerySyntaxNoPosition {
            origin: source.origin.clone(),
            message: text,
        },
    }
}

/// spargebra reports positions only in its message: "error at 3:7: expected one of …".
fn parse_peg_message(text: &str) -> Option<(Position, String)> {
    let rest = text.strip_prefix("error at ")?;
    let (position, message) = rest.split_once(": ")?;
    let (line, column) = position.split_once(':')?;
    Some((
        Position {
            line: line.parse().ok()?,
            column: column.parse().ok()?,
        },
        message.to_owned(),
    ))
}

/// The parser lists what it expected, tokens and Unicode character classes mixed; people need
/// the tokens and what was found instead.
fn readable_expectation(text: &str, position: Position, message: &str) -> String {
    let mut tokens: Vec<&str> = Vec::new();
    let mut rest = message;
    while let Some(start) = rest.find('"') {
        let Some(len) = rest[start + 1..].find('"') else {
            break;
        };
        let token = &rest[start + 1..start + 1 + len];
        if !token.is_empty() && !tokens.contains(&token) {
            tokens.push(token);
        }
        rest = &rest[start + len + 2..];
    }
    let found =
        found_at(text, position).map_or_else(|| "end of text".to_owned(), |c| format!("'{c}'"));
    if tokens.is_empty() {
        return format!("unexpected {found}");
    }
    let list = tokens
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(" ");
    format!("unexpected {found}; expected one of {list}")
}

/// The character at a 1-based line and column, if any.
fn found_at(text: &str, position: Position) -> Option<char> {
    let line = text
        .split('\n')
        .nth(usize::try_from(position.line.checked_sub(1)?).ok()?)?;
    line.chars()
        .nth(usize::try_from(position.column.checked_sub(1)?).ok()?)
        .or_else(|| {
            // Past the end of a line that is not the last: the parser stopped at a newline.
            (text.lines().count() > usize::try_from(position.line).ok()?).then_some('⏎')
        })
}

/// `  3 | SELECT ?x WHERE { ?x ff:label }` and a caret line under the column.
pub fn caret(text: &str, position: Position) -> String {
    let index = usize::try_from(position.line.saturating_sub(1)).unwrap_or(usize::MAX);
    let line = text.lines().nth(index).unwrap_or("");
    let number = position.line.to_string();
    let pad = " ".repeat(number.len());
    let offset: String = line
        .chars()
        .take(usize::try_from(position.column.saturating_sub(1)).unwrap_or(0))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("{number} | {line}\n{pad} | {offset}^")
}

/// Cancels a query at its deadline; if the query does not stop within a grace period (oxigraph
/// checks the token only when it reads the store, not while it sorts or aggregates), calls
/// `on_stuck`, which in batch mode ends the process.
pub struct Watchdog {
    token: CancellationToken,
    done: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Watchdog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watchdog")
            .field("cancelled", &self.token.is_cancelled())
            .finish()
    }
}

/// How long a cancelled query may take to notice before `on_stuck` runs.
pub const GRACE: Duration = Duration::from_millis(500);

impl Watchdog {
    pub fn start(timeout: Option<Duration>, on_stuck: impl FnOnce() + Send + 'static) -> Self {
        let token = CancellationToken::new();
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let thread = timeout.map(|timeout| {
            let token = token.clone();
            let done = Arc::clone(&done);
            thread::spawn(move || {
                if wait_until_done(&done, timeout) {
                    return;
                }
                token.cancel();
                if !wait_until_done(&done, GRACE) {
                    on_stuck();
                }
            })
        });
        Self {
            token,
            done,
            thread,
        }
    }

    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    pub fn cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Stops watching; returns true when the deadline had passed.
    pub fn finish(mut self) -> bool {
        self.stop();
        self.token.is_cancelled()
    }

    fn stop(&mut self) {
        let (lock, condvar) = &*self.done;
        if let Ok(mut done) = lock.lock() {
            *done = true;
        }
        condvar.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits until `done` is set or `timeout` passes; true when done.
fn wait_until_done(done: &(Mutex<bool>, Condvar), timeout: Duration) -> bool {
    let (lock, condvar) = done;
    let Ok(guard) = lock.lock() else {
        return true;
    };
    match condvar.wait_timeout_while(guard, timeout, |done| !*done) {
        Ok((guard, _)) => *guard,
        Err(_) => true,
    }
}

pub fn evaluation_error(origin: &str, error: QueryEvaluationError) -> Error {
    match error {
        QueryEvaluationError::Cancelled => Error::Timeout {
            origin: origin.to_owned(),
            seconds: 0.0,
        },
        other => Error::QueryEvaluation {
            origin: origin.to_owned(),
            message: other.to_string(),
        },
    }
}

/// The error of a statement whose watchdog fired is a timeout, whatever oxigraph called it;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_point_at_the_line_and_column() {
        let settings = Settings::default();
        let source = Source::inline(1, "SELECT ?x\nWHERE { ?x ff:label }");
        let Err(err) = settings.prepare_query(&source, None) else {
            panic!("expected a syntax error");
        };
        let Error::QuerySyntax {
            position, rendered, ..
        } = &err
        else {
            panic!("expected a positioned syntax error, got {err:?}");
        };
        assert_eq!(position.line, 2);
        assert!(
            rendered.starts_with("2 | WHERE { ?x ff:label }"),
            "{rendered}"
        );
        assert!(rendered.ends_with('^'));
    }

    #[test]
    fn prefixes_are_declared_without_prepending_text() {
        let settings = Settings::default();
        let source = Source::inline(1, "SELECT * WHERE { ?x a ff:Figure }");
        assert!(settings.prepare_query(&source, None).is_ok());
        // An error on line 1 stays on line 1: nothing was prepended.
        let bad = Source::inline(1, "SELECT * WHERE { ?x a ff:Figure");
        match settings.prepare_query(&bad, None) {
            Err(Error::QuerySyntax { position, .. }) => assert_eq!(position.line, 1),
            Err(other) => panic!("{other:?}"),
            Ok(_) => panic!("parsed"),
        }
    }

    #[test]
    fn caret_sits_under_the_column() {
        assert_eq!(
            caret("ab\ncdef", Position { line: 2, column: 3 }),
            "2 | cdef\n  |   ^"
        );
    }

    #[test]
    fn watchdog_cancels_after_the_deadline() {
        let dog = Watchdog::start(Some(Duration::from_millis(20)), || {});
        thread::sleep(Duration::from_millis(100));
        assert!(dog.cancelled());
        assert!(dog.finish());
        let quick = Watchdog::start(Some(Duration::from_secs(60)), || {});
        assert!(!quick.finish());
    }
}
