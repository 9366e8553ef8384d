//! The REPL's dot-commands, run on the session: settings (`.format`, `.limit` …), data
//! (`.load`, `.save`, `.reasoning`), and the views shared with the linked-data pages
//! (`.describe`, `.find`, `.schema`, `.explain`).

use super::command::{self, Command, Limit};
use super::session::{Flow, Session, read_lock, write_lock};
use crate::data::endpoint::Endpoint;
use crate::data::graph::DatasetSpec;
use crate::data::remote::Remote;
use crate::data::{Backend, Connection, Dataset, DatasetChoice};
use crate::describe;
use crate::engine::worker::Stop;
use crate::engine::{self, duration_text};
use crate::error::{Error, Result};
use crate::output::format::{Format, ResultKind};
use crate::output::sink::Target;
use crate::sparql::split::Chunk;
use crate::sparql::{Fetch, Kind, Source};
use oxigraph::model::NamedNode;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

impl Session {
    pub(super) fn command(
        &mut self,
        command: Command,
        chunk: &Chunk,
        origin: &str,
    ) -> Result<Flow, Stop> {
        match command {
            Command::Help(topic) => {
                let width = usize::from(self.width().unwrap_or(100));
                print(&command::help(topic.as_deref(), width)?)?;
            }
            Command::Quit => return Ok(Flow::Quit),
            Command::Prefixes => {
                let width = self.settings.prefixes.iter().map(|(p, _)| p.len()).max();
                let mut text = String::new();
                for (prefix, iri) in self.settings.prefixes.iter() {
                    let name = format!("{prefix}:");
                    text.push_str(&format!("{name:w$}  <{iri}>\n", w = width.unwrap_or(0) + 1));
                }
                print(&text)?;
            }
            Command::Prefix { name, iri } => {
                self.settings.prefixes.insert(&name, &iri);
                self.note(&format!("{name}: is <{iri}>"));
            }
            Command::Format(None) => {
                let show = |f: Option<Format>, default: &str| {
                    f.map_or_else(|| format!("{default} (default)"), |f| f.to_string())
                };
                let default = if self.on_terminal() || self.interactive {
                    "table"
                } else {
                    "tsv"
                };
                print(&format!(
                    "solutions: {}\ngraphs: {}\n",
                    show(self.formats.solutions, default),
                    show(self.formats.graphs, "turtle")
                ))?;
            }
            Command::Format(Some(format)) => {
                self.formats.set(format);
                let kind = match format.kind() {
                    ResultKind::Solutions => "solutions",
                    ResultKind::Graph => "graphs",
                };
                self.note(&format!("{kind} are shown as {format}"));
            }
            Command::Output(None) => {
                self.output = None;
                self.note("results go to the screen");
            }
            Command::Output(Some(path)) => {
                File::create(&path).map_err(|e| Error::io(&path, e))?;
                self.note(&format!(
                    "results go to {} (.output alone brings them back)",
                    path.display()
                ));
                self.output = Some(path);
            }
            Command::Timing(None) => {
                print(&format!("timing is {}\n", on_off(self.timing)))?;
            }
            Command::Timing(Some(on)) => self.timing = on,
            Command::Limit(None) => print(&match self.limit {
                Some(n) => format!("tables show at most {n} rows\n"),
                None => "tables show every row\n".to_owned(),
            })?,
            Command::Limit(Some(Limit::Rows(n))) => self.limit = Some(n),
            Command::Limit(Some(Limit::Off)) => self.limit = None,
            Command::Load { path, graph } => self.load(&path, graph.as_deref(), origin)?,
            Command::Save(path) => self.save(&path, origin)?,
            Command::Describe(term) => {
                let dataset = Arc::clone(&self.dataset);
                let settings = self.settings.clone();
                let width = usize::from(self.width().unwrap_or(100));
                let card = self.supervise(origin, move |token| {
                    let dataset = read_lock(&dataset, ".describe")?;
                    let lookup = describe::Lookup {
                        dataset: &**dataset,
                        settings: &settings,
                        token,
                    };
                    let node = lookup.resolve(&term)?;
                    lookup.card(&node, width)
                })?;
                self.write_text(&card)?;
            }
            Command::Find(text) => {
                // An endpoint has no search functions: it gets the plain substring match.
                let local = read_lock(&self.dataset, ".find")?.local().is_some();
                if local && crate::search::tokens::terms(&text).is_empty() {
                    return Err(Error::usage(format!(
                        ".find searches for words, and '{text}' has none (letters or digits)"
                    ))
                    .into());
                }
                let query = if local {
                    describe::search_query(&text)
                } else {
                    describe::find_query(&text)
                };
                self.query_text(Source::new(".find", query), None)?;
            }
            Command::Schema => {
                for (title, text) in describe::schema_queries() {
                    self.query_text(Source::new(".schema", text), Some(title.to_owned()))?;
                }
            }
            Command::Explain(query) => self.explain(query.is_some(), chunk, origin)?,
            Command::Chart(query) => self.chart(query.is_some(), chunk, origin)?,
            Command::Reasoning(None) => {
                let dataset = read_lock(&self.dataset, origin)?;
                let level = local(&**dataset, ".reasoning")?.reasoning();
                print(&format!("reasoning is {level}\n"))?;
            }
            Command::Reasoning(Some(level)) => {
                let started = Instant::now();
                let inferred = local_mut(&mut **write_lock(&self.dataset, origin)?, ".reasoning")?
                    .set_reasoning(level)?;
                self.changed = true;
                self.note(&format!(
                    "reasoning is {level}: {inferred} entailments in graph:inferred ({})",
                    duration_text(started.elapsed())
                ));
            }
            Command::Queries => print(&crate::library::listing(false, "table"))?,
            Command::Endpoint(None) => {
                let here = read_lock(&self.dataset, origin)?.description();
                print(&match &self.place {
                    Some(_) => format!("on {here} (.endpoint local goes back to local data)\n"),
                    None => format!("on {here}\n"),
                })?;
            }
            Command::Endpoint(Some(place)) => self.move_to(&place, origin)?,
            Command::Run { name, params } => {
                let query = crate::library::find(&name).ok_or_else(|| {
                    Error::usage(format!(
                        "no library query named '{name}': .queries lists them"
                    ))
                })?;
                let header = crate::library::header(query.text);
                let params = crate::library::positional(&name, &header, params)?;
                let params = if params.is_empty() {
                    params
                } else {
                    let dataset = Arc::clone(&self.dataset);
                    let settings = self.settings.clone();
                    self.supervise(origin, move |token| {
                        let dataset = read_lock(&dataset, ".run")?;
                        let lookup = describe::Lookup {
                            dataset: &**dataset,
                            settings: &settings,
                            token,
                        };
                        lookup.bind_labels(query.text, &params)
                    })?
                };
                let text = crate::library::bind(query.text, &params, &self.settings.prefixes)?;
                let title = header.title;
                let source = Source::new(format!("queries/{name}.rq"), text.clone());
                self.query_text(source, (!title.is_empty()).then_some(title))?;
                // `.chart` and `.explain` alone take it, as they take a query typed.
                self.last_query = Some(text);
            }
        }
        Ok(Flow::Continue)
    }

    /// `.endpoint`: onto an endpoint, answering a first `ASK {}` before the session moves, or
    /// back to the local data, which was kept as it was.
    fn move_to(&mut self, place: &str, origin: &str) -> Result<(), Stop> {
        let (backend, name) = if place.eq_ignore_ascii_case("local") {
            if self.place.is_none() {
                self.note("the session is on local data already");
                return Ok(());
            }
            // A session that began on an endpoint comes to the embedded graph.
            let local = match self.parked.take() {
                Some(local) => local,
                None => Connection::Local(DatasetChoice::Memory(DatasetSpec::embedded()))
                    .open(self.settings.timeout)?,
            };
            (local, None)
        } else {
            let endpoint = Endpoint::at(place)?;
            let name = endpoint.short_name();
            let timeout = self.settings.timeout.unwrap_or(Fetch::DEFAULT_TIMEOUT);
            let remote = Remote::new(endpoint, timeout);
            let started = Instant::now();
            remote.probe(origin)?;
            self.note(&format!(
                "on {} (answered in {}; .endpoint local comes back)",
                remote.description(),
                duration_text(started.elapsed())
            ));
            (Box::new(remote) as Box<dyn Backend>, Some(name))
        };
        let previous = std::mem::replace(&mut *write_lock(&self.dataset, origin)?, backend);
        // The local data waits, unsaved changes and all; another endpoint is let go.
        if previous.local().is_some() {
            self.parked = Some(previous);
        }
        if name.is_none() {
            self.note(&format!(
                "on {}",
                read_lock(&self.dataset, origin)?.description()
            ));
        }
        self.place = name;
        Ok(())
    }

    fn load(&mut self, path: &Path, graph: Option<&str>, origin: &str) -> Result<(), Stop> {
        let graph = graph.map(|g| self.node(g)).transpose()?;
        let started = Instant::now();
        local_mut(&mut **write_lock(&self.dataset, origin)?, ".load")?.load(
            path,
            None,
            graph.clone(),
        )?;
        self.changed = true;
        if self.interactive || self.timing {
            let into = graph.map_or_else(
                || "the default graph".to_owned(),
                |g| format!("<{}>", g.as_str()),
            );
            eprintln!(
                "loaded {} into {into} in {}",
                path.display(),
                duration_text(started.elapsed())
            );
        }
        Ok(())
    }

    /// A graph name as typed: `<iri>`, a prefixed name or a bare IRI.
    fn node(&self, text: &str) -> Result<NamedNode> {
        let iri = match text.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            Some(iri) => iri.to_owned(),
            None => self
                .settings
                .prefixes
                .expand(text)
                .filter(|_| !text.contains("://"))
                .unwrap_or_else(|| text.to_owned()),
        };
        NamedNode::new(&iri).map_err(|e| Error::usage(format!("'{text}' is not an IRI: {e}")))
    }

    fn save(&mut self, path: &Path, origin: &str) -> Result<(), Stop> {
        let (format, gzipped) = Format::from_path(path);
        let format = format
            .filter(|f| f.kind() == ResultKind::Graph && !gzipped)
            .ok_or_else(|| {
                Error::usage(format!(
                    "cannot tell the RDF syntax of '{}' from its extension: use one of .ttl, \
                     .nt, .nq, .trig, .jsonld, .rdf (.nq and .trig keep the named graphs)",
                    path.display()
                ))
            })?;
        let name = path.display().to_string();
        let dataset = read_lock(&self.dataset, origin)?;
        let mut sink = Target::File(path.to_owned()).sink();
        // What the session asserted, without the entailments of its reasoning.
        let wrote = dataset.write_dataset(
            format,
            &self.settings.prefixes,
            &name,
            sink.open(format)?,
            false,
        )?;
        sink.commit()?;
        self.unsaved = false;
        self.quit_warned = false;
        if self.interactive || self.timing {
            wrote.report(format, &name);
        }
        Ok(())
    }

    /// The query a command names: the one typed after it (kept where it was typed, so error
    /// positions are those of the input) or else the last query run.
    fn query_after(&self, command: &str, has_query: bool, chunk: &Chunk) -> Result<String, Stop> {
        if has_query {
            let mut text = chunk.positioned_text();
            let at = text.len() - chunk.text.len();
            text.replace_range(at..at + command.len(), &" ".repeat(command.len()));
            return Ok(text);
        }
        self.last_query.clone().ok_or_else(|| {
            Error::usage(format!(
                "no query run yet: {command} SELECT … runs one (without one, {command} takes the \
                 last query)"
            ))
            .into()
        })
    }

    /// `.chart QUERY` or the last query, its answer drawn as a bar chart (or SVG into an
    /// `.output FILE.svg`).
    fn chart(&mut self, has_query: bool, chunk: &Chunk, origin: &str) -> Result<(), Stop> {
        let text = self.query_after(".chart", has_query, chunk)?;
        let source = Source::new(origin, text);
        let statement = engine::prepare(&source, &self.settings)?;
        let select = match &statement.body {
            crate::engine::Body::Query(query) => {
                matches!(**query, spargebra::Query::Select { .. })
            }
            crate::engine::Body::Update(_) => false,
        };
        if !select {
            return Err(Error::usage(".chart draws the answer of a SELECT").into());
        }
        let svg = self
            .output
            .as_deref()
            .is_some_and(|p| Format::from_path(p).0 == Some(Format::Svg));
        let kept = self.formats.solutions;
        self.formats.solutions = Some(if svg { Format::Svg } else { Format::Chart });
        let result = self.query(statement, None);
        self.formats.solutions = kept;
        if has_query {
            self.last_query = Some(chunk.text[".chart".len()..].to_owned());
        }
        result
    }

    /// `.explain QUERY` (the query in the chunk after the command name) or the last query.
    fn explain(&mut self, has_query: bool, chunk: &Chunk, origin: &str) -> Result<(), Stop> {
        let text = self.query_after(".explain", has_query, chunk)?;
        let source = Source::new(origin, text);
        let statement = engine::prepare(&source, &self.settings)?;
        if statement.kind() != Kind::Query {
            return Err(Error::usage(".explain explains queries, not updates").into());
        }
        let dataset = Arc::clone(&self.dataset);
        let settings = self.settings.clone();
        let tree = self.supervise(origin, move |token| {
            let dataset = read_lock(&dataset, &statement.source.origin)?;
            describe::explained(&**dataset, &statement, &settings, &token)
        })?;
        self.write_text(&tree)?;
        Ok(())
    }
}

/// The local dataset, for a command only it can do.
fn local<'a>(backend: &'a dyn Backend, command: &str) -> Result<&'a Dataset> {
    let description = backend.description();
    backend
        .local()
        .ok_or_else(|| off_local(command, &description))
}

fn local_mut<'a>(backend: &'a mut dyn Backend, command: &str) -> Result<&'a mut Dataset> {
    let description = backend.description();
    backend
        .local_mut()
        .ok_or_else(|| off_local(command, &description))
}

fn off_local(command: &str, description: &str) -> Error {
    Error::usage(format!(
        "{command} works on local data, and this session is on {description}: `.endpoint \
         local` goes back to it"
    ))
}

fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("<stdout>", e))
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}
