//! Where in a triple pattern the word being completed stands, read from the tokens before it:
//! after `a` (or `rdf:type`) a class goes, in a predicate's place a property, elsewhere
//! anything. A guess for completion only: anything it cannot read is [`Place::Any`].

use crate::sparql::lexer::{self, Token, TokenKind};

/// What kind of name the completer should offer first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Class,
    Property,
    Any,
}

/// The place of a word that starts at the end of `before`.
pub fn place(before: &str) -> Place {
    let tokens: Vec<Token> = lexer::tokens(before)
        .into_iter()
        .filter(Token::is_significant)
        .collect();
    // The terms between the word and the `{`, `.` or `;` that starts its part of a pattern.
    let mut terms: Vec<&str> = Vec::new();
    for token in tokens.iter().rev() {
        let text = token.text(before);
        let first = match (token.kind, text) {
            (TokenKind::Punct, "{" | ".") => 0,
            // After `;` comes a predicate.
            (TokenKind::Punct, ";") => 1,
            (
                TokenKind::Variable
                | TokenKind::Iri
                | TokenKind::PrefixedName
                | TokenKind::BlankNode
                | TokenKind::String
                | TokenKind::Number
                | TokenKind::LangTag,
                _,
            ) => {
                terms.push(text);
                continue;
            }
            (TokenKind::Keyword, "a") => {
                terms.push(text);
                continue;
            }
            _ => return Place::Any,
        };
        // A language tag is part of its string.
        let count = terms.iter().filter(|t| !t.starts_with('@')).count();
        return match first + count {
            1 => Place::Property,
            2 if terms.first().is_some_and(|p| *p == "a" || *p == "rdf:type") => Place::Class,
            _ => Place::Any,
        };
    }
    Place::Any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_class_after_a_and_a_property_in_a_predicates_place() {
        for (before, expected) in [
            ("SELECT * WHERE { ?x a ", Place::Class),
            ("SELECT * WHERE { ?x rdf:type ", Place::Class),
            ("SELECT * WHERE { ?x ", Place::Property),
            ("SELECT * WHERE { ?x a ff:Country ; ", Place::Property),
            ("SELECT * WHERE { ?x a ff:Country . ?x ", Place::Property),
            (
                "SELECT * WHERE { ?x ff:about ?y ; rdfs:label \"a\"@en . <s> ",
                Place::Property,
            ),
            ("SELECT * WHERE { ", Place::Any),
            ("SELECT * WHERE { ?x ff:about ", Place::Any),
            ("SELECT * WHERE { ?x a ff:Country , ", Place::Any),
            ("SELECT * WHERE { ?x ?p ?o FILTER(?o = ", Place::Any),
            ("SELECT ", Place::Any),
            ("", Place::Any),
        ] {
            assert_eq!(place(before), expected, "{before}");
        }
    }
}
