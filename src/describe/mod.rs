//! What the REPL tells about the graph itself: `.describe` cards of a resource (labels, types,
//! relations in and out, and for a figure its value, bounds, source and quote), the queries
//! behind `.find` and `.schema`, and `.explain`'s plan as an indented tree.
//!
//! Generated queries spell IRIs in full, so they work whatever the session's prefixes are.

use crate::data::Backend;
use crate::engine;
use crate::error::{Error, Result};
use crate::sparql::prefixes::{FF, PrefixMap};
use crate::sparql::{Settings, Source};
use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::CancellationToken;
use std::collections::BTreeMap;
use std::fmt::Write as _;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const OWL: &str = "http://www.w3.org/2002/07/owl#";

/// The properties that name a resource, best first.
fn label_path() -> String {
    format!("<{RDFS}label>|<{SKOS}prefLabel>|<{DCTERMS}title>")
}

/// The properties that name a resource or give an alias.
fn any_label_path() -> String {
    format!("<{RDFS}label>|<{SKOS}prefLabel>|<{SKOS}altLabel>|<{DCTERMS}title>")
}

/// Runs SELECT queries for the cards, cancellable with the session's token.
pub struct Lookup<'a> {
    pub dataset: &'a dyn Backend,
    pub settings: &'a Settings,
    pub token: CancellationToken,
}

impl std::fmt::Debug for Lookup<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lookup").finish_non_exhaustive()
    }
}

impl Lookup<'_> {
    /// The rows of a SELECT query, each value in the order of the projection.
    pub fn rows(&self, text: &str) -> Result<Vec<Vec<Option<Term>>>> {
        let source = Source::new("describe", text);
        Ok(engine::select(self.dataset, self.settings, &source, &self.token)?.rows)
    }

    /// Finds the resource a user means: `<iri>`, a prefixed name, a bare IRI, or a label
    /// (exactly, ignoring case; else the one resource whose label contains it).
    pub fn resolve(&self, term: &str) -> Result<NamedNode> {
        let term = term.trim();
        if let Some(iri) = term.strip_prefix('<').and_then(|t| t.strip_suffix('>')) {
            return NamedNode::new(iri)
                .map_err(|e| Error::usage(format!("<{iri}> is not an IRI: {e}")));
        }
        if !term.contains(char::is_whitespace) {
            if let Some(iri) = self.settings.prefixes.expand(term) {
                return NamedNode::new(&iri)
                    .map_err(|e| Error::usage(format!("{term} is not a valid name: {e}")));
            }
            if term.starts_with("http://") || term.starts_with("https://") {
                if let Ok(node) = NamedNode::new(term) {
                    return Ok(node);
                }
            }
        }
        let text = Literal::new_simple_literal(term.to_lowercase());
        let exact = self.rows(&format!(
            "SELECT DISTINCT ?s (SAMPLE(?l) AS ?label) WHERE {{ ?s {} ?l . \
             FILTER(isIRI(?s) && LCASE(STR(?l)) = {text}) }} GROUP BY ?s ORDER BY ?s",
            any_label_path()
        ))?;
        let found = named(&exact);
        match found.as_slice() {
            [(one, _)] => return Ok(one.clone()),
            [] => {}
            several => {
                return Err(Error::usage(format!(
                    "'{term}' names {} resources — .describe one of them:\n{}",
                    several.len(),
                    self.listing(several)
                )));
            }
        }
        let near = self.rows(&find_query(term))?;
        let near: Vec<(NamedNode, String)> = near
            .iter()
            .filter_map(|row| match (row.first(), row.get(1)) {
                (Some(Some(Term::NamedNode(n))), Some(Some(Term::Literal(l)))) => {
                    Some((n.clone(), l.value().to_owned()))
                }
                _ => None,
            })
            .collect();
        match near.as_slice() {
            [(one, _)] => Ok(one.clone()),
            [] => Err(Error::usage(format!(
                "nothing is called '{term}': try .find with part of the name, or a prefixed name"
            ))),
            several => {
                let shown = &several[..several.len().min(12)];
                let more = several.len() - shown.len();
                let mut text = format!(
                    "no resource is called '{term}'; these names contain it — .describe one of them:\n{}",
                    self.listing(shown)
                );
                if more > 0 {
                    let _ = write!(text, "\n  … and {more} more (.find {term})");
                }
                Err(Error::usage(text))
            }
        }
    }

    fn listing(&self, items: &[(NamedNode, String)]) -> String {
        items
            .iter()
            .map(|(node, label)| format!("  {}  {label}", name_of(node, &self.settings.prefixes)))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// A card of `node`, wrapped to `width` columns.
    pub fn card(&self, node: &NamedNode, width: usize) -> Result<String> {
        let prefixes = &self.settings.prefixes;
        let iri = node.as_str();
        let out = self.rows(&format!(
            "SELECT ?p ?o ?label WHERE {{ <{iri}> ?p ?o OPTIONAL {{ ?o {} ?label }} }}",
            label_path()
        ))?;
        let counts = self.rows(&format!(
            "SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p <{iri}> }} GROUP BY ?p ORDER BY ?p"
        ))?;
        let samples = self.rows(&format!(
            "SELECT ?s ?p ?label WHERE {{ ?s ?p <{iri}> OPTIONAL {{ ?s {} ?label }} }} LIMIT 5000",
            label_path()
        ))?;
        if out.is_empty() && counts.is_empty() {
            return Err(Error::usage(format!(
                "nothing in the graph mentions {}",
                name_of(node, prefixes)
            )));
        }
        let out = Relations::from_rows(&out);
        let mut card = Card::new(width);

        let title = out
            .first_literal(&format!("{RDFS}label"))
            .or_else(|| out.first_literal(&format!("{SKOS}prefLabel")))
            .or_else(|| out.first_literal(&format!("{DCTERMS}title")));
        let name = name_of(node, prefixes);
        match &title {
            Some(title) if *title != name => card.line(&format!("{name} — {title}")),
            _ => card.line(&name),
        }
        if prefixes.shorten(iri).is_some() {
            card.line(&format!("  <{iri}>"));
        }
        let mut shown: Vec<String> = vec![format!("{RDFS}label")];
        card.field("type", &out.values(RDF_TYPE, prefixes).join(", "));
        card.field(
            "also called",
            &out.values(&format!("{SKOS}altLabel"), prefixes).join(", "),
        );
        for comment in out.values(&format!("{RDFS}comment"), prefixes) {
            card.field("comment", &comment);
        }
        shown.extend([
            RDF_TYPE.to_owned(),
            format!("{SKOS}altLabel"),
            format!("{RDFS}comment"),
        ]);

        if out.has(&format!("{FF}printedValue")) || out.has(&format!("{FF}quote")) {
            let is_figure = out.has(&format!("{FF}printedValue"));
            card.blank();
            card.line(if is_figure { "Figure" } else { "Source" });
            let ff = |local: &str| format!("{FF}{local}");
            let one = |local: &str| out.values(&ff(local), prefixes).join(", ");
            card.field("value", &one("printedValue"));
            if is_figure {
                card.field("bounds", &bounds(&out, prefixes));
            }
            for (label, local) in [
                ("unit", "unit"),
                ("measure", "measure"),
                ("about", "about"),
                ("as of", "asOf"),
                ("from", "periodStart"),
                ("to", "periodEnd"),
                ("destination", "destination"),
                ("group", "concernsGroup"),
                ("source", "statedIn"),
                ("reported in", "reportedIn"),
                ("attributed to", "attributedTo"),
                ("table", "inTable"),
                ("row", "tableRow"),
                ("column", "tableColumn"),
                ("footnote", "footnote"),
                ("row footnote", "rowFootnote"),
            ] {
                card.field(label, &one(local));
            }
            for quote in out.values(&ff("quote"), prefixes) {
                card.field("quote", &format!("“{quote}”"));
            }
            shown.extend(
                [
                    "printedValue",
                    "qualifier",
                    "lowerBound",
                    "upperBound",
                    "unit",
                    "measure",
                    "about",
                    "asOf",
                    "periodStart",
                    "periodEnd",
                    "destination",
                    "concernsGroup",
                    "statedIn",
                    "reportedIn",
                    "attributedTo",
                    "inTable",
                    "tableRow",
                    "tableColumn",
                    "footnote",
                    "rowFootnote",
                    "quote",
                ]
                .map(ff),
            );
        }

        let rest: Vec<&String> = out
            .order
            .iter()
            .filter(|p| !shown.contains(p) || (**p == format!("{RDFS}label") && out.count(p) > 1))
            .collect();
        if !rest.is_empty() {
            card.blank();
            card.line("Relations");
            let labels: Vec<String> = rest.iter().map(|p| short(p, prefixes)).collect();
            let pad = column(&labels);
            for (predicate, label) in rest.iter().zip(&labels) {
                let values = out.values(predicate, prefixes);
                card.list(label, &values, 20, None, pad);
            }
        }

        if !counts.is_empty() {
            let total: u64 = counts.iter().filter_map(|r| number(r.get(1))).sum();
            card.blank();
            card.line(&format!("Referenced by ({total})"));
            let mut by_predicate: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
            for row in &samples {
                if let (Some(Some(subject)), Some(Some(Term::NamedNode(p)))) =
                    (row.first(), row.get(1))
                {
                    let entry = by_predicate.entry(p.as_str().to_owned()).or_default();
                    let shown = show(subject, label_of(row.get(2)), prefixes);
                    if !entry.iter().any(|(s, _)| *s == shown) {
                        entry.push((shown, sort_key(row.get(2), subject)));
                    }
                }
            }
            let labels: Vec<String> = counts
                .iter()
                .filter_map(|row| match row.first() {
                    Some(Some(Term::NamedNode(p))) => {
                        Some(format!("← {}", short(p.as_str(), prefixes)))
                    }
                    _ => None,
                })
                .collect();
            let pad = column(&labels);
            for row in &counts {
                let (Some(Some(Term::NamedNode(p))), Some(n)) = (row.first(), number(row.get(1)))
                else {
                    continue;
                };
                let mut subjects = by_predicate.remove(p.as_str()).unwrap_or_default();
                subjects.sort_by(|a, b| a.1.cmp(&b.1));
                let values: Vec<String> = subjects.into_iter().map(|(s, _)| s).collect();
                let label = format!("← {}", short(p.as_str(), prefixes));
                let query = format!(
                    "SELECT ?s WHERE {{ ?s {} {} }}",
                    short(p.as_str(), prefixes),
                    name_of(node, prefixes)
                );
                card.list(&label, &values, 8, Some((n, query)), pad);
            }
        }
        Ok(card.finish())
    }
}

/// The resources of rows whose first value is an IRI, with the label in the second.
fn named(rows: &[Vec<Option<Term>>]) -> Vec<(NamedNode, String)> {
    rows.iter()
        .filter_map(|row| match row.first() {
            Some(Some(Term::NamedNode(n))) => Some((
                n.clone(),
                label_of(row.get(1)).unwrap_or_default().to_owned(),
            )),
            _ => None,
        })
        .collect()
}

fn label_of(value: Option<&Option<Term>>) -> Option<&str> {
    match value {
        Some(Some(Term::Literal(l))) => Some(l.value()),
        _ => None,
    }
}

fn number(value: Option<&Option<Term>>) -> Option<u64> {
    label_of(value).and_then(|v| v.parse().ok())
}

fn sort_key(label: Option<&Option<Term>>, term: &Term) -> String {
    label_of(label).map_or_else(|| term.to_string(), str::to_lowercase)
}

/// A prefixed name, or `<iri>`.
pub fn name_of(node: &NamedNode, prefixes: &PrefixMap) -> String {
    short(node.as_str(), prefixes)
}

fn short(iri: &str, prefixes: &PrefixMap) -> String {
    prefixes.shorten(iri).unwrap_or_else(|| format!("<{iri}>"))
}

/// A value as people read it: a resource by name with its label, a literal's text.
fn show(term: &Term, label: Option<&str>, prefixes: &PrefixMap) -> String {
    match (term, label) {
        (Term::NamedNode(n), Some(label)) => format!("{} ({label})", name_of(n, prefixes)),
        (term, _) => crate::output::table::display_term(term, prefixes).0,
    }
}

/// A resource's outgoing relations: values per predicate in first-seen order, each with the
/// label of the value when it has one.
struct Relations {
    order: Vec<String>,
    values: BTreeMap<String, Vec<(Term, Option<String>)>>,
}

impl Relations {
    fn from_rows(rows: &[Vec<Option<Term>>]) -> Self {
        let mut order = Vec::new();
        let mut values: BTreeMap<String, Vec<(Term, Option<String>)>> = BTreeMap::new();
        for row in rows {
            let (Some(Some(Term::NamedNode(p))), Some(Some(o))) = (row.first(), row.get(1)) else {
                continue;
            };
            let entry = values.entry(p.as_str().to_owned()).or_insert_with(|| {
                order.push(p.as_str().to_owned());
                Vec::new()
            });
            // A value with several labels comes once, with its first label.
            if !entry.iter().any(|(t, _)| t == o) {
                entry.push((o.clone(), label_of(row.get(2)).map(str::to_owned)));
            }
        }
        order.sort();
        Self { order, values }
    }

    fn has(&self, predicate: &str) -> bool {
        self.values.contains_key(predicate)
    }

    fn count(&self, predicate: &str) -> usize {
        self.values.get(predicate).map_or(0, Vec::len)
    }

    fn first_literal(&self, predicate: &str) -> Option<String> {
        self.values
            .get(predicate)?
            .iter()
            .find_map(|(t, _)| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
    }

    fn values(&self, predicate: &str, prefixes: &PrefixMap) -> Vec<String> {
        self.values
            .get(predicate)
            .map(|values| {
                values
                    .iter()
                    .map(|(term, label)| show(term, label.as_deref(), prefixes))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn number(&self, predicate: &str) -> Option<String> {
        self.values
            .get(predicate)?
            .iter()
            .find_map(|(t, _)| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
    }
}

/// A figure's bounds in words, with its qualifier.
fn bounds(out: &Relations, prefixes: &PrefixMap) -> String {
    let lower = out.number(&format!("{FF}lowerBound"));
    let upper = out.number(&format!("{FF}upperBound"));
    let range = match (lower, upper) {
        (Some(l), Some(u)) if l == u => format!("exactly {l}"),
        (Some(l), Some(u)) => format!("{l} to {u}"),
        (Some(l), None) => format!("from {l}, no upper bound"),
        (None, Some(u)) => format!("up to {u}, no lower bound"),
        (None, None) => "none stated".to_owned(),
    };
    let qualifier = out.values(&format!("{FF}qualifier"), prefixes).join(", ");
    if qualifier.is_empty() {
        range
    } else {
        format!("{range} — {qualifier}")
    }
}

/// A card's text: fields aligned in a column, long values wrapped under themselves.
struct Card {
    text: String,
    width: usize,
}

/// Where values start on a card line.
const LABEL_WIDTH: usize = 16;

impl Card {
    fn new(width: usize) -> Self {
        Self {
            text: String::new(),
            width: width.max(40),
        }
    }

    fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
    }

    fn blank(&mut self) {
        self.text.push('\n');
    }

    /// `  label         value`, skipped when the value is empty.
    fn field(&mut self, label: &str, value: &str) {
        let pad = pad_for(label);
        self.field_padded(label, value, pad);
    }

    fn field_padded(&mut self, label: &str, value: &str, pad: usize) {
        if value.is_empty() {
            return;
        }
        let lines = wrap(value, self.width.saturating_sub(pad).max(20));
        for (i, line) in lines.iter().enumerate() {
            if i == 0 {
                let _ = writeln!(self.text, "  {label:<w$} {line}", w = pad - 3);
            } else {
                let _ = writeln!(self.text, "{:pad$}{line}", "");
            }
        }
    }

    /// Several values under one label, at most `max`; then how many more there are (of
    /// `total` when given) and the query that lists them.
    fn list(
        &mut self,
        label: &str,
        values: &[String],
        max: usize,
        total: Option<(u64, String)>,
        pad: usize,
    ) {
        let shown = &values[..values.len().min(max)];
        for (i, value) in shown.iter().enumerate() {
            self.field_padded(if i == 0 { label } else { "" }, value, pad);
        }
        let (total, query) = match total {
            Some((n, query)) => (n, Some(query)),
            None => (values.len() as u64, None),
        };
        let more = total.saturating_sub(shown.len() as u64);
        if more > 0 {
            let text = match query {
                Some(query) => format!("… {more} more: {query}"),
                None => format!("… {more} more"),
            };
            self.field_padded("", &text, pad);
        }
    }

    fn finish(self) -> String {
        self.text
    }
}

/// Where the values of a label start: a common column unless the label is longer.
fn pad_for(label: &str) -> usize {
    LABEL_WIDTH.max(label.chars().count() + 3)
}

/// Where the values of a section start: after its longest label, within reason.
fn column(labels: &[String]) -> usize {
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    LABEL_WIDTH.max(longest.min(32) + 3)
}

/// Splits text into lines of at most `width` characters at spaces (longer words stay whole).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `.find TEXT`: resources whose label or alias contains the text, ignoring case; names that
/// are figures or quotations come last, shorter names first.
pub fn find_query(text: &str) -> String {
    let text = Literal::new_simple_literal(text.to_lowercase());
    format!(
        "SELECT ?resource ?label ?type WHERE {{\n\
         {{ SELECT ?resource (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (MAX(?minor) AS ?rank) WHERE {{\n\
             ?resource {labels} ?l .\n\
             FILTER(isIRI(?resource) && CONTAINS(LCASE(STR(?l)), {text}))\n\
             OPTIONAL {{ ?resource a ?t }}\n\
             BIND(IF(BOUND(?t) && ?t IN (<{FF}Figure>, <{FF}Quotation>), 1, 0) AS ?minor)\n\
           }} GROUP BY ?resource }}\n\
         }} ORDER BY ?rank STRLEN(?label) ?label",
        labels = any_label_path()
    )
}

/// `.schema`: the classes and the properties, each with its label, how many instances (or
/// triples) use it, and its comment. The declared ones (OWL or RDFS); when the graph declares
/// none, the ones in use.
pub fn schema_queries() -> [(&'static str, String); 2] {
    let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    // A domain or range given as a union of classes is a blank node: list its members.
    let classes_of = |property: &str, var: &str| {
        format!(
            "OPTIONAL {{ ?property <{RDFS}{property}> ?{var}0 FILTER(isIRI(?{var}0)) }}\n\
             OPTIONAL {{ ?property <{RDFS}{property}>/<{OWL}unionOf>/<{rdf}rest>*/<{rdf}first> ?{var}1 }}\n"
        )
    };
    let either = |var: &str| {
        format!(
            "(COALESCE(SAMPLE(?{var}0), GROUP_CONCAT(DISTINCT REPLACE(STR(?{var}1), \"^.*[#/]\", \"\"); separator=\" | \")) AS ?{var})"
        )
    };
    let classes = format!(
        "SELECT ?class (SAMPLE(?l) AS ?label) ?instances (SAMPLE(?c) AS ?comment) WHERE {{\n\
           {{ SELECT ?class (COUNT(DISTINCT ?instance) AS ?instances) WHERE {{\n\
               {{ SELECT DISTINCT ?class WHERE {{\n\
                   {{ ?class a <{OWL}Class> }} UNION {{ ?class a <{RDFS}Class> }}\n\
                   UNION {{ [] a ?class FILTER NOT EXISTS {{ [] a <{OWL}Class> }} FILTER NOT EXISTS {{ [] a <{RDFS}Class> }} }}\n\
                   FILTER(isIRI(?class))\n\
               }} }}\n\
               OPTIONAL {{ ?instance a ?class }}\n\
           }} GROUP BY ?class }}\n\
           OPTIONAL {{ ?class <{RDFS}label> ?l }}\n\
           OPTIONAL {{ ?class <{RDFS}comment> ?c }}\n\
         }} GROUP BY ?class ?instances ORDER BY ?class"
    );
    let properties = format!(
        "SELECT ?property (SAMPLE(?l) AS ?label) ?uses {domain} {range} (SAMPLE(?c) AS ?comment) WHERE {{\n\
           {{ SELECT ?property (COUNT(?s) AS ?uses) WHERE {{\n\
               {{ SELECT DISTINCT ?property WHERE {{\n\
                   {{ ?property a <{OWL}ObjectProperty> }} UNION {{ ?property a <{OWL}DatatypeProperty> }}\n\
                   UNION {{ ?property a <{OWL}AnnotationProperty> }} UNION {{ ?property a <{rdf}Property> }}\n\
                   UNION {{ [] ?property [] FILTER NOT EXISTS {{ [] a <{OWL}ObjectProperty> }} FILTER NOT EXISTS {{ [] a <{OWL}DatatypeProperty> }} FILTER NOT EXISTS {{ [] a <{rdf}Property> }} }}\n\
               }} }}\n\
               OPTIONAL {{ ?s ?property ?o }}\n\
           }} GROUP BY ?property }}\n\
           OPTIONAL {{ ?property <{RDFS}label> ?l }}\n\
           {domains}{ranges}\
           OPTIONAL {{ ?property <{RDFS}comment> ?c }}\n\
         }} GROUP BY ?property ?uses ORDER BY ?property",
        domain = either("domain"),
        range = either("range"),
        domains = classes_of("domain", "domain"),
        ranges = classes_of("range", "range"),
    );
    [("Classes", classes), ("Properties", properties)]
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;
    use crate::data::graph::DatasetSpec;
    use std::path::PathBuf;

    fn sample() -> (Dataset, Settings) {
        let spec = DatasetSpec {
            embedded: false,
            data: vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sample.ttl")],
            ..DatasetSpec::default()
        };
        let mut settings = Settings::default();
        settings.prefixes.insert("ex", "http://example.org/");
        (Dataset::build(&spec).expect("sample data loads"), settings)
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(
            wrap("one two three four", 9),
            vec!["one two", "three", "four"]
        );
        assert_eq!(wrap("", 9), vec![String::new()]);
        assert_eq!(wrap("unbreakable-word x", 4), vec!["unbreakable-word", "x"]);
    }

    #[test]
    fn plans_are_trees() {
        let json = serde_json::json!({
            "planning duration in seconds": 0.001,
            "plan": {"name": "Project <http://example.org/x>", "number of results": 2, "children": [
                {"name": "Join", "children": [
                    {"name": "QuadPattern a", "children": []},
                    {"name": "QuadPattern b", "children": []}
                ]},
                {"name": "Values", "children": []}
            ]}
        });
        let mut prefixes = PrefixMap::empty();
        prefixes.insert("ex", "http://example.org/");
        let tree = plan_tree(&json, &prefixes);
        assert_eq!(
            tree,
            "planned in 1.00 ms\n\
             Project ex:x  · 2 rows\n\
             ├─ Join\n\
             │  ├─ QuadPattern a\n\
             │  └─ QuadPattern b\n\
             └─ Values\n"
        );
    }

    #[test]
    fn resolves_names_labels_and_iris() {
        let (dataset, settings) = sample();
        let lookup = Lookup {
            dataset: &dataset,
            settings: &settings,
            token: CancellationToken::new(),
        };
        let alice = NamedNode::new_unchecked("http://example.org/alice");
        assert_eq!(lookup.resolve("ex:alice").ok(), Some(alice.clone()));
        assert_eq!(
            lookup.resolve("<http://example.org/alice>").ok(),
            Some(alice.clone())
        );
        assert!(lookup.resolve("no such thing anywhere").is_err());
    }

    fn embedded() -> (Dataset, Settings) {
        (
            Dataset::build(&DatasetSpec::embedded()).expect("embedded graph"),
            Settings::default(),
        )
    }

    #[test]
    fn finds_a_country_by_its_label() {
        let (dataset, settings) = embedded();
        let lookup = Lookup {
            dataset: &dataset,
            settings: &settings,
            token: CancellationToken::new(),
        };
        let tunisia = lookup.resolve("tunisia").expect("Tunisia is in the graph");
        assert_eq!(tunisia.as_str(), "https://w3id.org/ffkg/id/country/TUN");
        let card = lookup.card(&tunisia, 100).expect("card");
        assert!(card.starts_with("country:TUN — Tunisia"), "{card}");
        assert!(card.contains("ff:Country"), "{card}");
        assert!(card.contains("Referenced by"), "{card}");
    }

    #[test]
    fn a_figure_card_has_its_value_bounds_source_and_quote() {
        let (dataset, settings) = embedded();
        let lookup = Lookup {
            dataset: &dataset,
            settings: &settings,
            token: CancellationToken::new(),
        };
        let rows = lookup
            .rows(&format!(
                "SELECT ?f ?v ?q WHERE {{ ?f a <{FF}Figure> ; <{FF}printedValue> ?v ; <{FF}quote> ?q ; <{FF}lowerBound> ?l }} LIMIT 1"
            ))
            .expect("query");
        let [
            Some(Term::NamedNode(figure)),
            Some(Term::Literal(value)),
            Some(Term::Literal(quote)),
        ] = rows.first().map(Vec::as_slice).unwrap_or_default()
        else {
            panic!("the graph has a figure with a value, a lower bound and a quote: {rows:?}");
        };
        let card = lookup.card(figure, 100).expect("card");
        assert!(card.contains("\nFigure\n"), "{card}");
        assert!(card.contains(&format!("value{}", " ".repeat(9))), "{card}");
        assert!(card.contains(value.value()), "{card}");
        assert!(card.contains("bounds"), "{card}");
        assert!(card.contains("source"), "{card}");
        let first_words: String = quote
            .value()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(card.contains(&format!("“{first_words}")), "{card}");
    }

    #[test]
    fn cards_show_relations_both_ways() {
        let (dataset, settings) = sample();
        let lookup = Lookup {
            dataset: &dataset,
            settings: &settings,
            token: CancellationToken::new(),
        };
        let bob = NamedNode::new_unchecked("http://example.org/bob");
        let card = lookup.card(&bob, 80).expect("card");
        assert!(card.starts_with("ex:bob"), "{card}");
        assert!(card.contains("Referenced by"), "{card}");
        assert!(card.contains("← ex:knows"), "{card}");
        assert!(card.contains("ex:alice"), "{card}");
        let nobody = NamedNode::new_unchecked("http://example.org/nobody");
        assert!(lookup.card(&nobody, 80).is_err());
    }

    #[test]
    fn find_and_schema_queries_parse() {
        let settings = Settings::default();
        let source = |text: String| Source {
            origin: "t".into(),
            text,
        };
        assert!(
            settings
                .prepare_query(&source(find_query("Tun\"is")), None)
                .is_ok()
        );
        for (_, query) in schema_queries() {
            assert!(settings.prepare_query(&source(query), None).is_ok());
        }
    }
}
