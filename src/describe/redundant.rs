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
        let every: Vec<&String> = shown.out.keys().chain(shown.incoming.keys()).collect();
        if every.len() < 2 {
            return Ok(redundant);
        }
        let list = every
            .iter()
            .map(|p| format!("<{p}>"))
            .collect::<Vec<_>>()
            .join(", ");
        // ?p (in) is the inverse of ?q (out), or a superproperty of such an inverse.
        let inverses = self.rows(&format!(
            "SELECT DISTINCT ?p ?q WHERE {{ {{ ?q <{OWL}inverseOf> ?x }} UNION \
             {{ ?x <{OWL}inverseOf> ?q }} ?x <{RDFS}subPropertyOf>* ?p \
             FILTER(?p IN ({list}) && ?q IN ({list})) }}"
        ))?;
        for (p, q) in pairs(&inverses) {
            let (Some((n, subjects)), Some(values)) = (shown.incoming.get(&p), shown.out.get(&q))
            else {
                continue;
            };
            if *n == subjects.len() as u64 && subjects.is_subset(values) {
                redundant.incoming.insert(p);
            }
        }
        // ?b holds what its subproperty ?a holds (and they are not the same property).
        let supers = self.rows(&format!(
            "SELECT DISTINCT ?a ?b WHERE {{ ?a <{RDFS}subPropertyOf>+ ?b \
             FILTER(?a != ?b && ?a IN ({list}) && ?b IN ({list})) \
             FILTER NOT EXISTS {{ ?b <{RDFS}subPropertyOf>+ ?a }} }}"
        ))?;
        for (a, b) in pairs(&supers) {
            if let (Some(a_values), Some(b_values)) = (shown.out.get(&a), shown.out.get(&b)) {
                if a_values == b_values {
                    redundant.out.insert(b.clone());
                }
            }
            if let (Some(a_in), Some(b_in)) = (shown.incoming.get(&a), shown.incoming.get(&b)) {
                if a_in == b_in {
                    redundant.incoming.insert(b);
                }
            }
        }
        Ok(redundant)
    }
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
