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

fn parse_shapes() -> Result<Graph> {
    let mut graph = Graph::new();
    for triple in RdfParser::from_format(RdfFormat::Turtle)
        .without_named_graphs()
        .for_slice(SHAPES)
    {
        let quad =
            triple.map_err(|e| crate::data::graph::data_error("ontology/shapes.ttl", e.into()))?;
        graph.insert(quad.as_ref());
    }
    Ok(graph)
}

fn sh(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{name}"))
}

fn objects<'a, 'b>(
    graph: &'a Graph,
    subject: impl Into<NamedOrBlankNodeRef<'b>>,
    predicate: &'b NamedNode,
) -> Vec<TermRef<'a>> {
    graph
        .objects_for_subject_predicate(subject, predicate)
        .collect()
}

fn object<'a, 'b>(
    graph: &'a Graph,
    subject: impl Into<NamedOrBlankNodeRef<'b>>,
    predicate: &'b NamedNode,
) -> Option<TermRef<'a>> {
    graph.object_for_subject_predicate(subject, predicate)
}

/// The members of an RDF list.
fn list<'a>(graph: &'a Graph, head: TermRef<'a>) -> Result<Vec<TermRef<'a>>> {
    let mut items = Vec::new();
    let mut node = head;
    while node != TermRef::from(rdf::NIL) {
        let subject = as_subject(node)?;
        let first = graph
            .object_for_subject_predicate(subject, rdf::FIRST)
            .ok_or_else(|| shape_error("an RDF list without rdf:first"))?;
        items.push(first);
        node = graph
            .object_for_subject_predicate(subject, rdf::REST)
            .ok_or_else(|| shape_error("an RDF list without rdf:rest"))?;
    }
    Ok(items)
}

fn as_subject(term: TermRef<'_>) -> Result<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Ok(n.into()),
        TermRef::BlankNode(b) => Ok(b.into()),
        _ => Err(shape_error("a literal where a shape node was expected")),
    }
}

fn shape_error(message: &str) -> Error {
    Error::Data {
        path: "ontology/shapes.ttl".to_owned(),
        position: None,
        message: message.to_owned(),
    }
}

fn integer(term: TermRef<'_>) -> Result<u64> {
    match term {
        TermRef::Literal(l) => l
            .value()
            .parse()
            .map_err(|_| shape_error("a count that is not a non-negative integer")),
        _ => Err(shape_error("a count that is not a literal")),
    }
}

/// The namespace of the shapes, shown as `ffsh:`.
pub const SHAPES_NS: &str = "https://w3id.org/ffkg/shapes#";

fn name(term: impl Into<NamedOrBlankNode>) -> String {
    match term.into() {
        NamedOrBlankNode::NamedNode(n) => match n.as_str().strip_prefix(SHAPES_NS) {
            Some(local) => format!("ffsh:{local}"),
            None => PrefixMap::default()
                .shorten(n.as_str())
                .unwrap_or_else(|| format!("<{}>", n.as_str())),
        },
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// The targets of a shape, as a graph pattern binding ?this.
fn target_pattern(class: &str) -> String {
    format!("?this rdf:type/rdfs:subClassOf* {class} .")
}

/// The constraint parameters this validator knows, for the "unsupported" check.
const PROPERTY_PARAMETERS: &[&str] = &[
    "path",
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "nodeKind",
    "in",
    "pattern",
    "hasValue",
    "or",
    "message",
    "name",
    "description",
];

fn shape_checks(graph: &Graph) -> Result<Vec<Check>> {
    let mut checks = Vec::new();
    let target_class = sh("targetClass");
    for triple in graph.triples_for_predicate(&target_class) {
        let shape = triple.subject.into_owned();
        let TermRef::NamedNode(class) = triple.object else {
            return Err(shape_error("sh:targetClass must be an IRI"));
        };
        let class = format!("<{}>", class.as_str());
        let shape_name = name(shape.clone());
        let targets = target_pattern(&class);
        if let Some(kind) = object(graph, &shape, &sh("nodeKind")) {
            checks.push(Check {
                source: shape_name.clone(),
                shape: Some(shape.clone()),
                path: None,
                message: format!("must be {}", node_kind_words(kind)?),
                query: format!(
                    "SELECT DISTINCT ?this WHERE {{ {targets} FILTER(!({})) }}",
                    node_kind_test(kind, "?this")?
                ),
            });
        }
        for property in objects(graph, &shape, &sh("property")) {
            checks.extend(property_checks(
                graph,
                as_subject(property)?,
                &shape,
                &targets,
            )?);
        }
        for sparql in objects(graph, &shape, &sh("sparql")) {
            let node = as_subject(sparql)?;
            let select = object(graph, node, &sh("select"))
                .ok_or_else(|| shape_error("sh:sparql without sh:select"))?;
            let TermRef::Literal(select) = select else {
                return Err(shape_error("sh:select must be a string"));
            };
            checks.push(Check {
                source: shape_name.clone(),
                shape: Some(shape.clone()),
                path: None,
                message: message(graph, node).unwrap_or_else(|| "SPARQL constraint".to_owned()),
                query: select.value().to_owned(),
            });
        }
    }
    Ok(checks)
}

fn message(graph: &Graph, node: NamedOrBlankNodeRef<'_>) -> Option<String> {
    match object(graph, node, &sh("message"))? {
        TermRef::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }
}

fn property_checks(
    graph: &Graph,
    property: NamedOrBlankNodeRef<'_>,
    shape: &NamedOrBlankNode,
    targets: &str,
) -> Result<Vec<Check>> {
    let shape_name = &name(shape.clone());
    for triple in graph.triples_for_subject(property) {
        let parameter = triple.predicate.as_str();
        if let Some(local) = parameter.strip_prefix(SH) {
            if !PROPERTY_PARAMETERS.contains(&local) {
                return Err(shape_error(&format!(
                    "sh:{local} in {shape_name} is not supported by ffkg's SHACL subset"
                )));
            }
        }
    }
    let Some(TermRef::NamedNode(path)) = object(graph, property, &sh("path")) else {
        return Err(shape_error(&format!(
            "{shape_name}: ffkg supports only IRI paths in property shapes"
        )));
    };
    let path = path.into_owned();
    let p = format!("<{}>", path.as_str());
    let short = name(path.clone());
    let custom = message(graph, property);
    let mut checks = Vec::new();
    let mut add = |default: String, query: String| {
        checks.push(Check {
            source: shape_name.to_owned(),
            shape: Some(shape.clone()),
            path: Some(path.clone()),
            message: custom.clone().unwrap_or(default),
            query,
        });
    };
    let values = format!("{targets} ?this {p} ?value .");
    if let Some(min) = object(graph, property, &sh("minCount")) {
        let min = integer(min)?;
        add(
            format!("needs at least {min} value(s) of {short}"),
            format!(
                "SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {p} ?v }} }} \
                 GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {min})"
            ),
        );
    }
    if let Some(max) = object(graph, property, &sh("maxCount")) {
        let max = integer(max)?;
        add(
            format!("allows at most {max} value(s) of {short}"),
            format!(
                "SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {max})"
            ),
        );
    }
    if let Some(TermRef::NamedNode(datatype)) = object(graph, property, &sh("datatype")) {
        add(
            format!(
                "values of {short} must have datatype {}",
                name(datatype.into_owned())
            ),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!({})) }}",
                datatype_test(datatype.as_str())
            ),
        );
    }
    if let Some(TermRef::NamedNode(class)) = object(graph, property, &sh("class")) {
        add(
            format!(
                "values of {short} must be instances of {}",
                name(class.into_owned())
            ),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!({})) }}",
                class_test(class.as_str())
            ),
        );
    }
    if let Some(kind) = object(graph, property, &sh("nodeKind")) {
        add(
            format!("values of {short} must be {}", node_kind_words(kind)?),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!({})) }}",
                node_kind_test(kind, "?value")?
            ),
        );
    }
    if let Some(head) = object(graph, property, &sh("in")) {
        let members: Vec<String> = list(graph, head)?.iter().map(|t| t.to_string()).collect();
        add(
            format!("values of {short} must be one of {}", members.join(", ")),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(?value NOT IN ({})) }}",
                members.join(", ")
            ),
        );
    }
    if let Some(TermRef::Literal(pattern)) = object(graph, property, &sh("pattern")) {
        let quoted = oxigraph::model::Literal::new_simple_literal(pattern.value()).to_string();
        add(
            format!("values of {short} must match {}", pattern.value()),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!REGEX(STR(?value), {quoted})) }}"
            ),
        );
    }
    if let Some(value) = object(graph, property, &sh("hasValue")) {
        add(
            format!("needs the value {value} for {short}"),
            format!("SELECT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ ?this {p} {value} }} }}"),
        );
    }
    if let Some(head) = object(graph, property, &sh("or")) {
        let mut alternatives = Vec::new();
        for alternative in list(graph, head)? {
            let node = as_subject(alternative)?;
            if let Some(TermRef::NamedNode(d)) = object(graph, node, &sh("datatype")) {
                alternatives.push((datatype_test(d.as_str()), name(d.into_owned())));
            } else if let Some(TermRef::NamedNode(c)) = object(graph, node, &sh("class")) {
                alternatives.push((class_test(c.as_str()), name(c.into_owned())));
            } else {
                return Err(shape_error(&format!(
                    "{shape_name}: sh:or alternatives must each be one sh:datatype or sh:class"
                )));
            }
        }
        let tests: Vec<&str> = alternatives.iter().map(|(t, _)| t.as_str()).collect();
        let words: Vec<&str> = alternatives.iter().map(|(_, w)| w.as_str()).collect();
        add(
            format!("values of {short} must be one of {}", words.join(", ")),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!({})) }}",
                tests.join(" || ")
            ),
        );
    }
    Ok(checks)
}

fn datatype_test(datatype: &str) -> String {
    format!("isLiteral(?value) && DATATYPE(?value) = <{datatype}>")
}

fn class_test(class: &str) -> String {
    format!("EXISTS {{ ?value rdf:type/rdfs:subClassOf* <{class}> }}")
}

fn node_kind_test(kind: TermRef<'_>, variable: &str) -> Result<String> {
    let TermRef::NamedNode(kind) = kind else {
        return Err(shape_error("sh:nodeKind must be an IRI"));
    };
    Ok(match kind.as_str().strip_prefix(SH) {
        Some("IRI") => format!("isIRI({variable})"),
        Some("Literal") => format!("isLiteral({variable})"),
        Some("BlankNode") => format!("isBlank({variable})"),
        Some("BlankNodeOrIRI") => format!("!isLiteral({variable})"),
        Some("IRIOrLiteral") => format!("!isBlank({variable})"),
        Some("BlankNodeOrLiteral") => format!("!isIRI({variable})"),
        _ => return Err(shape_error("unknown sh:nodeKind")),
    })
}

fn node_kind_words(kind: TermRef<'_>) -> Result<&'static str> {
    let TermRef::NamedNode(kind) = kind else {
        return Err(shape_error("sh:nodeKind must be an IRI"));
    };
    Ok(match kind.as_str().strip_prefix(SH) {
        Some("IRI") => "an IRI",
        Some("Literal") => "a literal",
        Some("BlankNode") => "a blank node",
        Some("BlankNodeOrIRI") => "an IRI or a blank node",
        Some("IRIOrLiteral") => "an IRI or a literal",
        Some("BlankNodeOrLiteral") => "a blank node or a literal",
        _ => return Err(shape_error("unknown sh:nodeKind")),
    })
}

/// The ontology's rules: values of its properties have the kind and datatype its ranges say,
/// and typed literals are well formed.
fn ontology_checks() -> Vec<Check> {
    let mut checks = vec![Check {
        source: "ontology".to_owned(),
        shape: None,
        path: None,
        message: "a value of an ff: datatype property must be a literal of its range \
                  (xsd:decimal accepts integers; xsd:string accepts language-tagged strings)"
            .to_owned(),
        query: "SELECT ?this ?value WHERE {
                  ?property a owl:DatatypeProperty ; rdfs:range ?range .
                  FILTER(STRSTARTS(STR(?property), STR(ff:)) && ?range != rdfs:Literal)
                  ?this ?property ?value .
                  FILTER(!isLiteral(?value) || !(DATATYPE(?value) = ?range
                    || (?range = xsd:decimal && DATATYPE(?value) = xsd:integer)
                    || (?range = xsd:string && DATATYPE(?value) = rdf:langString)))
                }"
        .to_owned(),
    }];
    checks.push(Check {
        source: "ontology".to_owned(),
        shape: None,
        path: None,
        message: "a value of an ff: object property must be an IRI or a blank node".to_owned(),
        query: "SELECT ?this ?value WHERE {
                  ?property a owl:ObjectProperty .
                  FILTER(STRSTARTS(STR(?property), STR(ff:)))
                  ?this ?property ?value .
                  FILTER(isLiteral(?value))
                }"
        .to_owned(),
    });
    // A cast back to the literal's own datatype fails for an ill-formed lexical form.
    for datatype in [
        xsd::INTEGER,
        xsd::DECIMAL,
        xsd::DOUBLE,
        xsd::BOOLEAN,
        xsd::DATE,
        xsd::DATE_TIME,
        xsd::G_YEAR,
        xsd::G_YEAR_MONTH,
    ] {
        let d = datatype.as_str();
        checks.push(Check {
            source: "ontology".to_owned(),
            shape: None,
            path: None,
            message: format!("an ill-formed {} literal", name(datatype.into_owned())),
            query: format!(
                "SELECT ?this ?value WHERE {{ ?this ?p ?value .
                   FILTER(isLiteral(?value) && DATATYPE(?value) = <{d}>)
                   BIND(<{d}>(STR(?value)) AS ?cast)
                   FILTER(!BOUND(?cast) || STR(?cast) = \"\") }}"
            ),
        });
    }
    checks
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

/// The report as people read it: one line per violation, then a summary.
pub fn render_text(report: &Report, prefixes: &PrefixMap) -> String {
    let mut text = String::new();
    for v in &report.violations {
        let focus = display_term(&v.focus, prefixes).0;
        let path = v
            .path
            .as_ref()
            .map(|p| format!(" {}", display_term(&p.clone().into(), prefixes).0))
            .unwrap_or_default();
        let value = v
            .value
            .as_ref()
            .map(|t| format!(" (value: {})", shown_value(t, prefixes)))
            .unwrap_or_default();
        let _ = writeln!(text, "{focus}{path}: {}{value} [{}]", v.message, v.source);
    }
    let resources: BTreeSet<String> = report
        .violations
        .iter()
        .map(|v| v.focus.to_string())
        .collect();
    if report.conforms() {
        let _ = writeln!(
            text,
            "conforms: {} resources checked against {} constraints",
            report.focus_nodes, report.constraints
        );
    } else {
        let _ = writeln!(
            text,
            "{} violation(s) in {} resource(s); {} resources checked against {} constraints",
            report.violations.len(),
            resources.len(),
            report.focus_nodes,
            report.constraints
        );
    }
    text
}

fn shown_value(term: &Term, prefixes: &PrefixMap) -> String {
    match term {
        Term::Literal(_) => term.to_string(),
        other => display_term(other, prefixes).0,
    }
}

/// The report as a SHACL validation report graph (sh:ValidationReport).
pub fn report_graph(report: &Report) -> Graph {
    use oxigraph::model::{BlankNode, Literal, Triple};
    let mut graph = Graph::new();
    let root = BlankNode::default();
    graph.insert(&Triple::new(
        root.clone(),
        rdf::TYPE,
        sh("ValidationReport"),
    ));
    graph.insert(&Triple::new(
        root.clone(),
        sh("conforms"),
        Literal::from(report.conforms()),
    ));
    for v in &report.violations {
        let result = BlankNode::default();
        graph.insert(&Triple::new(root.clone(), sh("result"), result.clone()));
        graph.insert(&Triple::new(
            result.clone(),
            rdf::TYPE,
            sh("ValidationResult"),
        ));
        graph.insert(&Triple::new(
            result.clone(),
            sh("resultSeverity"),
            sh("Violation"),
        ));
        graph.insert(&Triple::new(
            result.clone(),
            sh("focusNode"),
            v.focus.clone(),
        ));
        if let Some(path) = &v.path {
            graph.insert(&Triple::new(result.clone(), sh("resultPath"), path.clone()));
        }
        if let Some(value) = &v.value {
            graph.insert(&Triple::new(result.clone(), sh("value"), value.clone()));
        }
        graph.insert(&Triple::new(
            result.clone(),
            sh("resultMessage"),
            Literal::new_simple_literal(&v.message),
        ));
        if let Some(shape) = &v.shape {
            graph.insert(&Triple::new(result, sh("sourceShape"), shape.clone()));
        }
    }
    graph
}
