//! Raw command-line arguments become one validated [`Config`] before any work starts (a
//! conflicting option, a format that cannot hold what the command writes, a store in a build
//! without one): after this, `app` only dispatches. The REPL keeps its session settings in
//! the same types ([`Settings`], [`Formats`]).

use crate::cli::{self, Cli, Command, DatasetArgs, RemoteArgs, RunArgs, SourceArg};
use crate::data::endpoint::{Endpoint, EndpointArgs};
use crate::data::graph::DatasetSpec;
use crate::data::{Connection, DatasetChoice, store};
use crate::error::{Error, Result};
use crate::infer::Reasoning;
use crate::output::format::{self, Format, ResultKind};
use crate::sparql::Settings;
use crate::sparql::prefixes::PrefixMap;
use oxigraph::model::NamedNode;
use std::path::{Path, PathBuf};

/// What to do, validated.
#[derive(Debug)]
pub enum Config {
    Query(QueryConfig),
    Update(UpdateConfig),
    Load(LoadConfig),
    Index(IndexConfig),
    Dump(DumpConfig),
    Check(CheckConfig),
    Queries {
        long: bool,
        name: Option<String>,
        format: Option<String>,
    },
    Repl(ReplConfig),
    Serve(ServeConfig),
    Publish(PublishConfig),
    Push(PushConfig),
    Completions(clap_complete::Shell),
    Man,
}

/// The formats chosen for each kind of result (`--format`, `.format`); unset means the
/// default for where the results go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Formats {
    pub solutions: Option<Format>,
    pub graphs: Option<Format>,
}

impl Formats {
    /// A format applies to the kind of result it can hold.
    pub fn set(&mut self, format: Format) {
        match format.kind() {
            ResultKind::Solutions => self.solutions = Some(format),
            ResultKind::Graph => self.graphs = Some(format),
        }
    }

    /// A batch's `--format`: every result is written in it, and one it cannot hold is an
    /// error (in a directory of results, it falls back to its kind's default).
    fn every_result(format: Option<cli::FormatArg>) -> Self {
        let format = format.map(Format::from);
        Self {
            solutions: format,
            graphs: format,
        }
    }

    /// The REPL's `--format`: the format of the results it can hold, as `.format` sets it.
    fn kind_of(format: Option<cli::FormatArg>) -> Self {
        let mut formats = Self::default();
        if let Some(format) = format {
            formats.set(format.into());
        }
        formats
    }
}

#[derive(Debug)]
pub struct QueryConfig {
    pub dataset: Connection,
    pub settings: Settings,
    pub sources: Vec<SourceArg>,
    pub all: bool,
    /// Plans instead of results.
    pub explain: bool,
    pub params: Vec<(String, String)>,
    pub formats: Formats,
    pub output: Option<PathBuf>,
    pub out_dir: Option<PathBuf>,
}

#[derive(Debug)]
pub struct UpdateConfig {
    pub dataset: DatasetChoice,
    pub settings: Settings,
    pub sources: Vec<SourceArg>,
    /// Where the updated dataset goes, and in which syntax (none for a persistent store).
    pub output: Option<(PathBuf, Format)>,
}

#[derive(Debug)]
pub struct LoadConfig {
    pub store: PathBuf,
    pub files: Vec<PathBuf>,
    pub graph: Option<NamedNode>,
    pub data_format: Option<Format>,
}

#[derive(Debug)]
pub struct IndexConfig {
    pub files: Vec<PathBuf>,
    pub out: PathBuf,
    pub reasoning: Reasoning,
    pub data_format: Option<Format>,
}

#[derive(Debug)]
pub struct DumpConfig {
    pub dataset: DatasetChoice,
    pub format: Format,
    pub output: Option<PathBuf>,
    /// `--describe`: the VoID description instead of the data, its dumps under this URL.
    pub describe: Option<String>,
}

#[derive(Debug)]
pub struct CheckConfig {
    pub dataset: DatasetChoice,
    /// None: the text report; otherwise a SHACL validation report in this RDF syntax.
    pub format: Option<Format>,
    pub output: Option<PathBuf>,
}

/// `ffkg publish`: the dataset, where the site goes and where it will be served.
#[derive(Debug, Clone)]
pub struct PublishConfig {
    pub dataset: DatasetChoice,
    pub out: std::path::PathBuf,
    /// Where the site will be served, without a trailing slash.
    pub site_url: String,
    /// `--sources DIR`: the source documents' texts, for quotes in their paragraphs.
    pub sources: Option<std::path::PathBuf>,
}

/// `ffkg push`: what is uploaded, where, and how.
#[derive(Debug)]
pub struct PushConfig {
    pub dataset: DatasetChoice,
    /// The entailments are pushed too (`--reasoning` given).
    pub entailments: bool,
    pub endpoint: Endpoint,
    pub timeout: std::time::Duration,
    pub chunk: usize,
    /// The default graph is written too, even when it is the merge of the named graphs.
    pub copy_default: bool,
}

/// `ffkg serve`: the dataset and every limit of the endpoint.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    pub dataset: DatasetChoice,
    pub settings: Settings,
    pub bind: std::net::SocketAddr,
    pub limits: Limits,
    pub cors: Option<String>,
    /// The bearer token writes must carry; none when the endpoint is read-only.
    pub token: Option<String>,
    /// `--allow-service`: SERVICE calls are made.
    pub allow_service: bool,
    /// `--allow-load`: LOAD fetches its URL.
    pub allow_load: bool,
    /// `--sources DIR`: the source documents' texts, for quotes in their paragraphs.
    pub sources: Option<std::path::PathBuf>,
}

/// What bounds the endpoint's work, each from a flag with a documented default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub timeout: std::time::Duration,
    pub workers: usize,
    pub queue: usize,
    pub max_body: u64,
    pub max_response: u64,
    pub max_connections: usize,
    pub idle_timeout: std::time::Duration,
    /// Rows the HTML results page shows (`format=html`); the rest are counted and linked.
    pub ui_rows: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: std::time::Duration::from_secs(30),
            workers: 4,
            queue: 128,
            max_body: 1 << 20,
            max_response: 256 << 20,
            max_connections: 128,
            idle_timeout: std::time::Duration::from_secs(10),
            ui_rows: 1000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ReplConfig {
    pub dataset: Connection,
    pub settings: Settings,
    pub formats: Formats,
    /// `--keep-going`: a script goes on after a failing statement.
    pub keep_going: bool,
    /// `--color`.
    pub color: crate::output::Color,
    /// `--format` was given (it wins over the settings file's).
    pub format_given: bool,
}

impl Config {
    /// Validates the command line.
    pub fn from_cli(cli: Cli) -> Result<Self> {
        Ok(match cli.command {
            Some(Command::Query(cmd)) => Self::Query(QueryConfig {
                dataset: connection(&cmd.dataset, &cmd.remote, Reasoning::Owl)?,
                settings: Settings {
                    // The names a remote endpoint uses are its own: no warnings from ours.
                    lint: !cmd.run.quiet && cmd.remote.endpoint.is_none(),
                    ..settings(&cmd.run)
                },
                sources: cmd.sources,
                all: cmd.all,
                explain: cmd.explain,
                params: cmd.params,
                formats: Formats::every_result(cmd.output.format),
                output: cmd.output.output,
                out_dir: cmd.out_dir,
            }),
            Some(Command::Update(cmd)) => {
                // An update's WHERE sees what a query sees (and the REPL): the entailments too.
                let dataset = dataset_choice(&cmd.dataset, Reasoning::Owl)?;
                let output = match &cmd.output {
                    Some(path) => Some((
                        path.clone(),
                        dataset_format(cmd.format.map(Format::from), Some(path), Format::Nquads)?,
                    )),
                    None if matches!(dataset, DatasetChoice::Memory(_)) => {
                        return Err(Error::usage(
                            "an update of the in-memory graph would be lost: give --output FILE \
                             to write the result, or --store DIR to update a persistent store",
                        ));
                    }
                    None => None,
                };
                Self::Update(UpdateConfig {
                    dataset,
                    settings: settings(&cmd.run),
                    sources: cmd.sources,
                    output,
                })
            }
            Some(Command::Load(cmd)) => {
                if !store::AVAILABLE {
                    return Err(store::unavailable());
                }
                let data_format = cmd.data_format.map(Format::from);
                for path in &cmd.files {
                    format::rdf_format_for_input(path, data_format)?;
                }
                let graph = cmd
                    .graph
                    .as_deref()
                    .map(|iri| {
                        NamedNode::new(iri).map_err(|e| {
                            Error::usage(format!("--graph '{iri}' is not an IRI: {e}"))
                        })
                    })
                    .transpose()?;
                Self::Load(LoadConfig {
                    store: cmd.store,
                    files: cmd.files,
                    graph,
                    data_format,
                })
            }
            Some(Command::Index(cmd)) => {
                let data_format = cmd.data_format.map(Format::from);
                for path in &cmd.files {
                    format::rdf_format_for_input(path, data_format)?;
                }
                Self::Index(IndexConfig {
                    files: cmd.files,
                    out: cmd.out,
                    reasoning: cmd.reasoning.map_or(Reasoning::None, Reasoning::from),
                    data_format,
                })
            }
            Some(Command::Dump(cmd)) => Self::Dump(DumpConfig {
                dataset: dataset_choice(&cmd.dataset, Reasoning::None)?,
                format: dataset_format(
                    cmd.format.map(Format::from),
                    cmd.output.as_deref(),
                    // A description is one graph.
                    if cmd.describe {
                        Format::Turtle
                    } else {
                        Format::Trig
                    },
                )?,
                output: cmd.output,
                describe: cmd
                    .describe
                    .then(|| cmd.site_url.trim_end_matches('/').to_owned()),
            }),
            Some(Command::Check(cmd)) => Self::Check(CheckConfig {
                dataset: dataset_choice(&cmd.dataset, Reasoning::None)?,
                // Without --format, an output file's extension says it (`-o report.ttl`).
                format: match cmd.format.map(Format::from).or_else(|| {
                    cmd.output
                        .as_deref()
                        .and_then(|path| Format::from_path(path).0)
                }) {
                    None | Some(Format::Table) => None,
                    Some(format) => {
                        Some(format.check_kind(ResultKind::Graph, "a validation report")?)
                    }
                },
                output: cmd.output,
            }),
            Some(Command::Queries(cmd)) => Self::Queries {
                long: cmd.long,
                name: cmd.name,
                format: cmd.format,
            },
            Some(Command::Completions(cmd)) => Self::Completions(cmd.shell),
            Some(Command::Man) => Self::Man,
            Some(Command::Serve(cmd)) => Self::Serve(ServeConfig {
                dataset: dataset_choice(&cmd.dataset, Reasoning::Owl)?,
                settings: Settings {
                    prefixes: PrefixMap::default(),
                    base_iri: cmd.base.clone(),
                    timeout: Some(cmd.timeout),
                    lint: false,
                },
                bind: cmd.bind,
                limits: Limits {
                    timeout: cmd.timeout,
                    workers: usize::from(cmd.workers),
                    queue: usize::from(cmd.queue),
                    max_body: cmd.max_body,
                    max_response: cmd.max_response,
                    max_connections: usize::from(cmd.max_connections),
                    idle_timeout: cmd.idle_timeout,
                    ui_rows: cmd.ui_rows,
                },
                token: cmd.token_file.as_deref().map(read_token).transpose()?,
                cors: cmd.cors,
                allow_service: cmd.allow_service,
                allow_load: cmd.allow_load,
                sources: sources_dir(cmd.sources)?,
            }),
            Some(Command::Publish(cmd)) => Self::Publish(PublishConfig {
                dataset: dataset_choice(&cmd.dataset, Reasoning::Owl)?,
                out: cmd.out,
                site_url: cmd.site_url.trim_end_matches('/').to_owned(),
                sources: sources_dir(cmd.sources)?,
            }),
            Some(Command::Push(cmd)) => {
                let Some(endpoint) = remote_endpoint(&cmd.remote)? else {
                    return Err(Error::usage(
                        "push needs --endpoint URL: the store's SPARQL endpoint (with \
                         --graph-store URL when its Graph Store Protocol is elsewhere)",
                    ));
                };
                Self::Push(PushConfig {
                    dataset: dataset_choice(&cmd.dataset, Reasoning::None)?,
                    entailments: cmd.dataset.reasoning.is_some(),
                    endpoint,
                    timeout: cmd.timeout.unwrap_or(crate::sparql::Fetch::DEFAULT_TIMEOUT),
                    chunk: cmd.chunk as usize,
                    copy_default: cmd.copy_default,
                })
            }
            Some(Command::Repl(cmd)) => Self::Repl(repl(&cmd)?),
            None => Self::Repl(repl(&cli::ReplCmd::default())?),
        })
    }
}

fn repl(cmd: &cli::ReplCmd) -> Result<ReplConfig> {
    Ok(ReplConfig {
        dataset: connection(&cmd.dataset, &cmd.remote, Reasoning::Owl)?,
        settings: Settings {
            lint: !cmd.run.quiet && cmd.remote.endpoint.is_none(),
            ..settings(&cmd.run)
        },
        formats: Formats::kind_of(cmd.format),
        keep_going: cmd.keep_going,
        color: cmd.color.into(),
        format_given: cmd.format.is_some(),
    })
}

/// Validates the dataset options. `embedded_default` is the command's reasoning level for the
/// embedded graph when `--reasoning` is not given (a user's own files alone get none).
pub fn dataset_choice(args: &DatasetArgs, embedded_default: Reasoning) -> Result<DatasetChoice> {
    let reasoning = args.reasoning.map(Reasoning::from);
    if let Some(dir) = &args.store {
        if !store::AVAILABLE {
            return Err(store::unavailable());
        }
        if reasoning.is_some_and(|r| r != Reasoning::None) {
            return Err(Error::usage(
                "--reasoning works on in-memory graphs, not on a persistent store: query the \
                 store's data with --no-embedded --data, or materialise it with `ffkg dump \
                 --reasoning owl` and load the result",
            ));
        }
        return Ok(DatasetChoice::Persistent(dir.clone()));
    }
    if let Some(path) = &args.index {
        return Ok(DatasetChoice::Index(path.clone()));
    }
    let reasoning = reasoning.unwrap_or(if args.no_embedded {
        Reasoning::None
    } else {
        embedded_default
    });
    Ok(DatasetChoice::Memory(DatasetSpec {
        embedded: !args.no_embedded,
        data: args.data.clone(),
        named: args.named.clone(),
        data_format: args.data_format.map(Format::from),
        reasoning,
    }))
}

/// The endpoint of `--endpoint`, settled from the config file and the environment.
fn remote_endpoint(args: &RemoteArgs) -> Result<Option<Endpoint>> {
    let Some(endpoint) = &args.endpoint else {
        return Ok(None);
    };
    let args = EndpointArgs {
        endpoint: endpoint.clone(),
        update: args.endpoint_update.clone(),
        store: args.graph_store.clone(),
        headers: args.headers.clone(),
    };
    Endpoint::resolve(&args, &|name| std::env::var(name).ok()).map(Some)
}

/// A remote endpoint when `--endpoint` is given (no local dataset options with it), else the
/// local dataset.
fn connection(
    dataset: &DatasetArgs,
    remote: &RemoteArgs,
    embedded_default: Reasoning,
) -> Result<Connection> {
    let Some(endpoint) = remote_endpoint(remote)? else {
        return dataset_choice(dataset, embedded_default).map(Connection::Local);
    };
    let local = [
        (!dataset.data.is_empty(), "--data"),
        (!dataset.named.is_empty(), "--named"),
        (dataset.data_format.is_some(), "--data-format"),
        (dataset.no_embedded, "--no-embedded"),
        (dataset.reasoning.is_some(), "--reasoning"),
        (dataset.store.is_some(), "--store"),
        (dataset.index.is_some(), "--index"),
    ];
    if let Some((_, flag)) = local.iter().find(|(given, _)| *given) {
        return Err(Error::usage(format!(
            "{flag} chooses local data, and --endpoint runs on the endpoint's: give one or the \
             other (to put local data into the endpoint's store, use `ffkg push`)"
        )));
    }
    Ok(Connection::Remote(Box::new(endpoint)))
}

/// The parsing and evaluation settings of the run options.
pub fn settings(run: &RunArgs) -> Settings {
    Settings {
        prefixes: PrefixMap::default(),
        base_iri: run.base.clone(),
        timeout: run.timeout,
        lint: !run.quiet,
    }
}

/// The RDF syntax of a dataset written to `path`: `--format`, else its extension, else `fallback`.
pub fn dataset_format(
    explicit: Option<Format>,
    path: Option<&Path>,
    fallback: Format,
) -> Result<Format> {
    let format = match (explicit, path.and_then(|p| Format::from_path(p).0)) {
        (Some(f), _) | (None, Some(f)) => f,
        (None, None) => match path {
            Some(p) => {
                return Err(Error::usage(format!(
                    "cannot tell the RDF syntax of '{}' from its extension: give --format (one of {})",
                    p.display(),
                    format::names(&format::GRAPH_FORMATS)
                )));
            }
            None => fallback,
        },
    };
    format.check_kind(ResultKind::Graph, "a dataset")
}

/// The bearer token in the first line of `path`: at least 16 characters, no spaces, so that it
/// cannot be guessed or mangled in a header.
fn read_token(path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let token = text.lines().next().unwrap_or("").trim();
    if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::usage(format!(
            "{}: the token must be one line of at least 16 visible ASCII characters, no \
             spaces (for example: openssl rand -hex 32 > {})",
            path.display(),
            path.display()
        )));
    }
    Ok(token.to_owned())
}

/// `--sources DIR`, checked before any work: a directory that is there.
fn sources_dir(dir: Option<std::path::PathBuf>) -> Result<Option<std::path::PathBuf>> {
    match dir {
        Some(dir) if !dir.is_dir() => Err(Error::usage(format!(
            "--sources {}: not a directory (give the directory of the source documents' text \
             files)",
            dir.display()
        ))),
        other => Ok(other),
    }
}
