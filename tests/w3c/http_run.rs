//! Running the W3C HTTP tests against a real `ffkg serve`: the server and its token, the
//! store reset before each test, the manifest's paths rewritten onto ffkg's (`/sparql/` and
//! `/gsp`), `$LOCATION$` carried from one request to the next, and the three service
//! description tests, which the manifest only names.

use crate::common::serve::Served;
use crate::http_check;
use crate::http_client::{self, Request, Response, show_request, show_response};
use crate::http_manifest::{GraphData, HttpTest, local_name};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Term, TermRef};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

/// What running a test gave.
#[derive(Debug)]
pub enum Outcome {
    Passed,
    Failed(String),
    /// Not run, with the reason.
    Skipped(String),
}

/// The `mf:requires` features ffkg's graph store has.
const SUPPORTED: &[&str] = &[
    "DirectGraphIdentification",
    "IndirectGraphIdentification",
    "POSTGraphCreation",
];

/// A writable `ffkg serve` over an empty dataset, one per suite.
pub struct Server {
    served: Served,
    /// `127.0.0.1:PORT`
    addr: String,
    token: String,
    // Removed only once the server has stopped, so it never names a missing file.
    _token_file: tempfile::NamedTempFile,
}

impl Server {
    pub fn start() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        // Not a secret (the server listens on loopback), but as long as a real one must be.
        let token = format!("w3c-{nanos:x}-{:x}", std::process::id());
        let mut token_file = tempfile::NamedTempFile::new().expect("a token file");
        writeln!(token_file, "{token}").expect("the token is written");
        let path = token_file
            .path()
            .to_str()
            .expect("a UTF-8 temp path")
            .to_owned();
        let served = Served::start(&["--no-embedded", "--update", "--token-file", &path]);
        let addr = served
            .base
            .strip_prefix("http://")
            .expect("an http:// base")
            .to_owned();
        Self {
            served,
            addr,
            token,
            _token_file: token_file,
        }
    }

    pub fn stop(self) -> std::process::ExitStatus {
        let Self {
            served,
            _token_file: token_file,
            ..
        } = self;
        let status = served.stop();
        drop(token_file);
        status
    }

    /// A request with `Host` first and the token last: every request carries it, since the
    /// writes need it and the reads must not mind it.
    fn request(
        &self,
        method: &str,
        target: &str,
        host: &str,
        headers: &[(String, String)],
        body: Option<Vec<u8>>,
    ) -> Request {
        let mut all = vec![("Host".to_owned(), host.to_owned())];
        all.extend(headers.iter().cloned());
        all.push(("Authorization".to_owned(), format!("Bearer {}", self.token)));
        Request {
            method: method.to_owned(),
            target: target.to_owned(),
            headers: all,
            body,
        }
    }

    /// Sends a request that must succeed (2xx), for the harness's own set-up.
    fn must(&self, request: &Request) -> Result<(), String> {
        match http_client::send(&self.addr, request) {
            Ok(response) if (200..300).contains(&response.status) => Ok(()),
            Ok(response) => Err(format!(
                "--- request\n{}\n--- response\n{}",
                show_request(request),
                show_response(&response)
            )),
            Err(e) => Err(format!("{e:#}\n--- request\n{}", show_request(request))),
        }
    }

    /// Empties the store (`DROP ALL`) and loads the test's `ut:graphData` files, each into
    /// the named graph of its label, through the graph store.
    fn reset(&self, graphs: &[GraphData]) -> Result<(), String> {
        let sparql_update = [(
            "Content-Type".to_owned(),
            "application/sparql-update".to_owned(),
        )];
        let drop = self.request(
            "POST",
            "/sparql",
            &self.addr,
            &sparql_update,
            Some(b"DROP ALL".to_vec()),
        );
        self.must(&drop)?;
        let n_triples = [(
            "Content-Type".to_owned(),
            "application/n-triples".to_owned(),
        )];
        for graph in graphs {
            let data =
                std::fs::read(&graph.path).map_err(|e| format!("{}: {e}", graph.path.display()))?;
            let target = format!("/store?graph={}", percent_encode(&graph.label));
            let put = self.request("PUT", &target, &self.addr, &n_triples, Some(data));
            self.must(&put)?;
        }
        Ok(())
    }
}

/// Runs one test of the protocol, graph store or service description suites.
pub fn run(server: &Server, test: &HttpTest) -> Outcome {
    if let Some(approval) = &test.approval {
        if approval != "Approved" && approval != "Proposed" {
            return Outcome::Skipped(format!("dawgt:approval is {approval}"));
        }
    }
    if let Some(missing) = test
        .requires
        .iter()
        .find(|r| !SUPPORTED.contains(&r.as_str()))
    {
        return Outcome::Skipped(format!("requires mf:{missing}, which ffkg does not claim"));
    }
    let result = match test.kind.as_str() {
        "ProtocolTest" | "GraphStoreProtocolTest" => requests(server, test),
        "ServiceDescriptionTest" => service_description(server, local_name(&test.id)),
        other => Err(format!("unknown test type mf:{other}")),
    };
    match result {
        Ok(()) => Outcome::Passed,
        Err(message) => Outcome::Failed(message),
    }
}

/// The manifest's requests in order, each judged against its `ht:resp`.
fn requests(server: &Server, test: &HttpTest) -> Result<(), String> {
    server
        .reset(&test.graph_data)
        .map_err(|e| format!("resetting the store failed:\n{e}"))?;
    // The manifest's authority is the Host, so that graph IRIs the server makes from it
    // (direct identification, POST graph creation) are the ones the manifest writes.
    let host = test
        .authority
        .clone()
        .unwrap_or_else(|| server.addr.clone());
    let mut templates: Vec<(String, String)> = Vec::new();
    let count = test.requests.len();
    for (i, step) in test.requests.iter().enumerate() {
        let target = substitute_target(&rewrite(&step.path), &templates, &host, &server.addr);
        let body = step.body.as_ref().map(|body| {
            let mut body = body.clone();
            for (template, value) in &templates {
                body = body.replace(template, value);
            }
            body.into_bytes()
        });
        let request = server.request(&step.method, &target, &host, &step.headers, body);
        let failed = |message: String, response: Option<&Response>| {
            let mut text = format!(
                "request {} of {count}: {message}\n--- request\n{}",
                i + 1,
                show_request(&request)
            );
            if let Some(response) = response {
                text.push_str("\n--- response\n");
                text.push_str(&show_response(response));
            }
            text
        };
        let response = http_client::send(&server.addr, &request)
            .map_err(|e| failed(format!("{e:#}"), None))?;
        let base = format!("http://{host}{target}");
        match http_check::check(&step.expected, &response, &base) {
            Ok(location) => {
                if let (Some(template), Some(location)) = (&step.expected.location, location) {
                    templates.push((template.clone(), absolute(&location, &host)));
                }
            }
            Err(problems) => return Err(failed(problems, Some(&response))),
        }
    }
    Ok(())
}

/// The manifests' endpoint paths onto ffkg's: `/sparql/` (the protocol suite's) is
/// `/sparql`, and `/gsp` (the graph store suite's) is `/store`.
fn rewrite(path: &str) -> String {
    if let Some(rest) = path.strip_prefix("/sparql/") {
        if rest.is_empty() || rest.starts_with('?') {
            return format!("/sparql{rest}");
        }
    }
    if let Some(rest) = path.strip_prefix("/gsp") {
        if rest.is_empty() || rest.starts_with(['/', '?']) {
            return format!("/store{rest}");
        }
    }
    path.to_owned()
}

/// Puts earlier `Location`s in for their templates: percent-encoded in the query string (a
/// `graph=` value), and in the path as a path on this server.
fn substitute_target(
    target: &str,
    templates: &[(String, String)],
    host: &str,
    addr: &str,
) -> String {
    let (mut path, mut query) = match target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (target.to_owned(), None),
    };
    for (template, value) in templates {
        let local = [host, addr]
            .iter()
            .find_map(|h| value.strip_prefix(&format!("http://{h}")))
            .filter(|rest| rest.starts_with('/'))
            .unwrap_or(value);
        path = path.replace(template, local);
        query = query.map(|q| q.replace(template, &percent_encode(value)));
    }
    match query {
        Some(query) => format!("{path}?{query}"),
        None => path,
    }
}

/// A `Location` as an absolute IRI: a relative one is resolved on the server.
fn absolute(location: &str, host: &str) -> String {
    if location.starts_with("http://") || location.starts_with("https://") {
        location.to_owned()
    } else if location.starts_with('/') {
        format!("http://{host}{location}")
    } else {
        format!("http://{host}/{location}")
    }
}

/// Percent-encodes all but the unreserved characters (RFC 3986 §2.3).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

const SD: &str = "http://www.w3.org/ns/sparql-service-description#";

/// The sd: vocabulary of SPARQL 1.1 Service Description §3: classes, instances, properties.
const SD_TERMS: &str = "Service Feature Language Function Aggregate EntailmentRegime
    EntailmentProfile GraphCollection Dataset Graph NamedGraph SPARQL10Query SPARQL11Query
    SPARQL11Update DereferencesURIs UnionDefaultGraph RequiresDataset EmptyGraphs
    BasicFederatedQuery endpoint feature defaultEntailmentRegime defaultSupportedEntailmentProfile
    entailmentRegime supportedEntailmentProfile extensionFunction extensionAggregate
    languageExtension supportedLanguage propertyFeature defaultDataset availableGraphs
    resultFormat inputFormat defaultGraph namedGraph name graph";

/// The schema checks of `conforms-to-schema`: what a description must (`true`) or must not
/// (`false`) hold, as ASK queries.
const SCHEMA: &[(&str, &str, bool)] = &[
    (
        "a sd:Service with an IRI sd:endpoint",
        "ASK { ?s a sd:Service ; sd:endpoint ?e FILTER isIRI(?e) }",
        true,
    ),
    (
        "sd:endpoint only from a sd:Service, and only to an IRI",
        "ASK { ?s sd:endpoint ?e FILTER (!isIRI(?e) || NOT EXISTS { ?s a sd:Service }) }",
        false,
    ),
    (
        "the properties whose domain is sd:Service only on a sd:Service",
        "ASK { ?s sd:feature|sd:defaultEntailmentRegime|sd:defaultSupportedEntailmentProfile|
                  sd:extensionFunction|sd:extensionAggregate|sd:languageExtension|
                  sd:supportedLanguage|sd:propertyFeature|sd:defaultDataset|sd:availableGraphs|
                  sd:resultFormat|sd:inputFormat ?o
               FILTER NOT EXISTS { ?s a sd:Service } }",
        false,
    ),
    (
        "a sd:supportedLanguage",
        "ASK { ?s a sd:Service ; sd:supportedLanguage ?l }",
        true,
    ),
    (
        "sd:supportedLanguage only sd:SPARQL10Query, sd:SPARQL11Query, sd:SPARQL11Update",
        "ASK { ?s sd:supportedLanguage ?l
               FILTER (?l NOT IN (sd:SPARQL10Query, sd:SPARQL11Query, sd:SPARQL11Update)) }",
        false,
    ),
    (
        "sd:resultFormat and sd:inputFormat values are IRIs",
        "ASK { ?s sd:resultFormat|sd:inputFormat ?f FILTER (!isIRI(?f)) }",
        false,
    ),
    (
        "sd:feature values are sd: features",
        "ASK { ?s sd:feature ?f FILTER (?f NOT IN (sd:DereferencesURIs, sd:UnionDefaultGraph,
               sd:RequiresDataset, sd:EmptyGraphs, sd:BasicFederatedQuery)) }",
        false,
    ),
    (
        "a sd:defaultDataset with a sd:defaultGraph",
        "ASK { ?s a sd:Service ; sd:defaultDataset/sd:defaultGraph ?g }",
        true,
    ),
    (
        "sd:defaultDataset values are sd:Datasets",
        "ASK { ?s sd:defaultDataset ?d FILTER NOT EXISTS { ?d a sd:Dataset } }",
        false,
    ),
    (
        "sd:defaultGraph values are sd:Graphs",
        "ASK { ?d sd:defaultGraph ?g FILTER NOT EXISTS { ?g a sd:Graph } }",
        false,
    ),
    (
        "sd:namedGraph values are sd:NamedGraphs, each with an IRI sd:name",
        "ASK { { ?d sd:namedGraph ?n FILTER NOT EXISTS { ?n a sd:NamedGraph } }
               UNION { ?n a sd:NamedGraph FILTER NOT EXISTS { ?n sd:name ?m FILTER isIRI(?m) } } }",
        false,
    ),
];

/// The media types the description is asked for: both must be served, in that syntax.
const SD_ACCEPT: &[&str] = &["text/turtle", "application/rdf+xml"];

/// The service description tests, as https://www.w3.org/2009/sparql/docs/tests/ describes
/// them: `returns-rdf` (GET on the endpoint returns RDF), `has-endpoint-triple` (it holds
/// `?s sd:endpoint <the URL requested>`), `conforms-to-schema` (it uses the sd: vocabulary as
/// the Service Description specification says). Each looks at every syntax of [`SD_ACCEPT`].
fn service_description(server: &Server, test: &str) -> Result<(), String> {
    let url = format!("{}/sparql", server.served.base);
    let mut problems = Vec::new();
    for accept in SD_ACCEPT {
        let headers = [("Accept".to_owned(), (*accept).to_owned())];
        let request = server.request("GET", "/sparql", &server.addr, &headers, None);
        let response = http_client::send(&server.addr, &request).map_err(|e| format!("{e:#}"))?;
        let shown = || {
            format!(
                "--- request\n{}\n--- response\n{}",
                show_request(&request),
                show_response(&response)
            )
        };
        let found = match describe(&response, accept, &url) {
            Ok(store) => match test {
                "returns-rdf" => Vec::new(),
                "has-endpoint-triple" => {
                    let query = format!("ASK {{ ?s sd:endpoint <{url}> }}");
                    match ask(&store, &query) {
                        Ok(true) => Vec::new(),
                        Ok(false) => vec![format!("no ?s sd:endpoint <{url}> triple")],
                        Err(e) => vec![e],
                    }
                }
                "conforms-to-schema" => schema(&store),
                other => vec![format!("no check for the service description test {other}")],
            },
            Err(problem) => vec![problem],
        };
        if !found.is_empty() {
            problems.push(format!(
                "Accept: {accept}: {}\n{}",
                found.join("\n"),
                shown()
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The description in the response: a 200 in the syntax asked for, parsed into a store.
fn describe(response: &Response, accept: &str, url: &str) -> Result<Store, String> {
    if response.status != 200 {
        return Err(format!("status {}, expected 200", response.status));
    }
    let media = response.media_type().unwrap_or_default();
    if media != *accept {
        return Err(format!("content-type {media:?}, asked for {accept}"));
    }
    let format = RdfFormat::from_media_type(&media)
        .ok_or_else(|| format!("{media:?} is not an RDF media type"))?;
    let store = Store::new().map_err(|e| e.to_string())?;
    let parser = RdfParser::from_format(format)
        .with_base_iri(url)
        .map_err(|e| e.to_string())?;
    store
        .load_from_slice(parser, &response.body)
        .map_err(|e| format!("not valid {}: {e}", format.name()))?;
    if store.is_empty().map_err(|e| e.to_string())? {
        return Err("an empty description".into());
    }
    Ok(store)
}

/// The problems [`SCHEMA`] and the vocabulary check find.
fn schema(store: &Store) -> Vec<String> {
    let mut problems = Vec::new();
    for (what, query, want) in SCHEMA {
        match ask(store, query) {
            Ok(got) if got == *want => {}
            Ok(_) if *want => problems.push(format!("schema: no {what}")),
            Ok(_) => problems.push(format!("schema: not so that {what}")),
            Err(e) => problems.push(e),
        }
    }
    // Every sd: IRI used, in any position, is a term of the vocabulary.
    for quad in store.iter().filter_map(Result::ok) {
        let terms: [Term; 3] = [quad.subject.into(), quad.predicate.into(), quad.object];
        for term in &terms {
            if let TermRef::NamedNode(node) = term.as_ref() {
                if let Some(local) = node.as_str().strip_prefix(SD) {
                    if !SD_TERMS.split_whitespace().any(|t| t == local) {
                        problems.push(format!("schema: sd:{local} is not in the vocabulary"));
                    }
                }
            }
        }
    }
    problems
}

fn ask(store: &Store, query: &str) -> Result<bool, String> {
    let results = SparqlEvaluator::new()
        .parse_query(&format!("PREFIX sd: <{SD}>\n{query}"))
        .map_err(|e| format!("bad check query {query}: {e}"))?
        .on_store(store)
        .execute()
        .map_err(|e| e.to_string())?;
    match results {
        QueryResults::Boolean(value) => Ok(value),
        _ => Err(format!("{query} is not an ASK")),
    }
}
