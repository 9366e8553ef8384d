//! What changes the endpoint's data, all behind `--update` and its bearer token: SPARQL
//! updates (POST `application/sparql-update`, or a form's `update=`) with `using-graph-uri`
//! and `using-named-graph-uri`, and [`apply`], the one way a write (an update or a graph store
//! request) runs: on a pool worker, alone on the dataset, under the timeout.

use super::http::{self, Params, header, text};
use super::protocol::{Endpoint, on_fitting_stack, on_worker, protocol_dataset, refuse_service};
use crate::data::Dataset;
use crate::engine::{self, Body as StatementBody};
use crate::error::{self, Error, Result};
use crate::sparql::{Kind, Settings, Source};
use oxhttp::model::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use oxhttp::model::{Body, HeaderValue, Request, Response, StatusCode};
use oxigraph::sparql::CancellationToken;
use spargebra::GraphUpdateOperation;
use std::sync::PoisonError;

/// Lets a write through only when the endpoint takes writes and the request carries its
/// token: 403 on a read-only endpoint, 401 (with a `WWW-Authenticate` challenge) without the
/// right token.
pub fn authorize(endpoint: &Endpoint, request: &Request<Body>) -> Result<(), Box<Response<Body>>> {
    let Some(token) = &endpoint.access.token else {
        return Err(Box::new(text(
            StatusCode::FORBIDDEN,
            "this endpoint is read-only: updates and graph writes are refused (start it with \
             --update and --token-file to take them)",
        )));
    };
    let given = header(request, AUTHORIZATION).and_then(|value| {
        let (scheme, credentials) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| credentials.trim())
    });
    let message = match given {
        Some(given) if same(given.as_bytes(), token.as_bytes()) => return Ok(()),
        Some(_) => "the bearer token is not this endpoint's",
        None => "a write needs the header Authorization: Bearer <token>",
    };
    let mut response = text(StatusCode::UNAUTHORIZED, message);
    response.headers_mut().insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"ffkg\""),
    );
    Err(Box::new(response))
}

/// Compares in time that depends on the lengths only, not on where the bytes differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// POST `application/sparql-update`: the body is the update, the URL holds the dataset.
pub fn post_update(endpoint: &Endpoint, request: &mut Request<Body>) -> Response<Body> {
    if let Err(response) = authorize(endpoint, request) {
        return *response;
    }
    let body = match http::read_body(request, endpoint.limits.max_body) {
        Ok(body) => body,
        Err(response) => return *response,
    };
    if !http::utf8_charset(request) {
        return http::not_utf8();
    }
    match String::from_utf8(body) {
        Ok(update) => run_update(endpoint, request, &update, &Params::of_url(request)),
        Err(_) => text(StatusCode::BAD_REQUEST, "the update is not UTF-8"),
    }
}

/// A form's `update=`; the form holds the dataset too.
pub fn form_update(
    endpoint: &Endpoint,
    request: &Request<Body>,
    update: &str,
    form: &Params,
) -> Response<Body> {
    match authorize(endpoint, request) {
        Ok(()) => run_update(endpoint, request, update, form),
        Err(response) => *response,
    }
}

fn run_update(
    endpoint: &Endpoint,
    request: &Request<Body>,
    text_of_update: &str,
    params: &Params,
) -> Response<Body> {
    let settings = endpoint.settings_for(request);
    on_fitting_stack("update", text_of_update, || {
        update_response(endpoint, &settings, text_of_update, params)
    })
}

fn update_response(
    endpoint: &Endpoint,
    settings: &Settings,
    text_of_update: &str,
    params: &Params,
) -> Response<Body> {
    let source = Source::new("update", text_of_update);
    let mut statement = match engine::prepare_as(&source, settings, Kind::Update) {
        Ok(statement) => statement,
        Err(e) => return text(StatusCode::BAD_REQUEST, &error::report(&e)),
    };
    let StatementBody::Update(update) = &mut statement.body else {
        return text(StatusCode::BAD_REQUEST, "not an update");
    };
    if let Some(refused) = refuse_service(endpoint, &source) {
        return refused;
    }
    if !endpoint.access.allow_load
        && update
            .operations
            .iter()
            .any(|op| matches!(op, GraphUpdateOperation::Load { .. }))
    {
        return text(
            StatusCode::FORBIDDEN,
            "LOAD is off in this endpoint: no request can make it fetch a URL unless its operator \
             allows it (--allow-load); send the data with INSERT DATA or the graph store (PUT \
             /store?graph=IRI)",
        );
    }
    // The protocol's dataset replaces USING and USING NAMED; given both, the request is
    // ambiguous and refused, as the protocol asks.
    match protocol_dataset(params, "using-graph-uri", "using-named-graph-uri") {
        Ok(Some(dataset)) => {
            for op in &mut update.operations {
                if let GraphUpdateOperation::DeleteInsert { using, .. } = op {
                    if using.is_some() {
                        return text(
                            StatusCode::BAD_REQUEST,
                            "the update names its dataset (USING, USING NAMED or WITH) and so \
                             does the request (using-graph-uri, using-named-graph-uri); \
                             give one",
                        );
                    }
                    *using = Some(dataset.clone());
                }
            }
        }
        Ok(None) => {}
        Err(response) => return *response,
    }
    match apply(endpoint, "update", |dataset, token| {
        engine::run_update(dataset, &statement, token).map(|_| ())
    }) {
        Ok(()) => http::empty(StatusCode::NO_CONTENT),
        Err(response) => *response,
    }
}

/// Runs a write in a pool slot with the dataset to itself, under the timeout.
pub fn apply<T>(
    endpoint: &Endpoint,
    origin: &str,
    job: impl FnOnce(&mut Dataset, &CancellationToken) -> Result<T>,
) -> Result<T, Box<Response<Body>>> {
    on_worker(endpoint, |token| {
        let mut dataset = endpoint
            .dataset
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        // A write that waited for the queries ahead of it past its deadline must not land
        // after its client was told it failed.
        if token.is_cancelled() {
            return Err(Error::Timeout {
                origin: origin.to_owned(),
                seconds: endpoint.limits.timeout.as_secs_f64(),
            });
        }
        // Failed or not, the data may have changed (a load before a parse error).
        let result = job(&mut dataset, &token);
        endpoint.wrote();
        result
    })
}
