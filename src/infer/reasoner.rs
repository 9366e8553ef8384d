//! The fixpoint loop: schema closure, one pass over the instance triples, and again while
//! inference adds schema triples.

#[allow(unused_imports)]
use super::*;

/// The state and the schema it is reasoned with, apart so rules can borrow both.
#[derive(Debug)]
pub(super) struct Reasoner<'a> {
    pub(super) state: State<'a>,
    pub(super) schema: Schema,
}

/// How often `progress` is called, in asserted triples.
pub(super) const PROGRESS_STEP: usize = 1 << 14;

impl<'a> Reasoner<'a> {
    pub(super) fn new(level: Reasoning, capacity: usize) -> Self {
        let mut terms = Terms::default();
        let v = Vocab::new(&mut terms, level);
        let mut known = FxSet::default();
        known.reserve(capacity);
        Self {
            state: State {
                level,
                terms,
                v,
                known,
                inferred: Vec::new(),
                queue: Vec::new(),
                schema_triples: Vec::new(),
                predicates: FxSet::default(),
                edges: FxMap::default(),
                dirty: FxSet::default(),
            },
            schema: Schema::default(),
        }
    }

    pub(super) fn run(&mut self, asserted: &[Key], progress: &mut dyn FnMut(u64)) {
        let state = &mut self.state;
        // Container membership properties are subproperties of rdfs:member from the start.
        for key in asserted {
            state.predicates.insert(key.1);
        }
        let mut predicates: Vec<Id> = state.predicates.iter().copied().collect();
        predicates.sort_unstable();
        for p in predicates {
            state.derive_predicate(p);
        }
        self.schema = state.build_schema();
        state.derive_schema(&self.schema);
        state.drain(&self.schema);
        for (done, &key) in asserted.iter().enumerate() {
            if done % PROGRESS_STEP == 0 {
                progress(done as u64);
            }
            state.apply(&self.schema, key, false);
            state.drain(&self.schema);
        }
        progress(asserted.len() as u64);
        loop {
            while state.close_transitive() {
                state.drain(&self.schema);
            }
            let schema = state.build_schema();
            if schema == self.schema {
                return;
            }
            // Inference changed the schema: apply the new one to every known triple.
            self.schema = schema;
            state.edges.clear();
            state.dirty.clear();
            state.derive_schema(&self.schema);
            state.drain(&self.schema);
            let inferred_before = state.inferred.len();
            for &key in asserted {
                state.apply(&self.schema, key, false);
                state.drain(&self.schema);
            }
            for index in 0..inferred_before {
                let (key, by_closure) = state.inferred[index];
                state.apply(&self.schema, key, by_closure);
                state.drain(&self.schema);
            }
        }
    }
}
