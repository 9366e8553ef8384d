//! The query page in a real browser: a real `ffkg serve` on a free loopback port, and
//! `tests/browser/query-page.mjs` driving headless Chromium through it (pick a library query,
//! run it with YASGUI's run button, read the table; nothing fetched from another host, no
//! console errors), and `tests/browser/resource-page.mjs` following a country's IRI to its page
//! and on to a figure's. Needs Node.js, Chromium and `npm ci` in tests/browser (`.ci/browser.sh`
//! sets them up); without them the test says why and passes, unless CI is set.

mod common;

use common::serve::Served;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Chromium the script launches: `CHROMIUM`, or Debian's.
fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Why the browser test cannot run here, if it cannot.
fn missing(root: &Path) -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|output| output.status.success()) {
        return Some("node is not installed (Debian: nodejs)".to_owned());
    }
    let chromium = chromium();
    if !chromium.is_file() {
        return Some(format!(
            "no Chromium at {} (Debian: chromium; or set CHROMIUM)",
            chromium.display()
        ));
    }
    let modules = root.join("tests/browser/node_modules/puppeteer-core");
    if !modules.is_dir() {
        return Some("no tests/browser/node_modules (run npm ci in tests/browser)".to_owned());
    }
    None
}

/// Runs `tests/browser/SCRIPT` against a fresh server at its URL `path`, leaving the screenshot
/// at target/browser-NAME.png; returns its one line of success.
fn drive(script: &str, path: &str) -> Option<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(reason) = missing(root) {
        assert!(
            std::env::var_os("CI").is_none(),
            "browser test cannot run under CI: {reason} (.ci/browser.sh sets it up)"
        );
        eprintln!("skipping the browser test: {reason} (.ci/browser.sh sets it up)");
        return None;
    }
    let name = script.trim_end_matches(".mjs");
    let screenshot = root.join(format!("target/browser-{name}.png"));
    std::fs::create_dir_all(screenshot.parent().expect("target/")).expect("target/ exists");
    let served = Served::start(&[]);
    let output = Command::new("node")
        .current_dir(root)
        .arg(format!("tests/browser/{script}"))
        .arg(format!("{}{path}", served.base))
        .arg(&screenshot)
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}); screenshot {}\n{stdout}{stderr}",
        output.status,
        screenshot.display()
    );
    assert!(stdout.starts_with("ok: "), "{stdout}{stderr}");
    eprint!("{stdout}");
    assert!(served.stop().success());
    Some(stdout)
}

#[test]
fn the_query_page_runs_a_library_query_in_chromium() {
    drive("query-page.mjs", "/");
}

#[test]
fn a_countrys_iri_leads_to_its_page_and_on_to_a_figures_page_in_chromium() {
    drive("resource-page.mjs", "");
}
