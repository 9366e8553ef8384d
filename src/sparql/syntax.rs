//! Syntax errors as people read them: the origin, line and column, what the parser expected
//! in words, and the line with a caret under the column.

use super::Source;
use crate::error::{Error, Position};
use oxigraph::sparql::SparqlSyntaxError;

/// A syntax error with its line and column, the offending line and a caret under the column.
pub fn error(source: &Source, error: &SparqlSyntaxError) -> Error {
    let text = error.to_string();
    match parse_peg_message(&text) {
        Some((position, message)) => Error::QuerySyntax {
            origin: source.origin.clone(),
            position,
            message: readable_expectation(&source.text, position, &message),
            rendered: caret(&source.text, position),
        },
        None => Error::QuerySyntaxNoPosition {
            origin: source.origin.clone(),
            message: text,
        },
    }
}

/// spargebra reports positions only in its message: "error at 3:7: expected one of …".
fn parse_peg_message(text: &str) -> Option<(Position, String)> {
    let rest = text.strip_prefix("error at ")?;
    let (position, message) = rest.split_once(": ")?;
    let (line, column) = position.split_once(':')?;
    Some((
        Position {
            line: line.parse().ok()?,
            column: column.parse().ok()?,
        },
        message.to_owned(),
    ))
}

/// The parser lists what it expected, tokens and Unicode character classes mixed; people need
/// the tokens and what was found instead.
fn readable_expectation(text: &str, position: Position, message: &str) -> String {
    let mut tokens: Vec<&str> = Vec::new();
    let mut rest = message;
    while let Some(start) = rest.find('"') {
        let Some(len) = rest[start + 1..].find('"') else {
            break;
        };
        let token = &rest[start + 1..start + 1 + len];
        if !token.is_empty() && !tokens.contains(&token) {
            tokens.push(token);
        }
        rest = &rest[start + len + 2..];
    }
    let found =
        found_at(text, position).map_or_else(|| "end of text".to_owned(), |c| format!("'{c}'"));
    if tokens.is_empty() {
        return format!("unexpected {found}");
    }
    let list = tokens
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(" ");
    format!("unexpected {found}; expected one of {list}")
}

/// The character at a 1-based line and column, if any.
fn found_at(text: &str, position: Position) -> Option<char> {
    let line = text
        .split('\n')
        .nth(usize::try_from(position.line.checked_sub(1)?).ok()?)?;
    line.chars()
        .nth(usize::try_from(position.column.checked_sub(1)?).ok()?)
        .or_else(|| {
            // Past the end of a line that is not the last: the parser stopped at a newline.
            (text.lines().count() > usize::try_from(position.line).ok()?).then_some('⏎')
        })
}

/// `  3 | SELECT ?x WHERE { ?x ff:label }` and a caret line under the column.
pub fn caret(text: &str, position: Position) -> String {
    let index = usize::try_from(position.line.saturating_sub(1)).unwrap_or(usize::MAX);
    let line: Vec<char> = text.lines().nth(index).unwrap_or("").chars().collect();
    let column = usize::try_from(position.column.saturating_sub(1)).unwrap_or(0);
    // A long line (a generated query, a hundred thousand brackets) is shown around the column.
    let (from, to) = if line.len() > 2 * CONTEXT {
        let from = column.saturating_sub(CONTEXT).min(line.len());
        (from, (column + CONTEXT).min(line.len()))
    } else {
        (0, line.len())
    };
    let before = if from > 0 { "…" } else { "" };
    let after = if to < line.len() { "…" } else { "" };
    let shown: String = line[from..to].iter().collect();
    let number = position.line.to_string();
    let pad = " ".repeat(number.len());
    let offset: String = before
        .chars()
        .map(|_| ' ')
        .chain(
            line[from..column.clamp(from, to)]
                .iter()
                .map(|c| if *c == '\t' { '\t' } else { ' ' }),
        )
        .collect();
    format!("{number} | {before}{shown}{after}\n{pad} | {offset}^")
}

/// How many characters either side of the column a long line shows.
const CONTEXT: usize = 40;

/// The byte offset of a 1-based line and column (in characters).
pub fn offset_of(text: &str, position: Position) -> usize {
    let mut offset = 0;
    for _ in 1..position.line {
        match text[offset..].find('\n') {
            Some(n) => offset += n + 1,
            None => return text.len(),
        }
    }
    let column = usize::try_from(position.column.saturating_sub(1)).unwrap_or(usize::MAX);
    text[offset..]
        .char_indices()
        .nth(column)
        .map_or(text.len(), |(i, _)| offset + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_sits_under_the_column() {
        assert_eq!(
            caret("ab\ncdef", Position { line: 2, column: 3 }),
            "2 | cdef\n  |   ^"
        );
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let line = "{".repeat(100_000);
        let shown = caret(
            &line,
            Position {
                line: 1,
                column: 50_001,
            },
        );
        let (text, marker) = shown.split_once('\n').expect("two lines");
        assert!(text.chars().count() < 100, "{text}");
        assert_eq!(
            text.chars().position(|c| c == '{').map(|p| p + CONTEXT),
            marker.chars().position(|c| c == '^')
        );
    }
}
