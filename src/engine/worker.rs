//! Threads that run statements: each gets a stack deep enough for anything the nesting check
//! ([`crate::sparql::depth`]) lets through, and [`supervise`] runs one statement on such a
//! thread under its deadline and Ctrl-C, the one timeout policy of every front end. A server,
//! whose requests are many and small, runs a statement on the thread at hand instead
//! ([`run_here`], under the same deadline), moving to a deep stack only for one nested too
//! deep for that thread ([`on_deep_stack`]).

use super::cancel::{GRACE, memory_error, timeout_error};
use super::memory;
use crate::error::{Error, Result};
use oxigraph::sparql::CancellationToken;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
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

/// How deep a statement may nest and still run on a thread with the default stack (2 MiB):
/// each level costs at most ten or so kilobytes, in a debug build, to parse, run and drop.
pub const SHALLOW: usize = 16;

/// Runs `f` on a new thread with [`STACK_SIZE`] that may borrow from its caller: for the rare
/// statement nested deeper than [`SHALLOW`], whose parse, run and drop would overflow the
/// caller's stack.
pub fn on_deep_stack<T: Send>(origin: &str, f: impl FnOnce() -> T + Send) -> Result<T> {
    thread::scope(|scope| {
        let handle = thread::Builder::new()
            .name("ffkg-deep".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, f)
            .map_err(|e| Error::io("<thread>", e))?;
        handle.join().map_err(|_| Error::Internal {
            origin: origin.to_owned(),
            message: "the statement's thread failed".to_owned(),
        })
    })
}

/// Runs `job` on this thread under a deadline `timeout` away, which cancels its token; a
/// statement cancelled there fails with a timeout, one cancelled because the heap passed the
/// memory limit with that limit's error. Unlike [`supervise`], it answers only once the
/// statement has stopped: a server's worker stays taken while its statement still runs.
pub fn run_here<T>(
    timeout: Duration,
    job: impl FnOnce(CancellationToken) -> Result<T>,
) -> Result<T> {
    let token = CancellationToken::new();
    let watch = Watch::start(Instant::now() + timeout, token.clone())?;
    let result = job(token);
    let timed_out = watch.passed();
    let out_of_memory = watch.out_of_memory.load(Ordering::Relaxed);
    drop(watch);
    result.map_err(|e| {
        if out_of_memory {
            memory_error(e)
        } else {
            timeout_error(e, timed_out, Some(timeout))
        }
    })
}

/// A statement under [`run_here`]: its id, its deadline, the token to cancel then, and what
/// says it was stopped for the memory limit.
type Watched = (u64, Instant, CancellationToken, Arc<AtomicBool>);

/// Statements under [`run_here`]. One thread watches them all, so that a small statement does
/// not pay for a thread of its own.
static WATCHED: Mutex<Vec<Watched>> = Mutex::new(Vec::new());
static NEXT_WATCH: AtomicU64 = AtomicU64::new(0);
/// Whether the watching thread started.
static WATCHER: OnceLock<bool> = OnceLock::new();

/// A statement's deadline while it runs; dropping it stops the watch.
struct Watch {
    id: u64,
    at: Instant,
    out_of_memory: Arc<AtomicBool>,
}

impl Watch {
    fn start(at: Instant, token: CancellationToken) -> Result<Self> {
        let started = *WATCHER.get_or_init(|| {
            thread::Builder::new()
                .name("ffkg-deadlines".to_owned())
                .spawn(watch_deadlines)
                .is_ok()
        });
        if !started {
            return Err(Error::Internal {
                origin: "<deadlines>".to_owned(),
                message: "could not start the thread that watches deadlines".to_owned(),
            });
        }
        let id = NEXT_WATCH.fetch_add(1, Ordering::Relaxed);
        let out_of_memory = Arc::new(AtomicBool::new(false));
        WATCHED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((id, at, token, Arc::clone(&out_of_memory)));
        Ok(Self {
            id,
            at,
            out_of_memory,
        })
    }

    fn passed(&self) -> bool {
        Instant::now() >= self.at
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut watched = WATCHED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(index) = watched.iter().position(|(id, ..)| *id == self.id) {
            watched.swap_remove(index);
        }
    }
}

/// The watching thread: every [`POLL`], cancels (and forgets) the statements past their
/// deadline, and every statement when the heap is past the memory limit (which statement
/// holds the memory is not known, and each may be the one).
fn watch_deadlines() {
    loop {
        thread::sleep(POLL);
        let now = Instant::now();
        let over = memory::exceeded();
        WATCHED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|(_, at, token, out_of_memory)| {
                if over {
                    out_of_memory.store(true, Ordering::Relaxed);
                }
                let due = over || *at <= now;
                if due {
                    token.cancel();
                }
                !due
            });
    }
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
    let mut out_of_memory: Option<Instant> = None;
    loop {
        match receiver.recv_timeout(POLL) {
            Ok(result) => {
                return match result {
                    Ok(value) => Ok(value),
                    Err(_) if interrupted.is_some() => Err(Stop::Interrupted),
                    Err(error) if out_of_memory.is_some() => Err(Stop::Failed(memory_error(error))),
                    // An error that comes after the deadline is its doing, even when it
                    // came before this loop saw the deadline pass.
                    Err(error) => Err(Stop::Failed(timeout_error(
                        error,
                        timed_out.is_some() || deadline.is_some_and(|d| Instant::now() >= d),
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
        if out_of_memory.is_none() && memory::exceeded() {
            token.cancel();
            out_of_memory = Some(Instant::now());
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
        if out_of_memory.is_some_and(|at| at.elapsed() > GRACE) {
            return Err(Stop::Abandoned(memory_error(timeout_message())));
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

    /// About 4 KiB a level: far past a default 2 MiB thread stack.
    fn deep(n: u64) -> u64 {
        let pad = std::hint::black_box([0u8; 4096]);
        if n == 0 {
            u64::from(pad[0])
        } else {
            deep(n - 1) + 1 + u64::from(pad[1])
        }
    }

    #[test]
    fn a_job_runs_on_a_deep_stack() {
        let value = supervise("test", None, None, |_| Ok(deep(10_000))).expect("runs");
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
    fn a_borrowing_job_runs_on_a_deep_stack() {
        let borrowed = String::from("abc");
        let value = on_deep_stack("test", || deep(10_000) + borrowed.len() as u64);
        assert_eq!(value.expect("runs"), 10_003);
    }

    #[test]
    fn a_job_run_here_is_cancelled_at_its_deadline() {
        let started = Instant::now();
        let result = run_here(Duration::from_millis(50), |token| {
            while !token.is_cancelled() {
                thread::sleep(Duration::from_millis(5));
            }
            Err::<(), _>(Error::Timeout {
                origin: "test".to_owned(),
                seconds: 0.0,
            })
        });
        // The error names the timeout's length, which the evaluator does not know.
        assert!(
            matches!(result, Err(Error::Timeout { seconds, .. }) if seconds > 0.0),
            "{result:?}"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        // The statement is no longer watched once it has returned.
        assert!(
            WATCHED
                .lock()
                .unwrap()
                .iter()
                .all(|(_, at, ..)| *at > started + Duration::from_millis(50))
        );
    }

    #[test]
    fn a_job_run_here_within_its_deadline_keeps_its_answer() {
        let value = run_here(Duration::from_secs(5), |token| Ok(!token.is_cancelled()));
        assert!(value.expect("answers"));
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
