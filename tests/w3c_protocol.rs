//! The W3C SPARQL 1.1 Protocol, Graph Store Protocol and Service Description test suites
//! (vendored under `tests/w3c/sparql11/`) run over HTTP against a real `ffkg serve`, one
//! server per suite. Known failures are listed with their reasons in
//! `tests/w3c/protocol-expected-failures.txt`: a failure missing from that list fails the
//! test, and so does a listed test that now passes.

mod common;
#[path = "w3c/http_check.rs"]
mod http_check;
#[path = "w3c/http_client.rs"]
mod http_client;
#[path = "w3c/http_manifest.rs"]
mod http_manifest;
#[path = "w3c/http_run.rs"]
mod http_run;
#[path = "w3c/report.rs"]
mod report;

use http_manifest::HttpManifest;
use http_run::{Outcome, Server};
use report::{Counts, counts_line, read_expected_failures, root};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

/// The suites run, by their top-level manifest under `tests/w3c/`.
const SUITES: &[(&str, &str)] = &[
    ("SPARQL 1.1 protocol", "sparql11/protocol/manifest.ttl"),
    (
        "SPARQL 1.1 graph store protocol",
        "sparql11/graph-store-protocol/manifest.ttl",
    ),
    (
        "SPARQL 1.1 service description",
        "sparql11/service-description/manifest.ttl",
    ),
];

/// The tests the vendored manifests list (34 + 13 + 3): fewer means the harness lost some.
const TESTS: usize = 50;

/// What the report lists after the table.
#[derive(Default)]
struct Findings {
    unexpected: Vec<(String, String, String)>,
    expected: Vec<(String, String, String)>,
    fixed: Vec<(String, String)>,
    skipped: Vec<(String, String, String)>,
}

#[test]
fn w3c_protocol_test_suites() {
    let start = Instant::now();
    let root = root();
    let expected_path = root.join("protocol-expected-failures.txt");
    let listed = read_expected_failures(&expected_path).unwrap_or_else(|e| panic!("{e}"));

    let mut report = String::new();
    let _ = writeln!(
        report,
        "W3C SPARQL 1.1 protocol suites over HTTP against `ffkg serve --no-embedded --update`\n"
    );
    let _ = writeln!(
        report,
        "{:<52} {:>6} {:>7} {:>8} {:>9} {:>8}",
        "suite / manifest", "tests", "passed", "expected", "failed", "skipped"
    );
    let _ = writeln!(
        report,
        "{:<52} {:>6} {:>7} {:>8} {:>9} {:>8}",
        "", "", "", "failures", "(new)", ""
    );
    let mut findings = Findings::default();
    let mut seen = BTreeSet::new();
    let mut total = Counts::default();
    for (suite, top) in SUITES {
        let manifests: Vec<HttpManifest> = http_manifest::read_suite(&root, &root.join(top))
            .unwrap_or_else(|e| panic!("cannot read the {suite} manifests: {e:#}"));
        // A fresh server per suite: a suite's leftovers cannot reach the next one.
        let server = Server::start();
        let mut suite_counts = Counts::default();
        let mut lines = String::new();
        for manifest in &manifests {
            let mut counts = Counts::default();
            for test in &manifest.tests {
                seen.insert(test.id.clone());
                counts.tests += 1;
                let outcome = http_run::run(&server, test);
                let reason = listed.get(&test.id);
                let entry =
                    |message: &str| (test.id.clone(), test.name.clone(), message.to_owned());
                match (outcome, reason) {
                    (Outcome::Passed, None) => counts.passed += 1,
                    (Outcome::Passed, Some(_)) => {
                        counts.passed += 1;
                        findings.fixed.push((test.id.clone(), test.name.clone()));
                    }
                    (Outcome::Failed(_), Some(reason)) => {
                        counts.expected += 1;
                        findings.expected.push(entry(reason));
                    }
                    (Outcome::Failed(message), None) => {
                        counts.failed += 1;
                        findings.unexpected.push(entry(&message));
                    }
                    (Outcome::Skipped(why), _) => {
                        counts.skipped += 1;
                        findings.skipped.push(entry(&why));
                    }
                }
            }
            counts_line(&mut lines, &format!("  {}", manifest.file), 52, counts);
            suite_counts.add(counts);
        }
        counts_line(&mut report, suite, 52, suite_counts);
        report.push_str(&lines);
        total.add(suite_counts);
        // SIGTERM, and the server exits 0: the suite left no request hanging.
        assert!(
            server.stop().success(),
            "the {suite} server did not stop cleanly"
        );
    }
    counts_line(&mut report, "all suites", 52, total);
    let stale: Vec<&String> = listed.keys().filter(|id| !seen.contains(*id)).collect();
    write_findings(&mut report, &findings, &stale);
    let _ = writeln!(report, "\n{:.1} s", start.elapsed().as_secs_f64());

    // The report is in the test's output (`-- --nocapture` shows it on success) and on disk.
    let report_path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("w3c-protocol-report.txt");
    let _ = std::fs::write(&report_path, &report);
    println!("{report}");
    println!("(report written to {})", report_path.display());
    assert_eq!(
        total.tests, TESTS,
        "the harness read a different number of tests"
    );
    assert!(
        findings.unexpected.is_empty() && findings.fixed.is_empty() && stale.is_empty(),
        "{} unexpected failures, {} listed failures now passing, {} listed tests not found: see \
         the report above",
        findings.unexpected.len(),
        findings.fixed.len(),
        stale.len()
    );
}

fn write_findings(report: &mut String, findings: &Findings, stale: &[&String]) {
    if !findings.skipped.is_empty() {
        let _ = writeln!(report, "\nSkipped ({}):", findings.skipped.len());
        for (id, name, why) in &findings.skipped {
            let _ = writeln!(report, "  {id} ({name}): {why}");
        }
    }
    let _ = writeln!(
        report,
        "\nExpected failures ({}), listed in tests/w3c/protocol-expected-failures.txt:",
        findings.expected.len()
    );
    for (id, name, reason) in &findings.expected {
        let _ = writeln!(report, "  {id} ({name})\n      {reason}");
    }
    if !findings.unexpected.is_empty() {
        let _ = writeln!(
            report,
            "\nUNEXPECTED FAILURES ({}):",
            findings.unexpected.len()
        );
        for (id, name, message) in &findings.unexpected {
            let _ = writeln!(report, "  {id} ({name})");
            for line in message.lines() {
                let _ = writeln!(report, "      {line}");
            }
        }
    }
    if !findings.fixed.is_empty() {
        let _ = writeln!(
            report,
            "\nLISTED AS EXPECTED FAILURES BUT PASSING NOW ({}): remove them from the list",
            findings.fixed.len()
        );
        for (id, name) in &findings.fixed {
            let _ = writeln!(report, "  {id} ({name})");
        }
    }
    if !stale.is_empty() {
        let _ = writeln!(
            report,
            "\nLISTED AS EXPECTED FAILURES BUT NOT IN ANY SUITE ({}):",
            stale.len()
        );
        for id in stale {
            let _ = writeln!(report, "  {id}");
        }
    }
}

#[test]
fn responses_parse_with_either_framing() {
    let plain = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";
    let response = http_client::parse_response(plain, false).expect("parses");
    assert_eq!(
        (response.status, response.body.as_slice()),
        (200, &b"hello"[..])
    );
    assert_eq!(response.media_type().as_deref(), Some("text/plain"));
    let chunked = b"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2;x=y\r\nlo\r\n0\r\n\r\n";
    let response = http_client::parse_response(chunked, false).expect("parses");
    assert_eq!(
        (response.status, response.body.as_slice()),
        (201, &b"hello"[..])
    );
    let head = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
    assert!(
        http_client::parse_response(head, true)
            .expect("parses")
            .body
            .is_empty()
    );
}
