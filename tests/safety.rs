//! No command loses the user's data: a failed output leaves the file it was to replace as it
//! was, and two results never silently share one file.

mod common;

use common::ffkg;
use predicates::prelude::*;

#[test]
fn a_failed_output_leaves_the_old_file_untouched() {
    let dir = tempfile::tempdir().expect("dir");
    let keep = dir.path().join("keep.tsv");
    ffkg()
        .args(["query", "top-countries", "-o"])
        .arg(&keep)
        .assert()
        .success();
    let before = std::fs::read(&keep).expect("written");
    assert!(!before.is_empty());
    // A syntax error, a result the file's format cannot hold, and an evaluation error.
    for query in [
        "SELECT ?x WHERE {",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1",
        "SELECT (xsd:integer(\"x\") + <http://e/f>(1) AS ?x) {}",
    ] {
        ffkg()
            .args(["query", "-e", query, "-o"])
            .arg(&keep)
            .assert()
            .failure();
        assert_eq!(
            std::fs::read(&keep).expect("still there"),
            before,
            "{query}"
        );
    }
    // No temporary file is left behind, and a failed query makes no new file.
    let fresh = dir.path().join("fresh.tsv");
    ffkg()
        .args(["query", "-e", "SELECT ?x WHERE {", "-o"])
        .arg(&fresh)
        .assert()
        .code(3);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["keep.tsv".to_owned()]);
}

#[test]
fn a_failed_dump_or_update_keeps_the_old_file() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("graph.nq");
    std::fs::write(&out, "old\n").expect("write");
    ffkg()
        .args([
            "update",
            "-e",
            "INSERT DATA { <http://e/a> <http://e/b> }",
            "-o",
        ])
        .arg(&out)
        .assert()
        .code(3);
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "old\n");
}

#[test]
fn two_queries_of_one_name_are_refused_for_one_directory() {
    let dir = tempfile::tempdir().expect("dir");
    for sub in ["one", "two"] {
        std::fs::create_dir_all(dir.path().join(sub)).expect("dir");
        std::fs::write(dir.path().join(sub).join("a.rq"), "ASK {}").expect("write");
    }
    let results = dir.path().join("results");
    ffkg()
        .current_dir(dir.path())
        .args(["query", "one/a.rq", "two/a.rq", "--out-dir"])
        .arg(&results)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "one/a.rq and two/a.rq would both be written",
        ));
    assert!(!results.exists(), "nothing is written");
}

#[test]
fn a_statement_that_fails_adds_nothing_to_the_output_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.tsv");
    let script = format!(
        ".format tsv\n.output {}\nSELECT (\"one\" AS ?x) WHERE {{}};\nSELECT * WHERE {{ ?a ?b ?c . ?d ?e ?f }};\n",
        out.display()
    );
    let output = common::ffkg()
        .args(["repl", "--timeout", "0.5"])
        .write_stdin(script)
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(5),
        "the second statement times out"
    );
    // It had streamed rows before its timeout; none of them are in the file.
    assert_eq!(
        std::fs::read_to_string(&out).expect("written"),
        "?x\n\"one\"\n"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".ffkg-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
