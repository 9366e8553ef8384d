//! The embedded graph (the ontology and data files compiled into the binary) and building a
//! `Store` from it and from the user's files: the one place that knows how the dataset is made.
//!
//! In a store, the dataset has a real default graph and named graphs. Each embedded file is a
//! named graph of its own (`graph:countries` …) and every triple is also inserted into the
//! default graph, so the default graph is their merge and counts each triple once (oxigraph's
//! union-default-graph mode would count a triple twice when two graphs hold it) and updates can
//! change it. `--data` files go into the default
//! graph (their named graphs, in N-Quads or TriG, stay named); `--named` files go into a named
//! graph of their own, as in Jena's `arq`.

use crate::data::prebuilt::Prebuilt;
use crate::error::{Error, Position, Result};
use crate::infer::Reasoning;
use crate::output::format::{Format, rdf_format_for_input};
use flate2::read::MultiGzDecoder;
use oxigraph::io::{RdfParseError, RdfParser};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, Quad, QuadRef, Triple};
use oxigraph::store::{LoaderError, Store};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

pub use super::embedded::{EMBEDDED, EmbeddedFile, INFERRED, SHAPES, VERSION, inferred_graph};

/// What goes into a store.
#[derive(Debug, Clone, Default)]
pub struct DatasetSpec {
    /// Load the embedded graph.
    pub embedded: bool,
    /// Files merged into the default graph.
    pub data: Vec<PathBuf>,
    /// Files loaded into a named graph of their own (named by the file's URL).
    pub named: Vec<PathBuf>,
    /// Overrides the syntax the files' extensions give.
    pub data_format: Option<Format>,
    /// The entailments kept in `graph:inferred`.
    pub reasoning: Reasoning,
}

impl DatasetSpec {
    /// The embedded graph alone, with OWL reasoning (the default for queries).
    pub fn embedded() -> Self {
        Self {
            embedded: true,
            reasoning: Reasoning::Owl,
            ..Self::default()
        }
    }
}

/// Builds an in-memory store from `spec`.
pub fn build(spec: &DatasetSpec) -> Result<Store> {
    let store = Store::new().map_err(Error::store)?;
    // With a user's files, reasoning runs over the merge (so the ontology applies to their
    // triples and theirs to it) and finds the embedded graph's entailments again: copying the
    // prebuilt ones first would only be work undone.
    let user_files = !spec.data.is_empty() || !spec.named.is_empty();
    if spec.embedded {
        let prebuilt = if user_files {
            Reasoning::None
        } else {
            spec.reasoning
        };
        load_embedded(&store, prebuilt)?;
    }
    load_user_files(&store, spec)?;
    if user_files {
        materialise(&store, spec.reasoning)?;
    }
    Ok(store)
}

/// Loads the spec's `--data` files into the default graph and its `--named` files into graphs
/// of their own. Beside the embedded graph, the named graphs of `--data` N-Quads and TriG
/// join the default graph too, as the embedded files' graphs do (each still its own graph for
/// `GRAPH`); with `--no-embedded` they stay apart, as plain SPARQL datasets have them.
pub fn load_user_files(store: &Store, spec: &DatasetSpec) -> Result<()> {
    for path in &spec.data {
        load_file(store, path, spec.data_format, None)?;
    }
    if spec.embedded {
        // Only --data files are loaded yet: every named graph is one of theirs.
        let copies: Vec<Quad> = store
            .iter()
            .filter_map(|q| match q {
                Ok(q) if q.graph_name.is_default_graph() => None,
                Ok(q) => Some(Ok(Quad {
                    graph_name: GraphName::DefaultGraph,
                    ..q
                })),
                Err(e) => Some(Err(Error::store(e))),
            })
            .collect::<Result<_>>()?;
        store.extend(copies).map_err(Error::store)?;
    }
    for path in &spec.named {
        // A `--named` file's graph is named by its URL.
        let graph = file_url(path)?;
        load_file(store, path, spec.data_format, Some(graph))?;
    }
    Ok(())
}

/// Parses a user's RDF file, as [`load_file`] does (blank nodes renamed, so two files' `_:b`
/// stay apart), handing each quad to `push`.
pub fn read_file(
    path: &Path,
    format: Option<Format>,
    graph: Option<NamedNode>,
    bar: &indicatif::ProgressBar,
    push: &mut dyn FnMut(Quad),
) -> Result<()> {
    // For .gz files the bar counts compressed bytes: it tracks the file on disk.
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let counted = crate::output::progress::Counting {
        inner: file,
        bar: bar.clone(),
    };
    let reader = decode(counted, rdf_format_for_input(path, format)?.1);
    let parser = parser_for(path, format, graph)?;
    for quad in parser.rename_blank_nodes().for_reader(reader) {
        push(quad.map_err(|e| data_error(&path.display().to_string(), e))?);
    }
    Ok(())
}

/// The parser for a user's file: its syntax from `format` or its name, its base IRI its URL,
/// and with `graph`, its default graph that named graph.
pub fn parser_for(
    path: &Path,
    format: Option<Format>,
    graph: Option<NamedNode>,
) -> Result<RdfParser> {
    let (rdf_format, _) = rdf_format_for_input(path, format)?;
    let mut parser = RdfParser::from_format(rdf_format)
        .with_base_iri(file_url(path)?.as_str())
        .map_err(|e| Error::usage(format!("{}: bad base IRI: {e}", path.display())))?;
    if let Some(graph) = graph {
        parser = parser.with_default_graph(graph);
    }
    Ok(parser)
}

/// Loads the embedded graph, with the entailments of `reasoning`, into a store: each file's
/// triples into its named graph and into the default graph, so the default graph is a real
/// graph that updates can change.
pub fn load_embedded(store: &Store, reasoning: Reasoning) -> Result<()> {
    let quads = Prebuilt::with_reasoning(reasoning)
        .quads()
        .flat_map(|quad| {
            let default = Quad::new(
                quad.subject.clone(),
                quad.predicate.clone(),
                quad.object.clone(),
                GraphName::DefaultGraph,
            );
            [quad, default]
        });
    store.extend(quads).map_err(Error::store)
}

/// Computes the entailments of the store's default graph at `level` and adds those it lacks to
/// `graph:inferred` and to the default graph. The asserted triples are the default graph's,
/// less what `graph:inferred` already holds. Shows a progress bar on a terminal for large data.
pub fn materialise(store: &Store, level: Reasoning) -> Result<u64> {
    if level == Reasoning::None {
        return Ok(0);
    }
    let store_err = |e: oxigraph::store::StorageError| Error::store(e);
    let inferred = inferred_graph();
    // Without an inferred graph yet, everything in the default graph is asserted.
    let has_inferred = store.contains_named_graph(&inferred).map_err(store_err)?;
    let mut asserted = Vec::new();
    for quad in store.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph)) {
        let quad = quad.map_err(store_err)?;
        let in_inferred = QuadRef::new(&quad.subject, &quad.predicate, &quad.object, &inferred);
        if !has_inferred || !store.contains(in_inferred).map_err(store_err)? {
            asserted.push(Triple::from(quad));
        }
    }
    let new = entailments(&asserted, level, |_| true);
    let count = new.len() as u64;
    add_entailments(store, new)?;
    Ok(count)
}

/// The entailments of `asserted` at `level` that `keep` accepts, with a progress bar on a
/// terminal when the input is large.
pub fn entailments(
    asserted: &[Triple],
    level: Reasoning,
    mut keep: impl FnMut(oxigraph::model::TripleRef<'_>) -> bool,
) -> Vec<Triple> {
    let bar = crate::output::progress::triples(asserted.len() as u64, "reasoning", 100_000);
    let mut new = Vec::new();
    crate::infer::for_each_entailment(
        asserted.iter().map(Triple::as_ref),
        level,
        &mut |done| bar.set_position(done),
        &mut |triple| {
            if keep(triple) {
                new.push(triple.into_owned());
            }
        },
    );
    bar.finish_and_clear();
    new
}

/// Adds entailments to a store: to `graph:inferred`, and to the default graph, which is the
/// merge of all graphs.
pub fn add_entailments(store: &Store, triples: Vec<Triple>) -> Result<()> {
    let inferred = inferred_graph();
    let quads = triples.into_iter().flat_map(|t| {
        [
            t.clone().in_graph(GraphName::NamedNode(inferred.clone())),
            t.in_graph(GraphName::DefaultGraph),
        ]
    });
    store.extend(quads).map_err(Error::store)
}

/// Removes the entailments: `graph:inferred` and its triples from the default graph.
pub fn forget_entailments(store: &Store) -> Result<()> {
    let store_err = |e: oxigraph::store::StorageError| Error::store(e);
    let inferred = inferred_graph();
    let quads: Vec<Quad> = store
        .quads_for_pattern(None, None, None, Some(inferred.as_ref().into()))
        .collect::<std::result::Result<_, _>>()
        .map_err(store_err)?;
    for quad in quads {
        store
            .remove(QuadRef::new(
                &quad.subject,
                &quad.predicate,
                &quad.object,
                GraphNameRef::DefaultGraph,
            ))
            .map_err(store_err)?;
    }
    store.remove_named_graph(&inferred).map_err(store_err)?;
    Ok(())
}

/// Loads a user's RDF file. With `graph`, triples (and the default graph of a quad file) go
/// into that named graph; without, into the default graph. Quads keep their own graph.
pub fn load_file(
    store: &Store,
    path: &Path,
    format: Option<Format>,
    graph: Option<NamedNode>,
) -> Result<()> {
    let reader = open_input(path, rdf_format_for_input(path, format)?.1)?;
    let parser = parser_for(path, format, graph)?;
    store
        .load_from_reader(parser, reader)
        .map_err(|e| loader_error(path, e))
}

/// Opens a file for reading, through gzip when its name ends in `.gz`.
pub fn open_input(path: &Path, gzipped: bool) -> Result<Box<dyn Read + Send>> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(decode(file, gzipped))
}

/// Buffers a reader, decompressing it when `gzipped`.
pub fn decode(reader: impl Read + Send + 'static, gzipped: bool) -> Box<dyn Read + Send> {
    if gzipped {
        Box::new(BufReader::new(MultiGzDecoder::new(BufReader::new(reader))))
    } else {
        Box::new(BufReader::new(reader))
    }
}

/// `file:///abs/path`, the base IRI of a file's relative IRIs and the name of its graph.
pub fn file_url(path: &Path) -> Result<NamedNode> {
    let absolute = std::path::absolute(path).map_err(|e| Error::io(path, e))?;
    let mut url = String::from("file://");
    for component in absolute.to_string_lossy().split('/') {
        if component.is_empty() {
            continue;
        }
        url.push('/');
        for byte in component.bytes() {
            if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
                url.push(char::from(byte));
            } else {
                url.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    NamedNode::new(url).map_err(|e| Error::usage(format!("{}: {e}", path.display())))
}

/// An oxigraph loading error as a located data error (or an I/O error).
pub fn loader_error(path: &Path, error: LoaderError) -> Error {
    match error {
        LoaderError::Parsing(e) => data_error(&path.display().to_string(), e),
        LoaderError::Storage(e) => Error::store(e),
        LoaderError::InvalidBaseIri { iri, error } => {
            Error::usage(format!("{}: bad base IRI {iri}: {error}", path.display()))
        }
    }
}

/// A parse error as `path:line:column: message`, when the parser gives a position.
pub fn data_error(path: &str, error: RdfParseError) -> Error {
    match error {
        RdfParseError::Syntax(e) => {
            let position = e.location().map(|range| Position {
                line: range.start.line + 1,
                column: range.start.column + 1,
            });
            Error::Data {
                path: path.to_owned(),
                position,
                message: strip_position(&e.to_string()),
            }
        }
        RdfParseError::Io(e) => Error::io(path, e),
    }
}

/// Oxigraph's messages repeat the position ("Parser error at line 3 column 5: …"); we print it
/// once, as `file:line:column`.
fn strip_position(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("Parser error at ") {
        if let Some((_, tail)) = rest.split_once(": ") {
            return tail.to_owned();
        }
    }
    // "Parser error between line 3 column 5 and line 9 column 1: …": the start is printed
    // already; the end is worth keeping (an unclosed string runs to it).
    if let Some(rest) = message.strip_prefix("Parser error between ") {
        if let Some((range, tail)) = rest.split_once(": ") {
            if let Some((_, end)) = range.split_once(" and ") {
                return format!(
                    "{tail} (from here to {})",
                    end.replacen(" column ", ", column ", 1)
                );
            }
        }
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_the_ontology_first() {
        assert_eq!(EMBEDDED[0].path, "ontology/ffkg.ttl");
        assert_eq!(EMBEDDED[0].graph, "ontology");
        assert!(EMBEDDED.iter().all(|f| !f.path.ends_with("shapes.ttl")));
    }

    #[test]
    fn positions_are_said_once() {
        assert_eq!(
            strip_position("Parser error at line 3 column 5: oops"),
            "oops"
        );
        assert_eq!(
            strip_position(
                "Parser error between line 2 column 11 and line 9 column 1: Unexpected end of file"
            ),
            "Unexpected end of file (from here to line 9, column 1)"
        );
        assert_eq!(strip_position("something else"), "something else");
    }

    #[test]
    fn file_urls_are_absolute_and_escaped() {
        let url = file_url(Path::new("/tmp/a b/c.ttl")).unwrap();
        assert_eq!(url.as_str(), "file:///tmp/a%20b/c.ttl");
    }
}
