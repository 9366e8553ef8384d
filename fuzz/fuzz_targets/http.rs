//! The endpoint's handler on any request: method, target, headers and body from the input
//! (lines: method, target, then `name: value` headers, a blank line, the body). Every request
//! gets a response with a status; none panics or hangs past the timeout.
#![no_main]

use ffkg::config::Limits;
use ffkg::data::Dataset;
use ffkg::data::prebuilt::Prebuilt;
use ffkg::server::protocol::{Access, Endpoint, handle};
use ffkg::sparql::Settings;
use libfuzzer_sys::fuzz_target;
use oxhttp::model::{Body, Request};
use std::sync::OnceLock;
use std::time::Duration;

fn endpoint() -> &'static Endpoint {
    static ENDPOINT: OnceLock<Endpoint> = OnceLock::new();
    ENDPOINT.get_or_init(|| {
        let limits = Limits {
            timeout: Duration::from_secs(2),
            max_body: 1 << 20,
            ..Limits::default()
        };
        Endpoint::new(
            Dataset::from_prebuilt(Prebuilt::get()),
            Settings::default(),
            limits,
            Access::default(),
        )
        .expect("an endpoint")
    })
}

fuzz_target!(|input: &[u8]| {
    let (head, body) = match input.windows(2).position(|w| w == b"\n\n") {
        Some(at) => (&input[..at], &input[at + 2..]),
        None => (input, &[][..]),
    };
    let mut lines = head.split(|&b| b == b'\n');
    let method = lines.next().unwrap_or_default();
    let target = lines.next().unwrap_or(b"/sparql");
    let mut builder = Request::builder().method(method).uri(target);
    for line in lines {
        if let Some(colon) = line.iter().position(|&b| b == b':') {
            let value = line[colon + 1..].strip_prefix(b" ").unwrap_or(&line[colon + 1..]);
            builder = builder.header(&line[..colon], value);
        }
    }
    // A request the HTTP layer would refuse never reaches the handler.
    let Ok(mut request) = builder.body(Body::from(body.to_vec())) else {
        return;
    };
    let response = handle(endpoint(), &mut request);
    let _ = response.status();
});
