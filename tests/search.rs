//! Full-text search as a user meets it: `.find` ranked by the index, the `ff:textMatch` and
//! `ff:textScore` functions in batch queries and on the endpoint, over the embedded graph and
//! over a user's own files and updates.

mod common;

use common::serve::Served;
use common::{ffkg, stdout_of};
use ffkg::data::Dataset;
use ffkg::data::prebuilt::Prebuilt;
use ffkg::infer::Reasoning;
use oxigraph::sparql::CancellationToken;
use std::fs;

/// The first column of each row of TSV answers whose rows start with an IRI (headers and
/// other lines dropped).
fn first_column(tsv: &str) -> Vec<String> {
    tsv.lines()
        .filter(|line| line.starts_with('<'))
        .map(|line| line.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

fn repl(args: &[&str], input: &str) -> (String, String) {
    let output = ffkg()
        .arg("repl")
        .args(args)
        .write_stdin(input)
        .output()
        .expect("ffkg runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn find_ranks_names_first_and_ignores_case_and_diacritics() {
    let (out, err) = repl(&[], ".find TÜRKIYE\n.find turkiye\n");
    assert!(err.is_empty(), "{err}");
    let rows = first_column(&out);
    // Both searches find Turkey by its alias, and only Turkey.
    let turkey = "<https://w3id.org/ffkg/id/country/TUR>";
    assert_eq!(rows.iter().filter(|r| *r == turkey).count(), 2, "{out}");
    assert!(out.contains("skos/core#altLabel"), "{out}");

    // A name holding the word ranks above texts that only mention it.
    let (out, _) = repl(&[], ".find raqqa\n");
    let rows = first_column(&out);
    assert_eq!(rows[0], "<https://w3id.org/ffkg/id/place/raqqa>", "{out}");
    assert!(
        rows.len() > 3,
        "comments and quotes that mention Raqqa: {out}"
    );

    // Every word must occur; a trailing star takes the words that start with it.
    let (out, _) = repl(&[], ".find return* tunisia\n");
    assert_eq!(
        first_column(&out)[0],
        "<https://w3id.org/ffkg/id/figure/soufan-2017-tun-returnees>",
        "{out}"
    );
    let (out, _) = repl(&[], ".find tunisia zzzunheard\n");
    assert_eq!(first_column(&out), Vec::<String>::new(), "{out}");
    let (_, err) = repl(&[], ".find -- **\n");
    assert!(err.contains("has none"), "{err}");
}

#[test]
fn the_functions_search_any_literal_in_a_query_without_a_warning() {
    let output = ffkg()
        .args([
            "query",
            "--expr",
            "SELECT ?figure ?score WHERE { ?figure ff:quote ?q \
             FILTER(ff:textMatch(?q, \"Americans\")) \
             BIND(ff:textScore(?q, \"Americans\") AS ?score) } ORDER BY DESC(?score)",
        ])
        .output()
        .expect("ffkg runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let out = String::from_utf8_lossy(&output.stdout);
    // As many as a case-insensitive substring match over the same quotes finds.
    let expected = stdout_of(&[
        "query",
        "--expr",
        "SELECT (COUNT(*) AS ?n) WHERE { ?figure ff:quote ?q \
         FILTER(REGEX(?q, \"\\\\bamericans\\\\b\", \"i\")) }",
    ]);
    let n: usize = expected.lines().nth(1).unwrap().trim().parse().unwrap();
    assert!(n > 0);
    assert_eq!(first_column(&out).len(), n, "{out}");
    let scores: Vec<f64> = out
        .lines()
        .skip(1)
        .map(|l| {
            let value = l.split('\t').nth(1).unwrap();
            value
                .trim_matches('"')
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn a_users_files_and_updates_are_searched() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("places.ttl");
    fs::write(
        &file,
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         <http://example.org/cafe> rdfs:label \"Café Zanzibar\" .\n\
         <http://example.org/pier> rdfs:comment \"The pier by the Café\" .\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    let (out, err) = repl(
        &["--no-embedded", "--data", file],
        ".find cafe\n\
         INSERT DATA { <http://example.org/pemba> <http://www.w3.org/2000/01/rdf-schema#label> \"Pemba\" } ;\n\
         .find pemba\n",
    );
    assert!(!err.contains("ffkg:") && !err.contains("warning"), "{err}");
    let rows = first_column(&out);
    assert_eq!(
        rows,
        [
            "<http://example.org/cafe>",
            "<http://example.org/pier>",
            "<http://example.org/pemba>"
        ],
        "the label first, the comment after; the update's label found: {out}"
    );
}

#[test]
fn the_endpoint_searches_and_says_so() {
    let served = Served::start(&[]);
    let sparql = format!("{}/sparql", served.base);
    let (code, body) = served.curl(&[
        "-G",
        &sparql,
        "--data-urlencode",
        "query=SELECT ?c WHERE { ?c skos:altLabel ?l FILTER(ff:textMatch(?l, \"turkiye\")) }",
        "-H",
        "Accept: text/csv",
    ]);
    assert_eq!(code, 200, "{body}");
    assert_eq!(
        body.replace('\r', ""),
        "c\nhttps://w3id.org/ffkg/id/country/TUR\n"
    );
    let (code, body) = served.curl(&[&sparql, "-H", "Accept: application/n-triples"]);
    assert_eq!(code, 200);
    assert!(
        body.contains(
            "<http://www.w3.org/ns/sparql-service-description#extensionFunction> \
             <https://w3id.org/ffkg/ontology#textScore>"
        ),
        "{body}"
    );
    assert!(served.stop().success());
}

#[test]
fn the_compiled_index_is_the_one_the_graph_gives_at_every_reasoning_level() {
    let compiled = ffkg::search::embedded().expect("build.rs writes the index");
    assert!(compiled.len() > 1000, "{}", compiled.len());
    for level in [Reasoning::None, Reasoning::Rdfs, Reasoning::Owl] {
        let dataset = Dataset::from_prebuilt(Prebuilt::with_reasoning(level));
        let read = dataset
            .read_text_index(&CancellationToken::new(), "test")
            .unwrap();
        assert!(*compiled == read, "{level:?}: {} texts read", read.len());
    }
}
