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

/// A parameter that takes a resource may be given its label or alias, as `.describe` takes
/// one: `--param resource=Daesh`, `country=Tunisia`, `.run describe Daesh`. A code the graph has
/// stays a code, a literal parameter stays a literal, and a label two resources share is
/// refused with both.
#[test]
fn a_parameter_may_name_a_resource_by_its_label() {
    let run = |args: &[&str]| ffkg().args(args).output().expect("runs");
    let by_label = run(&["query", "describe", "--param", "resource=Daesh"]);
    let by_name = run(&[
        "query",
        "describe",
        "--param",
        "resource=organization:islamic-state",
    ]);
    assert!(by_label.status.success(), "{by_label:?}");
    assert_eq!(by_label.stdout, by_name.stdout);
    assert!(
        String::from_utf8_lossy(&by_label.stderr)
            .contains("note: resource=Daesh is organization:islamic-state, by its label"),
        "{by_label:?}"
    );
    assert_eq!(
        run(&["query", "country-figures", "--param", "country=Tunisia"]).stdout,
        run(&["query", "country-figures", "--param", "country=TUN"]).stdout
    );
    let code = run(&["query", "country-figures", "--param", "country=SAU"]);
    assert!(
        !String::from_utf8_lossy(&code.stderr).contains("note:"),
        "{code:?}"
    );
    let literal = run(&["query", "table-row", "--param", "row=Belgium"]);
    assert!(
        !String::from_utf8_lossy(&literal.stderr).contains("note:"),
        "{literal:?}"
    );
    ffkg()
        .arg("repl")
        .write_stdin(".run describe Daesh\n")
        .assert()
        .success()
        .stdout(predicates::str::contains("organization:islamic-state"))
        .stderr(predicates::str::contains("by its label"));
    let dir = tempfile::tempdir().unwrap();
    let twins = dir.path().join("twins.ttl");
    std::fs::write(
        &twins,
        "<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"Twin\" .\n\
         <http://example.org/b> <http://www.w3.org/2000/01/rdf-schema#label> \"twin\" .\n",
    )
    .unwrap();
    ffkg()
        .args(["query", "describe", "--param", "resource=Twin", "--data"])
        .arg(&twins)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "'Twin' is the label of 2 resources",
        ))
        .stderr(predicates::str::contains("example.org/b"));
}
