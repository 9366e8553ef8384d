//! Which relations of a card say again what another says, under the ontology's entailments:
//! an incoming relation that is the inverse of an outgoing one the card shows (← dcterms:publisher
//! beside ff:published), and a property that holds just what a subproperty of it holds
//! (prov:wasAttributedTo beside ff:attributedTo). Reasoning puts both in the graph; a card
//! shows each fact once, under its most specific name.

#[allow(unused_imports)]
use super::*;
use std::collections::HashSet;

const OWL: &str = "http://www.w3.org/2002/07/owl#";

/// A card's relations: each predicate's values (out) or subjects (in), and for those in, how
/// many there are in all (the subjects may be a sample).
#[derive(Debug, Default)]
pub struct Shown {
    pub out: BTreeMap<String, HashSet<Term>>,
    pub incoming: BTreeMap<String, (u64, HashSet<Term>)>,
}

/// The predicates a card leaves out, out and in.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Redundant {
    pub out: HashSet<String>,
    pub incoming: HashSet<String>,
}

impl Lookup<'_> {
    /// The relations of `shown` that repeat others (see the module's documentation).
    pub(super) fn redundant(&self, shown: &Shown) -> Result<Redundant> {
        let mut redundant = Redundant::default();
        let every: HashSet<&String> = shown.out.keys().chain(shown.incoming.keys()).collect();
        if every.len() < 2 {
            return Ok(redundant);
        }
        let inverses = self.inverses(shown.out.keys())?;
        let hierarchy = self.hierarchy(every.iter().copied().chain(inverses.values().flatten()))?;
        // ?p (in) is the inverse of ?q (out), or a superproperty of such an inverse.
        for (q, xs) in &inverses {
            let Some(values) = shown.out.get(q) else {
                continue;
            };
            for p in xs.iter().chain(xs.iter().flat_map(|x| hierarchy.above(x))) {
                let Some((n, subjects)) = shown.incoming.get(p) else {
                    continue;
                };
                if *n == subjects.len() as u64 && subjects.is_subset(values) {
                    redundant.incoming.insert(p.clone());
                }
            }
        }
        // ?b holds what its subproperty ?a holds (and they are not the same property).
        for a in &every {
            for b in hierarchy.above(a) {
                if b == *a || !every.contains(b) || hierarchy.above(b).contains(*a) {
                    continue;
                }
                if let (Some(a_values), Some(b_values)) = (shown.out.get(*a), shown.out.get(b)) {
                    if a_values == b_values {
                        redundant.out.insert(b.clone());
                    }
                }
                if let (Some(a_in), Some(b_in)) = (shown.incoming.get(*a), shown.incoming.get(b)) {
                    if a_in == b_in {
                        redundant.incoming.insert(b.clone());
                    }
                }
            }
        }
        Ok(redundant)
    }

    /// Each of `properties` with the properties declared its inverses (either way round).
    fn inverses<'a>(
        &self,
        properties: impl Iterator<Item = &'a String>,
    ) -> Result<BTreeMap<String, HashSet<String>>> {
        let list = iri_list(properties);
        let rows = self.rows(&format!(
            "SELECT DISTINCT ?q ?x WHERE {{ {{ ?q <{OWL}inverseOf> ?x }} UNION \
             {{ ?x <{OWL}inverseOf> ?q }} FILTER(?q IN ({list})) }}"
        ))?;
        let mut inverses: BTreeMap<String, HashSet<String>> = BTreeMap::new();
        for (q, x) in pairs(&rows) {
            inverses.entry(q).or_default().insert(x);
        }
        Ok(inverses)
    }

    /// The subproperty hierarchy above `properties`, asked a level at a time with plain
    /// triple patterns rather than a `subPropertyOf+` path: a remote engine may refuse a path
    /// with neither end given (Virtuoso: "transitive start not given"), and a graph without
    /// reasoning holds only the direct links.
    fn hierarchy<'a>(&self, properties: impl Iterator<Item = &'a String>) -> Result<Hierarchy> {
        let mut hierarchy = Hierarchy::default();
        let mut seen: HashSet<String> = properties.cloned().collect();
        let mut frontier: Vec<String> = seen.iter().cloned().collect();
        // Ontologies are shallow; the bound keeps a cyclic or odd remote graph from looping.
        for _ in 0..MAX_DEPTH {
            if frontier.is_empty() {
                break;
            }
            let list = iri_list(frontier.iter());
            let rows = self.rows(&format!(
                "SELECT DISTINCT ?a ?b WHERE {{ ?a <{RDFS}subPropertyOf> ?b \
                 FILTER(?a IN ({list}) && isIRI(?b)) }}"
            ))?;
            frontier.clear();
            for (a, b) in pairs(&rows) {
                if seen.insert(b.clone()) {
                    frontier.push(b.clone());
                }
                hierarchy.direct.entry(a).or_default().insert(b);
            }
        }
        Ok(hierarchy)
    }
}

/// How many levels of superproperties [`Lookup::hierarchy`] asks for at most.
const MAX_DEPTH: usize = 16;

/// Direct subproperty links: each property's immediate superproperties.
#[derive(Debug, Default)]
struct Hierarchy {
    direct: BTreeMap<String, HashSet<String>>,
}

impl Hierarchy {
    /// Every property above `property` (itself only if it lies on a cycle).
    fn above(&self, property: &str) -> HashSet<&String> {
        let mut found: HashSet<&String> = HashSet::new();
        let mut stack: Vec<&String> = self.direct.get(property).into_iter().flatten().collect();
        while let Some(next) = stack.pop() {
            if found.insert(next) {
                stack.extend(self.direct.get(next).into_iter().flatten());
            }
        }
        found
    }
}

/// `<a>, <b>, …` for a SPARQL `IN` list.
fn iri_list<'a>(iris: impl Iterator<Item = &'a String>) -> String {
    iris.map(|p| format!("<{p}>"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The IRIs of two-column rows.
fn pairs(rows: &[Vec<Option<Term>>]) -> Vec<(String, String)> {
    rows.iter()
        .filter_map(|row| match (row.first(), row.get(1)) {
            (Some(Some(Term::NamedNode(a))), Some(Some(Term::NamedNode(b)))) => {
                Some((a.as_str().to_owned(), b.as_str().to_owned()))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hierarchy(links: &[(&str, &str)]) -> Hierarchy {
        let mut hierarchy = Hierarchy::default();
        for (a, b) in links {
            hierarchy
                .direct
                .entry(a.to_string())
                .or_default()
                .insert(b.to_string());
        }
        hierarchy
    }

    fn names(set: HashSet<&String>) -> Vec<&str> {
        let mut names: Vec<&str> = set.into_iter().map(String::as_str).collect();
        names.sort();
        names
    }

    #[test]
    fn above_follows_the_links_to_the_top() {
        let h = hierarchy(&[("a", "b"), ("b", "c"), ("a", "d")]);
        assert_eq!(names(h.above("a")), ["b", "c", "d"]);
        assert_eq!(names(h.above("b")), ["c"]);
        assert!(h.above("c").is_empty());
    }

    #[test]
    fn above_ends_on_a_cycle_and_includes_itself_there() {
        let h = hierarchy(&[("a", "b"), ("b", "a")]);
        assert_eq!(names(h.above("a")), ["a", "b"]);
    }
}
