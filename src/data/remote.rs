//! A remote SPARQL 1.1 endpoint as a [`Backend`]: a statement prepared locally (prefixes,
//! located syntax errors) is sent as text, and the answer is parsed as it streams in (sparesults
//! for solutions, oxrdfio for graphs) into the same results a local query gives, so every
//! renderer, sink and summary works unchanged. Also the Graph Store Protocol requests that
//! `ffkg push` makes.

use super::Backend;
use super::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::output::dataset::Wrote;
use crate::output::format::Format;
use crate::sparql::prefixes::PrefixMap;
use oxhttp::Client;
use oxhttp::model::{Body, Method, Request, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNode};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{
    CancellationToken, QueryEvaluationError, QueryExplanation, QueryResults, QuerySolutionIter,
    QueryTripleIter,
};
use spargebra::{Query, Update};
use std::io::{self, Read, Write};
use std::sync::OnceLock;
use std::time::Duration;

/// What a query asks for, in the order an endpoint is asked to prefer.
const SOLUTIONS_ACCEPT: &str = "application/sparql-results+json, \
     application/sparql-results+xml;q=0.9, text/tab-separated-values;q=0.8";
/// SELECT answers are asked for in SPARQL's TSV first where the endpoint writes it as the
/// standard says (see [`Remote::tsv`]): it reads two to three times faster than JSON.
const TSV_FIRST_ACCEPT: &str = "text/tab-separated-values, \
     application/sparql-results+json;q=0.9, application/sparql-results+xml;q=0.8";
const GRAPH_ACCEPT: &str = "application/n-triples, text/turtle;q=0.9, \
     application/rdf+xml;q=0.8, text/plain;q=0.5";
/// How much of an error body is read: enough for any engine's message.
const ERROR_TEXT: u64 = 4096;
/// How many characters of it are shown.
const ERROR_SHOWN: usize = 600;

/// A remote endpoint and how long one request may take.
#[derive(Debug)]
pub struct Remote {
    endpoint: Endpoint,
    timeout: Duration,
    /// Whether the endpoint writes SPARQL's TSV, found out before its first SELECT.
    tsv: OnceLock<bool>,
}

impl Remote {
    /// Each request (connecting, and every read and write) is bounded by `timeout`.
    pub fn new(endpoint: Endpoint, timeout: Duration) -> Self {
        Self {
            endpoint,
            timeout,
            tsv: OnceLock::new(),
        }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    fn client(&self) -> Client {
        let client = Client::new()
            .with_global_timeout(self.timeout)
            .with_redirection_limit(5);
        match client.with_user_agent(concat!("ffkg/", env!("CARGO_PKG_VERSION"))) {
            Ok(client) => client,
            Err(_) => Client::new().with_global_timeout(self.timeout),
        }
    }

    /// Sends a request with the endpoint's headers; an error status becomes an error carrying
    /// the start of the endpoint's own text, and no answer within the timeout a timeout.
    pub(crate) fn send(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
        origin: &str,
    ) -> Result<Response<Body>> {
        let mut builder = Request::builder().method(method).uri(url);
        for (name, value) in &self.endpoint.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = builder
            .body(Body::from(body))
            .map_err(|e| Error::Endpoint {
                origin: origin.to_owned(),
                endpoint: url.to_owned(),
                message: format!("cannot be asked: {e}"),
                status: None,
            })?;
        let response = self.client().request(request).map_err(|e| {
            // No answer in time is the statement's timeout, as it is locally.
            if matches!(
                e.kind(),
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
            ) {
                return Error::Timeout {
                    origin: origin.to_owned(),
                    seconds: self.timeout.as_secs_f64(),
                };
            }
            Error::Endpoint {
                origin: origin.to_owned(),
                endpoint: url.to_owned(),
                message: format!("could not be reached: {e}"),
                status: None,
            }
        })?;
        if response.status().is_success() {
            return Ok(response);
        }
        let status = response.status();
        let mut text = String::new();
        let _ = response
            .into_body()
            .take(ERROR_TEXT)
            .read_to_string(&mut text);
        let mut text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Some engines (Virtuoso) echo the whole statement after their message.
        if let Some((cut, _)) = text.char_indices().nth(ERROR_SHOWN) {
            text.truncate(cut);
            text.push_str(" …");
        }
        Err(Error::Endpoint {
            origin: origin.to_owned(),
            endpoint: url.to_owned(),
            message: if text.is_empty() {
                format!("answered {status}")
            } else {
                format!("answered {status}: {text}")
            },
            status: Some(status.as_u16()),
        })
    }

    /// A SPARQL 1.1 Protocol request by POST with a form body (`query=` or `update=`), which
    /// every engine takes and which has no URL length limit.
    fn post_form(
        &self,
        url: &str,
        field: &str,
        text: &str,
        accept: &str,
        origin: &str,
    ) -> Result<Response<Body>> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair(field, text)
            .finish();
        self.send(
            Method::POST,
            url,
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", accept),
            ],
            body.into_bytes(),
            origin,
        )
    }

    /// Runs one of ffkg's own queries (a count, a probe), whose text is known to parse.
    fn run_text(&self, text: &str, origin: &str) -> Result<QueryResults<'static>> {
        let query = spargebra::SparqlParser::new()
            .parse_query(text)
            .map_err(|e| Error::evaluation(origin, e))?;
        self.run_query(query, text, CancellationToken::new(), origin)
    }

    /// Runs a SELECT returning one count.
    pub fn count(&self, query: &str, origin: &str) -> Result<u64> {
        let QueryResults::Solutions(mut solutions) = self.run_text(query, origin)? else {
            return Err(Error::evaluation(
                origin,
                "a count query did not give solutions",
            ));
        };
        let solution = solutions
            .next()
            .transpose()
            .map_err(|e| Error::from_evaluation(origin, e))?;
        let value = solution.and_then(|s| s.get(0).cloned());
        match value {
            Some(oxigraph::model::Term::Literal(l)) => l.value().parse().map_err(|_| {
                Error::evaluation(origin, format!("the endpoint counted {:?}", l.value()))
            }),
            _ => Ok(0),
        }
    }

    /// Whether to ask this endpoint for TSV: decided once, by a one-row SELECT whose answer
    /// must come back as TSV that parses and keeps a language tag. Virtuoso's TSV, quoted like
    /// CSV with the tags dropped, does not. An endpoint that refuses the probe is asked in
    /// JSON; one that cannot be reached, or does not answer in time, fails the query here.
    fn tsv(&self, origin: &str) -> Result<bool> {
        if let Some(tsv) = self.tsv.get() {
            return Ok(*tsv);
        }
        let probe = r#"SELECT ?x WHERE { VALUES ?x { "a"@en } }"#;
        let url = self.endpoint.query.as_str();
        let tsv = match self.post_form(url, "query", probe, TSV_FIRST_ACCEPT, origin) {
            Ok(response) if media_type(&response) == "text/tab-separated-values" => {
                let tagged = Literal::new_language_tagged_literal_unchecked("a", "en").into();
                match QueryResultsParser::from_format(QueryResultsFormat::Tsv)
                    .for_reader(response.into_body())
                {
                    Ok(ReaderQueryResultsParserOutput::Solutions(mut rows)) => {
                        matches!(rows.next(), Some(Ok(row)) if row.get(0) == Some(&tagged))
                            && rows.next().is_none()
                    }
                    _ => false,
                }
            }
            Ok(_)
            | Err(Error::Endpoint {
                status: Some(_), ..
            }) => false,
            Err(e) => return Err(e),
        };
        Ok(*self.tsv.get_or_init(|| tsv))
    }

    /// Asks `ASK {}`, which every endpoint answers: whether it is there and speaks SPARQL.
    pub fn probe(&self, origin: &str) -> Result<()> {
        match self.run_text("ASK {}", origin)? {
            QueryResults::Boolean(_) => Ok(()),
            _ => Err(Error::Endpoint {
                origin: origin.to_owned(),
                endpoint: self.endpoint.query.as_str().to_owned(),
                message: "did not answer ASK {} with a boolean".to_owned(),
                status: None,
            }),
        }
    }

    /// Sends an update's text as it is.
    pub fn update_text(&self, text: &str, origin: &str) -> Result<()> {
        let url = self.endpoint.update.as_str().to_owned();
        self.post_form(&url, "update", text, "*/*", origin)?;
        Ok(())
    }
}

fn media_type(response: &Response<Body>) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// An error met while reading an answer that had started: the connection, or its syntax.
#[derive(Debug, thiserror::Error)]
#[error("{endpoint}: its answer broke off: {cause}")]
struct Broken {
    endpoint: String,
    cause: String,
}

/// An answer that stopped making sense part way.
fn broken(endpoint: &str, cause: impl std::fmt::Display) -> QueryEvaluationError {
    QueryEvaluationError::Dataset(Box::new(Broken {
        endpoint: endpoint.to_owned(),
        cause: cause.to_string(),
    }))
}

/// A read that failed part way; one that waited past the timeout means the query ran out of
/// time.
fn read_failed(endpoint: &str, error: &io::Error) -> QueryEvaluationError {
    match error.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => QueryEvaluationError::Cancelled,
        _ => broken(endpoint, error),
    }
}

/// Items until the first error or the token's cancellation, which ends the stream.
fn guarded<T: 'static>(
    items: impl Iterator<Item = std::result::Result<T, QueryEvaluationError>> + 'static,
    token: CancellationToken,
) -> impl Iterator<Item = std::result::Result<T, QueryEvaluationError>> + 'static {
    let mut done = false;
    items.map_while(move |item| {
        if done {
            return None;
        }
        if token.is_cancelled() {
            done = true;
            return Some(Err(QueryEvaluationError::Cancelled));
        }
        done = item.is_err();
        Some(item)
    })
}

impl Backend for Remote {
    fn description(&self) -> String {
        format!("the endpoint {}", self.endpoint.name)
    }

    fn run_query(
        &self,
        query: Query,
        text: &str,
        token: CancellationToken,
        origin: &str,
    ) -> Result<QueryResults<'static>> {
        let graph = matches!(query, Query::Construct { .. } | Query::Describe { .. });
        let tsv_first = matches!(query, Query::Select { .. }) && self.tsv(origin)?;
        let accept = if graph {
            GRAPH_ACCEPT
        } else if tsv_first {
            TSV_FIRST_ACCEPT
        } else {
            SOLUTIONS_ACCEPT
        };
        let url = self.endpoint.query.as_str().to_owned();
        let response = self.post_form(&url, "query", text, accept, origin)?;
        let media = media_type(&response);
        // An answer that cannot be read is wrong data, as one that breaks off later is.
        let status = Some(response.status().as_u16());
        let unreadable = |what: &str| Error::Endpoint {
            origin: origin.to_owned(),
            endpoint: url.clone(),
            message: format!("answered with {what} ffkg cannot read ({media:?})"),
            status,
        };
        let body = response.into_body();
        if graph {
            let format = match media.as_str() {
                // Virtuoso's and older engines' name for N-Triples.
                "text/plain" => RdfFormat::NTriples,
                other => RdfFormat::from_media_type(other).ok_or_else(|| unreadable("a graph"))?,
            };
            let endpoint = url.clone();
            let triples =
                RdfParser::from_format(format)
                    .for_reader(body)
                    .map(move |quad| match quad {
                        Ok(quad) => Ok(quad.into()),
                        Err(oxigraph::io::RdfParseError::Io(e)) => Err(read_failed(&endpoint, &e)),
                        Err(e) => Err(broken(&endpoint, e)),
                    });
            return Ok(QueryResults::Graph(QueryTripleIter::new(guarded(
                triples, token,
            ))));
        }
        let format =
            QueryResultsFormat::from_media_type(&media).ok_or_else(|| unreadable("results"))?;
        let parsed = QueryResultsParser::from_format(format)
            .for_reader(body)
            .map_err(|e| Error::Endpoint {
                origin: origin.to_owned(),
                endpoint: url.clone(),
                message: format!("answered with results that do not parse: {e}"),
                status,
            })?;
        Ok(match parsed {
            ReaderQueryResultsParserOutput::Boolean(value) => QueryResults::Boolean(value),
            ReaderQueryResultsParserOutput::Solutions(solutions) => {
                let variables = solutions.variables().to_vec().into();
                let endpoint = url.clone();
                let rows = solutions.map(move |row| {
                    row.map_err(|e| match e {
                        oxigraph::sparql::results::QueryResultsParseError::Io(io) => {
                            read_failed(&endpoint, &io)
                        }
                        other => broken(&endpoint, other),
                    })
                });
                QueryResults::Solutions(QuerySolutionIter::new(variables, guarded(rows, token)))
            }
        })
    }

    fn explain_query(
        &self,
        _query: Query,
        _token: CancellationToken,
        origin: &str,
    ) -> Result<QueryExplanation> {
        Err(Error::usage(format!(
            "{origin}: explain needs a local dataset: {} plans the query itself",
            self.description()
        )))
    }

    fn run_update(
        &mut self,
        _update: Update,
        text: &str,
        _token: CancellationToken,
        origin: &str,
    ) -> Result<()> {
        self.update_text(text, origin)
    }

    fn write_dataset(
        &self,
        _format: Format,
        _prefixes: &PrefixMap,
        _output_name: &str,
        _writer: &mut dyn Write,
        _entailments: bool,
    ) -> Result<Wrote> {
        Err(Error::usage(format!(
            "writing a whole dataset needs a local one; from {}, write the answer of \
             `CONSTRUCT WHERE {{ ?s ?p ?o }}` to a file (--output, or .output in the REPL)",
            self.description()
        )))
    }

    /// Changes are the endpoint's: nothing is left to save here.
    fn is_persistent(&self) -> bool {
        true
    }

    fn contains_named_graph(&self, graph: &NamedNode) -> Result<bool> {
        let text = format!("ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}");
        match self.run_text(&text, "graph check")? {
            QueryResults::Boolean(value) => Ok(value),
            _ => Ok(false),
        }
    }
}
