//! Splitting text into statements: SPARQL queries and updates ended by `;`, and dot-command
//! lines. The SPARQL parser decides where a statement ends, so a `;` in a predicate list, a
//! GROUP_CONCAT separator, an update sequence, a string, an IRI or a comment never splits one.
//!
//! The rule: a `;` inside brackets, strings, IRIs or comments is SPARQL's (predicate lists,
//! GROUP_CONCAT separators). Outside them, SPARQL has a `;` only between the operations of an
//! update, so there a `;` ends the statement — unless the parser says the text before it is a
//! complete update and another update operation follows (`INSERT DATA {…} ; DELETE …`). A
//! line that starts with `.` and a letter at the start of a statement is a dot-command; it also
//! ends an unterminated statement before it, unless the parser says that statement is
//! unfinished. The parser also decides whether an unterminated statement is complete
//! ([`completeness`]), for hints and for `.explain` and `.chart`, whose query ends with its line.

use super::lexer::{Token, TokenKind, UPDATE_STARTS, run, tokens};
use super::syntax::offset_of;
use super::{Kind, Settings, Source};
use crate::error::Error;
use oxigraph::model::NamedNode;

/// What the parser says about a text so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completeness {
    /// It parses as a query or an update.
    Complete(Kind),
    /// It stops too early: more text could make it parse.
    Incomplete,
    /// It is wrong before its end.
    Invalid,
}

/// Asks the parser whether `text` is a complete query or update.
pub fn completeness(text: &str, settings: &Settings) -> Completeness {
    let source = Source {
        origin: String::new(),
        text: text.to_owned(),
    };
    let query = match settings.parse_query(&source) {
        Ok(_) => return Completeness::Complete(Kind::Query),
        Err(e) => e,
    };
    let update = match settings.parse_update(&source) {
        Ok(_) => return Completeness::Complete(Kind::Update),
        Err(e) => e,
    };
    let end = tokens(text)
        .iter()
        .rev()
        .find(|t| t.is_significant())
        .map_or(0, |t| t.end);
    let at_end = |e: &Error| error_offset(text, e).is_some_and(|offset| offset >= end);
    if at_end(&query) || at_end(&update) {
        Completeness::Incomplete
    } else {
        Completeness::Invalid
    }
}

/// The byte offset a syntax error points at.
fn error_offset(text: &str, error: &Error) -> Option<usize> {
    match error {
        Error::QuerySyntax { position, .. } => Some(offset_of(text, *position)),
        _ => None,
    }
}

/// What a chunk of input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    /// A dot-command line (with `.explain` and `.chart`, the query after it too).
    Command,
    /// A SPARQL query or update.
    Statement,
}

/// One statement or dot-command and where it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub kind: ChunkKind,
    /// The statement without its `;`, or the command line.
    pub text: String,
    /// 1-based line of its first character in the whole text.
    pub line: usize,
    /// 1-based column (in characters) of its first character.
    pub column: usize,
    /// A statement ended by its `;`, or a whole command; false when the text ran out first.
    pub complete: bool,
    /// The byte offset where the next chunk may start (after the `;`).
    pub end: usize,
}

impl Chunk {
    /// The text preceded by blank lines and spaces, so that the parser's line and column
    /// numbers are those of the whole input.
    pub fn positioned_text(&self) -> String {
        let mut text = "\n".repeat(self.line.saturating_sub(1));
        text.push_str(&" ".repeat(self.column.saturating_sub(1)));
        text.push_str(&self.text);
        text
    }
}

/// Splits text into statements and dot-commands (see the module documentation for the rule).
/// Text that has nothing but spaces and comments gives no chunk.
pub fn split(text: &str, settings: &Settings) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut from = 0;
    while let Some(chunk) = next_chunk(text, from, settings) {
        from = chunk.end;
        chunks.push(chunk);
    }
    chunks
}

/// The first statement or dot-command at or after byte `from` (a chunk boundary, such as the
/// `end` of the chunk before). Running statements one at a time this way lets a prefix declared
/// by one statement count when the next is split.
pub fn next_chunk(text: &str, from: usize, settings: &Settings) -> Option<Chunk> {
    let from = from.min(text.len());
    let toks: Vec<Token> = tokens(&text[from..])
        .into_iter()
        .filter(Token::is_significant)
        .map(|t| Token {
            start: t.start + from,
            end: t.end + from,
            ..t
        })
        .collect();
    let mut t = 0;
    while t < toks.len() {
        let start = toks[t].start;
        if starts_command(text, &toks, t) {
            let (chunk, next) = command(text, &toks, t, settings);
            return Some(Chunk {
                end: boundary(text, &toks, next),
                ..chunk
            });
        }
        let mut depth = 0i64;
        let mut end = None;
        let mut j = t;
        while j < toks.len() {
            let tok = toks[j];
            if j > t && starts_command(text, &toks, j) {
                let before = &text[start..tok.start];
                if completeness(before, settings) != Completeness::Incomplete {
                    break;
                }
            }
            match tok.text(text) {
                "{" | "(" | "[" if tok.kind == TokenKind::Punct => depth += 1,
                "}" | ")" | "]" if tok.kind == TokenKind::Punct => depth -= 1,
                ";" if tok.kind == TokenKind::Punct && depth <= 0 => {
                    // Outside brackets SPARQL has a `;` only between the operations of an
                    // update; anywhere else it ends the statement (and a wrong one shows its
                    // error, where the parser cannot always tell wrong from unfinished).
                    let sequence = continues_update(text, &toks, j + 1)
                        && completeness(&text[start..tok.start], settings)
                            == Completeness::Complete(Kind::Update);
                    if !sequence {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let (text_end, next, complete) = match end {
            Some(semicolon) => (toks[semicolon].start, semicolon + 1, true),
            None if j < toks.len() => (toks[j - 1].end, j, false),
            None => (toks.last().map_or(start, |t| t.end), toks.len(), false),
        };
        let statement = text[start..text_end].trim_end();
        // A lone `;` is an empty statement: nothing to run.
        if !statement.is_empty() {
            let chunk = chunk_at(text, start, ChunkKind::Statement, statement, complete);
            return Some(Chunk {
                end: boundary(text, &toks, next),
                ..chunk
            });
        }
        t = next;
    }
    None
}

/// Whether `text` holds nothing but `PREFIX` and `BASE` declarations.
fn only_prologue(text: &str) -> bool {
    let toks: Vec<Token> = tokens(text)
        .into_iter()
        .filter(Token::is_significant)
        .collect();
    let mut i = 0;
    while let Some(tok) = toks.get(i) {
        let word = tok.text(text);
        i += if word.eq_ignore_ascii_case("prefix") {
            3
        } else if word.eq_ignore_ascii_case("base") {
            2
        } else {
            return false;
        };
    }
    true
}

/// Where scanning resumes after a chunk that ends before token `next`.
fn boundary(text: &str, toks: &[Token], next: usize) -> usize {
    toks.get(next).map_or(text.len(), |t| t.start)
}

/// True when everything typed so far is whole: each statement ended by `;` or followed by a
/// command, the last command complete. The REPL's validator.
pub fn is_complete(text: &str, settings: &Settings) -> bool {
    split(text, settings)
        .last()
        .is_none_or(|chunk| chunk.complete)
}

fn chunk_at(text: &str, start: usize, kind: ChunkKind, body: &str, complete: bool) -> Chunk {
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    Chunk {
        kind,
        text: body.to_owned(),
        line,
        column: text[line_start..start].chars().count() + 1,
        complete,
        end: start + body.len(),
    }
}

/// A `.` directly followed by a letter, first on its line: a dot-command.
fn starts_command(text: &str, toks: &[Token], t: usize) -> bool {
    let tok = toks[t];
    if tok.kind != TokenKind::Punct || tok.text(text) != "." {
        return false;
    }
    let line_start = text[..tok.start].rfind('\n').map_or(0, |n| n + 1);
    text[line_start..tok.start].trim().is_empty()
        && text[tok.end..].starts_with(|c: char| c.is_ascii_alphabetic())
}

/// A dot-command from the token at `t`: its line, and for `.explain` and `.chart` the query
/// that follows, which ends at a `;` or at the end of a line where it is complete (or wrong).
fn command(text: &str, toks: &[Token], t: usize, settings: &Settings) -> (Chunk, usize) {
    let start = toks[t].start;
    let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    let line = text[start..line_end].trim_end();
    let after_line = toks.partition_point(|tok| tok.start < line_end);
    let name_end = start
        + 1
        + run(&text[start + 1..], |c| {
            c.is_ascii_alphanumeric() || c == '_'
        });
    let name = &text[start + 1..name_end];
    let takes_query = ["explain", "chart"]
        .iter()
        .any(|command| name.eq_ignore_ascii_case(command));
    let has_query = !text[name_end..line_end].trim().is_empty();
    if !takes_query || !has_query {
        return (
            chunk_at(text, start, ChunkKind::Command, line, true),
            after_line,
        );
    }
    let first = toks.partition_point(|tok| tok.start < name_end);
    let mut depth = 0i64;
    for (j, tok) in toks.iter().enumerate().skip(first) {
        // At the end of each line, the query may be done.
        let line_ends_here = toks
            .get(j + 1)
            .is_none_or(|next| text[tok.end..next.start].contains('\n'));
        match tok.text(text) {
            "{" | "(" | "[" if tok.kind == TokenKind::Punct => depth += 1,
            "}" | ")" | "]" if tok.kind == TokenKind::Punct => depth -= 1,
            ";" if tok.kind == TokenKind::Punct && depth <= 0 => {
                let before = &text[name_end..tok.start];
                if completeness(before, settings) != Completeness::Incomplete {
                    let body = text[start..tok.start].trim_end();
                    return (chunk_at(text, start, ChunkKind::Command, body, true), j + 1);
                }
                continue;
            }
            _ => {}
        }
        // A prologue alone parses (as an empty update): the query is on the lines after it.
        if line_ends_here
            && !only_prologue(&text[name_end..tok.end])
            && completeness(&text[name_end..tok.end], settings) != Completeness::Incomplete
        {
            let body = text[start..tok.end].trim_end();
            return (chunk_at(text, start, ChunkKind::Command, body, true), j + 1);
        }
    }
    let body = text[start..].trim_end();
    (
        chunk_at(text, start, ChunkKind::Command, body, false),
        toks.len(),
    )
}

/// After the `;` of a complete update: true when another update operation follows (an update
/// sequence), skipping PREFIX and BASE declarations before it.
fn continues_update(text: &str, toks: &[Token], mut k: usize) -> bool {
    loop {
        let Some(tok) = toks.get(k) else {
            return false;
        };
        let word = tok.text(text);
        if tok.kind != TokenKind::Keyword {
            return false;
        }
        if word.eq_ignore_ascii_case("PREFIX") {
            k += 3;
        } else if word.eq_ignore_ascii_case("BASE") {
            k += 2;
        } else {
            return UPDATE_STARTS.iter().any(|u| u.eq_ignore_ascii_case(word));
        }
    }
}

/// The prefixes a statement declares with PREFIX, in order, as (name, namespace IRI); only
/// absolute IRIs (a relative one depends on BASE).
pub fn declared_prefixes(text: &str) -> Vec<(String, String)> {
    let toks: Vec<Token> = tokens(text)
        .into_iter()
        .filter(Token::is_significant)
        .collect();
    toks.windows(3)
        .filter_map(|w| {
            let [keyword, name, iri] = w else {
                return None;
            };
            let name_text = name.text(text);
            let iri_text = iri.text(text);
            (keyword.kind == TokenKind::Keyword
                && keyword.text(text).eq_ignore_ascii_case("PREFIX")
                && name.kind == TokenKind::PrefixedName
                && name_text.ends_with(':')
                && iri.kind == TokenKind::Iri)
                .then(|| {
                    (
                        name_text.trim_end_matches(':').to_owned(),
                        iri_text[1..iri_text.len() - 1].to_owned(),
                    )
                })
        })
        .filter(|(_, iri)| NamedNode::new(iri.as_str()).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::default()
    }

    fn texts(input: &str) -> Vec<(ChunkKind, String, bool)> {
        split(input, &settings())
            .into_iter()
            .map(|c| (c.kind, c.text, c.complete))
            .collect()
    }

    fn statement(text: &str, complete: bool) -> (ChunkKind, String, bool) {
        (ChunkKind::Statement, text.to_owned(), complete)
    }

    #[test]
    fn a_semicolon_after_a_complete_query_ends_it() {
        assert_eq!(
            texts("SELECT * WHERE { ?s ?p ?o } ;\nASK {}\n;"),
            vec![
                statement("SELECT * WHERE { ?s ?p ?o }", true),
                statement("ASK {}", true)
            ]
        );
    }

    #[test]
    fn predicate_lists_do_not_end_a_statement() {
        let q = "SELECT ?c ?l WHERE {\n  ?c a ff:Country ;\n     rdfs:label ?l ;\n}";
        assert_eq!(texts(&format!("{q};")), vec![statement(q, true)]);
        // In a CONSTRUCT template too.
        let c = "CONSTRUCT { ?c rdfs:label ?l ;\n ff:x 1 } WHERE { ?c rdfs:label ?l }";
        assert_eq!(texts(&format!("{c} ;")), vec![statement(c, true)]);
    }

    #[test]
    fn group_concat_separators_do_not_end_a_statement() {
        let q = "SELECT (GROUP_CONCAT(?l ; separator=\";\") AS ?all) WHERE { ?c rdfs:label ?l }";
        assert_eq!(texts(&format!("{q};")), vec![statement(q, true)]);
    }

    #[test]
    fn strings_iris_and_comments_hide_semicolons() {
        let q = "SELECT * WHERE { # a comment; with a semicolon\n ?s ?p \"a;b\" , '''x;\ny''' , <http://e.org/a;b> }";
        assert_eq!(texts(&format!("{q};")), vec![statement(q, true)]);
        // A semicolon in a comment after the query is not its end either.
        assert_eq!(texts("ASK {} # done;\n"), vec![statement("ASK {}", false)]);
    }

    #[test]
    fn update_sequences_stay_together() {
        let u = "INSERT DATA { <http://e.org/a> <http://e.org/p> 1 } ;\nDELETE DATA { <http://e.org/a> <http://e.org/p> 2 } ;\nPREFIX e: <http://e.org/> CLEAR DEFAULT";
        assert_eq!(
            texts(&format!("{u} ;\nASK {{}};")),
            vec![statement(u, true), statement("ASK {}", true)]
        );
    }

    #[test]
    fn an_update_followed_by_a_query_splits() {
        assert_eq!(
            texts("INSERT DATA { <http://e.org/a> <http://e.org/p> 1 } ; SELECT * {} ;"),
            vec![
                statement("INSERT DATA { <http://e.org/a> <http://e.org/p> 1 }", true),
                statement("SELECT * {}", true)
            ]
        );
    }

    #[test]
    fn blank_lines_inside_a_query_are_fine() {
        let q = "SELECT ?s\n\nWHERE {\n\n  ?s ?p ?o\n\n}";
        assert_eq!(texts(&format!("{q}\n\n;")), vec![statement(q, true)]);
    }

    #[test]
    fn a_statement_without_its_semicolon_is_incomplete() {
        let settings = settings();
        assert!(!is_complete("SELECT * WHERE { ?s ?p ?o }", &settings));
        assert!(!is_complete(
            "SELECT * WHERE { ?s a ff:Country ;",
            &settings
        ));
        assert!(is_complete("SELECT * WHERE { ?s ?p ?o } ;", &settings));
        assert!(is_complete("", &settings));
        assert!(is_complete("  # just a comment\n", &settings));
    }

    #[test]
    fn a_wrong_statement_ends_at_its_semicolon_so_its_error_shows() {
        let settings = settings();
        assert!(is_complete("SELEC * WHERE { ?s ?p ?o } ;", &settings));
        // The parser reports this one at the end of the text, as if it were unfinished.
        assert!(is_complete(
            "SELECT ?x WHERE { ?x a ff:Country . FILTER(?x = ) } ;",
            &settings
        ));
        // A `;` inside braces of a wrong query is not its end.
        assert_eq!(
            texts("SELEC ?x WHERE { ?x a ff:C ; rdfs:label ?l } ;"),
            vec![statement(
                "SELEC ?x WHERE { ?x a ff:C ; rdfs:label ?l }",
                true
            )]
        );
    }

    #[test]
    fn dot_commands_are_lines() {
        assert_eq!(
            texts(".timing on\nSELECT * {} ;\n.describe country:TUN\n"),
            vec![
                (ChunkKind::Command, ".timing on".to_owned(), true),
                statement("SELECT * {}", true),
                (ChunkKind::Command, ".describe country:TUN".to_owned(), true),
            ]
        );
        // A command ends an unterminated statement before it.
        assert_eq!(
            texts("ASK {}\n.quit"),
            vec![
                statement("ASK {}", false),
                (ChunkKind::Command, ".quit".to_owned(), true)
            ]
        );
        assert!(is_complete(".help", &settings()));
    }

    #[test]
    fn a_dot_in_a_triple_pattern_is_not_a_command() {
        let q = "SELECT * WHERE { ?s ?p ?o\n.x ?p ?o }";
        // `.x` at a line start inside an incomplete query belongs to the query.
        assert_eq!(split(q, &settings()).len(), 1);
    }

    #[test]
    fn explain_takes_a_query_that_ends_with_its_line() {
        assert_eq!(
            texts(".explain SELECT * WHERE { ?s ?p ?o }\nASK {};"),
            vec![
                (
                    ChunkKind::Command,
                    ".explain SELECT * WHERE { ?s ?p ?o }".to_owned(),
                    true
                ),
                statement("ASK {}", true)
            ]
        );
        let multi = ".explain SELECT * WHERE {\n ?s ?p ?o\n}";
        assert_eq!(
            texts(multi),
            vec![(ChunkKind::Command, multi.to_owned(), true)]
        );
        assert!(!is_complete(".explain SELECT * WHERE {", &settings()));
        let predicate_list = ".explain SELECT ?c WHERE { ?c a ff:Country ; rdfs:label ?l } LIMIT 3";
        assert_eq!(
            texts(predicate_list),
            vec![(ChunkKind::Command, predicate_list.to_owned(), true)]
        );
        // A first line of declarations alone is not the query.
        let prologue = ".explain PREFIX ex: <http://e/>\nBASE <http://b/>\nASK { ?s ex:p ?o }";
        assert_eq!(
            texts(prologue),
            vec![(ChunkKind::Command, prologue.to_owned(), true)]
        );
        assert!(!is_complete(".explain PREFIX ex: <http://e/>", &settings()));
    }

    #[test]
    fn positions_are_those_of_the_whole_input() {
        let chunks = split("ASK {} ;\n\n  SELECT * {} ; ASK {}", &settings());
        let starts: Vec<(usize, usize)> = chunks.iter().map(|c| (c.line, c.column)).collect();
        assert_eq!(starts, vec![(1, 1), (3, 3), (3, 17)]);
        assert_eq!(chunks[1].positioned_text(), "\n\n  SELECT * {}");
    }

    #[test]
    fn chunks_can_be_taken_one_at_a_time() {
        let text = "ASK {} ;\n.timing on\nSELECT * {} ;";
        let first = next_chunk(text, 0, &settings()).expect("a first chunk");
        assert_eq!(first.text, "ASK {}");
        let second = next_chunk(text, first.end, &settings()).expect("a second chunk");
        assert_eq!(
            (second.kind, second.text.as_str()),
            (ChunkKind::Command, ".timing on")
        );
        let third = next_chunk(text, second.end, &settings()).expect("a third chunk");
        assert_eq!((third.line, third.text.as_str()), (3, "SELECT * {}"));
        assert_eq!(next_chunk(text, third.end, &settings()), None);
    }

    #[test]
    fn completeness_tells_incomplete_from_wrong() {
        let s = settings();
        assert_eq!(
            completeness("SELECT * WHERE { ?s ?p ", &s),
            Completeness::Incomplete
        );
        assert_eq!(
            completeness("SELECT * WHERE { ?s ?p ?o } LIMIT", &s),
            Completeness::Incomplete
        );
        assert_eq!(completeness("SELEC * {}", &s), Completeness::Invalid);
        assert_eq!(
            completeness("ASK {}", &s),
            Completeness::Complete(Kind::Query)
        );
        assert_eq!(
            completeness("CLEAR DEFAULT", &s),
            Completeness::Complete(Kind::Update)
        );
    }

    #[test]
    fn finds_declared_prefixes() {
        assert_eq!(
            declared_prefixes(
                "PREFIX ex: <http://example.org/>\nprefix : <http://e.org/#> BASE <http://b/> PREFIX r: <rel/> SELECT * {}"
            ),
            vec![
                ("ex".to_owned(), "http://example.org/".to_owned()),
                (String::new(), "http://e.org/#".to_owned())
            ]
        );
        // Text in a string is not a declaration.
        assert!(declared_prefixes("SELECT * { ?s ?p \"PREFIX x: <http://x/>\" }").is_empty());
    }
}
