//! The command line: subcommands, and the option groups they share ([`args`]). Doc comments are
//! the help text.

mod args;

pub use args::{
    DataFormatArg, DatasetArgs, FormatArg, OutputArgs, ReasoningArg, RemoteArgs, RunArgs, SourceArg,
};
use args::{parse_param, parse_timeout};
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

/// `ffkg --version` names the engine and the embedded graph.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (graph ",
    "0.2.0",
    ", oxigraph 0.5)"
);

/// Query a curated knowledge graph of foreign fighters who joined the Islamic State — or any
/// RDF — with SPARQL, in a REPL or in batch.
///
/// With no subcommand, opens the REPL on a terminal and reads statements from stdin otherwise.
#[derive(Debug, Parser)]
#[command(name = "ffkg", version = VERSION, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// `--max-memory` in bytes, for the commands that run statements.
    pub fn max_memory(&self) -> Option<u64> {
        let mib = match &self.command {
            Some(Command::Query(cmd)) => cmd.run.max_memory,
            Some(Command::Repl(cmd)) => cmd.run.max_memory,
            Some(Command::Update(cmd)) => cmd.run.max_memory,
            Some(Command::Serve(cmd)) => cmd.max_memory,
            _ => None,
        };
        mib.map(|m| m.saturating_mul(1 << 20))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run SPARQL queries and print their results.
    ///
    /// Queries come from -e TEXT, from files, or from stdin (`-`, or when no query is given and
    /// stdin is not a terminal). Several queries are answered in the order given.
    Query(QueryCmd),
    /// Run SPARQL Update against a persistent store, or against the in-memory graph and write
    /// the result with --output.
    Update(UpdateCmd),
    /// Bulk-load RDF files into a persistent store (needs the `rocksdb` feature).
    Load(LoadCmd),
    /// Build a persistent, read-only index of RDF files (DATA.ffx) that query, repl and serve
    /// read in place with --index: for dumps too large to parse at every start.
    Index(IndexCmd),
    /// Open the interactive SPARQL shell (the default on a terminal). When stdin is not a
    /// terminal, reads its statements and dot-commands as a script.
    Repl(ReplCmd),
    /// List the query library: names, titles and parameters.
    Queries(QueriesCmd),
    /// Validate the embedded graph (and any --data) against the SHACL shapes and the
    /// ontology; exits 1 when there are violations.
    Check(CheckCmd),
    /// Serve the graph as a SPARQL 1.1 Protocol endpoint (read-only unless --update) with the
    /// Graph Store Protocol and a query page.
    ///
    /// Listens on loopback unless --bind says otherwise. Every request is bounded: a query
    /// timeout, a pool of query workers with a queue, a body limit and a response limit.
    Serve(ServeCmd),
    /// Write the graph as a static linked-data site: a page and the triples of every resource,
    /// the ontology's and the measures' pages, the VoID description, full dumps, a sitemap and
    /// the redirect rules w3id.org needs (.htaccess), for any static host.
    Publish(PublishCmd),
    /// Upload the embedded graph (and any --data) into a remote store, graph by graph: the
    /// Graph Store Protocol (PUT, so a re-run replaces), else chunked INSERT DATA; then checks
    /// every graph's triple count.
    Push(PushCmd),
    /// Write the embedded graph, or a store, in an RDF syntax.
    ///
    /// N-Quads and TriG keep the named graphs (one per embedded file) next to the default graph;
    /// graph-only syntaxes get the default graph, the merge of all files.
    Dump(DumpCmd),
    /// Print a completion script for a shell: bash, zsh, fish, powershell or elvish.
    ///
    /// bash: `ffkg completions bash > ~/.local/share/bash-completion/completions/ffkg`; zsh:
    /// into a directory of your $fpath as `_ffkg`; fish: `~/.config/fish/completions/ffkg.fish`.
    Completions(CompletionsCmd),
    /// Print ffkg's manual page (roff): `ffkg man | man -l -`, or save it as man1/ffkg.1.
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsCmd {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct QueryCmd {
    /// Queries to run: a file, a directory (every .rq in it), `-` for stdin, or the name of a
    /// library query (`ffkg queries` lists them). A path that exists wins over a name.
    #[arg(value_name = "QUERY")]
    pub files: Vec<String>,
    /// Run every query of the library.
    #[arg(long = "all")]
    pub all: bool,
    /// Run each query to its end and print its plan instead of its results: every step with
    /// the rows it produced and its time, each pattern with its estimate (its matches alone).
    #[arg(long = "explain", conflicts_with_all = ["output", "out_dir"])]
    pub explain: bool,
    /// Bind a library query's parameter: replaces the default of its `VALUES ?NAME { … }`
    /// (`--param country=SAU`, `--param country=country:SAU`; repeatable).
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
    /// Write each query's results to DIR/NAME.EXT instead of stdout (one file per query).
    #[arg(long = "out-dir", value_name = "DIR", conflicts_with = "output")]
    pub out_dir: Option<PathBuf>,
    /// A query given on the command line (repeatable).
    #[arg(short = 'e', long = "expr", value_name = "SPARQL")]
    pub expr: Vec<String>,
    #[command(flatten)]
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub remote: RemoteArgs,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// The queries in the order they were given (filled in after parsing).
    #[arg(skip)]
    pub sources: Vec<SourceArg>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct ReplCmd {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub remote: RemoteArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// The format results are shown in: table (default), csv, tsv, json, xml for solutions;
    /// turtle, ntriples, nquads, trig, jsonld, rdfxml for graphs (see `.format`).
    #[arg(
        long = "format",
        short = 'f',
        value_name = "FORMAT",
        hide_possible_values = true
    )]
    pub format: Option<FormatArg>,
    /// In a script (statements on stdin), go on after a failing statement instead of
    /// stopping at it (psql's ON_ERROR_STOP off); the exit code is still the first failure's.
    #[arg(long = "keep-going")]
    pub keep_going: bool,
    /// Colours in the prompt and the statement being typed: auto (on a terminal, unless
    /// NO_COLOR is set), always or never.
    #[arg(long = "color", value_name = "WHEN", default_value = "auto")]
    pub color: ColorArg,
}

/// `--color`'s values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

impl From<ColorArg> for crate::output::Color {
    fn from(arg: ColorArg) -> Self {
        match arg {
            ColorArg::Auto => Self::Auto,
            ColorArg::Always => Self::Always,
            ColorArg::Never => Self::Never,
        }
    }
}

#[derive(Debug, Args)]
pub struct UpdateCmd {
    /// Update files to run, or `-` for stdin.
    #[arg(value_name = "UPDATE")]
    pub files: Vec<String>,
    /// An update given on the command line (repeatable).
    #[arg(short = 'e', long = "expr", value_name = "SPARQL")]
    pub expr: Vec<String>,
    #[command(flatten)]
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub run: RunArgs,
    /// Write the updated dataset to FILE (syntax from the extension unless --format says).
    /// Quad syntaxes (nq, trig) keep the named graphs; others get the default graph.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The RDF syntax of --output: turtle, ntriples, nquads, trig, jsonld or rdfxml.
    #[arg(
        long = "format",
        short = 'f',
        value_name = "FORMAT",
        hide_possible_values = true
    )]
    pub format: Option<FormatArg>,
    /// The updates in the order they were given (filled in after parsing).
    #[arg(skip)]
    pub sources: Vec<SourceArg>,
}

#[derive(Debug, Args)]
pub struct PushCmd {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    #[command(flatten)]
    pub remote: RemoteArgs,
    /// The longest one request may take, in SECONDS (default 60).
    #[arg(long = "timeout", value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,
    /// Triples per INSERT DATA request when the store has no Graph Store Protocol (Virtuoso
    /// refuses much more than 1000 in one).
    #[arg(long = "chunk", value_name = "TRIPLES", default_value = "1000", value_parser = clap::value_parser!(u32).range(1..))]
    pub chunk: u32,
    /// Also write the default graph, even where it is the merge of the named graphs (as it is
    /// for the embedded graph): for stores whose default graph does not include their named
    /// graphs (Fuseki without unionDefaultGraph, `ffkg serve --no-embedded`).
    #[arg(long = "copy-default")]
    pub copy_default: bool,
}

#[derive(Debug, Args)]
pub struct PublishCmd {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    /// The directory to write the site into (created; files already there are replaced).
    #[arg(long = "out", value_name = "DIR")]
    pub out: PathBuf,
    /// The URL the site will be served at (its root, as https://example.org/ffkg), for the
    /// sitemap, the VoID description and the w3id.org redirect rules.
    #[arg(long = "site-url", value_name = "URL")]
    pub site_url: String,
    /// The directory of the source documents' text files (the seeds; each document's
    /// ff:sourceFile), to show each figure's and quotation's quote in its paragraph. Without it,
    /// pages show the quote alone.
    #[arg(long = "sources", value_name = "DIR")]
    pub sources: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeCmd {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    /// Base IRI for relative IRIs in queries.
    #[arg(long = "base", value_name = "IRI")]
    pub base: Option<String>,
    /// The address to listen on. Loopback by default: give 0.0.0.0:PORT (or [::]:PORT) to
    /// listen on every interface, behind a reverse proxy.
    #[arg(long = "bind", value_name = "ADDR", default_value = "127.0.0.1:7878")]
    pub bind: std::net::SocketAddr,
    /// Stop a query that runs longer than SECONDS and answer 503.
    #[arg(long = "timeout", value_name = "SECONDS", value_parser = parse_timeout, default_value = "30")]
    pub timeout: Duration,
    /// Queries run at once; more wait in the queue.
    #[arg(long = "workers", value_name = "N", value_parser = clap::value_parser!(u16).range(1..), default_value = "4")]
    pub workers: u16,
    /// Queries that may wait for a worker; past them, requests get 503 at once. The default,
    /// as many as --max-connections, lets every open connection wait its turn.
    #[arg(long = "queue", value_name = "N", default_value = "128")]
    pub queue: u16,
    /// The largest request body accepted, in bytes (413 past it).
    #[arg(long = "max-body", value_name = "BYTES", default_value = "1048576")]
    pub max_body: u64,
    /// The largest response, in bytes: a result past it gets 500 with a message to narrow the
    /// query (add LIMIT).
    #[arg(
        long = "max-response",
        value_name = "BYTES",
        default_value = "268435456"
    )]
    pub max_response: u64,
    /// Stop the statements in flight (503) whenever the process holds more than MIB mebibytes,
    /// the data included; the server refuses to start if the data alone takes more.
    #[arg(long = "max-memory", value_name = "MIB", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_memory: Option<u64>,
    /// Connections served at once (each a thread); more wait to be accepted.
    #[arg(long = "max-connections", value_name = "N", value_parser = clap::value_parser!(u16).range(1..), default_value = "128")]
    pub max_connections: u16,
    /// Seconds a connection may stay silent (reading a request, or idle between requests)
    /// before it is closed.
    #[arg(long = "idle-timeout", value_name = "SECONDS", value_parser = parse_timeout, default_value = "10")]
    pub idle_timeout: Duration,
    /// Rows the HTML results page (format=html, the plain form at /query) shows; the rest are
    /// counted, with a link to the whole result as CSV or Turtle.
    #[arg(long = "ui-rows", value_name = "N", default_value = "1000")]
    pub ui_rows: usize,
    /// Allow browser pages from ORIGIN (or `*`) to query the endpoint (CORS).
    #[arg(long = "cors", value_name = "ORIGIN")]
    pub cors: Option<String>,
    /// Take SPARQL updates and graph store writes (PUT, POST, DELETE on /store) from requests
    /// that carry the token of --token-file as `Authorization: Bearer TOKEN`. Without it the
    /// endpoint is read-only.
    #[arg(long = "update", requires = "token_file")]
    pub update: bool,
    /// The file whose first line is the bearer token writes must carry (with --update).
    #[arg(long = "token-file", value_name = "FILE", requires = "update")]
    pub token_file: Option<PathBuf>,
    /// Let queries and updates call other endpoints with SERVICE (off: no request can make
    /// the server fetch a URL). Each call is bounded by --timeout.
    #[arg(long = "allow-service")]
    pub allow_service: bool,
    /// Let updates LOAD a document from a URL (with --update; off: a LOAD is refused with 403).
    #[arg(long = "allow-load", requires = "update")]
    pub allow_load: bool,
    /// The directory of the source documents' text files (the seeds; each document's
    /// ff:sourceFile), to show each figure's and quotation's quote in its paragraph. Without it,
    /// pages show the quote alone.
    #[arg(long = "sources", value_name = "DIR")]
    pub sources: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct QueriesCmd {
    /// Also show each query's question and what its answer shows.
    #[arg(long = "long", short = 'l')]
    pub long: bool,
    /// One query to show whole: its question, what its answer shows, its parameters and its
    /// text (run it with `ffkg query NAME`).
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// The listing's format: table (default on a terminal), tsv (default otherwise) or csv.
    #[arg(long = "format", short = 'f', value_name = "FORMAT", value_parser = ["table", "tsv", "csv"])]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckCmd {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    /// Report format: a text list (default), or a SHACL validation report in an RDF syntax
    /// (turtle, ntriples, jsonld, rdfxml …).
    #[arg(
        long = "format",
        short = 'f',
        value_name = "FORMAT",
        hide_possible_values = true
    )]
    pub format: Option<FormatArg>,
    /// Write the report to FILE instead of stdout.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IndexCmd {
    /// RDF files to index, merged into its default graph (quads keep their graphs; syntax from
    /// the extension, `.gz` accepted).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// The index file to write (replaced only once the new one is complete).
    #[arg(long = "out", short = 'o', value_name = "DATA.ffx", required = true)]
    pub out: PathBuf,
    /// Entailments to compute into graph:inferred (and the default graph): none (the
    /// default), rdfs or owl, the schema taken from the files themselves.
    #[arg(long = "reasoning", value_name = "LEVEL")]
    pub reasoning: Option<ReasoningArg>,
    /// The RDF syntax of the files, overriding their extensions.
    #[arg(
        long = "data-format",
        value_name = "FORMAT",
        hide_possible_values = true
    )]
    pub data_format: Option<DataFormatArg>,
}

#[derive(Debug, Args)]
pub struct LoadCmd {
    /// The persistent store to load into (created if missing).
    #[arg(long = "store", value_name = "DIR", required = true)]
    pub store: PathBuf,
    /// RDF files to load (syntax from the extension, `.gz` accepted).
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Load into this named graph instead of the default graph.
    #[arg(long = "graph", value_name = "IRI")]
    pub graph: Option<String>,
    /// The RDF syntax of the files, overriding their extensions.
    #[arg(
        long = "data-format",
        value_name = "FORMAT",
        hide_possible_values = true
    )]
    pub data_format: Option<DataFormatArg>,
}

#[derive(Debug, Args)]
pub struct DumpCmd {
    #[command(flatten)]
    pub dataset: DatasetArgs,
    /// The RDF syntax: turtle, ntriples, nquads, trig, jsonld or rdfxml (default: from
    /// --output's extension, else TriG).
    #[arg(
        long = "format",
        short = 'f',
        value_name = "FORMAT",
        hide_possible_values = true
    )]
    pub format: Option<FormatArg>,
    /// Write to FILE instead of stdout.
    #[arg(long = "output", short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write the dataset's description instead of its triples: VoID and DCAT (triples,
    /// entities, class and property partitions, linksets, licence, sources, a distribution per
    /// dump syntax), in Turtle unless --format or --output says otherwise.
    #[arg(long = "describe")]
    pub describe: bool,
    /// With --describe: where the dumps are published (their download URLs are under it).
    #[arg(
        long = "site-url",
        value_name = "URL",
        requires = "describe",
        default_value = "https://w3id.org/ffkg"
    )]
    pub site_url: String,
}

impl Cli {
    /// Writes the completion script for `shell`.
    pub fn write_completions(
        shell: clap_complete::Shell,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let mut command = Self::command();
        // clap_complete panics when its writer fails (a closed pipe): it writes to memory.
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut command, "ffkg", &mut script);
        out.write_all(&script)?;
        out.flush()
    }

    /// Writes the manual page, one section per subcommand after the main one.
    pub fn write_man_page(out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let command = Self::command();
        clap_mangen::Man::new(command.clone()).render(out)?;
        for sub in command.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            // clap names are static without its `string` feature; this runs once per page.
            let name: &'static str = Box::leak(format!("ffkg {}", sub.get_name()).into_boxed_str());
            let sub = sub.clone().name(name);
            let man = clap_mangen::Man::new(sub);
            // The page continues: each subcommand's own name, synopsis, options.
            man.render_name_section(out)?;
            man.render_synopsis_section(out)?;
            man.render_description_section(out)?;
            man.render_options_section(out)?;
        }
        out.flush()
    }

    /// Parses `args`, keeping the order in which -e texts and files were given.
    pub fn try_parse_ordered<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Self::command().try_get_matches_from(args)?;
        let mut cli = Self::from_arg_matches(&matches)?;
        match &mut cli.command {
            Some(Command::Query(cmd)) => {
                cmd.sources = ordered_sources(&matches, "query", &cmd.expr, &cmd.files);
            }
            Some(Command::Update(cmd)) => {
                cmd.sources = ordered_sources(&matches, "update", &cmd.expr, &cmd.files);
            }
            _ => {}
        }
        Ok(cli)
    }
}

/// Merges -e texts and files by their position on the command line.
fn ordered_sources(
    matches: &ArgMatches,
    subcommand: &str,
    expr: &[String],
    files: &[String],
) -> Vec<SourceArg> {
    let Some(sub) = matches.subcommand_matches(subcommand) else {
        return Vec::new();
    };
    let mut sources: Vec<(usize, SourceArg)> = Vec::new();
    if let Some(indices) = sub.indices_of("expr") {
        sources.extend(
            indices
                .zip(expr)
                .map(|(i, e)| (i, SourceArg::Inline(e.clone()))),
        );
    }
    if let Some(indices) = sub.indices_of("files") {
        sources.extend(
            indices
                .zip(files)
                .map(|(i, f)| (i, SourceArg::File(f.clone()))),
        );
    }
    sources.sort_by_key(|(i, _)| *i);
    sources.into_iter().map(|(_, s)| s).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_queries() {
        let cli = Cli::try_parse_ordered(["ffkg", "query", "a.rq", "-e", "ASK {}", "b.rq"])
            .expect("parses");
        let Some(Command::Query(cmd)) = cli.command else {
            panic!("query");
        };
        assert_eq!(
            cmd.sources,
            vec![
                SourceArg::File("a.rq".into()),
                SourceArg::Inline("ASK {}".into()),
                SourceArg::File("b.rq".into())
            ]
        );
    }

    #[test]
    fn rejects_bad_timeouts() {
        assert!(
            Cli::try_parse_ordered(["ffkg", "query", "--timeout", "0", "-e", "ASK{}"]).is_err()
        );
        assert!(
            Cli::try_parse_ordered(["ffkg", "query", "--timeout", "x", "-e", "ASK{}"]).is_err()
        );
        assert!(
            Cli::try_parse_ordered(["ffkg", "query", "--timeout", "1e300", "-e", "ASK{}"]).is_err()
        );
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
