//! Reading the W3C HTTP test manifests (SPARQL 1.1 Protocol, Graph Store Protocol, Service
//! Description) into plain request/expected-response lists: each Turtle manifest is loaded
//! into an oxigraph store and walked with SPARQL, following `mf:include` and `mf:entries`.

use anyhow::{Context, Result, bail};
use ffkg::data::graph::file_url;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, Variable};
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::Store;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

const PREFIXES: &str = "
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
PREFIX ut: <http://www.w3.org/2009/sparql/tests/test-update#>
PREFIX dawgt: <http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#>
PREFIX ht: <http://www.w3.org/2011/http#>
PREFIX cnt: <http://www.w3.org/2011/content#>
";

const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";

/// A file loaded into a named graph before a test (`ut:graphData`).
#[derive(Debug, Clone)]
pub struct GraphData {
    pub path: PathBuf,
    /// The graph's IRI (`rdfs:label`).
    pub label: String,
}

/// What the response to one request must be (`ht:resp`).
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// `mf:expectedStatus`: `hts:` local names, a status (`OK`) or a class (`StatusCode2xx`);
    /// any one of them will do.
    pub statuses: Vec<String>,
    /// `mf:expectedBoolean`
    pub boolean: Option<bool>,
    /// `mf:expectedFormat`: `boolean`, `tabular` or `RDF`.
    pub format: Option<String>,
    /// `ht:headers`, as (field name, field value).
    pub headers: Vec<(String, String)>,
    /// `ht:body`'s `cnt:chars`: RDF in the expected `content-type`.
    pub body: Option<String>,
    /// `mf:expectedLocation`: the template (`$LOCATION$`) later requests use for `Location`.
    pub location: Option<String>,
}

/// One request of a test (`ht:Request`), as the manifest writes it.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    pub method: String,
    /// `ht:absolutePath`, with its query string, before any rewriting.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
    pub expected: Expected,
}

/// One test.
#[derive(Debug, Clone)]
pub struct HttpTest {
    /// The test's IRI, the key of the expected-failures file.
    pub id: String,
    pub name: String,
    /// `rdf:type`'s local name: `ProtocolTest`, `GraphStoreProtocolTest`,
    /// `ServiceDescriptionTest`.
    pub kind: String,
    /// `dawgt:approval`'s local name, if given.
    pub approval: Option<String>,
    /// `mf:requires`' local names.
    pub requires: Vec<String>,
    /// `ht:connectionAuthority`: the `Host` the requests are sent with.
    pub authority: Option<String>,
    pub graph_data: Vec<GraphData>,
    /// In order: each may depend on what the ones before it did.
    pub requests: Vec<HttpRequest>,
}

/// The tests of one manifest file.
#[derive(Debug)]
pub struct HttpManifest {
    /// The manifest file, relative to `tests/w3c/`.
    pub file: String,
    pub tests: Vec<HttpTest>,
}

/// Reads `top` and, depth first, every manifest it includes; each manifest with entries is
/// returned, the including one before those it includes.
pub fn read_suite(root: &Path, top: &Path) -> Result<Vec<HttpManifest>> {
    let mut manifests = Vec::new();
    read_into(root, top, &mut manifests, 0)?;
    Ok(manifests)
}

fn read_into(root: &Path, path: &Path, out: &mut Vec<HttpManifest>, depth: usize) -> Result<()> {
    if depth > 8 {
        bail!("{}: mf:include nests too deep", path.display());
    }
    let store = load(path)?;
    let manifest = manifest_node(&store, path)?;
    let mut tests = Vec::new();
    for entry in list_at(&store, &manifest, "mf:entries")? {
        tests.push(read_test(&store, &entry).with_context(|| format!("test {entry}"))?);
    }
    if !tests.is_empty() {
        let file = path.strip_prefix(root).unwrap_or(path);
        out.push(HttpManifest {
            file: file.display().to_string(),
            tests,
        });
    }
    for include in list_at(&store, &manifest, "mf:include")? {
        let Term::NamedNode(iri) = include else {
            bail!("{}: mf:include of a non-IRI", path.display());
        };
        let included = url_to_path(iri.as_str())?;
        read_into(root, &included, out, depth + 1)?;
    }
    Ok(())
}

/// The manifest's own node: the file's URL, which `<>` names.
fn manifest_node(store: &Store, path: &Path) -> Result<Term> {
    let rows = select(store, "SELECT ?m WHERE { ?m rdf:type mf:Manifest }", &[])?;
    let own = Term::from(file_url(path)?);
    match rows.iter().filter_map(|r| r.get("m")).find(|m| **m == own) {
        Some(m) => Ok(m.clone()),
        None => bail!("{} has no mf:Manifest <>", path.display()),
    }
}

fn read_test(store: &Store, test: &Term) -> Result<HttpTest> {
    let Term::NamedNode(id) = test else {
        bail!("an entry that is not an IRI");
    };
    let kind = one(store, test, "rdf:type")?.context("no rdf:type")?;
    let action = one(store, test, "mf:action")?;
    let mut requests = Vec::new();
    let mut authority = None;
    if let Some(action) = &action {
        authority = one_text(store, action, "ht:connectionAuthority")?;
        for request in list_at(store, action, "ht:requests")? {
            requests.push(read_request(store, &request)?);
        }
    }
    let mut graph_data = Vec::new();
    let rows = select(
        store,
        "SELECT ?test ?file ?label WHERE { ?test ut:graphData ?g . ?g ut:graph ?file ; rdfs:label ?label }
         ORDER BY ?label",
        &[("test", test.clone())],
    )?;
    for row in rows {
        let (Some(Term::NamedNode(file)), Some(label)) = (row.get("file"), text(row.get("label")))
        else {
            bail!("a ut:graphData without a file IRI and a label");
        };
        graph_data.push(GraphData {
            path: url_to_path(file.as_str())?,
            label,
        });
    }
    let mut requires: Vec<String> = all(store, test, "mf:requires")?
        .iter()
        .filter_map(|t| text(Some(t)))
        .map(|iri| local_name(&iri).to_owned())
        .collect();
    requires.sort();
    Ok(HttpTest {
        id: id.as_str().to_owned(),
        name: one_text(store, test, "mf:name")?.unwrap_or_else(|| local_name(id.as_str()).into()),
        kind: local_name(&text(Some(&kind)).unwrap_or_default()).to_owned(),
        approval: one_text(store, test, "dawgt:approval")?.map(|a| local_name(&a).to_owned()),
        requires,
        authority,
        graph_data,
        requests,
    })
}

fn read_request(store: &Store, request: &Term) -> Result<HttpRequest> {
    let method = one_text(store, request, "ht:methodName")?.context("no ht:methodName")?;
    let path = one_text(store, request, "ht:absolutePath")?.context("no ht:absolutePath")?;
    let response = one(store, request, "ht:resp")?.context("no ht:resp")?;
    let mut statuses: Vec<String> = all(store, &response, "mf:expectedStatus")?
        .iter()
        .filter_map(|t| text(Some(t)))
        .map(|iri| local_name(&iri).to_owned())
        .collect();
    statuses.sort();
    let boolean = match one_text(store, &response, "mf:expectedBoolean")?.as_deref() {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0") => Some(false),
        Some(other) => bail!("mf:expectedBoolean {other:?}"),
    };
    Ok(HttpRequest {
        method,
        path,
        headers: headers(store, request)?,
        body: body(store, request)?,
        expected: Expected {
            statuses,
            boolean,
            format: one_text(store, &response, "mf:expectedFormat")?,
            headers: headers(store, &response)?,
            body: body(store, &response)?,
            location: one_text(store, &response, "mf:expectedLocation")?,
        },
    })
}

/// `ht:headers`: a list of `ht:fieldName` / `ht:fieldValue` pairs.
fn headers(store: &Store, node: &Term) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for header in list_at(store, node, "ht:headers")? {
        let name = one_text(store, &header, "ht:fieldName")?.context("no ht:fieldName")?;
        let value = one_text(store, &header, "ht:fieldValue")?.context("no ht:fieldValue")?;
        out.push((name, value));
    }
    Ok(out)
}

/// `ht:body`'s `cnt:chars`.
fn body(store: &Store, node: &Term) -> Result<Option<String>> {
    match one(store, node, "ht:body")? {
        Some(body) => one_text(store, &body, "cnt:chars"),
        None => Ok(None),
    }
}

/// The members of the RDF list that `node`'s `property` points to, in order (none without it).
fn list_at(store: &Store, node: &Term, property: &str) -> Result<Vec<Term>> {
    let Some(mut cell) = one(store, node, property)? else {
        return Ok(Vec::new());
    };
    let mut members = Vec::new();
    while !matches!(&cell, Term::NamedNode(n) if n.as_str() == RDF_NIL) {
        let rows = select(
            store,
            "SELECT ?cell ?first ?rest WHERE { ?cell rdf:first ?first ; rdf:rest ?rest }",
            &[("cell", cell.clone())],
        )?;
        let [row] = rows.as_slice() else {
            bail!("{property}: a list cell {cell} without one rdf:first and one rdf:rest");
        };
        members.push(row.get("first").context("rdf:first")?.clone());
        cell = row.get("rest").context("rdf:rest")?.clone();
        if members.len() > 10_000 {
            bail!("{property}: a list that does not end");
        }
    }
    Ok(members)
}

/// Every value of `node`'s `property`, sorted so that runs are reproducible.
fn all(store: &Store, node: &Term, property: &str) -> Result<Vec<Term>> {
    let rows = select(
        store,
        &format!("SELECT ?node ?o WHERE {{ ?node {property} ?o }} ORDER BY ?o"),
        &[("node", node.clone())],
    )?;
    Ok(rows.iter().filter_map(|r| r.get("o").cloned()).collect())
}

/// The one value of `node`'s `property`, if any; two is a manifest error.
fn one(store: &Store, node: &Term, property: &str) -> Result<Option<Term>> {
    let mut values = all(store, node, property)?;
    if values.len() > 1 {
        bail!("{node} has {} values of {property}", values.len());
    }
    Ok(values.pop())
}

fn one_text(store: &Store, node: &Term, property: &str) -> Result<Option<String>> {
    Ok(text(one(store, node, property)?.as_ref()))
}

/// Runs a SELECT over the manifest with some variables bound (blank nodes included, which a
/// query's text cannot name); oxigraph only binds a variable the SELECT projects.
fn select(store: &Store, query: &str, bound: &[(&str, Term)]) -> Result<Vec<QuerySolution>> {
    let mut prepared = SparqlEvaluator::new()
        .parse_query(&format!("{PREFIXES}{query}"))
        .with_context(|| format!("bad manifest query {query}"))?;
    for (name, term) in bound {
        prepared = prepared.substitute_variable(Variable::new(*name)?, term.clone());
    }
    let QueryResults::Solutions(solutions) = prepared.on_store(store).execute()? else {
        bail!("manifest query did not return solutions");
    };
    Ok(solutions.collect::<Result<_, _>>()?)
}

/// An IRI's text or a literal's lexical form.
fn text(term: Option<&Term>) -> Option<String> {
    match term? {
        Term::NamedNode(n) => Some(n.as_str().to_owned()),
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }
}

pub fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// Loads a Turtle manifest with its file URL as base, so relative IRIs name files.
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

/// The path of a `file://` URL, undoing [`file_url`]'s percent-encoding.
fn url_to_path(url: &str) -> Result<PathBuf> {
    let Some(rest) = url.strip_prefix("file://") else {
        bail!("{url} is not a file URL: the vendored suite must only point at its own files");
    };
    Ok(PathBuf::from(percent_decode(rest)?))
}

/// Undoes `%XX` escapes.
fn percent_decode(text: &str) -> Result<String> {
    let bytes = text.as_bytes();
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
    Ok(String::from_utf8(decoded)?)
}
