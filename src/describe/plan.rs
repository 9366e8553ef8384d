//! A query plan (oxigraph's explanation) as an indented tree with row counts and times.

#[allow(unused_imports)]
use super::*;

/// oxigraph's query explanation (its JSON) as an indented tree, one operator a line with the
/// rows it produced and the time it took; IRIs in the labels are shortened with `prefixes`.
pub fn plan_tree(json: &serde_json::Value, prefixes: &PrefixMap) -> String {
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
        plan_node(plan, "", None, counts, prefixes, &mut out);
    }
    out
}

/// One node; `last` is None for the root, else whether it is its parent's last child.
fn plan_node(
    node: &serde_json::Value,
    prefix: &str,
    last: Option<bool>,
    counts: bool,
    prefixes: &PrefixMap,
    out: &mut String,
) {
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
    if let Some(rows) = node
        .get("number of results")
        .and_then(serde_json::Value::as_u64)
        .filter(|_| counts)
    {
        let _ = write!(
            stats,
            "  · {rows} {}",
            if rows == 1 { "row" } else { "rows" }
        );
    }
    if let Some(seconds) = node
        .get("duration in seconds")
        .and_then(serde_json::Value::as_f64)
    {
        let _ = write!(stats, " · {:.2} ms", seconds * 1000.0);
    }
    let _ = writeln!(
        out,
        "{prefix}{branch}{}{stats}",
        shorten_iris(name, prefixes)
    );
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
        plan_node(
            child,
            &child_prefix,
            Some(i + 1 == children.len()),
            counts,
            prefixes,
            out,
        );
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
