//! One function per subcommand: validated options in, work done, results out.

use crate::cli::{
    CheckCmd, Cli, Command, DatasetArgs, DumpCmd, LoadCmd, QueryCmd, ReplCmd, SourceArg, UpdateCmd,
};
use crate::dataset::{Dataset, DatasetChoice};
use crate::error::{Error, ExitStatus, Result};
use crate::format::{Format, ResultKind};
use crate::graph::DatasetSpec;
use crate::prefixes::PrefixMap;
use crate::render::{self, RenderOptions, Summary};
use crate::sparql::{self, Settings, Source, Watchdog, timeout_error};
use crate::store;
use crate::table::TableOptions;
use anyhow::Context;
use oxigraph::model::NamedNode;
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs the command line; errors carry their exit status (see [`crate::error::exit_status`]).
pub fn run(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Some(Command::Query(cmd)) => query(cmd),
        Some(Command::Update(cmd)) => update(cmd),
        Some(Command::Load(cmd)) => load(cmd),
        Some(Command::Dump(cmd)) => dump(cmd),
        Some(Command::Repl(cmd)) => crate::repl::run(cmd),
        Some(Command::Check(cmd)) => check(cmd),
        None => crate::repl::run(ReplCmd::default()),
    }
}

/// Validates the dataset options.
pub fn dataset_choice(args: &DatasetArgs) -> Result<DatasetChoice> {
    if let Some(dir) = &args.store {
        if !store::AVAILABLE {
            return Err(store::unavailable());
        }
        return Ok(DatasetChoice::Persistent(dir.clone()));
    }
    if let Some(format) = args.data_format {
        if format.rdf_format().is_none() {
            return Err(Error::usage(format!(
                "--data-format {format} is a results format: data files must be one of {}",
                crate::format::names(&crate::format::GRAPH_FORMATS)
            )));
        }
    }
    Ok(DatasetChoice::Memory(DatasetSpec {
        embedded: !args.no_embedded,
        data: args.data.clone(),
        named: args.named.clone(),
        data_format: args.data_format,
    }))
}

/// Reads every query named on the command line; stdin when none is named and stdin is a pipe.
fn read_sources(sources: &[SourceArg], what: &str) -> Result<Vec<Source>> {
    if sources.is_empty() {
        if io::stdin().is_terminal() {
            return Err(Error::usage(format!(
                "no {what} given: pass -e '…', a file, or `-` to read stdin"
            )));
        }
        return Ok(vec![Source::from_stdin()?]);
    }
    let mut stdin_read = false;
    let mut inline = 0;
    sources
        .iter()
        .map(|source| match source {
            SourceArg::Inline(text) => {
                inline += 1;
                Ok(Source::inline(inline, text.clone()))
            }
            SourceArg::File(name) if name == "-" => {
                if std::mem::replace(&mut stdin_read, true) {
                    return Err(Error::usage("stdin (`-`) can be read only once"));
                }
                Source::from_stdin()
            }
            SourceArg::File(name) => Source::from_file(Path::new(name)),
        })
        .collect()
}

/// The parsing and evaluation settings of the run options.
pub fn settings(run: &crate::cli::RunArgs) -> Settings {
    Settings {
        prefixes: PrefixMap::default(),
        base_iri: run.base.clone(),
        timeout: run.timeout,
    }
}

/// The validated `query` command.
#[derive(Debug)]
struct QueryPlan {
    sources: Vec<Source>,
    dataset: DatasetChoice,
    settings: Settings,
    format: Option<Format>,
    output: Option<PathBuf>,
}

fn query(cmd: QueryCmd) -> anyhow::Result<ExitStatus> {
    let plan = QueryPlan {
        dataset: dataset_choice(&cmd.dataset)?,
        settings: settings(&cmd.run),
        format: cmd.output.format,
        output: cmd.output.output.clone(),
        sources: read_sources(&cmd.sources, "query")?,
    };
    if plan.output.is_some() && plan.sources.len() > 1 {
        return Err(Error::usage(
            "--output takes one query; several queries write to stdout, in order",
        )
        .into());
    }
    let started = Instant::now();
    let dataset = Dataset::open(&plan.dataset)?;
    let loaded = started.elapsed();
    let terminal = plan.output.is_none() && io::stdout().is_terminal();
    let chatty = io::stderr().is_terminal();
    if chatty {
        eprintln!("graph ready in {}", millis(loaded));
    }

    let mut out = Output::open(plan.output.as_deref())?;
    for (index, source) in plan.sources.iter().enumerate() {
        if index > 0 && terminal {
            out.writer()
                .write_all(b"\n")
                .map_err(|e| Error::io(out.name(), e))?;
        }
        let started = Instant::now();
        let summary = run_query(
            &dataset,
            &plan.settings,
            source,
            plan.format,
            &mut out,
            terminal,
        )?;
        if chatty {
            eprintln!("{} in {}", rows_text(&summary), millis(started.elapsed()));
        }
    }
    out.finish()?;
    Ok(ExitStatus::Success)
}

/// Runs one query under a watchdog and writes its results.
pub fn run_query(
    dataset: &Dataset,
    settings: &Settings,
    source: &Source,
    format: Option<Format>,
    out: &mut Output,
    terminal: bool,
) -> Result<Summary> {
    let timeout = settings.timeout;
    let origin = source.origin.clone();
    let dog = Watchdog::start(timeout, move || {
        // The query ignored its cancellation (oxigraph checks it only when reading the store):
        // stop the process, the only clean way out of a sort or aggregation in progress.
        eprintln!(
            "ffkg: {origin}: query stopped after the {} s timeout",
            timeout.map_or(0.0, |t| t.as_secs_f64())
        );
        std::process::exit(ExitStatus::Timeout as i32);
    });
    let result = (|| {
        let prepared = settings.prepare_query(source, Some(dog.token()))?;
        let results = dataset.query(prepared, &source.origin)?;
        let kind = sparql::result_kind(&results);
        let format = Format::resolve(format, out.path(), kind, terminal, &source.origin)?;
        let name = out.name().to_owned();
        let options = RenderOptions {
            format,
            prefixes: &settings.prefixes,
            table: TableOptions {
                width: if terminal { terminal_width() } else { None },
                ..TableOptions::default()
            },
            output_name: &name,
        };
        render::write_results(results, &options, &source.origin, out.writer())
    })();
    let timed_out = dog.finish();
    result.map_err(|e| timeout_error(e, timed_out, timeout))
}

/// The terminal's width, when stdout is one.
fn terminal_width() -> Option<u16> {
    comfy_table::Table::new().width()
}

/// stdout or a file, buffered.
pub struct Output {
    path: Option<PathBuf>,
    name: String,
    writer: Box<dyn Write>,
}

impl std::fmt::Debug for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Output").field("name", &self.name).finish()
    }
}

impl Output {
    pub fn open(path: Option<&Path>) -> Result<Self> {
        Ok(match path {
            Some(path) => Self {
                path: Some(path.to_owned()),
                name: path.display().to_string(),
                writer: Box::new(BufWriter::new(
                    File::create(path).map_err(|e| Error::io(path, e))?,
                )),
            },
            None => Self::stdout(),
        })
    }

    pub fn stdout() -> Self {
        Self {
            path: None,
            name: "<stdout>".to_owned(),
            writer: Box::new(BufWriter::new(io::stdout())),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.writer
    }

    pub fn finish(mut self) -> Result<()> {
        self.writer.flush().map_err(|e| Error::io(&self.name, e))
    }
}

fn update(cmd: UpdateCmd) -> anyhow::Result<ExitStatus> {
    let dataset = dataset_choice(&cmd.dataset)?;
    if cmd.output.is_none() && matches!(dataset, DatasetChoice::Memory(_)) {
        return Err(Error::usage(
            "an update of the in-memory graph would be lost: give --output FILE to write the \
             result, or --store DIR to update a persistent store",
        )
        .into());
    }
    let output_format = match &cmd.output {
        Some(path) => Some(dataset_format(cmd.format, Some(path), Format::Nquads)?),
        None => None,
    };
    let settings = settings(&cmd.run);
    let sources = read_sources(&cmd.sources, "update")?;
    let mut dataset = match &dataset {
        DatasetChoice::Persistent(dir) => Dataset::open_or_create_store(dir)?,
        memory => Dataset::open(memory)?,
    };
    for source in &sources {
        let dog = Watchdog::start(settings.timeout, || {
            eprintln!("ffkg: update stopped by the timeout");
            std::process::exit(ExitStatus::Timeout as i32);
        });
        let result = settings
            .prepare_update(source, Some(dog.token()))
            .and_then(|prepared| dataset.update(prepared, &source.origin));
        let timed_out = dog.finish();
        result.map_err(|e| timeout_error(e, timed_out, settings.timeout))?;
    }
    if let (Some(path), Some(format)) = (&cmd.output, output_format) {
        let mut out = Output::open(Some(path))?;
        let name = out.name().to_owned();
        let count = dataset.write(format, &settings.prefixes, &name, out.writer())?;
        out.finish()?;
        eprintln!("wrote {count} {} to {}", unit(format), path.display());
    }
    Ok(ExitStatus::Success)
}

/// The RDF syntax of a dataset written to `path`: `--format`, else its extension, else `fallback`.
fn dataset_format(
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
                    crate::format::names(&crate::format::GRAPH_FORMATS)
                )));
            }
            None => fallback,
        },
    };
    format.check_kind(ResultKind::Graph, "a dataset")
}

fn unit(format: Format) -> &'static str {
    if format.holds_datasets() {
        "quads"
    } else {
        "triples"
    }
}

fn load(cmd: LoadCmd) -> anyhow::Result<ExitStatus> {
    if !store::AVAILABLE {
        return Err(store::unavailable().into());
    }
    for path in &cmd.files {
        crate::format::rdf_format_for_input(path, cmd.data_format)?;
        if !path.is_file() {
            return Err(Error::io(
                path,
                io::Error::new(io::ErrorKind::NotFound, "no such file"),
            )
            .into());
        }
    }
    let graph = cmd
        .graph
        .as_deref()
        .map(|iri| {
            NamedNode::new(iri)
                .map_err(|e| Error::usage(format!("--graph '{iri}' is not an IRI: {e}")))
        })
        .transpose()?;
    let store = store::open(&cmd.store)?;
    let report = store::bulk_load(&store, &cmd.files, graph, cmd.data_format)
        .with_context(|| format!("loading into {}", cmd.store.display()))?;
    eprintln!(
        "loaded {} triples ({:.1} MB) in {:.2} s: {:.0} triples/s",
        report.triples,
        report.bytes as f64 / 1e6,
        report.elapsed.as_secs_f64(),
        report.per_second()
    );
    Ok(ExitStatus::Success)
}

fn dump(cmd: DumpCmd) -> anyhow::Result<ExitStatus> {
    let dataset = dataset_choice(&cmd.dataset)?;
    let format = dataset_format(cmd.format, cmd.output.as_deref(), Format::Trig)?;
    let dataset = Dataset::open(&dataset)?;
    let mut out = Output::open(cmd.output.as_deref())?;
    let name = out.name().to_owned();
    let count = dataset.write(format, &PrefixMap::default(), &name, out.writer())?;
    out.finish()?;
    if cmd.output.is_some() || io::stderr().is_terminal() {
        eprintln!("wrote {count} {}", unit(format));
    }
    Ok(ExitStatus::Success)
}

fn check(cmd: CheckCmd) -> anyhow::Result<ExitStatus> {
    let dataset = Dataset::open(&dataset_choice(&cmd.dataset)?)?;
    let report = crate::check::check(&dataset)?;
    let mut out = Output::open(cmd.output.as_deref())?;
    let name = out.name().to_owned();
    let prefixes = PrefixMap::default();
    match cmd.format {
        None | Some(Format::Table) => out
            .writer()
            .write_all(crate::check::render_text(&report, &prefixes).as_bytes())
            .map_err(|e| Error::io(&name, e))?,
        Some(format) => {
            let format = format.check_kind(ResultKind::Graph, "a validation report")?;
            let graph = crate::check::report_graph(&report);
            let quads = graph.iter().map(|t| {
                Ok(t.into_owned()
                    .in_graph(oxigraph::model::GraphName::DefaultGraph))
            });
            let mut shapes = prefixes.clone();
            shapes.insert("ffsh", crate::check::SHAPES_NS);
            render::write_quads(quads, &[], format, &shapes, &name, out.writer())?;
        }
    }
    out.finish()?;
    Ok(if report.conforms() {
        ExitStatus::Success
    } else {
        ExitStatus::Failed
    })
}

fn rows_text(summary: &Summary) -> String {
    match summary.rows {
        1 => "1 row".to_owned(),
        n => format!("{n} rows"),
    }
}

fn millis(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}
