//! The SPARQL 1.1 Graph Store Protocol at `/store`: a graph named indirectly (`?default`,
//! `?graph=IRI`) or directly (`/store/…` is the graph `http://host/store/…`). GET and HEAD
//! read it in the negotiated RDF syntax, always; PUT replaces it, POST merges into it (POST to
//! `/store` alone makes a new graph and answers its IRI in `Location`), DELETE drops it — the
//! writes only behind `--update` and the token. Reads are CONSTRUCT queries and writes are
//! updates, so both take the engine's one path.

use super::http::{self, Params, header, text};
use super::protocol::{Endpoint, answer_query};
use super::{multipart, negotiate, write};
use crate::data::Backend;
use crate::data::graph::data_error;
use crate::engine::{self, Body as StatementBody, Statement};
use crate::sparql::{Kind, Source};
use oxhttp::model::header::{ACCEPT, ALLOW, CONTENT_TYPE, LOCATION};
use oxhttp::model::{Body, HeaderValue, Method, Request, Response, StatusCode};
use oxigraph::io::{RdfFormat, RdfParser};
use oxrdf::{GraphName, NamedNode};
use spargebra::algebra::GraphTarget;
use spargebra::term::{GraphName as UpdateGraph, Quad};
use spargebra::{GraphUpdateOperation, Update};
use std::sync::PoisonError;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const PATH: &str = "/store";

/// True for the paths the graph store answers.
pub fn owns(path: &str) -> bool {
    path == PATH || path.starts_with("/store/")
}

/// The graph a request is about.
enum Target {
    Default,
    Named(NamedNode),
    /// POST to `/store` alone: a graph the store names.
    New,
}

pub fn handle(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    let target = match target(endpoint, request) {
        Ok(target) => target,
        Err(response) => return *response,
    };
    match request.method().clone() {
        Method::GET => read(endpoint, request, &target),
        Method::HEAD => {
            let mut response = read(endpoint, request, &target);
            *response.body_mut() = Body::empty();
            response
        }
        method @ (Method::PUT | Method::POST | Method::DELETE) => {
            if let Err(response) = write::authorize(endpoint, request) {
                return *response;
            }
            write_graph(endpoint, request, &method, target)
        }
        _ => {
            let mut response = text(
                StatusCode::METHOD_NOT_ALLOWED,
                "the graph store takes GET, HEAD, PUT, POST and DELETE",
            );
            response.headers_mut().insert(
                ALLOW,
                HeaderValue::from_static("GET, HEAD, PUT, POST, DELETE, OPTIONS"),
            );
            response
        }
    }
}

fn target(endpoint: &Endpoint, request: &Request<Body>) -> Result<Target, Box<Response<Body>>> {
    let path = request.uri().path();
    if path != PATH {
        let iri = endpoint.url(request, path);
        return NamedNode::new(&iri)
            .map(Target::Named)
            .map_err(|_| Box::new(text(StatusCode::BAD_REQUEST, &format!("not an IRI: {iri}"))));
    }
    let params = Params::of_url(request);
    match (params.has("default"), params.single("graph")?) {
        (true, None) => Ok(Target::Default),
        (false, Some(graph)) => NamedNode::new(graph).map(Target::Named).map_err(|_| {
            Box::new(text(
                StatusCode::BAD_REQUEST,
                &format!("graph= is not an absolute IRI: {graph}"),
            ))
        }),
        (true, Some(_)) => Err(Box::new(text(
            StatusCode::BAD_REQUEST,
            "give ?default or ?graph=IRI, not both",
        ))),
        (false, None) if request.method() == Method::POST => Ok(Target::New),
        (false, None) => Err(Box::new(text(
            StatusCode::BAD_REQUEST,
            "name the graph: /store?default or /store?graph=IRI",
        ))),
    }
}

fn missing(graph: &NamedNode) -> Response<Body> {
    text(
        StatusCode::NOT_FOUND,
        &format!("there is no graph {graph} in this dataset"),
    )
}

/// GET: the graph as a CONSTRUCT of all its triples, negotiated like any graph result.
fn read(endpoint: &Endpoint, request: &Request<Body>, target: &Target) -> Response<Body> {
    let pattern = match target {
        Target::Default => "?s ?p ?o".to_owned(),
        Target::Named(graph) => {
            let exists = endpoint
                .dataset
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .contains_named_graph(graph);
            match exists {
                Ok(true) => format!("GRAPH {graph} {{ ?s ?p ?o }}"),
                Ok(false) => return missing(graph),
                Err(e) => return http::failure(&e),
            }
        }
        Target::New => {
            return text(
                StatusCode::BAD_REQUEST,
                "name the graph: /store?default or /store?graph=IRI",
            );
        }
    };
    let params = Params::of_url(request);
    let Some(format) = negotiate::choose(header(request, ACCEPT), &params.formats()).graphs else {
        return http::not_acceptable();
    };
    let source = Source::new(
        "graph store",
        format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}"),
    );
    match engine::prepare_as(&source, &endpoint.settings, Kind::Query) {
        Ok(statement) => answer_query(endpoint, statement, format),
        Err(e) => http::failure(&e),
    }
}

/// PUT, POST and DELETE, as one update each.
fn write_graph(
    endpoint: &Endpoint,
    request: &mut Request<Body>,
    method: &Method,
    target: Target,
) -> Response<Body> {
    let graph = match target {
        Target::Default => None,
        Target::Named(graph) => Some(graph),
        Target::New => match new_graph(endpoint, request) {
            Ok(graph) => Some(graph),
            Err(response) => return *response,
        },
    };
    let data = if *method == Method::DELETE {
        Vec::new()
    } else {
        match body_quads(endpoint, request, graph.as_ref()) {
            Ok(data) => data,
            Err(response) => return *response,
        }
    };
    let graph_target = graph
        .clone()
        .map_or(GraphTarget::DefaultGraph, GraphTarget::NamedNode);
    let mut operations = Vec::new();
    if *method != Method::POST {
        // PUT replaces and DELETE removes: the graph goes first.
        operations.push(match &graph {
            Some(_) => GraphUpdateOperation::Drop {
                silent: true,
                graph: graph_target,
            },
            None => GraphUpdateOperation::Clear {
                silent: true,
                graph: graph_target,
            },
        });
    }
    if *method != Method::DELETE {
        if let Some(graph) = &graph {
            // A graph written empty still exists afterwards.
            operations.push(GraphUpdateOperation::Create {
                silent: true,
                graph: graph.clone(),
            });
        }
        operations.push(GraphUpdateOperation::InsertData { data });
    }
    let update = Update {
        base_iri: None,
        operations,
    };
    let statement = Statement {
        source: Source::new(format!("{method} {}", request.uri()), ""),
        sent: update.to_string(),
        body: StatementBody::Update(Box::new(update)),
    };
    let checked = graph.clone();
    let deleting = *method == Method::DELETE;
    // Whether the graph was there is read under the same lock as the write.
    let existed = write::apply(endpoint, "graph store", move |dataset, token| {
        let existed = match &checked {
            Some(graph) => dataset.contains_named_graph(graph)?,
            None => true,
        };
        if existed || !deleting {
            engine::run_update(dataset, &statement, token)?;
        }
        Ok(existed)
    });
    match (existed, graph) {
        (Err(response), _) => *response,
        (Ok(false), Some(graph)) if *method == Method::DELETE => missing(&graph),
        (Ok(false), Some(graph)) => {
            let mut response = http::empty(StatusCode::CREATED);
            if let Ok(location) = HeaderValue::from_str(graph.as_str()) {
                response.headers_mut().insert(LOCATION, location);
            }
            response
        }
        (Ok(_), _) => http::empty(StatusCode::NO_CONTENT),
    }
}

/// A fresh graph IRI under `/store/` for POST graph creation.
fn new_graph(
    endpoint: &Endpoint,
    request: &Request<Body>,
) -> Result<NamedNode, Box<Response<Body>>> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let iri = endpoint.url(request, &format!("{PATH}/graph-{nanos:x}-{n}"));
    NamedNode::new(&iri)
        .map_err(|_| Box::new(text(StatusCode::BAD_REQUEST, &format!("not an IRI: {iri}"))))
}

/// The body's triples, parsed in the syntax its Content-Type names (each part's own, for a
/// `multipart/form-data` POST), placed in `graph` (or the default graph); a parse error is a
/// 400 that says where.
fn body_quads(
    endpoint: &Endpoint,
    request: &mut Request<Body>,
    graph: Option<&NamedNode>,
) -> Result<Vec<Quad>, Box<Response<Body>>> {
    if !http::utf8_charset(request) {
        return Err(Box::new(http::not_utf8()));
    }
    let media = http::media_type(request);
    let boundary = (media == "multipart/form-data")
        .then(|| header(request, CONTENT_TYPE).and_then(multipart::boundary))
        .map(|b| b.map(str::to_owned));
    let body = http::read_body(request, endpoint.limits.max_body)?;
    let base = graph.map_or_else(|| endpoint.url(request, PATH), |g| g.as_str().to_owned());
    let mut quads = Vec::new();
    match boundary {
        None => parse_graph(&media, &body, "<body>", &base, graph, &mut quads)?,
        Some(None) => {
            return Err(Box::new(text(
                StatusCode::BAD_REQUEST,
                "a multipart/form-data body needs a boundary= parameter",
            )));
        }
        Some(Some(boundary)) => {
            let parts = multipart::parts(&body, &boundary)
                .map_err(|e| Box::new(text(StatusCode::BAD_REQUEST, &e)))?;
            for (n, part) in parts.iter().enumerate() {
                let name = format!("<body part {}>", n + 1);
                parse_graph(&part.media, part.bytes, &name, &base, graph, &mut quads)?;
            }
        }
    }
    Ok(quads)
}

/// Parses one graph in the syntax of `media` into `quads`.
fn parse_graph(
    media: &str,
    bytes: &[u8],
    name: &str,
    base: &str,
    graph: Option<&NamedNode>,
    quads: &mut Vec<Quad>,
) -> Result<(), Box<Response<Body>>> {
    let Some(format) = RdfFormat::from_media_type(media) else {
        return Err(Box::new(text(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!(
                "{name}: the graph store reads text/turtle, application/n-triples, \
                 application/rdf+xml, application/ld+json, application/n-quads, \
                 application/trig (or several in multipart/form-data), not {media:?}"
            ),
        )));
    };
    let mut parser = RdfParser::from_format(format)
        .with_base_iri(base)
        .map_err(|e| Box::new(text(StatusCode::BAD_REQUEST, &format!("bad base IRI: {e}"))))?;
    if let Some(graph) = graph {
        parser = parser.with_default_graph(graph.clone());
    }
    let wanted = graph.map_or(GraphName::DefaultGraph, |g| GraphName::NamedNode(g.clone()));
    for quad in parser.for_slice(bytes) {
        let quad = quad.map_err(|e| Box::new(http::failure(&data_error(name, e.into()))))?;
        if quad.graph_name != wanted {
            return Err(Box::new(text(
                StatusCode::BAD_REQUEST,
                &format!(
                    "{name} holds a triple in the graph {}, not in the one the request names; \
                     the graph store writes one graph at a time",
                    quad.graph_name
                ),
            )));
        }
        quads.push(Quad {
            subject: quad.subject,
            predicate: quad.predicate,
            object: quad.object,
            graph_name: graph.map_or(UpdateGraph::DefaultGraph, |g| {
                UpdateGraph::NamedNode(g.clone())
            }),
        });
    }
    Ok(())
}
