//! What people read, as snapshots: the help of every command, `ffkg check`'s text report,
//! `.describe` cards, and syntax errors with their carets. A change to any of them shows up
//! in review as a diff of the snapshot (`cargo insta review`).

mod common;

use common::{arg, ffkg};

/// stdout and stderr of a run, whatever its exit code.
fn run(args: &[&str], stdin: Option<&str>) -> (String, String) {
    let mut cmd = ffkg();
    cmd.args(args).env("COLUMNS", "100");
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    let output = cmd.output().expect("ffkg runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn help_of_every_command() {
    for command in [
        "", "query", "update", "load", "repl", "queries", "check", "dump", "serve",
    ] {
        let args: Vec<&str> = [command, "--help"]
            .into_iter()
            .filter(|a| !a.is_empty())
            .collect();
        let (out, _) = run(&args, None);
        let name = if command.is_empty() { "ffkg" } else { command };
        insta::assert_snapshot!(format!("help_{name}"), out);
    }
}

#[test]
fn check_text_report() {
    let (out, _) = run(&["check", "--data", &arg("check-violations.ttl")], None);
    // The size of the embedded graph changes with its data; the violations are the point.
    insta::with_settings!({filters => vec![
        (r"\d+ resources checked against \d+ constraints", "[N] resources checked against [M] constraints"),
    ]}, {
        insta::assert_snapshot!("check_violations", out);
    });
}

#[test]
fn describe_cards() {
    for (name, resource) in [
        ("figure", "figure:soufan-2017-tun-foreign-fighters"),
        ("organization", "organization:soufan-center"),
        ("label", "Tunisia"),
    ] {
        let (out, err) = run(&["repl"], Some(&format!(".describe {resource}\n")));
        assert!(err.is_empty(), "{err}");
        insta::assert_snapshot!(format!("describe_{name}"), out);
    }
}

#[test]
fn syntax_errors_with_carets() {
    for (name, query) in [
        ("unterminated", "SELECT ?x\nWHERE { ?x a ff:Figure"),
        (
            "unexpected_word",
            "SELECT ?x WHERE { ?x ff:about country:TUN } ORDER ?x",
        ),
        (
            "bad_filter",
            "SELECT * {\n  ?f ff:lowerBound ?n .\n  FILTER(?n > )\n}",
        ),
        (
            "update_given_to_query",
            "INSERT DATA { country:TUN ff:note \"x\" }",
        ),
        (
            "too_deep",
            &format!("SELECT * WHERE {}{}", "{".repeat(3000), "}".repeat(3000)),
        ),
    ] {
        let (_, err) = run(&["query", "-e", query], None);
        insta::assert_snapshot!(format!("syntax_{name}"), err);
    }
}
