//! `ffkg serve` driven by the client libraries users query SPARQL endpoints with: a real server
//! on a free loopback port for each test, and
//! - Python's SPARQLWrapper and rdflib (`tests/clients/test_clients.py`, run by the venv's own
//!   interpreter `target/venv/bin/python`), against a server with `--update` and a token and
//!   against a read-only one;
//! - Comunica (`tests/clients/comunica.mjs`, run by the Node that tests/clients/node_modules
//!   brings, since Comunica 5 needs Node 22 or newer);
//! - Apache Jena's `rsparql` (Debian's libapache-jena-java, on the classpath that
//!   `.ci/clients.sh` writes to target/jena/classpath).
//!
//! `.ci/clients.sh` sets them up. Without them a test says why and passes, unless CI is set.

mod common;

use common::serve::Served;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SETUP: &str = ".ci/clients.sh sets it up";
const TOKEN: &str = "clients-test-token-0123456789abcdef";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The tool at `path`, or `None` after saying why it is missing (a panic under CI).
fn needs(path: PathBuf, what: &str, setup: &str) -> Option<PathBuf> {
    if path.exists() {
        return Some(path);
    }
    let reason = format!("{what}: no {} ({setup})", path.display());
    assert!(
        std::env::var_os("CI").is_none(),
        "cannot run under CI: {reason}"
    );
    eprintln!("skipping: {reason}");
    None
}

/// The venv's own interpreter (never a shim, so its site-packages are the ones used).
fn python() -> Option<PathBuf> {
    needs(
        root().join("target/venv/bin/python"),
        "the Python clients",
        SETUP,
    )
}

/// Asserts that a client run succeeded, with everything it printed (shown either way).
fn assert_ran(what: &str, output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{what} failed ({})\n{stdout}{stderr}",
        output.status
    );
    eprintln!("{what}:\n{stdout}{stderr}");
}

/// test_clients.py against `served`, with the token or without.
fn run_python(python: &Path, served: &Served, token: Option<&str>) -> Output {
    let mut command = Command::new(python);
    command
        .current_dir(root())
        .arg("tests/clients/test_clients.py")
        .env("FFKG_ENDPOINT", &served.base)
        .env_remove("FFKG_TOKEN")
        .env_remove("FFKG_READ_ONLY")
        .env("PYTHONDONTWRITEBYTECODE", "1");
    match token {
        Some(token) => command.env("FFKG_TOKEN", token),
        None => command.env("FFKG_READ_ONLY", "1"),
    };
    command.output().expect("python runs")
}

#[test]
fn python_clients_query_and_update_with_the_token() {
    let Some(python) = python() else { return };
    let mut token_file = tempfile::NamedTempFile::new().expect("a token file");
    writeln!(token_file, "{TOKEN}").expect("the token is written");
    let token_path = token_file.path().to_str().expect("a UTF-8 path");
    let served = Served::start(&["--update", "--token-file", token_path]);
    let output = run_python(&python, &served, Some(TOKEN));
    assert_ran("test_clients.py (--update, with the token)", &output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("skipped 'FFKG_TOKEN"),
        "the updates did not run:\n{stderr}"
    );
    assert!(served.stop().success());
}

#[test]
fn python_clients_against_a_read_only_server() {
    let served = Served::start(&[]);
    let sparql = format!("{}/sparql", served.base);
    // An update gets 403 however it is sent, with a token or without, and changes nothing.
    let insert = "INSERT DATA { GRAPH <http://example.org/g> { <urn:x:s> <urn:x:p> <urn:x:o> } }";
    let form = format!("update={insert}");
    let bearer = format!("Authorization: Bearer {TOKEN}");
    let direct = [
        "-H",
        "Content-Type: application/sparql-update",
        "--data-binary",
        insert,
    ];
    for args in [
        vec![sparql.as_str(), direct[0], direct[1], direct[2], direct[3]],
        vec![
            sparql.as_str(),
            "-H",
            &bearer,
            direct[0],
            direct[1],
            direct[2],
            direct[3],
        ],
        vec![sparql.as_str(), "--data-urlencode", &form],
    ] {
        let (code, body) = served.curl(&args);
        assert_eq!(code, 403, "{args:?}: {body}");
    }
    let (code, body) = served.curl(&[
        "-G",
        &sparql,
        "--data-urlencode",
        "query=ASK { <urn:x:s> ?p ?o }",
    ]);
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("\"boolean\":false"), "{body}");
    if let Some(python) = python() {
        let output = run_python(&python, &served, None);
        assert_ran("test_clients.py (read-only)", &output);
    }
    assert!(served.stop().success());
}

#[test]
fn comunica_queries_the_endpoint_as_a_sparql_source() {
    let modules = root().join("tests/clients/node_modules");
    let Some(_) = needs(modules.join("@comunica/query-sparql"), "Comunica", SETUP) else {
        return;
    };
    let Some(node) = needs(modules.join(".bin/node"), "Node for Comunica", SETUP) else {
        return;
    };
    let served = Served::start(&[]);
    let output = Command::new(node)
        .current_dir(root())
        .arg("tests/clients/comunica.mjs")
        .arg(&served.base)
        .output()
        .expect("node runs");
    assert_ran("comunica.mjs", &output);
    assert!(String::from_utf8_lossy(&output.stdout).contains("comunica: all 3 checks passed"));
    assert!(served.stop().success());
}

/// `rsparql --service BASE/sparql ARGS…` with Debian's Jena.
fn rsparql(classpath: &str, served: &Served, args: &[&str]) -> String {
    let output = Command::new("java")
        .current_dir(root())
        .args(["-cp", classpath, "arq.rsparql", "--service"])
        .arg(format!("{}/sparql", served.base))
        .args(args)
        .output()
        .expect("java runs");
    assert_ran(&format!("rsparql {args:?}"), &output);
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn jena_rsparql_queries_the_endpoint() {
    let setup = "apt-get install libapache-jena-java, then .ci/clients.sh writes it";
    let Some(file) = needs(
        root().join("target/jena/classpath"),
        "Jena's rsparql",
        setup,
    ) else {
        return;
    };
    let classpath = std::fs::read_to_string(file).expect("the classpath");
    let classpath = classpath.trim();
    let served = Served::start(&[]);

    let json = rsparql(
        classpath,
        &served,
        &["--results", "json", "--file", "queries/top-countries.rq"],
    );
    let results: serde_json::Value = serde_json::from_str(&json).expect("SPARQL JSON");
    let rows: Vec<(&str, &str)> = results["results"]["bindings"]
        .as_array()
        .expect("bindings")
        .iter()
        .map(|b| {
            let value = |v: &str| b[v]["value"].as_str().expect("a value");
            (value("country"), value("fighters"))
        })
        .collect();
    assert_eq!(rows.len(), 15);
    assert_eq!(
        rows[..3],
        [
            ("Russia", "3,417"),
            ("Saudi Arabia", "3,244"),
            ("Jordan", "~3,000")
        ]
    );

    let csv = rsparql(
        classpath,
        &served,
        &["--results", "csv", "--file", "queries/top-countries.rq"],
    );
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("country,fighters,asOf"));
    assert_eq!(lines.next(), Some("Russia,\"3,417\",2016-03"));

    let ask = rsparql(
        classpath,
        &served,
        &[
            "ASK { <https://w3id.org/ffkg/id/country/RUS> <http://www.w3.org/2000/01/rdf-schema#label> \"Russia\"@en }",
        ],
    );
    assert_eq!(ask.trim(), "Ask => Yes");

    let ntriples = rsparql(
        classpath,
        &served,
        &[
            "--results",
            "ntriples",
            "CONSTRUCT WHERE { <https://w3id.org/ffkg/id/figure/soufan-2017-rus-foreign-fighters> \
             <https://w3id.org/ffkg/ontology#printedValue> ?v }",
        ],
    );
    assert_eq!(
        ntriples.trim(),
        "<https://w3id.org/ffkg/id/figure/soufan-2017-rus-foreign-fighters> \
         <https://w3id.org/ffkg/ontology#printedValue> \"3,417\" ."
    );
    assert!(served.stop().success());
}

/// The documents of a few resources and of the ontology, as the endpoint serves them.
fn published_documents(served: &Served, dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in [
        "/id/country/TUN",
        "/id/figure/soufan-2017-rus-foreign-fighters",
        "/id/organization/soufan-group",
        "/ontology",
    ] {
        for suffix in ["ttl", "nt", "jsonld", "rdf"] {
            let name = format!(
                "{}.{suffix}",
                path.trim_start_matches('/').replace('/', "-")
            );
            let file = dir.join(name);
            let url = format!("{}{path}.{suffix}", served.base);
            let output = Command::new("curl")
                .args(["-s", "-f", "-o"])
                .arg(&file)
                .arg(&url)
                .output()
                .expect("curl runs");
            assert!(output.status.success(), "GET {url}");
            files.push(file);
        }
    }
    files
}

#[test]
fn published_documents_read_the_same_in_rdflib_and_jena_riot() {
    let served = Served::start(&[]);
    let dir = tempfile::tempdir().expect("a temp dir");
    let files = published_documents(&served, dir.path());
    if let Some(python) = python() {
        let output = Command::new(python)
            .current_dir(root())
            .arg("tests/clients/check_documents.py")
            .args(&files)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .output()
            .expect("python runs");
        assert_ran("check_documents.py", &output);
    }
    let setup = "apt-get install libapache-jena-java, then .ci/clients.sh writes it";
    if let Some(file) = needs(root().join("target/jena/classpath"), "Jena's riot", setup) {
        let classpath = std::fs::read_to_string(file).expect("the classpath");
        // Debian's Jena reads no JSON-LD at all (riot exits 1 without a word, even on a
        // one-triple document): rdflib checks those above.
        let riot_reads = files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e != "jsonld"));
        let output = Command::new("java")
            .args([
                "-cp",
                classpath.trim(),
                "riotcmd.riot",
                "--validate",
                "--strict",
            ])
            .args(riot_reads)
            .output()
            .expect("java runs");
        assert_ran("riot --validate", &output);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("WARN") && !stderr.contains("ERROR"),
            "{stderr}"
        );
    }
    assert!(served.stop().success());
}
