//! The interactive SPARQL shell, and the same statements read as a script when stdin is not a
//! terminal (`ffkg < session.sparql`).
//!
//! Each statement runs on a worker thread ([`crate::engine::worker::supervise`]) while this
//! thread watches for Ctrl-C and the timeout: both cancel the statement, and one that does not
//! notice within a grace period is left to finish in the background while the prompt comes
//! back. A statement that fails, however it fails, leaves the session and its data as they
//! were.
//!
//! In a script, statements run in order and the first that fails stops it: ffkg prints the
//! error with the statement's line and exits with that error's code (2 for a bad dot-command,
//! 3 for a query or data error, 4 for a file that cannot be read or written, 5 for a timeout).

// Public for the fuzz targets (fuzz/): the dot-command parser takes any line.
pub mod command;
mod commands;
mod complete;
mod helper;
mod highlight;
mod place;
mod saved;
mod session;

use crate::config::ReplConfig;
use crate::data::{Connection, DatasetChoice};
use crate::engine;
use crate::error::{Error, ExitStatus, Result};
use helper::{CONTINUATION, EnterHandler, PROMPT, ReplHelper};
use rustyline::error::ReadlineError;
use rustyline::history::FileHistory;
use rustyline::{
    Cmd, ColorMode, CompletionType, Config, Editor, EventHandler, KeyCode, KeyEvent, Modifiers,
};
use session::{Flow, Session};
use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// Runs the REPL, or a script when stdin is not a terminal.
pub fn run(config: ReplConfig) -> anyhow::Result<ExitStatus> {
    let choice = config.dataset;
    let settings = config.settings;
    let interactive = io::stdin().is_terminal();
    let started = Instant::now();
    let dataset = choice.open(settings.timeout)?;
    let mut session = Session::new(dataset, settings, interactive);
    session.formats = config.formats;
    session.keep_going = config.keep_going;
    if let Connection::Remote(endpoint) = &choice {
        session.place = Some(endpoint.short_name());
    }
    if interactive {
        let saved =
            saved::path().filter(|path| saved::apply(&mut session, path, config.format_given));
        let source = match &choice {
            Connection::Local(DatasetChoice::Persistent(dir)) => {
                format!("the store in {}", dir.display())
            }
            Connection::Local(DatasetChoice::Memory(spec)) if spec.embedded => {
                "the embedded graph".to_owned()
            }
            Connection::Local(DatasetChoice::Memory(_)) => "your files".to_owned(),
            Connection::Local(DatasetChoice::Index(path)) => {
                format!("the index {}", path.display())
            }
            Connection::Remote(endpoint) => format!("the endpoint {}", endpoint.query),
        };
        eprintln!(
            "ffkg {} — SPARQL over {source}, ready in {}",
            env!("CARGO_PKG_VERSION"),
            engine::duration_text(started.elapsed())
        );
        eprintln!(
            "End a statement with ; (Alt-Enter runs it as it is). TAB completes, .help lists \
             the commands, Ctrl-D leaves."
        );
        if let Some(path) = saved {
            eprintln!("Settings from {}.", path.display());
        }
        Ok(interactive_loop(session, config.color)?)
    } else {
        let mut text = String::new();
        io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::io("<stdin>", e))?;
        Ok(session.script(&text, "<stdin>"))
    }
}

/// The history file, in the user's data directory (never the working directory).
fn history_path() -> Option<PathBuf> {
    dirs::data_dir().map(|dir| dir.join("ffkg").join("history.txt"))
}

/// The prompt loop.
fn interactive_loop(mut session: Session, color: crate::output::Color) -> Result<ExitStatus> {
    // Ctrl-C while a statement runs stops it, not ffkg; while typing, rustyline reads it as a key.
    signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&session.interrupt))
        .map_err(|e| Error::io("<signals>", e))?;
    let color = color.colors(io::stdout().is_terminal());
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_space(true)
        .completion_type(CompletionType::List)
        .completion_show_all_if_ambiguous(true)
        // The helper draws the continuation prompt even without colors; it adds colors itself
        // only when `--color` (by default: a terminal, and NO_COLOR unset) says so.
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
    debug_assert_eq!(PROMPT.len(), CONTINUATION.len());
    let mut history_warned = false;
    loop {
        // On an endpoint, the prompt names it: ffkg@host:port> (or the name in endpoints.toml).
        let prompt = match &session.place {
            Some(place) => format!("{}@{place}> ", PROMPT.trim_end_matches("> ")),
            None => PROMPT.to_owned(),
        };
        let styled = if color {
            format!("\x1b[1m{prompt}\x1b[0m")
        } else {
            prompt.clone()
        };
        match editor.readline(&(prompt.as_str(), styled.as_str())) {
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
                if flow == Flow::Quit && session.may_quit() {
                    break;
                }
            }
            // Ctrl-C while typing drops the input.
            Err(ReadlineError::Interrupted) => {}
            Err(ReadlineError::Eof) if session.may_quit() => break,
            Err(ReadlineError::Eof) => {}
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
    use crate::data::graph::DatasetSpec;
    use crate::output::format::Format;
    use crate::sparql::{Settings, Source};
    use oxigraph::sparql::QueryResults;

    /// A script session on the sample data; its results go to a file that lives as long as
    /// the returned guard.
    fn sample_session() -> (Session, tempfile::NamedTempFile) {
        let spec = DatasetSpec {
            embedded: false,
            data: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sample.ttl")],
            ..DatasetSpec::default()
        };
        let mut session = Session::new(
            Box::new(crate::data::Dataset::build(&spec).expect("sample")),
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
        // Each answer on a line of its own.
        assert_eq!(written, "true\ntrue\n");
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
            let local = store.local().expect("a local dataset");
            matches!(local.query(prepared, "t"), Ok(QueryResults::Boolean(true)))
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
        assert_eq!(session.formats.solutions, Some(Format::Csv));
        assert_eq!(session.formats.graphs, Some(Format::Ntriples));
        assert_eq!(session.limit, Some(5));
        assert!(!session.timing);
        assert_eq!(session.settings.prefixes.get("e"), Some("http://e/"));
        assert_eq!(
            session.script(".quit\n.nonsense", "test"),
            ExitStatus::Success
        );
    }
}
