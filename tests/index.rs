//! `ffkg index` and `--index`: the files' index written to disk answers as the same files given
//! with `--no-embedded --data` do, keeps literals as written, and a damaged, truncated or foreign
//! file is refused with an error that says so (exit 3), never a panic.

mod common;

use common::{arg, ffkg, stdout_of};
use std::path::Path;

const QUERIES: &[&str] = &[
    "SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT *) AS ?d) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } ORDER BY ?p ?o",
    "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p",
];

fn build(out: &Path, files: &[String], extra: &[&str]) {
    let mut args = vec!["index".to_owned()];
    args.extend(files.iter().cloned());
    args.extend(["--out".to_owned(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let output = ffkg().args(&args).output().expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("indexed ") && said.contains("quads/s"),
        "{said}"
    );
}

#[test]
fn an_index_answers_as_the_files_do() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("sample.ffx");
    let files = [arg("sample.ttl"), arg("sample.nq")];
    build(&index, &files, &[]);
    let index_arg = index.display().to_string();
    for query in QUERIES {
        let from_index = stdout_of(&["query", "--index", &index_arg, "-e", query]);
        let mut direct = vec!["query", "--no-embedded"];
        for file in &files {
            direct.extend(["--data", file.as_str()]);
        }
        direct.extend(["-e", query]);
        assert_eq!(from_index, stdout_of(&direct), "{query}");
        assert!(from_index.lines().count() > 1, "{query}: {from_index}");
    }
}

#[test]
fn an_index_keeps_its_reasoning_level_and_literals_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("numbers.ttl");
    std::fs::write(
        &data,
        "@prefix ex: <http://example.org/> .\n\
         @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         ex:a ex:n \"01\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n\
         ex:a a ex:Sub . ex:Sub rdfs:subClassOf ex:Super .\n",
    )
    .unwrap();
    let index = dir.path().join("numbers.ffx");
    build(
        &index,
        &[data.display().to_string()],
        &["--reasoning", "rdfs"],
    );
    let index = index.display().to_string();
    let number = stdout_of(&[
        "query",
        "--index",
        &index,
        "-e",
        "SELECT ?n WHERE { <http://example.org/a> <http://example.org/n> ?n }",
    ]);
    // A store would give `1`.
    assert_eq!(number, "?n\n01\n");
    let types = stdout_of(&[
        "query",
        "--index",
        &index,
        "-e",
        "ASK { <http://example.org/a> a <http://example.org/Super> }",
    ]);
    assert_eq!(types.trim(), "true");
}

#[test]
fn damaged_truncated_and_foreign_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("x.ffx");
    build(&index, &[arg("sample.ttl")], &[]);
    let whole = std::fs::read(&index).unwrap();
    let mut flipped = whole.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 1;
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("flipped", flipped, "checksum mismatch"),
        ("truncated", whole[..whole.len() - 9].to_vec(), "truncated"),
        ("empty", Vec::new(), "not an ffkg index"),
        (
            "n-triples",
            b"<a> <b> <c> .\n".to_vec(),
            "not an ffkg index",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(format!("{name}.ffx"));
        std::fs::write(&path, bytes).unwrap();
        let output = ffkg()
            .args([
                "query",
                "--index",
                &path.display().to_string(),
                "-e",
                "ASK {}",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{name}: {stderr}");
        assert!(
            stderr.contains(expected) && stderr.contains(&format!("{name}.ffx")),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    let missing = ffkg()
        .args(["query", "--index", "/nonexistent/x.ffx", "-e", "ASK {}"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(4));
}

#[test]
fn a_bad_file_leaves_the_old_index_whole_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("x.ffx");
    build(&index, &[arg("sample.ttl")], &[]);
    let before = std::fs::read(&index).unwrap();
    let output = ffkg()
        .args([
            "index",
            &arg("bad.ttl"),
            "--out",
            &index.display().to_string(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("bad.ttl:"), "{stderr}");
    assert_eq!(std::fs::read(&index).unwrap(), before);
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn index_takes_no_local_data_beside_it() {
    for extra in [
        vec!["--data", "x.ttl"],
        vec!["--no-embedded"],
        vec!["--reasoning", "owl"],
    ] {
        let mut args = vec!["query", "--index", "x.ffx"];
        args.extend(extra.iter().copied());
        args.extend(["-e", "ASK {}"]);
        let output = ffkg().args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

/// Hostile input to `ffkg index`: a literal of megabytes, bytes that are not UTF-8, nesting
/// 100,000 levels deep, a string never closed. Each is indexed or refused with where and what
/// (exit 3), never a crash.
#[test]
fn huge_terms_bad_bytes_and_deep_nesting() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let run = |file: &Path| {
        ffkg()
            .args(["index"])
            .arg(file)
            .arg("--out")
            .arg(dir.path().join("out.ffx"))
            .output()
            .expect("runs")
    };

    // A 5 MB literal, beside enough other lines for the file to be read in pieces.
    let mut text = "<http://ex/s> <http://ex/p> \"o\" .\n".repeat(5_000);
    text.push_str(&format!(
        "<http://ex/big> <http://ex/p> \"{}\" .\n",
        "x".repeat(5 << 20)
    ));
    text.push_str(&"<http://ex/t> <http://ex/p> \"o\" .\n".repeat(5_000));
    std::fs::write(path("big.nt"), &text).unwrap();
    let out = run(&path("big.nt"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let index = dir.path().join("out.ffx").display().to_string();
    let length = stdout_of(&[
        "query",
        "--index",
        &index,
        "--format",
        "tsv",
        "-e",
        "SELECT (STRLEN(?o) AS ?n) WHERE { <http://ex/big> ?p ?o }",
    ]);
    assert!(length.contains(&(5 << 20).to_string()), "{length}");

    // Bytes that are not UTF-8, in the middle of a large file: refused at their line.
    let mut bad = "<http://ex/s> <http://ex/p> \"o\" .\n"
        .repeat(20_000)
        .into_bytes();
    bad.extend_from_slice(b"<http://ex/s> <http://ex/p> \"\xff\xfe\" .\n");
    bad.extend_from_slice(
        "<http://ex/s> <http://ex/p> \"o\" .\n"
            .repeat(20_000)
            .as_bytes(),
    );
    std::fs::write(path("bad.nt"), &bad).unwrap();
    let out = run(&path("bad.nt"));
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("bad.nt:20001:"), "{said}");

    // 100,000 levels of blank-node nesting in Turtle.
    let depth = 100_000;
    let nested = format!(
        "@prefix ex: <http://ex/> .\nex:root ex:p {}ex:leaf{} .\n",
        "[ ex:p ".repeat(depth),
        " ]".repeat(depth)
    );
    std::fs::write(path("deep.ttl"), nested).unwrap();
    let out = run(&path("deep.ttl"));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() || out.status.code() == Some(3),
        "{out:?}"
    );
    if out.status.success() {
        assert!(
            said.contains(&format!("indexed {} quads", depth + 1)),
            "{said}"
        );
    }

    // A long string opened and never closed: where it starts.
    let mut open = "@prefix ex: <http://ex/> .\n".to_owned();
    open.push_str(&"ex:s ex:p \"o\" .\n".repeat(10_000));
    open.push_str("ex:s ex:p \"\"\"never closed .\n");
    open.push_str(&"ex:s ex:p \"o\" .\n".repeat(10_000));
    std::fs::write(path("open.ttl"), open).unwrap();
    let out = run(&path("open.ttl"));
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("open.ttl:"), "{said}");
}
