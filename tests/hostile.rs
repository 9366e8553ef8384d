//! Hostile input through every front end: statements and data nested 10, 1,000 and 100,000
//! levels deep, and a statement that would take all the memory. The answer is a result or a
//! clear error naming the limit and the place — never a stack overflow or an exhausted machine —
//! and the REPL answers the next statement.

mod common;

use common::{SHAPES, ffkg, nested};
use predicates::prelude::*;
use rexpect::session::{Options, spawn_with_options};
use std::process::Command;

#[test]
fn shallow_and_moderately_deep_queries_are_answered() {
    for kind in SHAPES {
        for n in [10, 1_000] {
            ffkg()
                .args(["query", "--timeout", "60", "-e", &nested(kind, n)])
                .assert()
                .success();
        }
    }
}

#[test]
fn a_query_nested_a_hundred_thousand_deep_gets_a_located_error() {
    for kind in SHAPES {
        // Too long for an argument: given on stdin, as a generated query would be.
        ffkg()
            .args(["query", "-"])
            .write_stdin(nested(kind, 100_000))
            .assert()
            .code(3)
            .stderr(predicate::str::contains(
                "the statement nests deeper than 2000 levels here",
            ))
            .stderr(predicate::str::is_match(r"^ffkg: <stdin>:1:\d+: ").expect("regex"))
            // The line is shown around the place, not whole.
            .stderr(predicate::function(|err: &str| err.len() < 1_000));
    }
}

#[test]
fn deep_updates_get_the_same_error() {
    let dir = tempfile::tempdir().expect("dir");
    let out = dir.path().join("out.nq");
    let out = out.to_str().expect("path");
    ffkg()
        .args([
            "update",
            "--no-embedded",
            "-o",
            out,
            "-e",
            &nested("update", 1_000),
        ])
        .assert()
        .success();
    ffkg()
        .args(["update", "--no-embedded", "-o", out, "-"])
        .write_stdin(nested("update", 100_000))
        .assert()
        .code(3)
        .stderr(predicate::str::contains("nests deeper than 2000 levels"));
}

#[test]
fn a_script_stops_at_a_deep_statement_with_the_error() {
    let script = format!("{} ;\nASK {{}} ;\n", nested("groups", 100_000));
    ffkg()
        .arg("repl")
        .write_stdin(script)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("<stdin>:1:"))
        .stderr(predicate::str::contains("nests deeper than 2000 levels"));
}

#[test]
fn the_repl_survives_a_deep_statement_and_answers_the_next() {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("stty rows 50 cols 120 && exec \"$0\" repl")
        .arg(assert_cmd::cargo::cargo_bin!("ffkg"))
        .env("HOME", std::env::temp_dir())
        .env("XDG_DATA_HOME", tempfile::tempdir().expect("dir").keep())
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let mut session = spawn_with_options(
        command,
        Options::new()
            .timeout_ms(Some(60_000))
            .strip_ansi_escape_codes(true),
    )
    .expect("ffkg starts in a pseudo-terminal");
    session.exp_string("ffkg> ").expect("prompt");
    for n in [1_000, 100_000] {
        // Pasted, as such a statement would arrive: one bracketed paste, then Enter.
        let statement = format!("{};", nested("groups", n));
        session
            .send(&format!("\x1b[200~{statement}\x1b[201~\r"))
            .expect("paste");
        session.flush().expect("paste");
        if n == 1_000 {
            session.exp_string("100 shown").expect("answered");
        } else {
            session
                .exp_string("nests deeper than 2000 levels")
                .expect("a clear error");
        }
        session.exp_string("ffkg> ").expect("the prompt comes back");
    }
    session
        .send("ASK { country:TUN a ff:Country };\r")
        .expect("keys");
    session.flush().expect("keys");
    session
        .exp_string("true")
        .expect("the next statement is answered");
    session.send(".quit\r").expect("keys");
    session.flush().expect("keys");
    session.exp_eof().expect("leaves");
}

/// RDF nested a hundred thousand levels deep in each syntax a user's file may be in.
#[test]
fn deeply_nested_rdf_loads_or_gets_an_error() {
    let dir = tempfile::tempdir().expect("dir");
    let n = 100_000;
    let files = [
        (
            "collections.ttl",
            format!(
                "<http://e/s> <http://e/p> {} 1 {} .\n",
                "( ".repeat(n),
                ") ".repeat(n)
            ),
            Some("200001"),
        ),
        (
            "lists.ttl",
            format!(
                "<http://e/s> <http://e/p> {} 1 {} .\n",
                "[ <http://e/p> ".repeat(n),
                "] ".repeat(n)
            ),
            Some("100001"),
        ),
        (
            "collections.trig",
            format!(
                "{{ <http://e/s> <http://e/p> {} 1 {} . }}\n",
                "( ".repeat(n),
                ") ".repeat(n)
            ),
            Some("200001"),
        ),
        (
            "deep.rdf",
            format!(
                "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
                 xmlns:e=\"http://e/\"><rdf:Description rdf:about=\"http://e/s\">{}<e:p>1</e:p>{}\
                 </rdf:Description></rdf:RDF>",
                "<e:p><rdf:Description>".repeat(n),
                "</rdf:Description></e:p>".repeat(n)
            ),
            Some("100001"),
        ),
        (
            "deep.jsonld",
            format!(
                "{{\"@id\": \"http://e/s\", \"http://e/p\": {}1{}}}",
                "{\"http://e/p\": ".repeat(n),
                "}".repeat(n)
            ),
            None,
        ),
    ];
    for (name, text, count) in files {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let assert = ffkg()
            .args(["query", "--no-embedded", "-d"])
            .arg(&path)
            .args(["-e", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"])
            .assert();
        match count {
            Some(count) => {
                assert.success().stdout(predicate::str::contains(count));
            }
            // JSON-LD's parser has a nesting limit of its own: a located error.
            None => {
                assert
                    .code(3)
                    .stderr(predicate::str::contains(format!("{name}:1:")));
            }
        }
    }
}

/// A statement that builds a huge intermediate result stops at `--max-memory` with exit 5, in
/// batch and in a script, where the next statement is answered with --keep-going.
#[test]
fn a_runaway_query_stops_at_the_memory_limit() {
    let runaway = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d";
    ffkg()
        .args(["query", "--max-memory", "100", "-e", runaway])
        .assert()
        .code(5)
        .stderr(predicate::str::contains("100 MiB of --max-memory"));
    ffkg()
        .args([
            "repl",
            "--max-memory",
            "100",
            "--keep-going",
            "--format",
            "tsv",
        ])
        .write_stdin(format!("{runaway};\nASK {{}};\n"))
        .assert()
        .code(5)
        .stdout("true\n")
        .stderr(predicate::str::contains("100 MiB of --max-memory"));
}
