//! The SPARQL side of search: `ff:textMatch(?text, "words")` is true when the literal holds
//! every word, `ff:textScore(?text, "words")` is its BM25 score then (and unbound otherwise),
//! both with the dataset's [`TextIndex`].

use super::{Search, TextIndex};
use crate::sparql::prefixes::FF;
use oxigraph::model::{Literal, NamedNode, Term};
use oxigraph::sparql::SparqlEvaluator;
use std::sync::{Arc, Mutex};

/// The functions' local names in the ontology's namespace.
pub const NAMES: [&str; 2] = ["textMatch", "textScore"];

fn iri(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{FF}{name}"))
}

/// Whether a statement (as oxigraph writes it, IRIs in full) calls a search function, so that
/// only such statements wait for the index.
pub fn used_in(statement: &str) -> bool {
    NAMES
        .iter()
        .any(|name| statement.contains(&format!("<{FF}{name}>")))
}

/// A search text and what it was prepared into (None: it has no word).
type Prepared = (String, Option<Search>);

/// `evaluator` with the two functions, searching `index`.
pub fn register(evaluator: SparqlEvaluator, index: Arc<TextIndex>) -> SparqlEvaluator {
    // A statement almost always searches for one text: it is prepared once, not per row.
    let last: Arc<Mutex<Option<Prepared>>> = Arc::default();
    let score = move |args: &[Term]| -> Option<f64> {
        let [Term::Literal(text), Term::Literal(words)] = args else {
            return None;
        };
        let mut last = last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.as_ref().is_none_or(|(seen, _)| seen != words.value()) {
            *last = Some((words.value().to_owned(), index.search(words.value())));
        }
        let search = last.as_ref().and_then(|(_, search)| search.as_ref())?;
        index.score(text.value(), search)
    };
    let score = Arc::new(score);
    let matches = Arc::clone(&score);
    evaluator
        .with_custom_function(iri(NAMES[0]), move |args| {
            // Words that cannot match (none at all) are an error, as a wrong argument is.
            let [Term::Literal(_), Term::Literal(words)] = args else {
                return None;
            };
            super::tokens::terms(words.value()).first()?;
            Some(Literal::from(matches(args).is_some()).into())
        })
        .with_custom_function(iri(NAMES[1]), move |args| {
            score(args).map(|s| Literal::from(s).into())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::sparql::QueryResults;
    use oxigraph::store::Store;

    fn answers(query: &str) -> Vec<String> {
        let store = Store::new().unwrap();
        let index = Arc::new(TextIndex::build(
            ["Returnees in Türkiye", "Tunisia", "Foreign fighters"].map(String::from),
        ));
        let QueryResults::Solutions(rows) = register(SparqlEvaluator::new(), index)
            .parse_query(query)
            .unwrap()
            .on_store(&store)
            .execute()
            .unwrap()
        else {
            panic!("a SELECT");
        };
        rows.map(|row| {
            let row = row.unwrap();
            match row.get("x") {
                Some(Term::Literal(l)) if l.datatype().as_str().ends_with("#boolean") => {
                    l.value().to_owned()
                }
                Some(other) => other.to_string(),
                None => "-".to_owned(),
            }
        })
        .collect()
    }

    #[test]
    fn match_says_whether_every_word_occurs() {
        let q = |text: &str, words: &str| {
            answers(&format!(
                "PREFIX ff: <{FF}> SELECT ?x WHERE {{ BIND(ff:textMatch({text}, {words}) AS ?x) }}"
            ))
        };
        assert_eq!(
            q("\"Returnees in Türkiye\"", "\"turkiye return*\""),
            ["true"]
        );
        assert_eq!(q("\"Tunisia\"@en", "\"turkiye\""), ["false"]);
        // No word to look for, or not a literal: an error, so the variable stays unbound.
        assert_eq!(q("\"Tunisia\"", "\" ** \""), ["-"]);
        assert_eq!(q("<http://example.org/Tunisia>", "\"tunisia\""), ["-"]);
    }

    #[test]
    fn score_is_a_double_when_it_matches() {
        let q = |text: &str| {
            answers(&format!(
                "PREFIX ff: <{FF}> SELECT ?x WHERE {{ BIND(ff:textScore({text}, \"tunisia\") AS ?x) }}"
            ))
        };
        let [score] = q("\"Tunisia\"").try_into().unwrap();
        assert!(score.ends_with("^^<http://www.w3.org/2001/XMLSchema#double>"));
        assert_eq!(q("\"Foreign fighters\""), ["-"]);
    }

    #[test]
    fn statements_that_search_are_recognised() {
        assert!(used_in(&format!(
            "SELECT * {{ FILTER(<{FF}textMatch>(?l, \"x\")) }}"
        )));
        assert!(!used_in(&format!("SELECT * {{ ?s <{FF}about> ?o }}")));
    }
}
