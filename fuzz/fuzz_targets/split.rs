//! The REPL's statement splitter and the SPARQL lexer on any text: they must end, never panic,
//! and cut the text into chunks in order that stay inside it.
#![no_main]

use ffkg::sparql::{Settings, lexer, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let settings = Settings::default();
    let tokens = lexer::tokens(text);
    let mut at = 0;
    for token in &tokens {
        assert!(token.start >= at && token.end >= token.start && token.end <= text.len());
        at = token.end;
        let _ = token.text(text);
    }
    let mut end = 0;
    for chunk in split::split(text, &settings) {
        assert!(chunk.end >= end && chunk.end <= text.len(), "chunks go forward");
        end = chunk.end;
        let _ = chunk.positioned_text();
    }
    let _ = split::is_complete(text, &settings);
    let _ = split::declared_prefixes(text);
});
