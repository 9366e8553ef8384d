//! Dot-commands: the closed set the REPL understands, parsed from a line into [`Command`], and
//! their help. A new command is one variant, one [`COMMANDS`] entry, one arm in [`parse`] and
//! one in the session's `command` method (src/repl/mod.rs).

use crate::describe::wrap;
use crate::error::{Error, Result};
use crate::infer::Reasoning;
use crate::output::format::Format;
use crate::sparql::prefixes::is_valid_prefix_name;
use std::path::PathBuf;

/// A parsed dot-command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `.help [COMMAND]`
    Help(Option<String>),
    /// `.quit`, `.exit`
    Quit,
    /// `.prefixes`
    Prefixes,
    /// `.prefix p: <iri>`
    Prefix { name: String, iri: String },
    /// `.format [NAME]`: without a name, shows the formats in use.
    Format(Option<Format>),
    /// `.output [FILE]`: without a file, back to the screen.
    Output(Option<PathBuf>),
    /// `.timing [on|off]`
    Timing(Option<bool>),
    /// `.limit [N|off]`
    Limit(Option<Limit>),
    /// `.load FILE [GRAPH]`
    Load {
        path: PathBuf,
        graph: Option<String>,
    },
    /// `.save FILE`
    Save(PathBuf),
    /// `.describe TERM`: a prefixed name, an IRI or a label.
    Describe(String),
    /// `.find TEXT`
    Find(String),
    /// `.schema`
    Schema,
    /// `.explain [QUERY]`: without a query, the last query run.
    Explain(Option<String>),
    /// `.chart [QUERY]`: a SELECT's answer as a bar chart; without a query, the last one run.
    Chart(Option<String>),
    /// `.reasoning [none|rdfs|owl]`: without a level, shows the level in use.
    Reasoning(Option<Reasoning>),
    /// `.endpoint [URL|NAME|local]`: without an argument, says where the session is.
    Endpoint(Option<String>),
    /// `.queries`: the query library.
    Queries,
    /// `.run NAME [PARAM=VALUE …]`: a library query, with its parameters bound.
    Run {
        name: String,
        params: Vec<(String, String)>,
    },
}

/// How many rows a table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Rows(u64),
    Off,
}

/// One command's name, arguments and one-line help.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub name: &'static str,
    pub args: &'static str,
    pub help: &'static str,
}

/// Every command, in the order `.help` lists them.
pub const COMMANDS: &[Spec] = &[
    Spec {
        name: "help",
        args: "[COMMAND]",
        help: "list the commands, or explain one",
    },
    Spec {
        name: "quit",
        args: "",
        help: "leave (also .exit and Ctrl-D)",
    },
    Spec {
        name: "describe",
        args: "TERM",
        help: "a card of a resource by prefixed name, <IRI> or label: labels, types, relations \
               in and out; for a figure its value, bounds, source and quote",
    },
    Spec {
        name: "find",
        args: "WORDS",
        help: "full-text search: resources whose names, comments or quotes hold every word, best first",
    },
    Spec {
        name: "schema",
        args: "",
        help: "the ontology's classes and properties, with comments and how many use each",
    },
    Spec {
        name: "prefixes",
        args: "",
        help: "the declared prefixes (a PREFIX in a statement stays declared too)",
    },
    Spec {
        name: "prefix",
        args: "NAME: <IRI>",
        help: "declare a prefix for the rest of the session",
    },
    Spec {
        name: "format",
        args: "[FORMAT]",
        help: "how results are shown: table, csv, tsv, json, xml for solutions; turtle, \
               ntriples, nquads, trig, jsonld, rdfxml for graphs",
    },
    Spec {
        name: "output",
        args: "[FILE]",
        help: "append results to FILE (format from its extension); without FILE, the screen",
    },
    Spec {
        name: "timing",
        args: "[on|off]",
        help: "show how long each statement took",
    },
    Spec {
        name: "limit",
        args: "[N|off]",
        help: "show at most N rows of a table (the rest are counted)",
    },
    Spec {
        name: "load",
        args: "FILE [GRAPH]",
        help: "add an RDF file to the default graph, or to the named graph GRAPH",
    },
    Spec {
        name: "save",
        args: "FILE",
        help: "write the session's graph to FILE (syntax from its extension; .nq and .trig \
               keep the named graphs)",
    },
    Spec {
        name: "chart",
        args: "[QUERY]",
        help: "run a SELECT (or the last query) and draw its first number column against its \
               first other column as a bar chart (.output FILE.svg writes SVG)",
    },
    Spec {
        name: "explain",
        args: "[QUERY]",
        help: "run a query (or the last one) and show oxigraph's plan for it as a tree",
    },
    Spec {
        name: "reasoning",
        args: "[none|rdfs|owl]",
        help: "the entailments queries see (kept in graph:inferred): none, rdfs (subclasses, \
               subproperties, domains and ranges) or owl (rdfs plus inverse, transitive and \
               symmetric properties, equivalences, sameAs)",
    },
    Spec {
        name: "endpoint",
        args: "[URL|NAME|local]",
        help: "run on a remote SPARQL endpoint, by URL or by its name in endpoints.toml; \
               `.endpoint local` comes back to the local data as it was; alone, says where \
               the session is",
    },
    Spec {
        name: "queries",
        args: "",
        help: "the query library: names, titles and parameters",
    },
    Spec {
        name: "run",
        args: "NAME [VALUE | PARAM=VALUE …]",
        help: "run a library query, binding its parameters by name or in order (.run compare-sources RUS)",
    },
];

/// The spec of a command by name or alias.
pub fn spec(name: &str) -> Option<&'static Spec> {
    let name = name.trim_start_matches('.');
    let name = if name.eq_ignore_ascii_case("exit") {
        "quit"
    } else {
        name
    };
    COMMANDS.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

/// Parses a dot-command line (starting with `.`).
pub fn parse(line: &str) -> Result<Command> {
    let line = line.trim();
    let body = line.strip_prefix('.').unwrap_or(line);
    let name_len = body.find(|c: char| c.is_whitespace()).unwrap_or(body.len());
    let (name, rest) = body.split_at(name_len);
    let rest = rest.trim();
    let Some(spec) = spec(name) else {
        return Err(Error::usage(format!(
            "unknown command .{name}: .help lists the commands"
        )));
    };
    let words = split_words(rest)?;
    let usage = || {
        Error::usage(format!(
            "usage: .{} {} — {}",
            spec.name, spec.args, spec.help
        ))
    };
    let no_args = |command: Command| {
        if words.is_empty() {
            Ok(command)
        } else {
            Err(usage())
        }
    };
    match spec.name {
        "help" => match words.as_slice() {
            [] => Ok(Command::Help(None)),
            [one] => Ok(Command::Help(Some(one.trim_start_matches('.').to_owned()))),
            _ => Err(usage()),
        },
        "quit" => no_args(Command::Quit),
        "prefixes" => no_args(Command::Prefixes),
        "schema" => no_args(Command::Schema),
        "prefix" => parse_prefix(&words).ok_or_else(usage)?,
        "format" => match words.as_slice() {
            [] => Ok(Command::Format(None)),
            [name] => Ok(Command::Format(Some(Format::from_name(name)?))),
            _ => Err(usage()),
        },
        "output" => match words.as_slice() {
            [] => Ok(Command::Output(None)),
            [file] => Ok(Command::Output(Some(PathBuf::from(file)))),
            _ => Err(usage()),
        },
        "timing" => match words.as_slice() {
            [] => Ok(Command::Timing(None)),
            [word] => Ok(Command::Timing(Some(on_off(word).ok_or_else(usage)?))),
            _ => Err(usage()),
        },
        "limit" => match words.as_slice() {
            [] => Ok(Command::Limit(None)),
            [word] if on_off(word) == Some(false) => Ok(Command::Limit(Some(Limit::Off))),
            [word] => match word.parse::<u64>() {
                Ok(0) | Err(_) => Err(usage()),
                Ok(n) => Ok(Command::Limit(Some(Limit::Rows(n)))),
            },
            _ => Err(usage()),
        },
        "load" => match words.as_slice() {
            [file] => Ok(Command::Load {
                path: PathBuf::from(file),
                graph: None,
            }),
            [file, graph] => Ok(Command::Load {
                path: PathBuf::from(file),
                graph: Some(graph.clone()),
            }),
            _ => Err(usage()),
        },
        "save" => match words.as_slice() {
            [file] => Ok(Command::Save(PathBuf::from(file))),
            _ => Err(usage()),
        },
        // These take the rest of the line as it is: labels have spaces, queries have quotes.
        "describe" if !rest.is_empty() => Ok(Command::Describe(rest.to_owned())),
        "find" if !rest.is_empty() => Ok(Command::Find(rest.to_owned())),
        "explain" => Ok(Command::Explain(
            (!rest.is_empty()).then(|| rest.to_owned()),
        )),
        "chart" => Ok(Command::Chart((!rest.is_empty()).then(|| rest.to_owned()))),
        "reasoning" => match words.as_slice() {
            [] => Ok(Command::Reasoning(None)),
            [level] => Ok(Command::Reasoning(Some(level.parse().map_err(
                |e: crate::infer::ParseReasoningError| Error::usage(e.to_string()),
            )?))),
            _ => Err(usage()),
        },
        "queries" => no_args(Command::Queries),
        "endpoint" => match words.as_slice() {
            [] => Ok(Command::Endpoint(None)),
            [place] => Ok(Command::Endpoint(Some(place.clone()))),
            _ => Err(usage()),
        },
        "run" => match words.split_first() {
            Some((name, params)) => Ok(Command::Run {
                name: name.clone(),
                params: params
                    .iter()
                    .map(|p| match p.split_once('=') {
                        Some((k, v)) if !k.is_empty() && !v.is_empty() => {
                            Ok((k.trim_start_matches('?').to_owned(), v.to_owned()))
                        }
                        // A bare value binds the next parameter in the order the query
                        // declares them (an empty name here).
                        None if !p.is_empty() => Ok((String::new(), p.clone())),
                        _ => Err(usage()),
                    })
                    .collect::<Result<_>>()?,
            }),
            None => Err(usage()),
        },
        _ => Err(usage()),
    }
}

/// `p: <iri>`, `p <iri>` or `p: iri`.
fn parse_prefix(words: &[String]) -> Option<Result<Command>> {
    let (name, iri) = match words {
        [name, iri] => (name.as_str(), iri.as_str()),
        // `p:<iri>` written together.
        [joined] => joined.split_once(':')?,
        _ => return None,
    };
    let name = name.strip_suffix(':').unwrap_or(name);
    let iri = iri
        .strip_prefix('<')
        .and_then(|i| i.strip_suffix('>'))
        .unwrap_or(iri);
    if !is_valid_prefix_name(name) {
        return Some(Err(Error::usage(format!(
            "'{name}' is not a valid prefix name (a letter, then letters, digits, '_', '-' or '.')"
        ))));
    }
    if let Err(e) = oxigraph::model::NamedNode::new(iri) {
        return Some(Err(Error::usage(format!(
            "<{iri}> is not an absolute IRI: {e}"
        ))));
    }
    Some(Ok(Command::Prefix {
        name: name.to_owned(),
        iri: iri.to_owned(),
    }))
}

fn on_off(word: &str) -> Option<bool> {
    match word.to_ascii_lowercase().as_str() {
        "on" | "yes" | "true" => Some(true),
        "off" | "no" | "false" | "none" => Some(false),
        _ => None,
    }
}

/// Splits arguments at spaces, keeping "quoted words" (or 'quoted') together.
fn split_words(text: &str) -> Result<Vec<String>> {
    let mut words = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        if c == '"' || c == '\'' {
            chars.next();
            let mut closed = false;
            for d in chars.by_ref() {
                if d == c {
                    closed = true;
                    break;
                }
                word.push(d);
            }
            if !closed {
                return Err(Error::usage(format!("unclosed {c} in '{text}'")));
            }
        } else {
            while let Some(&d) = chars.peek() {
                if d.is_whitespace() {
                    break;
                }
                word.push(d);
                chars.next();
            }
        }
        words.push(word);
    }
    Ok(words)
}

/// `.help`: every command, or one in detail, wrapped to `width` columns.
pub fn help(topic: Option<&str>, width: usize) -> Result<String> {
    if let Some(topic) = topic {
        let spec = spec(topic).ok_or_else(|| {
            Error::usage(format!(
                "unknown command .{topic}: .help lists the commands"
            ))
        })?;
        let mut text = format!(".{} {}\n", spec.name, spec.args);
        for line in wrap(spec.help, width.saturating_sub(2)) {
            text.push_str(&format!("  {line}\n"));
        }
        return Ok(text);
    }
    let column = COMMANDS
        .iter()
        .map(|s| s.name.len() + s.args.len() + 2)
        .max()
        .unwrap_or(0);
    let mut text = String::from(
        "SPARQL queries and updates end with ; (Alt-Enter runs one as it is).\n\
         TAB completes keywords, prefixes, prefixed names, variables, names of things.\n\
         Ctrl-C cancels the input or stops a running query; Ctrl-D leaves.\n\n",
    );
    for spec in COMMANDS {
        let usage = format!(".{} {}", spec.name, spec.args);
        let lines = wrap(spec.help, width.saturating_sub(column + 4).max(30));
        for (i, line) in lines.iter().enumerate() {
            let usage = if i == 0 { usage.as_str() } else { "" };
            text.push_str(&format!("  {usage:column$}  {line}\n"));
        }
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_command() {
        let cases: Vec<(&str, Command)> = vec![
            (".help", Command::Help(None)),
            (".help .load", Command::Help(Some("load".into()))),
            (".quit", Command::Quit),
            (".exit", Command::Quit),
            (".prefixes", Command::Prefixes),
            (
                ".prefix ex: <http://example.org/>",
                Command::Prefix {
                    name: "ex".into(),
                    iri: "http://example.org/".into(),
                },
            ),
            (
                ".prefix ex:<http://example.org/>",
                Command::Prefix {
                    name: "ex".into(),
                    iri: "http://example.org/".into(),
                },
            ),
            (".format", Command::Format(None)),
            (".format CSV", Command::Format(Some(Format::Csv))),
            (".format ttl", Command::Format(Some(Format::Turtle))),
            (".output", Command::Output(None)),
            (
                ".output out.csv",
                Command::Output(Some(PathBuf::from("out.csv"))),
            ),
            (".timing off", Command::Timing(Some(false))),
            (".timing", Command::Timing(None)),
            (".limit 20", Command::Limit(Some(Limit::Rows(20)))),
            (".limit off", Command::Limit(Some(Limit::Off))),
            (
                ".load \"my data.ttl\" <http://g/>",
                Command::Load {
                    path: PathBuf::from("my data.ttl"),
                    graph: Some("<http://g/>".into()),
                },
            ),
            (".save all.trig", Command::Save(PathBuf::from("all.trig"))),
            (
                ".describe  Islamic State ",
                Command::Describe("Islamic State".into()),
            ),
            (".find Soufan", Command::Find("Soufan".into())),
            (".schema", Command::Schema),
            (".explain", Command::Explain(None)),
            (
                ".explain SELECT * { ?s ?p \"a b\" }",
                Command::Explain(Some("SELECT * { ?s ?p \"a b\" }".into())),
            ),
            (".DESCRIBE x", Command::Describe("x".into())),
            (".reasoning", Command::Reasoning(None)),
            (".reasoning RDFS", Command::Reasoning(Some(Reasoning::Rdfs))),
            (".queries", Command::Queries),
            (
                ".run country-figures country=SAU",
                Command::Run {
                    name: "country-figures".into(),
                    params: vec![("country".into(), "SAU".into())],
                },
            ),
        ];
        for (line, expected) in cases {
            match parse(line) {
                Ok(command) => assert_eq!(command, expected, "{line}"),
                Err(e) => panic!("{line}: {e}"),
            }
        }
    }

    #[test]
    fn rejects_bad_commands_with_their_usage() {
        for (line, needle) in [
            (".frobnicate", "unknown command .frobnicate"),
            (".quit now", "usage: .quit"),
            (".limit many", "usage: .limit"),
            (".limit 0", "usage: .limit"),
            (".timing maybe", "usage: .timing"),
            (".format yaml", "unknown format 'yaml'"),
            (".load", "usage: .load FILE [GRAPH]"),
            (".load a b c", "usage: .load"),
            (".describe", "usage: .describe TERM"),
            (".find", "usage: .find"),
            (".prefix 1x: <http://e/>", "not a valid prefix name"),
            (".prefix ex: <relative>", "not an absolute IRI"),
            (".save", "usage: .save"),
            (".output \"unclosed", "unclosed"),
            (".reasoning full", "expected none, rdfs or owl"),
            (".run", "usage: .run"),
            (".run top-countries country=", "usage: .run"),
            (".queries all", "usage: .queries"),
        ] {
            match parse(line) {
                Ok(command) => panic!("{line} parsed as {command:?}"),
                Err(e) => assert!(e.to_string().contains(needle), "{line}: {e}"),
            }
        }
    }

    #[test]
    fn help_lists_every_command() {
        let text = help(None, 80).expect("help");
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        for spec in COMMANDS {
            assert!(text.contains(&format!(".{} ", spec.name)), "{}", spec.name);
        }
        assert!(help(Some("describe"), 80).expect("help").contains("figure"));
        assert!(help(Some("nope"), 80).is_err());
    }
}
