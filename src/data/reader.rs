//! Reads a user's files into the files' index ([`Builder`]) on every core: N-Triples, N-Quads and
//! Turtle a window at a time, each window cut where [`crate::data::split`] says it may be and
//! its pieces parsed and interned on threads of their own, then joined in order. Other syntaxes
//! are read in one pass, and so is a file any piece of which fails to parse — read again from
//! its start, so that the error is reported at its line and column in the file.

use crate::data::graph::{self, DatasetSpec};
use crate::data::index::{Builder, FileJoin, Interned};
use crate::data::split::{self, Segment};
use crate::error::{Error, Result};
use crate::output::format::{Format, rdf_format_for_input};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, NamedNode, Quad};
use oxttl::{NQuadsParser, NTriplesParser, TurtleParser};
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Bytes read at a time (more when one statement is longer).
const WINDOW: usize = 32 << 20;

/// The least a thread is given to parse: below it, starting the thread costs more than it saves.
const MIN_PIECE: usize = 32 << 10;

/// What reading the files took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reading {
    /// Their size on disk.
    pub bytes: u64,
    /// The pieces parsed apart (a file read in one pass is one).
    pub pieces: usize,
    /// The files read again in one pass because a piece did not parse.
    pub reread: usize,
}

/// Reads the spec's files into `builder` as [`graph::load_user_files`] loads them into a store
/// (see there for where each file's graphs go), with a progress bar on a terminal when they are
/// large.
pub fn read(spec: &DatasetSpec, builder: &mut Builder) -> Result<Reading> {
    let files: Vec<PathBuf> = spec.data.iter().chain(&spec.named).cloned().collect();
    // A syntax the names do not give is a usage error, said before a missing file is.
    for path in &files {
        rdf_format_for_input(path, spec.data_format)?;
    }
    let total = crate::output::progress::size_of(&files)?;
    let bar = if total >= 16 << 20 {
        crate::output::progress::bytes(total)
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut reading = Reading {
        bytes: total,
        ..Reading::default()
    };
    for path in &spec.data {
        read_file(
            builder,
            path,
            spec.data_format,
            None,
            spec.embedded,
            &bar,
            &mut reading,
        )?;
    }
    for path in &spec.named {
        let graph = Some(graph::file_url(path)?);
        read_file(
            builder,
            path,
            spec.data_format,
            graph,
            false,
            &bar,
            &mut reading,
        )?;
    }
    bar.finish_and_clear();
    Ok(reading)
}

/// Reads one file: its triples into `graph` (the default graph without), and with `copy_named`
/// its named graphs' quads into the default graph too.
fn read_file(
    builder: &mut Builder,
    path: &Path,
    format: Option<Format>,
    graph: Option<NamedNode>,
    copy_named: bool,
    bar: &indicatif::ProgressBar,
    reading: &mut Reading,
) -> Result<()> {
    let (rdf_format, gzipped) = rdf_format_for_input(path, format)?;
    let syntax = match rdf_format {
        RdfFormat::NTriples => Some(Syntax::Lines { quads: false }),
        RdfFormat::NQuads => Some(Syntax::Lines { quads: true }),
        RdfFormat::Turtle => Some(Syntax::Turtle),
        _ => None,
    };
    if let Some(syntax) = syntax {
        let (mark, position) = (builder.mark(), bar.position());
        let mut join = builder.join(graph.clone(), copy_named);
        if let Some(pieces) = in_pieces(builder, &mut join, path, syntax, gzipped, bar)? {
            reading.pieces += pieces;
            return Ok(());
        }
        builder.rewind(mark);
        bar.set_position(position);
        reading.reread += 1;
    }
    reading.pieces += 1;
    graph::read_file(path, format, graph, bar, &mut |quad| {
        if copy_named && !quad.graph_name.is_default_graph() {
            builder.push(Quad {
                graph_name: GraphName::DefaultGraph,
                ..quad.clone()
            });
        }
        builder.push(quad);
    })
}

#[derive(Debug, Clone, Copy)]
enum Syntax {
    Lines { quads: bool },
    Turtle,
}

/// Reads a file in windows cut into pieces, and says how many; `None` when a piece did not
/// parse (the file is then to be read again in one pass, for the error's position). The
/// windows are read and parsed on a thread of their own while this one joins the pieces of
/// the window before into the index, so the cores are busy while the pieces are joined.
fn in_pieces(
    builder: &mut Builder,
    join: &mut FileJoin,
    path: &Path,
    syntax: Syntax,
    gzipped: bool,
    bar: &indicatif::ProgressBar,
) -> Result<Option<usize>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let counted = crate::output::progress::Counting {
        inner: file,
        bar: bar.clone(),
    };
    let reader = graph::decode(counted, gzipped);
    let base = graph::file_url(path)?.into_string();
    // One window parsed ahead at most, so memory stays within a few windows.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Option<Vec<Interned>>>>(1);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut emit = |parsed| sender.send(Ok(parsed)).is_ok();
            if let Err(e) = windows(reader, path, syntax, base, &mut emit) {
                let _ = sender.send(Err(e));
            }
        });
        let mut pieces = 0;
        for parsed in receiver {
            let Some(parsed) = parsed? else {
                return Ok(None);
            };
            pieces += parsed.len();
            for piece in parsed {
                builder.absorb(piece, join);
            }
        }
        Ok(Some(pieces))
    })
}

/// Reads `reader` a window at a time and hands each run of statements, parsed in pieces, to
/// `emit` in order, or `None` for a run one piece of which did not parse (and stops there); stops
/// too when `emit` says it wants no more.
fn windows(
    mut reader: impl Read,
    path: &Path,
    syntax: Syntax,
    base: String,
    emit: &mut dyn FnMut(Option<Vec<Interned>>) -> bool,
) -> Result<()> {
    let mut prefixes = Prefixes {
        base: Some(base),
        declared: Vec::new(),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    let mut window = WINDOW;
    let mut buffer = Vec::new();
    loop {
        let wanted = window.saturating_sub(buffer.len());
        let read = reader
            .by_ref()
            .take(wanted as u64)
            .read_to_end(&mut buffer)
            .map_err(|e| Error::io(path, e))?;
        let at_end = read < wanted;
        let end = match syntax {
            Syntax::Lines { quads } => {
                let end = if at_end {
                    buffer.len()
                } else {
                    split::lines_end(&buffer)
                };
                let bytes = &buffer[..end];
                let runs = split::pieces(0..end, pieces_for(end, threads), |from| {
                    split::line_boundary(bytes, from)
                });
                let parsed = parse_all(bytes, runs, |piece| lines_piece(piece, quads));
                if !emit_all(emit, parsed) {
                    return Ok(());
                }
                end
            }
            Syntax::Turtle => {
                let scan = split::turtle(&buffer, MIN_PIECE);
                let mut segments = scan.segments;
                let mut end = scan.end;
                if at_end && end < buffer.len() {
                    // The rest: white space, or a statement the parser will find unfinished.
                    segments.push(Segment::Statements(end..buffer.len()));
                    end = buffer.len();
                }
                for segment in segments {
                    let parsed = match segment {
                        Segment::Directive(range) => match prefixes.declare(&buffer[range]) {
                            true => continue,
                            false => None,
                        },
                        Segment::Statements(run) => prefixes.parser().and_then(|parser| {
                            let runs = split::pieces(
                                run.clone(),
                                pieces_for(run.len(), threads),
                                |from| split::cut_boundary(&scan.cuts, from),
                            );
                            parse_all(&buffer, runs, |piece| {
                                turtle_piece(piece, &parser, &prefixes)
                            })
                        }),
                    };
                    if !emit_all(emit, parsed) {
                        return Ok(());
                    }
                }
                end
            }
        };
        if at_end {
            return Ok(());
        }
        window = if end == 0 {
            // A statement longer than the window: read more of it.
            window.saturating_mul(2)
        } else {
            WINDOW
        };
        buffer.drain(..end);
    }
}

/// Hands a parsed run on; false when reading is to stop (it failed, or no one listens).
fn emit_all(
    emit: &mut dyn FnMut(Option<Vec<Interned>>) -> bool,
    parsed: Option<Vec<Interned>>,
) -> bool {
    let failed = parsed.is_none();
    emit(parsed) && !failed
}

fn pieces_for(len: usize, threads: usize) -> usize {
    (len / MIN_PIECE).clamp(1, threads)
}

/// Parses the pieces of `bytes`, the first on this thread and each other on one of its own;
/// `None` when one fails.
fn parse_all(
    bytes: &[u8],
    runs: Vec<Range<usize>>,
    parse: impl Fn(&[u8]) -> Option<Interned> + Sync,
) -> Option<Vec<Interned>> {
    let (first, rest) = runs.split_first()?;
    std::thread::scope(|scope| {
        let parse = &parse;
        let others: Vec<_> = rest
            .iter()
            .map(|run| scope.spawn(move || parse(&bytes[run.clone()])))
            .collect();
        let first = parse(&bytes[first.clone()]);
        let others: Option<Vec<Interned>> = others
            .into_iter()
            .map(|handle| handle.join().ok().flatten())
            .collect();
        Some(std::iter::once(first?).chain(others?).collect())
    })
}

fn lines_piece(bytes: &[u8], quads: bool) -> Option<Interned> {
    let mut piece = Interned::default();
    if quads {
        for quad in NQuadsParser::new().for_slice(bytes) {
            piece.push(quad.ok()?);
        }
    } else {
        for triple in NTriplesParser::new().for_slice(bytes) {
            piece.push_triple(triple.ok()?);
        }
    }
    Some(piece)
}

fn turtle_piece(bytes: &[u8], parser: &TurtleParser, given: &Prefixes) -> Option<Interned> {
    let mut piece = Interned::default();
    let mut triples = parser.clone().for_slice(bytes);
    for triple in &mut triples {
        piece.push_triple(triple.ok()?);
    }
    // A directive inside a piece (one the scan did not see as one) would leave the pieces after
    // it with the wrong prefixes: the file is read again in one pass instead.
    let now = Prefixes::of(triples.base_iri(), triples.prefixes());
    (now == *given).then_some(piece)
}

/// The base IRI and prefixes in force at a point of a Turtle file.
#[derive(Debug, PartialEq, Eq)]
struct Prefixes {
    base: Option<String>,
    /// Sorted by name.
    declared: Vec<(String, String)>,
}

impl Prefixes {
    fn of<'a>(base: Option<&str>, declared: impl Iterator<Item = (&'a str, &'a str)>) -> Self {
        let mut declared: Vec<(String, String)> = declared
            .map(|(name, iri)| (name.to_owned(), iri.to_owned()))
            .collect();
        declared.sort();
        Self {
            base: base.map(str::to_owned),
            declared,
        }
    }

    fn parser(&self) -> Option<TurtleParser> {
        let mut parser = TurtleParser::new();
        if let Some(base) = &self.base {
            parser = parser.with_base_iri(base.as_str()).ok()?;
        }
        for (name, iri) in &self.declared {
            parser = parser.with_prefix(name.as_str(), iri.as_str()).ok()?;
        }
        Some(parser)
    }

    /// Takes in a directive; false when it does not parse.
    fn declare(&mut self, directive: &[u8]) -> bool {
        let Some(parser) = self.parser() else {
            return false;
        };
        let mut parser = parser.for_slice(directive);
        // A directive states no triple: anything from the parser is an error.
        if parser.next().is_some() {
            return false;
        }
        *self = Self::of(parser.base_iri(), parser.prefixes());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::{Prefixes, turtle_piece};

    /// A piece that holds a directive (one the scan missed) is refused, so the file is read
    /// again in one pass rather than later pieces getting stale prefixes.
    #[test]
    fn a_piece_that_changes_the_prefixes_is_refused() {
        let given = Prefixes {
            base: Some("http://example.org/".to_owned()),
            declared: Vec::new(),
        };
        let parser = given.parser().unwrap();
        let plain = turtle_piece(b"<s> <p> <o> .\n<s> <p> <q> .\n", &parser, &given);
        assert_eq!(plain.map(|p| p.len()), Some(2));
        for directive in [
            &b"<s> <p> <o> .\n@prefix ex: <http://e/> .\nex:s <p> <o> .\n"[..],
            b"<s> <p> <o> .\n@base <http://other.example/> .\n<s> <p> <o> .\n",
        ] {
            assert!(turtle_piece(directive, &parser, &given).is_none());
        }
    }
}
