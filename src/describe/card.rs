//! The resource card: what `.describe` prints and the linked-data pages show — label, types,
//! comment, aliases, a figure's value, bounds, source and quote, and relations both ways.

use super::redundant::Shown;
#[allow(unused_imports)]
use super::*;
use std::collections::HashSet;

/// What the graph says of a resource, arranged for people: a card in the REPL
/// ([`Description::card`]) and a page on the endpoint render the same one.
#[derive(Debug, Clone)]
pub struct Description {
    pub node: NamedNode,
    /// Its label (or title), when it has one.
    pub title: Option<String>,
    pub sections: Vec<Section>,
}

/// A part of a description: the resource itself, its figure, its relations, what points to it.
#[derive(Debug, Clone)]
pub struct Section {
    /// None for the first, which says what the resource is.
    pub heading: Option<String>,
    /// Relations, one predicate a field, several values each (else one value a line).
    pub lists: bool,
    pub fields: Vec<Field>,
}

/// A label and its values; `more` says how many values were left out and the query that
/// lists them all.
#[derive(Debug, Clone)]
pub struct Field {
    pub label: String,
    /// The predicate, for a relation.
    pub predicate: Option<NamedNode>,
    pub values: Vec<Value>,
    pub more: Option<(u64, String)>,
}

/// A value as shown: a term with the label of the resource it names, a passage quoted from a
/// source, or words of ffkg's own (a figure's bounds).
#[derive(Debug, Clone)]
pub enum Value {
    Term(Term, Option<String>),
    /// A quote, and where in it (bytes) the figure's printed value stands, when known.
    Quote(String, Option<std::ops::Range<usize>>),
    Text(String),
}

/// Where the printed value stands in the quote, in bytes: from `ff:quoteOffset` (characters),
/// when the quote there reads as the printed value.
fn mark(
    quote: &str,
    printed: Option<&Value>,
    offset: Option<&Value>,
) -> Option<std::ops::Range<usize>> {
    let (Some(Value::Term(Term::Literal(printed), _)), Some(Value::Term(Term::Literal(at), _))) =
        (printed, offset)
    else {
        return None;
    };
    let at: usize = at.value().parse().ok()?;
    let start = quote.char_indices().nth(at).map(|(i, _)| i)?;
    let end = start + printed.value().len();
    (quote.get(start..end) == Some(printed.value())).then_some(start..end)
}

/// Values a relation shows, out and in.
const OUT_SHOWN: usize = 20;
const IN_SHOWN: usize = 8;

impl Lookup<'_> {
    /// A card of `node`, wrapped to `width` columns.
    pub fn card(&self, node: &NamedNode, width: usize) -> Result<String> {
        Ok(self.describe(node)?.card(width, &self.settings.prefixes))
    }

    /// What the graph says of `node`; an error when nothing mentions it.
    pub fn describe(&self, node: &NamedNode) -> Result<Description> {
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
        let title = out
            .first_literal(&format!("{RDFS}label"))
            .or_else(|| out.first_literal(&format!("{SKOS}prefLabel")))
            .or_else(|| out.first_literal(&format!("{DCTERMS}title")));
        let mut sections = Vec::new();
        let mut shown: Vec<String> = vec![format!("{RDFS}label")];

        let mut what = Section::new(None, false);
        what.joined("type", self.most_specific_first(iri, out.terms(RDF_TYPE))?);
        what.joined("also called", out.terms(&format!("{SKOS}altLabel")));
        for comment in out.terms(&format!("{RDFS}comment")) {
            what.joined("comment", vec![comment]);
        }
        sections.push(what);
        shown.extend([
            RDF_TYPE.to_owned(),
            format!("{SKOS}altLabel"),
            format!("{RDFS}comment"),
        ]);

        if out.has(&format!("{FF}printedValue")) || out.has(&format!("{FF}quote")) {
            let is_figure = out.has(&format!("{FF}printedValue"));
            let heading = if is_figure { "Figure" } else { "Source" };
            let mut figure = Section::new(Some(heading.to_owned()), false);
            let ff = |local: &str| format!("{FF}{local}");
            figure.joined("value", out.terms(&ff("printedValue")));
            if is_figure {
                figure.joined("bounds", vec![Value::Text(bounds(&out, prefixes))]);
            }
            for (label, local) in FIGURE_FIELDS {
                figure.joined(label, out.terms(&ff(local)));
            }
            let printed = out.terms(&ff("printedValue"));
            let offset = out.terms(&ff("quoteOffset"));
            for quote in out.terms(&ff("quote")) {
                if let Value::Term(Term::Literal(quote), _) = quote {
                    let mark = mark(quote.value(), printed.first(), offset.first());
                    figure.joined("quote", vec![Value::Quote(quote.value().to_owned(), mark)]);
                }
            }
            sections.push(figure);
            shown.extend(
                [
                    "printedValue",
                    "qualifier",
                    "lowerBound",
                    "upperBound",
                    "quote",
                    "quoteOffset",
                ]
                .into_iter()
                .chain(FIGURE_FIELDS.iter().map(|(_, local)| *local))
                .map(ff),
            );
        }

        let rest: Vec<&String> = out
            .order
            .iter()
            .filter(|p| !shown.contains(p) || (**p == format!("{RDFS}label") && out.count(p) > 1))
            .collect();
        // Who points here, by predicate: a sample of each, in label order.
        let mut by_predicate: BTreeMap<String, Vec<(Term, Option<String>, String)>> =
            BTreeMap::new();
        for row in &samples {
            if let (Some(Some(subject)), Some(Some(Term::NamedNode(p)))) = (row.first(), row.get(1))
            {
                let entry = by_predicate.entry(p.as_str().to_owned()).or_default();
                if !entry.iter().any(|(s, ..)| s == subject) {
                    let label = label_of(row.get(2)).map(str::to_owned);
                    entry.push((subject.clone(), label, sort_key(row.get(2), subject)));
                }
            }
        }
        let redundant = self.redundant(&Shown {
            out: rest
                .iter()
                .map(|p| ((*p).clone(), out.term_set(p)))
                .collect(),
            incoming: counts
                .iter()
                .filter_map(|row| match (row.first(), number(row.get(1))) {
                    (Some(Some(Term::NamedNode(p))), Some(n)) => {
                        let subjects =
                            by_predicate.get(p.as_str()).map_or_else(HashSet::new, |s| {
                                s.iter().map(|(t, ..)| t.clone()).collect()
                            });
                        Some((p.as_str().to_owned(), (n, subjects)))
                    }
                    _ => None,
                })
                .collect(),
        })?;
        let rest: Vec<&String> = rest
            .into_iter()
            .filter(|p| !redundant.out.contains(*p))
            .collect();
        if !rest.is_empty() {
            let mut relations = Section::new(Some("Relations".to_owned()), true);
            for predicate in rest {
                let values = out.terms(predicate);
                let total = values.len() as u64;
                relations.list(
                    short(predicate, prefixes),
                    NamedNode::new(predicate.as_str()).ok(),
                    values,
                    OUT_SHOWN,
                    (total, None),
                );
            }
            sections.push(relations);
        }

        let referring = counts.iter().any(|r| {
            !matches!(r.first(), Some(Some(Term::NamedNode(p)))
                if redundant.incoming.contains(p.as_str()))
        });
        if referring {
            let total: u64 = counts
                .iter()
                .filter(|r| {
                    !matches!(r.first(), Some(Some(Term::NamedNode(p)))
                        if redundant.incoming.contains(p.as_str()))
                })
                .filter_map(|r| number(r.get(1)))
                .sum();
            let mut referenced = Section::new(Some(format!("Referenced by ({total})")), true);
            for row in &counts {
                let (Some(Some(Term::NamedNode(p))), Some(n)) = (row.first(), number(row.get(1)))
                else {
                    continue;
                };
                if redundant.incoming.contains(p.as_str()) {
                    continue;
                }
                let mut subjects = by_predicate.remove(p.as_str()).unwrap_or_default();
                subjects.sort_by(|a, b| a.2.cmp(&b.2));
                let values = subjects
                    .into_iter()
                    .map(|(subject, label, _)| Value::Term(subject, label))
                    .collect();
                let query = format!(
                    "SELECT ?s WHERE {{ ?s {} {} }}",
                    short(p.as_str(), prefixes),
                    name_of(node, prefixes)
                );
                referenced.list(
                    format!("← {}", short(p.as_str(), prefixes)),
                    Some(p.clone()),
                    values,
                    IN_SHOWN,
                    (n, Some(query)),
                );
            }
            sections.push(referenced);
        }
        Ok(Description {
            node: node.clone(),
            title,
            sections,
        })
    }
}

impl Lookup<'_> {
    /// A resource's types with the most specific first: a class before those it is a subclass
    /// of (ff:Figure before qb:Observation, ff:Country before schema:Place), else as they were.
    fn most_specific_first(&self, iri: &str, mut types: Vec<Value>) -> Result<Vec<Value>> {
        let pairs = self.rows(&format!(
            "SELECT ?a ?b WHERE {{ <{iri}> a ?a , ?b . ?a <{RDFS}subClassOf>+ ?b FILTER(?a != ?b) }}"
        ))?;
        let generality = |value: &Value| match value {
            Value::Term(class, _) => pairs
                .iter()
                .filter(|row| row.get(1).and_then(Option::as_ref) == Some(class))
                .count(),
            _ => 0,
        };
        types.sort_by_cached_key(generality);
        Ok(types)
    }
}

/// A figure's fields after its value and bounds, as (label, local name in ff:).
const FIGURE_FIELDS: [(&str, &str); 16] = [
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
];

impl Section {
    fn new(heading: Option<String>, lists: bool) -> Self {
        Self {
            heading,
            lists,
            fields: Vec::new(),
        }
    }

    /// A field whose values share a line (none: no field).
    fn joined(&mut self, label: &str, values: Vec<Value>) {
        if !values.is_empty() {
            self.fields.push(Field {
                label: label.to_owned(),
                predicate: None,
                values,
                more: None,
            });
        }
    }

    /// A relation: its first `max` values, then how many more of `total` and the query that
    /// lists them (if any).
    fn list(
        &mut self,
        label: String,
        predicate: Option<NamedNode>,
        mut values: Vec<Value>,
        max: usize,
        (total, query): (u64, Option<String>),
    ) {
        values.truncate(max);
        let more = total.saturating_sub(values.len() as u64);
        self.fields.push(Field {
            label,
            predicate,
            values,
            more: (more > 0).then(|| (more, query.unwrap_or_default())),
        });
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
pub(super) fn show(term: &Term, label: Option<&str>, prefixes: &PrefixMap) -> String {
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

    /// The values of `predicate`, as a set.
    fn term_set(&self, predicate: &str) -> HashSet<Term> {
        self.values
            .get(predicate)
            .map(|values| values.iter().map(|(term, _)| term.clone()).collect())
            .unwrap_or_default()
    }

    fn terms(&self, predicate: &str) -> Vec<Value> {
        self.values
            .get(predicate)
            .map(|values| {
                values
                    .iter()
                    .map(|(term, label)| Value::Term(term.clone(), label.clone()))
                    .collect()
            })
            .unwrap_or_default()
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
}

/// A figure's bounds in words, with its qualifier.
fn bounds(out: &Relations, prefixes: &PrefixMap) -> String {
    let lower = out.first_literal(&format!("{FF}lowerBound"));
    let upper = out.first_literal(&format!("{FF}upperBound"));
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
