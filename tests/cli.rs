//! The command line as users run it: formats, sources of queries, data loading, update,
//! timeouts, exit codes and the error messages for bad input.

mod common;

use common::{arg, ffkg, fixture, stdout_of};
use predicates::prelude::*;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PEOPLE: &str = "SELECT ?person ?name ?age WHERE { ?person a <http://example.org/Person> ; \
                      <http://example.org/name> ?name . OPTIONAL { ?person <http://example.org/age> ?age } } \
                      ORDER BY ?person";
const ASK: &str =
    "ASK { <http://example.org/alice> <http://example.org/knows> <http://example.org/bob> }";
const CONSTRUCT: &str =
    "CONSTRUCT { ?p <http://example.org/label> ?n } WHERE { ?p <http://example.org/name> ?n }";

fn sample_query(query: &str, format: &str) -> String {
    stdout_of(&[
        "query",
        "--no-embedded",
        "--data",
        &arg("sample.ttl"),
        "--format",
        format,
        "-e",
        query,
    ])
}

#[test]
fn select_in_every_results_format() {
    for format in ["table", "csv", "tsv", "json", "xml"] {
        insta::assert_snapshot!(format!("select_{format}"), sample_query(PEOPLE, format));
    }
}

#[test]
fn ask_in_every_results_format() {
    for format in ["table", "csv", "tsv", "json", "xml"] {
        insta::assert_snapshot!(format!("ask_{format}"), sample_query(ASK, format));
    }
}

#[test]
fn construct_in_every_rdf_syntax() {
    let query = format!("{CONSTRUCT} ORDER BY ?p");
    for format in ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"] {
        let out = sample_query(&query, format);
        // Triple order in a graph result is not fixed: compare sorted lines for line formats.
        let out = if matches!(format, "ntriples" | "nquads") {
            let mut lines: Vec<&str> = out.lines().collect();
            lines.sort_unstable();
            lines.join("\n")
        } else {
            out
        };
        insta::assert_snapshot!(format!("construct_{format}"), out);
    }
}

#[test]
fn the_default_off_a_terminal_is_tsv_and_turtle_for_graphs() {
    let out = stdout_of(&[
        "query",
        "--no-embedded",
        "--data",
        &arg("sample.ttl"),
        "-e",
        ASK,
    ]);
    // sparesults writes a boolean in TSV as the bare word; ffkg ends its line.
    assert_eq!(out, "true\n");
    let out = stdout_of(&[
        "query",
        "--no-embedded",
        "--data",
        &arg("sample.ttl"),
        "-e",
        PEOPLE,
    ]);
    assert!(out.starts_with("?person\t?name\t?age\n"), "{out}");
    let out = stdout_of(&[
        "query",
        "--no-embedded",
        "--data",
        &arg("sample.ttl"),
        "-e",
        CONSTRUCT,
    ]);
    assert!(out.contains("<http://example.org/label>"), "{out}");
}

#[test]
fn the_embedded_graph_answers_with_its_prefixes_declared() {
    let out = stdout_of(&[
        "query",
        "--format",
        "csv",
        "-e",
        "SELECT ?label WHERE { ff:Figure rdfs:label ?label }",
    ]);
    assert_eq!(out, "label\r\nfigure\r\n");
}

#[test]
fn named_graphs_tell_which_file_says_what() {
    let out = stdout_of(&[
        "query",
        "--format",
        "csv",
        "-e",
        "SELECT ?g WHERE { GRAPH ?g { ff:Figure a owl:Class } }",
    ]);
    assert_eq!(out, "g\r\nhttps://w3id.org/ffkg/graph/ontology\r\n");
    let out = stdout_of(&[
        "query",
        "--format",
        "csv",
        "-e",
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
    ]);
    for graph in ["measures", "ontology"] {
        assert!(
            out.contains(&format!("https://w3id.org/ffkg/graph/{graph}\r\n")),
            "{out}"
        );
    }
}

#[test]
fn the_default_graph_counts_each_triple_once() {
    let out = stdout_of(&[
        "query",
        "--format",
        "csv",
        "-e",
        "SELECT (COUNT(*) AS ?all) (COUNT(DISTINCT *) AS ?distinct) WHERE { ?s ?p ?o }",
    ]);
    let row = out.lines().nth(1).expect("a row");
    let (all, distinct) = row.split_once(',').expect("two columns");
    assert_eq!(all, distinct, "{out}");
    // And the default graph holds exactly the union of the named graphs.
    let out = stdout_of(&[
        "query",
        "--format",
        "csv",
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } } }",
    ]);
    assert_eq!(out.lines().nth(1), Some(all));
}

#[test]
fn queries_come_from_files_stdin_and_arguments_in_order() {
    let data = arg("sample.ttl");
    let out = ffkg()
        .args(["query", "--no-embedded", "--data", &data, "--format", "csv"])
        .args(["-e", "SELECT ?n WHERE { BIND(1 AS ?n) }"])
        .arg(arg("people.rq"))
        .args(["-", "-e", "SELECT ?n WHERE { BIND(3 AS ?n) }"])
        .write_stdin("SELECT ?n WHERE { BIND(2 AS ?n) }")
        .output()
        .expect("runs");
    assert!(output_ok(&out));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let one = text.find("n\r\n1").expect("first");
    let people = text.find("person,name").expect("file");
    let two = text.find("n\r\n2").expect("stdin");
    let three = text.find("n\r\n3").expect("last");
    assert!(one < people && people < two && two < three, "{text}");
}

#[test]
fn a_query_on_stdin_needs_no_argument() {
    ffkg()
        .args(["query", "--format", "csv"])
        .write_stdin("ASK { ff:Figure a owl:Class }")
        .assert()
        .success()
        .stdout("true\n");
}

fn output_ok(out: &std::process::Output) -> bool {
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
    out.status.success()
}

#[test]
fn output_file_takes_its_format_from_the_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("people.csv");
    ffkg()
        .args([
            "query",
            "--no-embedded",
            "--data",
            &arg("sample.ttl"),
            "-e",
            PEOPLE,
            "-o",
        ])
        .arg(&csv)
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&csv).expect("written");
    assert!(text.starts_with("person,name,age\r\n"), "{text}");

    let json = dir.path().join("people.out");
    ffkg()
        .args([
            "query",
            "--no-embedded",
            "--data",
            &arg("sample.ttl"),
            "-e",
            PEOPLE,
        ])
        .args(["--format", "json", "-o"])
        .arg(&json)
        .assert()
        .success();
    let text = std::fs::read_to_string(&json).expect("written");
    assert!(
        text.starts_with("{\"head\":{\"vars\":[\"person\",\"name\",\"age\"]}"),
        "{text}"
    );

    let ttl = dir.path().join("labels.ttl");
    ffkg()
        .args([
            "query",
            "--no-embedded",
            "--data",
            &arg("sample.ttl"),
            "-e",
            CONSTRUCT,
            "-o",
        ])
        .arg(&ttl)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&ttl)
            .expect("written")
            .contains("\"Alice\"@en")
    );
}

#[test]
fn data_loads_in_every_rdf_syntax_and_gzip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let gz = dir.path().join("sample.ttl.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("create"),
        flate2::Compression::default(),
    );
    encoder
        .write_all(&std::fs::read(fixture("sample.ttl")).expect("read"))
        .expect("write");
    encoder.finish().expect("finish");

    let count_all =
        "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }";
    for file in [
        "sample.ttl",
        "sample.nt",
        "sample.nq",
        "sample.trig",
        "sample.jsonld",
        "sample.rdf",
    ] {
        let out = stdout_of(&[
            "query",
            "--no-embedded",
            "--data",
            &arg(file),
            "--format",
            "csv",
            "-e",
            count_all,
        ]);
        assert_eq!(out, "n\r\n9\r\n", "{file}");
    }
    let out = stdout_of(&[
        "query",
        "--no-embedded",
        "--data",
        &gz.display().to_string(),
        "--format",
        "csv",
        "-e",
        count_all,
    ]);
    assert_eq!(out, "n\r\n9\r\n");

    // N-Quads and TriG keep their graphs; the default graph stays empty.
    let out = stdout_of(&[
        "query",
        "--no-embedded",
        "--data",
        &arg("sample.trig"),
        "--format",
        "csv",
        "-e",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ]);
    assert_eq!(out, "g,n\r\nhttp://example.org/graph/people,9\r\n");
    // An extension can be overridden.
    let renamed = dir.path().join("sample.data");
    std::fs::copy(fixture("sample.nt"), &renamed).expect("copy");
    let out = stdout_of(&[
        "query",
        "--no-embedded",
        "--data",
        &renamed.display().to_string(),
        "--data-format",
        "nt",
        "--format",
        "csv",
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    ]);
    assert_eq!(out, "n\r\n9\r\n");
}

#[test]
fn data_joins_the_embedded_graph_and_named_files_stay_apart() {
    let out = stdout_of(&[
        "query",
        "--data",
        &arg("sample.ttl"),
        "--format",
        "csv",
        "-e",
        "ASK { <http://example.org/alice> a <http://example.org/Person> . ff:Figure a owl:Class }",
    ]);
    assert_eq!(out, "true\n");

    let named = fixture("sample.ttl");
    let url = format!("file://{}", named.display());
    let out = stdout_of(&[
        "query",
        "--no-embedded",
        "--named",
        &arg("sample.ttl"),
        "--format",
        "csv",
        "-e",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    ]);
    assert_eq!(out, format!("g,n\r\n{url},9\r\n"));
    let out = stdout_of(&[
        "query",
        "--no-embedded",
        "--named",
        &arg("sample.ttl"),
        "--format",
        "csv",
        "-e",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    ]);
    assert_eq!(
        out, "n\r\n0\r\n",
        "plain dataset semantics: named files are not in the default graph"
    );
}

#[test]
fn update_writes_the_changed_graph_or_refuses_to_lose_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("updated.ttl");
    ffkg()
        .args([
            "update",
            "--no-embedded",
            "--data",
            &arg("sample.ttl"),
            "-o",
        ])
        .arg(&out)
        .args([
            "-e",
            "DELETE WHERE { <http://example.org/bob> <http://example.org/score> ?s } ; \
             INSERT DATA { <http://example.org/carol> a <http://example.org/Person> }",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote 9 triples"));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.contains("<http://example.org/carol> a <http://example.org/Person>"),
        "{text}"
    );
    assert!(!text.contains("score"), "{text}");

    // Updates read from a file, and the result feeds a query.
    let update = dir.path().join("u.ru");
    std::fs::write(&update, "INSERT DATA { ff:x rdfs:label \"x\" }").expect("write");
    let nq = dir.path().join("all.nq");
    ffkg()
        .args(["update", "-o"])
        .arg(&nq)
        .arg(&update)
        .assert()
        .success();
    let nq_text = std::fs::read_to_string(&nq).expect("written");
    // Inserted into the default graph alone, it lands in graph:user, and is written once.
    let inserted =
        "<https://w3id.org/ffkg/ontology#x> <http://www.w3.org/2000/01/rdf-schema#label> \"x\"";
    assert_eq!(
        nq_text
            .lines()
            .filter(|l| l.starts_with(inserted))
            .collect::<Vec<_>>(),
        [format!("{inserted} <https://w3id.org/ffkg/graph/user> .")]
    );
    assert!(
        nq_text.contains("<https://w3id.org/ffkg/graph/ontology>"),
        "named graphs kept"
    );

    ffkg()
        .args(["update", "-e", "INSERT DATA { ff:x rdfs:label \"x\" }"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would be lost"));
}

#[test]
fn a_query_over_its_timeout_stops_with_a_message() {
    // Reads the store all along: the cancellation token stops it.
    let started = Instant::now();
    ffkg()
        .args(["query", "--timeout", "1", "-e"])
        .arg("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "query stopped after the 1 s timeout",
        ));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_query_that_never_reads_the_store_is_stopped_too() {
    // Ten VALUES blocks of ten make 10^10 rows without a single read: only the watchdog ends it.
    let values: String = (0..10)
        .map(|i| format!("VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }} "))
        .collect();
    let started = Instant::now();
    ffkg()
        .args(["query", "--no-embedded", "--timeout", "0.5", "-e"])
        .arg(format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ {values} }} ORDER BY ?n"
        ))
        .assert()
        .code(5)
        .stderr(predicate::str::contains("timeout"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_syntax_error_shows_line_column_and_caret() {
    ffkg()
        .args(["query", "-e", "SELECT ?x\nWHERE { ?x a ff:Figure"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("-e #1:2:23: SPARQL syntax error"))
        .stderr(predicate::str::contains(
            "2 | WHERE { ?x a ff:Figure\n  |                       ^",
        ));
    let file = fixture("people.rq");
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.rq");
    std::fs::write(
        &bad,
        std::fs::read_to_string(file)
            .expect("read")
            .replace("ORDER BY", "ORDER"),
    )
    .expect("write");
    ffkg()
        .arg("query")
        .arg(&bad)
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!("{}:6:", bad.display())));
}

#[test]
fn a_bad_data_file_names_file_line_and_column() {
    ffkg()
        .args(["query", "--data", &arg("bad.ttl"), "-e", "ASK {}"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "{}:4:",
            fixture("bad.ttl").display()
        )));
}

#[test]
fn unknown_formats_list_the_valid_ones() {
    ffkg()
        .args(["query", "--format", "yaml", "-e", "ASK {}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "table, csv, tsv, json, xml, chart, svg, turtle",
        ));
    ffkg()
        .args(["query", "--format", "turtle", "-e", "SELECT * {}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "use one of table, csv, tsv, json, xml",
        ));
    ffkg()
        .args(["query", "--data", "x.yaml", "-e", "ASK {}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--data-format"));
}

#[test]
fn missing_files_are_named() {
    ffkg()
        .args(["query", "no/such/query.rq"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no/such/query.rq"));
    ffkg()
        .args(["query", "--data", "no/such/data.ttl", "-e", "ASK {}"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no/such/data.ttl"));
}

#[test]
fn usage_errors_exit_2() {
    ffkg().args(["query", "--bogus"]).assert().code(2);
    ffkg()
        .args(["query", "--timeout", "-1", "-e", "ASK {}"])
        .assert()
        .code(2);
    ffkg()
        .args(["query", "-e", "ASK {}", "-e", "ASK {}", "-o", "x.csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--output takes one query"));
}

#[cfg(not(feature = "rocksdb"))]
#[test]
fn the_store_needs_the_feature() {
    for args in [
        vec!["query", "--store", "db", "-e", "ASK {}"],
        vec!["load", "--store", "db", "x.nt"],
        vec!["dump", "--store", "db"],
    ] {
        ffkg()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--features rocksdb"));
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("ffkg"))
        .args(["query", "-e", "SELECT * WHERE { ?s ?p ?o }"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let output = child.wait_with_output().expect("exits");
    assert!(
        output.status.success(),
        "{:?} {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn version_names_the_graph() {
    ffkg()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "graph {}",
            ffkg::data::graph::VERSION
        )));
}

#[test]
fn dump_writes_the_dataset_or_the_default_graph() {
    let trig = stdout_of(&["dump"]);
    assert!(
        trig.contains("graph:ontology {"),
        "{}",
        &trig[..200.min(trig.len())]
    );
    let nt = stdout_of(&[
        "dump",
        "--format",
        "nt",
        "--no-embedded",
        "--data",
        &arg("sample.ttl"),
    ]);
    assert_eq!(nt.lines().count(), 9);
    let nq = stdout_of(&[
        "dump",
        "--format",
        "nq",
        "--no-embedded",
        "--data",
        &arg("sample.trig"),
    ]);
    assert!(
        nq.lines()
            .all(|l| l.ends_with("<http://example.org/graph/people> .")),
        "{nq}"
    );
    ffkg().args(["dump", "--format", "csv"]).assert().code(2);
}

fn count(args: &[&str], query: &str) -> u64 {
    let mut all: Vec<&str> = vec!["query", "--format", "csv"];
    all.extend(args);
    all.extend(["-e", query]);
    let out = stdout_of(&all);
    out.lines()
        .nth(1)
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no count in {out}"))
}

#[test]
fn reasoning_is_on_for_the_embedded_graph_and_off_for_your_own_files() {
    let organizations = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a ff:Organization }";
    let inferred = count(&[], organizations);
    let asserted = count(&["--reasoning", "none"], organizations);
    assert!(
        asserted < 10 && inferred > 50,
        "{asserted} asserted, {inferred} inferred"
    );
    // The subclass instances were found by their superclass, not asserted with it.
    assert_eq!(count(&["--reasoning", "rdfs"], organizations), inferred);

    let inferred_graph = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:inferred { ?s ?p ?o } }";
    assert!(count(&[], inferred_graph) > 1000);
    assert_eq!(count(&["--reasoning", "none"], inferred_graph), 0);
    // Inverse properties answer both ways only at the owl level.
    let published = "SELECT (COUNT(*) AS ?n) WHERE { ?org ff:published ?doc }";
    assert!(count(&[], published) > 5);
    assert_eq!(count(&["--reasoning", "rdfs"], published), 0);

    // A user's own files: plain semantics unless asked.
    let sample = arg("sample.ttl");
    let typed = "SELECT (COUNT(*) AS ?n) WHERE { ?p a rdf:Property }";
    assert_eq!(count(&["--no-embedded", "--data", &sample], typed), 0);
    assert!(
        count(
            &["--no-embedded", "--data", &sample, "--reasoning", "rdfs"],
            typed
        ) >= 5
    );
    // With the embedded graph, a user's file is reasoned with the ontology.
    let agents = "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/x> a ff:Agent }";
    let dir = tempfile::tempdir().expect("tempdir");
    let mine = dir.path().join("mine.ttl");
    std::fs::write(
        &mine,
        "<http://example.org/x> a <https://w3id.org/ffkg/ontology#ExtremistGroup> .",
    )
    .expect("write");
    assert_eq!(count(&["--data", &mine.display().to_string()], agents), 1);
    assert_eq!(
        count(
            &["--data", &mine.display().to_string(), "--reasoning", "none"],
            agents
        ),
        0
    );
}

#[test]
fn dumps_and_updates_leave_entailments_out_unless_asked() {
    let nq = stdout_of(&["dump", "--format", "nq"]);
    assert!(!nq.contains("<https://w3id.org/ffkg/graph/inferred>"));
    let nq = stdout_of(&["dump", "--format", "nq", "--reasoning", "owl"]);
    assert!(nq.contains("<https://w3id.org/ffkg/graph/inferred>"));
    ffkg()
        .args(["query", "--reasoning", "maybe", "-e", "ASK {}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("possible values: none, rdfs, owl"));
}

#[test]
fn several_statements_on_stdin_split_where_the_sparql_allows() {
    let input = "SELECT ?x WHERE { BIND(\"a;b\" AS ?x) } ;\n\
                 # a comment ; with a semicolon\n\
                 SELECT (GROUP_CONCAT(?l; separator=\";\") AS ?ls) WHERE { country:TUN rdfs:label ?l }\n\
                 ;\n\
                 SELECT ?y WHERE {\n  ?y a ff:Country ;\n     ff:iso3166Alpha3 \"TUN\" . }\n";
    let out = ffkg()
        .args(["query", "--format", "csv"])
        .write_stdin(input)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).expect("utf-8"),
        "x\r\na;b\r\nls\r\nTunisia\r\ny\r\nhttps://w3id.org/ffkg/id/country/TUN\r\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("ran 3 queries: 0 failed, 3 rows"));
    // An error keeps the line numbers of the whole input; the rest still runs.
    ffkg()
        .args(["query", "--format", "csv"])
        .write_stdin("SELECT ?x WHERE { ?x ?y } ;\n\nASK { ?s ?p ?o }\n")
        .assert()
        .code(3)
        .stdout("true\n")
        .stderr(predicate::str::contains("<stdin>:1:"))
        .stderr(predicate::str::contains("ran 2 queries: 1 failed"));
    ffkg()
        .args(["query"])
        .write_stdin("ASK {} ;\n.format csv\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("REPL dot-command"));
}

#[test]
fn bad_bytes_and_odd_paths_are_errors_not_panics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let binary: Vec<u8> = (0..=255u8).rev().collect();
    let query = dir.path().join("binary.rq");
    std::fs::write(&query, &binary).expect("write");
    ffkg()
        .arg("query")
        .arg(&query)
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "binary.rq: stream did not contain valid UTF-8\n",
        ));
    let data = dir.path().join("binary.ttl");
    std::fs::write(&data, &binary).expect("write");
    ffkg()
        .args(["query", "-e", "ASK {}", "--data"])
        .arg(&data)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("binary.ttl:1:1:"));
    let gz = dir.path().join("not-gzip.ttl.gz");
    std::fs::write(&gz, b"plain text").expect("write");
    ffkg()
        .args(["query", "-e", "ASK {}", "--data"])
        .arg(&gz)
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "not-gzip.ttl.gz: invalid gzip header\n",
        ));
    ffkg()
        .args(["query", "-e", "ASK {}", "-o", "/nonexistent/dir/out.csv"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains(
            "out.csv: No such file or directory (os error 2)\n",
        ));
    ffkg()
        .args(["query", "--timeout", "1e300", "-e", "ASK {}"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("too long a timeout"));
    ffkg()
        .args([
            "query",
            "country-figures",
            "--param",
            "country=<not an iri>",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad parameter value"));
}

#[test]
fn an_update_given_to_query_says_which_command_runs_it() {
    ffkg()
        .args(["query", "-e", "INSERT DATA { ff:a ff:b ff:c }"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "this is an update: run it with `ffkg update`",
        ));
    ffkg()
        .args([
            "update",
            "-o",
            "/dev/null",
            "-f",
            "nt",
            "-e",
            "SELECT * WHERE { ?s ?p ?o }",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "this is a query: run it with `ffkg query`",
        ));
}

#[test]
fn completions_and_the_manual_page() {
    let script = common::stdout_of(&["completions", "bash"]);
    assert!(script.contains("_ffkg()"), "{script}");
    for word in ["serve", "--token-file", "--reasoning"] {
        assert!(script.contains(word), "{word} is not completed");
    }
    let checked = std::process::Command::new("bash")
        .args(["-n", "-c", &script])
        .status()
        .expect("bash runs");
    assert!(checked.success(), "bash -n rejects the script");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(
            !common::stdout_of(&["completions", shell]).is_empty(),
            "{shell}"
        );
    }
    let page = common::stdout_of(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH ffkg 1"),
        "{page}"
    );
    assert!(
        page.contains("ffkg serve"),
        "each subcommand has its section"
    );
    ffkg().args(["completions", "tcsh"]).assert().code(2);
}

/// A name of the graph's own namespaces that the graph does not use gets a warning with the
/// closest one it does use; the answer is the same with the warning or without (--quiet).
#[test]
fn a_misspelt_name_gets_a_warning_and_the_same_answer() {
    let query = "SELECT ?f WHERE { ?f ff:abot country:TUN ; ff:measure measure:returnes }";
    let warned = ffkg().args(["query", "-e", query]).output().expect("runs");
    assert!(warned.status.success());
    let stderr = String::from_utf8_lossy(&warned.stderr);
    assert!(
        stderr.contains("ff:abot is not in the graph — did you mean ff:about?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("measure:returnes is not in the graph — did you mean measure:returnees?"),
        "{stderr}"
    );
    let quiet = ffkg()
        .args(["query", "-q", "-e", query])
        .output()
        .expect("runs");
    assert!(quiet.status.success());
    assert_eq!(String::from_utf8_lossy(&quiet.stderr), "");
    assert_eq!(warned.stdout, quiet.stdout);
    // Far from every name: no guess. Another vocabulary: not checked.
    ffkg()
        .args(["query", "-e", "ASK { country:XYZ foaf:nmae ?n }"])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "country:XYZ is not in the graph, so the patterns that use it match nothing",
        ))
        .stderr(predicates::str::contains("foaf").not());
    // The REPL warns the same way; a correct query, and every library query, draw no warning.
    ffkg()
        .args(["repl"])
        .write_stdin(
            "SELECT ?f WHERE { ?f ff:abot country:TUN };\nASK { ?f ff:about country:TUN };\n",
        )
        .assert()
        .success()
        .stderr(predicates::str::contains("did you mean ff:about?"))
        .stderr(predicates::str::contains("warning").count(1));
    let dir = tempfile::tempdir().expect("a temp dir");
    ffkg()
        .args(["query", "--all", "--out-dir"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicates::str::contains("warning").not());
}

/// A variable a SELECT projects and never binds is warned of, in batch and in the REPL; the
/// answer is the same, and `--quiet` silences the warning.
#[test]
fn a_projected_variable_never_bound_is_warned_of() {
    let query = "SELECT ?country ?labl WHERE { ?country a ff:Country ; rdfs:label ?label } \
                 ORDER BY ?country LIMIT 3";
    let warned = ffkg().args(["query", "-e", query]).output().unwrap();
    let quiet = ffkg()
        .args(["query", "--quiet", "-e", query])
        .output()
        .unwrap();
    assert!(warned.status.success() && quiet.status.success());
    assert_eq!(warned.stdout, quiet.stdout);
    assert_eq!(String::from_utf8_lossy(&warned.stdout).lines().count(), 4);
    let said = String::from_utf8_lossy(&warned.stderr);
    assert!(
        said.contains("warning: ?labl is projected but never bound: its column is empty"),
        "{said}"
    );
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("warning"));
    ffkg()
        .args(["repl"])
        .write_stdin(format!("{query};\n"))
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "?labl is projected but never bound",
        ));
}

/// Several results into one pipe follow one another whole; the summary counts rows and triples
/// apart (a boolean is neither) and says how to get the results apart.
#[test]
fn several_results_in_a_pipe_are_told_how_to_come_apart() {
    let out = ffkg()
        .args(["query", "-e", "ASK {}"])
        .args(["-e", "SELECT ?x WHERE { VALUES ?x { 1 2 } }"])
        .args(["-e", "CONSTRUCT { <http://e/s> <http://e/p> 1 } WHERE {}"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("true\n?x\n1\n2\n"), "{stdout}");
    assert!(stdout.contains("<http://e/s> <http://e/p> 1"), "{stdout}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("ran 3 queries: 0 failed, 2 rows, 1 triple,"),
        "{said}"
    );
    assert!(
        said.contains("--out-dir DIR writes one file each"),
        "{said}"
    );
}

/// The mistakes the parser words poorly get messages that say what is wrong, where.
#[test]
fn an_undeclared_prefix_a_relative_iri_and_an_empty_statement_are_named() {
    ffkg()
        .args(["query", "-e", "SELECT * WHERE { foo:x ?p ?o }"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "-e #1:1:18: SPARQL syntax error: prefix foo: is not declared (declared: ff:, country:",
        ));
    ffkg()
        .args(["query", "-e", "SELECT * WHERE { <a> ?p ?o }"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "-e #1:1:18: SPARQL syntax error: relative IRI <a> needs a base",
        ));
    // With a base, or a PREFIX of its own, the same statements run.
    ffkg()
        .args([
            "query",
            "--base",
            "http://example.org/",
            "-e",
            "ASK { <a> ?p ?o }",
        ])
        .assert()
        .success();
    ffkg()
        .args([
            "query",
            "-e",
            "PREFIX foo: <http://example.org/> ASK { foo:x ?p ?o }",
        ])
        .assert()
        .success();
    for text in ["", "  # only a comment\n"] {
        ffkg()
            .args(["query", "-e", text])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("the statement is empty"));
    }
}

#[test]
fn queries_name_prints_one_querys_documentation_and_text() {
    ffkg()
        .args(["queries", "compare-sources"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "compare-sources — One country's fighters, source by source\n",
        ))
        .stdout(predicate::str::contains("parameters:\n  country "))
        .stdout(predicate::str::contains(
            "run: ffkg query compare-sources --param country=…",
        ))
        .stdout(predicate::str::contains("SELECT ?about ?value"));
    ffkg()
        .args(["queries", "compare-source"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean 'compare-sources'?"));
}

#[test]
fn queries_lists_the_library_as_tsv_into_a_pipe_and_as_asked() {
    let tsv = stdout_of(&["queries"]);
    assert!(tsv.starts_with("name\ttitle\tparameters\n"), "{tsv}");
    assert!(
        tsv.contains("compare-sources\tOne country's fighters, source by source\tcountry\n"),
        "{tsv}"
    );
    let table = stdout_of(&["queries", "--format", "table"]);
    assert!(table.starts_with('┌'), "{table}");
    let csv = stdout_of(&["queries", "-f", "csv", "--long"]);
    assert!(
        csv.starts_with("name,title,parameters,question\r\n"),
        "{csv}"
    );
}

/// `query --explain` and `.explain` print the plan instead of the results: each pattern read
/// from the data with its estimate (its matches alone) and the rows it produced.
#[test]
fn explain_shows_estimated_and_actual_rows_per_step() {
    let query = "SELECT ?c WHERE { ?c a ff:Country ; ff:inRegion region:maghreb }";
    let out = stdout_of(&["query", "--explain", "-e", query]);
    let patterns: Vec<&str> = out.lines().filter(|l| l.contains("QuadPattern(")).collect();
    assert_eq!(patterns.len(), 2, "{out}");
    // Five countries are in the Maghreb; the pattern alone matches those five.
    let region = patterns
        .iter()
        .find(|l| l.contains("region:maghreb"))
        .expect("the region's pattern");
    assert!(region.contains("· est 5 · 5 rows"), "{out}");
    let country = patterns
        .iter()
        .find(|l| l.contains("rdf:type ff:Country"))
        .expect("the class's pattern");
    assert!(
        country.contains("· est ") && !country.contains("est 5 ·"),
        "{out}"
    );
    assert!(out.starts_with("planned in "), "{out}");
    assert!(!out.contains("country:"), "no results: {out}");
    // The REPL's .explain draws the same tree, for a query over several lines too.
    let script = format!(".explain PREFIX x: <https://w3id.org/ffkg/ontology#>\n{query}\n");
    let tree = ffkg()
        .write_stdin(script)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let tree = String::from_utf8(tree).expect("UTF-8");
    assert!(tree.contains("region:maghreb)  · est 5 · 5 rows"), "{tree}");
}
