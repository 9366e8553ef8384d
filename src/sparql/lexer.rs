//! A small SPARQL lexer: tokens with their byte ranges, spaces and comments included, for the
//! statement splitter, the nesting check, and the REPL's highlighter and completer.

/// What a token of SPARQL text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A SPARQL keyword (`SELECT`, `WHERE`, `a` …), case-insensitive.
    Keyword,
    /// A built-in function or aggregate name (`CONTAINS`, `COUNT` …).
    Function,
    /// Any other bare word.
    Word,
    /// `?name` or `$name`.
    Variable,
    /// `<…>`.
    Iri,
    /// `prefix:local`, `prefix:` or `:local`.
    PrefixedName,
    /// `_:name`.
    BlankNode,
    /// A string literal, possibly unterminated.
    String,
    Number,
    /// `@en` after a string.
    LangTag,
    /// `# …` to the end of the line.
    Comment,
    /// Brackets, `;`, `,`, `.` and the like.
    Punct,
    /// `=`, `<=`, `&&`, `^^` …
    Operator,
    Space,
}

/// A token: its kind and byte range in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// False for spaces and comments.
    pub fn is_significant(&self) -> bool {
        !matches!(self.kind, TokenKind::Space | TokenKind::Comment)
    }
}

/// SPARQL keywords, upper case; `a` is matched as written.
pub const KEYWORDS: &[&str] = &[
    "ADD",
    "ALL",
    "AS",
    "ASC",
    "ASK",
    "BASE",
    "BIND",
    "BY",
    "CLEAR",
    "CONSTRUCT",
    "COPY",
    "CREATE",
    "DATA",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DESCRIBE",
    "DISTINCT",
    "DROP",
    "EXISTS",
    "FALSE",
    "FILTER",
    "FROM",
    "GRAPH",
    "GROUP",
    "HAVING",
    "IN",
    "INSERT",
    "INTO",
    "LIMIT",
    "LOAD",
    "MINUS",
    "MOVE",
    "NAMED",
    "NOT",
    "OFFSET",
    "OPTIONAL",
    "ORDER",
    "PREFIX",
    "REDUCED",
    "SELECT",
    "SEPARATOR",
    "SERVICE",
    "SILENT",
    "TO",
    "TRUE",
    "UNDEF",
    "UNION",
    "USING",
    "VALUES",
    "WHERE",
    "WITH",
];

/// Built-in functions and aggregates, as the specification spells them.
pub const FUNCTIONS: &[&str] = &[
    "ABS",
    "AVG",
    "BNODE",
    "BOUND",
    "CEIL",
    "COALESCE",
    "CONCAT",
    "CONTAINS",
    "COUNT",
    "DATATYPE",
    "DAY",
    "ENCODE_FOR_URI",
    "FLOOR",
    "GROUP_CONCAT",
    "HOURS",
    "IF",
    "IRI",
    "isBLANK",
    "isIRI",
    "isLITERAL",
    "isNUMERIC",
    "isURI",
    "LANG",
    "LANGMATCHES",
    "LCASE",
    "MAX",
    "MD5",
    "MIN",
    "MINUTES",
    "MONTH",
    "NOW",
    "RAND",
    "REGEX",
    "REPLACE",
    "ROUND",
    "SAMPLE",
    "sameTerm",
    "SECONDS",
    "SHA1",
    "SHA256",
    "SHA384",
    "SHA512",
    "STR",
    "STRAFTER",
    "STRBEFORE",
    "STRDT",
    "STRENDS",
    "STRLANG",
    "STRLEN",
    "STRSTARTS",
    "STRUUID",
    "SUBSTR",
    "SUM",
    "TIMEZONE",
    "TZ",
    "UCASE",
    "URI",
    "UUID",
    "YEAR",
];

/// The keywords an update operation starts with.
pub const UPDATE_STARTS: &[&str] = &[
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
];

/// Splits SPARQL text into tokens, spaces and comments included, covering the whole text.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = 0;
    while let Some(c) = text[start..].chars().next() {
        let rest = &text[start..];
        let (kind, len) = match c {
            c if c.is_whitespace() => (TokenKind::Space, run(rest, char::is_whitespace)),
            '#' => (TokenKind::Comment, rest.find('\n').unwrap_or(rest.len())),
            '"' | '\'' => (TokenKind::String, string_len(rest, c)),
            '<' => match iri_len(rest) {
                Some(len) => (TokenKind::Iri, len),
                None => (TokenKind::Operator, operator_len(rest)),
            },
            '?' | '$' => match name_len(&rest[1..]) {
                0 => (TokenKind::Punct, 1),
                n => (TokenKind::Variable, 1 + n),
            },
            '@' => match run(&rest[1..], |c| c.is_ascii_alphanumeric() || c == '-') {
                0 => (TokenKind::Punct, 1),
                n => (TokenKind::LangTag, 1 + n),
            },
            '_' if rest.starts_with("_:") => (TokenKind::BlankNode, 2 + local_len(&rest[2..])),
            ':' => (TokenKind::PrefixedName, 1 + local_len(&rest[1..])),
            c if c.is_ascii_digit() => (TokenKind::Number, number_len(rest)),
            '.' if rest[1..].starts_with(|c: char| c.is_ascii_digit()) => {
                (TokenKind::Number, number_len(rest))
            }
            c if c.is_alphabetic() || c == '_' => word(rest),
            '{' | '}' | '(' | ')' | '[' | ']' | ';' | ',' | '.' => (TokenKind::Punct, 1),
            _ => (TokenKind::Operator, operator_len(rest)),
        };
        let len = len.max(c.len_utf8());
        out.push(Token {
            kind,
            start,
            end: start + len,
        });
        start += len;
    }
    out
}

/// The length of the leading run of characters that satisfy `f`.
pub fn run(text: &str, f: impl Fn(char) -> bool) -> usize {
    text.find(|c| !f(c)).unwrap_or(text.len())
}

/// A string literal, short or long, up to its closing quote; an unterminated short string
/// stops before the end of its line, a long one at the end of the text.
fn string_len(text: &str, quote: char) -> usize {
    let triple: String = std::iter::repeat_n(quote, 3).collect();
    let long = text.starts_with(&triple);
    let mut chars = text.char_indices().skip(if long { 3 } else { 1 });
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '\n' if !long => return i,
            c if c == quote => {
                if !long {
                    return i + 1;
                }
                if text[i..].starts_with(&triple) {
                    return i + 3;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// `<…>` when it is an IRI (no spaces or forbidden characters before `>`), else `None`: then
/// `<` is the less-than operator.
fn iri_len(text: &str) -> Option<usize> {
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '>' => return Some(i + 1),
            '<' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' => return None,
            c if c.is_whitespace() || c.is_control() => return None,
            _ => {}
        }
    }
    None
}

fn operator_len(text: &str) -> usize {
    if ["<=", ">=", "!=", "&&", "||", "^^"]
        .iter()
        .any(|op| text.starts_with(op))
    {
        2
    } else {
        text.chars().next().map_or(1, char::len_utf8)
    }
}

/// A variable's name: letters, digits and `_`.
fn name_len(text: &str) -> usize {
    run(text, |c| c.is_alphanumeric() || c == '_')
}

/// The local part of a prefixed name: name characters, `.` inside (not last), `:`, `-`,
/// `%xx` and `\`-escapes.
fn local_len(text: &str) -> usize {
    let mut end = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.' | '%') => {
                end = i + c.len_utf8();
            }
            '\\' => match chars.next() {
                Some((j, e)) => end = j + e.len_utf8(),
                None => break,
            },
            _ => break,
        }
    }
    // A final dot ends the triple, it is not part of the name.
    text[..end].trim_end_matches('.').len()
}

fn number_len(text: &str) -> usize {
    let digits = |s: &str| run(s, |c| c.is_ascii_digit());
    let mut len = digits(text);
    let rest = &text[len..];
    if rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
        len += 1 + digits(&rest[1..]);
    }
    let rest = &text[len..];
    if rest.starts_with(['e', 'E']) {
        let sign = usize::from(rest[1..].starts_with(['+', '-']));
        let exp = digits(&rest[1 + sign..]);
        if exp > 0 {
            len += 1 + sign + exp;
        }
    }
    len
}

/// A bare word (keyword, function or other) or a prefixed name `prefix:local`.
fn word(text: &str) -> (TokenKind, usize) {
    let prefix = run(text, |c| {
        c.is_alphanumeric() || matches!(c, '_' | '-' | '.')
    });
    let prefix = text[..prefix].trim_end_matches('.').len();
    if text[prefix..].starts_with(':') {
        return (
            TokenKind::PrefixedName,
            prefix + 1 + local_len(&text[prefix + 1..]),
        );
    }
    let len = run(text, |c| c.is_alphanumeric() || c == '_');
    let word = &text[..len];
    let kind = if word == "a" || KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(word)) {
        TokenKind::Keyword
    } else if FUNCTIONS.iter().any(|f| f.eq_ignore_ascii_case(word)) {
        TokenKind::Function
    } else {
        TokenKind::Word
    };
    (kind, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexes_the_parts_of_a_query() {
        let text =
            "SELECT ?x WHERE { ?x a ff:Figure ; rdfs:label \"a\"@en . FILTER(?n <= 3.5e2) } # c";
        let kinds: Vec<(TokenKind, &str)> = tokens(text)
            .into_iter()
            .filter(Token::is_significant)
            .map(|t| (t.kind, t.text(text)))
            .collect();
        use TokenKind::*;
        assert_eq!(
            kinds,
            vec![
                (Keyword, "SELECT"),
                (Variable, "?x"),
                (Keyword, "WHERE"),
                (Punct, "{"),
                (Variable, "?x"),
                (Keyword, "a"),
                (PrefixedName, "ff:Figure"),
                (Punct, ";"),
                (PrefixedName, "rdfs:label"),
                (String, "\"a\""),
                (LangTag, "@en"),
                (Punct, "."),
                (Keyword, "FILTER"),
                (Punct, "("),
                (Variable, "?n"),
                (Operator, "<="),
                (Number, "3.5e2"),
                (Punct, ")"),
                (Punct, "}"),
            ]
        );
        // Tokens cover the text exactly, even odd input.
        for odd in [
            "\"unterminated",
            "<not an iri",
            "ü€ ?",
            "'''long\n",
            "a.b:c. x",
        ] {
            let toks = tokens(odd);
            assert_eq!(toks.first().map(|t| t.start), Some(0));
            assert_eq!(toks.last().map(|t| t.end), Some(odd.len()));
            assert!(toks.windows(2).all(|w| w[0].end == w[1].start));
        }
    }
}
