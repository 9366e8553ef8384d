//! Closed enums for result and RDF formats: from a name, an extension or a media type, and back.

use crate::error::{Error, Result};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;
use std::fmt;
use std::path::Path;

/// What a query returns, which decides the formats it can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// SELECT and ASK: solutions or a boolean.
    Solutions,
    /// CONSTRUCT and DESCRIBE: a graph.
    Graph,
}

/// Every output format of ffkg: the first five for solutions, the rest for graphs and datasets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Aligned text table for people (solutions).
    Table,
    /// SPARQL 1.1 Query Results CSV (solutions).
    Csv,
    /// SPARQL 1.1 Query Results TSV (solutions).
    Tsv,
    /// SPARQL 1.1 Query Results JSON (solutions).
    Json,
    /// SPARQL Query Results XML (solutions).
    Xml,
    /// A bar chart in Unicode blocks, for people (solutions).
    Chart,
    /// A bar chart as an SVG image (solutions).
    Svg,
    /// Turtle (graphs).
    Turtle,
    /// N-Triples (graphs).
    Ntriples,
    /// N-Quads (datasets: keeps named graphs).
    Nquads,
    /// TriG (datasets: keeps named graphs).
    Trig,
    /// JSON-LD (graphs).
    Jsonld,
    /// RDF/XML (graphs).
    Rdfxml,
}

impl Format {
    pub const ALL: [Self; 13] = [
        Self::Table,
        Self::Csv,
        Self::Tsv,
        Self::Json,
        Self::Xml,
        Self::Chart,
        Self::Svg,
        Self::Turtle,
        Self::Ntriples,
        Self::Nquads,
        Self::Trig,
        Self::Jsonld,
        Self::Rdfxml,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Json => "json",
            Self::Xml => "xml",
            Self::Chart => "chart",
            Self::Svg => "svg",
            Self::Turtle => "turtle",
            Self::Ntriples => "ntriples",
            Self::Nquads => "nquads",
            Self::Trig => "trig",
            Self::Jsonld => "jsonld",
            Self::Rdfxml => "rdfxml",
        }
    }

    /// Parses a format name or one of its aliases (as `--format` and `.format` accept them).
    pub fn from_name(name: &str) -> Result<Self> {
        let name = name.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|f| f.name() == name || f.aliases().contains(&name.as_str()))
            .ok_or_else(|| {
                Error::usage(format!(
                    "unknown format '{name}': valid formats are {}",
                    names(&Self::ALL)
                ))
            })
    }

    /// Other names a format is known by (`ttl`, `nt`, `json-ld` …).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Turtle => &["ttl"],
            Self::Ntriples => &["nt"],
            Self::Nquads => &["nq"],
            Self::Jsonld => &["json-ld"],
            Self::Rdfxml => &["rdf", "owl"],
            _ => &[],
        }
    }

    pub fn kind(self) -> ResultKind {
        match self {
            Self::Table
            | Self::Csv
            | Self::Tsv
            | Self::Json
            | Self::Xml
            | Self::Chart
            | Self::Svg => ResultKind::Solutions,
            _ => ResultKind::Graph,
        }
    }

    /// The format a file extension names (`csv`, `ttl`, `nq` …); `.gz` is not an extension of
    /// a format, see [`Format::from_path`].
    pub fn from_extension(extension: &str) -> Option<Self> {
        Some(match extension.to_ascii_lowercase().as_str() {
            "txt" | "table" => Self::Table,
            "csv" => Self::Csv,
            "tsv" => Self::Tsv,
            "srj" | "json" => Self::Json,
            "srx" | "xml" => Self::Xml,
            "svg" => Self::Svg,
            "ttl" | "turtle" => Self::Turtle,
            "nt" | "ntriples" => Self::Ntriples,
            "nq" | "nquads" => Self::Nquads,
            "trig" => Self::Trig,
            "jsonld" => Self::Jsonld,
            "rdf" | "owl" | "rdfxml" => Self::Rdfxml,
            _ => return None,
        })
    }

    /// The format of a path from its extension, looking through a final `.gz`; also says
    /// whether the file is gzip-compressed.
    pub fn from_path(path: &Path) -> (Option<Self>, bool) {
        let gzipped = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        let inner = if gzipped {
            path.file_stem().map(Path::new)
        } else {
            Some(path)
        };
        let format = inner
            .and_then(Path::extension)
            .and_then(|e| e.to_str())
            .and_then(Self::from_extension);
        (format, gzipped)
    }

    /// The format a media type names, ignoring parameters (`text/csv; charset=utf-8`).
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        let base = media_type.split(';').next()?.trim().to_ascii_lowercase();
        let base_of = |m: &str| m.split(';').next().unwrap_or(m).trim().to_owned();
        Self::ALL
            .into_iter()
            .find(|f| base_of(f.media_type()) == base)
            .or(match base.as_str() {
                "application/json" => Some(Self::Json),
                "application/xml" | "text/xml" => Some(Self::Xml),
                "application/x-turtle" => Some(Self::Turtle),
                "application/rdf+xml" => Some(Self::Rdfxml),
                _ => None,
            })
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Table | Self::Chart => "text/plain",
            Self::Svg => "image/svg+xml",
            Self::Csv => QueryResultsFormat::Csv.media_type(),
            Self::Tsv => QueryResultsFormat::Tsv.media_type(),
            Self::Json => QueryResultsFormat::Json.media_type(),
            Self::Xml => QueryResultsFormat::Xml.media_type(),
            other => other
                .rdf_format()
                .map_or("application/octet-stream", RdfFormat::media_type),
        }
    }

    pub fn file_extension(self) -> &'static str {
        match self {
            Self::Table | Self::Chart => "txt",
            Self::Svg => "svg",
            Self::Csv => "csv",
            Self::Tsv => "tsv",
            Self::Json => "srj",
            Self::Xml => "srx",
            other => other.rdf_format().map_or("txt", RdfFormat::file_extension),
        }
    }

    /// The W3C result format behind a machine-readable solutions format.
    pub fn results_format(self) -> Option<QueryResultsFormat> {
        match self {
            Self::Csv => Some(QueryResultsFormat::Csv),
            Self::Tsv => Some(QueryResultsFormat::Tsv),
            Self::Json => Some(QueryResultsFormat::Json),
            Self::Xml => Some(QueryResultsFormat::Xml),
            _ => None,
        }
    }

    /// The RDF syntax behind a graph format.
    pub fn rdf_format(self) -> Option<RdfFormat> {
        match self {
            Self::Turtle => Some(RdfFormat::Turtle),
            Self::Ntriples => Some(RdfFormat::NTriples),
            Self::Nquads => Some(RdfFormat::NQuads),
            Self::Trig => Some(RdfFormat::TriG),
            Self::Jsonld => Some(RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            }),
            Self::Rdfxml => Some(RdfFormat::RdfXml),
            _ => None,
        }
    }

    /// True for syntaxes that hold named graphs (N-Quads, TriG).
    pub fn holds_datasets(self) -> bool {
        matches!(self, Self::Nquads | Self::Trig)
    }

    /// Checks that this format can hold a result of `kind`, with an error that lists the ones
    /// that can.
    pub fn check_kind(self, kind: ResultKind, what: &str) -> Result<Self> {
        if self.kind() == kind {
            return Ok(self);
        }
        let fitting: Vec<Self> = Self::ALL.into_iter().filter(|f| f.kind() == kind).collect();
        let (returns, _) = describe(kind);
        Err(Error::usage(format!(
            "format '{}' cannot hold {what}, which returns {returns}: use one of {}",
            self.name(),
            names(&fitting)
        )))
    }

    /// Resolves the output format: `--format` first, then the output file's extension, then
    /// the default (a table for a person at a terminal, TSV for a program, Turtle for graphs).
    pub fn resolve(
        explicit: Option<Self>,
        output: Option<&Path>,
        kind: ResultKind,
        terminal: bool,
        what: &str,
    ) -> Result<Self> {
        if let Some(format) = explicit {
            return format.check_kind(kind, what);
        }
        if let Some(path) = output {
            return match Self::from_path(path).0 {
                Some(format) => format.check_kind(kind, what),
                None => Err(Error::usage(format!(
                    "cannot tell the format of '{}' from its extension: give --format (one of {})",
                    path.display(),
                    names(&Self::ALL)
                ))),
            };
        }
        Ok(match kind {
            ResultKind::Solutions if terminal => Self::Table,
            ResultKind::Solutions => Self::Tsv,
            ResultKind::Graph => Self::Turtle,
        })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An input RDF syntax, for `--data` and `--data-format`.
pub fn rdf_format_for_input(path: &Path, explicit: Option<Format>) -> Result<(RdfFormat, bool)> {
    let (guessed, gzipped) = Format::from_path(path);
    let format = explicit.or(guessed).ok_or_else(|| {
        Error::usage(format!(
            "cannot tell the RDF syntax of '{}' from its extension: give --data-format (one of {})",
            path.display(),
            names(&GRAPH_FORMATS)
        ))
    })?;
    match format.rdf_format() {
        Some(rdf) => Ok((rdf, gzipped)),
        None => Err(Error::usage(format!(
            "'{}' is a results format, not an RDF syntax: data files must be one of {}",
            format.name(),
            names(&GRAPH_FORMATS)
        ))),
    }
}

/// The formats that hold RDF graphs or datasets.
pub const GRAPH_FORMATS: [Format; 6] = [
    Format::Turtle,
    Format::Ntriples,
    Format::Nquads,
    Format::Trig,
    Format::Jsonld,
    Format::Rdfxml,
];

fn describe(kind: ResultKind) -> (&'static str, &'static str) {
    match kind {
        ResultKind::Solutions => ("solutions", "SELECT/ASK"),
        ResultKind::Graph => ("a graph", "CONSTRUCT/DESCRIBE"),
    }
}

pub fn names(formats: &[Format]) -> String {
    formats
        .iter()
        .map(|f| f.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_media_types_and_extensions() {
        // A chart is text for a terminal: its media type and extension name the table.
        assert_eq!(
            Format::from_extension(Format::Chart.file_extension()),
            Some(Format::Table)
        );
        for format in Format::ALL.into_iter().filter(|f| *f != Format::Chart) {
            assert_eq!(Format::from_media_type(format.media_type()), Some(format));
            assert_eq!(
                Format::from_extension(format.file_extension()),
                Some(format)
            );
        }
    }

    #[test]
    fn looks_through_gzip() {
        assert_eq!(
            Format::from_path(Path::new("a/b.ttl.gz")),
            (Some(Format::Turtle), true)
        );
        assert_eq!(
            Format::from_path(Path::new("b.nq")),
            (Some(Format::Nquads), false)
        );
        assert_eq!(Format::from_path(Path::new("b.unknown")), (None, false));
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let err = Format::from_name("yaml").unwrap_err().to_string();
        assert!(
            err.contains("table, csv, tsv, json, xml, chart, svg, turtle"),
            "{err}"
        );
        assert_eq!(Format::from_name("TTL").ok(), Some(Format::Turtle));
    }

    #[test]
    fn defaults_depend_on_the_terminal() {
        let r = |t| Format::resolve(None, None, ResultKind::Solutions, t, "q").ok();
        assert_eq!(r(true), Some(Format::Table));
        assert_eq!(r(false), Some(Format::Tsv));
        let graph = Format::resolve(None, None, ResultKind::Graph, true, "q").ok();
        assert_eq!(graph, Some(Format::Turtle));
    }

    #[test]
    fn output_extension_decides_unless_format_given() {
        let out = Path::new("x.csv");
        let f = Format::resolve(None, Some(out), ResultKind::Solutions, true, "q").ok();
        assert_eq!(f, Some(Format::Csv));
        let f = Format::resolve(
            Some(Format::Json),
            Some(out),
            ResultKind::Solutions,
            true,
            "q",
        );
        assert_eq!(f.ok(), Some(Format::Json));
        let err = Format::resolve(Some(Format::Csv), None, ResultKind::Graph, true, "q")
            .unwrap_err()
            .to_string();
        assert!(err.contains("turtle, ntriples"), "{err}");
    }
}
