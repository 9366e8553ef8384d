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

mod card;
mod card_text;
mod compare;
pub mod passage;
mod plan;
mod queries;
mod redundant;
mod text;
mod typos;

use card::named;
pub use card::{Description, Field, Section, Value, name_of};
pub use compare::{Compared, Comparison};
pub use plan::{Estimate, explained, plan_tree};
pub use queries::{find_query, schema_queries, search_query};
pub use text::wrap;
pub use typos::{warn_never_bound, warn_unknown_names};

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
    /// The quote of `node` in its paragraph, when the file of the document that states it is
    /// in `sources`.
    pub fn passage(
        &self,
        node: &NamedNode,
        sources: Option<&std::path::Path>,
    ) -> Result<Option<passage::Passage>> {
        let Some(dir) = sources else {
            return Ok(None);
        };
        let rows = self.rows(&format!(
            "SELECT ?file ?quote WHERE {{ <{}> <{FF}quote> ?quote ; <{FF}statedIn> ?d . \
             ?d <{FF}sourceFile> ?file }} LIMIT 1",
            node.as_str()
        ))?;
        Ok(match rows.first().map(Vec::as_slice) {
            Some([Some(Term::Literal(file)), Some(Term::Literal(quote))]) => {
                passage::find(dir, file.value(), quote.value())
            }
            _ => None,
        })
    }

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
        let found = self.labelled(term)?;
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

    /// The resources that have `text` as a label or an alias, ignoring case.
    pub fn labelled(&self, text: &str) -> Result<Vec<(NamedNode, String)>> {
        let text = Literal::new_simple_literal(text.to_lowercase());
        let exact = self.rows(&format!(
            "SELECT DISTINCT ?s (SAMPLE(?l) AS ?label) WHERE {{ ?s {} ?l . \
             FILTER(isIRI(?s) && LCASE(STR(?l)) = {text}) }} GROUP BY ?s ORDER BY ?s",
            any_label_path()
        ))?;
        Ok(named(&exact))
    }

    /// True when the graph uses `iri` anywhere: as a subject, an object or a predicate.
    pub fn holds(&self, iri: &NamedNode) -> Result<bool> {
        let found = self.rows(&format!(
            "SELECT (1 AS ?x) WHERE {{ {{ {iri} ?p ?o }} UNION {{ ?s ?p {iri} }} UNION \
             {{ ?s {iri} ?o }} }} LIMIT 1"
        ))?;
        Ok(!found.is_empty())
    }

    /// A library parameter's bare value (`Daesh`, `Tunisia`) as the resource it labels, for a
    /// parameter that takes a resource: when `guessed` (the IRI the value makes in the default's
    /// namespace, if any) is not in the graph and one resource has the value as its label or
    /// alias. `None` leaves the value as it is (the name check then says what is close).
    pub fn param_by_label(
        &self,
        value: &str,
        guessed: Option<&NamedNode>,
    ) -> Result<Option<NamedNode>> {
        if let Some(iri) = guessed {
            if self.holds(iri)? {
                return Ok(None);
            }
        }
        match self.labelled(value)?.as_slice() {
            [(one, _)] => Ok(Some(one.clone())),
            [] => Ok(None),
            several => Err(Error::usage(format!(
                "'{value}' is the label of {} resources — give one by its name:\n{}",
                several.len(),
                self.listing(several)
            ))),
        }
    }

    /// The parameters of a library query's `text`, each bare value that is a label (see
    /// [`Self::param_by_label`]) replaced by the resource it names, which is said on stderr.
    pub fn bind_labels(
        &self,
        text: &str,
        params: &[(String, String)],
    ) -> Result<Vec<(String, String)>> {
        let prefixes = &self.settings.prefixes;
        params
            .iter()
            .map(|(name, value)| {
                let Some(guessed) = crate::library::label_candidate(text, name, value, prefixes)
                else {
                    return Ok((name.clone(), value.clone()));
                };
                Ok(match self.param_by_label(value, guessed.as_ref())? {
                    Some(node) => {
                        eprintln!(
                            "note: {name}={value} is {}, by its label",
                            name_of(&node, prefixes)
                        );
                        (name.clone(), node.to_string())
                    }
                    None => (name.clone(), value.clone()),
                })
            })
            .collect()
    }

    fn listing(&self, items: &[(NamedNode, String)]) -> String {
        items
            .iter()
            .map(|(node, label)| format!("  {}  {label}", name_of(node, &self.settings.prefixes)))
            .collect::<Vec<_>>()
            .join("\n")
    }
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
        let mut estimate = |label: &str| {
            (label == "QuadPattern a").then_some(Estimate {
                rows: 100_000,
                capped: true,
            })
        };
        let tree = plan_tree(&json, &prefixes, &mut estimate);
        assert_eq!(
            tree,
            "planned in 1.00 ms\n\
             Project ex:x  · 2 rows\n\
             ├─ Join\n\
             │  ├─ QuadPattern a  · est >100000\n\
             │  └─ QuadPattern b\n\
             └─ Values\n"
        );
    }

    /// Each pattern read from the data gets its matches alone as its estimate, beside what it
    /// produced in the plan; a join bound by the other side reads fewer than that.
    #[test]
    fn explained_plans_carry_estimates_and_actual_rows() {
        let (dataset, settings) = sample();
        let source = Source::new(
            "test",
            "SELECT ?s ?n WHERE { ?s ex:knows ex:bob . ?s ex:name ?n }",
        );
        let statement = engine::prepare(&source, &settings).expect("prepares");
        let tree = explained(&dataset, &statement, &settings, &CancellationToken::new())
            .expect("explained");
        let lines: Vec<&str> = tree.lines().filter(|l| l.contains("QuadPattern")).collect();
        assert_eq!(lines.len(), 2, "{tree}");
        assert!(lines.iter().all(|l| l.contains("· est ")), "{tree}");
        assert!(
            tree.lines()
                .any(|l| l.contains("rows") || l.contains("row ")),
            "{tree}"
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
    fn a_relation_lists_each_resource_once_and_the_most_specific_type_first() {
        let (dataset, settings) = embedded();
        let lookup = Lookup {
            dataset: &dataset,
            settings: &settings,
            token: CancellationToken::new(),
        };
        // The Soufan Group publishes documents with two titles each.
        let group = NamedNode::new_unchecked("https://w3id.org/ffkg/id/organization/soufan-group");
        let description = lookup.describe(&group).expect("described");
        for field in description.sections.iter().flat_map(|s| &s.fields) {
            let terms: Vec<&Term> = field
                .values
                .iter()
                .filter_map(|v| match v {
                    Value::Term(term, _) => Some(term),
                    _ => None,
                })
                .collect();
            let unique: std::collections::HashSet<&&Term> = terms.iter().collect();
            assert_eq!(terms.len(), unique.len(), "{}: {terms:?}", field.label);
        }
        let types = &description.sections[0].fields[0];
        assert_eq!(types.label, "type");
        let Value::Term(Term::NamedNode(first), _) = &types.values[0] else {
            panic!("{types:?}");
        };
        assert_eq!(first.as_str(), format!("{FF}ResearchOrganization"));
    }

    #[test]
    fn find_names_the_most_specific_type() {
        let (dataset, settings) = embedded();
        let lookup = Lookup {
            dataset: &dataset,
            settings: &settings,
            token: CancellationToken::new(),
        };
        let rows = lookup.rows(&find_query("soufan group")).expect("found");
        let group = rows
            .iter()
            .find(|row| {
                matches!(row.first(), Some(Some(Term::NamedNode(n))) if n.as_str().ends_with("/organization/soufan-group"))
            })
            .expect("the Soufan Group is found");
        assert_eq!(
            group.get(2).cloned().flatten(),
            Some(Term::NamedNode(NamedNode::new_unchecked(format!(
                "{FF}ResearchOrganization"
            ))))
        );
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
