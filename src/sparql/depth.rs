//! The nesting check: how deep a statement's syntax tree can get, read off its tokens before
//! the parser sees it. SPARQL's parser, its evaluator and the drop of a parsed query all recurse
//! once per level, so a statement nested a hundred thousand levels deep would overflow any
//! stack; this check turns it into an error that names the limit and the place, and the
//! engine runs statements on threads whose stack holds [`LIMIT`] levels with room to spare
//! (see the engine's worker threads).
//!
//! A level is an open bracket (`{`, `(`, `[`) or a link of a chain the parser folds into a
//! tree one level deeper per link: `||`, `&&`, `+`, `-`, `*`, `/`, `|`, `^`, `!`, `UNION`,
//! `OPTIONAL`, `MINUS`, `FILTER`, `BIND`, `VALUES`, `SERVICE`, `GRAPH`, and a group that follows
//! another (`{…} {…}`). Lists the parser keeps flat — triple patterns, VALUES rows, function
//! arguments — add nothing, so a query with a hundred thousand VALUES rows is fine.

use super::Source;
use super::lexer::{TokenKind, tokens};
use super::syntax::{caret, position_of};
use crate::error::{Error, Result};

/// The deepest a statement may nest, counted as above.
pub const LIMIT: usize = 2_000;

const CHAIN_OPERATORS: &[&str] = &["||", "&&", "+", "-", "*", "/", "|", "^", "!"];
const CHAIN_KEYWORDS: &[&str] = &[
    "UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "VALUES", "SERVICE", "GRAPH",
];

/// The deepest level the text reaches, and the byte offset of the first token that goes past
/// `limit` (if one does).
pub fn measure(text: &str, limit: usize) -> (usize, Option<usize>) {
    // One entry per open bracket: the chain links seen at that level. The first entry is the
    // top level, outside every bracket.
    let mut levels: Vec<usize> = vec![0];
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut previous: Option<&str> = None;
    for token in tokens(text) {
        if !token.is_significant() {
            continue;
        }
        let word = token.text(text);
        match (token.kind, word) {
            (TokenKind::Punct, "{" | "(" | "[") => {
                if word == "{" && previous == Some("}") {
                    depth += 1;
                    if let Some(top) = levels.last_mut() {
                        *top += 1;
                    }
                }
                levels.push(0);
                depth += 1;
            }
            (TokenKind::Punct, "}" | ")" | "]") if levels.len() > 1 => {
                depth -= 1 + levels.pop().unwrap_or(0);
            }
            // `SELECT *` and `COUNT(*)` are not products.
            (TokenKind::Operator, "*")
                if previous.is_some_and(|p| {
                    p == "("
                        || ["SELECT", "DISTINCT", "REDUCED"]
                            .iter()
                            .any(|k| k.eq_ignore_ascii_case(p))
                }) => {}
            (TokenKind::Operator, op) if CHAIN_OPERATORS.contains(&op) => {
                depth += 1;
                if let Some(top) = levels.last_mut() {
                    *top += 1;
                }
            }
            (TokenKind::Keyword, keyword)
                if CHAIN_KEYWORDS
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(keyword)) =>
            {
                depth += 1;
                if let Some(top) = levels.last_mut() {
                    *top += 1;
                }
            }
            _ => {}
        }
        if depth > limit {
            return (depth, Some(token.start));
        }
        deepest = deepest.max(depth);
        previous = Some(word);
    }
    (deepest, None)
}

/// An error naming the limit and where the statement passes it, if it does.
pub fn check(source: &Source) -> Result<()> {
    let (_, Some(offset)) = measure(&source.text, LIMIT) else {
        return Ok(());
    };
    let position = position_of(&source.text, offset);
    Err(Error::TooDeep {
        origin: source.origin.clone(),
        position,
        limit: LIMIT,
        rendered: caret(&source.text, position),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_and_chains_add_levels() {
        assert_eq!(measure("SELECT * { ?s ?p ?o }", 100).0, 1);
        assert_eq!(measure("SELECT * { { { } } }", 100).0, 3);
        assert_eq!(measure("ASK { FILTER(1 + 2 + 3) }", 100).0, 5);
        assert_eq!(measure("SELECT * { {} UNION {} UNION {} }", 100).0, 4);
    }

    #[test]
    fn flat_lists_add_nothing() {
        let rows = "(1 2) ".repeat(100_000);
        let values = format!("SELECT * {{ VALUES (?a ?b) {{ {rows} }} }}");
        assert!(measure(&values, LIMIT).0 < 10);
        let patterns = "?s ?p ?o . ".repeat(100_000);
        assert!(measure(&format!("SELECT * {{ {patterns} }}"), LIMIT).0 < 10);
    }

    #[test]
    fn the_error_points_at_the_first_level_too_many() {
        let text = format!(
            "SELECT *\nWHERE {}{}",
            "{".repeat(100_000),
            "}".repeat(100_000)
        );
        let Err(Error::TooDeep {
            position, limit, ..
        }) = check(&Source::inline(1, text))
        else {
            panic!("expected a nesting error");
        };
        assert_eq!(limit, LIMIT);
        assert_eq!(position.line, 2);
        assert_eq!(position.column, 7 + LIMIT as u64);
    }

    #[test]
    fn brackets_in_strings_iris_and_comments_do_not_count() {
        let text = format!(
            "SELECT * {{ ?s ?p \"{}\" }} # {}",
            "{".repeat(10_000),
            "(".repeat(10_000)
        );
        assert_eq!(measure(&text, LIMIT).0, 1);
    }
}
