//! The vocabularies the graph publishes as whole documents — the ontology at `/ontology` (its
//! terms at `/ontology#Term`) and the measures' SKOS scheme at `/measures` — documented as a
//! page in the spirit of pyLODE: the vocabulary's metadata, then its terms grouped by kind
//! (classes, object and datatype properties, individuals, concepts), each with its label,
//! comment, and every other statement about it (superclasses, domains and ranges, alignments to
//! schema.org, PROV-O, QB, SKOS …) as links. Made from the vocabulary's own named graph.

use super::html::escape;
use super::http::{self};
use super::page::{Site, value_html, wrap_page};
use super::protocol::{Endpoint, on_worker};
use crate::describe::Value;
use crate::engine;
use crate::sparql::Source;
use crate::sparql::prefixes::PrefixMap;
use oxhttp::model::{Body, Response, StatusCode};
use oxigraph::model::{BlankNode, Term};
use std::collections::{BTreeMap, HashMap};
use std::sync::PoisonError;

/// A vocabulary published as one document.
#[derive(Debug)]
pub struct Vocabulary {
    /// Its path on the endpoint.
    pub path: &'static str,
    /// The IRI of the vocabulary itself.
    pub iri: &'static str,
    /// The named graph that holds it (`graph:` and the path's name; a test checks).
    pub graph: &'static str,
}

pub const VOCABULARIES: [Vocabulary; 2] = [
    Vocabulary {
        path: "/ontology",
        iri: "https://w3id.org/ffkg/ontology",
        graph: "https://w3id.org/ffkg/graph/ontology",
    },
    Vocabulary {
        path: "/measures",
        iri: "https://w3id.org/ffkg/measures",
        graph: "https://w3id.org/ffkg/graph/measures",
    },
];

/// The vocabulary published at `path`, if one is.
pub fn of(path: &str) -> Option<&'static Vocabulary> {
    VOCABULARIES.iter().find(|v| v.path == path)
}

const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const OWL: &str = "http://www.w3.org/2002/07/owl#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const DCTERMS: &str = "http://purl.org/dc/terms/";

/// The kinds of term, in the order the page lists them, by the class that makes a term one.
const KINDS: [(&str, &str); 7] = [
    ("Classes", "http://www.w3.org/2002/07/owl#Class"),
    (
        "Object properties",
        "http://www.w3.org/2002/07/owl#ObjectProperty",
    ),
    (
        "Datatype properties",
        "http://www.w3.org/2002/07/owl#DatatypeProperty",
    ),
    (
        "Annotation properties",
        "http://www.w3.org/2002/07/owl#AnnotationProperty",
    ),
    (
        "Individuals",
        "http://www.w3.org/2002/07/owl#NamedIndividual",
    ),
    ("Measures", "https://w3id.org/ffkg/ontology#Measure"),
    ("Concepts", "http://www.w3.org/2004/02/skos/core#Concept"),
];

/// What the graph states of one subject: values by predicate, in the order first seen, each
/// with the value's label.
#[derive(Debug, Default)]
struct Statements {
    order: Vec<String>,
    values: BTreeMap<String, Vec<(Term, Option<String>)>>,
}

impl Statements {
    fn add(&mut self, predicate: &str, object: Term, label: Option<String>) {
        let values = self.values.entry(predicate.to_owned()).or_insert_with(|| {
            self.order.push(predicate.to_owned());
            Vec::new()
        });
        if !values.iter().any(|(o, _)| *o == object) {
            values.push((object, label));
        }
    }

    fn first_text(&self, predicate: &str) -> Option<&str> {
        self.values
            .get(predicate)?
            .iter()
            .find_map(|(o, _)| match o {
                Term::Literal(l) => Some(l.value()),
                _ => None,
            })
    }

    fn has(&self, predicate: &str, object: &str) -> bool {
        self.values.get(predicate).is_some_and(|vs| {
            vs.iter()
                .any(|(o, _)| matches!(o, Term::NamedNode(n) if n.as_str() == object))
        })
    }
}

/// The query whose rows [`document`] is made from: the vocabulary's triples, each object with
/// its label.
pub fn query(vocabulary: &Vocabulary) -> String {
    format!(
        "SELECT ?s ?p ?o ?label WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} \
         OPTIONAL {{ ?o <{RDFS}label> ?label }} }}",
        vocabulary.graph
    )
}

/// The triples of the vocabulary's document: its named graph.
pub fn construct(vocabulary: &Vocabulary) -> String {
    format!(
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{}> {{ ?s ?p ?o }} }}",
        vocabulary.graph
    )
}

/// The vocabulary's page on the endpoint.
pub fn page(endpoint: &Endpoint, vocabulary: &Vocabulary) -> Response<Body> {
    let rows = on_worker(endpoint, |token| {
        let dataset = endpoint
            .dataset
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let source = Source::new(vocabulary.path, query(vocabulary));
        engine::select(&*dataset, &endpoint.settings, &source, &token)
    });
    match rows {
        Ok(rows) => http::typed(
            StatusCode::OK,
            "text/html; charset=utf-8",
            document(
                vocabulary,
                &rows.rows,
                &endpoint.settings.prefixes,
                Site::Served,
            ),
        ),
        Err(response) => *response,
    }
}

/// The vocabulary's page, from the rows of its [`query`].
pub fn document(
    vocabulary: &Vocabulary,
    rows: &[Vec<Option<Term>>],
    prefixes: &PrefixMap,
    site: Site,
) -> String {
    let mut named: BTreeMap<String, Statements> = BTreeMap::new();
    let mut blank: HashMap<BlankNode, Statements> = HashMap::new();
    for row in rows {
        let (Some(Some(subject)), Some(Some(Term::NamedNode(p))), Some(Some(object))) =
            (row.first(), row.get(1), row.get(2))
        else {
            continue;
        };
        let label = match row.get(3) {
            Some(Some(Term::Literal(l))) => Some(l.value().to_owned()),
            _ => None,
        };
        match subject {
            Term::NamedNode(s) => named.entry(s.as_str().to_owned()).or_default(),
            Term::BlankNode(b) => blank.entry(b.clone()).or_default(),
            _ => continue,
        }
        .add(p.as_str(), object.clone(), label);
    }
    let view = View {
        blank: &blank,
        prefixes,
        site,
    };
    view.render(vocabulary, &named)
}

struct View<'a> {
    blank: &'a HashMap<BlankNode, Statements>,
    prefixes: &'a PrefixMap,
    site: Site,
}

impl View<'_> {
    fn render(&self, vocabulary: &Vocabulary, named: &BTreeMap<String, Statements>) -> String {
        let about = named.get(vocabulary.iri);
        let title = about
            .and_then(|a| {
                a.first_text(&format!("{DCTERMS}title"))
                    .or_else(|| a.first_text(&format!("{RDFS}label")))
            })
            .unwrap_or(vocabulary.path.trim_start_matches('/'));
        let mut body = format!(
            "<h1>{}</h1>\n<p class=\"iri\"><code>{}</code></p>\n",
            escape(title),
            escape(vocabulary.iri)
        );
        if let Some(about) = about {
            if let Some(description) = about.first_text(&format!("{DCTERMS}description")) {
                body.push_str(&format!("<p>{}</p>\n", escape(description)));
            }
            body.push_str(&self.statements(
                about,
                &[format!("{DCTERMS}title"), format!("{DCTERMS}description")],
            ));
        }
        let alternates = ["ttl", "nt", "jsonld", "rdf"]
            .map(|suffix| {
                let stem = vocabulary.path.trim_start_matches('/');
                format!("<a href=\"{stem}.{suffix}\">.{suffix}</a>")
            })
            .join(" · ");
        body.push_str(&format!(
            "<p class=\"alternates\">This document as {alternates}.</p>\n"
        ));
        // Each term under the first kind it has, in the order of KINDS; the rest last.
        let mut groups: Vec<(&str, Vec<(&String, &Statements)>)> = KINDS
            .iter()
            .map(|(heading, _)| (*heading, Vec::new()))
            .collect();
        let mut others = Vec::new();
        for (iri, statements) in named {
            if iri == vocabulary.iri {
                continue;
            }
            let kind = KINDS
                .iter()
                .position(|(_, class)| statements.has(&format!("{RDF}type"), class));
            match kind {
                Some(index) => groups[index].1.push((iri, statements)),
                None => others.push((iri, statements)),
            }
        }
        groups.push(("Other terms", others));
        let contents: Vec<String> = groups
            .iter()
            .filter(|(_, terms)| !terms.is_empty())
            .map(|(heading, terms)| {
                format!(
                    "<a href=\"#{}\">{heading} ({})</a>",
                    anchor_of(heading),
                    terms.len()
                )
            })
            .collect();
        body.push_str(&format!(
            "<nav class=\"contents\">{}</nav>\n",
            contents.join(" · ")
        ));
        for (heading, terms) in &groups {
            if terms.is_empty() {
                continue;
            }
            body.push_str(&format!(
                "<h2 id=\"{}\">{heading}</h2>\n",
                anchor_of(heading)
            ));
            for (iri, statements) in terms {
                body.push_str(&self.term(iri, statements));
            }
        }
        wrap_page(title, "", &body, self.site)
    }

    /// One term: a heading with its anchor (its local name), its comment, the rest as a list.
    fn term(&self, iri: &str, statements: &Statements) -> String {
        let local = iri.rsplit(['#', '/']).next().unwrap_or(iri);
        let name = self.prefixes.shorten(iri).unwrap_or_else(|| iri.to_owned());
        let label = statements
            .first_text(&format!("{RDFS}label"))
            .unwrap_or(local);
        let mut html = format!(
            "<section class=\"term\">\n<h3 id=\"{}\">{} <small><code>{}</code></small></h3>\n",
            escape(local),
            escape(label),
            escape(&name)
        );
        for predicate in [format!("{RDFS}comment"), format!("{SKOS}definition")] {
            if let Some(text) = statements.first_text(&predicate) {
                html.push_str(&format!("<p>{}</p>\n", escape(text)));
            }
        }
        html.push_str(&self.statements(
            statements,
            &[
                format!("{RDFS}label"),
                format!("{RDFS}comment"),
                format!("{SKOS}definition"),
            ],
        ));
        html.push_str("</section>\n");
        html
    }

    /// Every statement but those of `skip`, a predicate a row.
    fn statements(&self, statements: &Statements, skip: &[String]) -> String {
        let mut html = String::from("<dl>\n");
        for predicate in &statements.order {
            if skip.contains(predicate) {
                continue;
            }
            let label = self
                .prefixes
                .shorten(predicate)
                .unwrap_or_else(|| predicate.clone());
            let mut terms: Vec<&(Term, Option<String>)> =
                statements.values[predicate].iter().collect();
            // Data Cube components as the structure reads: dimensions in their order, then
            // measures, then attributes.
            terms.sort_by_key(|(term, _)| self.component_rank(term));
            let values: Vec<String> = terms
                .iter()
                .map(|(term, label)| self.value(term, label.as_deref()))
                .collect();
            html.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n",
                escape(&label),
                values.join(", ")
            ));
        }
        html.push_str("</dl>\n");
        html
    }

    /// A value; a blank node given as a union of classes (`[ owl:unionOf ( A B ) ]`) is shown
    /// as "A or B", another (a Data Cube component) by its statements, `[ qb:dimension
    /// ff:measure · qb:order 1 ]`.
    fn value(&self, term: &Term, label: Option<&str>) -> String {
        if let Term::BlankNode(node) = term {
            if let Some(members) = self.union(node) {
                return members
                    .iter()
                    .map(|(member, label)| self.value(member, label.as_deref()))
                    .collect::<Vec<_>>()
                    .join(" or ");
            }
            if let Some(statements) = self.blank.get(node) {
                let parts: Vec<String> = statements
                    .order
                    .iter()
                    .flat_map(|predicate| {
                        let name = self
                            .prefixes
                            .shorten(predicate)
                            .unwrap_or_else(|| predicate.clone());
                        statements.values[predicate]
                            .iter()
                            .map(move |(value, label)| {
                                // One level: a blank node inside is shown by its label.
                                let shown = match value {
                                    Term::BlankNode(_) => escape(&value.to_string()),
                                    _ => value_html(
                                        &Value::Term(value.clone(), label.clone()),
                                        self.prefixes,
                                        self.site,
                                    ),
                                };
                                format!("{} {shown}", escape(&name))
                            })
                    })
                    .collect();
                return format!("[ {} ]", parts.join(" · "));
            }
        }
        value_html(
            &Value::Term(term.clone(), label.map(str::to_owned)),
            self.prefixes,
            self.site,
        )
    }

    /// Where a Data Cube component spec sorts: (dimension 0, measure 1, attribute 2, other 3;
    /// its `qb:order`; its property).
    fn component_rank(&self, term: &Term) -> (u8, u64, String) {
        // Anything else keeps its place (the sort is stable).
        let Term::BlankNode(node) = term else {
            return (3, 0, String::new());
        };
        let Some(statements) = self.blank.get(node) else {
            return (3, 0, String::new());
        };
        let first = |local: &str| {
            statements
                .values
                .get(&format!("{QB}{local}"))
                .and_then(|v| v.first())
                .map(|(t, _)| t.clone())
        };
        let order = match first("order") {
            Some(Term::Literal(l)) => l.value().parse().unwrap_or(u64::MAX),
            _ => u64::MAX,
        };
        for (rank, kind) in [(0, "dimension"), (1, "measure"), (2, "attribute")] {
            if let Some(property) = first(kind) {
                return (rank, order, property.to_string());
            }
        }
        (3, 0, String::new())
    }

    /// The members of the list a blank node's `owl:unionOf` holds.
    fn union(&self, node: &BlankNode) -> Option<Vec<(Term, Option<String>)>> {
        let statements = self.blank.get(node)?;
        let (Term::BlankNode(mut cell), _) = statements
            .values
            .get(&format!("{OWL}unionOf"))?
            .first()?
            .clone()
        else {
            return None;
        };
        let mut members = Vec::new();
        // A list is a chain of cells; the bound keeps a malformed (cyclic) list finite.
        for _ in 0..self.blank.len() {
            let cell_statements = self.blank.get(&cell)?;
            members.push(
                cell_statements
                    .values
                    .get(&format!("{RDF}first"))?
                    .first()?
                    .clone(),
            );
            match cell_statements.values.get(&format!("{RDF}rest"))?.first()? {
                (Term::BlankNode(next), _) => cell = next.clone(),
                (Term::NamedNode(nil), _) if nil.as_str() == format!("{RDF}nil") => {
                    return Some(members);
                }
                _ => return None,
            }
        }
        None
    }
}

/// The W3C Data Cube vocabulary.
const QB: &str = "http://purl.org/linked-data/cube#";

fn anchor_of(heading: &str) -> String {
    heading.to_lowercase().replace(' ', "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sparql::prefixes::GRAPH;
    use oxigraph::model::NamedNode;

    #[test]
    fn the_vocabularies_live_in_the_graphs_named_for_them() {
        for vocabulary in &VOCABULARIES {
            let name = vocabulary.path.trim_start_matches('/');
            assert_eq!(vocabulary.graph, format!("{GRAPH}{name}"));
            assert!(NamedNode::new(vocabulary.iri).is_ok());
        }
    }
}
