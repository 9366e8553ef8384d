//! `ffkg serve`: the SPARQL endpoint. The socket loop is oxhttp's (a thread per connection,
//! bounded); every request goes to [`protocol::handle`], a plain function over the engine.
//! This module only opens the dataset, logs each request to stderr, and on Ctrl-C or SIGTERM
//! refuses new requests, lets those in flight finish, and returns.

mod assets;
mod gsp;
mod html;
mod http;
mod multipart;
mod negotiate;
mod page;
mod pages;
mod pool;
pub mod protocol;
pub mod publish;
mod resource;
mod vocabulary;
pub mod void;
mod write;

use crate::config::ServeConfig;
use crate::data::Dataset;
use crate::engine::duration_text;
use crate::error::{Error, ExitStatus};
use oxhttp::Server;
use oxhttp::model::{Body, Response, StatusCode};
use protocol::{Access, Endpoint};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub fn run(config: ServeConfig) -> anyhow::Result<ExitStatus> {
    let started = Instant::now();
    let dataset = Dataset::open(&config.dataset)?;
    if let Some(limit) = crate::engine::memory::limit() {
        let held = crate::engine::memory::allocated() as u64;
        if held >= limit {
            return Err(Error::usage(format!(
                "--max-memory {} MiB is less than the data takes already ({} MiB): raise it",
                crate::engine::memory::mib(limit),
                crate::engine::memory::mib(held)
            ))
            .into());
        }
    }
    let writable = config.token.is_some();
    let mut endpoint = Endpoint::new(
        dataset,
        config.settings.clone(),
        config.limits,
        Access {
            cors: config.cors.clone(),
            token: config.token.clone(),
            allow_service: config.allow_service,
            allow_load: config.allow_load,
        },
    )?;
    endpoint.sources = config.sources.clone();
    let endpoint = Arc::new(endpoint);
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|e| Error::io("<signals>", e))?;
    }
    let in_flight = Arc::new(AtomicUsize::new(0));
    let handler = {
        let endpoint = Arc::clone(&endpoint);
        let stop = Arc::clone(&stop);
        let in_flight = Arc::clone(&in_flight);
        move |request: &mut oxhttp::model::Request<Body>| {
            let started = Instant::now();
            let method = request.method().clone();
            let path = request.uri().path().to_owned();
            let response = if stop.load(Ordering::SeqCst) {
                let mut response = Response::new(Body::from("the endpoint is shutting down\n"));
                *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
                response
            } else {
                in_flight.fetch_add(1, Ordering::SeqCst);
                let response = protocol::handle(&endpoint, request);
                in_flight.fetch_sub(1, Ordering::SeqCst);
                response
            };
            let bytes = response
                .body()
                .len()
                .map_or_else(|| "-".to_owned(), |n| n.to_string());
            eprintln!(
                "{method} {path} {} {bytes} bytes {}",
                response.status().as_u16(),
                duration_text(started.elapsed())
            );
            response
        }
    };
    let server = Server::new(handler)
        .bind(config.bind)
        .with_server_name(concat!("ffkg/", env!("CARGO_PKG_VERSION")))
        .map_err(|e| Error::usage(format!("server name: {e}")))?
        .with_global_timeout(config.limits.idle_timeout)
        .with_max_concurrent_connections(config.limits.max_connections);
    let _listening = server
        .spawn()
        .map_err(|e| Error::io(config.bind.to_string(), e))?;
    eprintln!(
        "ffkg serve: listening on http://{}/sparql (query page: http://{}/), ready in {}",
        config.bind,
        config.bind,
        duration_text(started.elapsed())
    );
    if writable {
        eprintln!(
            "ffkg serve: updates and graph store writes are on, for requests that carry the \
             token"
        );
    }
    if !config.bind.ip().is_loopback() {
        eprintln!(
            "ffkg serve: {} is not a loopback address: the endpoint is reachable from other \
             machines",
            config.bind.ip()
        );
    }
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(100));
    }
    eprintln!("ffkg serve: stopping; finishing the requests in flight");
    let deadline = Instant::now() + config.limits.timeout + Duration::from_secs(5);
    while in_flight.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok(ExitStatus::Success)
}
