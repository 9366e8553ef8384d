//! Threads that run statements: each gets a stack deep enough for anything the nesting check
//! ([`crate::sparql::depth`]) lets through, and [`supervise`] runs one statement on such a
//! thread under its deadline and Ctrl-C, the one timeout policy of every front end.

use super::cancel::{GRACE, timeout_error};
use crate::error::{Error, Result};
use oxigraph::sparql::CancellationToken;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The stack of every thread that parses or runs statements. Only the pages a statement uses
/// are ever committed; the reserve is what lets a query nested to the limit parse, run and be
/// dropped (each level costs a few kilobytes in a release build, ten or more in a debug one).
pub const STACK_SIZE: usize = 256 << 20;

/// How often a supervisor looks at a running statement, Ctrl-C and the deadline.
const POLL: Duration = Duration::from_millis(20);

/// Spawns a thread with [`STACK_SIZE`].
pub fn spawn<T: Send + 'static>(
    name: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<JoinHandle<T>> {
    thread::Builder::new()
        .name(name.to_owned())
        .stack_size(STACK_SIZE)
        .spawn(f)
        .map_err(|e| Error::io("<thread>", e))
}

/// Why a supervised statement gave no result.
#[derive(Debug)]
pub enum Stop {
    /// It failed (a timeout included) and has ended.
    Failed(Error),
    /// Ctrl-C stopped it.
    Interrupted,
    /// It did not stop within the grace period after its deadline or Ctrl-C, and goes on in
    /// the background: the caller decides whether to wait, warn, or end the process.
    Abandoned(Error),
}

impl From<Error> for Stop {
    fn from(error: Error) -> Self {
        Self::Failed(error)
    }
}

/// Runs `job` on a deep-stack thread. The deadline (`timeout`) and `interrupt` (set by a
/// Ctrl-C handler) cancel the token the job runs under; a job that has not stopped
/// [`GRACE`] later is abandoned.
pub fn supervise<T: Send + 'static>(
    origin: &str,
    timeout: Option<Duration>,
    interrupt: Option<&AtomicBool>,
    job: impl FnOnce(CancellationToken) -> Result<T> + Send + 'static,
) -> Result<T, Stop> {
    let token = CancellationToken::new();
    if let Some(flag) = interrupt {
        flag.store(false, Ordering::SeqCst);
    }
    let (sender, receiver) = mpsc::channel();
    let worker_token = token.clone();
    run_on_worker(Box::new(move || {
        let _ = sender.send(job(worker_token));
    }))?;
    let timeout_message = || Error::Timeout {
        origin: origin.to_owned(),
        seconds: timeout.map_or(0.0, |t| t.as_secs_f64()),
    };
    // The deadline is watched here, between polls, rather than by a thread of its own.
    let deadline = timeout.map(|t| Instant::now() + t);
    let mut timed_out: Option<Instant> = None;
    let mut interrupted: Option<Instant> = None;
    loop {
        match receiver.recv_timeout(POLL) {
            Ok(result) => {
                return match result {
                    Ok(value) => Ok(value),
                    Err(_) if interrupted.is_some() => Err(Stop::Interrupted),
                    Err(error) => Err(Stop::Failed(timeout_error(
                        error,
                        timed_out.is_some(),
                        timeout,
                    ))),
                };
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Stop::Failed(Error::Internal {
                    origin: origin.to_owned(),
                    message: "the statement's thread ended without an answer".to_owned(),
                }));
            }
        }
        if timed_out.is_none() && deadline.is_some_and(|d| Instant::now() >= d) {
            token.cancel();
            timed_out = Some(Instant::now());
        }
        if interrupted.is_none() && interrupt.is_some_and(|f| f.swap(false, Ordering::SeqCst)) {
            token.cancel();
            interrupted = Some(Instant::now());
        }
        if interrupted.is_some_and(|at| at.elapsed() > GRACE) {
            return Err(Stop::Abandoned(Error::usage(format!(
                "{origin}: interrupted"
            ))));
        }
        if timed_out.is_some_and(|at| at.elapsed() > GRACE) {
            return Err(Stop::Abandoned(timeout_message()));
        }
    }
}

/// A job for a statement thread.
type Job = Box<dyn FnOnce() + Send>;

/// Statement threads waiting for their next job. A thread with a deep stack costs more to
/// start than a small query costs to answer, so each goes back here when its job ends (up
/// to [`MAX_IDLE`] of them); one that was abandoned comes back only if its job ever ends.
static IDLE: Mutex<Vec<mpsc::Sender<Job>>> = Mutex::new(Vec::new());

/// Idle threads kept; more end when their job does.
const MAX_IDLE: usize = 16;

/// Runs `job` on an idle statement thread, or on a new one.
fn run_on_worker(mut job: Job) -> Result<()> {
    loop {
        let idle = IDLE.lock().unwrap_or_else(PoisonError::into_inner).pop();
        match idle {
            Some(thread) => match thread.send(job) {
                Ok(()) => return Ok(()),
                // That thread is gone; try the next.
                Err(mpsc::SendError(returned)) => job = returned,
            },
            None => break,
        }
    }
    spawn("ffkg-statement", move || {
        let (sender, receiver) = mpsc::channel::<Job>();
        let mut next = Some(job);
        while let Some(job) = next.take() {
            job();
            {
                let mut idle = IDLE.lock().unwrap_or_else(PoisonError::into_inner);
                if idle.len() >= MAX_IDLE {
                    return;
                }
                idle.push(sender.clone());
            }
            next = receiver.recv().ok();
        }
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_runs_on_a_deep_stack() {
        fn depth(n: u64) -> u64 {
            // About 4 KiB a level: far past a default 2 MiB thread stack.
            let pad = std::hint::black_box([0u8; 4096]);
            if n == 0 {
                u64::from(pad[0])
            } else {
                depth(n - 1) + 1 + u64::from(pad[1])
            }
        }
        let value = supervise("test", None, None, |_| Ok(depth(10_000))).expect("runs");
        assert_eq!(value, 10_000);
    }

    #[test]
    fn the_deadline_cancels_the_token() {
        let result = supervise("test", Some(Duration::from_millis(50)), None, |token| {
            while !token.is_cancelled() {
                thread::sleep(Duration::from_millis(5));
            }
            Err::<(), _>(Error::Timeout {
                origin: "test".to_owned(),
                seconds: 0.0,
            })
        });
        match result {
            Err(Stop::Failed(Error::Timeout { seconds, .. })) => assert!(seconds > 0.0),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_job_that_ignores_its_deadline_is_abandoned() {
        let result = supervise("test", Some(Duration::from_millis(20)), None, |_| {
            thread::sleep(GRACE * 4);
            Ok(())
        });
        assert!(matches!(
            result,
            Err(Stop::Abandoned(Error::Timeout { .. }))
        ));
    }
}
