//! The protocol handler without sockets: requests in, responses out.

use super::*;
use crate::data::prebuilt::Prebuilt;
use oxhttp::model::header::CONTENT_TYPE;
use std::time::Duration;

fn endpoint(limits: Limits, cors: Option<&str>) -> Endpoint {
    Endpoint::new(
        Dataset::from_prebuilt(Prebuilt::get()),
        Settings::default(),
        limits,
        Access {
            cors: cors.map(str::to_owned),
            token: None,
            ..Access::default()
        },
    )
    .expect("an endpoint")
}

pub(super) fn get(
    endpoint: &Endpoint,
    target: &str,
    accept: Option<&str>,
) -> (StatusCode, String, String) {
    let mut builder = Request::builder().method(Method::GET).uri(target);
    if let Some(accept) = accept {
        builder = builder.header(ACCEPT, accept);
    }
    let mut request = builder.body(Body::empty()).expect("request");
    answer(endpoint, &mut request)
}

fn post(
    endpoint: &Endpoint,
    media: &str,
    body: &str,
    accept: Option<&str>,
) -> (StatusCode, String, String) {
    let mut builder = Request::builder()
        .method(Method::POST)
        .uri("/sparql")
        .header(CONTENT_TYPE, media);
    if let Some(accept) = accept {
        builder = builder.header(ACCEPT, accept);
    }
    let mut request = builder.body(Body::from(body.to_owned())).expect("request");
    answer(endpoint, &mut request)
}

pub(super) fn answer(
    endpoint: &Endpoint,
    request: &mut Request<Body>,
) -> (StatusCode, String, String) {
    let response = handle(endpoint, request);
    let status = response.status();
    let media = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response.into_body().to_string().expect("UTF-8 body");
    (status, media, body)
}

pub(super) fn encoded(query: &str) -> String {
    form_urlencoded::Serializer::new(String::new())
        .append_pair("query", query)
        .finish()
}

const ASK: &str = "ASK { country:TUN a ff:Country }";

#[path = "write_tests.rs"]
mod write_tests;

#[path = "resource_tests.rs"]
mod resource_tests;

#[test]
fn a_get_query_answers_in_json_by_default() {
    let e = endpoint(Limits::default(), None);
    let (status, media, body) = get(&e, &format!("/sparql?{}", encoded(ASK)), None);
    assert_eq!(status, StatusCode::OK);
    assert!(
        media.starts_with("application/sparql-results+json"),
        "{media}"
    );
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(json["boolean"], true);
}

#[test]
fn posted_forms_and_query_bodies_are_answered() {
    let e = endpoint(Limits::default(), None);
    let (status, _, body) = post(
        &e,
        "application/x-www-form-urlencoded",
        &encoded(ASK),
        Some("text/csv"),
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.trim(), "true");
    let (status, media, body) = post(
        &e,
        "application/sparql-query",
        "SELECT ?l WHERE { country:TUN rdfs:label ?l }",
        Some("application/sparql-results+xml"),
    );
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("application/sparql-results+xml"));
    assert!(body.contains("Tunisia"), "{body}");
}

#[test]
fn graphs_are_negotiated_with_q_values() {
    let e = endpoint(Limits::default(), None);
    let query =
        encoded("CONSTRUCT { country:TUN rdfs:label ?l } WHERE { country:TUN rdfs:label ?l }");
    let (status, media, body) = get(
        &e,
        &format!("/sparql?{query}"),
        Some("text/turtle;q=0.5, application/n-triples"),
    );
    assert_eq!(status, StatusCode::OK);
    assert_eq!(media, "application/n-triples");
    assert!(
        body.contains("<https://w3id.org/ffkg/id/country/TUN>"),
        "{body}"
    );
    let (_, media, _) = get(
        &e,
        &format!("/sparql?{query}&format=jsonld"),
        Some("text/turtle"),
    );
    assert!(media.starts_with("application/ld+json"), "{media}");
}

#[test]
fn nothing_acceptable_is_406() {
    let e = endpoint(Limits::default(), None);
    let (status, _, body) = get(&e, &format!("/sparql?{}", encoded(ASK)), Some("image/png"));
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    assert!(body.contains("application/sparql-results+json"), "{body}");
    // A graph format for an ASK is not acceptable either.
    let (status, _, _) = get(
        &e,
        &format!("/sparql?{}", encoded(ASK)),
        Some("text/turtle"),
    );
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
}

#[test]
fn a_syntax_error_is_400_with_its_place() {
    let e = endpoint(Limits::default(), None);
    let (status, media, body) = get(
        &e,
        &format!("/sparql?{}", encoded("SELECT ?x\nWHERE { ?x a")),
        None,
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(media.starts_with("text/plain"));
    assert!(body.starts_with("query:2:"), "{body}");
    assert!(body.contains('^'), "{body}");
    let deep = format!(
        "SELECT * {{ {} }}",
        "{".repeat(100_000) + &"}".repeat(100_000)
    );
    let (status, _, body) = post(&e, "application/sparql-query", &deep, None);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("nests deeper than"), "{body}");
}

#[test]
fn updates_are_refused_and_change_nothing() {
    let e = endpoint(Limits::default(), None);
    let update = "INSERT DATA { country:TUN ff:note \"x\" }";
    let (status, _, _) = post(&e, "application/sparql-update", update, None);
    assert_eq!(status, StatusCode::FORBIDDEN);
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair("update", update)
        .finish();
    let (status, _, _) = post(&e, "application/x-www-form-urlencoded", &form, None);
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = get(&e, &format!("/sparql?{form}"), None);
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, _, body) = get(
        &e,
        &format!("/sparql?{}", encoded("ASK { country:TUN ff:note ?x }")),
        None,
    );
    assert!(body.contains("false"), "{body}");
}

#[test]
fn the_protocol_dataset_replaces_the_default_graph() {
    let e = endpoint(Limits::default(), None);
    let query = encoded("SELECT (COUNT(*) AS ?n) WHERE { ?c a ff:Country }");
    let only = |graph: &str| {
        let (status, _, body) = get(
            &e,
            &format!("/sparql?{query}&default-graph-uri={graph}&format=csv"),
            None,
        );
        assert_eq!(status, StatusCode::OK);
        body.lines().nth(1).unwrap_or("").trim().to_owned()
    };
    assert_eq!(
        only("https%3A%2F%2Fw3id.org%2Fffkg%2Fgraph%2Fcountries"),
        "89"
    );
    assert_eq!(only("https%3A%2F%2Fw3id.org%2Fffkg%2Fgraph%2Fpeople"), "0");
}

#[test]
fn the_service_description_is_rdf() {
    let e = endpoint(Limits::default(), None);
    let mut request = Request::builder()
        .uri("/sparql")
        .header(HOST, "127.0.0.1:7878")
        .header(ACCEPT, "text/turtle")
        .body(Body::empty())
        .expect("request");
    let (status, media, body) = answer(&e, &mut request);
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("text/turtle"));
    assert!(
        body.contains("sd:endpoint <http://127.0.0.1:7878/sparql>"),
        "{body}"
    );
    let triples = RdfParserCheck::count(&body);
    assert!(triples > 10, "{triples}");
}

/// Parses Turtle, to check that a body is RDF.
struct RdfParserCheck;

impl RdfParserCheck {
    fn count(turtle: &str) -> usize {
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .inspect(|q| assert!(q.is_ok(), "valid Turtle: {q:?}"))
            .count()
    }
}

#[test]
fn bodies_past_the_limit_are_413() {
    let limits = Limits {
        max_body: 100,
        ..Limits::default()
    };
    let e = endpoint(limits, None);
    let query = format!("ASK {{}} # {}", "x".repeat(200));
    let (status, _, _) = post(&e, "application/sparql-query", &query, None);
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (status, _, _) = post(&e, "text/plain", "ASK {}", None);
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[test]
fn results_past_the_limit_are_refused_with_a_message() {
    let limits = Limits {
        max_response: 1_000,
        ..Limits::default()
    };
    let e = endpoint(limits, None);
    let (status, _, body) = get(
        &e,
        &format!("/sparql?{}", encoded("SELECT * { ?s ?p ?o }")),
        None,
    );
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("add a LIMIT"), "{body}");
}

#[test]
fn a_runaway_query_gets_503_at_the_timeout() {
    let limits = Limits {
        timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let e = endpoint(limits, None);
    let values = (0..300)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let query = format!(
        "SELECT (COUNT(*) AS ?n) {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} }}"
    );
    let started = std::time::Instant::now();
    let (status, _, body) = post(&e, "application/sparql-query", &query, None);
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("timeout"), "{body}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The worker is free again.
    let (status, _, _) = get(&e, &format!("/sparql?{}", encoded(ASK)), None);
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn a_full_queue_is_503_at_once() {
    let pool = Pool::new(1, 0);
    let held = pool.acquire().expect("a slot");
    assert!(pool.acquire().is_none());
    drop(held);
    assert!(pool.acquire().is_some());
}

#[test]
fn cors_and_preflight() {
    let e = endpoint(Limits::default(), Some("*"));
    let mut request = Request::builder()
        .method(Method::OPTIONS)
        .uri("/sparql")
        .body(Body::empty())
        .expect("request");
    let response = handle(&e, &mut request);
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        response
            .headers()
            .get(ACCESS_CONTROL_ALLOW_ORIGIN)
            .map(|v| v.as_bytes()),
        Some(&b"*"[..])
    );
    assert!(
        response
            .headers()
            .get(ACCESS_CONTROL_ALLOW_METHODS)
            .is_some()
    );
    let (status, _, _) = get(&endpoint(Limits::default(), None), "/nowhere", None);
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn the_plain_query_page_is_a_form_with_the_library() {
    let e = endpoint(Limits::default(), None);
    let (status, media, body) = get(&e, "/query", None);
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("text/html"));
    assert!(body.contains("<form method=\"get\" action=\"/sparql\">"));
    assert!(body.contains("top-countries"));
}

#[test]
fn csv_names_its_charset_once() {
    let e = endpoint(Limits::default(), None);
    let (status, media, _) = get(&e, &format!("/sparql?{}", encoded(ASK)), Some("text/csv"));
    assert_eq!(status, StatusCode::OK);
    assert_eq!(media, "text/csv; charset=utf-8");
}

#[test]
fn the_html_view_shows_the_first_rows_and_links_the_rest() {
    let limits = Limits {
        ui_rows: 3,
        ..Limits::default()
    };
    let e = endpoint(limits, None);
    let select = "SELECT ?c ?l WHERE { ?c a ff:Country ; rdfs:label ?l } ORDER BY ?l";
    let target = format!("/sparql?{}&format=html", encoded(select));
    let (status, media, body) = get(&e, &target, Some("text/html"));
    assert_eq!(status, StatusCode::OK);
    assert!(media.starts_with("text/html"), "{media}");
    assert!(body.contains("89 rows; the first 3 are shown"), "{body}");
    assert_eq!(body.matches("<tr><td>").count(), 3);
    assert!(body.contains(">country:AFG</a>"), "{body}");
    assert!(body.contains("format=csv"), "{body}");
    // Markup in the data or the query is text, never markup.
    let tricky = "SELECT (\"<b>bold</b>\" AS ?x) WHERE {}";
    let (_, _, body) = get(
        &e,
        &format!("/sparql?{}&format=html", encoded(tricky)),
        None,
    );
    assert!(body.contains("&lt;b&gt;bold&lt;/b&gt;"), "{body}");
    assert!(!body.contains("<b>bold"), "{body}");
    let (_, _, body) = get(&e, &format!("/sparql?{}&format=html", encoded(ASK)), None);
    assert!(
        body.contains("The answer is <strong>true</strong>"),
        "{body}"
    );
    let construct = "CONSTRUCT { country:TUN rdfs:label ?l } WHERE { country:TUN rdfs:label ?l }";
    let (_, _, body) = get(
        &e,
        &format!("/sparql?{}&format=html", encoded(construct)),
        None,
    );
    assert!(body.contains("1 row."), "{body}");
    assert!(body.contains("Tunisia <small>@en</small>"), "{body}");
}
