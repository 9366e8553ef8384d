//! A quote in its paragraph: the paragraph of a source document's text that holds a figure's
//! or quotation's quote, when the documents' files are at hand (`--sources DIR`). Quotes were
//! copied with whitespace normalised and end-of-line hyphenation undone or kept, so the
//! paragraph is read the same way.

use std::path::Path;

/// A paragraph, cut around the quote it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub before: String,
    pub quote: String,
    pub after: String,
    /// The file it was read from.
    pub file: String,
}

/// How much of a long paragraph is shown on each side of the quote, in characters.
const AROUND: usize = 400;

/// The paragraph of `dir/file` that holds `quote`; none when the file is not there, the quote
/// is not found, or the quote is the whole paragraph (nothing to add).
pub fn find(dir: &Path, file: &str, quote: &str) -> Option<Passage> {
    // A file name from the data, never a path: nothing outside the directory is read.
    if file.is_empty() || file.contains(['/', '\\']) || file.starts_with('.') {
        return None;
    }
    let text = std::fs::read_to_string(dir.join(file)).ok()?;
    in_text(&text, quote).map(|(before, quote, after)| Passage {
        before,
        quote,
        after,
        file: file.to_owned(),
    })
}

/// The paragraph of `text` holding `quote`, split around it.
fn in_text(text: &str, quote: &str) -> Option<(String, String, String)> {
    let wanted = normalise(quote, false);
    if wanted.is_empty() {
        return None;
    }
    for paragraph in paragraphs(text) {
        for join in [true, false] {
            let para = normalise(&paragraph, join);
            let Some(at) = para.find(&wanted) else {
                continue;
            };
            let (before, rest) = para.split_at(at);
            let (quote, after) = rest.split_at(wanted.len());
            if before.trim().is_empty() && after.trim().is_empty() {
                return None;
            }
            return Some((tail(before), quote.to_owned(), head(after)));
        }
    }
    None
}

/// Blocks of text between blank lines.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whitespace collapsed to single spaces and trimmed; with `join`, a hyphen that ends a line
/// joins the two halves of the word ("lit-\ntle" → "little").
fn normalise(text: &str, join: bool) -> String {
    let text = if join {
        let mut joined = String::with_capacity(text.len());
        let mut lines = text.lines().peekable();
        while let Some(line) = lines.next() {
            let trimmed = line.trim_end();
            match trimmed.strip_suffix('-') {
                Some(stem) if lines.peek().is_some() && stem.ends_with(char::is_alphabetic) => {
                    joined.push_str(stem);
                }
                _ => {
                    joined.push_str(trimmed);
                    joined.push(' ');
                }
            }
        }
        joined
    } else {
        text.to_owned()
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The last `AROUND` characters, from a word's start, "…" before when cut.
fn tail(text: &str) -> String {
    let chars = text.chars().count();
    if chars <= AROUND {
        return text.to_owned();
    }
    let cut: String = text.chars().skip(chars - AROUND).collect();
    let from = cut.find(' ').map_or(0, |i| i + 1);
    format!("… {}", &cut[from..])
}

/// The first `AROUND` characters, to a word's end, "…" after when cut.
fn head(text: &str) -> String {
    if text.chars().count() <= AROUND {
        return text.to_owned();
    }
    let cut: String = text.chars().take(AROUND).collect();
    let to = cut.rfind(' ').unwrap_or(cut.len());
    format!("{} …", &cut[..to])
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "Title\n\nFirst paragraph, with a sen-\ntence that   runs on. And a second\none that says 5,000 went.\n\nAnother.\n";

    #[test]
    fn a_quote_is_found_in_its_paragraph_across_lines_and_hyphens() {
        let (before, quote, after) = in_text(TEXT, "a second one that says 5,000 went.").unwrap();
        assert_eq!(
            before,
            "First paragraph, with a sentence that runs on. And "
        );
        assert_eq!(quote, "a second one that says 5,000 went.");
        assert_eq!(after, "");
        // Hyphenation kept, as a quote may keep it.
        assert!(in_text("Before. a sen-\ntence that", "a sen- tence that").is_some());
        assert!(in_text(TEXT, "with a sentence that runs on").is_some());
    }

    #[test]
    fn nothing_is_shown_for_a_whole_paragraph_a_missing_quote_or_file() {
        assert_eq!(in_text(TEXT, "Another."), None);
        assert_eq!(in_text(TEXT, "not in the text"), None);
        assert_eq!(in_text(TEXT, "  "), None);
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find(dir.path(), "missing.txt", "x"), None);
        // Only a plain file name in the directory is read.
        std::fs::write(dir.path().join("a.txt"), TEXT).unwrap();
        assert!(find(dir.path(), "a.txt", "runs on").is_some());
        assert_eq!(find(dir.path(), "../a.txt", "runs on"), None);
        assert_eq!(find(dir.path(), "/etc/passwd", "root"), None);
    }

    #[test]
    fn a_long_paragraph_is_cut_around_the_quote_at_word_ends() {
        let long = format!("{} QUOTE {}", "word ".repeat(300), "more ".repeat(300));
        let (before, quote, after) = in_text(&long, "QUOTE").unwrap();
        assert_eq!(quote, "QUOTE");
        assert!(before.starts_with("… word"), "{before}");
        assert!(after.ends_with("more …"), "{after}");
        assert!(before.chars().count() <= AROUND + 2);
    }
}
