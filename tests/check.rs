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
