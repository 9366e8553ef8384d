//! Statements that reach other endpoints: SERVICE from the CLI joined with local data, LOAD
//! from a URL, both bounded by the timeout, and `ffkg serve` doing either only when its
//! operator allows it. The remote endpoint is a real `ffkg serve` on a loopback port.

mod common;

use common::ffkg;
use common::serve::Served;
use predicates::prelude::*;
use std::net::TcpListener;
use std::time::{Duration, Instant};

const TUN: &str = "https://w3id.org/ffkg/id/country/TUN";

#[test]
fn a_cli_query_joins_local_data_with_a_remote_endpoint() {
    let remote = Served::start(&[]);
    let dir = tempfile::tempdir().expect("a temp dir");
    let mine = dir.path().join("mine.ttl");
    std::fs::write(&mine, format!("<http://e/trip> <http://e/to> <{TUN}> .\n")).expect("written");
    let query = format!(
        "SELECT ?trip ?label WHERE {{ ?trip <http://e/to> ?c . \
         SERVICE <{}/sparql> {{ ?c rdfs:label ?label }} }}",
        remote.base
    );
    ffkg()
        .args(["query", "--no-embedded", "--format", "csv", "--data"])
        .arg(&mine)
        .args(["-e", &query])
        .assert()
        .success()
        .stdout("trip,label\r\nhttp://e/trip,Tunisia\r\n");
    // The REPL runs it the same way (here as a script on stdin).
    ffkg()
        .args(["repl", "--no-embedded", "--format", "csv", "--data"])
        .arg(&mine)
        .write_stdin(format!("{query};\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains("http://e/trip,Tunisia"));
    assert!(remote.stop().success());
}

/// An endpoint that takes the connection and never answers.
fn silent_endpoint() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}/sparql", listener.local_addr().expect("address"));
    (listener, url)
}

#[test]
fn a_service_that_never_answers_stops_at_the_timeout() {
    let (_listener, url) = silent_endpoint();
    let started = Instant::now();
    ffkg()
        .args(["query", "--timeout", "2", "-e"])
        .arg(format!(
            "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
        ))
        .assert()
        .failure()
        .stderr(predicate::str::contains("stopped after the 2 s timeout"));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_service_that_refuses_fails_with_its_reason_unless_silent() {
    // A port bound and let go: nothing listens there.
    let (listener, url) = silent_endpoint();
    drop(listener);
    ffkg()
        .args(["query", "-e"])
        .arg(format!(
            "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"
        ))
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("a SERVICE call failed")
                .and(predicate::str::contains("refused")),
        );
    // SERVICE SILENT gives its one empty solution instead of the error.
    ffkg()
        .args(["query", "--format", "csv", "-e"])
        .arg(format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"
        ))
        .assert()
        .success()
        .stdout("n\r\n1\r\n");
}

/// The lines of N-Triples or N-Quads text that hold a statement.
fn statements(text: &str) -> usize {
    text.lines()
        .filter(|l| l.trim_end().ends_with(" ."))
        .count()
}

#[test]
fn ffkg_update_loads_a_graph_from_an_endpoints_graph_store() {
    let remote = Served::start(&[]);
    let store = format!("{}/store?default", remote.base);
    let (code, served) = remote.curl(&[&store, "-H", "Accept: application/n-triples"]);
    assert_eq!(code, 200);
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("loaded.nq");
    ffkg()
        .args(["update", "--no-embedded", "-o"])
        .arg(&out)
        .args([
            "-e",
            &format!("LOAD <{store}> INTO GRAPH <http://e/loaded>"),
        ])
        .assert()
        .success();
    let loaded = std::fs::read_to_string(&out).expect("the dataset written");
    assert!(statements(&served) > 10_000, "{}", statements(&served));
    assert_eq!(statements(&loaded), statements(&served));
    assert!(loaded.lines().all(|l| l.contains("<http://e/loaded>")));
    assert!(remote.stop().success());
}

#[test]
fn serve_calls_service_and_loads_only_when_allowed() {
    let remote = Served::start(&[]);
    let dir = tempfile::tempdir().expect("a temp dir");
    let token_file = dir.path().join("token");
    let token = "federation-test-token-0123456789";
    std::fs::write(&token_file, token).expect("token written");
    let token_path = token_file.to_str().expect("UTF-8 path");
    let service_query = format!(
        "query=SELECT ?l WHERE {{ SERVICE <{}/sparql> {{ <{TUN}> rdfs:label ?l }} }}",
        remote.base
    );
    let load = format!(
        "LOAD <{}/store?default> INTO GRAPH <http://e/loaded>",
        remote.base
    );
    let authorization = format!("Authorization: Bearer {token}");
    let ask = |served: &Served, args: &[&str]| {
        let sparql = format!("{}/sparql", served.base);
        let mut all = vec![sparql.as_str(), "-H", "Accept: text/csv"];
        all.extend_from_slice(args);
        served.curl(&all)
    };
    let update = |served: &Served| {
        ask(
            served,
            &[
                "-H",
                &authorization,
                "-H",
                "Content-Type: application/sparql-update",
                "--data-binary",
                &load,
            ],
        )
    };
    let described = |served: &Served| {
        let sparql = format!("{}/sparql", served.base);
        served.curl(&[&sparql, "-H", "Accept: text/turtle"]).1
    };
    let shut = Served::start(&["--update", "--token-file", token_path]);
    assert!(!described(&shut).contains("BasicFederatedQuery"));
    let (code, body) = ask(&shut, &["-G", "--data-urlencode", &service_query]);
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("--allow-service"), "{body}");
    let (code, body) = update(&shut);
    assert_eq!(code, 403, "{body}");
    assert!(body.contains("--allow-load"), "{body}");
    // FROM names a graph of the dataset; it never reads a file.
    let from_file = "query=SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }";
    let (code, body) = ask(&shut, &["-G", "--data-urlencode", from_file]);
    assert_eq!(code, 200);
    assert_eq!(body.trim().lines().count(), 1, "the header alone: {body}");
    assert!(shut.stop().success());

    let open = Served::start(&[
        "--update",
        "--token-file",
        token_path,
        "--allow-service",
        "--allow-load",
    ]);
    assert!(described(&open).contains("sd:BasicFederatedQuery"));
    let (code, body) = ask(&open, &["-G", "--data-urlencode", &service_query]);
    assert_eq!(
        (code, body.replace('\r', "")),
        (200, "l\nTunisia\n".to_owned())
    );
    let (code, body) = update(&open);
    assert_eq!(code, 204, "{body}");
    let count = "query=SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://e/loaded> { ?s ?p ?o } }";
    let (code, body) = ask(&open, &["-G", "--data-urlencode", count]);
    assert_eq!(code, 200);
    let n: usize = body
        .lines()
        .nth(1)
        .expect("a count")
        .trim()
        .parse()
        .expect("a number");
    assert!(n > 10_000, "{n}");
    assert!(open.stop().success());
    assert!(remote.stop().success());
}
