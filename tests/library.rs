//! The query library from the command line: listing, running by name, parameters, batch runs
//! into a directory with a summary, and a path winning over a name.

mod common;

use common::{ffkg, stdout_of};
use predicates::prelude::*;

#[test]
fn queries_lists_names_titles_and_parameters() {
    let out = stdout_of(&["queries"]);
    assert!(out.contains("top-countries"), "{out}");
    assert!(
        out.contains("Countries that sent the most fighters"),
        "{out}"
    );
    let line = out
        .lines()
        .find(|l| l.contains("country-figures"))
        .expect("listed");
    assert!(line.contains("country"), "{line}");
    let long = stdout_of(&["queries", "--long"]);
    assert!(long.contains("question"), "{long}");
}

#[test]
fn a_library_query_runs_by_name() {
    let out = stdout_of(&["query", "top-countries", "--format", "csv"]);
    assert!(out.starts_with("country,fighters,asOf\r\n"), "{out}");
    assert_eq!(out.lines().count(), 16, "{out}");
}

#[test]
fn parameters_replace_their_default() {
    let default = stdout_of(&["query", "country-figures", "--format", "csv"]);
    assert!(default.contains("https://w3id.org/ffkg/id/country/TUN"));
    let saudi = stdout_of(&[
        "query",
        "country-figures",
        "--param",
        "country=SAU",
        "--format",
        "csv",
    ]);
    assert!(
        saudi
            .lines()
            .skip(1)
            .all(|l| l.starts_with("https://w3id.org/ffkg/id/country/SAU,")),
        "{saudi}"
    );
    let prefixed = stdout_of(&[
        "query",
        "country-figures",
        "--param",
        "country=country:SAU",
        "--format",
        "csv",
    ]);
    assert_eq!(saudi, prefixed);
    ffkg()
        .args(["query", "top-countries", "--param", "country=SAU"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("declares the parameter 'country'"));
    ffkg()
        .args(["query", "country-figures", "--param", "country"])
        .assert()
        .code(2);
}

#[test]
fn a_parameter_value_the_graph_lacks_is_warned_of_and_a_repeated_one_refused() {
    // The answer stays what it is (empty); the warning says what was probably meant.
    ffkg()
        .args(["query", "compare-sources", "--param", "country=sau", "-f", "csv"])
        .assert()
        .success()
        .stdout("about,value,lower,upper,asOf,statedIn,reportedIn,credited\r\n")
        .stderr(predicate::str::contains(
            "queries/compare-sources.rq: country:sau is not in the graph — did you mean country:SAU?",
        ));
    // A known value, and the query's own PREFIX lines, give no warning.
    ffkg()
        .args([
            "query",
            "compare-sources",
            "--param",
            "country=SAU",
            "-f",
            "csv",
        ])
        .assert()
        .success()
        .stderr("");
    ffkg()
        .args(["query", "compare-sources", "--param", "country=TUN"])
        .args(["--param", "country=FRA"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--param country is given twice (TUN, then FRA)",
        ));
}

#[test]
fn unknown_names_and_missing_paths_are_told_apart() {
    ffkg()
        .args(["query", "no-such-query"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`ffkg queries` lists the library"));
    ffkg()
        .args(["query", "missing/query.rq"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("missing/query.rq"));
}

#[test]
fn a_path_that_exists_wins_over_a_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("top-countries"),
        "SELECT ?answer WHERE { BIND(42 AS ?answer) }",
    )
    .expect("write");
    ffkg()
        .current_dir(dir.path())
        .args(["query", "top-countries", "--format", "csv"])
        .assert()
        .success()
        .stdout("answer\r\n42\r\n");
}

#[test]
fn all_queries_run_into_a_directory_past_failures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("results");
    let output = ffkg()
        .args(["query", "--all", "--format", "json", "--out-dir"])
        .arg(&out)
        .args(["-e", "SELECT * WHERE { ?broken }"])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    let library = ffkg::library::LIBRARY.len();
    assert!(
        stderr.contains(&format!("ran {} queries: 1 failed", library + 1)),
        "{stderr}"
    );
    // SELECT and ASK results are JSON; graphs, which JSON cannot hold, are Turtle, with a notice.
    for query in ffkg::library::LIBRARY {
        let json = out.join(format!("{}.srj", query.name));
        let turtle = out.join(format!("{}.ttl", query.name));
        if let Ok(text) = std::fs::read_to_string(&json) {
            assert!(text.starts_with("{\"head\""), "{text}");
        } else {
            assert!(turtle.exists(), "no output for {}", query.name);
            assert!(stderr.contains(&format!(
                "queries/{}.rq: --format json cannot hold",
                query.name
            )));
        }
    }
    assert!(!out.join("expr-1.srj").exists());
}

#[test]
fn a_directory_runs_every_query_in_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("a.rq"), "SELECT ?n WHERE { BIND(1 AS ?n) }").expect("write");
    std::fs::write(
        dir.path().join("b.rq"),
        "CONSTRUCT { ff:x ff:y 2 } WHERE {}",
    )
    .expect("write");
    std::fs::write(dir.path().join("notes.txt"), "not a query").expect("write");
    let out = dir.path().join("out");
    ffkg()
        .arg("query")
        .arg(dir.path())
        .arg("--out-dir")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("ran 2 queries: 0 failed"));
    assert_eq!(
        std::fs::read_to_string(out.join("a.tsv")).expect("a"),
        "?n\n1\n"
    );
    assert!(
        std::fs::read_to_string(out.join("b.ttl"))
            .expect("b")
            .contains("ff:y 2")
    );
}
