//! A user's file read on every core (cut into pieces parsed apart) holds exactly what one
//! sequential parse of it gives — oxigraph's loader into a store — however the file is written:
//! blank node labels used across pieces, directives in the middle, dots in strings, comments,
//! names and numbers; and an error anywhere is still reported at its line and column.

mod common;

use assert_cmd::Command;
use common::dataset::{dump, rows};
use ffkg::data::dataset::Dataset;
use ffkg::data::graph::DatasetSpec;
use ffkg::infer::Reasoning;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Enough statements for several pieces (the reader gives a thread at least 32 KiB).
const STATEMENTS: usize = 3000;

fn turtle() -> String {
    let mut text =
        String::from("@prefix ex: <http://example.org/> .\n# a header . <x> <y> <z> .\n");
    for i in 0..STATEMENTS {
        let node = i % 37;
        match i % 6 {
            0 => writeln!(text, "_:n{node} ex:val {i} ; ex:w \"w{i}\" .").unwrap(),
            1 => writeln!(
                text,
                "ex:s{i} ex:text \"\"\"a long . <http://ex/a> <http://ex/b> <http://ex/c> .\n\
                 line {i} . \"\"\" , 'it\\'s . ' ; ex:n 1.5, 2 ."
            )
            .unwrap(),
            2 => writeln!(
                text,
                "# comment {i} . <http://ex/d> <http://ex/e> <http://ex/f> .\n\
                 ex:a.b{i} ex:c\\.d [ ex:in _:n{node} ; ex:list ( 1 \"two . \" ex:three ) ] ."
            )
            .unwrap(),
            3 => writeln!(text, "<rel/{i}> ex:p <#frag{i}> ; a ex:Thing .").unwrap(),
            4 => writeln!(text, "ex:s{i} ex:lang \"été . {i}\"@fr, \"x\\\" . \"@en .").unwrap(),
            _ => writeln!(text, "ex:s{i} ex:to _:n{node} .").unwrap(),
        }
        // Directives in the middle change what later statements mean.
        if i == STATEMENTS / 3 {
            text.push_str("@prefix ex: <http://other.example/> .\n");
        }
        if i == STATEMENTS / 2 {
            text.push_str("BASE <http://base.example/dir/>\nPREFIX q: <http://q.example/>\n");
        }
        if i > STATEMENTS / 2 && i % 100 == 0 {
            writeln!(text, "q:x{i} ex:p <relative> .").unwrap();
        }
        // A directive right after a dot, a SPARQL one with no space, a comment ended by a lone
        // carriage return: each must still change what follows it.
        if i == 2 * STATEMENTS / 3 {
            text.push_str("ex:s ex:p ex:o .# note\n@base <http://after-dot.example/> .\n");
            text.push_str(
                "BASE<http://no-space.example/>\n# c\r@prefix q: <http://q2.example/> .\n",
            );
        }
    }
    text
}

fn ntriples(quads: bool) -> String {
    let mut text = String::new();
    for i in 0..STATEMENTS * 2 {
        let graph = if quads && i % 3 == 0 {
            " <http://example.org/g>"
        } else {
            ""
        };
        writeln!(
            text,
            "_:b{} <http://example.org/p> \"v {i} . \\n _:b1 <x> <y> .\"{graph} .\n\
             # a comment . <http://example.org/c> <http://example.org/c> <http://example.org/c> .\n\
             <http://example.org/s{i}> <http://example.org/q> _:b{}{graph} .",
            i % 41,
            (i * 7) % 41
        )
        .unwrap();
    }
    text
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn spec(files: Vec<PathBuf>, named: Vec<PathBuf>, embedded: bool) -> DatasetSpec {
    DatasetSpec {
        embedded,
        data: files,
        named,
        data_format: None,
        reasoning: Reasoning::None,
    }
}

/// What each blank node is linked to, node by node: a blank node is one node wherever its label
/// occurs in the file.
fn blank_nodes(dataset: &Dataset) -> Vec<Vec<String>> {
    let mut nodes = std::collections::BTreeMap::<String, Vec<String>>::new();
    for row in rows(
        dataset,
        "SELECT ?b ?p ?o WHERE { ?b ?p ?o FILTER isBlank(?b) }",
    ) {
        let (node, rest) = row.split_once(' ').unwrap();
        let rest = rest
            .split(' ')
            .map(|w| if w.starts_with("?o=_:") { "?o=_:b" } else { w })
            .collect::<Vec<_>>()
            .join(" ");
        nodes.entry(node.to_owned()).or_default().push(rest);
    }
    let mut shapes: Vec<Vec<String>> = nodes
        .into_values()
        .map(|mut links| {
            links.sort();
            links
        })
        .collect();
    shapes.sort();
    shapes
}

fn same_as_one_sequential_parse(spec: &DatasetSpec) {
    // Each file was cut into pieces, and none had to be read again.
    let reading =
        ffkg::data::reader::read(spec, &mut ffkg::data::index::Builder::new()).expect("reads");
    let files = spec.data.len() + spec.named.len();
    assert_eq!(reading.reread, 0, "{reading:?}");
    assert!(reading.pieces >= 2 * files, "{reading:?}");
    let pieces = Dataset::build(spec).expect("the index builds");
    let store = Dataset::from_store(ffkg::data::graph::build(spec).expect("the store builds"));
    let (a, b) = (dump(&pieces), dump(&store));
    assert_eq!(a.len(), b.len(), "quads");
    assert!(
        a == b,
        "first difference: {:?}",
        a.iter().zip(&b).find(|(x, y)| x != y)
    );
    assert!(blank_nodes(&pieces) == blank_nodes(&store), "blank nodes");
}

#[test]
fn turtle_in_pieces_is_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = turtle();
    assert!(
        text.len() > 4 * 32 * 1024,
        "{} bytes is too small to cut",
        text.len()
    );
    let ttl = write(dir.path(), "tricky.ttl", &text);
    same_as_one_sequential_parse(&spec(vec![ttl.clone()], vec![], false));
    // The same file as a --named graph, and beside the embedded graph.
    same_as_one_sequential_parse(&spec(vec![], vec![ttl.clone()], false));
    same_as_one_sequential_parse(&spec(vec![ttl], vec![], true));
}

#[test]
fn line_based_files_in_pieces_are_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let nt = write(dir.path(), "lines.nt", &ntriples(false));
    let nq = write(dir.path(), "lines.nq", &ntriples(true));
    same_as_one_sequential_parse(&spec(vec![nt.clone(), nq.clone()], vec![], false));
    // Beside the embedded graph the N-Quads file's named graph joins the default graph too.
    same_as_one_sequential_parse(&spec(vec![nq.clone()], vec![], true));
    same_as_one_sequential_parse(&spec(vec![], vec![nq, nt], false));
    // Two files' blank nodes stay apart although their labels are the same.
    let two = write(dir.path(), "again.nt", &ntriples(false));
    let pieces = Dataset::build(&spec(
        vec![two.clone(), write(dir.path(), "b.nt", &ntriples(false))],
        vec![],
        false,
    ))
    .unwrap();
    let blanks = rows(
        &pieces,
        "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE { ?b ?p ?o FILTER isBlank(?b) }",
    );
    assert_eq!(
        blanks,
        ["?n=\"82\"^^<http://www.w3.org/2001/XMLSchema#integer>"]
    );
}

#[test]
fn gzipped_files_are_read_in_pieces_too() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let text = ntriples(false);
    let path = dir.path().join("lines.nt.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(std::fs::File::create(&path).unwrap(), Default::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap();
    same_as_one_sequential_parse(&spec(vec![path], vec![], false));
}

/// An error late in a large file, which one of the pieces meets, is reported where it is in the
/// file, as one sequential parse reports it.
#[test]
fn an_error_in_a_piece_is_reported_at_its_place_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = turtle();
    // (The parser counts a lone carriage return as a line break, as Turtle does.)
    let line = text.split(['\n', '\r']).count();
    text.push_str("ex:s ex:p ex:o ; ; ex:bad \"unterminated .\n");
    text.push_str(&turtle().replace("@prefix ex: <http://example.org/> .\n", ""));
    let ttl = write(dir.path(), "bad.ttl", &text);
    let mut nt = ntriples(false);
    let nt_line = nt.lines().count() + 1;
    nt.push_str("<http://example.org/s> <http://example.org/p> oops .\n");
    nt.push_str(&ntriples(false));
    let nt = write(dir.path(), "bad.nt", &nt);
    for (path, line) in [(ttl, line), (nt, nt_line)] {
        let out = Command::cargo_bin("ffkg")
            .unwrap()
            .args(["query", "--no-embedded", "--data"])
            .arg(&path)
            .args(["-e", "ASK {}"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let at = format!("{}:{line}:", path.display());
        assert!(stderr.contains(&at), "expected {at} in {stderr}");
    }
}
