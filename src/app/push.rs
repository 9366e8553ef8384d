//! `ffkg push`: the dataset uploaded into a remote store graph by graph — a Graph Store
//! Protocol PUT where the store has one (so a re-run replaces rather than adds), chunked
//! `INSERT DATA` where it has not — then every graph's triple count checked on the store.

use crate::config::PushConfig;
use crate::data::Dataset;
use crate::data::export::Export;
use crate::data::remote::Remote;
use crate::engine::{duration_text, plural};
use crate::error::{Error, ExitStatus, Result};
use crate::output::dataset::Graphs;
use crate::output::progress;
use oxhttp::model::Method;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

/// One graph to push: its name (none for the default graph) and its triples.
struct Upload {
    graph: Option<NamedNode>,
    triples: Vec<Triple>,
}

impl Upload {
    fn label(&self) -> String {
        self.graph
            .as_ref()
            .map_or_else(|| "the default graph".to_owned(), |g| format!("graph {g}"))
    }
}

/// How the graphs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    GraphStore,
    InsertData,
}

pub fn run(config: PushConfig) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let dataset = Dataset::open(&config.dataset)?;
    let export = Export::new(&dataset, config.entailments)?;
    let uploads = graphs(&dataset, &export, config.copy_default)?;
    let remote = Remote::new(config.endpoint, config.timeout);
    let total: u64 = uploads.iter().map(|(_, count)| count).sum();
    eprintln!(
        "pushing {} in {} to {}",
        plural(total, "triple", "triples"),
        plural(uploads.len() as u64, "graph", "graphs"),
        remote.endpoint().name
    );
    let bar = progress::triples(total, "pushing", 0);
    let mut method = if remote.endpoint().store.is_some() {
        Way::GraphStore
    } else {
        Way::InsertData
    };
    let mut failed = Vec::new();
    let mut pushed = 0;
    for (graph, _) in &uploads {
        // One graph in memory at a time.
        let upload = &Upload {
            graph: graph.clone(),
            triples: export
                .graph(graph.as_ref())?
                .map(|quad| quad.map(Triple::from))
                .collect::<Result<Vec<_>>>()?,
        };
        bar.set_message(upload.label());
        let result = match method {
            Way::GraphStore => match put(&remote, upload) {
                // No Graph Store Protocol there after all: the rest go by INSERT DATA.
                Err(Error::Endpoint {
                    message,
                    status: Some(404 | 405 | 501),
                    ..
                }) => {
                    eprintln!(
                        "the store has no Graph Store Protocol at {} ({message}): using INSERT DATA",
                        remote.endpoint().store.as_ref().map_or("", |u| u.as_str())
                    );
                    method = Way::InsertData;
                    insert(&remote, upload, config.chunk)
                }
                other => other,
            },
            Way::InsertData => insert(&remote, upload, config.chunk),
        };
        bar.inc(upload.triples.len() as u64);
        let result = result
            .and_then(|()| verify(&remote, upload))
            .map_err(|e| match e {
                Error::Timeout { origin, seconds } => Error::Endpoint {
                    origin,
                    endpoint: remote.endpoint().name.clone(),
                    message: format!("did not answer within {seconds} s (see --timeout)"),
                    status: None,
                },
                other => other,
            });
        match result {
            Ok(()) => {
                pushed += 1;
                bar.suspend(|| {
                    eprintln!(
                        "{}: {}",
                        upload.label(),
                        plural(upload.triples.len() as u64, "triple", "triples")
                    );
                });
            }
            Err(e) => {
                bar.suspend(|| eprintln!("ffkg: {}", crate::error::report(&e)));
                // Refused credentials, or no store at all, would fail every graph alike.
                let hopeless = matches!(
                    e,
                    Error::Endpoint {
                        status: None | Some(401 | 403),
                        ..
                    }
                );
                failed.push((upload.label(), e));
                if hopeless {
                    break;
                }
            }
        }
    }
    bar.finish_and_clear();
    let how = match method {
        Way::GraphStore => "Graph Store Protocol",
        Way::InsertData => "INSERT DATA",
    };
    if let Some((_, first)) = failed.first() {
        let untried = uploads.len() - pushed - failed.len();
        eprintln!(
            "pushed {} of {} graphs by {how}; failed: {}{}",
            pushed,
            uploads.len(),
            failed
                .iter()
                .map(|(label, _)| label.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if untried > 0 {
                format!("; not tried: {untried} (the store holds them as it did)")
            } else {
                String::new()
            }
        );
        return Ok(first.exit_status());
    }
    eprintln!(
        "pushed {} in {} by {how}, every count checked, in {}",
        plural(total, "triple", "triples"),
        plural(uploads.len() as u64, "graph", "graphs"),
        duration_text(started.elapsed())
    );
    Ok(ExitStatus::Success)
}

/// The graphs to push, with their triple counts: every named graph, and the default graph
/// unless it is their merge. An empty graph is left out (stores do not keep empty graphs).
fn graphs(
    dataset: &Dataset,
    export: &Export<'_>,
    copy_default: bool,
) -> Result<Vec<(Option<NamedNode>, u64)>> {
    let mut graphs: Vec<Option<NamedNode>> = Vec::new();
    if copy_default || !dataset.default_graph_is_union() {
        graphs.push(None);
    }
    graphs.extend(export.names()?.into_iter().map(Some));
    let mut counted = Vec::new();
    for graph in graphs {
        let mut count = 0;
        for quad in export.graph(graph.as_ref())? {
            quad?;
            count += 1;
        }
        if count > 0 {
            counted.push((graph, count));
        }
    }
    Ok(counted)
}

/// A Graph Store Protocol PUT of the graph as N-Triples: it replaces what the graph held.
fn put(remote: &Remote, upload: &Upload) -> Result<()> {
    let Some(store) = remote.endpoint().store.clone() else {
        return Err(Error::usage("no Graph Store Protocol URL"));
    };
    let mut url = store;
    match &upload.graph {
        Some(graph) => url.query_pairs_mut().append_pair("graph", graph.as_str()),
        None => url.query_pairs_mut().append_key_only("default"),
    };
    let mut body = String::new();
    for triple in &upload.triples {
        let _ = writeln!(body, "{triple} .");
    }
    remote.send(
        Method::PUT,
        url.as_str(),
        &[("Content-Type", "application/n-triples")],
        body.into_bytes(),
        &upload.label(),
    )?;
    Ok(())
}

/// The graph cleared, then sent in requests of about `chunk` triples: `INSERT DATA`, or for
/// triples with blank nodes an `INSERT` template over one empty solution, which means the same
/// (Virtuoso refuses blank nodes in `INSERT DATA`). Each request has blank nodes of its own, so
/// the triples that share one go in the same request.
fn insert(remote: &Remote, upload: &Upload, chunk: usize) -> Result<()> {
    let label = upload.label();
    let target = match &upload.graph {
        Some(graph) => format!("GRAPH {graph}"),
        None => "DEFAULT".to_owned(),
    };
    remote.update_text(&format!("CLEAR SILENT {target}"), &label)?;
    let (blank, plain): (Vec<&Triple>, Vec<&Triple>) =
        upload.triples.iter().partition(|t| has_blank_node(t));
    let plain = plain.chunks(chunk).map(|c| (false, c.to_vec()));
    let blank = linked(blank, chunk).into_iter().map(|c| (true, c));
    for (blanks, triples) in plain.chain(blank) {
        let mut text = String::from(if blanks {
            "INSERT { "
        } else {
            "INSERT DATA { "
        });
        if let Some(graph) = &upload.graph {
            let _ = write!(text, "GRAPH {graph} {{ ");
        }
        for triple in triples {
            let _ = writeln!(text, "{triple} .");
        }
        text.push_str(if upload.graph.is_some() { "} }" } else { "}" });
        if blanks {
            text.push_str(" WHERE {}");
        }
        remote.update_text(&text, &label)?;
    }
    Ok(())
}

/// Triples with blank nodes in groups of about `chunk`, the triples linked through blank
/// nodes (an RDF list, a nested description) always in one group, however large.
fn linked(triples: Vec<&Triple>, chunk: usize) -> Vec<Vec<&Triple>> {
    // Union-find over the blank nodes; each triple joins its subject's and object's.
    let mut ids: HashMap<&str, usize> = HashMap::new();
    let mut parent: Vec<usize> = Vec::new();
    fn root(parent: &mut [usize], mut node: usize) -> usize {
        while parent[node] != node {
            parent[node] = parent[parent[node]];
            node = parent[node];
        }
        node
    }
    let mut first = Vec::with_capacity(triples.len());
    for triple in &triples {
        let mut nodes = Vec::with_capacity(2);
        for blank in blank_nodes(triple) {
            let next = parent.len();
            let id = *ids.entry(blank).or_insert(next);
            if id == next {
                parent.push(next);
            }
            nodes.push(id);
        }
        // (Only triples with a blank node come here; one without would stand alone.)
        let head = nodes.first().copied().unwrap_or_else(|| {
            parent.push(parent.len());
            parent.len() - 1
        });
        if let Some(&other) = nodes.get(1) {
            let (a, b) = (root(&mut parent, head), root(&mut parent, other));
            parent[b] = a;
        }
        first.push(head);
    }
    let mut groups: HashMap<usize, Vec<&Triple>> = HashMap::new();
    let mut order = Vec::new();
    for (triple, node) in triples.into_iter().zip(first) {
        let group = root(&mut parent, node);
        groups
            .entry(group)
            .or_insert_with(|| {
                order.push(group);
                Vec::new()
            })
            .push(triple);
    }
    let mut requests: Vec<Vec<&Triple>> = Vec::new();
    for group in order {
        let group = groups.remove(&group).unwrap_or_default();
        match requests.last_mut() {
            Some(last) if last.len() + group.len() <= chunk => last.extend(group),
            _ => requests.push(group),
        }
    }
    requests
}

fn blank_nodes(triple: &Triple) -> Vec<&str> {
    let mut nodes = Vec::new();
    if let NamedOrBlankNode::BlankNode(b) = &triple.subject {
        nodes.push(b.as_str());
    }
    if let Term::BlankNode(b) = &triple.object {
        nodes.push(b.as_str());
    }
    nodes
}

fn has_blank_node(triple: &Triple) -> bool {
    triple.subject.is_blank_node() || matches!(triple.object, Term::BlankNode(_))
}

/// The store's count of the graph's triples must be what was sent. (A default graph that
/// the store merges with its named graphs may hold more.)
fn verify(remote: &Remote, upload: &Upload) -> Result<()> {
    let label = upload.label();
    let query = match &upload.graph {
        Some(graph) => format!("SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"),
        None => "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }".to_owned(),
    };
    let found = remote.count(&query, &label)?;
    let sent = upload.triples.len() as u64;
    if found == sent || (upload.graph.is_none() && found > sent) {
        return Ok(());
    }
    Err(Error::Endpoint {
        origin: label,
        endpoint: remote.endpoint().query.as_str().to_owned(),
        message: format!(
            "holds {} after the push, not the {} sent",
            plural(found, "triple", "triples"),
            sent
        ),
        status: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{BlankNode, Literal};

    fn triple(subject: &str, object: Option<&str>) -> Triple {
        let p = NamedNode::new_unchecked("http://e/p");
        let object: Term = match object {
            Some(b) => BlankNode::new_unchecked(b).into(),
            None => Literal::from(1).into(),
        };
        Triple::new(BlankNode::new_unchecked(subject), p, object)
    }

    #[test]
    fn triples_linked_by_blank_nodes_stay_in_one_request() {
        // A list of three cells, and three lone blank nodes.
        let triples = [
            triple("c1", Some("c2")),
            triple("x", None),
            triple("c3", None),
            triple("c2", Some("c3")),
            triple("y", None),
            triple("z", None),
            triple("c1", None),
        ];
        let requests = linked(triples.iter().collect(), 2);
        let list: Vec<&Vec<&Triple>> = requests
            .iter()
            .filter(|r| r.iter().any(|t| blank_nodes(t).contains(&"c1")))
            .collect();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].len(), 4, "{requests:?}");
        assert_eq!(requests.iter().map(Vec::len).sum::<usize>(), 7);
        assert!(requests.iter().all(|r| r.len() <= 2 || r.len() == 4));
    }
}
