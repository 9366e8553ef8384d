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
