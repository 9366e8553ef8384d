//! Judging one HTTP response against what a W3C manifest expects of it (`ht:resp`): the
//! status (a code or a class), response headers (media types compared without parameters),
//! an RDF body compared up to blank-node isomorphism, the results format and the boolean.

use crate::http_client::{Response, media_type};
use crate::http_manifest::Expected;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Graph;
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};
use std::fmt::Write as _;

/// The `hts:` status names the suites use (and their neighbours), by code.
const STATUS_NAMES: &[(&str, u16)] = &[
    ("OK", 200),
    ("Created", 201),
    ("Accepted", 202),
    ("NoContent", 204),
    ("MovedPermanently", 301),
    ("Found", 302),
    ("SeeOther", 303),
    ("NotModified", 304),
    ("TemporaryRedirect", 307),
    ("BadRequest", 400),
    ("Unauthorized", 401),
    ("Forbidden", 403),
    ("NotFound", 404),
    ("MethodNotAllowed", 405),
    ("NotAcceptable", 406),
    ("Conflict", 409),
    ("UnsupportedMediaType", 415),
    ("InternalServerError", 500),
];

/// Whether `status` is what the `hts:` name says: a class (`StatusCode4xx`) or one status.
fn status_is(name: &str, status: u16) -> Result<bool, String> {
    if let Some(class) = name
        .strip_prefix("StatusCode")
        .and_then(|c| c.strip_suffix("xx"))
    {
        let class: u16 = class
            .parse()
            .map_err(|_| format!("unknown status class hts:{name}"))?;
        return Ok(status / 100 == class);
    }
    STATUS_NAMES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, code)| *code == status)
        .ok_or_else(|| format!("unknown status hts:{name}: add it to STATUS_NAMES"))
}

/// Checks `response` against `expected`; `base` is the request's URL, the base IRI of RDF
/// bodies. Returns the `Location` header when the manifest names it as a template.
pub fn check(
    expected: &Expected,
    response: &Response,
    base: &str,
) -> Result<Option<String>, String> {
    let mut problems = Vec::new();
    if !expected.statuses.is_empty() {
        let mut matched = false;
        for name in &expected.statuses {
            matched |= status_is(name, response.status)?;
        }
        if !matched {
            // The body of a wrong status is an error message: judging it as results or RDF
            // would only add noise.
            return Err(format!(
                "status {}, expected hts:{}",
                response.status,
                expected.statuses.join(" or hts:")
            ));
        }
    }
    for (name, value) in &expected.headers {
        match response.header(name) {
            None => problems.push(format!("no {name} header, expected {value:?}")),
            Some(actual) if name.eq_ignore_ascii_case("content-type") => {
                if media_type(actual) != media_type(value) {
                    problems.push(format!(
                        "content-type {actual:?}, expected the media type of {value:?}"
                    ));
                }
            }
            Some(actual) if actual.trim() != value.trim() => {
                problems.push(format!("{name} {actual:?}, expected {value:?}"));
            }
            Some(_) => {}
        }
    }
    if let Some(body) = &expected.body {
        if let Err(problem) = same_graph(expected, body, response, base) {
            problems.push(problem);
        }
    }
    if expected.format.is_some() || expected.boolean.is_some() {
        if let Err(problem) = results(expected, response) {
            problems.push(problem);
        }
    }
    let location = match &expected.location {
        Some(_) => match response.header("location") {
            Some(location) => Some(location.to_owned()),
            None => {
                problems.push("no Location header, expected one (mf:expectedLocation)".into());
                None
            }
        },
        None => None,
    };
    if problems.is_empty() {
        Ok(location)
    } else {
        Err(problems.join("\n"))
    }
}

/// Parses RDF in the syntax of a media type.
pub fn parse_rdf(media: &str, bytes: &[u8], base: &str) -> Result<Graph, String> {
    let format = RdfFormat::from_media_type(media)
        .ok_or_else(|| format!("{media:?} is not an RDF media type"))?;
    let parser = RdfParser::from_format(format)
        .with_base_iri(base)
        .map_err(|e| format!("base IRI {base}: {e}"))?;
    let mut graph = Graph::new();
    for quad in parser.for_slice(bytes) {
        let quad = quad.map_err(|e| format!("not valid {}: {e}", format.name()))?;
        if !quad.graph_name.is_default_graph() {
            return Err(format!(
                "a quad in the graph {}: expected triples",
                quad.graph_name
            ));
        }
        graph.insert(quad.as_ref());
    }
    Ok(graph)
}

/// The expected body and the response's, each parsed in its own content type, are the same
/// graph up to blank-node renaming.
fn same_graph(
    expected: &Expected,
    body: &str,
    response: &Response,
    base: &str,
) -> Result<(), String> {
    let expected_media = expected
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map_or_else(|| "text/turtle".to_owned(), |(_, v)| media_type(v));
    let mut want = parse_rdf(&expected_media, body.as_bytes(), base)
        .map_err(|e| format!("the manifest's expected body: {e}"))?;
    let actual_media = response
        .media_type()
        .ok_or("a body is expected but the response has no content-type")?;
    let mut got = parse_rdf(&actual_media, &response.body, base)
        .map_err(|e| format!("the response body: {e}"))?;
    want.canonicalize(CanonicalizationAlgorithm::Unstable);
    got.canonicalize(CanonicalizationAlgorithm::Unstable);
    if want == got {
        return Ok(());
    }
    let mut message =
        String::from("the response graph is not the expected one (blank nodes canonicalized)");
    for triple in want.iter().filter(|t| !got.contains(*t)) {
        let _ = write!(message, "\n  missing: {triple}");
    }
    for triple in got.iter().filter(|t| !want.contains(*t)) {
        let _ = write!(message, "\n  extra:   {triple}");
    }
    Err(message)
}

/// `mf:expectedFormat` and `mf:expectedBoolean`: the response is results (or RDF) in one of
/// the formats the protocol allows for the query form, and an ASK answer has the right value.
fn results(expected: &Expected, response: &Response) -> Result<(), String> {
    let media = response.media_type().unwrap_or_default();
    let format = expected.format.as_deref().unwrap_or("boolean");
    match format {
        "RDF" => parse_rdf(&media, &response.body, "http://example.org/").map(|_| ()),
        "boolean" | "tabular" => {
            let results_format = QueryResultsFormat::from_media_type(&media)
                .ok_or_else(|| format!("content-type {media:?} is not a SPARQL results format"))?;
            let allowed: &[QueryResultsFormat] = if format == "boolean" {
                &[QueryResultsFormat::Xml, QueryResultsFormat::Json]
            } else {
                &[
                    QueryResultsFormat::Xml,
                    QueryResultsFormat::Json,
                    QueryResultsFormat::Csv,
                    QueryResultsFormat::Tsv,
                ]
            };
            if !allowed.contains(&results_format) {
                return Err(format!(
                    "{} results, expected one of {}",
                    results_format.name(),
                    allowed
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if results_format == QueryResultsFormat::Csv {
                // sparesults does not read CSV (it is lossy); a header line is enough here.
                return match std::str::from_utf8(&response.body) {
                    Ok(text) if !text.trim().is_empty() => Ok(()),
                    _ => Err("an empty or non-UTF-8 CSV body".into()),
                };
            }
            let parsed = QueryResultsParser::from_format(results_format)
                .for_slice(&response.body)
                .map_err(|e| format!("not valid {}: {e}", results_format.name()))?;
            match (parsed, format) {
                (SliceQueryResultsParserOutput::Boolean(value), "boolean") => {
                    match expected.boolean {
                        Some(want) if want != value => {
                            Err(format!("the answer is {value}, expected {want}"))
                        }
                        _ => Ok(()),
                    }
                }
                (SliceQueryResultsParserOutput::Solutions(mut solutions), "tabular") => solutions
                    .try_for_each(|s| s.map(|_| ()))
                    .map_err(|e| format!("not valid {}: {e}", results_format.name())),
                (SliceQueryResultsParserOutput::Boolean(_), _) => {
                    Err("a boolean result, expected solutions".into())
                }
                (SliceQueryResultsParserOutput::Solutions(_), _) => {
                    Err("solutions, expected a boolean result".into())
                }
            }
        }
        other => Err(format!("unknown mf:expectedFormat {other:?}")),
    }
}
