//! The SPARQL 1.1 Protocol as a plain function from a request to a response over the engine:
//! queries by GET and POST (form or `application/sparql-query`), `default-graph-uri` and
//! `named-graph-uri`, content negotiation, the service description, CORS, and every limit
//! (body, response, workers and queue, timeout). Tested without sockets; `server::run` only
//! puts it behind a listener.

use super::negotiate;
use super::pages;
use crate::config::Limits;
use crate::data::Dataset;
use crate::engine::worker::{self, Stop};
use crate::engine::{self, Body as StatementBody, OutputOptions};
use crate::error::{self, Error};
use crate::output::format::{Format, ResultKind};
use crate::output::sink::Buffer;
use crate::sparql::{Kind, Settings, Source};
use oxhttp::model::header::{
    ACCEPT, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ALLOW, CONTENT_TYPE, HOST, VARY,
};
use oxhttp::model::{Body, HeaderValue, Method, Request, Response, StatusCode};
use oxrdf::NamedNode;
use spargebra::Query;
use spargebra::algebra::QueryDataset;
use std::io::Read;
use std::sync::{Arc, Condvar, Mutex};

/// The endpoint: the dataset it answers over and what bounds its work.
#[derive(Debug)]
pub struct Endpoint {
    pub dataset: Arc<Dataset>,
    pub settings: Settings,
    pub limits: Limits,
    pub cors: Option<String>,
    pool: Pool,
}

impl Endpoint {
    pub fn new(dataset: Dataset, settings: Settings, limits: Limits, cors: Option<String>) -> Self {
        Self {
            dataset: Arc::new(dataset),
            settings,
            pool: Pool::new(limits.workers, limits.queue),
            limits,
            cors,
        }
    }
}

/// Answers one request.
pub fn handle(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    let mut response = route(endpoint, request);
    if let Some(origin) = &endpoint.cors {
        if let Ok(value) = HeaderValue::from_str(origin) {
            response
                .headers_mut()
                .insert(ACCESS_CONTROL_ALLOW_ORIGIN, value);
        }
    }
    response
}

fn route(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    let path = request.uri().path().to_owned();
    match (request.method().clone(), path.as_str()) {
        (Method::OPTIONS, _) => {
            let mut response = empty(StatusCode::NO_CONTENT);
            let headers = response.headers_mut();
            headers.insert(ALLOW, HeaderValue::from_static("GET, POST, OPTIONS"));
            if endpoint.cors.is_some() {
                headers.insert(
                    ACCESS_CONTROL_ALLOW_METHODS,
                    HeaderValue::from_static("GET, POST, OPTIONS"),
                );
                headers.insert(
                    ACCESS_CONTROL_ALLOW_HEADERS,
                    HeaderValue::from_static("Accept, Content-Type"),
                );
            }
            response
        }
        (Method::GET, "/") => html(StatusCode::OK, pages::query_page()),
        (Method::GET, "/sparql") => {
            let params = query_params(request);
            if params.has("update") {
                return text(
                    StatusCode::BAD_REQUEST,
                    "an update is sent with POST, never GET",
                );
            }
            match params.first("query") {
                Some(query) => run_query(endpoint, request, query, &params),
                None => service_description(endpoint, request),
            }
        }
        (Method::POST, "/sparql") => post(endpoint, request),
        (_, "/sparql" | "/") => {
            let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "use GET or POST");
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET, POST, OPTIONS"));
            response
        }
        _ => text(
            StatusCode::NOT_FOUND,
            "not found: the SPARQL endpoint is /sparql, the query page /",
        ),
    }
}

fn post(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    let media = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let body = match read_body(request, endpoint.limits.max_body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    let url_params = query_params(request);
    match media.as_str() {
        "application/x-www-form-urlencoded" => {
            let params = Params::parse(&body);
            if params.has("update") {
                return read_only();
            }
            match params.first("query") {
                Some(query) => run_query(endpoint, request, query, &params),
                None => text(StatusCode::BAD_REQUEST, "the form has no query= parameter"),
            }
        }
        "application/sparql-query" => match String::from_utf8(body) {
            Ok(query) => run_query(endpoint, request, &query, &url_params),
            Err(_) => text(StatusCode::BAD_REQUEST, "the query is not UTF-8"),
        },
        "application/sparql-update" => read_only(),
        _ => text(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send a query as application/sparql-query or application/x-www-form-urlencoded",
        ),
    }
}

fn read_only() -> Response<Body> {
    text(
        StatusCode::FORBIDDEN,
        "this endpoint is read-only: updates are refused",
    )
}

/// The request's body, at most `limit` bytes (413 past it).
fn read_body(request: &mut Request<Body>, limit: u64) -> Result<Vec<u8>, Box<Response<Body>>> {
    let mut body = Vec::new();
    request
        .body_mut()
        .take(limit.saturating_add(1))
        .read_to_end(&mut body)
        .map_err(|e| {
            Box::new(text(
                StatusCode::BAD_REQUEST,
                &format!("unreadable body: {e}"),
            ))
        })?;
    if body.len() as u64 > limit {
        return Err(Box::new(text(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the body is larger than the endpoint's limit of {limit} bytes"),
        )));
    }
    Ok(body)
}

/// Form or URL parameters, in order, decoded.
#[derive(Debug, Default)]
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(bytes: &[u8]) -> Self {
        Self(form_urlencoded::parse(bytes).into_owned().collect())
    }

    fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }
}

fn query_params(request: &Request<Body>) -> Params {
    Params::parse(request.uri().query().unwrap_or("").as_bytes())
}

fn header(request: &Request<Body>, name: oxhttp::model::header::HeaderName) -> Option<&str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// What a query returns, from its form.
fn result_kind(query: &Query) -> ResultKind {
    match query {
        Query::Select { .. } | Query::Ask { .. } => ResultKind::Solutions,
        Query::Construct { .. } | Query::Describe { .. } => ResultKind::Graph,
    }
}

fn dataset_of(query: &mut Query) -> &mut Option<QueryDataset> {
    match query {
        Query::Select { dataset, .. }
        | Query::Construct { dataset, .. }
        | Query::Describe { dataset, .. }
        | Query::Ask { dataset, .. } => dataset,
    }
}

fn run_query(
    endpoint: &Endpoint,
    request: &Request<Body>,
    text_of_query: &str,
    params: &Params,
) -> Response<Body> {
    let choice = negotiate::choose(header(request, ACCEPT), params.first("format"));
    let source = Source::new("query", text_of_query);
    let mut statement = match engine::prepare_as(&source, &endpoint.settings, Kind::Query) {
        Ok(statement) => statement,
        Err(e) => return text(StatusCode::BAD_REQUEST, &error::report(&e)),
    };
    let StatementBody::Query(query) = &mut statement.body else {
        return text(StatusCode::BAD_REQUEST, "not a query");
    };
    let Some(format) = (match result_kind(query) {
        ResultKind::Solutions => choice.solutions,
        ResultKind::Graph => choice.graphs,
    }) else {
        return not_acceptable();
    };
    // The protocol's dataset, when given, replaces the query's FROM and FROM NAMED.
    let defaults = iris(&params.all("default-graph-uri"));
    let named = iris(&params.all("named-graph-uri"));
    match (defaults, named) {
        (Err(bad), _) | (_, Err(bad)) => {
            return text(StatusCode::BAD_REQUEST, &format!("not an IRI: {bad}"));
        }
        (Ok(defaults), Ok(named)) if !defaults.is_empty() || !named.is_empty() => {
            *dataset_of(query) = Some(QueryDataset {
                default: defaults,
                named: (!named.is_empty()).then_some(named),
            });
        }
        _ => {}
    }
    let Some(slot) = endpoint.pool.acquire() else {
        return text(
            StatusCode::SERVICE_UNAVAILABLE,
            "the endpoint is busy: every worker is taken and the queue is full; try again",
        );
    };
    let dataset = Arc::clone(&endpoint.dataset);
    let settings = endpoint.settings.clone();
    let cap = endpoint.limits.max_response;
    let output = OutputOptions {
        solutions: Some(format),
        graphs: Some(format),
        ..OutputOptions::default()
    };
    let result = worker::supervise("query", Some(endpoint.limits.timeout), None, move |token| {
        let mut sink = Buffer::limited(cap);
        engine::run_query(&*dataset, &statement, &settings, &output, &mut sink, &token)
            .map(|_| sink.bytes)
    });
    drop(slot);
    match result {
        Ok(bytes) => negotiated(format, bytes),
        Err(Stop::Failed(e) | Stop::Abandoned(e)) => failure(&e),
        Err(Stop::Interrupted) => text(StatusCode::SERVICE_UNAVAILABLE, "interrupted"),
    }
}

fn iris(values: &[&str]) -> Result<Vec<NamedNode>, String> {
    values
        .iter()
        .map(|v| NamedNode::new(*v).map_err(|_| (*v).to_owned()))
        .collect()
}

/// The status a failed query gets.
fn failure(error: &Error) -> Response<Body> {
    let status = match error {
        Error::Timeout { .. } => StatusCode::SERVICE_UNAVAILABLE,
        Error::Usage(_)
        | Error::QuerySyntax { .. }
        | Error::QuerySyntaxNoPosition { .. }
        | Error::TooDeep { .. } => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    text(status, &error::report(error))
}

fn not_acceptable() -> Response<Body> {
    text(
        StatusCode::NOT_ACCEPTABLE,
        &format!(
            "no format the request accepts can hold this result; the endpoint offers {}",
            negotiate::offered()
        ),
    )
}

fn content_type(format: Format) -> String {
    let media = format.media_type();
    if media.starts_with("text/") || media.ends_with("+json") || media.ends_with("+xml") {
        format!("{media}; charset=utf-8")
    } else {
        media.to_owned()
    }
}

/// The service description (SPARQL 1.1 Service Description) in the negotiated RDF syntax.
fn service_description(endpoint: &Endpoint, request: &Request<Body>) -> Response<Body> {
    let params = query_params(request);
    let choice = negotiate::choose(header(request, ACCEPT), params.first("format"));
    let Some(format) = choice.graphs else {
        return not_acceptable();
    };
    let host = header(request, HOST).unwrap_or("localhost");
    let url = format!("http://{host}/sparql");
    match pages::service_description(&url, format, &endpoint.settings.prefixes) {
        Ok(bytes) => negotiated(format, bytes),
        Err(e) => failure(&e),
    }
}

/// A 200 in the negotiated `format`; caches must key it on Accept.
fn negotiated(format: Format, bytes: Vec<u8>) -> Response<Body> {
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, content_type(format))
        .header(VARY, "Accept")
        .body(Body::from(bytes))
        .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR))
}

fn empty(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

fn text(status: StatusCode, message: &str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(format!("{message}\n")))
        .unwrap_or_else(|_| empty(status))
}

fn html(status: StatusCode, page: String) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(page))
        .unwrap_or_else(|_| empty(status))
}

/// A bounded pool of query workers with a bounded queue in front of it.
#[derive(Debug)]
struct Pool {
    /// (running, waiting)
    state: Mutex<(usize, usize)>,
    freed: Condvar,
    workers: usize,
    queue: usize,
}

/// A worker slot, given back when dropped.
struct Slot<'a>(&'a Pool);

impl Pool {
    fn new(workers: usize, queue: usize) -> Self {
        Self {
            state: Mutex::new((0, 0)),
            freed: Condvar::new(),
            workers: workers.max(1),
            queue,
        }
    }

    /// A slot now, or after waiting in the queue; none when the queue is full.
    fn acquire(&self) -> Option<Slot<'_>> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.0 < self.workers {
            state.0 += 1;
            return Some(Slot(self));
        }
        if state.1 >= self.queue {
            return None;
        }
        state.1 += 1;
        while state.0 >= self.workers {
            state = self.freed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        state.1 -= 1;
        state.0 += 1;
        Some(Slot(self))
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut state = self.0.state.lock().unwrap_or_else(|p| p.into_inner());
        state.0 -= 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
