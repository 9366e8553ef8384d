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
