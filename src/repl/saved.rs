//! The REPL's settings kept between sessions, in `$XDG_CONFIG_HOME/ffkg/repl.toml`
//! (`~/.config/ffkg/repl.toml`): prefixes, the result format, the row limit and timing, read
//! when an interactive session starts. Each is turned into the dot-command that sets it, so it
//! is checked and applied exactly as typed at the prompt would be.

use super::command;
use super::session::Session;
use crate::engine::worker::Stop;
use crate::sparql::split;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// `repl.toml`: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    /// As `.format`: table, csv, tsv, json, xml, turtle …
    format: Option<String>,
    /// As `.limit`: a number of rows, or "off".
    limit: Option<toml::Value>,
    /// As `.timing`.
    timing: Option<bool>,
    /// As `.prefix NAME: <IRI>`, one per entry.
    #[serde(default)]
    prefixes: BTreeMap<String, String>,
}

/// The settings file's place.
pub fn path() -> Option<PathBuf> {
    dirs::config_dir().map(|dir| dir.join("ffkg").join("repl.toml"))
}

/// Applies the settings file at `path` to `session`, the command line's `--format` winning
/// over the file's; says what is wrong on stderr, with where, and goes on without that setting.
/// True when the file was there.
pub fn apply(session: &mut Session, path: &Path, format_given: bool) -> bool {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return false,
        Err(e) => {
            eprintln!("warning: {}: {e}; going on without it", path.display());
            return true;
        }
    };
    let saved = match String::from_utf8(text)
        .map_err(|e| format!("not UTF-8 after byte {}", e.utf8_error().valid_up_to()))
        .and_then(|text| toml::from_str::<Saved>(&text).map_err(|e| located(&text, &e)))
    {
        Ok(saved) => saved,
        Err(e) => {
            eprintln!("warning: {}{e}; going on without it", path.display());
            return true;
        }
    };
    let mut lines = Vec::new();
    for (name, iri) in &saved.prefixes {
        lines.push((
            format!("prefixes.{name}"),
            format!(".prefix {name}: <{iri}>"),
        ));
    }
    if let Some(format) = saved.format.filter(|_| !format_given) {
        lines.push(("format".to_owned(), format!(".format {format}")));
    }
    if let Some(limit) = saved.limit {
        let value = match limit {
            toml::Value::String(s) => s,
            other => other.to_string(),
        };
        lines.push(("limit".to_owned(), format!(".limit {value}")));
    }
    if let Some(timing) = saved.timing {
        let on = if timing { "on" } else { "off" };
        lines.push(("timing".to_owned(), format!(".timing {on}")));
    }
    // Quietly: the notes a command prints at the prompt are not wanted at every start.
    let interactive = std::mem::replace(&mut session.interactive, false);
    for (key, line) in lines {
        let applied = split::next_chunk(&line, 0, &session.settings)
            .ok_or_else(|| "empty".to_owned())
            .and_then(|chunk| {
                let parsed = command::parse(&chunk.text).map_err(|e| crate::error::report(&e))?;
                match session.command(parsed, &chunk, &path.display().to_string()) {
                    Ok(_) => Ok(()),
                    Err(Stop::Failed(e) | Stop::Abandoned(e)) => Err(crate::error::report(&e)),
                    Err(Stop::Interrupted) => Err("interrupted".to_owned()),
                }
            });
        if let Err(e) = applied {
            eprintln!(
                "warning: {}: {key}: {e}; going on without it",
                path.display()
            );
        }
    }
    session.interactive = interactive;
    true
}

/// A TOML error as `:line:column: message`.
fn located(text: &str, error: &toml::de::Error) -> String {
    let place = error
        .span()
        .map(|span| {
            let (line, column) = crate::data::endpoint::line_column(text, span.start);
            format!(":{line}:{column}")
        })
        .unwrap_or_default();
    format!("{place}: {}", error.message())
}

#[cfg(test)]
mod tests {
    use super::Saved;

    #[test]
    fn the_readme_example_is_a_settings_file() {
        let readme = include_str!("../../README.md");
        let example = readme
            .split("```toml\n")
            .skip(1)
            .filter_map(|rest| rest.split("```").next())
            .find(|block| block.contains("[prefixes]"))
            .expect("the repl.toml block in the README");
        let saved: Saved = toml::from_str(example).expect("parses");
        assert_eq!(saved.format.as_deref(), Some("csv"));
        assert_eq!(saved.timing, Some(true));
        assert!(saved.prefixes.contains_key("ex"));
    }
}
