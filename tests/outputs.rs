//! What written datasets hold (#11): the same update does the same thing in the REPL and in
//! `ffkg update`; entailments are not written back as asserted data; a one-graph syntax given
//! named graphs merges them and says so; written RDF declares the prefixes it uses; TriG
//! writes each graph in one block; a user's TriG beside the embedded graph joins its default
//! graph; a written file gets ordinary permissions.

mod common;

use common::{arg, ffkg, stdout_of};
use std::path::Path;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("written")
}

fn count_lines(text: &str, needle: &str) -> usize {
    text.lines().filter(|l| l.contains(needle)).count()
}

/// Runs `ffkg update -e UPDATE -o OUT`.
fn update_to(update: &str, out: &Path) {
    ffkg()
        .args(["update", "-e", update, "-o"])
        .arg(out)
        .assert()
        .success();
}

const FLAG: &str = "INSERT { ?o ff:flag true } WHERE { ?o a ff:Organization }";

#[test]
fn an_update_flags_the_same_resources_in_the_repl_and_in_batch() {
    let dir = tempfile::tempdir().expect("temp dir");
    let batch = dir.path().join("batch.nq");
    let repl = dir.path().join("repl.nq");
    update_to(FLAG, &batch);
    let script = format!("{FLAG};\n.save {}\n", repl.display());
    ffkg().write_stdin(script).assert().success();
    let flags = |text: &str| {
        let mut lines: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("ontology#flag"))
            .collect();
        lines.sort_unstable();
        lines.into_iter().map(str::to_owned).collect::<Vec<_>>()
    };
    let (batch, repl) = (read(&batch), read(&repl));
    assert_eq!(flags(&batch), flags(&repl));
    // Every organization, found through the subclasses as the REPL's queries find them, once:
    // in graph:user (the default graph, their merge, is not written again).
    assert_eq!(flags(&batch).len(), 81, "{}", flags(&batch).len());
    assert!(flags(&batch).iter().all(|l| l.ends_with("graph/user> .")));
    // The entailments that found them are not written back.
    for text in [&batch, &repl] {
        assert_eq!(count_lines(text, "graph/inferred>"), 0);
    }
}

#[test]
fn entailments_are_written_only_by_a_dump_that_asks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("plain.nq");
    let reasoned = dir.path().join("reasoned.nq");
    ffkg().args(["dump", "-o"]).arg(&plain).assert().success();
    ffkg()
        .args(["dump", "--reasoning", "owl", "-o"])
        .arg(&reasoned)
        .assert()
        .success();
    let (plain, reasoned) = (read(&plain), read(&reasoned));
    assert_eq!(count_lines(&plain, "graph/inferred>"), 0);
    let inferred = count_lines(&reasoned, "graph/inferred>");
    assert!(inferred > 100, "{inferred}");
    // Each entailment is written once, in graph:inferred, and every other quad in a named
    // graph too: the default graph is their merge.
    assert_eq!(reasoned.lines().count(), plain.lines().count() + inferred);
}

#[test]
fn turtle_of_named_graphs_merges_them_and_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("merged.ttl");
    let assert = ffkg()
        .args(["dump", "--no-embedded", "-d", &arg("sample.trig"), "-o"])
        .arg(&out)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("wrote 9 triples"), "{stderr}");
    assert!(stderr.contains("1 named graph is merged"), "{stderr}");
    let text = read(&out);
    assert!(text.contains("Alice"), "{text}");
}

#[test]
fn written_rdf_declares_every_prefix_it_uses_and_the_users_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("mine.ttl");
    update_to(
        "PREFIX ex: <https://example.org/> INSERT DATA { country:TUN ex:checked true }",
        &out,
    );
    let text = read(&out);
    let declared: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("@prefix "))
        .filter_map(|l| l.split(':').next())
        .collect();
    for prefix in [
        "ex",
        "quotation",
        "owl",
        "prov",
        "foaf",
        "qb",
        "ff",
        "country",
    ] {
        assert!(declared.contains(&prefix), "{prefix} missing: {declared:?}");
    }
    // Each declared prefix is used.
    for prefix in &declared {
        let used = text
            .lines()
            .filter(|l| !l.starts_with("@prefix"))
            .any(|l| l.contains(&format!("{prefix}:")));
        assert!(used, "{prefix} is declared but unused");
    }
}

#[test]
fn trig_writes_each_graph_in_one_block() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("x.trig");
    ffkg()
        .args([
            "update",
            "-e",
            "INSERT DATA { country:TUN ff:note 1 }",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = read(&out);
    let openings: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_end().ends_with('{'))
        .collect();
    let mut unique = openings.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(openings.len(), unique.len(), "a graph opened twice");
}

#[test]
fn a_users_trig_beside_the_embedded_graph_joins_its_default_graph() {
    let sample = arg("sample.trig");
    let query = |extra: &[&str], text: &str| {
        let mut args = vec!["query"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--data", &sample, "-f", "tsv", "-e", text]);
        stdout_of(&args)
    };
    let text = query(
        &[],
        "SELECT ?n WHERE { ?p <http://example.org/name> ?n } ORDER BY ?n",
    );
    assert!(text.contains("Alice"), "{text}");
    let text = query(
        &[],
        "SELECT ?g WHERE { GRAPH ?g { ?p <http://example.org/name> \"Alice\"@en } }",
    );
    assert!(text.contains("<http://example.org/graph/people>"), "{text}");
    // Without the embedded graph, plain SPARQL: the default graph is the file's own.
    let text = query(
        &["--no-embedded"],
        "ASK { ?p <http://example.org/name> ?n }",
    );
    assert_eq!(text.trim(), "false");
}

#[cfg(unix)]
#[test]
fn a_written_file_gets_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("a.tsv");
    let write_and_mode = || {
        ffkg()
            .args(["query", "-e", "ASK {}", "-o"])
            .arg(&out)
            .assert()
            .success();
        std::fs::metadata(&out)
            .expect("written")
            .permissions()
            .mode()
    };
    let mode = write_and_mode();
    assert_ne!(
        mode & 0o044,
        0,
        "readable by others as a new file is: {mode:o}"
    );
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let mode = write_and_mode();
    assert_eq!(
        mode & 0o777,
        0o600,
        "the replaced file's permissions are kept"
    );
}

#[test]
fn quad_dumps_hold_each_triple_once_and_read_back_whole() {
    // The embedded graph's default graph is the merge of its named graphs: N-Quads and TriG
    // write each triple once, in its graph, and ffkg reads the merge back.
    let dir = tempfile::tempdir().expect("temp dir");
    let count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }";
    let embedded = stdout_of(&["query", "--reasoning", "none", "-e", count]);
    for name in ["all.nq", "all.trig"] {
        let out = dir.path().join(name);
        ffkg().args(["dump", "-o"]).arg(&out).assert().success();
        if name.ends_with(".nq") {
            let text = read(&out);
            let mut triples: Vec<&str> = text
                .lines()
                .map(|l| {
                    l.rsplit_once(" <https://w3id.org/ffkg/graph/")
                        .expect("a graph")
                        .0
                })
                .collect();
            let written = triples.len();
            triples.sort_unstable();
            triples.dedup();
            assert_eq!(triples.len(), written, "a triple written twice");
            assert_eq!(format!("?n\n{written}\n"), embedded);
        }
        let path = out.to_str().expect("a UTF-8 path");
        let back = stdout_of(&[
            "query",
            "--no-embedded",
            "--reasoning",
            "none",
            "--data",
            path,
            "-e",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
        ]);
        assert_eq!(back, embedded, "{name}");
    }
}

#[test]
fn a_long_graph_result_declares_every_prefix_it_may_use() {
    // Past the first 1,000 triples the output streams: the whole prefix map is declared, so no
    // later triple is left with full IRIs in a namespace the map knows.
    let turtle = stdout_of(&[
        "query",
        "-f",
        "turtle",
        "-e",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ]);
    assert!(turtle.lines().count() > 5000);
    for namespace in [
        "https://w3id.org/ffkg/id/",
        "https://w3id.org/ffkg/ontology#",
    ] {
        let full = turtle
            .lines()
            .filter(|l| !l.starts_with("@prefix") && l.contains(&format!("<{namespace}")))
            .count();
        assert_eq!(full, 0, "IRIs left whole in {namespace}");
    }
}

#[test]
fn dump_describe_writes_the_void_of_the_dump() {
    let void = stdout_of(&[
        "dump",
        "--describe",
        "--site-url",
        "https://example.org/kg/",
    ]);
    let nt = stdout_of(&["dump", "-f", "ntriples"]);
    let graph: Vec<oxigraph::model::Triple> =
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle)
            .for_slice(void.as_bytes())
            .map(|q| q.expect("the description parses").into())
            .collect();
    let of = |predicate: &str| -> Vec<String> {
        graph
            .iter()
            .filter(|t| t.predicate.as_str() == format!("http://rdfs.org/ns/void#{predicate}"))
            .map(|t| match &t.object {
                oxigraph::model::Term::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            })
            .collect()
    };
    // Its count is the dump's, and its dumps are under the site's URL.
    assert_eq!(of("triples").first(), Some(&nt.lines().count().to_string()));
    let dumps = of("dataDump");
    assert_eq!(dumps.len(), 6);
    assert!(
        dumps
            .iter()
            .all(|d| d.starts_with("<https://example.org/kg/dump.")),
        "{dumps:?}"
    );
    assert!(
        graph
            .iter()
            .any(|t| t.subject.to_string() == "<https://example.org/kg/.well-known/void#dataset>")
    );
}

#[test]
fn a_select_is_drawn_as_a_bar_chart_in_text_and_in_svg() {
    let query = "SELECT ?region (COUNT(*) AS ?n) WHERE { ?f ff:about ?r . ?r a ff:Region ; \
                 rdfs:label ?region } GROUP BY ?region ORDER BY DESC(?n) LIMIT 4";
    let chart = stdout_of(&["query", "--format", "chart", "-e", query]);
    let lines: Vec<&str> = chart.lines().collect();
    assert_eq!(lines[0], "?n by ?region", "{chart}");
    assert_eq!(lines.len(), 5, "{chart}");
    // The longest bar is the first row's, the largest count.
    let blocks = |l: &str| l.chars().filter(|c| *c == '█').count();
    assert!(
        lines[1].starts_with("World") && blocks(lines[1]) > blocks(lines[2]),
        "{chart}"
    );
    // Into a file named .svg: an SVG image, a bar a row.
    let dir = tempfile::tempdir().expect("temp dir");
    let svg = dir.path().join("regions.svg");
    ffkg()
        .args(["query", "-e", query, "-o"])
        .arg(&svg)
        .assert()
        .success();
    let svg = read(&svg);
    assert!(
        svg.starts_with("<?xml") && svg.ends_with("</svg>\n"),
        "{svg}"
    );
    assert_eq!(svg.matches("<rect").count(), 4);
    // In the REPL, `.chart` draws the last query's answer; a query without numbers is refused.
    let script = format!("{query}\n.chart\n.chart SELECT ?x WHERE {{ ?x a ff:Country }} LIMIT 1\n");
    let out = ffkg()
        .write_stdin(script)
        .assert()
        .failure()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(stdout.contains("?n by ?region\nWorld"), "{stdout}");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.contains("a chart needs a column of numbers"),
        "{stderr}"
    );
    // A library query run with `.run` is the last query too; a query typed after `.chart` may
    // begin with a line of PREFIX declarations.
    let script = ".run top-countries\n.chart\n\
                  .chart PREFIX x: <https://w3id.org/ffkg/ontology#>\n\
                  SELECT ?m (COUNT(*) AS ?n) WHERE { ?f x:measure ?m } GROUP BY ?m\n";
    let out = ffkg()
        .write_stdin(script)
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        stdout.contains("Azerbaijan") && stdout.contains('█'),
        "{stdout}"
    );
    assert!(stdout.contains("?n by ?m\n"), "{stdout}");
}

#[test]
fn a_quad_file_beside_the_embedded_graph_is_dumped_once() {
    // The file's named-graph quads join the default graph (its merge) when read beside the
    // embedded graph; written back, each is in its named graph alone.
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("both.nq");
    ffkg()
        .args(["dump", "--data", &arg("sample.nq"), "-o"])
        .arg(&out)
        .assert()
        .success();
    let text = read(&out);
    let alice = "<http://example.org/alice> <http://example.org/name> \"Alice\"@en";
    let lines: Vec<&str> = text.lines().filter(|l| l.starts_with(alice)).collect();
    assert_eq!(
        lines,
        [format!("{alice} <http://example.org/graph/people> .")]
    );
}
