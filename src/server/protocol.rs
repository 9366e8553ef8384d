//! The SPARQL 1.1 Protocol as a plain function from a request to a response over the engine:
//! routing, queries by GET and POST (form or `application/sparql-query`) with
//! `default-graph-uri` and `named-graph-uri`, content negotiation, the service description and
//! CORS. Updates are [`super::write`]'s, the Graph Store Protocol [`super::gsp`]'s. Tested
//! without sockets; `server::run` only puts it behind a listener.

use super::http::{self, Params, failure, header, not_acceptable, text};
use super::pool::Pool;
use super::{assets, gsp, html, negotiate, pages, resource, void, write};
use crate::config::Limits;
use crate::data::Dataset;
use crate::engine::worker;
use crate::engine::{self, Body as StatementBody, OutputOptions, Statement};
use crate::error::{self, Result};
use crate::output::format::{Format, ResultKind};
use crate::output::sink::Buffer;
use crate::sparql::lexer::{self, TokenKind};
use crate::sparql::{Fetch, Kind, Settings, Source, depth};
use oxhttp::model::header::{
    ACCEPT, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ALLOW, HOST,
};
use oxhttp::model::{Body, HeaderValue, Method, Request, Response, StatusCode};
use oxigraph::sparql::CancellationToken;
use oxrdf::NamedNode;
use spargebra::Query;
use spargebra::algebra::QueryDataset;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

/// Who may do what beyond reading, and from which origins browsers may call.
#[derive(Debug, Clone, Default)]
pub struct Access {
    /// `--cors`: the origin (or `*`) browser pages may call from.
    pub cors: Option<String>,
    /// `--update` with `--token-file`: the bearer token that updates and graph writes must
    /// carry; none means the endpoint is read-only.
    pub token: Option<String>,
    /// `--allow-service`: statements may call other endpoints.
    pub allow_service: bool,
    /// `--allow-load`: updates may LOAD from a URL.
    pub allow_load: bool,
}

/// The endpoint: the dataset it answers over and what bounds its work.
#[derive(Debug)]
pub struct Endpoint {
    /// Queries read it together; an update or a graph write has it alone.
    pub dataset: Arc<RwLock<Dataset>>,
    pub settings: Settings,
    pub limits: Limits,
    pub access: Access,
    pub pool: Pool,
    /// What the service description says of the dataset.
    pub about: About,
    /// `--sources DIR`: the source documents' texts, for quotes in their paragraphs.
    pub sources: Option<std::path::PathBuf>,
    /// Writes done: what was computed of the data holds while this stays the same.
    writes: AtomicU64,
    /// The VoID description of the data as it last was.
    pub void: void::Cache,
}

/// What the dataset is, for the service description.
#[derive(Debug, Clone, Copy)]
pub struct About {
    /// The embedded graph is in it.
    pub embedded: bool,
    /// Its default graph is the merge of its named graphs (`sd:UnionDefaultGraph`).
    pub union_default_graph: bool,
}

impl Endpoint {
    /// With writes allowed, the dataset becomes a store now, so that the first write does
    /// not pay for copying the embedded graph.
    pub fn new(
        dataset: Dataset,
        settings: Settings,
        limits: Limits,
        access: Access,
    ) -> Result<Self> {
        let dataset = dataset.with_fetch(Fetch {
            service: access.allow_service,
            timeout: limits.timeout,
        });
        let embedded = dataset.holds_embedded();
        let mut dataset = dataset;
        if access.token.is_some() {
            dataset.store()?;
        }
        let about = About {
            embedded,
            union_default_graph: dataset.default_graph_is_union(),
        };
        Ok(Self {
            dataset: Arc::new(RwLock::new(dataset)),
            settings,
            pool: Pool::new(limits.workers, limits.queue),
            limits,
            access,
            about,
            sources: None,
            writes: AtomicU64::new(0),
            void: void::Cache::default(),
        })
    }

    /// The data's generation: how many writes it has had.
    pub fn generation(&self) -> u64 {
        self.writes.load(Ordering::SeqCst)
    }

    /// Counts a write, made while the dataset was held alone.
    pub fn wrote(&self) {
        self.writes.fetch_add(1, Ordering::SeqCst);
    }

    /// The URL of `path` on this endpoint, as the client named the host.
    pub fn url(&self, request: &Request<Body>, path: &str) -> String {
        let host = header(request, HOST).unwrap_or("localhost");
        format!("http://{host}{path}")
    }

    /// The settings a request's statement is parsed with: relative IRIs resolve against the
    /// endpoint's URL unless `--base` says otherwise.
    pub fn settings_for(&self, request: &Request<Body>) -> Settings {
        let mut settings = self.settings.clone();
        if settings.base_iri.is_none() {
            settings.base_iri = Some(self.url(request, "/sparql"));
        }
        settings
    }
}

/// Answers one request.
pub fn handle(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    let mut response = route(endpoint, request);
    if let Some(origin) = &endpoint.access.cors {
        if let Ok(value) = HeaderValue::from_str(origin) {
            response
                .headers_mut()
                .insert(ACCESS_CONTROL_ALLOW_ORIGIN, value);
        }
    }
    response
}

/// The methods each path answers.
fn allowed(path: &str) -> &'static str {
    if gsp::owns(path) {
        "GET, HEAD, PUT, POST, DELETE, OPTIONS"
    } else {
        "GET, POST, OPTIONS"
    }
}

fn route(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    let path = request.uri().path().to_owned();
    let method = request.method().clone();
    if method == Method::OPTIONS {
        return preflight(endpoint, &path);
    }
    if gsp::owns(&path) {
        return gsp::handle(endpoint, request);
    }
    if resource::owns(&path) {
        return resource::handle(endpoint, request);
    }
    if method == Method::GET || method == Method::HEAD {
        if path == void::PATH {
            return void::handle(endpoint, request);
        }
        if let Some(format) = void::dump_format(&path) {
            return void::dump(endpoint, format);
        }
    }
    match (method, path.as_str()) {
        (Method::GET, "/") => http::typed(
            StatusCode::OK,
            "text/html; charset=utf-8",
            pages::yasgui_page(&endpoint.settings.prefixes),
        ),
        (Method::GET, "/query") => http::typed(
            StatusCode::OK,
            "text/html; charset=utf-8",
            pages::query_page(),
        ),
        (Method::GET, "/sparql") => {
            let params = Params::of_url(request);
            if params.has("update") {
                return text(
                    StatusCode::BAD_REQUEST,
                    "an update is sent with POST, never GET",
                );
            }
            match params.single("query") {
                Ok(Some(query)) => run_query(endpoint, request, query, &params),
                Ok(None) => service_description(endpoint, request),
                Err(response) => *response,
            }
        }
        (Method::POST, "/sparql") => post(endpoint, request),
        (Method::GET, path) if path.starts_with("/assets/") => assets::serve(path),
        (_, "/sparql" | "/" | "/query") => {
            let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "use GET or POST");
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET, POST, OPTIONS"));
            response
        }
        _ => text(
            StatusCode::NOT_FOUND,
            "not found: the SPARQL endpoint is /sparql, the graph store /store, the query \
             page /",
        ),
    }
}

fn preflight(endpoint: &Endpoint, path: &str) -> Response<Body> {
    let mut response = http::empty(StatusCode::NO_CONTENT);
    let methods = HeaderValue::from_static(allowed(path));
    let headers = response.headers_mut();
    headers.insert(ALLOW, methods.clone());
    if endpoint.access.cors.is_some() {
        headers.insert(ACCESS_CONTROL_ALLOW_METHODS, methods);
        headers.insert(
            ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Accept, Authorization, Content-Type"),
        );
    }
    response
}

fn post(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    let media = http::media_type(request);
    if media == "application/sparql-update" {
        return write::post_update(endpoint, request);
    }
    let body = match http::read_body(request, endpoint.limits.max_body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    let url_params = Params::of_url(request);
    match media.as_str() {
        "application/x-www-form-urlencoded" => {
            let Ok(body) = std::str::from_utf8(&body) else {
                return text(StatusCode::BAD_REQUEST, "the form is not UTF-8");
            };
            let params = Params::parse(body.as_bytes());
            match (params.single("query"), params.single("update")) {
                (Err(response), _) | (_, Err(response)) => *response,
                (Ok(Some(_)), Ok(Some(_))) => text(
                    StatusCode::BAD_REQUEST,
                    "the form has both query= and update=; send one",
                ),
                (Ok(Some(query)), Ok(None)) => run_query(endpoint, request, query, &params),
                (Ok(None), Ok(Some(update))) => {
                    write::form_update(endpoint, request, update, &params)
                }
                (Ok(None), Ok(None)) => text(
                    StatusCode::BAD_REQUEST,
                    "the form has no query= or update= parameter",
                ),
            }
        }
        _ if !http::utf8_charset(request) => http::not_utf8(),
        "application/sparql-query" => match String::from_utf8(body) {
            Ok(query) => run_query(endpoint, request, &query, &url_params),
            Err(_) => text(StatusCode::BAD_REQUEST, "the query is not UTF-8"),
        },
        _ => text(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send a query as application/sparql-query or application/x-www-form-urlencoded, \
             an update as application/sparql-update",
        ),
    }
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
    let accept = header(request, ACCEPT);
    let settings = endpoint.settings_for(request);
    on_fitting_stack("query", text_of_query, || {
        query_response(endpoint, accept, &settings, text_of_query, params)
    })
}

fn query_response(
    endpoint: &Endpoint,
    accept: Option<&str>,
    settings: &Settings,
    text_of_query: &str,
    params: &Params,
) -> Response<Body> {
    let choice = negotiate::choose(accept, &params.formats());
    let source = Source::new("query", text_of_query);
    let mut statement = match engine::prepare_as(&source, settings, Kind::Query) {
        Ok(statement) => statement,
        Err(e) => return text(StatusCode::BAD_REQUEST, &error::report(&e)),
    };
    if let Some(refused) = refuse_service(endpoint, &source) {
        return refused;
    }
    let StatementBody::Query(query) = &mut statement.body else {
        return text(StatusCode::BAD_REQUEST, "not a query");
    };
    let html = params
        .formats()
        .iter()
        .any(|f| f.eq_ignore_ascii_case("html"));
    let format = match result_kind(query) {
        ResultKind::Solutions => choice.solutions,
        ResultKind::Graph => choice.graphs,
    };
    let format = match format {
        Some(format) => format,
        // The HTML view picks its own format.
        None if html => Format::Json,
        None => return not_acceptable(),
    };
    // The protocol's dataset, when given, replaces the query's FROM and FROM NAMED.
    match protocol_dataset(params, "default-graph-uri", "named-graph-uri") {
        Ok(Some(dataset)) => *dataset_of(query) = Some(dataset),
        Ok(None) => {}
        Err(response) => return *response,
    }
    if html {
        let kind = result_kind(query);
        return answer_html(endpoint, statement, kind, text_of_query);
    }
    answer_query(endpoint, statement, format)
}

/// Answers with `respond` on this thread when the statement `text` nests no deeper than its
/// stack holds (a connection's thread has the default stack), and otherwise on a deep one, where
/// the statement is parsed, run and dropped.
pub fn on_fitting_stack(
    origin: &str,
    text: &str,
    respond: impl FnOnce() -> Response<Body> + Send,
) -> Response<Body> {
    if depth::measure(text, depth::LIMIT).0 <= worker::SHALLOW {
        return respond();
    }
    // A response's body is not `Send`; its bytes are.
    let answered = worker::on_deep_stack(origin, || {
        let (parts, body) = respond().into_parts();
        body.to_vec().map(|bytes| (parts, bytes))
    });
    match answered {
        Ok(Ok((parts, bytes))) => Response::from_parts(parts, Body::from(bytes)),
        Ok(Err(e)) => failure(&error::Error::io("<response>", e)),
        Err(e) => failure(&e),
    }
}

/// Unless `--allow-service`, a statement that calls SERVICE is refused: no request can make the
/// endpoint fetch a URL.
pub fn refuse_service(endpoint: &Endpoint, source: &Source) -> Option<Response<Body>> {
    if endpoint.access.allow_service {
        return None;
    }
    // Most statements do not have the word at all; only those that do are tokenized.
    let mentions = source
        .text
        .as_bytes()
        .windows(7)
        .any(|w| w.eq_ignore_ascii_case(b"SERVICE"));
    let calls = mentions
        && lexer::tokens(&source.text).iter().any(|token| {
            token.kind == TokenKind::Keyword
                && token.text(&source.text).eq_ignore_ascii_case("SERVICE")
        });
    calls.then(|| {
        text(
            StatusCode::FORBIDDEN,
            "SERVICE is off in this endpoint: no request can make it fetch a URL (its operator can \
             allow it with --allow-service)",
        )
    })
}

/// The dataset named by a request's `default`/`named` parameters, if it names one.
pub fn protocol_dataset(
    params: &Params,
    default: &str,
    named: &str,
) -> Result<Option<QueryDataset>, Box<Response<Body>>> {
    let iris = |name: &str| -> Result<Vec<NamedNode>, Box<Response<Body>>> {
        params
            .all(name)
            .into_iter()
            .map(|v| {
                NamedNode::new(v).map_err(|_| {
                    Box::new(text(StatusCode::BAD_REQUEST, &format!("not an IRI: {v}")))
                })
            })
            .collect()
    };
    let (defaults, named) = (iris(default)?, iris(named)?);
    Ok(
        (!defaults.is_empty() || !named.is_empty()).then(|| QueryDataset {
            default: defaults,
            named: (!named.is_empty()).then_some(named),
        }),
    )
}

/// Runs a prepared query on a pool worker under the timeout and answers with its results in
/// `format`, or with the status its failure deserves.
pub fn answer_query(endpoint: &Endpoint, statement: Statement, format: Format) -> Response<Body> {
    match execute(endpoint, statement, format) {
        Ok(bytes) => http::negotiated(format, bytes),
        Err(response) => *response,
    }
}

/// The results of a prepared query in `format`, run in a pool slot under the timeout.
fn execute(
    endpoint: &Endpoint,
    statement: Statement,
    format: Format,
) -> Result<Vec<u8>, Box<Response<Body>>> {
    let output = OutputOptions {
        solutions: Some(format),
        graphs: Some(format),
        ..OutputOptions::default()
    };
    on_worker(endpoint, |token| {
        let dataset = endpoint
            .dataset
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let mut sink = Buffer::limited(endpoint.limits.max_response);
        let settings = &endpoint.settings;
        engine::run_query(&*dataset, &statement, settings, &output, &mut sink, &token)
            .map(|_| sink.bytes)
    })
}

/// Runs `job` in a slot of the pool under the endpoint's timeout (503 when the pool and its
/// queue are full): the one way a request's statement runs, read or write. It runs on the
/// request's own thread ([`on_fitting_stack`] saw that its stack suffices), as handing each
/// small query to another thread would cost more than answering it.
pub fn on_worker<T>(
    endpoint: &Endpoint,
    job: impl FnOnce(CancellationToken) -> Result<T>,
) -> Result<T, Box<Response<Body>>> {
    let Some(slot) = endpoint.pool.acquire() else {
        return Err(Box::new(busy()));
    };
    let result = worker::run_here(endpoint.limits.timeout, job);
    drop(slot);
    result.map_err(|e| Box::new(failure(&e)))
}

/// `format=html`: the results as a page with a table of the first `--ui-rows` rows.
fn answer_html(
    endpoint: &Endpoint,
    statement: Statement,
    kind: ResultKind,
    text_of_query: &str,
) -> Response<Body> {
    let format = match kind {
        ResultKind::Solutions => Format::Json,
        ResultKind::Graph => Format::Ntriples,
    };
    let bytes = match execute(endpoint, statement, format) {
        Ok(bytes) => bytes,
        Err(response) => return *response,
    };
    let view = html::View {
        query: text_of_query,
        prefixes: &endpoint.settings.prefixes,
        rows: endpoint.limits.ui_rows,
    };
    let page = match kind {
        ResultKind::Solutions => html::solutions_page(&view, &bytes),
        ResultKind::Graph => html::graph_page(&view, &bytes),
    };
    match page {
        Ok(page) => http::typed(StatusCode::OK, "text/html; charset=utf-8", page),
        Err(e) => failure(&e),
    }
}

pub fn busy() -> Response<Body> {
    text(
        StatusCode::SERVICE_UNAVAILABLE,
        "the endpoint is busy: every worker is taken and the queue is full; try again",
    )
}

/// The service description (SPARQL 1.1 Service Description) in the negotiated RDF syntax.
fn service_description(endpoint: &Endpoint, request: &Request<Body>) -> Response<Body> {
    let params = Params::of_url(request);
    let choice = negotiate::choose(header(request, ACCEPT), &params.formats());
    let Some(format) = choice.graphs else {
        return not_acceptable();
    };
    let url = endpoint.url(request, "/sparql");
    let writable = endpoint.access.token.is_some();
    let described = pages::Described {
        url: &url,
        writable,
        federated: endpoint.access.allow_service,
        about: endpoint.about,
    };
    match pages::service_description(&described, format, &endpoint.settings.prefixes) {
        Ok(bytes) => http::negotiated(format, bytes),
        Err(e) => failure(&e),
    }
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
