//! Deadlines: a watchdog cancels a statement's token when its time is up and says when the
//! statement has not stopped within a grace period after that, and the errors of a cancelled
//! statement become timeouts.

use crate::error::Error;
use oxigraph::sparql::CancellationToken;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Duration;

/// Cancels a query at its deadline; if the query does not stop within a grace period (oxigraph
/// checks the token only when it reads the store, not while it sorts or aggregates), calls
/// `on_stuck`, and the caller decides what a statement that will not stop means for it.
pub struct Watchdog {
    token: CancellationToken,
    done: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Watchdog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watchdog")
            .field("cancelled", &self.token.is_cancelled())
            .finish()
    }
}

/// How long a cancelled query may take to notice before `on_stuck` runs.
pub const GRACE: Duration = Duration::from_millis(500);

impl Watchdog {
    pub fn start(timeout: Option<Duration>, on_stuck: impl FnOnce() + Send + 'static) -> Self {
        let token = CancellationToken::new();
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let thread = timeout.map(|timeout| {
            let token = token.clone();
            let done = Arc::clone(&done);
            thread::spawn(move || {
                if wait_until_done(&done, timeout) {
                    return;
                }
                token.cancel();
                if !wait_until_done(&done, GRACE) {
                    on_stuck();
                }
            })
        });
        Self {
            token,
            done,
            thread,
        }
    }

    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    pub fn cancelled(&self) -> bool {
        self.token.is_cancelled()
    }

    /// Stops watching; returns true when the deadline had passed.
    pub fn finish(mut self) -> bool {
        self.stop();
        self.token.is_cancelled()
    }

    fn stop(&mut self) {
        let (lock, condvar) = &*self.done;
        if let Ok(mut done) = lock.lock() {
            *done = true;
        }
        condvar.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits until `done` is set or `timeout` passes; true when done.
fn wait_until_done(done: &(Mutex<bool>, Condvar), timeout: Duration) -> bool {
    let (lock, condvar) = done;
    let Ok(guard) = lock.lock() else {
        return true;
    };
    match condvar.wait_timeout_while(guard, timeout, |done| !*done) {
        Ok((guard, _)) => *guard,
        Err(_) => true,
    }
}

/// The error of a statement whose watchdog fired is a timeout, whatever oxigraph called it;
/// this also fills in the timeout's length, which the evaluator does not know.
pub fn timeout_error(error: Error, timed_out: bool, timeout: Option<Duration>) -> Error {
    match error {
        Error::Timeout { origin, .. } => Error::Timeout {
            origin,
            seconds: timeout.map_or(0.0, |t| t.as_secs_f64()),
        },
        Error::QueryEvaluation { origin, .. } if timed_out => Error::Timeout {
            origin,
            seconds: timeout.map_or(0.0, |t| t.as_secs_f64()),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watchdog_cancels_after_the_deadline() {
        let dog = Watchdog::start(Some(Duration::from_millis(20)), || {});
        thread::sleep(Duration::from_millis(100));
        assert!(dog.cancelled());
        assert!(dog.finish());
        let quick = Watchdog::start(Some(Duration::from_secs(60)), || {});
        assert!(!quick.finish());
    }
}
