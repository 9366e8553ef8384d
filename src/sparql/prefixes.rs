//! The prefix map: declared for every query, used to shorten IRIs for display and completion.

use oxigraph::sparql::SparqlEvaluator;

/// The namespace of the ffkg ontology.
pub const FF: &str = "https://w3id.org/ffkg/ontology#";
/// The namespace all ffkg resources live under.
pub const ID: &str = "https://w3id.org/ffkg/id/";
/// The namespace of the named graphs, one per embedded file.
pub const GRAPH: &str = "https://w3id.org/ffkg/graph/";

/// Standard vocabularies first, then the graph's own namespaces; the order is the order shown
/// by `.prefixes` and written in Turtle output.
const DEFAULT: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("schema", "https://schema.org/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("qb", "http://purl.org/linked-data/cube#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("void", "http://rdfs.org/ns/void#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("vann", "http://purl.org/vocab/vann/"),
    ("ff", FF),
    ("country", "https://w3id.org/ffkg/id/country/"),
    ("region", "https://w3id.org/ffkg/id/region/"),
    ("place", "https://w3id.org/ffkg/id/place/"),
    ("population", "https://w3id.org/ffkg/id/population/"),
    ("organization", "https://w3id.org/ffkg/id/organization/"),
    ("person", "https://w3id.org/ffkg/id/person/"),
    ("document", "https://w3id.org/ffkg/id/document/"),
    ("figure", "https://w3id.org/ffkg/id/figure/"),
    ("quotation", "https://w3id.org/ffkg/id/quotation/"),
    ("measure", "https://w3id.org/ffkg/id/measure/"),
    ("event", "https://w3id.org/ffkg/id/event/"),
    ("dataset", "https://w3id.org/ffkg/id/dataset/"),
    ("graph", GRAPH),
];

/// Which prefixes of a map the IRIs seen so far use.
#[derive(Debug)]
pub struct Usage<'a> {
    map: &'a PrefixMap,
    used: Vec<bool>,
}

impl Usage<'_> {
    pub fn note(&mut self, iri: &str) {
        for (flag, (_, ns)) in self.used.iter_mut().zip(&self.map.entries) {
            if !*flag && iri.starts_with(ns.as_str()) {
                *flag = true;
            }
        }
    }

    /// The prefixes used, in the map's order.
    pub fn finish(self) -> PrefixMap {
        PrefixMap {
            entries: self
                .map
                .entries
                .iter()
                .zip(self.used)
                .filter(|(_, used)| *used)
                .map(|(entry, _)| entry.clone())
                .collect(),
        }
    }
}

/// An ordered map from prefix to namespace IRI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixMap {
    entries: Vec<(String, String)>,
}

impl Default for PrefixMap {
    fn default() -> Self {
        Self {
            entries: DEFAULT
                .iter()
                .map(|(p, iri)| ((*p).to_owned(), (*iri).to_owned()))
                .collect(),
        }
    }
}

impl PrefixMap {
    /// A map with no prefixes, for plain SPARQL semantics (the W3C tests).
    pub fn empty() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(p, i)| (p.as_str(), i.as_str()))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Declares `prefix`, replacing an earlier declaration of the same prefix in place.
    pub fn insert(&mut self, prefix: &str, iri: &str) {
        match self.entries.iter_mut().find(|(p, _)| p == prefix) {
            Some(entry) => entry.1 = iri.to_owned(),
            None => self.entries.push((prefix.to_owned(), iri.to_owned())),
        }
    }

    pub fn get(&self, prefix: &str) -> Option<&str> {
        self.entries
            .iter()
            .find(|(p, _)| p == prefix)
            .map(|(_, i)| i.as_str())
    }

    /// The prefixes whose namespace starts one of `iris`, in this map's order.
    pub fn used_by<'a>(&self, iris: impl IntoIterator<Item = &'a str>) -> Self {
        let mut usage = self.usage();
        for iri in iris {
            usage.note(iri);
        }
        usage.finish()
    }

    /// Counts which prefixes IRIs use, one IRI at a time.
    pub fn usage(&self) -> Usage<'_> {
        Usage {
            map: self,
            used: vec![false; self.entries.len()],
        }
    }

    /// Adds the prefixes a statement's text declares (`PREFIX ex: <…>`), so that what it
    /// writes can use them; they replace one of the same name.
    pub fn declare_from(&mut self, text: &str) {
        use super::lexer::{self, TokenKind};
        let tokens: Vec<_> = lexer::tokens(text)
            .into_iter()
            .filter(|t| t.is_significant())
            .collect();
        for window in tokens.windows(3) {
            let [keyword, name, iri] = window else {
                continue;
            };
            if keyword.kind == TokenKind::Keyword
                && keyword.text(text).eq_ignore_ascii_case("PREFIX")
                && name.kind == TokenKind::PrefixedName
                && iri.kind == TokenKind::Iri
            {
                let name = name.text(text).trim_end_matches(':');
                let iri = iri.text(text).trim_start_matches('<').trim_end_matches('>');
                if !name.contains(':') && !iri.is_empty() {
                    self.insert(name, iri);
                }
            }
        }
    }

    /// `ff:Figure` → the full IRI, when the prefix is declared.
    pub fn expand(&self, prefixed: &str) -> Option<String> {
        let (prefix, local) = prefixed.split_once(':')?;
        Some(format!("{}{local}", self.get(prefix)?))
    }

    /// The IRI as a prefixed name, using the longest matching namespace whose remainder is a
    /// valid local name; `None` when no prefix fits.
    pub fn shorten(&self, iri: &str) -> Option<String> {
        self.entries
            .iter()
            .filter(|(_, ns)| iri.starts_with(ns.as_str()))
            .filter(|(_, ns)| is_simple_local_name(&iri[ns.len()..]))
            .max_by_key(|(_, ns)| ns.len())
            .map(|(p, ns)| format!("{p}:{}", &iri[ns.len()..]))
    }

    /// Declares every prefix on the evaluator, so queries need no PREFIX lines and error
    /// positions still point into the text the user wrote.
    pub fn declare_on(
        &self,
        mut evaluator: SparqlEvaluator,
    ) -> Result<SparqlEvaluator, oxigraph::model::IriParseError> {
        for (prefix, iri) in self.iter() {
            evaluator = evaluator.with_prefix(prefix, iri)?;
        }
        Ok(evaluator)
    }
}

/// True when `local` can follow `prefix:` in Turtle and SPARQL without escaping. Deliberately
/// stricter than the grammar: names that need escapes are shown as full IRIs instead.
pub fn is_simple_local_name(local: &str) -> bool {
    let mut chars = local.chars();
    let Some(first) = chars.next() else {
        return true;
    };
    if !(first.is_alphanumeric() || first == '_') {
        return false;
    }
    if local.ends_with('.') {
        return false;
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// True when `prefix` is a valid SPARQL prefix name (PN_PREFIX, or empty).
pub fn is_valid_prefix_name(prefix: &str) -> bool {
    let mut chars = prefix.chars();
    match chars.next() {
        None => true,
        Some(first) if first.is_alphabetic() => {
            !prefix.ends_with('.')
                && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        }
        Some(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_with_the_longest_namespace() {
        let map = PrefixMap::default();
        assert_eq!(
            map.shorten("https://w3id.org/ffkg/id/country/TUN")
                .as_deref(),
            Some("country:TUN")
        );
        assert_eq!(
            map.shorten(&format!("{FF}Figure")).as_deref(),
            Some("ff:Figure")
        );
        assert_eq!(map.shorten("http://example.org/x"), None);
    }

    #[test]
    fn leaves_names_that_need_escapes_as_iris() {
        let map = PrefixMap::default();
        assert_eq!(map.shorten("https://w3id.org/ffkg/id/place/a/b"), None);
        assert_eq!(map.shorten("https://w3id.org/ffkg/id/place/end."), None);
        assert_eq!(map.shorten("https://w3id.org/ffkg/id/place/-x"), None);
    }

    #[test]
    fn insert_replaces_in_place() {
        let mut map = PrefixMap::default();
        let before = map.len();
        map.insert("ex", "http://example.org/");
        map.insert("ex", "http://example.com/");
        assert_eq!(map.len(), before + 1);
        assert_eq!(map.expand("ex:a").as_deref(), Some("http://example.com/a"));
    }

    #[test]
    fn validates_prefix_names() {
        assert!(is_valid_prefix_name("ex"));
        assert!(is_valid_prefix_name(""));
        assert!(!is_valid_prefix_name("1x"));
        assert!(!is_valid_prefix_name("a b"));
    }
}
