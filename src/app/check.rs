//! `ffkg check` (the SHACL shapes and the ontology's rules, as text or a SHACL report) and
//! `ffkg queries` (the library's listing).

use crate::config::CheckConfig;
use crate::data::Dataset;
use crate::error::{Error, ExitStatus};
use crate::output::render;
use crate::output::sink::Target;
use crate::sparql::prefixes::PrefixMap;
use oxigraph::model::GraphName;

pub fn run(config: CheckConfig) -> anyhow::Result<ExitStatus> {
    let dataset = Dataset::open(&config.dataset)?;
    let report = crate::check::check(&dataset)?;
    let target = config.output.clone().map_or(Target::Stdout, Target::File);
    let mut sink = target.sink();
    let name = sink.name();
    let prefixes = PrefixMap::default();
    match config.format {
        None => {
            let text = crate::check::render_text(&report, &prefixes);
            sink.open(crate::output::format::Format::Table)?
                .write_all(text.as_bytes())
                .map_err(|e| Error::io(&name, e))?;
        }
        Some(format) => {
            let graph = crate::check::report_graph(&report);
            let quads = graph
                .into_iter()
                .map(|t| Ok(t.in_graph(GraphName::DefaultGraph)));
            let mut shapes = prefixes.clone();
            shapes.insert("ffsh", crate::check::SHAPES_NS);
            render::write_quads(quads, &[], format, &shapes, &name, sink.open(format)?)?;
        }
    }
    sink.commit()?;
    Ok(if report.conforms() {
        ExitStatus::Success
    } else {
        ExitStatus::Failed
    })
}

pub fn queries(long: bool, name: Option<&str>, format: Option<&str>) -> anyhow::Result<ExitStatus> {
    // A table for people, TSV for a pipe, as `ffkg query` does.
    let format = format.unwrap_or(if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        "table"
    } else {
        "tsv"
    });
    let text = match name {
        Some(name) => crate::library::documentation(name)?,
        None => crate::library::listing(long, format),
    };
    let mut sink = Target::Stdout.sink();
    sink.open(crate::output::format::Format::Table)?
        .write_all(text.as_bytes())
        .map_err(|e| Error::io("<stdout>", e))?;
    sink.commit()?;
    Ok(ExitStatus::Success)
}
