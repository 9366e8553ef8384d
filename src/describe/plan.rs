//! A query plan (oxigraph's explanation) as an indented tree: per step the rows it produced
//! and the time it took, and for each pattern read from the data its estimate — the matches
//! the pattern has on its own, the base cardinality a planner starts from.

#[allow(unused_imports)]
use super::*;
use crate::engine::Statement;
use std::collections::HashMap;

/// Matches past this are not counted for an estimate (it shows as `>N`).
const ESTIMATE_CAP: u64 = 100_000;

/// Runs `statement` (a query) to its end on `dataset` and draws its plan with the estimated
/// and actual rows of each step: what `.explain` and `query --explain` print.
pub fn explained(
    dataset: &dyn Backend,
    statement: &Statement,
    settings: &Settings,
    token: &CancellationToken,
) -> Result<String> {
    let origin = &statement.source.origin;
    let explanation = engine::explain(dataset, statement, token)?;
    let mut json = Vec::new();
    explanation
        .write_in_json(&mut json)
        .map_err(|e| Error::io("<explanation>", e))?;
    let json: serde_json::Value = serde_json::from_slice(&json)
        .map_err(|e| Error::evaluation(origin, format!("unreadable query plan: {e}")))?;
    let mut estimates = HashMap::new();
    let mut estimate = |label: &str| -> Option<Estimate> {
        if let Some(known) = estimates.get(label) {
            return *known;
        }
        let found = estimate_of(dataset, settings, label, token);
        estimates.insert(label.to_owned(), found);
        found
    };
    Ok(plan_tree(&json, &settings.prefixes, &mut estimate))
}

/// The matches a pattern has on its own, counted up to [`ESTIMATE_CAP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    pub rows: u64,
    pub capped: bool,
}

/// The estimate of a plan leaf (`QuadPattern(…)`, `Path(…)`), by counting its pattern's
/// matches; None for other steps and for a label that cannot be read back as a pattern.
fn estimate_of(
    dataset: &dyn Backend,
    settings: &Settings,
    label: &str,
    token: &CancellationToken,
) -> Option<Estimate> {
    let inner = label
        .strip_prefix("QuadPattern(")
        .or_else(|| label.strip_prefix("Path("))?
        .strip_suffix(')')?;
    // The label writes a graph after the object: try the pattern as it is, then with its
    // last term as the graph.
    let mut patterns = vec![format!("{{ {inner} }}")];
    if let Some((triple, graph)) = inner.rsplit_once(' ') {
        patterns.push(format!("{{ GRAPH {graph} {{ {triple} }} }}"));
    }
    let bare = Settings {
        prefixes: PrefixMap::empty(),
        ..settings.clone()
    };
    for pattern in patterns {
        let text = format!(
            "SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {pattern} LIMIT {} }}",
            ESTIMATE_CAP + 1
        );
        let source = Source::new("explain", text);
        let Ok(rows) = engine::select(dataset, &bare, &source, token) else {
            continue;
        };
        let rows = rows.rows.first().and_then(|row| match row.first() {
            Some(Some(Term::Literal(n))) => n.value().parse::<u64>().ok(),
            _ => None,
        })?;
        return Some(Estimate {
            rows: rows.min(ESTIMATE_CAP),
            capped: rows > ESTIMATE_CAP,
        });
    }
    None
}

/// oxigraph's query explanation (its JSON) as an indented tree, one operator a line with the
/// rows it produced and the time it took, and the estimate `estimate` gives for its label;
/// IRIs in the labels are shortened with `prefixes`.
pub fn plan_tree(
    json: &serde_json::Value,
    prefixes: &PrefixMap,
    estimate: &mut dyn FnMut(&str) -> Option<Estimate>,
) -> String {
    let mut out = String::new();
    if let Some(seconds) = json
        .get("planning duration in seconds")
        .and_then(serde_json::Value::as_f64)
    {
        let _ = writeln!(out, "planned in {:.2} ms", seconds * 1000.0);
    }
    if let Some(plan) = json.get("plan") {
        // With no rows anywhere the counts say nothing (the plan may not have been run).
        let counts = any_rows(plan);
        let mut step = Step {
            counts,
            prefixes,
            estimate,
            hidden: HashMap::new(),
            out: &mut out,
        };
        step.node(plan, "", None);
    }
    out
}

/// What drawing each node of a plan needs.
struct Step<'a> {
    counts: bool,
    prefixes: &'a PrefixMap,
    estimate: &'a mut dyn FnMut(&str) -> Option<Estimate>,
    /// The variables the planner made up (`?` and 32 hex digits), by their short names.
    hidden: HashMap<String, usize>,
    out: &'a mut String,
}

impl Step<'_> {
    /// One node; `last` is None for the root, else whether it is its parent's last child.
    fn node(&mut self, node: &serde_json::Value, prefix: &str, last: Option<bool>) {
        let name = node
            .get("name")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("?");
        let branch = match last {
            None => "",
            Some(true) => "└─ ",
            Some(false) => "├─ ",
        };
        let mut stats = String::new();
        if let Some(estimate) = (self.estimate)(name) {
            let over = if estimate.capped { ">" } else { "" };
            let _ = write!(stats, "  · est {over}{}", estimate.rows);
        }
        if let Some(rows) = node
            .get("number of results")
            .and_then(serde_json::Value::as_u64)
            .filter(|_| self.counts)
        {
            let lead = if stats.is_empty() { "  · " } else { " · " };
            let noun = if rows == 1 { "row" } else { "rows" };
            let _ = write!(stats, "{lead}{rows} {noun}");
        }
        if let Some(seconds) = node
            .get("duration in seconds")
            .and_then(serde_json::Value::as_f64)
        {
            let _ = write!(stats, " · {:.2} ms", seconds * 1000.0);
        }
        let label = self.short_variables(&shorten_iris(name, self.prefixes));
        let _ = writeln!(self.out, "{prefix}{branch}{label}{stats}");
        let child_prefix = match last {
            None => String::new(),
            Some(true) => format!("{prefix}   "),
            Some(false) => format!("{prefix}│  "),
        };
        let children = node
            .get("children")
            .and_then(serde_json::Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        for (i, child) in children.iter().enumerate() {
            self.node(child, &child_prefix, Some(i + 1 == children.len()));
        }
    }
}

impl Step<'_> {
    /// `text` with each variable the planner made up (for a blank node or a path's middle)
    /// named `?_1`, `?_2` … in the order met, the same name throughout the plan.
    fn short_variables(&mut self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(at) = rest.find('?') {
            out.push_str(&rest[..at]);
            let name: String = rest[at + 1..]
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            if name.len() == 32 && name.chars().all(|c| c.is_ascii_hexdigit()) {
                let next = self.hidden.len() + 1;
                let n = *self.hidden.entry(name.clone()).or_insert(next);
                let _ = write!(out, "?_{n}");
            } else {
                out.push('?');
                out.push_str(&name);
            }
            rest = &rest[at + 1 + name.len()..];
        }
        out.push_str(rest);
        out
    }
}

/// True when some node of the plan produced rows.
fn any_rows(node: &serde_json::Value) -> bool {
    node.get("number of results")
        .and_then(serde_json::Value::as_u64)
        .is_some_and(|n| n > 0)
        || node
            .get("children")
            .and_then(serde_json::Value::as_array)
            .is_some_and(|children| children.iter().any(any_rows))
}

/// Replaces each `<iri>` in a text by its prefixed name when one fits.
fn shorten_iris(text: &str, prefixes: &PrefixMap) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after.find('>') {
            Some(end) if !after[1..end].contains([' ', '<']) => {
                let iri = &after[1..end];
                match prefixes.shorten(iri) {
                    Some(short) => out.push_str(&short),
                    None => out.push_str(&after[..=end]),
                }
                rest = &after[end + 1..];
            }
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
