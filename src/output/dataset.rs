//! Writing a whole dataset (`dump`, `update -o`, `.save`): every prefix its triples use
//! declared and no other, each graph in one block, and in a syntax that holds one graph, the
//! named graphs merged into the default graph — each triple once — with a word on it, rather
//! than left out.

use crate::error::{Error, Result};
use crate::output::format::{self, Format};
use crate::output::render::{quad_iris, serializer};
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
}

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
    // A first pass finds the prefixes every triple uses.
    let mut usage = prefixes.usage();
    for graph in &graphs {
        if let (Some(name), true) = (graph, format.holds_datasets()) {
            usage.note(name.as_str());
        }
        for quad in dataset.graph(*graph)? {
            let mut quad = quad?;
            if !format.holds_datasets() {
                // A one-graph syntax never writes the graph's name.
                quad.graph_name = GraphName::DefaultGraph;
            }
            quad_iris(&quad).for_each(|iri| usage.note(iri));
        }
    }
    let used = usage.finish();
    let mut serializer = serializer(rdf_format, &used)?.for_writer(&mut writer);
    let mut wrote = Wrote::default();
    if format.holds_datasets() {
        for graph in &graphs {
            for quad in dataset.graph(*graph)? {
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
    serializer.finish().map_err(io_err)?;
    writer.flush().map_err(io_err)?;
    Ok(wrote)
}
