//! The binary layout of the prebuilt embedded graph: written by build.rs, read by `prebuilt`.
//!
//! This module uses only `std` because build.rs includes it with `#[path]`. Layout (all integers
//! little-endian u32): a magic number, the counts, one 5-integer record per term (kind, value
//! offset and length, extra offset and length — the extra is a language tag or a datatype IRI),
//! the quads as (subject, predicate, object, graph) term ids sorted in three orders (SPO, POS,
//! OSP) so any triple pattern is a binary search, the graph names, then the UTF-8 string heap.
//! Terms are sorted by (kind, value, extra), so finding a term is a binary search too.

use std::cmp::Ordering;
use std::ops::Range;

const MAGIC: &[u8; 8] = b"FFKGIDX1";

/// Set in a quad's graph id for an entailment only the `owl` level adds (the id without it is
/// the inferred graph's).
pub const OWL_ONLY: u32 = 1 << 31;
/// The graph id of a quad in the default graph, for blobs that hold one apart from their named
/// graphs (a user's files; the embedded graph's default graph is the union of its graphs).
pub const DEFAULT_GRAPH: u32 = u32::MAX;
const HEADER: usize = 8 + 4 * 4;
const TERM_RECORD: usize = 5;

/// What a term is; the order is the order terms are sorted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Iri = 0,
    Blank = 1,
    /// A literal with neither language tag nor datatype other than xsd:string.
    Simple = 2,
    /// A language-tagged string; extra is the tag.
    Lang = 3,
    /// A typed literal; extra is the datatype IRI.
    Typed = 4,
}

impl Kind {
    fn from_u32(value: u32) -> Self {
        match value {
            0 => Self::Iri,
            1 => Self::Blank,
            2 => Self::Simple,
            3 => Self::Lang,
            _ => Self::Typed,
        }
    }
}

/// One term as stored: its kind, its value and its language tag or datatype.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermKey {
    pub kind: Kind,
    pub value: String,
    pub extra: String,
}

/// A borrowed term of the blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermParts<'a> {
    pub kind: Kind,
    pub value: &'a str,
    pub extra: &'a str,
}

/// The three sort orders of the quad index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// subject, predicate, object
    Spo = 0,
    /// predicate, object, subject
    Pos = 1,
    /// object, subject, predicate
    Osp = 2,
}

impl Order {
    /// The positions of (subject, predicate, object) in this order's key.
    fn permutation(self) -> [usize; 3] {
        match self {
            Self::Spo => [0, 1, 2],
            Self::Pos => [1, 2, 0],
            Self::Osp => [2, 0, 1],
        }
    }

    /// [s, p, o, g] → this order's key.
    pub fn key(self, quad: [u32; 4]) -> [u32; 4] {
        let p = self.permutation();
        [quad[p[0]], quad[p[1]], quad[p[2]], quad[3]]
    }

    /// This order's key → [s, p, o, g].
    pub fn unkey(self, key: [u32; 4]) -> [u32; 4] {
        let p = self.permutation();
        let mut quad = [0, 0, 0, key[3]];
        for (position, &slot) in p.iter().enumerate() {
            quad[slot] = key[position];
        }
        quad
    }
}

/// Encodes sorted, distinct `terms`, quads of term ids and graph-name term ids.
pub fn encode(terms: &[TermKey], quads: &[[u32; 4]], graphs: &[u32]) -> Vec<u8> {
    let parts = terms.iter().map(|t| TermParts {
        kind: t.kind,
        value: &t.value,
        extra: &t.extra,
    });
    encode_parts(parts, quads, graphs).expect("the embedded graph fits in u32 offsets")
}

/// [`encode`] for borrowed terms; `None` when a count or the string heap passes what a u32
/// offset can address (4 GiB of term text).
pub fn encode_parts<'t>(
    terms: impl ExactSizeIterator<Item = TermParts<'t>>,
    quads: &[[u32; 4]],
    graphs: &[u32],
) -> Option<Vec<u8>> {
    let owned = encode_owned(terms, quads, graphs)?;
    Some(owned.bytes().collect::<Vec<_>>().concat())
}

/// [`encode_parts`] into a blob in memory, its heap kept apart as [`Owned`] holds it (built
/// here, it needs none of the checks [`Owned::from_bytes`] makes of bytes read from a file).
pub fn encode_owned<'t>(
    terms: impl ExactSizeIterator<Item = TermParts<'t>>,
    quads: &[[u32; 4]],
    graphs: &[u32],
) -> Option<Owned> {
    let mut heap = String::new();
    let mut records = Vec::with_capacity(terms.len() * TERM_RECORD);
    for term in terms {
        let value_offset = heap.len();
        heap.push_str(term.value);
        let extra_offset = heap.len();
        heap.push_str(term.extra);
        records.extend([
            term.kind as u32,
            to_u32(value_offset)?,
            to_u32(term.value.len())?,
            to_u32(extra_offset)?,
            to_u32(term.extra.len())?,
        ]);
    }
    let term_count = records.len() / TERM_RECORD;
    let mut out = Vec::with_capacity(HEADER + 4 * (records.len() + 12 * quads.len()));
    out.extend_from_slice(MAGIC);
    for count in [term_count, quads.len(), graphs.len(), heap.len()] {
        out.extend_from_slice(&to_u32(count)?.to_le_bytes());
    }
    for value in records {
        out.extend_from_slice(&value.to_le_bytes());
    }
    // The three orders are sorted at once, on threads of their own.
    let sorted = |order: Order| {
        let mut keys: Vec<[u32; 4]> = quads.iter().map(|q| order.key(*q)).collect();
        keys.sort_unstable();
        keys
    };
    let orders = std::thread::scope(|scope| {
        let spo = scope.spawn(|| sorted(Order::Spo));
        let pos = scope.spawn(|| sorted(Order::Pos));
        let osp = sorted(Order::Osp);
        [spo.join(), pos.join()]
            .map(|keys| keys.unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .into_iter()
            .chain([osp])
            .collect::<Vec<_>>()
    });
    for keys in orders {
        for key in &keys {
            for value in key {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
    }
    for graph in graphs {
        out.extend_from_slice(&graph.to_le_bytes());
    }
    let owned = Owned {
        words: out,
        heap,
        terms: term_count,
        quads: quads.len(),
        graphs: graphs.len(),
    };
    debug_assert!(owned.view().is_consistent());
    Some(owned)
}

fn to_u32(value: usize) -> Option<u32> {
    u32::try_from(value).ok()
}

/// The index order and key prefix that answer a triple pattern (bound ids or `None`): every
/// pattern is one range of one order.
pub fn pattern(s: Option<u32>, p: Option<u32>, o: Option<u32>) -> (Order, [u32; 3], usize) {
    match (s, p, o) {
        (Some(s), Some(p), Some(o)) => (Order::Spo, [s, p, o], 3),
        (Some(s), Some(p), None) => (Order::Spo, [s, p, 0], 2),
        (Some(s), None, Some(o)) => (Order::Osp, [o, s, 0], 2),
        (Some(s), None, None) => (Order::Spo, [s, 0, 0], 1),
        (None, Some(p), Some(o)) => (Order::Pos, [p, o, 0], 2),
        (None, Some(p), None) => (Order::Pos, [p, 0, 0], 1),
        (None, None, Some(o)) => (Order::Osp, [o, 0, 0], 1),
        (None, None, None) => (Order::Spo, [0; 3], 0),
    }
}

/// An encoded blob held in memory (built at run time, or read from a file): the integers and
/// the string heap kept apart, so the heap's UTF-8 is checked once and a view costs nothing.
#[derive(Debug, Clone)]
pub struct Owned {
    words: Vec<u8>,
    heap: String,
    terms: usize,
    quads: usize,
    graphs: usize,
}

impl Owned {
    /// Takes encoded bytes; `None` when they are not a whole blob of this layout.
    pub fn from_bytes(mut bytes: Vec<u8>) -> Option<Self> {
        let header = Header::read(&bytes)?;
        if bytes.len() != header.heap_start + header.heap_len {
            return None;
        }
        let heap = String::from_utf8(bytes.split_off(header.heap_start)).ok()?;
        let owned = Self {
            words: bytes,
            heap,
            terms: header.terms,
            quads: header.quads,
            graphs: header.graphs,
        };
        owned.view().is_consistent().then_some(owned)
    }

    pub fn view(&self) -> Blob<'_> {
        Blob {
            bytes: &self.words,
            heap: &self.heap,
            terms: self.terms,
            quads: self.quads,
            graphs: self.graphs,
        }
    }

    /// The encoded bytes again (for writing the blob to a file).
    pub fn bytes(&self) -> impl Iterator<Item = &[u8]> {
        [&self.words[..], self.heap.as_bytes()].into_iter()
    }
}

/// The counts a blob's header gives, and where its heap lies.
struct Header {
    terms: usize,
    quads: usize,
    graphs: usize,
    heap_start: usize,
    heap_len: usize,
}

impl Header {
    fn read(bytes: &[u8]) -> Option<Self> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return None;
        }
        let read = |i: usize| read_u32(bytes, 8 + 4 * i) as usize;
        let (terms, quads, graphs, heap_len) = (read(0), read(1), read(2), read(3));
        // Checked arithmetic: the counts of a damaged file can be anything.
        let words = terms
            .checked_mul(TERM_RECORD)?
            .checked_add(quads.checked_mul(12)?)?
            .checked_add(graphs)?;
        let heap_start = HEADER.checked_add(words.checked_mul(4)?)?;
        heap_start.checked_add(heap_len)?;
        Some(Self {
            terms,
            quads,
            graphs,
            heap_start,
            heap_len,
        })
    }
}

/// A view of an encoded blob.
#[derive(Debug, Clone, Copy)]
pub struct Blob<'a> {
    bytes: &'a [u8],
    heap: &'a str,
    terms: usize,
    quads: usize,
    graphs: usize,
}

impl<'a> Blob<'a> {
    /// Reads the header; `None` when the bytes are not a blob of this layout.
    pub fn parse(bytes: &'a [u8]) -> Option<Self> {
        let header = Header::read(bytes)?;
        let heap_end = header.heap_start + header.heap_len;
        let heap = std::str::from_utf8(bytes.get(header.heap_start..heap_end)?).ok()?;
        Some(Self {
            bytes,
            heap,
            terms: header.terms,
            quads: header.quads,
            graphs: header.graphs,
        })
    }

    /// True when every term record points into the heap at character boundaries and every key
    /// names a term (or the default graph, [`DEFAULT_GRAPH`]): what makes reading a blob from
    /// outside the binary safe from panics.
    fn is_consistent(&self) -> bool {
        let terms = (0..self.terms).all(|id| {
            let base = HEADER + 4 * TERM_RECORD * id;
            let field = |i: usize| read_u32(self.bytes, base + 4 * i) as usize;
            let (kind, vo, vl, eo, el) = (field(0), field(1), field(2), field(3), field(4));
            kind <= Kind::Typed as usize
                && vo
                    .checked_add(vl)
                    .is_some_and(|end| self.heap.get(vo..end).is_some())
                && eo
                    .checked_add(el)
                    .is_some_and(|end| self.heap.get(eo..end).is_some())
        });
        let id_ok = |id: u32| (id as usize) < self.terms;
        let keys = [Order::Spo, Order::Pos, Order::Osp]
            .into_iter()
            .all(|order| {
                (0..self.quads).all(|i| {
                    let [a, b, c, g] = self.key(order, i);
                    id_ok(a) && id_ok(b) && id_ok(c) && (g == DEFAULT_GRAPH || id_ok(g & !OWL_ONLY))
                })
            });
        terms && keys && self.graphs().all(id_ok)
    }

    pub fn term_count(&self) -> usize {
        self.terms
    }

    pub fn quad_count(&self) -> usize {
        self.quads
    }

    pub fn term(&self, id: u32) -> TermParts<'a> {
        let base = HEADER + 4 * TERM_RECORD * id as usize;
        let field = |i: usize| read_u32(self.bytes, base + 4 * i) as usize;
        let (kind, vo, vl, eo, el) = (field(0), field(1), field(2), field(3), field(4));
        TermParts {
            kind: Kind::from_u32(kind as u32),
            value: &self.heap[vo..vo + vl],
            extra: &self.heap[eo..eo + el],
        }
    }

    /// The id of a term, by binary search over the sorted term table.
    pub fn find(&self, kind: Kind, value: &str, extra: &str) -> Option<u32> {
        let (mut low, mut high) = (0, self.terms);
        while low < high {
            let middle = low + (high - low) / 2;
            let term = self.term(middle as u32);
            match (term.kind, term.value, term.extra).cmp(&(kind, value, extra)) {
                Ordering::Less => low = middle + 1,
                Ordering::Greater => high = middle,
                Ordering::Equal => return Some(middle as u32),
            }
        }
        None
    }

    /// The `index`-th key of `order` (permuted; see [`Order::unkey`]).
    pub fn key(&self, order: Order, index: usize) -> [u32; 4] {
        let base = self.key_offset(order, index);
        [0, 1, 2, 3].map(|i| read_u32(self.bytes, base + 4 * i))
    }

    fn key_offset(&self, order: Order, index: usize) -> usize {
        HEADER + 4 * (self.terms * TERM_RECORD + (order as usize * self.quads + index) * 4)
    }

    /// The keys of `order` that start with `prefix` (up to three ids).
    pub fn range(&self, order: Order, prefix: &[u32]) -> Range<usize> {
        self.range_in(order, prefix, 0..self.quads)
    }

    /// [`Self::range`] within `within`, which must hold every key that starts with `prefix`.
    pub fn range_in(&self, order: Order, prefix: &[u32], within: Range<usize>) -> Range<usize> {
        // Reads only as many words of a key as the prefix has: this runs once per probe of a
        // join, many times a query.
        let compare = |index: usize| {
            let at = self.key_offset(order, index);
            for (word, wanted) in prefix.iter().enumerate() {
                match read_u32(self.bytes, at + 4 * word).cmp(wanted) {
                    Ordering::Equal => {}
                    other => return other,
                }
            }
            Ordering::Equal
        };
        let matches = |index: usize| compare(index) == Ordering::Equal;
        let start = partition_point(within.start, within.end, |i| compare(i) == Ordering::Less);
        // The end by galloping from the start, as most ranges a join probes are a key or two.
        let mut bound = 1;
        while start + bound <= within.end && matches(start + bound - 1) {
            bound *= 2;
        }
        let end = partition_point(start + bound / 2, (start + bound).min(within.end), matches);
        start..end
    }

    pub fn graphs(&self) -> impl Iterator<Item = u32> + use<'a> {
        let base = HEADER + 4 * (self.terms * TERM_RECORD + 3 * self.quads * 4);
        let bytes = self.bytes;
        (0..self.graphs).map(move |i| read_u32(bytes, base + 4 * i))
    }
}

/// The first index in `low..high` for which `predicate` is false (it must be true, then false),
/// or `high`.
fn partition_point(mut low: usize, mut high: usize, predicate: impl Fn(usize) -> bool) -> usize {
    while low < high {
        let middle = low + (high - low) / 2;
        if predicate(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    let mut word = [0; 4];
    word.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kind: Kind, value: &str, extra: &str) -> TermKey {
        TermKey {
            kind,
            value: value.into(),
            extra: extra.into(),
        }
    }

    #[test]
    fn round_trips_terms_and_finds_patterns() {
        let mut terms = vec![
            key(Kind::Iri, "http://e/s", ""),
            key(Kind::Iri, "http://e/p", ""),
            key(Kind::Lang, "Tunisia", "en"),
            key(Kind::Typed, "3", "http://www.w3.org/2001/XMLSchema#integer"),
            key(Kind::Iri, "http://e/g", ""),
        ];
        terms.sort();
        let id = |t: &TermKey| terms.iter().position(|x| x == t).unwrap() as u32;
        let (s, p, g) = (id(&terms[2]), id(&terms[1]), id(&terms[0]));
        let lang = id(&key(Kind::Lang, "Tunisia", "en"));
        let three = id(&key(
            Kind::Typed,
            "3",
            "http://www.w3.org/2001/XMLSchema#integer",
        ));
        let quads = vec![[s, p, lang, g], [s, p, three, g], [lang, p, s, g]];
        let bytes = encode(&terms, &quads, &[g]);
        let blob = Blob::parse(&bytes).unwrap();
        assert_eq!(blob.term_count(), 5);
        assert_eq!(blob.find(Kind::Lang, "Tunisia", "en"), Some(lang));
        assert_eq!(blob.find(Kind::Lang, "Tunisia", "fr"), None);
        assert_eq!(blob.term(lang).value, "Tunisia");
        let range = blob.range(Order::Spo, &[s, p]);
        assert_eq!(range.len(), 2);
        let found: Vec<[u32; 4]> = range
            .map(|i| Order::Spo.unkey(blob.key(Order::Spo, i)))
            .collect();
        assert!(found.contains(&[s, p, three, g]));
        let by_object = blob.range(Order::Osp, &[s]);
        assert_eq!(
            Order::Osp.unkey(blob.key(Order::Osp, by_object.start)),
            [lang, p, s, g]
        );
        assert_eq!(blob.range(Order::Pos, &[s]).len(), 0);
        assert_eq!(blob.graphs().collect::<Vec<_>>(), vec![g]);
    }

    /// Every prefix's range, short and long, at the ends and in the middle, against a scan.
    #[test]
    fn ranges_match_a_scan_of_the_keys() {
        let terms: Vec<TermKey> = (0..40)
            .map(|i| key(Kind::Iri, &format!("http://e/{i:02}"), ""))
            .collect();
        // Subject i has i * i % 37 quads (none for some), so ranges of every length occur.
        let mut quads = Vec::new();
        for s in 0..40u32 {
            for n in 0..(s * s % 37) {
                quads.push([s, n % 5, n, 39]);
            }
        }
        let bytes = encode(&terms, &quads, &[39]);
        let blob = Blob::parse(&bytes).unwrap();
        let keys: Vec<[u32; 4]> = (0..quads.len()).map(|i| blob.key(Order::Spo, i)).collect();
        for s in 0..41u32 {
            for p in 0..6u32 {
                for prefix in [&[s][..], &[s, p][..]] {
                    let expected: Vec<usize> = (0..keys.len())
                        .filter(|&i| keys[i][..prefix.len()] == *prefix)
                        .collect();
                    let range: Vec<usize> = blob.range(Order::Spo, prefix).collect();
                    assert_eq!(range, expected, "prefix {prefix:?}");
                }
            }
        }
        assert_eq!(blob.range(Order::Spo, &[]).len(), quads.len());
    }

    #[test]
    fn rejects_other_bytes() {
        assert!(Blob::parse(b"not a blob").is_none());
    }
}
