//! Statement preparation as every front end does it (the nesting guard, the prefix map, the
//! parser, the query-or-update decision), and what oxigraph writes back of a query.
#![no_main]

use ffkg::sparql::{Settings, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let settings = Settings::default();
    let source = Source::new("fuzz", text);
    if let Ok(statement) = ffkg::engine::prepare(&source, &settings) {
        if let ffkg::engine::Body::Query(query) = &statement.body {
            // What oxigraph writes back must parse again (the server and `--endpoint` send it).
            let again = Source::new("fuzz", query.to_string());
            assert!(settings.parse_query(&again).is_ok(), "{query}");
        }
    }
});
