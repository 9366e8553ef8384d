//! What both W3C harnesses share (tests/w3c.rs over files, tests/w3c_protocol.rs over HTTP):
//! where the vendored suites are, the expected-failures list and its rules, and the counts of
//! the report's table.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("w3c")
}

/// `IRI reason…` per line; `#` starts a comment line.
pub fn read_expected_failures(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut entries = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (iri, reason) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(format!(
                "{}:{}: {iri} has no reason: say why it fails",
                path.display(),
                number + 1
            ));
        }
        if entries.insert(iri.to_owned(), reason.to_owned()).is_some() {
            return Err(format!(
                "{}:{}: {iri} is listed twice",
                path.display(),
                number + 1
            ));
        }
    }
    Ok(entries)
}

/// A row of the report's table.
#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub tests: usize,
    pub passed: usize,
    pub failed: usize,
    pub expected: usize,
    pub skipped: usize,
}

impl Counts {
    pub fn add(&mut self, other: Self) {
        self.tests += other.tests;
        self.passed += other.passed;
        self.failed += other.failed;
        self.expected += other.expected;
        self.skipped += other.skipped;
    }
}

/// One row, its label padded to `width`.
pub fn counts_line(out: &mut String, label: &str, width: usize, c: Counts) {
    let _ = writeln!(
        out,
        "{label:<width$} {:>6} {:>7} {:>8} {:>9} {:>8}",
        c.tests, c.passed, c.expected, c.failed, c.skipped
    );
}

#[test]
fn expected_failures_need_reasons() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("list.txt");
    std::fs::write(&path, "# c\nhttp://example/t1 upstream bug\n").expect("write");
    let list = read_expected_failures(&path).expect("valid list");
    assert_eq!(
        list.get("http://example/t1").map(String::as_str),
        Some("upstream bug")
    );
    std::fs::write(&path, "http://example/t2\n").expect("write");
    assert!(read_expected_failures(&path).is_err());
    std::fs::write(&path, "http://example/t3 a\nhttp://example/t3 b\n").expect("write");
    assert!(read_expected_failures(&path).is_err());
}
