//! Where each first id's keys start in each order of a files' index, built on first use: a
//! join's probe then searches the few keys of one subject (or predicate, or object) instead of
//! the whole order — two reads of one small table in place of some twenty cache misses.

use crate::data::blob::{Blob, Order};
use std::ops::Range;
use std::sync::OnceLock;

/// For each order, `starts[id]` is the index of the first key whose first id is `id` or more
/// (one entry per term and one past the last), built when that order is first searched.
#[derive(Debug, Default)]
pub struct Starts([OnceLock<Box<[u32]>>; 3]);

impl Starts {
    /// The keys of `order` in `blob` that start with `prefix`, as [`Blob::range`] finds them.
    pub fn range(&self, blob: Blob<'_>, order: Order, prefix: &[u32]) -> Range<usize> {
        let Some(&first) = prefix.first() else {
            return blob.range(order, prefix);
        };
        let table = self.0[order as usize].get_or_init(|| table(blob, order));
        let (Some(&low), Some(&high)) = (table.get(first as usize), table.get(first as usize + 1))
        else {
            return 0..0;
        };
        let within = low as usize..high as usize;
        if prefix.len() == 1 {
            within
        } else {
            blob.range_in(order, prefix, within)
        }
    }
}

/// One pass over the order's keys, which are sorted by their first id. Indexes fit in u32: a
/// blob's quad count is one.
fn table(blob: Blob<'_>, order: Order) -> Box<[u32]> {
    let terms = blob.term_count();
    let quads = blob.quad_count();
    let mut table = Vec::with_capacity(terms + 1);
    for index in 0..quads {
        let first = blob.key(order, index)[0] as usize;
        while table.len() <= first.min(terms) {
            table.push(index as u32);
        }
    }
    table.resize(terms + 1, quads as u32);
    table.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::blob::{Kind, TermKey, encode};

    fn owned(terms: usize, quads: &[[u32; 4]]) -> crate::data::blob::Owned {
        let keys: Vec<TermKey> = (0..terms)
            .map(|i| TermKey {
                kind: Kind::Iri,
                value: format!("http://example.org/{i:03}"),
                extra: String::new(),
            })
            .collect();
        crate::data::blob::Owned::from_bytes(encode(&keys, quads, &[])).expect("a whole blob")
    }

    #[test]
    fn every_prefix_finds_what_the_whole_search_finds() {
        // Subjects 0, 2 and 5 with gaps between them, objects repeated, an id with no keys.
        let quads = [
            [0, 1, 2, u32::MAX],
            [0, 1, 3, u32::MAX],
            [0, 4, 2, u32::MAX],
            [2, 1, 0, u32::MAX],
            [5, 4, 5, u32::MAX],
            [5, 4, 6, u32::MAX],
        ];
        let owned = owned(7, &quads);
        let blob = owned.view();
        let starts = Starts::default();
        // An empty range is empty wherever it stands.
        let keys = |range: Range<usize>| range.collect::<Vec<_>>();
        for order in [Order::Spo, Order::Pos, Order::Osp] {
            for a in 0..8 {
                assert_eq!(
                    keys(starts.range(blob, order, &[a])),
                    keys(blob.range(order, &[a]))
                );
                for b in 0..8 {
                    assert_eq!(
                        keys(starts.range(blob, order, &[a, b])),
                        keys(blob.range(order, &[a, b])),
                        "{order:?} [{a}, {b}]"
                    );
                    for c in 0..8 {
                        assert_eq!(
                            keys(starts.range(blob, order, &[a, b, c])),
                            keys(blob.range(order, &[a, b, c]))
                        );
                    }
                }
            }
            assert_eq!(starts.range(blob, order, &[]), 0..quads.len());
        }
        // Subject 0's three keys, predicate 4's three, and of those with subject 5 two.
        assert_eq!(keys(starts.range(blob, Order::Spo, &[0])), [0, 1, 2]);
        assert_eq!(keys(starts.range(blob, Order::Pos, &[4])).len(), 3);
        assert_eq!(keys(starts.range(blob, Order::Spo, &[5, 4])), [4, 5]);
    }

    #[test]
    fn an_empty_index_has_no_keys_for_any_id() {
        let owned = owned(0, &[]);
        let starts = Starts::default();
        assert_eq!(starts.range(owned.view(), Order::Spo, &[0, 1]), 0..0);
    }
}
