//! The schema read from the data (subclass, subproperty, domain, range … axioms), closed once;
//! and the union-find that groups `owl:sameAs` and equivalent terms.

#[allow(unused_imports)]
use super::*;

/// What the instance rules need, closed once per round.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Schema {
    /// Strict superclasses of each class (transitive; equivalent classes included).
    pub(super) super_classes: FxMap<Id, Vec<Id>>,
    /// Strict superproperties of each property (transitive; equivalent properties included).
    pub(super) super_properties: FxMap<Id, Vec<Id>>,
    /// The named domains each property declares.
    pub(super) domains: FxMap<Id, Vec<Id>>,
    /// The named ranges each property declares.
    pub(super) ranges: FxMap<Id, Vec<Id>>,
    /// Inverses of each property; a symmetric property is its own inverse.
    pub(super) inverses: FxMap<Id, Vec<Id>>,
    /// Transitive properties.
    pub(super) transitive: FxSet<Id>,
    /// For each term in an `owl:sameAs` class, the other members.
    pub(super) same: FxMap<Id, Vec<Id>>,
}

/// Everything reachable from each node of `edges`, itself excluded; lists sorted.
pub(super) fn closure(edges: &FxMap<Id, Vec<Id>>) -> FxMap<Id, Vec<Id>> {
    let mut result = FxMap::default();
    let mut seen = FxSet::default();
    let mut stack = Vec::new();
    for (&start, direct) in edges {
        seen.clear();
        stack.clear();
        stack.extend(direct.iter().copied());
        let mut reached = Vec::new();
        while let Some(node) = stack.pop() {
            if !seen.insert(node) {
                continue;
            }
            if node != start {
                reached.push(node);
            }
            if let Some(next) = edges.get(&node) {
                stack.extend(next.iter().copied());
            }
        }
        if !reached.is_empty() {
            reached.sort_unstable();
            result.insert(start, reached);
        }
    }
    result
}

pub(super) fn push_edge(edges: &mut FxMap<Id, Vec<Id>>, from: Id, to: Id) {
    if from != to {
        edges.entry(from).or_default().push(to);
    }
}

pub(super) fn sorted(mut map: FxMap<Id, Vec<Id>>) -> FxMap<Id, Vec<Id>> {
    for list in map.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    map
}

// ---------------------------------------------------------------------------------------------
// The reasoner

/// Union-find over ids, for `owl:sameAs` classes.
#[derive(Debug, Default)]
pub(super) struct UnionFind {
    pub(super) parent: FxMap<Id, Id>,
}

impl UnionFind {
    pub(super) fn find(&mut self, x: Id) -> Id {
        let mut root = x;
        while let Some(&parent) = self.parent.get(&root) {
            if parent == root {
                break;
            }
            root = parent;
        }
        // Path compression.
        let mut node = x;
        while node != root {
            let next = self.parent.get(&node).copied().unwrap_or(root);
            self.parent.insert(node, root);
            node = next;
        }
        root
    }

    pub(super) fn union(&mut self, a: Id, b: Id) {
        let ra = self.find(a);
        let rb = self.find(b);
        self.parent.entry(ra).or_insert(ra);
        self.parent.entry(rb).or_insert(rb);
        if ra != rb {
            self.parent.insert(ra.max(rb), ra.min(rb));
        }
    }

    /// For each member of a class of two or more, the other members, sorted.
    pub(super) fn classes(mut self) -> FxMap<Id, Vec<Id>> {
        let nodes: Vec<Id> = self.parent.keys().copied().collect();
        let mut members: FxMap<Id, Vec<Id>> = FxMap::default();
        for node in nodes {
            let root = self.find(node);
            members.entry(root).or_default().push(node);
        }
        let mut result = FxMap::default();
        for group in members.into_values() {
            if group.len() < 2 {
                continue;
            }
            for &x in &group {
                let mut others: Vec<Id> = group.iter().copied().filter(|&y| y != x).collect();
                others.sort_unstable();
                result.insert(x, others);
            }
        }
        result
    }
}

// ---------------------------------------------------------------------------------------------
// A fast hash for interned ids (the FxHash of rustc; keys here are not attacker-chosen in a way
// that matters: the worst case is a slower run, not a wrong one).
