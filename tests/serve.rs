//! `ffkg serve` as a client sees it: a real server on a free loopback port, driven with curl,
//! stopped with SIGTERM (it finishes and exits 0).

mod common;

use common::serve::Served;
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
    let (code, body) = served.curl(&[&format!("{}/", served.base)]);
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
