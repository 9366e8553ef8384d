//! A bounded pool of statement workers with a bounded queue in front of it: a request waits
//! for a worker while the queue has room, and is refused at once (503) when it has none, so
//! load never piles up without bound.

use std::sync::{Condvar, Mutex};

#[derive(Debug)]
pub struct Pool {
    /// (running, waiting)
    state: Mutex<(usize, usize)>,
    freed: Condvar,
    workers: usize,
    queue: usize,
}

/// A worker slot, given back when dropped.
#[derive(Debug)]
pub struct Slot<'a>(&'a Pool);

impl Pool {
    pub fn new(workers: usize, queue: usize) -> Self {
        Self {
            state: Mutex::new((0, 0)),
            freed: Condvar::new(),
            workers: workers.max(1),
            queue,
        }
    }

    /// A slot now, or after waiting in the queue; none when the queue is full.
    pub fn acquire(&self) -> Option<Slot<'_>> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.0 < self.workers {
            state.0 += 1;
            return Some(Slot(self));
        }
        if state.1 >= self.queue {
            return None;
        }
        state.1 += 1;
        while state.0 >= self.workers {
            state = self.freed.wait(state).unwrap_or_else(|p| p.into_inner());
        }
        state.1 -= 1;
        state.0 += 1;
        Some(Slot(self))
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut state = self.0.state.lock().unwrap_or_else(|p| p.into_inner());
        state.0 -= 1;
        self.0.freed.notify_one();
    }
}
