//! Running one W3C test through ffkg's own paths: `Dataset::build` and `Dataset::load` for the
//! data, `Settings::prepare_query`/`prepare_update` with an empty prefix map for the text,
//! `Dataset::query`/`update` to run it, and `render::write_results` (or `Dataset::write` for
//! datasets) to serialize what comes out, which is then parsed back and compared.

use crate::manifest::{DatasetFiles, Kind, TestCase};
use crate::results::{self, Answer};
use anyhow::{Context, Result, anyhow, bail};
use ffkg::data::dataset::Dataset;
use ffkg::data::graph::{DatasetSpec, file_url};
use ffkg::output::RenderOptions;
use ffkg::output::format::Format;
use ffkg::output::render::write_results;
use ffkg::output::table::TableOptions;
use ffkg::sparql::prefixes::PrefixMap;
use ffkg::sparql::{Settings, Source};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::PreparedSparqlQuery;
use oxigraph::sparql::results::QueryResultsFormat;
use std::path::{Path, PathBuf};

/// What running a test gave.
#[derive(Debug)]
pub enum Outcome {
    Passed,
    Failed(String),
    /// Not run, with the reason.
    Skipped(String),
}

/// Runs one test.
pub fn run(test: &TestCase) -> Outcome {
    if let Some(approval) = &test.approval {
        if approval != "Approved" && approval != "Proposed" {
            return Outcome::Skipped(format!("dawgt:approval is {approval}"));
        }
    }
    let result = match &test.kind {
        Kind::PositiveSyntax | Kind::PositiveUpdateSyntax => syntax(test, true),
        Kind::NegativeSyntax | Kind::NegativeUpdateSyntax => syntax(test, false),
        Kind::QueryEvaluation => query_evaluation(test),
        Kind::CsvResultFormat => csv_result(test),
        Kind::UpdateEvaluation => update_evaluation(test),
        Kind::Other(kind) => return Outcome::Skipped(format!("mf:{kind} is out of scope")),
    };
    match result {
        Ok(()) => Outcome::Passed,
        Err(e) => Outcome::Failed(format!("{e:#}")),
    }
}

/// Parsing settings of the W3C tests: no ffkg prefixes, the file's URL as base.
fn settings(file: &Path) -> Result<Settings> {
    Ok(Settings {
        prefixes: PrefixMap::empty(),
        base_iri: Some(file_url(file)?.as_str().to_owned()),
        timeout: None,
        lint: false,
    })
}

fn action(test: &TestCase) -> Result<&Path> {
    test.action
        .as_deref()
        .context("the manifest gives no query or update file")
}

/// A file holds an update when the test says so or its name ends in `.ru` (the SPARQL 1.1
/// suite types some negative update tests as plain `NegativeSyntaxTest11`).
fn is_update(test: &TestCase, file: &Path) -> bool {
    matches!(
        test.kind,
        Kind::PositiveUpdateSyntax | Kind::NegativeUpdateSyntax | Kind::UpdateEvaluation
    ) || file.extension().is_some_and(|e| e == "ru")
}

fn syntax(test: &TestCase, positive: bool) -> Result<()> {
    let file = action(test)?;
    let source = Source::from_file(file)?;
    let settings = settings(file)?;
    let parsed = if is_update(test, file) {
        settings.prepare_update(&source, None).map(drop)
    } else {
        settings.prepare_query(&source, None).map(drop)
    };
    match (parsed, positive) {
        (Ok(()), true) => Ok(()),
        (Err(e), true) => Err(anyhow!("does not parse: {e}")),
        (Ok(()), false) => bail!("parses, but it is not valid SPARQL"),
        (
            Err(ffkg::Error::QuerySyntax { .. } | ffkg::Error::QuerySyntaxNoPosition { .. }),
            false,
        ) => Ok(()),
        (Err(e), false) => bail!("rejected, but not as a syntax error: {e}"),
    }
}

/// Loads the default-graph files, the named-graph files, and the graphs the query names in
/// FROM / FROM NAMED (which are files next to the query, named by their URL).
fn query_dataset(files: &DatasetFiles, prepared: &PreparedSparqlQuery) -> Result<Dataset> {
    let mut named: Vec<PathBuf> = Vec::new();
    let mut labelled = Vec::new();
    for graph in &files.graphs {
        match &graph.label {
            None => named.push(graph.path.clone()),
            Some(label) => labelled.push((label.clone(), graph.path.clone())),
        }
    }
    let dataset_spec = prepared.dataset();
    let from = dataset_spec
        .default_graph_graphs()
        .unwrap_or_default()
        .iter()
        .filter_map(|g| match g {
            GraphName::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        });
    let from_named = dataset_spec
        .available_named_graphs()
        .unwrap_or_default()
        .iter()
        .filter_map(|g| match g {
            NamedOrBlankNode::NamedNode(n) => Some(n.as_str().to_owned()),
            NamedOrBlankNode::BlankNode(_) => None,
        });
    for iri in from.chain(from_named) {
        let path = crate::manifest::url_to_path(&iri)?;
        if !named.contains(&path) {
            named.push(path);
        }
    }
    let mut dataset = Dataset::build(&DatasetSpec {
        embedded: false,
        data: files.data.clone(),
        named,
        data_format: None,
        reasoning: ffkg::infer::Reasoning::None,
    })?;
    for (label, path) in labelled {
        dataset.load(&path, None, Some(NamedNode::new(label)?))?;
    }
    Ok(dataset)
}

fn prepare_query(file: &Path) -> Result<(Source, PreparedSparqlQuery)> {
    let source = Source::from_file(file)?;
    let prepared = settings(file)?.prepare_query(&source, None)?;
    Ok((source, prepared))
}

/// Runs the query and serializes its answer with ffkg's renderer: solutions in `format`,
/// graphs in Turtle. Returns the bytes and the format used.
fn render(
    dataset: &Dataset,
    prepared: PreparedSparqlQuery,
    origin: &str,
    format: Format,
) -> Result<(Vec<u8>, Format)> {
    let results = dataset.query(prepared, origin)?;
    let format = match &results {
        oxigraph::sparql::QueryResults::Graph(_) => Format::Turtle,
        _ => format,
    };
    let prefixes = PrefixMap::empty();
    let options = RenderOptions {
        format,
        prefixes: &prefixes,
        table: TableOptions::default(),
        output_name: "<w3c>",
    };
    let mut out = Vec::new();
    write_results(results, &options, origin, &mut out)?;
    Ok((out, format))
}

/// Reads back what [`render`] wrote.
fn read_back(bytes: &[u8], format: Format) -> Result<Answer> {
    let answer = match format.results_format() {
        Some(results_format) => results::parse_results(results_format, bytes),
        None => {
            results::parse_graph(oxigraph::io::RdfFormat::Turtle, bytes, None).map(Answer::Graph)
        }
    };
    answer.with_context(|| {
        format!(
            "ffkg's {format} output does not parse back:\n{}",
            String::from_utf8_lossy(bytes)
        )
    })
}

fn query_evaluation(test: &TestCase) -> Result<()> {
    let file = action(test)?;
    let (source, prepared) = prepare_query(file)?;
    let expected_file = test
        .result
        .as_deref()
        .context("the manifest gives no result")?;
    let expected = results::load_expected(expected_file)?;
    let dataset = query_dataset(&test.input, &prepared)?;
    let ordered = query_orders(&source.text);
    // The format of the expected file first, then the other W3C format, so both of ffkg's
    // serializers are checked on every test.
    let primary = match QueryResultsFormat::from_extension(
        expected_file
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or(""),
    ) {
        Some(QueryResultsFormat::Json) => Format::Json,
        Some(QueryResultsFormat::Tsv) => Format::Tsv,
        Some(QueryResultsFormat::Csv) => Format::Csv,
        _ => Format::Xml,
    };
    let second = if primary == Format::Xml {
        Format::Json
    } else {
        Format::Xml
    };
    for format in [primary, second] {
        let (bytes, used) = render(&dataset, prepared.clone(), &source.origin, format)?;
        let actual = read_back(&bytes, used)?;
        results::compare(&expected, &actual, ordered, test.lax)
            .map_err(|diff| anyhow!("{diff}(checked ffkg's {used} output)"))?;
        if used != format {
            break; // a graph, always written as Turtle: once is enough
        }
    }
    Ok(())
}

fn csv_result(test: &TestCase) -> Result<()> {
    let file = action(test)?;
    let (source, prepared) = prepare_query(file)?;
    let expected_file = test
        .result
        .as_deref()
        .context("the manifest gives no result")?;
    let expected = std::fs::read_to_string(expected_file)
        .with_context(|| format!("cannot read {}", expected_file.display()))?;
    let dataset = query_dataset(&test.input, &prepared)?;
    let (bytes, _) = render(&dataset, prepared, &source.origin, Format::Csv)?;
    let actual = String::from_utf8(bytes).context("ffkg's CSV is not UTF-8")?;
    results::compare_csv(&expected, &actual, query_orders(&source.text))
        .map_err(|diff| anyhow!("{diff}"))
}

/// Builds a dataset the way the update tests describe it: default-graph files, and files
/// loaded into the named graph their label gives (through `Dataset::load`, as `.load` does).
fn update_dataset(files: &DatasetFiles) -> Result<Dataset> {
    let mut dataset = Dataset::build(&DatasetSpec {
        embedded: false,
        data: files.data.clone(),
        named: files
            .graphs
            .iter()
            .filter(|g| g.label.is_none())
            .map(|g| g.path.clone())
            .collect(),
        data_format: None,
        reasoning: ffkg::infer::Reasoning::None,
    })?;
    for graph in &files.graphs {
        if let Some(label) = &graph.label {
            dataset.load(&graph.path, None, Some(NamedNode::new(label.as_str())?))?;
        }
    }
    Ok(dataset)
}

/// Every graph of a dataset, written with ffkg's N-Quads dump and read back.
fn dump(dataset: &Dataset) -> Result<oxigraph::model::Dataset> {
    let mut out = Vec::new();
    dataset.write(Format::Nquads, &PrefixMap::empty(), "<w3c>", &mut out, true)?;
    results::parse_dataset(&out)
}

fn update_evaluation(test: &TestCase) -> Result<()> {
    let file = action(test)?;
    let source = Source::from_file(file)?;
    let prepared = settings(file)?.prepare_update(&source, None)?;
    let mut dataset = update_dataset(&test.input)?;
    dataset.update(prepared, &source.origin)?;
    let expected = dump(&update_dataset(&test.result_dataset)?)?;
    let actual = dump(&dataset)?;
    results::compare_datasets(&expected, &actual).map_err(|diff| anyhow!("{diff}"))
}

/// True when the query has an ORDER BY of its own (not only inside a subquery): its solutions
/// are then compared in order. Scans the text outside strings, IRIs and comments for ORDER BY
/// at brace depth 0.
pub fn query_orders(query: &str) -> bool {
    let chars: Vec<char> = query.chars().collect();
    let mut outside = String::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '#' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '"' | '\'' => {
                let long = i + 2 < chars.len() && chars[i + 1] == c && chars[i + 2] == c;
                i += if long { 3 } else { 1 };
                while i < chars.len() {
                    if chars[i] == '\\' {
                        i += 2;
                        continue;
                    }
                    if chars[i] == c
                        && (!long
                            || (i + 2 < chars.len() && chars[i + 1] == c && chars[i + 2] == c))
                    {
                        i += if long { 2 } else { 0 };
                        break;
                    }
                    i += 1;
                }
            }
            '<' => {
                // An IRI runs to '>' without spaces or quotes; otherwise '<' is "less than".
                let end = chars[i + 1..]
                    .iter()
                    .position(|c| c.is_whitespace() || "<>\"{}|^`".contains(*c));
                if let Some(offset) = end {
                    if chars[i + 1 + offset] == '>' {
                        i += offset + 1;
                    }
                }
            }
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => {
                if c.is_whitespace() {
                    if !outside.ends_with(' ') {
                        outside.push(' ');
                    }
                } else {
                    outside.extend(c.to_uppercase());
                }
            }
            _ => {}
        }
        i += 1;
    }
    outside.contains("ORDER BY")
}

#[cfg(test)]
mod tests {
    use super::query_orders;

    #[test]
    fn finds_only_top_level_order_by() {
        assert!(query_orders("SELECT * { ?s ?p ?o } order  by ?s"));
        assert!(!query_orders(
            "SELECT * { { SELECT ?s { ?s ?p ?o } ORDER BY ?s LIMIT 1 } }"
        ));
        assert!(!query_orders(
            "SELECT * { ?s ?p \"} ORDER BY\" } # ORDER BY ?s"
        ));
        assert!(query_orders(
            "PREFIX : <http://x/#a> SELECT * { ?s ?p ?o FILTER(?o < 3) } ORDER BY ?o"
        ));
    }
}
