//! The full-text index itself: each text's words and their counts, how many texts hold each
//! word, BM25 scoring, and the bytes build.rs writes it in for the embedded graph.

use super::tokens::{self, Term};
use std::collections::HashMap;

const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const SCHEMA: &str = "https://schema.org/";

/// The properties whose literals are searched, each with the weight `.find` gives a match in
/// it: a word in a resource's name says more about it than a word in a quote it carries.
pub const FIELDS: &[(&str, &str, u8)] = &[
    (RDFS, "label", 3),
    (SKOS, "prefLabel", 3),
    (SKOS, "altLabel", 3),
    (DCTERMS, "title", 3),
    (DCTERMS, "alternative", 2),
    (SCHEMA, "name", 3),
    ("http://xmlns.com/foaf/0.1/", "name", 3),
    (RDFS, "comment", 1),
    (SKOS, "definition", 1),
    (DCTERMS, "description", 1),
    (SCHEMA, "description", 1),
    ("https://w3id.org/ffkg/ontology#", "quote", 1),
];

/// BM25's usual constants: how fast repeated words stop counting, and how much a long text is
/// discounted.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// The indexed texts and the statistics BM25 needs.
#[derive(Debug, Default, PartialEq)]
pub struct TextIndex {
    texts: HashMap<String, Words>,
    /// For each word, how many texts hold it.
    holding: HashMap<String, u32>,
    /// The words, sorted, so a prefix finds its words by bisection.
    vocabulary: Vec<String>,
    average_len: f64,
}

/// One text's words: how many, and each distinct word with its count (sorted by word).
#[derive(Debug, PartialEq)]
struct Words {
    len: u32,
    counts: Vec<(String, u32)>,
}

impl Words {
    fn of(text: &str) -> Self {
        let mut words = tokens::words(text);
        let len = u32::try_from(words.len()).unwrap_or(u32::MAX);
        words.sort_unstable();
        let mut counts: Vec<(String, u32)> = Vec::new();
        for word in words {
            match counts.last_mut() {
                Some((last, n)) if *last == word => *n += 1,
                _ => counts.push((word, 1)),
            }
        }
        Self { len, counts }
    }

    fn count(&self, term: &Term) -> u32 {
        match term {
            Term::Word(word) => self
                .counts
                .binary_search_by(|(w, _)| w.as_str().cmp(word))
                .map_or(0, |i| self.counts[i].1),
            Term::Prefix(prefix) => {
                let start = self.counts.partition_point(|(w, _)| w < prefix);
                self.counts[start..]
                    .iter()
                    .take_while(|(w, _)| w.starts_with(prefix.as_str()))
                    .map(|(_, n)| n)
                    .sum()
            }
        }
    }
}

/// A search prepared against an index: its terms, each with its inverse document frequency.
#[derive(Debug, Clone)]
pub struct Search {
    terms: Vec<(Term, f64)>,
}

impl TextIndex {
    /// Indexes each distinct text once.
    pub fn build(texts: impl IntoIterator<Item = String>) -> Self {
        let mut index = Self::default();
        let mut total: u64 = 0;
        for text in texts {
            if index.texts.contains_key(&text) {
                continue;
            }
            let words = Words::of(&text);
            total += u64::from(words.len);
            for (word, _) in &words.counts {
                *index.holding.entry(word.clone()).or_default() += 1;
            }
            index.texts.insert(text, words);
        }
        index.vocabulary = index.holding.keys().cloned().collect();
        index.vocabulary.sort_unstable();
        index.average_len = if index.texts.is_empty() {
            0.0
        } else {
            total as f64 / index.texts.len() as f64
        };
        index
    }

    /// How many distinct texts it holds.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Prepares a search text; None when it has no word.
    pub fn search(&self, text: &str) -> Option<Search> {
        let terms = tokens::terms(text);
        if terms.is_empty() {
            return None;
        }
        let n = self.texts.len() as f64;
        let terms = terms
            .into_iter()
            .map(|term| {
                // A prefix counts as its most common word: a bound, since texts holding two
                // of its words would be counted twice by a sum.
                let holding = f64::from(self.holding(&term));
                let idf = ((n - holding + 0.5) / (holding + 0.5) + 1.0).ln();
                (term, idf)
            })
            .collect();
        Some(Search { terms })
    }

    fn holding(&self, term: &Term) -> u32 {
        match term {
            Term::Word(word) => self.holding.get(word).copied().unwrap_or(0),
            Term::Prefix(prefix) => {
                let start = self.vocabulary.partition_point(|w| w < prefix);
                self.vocabulary[start..]
                    .iter()
                    .take_while(|w| w.starts_with(prefix.as_str()))
                    .map(|w| self.holding[w])
                    .max()
                    .unwrap_or(0)
            }
        }
    }

    /// The BM25 score of `text` for `search`, when the text holds every term; a text the index
    /// does not hold is cut into words here and scored against the same statistics.
    pub fn score(&self, text: &str, search: &Search) -> Option<f64> {
        let cut;
        let words = match self.texts.get(text) {
            Some(words) => words,
            None => {
                cut = Words::of(text);
                &cut
            }
        };
        let relative_len = if self.average_len > 0.0 {
            f64::from(words.len) / self.average_len
        } else {
            1.0
        };
        let mut score = 0.0;
        for (term, idf) in &search.terms {
            let count = f64::from(words.count(term));
            if count == 0.0 {
                return None;
            }
            score += idf * count * (K1 + 1.0) / (count + K1 * (1.0 - B + B * relative_len));
        }
        Some(score)
    }
}

/// The first bytes of a written index, with its layout's version.
const MAGIC: &[u8] = b"ffkg-text-1";

impl TextIndex {
    /// The index as bytes [`TextIndex::read`] takes back: the vocabulary (each word with how
    /// many texts hold it), then each text with its length and its words as vocabulary numbers.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        let put = |out: &mut Vec<u8>, n: usize| {
            out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
        };
        let number: HashMap<&str, usize> = self
            .vocabulary
            .iter()
            .enumerate()
            .map(|(i, w)| (w.as_str(), i))
            .collect();
        put(&mut out, self.vocabulary.len());
        for word in &self.vocabulary {
            put(&mut out, word.len());
            out.extend_from_slice(word.as_bytes());
            put(&mut out, self.holding[word] as usize);
        }
        let mut texts: Vec<(&String, &Words)> = self.texts.iter().collect();
        texts.sort_unstable_by_key(|(text, _)| *text);
        put(&mut out, texts.len());
        for (text, words) in texts {
            put(&mut out, text.len());
            out.extend_from_slice(text.as_bytes());
            put(&mut out, words.len as usize);
            put(&mut out, words.counts.len());
            for (word, count) in &words.counts {
                put(&mut out, number[word.as_str()]);
                put(&mut out, *count as usize);
            }
        }
        out.extend_from_slice(&self.average_len.to_le_bytes());
        out
    }

    /// An index from [`TextIndex::to_bytes`]; None when the bytes are not one.
    pub fn read(bytes: &[u8]) -> Option<Self> {
        let mut bytes = Bytes(bytes.strip_prefix(MAGIC)?);
        let mut index = Self::default();
        for _ in 0..bytes.number()? {
            let word = bytes.text()?;
            index.holding.insert(word.clone(), bytes.number()?);
            index.vocabulary.push(word);
        }
        for _ in 0..bytes.number()? {
            let text = bytes.text()?;
            let len = bytes.number()?;
            let mut counts = Vec::new();
            for _ in 0..bytes.number()? {
                let word = index.vocabulary.get(bytes.number()? as usize)?.clone();
                counts.push((word, bytes.number()?));
            }
            index.texts.insert(text, Words { len, counts });
        }
        index.average_len = f64::from_le_bytes(bytes.take(8)?.try_into().ok()?);
        bytes.0.is_empty().then_some(index)
    }
}

/// What is left of an index's bytes as it is read.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(n)?;
        self.0 = tail;
        Some(head)
    }

    fn number(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn text(&mut self) -> Option<String> {
        let len = self.number()? as usize;
        Some(std::str::from_utf8(self.take(len)?).ok()?.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> TextIndex {
        TextIndex::build(
            [
                "Foreign fighters returned to Tunisia",
                "Returnees in Türkiye",
                "Tunisia",
                "fighters fighters fighters from Tunisia and elsewhere in the region",
                "Tunisia",
            ]
            .map(String::from),
        )
    }

    #[test]
    fn written_and_read_back_it_scores_the_same() {
        let index = index();
        let bytes = index.to_bytes();
        let back = TextIndex::read(&bytes).expect("reads back");
        let search = index.search("tunisia fight*").unwrap();
        let again = back.search("tunisia fight*").unwrap();
        for text in [
            "Foreign fighters returned to Tunisia",
            "Tunisia",
            "not held",
        ] {
            assert_eq!(index.score(text, &search), back.score(text, &again));
        }
        assert_eq!(back.len(), index.len());
        // Cut short, or with a byte too many: not an index.
        for end in [0, 5, bytes.len() / 2, bytes.len() - 1] {
            assert!(TextIndex::read(&bytes[..end]).is_none(), "{end}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(TextIndex::read(&longer).is_none());
    }

    #[test]
    fn every_term_must_occur() {
        let index = index();
        let search = index.search("tunisia fighters").unwrap();
        assert!(index.score("Tunisia", &search).is_none());
        assert!(
            index
                .score("Foreign fighters returned to Tunisia", &search)
                .is_some()
        );
        assert_eq!(index.len(), 4, "a repeated text is indexed once");
    }

    #[test]
    fn diacritics_case_and_prefixes_match() {
        let index = index();
        let turkey = index.search("TURKIYE").unwrap();
        assert!(index.score("Returnees in Türkiye", &turkey).is_some());
        let prefix = index.search("return*").unwrap();
        assert!(index.score("Returnees in Türkiye", &prefix).is_some());
        assert!(
            index
                .score("Foreign fighters returned to Tunisia", &prefix)
                .is_some()
        );
        assert!(index.search("  ").is_none());
    }

    #[test]
    fn rare_words_and_short_texts_rank_higher() {
        let index = index();
        let tunisia = index.search("tunisia").unwrap();
        let short = index.score("Tunisia", &tunisia).unwrap();
        let long = index
            .score("Foreign fighters returned to Tunisia", &tunisia)
            .unwrap();
        assert!(short > long, "{short} > {long}");
        // "returned" is in one text, "tunisia" in three: the rarer word weighs more.
        let rare = index.search("returned").unwrap();
        let text = "Foreign fighters returned to Tunisia";
        assert!(index.score(text, &rare).unwrap() > index.score(text, &tunisia).unwrap());
        // A text the index does not hold is scored against the same statistics.
        assert!(index.score("Tunisia, again", &tunisia).is_some());
    }
}
