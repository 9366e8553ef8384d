//! The commands that write data: `update` (against a store, or the in-memory graph written
//! out), `dump` and `load`.

use crate::config::{DumpConfig, LoadConfig, UpdateConfig};
use crate::data::{Backend, Dataset, DatasetChoice, store};
use crate::engine::worker::{self, Stop};
use crate::engine::{self, plural};
use crate::error::{Error, ExitStatus};
use crate::output::format::Format;
use crate::output::sink::Target;
use crate::sparql::Kind;
use crate::sparql::prefixes::PrefixMap;
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
    };
    let dataset = Arc::new(Mutex::new(dataset));
    for source in &sources {
        let statement = engine::prepare_as(source, &config.settings, Kind::Update)?;
        let dataset = Arc::clone(&dataset);
        let result = worker::supervise(
            &source.origin,
            config.settings.timeout,
            None,
            move |token| {
                let mut dataset = dataset.lock().unwrap_or_else(|p| p.into_inner());
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
        let count = write(&*dataset, *format, &Target::File(path.clone()))?;
        eprintln!(
            "wrote {} to {}",
            plural(count, unit(*format).0, unit(*format).1),
            path.display()
        );
    }
    Ok(ExitStatus::Success)
}

/// Writes a whole dataset into a target, committed only when complete.
pub fn write(dataset: &dyn Backend, format: Format, target: &Target) -> anyhow::Result<u64> {
    let mut sink = target.sink();
    let name = sink.name();
    let count = dataset.write_dataset(format, &PrefixMap::default(), &name, sink.open(format)?)?;
    sink.commit()?;
    Ok(count)
}

/// "quad"/"quads" for syntaxes that keep named graphs, "triple"/"triples" otherwise.
pub fn unit(format: Format) -> (&'static str, &'static str) {
    if format.holds_datasets() {
        ("quad", "quads")
    } else {
        ("triple", "triples")
    }
}

pub fn dump(config: DumpConfig) -> anyhow::Result<ExitStatus> {
    let dataset = Dataset::open(&config.dataset)?;
    let target = config.output.clone().map_or(Target::Stdout, Target::File);
    let count = write(&dataset, config.format, &target)?;
    if config.output.is_some() || io::stderr().is_terminal() {
        let (one, many) = unit(config.format);
        eprintln!("wrote {}", plural(count, one, many));
    }
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
