//! SPARQL text and its parsing: where a statement came from ([`Source`]), the settings every
//! statement of a session is parsed and run with ([`Settings`]), the lexer, the nesting check
//! that keeps deep input away from the recursive parser ([`depth`]), located syntax errors
//! ([`syntax`]), the statement splitter, and the prefix map.

pub mod depth;
pub mod lexer;
pub mod prefixes;
pub mod split;
pub mod syntax;

use crate::error::{Error, Result};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, PreparedSparqlUpdate, SparqlEvaluator,
};
use prefixes::PrefixMap;
use spargebra::{Query, SparqlParser, Update};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// A query or update as the user gave it, with where it came from for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `-e #2`, `queries/x.rq`, `<stdin>`: printed before every error about this text.
    pub origin: String,
    pub text: String,
}

impl Source {
    pub fn new(origin: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            text: text.into(),
        }
    }

    pub fn inline(index: usize, text: impl Into<String>) -> Self {
        Self::new(format!("-e #{index}"), text)
    }

    pub fn from_file(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Ok(Self::new(path.display().to_string(), text))
    }

    pub fn from_stdin() -> Result<Self> {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        Ok(Self::new("<stdin>", text))
    }
}

/// Whether a statement is a query or an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Query,
    Update,
}

/// What a statement may fetch from the network: a front end's choice, not the data's. The CLI
/// and the REPL call `SERVICE` endpoints; `ffkg serve` does only with `--allow-service`, so
/// that no request can make it fetch a URL unless its operator says so. `LOAD` fetches with the
/// same client and timeout (serve refuses it before it runs, unless `--allow-load`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fetch {
    /// `SERVICE` calls are made (otherwise they fail, naming the endpoint).
    pub service: bool,
    /// The longest one HTTP request of a `SERVICE` call or a `LOAD` may take.
    pub timeout: Duration,
}

impl Fetch {
    /// When no timeout is set for statements, an HTTP request still gets one.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

    /// No `SERVICE` calls.
    pub const NONE: Self = Self {
        service: false,
        timeout: Self::DEFAULT_TIMEOUT,
    };

    /// `SERVICE` calls, each HTTP request bounded by the statement's timeout, if any.
    pub fn services(timeout: Option<Duration>) -> Self {
        Self {
            service: true,
            timeout: timeout.unwrap_or(Self::DEFAULT_TIMEOUT),
        }
    }
}

impl Default for Fetch {
    fn default() -> Self {
        Self::NONE
    }
}

/// An evaluator that stops when `token` is cancelled and fetches only what `fetch` allows. A
/// cancelled statement still waits for an HTTP request under way, up to `fetch.timeout`.
pub fn evaluator(token: Option<CancellationToken>, fetch: Fetch) -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new()
        .with_http_timeout(fetch.timeout)
        .with_http_redirection_limit(HTTP_REDIRECTIONS);
    if !fetch.service {
        evaluator = evaluator.without_default_http_service_handler();
    }
    match token {
        Some(token) => evaluator.with_cancellation_token(token),
        None => evaluator,
    }
}

/// Redirections a `SERVICE` call or a `LOAD` follows (endpoints move to https, w3id.org
/// redirects).
const HTTP_REDIRECTIONS: usize = 5;

/// Parsing and evaluation settings shared by every statement of a run or a session.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub prefixes: PrefixMap,
    pub base_iri: Option<String>,
    pub timeout: Option<Duration>,
    /// Warn about names of the graph's own namespaces that it does not use (the CLI and the
    /// REPL, unless `--quiet`).
    pub lint: bool,
}

impl Settings {
    /// A parser with the prefixes and base IRI declared, so queries need no PREFIX lines and
    /// error positions still point into the text the user wrote.
    fn parser(&self) -> Result<SparqlParser> {
        let mut parser = SparqlParser::new();
        if let Some(base) = &self.base_iri {
            parser = parser
                .with_base_iri(base.as_str())
                .map_err(|e| Error::usage(format!("bad --base IRI '{base}': {e}")))?;
        }
        for (prefix, iri) in self.prefixes.iter() {
            parser = parser
                .with_prefix(prefix, iri)
                .map_err(|e| Error::usage(format!("bad IRI for prefix {prefix}: {e}")))?;
        }
        Ok(parser)
    }

    /// A statement as a remote endpoint is sent it: the declarations of the prefixes it may
    /// use and of the base, then the text as written. They go on the text's first line, so
    /// the line numbers in an endpoint's error are the user's own; the statement's own
    /// declarations, coming later, win.
    pub fn as_sent(&self, text: &str) -> String {
        let mut sent = String::new();
        if let Some(base) = &self.base_iri {
            sent.push_str(&format!("BASE <{base}> "));
        }
        for (prefix, iri) in self.prefixes.iter() {
            if text.contains(&format!("{prefix}:")) {
                sent.push_str(&format!("PREFIX {prefix}: <{iri}> "));
            }
        }
        sent.push_str(text);
        sent
    }

    /// Parses a query, after checking that its nesting is within [`depth::LIMIT`].
    pub fn parse_query(&self, source: &Source) -> Result<Query> {
        depth::check(source)?;
        self.parser()?
            .parse_query(&source.text)
            .map_err(|e| self.syntax_error(source, &e))
    }

    /// The parser's error, or a better account of it when [`syntax::diagnose`] has one.
    fn syntax_error(&self, source: &Source, error: &oxigraph::sparql::SparqlSyntaxError) -> Error {
        syntax::diagnose(source, &self.prefixes, self.base_iri.is_some())
            .unwrap_or_else(|| syntax::error(source, error))
    }

    /// Parses an update, after checking that its nesting is within [`depth::LIMIT`].
    pub fn parse_update(&self, source: &Source) -> Result<Update> {
        depth::check(source)?;
        self.parser()?
            .parse_update(&source.text)
            .map_err(|e| self.syntax_error(source, &e))
    }

    /// Parses a query into oxigraph's form, ready to run on a dataset.
    pub fn prepare_query(
        &self,
        source: &Source,
        token: Option<CancellationToken>,
    ) -> Result<PreparedSparqlQuery> {
        Ok(evaluator(token, Fetch::NONE).for_query(self.parse_query(source)?))
    }

    /// Parses an update into oxigraph's form, ready to run on a store.
    pub fn prepare_update(
        &self,
        source: &Source,
        token: Option<CancellationToken>,
    ) -> Result<PreparedSparqlUpdate> {
        Ok(evaluator(token, Fetch::NONE).for_update(self.parse_update(source)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_point_at_the_line_and_column() {
        let settings = Settings::default();
        let source = Source::inline(1, "SELECT ?x\nWHERE { ?x ff:label }");
        let Err(err) = settings.parse_query(&source) else {
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
        assert!(settings.parse_query(&source).is_ok());
        // An error on line 1 stays on line 1: nothing was prepended.
        let bad = Source::inline(1, "SELECT * WHERE { ?x a ff:Figure");
        match settings.parse_query(&bad) {
            Err(Error::QuerySyntax { position, .. }) => assert_eq!(position.line, 1),
            Err(other) => panic!("{other:?}"),
            Ok(_) => panic!("parsed"),
        }
    }
}
