//! Writes without sockets: the token, SPARQL updates and the graph store, each checked by
//! reading the data back.

use super::{answer, encoded, get};
use crate::config::Limits;
use crate::data::Dataset;
use crate::server::protocol::{Access, Endpoint};
use crate::sparql::Settings;
use crate::sparql::prefixes::PrefixMap;
use oxhttp::model::header::{AUTHORIZATION, CONTENT_TYPE, LOCATION, WWW_AUTHENTICATE};
use oxhttp::model::{Body, Method, Request, StatusCode};
use oxigraph::store::Store;

const TOKEN: &str = "0123456789abcdef0123";

/// An empty store that takes writes with [`TOKEN`], with plain SPARQL dataset semantics.
fn writable() -> Endpoint {
    let settings = Settings {
        prefixes: PrefixMap::empty(),
        ..Settings::default()
    };
    let access = Access {
        cors: None,
        token: Some(TOKEN.to_owned()),
        ..Access::default()
    };
    Endpoint::new(
        Dataset::from_store(Store::new().expect("a store")),
        settings,
        Limits::default(),
        access,
    )
    .expect("an endpoint")
}

/// A request with a body, carrying `token` when given.
fn send(
    endpoint: &Endpoint,
    method: Method,
    target: &str,
    media: Option<&str>,
    body: &str,
    token: Option<&str>,
) -> (StatusCode, String, String) {
    let mut builder = Request::builder().method(method).uri(target);
    if let Some(media) = media {
        builder = builder.header(CONTENT_TYPE, media);
    }
    if let Some(token) = token {
        builder = builder.header(AUTHORIZATION, format!("Bearer {token}"));
    }
    let mut request = builder.body(Body::from(body.to_owned())).expect("request");
    answer(endpoint, &mut request)
}

fn update(endpoint: &Endpoint, text: &str) -> StatusCode {
    send(
        endpoint,
        Method::POST,
        "/sparql",
        Some("application/sparql-update"),
        text,
        Some(TOKEN),
    )
    .0
}

fn ask(endpoint: &Endpoint, query: &str) -> bool {
    let (status, _, body) = get(endpoint, &format!("/sparql?{}", encoded(query)), None);
    assert_eq!(status, StatusCode::OK, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    json["boolean"].as_bool().expect("a boolean")
}

/// The N-Triples of a graph store GET, sorted.
fn graph(endpoint: &Endpoint, target: &str) -> (StatusCode, Vec<String>) {
    let (status, _, body) = get(endpoint, target, Some("application/n-triples"));
    let mut lines: Vec<String> = body.lines().map(str::to_owned).collect();
    lines.sort();
    (status, lines)
}

#[test]
fn writes_need_the_token() {
    let e = writable();
    let insert = "INSERT DATA { <http://ex/s> <http://ex/p> 1 }";
    let media = Some("application/sparql-update");
    for token in [None, Some("wrong-token-wrong-token")] {
        let mut request = Request::builder().method(Method::POST).uri("/sparql");
        request = request.header(CONTENT_TYPE, "application/sparql-update");
        if let Some(token) = token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        let mut request = request.body(Body::from(insert)).expect("request");
        let response = crate::server::protocol::handle(&e, &mut request);
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().get(WWW_AUTHENTICATE).is_some());
    }
    let (status, _, _) = send(
        &e,
        Method::PUT,
        "/store?graph=http://ex/g",
        Some("text/turtle"),
        "<http://ex/s> <http://ex/p> 2 .",
        None,
    );
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(!ask(&e, "ASK { ?s ?p ?o }"), "nothing was written");
    assert!(!ask(&e, "ASK { GRAPH ?g { ?s ?p ?o } }"));
    let (status, _, _) = send(&e, Method::POST, "/sparql", media, insert, Some(TOKEN));
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(ask(&e, "ASK { <http://ex/s> <http://ex/p> 1 }"));
}

#[test]
fn a_read_only_endpoint_refuses_every_write_with_403() {
    let e = super::endpoint(Limits::default(), None);
    for (method, target, media, body) in [
        (
            Method::POST,
            "/sparql",
            "application/x-www-form-urlencoded",
            "update=CLEAR%20ALL",
        ),
        (
            Method::PUT,
            "/store?default",
            "text/turtle",
            "<http://ex/s> <http://ex/p> 2 .",
        ),
        (Method::DELETE, "/store?default", "text/turtle", ""),
    ] {
        let (status, _, text) = send(&e, method, target, Some(media), body, Some(TOKEN));
        assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
        assert!(text.contains("read-only"), "{text}");
    }
    assert!(ask(&e, "ASK { country:TUN a ff:Country }"));
}

#[test]
fn updates_by_form_and_body_with_the_protocol_dataset() {
    let e = writable();
    let form = form_urlencoded::Serializer::new(String::new())
        .append_pair(
            "update",
            "INSERT DATA { GRAPH <http://ex/g1> { <http://ex/a> a <http://ex/Doc> } }",
        )
        .finish();
    let (status, _, text) = send(
        &e,
        Method::POST,
        "/sparql",
        Some("application/x-www-form-urlencoded"),
        &form,
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    // using-graph-uri makes g1 the default graph of the WHERE clause.
    let (status, _, text) = send(
        &e,
        Method::POST,
        "/sparql?using-graph-uri=http%3A%2F%2Fex%2Fg1",
        Some("application/sparql-update"),
        "INSERT { GRAPH <http://ex/g2> { ?s a <http://ex/Copy> } } WHERE { ?s a <http://ex/Doc> }",
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::NO_CONTENT, "{text}");
    assert!(ask(
        &e,
        "ASK { GRAPH <http://ex/g2> { <http://ex/a> a <http://ex/Copy> } }"
    ));
    // Naming the dataset twice is refused and changes nothing.
    let (status, _, text) = send(
        &e,
        Method::POST,
        "/sparql?using-graph-uri=http%3A%2F%2Fex%2Fg1",
        Some("application/sparql-update"),
        "DELETE { GRAPH <http://ex/g1> { ?s ?p ?o } } USING <http://ex/g1> WHERE { ?s ?p ?o }",
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST, "{text}");
    assert!(ask(&e, "ASK { GRAPH <http://ex/g1> { ?s ?p ?o } }"));
}

#[test]
fn load_and_bad_updates_are_refused_with_their_reason() {
    let e = writable();
    let status = update(&e, "LOAD <file:///etc/passwd> INTO GRAPH <http://ex/g>");
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, text) = send(
        &e,
        Method::POST,
        "/sparql",
        Some("application/sparql-update"),
        "INSERT DATA { <http://ex/s> <http://ex/p> }",
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        text.starts_with("update:1:43: SPARQL syntax error"),
        "{text}"
    );
    assert!(!ask(&e, "ASK { GRAPH ?g { ?s ?p ?o } }"));
}

#[test]
fn the_graph_store_puts_gets_posts_and_deletes() {
    let e = writable();
    let target = "/store?graph=http%3A%2F%2Fex%2Fperson";
    let turtle = |name: &str| format!("<http://ex/p1> <http://ex/name> \"{name}\" .");
    let put = |body: &str| {
        send(
            &e,
            Method::PUT,
            target,
            Some("text/turtle"),
            body,
            Some(TOKEN),
        )
        .0
    };
    assert_eq!(put(&turtle("John")), StatusCode::CREATED);
    assert_eq!(
        graph(&e, target),
        (
            StatusCode::OK,
            vec!["<http://ex/p1> <http://ex/name> \"John\" .".to_owned()]
        )
    );
    // PUT replaces.
    assert_eq!(put(&turtle("Jane")), StatusCode::NO_CONTENT);
    let (_, lines) = graph(&e, target);
    assert_eq!(
        lines,
        vec!["<http://ex/p1> <http://ex/name> \"Jane\" .".to_owned()]
    );
    // POST merges, in another syntax.
    let (status, _, _) = send(
        &e,
        Method::POST,
        target,
        Some("application/n-triples"),
        "<http://ex/p1> <http://ex/age> \"40\" .\n",
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(graph(&e, target).1.len(), 2);
    // The default graph is untouched by all of it.
    assert!(!ask(&e, "ASK { ?s ?p ?o }"));
    // HEAD answers like GET, without the body.
    let (status, _, body) = send(&e, Method::HEAD, target, None, "", None);
    assert_eq!((status, body.as_str()), (StatusCode::OK, ""));
    // DELETE drops; a second DELETE and a GET find nothing.
    let delete = || send(&e, Method::DELETE, target, None, "", Some(TOKEN)).0;
    assert_eq!(delete(), StatusCode::NO_CONTENT);
    assert_eq!(delete(), StatusCode::NOT_FOUND);
    assert_eq!(graph(&e, target).0, StatusCode::NOT_FOUND);
}

#[test]
fn the_graph_store_default_graph_and_graph_creation() {
    let e = writable();
    let body = "<http://ex/s> <http://ex/p> <http://ex/o> .";
    let (status, _, _) = send(
        &e,
        Method::PUT,
        "/store?default",
        Some("text/turtle"),
        body,
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(graph(&e, "/store?default").1, vec![body.to_owned()]);
    // POST to the store alone makes a graph and says where it is; that IRI is its address.
    let mut request = Request::builder()
        .method(Method::POST)
        .uri("/store")
        .header(CONTENT_TYPE, "text/turtle")
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .header("host", "localhost:7878")
        .body(Body::from(body))
        .expect("request");
    let response = crate::server::protocol::handle(&e, &mut request);
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_owned();
    let path = location
        .strip_prefix("http://localhost:7878")
        .expect("on this endpoint");
    assert!(path.starts_with("/store/"), "{location}");
    let mut request = Request::builder()
        .uri(path)
        .header("host", "localhost:7878")
        .header("accept", "application/n-triples")
        .body(Body::empty())
        .expect("request");
    let (status, _, text) = answer(&e, &mut request);
    assert_eq!((status, text.trim()), (StatusCode::OK, body));
    let (status, _, _) = send(&e, Method::DELETE, "/store?default", None, "", Some(TOKEN));
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(!ask(&e, "ASK { ?s ?p ?o }"));
}

#[test]
fn bad_graph_bodies_say_where_and_change_nothing() {
    let e = writable();
    let target = "/store?graph=http%3A%2F%2Fex%2Fg";
    let (status, _, text) = send(
        &e,
        Method::PUT,
        target,
        Some("text/turtle"),
        "<http://ex/s> <http://ex/p> <http://ex/o> .\n<http://ex/s> <http://ex/p> \"open .\n",
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.starts_with("<body>:2:"), "{text}");
    let (status, _, text) = send(&e, Method::PUT, target, Some("image/png"), "x", Some(TOKEN));
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{text}");
    let (status, _, _) = send(
        &e,
        Method::PUT,
        target,
        Some("application/n-quads"),
        "<http://ex/s> <http://ex/p> <http://ex/o> <http://ex/other> .\n",
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(graph(&e, target).0, StatusCode::NOT_FOUND);
}

#[test]
fn the_embedded_graphs_are_readable_through_the_graph_store() {
    let e = super::endpoint(Limits::default(), None);
    let (status, lines) = graph(
        &e,
        "/store?graph=https%3A%2F%2Fw3id.org%2Fffkg%2Fgraph%2Fontology",
    );
    assert_eq!(status, StatusCode::OK);
    assert!(lines.len() > 100, "{}", lines.len());
    let (status, _) = graph(&e, "/store?graph=http%3A%2F%2Fex%2Fnothing");
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn service_is_refused_in_queries_and_updates() {
    let e = writable();
    let query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }";
    let (status, _, text) = get(&e, &format!("/sparql?{}", encoded(query)), None);
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    assert!(text.contains("SERVICE is off"), "{text}");
    let status = update(
        &e,
        "INSERT { ?s ?p ?o } WHERE { service <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    );
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The word in a string or an IRI is no call.
    assert!(!ask(&e, "ASK { ?s ?p \"SERVICE\" }"));
}

#[test]
fn hostile_writes_are_refused_cleanly_and_change_nothing() {
    let e = writable();
    // An update nested 100,000 levels deep: the nesting check answers, with its place.
    let deep = format!(
        "INSERT {{ <http://ex/s> <http://ex/p> 1 }} WHERE {}",
        "{".repeat(100_000) + &"}".repeat(100_000)
    );
    let (status, _, text) = send(
        &e,
        Method::POST,
        "/sparql",
        Some("application/sparql-update"),
        &deep,
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("nests deeper than"), "{text}");
    let target = "/store?graph=http%3A%2F%2Fex%2Fg";
    // Bytes that are not UTF-8, in a Turtle body.
    let mut request = Request::builder()
        .method(Method::PUT)
        .uri(target)
        .header(CONTENT_TYPE, "text/turtle")
        .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
        .body(Body::from(
            b"<http://ex/s> <http://ex/p> \"\xff\xfe\" .".to_vec(),
        ))
        .expect("request");
    let response = crate::server::protocol::handle(&e, &mut request);
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // A Turtle body nested 100,000 blank nodes deep is read or refused, never a crash.
    let nested = format!(
        "<http://ex/s> <http://ex/p> {} .",
        "[ <http://ex/p> ".repeat(100_000) + "1" + &" ]".repeat(100_000)
    );
    let limits = Limits {
        max_body: 16 << 20,
        ..Limits::default()
    };
    let big = Endpoint::new(
        Dataset::from_store(Store::new().expect("a store")),
        Settings::default(),
        limits,
        Access {
            cors: None,
            token: Some(TOKEN.to_owned()),
            ..Access::default()
        },
    )
    .expect("an endpoint");
    let (status, _, text) = send(
        &big,
        Method::PUT,
        target,
        Some("text/turtle"),
        &nested,
        Some(TOKEN),
    );
    assert!(
        status == StatusCode::CREATED || status == StatusCode::BAD_REQUEST,
        "{status} {text}"
    );
    // A huge literal past the body limit: 413, nothing read into the store.
    let huge = format!("<http://ex/s> <http://ex/p> \"{}\" .", "x".repeat(2 << 20));
    let (status, _, _) = send(
        &e,
        Method::PUT,
        target,
        Some("text/turtle"),
        &huge,
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        graph(&e, target).0,
        StatusCode::NOT_FOUND,
        "nothing written"
    );
}

/// The VoID description is made once per state of the data: asked again it is the same, and a
/// write (an update or a graph store request) makes it count again.
#[test]
fn the_void_description_follows_writes() {
    let e = writable();
    let triples = |e: &Endpoint| {
        let (status, _, body) = get(e, "/.well-known/void", Some("text/turtle"));
        assert_eq!(status, StatusCode::OK, "{body}");
        body.lines()
            .find_map(|l| l.trim().strip_prefix("void:triples "))
            .map(|n| n.trim_end_matches([' ', ';', '.']).to_owned())
            .unwrap_or_else(|| panic!("no void:triples in {body}"))
    };
    assert_eq!(triples(&e), "0");
    assert_eq!(triples(&e), "0");
    assert_eq!(
        update(
            &e,
            "INSERT DATA { <http://ex/a> <http://ex/b> <http://ex/c> }"
        ),
        StatusCode::NO_CONTENT
    );
    assert_eq!(triples(&e), "1");
    let (status, ..) = send(
        &e,
        Method::POST,
        "/store?default",
        Some("application/n-triples"),
        "<http://ex/a> <http://ex/b> <http://ex/d> .\n",
        Some(TOKEN),
    );
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(triples(&e), "2");
}
