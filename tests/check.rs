//! `ffkg check`: the embedded graph conforms; broken data is reported line by line, with exit 1.

mod common;

use common::{arg, ffkg};
use predicates::prelude::*;

#[test]
fn the_embedded_graph_conforms() {
    ffkg()
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("conforms: "));
}

#[test]
fn violations_are_listed_and_exit_1() {
    let output = ffkg()
        .args(["check", "--data", &arg("check-violations.ttl")])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).expect("utf-8");
    for expected in [
        "figure:test-no-quote ff:quote: a figure carries exactly one verbatim quote",
        "figure:test-no-quote: the bounds do not match the qualifier",
        "figure:test-no-quote ff:upperBound: at most one numeric upper bound (value: \"200\")",
        "figure:test-bad-terms: uses an ff: term the ontology does not declare (value: ff:valueNote)",
        "figure:test-bad-terms: uses an ff: term the ontology does not declare (value: ff:Roughly)",
        "figure:test-bad-terms ff:qualifier: a figure has exactly one qualifier",
        "figure:test-bad-terms: an ill-formed xsd:integer literal",
        "country:ZZZ ff:iso3166Alpha3: a country has exactly one three-letter ISO 3166-1 alpha-3 code",
        "country:ZZZ rdfs:label: needs exactly one language-tagged rdfs:label",
        "11 violation(s) in 3 resource(s)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn the_report_can_be_a_shacl_validation_report() {
    let output = ffkg()
        .args([
            "check",
            "--data",
            &arg("check-violations.ttl"),
            "--format",
            "nt",
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).expect("utf-8");
    assert!(text.contains(
        "<http://www.w3.org/ns/shacl#conforms> \"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>"
    ));
    assert_eq!(
        text.matches("<http://www.w3.org/ns/shacl#ValidationResult>")
            .count(),
        11
    );
    ffkg()
        .args(["check", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("validation report"));
}

/// `check -o report.ttl` writes the SHACL report in the syntax its extension names, the same
/// bytes from run to run (blank nodes `_:report`, `_:result1` …), each result with the
/// constraint component and the shape that found it; an extension that cannot hold a graph is
/// refused.
#[test]
fn an_output_file_gets_a_stable_shacl_report_in_its_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str| {
        let path = dir.path().join(name);
        let out = ffkg()
            .args(["check", "--data", &arg("check-violations.ttl"), "-o"])
            .arg(&path)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        std::fs::read_to_string(&path).expect("written")
    };
    let (first, second) = (write("a.ttl"), write("b.ttl"));
    assert_eq!(first, second, "the same report twice");
    assert!(first.contains("_:report a sh:ValidationReport"), "{first}");
    let graph: Vec<oxigraph::model::Triple> = oxttl::TurtleParser::new()
        .for_slice(&first)
        .collect::<Result<_, _>>()
        .expect("Turtle");
    let with = |predicate: &str| {
        graph
            .iter()
            .filter(|t| t.predicate.as_str() == format!("http://www.w3.org/ns/shacl#{predicate}"))
            .count()
    };
    assert_eq!(with("focusNode"), 11);
    assert_eq!(with("sourceShape"), with("sourceConstraintComponent"));
    assert!(with("sourceConstraintComponent") >= 5, "{first}");
    assert!(first.contains("sh:MinCountConstraintComponent"), "{first}");
    let nt = write("c.nt");
    assert!(
        nt.starts_with("_:report <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"),
        "{nt}"
    );
    ffkg()
        .args(["check", "-o"])
        .arg(dir.path().join("d.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot hold a validation report"));
}

#[test]
fn user_files_are_checked_against_the_ontology_without_the_embedded_graph() {
    ffkg()
        .args([
            "check",
            "--no-embedded",
            "--data",
            &arg("check-violations.ttl"),
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ff:valueNote"));
}
