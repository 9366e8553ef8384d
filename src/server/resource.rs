//! Linked data on the endpoint: the graph's resource IRIs (`https://w3id.org/ffkg/id/…`)
//! dereferenced at `/id/…`. The IRI of a thing answers 303 See Other, by content negotiation
//! (`Vary: Accept`), with the document that describes it: `….html` for people, `….ttl`, `….nt`,
//! `….jsonld` or `….rdf` for machines, each also asked for by its suffix. The page is made from
//! the same [`Description`] as the REPL's `.describe` card; the triples are the resource's
//! relations out and in. An IRI the graph does not mention gets 404 with a search link.

use super::html::escape;
use super::http::{self, failure, header, text};
use super::negotiate::{self, Document};
use super::page::{NAMESPACE, Site, encode, render, wrap_page};
use super::protocol::{Endpoint, answer_query, on_worker};
use super::vocabulary;
use crate::describe::{Lookup, find_query};
use crate::engine;
use crate::output::format::Format;
use crate::sparql::{Kind, Source};
use oxhttp::model::header::{ACCEPT, LOCATION, VARY};
use oxhttp::model::{Body, HeaderValue, Method, Request, Response, StatusCode};
use oxigraph::model::NamedNode;
use std::sync::PoisonError;

/// True for the paths this module answers.
pub fn owns(path: &str) -> bool {
    let (stem, _) = split_suffix(path);
    stem.starts_with("/id/") || vocabulary::of(stem).is_some()
}

/// What a path names: a resource of the graph, or one of the vocabularies it publishes as a
/// whole document (the ontology, the measures).
enum Target {
    Resource(NamedNode),
    Vocabulary(&'static vocabulary::Vocabulary),
}

impl Target {
    fn of(stem: &str) -> Option<Self> {
        if let Some(vocabulary) = vocabulary::of(stem) {
            return Some(Self::Vocabulary(vocabulary));
        }
        NamedNode::new(format!("{NAMESPACE}{stem}"))
            .ok()
            .map(Self::Resource)
    }

    /// The query whose first row, if any, shows the target is in the graph.
    fn probe(&self) -> String {
        match self {
            Self::Resource(node) => {
                let iri = node.as_str();
                format!(
                    "SELECT ?p WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }} LIMIT 1"
                )
            }
            Self::Vocabulary(v) => {
                format!(
                    "SELECT ?s WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }} LIMIT 1",
                    v.graph
                )
            }
        }
    }

    /// The triples of its document: a resource's relations out and in, a vocabulary's graph.
    fn construct(&self) -> String {
        match self {
            Self::Resource(node) => relations_query(node),
            Self::Vocabulary(v) => vocabulary::construct(v),
        }
    }

    fn iri(&self) -> String {
        match self {
            Self::Resource(node) => node.as_str().to_owned(),
            Self::Vocabulary(v) => v.iri.to_owned(),
        }
    }
}

pub fn handle(endpoint: &Endpoint, request: &Request<Body>) -> Response<Body> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "resources are read with GET",
        );
        response.headers_mut().insert(
            oxhttp::model::header::ALLOW,
            HeaderValue::from_static("GET, HEAD"),
        );
        return response;
    }
    let path = request.uri().path();
    let (stem, suffix) = split_suffix(path);
    let Some(target) = Target::of(stem) else {
        return text(StatusCode::NOT_FOUND, "not an IRI of this graph");
    };
    match exists(endpoint, &target) {
        Ok(true) => {}
        Ok(false) => return not_found(&target.iri(), stem),
        Err(response) => return *response,
    }
    let document = match suffix {
        Some(document) => document,
        None => {
            let Some(document) = negotiate::document(header(request, ACCEPT)) else {
                return text(
                    StatusCode::NOT_ACCEPTABLE,
                    "a resource is described in HTML, Turtle, N-Triples, JSON-LD or RDF/XML",
                );
            };
            // The IRI names a thing (a country, a figure) or a vocabulary, not one document:
            // 303 to the document in the syntax asked for, as the W3C's Cool URIs recipe has it.
            let mut response = http::empty(StatusCode::SEE_OTHER);
            let location = format!("{stem}.{}", document.suffix());
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(LOCATION, value);
            }
            response
                .headers_mut()
                .insert(VARY, HeaderValue::from_static("Accept"));
            return response;
        }
    };
    match (document, &target) {
        (Document::Html, Target::Resource(node)) => page(endpoint, node, stem),
        (Document::Html, Target::Vocabulary(v)) => vocabulary::page(endpoint, v),
        (Document::Rdf(format), target) => triples(endpoint, &target.construct(), format),
    }
}

/// The resource's path and the document its suffix asks for, if it has one.
fn split_suffix(path: &str) -> (&str, Option<Document>) {
    if let Some((stem, suffix)) = path.rsplit_once('.') {
        if let Some(document) = Document::from_suffix(suffix) {
            return (stem, Some(document));
        }
    }
    (path, None)
}

/// The triples of a resource's document: its relations out and in.
pub fn relations_query(node: &NamedNode) -> String {
    let iri = node.as_str();
    format!(
        "CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} \
         WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
    )
}

/// Whether the graph holds the target.
fn exists(endpoint: &Endpoint, target: &Target) -> Result<bool, Box<Response<Body>>> {
    let source = Source::new("resource", target.probe());
    on_worker(endpoint, |token| {
        let dataset = endpoint
            .dataset
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let rows = engine::select(&*dataset, &endpoint.settings, &source, &token)?;
        Ok(!rows.rows.is_empty())
    })
}

/// The triples of a CONSTRUCT query, in `format`.
fn triples(endpoint: &Endpoint, construct: &str, format: Format) -> Response<Body> {
    let source = Source::new("resource", construct);
    match engine::prepare_as(&source, &endpoint.settings, Kind::Query) {
        Ok(statement) => answer_query(endpoint, statement, format),
        Err(e) => failure(&e),
    }
}

fn page(endpoint: &Endpoint, node: &NamedNode, resource: &str) -> Response<Body> {
    let described = on_worker(endpoint, |token| {
        let dataset = endpoint
            .dataset
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let lookup = Lookup {
            dataset: &*dataset,
            settings: &endpoint.settings,
            token,
        };
        Ok((
            lookup.describe(node)?,
            lookup.compare_sources(node)?,
            lookup.passage(node, endpoint.sources.as_deref())?,
        ))
    });
    match described {
        Ok((description, compared, passage)) => http::typed(
            StatusCode::OK,
            "text/html; charset=utf-8",
            render(
                &description,
                compared.as_ref(),
                passage.as_ref(),
                resource,
                &endpoint.settings.prefixes,
                Site::Served,
            ),
        ),
        Err(response) => *response,
    }
}

/// 404 for an IRI the graph does not mention, with a link that searches the labels for its
/// last part.
fn not_found(iri: &str, resource: &str) -> Response<Body> {
    let key = resource
        .rsplit('/')
        .next()
        .unwrap_or(resource)
        .replace(['-', '_'], " ");
    let search = format!("/sparql?format=html&query={}", encode(&find_query(&key)));
    let body = format!(
        "<h1>Not in the graph</h1>\n<p>Nothing in the graph mentions <code>{}</code>.</p>\n\
         <p><a href=\"{}\">Search the labels for “{}”</a>, or <a href=\"/\">query the \
         graph</a>.</p>\n",
        escape(iri),
        escape(&search),
        escape(&key)
    );
    http::typed(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        wrap_page("Not in the graph", "", &body, Site::Served),
    )
}
