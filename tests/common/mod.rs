//! Helpers shared by the integration tests: the binary under test and fixture paths.

#![allow(dead_code)]

pub mod dataset;
pub mod library;
pub mod pty;
pub mod serve;

use assert_cmd::Command;
use std::path::PathBuf;

/// The `ffkg` binary built for these tests.
pub fn ffkg() -> Command {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("ffkg"));
    cmd.env_remove("NO_COLOR").env("HOME", std::env::temp_dir());
    cmd
}

/// A fixture under tests/data.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// The fixture's path as a string, for arguments.
pub fn arg(name: &str) -> String {
    fixture(name).display().to_string()
}

/// Runs ffkg and returns stdout, asserting success.
pub fn stdout_of(args: &[&str]) -> String {
    let output = ffkg().args(args).output().expect("ffkg runs");
    assert!(
        output.status.success(),
        "ffkg {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// The shapes of deep nesting: groups, parentheses, chained operators, property paths.
pub fn nested(kind: &str, n: usize) -> String {
    match kind {
        "groups" => format!(
            "SELECT * WHERE {} ?s ?p ?o {}",
            "{".repeat(n),
            "}".repeat(n)
        ),
        "parentheses" => format!("SELECT ({}1{} AS ?x) {{}}", "(".repeat(n), ")".repeat(n)),
        "operators" => format!("SELECT ({} AS ?x) {{}}", vec!["1"; n].join(" + ")),
        "unions" => format!(
            "SELECT * {{ {} }}",
            vec!["{ BIND(1 AS ?x) }"; n].join(" UNION ")
        ),
        "paths" => format!("ASK {{ ?s {}ff:about{} ?o }}", "(".repeat(n), ")".repeat(n)),
        "update" => format!(
            "INSERT {{ <http://e/a> <http://e/b> <http://e/c> }} WHERE {}{}",
            "{".repeat(n),
            "}".repeat(n)
        ),
        other => panic!("no such shape {other}"),
    }
}

pub const SHAPES: [&str; 5] = ["groups", "parentheses", "operators", "unions", "paths"];
