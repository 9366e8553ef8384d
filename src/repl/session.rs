//! A REPL session: its dataset, its settings, and running what is typed (or read from a
//! script) statement by statement through the engine. The dot-commands add their methods to
//! the session in a file of their own.

use super::command;
use crate::config::Formats;
use crate::data::Backend;
use crate::engine::worker::{self, Stop};
use crate::engine::{self, Answer, Body, OutputOptions, Statement, Summary, duration_text};
use crate::error::{self, Error, ExitStatus, Result};
use crate::output::sink::Target;
use crate::output::table::TableOptions;
use crate::sparql::split::{self, Chunk, ChunkKind};
use crate::sparql::{Settings, Source};
use oxigraph::sparql::CancellationToken;
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};

/// Rows a table shows in the REPL unless `.limit` says otherwise.
const DEFAULT_LIMIT: u64 = 100;

/// What to do after a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Quit,
}

/// The session: its dataset, its settings and how results are shown.
pub struct Session {
    pub(super) dataset: Arc<RwLock<Box<dyn Backend>>>,
    /// The local dataset, kept as it was while the session is on an endpoint (`.endpoint`).
    pub(super) parked: Option<Box<dyn Backend>>,
    /// The endpoint the session is on, for the prompt; none on local data.
    pub(super) place: Option<String>,
    pub(super) settings: Settings,
    /// The settings the line editor parses with (prefixes change during a session).
    pub(super) shared: Arc<RwLock<Settings>>,
    /// Formats chosen with `.format` (or `--format`), one per kind of result.
    pub(super) formats: Formats,
    pub(super) output: Option<PathBuf>,
    pub(super) timing: bool,
    pub(super) limit: Option<u64>,
    pub(super) interactive: bool,
    /// Set by SIGINT (interactive mode only).
    pub(super) interrupt: Arc<AtomicBool>,
    pub(super) warned_unsaved: bool,
    /// Updates since the last `.save`, on data kept in memory only.
    pub(super) unsaved: bool,
    /// Leaving with unsaved changes was warned of once; the next `.quit` leaves.
    pub(super) quit_warned: bool,
    pub(super) last_query: Option<String>,
    /// The data changed since the completer last read it.
    pub(super) changed: bool,
    /// A script goes on after a failing statement (`--keep-going`).
    pub(super) keep_going: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("interactive", &self.interactive)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn new(dataset: Box<dyn Backend>, settings: Settings, interactive: bool) -> Self {
        Self {
            dataset: Arc::new(RwLock::new(dataset)),
            parked: None,
            place: None,
            shared: Arc::new(RwLock::new(settings.clone())),
            settings,
            formats: Formats::default(),
            output: None,
            timing: interactive,
            limit: interactive.then_some(DEFAULT_LIMIT),
            interactive,
            interrupt: Arc::new(AtomicBool::new(false)),
            warned_unsaved: false,
            unsaved: false,
            quit_warned: false,
            last_query: None,
            changed: false,
            keep_going: false,
        }
    }

    /// Runs a whole script; the exit status of the first statement that fails, or success.
    pub fn script(&mut self, text: &str, origin: &str) -> ExitStatus {
        let mut first_failure: Option<ExitStatus> = None;
        let mut from = 0;
        while let Some(chunk) = split::next_chunk(text, from, &self.settings) {
            from = chunk.end;
            match self.run_chunk(&chunk, origin) {
                Ok(Flow::Continue) => {}
                Ok(Flow::Quit) => break,
                Err(Stop::Interrupted) => return ExitStatus::Failed,
                Err(Stop::Failed(error) | Stop::Abandoned(error)) => {
                    // `ffkg < script | head` closed the pipe: not a failure.
                    if error.is_broken_pipe() {
                        return ExitStatus::Success;
                    }
                    let status = error.exit_status();
                    let text = error::report(&error);
                    match &error {
                        Error::QuerySyntax { .. } | Error::TooDeep { .. } => {
                            eprintln!("ffkg: {text}");
                        }
                        _ => eprintln!(
                            "ffkg: {text}\n  in the statement at {origin}:{}",
                            chunk.line
                        ),
                    }
                    if !self.keep_going {
                        return status;
                    }
                    first_failure.get_or_insert(status);
                }
            }
        }
        first_failure.unwrap_or(ExitStatus::Success)
    }

    /// Runs what was typed at the prompt: every statement in it, errors reported and the
    /// rest still run. Returns whether to quit.
    pub fn entry(&mut self, text: &str) -> Flow {
        let mut from = 0;
        while let Some(chunk) = split::next_chunk(text, from, &self.settings) {
            from = chunk.end;
            match self.run_chunk(&chunk, "input") {
                Ok(Flow::Continue) => {}
                Ok(Flow::Quit) => return Flow::Quit,
                Err(Stop::Interrupted) => {
                    eprintln!("interrupted");
                    return Flow::Continue;
                }
                Err(Stop::Abandoned(error)) => {
                    eprintln!("error: {}", error::report(&error));
                    eprintln!(
                        "warning: the statement did not stop when asked; it goes on in the \
                         background until it ends or you quit"
                    );
                    return Flow::Continue;
                }
                Err(Stop::Failed(error)) => eprintln!("error: {}", error::report(&error)),
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
        let source = Source::new(origin, chunk.positioned_text());
        let statement = engine::prepare(&source, &self.settings)?;
        match statement.body {
            Body::Query(ref query) => {
                if self.settings.lint {
                    self.warn_unknown_names(&source, origin);
                    crate::describe::warn_never_bound(query);
                }
                self.query(statement, None)?;
                self.last_query = Some(chunk.text.clone());
            }
            Body::Update(_) => self.update(statement)?,
        }
        // A prefix a statement declares stays declared.
        for (name, iri) in split::declared_prefixes(&chunk.text) {
            self.settings.prefixes.insert(&name, &iri);
        }
        Ok(())
    }

    /// Warns about the names in `source` the graph does not use, before its results; the check
    /// never fails the statement.
    fn warn_unknown_names(&mut self, source: &Source, origin: &str) {
        let dataset = Arc::clone(&self.dataset);
        let settings = self.settings.clone();
        let source = source.clone();
        let _ = self.supervise(origin, move |token| {
            let dataset = read_lock(&dataset, &source.origin)?;
            crate::describe::warn_unknown_names(&**dataset, &settings, &source, &token);
            Ok(())
        });
    }

    /// Where results go: the screen, or the file of `.output`.
    pub(super) fn target(&self) -> Target {
        self.output.clone().map_or(Target::Stdout, Target::Append)
    }

    /// True when results are shown on a terminal (tables by default, fitted to its width).
    pub(super) fn on_terminal(&self) -> bool {
        self.output.is_none() && io::stdout().is_terminal()
    }

    pub(super) fn width(&self) -> Option<u16> {
        if self.on_terminal() {
            crate::output::terminal_width()
        } else {
            None
        }
    }

    /// Parses and runs a query the session made itself (`.find`, `.run`, `.schema`).
    pub(super) fn query_text(&mut self, source: Source, title: Option<String>) -> Result<(), Stop> {
        let statement = engine::prepare_as(&source, &self.settings, crate::sparql::Kind::Query)?;
        self.query(statement, title)
    }

    /// Runs a query and writes its results; `title` goes before them.
    pub(super) fn query(
        &mut self,
        statement: Statement,
        title: Option<String>,
    ) -> Result<(), Stop> {
        let options = OutputOptions {
            solutions: self.formats.solutions,
            graphs: self.formats.graphs,
            terminal: self.on_terminal(),
            table: TableOptions {
                max_rows: self.limit,
                width: self.width(),
                ..TableOptions::default()
            },
            title,
        };
        let dataset = Arc::clone(&self.dataset);
        let settings = self.settings.clone();
        let target = self.target();
        let origin = statement.source.origin.clone();
        let summary = self.supervise(&origin, move |token| {
            let mut sink = target.sink();
            let origin = statement.source.origin.clone();
            // The results do not borrow the dataset: the lock is let go before they stream,
            // so a query left in the background never blocks an update.
            let sent = statement.sent.clone();
            let start = |query| {
                read_lock(&dataset, &origin)?.run_query(query, &sent, token.clone(), &origin)
            };
            engine::run_query_with(start, &statement, &settings, &options, &mut *sink, &token)
        })?;
        self.report(&summary);
        Ok(())
    }

    /// The line under a result: how many rows, how many shown, how long it took.
    fn report(&self, summary: &Summary) {
        if !self.interactive && !self.timing {
            return;
        }
        let mut text = summary.counts();
        if summary.hidden > 0 {
            let shown = summary.rows - summary.hidden;
            text.push_str(&format!(
                ", {shown} shown (.limit {shown}; .limit off shows all)"
            ));
        }
        if self.timing {
            if text.is_empty() {
                text = format!("answered in {}", duration_text(summary.elapsed));
            } else {
                text.push_str(&format!(" in {}", duration_text(summary.elapsed)));
            }
        }
        if !text.is_empty() && summary.answer != Answer::Updated {
            eprintln!("{text}");
        }
    }

    fn update(&mut self, statement: Statement) -> Result<(), Stop> {
        let dataset = Arc::clone(&self.dataset);
        let origin = statement.source.origin.clone();
        let summary = self.supervise(&origin, move |token| {
            let mut dataset = write_lock(&dataset, &statement.source.origin)?;
            engine::run_update(&mut **dataset, &statement, &token)
        })?;
        self.changed = true;
        if self.timing {
            eprintln!("{}", summary.text());
        }
        let persistent = read_lock(&self.dataset, &origin)
            .map(|d| d.is_persistent())
            .unwrap_or(false);
        self.unsaved |= !persistent;
        if !persistent && !self.warned_unsaved {
            self.warned_unsaved = true;
            eprintln!(
                "note: this changes the graph in memory only; .save FILE writes it (or open a \
                 --store to keep changes)"
            );
        }
        Ok(())
    }

    /// Whether the prompt may end now: the first time someone leaves with changes that were
    /// never saved, it says so and stays; asked again, it goes.
    pub fn may_quit(&mut self) -> bool {
        if !self.interactive || !self.unsaved || self.quit_warned {
            return true;
        }
        self.quit_warned = true;
        eprintln!(
            "the graph has changes that are not saved: .save FILE writes them (.nq or .trig \
             keep the named graphs); .quit or Ctrl-D again leaves without them"
        );
        false
    }

    /// Runs `job` on a worker under the session's timeout; Ctrl-C stops it.
    pub(super) fn supervise<T: Send + 'static>(
        &self,
        origin: &str,
        job: impl FnOnce(CancellationToken) -> Result<T> + Send + 'static,
    ) -> Result<T, Stop> {
        let interrupt = self.interactive.then_some(&*self.interrupt);
        worker::supervise(origin, self.settings.timeout, interrupt, job)
    }

    /// Writes a job's text answer (a card, a plan) where results go.
    pub(super) fn write_text(&self, text: &str) -> Result<()> {
        let mut sink = self.target().sink();
        let name = sink.name();
        sink.open(crate::output::format::Format::Table)?
            .write_all(text.as_bytes())
            .map_err(|e| Error::io(name, e))?;
        sink.commit()
    }

    /// A message about a setting, for a person at the prompt.
    pub(super) fn note(&self, text: &str) {
        if self.interactive {
            eprintln!("{text}");
        }
    }
}

/// Reads the dataset; a statement left running in the background may hold it.
pub(super) fn read_lock<'a>(
    dataset: &'a RwLock<Box<dyn Backend>>,
    origin: &str,
) -> Result<RwLockReadGuard<'a, Box<dyn Backend>>> {
    match dataset.try_read() {
        Ok(guard) => Ok(guard),
        Err(TryLockError::Poisoned(poisoned)) => Ok(poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => Err(busy(origin)),
    }
}

pub(super) fn write_lock<'a>(
    dataset: &'a RwLock<Box<dyn Backend>>,
    origin: &str,
) -> Result<RwLockWriteGuard<'a, Box<dyn Backend>>> {
    match dataset.try_write() {
        Ok(guard) => Ok(guard),
        Err(TryLockError::Poisoned(poisoned)) => Ok(poisoned.into_inner()),
        Err(TryLockError::WouldBlock) => Err(busy(origin)),
    }
}

fn busy(origin: &str) -> Error {
    Error::evaluation(
        origin,
        "a stopped statement is still finishing in the background: try again when it ends",
    )
}
