//! Stopping a query that the evaluator would not stop. oxigraph's evaluator looks at its
//! cancellation token only when it reads the dataset, so a query that computes without reading
//! (a cartesian product of VALUES, an aggregate over one) runs on past its deadline. Every such
//! loop clones or hashes the dataset's internal terms, so the embedded graph's term type asks
//! [`check`] there: once the statement running on this thread is cancelled, it unwinds with
//! [`Overrun`], which [`guarded`] turns back into an ordinary result.

use oxigraph::sparql::CancellationToken;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

thread_local! {
    /// The token of the statement running on this thread, while one runs.
    static ARMED: RefCell<Option<CancellationToken>> = const { RefCell::new(None) };
}

/// The unwinding payload of a statement stopped by [`check`].
#[derive(Debug)]
pub struct Overrun;

/// What ended a guarded computation other than its own result.
#[derive(Debug)]
pub enum Unwound {
    /// The token was cancelled while the statement computed without reading.
    Overrun,
    /// A panic: a bug, with its message.
    Panic(String),
}

/// Runs `f` with `token` armed on this thread, so that cloning or hashing an internal term
/// after the token is cancelled stops `f`.
pub fn guarded<T>(token: &CancellationToken, f: impl FnOnce() -> T) -> Result<T, Unwound> {
    let previous = ARMED.with(|armed| armed.replace(Some(token.clone())));
    let result = catch_unwind(AssertUnwindSafe(f));
    ARMED.with(|armed| *armed.borrow_mut() = previous);
    result.map_err(|payload| {
        if payload.is::<Overrun>() {
            Unwound::Overrun
        } else if let Some(text) = payload.downcast_ref::<&str>() {
            Unwound::Panic((*text).to_owned())
        } else if let Some(text) = payload.downcast_ref::<String>() {
            Unwound::Panic(text.clone())
        } else {
            Unwound::Panic("unknown panic".to_owned())
        }
    })
}

/// Unwinds with [`Overrun`] when the statement running on this thread has been cancelled.
/// (`resume_unwind` skips the panic hook: nothing is printed.)
#[inline]
pub fn check() {
    let cancelled = ARMED.with(|armed| {
        armed
            .try_borrow()
            .is_ok_and(|t| t.as_ref().is_some_and(CancellationToken::is_cancelled))
    });
    if cancelled {
        // Disarm first: the unwinding drops terms and must not unwind again.
        ARMED.with(|armed| {
            if let Ok(mut armed) = armed.try_borrow_mut() {
                *armed = None;
            }
        });
        resume_unwind(Box::new(Overrun));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cancelled_computation_unwinds_to_the_guard() {
        let token = CancellationToken::new();
        let result = guarded(&token, || {
            for i in 0.. {
                if i == 1000 {
                    token.cancel();
                }
                check();
            }
        });
        assert!(matches!(result, Err(Unwound::Overrun)));
        // Outside a guard, nothing is armed.
        check();
    }

    #[test]
    fn panics_are_caught_with_their_message() {
        let token = CancellationToken::new();
        let result: Result<(), _> = guarded(&token, || panic!("boom"));
        assert!(matches!(result, Err(Unwound::Panic(m)) if m == "boom"));
    }
}
