//! The REPL's rustyline helper: a validator that asks the SPARQL parser whether a statement is
//! complete, TAB completion from the live dataset (keywords, functions, prefixes, prefixed
//! names with their labels, variables, names of things), syntax highlighting, hints from
//! history, and the continuation prompt.
//!
//! The continuation prompt is drawn by the highlighter: Enter on an incomplete statement adds a
//! new line indented by the prompt's width, and those spaces are shown as ` ...> `. Rustyline
//! itself has no prompt for the lines after the first.

use super::complete::Vocabulary;
use super::highlight::{BOLD, DIM, INDENT, RESET, highlight};
pub use super::highlight::{CONTINUATION, PROMPT};
use super::place::{Place, place};
use crate::data::Backend;
use crate::output::format::Format;
use crate::sparql::Settings;
use crate::sparql::lexer::{self, FUNCTIONS, KEYWORDS, TokenKind};
use crate::sparql::prefixes::PrefixMap;
use crate::sparql::split::{self, Completeness};
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Changeset, Cmd, ConditionalEventHandler, Context, Event, EventContext};
use rustyline::{RepeatCount, line_buffer::LineBuffer};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, RwLock};

/// The rustyline helper.
pub struct ReplHelper {
    /// The session's prefixes and base, for parsing; shared with [`EnterHandler`].
    settings: Arc<RwLock<Settings>>,
    dataset: Arc<RwLock<Box<dyn Backend>>>,
    /// Built on the first TAB on each dataset or endpoint the session is on (by its
    /// description), dropped when its data changes.
    vocabulary: RefCell<HashMap<String, Rc<Vocabulary>>>,
    color: bool,
    history: HistoryHinter,
    files: FilenameCompleter,
    /// The replacements of the last completion by label: rustyline would otherwise replace
    /// what was typed by their common prefix, which means nothing for names found by label.
    by_label: RefCell<Option<Vec<String>>>,
}

impl std::fmt::Debug for ReplHelper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplHelper")
            .field("color", &self.color)
            .finish_non_exhaustive()
    }
}

impl ReplHelper {
    pub fn new(
        settings: Arc<RwLock<Settings>>,
        dataset: Arc<RwLock<Box<dyn Backend>>>,
        color: bool,
    ) -> Self {
        Self {
            settings,
            dataset,
            vocabulary: RefCell::new(HashMap::new()),
            color,
            history: HistoryHinter::new(),
            files: FilenameCompleter::new(),
            by_label: RefCell::new(None),
        }
    }

    /// Forgets the vocabulary of the data the session is on, so what was loaded or changed
    /// since completes too.
    pub fn data_changed(&self) {
        if let Ok(dataset) = self.dataset.try_read() {
            self.vocabulary.borrow_mut().remove(&dataset.description());
        }
    }

    fn prefixes(&self) -> PrefixMap {
        self.settings
            .read()
            .map(|s| s.prefixes.clone())
            .unwrap_or_default()
    }

    fn is_complete(&self, text: &str) -> bool {
        self.settings
            .read()
            .map_or(true, |s| split::is_complete(text, &s))
    }

    fn vocabulary(&self) -> Option<Rc<Vocabulary>> {
        // A statement still running in the background holds the dataset: complete without it.
        let dataset = self.dataset.try_read().ok()?;
        let key = dataset.description();
        if let Some(v) = self.vocabulary.borrow().get(&key) {
            return Some(Rc::clone(v));
        }
        let settings = self.settings.read().ok()?.clone();
        let vocabulary = match Vocabulary::build(&**dataset, &settings) {
            Ok(vocabulary) => Rc::new(vocabulary),
            // An endpoint that cannot say is not asked again on every TAB.
            Err(_) if dataset.local().is_none() => Rc::new(Vocabulary::default()),
            Err(_) => return None,
        };
        self.vocabulary
            .borrow_mut()
            .insert(key, Rc::clone(&vocabulary));
        Some(vocabulary)
    }

    /// Completions of SPARQL text: the word before `pos` and what can replace it.
    fn complete_sparql(&self, line: &str, pos: usize) -> (usize, Vec<Pair>, bool) {
        let before = &line[..pos];
        let start = word_start(before);
        let word = &before[start..];
        if word.starts_with(['?', '$']) {
            return (start, variables(line, start, word), false);
        }
        let prefixes = self.prefixes();
        let place = place(&before[..start]);
        if let Some((prefix, local)) = word.split_once(':') {
            let Some(namespace) = prefixes.get(prefix) else {
                return (start, Vec::new(), false);
            };
            let names = self.vocabulary().map(|v| {
                v.by_name(namespace, local, place)
                    .into_iter()
                    .filter_map(|e| {
                        let name = prefixes.shorten(&e.iri)?;
                        // Only names under this prefix (a longer namespace may shorten better).
                        name.starts_with(&format!("{prefix}:")).then(|| Pair {
                            display: labelled(&name, e.label.as_deref()),
                            replacement: name,
                        })
                    })
                    .collect()
            });
            return (start, names.unwrap_or_default(), false);
        }
        if word.is_empty() {
            return (start, Vec::new(), false);
        }
        let syntax = syntax_words(word, &prefixes);
        if !syntax.is_empty() || word.chars().count() < 2 {
            return (start, syntax, false);
        }
        (start, self.by_label(word, place), true)
    }

    /// Names of things whose label matches `text`, replaced by their prefixed names; those
    /// that fit `place` first.
    fn by_label(&self, text: &str, place: Place) -> Vec<Pair> {
        let prefixes = self.prefixes();
        let Some(vocabulary) = self.vocabulary() else {
            return Vec::new();
        };
        vocabulary
            .by_label(text, place)
            .into_iter()
            .take(60)
            .map(|(entry, matched)| {
                let name = prefixes
                    .shorten(&entry.iri)
                    .unwrap_or_else(|| format!("<{}>", entry.iri));
                let label = match entry.label.as_deref() {
                    Some(label) if label != matched => format!("{matched} = {label}"),
                    _ => matched.to_owned(),
                };
                Pair {
                    display: format!("{name}  {label}"),
                    replacement: name,
                }
            })
            .collect()
    }

    /// Completions on a dot-command line that starts at `line_start`.
    fn complete_command(
        &self,
        line: &str,
        pos: usize,
        line_start: usize,
    ) -> (usize, Vec<Pair>, bool) {
        let current = &line[line_start..pos];
        let indent = current.len() - current.trim_start().len();
        let body = &current[indent..];
        let Some(space) = body.find(char::is_whitespace) else {
            let typed = body.trim_start_matches('.').to_lowercase();
            let pairs = super::command::COMMANDS
                .iter()
                .filter(|s| s.name.starts_with(&typed))
                .map(|s| Pair {
                    display: format!(".{} {}", s.name, s.args),
                    replacement: format!(".{}", s.name),
                })
                .collect();
            return (line_start + indent, pairs, false);
        };
        let name = body[1..space].to_lowercase();
        let arg_offset = line_start + indent + space;
        let arg = &line[arg_offset..pos];
        let arg_start = arg_offset + (arg.len() - arg.trim_start().len());
        let arg = arg.trim_start();
        let choices = |words: &[&str]| -> Vec<Pair> {
            words
                .iter()
                .filter(|w| w.starts_with(&arg.to_lowercase()))
                .map(|w| Pair {
                    display: (*w).to_owned(),
                    replacement: (*w).to_owned(),
                })
                .collect()
        };
        match name.as_str() {
            "help" => {
                let names: Vec<&str> = super::command::COMMANDS.iter().map(|s| s.name).collect();
                (arg_start, choices(&names), false)
            }
            "format" => {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                (arg_start, choices(&names), false)
            }
            "timing" => (arg_start, choices(&["on", "off"]), false),
            "reasoning" => (arg_start, choices(&["none", "rdfs", "owl"]), false),
            "run" if !arg.contains(char::is_whitespace) => {
                let names: Vec<&str> = crate::library::LIBRARY.iter().map(|q| q.name).collect();
                (arg_start, choices(&names), false)
            }
            "limit" => (arg_start, choices(&["off"]), false),
            "load" | "save" | "output" => match self.files.complete_path(line, pos) {
                Ok((start, pairs)) => (start, pairs, false),
                Err(_) => (pos, Vec::new(), false),
            },
            "describe" | "find" if !arg.contains(':') && !arg.starts_with('<') => {
                if arg.chars().count() < 2 {
                    return (arg_start, Vec::new(), false);
                }
                (arg_start, self.by_label(arg, Place::Any), true)
            }
            _ => self.complete_sparql(line, pos),
        }
    }
}

/// Where the word before the cursor starts: variables, prefixed names, keywords, names.
fn word_start(before: &str) -> usize {
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| {
            c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.' | '?' | '$' | '%')
        })
        .last()
        .map_or(before.len(), |(i, _)| i);
    // A dot before the word ends a triple; it is not part of it.
    start + before[start..].len() - before[start..].trim_start_matches('.').len()
}

/// Variables used elsewhere in the statement that start with `word`.
fn variables(line: &str, word_start: usize, word: &str) -> Vec<Pair> {
    let mut names: Vec<String> = lexer::tokens(line)
        .into_iter()
        .filter(|t| t.kind == TokenKind::Variable && t.start != word_start)
        .map(|t| format!("{}{}", &word[..1], &t.text(line)[1..]))
        .filter(|v| v.starts_with(word) && v != word)
        .collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .map(|v| Pair {
            display: v.clone(),
            replacement: v,
        })
        .collect()
}

/// Keywords, functions and declared prefixes that start with `word`, in its case.
fn syntax_words(word: &str, prefixes: &PrefixMap) -> Vec<Pair> {
    let lower = word.chars().all(|c| !c.is_uppercase());
    let cased = |w: &str| {
        if lower {
            w.to_lowercase()
        } else {
            w.to_owned()
        }
    };
    let matches = |w: &str| w.to_lowercase().starts_with(&word.to_lowercase());
    let mut pairs: Vec<Pair> = Vec::new();
    for keyword in KEYWORDS.iter().copied().chain([
        "ORDER BY",
        "GROUP BY",
        "INSERT DATA",
        "DELETE DATA",
        "DELETE WHERE",
    ]) {
        if matches(keyword) {
            pairs.push(Pair {
                display: keyword.to_owned(),
                replacement: cased(keyword),
            });
        }
    }
    for function in FUNCTIONS {
        if matches(function) {
            pairs.push(Pair {
                display: format!("{function}()"),
                replacement: format!("{}(", cased(function)),
            });
        }
    }
    for (prefix, namespace) in prefixes.iter() {
        if !prefix.is_empty() && prefix.starts_with(word) {
            pairs.push(Pair {
                display: format!("{prefix}:  <{namespace}>"),
                replacement: format!("{prefix}:"),
            });
        }
    }
    pairs
}

fn labelled(name: &str, label: Option<&str>) -> String {
    match label {
        Some(label) => format!("{name}  {label}"),
        None => name.to_owned(),
    }
}

/// True when the line that holds `pos` is a dot-command line: it starts with `.` and a
/// letter, and everything before it is complete.
fn on_command_line(line: &str, pos: usize, settings: &Settings) -> Option<usize> {
    let line_start = line[..pos].rfind('\n').map_or(0, |n| n + 1);
    let current = line[line_start..pos].trim_start();
    let is_command = current == "."
        || current
            .strip_prefix('.')
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()));
    (is_command && split::is_complete(&line[..line_start], settings)).then_some(line_start)
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let command_line = self
            .settings
            .read()
            .ok()
            .and_then(|s| on_command_line(line, pos, &s));
        let (start, pairs, by_label) = match command_line {
            Some(line_start) => self.complete_command(line, pos, line_start),
            None => self.complete_sparql(line, pos),
        };
        self.by_label
            .replace(by_label.then(|| pairs.iter().map(|p| p.replacement.clone()).collect()));
        Ok((start, pairs))
    }

    fn update(&self, line: &mut LineBuffer, start: usize, elected: &str, cl: &mut Changeset) {
        // With names found by label, a common prefix of several of them is no completion:
        // keep what was typed and let the list show the choices.
        if let Some(choices) = self.by_label.borrow().as_ref() {
            if !choices.iter().any(|c| c == elected) {
                return;
            }
        }
        let end = line.pos();
        line.replace(start..end, elected, cl);
    }
}

/// A hint: the rest of a statement from history, or the `;` a complete statement lacks.
impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        if pos < line.len() || line.trim().is_empty() {
            return None;
        }
        if let Some(hint) = self.history.hint(line, pos, ctx) {
            return Some(hint);
        }
        // A `;` typed after a comment would be part of it.
        if lexer::tokens(line)
            .iter()
            .rev()
            .find(|t| t.kind != TokenKind::Space)
            .is_some_and(|t| t.kind == TokenKind::Comment)
        {
            return None;
        }
        let settings = self.settings.read().ok()?;
        let last = split::split(line, &settings).pop()?;
        let lacks_semicolon = last.kind == split::ChunkKind::Statement
            && !last.complete
            && matches!(
                split::completeness(&last.text, &settings),
                Completeness::Complete(_)
            );
        lacks_semicolon.then(|| ";".to_owned())
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if self.is_complete(ctx.input()) {
            ValidationResult::Valid(None)
        } else {
            ValidationResult::Incomplete
        })
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color && !line.contains(&format!("\n{INDENT}")) {
            return Cow::Borrowed(line);
        }
        Cow::Owned(highlight(line, self.color))
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        if self.color {
            Cow::Owned(format!("{BOLD}{prompt}{RESET}"))
        } else {
            Cow::Borrowed(prompt)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("{DIM}{hint}{RESET}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.color && kind == CmdKind::Other
    }
}

impl rustyline::Helper for ReplHelper {}

/// Enter: runs the input when it is complete (the validator decides), else starts a new line
/// with the continuation prompt. Inside a long string it adds a bare new line, which is part
/// of the string.
#[derive(Debug)]
pub struct EnterHandler {
    pub settings: Arc<RwLock<Settings>>,
}

impl ConditionalEventHandler for EnterHandler {
    fn handle(
        &self,
        _event: &Event,
        _count: RepeatCount,
        _positive: bool,
        ctx: &EventContext<'_>,
    ) -> Option<Cmd> {
        let line = ctx.line();
        let complete = self
            .settings
            .read()
            .map_or(true, |s| split::is_complete(line, &s));
        if complete {
            return Some(Cmd::AcceptOrInsertLine {
                accept_in_the_middle: true,
            });
        }
        let in_long_string = lexer::tokens(&line[..ctx.pos()]).last().is_some_and(|t| {
            let text = t.text(line);
            t.kind == TokenKind::String
                && (text.starts_with("'''") || text.starts_with("\"\"\""))
                && (text.len() < 6 || !(text.ends_with("'''") || text.ends_with("\"\"\"")))
        });
        Some(if in_long_string {
            Cmd::Insert(1, "\n".to_owned())
        } else {
            Cmd::Insert(1, format!("\n{INDENT}"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completes_keywords_functions_and_prefixes_in_the_case_typed() {
        let prefixes = PrefixMap::default();
        let replacements = |word: &str| -> Vec<String> {
            syntax_words(word, &prefixes)
                .into_iter()
                .map(|p| p.replacement)
                .collect()
        };
        assert_eq!(replacements("SEL"), vec!["SELECT"]);
        assert_eq!(replacements("sel"), vec!["select"]);
        assert!(replacements("GROUP_C").contains(&"GROUP_CONCAT(".to_owned()));
        assert!(replacements("ORD").contains(&"ORDER BY".to_owned()));
        assert_eq!(replacements("coun"), vec!["count(", "country:"]);
    }

    #[test]
    fn completes_variables_of_the_statement() {
        let line = "SELECT ?country ?count WHERE { ?c";
        let pairs = variables(line, line.len() - 2, "?c");
        let names: Vec<String> = pairs.into_iter().map(|p| p.replacement).collect();
        assert_eq!(names, vec!["?count", "?country"]);
    }

    #[test]
    fn words_start_after_spaces_and_brackets() {
        assert_eq!(word_start("SELECT ?x WHERE { ?x a ff:Fig"), 23);
        assert_eq!(word_start("FILTER(?c"), 7);
        assert_eq!(word_start("?s ?p ?o .ff:x"), 10);
        assert_eq!(word_start(""), 0);
    }

    #[test]
    fn continuation_lines_show_the_prompt() {
        let text = format!("SELECT *\n{INDENT}WHERE {{ }}");
        assert_eq!(
            highlight(&text, false),
            format!("SELECT *\n{CONTINUATION}WHERE {{ }}")
        );
        let colored = highlight(&text, true);
        assert!(colored.contains("\x1b[1;34mSELECT\x1b[0m"), "{colored:?}");
        assert!(colored.contains(CONTINUATION), "{colored:?}");
    }

    #[test]
    fn highlighting_colors_each_kind_and_keeps_the_text() {
        let text = "SELECT ?x { ?x a ff:Figure ; rdfs:label \"x\"@en . <http://e/> 1 } # c\n.describe Tunisia";
        let colored = highlight(text, true);
        for piece in [
            "\x1b[32m?x\x1b[0m",
            "\x1b[36mff:Figure\x1b[0m",
            "\x1b[33m\"x\"\x1b[0m",
            "\x1b[35m<http://e/>\x1b[0m",
            "\x1b[2m# c\x1b[0m",
            "\x1b[1m.describe\x1b[0m Tunisia",
        ] {
            assert!(colored.contains(piece), "{piece:?} in {colored:?}");
        }
        // Without the escapes it is the text itself.
        let stripped: String = strip_escapes(&colored);
        assert_eq!(stripped, text);
        assert_eq!(highlight(text, false), text);
    }

    fn strip_escapes(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn command_lines_are_told_from_sparql() {
        let settings = Settings::default();
        assert_eq!(on_command_line(".desc", 5, &settings), Some(0));
        let text = "ASK {} ;\n.fo";
        assert_eq!(on_command_line(text, text.len(), &settings), Some(9));
        // Inside an incomplete statement, a line starting with a dot is SPARQL.
        let text = "SELECT * {\n.x";
        assert_eq!(on_command_line(text, text.len(), &settings), None);
    }
}
