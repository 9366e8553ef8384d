//! The commands that write data: `update` (against a store, or the in-memory graph written
//! out), `dump` (the data, or its VoID description) and `load`.

use crate::config::{DumpConfig, IndexConfig, LoadConfig, UpdateConfig};
use crate::data::{Backend, Dataset, DatasetChoice, store};
use crate::describe;
use crate::engine;
use crate::engine::worker::{self, Stop};
use crate::error::{Error, ExitStatus};
use crate::infer::Reasoning;
use crate::output::dataset::Wrote;
use crate::output::format::Format;
use crate::output::sink::Target;
use crate::server::void;
use crate::sparql::prefixes::PrefixMap;
use crate::sparql::{Fetch, Kind};
use anyhow::Context;
use std::io::{self, IsTerminal};
use std::sync::{Arc, Mutex};

pub fn update(config: UpdateConfig) -> anyhow::Result<ExitStatus> {
    let sources: Vec<_> = super::jobs::read_jobs(&config.sources, "update", false)?
        .into_iter()
        .map(|job| job.source)
        .collect();
    let dataset = match &config.dataset {
        DatasetChoice::Persistent(dir) => Dataset::open_or_create_store(dir)?,
        memory => Dataset::open(memory)?,
    }
    .with_fetch(Fetch::services(config.settings.timeout));
    let dataset = Arc::new(Mutex::new(dataset));
    for source in &sources {
        let statement = engine::prepare_as(source, &config.settings, Kind::Update)?;
        let dataset = Arc::clone(&dataset);
        let settings = config.settings.clone();
        let result = worker::supervise(
            &source.origin,
            config.settings.timeout,
            None,
            move |token| {
                let mut dataset = dataset.lock().unwrap_or_else(|p| p.into_inner());
                if settings.lint {
                    describe::warn_unknown_names(&*dataset, &settings, &statement.source, &token);
                }
                engine::run_update(&mut *dataset, &statement, &token)
            },
        );
        match result {
            Ok(_) => {}
            Err(Stop::Failed(e) | Stop::Abandoned(e)) => return Err(e.into()),
            Err(Stop::Interrupted) => return Ok(ExitStatus::Failed),
        }
    }
    if let Some((path, format)) = &config.output {
        let dataset = dataset.lock().unwrap_or_else(|p| p.into_inner());
        // The written file may use the prefixes the updates declared (`PREFIX ex: <…>`).
        let mut prefixes = config.settings.prefixes.clone();
        for source in &sources {
            prefixes.declare_from(&source.text);
        }
        // Entailments are never written back as if asserted.
        let wrote = write(
            &*dataset,
            *format,
            &Target::File(path.clone()),
            &prefixes,
            false,
        )?;
        wrote.report(*format, &path.display().to_string());
    }
    Ok(ExitStatus::Success)
}

/// Writes a whole dataset into a target, committed only when complete.
pub fn write(
    dataset: &dyn Backend,
    format: Format,
    target: &Target,
    prefixes: &PrefixMap,
    entailments: bool,
) -> anyhow::Result<Wrote> {
    let mut sink = target.sink();
    let name = sink.name();
    let wrote = dataset.write_dataset(format, prefixes, &name, sink.open(format)?, entailments)?;
    sink.commit()?;
    Ok(wrote)
}

pub fn dump(config: DumpConfig) -> anyhow::Result<ExitStatus> {
    let dataset = Dataset::open(&config.dataset)?;
    let target = config.output.clone().map_or(Target::Stdout, Target::File);
    if let Some(site) = &config.describe {
        return describe(&dataset, site, config.format, &target);
    }
    // A dump writes the entailments when --reasoning asks for them.
    let entailments = dataset.reasoning() != Reasoning::None;
    let wrote = write(
        &dataset,
        config.format,
        &target,
        &PrefixMap::default(),
        entailments,
    )?;
    if config.output.is_some() || io::stderr().is_terminal() {
        let name = config
            .output
            .as_ref()
            .map_or_else(|| "<stdout>".to_owned(), |p| p.display().to_string());
        wrote.report(config.format, &name);
    }
    Ok(ExitStatus::Success)
}

/// `ffkg dump --describe`: the VoID description the endpoint serves at `/.well-known/void`,
/// of the dumps published under `site`.
fn describe(
    dataset: &Dataset,
    site: &str,
    format: Format,
    target: &Target,
) -> anyhow::Result<ExitStatus> {
    let settings = crate::sparql::Settings::default();
    let token = oxigraph::sparql::CancellationToken::new();
    let rows = |query: String| {
        let source = crate::sparql::Source::new("describe", query);
        Ok(engine::select(dataset, &settings, &source, &token)?.rows)
    };
    let turtle = void::describe(site, None, dataset.holds_embedded(), &rows)?;
    let bytes = void::serialize(&turtle, format, &settings.prefixes)?;
    let mut sink = target.sink();
    sink.open(format)?
        .write_all(&bytes)
        .map_err(|e| Error::io(sink.name(), e))?;
    sink.commit()?;
    Ok(ExitStatus::Success)
}

/// `ffkg index`: the files parsed into the index layout and written to one file.
pub fn index(config: IndexConfig) -> anyhow::Result<ExitStatus> {
    let started = std::time::Instant::now();
    let spec = crate::data::graph::DatasetSpec {
        embedded: false,
        data: config.files.clone(),
        named: Vec::new(),
        data_format: config.data_format,
        reasoning: config.reasoning,
    };
    let (index, bytes) = crate::data::index::FileIndex::build(&spec)?;
    let written = index.write(&config.out)?;
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!(
        "indexed {} quads ({} terms) from {:.1} MB in {elapsed:.2} s: {:.0} quads/s; wrote {} \
         ({:.1} MB)",
        index.len(),
        index.term_count(),
        bytes as f64 / 1e6,
        index.len() as f64 / elapsed.max(1e-9),
        config.out.display(),
        written as f64 / 1e6
    );
    Ok(ExitStatus::Success)
}

pub fn load(config: LoadConfig) -> anyhow::Result<ExitStatus> {
    for path in &config.files {
        if !path.is_file() {
            return Err(Error::io(
                path,
                io::Error::new(io::ErrorKind::NotFound, "no such file"),
            )
            .into());
        }
    }
    let store = store::open(&config.store)?;
    let report = store::bulk_load(&store, &config.files, config.graph, config.data_format)
        .with_context(|| format!("loading into {}", config.store.display()))?;
    eprintln!(
        "loaded {} triples ({:.1} MB) in {:.2} s: {:.0} triples/s",
        report.triples,
        report.bytes as f64 / 1e6,
        report.elapsed.as_secs_f64(),
        report.per_second()
    );
    Ok(ExitStatus::Success)
}
