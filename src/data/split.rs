//! Where a window of a user's N-Triples, N-Quads or Turtle file may be cut so that its pieces
//! parse apart, on several cores, to the same triples as the whole: at a line end for the
//! line-based syntaxes; for Turtle, at a statement's final `.` — found by a scan that knows
//! strings, IRIs, comments, escapes and brackets, so a `.` in a literal or a comment is never
//! taken for one (oxttl's own splitter guesses, and can take a comment's text for triples) —
//! with the directives (`@prefix`, `PREFIX`, `@base`, `BASE`) apart, since every piece after one
//! must be parsed with the prefixes it sets.

use std::ops::Range;

/// A run of a Turtle window: statements, or one directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Statements(Range<usize>),
    Directive(Range<usize>),
}

/// A Turtle window scanned: its segments up to `end`, the last statement boundary found (what
/// follows it is an unfinished statement, left for the next window), and `cuts`, boundaries
/// inside statement runs at least `step` bytes apart, where a run may be cut for parallel parsing.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scan {
    pub segments: Vec<Segment>,
    pub cuts: Vec<usize>,
    pub end: usize,
}

/// Scans a Turtle window that begins at a statement boundary.
pub fn turtle(bytes: &[u8], step: usize) -> Scan {
    let mut scan = Scan::default();
    let mut last_cut = 0;
    let mut start = 0;
    loop {
        let token = skip_space_and_comments(bytes, start);
        if token >= bytes.len() {
            break;
        }
        let (end, directive) = if sparql_directive(&bytes[token..]) {
            // `PREFIX p: <iri>` and `BASE <iri>` end at their IRI, with no `.`.
            match memchr(b'>', bytes, token) {
                Some(close) => (close + 1, true),
                None => break,
            }
        } else {
            match terminator(bytes, token) {
                Some(end) => (end, bytes[token] == b'@'),
                None => break,
            }
        };
        if directive {
            scan.segments.push(Segment::Directive(start..end));
        } else {
            match scan.segments.last_mut() {
                Some(Segment::Statements(run)) => run.end = end,
                _ => scan.segments.push(Segment::Statements(start..end)),
            }
            if end - last_cut >= step {
                scan.cuts.push(end);
                last_cut = end;
            }
        }
        start = end;
        scan.end = end;
    }
    scan
}

/// The end of the line-based window: after its last line break, `\n` or `\r` (0 when it has
/// none).
pub fn lines_end(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |last| last + 1)
}

/// Cuts `run` into at most `pieces` parts of about equal size, at boundaries `at` gives: the
/// first boundary at or after a position, or `None`.
pub fn pieces(
    run: Range<usize>,
    pieces: usize,
    mut at: impl FnMut(usize) -> Option<usize>,
) -> Vec<Range<usize>> {
    let size = (run.end - run.start) / pieces.max(1);
    let mut parts = Vec::new();
    let mut start = run.start;
    for k in 1..pieces {
        let target = run.start + k * size;
        if target <= start {
            continue;
        }
        match at(target) {
            Some(cut) if cut > start && cut < run.end => {
                parts.push(start..cut);
                start = cut;
            }
            _ => break,
        }
    }
    parts.push(start..run.end);
    parts
}

/// The first line start at or after `from`, for [`pieces`] on a line-based window.
pub fn line_boundary(bytes: &[u8], from: usize) -> Option<usize> {
    line_end(bytes, from).map(|i| i + 1)
}

/// The first of `cuts` (sorted) at or after `from`, for [`pieces`] on a Turtle window.
pub fn cut_boundary(cuts: &[usize], from: usize) -> Option<usize> {
    cuts.get(cuts.partition_point(|&c| c < from)).copied()
}

/// The first line break (`\n` or a lone `\r`, both end a comment) at or after `from`.
fn line_end(bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map(|i| from + i)
}

fn memchr(needle: u8, bytes: &[u8], from: usize) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == needle)
        .map(|i| from + i)
}

fn skip_space_and_comments(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'#' {
            match line_end(bytes, i) {
                Some(newline) => i = newline + 1,
                None => return bytes.len(),
            }
        } else {
            break;
        }
    }
    i
}

/// `PREFIX` or `BASE` (any case) and a space, a comment or an IRI: a SPARQL-style directive.
fn sparql_directive(bytes: &[u8]) -> bool {
    ["prefix", "base"].iter().any(|word| {
        bytes.len() > word.len()
            && bytes[..word.len()].eq_ignore_ascii_case(word.as_bytes())
            && (bytes[word.len()].is_ascii_whitespace() || b"<#".contains(&bytes[word.len()]))
    })
}

/// The position after the `.` that ends the statement starting at `i`: a `.` outside strings,
/// IRIs, comments and brackets, followed by white space (inside a name or a number, a `.` is
/// followed by more of it). `None` when the window ends first.
fn terminator(bytes: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = line_end(bytes, i)?,
            b'<' => i = memchr(b'>', bytes, i)?,
            quote @ (b'"' | b'\'') => i = string_end(bytes, i, quote)?,
            // An escape in a local name (`ex:a\.b`, `ex:a\#b`).
            b'\\' => i += 1,
            b'[' | b'(' => depth += 1,
            b']' | b')' => depth = depth.saturating_sub(1),
            b'.' if depth == 0 => {
                // What cannot go on a name or a number after a dot ends the statement
                // (oxttl ends one at any dot not followed by a digit; a name may go on with
                // letters, digits, `_`, `-`, `:`, `%`, `\` and more dots).
                let next = *bytes.get(i + 1)?;
                if next.is_ascii_whitespace() || b"#<@[(\"'".contains(&next) {
                    return Some(i + 1);
                }
                // Nor can a name start with a dot: one after a space or the end of a term
                // ends the statement, unless a digit makes it a decimal (`.5`).
                let after_term = i > 0
                    && (bytes[i - 1].is_ascii_whitespace() || b">\"')]".contains(&bytes[i - 1]));
                if after_term && !next.is_ascii_digit() {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The position of the closing quote of the string opening at `i` (short or long form).
fn string_end(bytes: &[u8], i: usize, quote: u8) -> Option<usize> {
    let long = bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote);
    if !long && bytes.get(i + 1) == Some(&quote) {
        return Some(i + 1);
    }
    let mut j = if long { i + 3 } else { i + 1 };
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 1,
            b if b == quote => {
                if !long {
                    return Some(j);
                }
                if bytes.get(j + 1) == Some(&quote) && bytes.get(j + 2) == Some(&quote) {
                    // The first three quotes close it, as the grammar (and oxttl) has it.
                    return Some(j + 2);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each segment as its kind and its text, trimmed.
    fn kinds<'a>(text: &'a str, scan: &Scan) -> Vec<(&'static str, &'a str)> {
        scan.segments
            .iter()
            .map(|s| match s {
                Segment::Statements(r) => ("statements", text[r.clone()].trim()),
                Segment::Directive(r) => ("directive", text[r.clone()].trim()),
            })
            .collect()
    }

    fn statements(text: &str) -> Vec<&str> {
        let scan = turtle(text.as_bytes(), 1);
        scan.cuts
            .iter()
            .scan(0, |start, &cut| {
                let piece = &text[*start..cut];
                *start = cut;
                Some(piece.trim())
            })
            .collect()
    }

    #[test]
    fn cuts_only_at_statement_ends() {
        let text = "<a> <b> \"x . <c> <d> <e> .\" .\n# a comment . <f> <g> <h> .\n\
                    <a> <b> 1.5, ex:a.b, ex:c\\.d, '''it's . \"\"\" . ''' .\n\
                    <a> <b> [ <c> <d> . ] .\n<a> <b> ( 1 . 2 ) .\n";
        assert_eq!(
            statements(text),
            [
                "<a> <b> \"x . <c> <d> <e> .\" .",
                "# a comment . <f> <g> <h> .\n<a> <b> 1.5, ex:a.b, ex:c\\.d, '''it's . \"\"\" . ''' .",
                "<a> <b> [ <c> <d> . ] .",
                "<a> <b> ( 1 . 2 ) .",
            ]
        );
    }

    #[test]
    fn directives_are_segments_of_their_own() {
        let text = "@prefix a: <x> .\nPREFIX b: <y>\n<s> <p> <o> .\n<s> <p> <o> .\nbase <z>\n<s> <p> \"\"\"long\n\"\"x\"\"\" .\n";
        let scan = turtle(text.as_bytes(), 1);
        let kinds = kinds(text, &scan);
        assert_eq!(
            kinds,
            [
                ("directive", "@prefix a: <x> ."),
                ("directive", "PREFIX b: <y>"),
                ("statements", "<s> <p> <o> .\n<s> <p> <o> ."),
                ("directive", "base <z>"),
                ("statements", "<s> <p> \"\"\"long\n\"\"x\"\"\" ."),
            ]
        );
        assert_eq!(scan.end, text.len() - 1);
    }

    #[test]
    fn a_dot_ends_a_statement_before_what_no_name_goes_on_with() {
        // `.#`, `.<`, `.@`: ends; `BASE<…>` is a directive; a lone `\r` ends a comment; a long
        // string closes at its first three quotes.
        let text = "<s> <p> <o> .# note\n<s> <p> <o> .<s> <p> <o> .\nBASE<http://b/>\n\
                    # c\r@prefix ex: <http://e/> .\n<s> <p> ( \"\"\"a\"\"\"\"b\" ) .\n";
        let scan = turtle(text.as_bytes(), 1);
        let kinds = kinds(text, &scan);
        assert_eq!(
            kinds,
            [
                (
                    "statements",
                    "<s> <p> <o> .# note\n<s> <p> <o> .<s> <p> <o> ."
                ),
                ("directive", "BASE<http://b/>"),
                ("directive", "# c\r@prefix ex: <http://e/> ."),
                ("statements", "<s> <p> ( \"\"\"a\"\"\"\"b\" ) ."),
            ]
        );
        assert_eq!(scan.cuts.len(), 4, "{:?}", scan.cuts);
        assert_eq!(lines_end(b"<s> <p> <o> .\r<s>"), 14);
    }

    /// Found by fuzz/turtle_cuts: a directive ended by ` .` straight before a name
    /// (`.ex:a`) swallowed the triple after it.
    #[test]
    fn a_dot_after_a_term_ends_the_statement_even_before_a_name() {
        let text = "@prefix ex: <http://e/> .ex:a ex:p \"x\".ex:b ex:p .5 .\n";
        let kinds = kinds(text, &turtle(text.as_bytes(), 1));
        assert_eq!(
            kinds,
            [
                ("directive", "@prefix ex: <http://e/> ."),
                ("statements", "ex:a ex:p \"x\".ex:b ex:p .5 ."),
            ]
        );
    }

    #[test]
    fn an_unfinished_statement_is_left_for_the_next_window() {
        for text in [
            "<s> <p> <o> .\n<s> <p> \"open . ",
            "<s> <p> <o> .\n<s> <p> <o> .",
        ] {
            assert_eq!(turtle(text.as_bytes(), 1).end, 13, "{text}");
        }
        assert_eq!(lines_end(b"<s> <p> <o> .\n<s> <p>"), 14);
        assert_eq!(lines_end(b"<s> <p> <o> ."), 0);
    }

    #[test]
    fn pieces_are_about_equal_and_cover_the_run() {
        let text = "<s> <p> <o> .\n".repeat(100);
        let parts = pieces(0..text.len(), 4, |from| {
            line_boundary(text.as_bytes(), from)
        });
        assert_eq!(parts.len(), 4);
        assert_eq!(parts[0].start, 0);
        assert_eq!(parts[3].end, text.len());
        assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
        assert!(parts.iter().all(|p| text[p.clone()].ends_with(".\n")));
        let cuts = [10, 20, 30];
        assert_eq!(cut_boundary(&cuts, 15), Some(20));
        assert_eq!(cut_boundary(&cuts, 31), None);
        assert_eq!(pieces(0..5, 3, |_| None), vec![0..5]);
    }
}
