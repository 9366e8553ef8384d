//! The interactive SPARQL shell, and the same statements read as a script when stdin is not a
//! terminal (`ffkg < session.sparql`).
//!
//! Each statement runs on a worker thread while the main thread watches for Ctrl-C and the
//! timeout: both cancel the statement, and one that does not notice within a grace period is
//! left to finish in the background while the prompt comes back.
//!
//! In a script, statements run in order and the first that fails stops it: ffkg prints the
//! error with the statement's line and exits with that error's code (2 for a bad dot-command,
//! 3 for a query or data error, 4 for a file that cannot be read or written, 5 for a timeout).

mod command;
mod describe;
mod helper;

use crate::app;
use crate::cli::ReplCmd;
use crate::dataset::{Dataset, DatasetChoice};
use crate::error::{Error, ExitStatus, Result};
use crate::format::{Format, ResultKind};
use crate::render::{self, RenderOptions, Summary};
use crate::sparql::{self, GRACE, Settings, Source, Watchdog, timeout_error};
use crate::statements::{self, Chunk, ChunkKind, Kind};
use crate::table::TableOptions;
use command::{Command, Limit};
use helper::{CONTINUATION, EnterHandler, PROMPT, ReplHelper};
use oxigraph::model::NamedNode;
use oxigraph::sparql::{CancellationToken, QueryResults};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{
    Cmd, ColorMode, CompletionType, Config, Editor, EventHandler, KeyCode, KeyEvent, Modifiers,
};
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

/// Rows a table shows in the REPL unless `.limit` says otherwise.
const DEFAULT_LIMIT: u64 = 100;

/// How often the main thread looks at a running statement, Ctrl-C and the timeout.
const POLL: Duration = Duration::from_millis(20);

/// Runs the REPL, or a script when stdin is not a terminal.
pub fn run(cmd: ReplCmd) -> anyhow::Result<ExitStatus> {
    let choice = app::dataset_choice(&cmd.dataset, crate::infer::Reasoning::Owl)?;
    let settings = app::settings(&cmd.run);
    let interactive = io::stdin().is_terminal();
    let started = Instant::now();
    let dataset = Dataset::open(&choice)?;
    let mut session = Session::new(dataset, settings, interactive);
    if let Some(format) = cmd.format {
        session.set_format(format);
    }
    if interactive {
        let source = match &choice {
            DatasetChoice::Persistent(dir) => format!("the store in {}", dir.display()),
            DatasetChoice::Memory(spec) if spec.embedded => "the embedded graph".to_owned(),
            DatasetChoice::Memory(_) => "your files".to_owned(),
        };
        eprintln!(
            "ffkg {} — SPARQL over {source}, ready in {}",
            env!("CARGO_PKG_VERSION"),
            duration_text(started.elapsed())
        );
        eprintln!(
            "End a statement with ; (Alt-Enter runs it as it is). TAB completes, .help lists \
             the commands, Ctrl-D leaves."
        );
        Ok(interactive_loop(session)?)
    } else {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        Ok(session.script(&text, "<stdin>"))
    }
}

/// Where results go: the screen, or a file they are appended to.
#[derive(Debug, Clone)]
enum Sink {
    Stdout,
    File(PathBuf),
}

impl Sink {
    fn open(&self) -> Result<Box<dyn Write + Send>> {
        Ok(match self {
            Self::Stdout => Box::new(BufWriter::new(io::stdout())),
            Self::File(path) => Box::new(BufWriter::new(
                OpenOptions::new()
                    .append(true)
                    .create(true)
                    .open(path)
                    .map_err(|e| Error::io(path, e))?,
            )),
        })
    }

    fn name(&self) -> String {
        match self {
            Self::Stdout => "<stdout>".to_owned(),
            Self::File(path) => path.display().to_string(),
        }
    }

    fn path(&self) -> Option<&Path> {
        match self {
            Self::Stdout => None,
            Self::File(path) => Some(path),
        }
    }
}

/// Why a statement did not finish.
#[derive(Debug)]
enum Stop {
    Failed(Error),
    /// Ctrl-C.
    Interrupted,
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        Self::Failed(error)
    }
}

/// What to do after a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Continue,
    Quit,
}

/// What a query answered, for the line under its results.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Rows,
    Triples,
    Boolean,
}

/// The session: its dataset, its settings and how results are shown.
struct Session {
    dataset: Arc<RwLock<Dataset>>,
    settings: Settings,
    /// The settings the line editor parses with (prefixes change during a session).
    shared: Arc<RwLock<Settings>>,
    /// Formats chosen with `.format` (or `--format`), one per kind of result.
    solutions_format: Option<Format>,
    graph_format: Option<Format>,
    output: Option<PathBuf>,
    timing: bool,
    limit: Option<u64>,
    interactive: bool,
    /// Set by SIGINT (interactive mode only).
    interrupt: Arc<AtomicBool>,
    warned_unsaved: bool,
    last_query: Option<String>,
    /// The data changed since the completer last read it.
    changed: bool,
}

impl Session {
    fn new(dataset: Dataset, settings: Settings, interactive: bool) -> Self {
        Self {
            dataset: Arc::new(RwLock::new(dataset)),
            shared: Arc::new(RwLock::new(settings.clone())),
            settings,
            solutions_format: None,
            graph_format: None,
            output: None,
            timing: interactive,
            limit: interactive.then_some(DEFAULT_LIMIT),
            interactive,
            interrupt: Arc::new(AtomicBool::new(false)),
            warned_unsaved: false,
            last_query: None,
            changed: false,
        }
    }

    fn set_format(&mut self, format: Format) {
        match format.kind() {
            ResultKind::Solutions => self.solutions_format = Some(format),
            ResultKind::Graph => self.graph_format = Some(format),
        }
    }

    /// Runs a whole script; the exit status of the first statement that fails, or success.
    fn script(&mut self, text: &str, origin: &str) -> ExitStatus {
        let mut from = 0;
        while let Some(chunk) = statements::next_chunk(text, from, &self.settings) {
            from = chunk.end;
            match self.run_chunk(&chunk, origin) {
                Ok(Flow::Continue) => {}
                Ok(Flow::Quit) => break,
                Err(stop) => {
                    let error = match stop {
                        Stop::Failed(error) => error,
                        Stop::Interrupted => return ExitStatus::Failed,
                    };
                    // `ffkg < script | head` closed the pipe: not a failure.
                    if matches!(&error, Error::Io { cause, .. } if cause.kind() == io::ErrorKind::BrokenPipe)
                    {
                        return ExitStatus::Success;
                    }
                    let status = error.exit_status();
                    match &error {
                        Error::QuerySyntax { .. } => eprintln!("ffkg: {error}"),
                        _ => eprintln!(
                            "ffkg: {error}\n  in the statement at {origin}:{}",
                            chunk.line
                        ),
                    }
                    return status;
                }
            }
        }
        ExitStatus::Success
    }

    /// Runs what was typed at the prompt: every statement in it, errors reported and the
    /// rest still run. Returns whether to quit.
    fn entry(&mut self, text: &str) -> Flow {
        let mut from = 0;
        while let Some(chunk) = statements::next_chunk(text, from, &self.settings) {
            from = chunk.end;
            match self.run_chunk(&chunk, "input") {
                Ok(Flow::Continue) => {}
                Ok(Flow::Quit) => return Flow::Quit,
                Err(Stop::Interrupted) => {
                    eprintln!("interrupted");
                    return Flow::Continue;
                }
                Err(Stop::Failed(error)) => eprintln!("error: {error}"),
            }
        }
        Flow::Continue
    }

    fn run_chunk(&mut self, chunk: &Chunk, origin: &str) -> Result<Flow, Stop> {
        let flow = match chunk.kind {
            ChunkKind::Command => {
                let command = command::parse(&chunk.text)?;
                self.command(command, chunk, origin)?
            }
            ChunkKind::Statement => {
                self.statement(chunk, origin)?;
                Flow::Continue
            }
        };
        if let Ok(mut shared) = self.shared.write() {
            shared.clone_from(&self.settings);
        }
        Ok(flow)
    }

    fn statement(&mut self, chunk: &Chunk, origin: &str) -> Result<(), Stop> {
        let source = Source {
            origin: origin.to_owned(),
            text: chunk.positioned_text(),
        };
        match statements::classify(&source, &self.settings)? {
            Kind::Query => {
                self.query(source, None)?;
                self.last_query = Some(chunk.text.clone());
            }
            Kind::Update => self.update(source)?,
        }
        // A prefix a statement declares stays declared.
        for (name, iri) in statements::declared_prefixes(&chunk.text) {
            self.settings.prefixes.insert(&name, &iri);
        }
        Ok(())
    }

    fn sink(&self) -> Sink {
        self.output.clone().map_or(Sink::Stdout, Sink::File)
    }

    /// True when results are shown on a terminal (tables by default, fitted to its width).
    fn on_terminal(&self) -> bool {
        self.output.is_none() && io::stdout().is_terminal()
    }

    fn width(&self) -> Option<u16> {
        if self.on_terminal() {
            comfy_table::Table::new().width().filter(|w| *w >= 20)
        } else {
            None
        }
    }

    /// Runs a query and writes its results; `title` goes before them.
    fn query(&mut self, source: Source, title: Option<String>) -> Result<(), Stop> {
        let started = Instant::now();
        let job = QueryJob {
            dataset: Arc::clone(&self.dataset),
            settings: self.settings.clone(),
            sink: self.sink(),
            solutions_format: self.solutions_format,
            graph_format: self.graph_format,
            terminal: self.on_terminal(),
            table: TableOptions {
                max_rows: self.limit,
                width: self.width(),
                ..TableOptions::default()
            },
            title,
        };
        let origin = source.origin.clone();
        let (summary, answer) = self.run_job(&origin, move |token| job.run(&source, token))?;
        self.report(summary, answer, started.elapsed());
        Ok(())
    }

    /// The line under a result: how many rows, how many shown, how long it took.
    fn report(&self, summary: Summary, answer: Answer, elapsed: Duration) {
        if !self.interactive && !self.timing {
            return;
        }
        let mut text = match answer {
            Answer::Rows => count(summary.rows, "row", "rows"),
            Answer::Triples => count(summary.rows, "triple", "triples"),
            Answer::Boolean => String::new(),
        };
        if summary.hidden > 0 {
            text.push_str(&format!(
                ", {} shown (.limit {}; .limit off shows all)",
                summary.rows - summary.hidden,
                summary.rows - summary.hidden
            ));
        }
        if self.timing {
            if text.is_empty() {
                text = format!("answered in {}", duration_text(elapsed));
            } else {
                text.push_str(&format!(" in {}", duration_text(elapsed)));
            }
        }
        if !text.is_empty() {
            eprintln!("{text}");
        }
    }

    fn update(&mut self, source: Source) -> Result<(), Stop> {
        let started = Instant::now();
        let dataset = Arc::clone(&self.dataset);
        let settings = self.settings.clone();
        let origin = source.origin.clone();
        self.run_job(&origin, move |token| {
            let prepared = settings.prepare_update(&source, Some(token))?;
            write_lock(&dataset, &source.origin)?.update(prepared, &source.origin)
        })?;
        self.changed = true;
        if self.timing {
            eprintln!("updated in {}", duration_text(started.elapsed()));
        }
        let persistent = read_lock(&self.dataset, &origin)
            .map(|d| d.is_persistent())
            .unwrap_or(false);
        if !persistent && !self.warned_unsaved {
            self.warned_unsaved = true;
            eprintln!(
                "note: this changes the graph in memory only; .save FILE writes it (or open a \
                 --store to keep changes)"
            );
        }
        Ok(())
    }

    /// Runs `job` on a worker thread; Ctrl-C and the timeout cancel it. A job that does not
    /// stop within the grace period is left to finish in the background.
    fn run_job<T: Send + 'static>(
        &self,
        origin: &str,
        job: impl FnOnce(CancellationToken) -> Result<T> + Send + 'static,
    ) -> Result<T, Stop> {
        let timeout = self.settings.timeout;
        let stuck = Arc::new(AtomicBool::new(false));
        let dog = Watchdog::start(timeout, {
            let stuck = Arc::clone(&stuck);
            move || stuck.store(true, Ordering::SeqCst)
        });
        let token = dog.token();
        self.interrupt.store(false, Ordering::SeqCst);
        let (sender, receiver) = mpsc::channel();
        let worker_token = token.clone();
        thread::Builder::new()
            .name("ffkg-statement".to_owned())
            .spawn(move || {
                let _ = sender.send(job(worker_token));
            })
            .map_err(|e| Error::io("<thread>", e))?;
        let mut interrupted: Option<Instant> = None;
        loop {
            match receiver.recv_timeout(POLL) {
                Ok(result) => {
                    let timed_out = dog.finish();
                    return match result {
                        Ok(value) => Ok(value),
                        Err(_) if interrupted.is_some() => Err(Stop::Interrupted),
                        Err(error) => Err(Stop::Failed(timeout_error(error, timed_out, timeout))),
                    };
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(Stop::Failed(Error::QueryEvaluation {
                        origin: origin.to_owned(),
                        message: "the statement stopped unexpectedly".to_owned(),
                    }));
                }
            }
            if interrupted.is_none() && self.interrupt.swap(false, Ordering::SeqCst) {
                token.cancel();
                interrupted = Some(Instant::now());
            }
            if interrupted.is_some_and(|at| at.elapsed() > GRACE) {
                eprintln!(
                    "warning: the statement did not stop when asked; it goes on in the \
                     background until it ends or you quit"
                );
                return Err(Stop::Interrupted);
            }
            if stuck.load(Ordering::SeqCst) {
                eprintln!(
                    "warning: the statement did not stop at the timeout; it goes on in the \
                     background until it ends or you quit"
                );
                return Err(Stop::Failed(Error::Timeout {
                    origin: origin.to_owned(),
                    seconds: timeout.map_or(0.0, |t| t.as_secs_f64()),
                }));
            }
        }
    }

    /// Writes a job's text answer (a card, a plan) where results go.
    fn write_text(&self, text: &str) -> Result<()> {
        let sink = self.sink();
        let mut writer = sink.open()?;
        writer
            .write_all(text.as_bytes())
            .and_then(|()| writer.flush())
            .map_err(|e| Error::io(sink.name(), e))
    }

    fn command(&mut self, command: Command, chunk: &Chunk, origin: &str) -> Result<Flow, Stop> {
        match command {
            Command::Help(topic) => {
                let width = usize::from(self.width().unwrap_or(100));
                print(&command::help(topic.as_deref(), width)?)?;
            }
            Command::Quit => return Ok(Flow::Quit),
            Command::Prefixes => {
                let width = self.settings.prefixes.iter().map(|(p, _)| p.len()).max();
                let mut text = String::new();
                for (prefix, iri) in self.settings.prefixes.iter() {
                    let name = format!("{prefix}:");
                    text.push_str(&format!("{name:w$}  <{iri}>\n", w = width.unwrap_or(0) + 1));
                }
                print(&text)?;
            }
            Command::Prefix { name, iri } => {
                self.settings.prefixes.insert(&name, &iri);
                self.note(&format!("{name}: is <{iri}>"));
            }
            Command::Format(None) => {
                let show = |f: Option<Format>, default: &str| {
                    f.map_or_else(|| format!("{default} (default)"), |f| f.to_string())
                };
                let default = if self.on_terminal() || self.interactive {
                    "table"
                } else {
                    "tsv"
                };
                print(&format!(
                    "solutions: {}\ngraphs: {}\n",
                    show(self.solutions_format, default),
                    show(self.graph_format, "turtle")
                ))?;
            }
            Command::Format(Some(format)) => {
                self.set_format(format);
                let kind = match format.kind() {
                    ResultKind::Solutions => "solutions",
                    ResultKind::Graph => "graphs",
                };
                self.note(&format!("{kind} are shown as {format}"));
            }
            Command::Output(None) => {
                self.output = None;
                self.note("results go to the screen");
            }
            Command::Output(Some(path)) => {
                File::create(&path).map_err(|e| Error::io(&path, e))?;
                self.note(&format!(
                    "results go to {} (.output alone brings them back)",
                    path.display()
                ));
                self.output = Some(path);
            }
            Command::Timing(None) => {
                print(&format!("timing is {}\n", on_off(self.timing)))?;
            }
            Command::Timing(Some(on)) => self.timing = on,
            Command::Limit(None) => print(&match self.limit {
                Some(n) => format!("tables show at most {n} rows\n"),
                None => "tables show every row\n".to_owned(),
            })?,
            Command::Limit(Some(Limit::Rows(n))) => self.limit = Some(n),
            Command::Limit(Some(Limit::Off)) => self.limit = None,
            Command::Load { path, graph } => self.load(&path, graph.as_deref(), origin)?,
            Command::Save(path) => self.save(&path, origin)?,
            Command::Describe(term) => {
                let dataset = Arc::clone(&self.dataset);
                let settings = self.settings.clone();
                let width = usize::from(self.width().unwrap_or(100));
                let card = self.run_job(origin, move |token| {
                    let dataset = read_lock(&dataset, ".describe")?;
                    let lookup = describe::Lookup {
                        dataset: &dataset,
                        settings: &settings,
                        token,
                    };
                    let node = lookup.resolve(&term)?;
                    lookup.card(&node, width)
                })?;
                self.write_text(&card)?;
            }
            Command::Find(text) => {
                let source = Source {
                    origin: ".find".to_owned(),
                    text: describe::find_query(&text),
                };
                self.query(source, None)?;
            }
            Command::Schema => {
                for (title, text) in describe::schema_queries() {
                    let source = Source {
                        origin: ".schema".to_owned(),
                        text,
                    };
                    self.query(source, Some(title.to_owned()))?;
                }
            }
            Command::Explain(query) => self.explain(query.is_some(), chunk, origin)?,
            Command::Reasoning(None) => {
                let level = read_lock(&self.dataset, origin)?.reasoning();
                print(&format!("reasoning is {level}\n"))?;
            }
            Command::Reasoning(Some(level)) => {
                let started = Instant::now();
                let inferred = write_lock(&self.dataset, origin)?.set_reasoning(level)?;
                self.changed = true;
                self.note(&format!(
                    "reasoning is {level}: {inferred} entailments in graph:inferred ({})",
                    duration_text(started.elapsed())
                ));
            }
            Command::Queries => print(&crate::app::library_listing(false))?,
            Command::Run { name, params } => {
                let query = crate::library::find(&name).ok_or_else(|| {
                    Error::usage(format!(
                        "no library query named '{name}': .queries lists them"
                    ))
                })?;
                let text = crate::library::bind(query.text, &params, &self.settings.prefixes)?;
                let title = crate::library::header(query.text).title;
                let source = Source {
                    origin: format!("queries/{name}.rq"),
                    text,
                };
                self.query(source, (!title.is_empty()).then_some(title))?;
            }
        }
        Ok(Flow::Continue)
    }

    /// A message about a setting, for a person at the prompt.
    fn note(&self, text: &str) {
        if self.interactive {
            eprintln!("{text}");
        }
    }

    fn load(&mut self, path: &Path, graph: Option<&str>, origin: &str) -> Result<(), Stop> {
        let graph = graph.map(|g| self.node(g)).transpose()?;
        let started = Instant::now();
        write_lock(&self.dataset, origin)?.load(path, None, graph.clone())?;
        self.changed = true;
        if self.interactive || self.timing {
            let into = graph.map_or_else(
                || "the default graph".to_owned(),
                |g| format!("<{}>", g.as_str()),
            );
            eprintln!(
                "loaded {} into {into} in {}",
                path.display(),
                duration_text(started.elapsed())
            );
        }
        Ok(())
    }

    /// A graph name as typed: `<iri>`, a prefixed name or a bare IRI.
    fn node(&self, text: &str) -> Result<NamedNode> {
        let iri = match text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            Some(iri) => iri.to_owned(),
            None => self
                .settings
                .prefixes
                .expand(text)
                .filter(|_| !text.contains("://"))
                .unwrap_or_else(|| text.to_owned()),
        };
        NamedNode::new(&iri).map_err(|e| Error::usage(format!("'{text}' is not an IRI: {e}")))
    }

    fn save(&mut self, path: &Path, origin: &str) -> Result<(), Stop> {
        let (format, gzipped) = Format::from_path(path);
        let format = format
            .filter(|f| f.kind() == ResultKind::Graph && !gzipped)
            .ok_or_else(|| {
                Error::usage(format!(
                    "cannot tell the RDF syntax of '{}' from its extension: use one of .ttl, \
                     .nt, .nq, .trig, .jsonld, .rdf (.nq and .trig keep the named graphs)",
                    path.display()
                ))
            })?;
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let name = path.display().to_string();
        let mut writer = BufWriter::new(file);
        let count = read_lock(&self.dataset, origin)?.write(
            format,
            &self.settings.prefixes,
            &name,
            &mut writer,
        )?;
        writer.flush().map_err(|e| Error::io(path, e))?;
        let unit = if format.holds_datasets() {
            "quads"
        } else {
            "triples"
        };
        if self.interactive || self.timing {
            eprintln!("wrote {count} {unit} to {name}");
        }
        Ok(())
    }

    /// `.explain QUERY` (the query in the chunk after the command name) or the last query.
    fn explain(&mut self, has_query: bool, chunk: &Chunk, origin: &str) -> Result<(), Stop> {
        let text = if has_query {
            // Keep the query where it was typed, so error positions are those of the input.
            let mut text = chunk.positioned_text();
            let at = text.len() - chunk.text.len();
            text.replace_range(at..at + ".explain".len(), &" ".repeat(".explain".len()));
            text
        } else {
            self.last_query.clone().ok_or_else(|| {
                Error::usage("no query to explain yet: .explain SELECT … runs one and explains it")
            })?
        };
        let source = Source {
            origin: origin.to_owned(),
            text,
        };
        if statements::classify(&source, &self.settings)? != Kind::Query {
            return Err(Error::usage(".explain explains queries, not updates").into());
        }
        let dataset = Arc::clone(&self.dataset);
        let settings = self.settings.clone();
        let tree = self.run_job(origin, move |token| {
            let prepared = settings.prepare_query(&source, Some(token))?;
            let explanation =
                read_lock(&dataset, &source.origin)?.explain(prepared, &source.origin)?;
            let mut json = Vec::new();
            explanation
                .write_in_json(&mut json)
                .map_err(|e| Error::io("<explanation>", e))?;
            let json: serde_json::Value =
                serde_json::from_slice(&json).map_err(|e| Error::QueryEvaluation {
                    origin: source.origin.clone(),
                    message: format!("unreadable query plan: {e}"),
                })?;
            Ok(describe::plan_tree(&json, &settings.prefixes))
        })?;
        self.write_text(&tree)?;
        Ok(())
    }
}

/// Everything a query needs on its worker thread.
struct QueryJob {
    dataset: Arc<RwLock<Dataset>>,
    settings: Settings,
    sink: Sink,
    solutions_format: Option<Format>,
    graph_format: Option<Format>,
    terminal: bool,
    table: TableOptions,
    title: Option<String>,
}

impl QueryJob {
    fn run(self, source: &Source, token: CancellationToken) -> Result<(Summary, Answer)> {
        let prepared = self.settings.prepare_query(source, Some(token))?;
        // The results do not borrow the dataset: let go of it before streaming them, so a
        // query left in the background never blocks an update.
        let results = read_lock(&self.dataset, &source.origin)?.query(prepared, &source.origin)?;
        let kind = sparql::result_kind(&results);
        let answer = match (&results, kind) {
            (QueryResults::Boolean(_), _) => Answer::Boolean,
            (_, ResultKind::Graph) => Answer::Triples,
            _ => Answer::Rows,
        };
        let explicit = match kind {
            ResultKind::Solutions => self.solutions_format,
            ResultKind::Graph => self.graph_format,
        };
        let format = Format::resolve(
            explicit,
            self.sink.path(),
            kind,
            self.terminal,
            &source.origin,
        )?;
        let name = self.sink.name();
        let mut writer = self.sink.open()?;
        // A title heads a table for people; it would corrupt a machine format.
        if let (Some(title), Format::Table) = (&self.title, format) {
            writeln!(writer, "{title}").map_err(|e| Error::io(&name, e))?;
        }
        let options = RenderOptions {
            format,
            prefixes: &self.settings.prefixes,
            table: self.table,
            output_name: &name,
        };
        let summary = render::write_results(results, &options, &source.origin, &mut writer)?;
        Ok((summary, answer))
    }
}

/// Reads the dataset; a statement left running in the background may hold it.
fn read_lock<'a>(
    dataset: &'a RwLock<Dataset>,
    origin: &str,
) -> Result<RwLockReadGuard<'a, Dataset>> {
    match dataset.try_read() {
        Ok(guard) => Ok(guard),
        Err(TryLockError::Poisoned(poisoned)) => Ok(poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => Err(busy(origin)),
    }
}

fn write_lock<'a>(
    dataset: &'a RwLock<Dataset>,
    origin: &str,
) -> Result<RwLockWriteGuard<'a, Dataset>> {
    match dataset.try_write() {
        Ok(guard) => Ok(guard),
        Err(TryLockError::Poisoned(poisoned)) => Ok(poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => Err(busy(origin)),
    }
}

fn busy(origin: &str) -> Error {
    Error::QueryEvaluation {
        origin: origin.to_owned(),
        message: "a stopped statement is still finishing in the background: try again when it \
                  ends"
            .to_owned(),
    }
}

fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("<stdout>", e))
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn duration_text(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds < 1.0 {
        format!("{:.1} ms", seconds * 1000.0)
    } else {
        format!("{seconds:.2} s")
    }
}

/// The history file, in the user's data directory (never the working directory).
fn history_path() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("ffkg").join("history.txt"))
}

/// The prompt loop.
fn interactive_loop(mut session: Session) -> Result<ExitStatus> {
    // Ctrl-C while a statement runs stops it, not ffkg; while typing, rustyline reads it as a key.
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&session.interrupt))
        .map_err(|e| Error::io("<signals>", e))?;
    let color =
        io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_space(true)
        .completion_type(CompletionType::List)
        .completion_show_all_if_ambiguous(true)
        // The helper draws the continuation prompt even without colors; it adds colors itself
        // only when NO_COLOR is unset and stdout is a terminal.
        .color_mode(if io::stdout().is_terminal() {
            ColorMode::Forced
        } else {
            ColorMode::Disabled
        })
        .bracketed_paste(true);
    let config = config
        .max_history_size(10_000)
        .and_then(|c| c.history_ignore_dups(true))
        .map_err(readline_error)?
        .build();
    let mut editor: Editor<ReplHelper, FileHistory> =
        Editor::with_config(config).map_err(readline_error)?;
    editor.set_helper(Some(ReplHelper::new(
        Arc::clone(&session.shared),
        Arc::clone(&session.dataset),
        color,
    )));
    let enter = || {
        EventHandler::Conditional(Box::new(EnterHandler {
            settings: Arc::clone(&session.shared),
        }))
    };
    editor.bind_sequence(KeyEvent(KeyCode::Enter, Modifiers::NONE), enter());
    editor.bind_sequence(KeyEvent::ctrl('J'), enter());
    // Alt-Enter runs the input as it is, complete or not, to see what the parser says.
    editor.bind_sequence(KeyEvent(KeyCode::Enter, Modifiers::ALT), Cmd::AcceptLine);

    let history = history_path();
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match editor.load_history(path) {
            Ok(()) => {}
            Err(ReadlineError::Io(e)) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => eprintln!(
                "warning: could not read the history in {}: {e}",
                path.display()
            ),
        }
    }
    let styled = if color {
        format!("\x1b[1m{PROMPT}\x1b[0m")
    } else {
        PROMPT.to_owned()
    };
    debug_assert_eq!(PROMPT.len(), CONTINUATION.len());
    let mut history_warned = false;
    loop {
        match editor.readline(&(PROMPT, styled.as_str())) {
            Ok(input) => {
                if input.trim().is_empty() {
                    continue;
                }
                let _ = editor.add_history_entry(input.as_str());
                if let Some(path) = &history {
                    if let Err(e) = editor.append_history(path) {
                        if !std::mem::replace(&mut history_warned, true) {
                            eprintln!(
                                "warning: could not save the history in {}: {e}",
                                path.display()
                            );
                        }
                    }
                }
                let flow = session.entry(&input);
                if std::mem::take(&mut session.changed) {
                    if let Some(helper) = editor.helper() {
                        helper.data_changed();
                    }
                }
                if flow == Flow::Quit {
                    break;
                }
            }
            // Ctrl-C while typing drops the input.
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(readline_error(e)),
        }
    }
    Ok(ExitStatus::Success)
}

fn readline_error(error: ReadlineError) -> Error {
    match error {
        ReadlineError::Io(e) => Error::io("<terminal>", e),
        other => Error::io("<terminal>", io::Error::other(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::DatasetSpec;

    /// A script session on the sample data; its results go to a file that lives as long as
    /// the returned guard.
    fn sample_session() -> (Session, tempfile::NamedTempFile) {
        let spec = DatasetSpec {
            embedded: false,
            data: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sample.ttl")],
            ..DatasetSpec::default()
        };
        let mut session = Session::new(
            Dataset::build(&spec).expect("sample"),
            Settings::default(),
            false,
        );
        let output = tempfile::Builder::new()
            .suffix(".tsv")
            .tempfile()
            .expect("temp file");
        session.output = Some(output.path().to_owned());
        (session, output)
    }

    #[test]
    fn a_prefix_declared_in_a_statement_stays_declared() {
        let (mut session, output) = sample_session();
        let status = session.script(
            "PREFIX ex: <http://example.org/> ASK { ex:alice ex:knows ex:bob } ;\n\
             ASK { ex:bob a ex:Person } ;",
            "test",
        );
        assert_eq!(status, ExitStatus::Success);
        assert_eq!(
            session.settings.prefixes.get("ex"),
            Some("http://example.org/")
        );
        let written = std::fs::read_to_string(output.path()).expect("results");
        assert_eq!(written, "truetrue");
    }

    #[test]
    fn a_script_stops_at_the_first_failure_with_its_status() {
        let (mut session, _output) = sample_session();
        let status = session.script(
            "INSERT DATA { <http://e/a> <http://e/p> 1 } ;\nSELEC * {} ;\nINSERT DATA { <http://e/b> <http://e/p> 2 } ;",
            "test",
        );
        assert_eq!(status, ExitStatus::QueryOrData);
        // The first update ran, the last did not.
        let store = session.dataset.read().expect("dataset");
        let source = |text: &str| Source::inline(1, text);
        let asks = |text: &str| {
            let prepared = session
                .settings
                .prepare_query(&source(text), None)
                .expect("parses");
            matches!(store.query(prepared, "t"), Ok(QueryResults::Boolean(true)))
        };
        assert!(asks("ASK { <http://e/a> <http://e/p> 1 }"));
        assert!(!asks("ASK { <http://e/b> <http://e/p> 2 }"));
        drop(store);
        assert_eq!(session.script(".nonsense", "test"), ExitStatus::Usage);
    }

    #[test]
    fn settings_commands_change_the_session() {
        let (mut session, _output) = sample_session();
        let status = session.script(
            ".format csv\n.format ntriples\n.limit 5\n.timing off\n.prefix e: <http://e/>\n",
            "test",
        );
        assert_eq!(status, ExitStatus::Success);
        assert_eq!(session.solutions_format, Some(Format::Csv));
        assert_eq!(session.graph_format, Some(Format::Ntriples));
        assert_eq!(session.limit, Some(5));
        assert!(!session.timing);
        assert_eq!(session.settings.prefixes.get("e"), Some("http://e/"));
        assert_eq!(
            session.script(".quit\n.nonsense", "test"),
            ExitStatus::Success
        );
    }
}
