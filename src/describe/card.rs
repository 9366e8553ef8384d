//! The resource card: what `.describe` prints and the linked-data pages show — label, types,
//! comment, aliases, a figure's value, bounds, source and quote, and relations both ways.

#[allow(unused_imports)]
use super::*;

impl Lookup<'_> {
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
pub(super) fn named(rows: &[Vec<Option<Term>>]) -> Vec<(NamedNode, String)> {
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
