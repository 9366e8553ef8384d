//! Validation: the SHACL shapes in ontology/shapes.ttl and the ontology's own rules (declared
//! terms, datatypes of values), run as SPARQL queries over the dataset.
//!
//! ffkg implements the SHACL Core subset its shapes use, because the maintained Rust SHACL
//! crate (rudof's `shacl`) brings in some 580 crates (tokio, reqwest, rustls) and switches on
//! oxigraph's rdf-12 and HTTP features: sh:targetClass (with subclasses), sh:nodeKind on a node
//! shape, property shapes with an IRI sh:path and sh:minCount, sh:maxCount, sh:datatype,
//! sh:class, sh:nodeKind, sh:in, sh:pattern, sh:hasValue and sh:or of datatype or class
//! alternatives, and SHACL-SPARQL sh:sparql constraints whose sh:select binds ?this. A shape
//! that uses anything else is reported as unsupported rather than silently skipped.

use crate::data::dataset::Dataset;
use crate::data::graph::SHAPES;
use crate::data::prebuilt::Prebuilt;
use crate::engine;
use crate::error::{Error, Result};
use crate::output::table::display_term;
use crate::sparql::prefixes::{FF, PrefixMap};
use crate::sparql::{Settings, Source};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Graph, NamedNode, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef};
use oxigraph::sparql::CancellationToken;
use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;

mod report;
mod shapes;

pub use report::{render_text, report_graph};
pub use shapes::SHAPES_NS;
use shapes::{ontology_checks, parse_shapes, sh, shape_checks};

const SH: &str = "http://www.w3.org/ns/shacl#";

/// One way the data breaks a shape or the ontology.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Violation {
    /// The resource at fault.
    pub focus: Term,
    /// The property, when the problem is one of its values.
    pub path: Option<NamedNode>,
    /// The offending value, when there is one.
    pub value: Option<Term>,
    pub message: String,
    /// The shape or rule that found it (`ffsh:Figure`, `ontology`).
    pub source: String,
    /// The shape, when a shape found it.
    pub shape: Option<NamedOrBlankNode>,
    /// The SHACL constraint component it breaks (`MinCountConstraintComponent` …), when a
    /// shape found it.
    pub component: Option<&'static str>,
}

/// What a run checked and found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub violations: Vec<Violation>,
    /// Constraints evaluated (shape constraints and ontology rules).
    pub constraints: usize,
    /// Distinct resources targeted by a shape.
    pub focus_nodes: usize,
}

impl Report {
    pub fn conforms(&self) -> bool {
        self.violations.is_empty()
    }
}

/// A constraint turned into a query that lists violations as ?this (and ?value).
#[derive(Debug)]
struct Check {
    source: String,
    component: Option<&'static str>,
    shape: Option<NamedOrBlankNode>,
    path: Option<NamedNode>,
    message: String,
    query: String,
}

/// Validates `dataset` against the embedded shapes and the ontology.
pub fn check(dataset: &Dataset) -> Result<Report> {
    let shapes = parse_shapes()?;
    let mut checks = shape_checks(&shapes)?;
    checks.extend(ontology_checks());
    let settings = Settings::default();
    let mut report = Report {
        constraints: checks.len(),
        ..Report::default()
    };
    let mut seen = HashSet::new();
    for check in &checks {
        for (focus, value) in select_pairs(dataset, &settings, &check.query, &check.source)? {
            let violation = Violation {
                focus,
                path: check.path.clone(),
                value,
                message: check.message.clone(),
                source: check.source.clone(),
                shape: check.shape.clone(),
                component: check.component,
            };
            if seen.insert(violation.clone()) {
                report.violations.push(violation);
            }
        }
    }
    report
        .violations
        .extend(undeclared_terms(dataset, &settings)?);
    report.violations.sort_by_key(|v| {
        (
            v.focus.to_string(),
            v.path.as_ref().map(|p| p.as_str().to_owned()),
            v.message.clone(),
            v.value.as_ref().map(Term::to_string),
        )
    });
    report.focus_nodes = count_targets(dataset, &settings, &shapes)?;
    Ok(report)
}

/// ff: classes, properties and individuals the data uses but the ontology does not declare.
fn undeclared_terms(dataset: &Dataset, settings: &Settings) -> Result<Vec<Violation>> {
    // The declared terms come from the embedded ontology, so a user's own files are checked
    // against it even with --no-embedded.
    let declared: BTreeSet<String> = {
        let prebuilt = Dataset::from_prebuilt(Prebuilt::get());
        select_pairs(
            &prebuilt,
            settings,
            "SELECT DISTINCT ?this WHERE { GRAPH graph:ontology { ?this ?p ?o } }",
            "ontology",
        )?
        .into_iter()
        .map(|(term, _)| term.to_string())
        .collect()
    };
    let used = select_pairs(
        dataset,
        settings,
        &format!(
            "SELECT DISTINCT ?this ?value WHERE {{
               {{ ?this ?value ?o }} UNION {{ ?this ?p ?value FILTER(isIRI(?value)) }}
               FILTER(STRSTARTS(STR(?value), \"{FF}\"))
             }}"
        ),
        "ontology",
    )?;
    let mut violations = Vec::new();
    let mut reported = BTreeSet::new();
    for (focus, value) in used {
        let Some(value) = value else { continue };
        if declared.contains(&value.to_string()) || !reported.insert(value.to_string()) {
            continue;
        }
        violations.push(Violation {
            focus,
            path: None,
            value: Some(value),
            message: "uses an ff: term the ontology does not declare".to_owned(),
            source: "ontology".to_owned(),
            shape: None,
            component: None,
        });
    }
    Ok(violations)
}

fn count_targets(dataset: &Dataset, settings: &Settings, shapes: &Graph) -> Result<usize> {
    let classes: Vec<String> = shapes
        .triples_for_predicate(&sh("targetClass"))
        .map(|t| t.object.to_string())
        .collect();
    if classes.is_empty() {
        return Ok(0);
    }
    let query = format!(
        "SELECT (COUNT(DISTINCT ?this) AS ?n) WHERE {{ ?this rdf:type/rdfs:subClassOf* ?c VALUES ?c {{ {} }} }}",
        classes.join(" ")
    );
    let rows = select_pairs(dataset, settings, &query, "count")?;
    Ok(rows
        .first()
        .and_then(|(n, _)| match n {
            Term::Literal(l) => l.value().parse().ok(),
            _ => None,
        })
        .unwrap_or(0))
}

/// Runs a SELECT and returns its ?this (or first variable) and ?value bindings.
fn select_pairs(
    dataset: &Dataset,
    settings: &Settings,
    query: &str,
    origin: &str,
) -> Result<Vec<(Term, Option<Term>)>> {
    let source = Source::new(format!("shape {origin}"), query);
    let rows = engine::select(dataset, settings, &source, &CancellationToken::new())?;
    let this = rows.variables.iter().position(|v| v.as_str() == "this");
    let value = rows.variables.iter().position(|v| v.as_str() == "value");
    Ok(rows
        .rows
        .into_iter()
        .filter_map(|row| {
            let focus = row.get(this.unwrap_or(0)).cloned().flatten()?;
            Some((focus, value.and_then(|i| row.get(i).cloned().flatten())))
        })
        .collect())
}
