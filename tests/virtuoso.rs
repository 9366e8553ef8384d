//! ffkg against a real Virtuoso 7 (Debian's `virtuoso-opensource`), started on loopback ports
//! in a directory of its own by `scripts/virtuoso.sh` and stopped by PID: the graph pushed by
//! INSERT DATA and then by the Graph Store Protocol, every library query through `--endpoint`
//! compared with the local answer, and Virtuoso's own errors shown. `.ci/run` runs it:
//! `cargo test --test virtuoso -- --ignored`.

mod common;

use common::ffkg;
use common::library::{answers, unordered};
use common::pty::{completes_queries_and_describes, expect, quit, repl_at, typing};
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Queries whose `GROUP_CONCAT` Virtuoso gives without the language tag its values share, and
/// as `""` for a group with no values (oxigraph keeps the tag and leaves an empty group
/// unbound): compared with language tags and empty strings taken out.
const PLAIN_CONCAT: &[&str] = &[
    "compare-sources",
    "extremist-groups",
    "people",
    "population-groups",
    "regions",
    "world-estimates",
];

/// Where Virtuoso's answer departs from the one SPARQL 1.1 fixes (or the standard leaves the
/// answer to the engine); each is checked to differ still, so the list cannot go stale.
const VIRTUOSO_DIFFERS: &[(&str, &str)] = &[
    (
        "describe",
        "DESCRIBE's form is the engine's choice (SPARQL 1.1 §16.4): Virtuoso gives the triples \
         that point at the resource, oxigraph the ones it points to",
    ),
    (
        "documents",
        "`rdfs:subClassOf+` inside FILTER NOT EXISTS: Virtuoso lets each document's broader \
         kinds through as well",
    ),
    (
        "organizations-by-kind",
        "the same: Virtuoso counts every organization under plain \"organization\" too",
    ),
    (
        "who-is-quoted",
        "`rdf:type/rdfs:subClassOf*` inside FILTER EXISTS after VALUES: Virtuoso finds 6 \
         agents of 38",
    ),
    (
        "return-rates",
        "Virtuoso divides an xsd:integer by an xsd:integer as integers (100 * 43 / 80 = 53); \
         SPARQL gives an xsd:decimal (53.75, which ROUND makes 54)",
    ),
    (
        "returned-more-than-a-third",
        "Virtuoso gives the xsd:boolean of a comparison as the integers 1 and 0",
    ),
];

/// An answer with its language tags and empty strings taken out (see [`PLAIN_CONCAT`]).
fn plain(answer: &str) -> String {
    let answer = answer.replace("\"@en", "\"");
    let cells = answer.lines().map(|line| {
        line.split('\t')
            .map(|cell| if cell == "\"\"" { "" } else { cell })
            .collect::<Vec<_>>()
            .join("\t")
    });
    unordered(&cells.collect::<Vec<_>>().join("\n"))
}

/// A private Virtuoso, stopped when dropped.
struct Virtuoso {
    dir: PathBuf,
    http: String,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/virtuoso.sh")
}

impl Virtuoso {
    fn start(dir: &Path) -> Self {
        let start = || {
            Command::new("bash")
                .arg(script())
                .arg("start")
                .arg(dir)
                .output()
                .expect("virtuoso.sh runs")
        };
        let mut output = start();
        if !output.status.success() {
            // Once more, on other ports: a port can be taken between its choice and the bind.
            eprintln!(
                "Virtuoso did not start, trying again: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            output = start();
        }
        assert!(
            output.status.success(),
            "Virtuoso did not start: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let ports = String::from_utf8_lossy(&output.stdout).into_owned();
        let port = ports
            .lines()
            .find_map(|l| l.strip_prefix("VIRTUOSO_HTTP_PORT="))
            .expect("the HTTP port")
            .to_owned();
        let virtuoso = Self {
            dir: dir.to_owned(),
            http: format!("http://127.0.0.1:{port}"),
        };
        // SPARQL updates (and the Graph Store Protocol) through the anonymous endpoint: this
        // server listens on loopback only.
        virtuoso.isql(&["GRANT SPARQL_UPDATE TO \"SPARQL\""]);
        virtuoso
    }

    fn isql(&self, statements: &[&str]) {
        let status = Command::new("bash")
            .arg(script())
            .arg("isql")
            .arg(&self.dir)
            .args(statements)
            .status()
            .expect("virtuoso.sh runs");
        assert!(status.success(), "isql {statements:?}");
    }
}

impl Drop for Virtuoso {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(script())
            .arg("stop")
            .arg(&self.dir)
            .status();
    }
}

#[test]
#[ignore = "needs Virtuoso 7 (apt-get install virtuoso-opensource); .ci/run runs it"]
fn the_graph_pushed_into_virtuoso_answers_the_library_as_locally() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let virtuoso = Virtuoso::start(&dir.path().join("virtuoso"));
    let endpoint = format!("{}/sparql", virtuoso.http);
    let store = format!("{}/sparql-graph-crud", virtuoso.http);
    // INSERT DATA first, then the Graph Store Protocol over it: PUT replaces, so the counts
    // that push checks after each graph stay the same. Virtuoso's default graph is the merge
    // of its graphs, as the embedded graph's is.
    // Every file's graph and the entailments' (the default graph, their merge, not again).
    let graphs = ffkg::data::graph::EMBEDDED.len() + 1;
    ffkg()
        .args(["push", "--endpoint", &endpoint, "--reasoning", "owl"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "in {graphs} graphs by INSERT DATA, every count checked"
        )));
    ffkg()
        .args(["push", "--endpoint", &endpoint, "--graph-store", &store])
        .args(["--reasoning", "owl"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "in {graphs} graphs by Graph Store Protocol, every count checked"
        )));

    let local = answers(&[], &dir.path().join("local"));
    let remote = answers(&["--endpoint", &endpoint], &dir.path().join("remote"));
    let mut unexpected = Vec::new();
    for (name, answer) in &local {
        let query = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem);
        let theirs = &remote[name];
        let same = if PLAIN_CONCAT.contains(&query) {
            plain(answer) == plain(theirs)
        } else {
            unordered(answer) == unordered(theirs)
        };
        let listed = VIRTUOSO_DIFFERS.iter().any(|(q, _)| *q == query);
        if same == listed {
            unexpected.push(format!(
                "{query}: {}\n--- local\n{}\n--- Virtuoso\n{}",
                if same {
                    "now the same: take it off the list"
                } else {
                    "differs"
                },
                unordered(answer),
                unordered(theirs)
            ));
        }
    }
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n\n"));

    // Virtuoso's own refusal of a query ffkg parses, in its words.
    ffkg()
        .args(["query", "--endpoint", &endpoint, "-e"])
        .arg("SELECT * WHERE { ?x a/rdfs:subClassOf* _:b }")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "answered 400 Bad Request: Virtuoso",
        ));

    // The REPL on Virtuoso, typed into: completion from its classes, a card, a library query.
    let place = virtuoso.http.trim_start_matches("http://").to_owned();
    let prompt = format!("ffkg@{place}> ");
    let mut p = repl_at(dir.path(), &["repl", "--endpoint", &endpoint], &prompt);
    completes_queries_and_describes(&mut p, &prompt);
    typing(&mut p, ".run top-countries\r");
    let table = expect(&mut p, "15 rows");
    assert!(table.contains("Russia"), "{table}");
    expect(&mut p, &prompt);
    quit(p);
}
