//! One function per subcommand: validated options in, work done, results out.

use crate::cli::{
    CheckCmd, Cli, Command, DatasetArgs, DumpCmd, LoadCmd, QueriesCmd, QueryCmd, ReplCmd,
    SourceArg, UpdateCmd,
};
use crate::dataset::{Dataset, DatasetChoice};
use crate::error::{Error, ExitStatus, Result};
use crate::format::{Format, ResultKind};
use crate::graph::DatasetSpec;
use crate::infer::Reasoning;
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
        Some(Command::Queries(cmd)) => queries(cmd),
        None => crate::repl::run(ReplCmd::default()),
    }
}

/// Validates the dataset options. `embedded_default` is the command's reasoning level for the
/// embedded graph when `--reasoning` is not given (a user's own files alone get none).
pub fn dataset_choice(args: &DatasetArgs, embedded_default: Reasoning) -> Result<DatasetChoice> {
    if let Some(dir) = &args.store {
        if !store::AVAILABLE {
            return Err(store::unavailable());
        }
        if args.reasoning.is_some_and(|r| r != Reasoning::None) {
            return Err(Error::usage(
                "--reasoning works on in-memory graphs, not on a persistent store: query the \
                 store's data with --no-embedded --data, or materialise it with `ffkg dump \
                 --reasoning owl` and load the result",
            ));
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
    let reasoning = args.reasoning.unwrap_or(if args.no_embedded {
        Reasoning::None
    } else {
        embedded_default
    });
    Ok(DatasetChoice::Memory(DatasetSpec {
        embedded: !args.no_embedded,
        data: args.data.clone(),
        named: args.named.clone(),
        data_format: args.data_format,
        reasoning,
    }))
}

/// A statement to run, with the name its output file takes under `--out-dir`.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub source: Source,
}

/// Reads every statement named on the command line, in order: -e texts, files, directories
/// (every .rq in them), `-` for stdin, and, when `library` is true, names of library queries.
/// With nothing named, reads stdin when it is not a terminal.
fn read_jobs(sources: &[SourceArg], what: &str, library: bool) -> Result<Vec<Job>> {
    if sources.is_empty() {
        if io::stdin().is_terminal() {
            return Err(Error::usage(format!(
                "no {what} given: pass -e '…', a file, or `-` to read stdin"
            )));
        }
        return stdin_jobs();
    }
    let mut jobs = Vec::new();
    let mut stdin_read = false;
    let mut inline = 0;
    for source in sources {
        match source {
            SourceArg::Inline(text) => {
                inline += 1;
                jobs.push(Job {
                    name: format!("expr-{inline}"),
                    source: Source::inline(inline, text.clone()),
                });
            }
            SourceArg::File(name) if name == "-" => {
                if std::mem::replace(&mut stdin_read, true) {
                    return Err(Error::usage("stdin (`-`) can be read only once"));
                }
                jobs.extend(stdin_jobs()?);
            }
            SourceArg::File(name) => jobs.extend(path_or_name(name, library)?),
        }
    }
    Ok(jobs)
}

/// The statements on stdin, split where one ends and the next begins by the same parser-driven
/// rule as the REPL's (never at a `;` that belongs to the SPARQL). Each keeps its line numbers.
fn stdin_jobs() -> Result<Vec<Job>> {
    let input = Source::from_stdin()?;
    let chunks = crate::statements::split(&input.text, &Settings::default());
    if chunks.len() <= 1 {
        return Ok(vec![Job {
            name: "stdin".to_owned(),
            source: input,
        }]);
    }
    chunks
        .iter()
        .enumerate()
        .map(|(i, chunk)| {
            if chunk.kind == crate::statements::ChunkKind::Command {
                return Err(Error::usage(format!(
                    "<stdin>:{}: '{}' is a REPL dot-command: run the script with `ffkg repl < FILE`",
                    chunk.line,
                    chunk.text.lines().next().unwrap_or_default()
                )));
            }
            Ok(Job {
                name: format!("stdin-{}", i + 1),
                source: Source {
                    origin: "<stdin>".to_owned(),
                    text: chunk.positioned_text(),
                },
            })
        })
        .collect()
}

/// A path that exists wins over a library name; a directory gives every .rq file in it.
fn path_or_name(name: &str, library: bool) -> Result<Vec<Job>> {
    let path = Path::new(name);
    let stem = |p: &Path| {
        p.file_stem()
            .map_or_else(|| "query".to_owned(), |s| s.to_string_lossy().into_owned())
    };
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::io(path, e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rq"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(Error::usage(format!(
                "{name}: no .rq files in this directory"
            )));
        }
        return files
            .iter()
            .map(|p| {
                Ok(Job {
                    name: stem(p),
                    source: Source::from_file(p)?,
                })
            })
            .collect();
    }
    if path.exists() {
        return Ok(vec![Job {
            name: stem(path),
            source: Source::from_file(path)?,
        }]);
    }
    if library {
        if let Some(query) = crate::library::find(name) {
            return Ok(vec![library_job(query)]);
        }
    }
    let looks_like_a_path = name.contains('/') || name.contains('.');
    if looks_like_a_path || !library {
        return Err(Error::io(
            path,
            io::Error::new(io::ErrorKind::NotFound, "no such file"),
        ));
    }
    Err(Error::usage(format!(
        "no file and no library query named '{name}': `ffkg queries` lists the library"
    )))
}

fn library_job(query: &crate::library::LibraryQuery) -> Job {
    Job {
        name: query.name.to_owned(),
        source: Source {
            origin: format!("queries/{}.rq", query.name),
            text: query.text.to_owned(),
        },
    }
}

/// The parsing and evaluation settings of the run options.
pub fn settings(run: &crate::cli::RunArgs) -> Settings {
    Settings {
        prefixes: PrefixMap::default(),
        base_iri: run.base.clone(),
        timeout: run.timeout,
    }
}

fn query(cmd: QueryCmd) -> anyhow::Result<ExitStatus> {
    let dataset_choice = dataset_choice(&cmd.dataset, Reasoning::Owl)?;
    let settings = settings(&cmd.run);
    let mut jobs = if cmd.all {
        let mut jobs: Vec<Job> = crate::library::LIBRARY.iter().map(library_job).collect();
        if !cmd.sources.is_empty() {
            jobs.extend(read_jobs(&cmd.sources, "query", true)?);
        }
        jobs
    } else {
        read_jobs(&cmd.sources, "query", true)?
    };
    bind_params(&mut jobs, &cmd.params, &settings.prefixes)?;
    let output = cmd.output.output.clone();
    if output.is_some() && jobs.len() > 1 {
        return Err(Error::usage(
            "--output takes one query: several queries write to stdout in order, or to --out-dir",
        )
        .into());
    }
    if let Some(dir) = &cmd.out_dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }

    let started = Instant::now();
    let dataset = Dataset::open(&dataset_choice)?;
    let chatty = io::stderr().is_terminal();
    if chatty {
        eprintln!("graph ready in {}", millis(started.elapsed()));
    }
    let batch = jobs.len() > 1;
    let terminal = output.is_none() && cmd.out_dir.is_none() && io::stdout().is_terminal();
    let mut stdout = match &cmd.out_dir {
        Some(_) => None,
        None => Some(Output::open(output.as_deref())?),
    };
    let mut totals = Totals::default();
    for (index, job) in jobs.iter().enumerate() {
        let started = Instant::now();
        let result = match (&mut stdout, &cmd.out_dir) {
            (Some(out), _) => {
                if index > 0 && terminal {
                    out.writer()
                        .write_all(b"\n")
                        .map_err(|e| Error::io(out.name(), e))?;
                }
                run_query(
                    &dataset,
                    &settings,
                    &job.source,
                    cmd.output.format,
                    out,
                    terminal,
                )
            }
            (None, Some(dir)) => run_to_dir(&dataset, &settings, job, cmd.output.format, dir),
            (None, None) => unreachable!("stdout is open when there is no --out-dir"),
        };
        let elapsed = started.elapsed();
        totals.ran += 1;
        totals.time += elapsed;
        match result {
            Ok(summary) => {
                totals.rows += summary.rows;
                if chatty || (batch && cmd.out_dir.is_some()) {
                    eprintln!(
                        "{}: {} in {}",
                        job.name,
                        rows_text(&summary),
                        millis(elapsed)
                    );
                }
            }
            // A broken pipe ends the run quietly; any other failure of one query in a batch
            // is reported and the batch goes on.
            Err(e) if batch && !is_broken_pipe_error(&e) => {
                eprintln!("ffkg: {e}");
                totals.failed += 1;
                totals.first_failure.get_or_insert(e.exit_status());
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(out) = stdout {
        out.finish()?;
    }
    if batch {
        eprintln!(
            "ran {} queries: {} failed, {}, {}",
            totals.ran,
            totals.failed,
            rows_text(&Summary {
                rows: totals.rows,
                hidden: 0
            }),
            millis(totals.time)
        );
    }
    Ok(totals.first_failure.unwrap_or(ExitStatus::Success))
}

/// What a batch of queries did.
#[derive(Debug, Default)]
struct Totals {
    ran: usize,
    failed: usize,
    rows: u64,
    time: Duration,
    first_failure: Option<ExitStatus>,
}

fn is_broken_pipe_error(error: &Error) -> bool {
    matches!(error, Error::Io { cause, .. } if cause.kind() == io::ErrorKind::BrokenPipe)
}

/// Binds `--param`s in the queries that declare them; a parameter no query takes is an error.
fn bind_params(jobs: &mut [Job], params: &[(String, String)], prefixes: &PrefixMap) -> Result<()> {
    for (name, value) in params {
        let mut used = false;
        for job in jobs.iter_mut() {
            let declared = crate::library::header(&job.source.text)
                .params
                .iter()
                .any(|p| &p.name == name);
            if declared {
                job.source.text = crate::library::bind(
                    &job.source.text,
                    &[(name.clone(), value.clone())],
                    prefixes,
                )?;
                used = true;
            }
        }
        if !used {
            return Err(Error::usage(format!(
                "no query given declares the parameter '{name}' (a `# param: {name}` header line)"
            )));
        }
    }
    Ok(())
}

/// Runs a query of a batch into DIR/NAME.EXT, the format from --format or the result's kind.
fn run_to_dir(
    dataset: &Dataset,
    settings: &Settings,
    job: &Job,
    format: Option<Format>,
    dir: &Path,
) -> Result<Summary> {
    // The file is named once the result's kind, and so its extension, is known.
    let mut out = Output::deferred(dir, &job.name);
    let summary = run_query(dataset, settings, &job.source, format, &mut out, false)?;
    out.finish()?;
    Ok(summary)
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
        let format = match Format::resolve(format, out.path(), kind, terminal, &source.origin) {
            // Writing a batch into a directory, a --format for the other kind of result (json
            // for a CONSTRUCT) gives way to that kind's default, with a notice.
            Err(_) if out.is_deferred() && format.is_some() => {
                let fallback = Format::resolve(None, None, kind, false, &source.origin)?;
                eprintln!(
                    "{}: --format {} cannot hold its result: written as {fallback}",
                    source.origin,
                    format.map_or("", Format::name),
                );
                fallback
            }
            resolved => resolved?,
        };
        out.open_as(format)?;
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

/// Where results go: stdout, a file, or a file of a directory named once the format is known.
pub struct Output {
    path: Option<PathBuf>,
    name: String,
    writer: Option<Box<dyn Write>>,
    /// For `--out-dir`: the directory and the query's name.
    deferred: Option<(PathBuf, String)>,
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
                writer: Some(Box::new(BufWriter::new(
                    File::create(path).map_err(|e| Error::io(path, e))?,
                ))),
                deferred: None,
            },
            None => Self::stdout(),
        })
    }

    pub fn stdout() -> Self {
        Self {
            path: None,
            name: "<stdout>".to_owned(),
            writer: Some(Box::new(BufWriter::new(io::stdout()))),
            deferred: None,
        }
    }

    /// DIR/NAME.EXT, created by [`Output::open_as`] once the format is known.
    pub fn deferred(dir: &Path, name: &str) -> Self {
        Self {
            path: None,
            name: dir.join(name).display().to_string(),
            writer: None,
            deferred: Some((dir.to_owned(), name.to_owned())),
        }
    }

    /// True for an `--out-dir` file not created yet.
    pub fn is_deferred(&self) -> bool {
        self.deferred.is_some()
    }

    /// The file path, when the format should follow its extension.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Creates a deferred file with the extension of `format`; a no-op otherwise.
    pub fn open_as(&mut self, format: Format) -> Result<()> {
        if let Some((dir, name)) = self.deferred.take() {
            let path = dir.join(format!("{name}.{}", format.file_extension()));
            let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
            self.name = path.display().to_string();
            self.path = Some(path);
            self.writer = Some(Box::new(BufWriter::new(file)));
        }
        Ok(())
    }

    pub fn writer(&mut self) -> &mut dyn Write {
        // A deferred output is opened before anything is written; until then writes vanish.
        self.writer.get_or_insert_with(|| Box::new(io::sink()))
    }

    pub fn finish(mut self) -> Result<()> {
        match &mut self.writer {
            Some(writer) => writer.flush().map_err(|e| Error::io(&self.name, e)),
            None => Ok(()),
        }
    }
}

fn update(cmd: UpdateCmd) -> anyhow::Result<ExitStatus> {
    let dataset = dataset_choice(&cmd.dataset, Reasoning::None)?;
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
    let sources: Vec<Source> = read_jobs(&cmd.sources, "update", false)?
        .into_iter()
        .map(|job| job.source)
        .collect();
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
    let dataset = dataset_choice(&cmd.dataset, Reasoning::None)?;
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

/// The library as a table: name, title and parameters (with `--long`, the question and notes).
pub fn library_listing(long: bool) -> String {
    let mut table = comfy_table::Table::new();
    table
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty();
    let mut header = vec!["name", "title", "parameters"];
    if long {
        header.push("question");
    }
    table.set_header(header);
    for query in crate::library::LIBRARY {
        let h = crate::library::header(query.text);
        let params: Vec<String> = h.params.iter().map(|p| p.name.clone()).collect();
        let mut row = vec![query.name.to_owned(), h.title, params.join(", ")];
        if long {
            row.push(h.question);
        }
        table.add_row(row);
    }
    format!("{table}\n")
}

fn queries(cmd: QueriesCmd) -> anyhow::Result<ExitStatus> {
    let mut out = Output::stdout();
    let name = out.name().to_owned();
    out.writer()
        .write_all(library_listing(cmd.long).as_bytes())
        .map_err(|e| Error::io(&name, e))?;
    out.finish()?;
    Ok(ExitStatus::Success)
}

fn check(cmd: CheckCmd) -> anyhow::Result<ExitStatus> {
    let dataset = Dataset::open(&dataset_choice(&cmd.dataset, Reasoning::None)?)?;
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
