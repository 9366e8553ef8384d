//! Progress bars for long steps (loading, reasoning), drawn on stderr and only on a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar counting bytes read, drawn on a terminal only.
pub fn bytes(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    } else {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar
}

/// A reader that counts the bytes read from it into a bar.
#[derive(Debug)]
pub struct Counting<R> {
    pub inner: R,
    pub bar: ProgressBar,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

/// The total size of `files` on disk.
pub fn size_of(files: &[std::path::PathBuf]) -> crate::error::Result<u64> {
    files
        .iter()
        .map(|p| {
            std::fs::metadata(p)
                .map(|m| m.len())
                .map_err(|e| crate::error::Error::io(p, e))
        })
        .sum()
}

/// A bar counting `total` items for a long step, drawn on a terminal only, and only when the
/// step is large enough to be worth watching (`total` at least `threshold`).
pub fn triples(total: u64, what: &str, threshold: u64) -> ProgressBar {
    if total < threshold || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{what} {{spinner}} [{{elapsed_precise}}] {{wide_bar}} {{human_pos}}/{{human_len}} triples ({{per_sec}})"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// A spinner for a long step that counts nothing (sorting, writing), with what it is doing and
/// the time it has taken; drawn on a terminal only, and only when `size` is at least
/// `threshold`.
pub fn step(what: &str, size: u64, threshold: u64) -> ProgressBar {
    if size < threshold || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner().with_message(what.to_owned());
    bar.set_style(
        ProgressStyle::with_template("{msg} {spinner} [{elapsed_precise}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
