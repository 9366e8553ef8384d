//! Linked data on the endpoint: the graph's resource IRIs (`https://w3id.org/ffkg/id/…`)
//! dereferenced at `/id/…`. The IRI of a thing answers 303 See Other, by content negotiation
//! (`Vary: Accept`), with the document that describes it: `….html` for people, `….ttl`, `….nt`,
//! `….jsonld` or `….rdf` for machines, each also asked for by its suffix. The page is made from
//! the same [`Description`] as the REPL's `.describe` card; the triples are the resource's
//! relations out and in. An IRI the graph does not mention gets 404 with a search link.

use super::html::escape;
use super::http::{self, failure, header, text};
use super::negotiate::{self, DOCUMENTS, Document};
use super::protocol::{Endpoint, answer_query, on_worker};
use super::vocabulary;
use crate::describe::{Description, Lookup, Value, find_query};
use crate::engine;
use crate::output::format::Format;
use crate::sparql::prefixes::{FF, PrefixMap};
use crate::sparql::{Kind, Source};
use oxhttp::model::header::{ACCEPT, LOCATION, VARY};
use oxhttp::model::{Body, HeaderValue, Method, Request, Response, StatusCode};
use oxigraph::model::{NamedNode, Term};
use std::sync::PoisonError;

/// Where the graph's IRIs live; `/id/…` on the endpoint stands for `{NAMESPACE}/id/…`.
pub const NAMESPACE: &str = "https://w3id.org/ffkg";

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
            Self::Resource(node) => {
                let iri = node.as_str();
                format!(
                    "CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} \
                     WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
                )
            }
            Self::Vocabulary(v) => {
                format!(
                    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
                    v.graph
                )
            }
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
        lookup.describe(node)
    });
    match described {
        Ok(description) => http::typed(
            StatusCode::OK,
            "text/html; charset=utf-8",
            render(&description, resource, &endpoint.settings.prefixes),
        ),
        Err(response) => *response,
    }
}

/// Where a link to `iri` goes: the graph's own resources and vocabulary terms on this
/// endpoint, anything else where it is.
pub fn href(iri: &str) -> String {
    if let Some(term) = iri.strip_prefix(FF) {
        return format!("/ontology#{term}");
    }
    match iri.strip_prefix(NAMESPACE) {
        Some(path) if owns(path) => path.to_owned(),
        _ => iri.to_owned(),
    }
}

/// A value in HTML: a resource as a link named by its label (its prefixed name beside it), a
/// literal as its text in its language.
pub fn value_html(value: &Value, prefixes: &PrefixMap) -> String {
    match value {
        Value::Term(Term::NamedNode(n), label) => {
            let name = prefixes
                .shorten(n.as_str())
                .unwrap_or_else(|| n.as_str().to_owned());
            let shown = label.as_deref().unwrap_or(&name);
            let aside = if label.is_some() {
                format!(" <small>{}</small>", escape(&name))
            } else {
                String::new()
            };
            format!(
                "<a href=\"{}\">{}</a>{aside}",
                escape(&href(n.as_str())),
                escape(shown)
            )
        }
        Value::Term(Term::Literal(literal), _) => match literal.language() {
            Some(language) => format!(
                "<span lang=\"{}\">{}</span>",
                escape(language),
                escape(literal.value())
            ),
            None => escape(literal.value()),
        },
        Value::Term(term, _) => escape(&term.to_string()),
        Value::Quote(quote) => format!("<blockquote>{}</blockquote>", escape(quote)),
        Value::Text(words) => escape(words),
    }
}

/// The page of a resource.
pub fn render(description: &Description, resource: &str, prefixes: &PrefixMap) -> String {
    let iri = description.node.as_str();
    let name = prefixes.shorten(iri).unwrap_or_else(|| iri.to_owned());
    let title = description.title.clone().unwrap_or_else(|| name.clone());
    let stem = resource.rsplit('/').next().unwrap_or(resource);
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"iri\"><code>{}</code> · <code>{}</code></p>\n",
        escape(&title),
        escape(&name),
        escape(iri)
    );
    for section in &description.sections {
        if let Some(heading) = &section.heading {
            body.push_str(&format!("<h2>{}</h2>\n", escape(heading)));
        }
        body.push_str("<dl>\n");
        for field in &section.fields {
            body.push_str(&format!("<dt>{}</dt>\n", escape(&field.label)));
            let values: Vec<String> = field
                .values
                .iter()
                .map(|v| value_html(v, prefixes))
                .collect();
            if section.lists {
                for value in values {
                    body.push_str(&format!("<dd>{value}</dd>\n"));
                }
            } else {
                body.push_str(&format!("<dd>{}</dd>\n", values.join(", ")));
            }
            if let Some((more, query)) = &field.more {
                let link = if query.is_empty() {
                    format!("{more} more")
                } else {
                    format!(
                        "<a href=\"/sparql?format=html&amp;query={}\">{more} more</a>",
                        escape(&encode(query))
                    )
                };
                body.push_str(&format!("<dd class=\"more\">… {link}</dd>\n"));
            }
        }
        body.push_str("</dl>\n");
    }
    if let Some(cite) = citation(description, &title) {
        body.push_str(&format!(
            "<h2>Cite this</h2>\n<p class=\"cite\">{}</p>\n",
            escape(&cite)
        ));
    }
    let alternates: Vec<String> = DOCUMENTS
        .iter()
        .filter(|(d, _)| *d != Document::Html)
        .map(|(d, suffix)| {
            let label = match d {
                Document::Rdf(Format::Turtle) => "Turtle",
                Document::Rdf(Format::Ntriples) => "N-Triples",
                Document::Rdf(Format::Jsonld) => "JSON-LD",
                Document::Rdf(Format::Rdfxml) => "RDF/XML",
                Document::Rdf(format) => format.name(),
                Document::Html => "HTML",
            };
            format!("<a href=\"{}.{suffix}\">{label}</a>", escape(stem))
        })
        .collect();
    body.push_str(&format!(
        "<p class=\"alternates\">This description as {}.</p>\n",
        alternates.join(" · ")
    ));
    let links: String = DOCUMENTS
        .iter()
        .filter_map(|(d, suffix)| match d {
            Document::Rdf(format) => Some(format!(
                "<link rel=\"alternate\" type=\"{}\" href=\"{}.{suffix}\">\n",
                format.media_type().split(';').next().unwrap_or_default(),
                escape(stem)
            )),
            Document::Html => None,
        })
        .collect();
    wrap_page(&title, &links, &body)
}

/// How to cite a figure: what it says, the document and date it is stated in, and its IRI.
fn citation(description: &Description, title: &str) -> Option<String> {
    let figure = description
        .sections
        .iter()
        .find(|s| s.heading.as_deref() == Some("Figure"))?;
    let first = |label: &str| {
        figure
            .fields
            .iter()
            .find(|f| f.label == label)
            .and_then(|f| f.values.first())
            .map(|v| match v {
                Value::Term(Term::NamedNode(n), label) => {
                    label.clone().unwrap_or_else(|| n.as_str().to_owned())
                }
                Value::Term(Term::Literal(l), _) => l.value().to_owned(),
                Value::Term(t, _) => t.to_string(),
                Value::Quote(q) | Value::Text(q) => q.clone(),
            })
    };
    let mut cite = format!("“{title}”.");
    if let Some(source) = first("source") {
        cite.push_str(&format!(" Stated in {source}"));
        if let Some(date) = first("as of") {
            cite.push_str(&format!(", as of {date}"));
        }
        cite.push('.');
    }
    cite.push_str(&format!(" ffkg, {}.", description.node.as_str()));
    Some(cite)
}

pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
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
        wrap_page("Not in the graph", "", &body),
    )
}

pub fn wrap_page(title: &str, head: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — ffkg</title>\n<link rel=\"icon\" href=\"data:,\">\n{head}\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;\
         padding:0 1rem;line-height:1.45}}dt{{font-weight:600;margin-top:.6rem}}\
         dd{{margin-left:1.5rem}}small{{color:#555}}code{{overflow-wrap:anywhere}}\
         blockquote{{margin:.25rem 0;padding-left:.75rem;border-left:3px solid #999}}\
         nav a{{margin-right:1rem}}</style>\n</head>\n<body>\n\
         <nav><a href=\"/\">ffkg</a><a href=\"/query\">query</a></nav>\n<main>\n{body}</main>\n\
         </body>\n</html>\n",
        escape(title)
    )
}
