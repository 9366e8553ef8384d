//! The memory limit (`--max-memory`): the process's heap as the counting allocator
//! ([`crate::ALLOCATOR`]) sees it, and the test the deadline watchers make to stop the
//! statements in flight once it passes the limit.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The limit in bytes; `usize::MAX` when there is none.
static LIMIT: AtomicUsize = AtomicUsize::new(usize::MAX);

/// Bytes the process holds on its heap now.
pub fn allocated() -> usize {
    crate::ALLOCATOR.allocated()
}

/// Sets the limit (`None`: no limit), for the whole process.
pub fn set_limit(bytes: Option<u64>) {
    let bytes = bytes.map_or(usize::MAX, |b| usize::try_from(b).unwrap_or(usize::MAX));
    LIMIT.store(bytes, Ordering::Relaxed);
}

/// The limit in bytes, when there is one.
pub fn limit() -> Option<u64> {
    match LIMIT.load(Ordering::Relaxed) {
        usize::MAX => None,
        bytes => Some(bytes as u64),
    }
}

/// Whether the heap is past the limit: the statements in flight are then stopped.
pub fn exceeded() -> bool {
    allocated() > LIMIT.load(Ordering::Relaxed)
}

/// `bytes` as MiB, for messages.
pub fn mib(bytes: u64) -> u64 {
    bytes.div_ceil(1 << 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heap_counts_what_is_allocated() {
        let before = allocated();
        let block = vec![0u8; 64 << 20];
        // Other tests allocate at the same time: only a floor can be asserted.
        assert!(allocated() >= before.saturating_sub(32 << 20) + (32 << 20));
        drop(block);
        assert_eq!(mib(1), 1);
        assert_eq!(mib(3 << 20), 3);
    }
}
