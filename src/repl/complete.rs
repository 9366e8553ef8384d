//! What TAB completes names from: every IRI of the dataset with its label and aliases, and
//! whether it is a class or a property, built with a few bounded queries on the first TAB and
//! searched by the start of a word.

use super::place::Place;
use crate::data::Backend;
use crate::engine;
use crate::sparql::prefixes::FF;
use crate::sparql::{Settings, Source};
use oxigraph::model::Term;
use oxigraph::sparql::CancellationToken;
use std::collections::HashMap;

/// At most this many rows are read to build the completion vocabulary (a huge store still
/// completes, from part of its names).
const VOCABULARY_ROWS: usize = 200_000;
/// The same bound for a remote endpoint, where every row comes over the network.
const REMOTE_VOCABULARY_ROWS: usize = 10_000;

/// One resource the completer knows: its IRI, its label and aliases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Entry {
    pub iri: String,
    pub label: Option<String>,
    pub aliases: Vec<String>,
    /// Figures and quotations: many, with long descriptive labels; offered after the rest.
    pub minor: bool,
    /// A class (something is of it, or it is declared one): offered after `a`.
    pub class: bool,
    /// A property (some triple has it, or it is declared one): offered in a predicate's place.
    pub property: bool,
}

/// The names the completer offers, read from the dataset.
#[derive(Debug, Default)]
pub struct Vocabulary {
    entries: Vec<Entry>,
}

impl Vocabulary {
    pub fn new(mut entries: Vec<Entry>) -> Self {
        entries.sort_by(|a, b| a.iri.cmp(&b.iri));
        Self { entries }
    }

    /// Every IRI of the dataset with its labels.
    pub fn build(dataset: &dyn Backend, settings: &Settings) -> crate::Result<Self> {
        let rdfs = "http://www.w3.org/2000/01/rdf-schema#";
        let skos = "http://www.w3.org/2004/02/skos/core#";
        let dcterms = "http://purl.org/dc/terms/";
        let mut entries: HashMap<String, Entry> = HashMap::new();
        fn entry<'e>(entries: &'e mut HashMap<String, Entry>, iri: &str) -> &'e mut Entry {
            entries.entry(iri.to_owned()).or_insert_with(|| Entry {
                iri: iri.to_owned(),
                ..Entry::default()
            })
        }
        // Locally every IRI is read; from an endpoint, whose store may be huge, its classes
        // and properties (the rest come with their labels).
        let local = dataset.local().is_some();
        let limit = if local {
            VOCABULARY_ROWS
        } else {
            REMOTE_VOCABULARY_ROWS
        };
        if local {
            let every = "SELECT DISTINCT ?x WHERE { { ?x ?p ?o } UNION { ?s ?x ?o } UNION \
                         { ?s ?p ?x } FILTER(isIRI(?x)) }";
            for row in select(dataset, settings, &format!("{every} LIMIT {limit}"))? {
                if let [Some(Term::NamedNode(x))] = row.as_slice() {
                    entry(&mut entries, x.as_str());
                }
            }
        }
        let owl = "http://www.w3.org/2002/07/owl#";
        let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
        let classes = format!(
            "SELECT DISTINCT ?x WHERE {{ {{ ?s a ?x }} UNION {{ ?x a <{owl}Class> }} UNION \
             {{ ?x a <{rdfs}Class> }} FILTER(isIRI(?x)) }}"
        );
        let properties = format!(
            "SELECT DISTINCT ?x WHERE {{ {{ ?s ?x ?o }} UNION {{ ?x a <{rdf}Property> }} UNION \
             {{ ?x a <{owl}ObjectProperty> }} UNION {{ ?x a <{owl}DatatypeProperty> }} UNION \
             {{ ?x a <{owl}AnnotationProperty> }} FILTER(isIRI(?x)) }}"
        );
        for (query, is_class) in [(classes, true), (properties, false)] {
            for row in select(dataset, settings, &format!("{query} LIMIT {limit}"))? {
                if let [Some(Term::NamedNode(x))] = row.as_slice() {
                    let e = entry(&mut entries, x.as_str());
                    if is_class {
                        e.class = true;
                    } else {
                        e.property = true;
                    }
                }
            }
        }
        for row in select(
            dataset,
            settings,
            &format!(
                "SELECT ?s ?l WHERE {{ ?s <{rdfs}label>|<{skos}prefLabel>|<{dcterms}title> ?l \
                 FILTER(isIRI(?s)) }} LIMIT {limit}"
            ),
        )? {
            if let [Some(Term::NamedNode(s)), Some(Term::Literal(l))] = row.as_slice() {
                let e = entry(&mut entries, s.as_str());
                if e.label.is_none() {
                    e.label = Some(l.value().to_owned());
                } else if e.label.as_deref() != Some(l.value()) {
                    e.aliases.push(l.value().to_owned());
                }
            }
        }
        for row in select(
            dataset,
            settings,
            &format!(
                "SELECT ?s ?l WHERE {{ ?s <{skos}altLabel> ?l FILTER(isIRI(?s)) }} LIMIT {limit}"
            ),
        )? {
            if let [Some(Term::NamedNode(s)), Some(Term::Literal(l))] = row.as_slice() {
                entry(&mut entries, s.as_str())
                    .aliases
                    .push(l.value().to_owned());
            }
        }
        for row in select(
            dataset,
            settings,
            &format!(
                "SELECT ?s WHERE {{ ?s a ?t FILTER(?t IN (<{FF}Figure>, <{FF}Quotation>)) }} LIMIT {limit}"
            ),
        )? {
            if let [Some(Term::NamedNode(s))] = row.as_slice() {
                entry(&mut entries, s.as_str()).minor = true;
            }
        }
        Ok(Self::new(entries.into_values().collect()))
    }

    /// Resources whose IRI starts with `namespace` followed by `local` (ignoring case), those
    /// that fit `place` when there are any.
    pub fn by_name<'a>(&'a self, namespace: &str, local: &str, place: Place) -> Vec<&'a Entry> {
        let local = local.to_lowercase();
        let start = self.entries.partition_point(|e| e.iri.as_str() < namespace);
        let found: Vec<&Entry> = self.entries[start..]
            .iter()
            .take_while(|e| e.iri.starts_with(namespace))
            .filter(|e| e.iri[namespace.len()..].to_lowercase().starts_with(&local))
            .collect();
        fitting(found, place, |e| e)
    }

    /// Resources with a label or alias that has `text` at the start of one of its words
    /// (ignoring case), best matches first: at the very start, not a figure, shorter; those
    /// that fit `place` when there are any.
    pub fn by_label<'a>(&'a self, text: &str, place: Place) -> Vec<(&'a Entry, &'a str)> {
        let text = text.to_lowercase();
        let mut found: Vec<(u8, &Entry, &str)> = Vec::new();
        for entry in &self.entries {
            let best = entry
                .label
                .iter()
                .chain(&entry.aliases)
                .filter_map(|label| word_match(label, &text).map(|q| (q, label.as_str())))
                .min_by_key(|(q, label)| (*q, label.len()));
            if let Some((quality, label)) = best {
                found.push((quality, entry, label));
            }
        }
        found.sort_by(|a, b| {
            (a.1.minor, a.0, a.2.len(), a.2).cmp(&(b.1.minor, b.0, b.2.len(), b.2))
        });
        let found = found.into_iter().map(|(_, e, l)| (e, l)).collect();
        fitting(found, place, |(e, _)| e)
    }
}

/// The entries of `found` that fit `place`, or all of them when none does (a class typed in
/// a predicate's place is still completed).
fn fitting<T>(found: Vec<T>, place: Place, entry: impl Fn(&T) -> &Entry) -> Vec<T> {
    let fits = |e: &Entry| match place {
        Place::Class => e.class,
        Place::Property => e.property,
        Place::Any => true,
    };
    if found.iter().any(|t| fits(entry(t))) {
        found.into_iter().filter(|t| fits(entry(t))).collect()
    } else {
        found
    }
}

/// 0 when `label` starts with `text`, 1 when one of its words does; `text` is lower case.
fn word_match(label: &str, text: &str) -> Option<u8> {
    let lower = label.to_lowercase();
    if lower.starts_with(text) {
        return Some(0);
    }
    lower
        .match_indices(text)
        .any(|(i, _)| {
            lower[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .then_some(1)
}

/// The rows of one of the completer's own SELECT queries on the dataset.
fn select(
    dataset: &dyn Backend,
    settings: &Settings,
    text: &str,
) -> crate::Result<Vec<Vec<Option<Term>>>> {
    let source = Source::new("completion", text);
    Ok(engine::select(dataset, settings, &source, &CancellationToken::new())?.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        let entry = |iri: &str, label: Option<&str>, aliases: &[&str], minor: bool| Entry {
            iri: iri.to_owned(),
            label: label.map(str::to_owned),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            minor,
            class: iri.ends_with("#Figure"),
            property: iri.ends_with("#figureOf"),
        };
        Vocabulary::new(vec![
            entry(
                "https://w3id.org/ffkg/id/country/TUN",
                Some("Tunisia"),
                &[],
                false,
            ),
            entry(
                "https://w3id.org/ffkg/id/country/TUR",
                Some("Turkey"),
                &[],
                false,
            ),
            entry(
                "https://w3id.org/ffkg/id/place/tunis",
                Some("Tunis"),
                &[],
                false,
            ),
            entry(
                "https://w3id.org/ffkg/id/organization/islamic-state",
                Some("Islamic State"),
                &["ISIS", "Daesh"],
                false,
            ),
            entry(
                "https://w3id.org/ffkg/id/figure/x-tun-fighters",
                Some("Tunisia: foreign fighters"),
                &[],
                true,
            ),
            entry(&format!("{FF}Figure"), Some("Figure"), &[], false),
            entry(&format!("{FF}figureOf"), None, &[], false),
        ])
    }

    #[test]
    fn finds_names_by_the_start_of_a_word() {
        let v = vocabulary();
        let names: Vec<&str> = v
            .by_label("tunis", Place::Any)
            .iter()
            .map(|(e, _)| e.iri.as_str())
            .collect();
        assert_eq!(
            names,
            vec![
                "https://w3id.org/ffkg/id/place/tunis",
                "https://w3id.org/ffkg/id/country/TUN",
                "https://w3id.org/ffkg/id/figure/x-tun-fighters",
            ]
        );
        let (entry, matched) = v.by_label("daesh", Place::Any)[0];
        assert_eq!(
            (entry.label.as_deref(), matched),
            (Some("Islamic State"), "Daesh")
        );
        assert_eq!(v.by_label("state", Place::Any).len(), 1);
        // Inside a word is not a match.
        assert!(v.by_label("unis", Place::Any).is_empty());
    }

    #[test]
    fn finds_names_under_a_namespace() {
        let v = vocabulary();
        let names: Vec<&str> = v
            .by_name(FF, "fig", Place::Any)
            .iter()
            .map(|e| e.iri.as_str())
            .collect();
        assert_eq!(names, vec![format!("{FF}Figure"), format!("{FF}figureOf")]);
        assert_eq!(
            v.by_name("https://w3id.org/ffkg/id/country/", "TU", Place::Any)
                .len(),
            2
        );
        // After `a` the class; in a predicate's place the property; where none fits, all.
        let only = |place| {
            v.by_name(FF, "fig", place)
                .iter()
                .map(|e| e.iri.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(only(Place::Class), vec![format!("{FF}Figure")]);
        assert_eq!(only(Place::Property), vec![format!("{FF}figureOf")]);
        assert_eq!(
            v.by_name("https://w3id.org/ffkg/id/country/", "TU", Place::Class)
                .len(),
            2
        );
    }
}
