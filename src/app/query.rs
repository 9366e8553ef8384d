//! `ffkg query`: every statement named on the command line, run in order through the engine
//! into stdout, a file or a directory, with a summary of the batch on stderr.

use super::jobs::{self, Job};
use crate::config::QueryConfig;
use crate::data::{Backend, Connection};
use crate::describe;
use crate::engine::worker::{self, Stop};
use crate::engine::{self, OutputOptions, Summary, duration_text, plural};
use crate::error::{self, Error, ExitStatus};
use crate::output::sink::Target;
use crate::output::table::TableOptions;
use crate::sparql::Kind;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a batch of queries did.
#[derive(Debug, Default)]
struct Totals {
    ran: usize,
    failed: usize,
    rows: u64,
    triples: u64,
    time: Duration,
    first_failure: Option<ExitStatus>,
}

pub fn run(config: QueryConfig) -> anyhow::Result<ExitStatus> {
    let mut jobs = if config.all {
        let mut jobs: Vec<Job> = crate::library::LIBRARY
            .iter()
            .map(jobs::library_job)
            .collect();
        if !config.sources.is_empty() {
            jobs.extend(jobs::read_jobs(&config.sources, "query", true)?);
        }
        jobs
    } else {
        jobs::read_jobs(&config.sources, "query", true)?
    };
    let unbound = jobs.clone();
    jobs::bind_params(&mut jobs, &config.params, &config.settings.prefixes)?;
    if config.output.is_some() && jobs.len() > 1 {
        return Err(Error::usage(
            "--output takes one query: several queries write to stdout in order, or to --out-dir",
        )
        .into());
    }
    if let Some(dir) = &config.out_dir {
        // Two queries of one name would write one file: refuse before anything is written.
        let mut seen = std::collections::HashMap::new();
        for job in &jobs {
            if let Some(first) = seen.insert(job.name.as_str(), job.source.origin.as_str()) {
                return Err(Error::usage(format!(
                    "{first} and {} would both be written to {}/{}.*: rename one, or run them \
                     into different directories",
                    job.source.origin,
                    dir.display(),
                    job.name
                ))
                .into());
            }
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }

    let started = Instant::now();
    let dataset: Arc<dyn Backend> = Arc::from(config.dataset.open(config.settings.timeout)?);
    if !config.params.is_empty() {
        // A value that is a label can only be told once the data is there.
        let lookup = describe::Lookup {
            dataset: &*dataset,
            settings: &config.settings,
            token: oxigraph::sparql::CancellationToken::new(),
        };
        let params = jobs::params_by_label(&unbound, &config.params, &lookup)?;
        if params != config.params {
            jobs = unbound;
            jobs::bind_params(&mut jobs, &params, &config.settings.prefixes)?;
        }
    }
    let chatty = io::stderr().is_terminal();
    if chatty && matches!(config.dataset, Connection::Local(_)) {
        eprintln!("graph ready in {}", duration_text(started.elapsed()));
    }
    let batch = jobs.len() > 1;
    let terminal =
        config.output.is_none() && config.out_dir.is_none() && io::stdout().is_terminal();
    let options = OutputOptions {
        solutions: config.formats.solutions,
        graphs: config.formats.graphs,
        terminal,
        table: TableOptions {
            width: if terminal {
                crate::output::terminal_width()
            } else {
                None
            },
            ..TableOptions::default()
        },
        title: None,
    };
    let mut totals = Totals::default();
    for (index, job) in jobs.iter().enumerate() {
        let target = match (&config.output, &config.out_dir) {
            (Some(path), _) => Target::File(path.clone()),
            (None, Some(dir)) => Target::Directory {
                dir: dir.clone(),
                name: job.name.clone(),
            },
            (None, None) => Target::Stdout,
        };
        if index > 0 && terminal {
            println!();
        }
        // On a terminal, each of several tables is headed by its query's name.
        let titled = (terminal && batch).then(|| OutputOptions {
            title: Some(job.name.clone()),
            ..options.clone()
        });
        let started = Instant::now();
        let result = run_one(
            &dataset,
            &config,
            titled.as_ref().unwrap_or(&options),
            job,
            target,
        );
        totals.ran += 1;
        totals.time += started.elapsed();
        match result {
            Ok(summary) => {
                // A boolean is not a row; CONSTRUCT and DESCRIBE give triples.
                match summary.answer {
                    engine::Answer::Solutions => totals.rows += summary.rows,
                    engine::Answer::Triples => totals.triples += summary.rows,
                    engine::Answer::Boolean | engine::Answer::Updated | engine::Answer::Plan => {}
                }
                if chatty || (batch && config.out_dir.is_some()) {
                    eprintln!("{}: {}", job.name, summary.text());
                }
                // In a directory, a --format that cannot hold a result gave way to the default.
                if let (Some(wanted), Some(written)) = (options.solutions, summary.format) {
                    if wanted != written {
                        eprintln!(
                            "{}: --format {wanted} cannot hold its result: written as {written}",
                            job.source.origin
                        );
                    }
                }
            }
            // `ffkg query … | head` closed the pipe: the run ends quietly.
            Err(Stop::Failed(e)) if e.is_broken_pipe() => return Ok(ExitStatus::Success),
            // A statement that would not stop ends the run: the process exits with it.
            Err(Stop::Abandoned(e)) => return Err(e.into()),
            // Any other failure of one query in a batch is reported and the batch goes on.
            Err(Stop::Failed(e)) if batch => {
                eprintln!("ffkg: {}", error::report(&e));
                totals.failed += 1;
                totals.first_failure.get_or_insert(e.exit_status());
            }
            Err(Stop::Failed(e)) => return Err(e.into()),
            Err(Stop::Interrupted) => return Ok(ExitStatus::Failed),
        }
    }
    let _ = io::stdout().flush();
    if batch {
        // Nothing is put between results in a pipe (a line there would be a row of a TSV or
        // CSV result): say how to get them apart.
        let piped = !terminal && config.output.is_none() && config.out_dir.is_none();
        let triples = match totals.triples {
            0 => String::new(),
            n => format!(", {}", plural(n, "triple", "triples")),
        };
        eprintln!(
            "ran {} queries: {} failed, {}{triples}, {}{}",
            totals.ran,
            totals.failed,
            plural(totals.rows, "row", "rows"),
            duration_text(totals.time),
            if piped {
                "; their results follow one another on stdout, each whole in its format \
                 (--out-dir DIR writes one file each)"
            } else {
                ""
            }
        );
    }
    Ok(totals.first_failure.unwrap_or(ExitStatus::Success))
}

/// Prepares one query and runs it on a worker under the timeout.
fn run_one(
    dataset: &Arc<dyn Backend>,
    config: &QueryConfig,
    options: &OutputOptions,
    job: &Job,
    target: Target,
) -> Result<Summary, Stop> {
    let statement = engine::prepare_as(&job.source, &config.settings, Kind::Query)?;
    let dataset = Arc::clone(dataset);
    let settings = config.settings.clone();
    let options = options.clone();
    let explain = config.explain;
    worker::supervise(
        &job.source.origin,
        config.settings.timeout,
        None,
        move |token| {
            if settings.lint {
                describe::warn_unknown_names(&*dataset, &settings, &statement.source, &token);
                if let engine::Body::Query(query) = &statement.body {
                    describe::warn_never_bound(query);
                }
            }
            if explain {
                let started = Instant::now();
                let plan = describe::explained(&*dataset, &statement, &settings, &token)?;
                let mut out = io::stdout().lock();
                out.write_all(plan.as_bytes())
                    .and_then(|()| out.flush())
                    .map_err(|e| Error::io("<stdout>", e))?;
                return Ok(Summary {
                    answer: engine::Answer::Plan,
                    rows: 0,
                    hidden: 0,
                    elapsed: started.elapsed(),
                    format: None,
                });
            }
            let mut sink = target.sink();
            engine::run_query(
                &*dataset, &statement, &settings, &options, &mut *sink, &token,
            )
        },
    )
}
