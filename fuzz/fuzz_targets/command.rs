//! The REPL's dot-command parser and its help on any line.
#![no_main]

use ffkg::repl::command;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    let _ = command::parse(line);
    if let Some(topic) = line.strip_prefix(".help ") {
        let _ = command::help(Some(topic), 80);
    }
});
