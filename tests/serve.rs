//! `ffkg serve` as a client sees it: a real server on a free loopback port, driven with curl,
//! stopped with SIGTERM (it finishes and exits 0).

mod common;

use common::serve::Served;
use common::{SHAPES, nested};
use std::process::Command;

#[test]
fn curl_queries_the_endpoint_and_sigterm_stops_it() {
    let served = Served::start(&[]);
    let sparql = format!("{}/sparql", served.base);
    let (code, body) = served.curl(&[
        "-G",
        &sparql,
        "--data-urlencode",
        "query=SELECT ?l WHERE { country:TUN rdfs:label ?l }",
        "-H",
        "Accept: text/csv",
    ]);
    assert_eq!(code, 200, "{body}");
    assert_eq!(body.replace('\r', ""), "l\nTunisia\n");
    let (code, body) = served.curl(&[
        &sparql,
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        "ASK { country:TUN a ff:Country }",
    ]);
    assert_eq!(code, 200);
    assert!(body.contains("\"boolean\":true"), "{body}");
    let (code, body) = served.curl(&["-G", &sparql, "--data-urlencode", "query=SELECT ?x WHERE {"]);
    assert_eq!(code, 400);
    assert!(body.contains("SPARQL syntax error"), "{body}");
    let (code, _) = served.curl(&[
        &sparql,
        "-H",
        "Content-Type: application/sparql-update",
        "--data-binary",
        "INSERT DATA { country:TUN ff:note 1 }",
    ]);
    assert_eq!(code, 403);
    let (code, body) = served.curl(&[&sparql, "-H", "Accept: text/turtle"]);
    assert_eq!(code, 200);
    assert!(body.contains("sd:Service"), "{body}");
    let (code, body) = served.curl(&[&format!("{}/query", served.base)]);
    assert_eq!(code, 200);
    assert!(body.contains("<form"), "{body}");
    assert!(served.stop().success());
}

#[test]
fn an_endpoint_with_cors_answers_preflight() {
    let served = Served::start(&["--cors", "https://example.org"]);
    let sparql = format!("{}/sparql", served.base);
    let output = Command::new("curl")
        .args(["-s", "-i", "-X", "OPTIONS", &sparql])
        .output()
        .expect("curl");
    let head = String::from_utf8_lossy(&output.stdout).to_ascii_lowercase();
    assert!(
        head.contains("access-control-allow-origin: https://example.org"),
        "{head}"
    );
    assert!(served.stop().success());
}

#[test]
fn curl_writes_with_the_token_and_reads_back_through_the_graph_store() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let token_file = dir.path().join("token");
    let token = "curl-test-token-0123456789";
    std::fs::write(&token_file, format!("{token}\n")).expect("token written");
    let served = Served::start(&[
        "--no-embedded",
        "--update",
        "--token-file",
        token_file.to_str().expect("UTF-8 path"),
    ]);
    let store = format!("{}/store?graph=https://example.org/mine", served.base);
    let bearer = format!("Authorization: Bearer {token}");
    let turtle = "<https://example.org/a> <https://example.org/p> \"é\" .";
    let put = |auth: &str| {
        served.curl(&[
            "-X",
            "PUT",
            &store,
            "-H",
            auth,
            "-H",
            "Content-Type: text/turtle",
            "--data-binary",
            turtle,
        ])
    };
    assert_eq!(put("Authorization: Bearer not-the-token-at-all").0, 401);
    assert_eq!(put(&bearer).0, 201);
    assert_eq!(put(&bearer).0, 204);
    let (code, body) = served.curl(&[&store, "-H", "Accept: application/n-triples"]);
    assert_eq!((code, body.trim()), (200, turtle));
    let sparql = format!("{}/sparql", served.base);
    let (code, _) = served.curl(&[
        &sparql,
        "-H",
        &bearer,
        "-H",
        "Content-Type: application/sparql-update",
        "--data-binary",
        "DROP GRAPH <https://example.org/mine>",
    ]);
    assert_eq!(code, 204);
    assert_eq!(served.curl(&[&store]).0, 404);
    assert!(served.stop().success());
}

#[test]
fn a_bad_token_file_is_refused_before_serving() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "short\n").expect("token written");
    let output = Command::new(assert_cmd::cargo::cargo_bin!("ffkg"))
        .args(["serve", "--bind", "127.0.0.1:9", "--update", "--token-file"])
        .arg(&token_file)
        .output()
        .expect("ffkg runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("at least 16"), "{stderr}");
    let output = Command::new(assert_cmd::cargo::cargo_bin!("ffkg"))
        .args(["serve", "--update"])
        .output()
        .expect("ffkg runs");
    assert_eq!(output.status.code(), Some(2), "--update needs --token-file");
}

/// A connection's thread has a small stack; a statement too deep for it is answered on a deep
/// one, so no nesting the limit lets through can bring the server down.
#[test]
fn statements_nested_to_the_limit_are_answered_and_the_server_lives_on() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let token_file = dir.path().join("token");
    let token = "nesting-test-token-0123456789";
    std::fs::write(&token_file, token).expect("token written");
    let served = Served::start(&[
        "--update",
        "--token-file",
        token_file.to_str().expect("UTF-8 path"),
    ]);
    let sparql = format!("{}/sparql", served.base);
    let body_file = dir.path().join("statement");
    let send = |statement: &str, media: &str| {
        std::fs::write(&body_file, statement).expect("statement written");
        let file = format!("@{}", body_file.display());
        let content_type = format!("Content-Type: {media}");
        let authorization = format!("Authorization: Bearer {token}");
        served.curl(&[
            &sparql,
            "-H",
            &content_type,
            "-H",
            &authorization,
            "-H",
            "Accept: text/csv",
            "--data-binary",
            &file,
        ])
    };
    // 17 is one past what runs on the connection's own thread; a union is two levels a link.
    for n in [17, 1_999] {
        for shape in SHAPES {
            let n = if shape == "unions" { n / 2 } else { n };
            let (code, body) = send(&nested(shape, n), "application/sparql-query");
            assert_eq!(code, 200, "{shape} nested {n} deep: {body}");
        }
        let (code, body) = send(&nested("update", n), "application/sparql-update");
        assert_eq!(code, 204, "an update nested {n} deep: {body}");
    }
    let (code, body) = send(&nested("groups", 100_000), "application/sparql-query");
    assert_eq!(code, 400);
    assert!(body.contains("nests deeper than 2000 levels"), "{body}");
    let (code, body) = send(
        "ASK { country:TUN a ff:Country }",
        "application/sparql-query",
    );
    assert_eq!((code, body.trim()), (200, "true"));
    assert!(served.stop().success());
}
