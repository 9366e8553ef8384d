//! Streaming query results and datasets to any writer, in every format of [`Format`].

use super::{RenderOptions, Written, chart, table};
use crate::error::{Error, Result};
use crate::output::format::Format;
use crate::output::jsonld::{Compact, RdfWriter};
use crate::sparql::prefixes::PrefixMap;
use oxigraph::io::{RdfFormat, RdfSerializer, WriterQuadSerializer};
use oxigraph::model::{GraphName, NamedOrBlankNode, Quad, Term, vocab::xsd};
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::QueryResultsSerializer;
use std::io::{self, Write};

/// Writes query results in `options.format`, row by row, and flushes.
pub fn write_results<W: Write>(
    results: QueryResults<'static>,
    options: &RenderOptions<'_>,
    origin: &str,
    mut writer: W,
) -> Result<Written> {
    let io_err = |e: io::Error| Error::io(options.output_name, e);
    let summary = match results {
        QueryResults::Boolean(value) => {
            match options.format.results_format() {
                Some(format) => {
                    QueryResultsSerializer::from_format(format)
                        .serialize_boolean_to_writer(&mut writer, value)
                        .map_err(io_err)?;
                    // sparesults ends no boolean with a newline; a line of its own keeps the
                    // next result (or the shell's prompt) off it.
                    writeln!(writer).map_err(io_err)?;
                }
                None => writeln!(writer, "{value}").map_err(io_err)?,
            }
            Written { rows: 1, hidden: 0 }
        }
        QueryResults::Solutions(solutions) => match options.format.results_format() {
            Some(format) => {
                let mut serializer = QueryResultsSerializer::from_format(format)
                    .serialize_solutions_to_writer(&mut writer, solutions.variables().to_vec())
                    .map_err(io_err)?;
                let mut rows = 0;
                for solution in solutions {
                    let solution = solution.map_err(|e| Error::from_evaluation(origin, e))?;
                    serializer.serialize(&solution).map_err(io_err)?;
                    rows += 1;
                }
                serializer.finish().map_err(io_err)?;
                // CSV and TSV end their last row with a newline; JSON and XML end with none.
                if matches!(options.format, Format::Json | Format::Xml) {
                    writeln!(writer).map_err(io_err)?;
                }
                Written { rows, hidden: 0 }
            }
            None => match options.format {
                Format::Chart | Format::Svg => chart::write_chart(
                    solutions,
                    options,
                    origin,
                    &mut writer,
                    options.format == Format::Svg,
                )?,
                _ => table::write_table(solutions, options, origin, &mut writer)?,
            },
        },
        QueryResults::Graph(triples) => {
            let rdf_format = options.format.rdf_format().ok_or_else(|| {
                Error::usage(format!("format '{}' cannot hold a graph", options.format))
            })?;
            let mut triples = triples
                .map(|t| t.map_err(|e| Error::from_evaluation(origin, e)))
                .peekable();
            let head: Vec<Quad> = triples
                .by_ref()
                .take(PREFIX_SCAN)
                .map(|t| t.map(|t| t.in_graph(GraphName::DefaultGraph)))
                .collect::<Result<_>>()?;
            let more = triples.peek().is_some();
            let prefixes = head_prefixes(options.prefixes, &head, more, &[]);
            let mut serializer = rdf_serializer(rdf_format, &prefixes, &mut writer)?;
            let mut rows = 0;
            for quad in &head {
                serializer.serialize_triple(quad.as_ref()).map_err(io_err)?;
                rows += 1;
            }
            for triple in triples {
                serializer.serialize_triple(&triple?).map_err(io_err)?;
                rows += 1;
            }
            finish(serializer).map_err(io_err)?;
            Written { rows, hidden: 0 }
        }
    };
    writer.flush().map_err(io_err)?;
    Ok(summary)
}

/// How many triples or quads are read ahead to find the prefixes an output uses; when more
/// follow, every prefix of the map is declared.
const PREFIX_SCAN: usize = 1000;

/// The IRIs a quad mentions, to find which prefixes it uses.
pub fn quad_iris(quad: &Quad) -> impl Iterator<Item = &str> {
    let subject = match &quad.subject {
        NamedOrBlankNode::NamedNode(n) => Some(n.as_str()),
        NamedOrBlankNode::BlankNode(_) => None,
    };
    let object = match &quad.object {
        Term::NamedNode(n) => Some(n.as_str()),
        // Plain and language-tagged strings print no datatype.
        Term::Literal(l) if l.language().is_none() && l.datatype() != xsd::STRING => {
            Some(l.datatype().as_str())
        }
        _ => None,
    };
    let graph = match &quad.graph_name {
        GraphName::NamedNode(n) => Some(n.as_str()),
        _ => None,
    };
    [subject, Some(quad.predicate.as_str()), object, graph]
        .into_iter()
        .flatten()
}

/// A serializer for `format` writing into `writer`: the prefixes declared in the syntaxes that
/// have them, JSON-LD compacted by them.
pub fn rdf_serializer<W: Write>(
    format: RdfFormat,
    prefixes: &PrefixMap,
    writer: W,
) -> Result<WriterQuadSerializer<RdfWriter<W>>> {
    let writer = if matches!(format, RdfFormat::JsonLd { .. }) {
        RdfWriter::JsonLd(Box::new(Compact::new(writer, prefixes)))
    } else {
        RdfWriter::Plain(writer)
    };
    Ok(serializer(format, prefixes)?.for_writer(writer))
}

/// Ends what [`rdf_serializer`] writes.
pub fn finish<W: Write>(serializer: WriterQuadSerializer<RdfWriter<W>>) -> io::Result<W> {
    serializer.finish()?.finish()
}

/// Prefixes for an output whose first `head` quads are read ahead: those they use, or when
/// more follow (and may use any), the whole map.
fn head_prefixes(map: &PrefixMap, head: &[Quad], more: bool, graphs: &[&str]) -> PrefixMap {
    if more {
        map.clone()
    } else {
        map.used_by(
            head.iter()
                .flat_map(quad_iris)
                .chain(graphs.iter().copied()),
        )
    }
}

/// A serializer that writes the prefixes in the syntaxes that have them.
pub fn serializer(format: RdfFormat, prefixes: &PrefixMap) -> Result<RdfSerializer> {
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(
        format,
        RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::RdfXml
    ) {
        for (prefix, iri) in prefixes.iter() {
            serializer = serializer
                .with_prefix(prefix, iri)
                .map_err(|e| Error::usage(format!("bad prefix {prefix}: <{iri}>: {e}")))?;
        }
    }
    Ok(serializer)
}

/// Writes quads in a dataset syntax, or their triples in a graph syntax, declaring the prefixes
/// the first quads and the named `graphs` use (all of them when more quads follow). Returns the
/// number written.
pub fn write_quads<W: Write>(
    quads: impl Iterator<Item = Result<Quad>>,
    graphs: &[String],
    format: Format,
    prefixes: &PrefixMap,
    output_name: &str,
    mut writer: W,
) -> Result<u64> {
    let rdf_format = format.rdf_format().ok_or_else(|| {
        Error::usage(format!(
            "format '{format}' is for query results: a dump needs one of {}",
            crate::output::format::names(&crate::output::format::GRAPH_FORMATS)
        ))
    })?;
    let io_err = |e: io::Error| Error::io(output_name, e);
    let mut quads = quads.peekable();
    let head: Vec<Quad> = quads.by_ref().take(PREFIX_SCAN).collect::<Result<_>>()?;
    let graph_iris: Vec<&str> = graphs
        .iter()
        .filter(|_| format.holds_datasets())
        .map(String::as_str)
        .collect();
    let more = quads.peek().is_some();
    let prefixes = head_prefixes(prefixes, &head, more, &graph_iris);
    let mut serializer = rdf_serializer(rdf_format, &prefixes, &mut writer)?;
    let mut count = 0;
    for quad in head.into_iter().map(Ok).chain(quads) {
        let quad = quad?;
        if format.holds_datasets() {
            serializer.serialize_quad(&quad).map_err(io_err)?;
        } else {
            serializer.serialize_triple(quad.as_ref()).map_err(io_err)?;
        }
        count += 1;
    }
    finish(serializer).map_err(io_err)?;
    writer.flush().map_err(io_err)?;
    Ok(count)
}
