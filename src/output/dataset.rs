//! Writing a whole dataset (`dump`, `update -o`, `.save`): every prefix its triples use
//! declared and no other, each graph in one block, each triple once — in a syntax that holds
//! datasets, a default graph that is the merge of the named graphs holds only what they do not;
//! in a syntax that holds one graph, the named graphs are merged into it, with a word on it,
//! rather than left out.

use crate::error::{Error, Result};
use crate::output::format::{self, Format};
use crate::output::render::{finish, quad_iris, rdf_serializer};
use crate::sparql::prefixes::PrefixMap;
use oxigraph::model::{GraphName, NamedNode, Quad, Triple};
use std::collections::HashSet;
use std::io::{self, Write};

/// A dataset to write, graph by graph; each graph can be read as often as needed.
pub trait Graphs {
    /// The named graphs, in the order they are written.
    fn names(&self) -> Result<Vec<NamedNode>>;
    /// The quads of one graph (`None`: the default graph).
    fn graph<'a>(
        &'a self,
        name: Option<&'a NamedNode>,
    ) -> Result<Box<dyn Iterator<Item = Result<Quad>> + 'a>>;
    /// What a dataset syntax writes for the default graph when the default graph is the merge
    /// of the named graphs: only the quads no named graph holds, so each triple is written
    /// once. `None` when the default graph stands apart (plain SPARQL semantics): it is written
    /// whole.
    fn unmerged_default<'a>(&'a self) -> Result<Option<Quads<'a>>> {
        Ok(None)
    }
}

/// Quads read one at a time.
pub type Quads<'a> = Box<dyn Iterator<Item = Result<Quad>> + 'a>;

/// What a dataset write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Wrote {
    /// Quads (or triples, in a one-graph syntax) written.
    pub count: u64,
    /// Named graphs whose triples were merged into the one graph of a one-graph syntax
    /// because the default graph lacked some of them.
    pub merged: usize,
}

impl Wrote {
    /// "wrote N quads to NAME" on stderr, and a note when named graphs were merged.
    pub fn report(&self, format: Format, name: &str) {
        let unit = match (format.holds_datasets(), self.count == 1) {
            (true, true) => "quad",
            (true, false) => "quads",
            (false, true) => "triple",
            (false, false) => "triples",
        };
        eprintln!("wrote {} {unit} to {name}", self.count);
        if let Some(note) = self.note(format) {
            eprintln!("note: {note}");
        }
    }

    /// A note for the user when named graphs were merged.
    pub fn note(&self, format: Format) -> Option<String> {
        (self.merged > 0).then(|| {
            format!(
                "{} holds one graph: {} named graph{} merged into it (.trig or .nq keep them \
                 apart)",
                format,
                self.merged,
                if self.merged == 1 { " is" } else { "s are" }
            )
        })
    }
}

/// The quads written for one graph of `dataset` in `format`.
fn quads_to_write<'a>(
    dataset: &'a dyn Graphs,
    format: Format,
    graph: Option<&'a NamedNode>,
) -> Result<Quads<'a>> {
    if graph.is_none() && format.holds_datasets() {
        if let Some(quads) = dataset.unmerged_default()? {
            return Ok(quads);
        }
    }
    dataset.graph(graph)
}

/// Writes `dataset` in `format`, declaring the prefixes of `prefixes` that its IRIs use.
pub fn write_dataset<W: Write>(
    dataset: &dyn Graphs,
    format: Format,
    prefixes: &PrefixMap,
    output_name: &str,
    mut writer: W,
) -> Result<Wrote> {
    let rdf_format = format.rdf_format().ok_or_else(|| {
        Error::usage(format!(
            "format '{format}' is for query results: a dataset needs one of {}",
            format::names(&format::GRAPH_FORMATS)
        ))
    })?;
    let io_err = |e: io::Error| Error::io(output_name, e);
    let names = dataset.names()?;
    let graphs: Vec<Option<&NamedNode>> = std::iter::once(None)
        .chain(names.iter().map(Some))
        .collect();
    let quads_of = |graph| quads_to_write(dataset, format, graph);
    // A first pass finds the prefixes every triple uses.
    let mut usage = prefixes.usage();
    for graph in &graphs {
        if let (Some(name), true) = (graph, format.holds_datasets()) {
            usage.note(name.as_str());
        }
        for quad in quads_of(*graph)? {
            let mut quad = quad?;
            if !format.holds_datasets() {
                // A one-graph syntax never writes the graph's name.
                quad.graph_name = GraphName::DefaultGraph;
            }
            quad_iris(&quad).for_each(|iri| usage.note(iri));
        }
    }
    let used = usage.finish();
    let mut serializer = rdf_serializer(rdf_format, &used, &mut writer)?;
    let mut wrote = Wrote::default();
    if format.holds_datasets() {
        for graph in &graphs {
            for quad in quads_of(*graph)? {
                serializer.serialize_quad(&quad?).map_err(io_err)?;
                wrote.count += 1;
            }
        }
    } else {
        // The default graph, then what the named graphs add to it, each triple once.
        let mut seen: HashSet<Triple> = HashSet::new();
        for (n, graph) in graphs.iter().enumerate() {
            let mut added = false;
            for quad in dataset.graph(*graph)? {
                let triple = Triple::from(quad?);
                if seen.insert(triple.clone()) {
                    serializer.serialize_triple(&triple).map_err(io_err)?;
                    wrote.count += 1;
                    added = true;
                }
            }
            if added && n > 0 {
                wrote.merged += 1;
            }
        }
    }
    finish(serializer).map_err(io_err)?;
    writer.flush().map_err(io_err)?;
    Ok(wrote)
}
