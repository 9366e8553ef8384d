//! The query library's expected answers: every query of `queries/` runs through ffkg's own query
//! path on the embedded graph — without reasoning, with its OWL entailments materialised, and on
//! the prebuilt graph the binary queries — and must give the answer written in
//! `tests/queries/NAME.tsv`, derived by reading the source documents and the curated data, not
//! copied from ffkg's output. `tests/queries/README.md` describes the file format.

use ffkg::data::dataset::Dataset;
use ffkg::data::prebuilt::Prebuilt;
use ffkg::infer::Reasoning;
use ffkg::library::{self, LIBRARY, LibraryQuery};
use ffkg::output::table::display_term;
use ffkg::sparql::prefixes::PrefixMap;
use ffkg::sparql::{Settings, Source};
use oxigraph::model::Term;
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The separator the library's `GROUP_CONCAT`s use; a column whose header ends in `[]` holds
/// such a list and is compared in any order, as SPARQL leaves the order of a group unspecified.
const LIST_SEPARATOR: &str = "; ";

fn expected_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/queries")
}

/// The embedded graph copied into a store, as ffkg does for updates and `--data`: with
/// `Reasoning::Owl`, its entailments are computed at run time by `graph::materialise` over the
/// asserted triples (not taken from the prebuilt graph), so the three datasets below check the
/// build-time and run-time reasoning against each other.
fn store_of(reasoning: Reasoning) -> Dataset {
    let store = Store::new().expect("in-memory store");
    ffkg::data::graph::load_embedded(&store, Reasoning::None).expect("load");
    ffkg::data::graph::materialise(&store, reasoning).expect("reasoning");
    Dataset::from_store(store)
}

/// The embedded graph without reasoning: plain SPARQL over the asserted triples.
fn plain() -> &'static Dataset {
    static PLAIN: OnceLock<Dataset> = OnceLock::new();
    PLAIN.get_or_init(|| store_of(Reasoning::None))
}

/// The embedded graph with its OWL entailments materialised in `graph:inferred`, which is part of
/// the default graph: what ffkg answers with reasoning on.
fn reasoned() -> &'static Dataset {
    static REASONED: OnceLock<Dataset> = OnceLock::new();
    REASONED.get_or_init(|| store_of(Reasoning::Owl))
}

/// The embedded graph as the binary queries it: in place, from its prebuilt index.
fn prebuilt() -> Dataset {
    Dataset::from_prebuilt(Prebuilt::get())
}

/// An answer as people read it: a header of variable names and rows of displayed terms.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// How an answer is compared: in order (an outer ORDER BY), as a multiset, or as a set (graphs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Comparison {
    Ordered,
    Multiset,
    Set,
}

impl Table {
    /// The table in its comparable form: list columns sorted within each cell, and the rows
    /// sorted (and, for a set, deduplicated) unless their order counts.
    fn normalized(&self, lists: &BTreeSet<usize>, comparison: Comparison) -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .enumerate()
                    .map(|(i, cell)| {
                        if lists.contains(&i) && !cell.is_empty() {
                            let mut items: Vec<&str> = cell.split(LIST_SEPARATOR).collect();
                            items.sort_unstable();
                            items.join(LIST_SEPARATOR)
                        } else {
                            cell.clone()
                        }
                    })
                    .collect()
            })
            .collect();
        match comparison {
            Comparison::Ordered => {}
            Comparison::Multiset => rows.sort(),
            Comparison::Set => {
                rows.sort();
                rows.dedup();
            }
        }
        rows
    }
}

fn show(term: Option<&Term>) -> String {
    term.map(|t| display_term(t, &PrefixMap::default()).0)
        .unwrap_or_default()
}

/// Runs a query through ffkg's path (its prefixes predeclared, as the binary does).
fn run(dataset: &Dataset, origin: &str, text: &str) -> Result<(Table, bool), String> {
    let settings = Settings {
        prefixes: PrefixMap::default(),
        base_iri: None,
        timeout: None,
        lint: false,
    };
    let source = Source {
        origin: origin.to_owned(),
        text: text.to_owned(),
    };
    let prepared = settings
        .prepare_query(&source, None)
        .map_err(|e| format!("{origin}: {e}"))?;
    let results = dataset
        .query(prepared, origin)
        .map_err(|e| format!("{origin}: {e}"))?;
    Ok(match results {
        QueryResults::Solutions(solutions) => {
            let header = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect::<Vec<_>>();
            let mut rows = Vec::new();
            for solution in solutions {
                let solution = solution.map_err(|e| format!("{origin}: {e}"))?;
                rows.push(
                    (0..header.len())
                        .map(|i| show(solution.get(i)))
                        .collect::<Vec<_>>(),
                );
            }
            (Table { header, rows }, false)
        }
        QueryResults::Boolean(answer) => (
            Table {
                header: vec!["boolean".to_owned()],
                rows: vec![vec![answer.to_string()]],
            },
            false,
        ),
        QueryResults::Graph(triples) => {
            let mut rows = Vec::new();
            for triple in triples {
                let triple = triple.map_err(|e| format!("{origin}: {e}"))?;
                rows.push(vec![
                    show(Some(&triple.subject.into())),
                    show(Some(&triple.predicate.into())),
                    show(Some(&triple.object)),
                ]);
            }
            let header = ["subject", "predicate", "object"]
                .map(str::to_owned)
                .to_vec();
            (Table { header, rows }, true)
        }
    })
}

/// The query text without its whole-line comments.
fn without_comments(text: &str) -> String {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// True when the outer query has an ORDER BY: one after the last closing brace (an ORDER BY in a
/// subquery orders nothing the caller sees).
fn is_ordered(text: &str) -> bool {
    let text = without_comments(text).to_ascii_uppercase();
    let order = text.rfind("ORDER BY");
    let brace = text.rfind('}');
    matches!((order, brace), (Some(order), Some(brace)) if order > brace)
}

fn needs_reasoning(query: &LibraryQuery) -> bool {
    library::header(query.text)
        .notes
        .to_ascii_lowercase()
        .contains("needs reasoning")
}

/// One expected-answer file: `NAME.tsv`, or `NAME@param=value[@param=value…].tsv` for a run with
/// parameters bound.
#[derive(Debug)]
struct Expected {
    file: String,
    query: String,
    params: Vec<(String, String)>,
    table: Table,
    lists: BTreeSet<usize>,
}

fn unescape(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn read_expected(path: &Path) -> Result<Expected, String> {
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: not a UTF-8 name", path.display()))?
        .to_owned();
    let stem = file
        .strip_suffix(".tsv")
        .ok_or_else(|| format!("{file}: expected files end in .tsv"))?;
    let mut parts = stem.split('@');
    let query = parts.next().unwrap_or_default().to_owned();
    let params = parts
        .map(|p| {
            p.split_once('=')
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .ok_or_else(|| format!("{file}: '{p}' is not param=value"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("{file}: {e}"))?;
    let mut lines = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    let header_line = lines
        .next()
        .ok_or_else(|| format!("{file}: no header line"))?;
    let mut header = Vec::new();
    let mut lists = BTreeSet::new();
    for (i, name) in header_line.split('\t').enumerate() {
        match name.strip_suffix("[]") {
            Some(name) => {
                lists.insert(i);
                header.push(name.to_owned());
            }
            None => header.push(name.to_owned()),
        }
    }
    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        let row: Vec<String> = line.split('\t').map(unescape).collect();
        if row.len() != header.len() {
            return Err(format!(
                "{file}: row {} has {} cells for {} columns: {line:?}",
                n + 1,
                row.len(),
                header.len()
            ));
        }
        rows.push(row);
    }
    Ok(Expected {
        file,
        query,
        params,
        table: Table { header, rows },
        lists,
    })
}

fn expected_files() -> Vec<Expected> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(expected_dir())
        .expect("tests/queries exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| read_expected(p).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// Rows of one side missing from the other (for a readable failure).
fn difference(left: &[Vec<String>], right: &[Vec<String>]) -> Vec<String> {
    let mut counts: BTreeMap<&Vec<String>, i64> = BTreeMap::new();
    for row in left {
        *counts.entry(row).or_default() += 1;
    }
    for row in right {
        *counts.entry(row).or_default() -= 1;
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(row, n)| {
            let times = if n > 1 {
                format!(" (×{n})")
            } else {
                String::new()
            };
            format!("    {}{times}", row.join(" | "))
        })
        .collect()
}

/// Compares one run with its expected file; `None` when they agree.
fn compare(
    expected: &Expected,
    actual: &Table,
    comparison: Comparison,
    dataset: &str,
) -> Option<String> {
    let mut message = String::new();
    if expected.table.header != actual.header {
        let _ = writeln!(
            message,
            "{} ({dataset}): columns {:?}, expected {:?}",
            expected.file, actual.header, expected.table.header
        );
        return Some(message);
    }
    let want = expected.table.normalized(&expected.lists, comparison);
    let got = actual.normalized(&expected.lists, comparison);
    if want == got {
        return None;
    }
    let _ = writeln!(
        message,
        "{} ({dataset}, compared {}): {} rows, expected {}",
        expected.file,
        match comparison {
            Comparison::Ordered => "in order",
            Comparison::Multiset => "as a multiset",
            Comparison::Set => "as a set",
        },
        got.len(),
        want.len()
    );
    let missing = difference(&want, &got);
    let extra = difference(&got, &want);
    if missing.is_empty() && extra.is_empty() {
        let _ = writeln!(message, "  same rows in another order; got:");
        for row in &got {
            let _ = writeln!(message, "    {}", row.join(" | "));
        }
    } else {
        if !missing.is_empty() {
            let _ = writeln!(message, "  expected, not returned:\n{}", missing.join("\n"));
        }
        if !extra.is_empty() {
            let _ = writeln!(message, "  returned, not expected:\n{}", extra.join("\n"));
        }
    }
    Some(message)
}

/// Checks one expected file against its query; returns what went wrong.
fn check(expected: &Expected) -> Vec<String> {
    let Some(query) = library::find(&expected.query) else {
        return vec![format!(
            "{}: there is no library query '{}' (queries/{}.rq)",
            expected.file, expected.query, expected.query
        )];
    };
    let declared: Vec<String> = library::header(query.text)
        .params
        .into_iter()
        .map(|p| p.name)
        .collect();
    for (name, _) in &expected.params {
        if !declared.contains(name) {
            return vec![format!(
                "{}: the query declares no parameter '{name}' (it declares {declared:?})",
                expected.file
            )];
        }
    }
    let text = match library::bind(query.text, &expected.params, &PrefixMap::default()) {
        Ok(text) => text,
        Err(e) => return vec![format!("{}: {e}", expected.file)],
    };
    let reasoning = needs_reasoning(query);
    let mut failures = Vec::new();
    let mut answers = Vec::new();
    // The binary's own backend too.
    let prebuilt = prebuilt();
    let mut datasets = vec![
        ("with reasoning", reasoned()),
        ("without reasoning", plain()),
    ];
    datasets.push(("prebuilt, as the binary runs it", &prebuilt));
    for (label, dataset) in datasets {
        let (table, graph) = match run(dataset, &expected.file, &text) {
            Ok(answer) => answer,
            Err(e) => {
                failures.push(e);
                continue;
            }
        };
        let comparison = if graph {
            Comparison::Set
        } else if is_ordered(&text) {
            Comparison::Ordered
        } else {
            Comparison::Multiset
        };
        answers.push((label, compare(expected, &table, comparison, label)));
    }
    for (label, outcome) in answers {
        match (label, outcome) {
            ("without reasoning", None) if reasoning => failures.push(format!(
                "{}: says it needs reasoning, but gives the same answer without",
                expected.file
            )),
            ("without reasoning", Some(_)) if reasoning => {}
            (_, Some(message)) => failures.push(message),
            (_, None) => {}
        }
    }
    failures
}

#[test]
fn every_library_query_gives_its_expected_answer() {
    let expected = expected_files();
    let mut failures = Vec::new();
    for query in LIBRARY {
        if !expected
            .iter()
            .any(|e| e.query == query.name && e.params.is_empty())
        {
            failures.push(format!(
                "queries/{0}.rq has no expected answer: write tests/queries/{0}.tsv",
                query.name
            ));
        }
    }
    for file in &expected {
        failures.extend(check(file));
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_expected_answer_belongs_to_a_query() {
    let orphans: Vec<String> = expected_files()
        .into_iter()
        .filter(|e| library::find(&e.query).is_none())
        .map(|e| e.file)
        .collect();
    assert!(
        orphans.is_empty(),
        "expected answers without a query: {orphans:?}"
    );
    // Anything else in the directory is a mistake too (a misnamed file would never be checked).
    let strays: Vec<String> = std::fs::read_dir(expected_dir())
        .expect("tests/queries exists")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".tsv") && n != "README.md")
        .collect();
    assert!(
        strays.is_empty(),
        "files that are not expected answers: {strays:?}"
    );
}

#[test]
fn the_compiled_library_is_the_queries_directory() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("queries");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("queries/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .map(|p| p.file_stem().expect("stem").to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut compiled: Vec<String> = LIBRARY.iter().map(|q| q.name.to_owned()).collect();
    compiled.sort();
    assert_eq!(compiled, on_disk);
    for query in LIBRARY {
        let text = std::fs::read_to_string(dir.join(format!("{}.rq", query.name))).expect("read");
        assert_eq!(text, query.text, "{} is stale in the binary", query.name);
    }
}

#[test]
fn library_queries_are_documented_portable_sparql() {
    assert!(LIBRARY.len() >= 25, "only {} queries", LIBRARY.len());
    for query in LIBRARY {
        let header = library::header(query.text);
        assert!(!header.title.is_empty(), "{}: no title", query.name);
        assert!(!header.question.is_empty(), "{}: no question", query.name);
        assert!(
            !header.notes.is_empty(),
            "{}: says nothing of its answer",
            query.name
        );
        // Other engines know none of ffkg's predeclared prefixes: each query declares its own.
        if let Err(e) = SparqlEvaluator::new().parse_query(query.text) {
            panic!(
                "{}: not plain SPARQL 1.1 without ffkg's prefixes: {e}",
                query.name
            );
        }
        for param in &header.params {
            assert!(
                query.text.contains(&format!("VALUES ?{} {{", param.name)),
                "{}: parameter '{}' has no `VALUES ?{} {{ default }}`",
                query.name,
                param.name,
                param.name
            );
        }
    }
}

/// The library covers the graph: every class of the ontology, every measure of the scheme and
/// every document appears in some query's answer (with reasoning, as ffkg answers by default).
#[test]
fn together_the_queries_touch_every_class_measure_and_document() {
    let mut seen = BTreeSet::new();
    for query in LIBRARY {
        let (table, _) = run(reasoned(), query.name, query.text).unwrap_or_else(|e| panic!("{e}"));
        for row in table.rows {
            seen.extend(row);
        }
    }
    let wanted = [
        "SELECT ?x WHERE { ?x a owl:Class FILTER(STRSTARTS(STR(?x), STR(ff:))) }",
        "SELECT ?x WHERE { ?x skos:inScheme <https://w3id.org/ffkg/measures> }",
        "SELECT DISTINCT ?x WHERE { ?x rdf:type/rdfs:subClassOf* ff:Document }",
    ];
    let mut missing = Vec::new();
    for text in wanted {
        let (table, _) = run(plain(), "coverage", text).unwrap_or_else(|e| panic!("{e}"));
        assert!(!table.rows.is_empty(), "{text} finds nothing");
        for row in table.rows {
            if !seen.contains(&row[0]) {
                missing.push(row[0].clone());
            }
        }
    }
    assert!(missing.is_empty(), "in no query's answer: {missing:?}");
}
