//! The option groups several subcommands share (where the data is, how statements run, where
//! results go) and the values their options take.

use crate::infer::Reasoning;
use crate::output::format::Format;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

/// Where the data comes from.
#[derive(Debug, Clone, Default, Args)]
pub struct DatasetArgs {
    /// Add an RDF file to the default graph (repeatable; syntax from the extension, `.gz`
    /// accepted). Named graphs in N-Quads or TriG files stay named, and beside the embedded
    /// graph join the default graph too, as its own graphs do.
    #[arg(long = "data", short = 'd', value_name = "FILE")]
    pub data: Vec<PathBuf>,
    /// Load an RDF file into a named graph of its own, named by the file's URL
    /// (file:///…; repeatable). Named graphs inside N-Quads or TriG files keep their names.
    #[arg(long = "named", value_name = "FILE")]
    pub named: Vec<PathBuf>,
    /// The RDF syntax of --data and --named files, overriding their extensions: turtle,
    /// ntriples, nquads, trig, jsonld or rdfxml.
    #[arg(
        long = "data-format",
        value_name = "FORMAT",
        hide_possible_values = true
    )]
    pub data_format: Option<DataFormatArg>,
    /// Leave out the embedded graph: query only your own files, with plain SPARQL dataset
    /// semantics (the default graph is your --data files, the named graphs your --named files).
    #[arg(long = "no-embedded")]
    pub no_embedded: bool,
    /// Reasoning: none, rdfs or owl. The entailments go in graph:inferred, part of the default
    /// graph. Default: owl for `query`, `repl`, `update` and `serve` on the embedded graph
    /// (with or without --data), none with --no-embedded, with --store, and for `check` and
    /// `dump`. Written datasets hold the entailments only from `dump --reasoning`.
    #[arg(long = "reasoning", value_name = "LEVEL")]
    pub reasoning: Option<ReasoningArg>,
    /// Use the persistent store in DIR instead of an in-memory graph (needs the `rocksdb`
    /// feature). The store's default graph is the default graph.
    #[arg(long = "store", value_name = "DIR", conflicts_with_all = ["data", "named", "no_embedded"])]
    pub store: Option<PathBuf>,
    /// Query the read-only index FILE that `ffkg index` built, in place, instead of the
    /// embedded graph: its default graph is the default graph, its entailments those it was
    /// built with.
    #[arg(
        long = "index",
        value_name = "FILE",
        conflicts_with_all = ["data", "named", "no_embedded", "store", "reasoning", "data_format"]
    )]
    pub index: Option<PathBuf>,
}

/// A remote SPARQL endpoint to run statements on instead of a local dataset.
#[derive(Debug, Clone, Default, Args)]
pub struct RemoteArgs {
    /// Run on a remote SPARQL 1.1 endpoint instead of the local graph: its URL, or the name of
    /// an entry in ~/.config/ffkg/endpoints.toml. Credentials: FFKG_ENDPOINT_TOKEN (bearer),
    /// FFKG_ENDPOINT_USER and FFKG_ENDPOINT_PASSWORD (basic), or ~/.netrc.
    #[arg(long = "endpoint", value_name = "URL|NAME")]
    pub endpoint: Option<String>,
    /// Where updates go, when not to the --endpoint URL.
    #[arg(long = "endpoint-update", value_name = "URL", requires = "endpoint")]
    pub endpoint_update: Option<String>,
    /// The endpoint's SPARQL 1.1 Graph Store Protocol URL (`ffkg push` uploads through it).
    #[arg(long = "graph-store", value_name = "URL", requires = "endpoint")]
    pub graph_store: Option<String>,
    /// An HTTP header sent with every request to the endpoint (`--header 'Name: value'`;
    /// repeatable).
    #[arg(long = "header", value_name = "NAME: VALUE", requires = "endpoint")]
    pub headers: Vec<String>,
}

/// How queries are parsed and run.
#[derive(Debug, Clone, Default, Args)]
pub struct RunArgs {
    /// Stop a query that runs longer than SECONDS (decimals allowed) with a message.
    #[arg(long = "timeout", value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    /// Stop a statement once the process holds more than MIB mebibytes (the data included),
    /// with a message, rather than let it grow until the system fails it.
    #[arg(long = "max-memory", value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_memory: Option<u64>,
    /// Base IRI for relative IRIs in queries.
    #[arg(long = "base", value_name = "IRI")]
    pub base: Option<String>,
    /// No warnings about names the graph does not use (`ff:abot`: did you mean ff:about?) or
    /// variables a SELECT never binds.
    #[arg(long = "quiet", short = 'q')]
    pub quiet: bool,
}

/// Where results go.
#[derive(Debug, Clone, Default, Args)]
pub struct OutputArgs {
    /// Output format. Solutions: table (default on a terminal), csv, tsv (default otherwise),
    /// json, xml. Graphs: turtle (default), ntriples, nquads, trig, jsonld, rdfxml.
    #[arg(
        long = "format",
        short = 'f',
        value_name = "FORMAT",
        hide_possible_values = true
    )]
    pub format: Option<FormatArg>,
    /// Write to FILE instead of stdout; the format comes from its extension unless --format
    /// says otherwise.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `--format`: every output format, by name or alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
    Chart,
    Svg,
    #[value(alias = "ttl")]
    Turtle,
    #[value(alias = "nt")]
    Ntriples,
    #[value(alias = "nq")]
    Nquads,
    Trig,
    #[value(alias = "json-ld")]
    Jsonld,
    #[value(alias = "rdf", alias = "owl")]
    Rdfxml,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Table => Self::Table,
            FormatArg::Csv => Self::Csv,
            FormatArg::Tsv => Self::Tsv,
            FormatArg::Json => Self::Json,
            FormatArg::Xml => Self::Xml,
            FormatArg::Chart => Self::Chart,
            FormatArg::Svg => Self::Svg,
            FormatArg::Turtle => Self::Turtle,
            FormatArg::Ntriples => Self::Ntriples,
            FormatArg::Nquads => Self::Nquads,
            FormatArg::Trig => Self::Trig,
            FormatArg::Jsonld => Self::Jsonld,
            FormatArg::Rdfxml => Self::Rdfxml,
        }
    }
}

/// `--data-format`: the RDF syntaxes a data file can be in (results formats are refused by
/// clap, with the list of these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DataFormatArg {
    #[value(alias = "ttl")]
    Turtle,
    #[value(alias = "nt")]
    Ntriples,
    #[value(alias = "nq")]
    Nquads,
    Trig,
    #[value(alias = "json-ld")]
    Jsonld,
    #[value(alias = "rdf", alias = "owl")]
    Rdfxml,
}

impl From<DataFormatArg> for Format {
    fn from(arg: DataFormatArg) -> Self {
        match arg {
            DataFormatArg::Turtle => Self::Turtle,
            DataFormatArg::Ntriples => Self::Ntriples,
            DataFormatArg::Nquads => Self::Nquads,
            DataFormatArg::Trig => Self::Trig,
            DataFormatArg::Jsonld => Self::Jsonld,
            DataFormatArg::Rdfxml => Self::Rdfxml,
        }
    }
}

/// `--reasoning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReasoningArg {
    None,
    Rdfs,
    Owl,
}

impl From<ReasoningArg> for Reasoning {
    fn from(arg: ReasoningArg) -> Self {
        match arg {
            ReasoningArg::None => Self::None,
            ReasoningArg::Rdfs => Self::Rdfs,
            ReasoningArg::Owl => Self::Owl,
        }
    }
}

/// One query or update named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceArg {
    /// Text given with -e.
    Inline(String),
    /// A file path, or `-` for stdin.
    File(String),
}

pub(super) fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() && !value.is_empty() => {
            Ok((name.trim_start_matches('?').to_owned(), value.to_owned()))
        }
        _ => Err(format!("'{text}' is not NAME=VALUE")),
    }
}

pub(super) fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds.is_finite()) {
        return Err(format!(
            "the timeout must be a positive number of seconds, not {text}"
        ));
    }
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| format!("{text} seconds is too long a timeout"))
}
