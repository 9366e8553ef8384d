//! The persistent store (the `rocksdb` feature): bulk load with a rate, query, update, dump.
#![cfg(feature = "rocksdb")]

mod common;

use common::{arg, ffkg, stdout_of};
use predicates::prelude::*;

#[test]
fn load_query_update_and_dump_a_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("db");
    let store_arg = store.display().to_string();
    ffkg()
        .args([
            "load",
            "--store",
            &store_arg,
            &arg("sample.ttl"),
            &arg("sample.nq"),
        ])
        .assert()
        .success()
        .stderr(predicate::str::is_match(r"loaded 18 triples .* triples/s").expect("regex"));

    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let out = stdout_of(&[
        "query", "--store", &store_arg, "--format", "csv", "-e", count,
    ]);
    assert_eq!(out, "n\r\n9\r\n", "the default graph holds sample.ttl");
    let out = stdout_of(&[
        "query",
        "--store",
        &store_arg,
        "--format",
        "csv",
        "-e",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ]);
    assert_eq!(out, "g,n\r\nhttp://example.org/graph/people,9\r\n");

    ffkg()
        .args(["update", "--store", &store_arg, "-e"])
        .arg("DELETE WHERE { ?s <http://example.org/age> ?a }")
        .assert()
        .success();
    let out = stdout_of(&[
        "query", "--store", &store_arg, "--format", "csv", "-e", count,
    ]);
    assert_eq!(out, "n\r\n8\r\n", "the update was saved");

    let nq = stdout_of(&["dump", "--store", &store_arg, "--format", "nq"]);
    assert_eq!(nq.lines().count(), 17);
    let ttl = stdout_of(&["dump", "--store", &store_arg, "--format", "ttl"]);
    assert!(ttl.contains("<http://example.org/alice>"));
}

#[test]
fn load_into_a_named_graph_and_reject_bad_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = dir.path().join("db").display().to_string();
    ffkg()
        .args([
            "load",
            "--store",
            &store,
            "--graph",
            "http://example.org/g",
            &arg("sample.nt"),
        ])
        .assert()
        .success();
    let out = stdout_of(&[
        "query",
        "--store",
        &store,
        "--format",
        "csv",
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://example.org/g> { ?s ?p ?o } }",
    ]);
    assert_eq!(out, "n\r\n9\r\n");
    ffkg()
        .args(["load", "--store", &store, &arg("bad.ttl")])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("bad.ttl:4:"));
    ffkg()
        .args(["load", "--store", &store, "missing.nt"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("missing.nt"));
    ffkg()
        .args([
            "query",
            "--store",
            &dir.path().join("nothing").display().to_string(),
            "-e",
            "ASK {}",
        ])
        .assert()
        .code(4);
}
