//! Helpers shared by the integration tests: the binary under test and fixture paths.

#![allow(dead_code)]

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
