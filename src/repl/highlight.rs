//! Syntax highlighting of what is typed: each kind of token in its style, and the spaces that
//! indent a continuation line drawn as the continuation prompt.

use crate::sparql::lexer::{self, TokenKind};

/// The prompt, and the continuation prompt of the same width.
pub const PROMPT: &str = "ffkg> ";
pub const CONTINUATION: &str = " ...> ";
/// What Enter adds at the start of a continuation line; shown as [`CONTINUATION`].
pub const INDENT: &str = "      ";

pub const BOLD: &str = "\x1b[1m";
pub const DIM: &str = "\x1b[2m";
pub const RESET: &str = "\x1b[0m";

/// The style of a token.
fn style(kind: TokenKind) -> Option<&'static str> {
    Some(match kind {
        TokenKind::Keyword => "\x1b[1;34m",
        TokenKind::Function => "\x1b[34m",
        TokenKind::Variable => "\x1b[32m",
        TokenKind::Iri => "\x1b[35m",
        TokenKind::PrefixedName | TokenKind::BlankNode => "\x1b[36m",
        TokenKind::String | TokenKind::LangTag | TokenKind::Number => "\x1b[33m",
        TokenKind::Comment => DIM,
        _ => return None,
    })
}

/// The buffer with colors (when `color`) and continuation prompts.
pub fn highlight(line: &str, color: bool) -> String {
    let mut out = String::with_capacity(line.len() * 2);
    let tokens = lexer::tokens(line);
    // Dot-command lines are not SPARQL: their name in bold, the rest plain (but for `.explain`).
    let mut plain_until = 0;
    let mut i = 0;
    while i < tokens.len() {
        let token = tokens[i];
        let text = token.text(line);
        if token.kind == TokenKind::Space {
            out.push_str(&mark_continuations(text, color));
            i += 1;
            continue;
        }
        let line_start = line[..token.start].rfind('\n').map_or(0, |n| n + 1);
        let first_on_line = line[line_start..token.start].trim().is_empty();
        if first_on_line && text == "." {
            if let Some(name) = tokens.get(i + 1).filter(|t| {
                t.start == token.end && matches!(t.kind, TokenKind::Word | TokenKind::Keyword)
            }) {
                let name_text = name.text(line);
                push_styled(
                    &mut out,
                    &line[token.start..name.end],
                    color.then_some(BOLD),
                );
                if !name_text.eq_ignore_ascii_case("explain") {
                    plain_until = line[name.end..]
                        .find('\n')
                        .map_or(line.len(), |n| name.end + n);
                }
                i += 2;
                continue;
            }
        }
        let style = if token.start < plain_until {
            None
        } else {
            style(token.kind)
        };
        push_styled(&mut out, text, style.filter(|_| color));
        i += 1;
    }
    out
}

fn push_styled(out: &mut String, text: &str, style: Option<&str>) {
    match style {
        Some(style) => {
            out.push_str(style);
            out.push_str(text);
            out.push_str(RESET);
        }
        None => out.push_str(text),
    }
}

/// Spaces that start a continuation line shown as the continuation prompt.
fn mark_continuations(space: &str, color: bool) -> String {
    let marker = if color {
        format!("\n{DIM}{CONTINUATION}{RESET}")
    } else {
        format!("\n{CONTINUATION}")
    };
    space.replace(&format!("\n{INDENT}"), &marker)
}
