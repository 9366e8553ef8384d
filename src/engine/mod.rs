//! The one path every statement takes, whichever front end it came from (the batch CLI, the
//! REPL, later the HTTP server): [`prepare`] classifies and parses it once (prefixes, base IRI,
//! the nesting limit, located errors); [`run_query`] and [`run_update`] execute it on a
//! [`Backend`] under a cancellation token and stream the results into a [`Sink`], returning a
//! [`Summary`]. Front ends differ only in the sink they pass and in what an error or an overrun
//! means to them; [`worker::supervise`] runs a statement on a deep-stack thread under its
//! deadline and Ctrl-C.

pub mod cancel;
pub mod memory;
pub mod worker;

use crate::data::Backend;
use crate::data::guard::{self, Unwound};
use crate::error::{Error, Result};
use crate::output::format::{Format, ResultKind};
use crate::output::sink::Sink;
use crate::output::table::TableOptions;
use crate::output::{RenderOptions, render};
use crate::sparql::syntax::offset_of;
use crate::sparql::{Kind, Settings, Source};
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::{CancellationToken, QueryExplanation, QueryResults};
use spargebra::{Query, Update};
use std::time::{Duration, Instant};

/// A statement parsed once, ready to run as often as needed.
#[derive(Debug, Clone)]
pub struct Statement {
    pub source: Source,
    pub body: Body,
    /// The text as a remote endpoint is sent it: what was written, after the prologue it
    /// needs from the settings (see [`Settings::as_sent`]).
    pub sent: String,
}

/// What a statement is.
#[derive(Debug, Clone)]
pub enum Body {
    Query(Box<Query>),
    Update(Box<Update>),
}

impl Statement {
    pub fn kind(&self) -> Kind {
        match self.body {
            Body::Query(_) => Kind::Query,
            Body::Update(_) => Kind::Update,
        }
    }
}

/// Classifies and parses a statement. When it is neither a query nor an update, the error is
/// that of the parse that got further, which is what the user most likely meant.
pub fn prepare(source: &Source, settings: &Settings) -> Result<Statement> {
    // An empty update parses; nobody means one.
    if crate::sparql::lexer::tokens(&source.text)
        .iter()
        .all(|t| !t.is_significant())
    {
        return Err(Error::usage(format!(
            "{}: the statement is empty (nothing but spaces or comments)",
            source.origin
        )));
    }
    let query_error = match settings.parse_query(source) {
        Ok(query) => return Ok(statement(source, settings, Body::Query(Box::new(query)))),
        // A statement too deep is too deep as either kind.
        Err(e @ Error::TooDeep { .. }) => return Err(e),
        Err(e) => e,
    };
    let update_error = match settings.parse_update(source) {
        Ok(update) => return Ok(statement(source, settings, Body::Update(Box::new(update)))),
        Err(e) => e,
    };
    let reach = |e: &Error| match e {
        Error::QuerySyntax { position, .. } => Some(offset_of(&source.text, *position)),
        _ => None,
    };
    Err(if reach(&update_error) > reach(&query_error) {
        update_error
    } else {
        query_error
    })
}

/// Prepares a statement that must be of `kind`; the other kind gets an error naming the command
/// that runs it, rather than a syntax error at its first keyword.
pub fn prepare_as(source: &Source, settings: &Settings, kind: Kind) -> Result<Statement> {
    let statement = prepare(source, settings)?;
    if statement.kind() == kind {
        return Ok(statement);
    }
    let (what, command) = match statement.kind() {
        Kind::Update => ("an update", "ffkg update"),
        Kind::Query => ("a query", "ffkg query"),
    };
    Err(Error::usage(format!(
        "{}: this is {what}: run it with `{command}` (or in the REPL)",
        source.origin
    )))
}

fn statement(source: &Source, settings: &Settings, body: Body) -> Statement {
    Statement {
        source: source.clone(),
        body,
        sent: settings.as_sent(&source.text),
    }
}

/// How a query's results are shown.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// `--format` or `.format` for solutions and for graphs.
    pub solutions: Option<Format>,
    pub graphs: Option<Format>,
    /// For a person at a terminal: tables by default.
    pub terminal: bool,
    pub table: TableOptions,
    /// A line above a table (a library query's title).
    pub title: Option<String>,
}

impl OutputOptions {
    /// The format of a result of `kind` written into `sink`: the explicit one, else the file's
    /// extension, else the default for the kind. In a directory of several results, an
    /// explicit format that cannot hold this one gives way to its kind's default.
    pub fn resolve(&self, kind: ResultKind, sink: &dyn Sink, origin: &str) -> Result<Format> {
        let explicit = match kind {
            ResultKind::Solutions => self.solutions,
            ResultKind::Graph => self.graphs,
        };
        match Format::resolve(explicit, sink.path(), kind, self.terminal, origin) {
            Err(_) if sink.is_directory() && explicit.is_some() => {
                Format::resolve(None, None, kind, false, origin)
            }
            resolved => resolved,
        }
    }
}

/// What kind of answer a statement gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Solutions,
    Boolean,
    Triples,
    Updated,
    /// A query's plan in place of its results (`query --explain`).
    Plan,
}

/// What a statement did: its answer, how many rows or triples, how many a table held back, how
/// long it took and the format it was written in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub answer: Answer,
    pub rows: u64,
    pub hidden: u64,
    pub elapsed: Duration,
    pub format: Option<Format>,
}

impl Summary {
    /// "12 rows", "1 triple"; nothing for a boolean or an update.
    pub fn counts(&self) -> String {
        let (one, many) = match self.answer {
            Answer::Solutions => ("row", "rows"),
            Answer::Triples => ("triple", "triples"),
            Answer::Boolean | Answer::Updated | Answer::Plan => return String::new(),
        };
        plural(self.rows, one, many)
    }

    /// "12 rows in 3.1 ms", "answered in 0.4 ms", "updated in 2.0 ms".
    pub fn text(&self) -> String {
        let counts = self.counts();
        let time = duration_text(self.elapsed);
        match self.answer {
            Answer::Updated => format!("updated in {time}"),
            Answer::Plan => format!("explained in {time}"),
            _ if counts.is_empty() => format!("answered in {time}"),
            _ => format!("{counts} in {time}"),
        }
    }
}

/// `1 row`, `2 rows`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Milliseconds under a second, seconds above.
pub fn duration_text(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 1.0 {
        format!("{:.1} ms", seconds * 1000.0)
    } else {
        format!("{seconds:.2} s")
    }
}

/// Runs `f` with the guard armed for `token`: a statement cancelled while it computes without
/// reading the dataset unwinds here and becomes a timeout; a panic becomes an internal error
/// rather than the end of the session.
fn guarded<T>(token: &CancellationToken, origin: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
    match guard::guarded(token, f) {
        Ok(result) => result,
        Err(Unwound::Overrun) => Err(Error::Timeout {
            origin: origin.to_owned(),
            seconds: 0.0,
        }),
        Err(Unwound::Panic(message)) => Err(Error::Internal {
            origin: origin.to_owned(),
            message,
        }),
    }
}

/// Runs a query on `backend` and streams its results into `sink`, which is committed only
/// when all are written.
pub fn run_query(
    backend: &dyn Backend,
    statement: &Statement,
    settings: &Settings,
    output: &OutputOptions,
    sink: &mut dyn Sink,
    token: &CancellationToken,
) -> Result<Summary> {
    run_query_with(
        |query| {
            backend.run_query(
                query,
                &statement.sent,
                token.clone(),
                &statement.source.origin,
            )
        },
        statement,
        settings,
        output,
        sink,
        token,
    )
}

/// [`run_query`] with the backend reached through `start`, so a caller that holds the
/// dataset under a lock can let go of it once the results start (they do not borrow it).
pub fn run_query_with(
    start: impl FnOnce(Query) -> Result<QueryResults<'static>>,
    statement: &Statement,
    settings: &Settings,
    output: &OutputOptions,
    sink: &mut dyn Sink,
    token: &CancellationToken,
) -> Result<Summary> {
    let started = Instant::now();
    let origin = &statement.source.origin;
    let Body::Query(query) = &statement.body else {
        return Err(Error::usage(format!(
            "{origin}: this is an update, not a query"
        )));
    };
    guarded(token, origin, || {
        let results = start((**query).clone())?;
        let (kind, answer) = match &results {
            QueryResults::Solutions(_) => (ResultKind::Solutions, Answer::Solutions),
            QueryResults::Boolean(_) => (ResultKind::Solutions, Answer::Boolean),
            QueryResults::Graph(_) => (ResultKind::Graph, Answer::Triples),
        };
        let format = output.resolve(kind, sink, origin)?;
        let name = sink.name();
        let writer = sink.open(format)?;
        // A title heads a table for people; it would corrupt a machine format.
        if let (Some(title), Format::Table) = (&output.title, format) {
            writeln!(writer, "{title}").map_err(|e| Error::io(&name, e))?;
        }
        let options = RenderOptions {
            format,
            prefixes: &settings.prefixes,
            table: output.table.clone(),
            output_name: &name,
        };
        let written = render::write_results(results, &options, origin, &mut *writer)?;
        sink.commit()?;
        Ok(Summary {
            answer,
            rows: written.rows,
            hidden: written.hidden,
            elapsed: started.elapsed(),
            format: Some(format),
        })
    })
}

/// Runs an update.
pub fn run_update(
    backend: &mut dyn Backend,
    statement: &Statement,
    token: &CancellationToken,
) -> Result<Summary> {
    let started = Instant::now();
    let origin = &statement.source.origin;
    let Body::Update(update) = &statement.body else {
        return Err(Error::usage(format!(
            "{origin}: this is a query, not an update"
        )));
    };
    guarded(token, origin, || {
        backend.run_update((**update).clone(), &statement.sent, token.clone(), origin)
    })?;
    Ok(Summary {
        answer: Answer::Updated,
        rows: 0,
        hidden: 0,
        elapsed: started.elapsed(),
        format: None,
    })
}

/// Runs a query to its end and explains how it was evaluated.
pub fn explain(
    backend: &dyn Backend,
    statement: &Statement,
    token: &CancellationToken,
) -> Result<QueryExplanation> {
    let origin = &statement.source.origin;
    let Body::Query(query) = &statement.body else {
        return Err(Error::usage(format!(
            "{origin}: .explain explains queries, not updates"
        )));
    };
    guarded(token, origin, || {
        backend.explain_query((**query).clone(), token.clone(), origin)
    })
}

/// The solutions of a SELECT query, in memory: for the engine's own small queries (cards,
/// completion, checks), never for a user's results, which stream.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub variables: Vec<Variable>,
    pub rows: Vec<Vec<Option<Term>>>,
}

/// Runs a SELECT query and collects its rows.
pub fn select(
    backend: &dyn Backend,
    settings: &Settings,
    source: &Source,
    token: &CancellationToken,
) -> Result<Rows> {
    let statement = prepare_as(source, settings, Kind::Query)?;
    let Body::Query(query) = statement.body else {
        unreachable!("prepared as a query")
    };
    guarded(token, &source.origin, || {
        match backend.run_query(*query, &statement.sent, token.clone(), &source.origin)? {
            QueryResults::Solutions(solutions) => {
                let variables = solutions.variables().to_vec();
                let rows = solutions
                    .map(|solution| {
                        let solution =
                            solution.map_err(|e| Error::from_evaluation(&source.origin, e))?;
                        Ok(variables.iter().map(|v| solution.get(v).cloned()).collect())
                    })
                    .collect::<Result<_>>()?;
                Ok(Rows { variables, rows })
            }
            _ => Err(Error::usage(format!(
                "{}: expected a SELECT query",
                source.origin
            ))),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::data::prebuilt::Prebuilt;
    use crate::output::sink::Buffer;

    fn embedded() -> Dataset {
        Dataset::from_prebuilt(Prebuilt::get())
    }

    #[test]
    fn a_query_streams_into_its_sink_with_a_summary() {
        let settings = Settings::default();
        let statement = prepare(
            &Source::inline(1, "SELECT ?c WHERE { ?c a ff:Country } LIMIT 3"),
            &settings,
        )
        .expect("parses");
        let mut sink = Buffer::default();
        let summary = run_query(
            &embedded(),
            &statement,
            &settings,
            &OutputOptions::default(),
            &mut sink,
            &CancellationToken::new(),
        )
        .expect("runs");
        assert_eq!(summary.answer, Answer::Solutions);
        assert_eq!(summary.rows, 3);
        assert_eq!(sink.format, Some(Format::Tsv));
        assert_eq!(String::from_utf8_lossy(&sink.bytes).lines().count(), 4);
        assert!(summary.text().starts_with("3 rows in "));
    }

    /// Found by fuzz/prepare: spargebra writes `GROUP BY ?a ?a` back as a sub-SELECT that
    /// projects ?a twice, which does not parse; an endpoint is sent the text as written.
    #[test]
    fn an_endpoint_is_sent_the_text_as_written() {
        let settings = Settings::default();
        let text = "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c } GROUP BY ?a ?a";
        let statement = prepare(&Source::inline(1, text), &settings).expect("parses");
        assert!(statement.sent.ends_with(text), "{}", statement.sent);
        assert!(
            settings
                .parse_query(&Source::inline(1, &statement.sent))
                .is_ok()
        );
    }

    #[test]
    fn statements_are_classified_once() {
        let settings = Settings::default();
        let update = Source::inline(1, "INSERT DATA { ff:a ff:b ff:c }");
        assert_eq!(
            prepare(&update, &settings).expect("parses").kind(),
            Kind::Update
        );
        let Err(Error::Usage(message)) = prepare_as(&update, &settings, Kind::Query) else {
            panic!("expected a usage error");
        };
        assert!(message.contains("ffkg update"), "{message}");
        // Neither: the error of the parse that got further.
        let wrong = Source::inline(1, "INSERT DATA { ff:a ff:b ff:c ");
        assert!(matches!(
            prepare(&wrong, &settings),
            Err(Error::QuerySyntax { .. })
        ));
    }

    #[test]
    fn a_computation_that_never_reads_the_data_stops_when_cancelled() {
        let settings = Settings::default();
        let values = (0..300)
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(" ");
        let text = format!(
            "SELECT (COUNT(*) AS ?n) {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} \
             VALUES ?c {{ {values} }} }}"
        );
        let statement = prepare(&Source::inline(1, text), &settings).expect("parses");
        let token = CancellationToken::new();
        let canceller = {
            let token = token.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(200));
                token.cancel();
            })
        };
        let started = Instant::now();
        let result = run_query(
            &embedded(),
            &statement,
            &settings,
            &OutputOptions::default(),
            &mut Buffer::default(),
            &token,
        );
        canceller.join().expect("joins");
        assert!(matches!(result, Err(Error::Timeout { .. })), "{result:?}");
        // 27 million rows would take far longer than this.
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn a_broken_statement_gets_the_error_of_the_kind_it_was_meant_to_be() {
        let settings = Settings::default();
        // The update parser got further, so its error is the one shown.
        let Err(Error::QuerySyntax { position, .. }) = prepare(
            &Source::inline(1, "INSERT DATA { <http://e.org/a> <http://e.org/p> }"),
            &settings,
        ) else {
            panic!("expected a positioned syntax error");
        };
        assert!(position.column > 40, "{position}");
    }

    #[test]
    fn select_collects_rows() {
        let rows = select(
            &embedded(),
            &Settings::default(),
            &Source::inline(1, "SELECT ?l { country:TUN rdfs:label ?l }"),
            &CancellationToken::new(),
        )
        .expect("runs");
        assert_eq!(rows.variables.len(), 1);
        assert_eq!(rows.rows.len(), 1);
    }
}
