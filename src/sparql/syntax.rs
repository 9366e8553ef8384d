//! Syntax errors as people read them: the origin, line and column, what the parser expected
//! in words, and the line with a caret under the column.

use super::Source;
use super::lexer::{Token, TokenKind, tokens};
use super::prefixes::PrefixMap;
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

/// The 1-based line and column (in characters) of a byte offset.
pub fn position_of(text: &str, offset: usize) -> Position {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rfind('\n')
        .map_or(before, |n| &before[n + 1..])
        .chars()
        .count()
        + 1;
    Position {
        line: line as u64,
        column: column as u64,
    }
}

/// A better account of a statement that does not parse, when the cause is one the parser
/// words poorly: a prefix that is not declared (it says "unexpected ' '"), or a relative IRI
/// with no base to resolve it against (it says "unexpected 'o'"). `declared` are the prefixes
/// the session declares; the statement's own PREFIX and BASE lines count too.
pub fn diagnose(source: &Source, declared: &PrefixMap, base: bool) -> Option<Error> {
    let text = &source.text;
    let tokens: Vec<Token> = tokens(text)
        .into_iter()
        .filter(Token::is_significant)
        .collect();
    let mut own: Vec<&str> = Vec::new();
    let mut has_base = base;
    for (i, token) in tokens.iter().enumerate() {
        let word = token.text(text);
        let after_keyword =
            |keyword: &str| i > 0 && tokens[i - 1].text(text).eq_ignore_ascii_case(keyword);
        match token.kind {
            TokenKind::Keyword if word.eq_ignore_ascii_case("BASE") => has_base = true,
            TokenKind::PrefixedName if after_keyword("PREFIX") => {
                own.push(word.split(':').next().unwrap_or_default());
            }
            TokenKind::PrefixedName => {
                let prefix = word.split(':').next().unwrap_or_default();
                if declared.get(prefix).is_none() && !own.contains(&prefix) {
                    // The graph's own prefixes first: they are the ones most often meant.
                    let mut names: Vec<(bool, String)> = declared
                        .iter()
                        .map(|(name, iri)| (!iri.starts_with(OWN), format!("{name}:")))
                        .collect();
                    names.sort_by_key(|(other, _)| *other);
                    let names: Vec<String> =
                        names.into_iter().take(12).map(|(_, name)| name).collect();
                    return Some(located(
                        source,
                        token.start,
                        format!(
                            "prefix {prefix}: is not declared (declared: {}, …); add \
                             PREFIX {prefix}: <…> or use a declared one",
                            names.join(", ")
                        ),
                    ));
                }
            }
            TokenKind::Iri if !has_base && !after_keyword("BASE") => {
                let iri = word.trim_start_matches('<').trim_end_matches('>');
                let absolute = iri.split_once(':').is_some_and(|(scheme, _)| {
                    !scheme.is_empty()
                        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                        && scheme
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                });
                if !absolute {
                    return Some(located(
                        source,
                        token.start,
                        format!(
                            "relative IRI <{iri}> needs a base to resolve against: give --base \
                             IRI, a BASE line, or a full IRI"
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
    None
}

/// The graph's own namespaces.
const OWN: &str = "https://w3id.org/ffkg/";

fn located(source: &Source, offset: usize, message: String) -> Error {
    let position = position_of(&source.text, offset);
    Error::QuerySyntax {
        origin: source.origin.clone(),
        position,
        message,
        rendered: caret(&source.text, position),
    }
}

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
