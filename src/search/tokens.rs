//! How text is cut into words for search: Unicode compatibility decomposition, combining marks
//! dropped, lower case, split at anything that is not a letter or a digit — so "Türkiye",
//! "TURKIYE" and "türkiye" are one word, and so are "ﬁghters" and "fighters".

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The words of `text`, folded, in order.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.nfkd().filter(|c| !is_combining_mark(*c)) {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// One term of a search: a word, or the start of words (`return*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Word(String),
    Prefix(String),
}

impl Term {
    pub fn matches(&self, word: &str) -> bool {
        match self {
            Term::Word(w) => w == word,
            Term::Prefix(p) => word.starts_with(p.as_str()),
        }
    }
}

/// The terms of a search text: its words, each wanted; a word written with a trailing `*`
/// stands for every word that starts with it. Empty when the text has no word.
pub fn terms(search: &str) -> Vec<Term> {
    let mut out = Vec::new();
    for part in search.split_whitespace() {
        let prefix = part.ends_with('*');
        let folded = words(part);
        let last = folded.len().saturating_sub(1);
        for (i, word) in folded.into_iter().enumerate() {
            let term = if prefix && i == last {
                Term::Prefix(word)
            } else {
                Term::Word(word)
            };
            if !out.contains(&term) {
                out.push(term);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_diacritics_fold_away() {
        assert_eq!(words("Türkiye"), ["turkiye"]);
        assert_eq!(words("TÜRKIYE, Atatürk's"), ["turkiye", "ataturk", "s"]);
        assert_eq!(words("ﬁghters"), ["fighters"]);
        assert_eq!(words("Ελλάδα"), ["ελλαδα"]);
    }

    #[test]
    fn words_split_at_punctuation_and_keep_digits() {
        assert_eq!(words("~3,000 (2017)"), ["3", "000", "2017"]);
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(words("al-Baghdadi"), ["al", "baghdadi"]);
    }

    #[test]
    fn search_terms_take_a_trailing_star_as_a_prefix() {
        assert_eq!(
            terms("Return* foreign FOREIGN"),
            [Term::Prefix("return".into()), Term::Word("foreign".into())]
        );
        assert_eq!(
            terms("al-Bagh*"),
            [Term::Word("al".into()), Term::Prefix("bagh".into())]
        );
        assert!(terms(" * -- ").is_empty());
        assert!(Term::Prefix("ret".into()).matches("returnees"));
        assert!(!Term::Word("ret".into()).matches("returnees"));
    }
}
