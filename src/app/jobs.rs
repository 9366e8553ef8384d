//! Turning what the command line names into statements: `-e` texts, files, directories,
//! stdin (split into statements by the parser-driven rule) and library queries, with their
//! `--param`s bound.

use crate::cli::SourceArg;
use crate::error::{Error, Result};
use crate::sparql::prefixes::PrefixMap;
use crate::sparql::split::{self, ChunkKind};
use crate::sparql::{Settings, Source};
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

/// A statement to run, with the name its output file takes under `--out-dir`.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    pub source: Source,
}

/// Reads every statement named on the command line, in order: -e texts, files, directories
/// (every .rq in them), `-` for stdin, and, when `library` is true, names of library queries.
/// With nothing named, reads stdin when it is not a terminal.
pub fn read_jobs(sources: &[SourceArg], what: &str, library: bool) -> Result<Vec<Job>> {
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
    let chunks = split::split(&input.text, &Settings::default());
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
            if chunk.kind == ChunkKind::Command {
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

pub fn library_job(query: &crate::library::LibraryQuery) -> Job {
    Job {
        name: query.name.to_owned(),
        source: Source {
            origin: format!("queries/{}.rq", query.name),
            text: query.text.to_owned(),
        },
    }
}

/// Binds `--param`s in the queries that declare them; a parameter no query takes is an error.
pub fn bind_params(
    jobs: &mut [Job],
    params: &[(String, String)],
    prefixes: &PrefixMap,
) -> Result<()> {
    for (index, (name, value)) in params.iter().enumerate() {
        if let Some((_, first)) = params[..index].iter().find(|(n, _)| n == name) {
            return Err(Error::usage(format!(
                "--param {name} is given twice ({first}, then {value}): a parameter takes one \
                 value; run the query once for each"
            )));
        }
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

/// The `--param` values that are labels (`resource=Daesh`, `country=Tunisia`) bound to the
/// resources they name, once the data is open (see [`crate::describe::Lookup::bind_labels`]):
/// each checked against the first of the `unbound` queries that declares it.
pub fn params_by_label(
    unbound: &[Job],
    params: &[(String, String)],
    lookup: &crate::describe::Lookup<'_>,
) -> Result<Vec<(String, String)>> {
    let mut resolved = Vec::with_capacity(params.len());
    for (name, value) in params {
        let declaring = unbound.iter().map(|j| j.source.text.as_str()).find(|text| {
            crate::library::header(text)
                .params
                .iter()
                .any(|p| &p.name == name)
        });
        let pair = (name.clone(), value.clone());
        resolved.push(match declaring {
            Some(text) => lookup.bind_labels(text, &[pair])?.remove(0),
            None => pair,
        });
    }
    Ok(resolved)
}
