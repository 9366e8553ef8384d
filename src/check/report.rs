//! The validation report for people (one line per violation) and as a SHACL report graph.

#[allow(unused_imports)]
use super::*;

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
pub fn report_graph(report: &Report) -> Vec<oxigraph::model::Triple> {
    use oxigraph::model::{BlankNode, Literal, NamedNode, Term, Triple};
    let mut graph = Vec::new();
    // Labels that stay the same from run to run, so two reports can be compared line by line.
    let root = BlankNode::new_unchecked("report");
    graph.push(Triple::new(root.clone(), rdf::TYPE, sh("ValidationReport")));
    graph.push(Triple::new(
        root.clone(),
        sh("conforms"),
        Literal::from(report.conforms()),
    ));
    let mut results = Vec::new();
    for (number, v) in report.violations.iter().enumerate() {
        let result = BlankNode::new_unchecked(format!("result{}", number + 1));
        graph.push(Triple::new(root.clone(), sh("result"), result.clone()));
        let mut say = |predicate: NamedNode, object: Term| {
            results.push(Triple::new(result.clone(), predicate, object));
        };
        say(rdf::TYPE.into(), sh("ValidationResult").into());
        say(sh("resultSeverity"), sh("Violation").into());
        say(sh("focusNode"), v.focus.clone());
        if let Some(path) = &v.path {
            say(sh("resultPath"), path.clone().into());
        }
        if let Some(value) = &v.value {
            say(sh("value"), value.clone());
        }
        say(
            sh("resultMessage"),
            Literal::new_simple_literal(&v.message).into(),
        );
        if let Some(component) = v.component {
            say(sh("sourceConstraintComponent"), sh(component).into());
        }
        if let Some(shape) = &v.shape {
            say(sh("sourceShape"), shape.clone().into());
        }
    }
    // The report's own triples first, then each result's.
    graph.extend(results);
    graph
}
