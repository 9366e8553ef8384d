//! Reading the W3C test manifests: each Turtle manifest is loaded into an oxigraph store and
//! queried with SPARQL for its entries, their kind, action files and expected results.

use anyhow::{Context, Result, bail};
use ffkg::data::graph::file_url;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::Store;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

const PREFIXES: &str = "
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
PREFIX qt: <http://www.w3.org/2001/sw/DataAccess/tests/test-query#>
PREFIX ut: <http://www.w3.org/2009/sparql/tests/test-update#>
PREFIX dawgt: <http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#>
";

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";

/// What a test checks, from its `rdf:type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The file parses (a query, or an update when it ends in `.ru`).
    PositiveSyntax,
    /// The file does not parse.
    NegativeSyntax,
    PositiveUpdateSyntax,
    NegativeUpdateSyntax,
    QueryEvaluation,
    UpdateEvaluation,
    /// A query whose CSV serialization is compared with the expected text.
    CsvResultFormat,
    /// A kind this harness does not run (its local name).
    Other(String),
}

impl Kind {
    fn from_iri(iri: &str) -> Self {
        let local = iri.strip_prefix(MF).unwrap_or(iri);
        match local {
            "PositiveSyntaxTest" | "PositiveSyntaxTest11" => Self::PositiveSyntax,
            "NegativeSyntaxTest" | "NegativeSyntaxTest11" => Self::NegativeSyntax,
            "PositiveUpdateSyntaxTest11" => Self::PositiveUpdateSyntax,
            "NegativeUpdateSyntaxTest11" => Self::NegativeUpdateSyntax,
            "QueryEvaluationTest" => Self::QueryEvaluation,
            "UpdateEvaluationTest" => Self::UpdateEvaluation,
            "CSVResultFormatTest" => Self::CsvResultFormat,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// A file loaded into a named graph: named by `label` when the manifest gives one (update
/// tests), else by the file's own URL (query tests, as `--named` does).
#[derive(Debug, Clone)]
pub struct GraphFile {
    pub label: Option<String>,
    pub path: PathBuf,
}

/// The files that make a dataset: before an update, after it, or for a query.
#[derive(Debug, Clone, Default)]
pub struct DatasetFiles {
    pub data: Vec<PathBuf>,
    pub graphs: Vec<GraphFile>,
}

/// One test of a manifest.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// The test's IRI, the key of the expected-failures file.
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// `dawgt:approval`'s local name (Approved, Proposed, NotApproved, Withdrawn), if given.
    pub approval: Option<String>,
    /// The query or update file (`qt:query`, `ut:request`, or the action itself for syntax tests).
    pub action: Option<PathBuf>,
    pub input: DatasetFiles,
    /// The expected result file of a query test.
    pub result: Option<PathBuf>,
    /// The expected dataset of an update test.
    pub result_dataset: DatasetFiles,
    /// `mf:LaxCardinality`: REDUCED may drop some duplicates.
    pub lax: bool,
}

/// The tests of one manifest file, in the order of its `mf:entries`.
#[derive(Debug)]
pub struct Manifest {
    /// The manifest's directory relative to the suites' root, e.g. `sparql11/functions`.
    pub name: String,
    pub tests: Vec<TestCase>,
}

/// Reads a top-level manifest and every manifest it includes (one level, as the W3C suites are
/// laid out), returning the included manifests in order.
pub fn read_suite(root: &Path, top: &Path) -> Result<Vec<Manifest>> {
    let store = load(top)?;
    let includes = ordered_list_members(&store, "mf:include")?;
    let mut manifests = Vec::new();
    for iri in includes {
        let path = url_to_path(&iri)?;
        manifests.push(read_manifest(root, &path)?);
    }
    Ok(manifests)
}

/// Reads the entries of one manifest file.
pub fn read_manifest(root: &Path, path: &Path) -> Result<Manifest> {
    let store = load(path)?;
    let base = file_url(path)?.as_str().to_owned();
    let entries = ordered_list_members(&store, "mf:entries")?;

    let mut tests: HashMap<String, TestCase> = HashMap::new();
    let main = select(
        &store,
        "SELECT ?test ?type ?name ?approval ?action ?query ?request ?result ?cardinality WHERE {
            ?manifest mf:entries/rdf:rest*/rdf:first ?test .
            ?test rdf:type ?type .
            OPTIONAL { ?test mf:name ?name }
            OPTIONAL { ?test dawgt:approval ?approval }
            OPTIONAL { ?test mf:action ?action
                OPTIONAL { ?action qt:query ?query }
                OPTIONAL { ?action ut:request ?request } }
            OPTIONAL { ?test mf:result ?result }
            OPTIONAL { ?test mf:resultCardinality ?cardinality }
        }",
    )?;
    for row in main {
        let id = text(&row, "test").context("a test without an IRI")?;
        let kind = Kind::from_iri(&text(&row, "type").unwrap_or_default());
        let action_file = match (&row.get("query"), &row.get("request"), &row.get("action")) {
            (Some(Term::NamedNode(q)), _, _) | (_, Some(Term::NamedNode(q)), _) => {
                Some(url_to_path(q.as_str())?)
            }
            (_, _, Some(Term::NamedNode(a))) => Some(url_to_path(a.as_str())?),
            _ => None,
        };
        let result = match row.get("result") {
            Some(Term::NamedNode(r)) => Some(url_to_path(r.as_str())?),
            _ => None,
        };
        tests.insert(
            id.clone(),
            TestCase {
                name: text(&row, "name").unwrap_or_else(|| local_name(&id).to_owned()),
                approval: text(&row, "approval").map(|a| local_name(&a).to_owned()),
                lax: text(&row, "cardinality").is_some_and(|c| c.ends_with("#LaxCardinality")),
                id,
                kind,
                action: action_file,
                input: DatasetFiles::default(),
                result,
                result_dataset: DatasetFiles::default(),
            },
        );
    }

    // Default-graph files and named-graph files of the action and of an update's result.
    for (property, before) in [("mf:action", true), ("mf:result", false)] {
        let data = select(
            &store,
            &format!(
                "SELECT ?test ?data WHERE {{ ?test {property} ?node . ?node qt:data|ut:data ?data }}"
            ),
        )?;
        for row in data {
            let (Some(id), Some(file)) = (text(&row, "test"), text(&row, "data")) else {
                continue;
            };
            if let Some(test) = tests.get_mut(&id) {
                let files = if before {
                    &mut test.input
                } else {
                    &mut test.result_dataset
                };
                files.data.push(url_to_path(&file)?);
            }
        }
        let graphs = select(
            &store,
            &format!(
                "SELECT ?test ?graph ?label WHERE {{
                    ?test {property} ?node . ?node qt:graphData|ut:graphData ?g .
                    OPTIONAL {{ ?g ut:graph ?file }}
                    OPTIONAL {{ ?g rdfs:label ?label }}
                    BIND(COALESCE(?file, ?g) AS ?graph)
                }}"
            ),
        )?;
        for row in graphs {
            let (Some(id), Some(file)) = (text(&row, "test"), text(&row, "graph")) else {
                continue;
            };
            if let Some(test) = tests.get_mut(&id) {
                let files = if before {
                    &mut test.input
                } else {
                    &mut test.result_dataset
                };
                files.graphs.push(GraphFile {
                    label: text(&row, "label"),
                    path: url_to_path(&file)?,
                });
            }
        }
    }
    for test in tests.values_mut() {
        // Solutions for several files come in no particular order; loading order does not
        // matter, but stable lists make failures reproducible.
        test.input.data.sort();
        test.input
            .graphs
            .sort_by(|a, b| (&a.label, &a.path).cmp(&(&b.label, &b.path)));
        test.result_dataset.data.sort();
        test.result_dataset
            .graphs
            .sort_by(|a, b| (&a.label, &a.path).cmp(&(&b.label, &b.path)));
    }

    let mut ordered = Vec::new();
    for id in entries {
        match tests.remove(&id) {
            Some(test) => ordered.push(test),
            None => bail!("{}: entry {id} has no rdf:type", path.display()),
        }
    }
    let name = path
        .parent()
        .and_then(|dir| dir.strip_prefix(root).ok())
        .map_or_else(|| base.clone(), |dir| dir.display().to_string());
    Ok(Manifest {
        name,
        tests: ordered,
    })
}

/// Loads a Turtle file into a new store, with its URL as base so relative IRIs name files.
fn load(path: &Path) -> Result<Store> {
    let store = Store::new()?;
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    store
        .load_from_reader(
            RdfParser::from_format(RdfFormat::Turtle).with_base_iri(file_url(path)?.as_str())?,
            BufReader::new(file),
        )
        .with_context(|| format!("cannot parse {}", path.display()))?;
    Ok(store)
}

/// The members of the RDF list that `property` points to, in list order.
fn ordered_list_members(store: &Store, property: &str) -> Result<Vec<String>> {
    // A member's position is the number of list nodes before it.
    let rows = select(
        store,
        &format!(
            "SELECT ?member (COUNT(?before) AS ?position) WHERE {{
                ?manifest {property} ?list .
                ?list rdf:rest* ?before .
                ?before rdf:rest* ?node .
                ?node rdf:first ?member .
            }} GROUP BY ?node ?member ORDER BY ?position"
        ),
    )?;
    Ok(rows.iter().filter_map(|row| text(row, "member")).collect())
}

fn select(store: &Store, query: &str) -> Result<Vec<QuerySolution>> {
    let results = SparqlEvaluator::new()
        .parse_query(&format!("{PREFIXES}{query}"))
        .with_context(|| format!("bad manifest query {query}"))?
        .on_store(store)
        .execute()?;
    let QueryResults::Solutions(solutions) = results else {
        bail!("manifest query did not return solutions");
    };
    Ok(solutions.collect::<Result<_, _>>()?)
}

/// An IRI's text or a literal's lexical form.
fn text(row: &QuerySolution, variable: &str) -> Option<String> {
    match row.get(variable)? {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }
}

fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// The path of a `file://` URL, undoing the percent-encoding of [`file_url`].
pub fn url_to_path(url: &str) -> Result<PathBuf> {
    let Some(rest) = url.strip_prefix("file://") else {
        bail!("{url} is not a file URL: the vendored suite must only point at its own files");
    };
    let bytes = rest.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])?;
            decoded.push(u8::from_str_radix(hex, 16)?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    Ok(PathBuf::from(String::from_utf8(decoded)?))
}
