//! The HTTP pieces every handler shares: decoded parameters, bounded bodies, media types, and
//! the responses the endpoint gives (text for people, negotiated RDF and results for
//! machines, and the statuses of failures).

use super::negotiate;
use crate::error::{self, Error};
use crate::output::format::Format;
use oxhttp::model::header::{CONNECTION, CONTENT_TYPE, HeaderName, HeaderValue, VARY};
use oxhttp::model::{Body, Request, Response, StatusCode};
use std::io::{ErrorKind, Read};

/// Form or URL parameters, in order, decoded.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(bytes: &[u8]) -> Self {
        Self(form_urlencoded::parse(bytes).into_owned().collect())
    }

    /// The URL's query string.
    pub fn of_url(request: &Request<Body>) -> Self {
        Self::parse(request.uri().query().unwrap_or("").as_bytes())
    }

    pub fn first(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The values of `format=` and `output=` (Fuseki reads both), in order.
    pub fn formats(&self) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == "format" || n == "output")
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    /// The one value of `name`; a second one is an error, as the protocol asks.
    pub fn single(&self, name: &str) -> Result<Option<&str>, Box<Response<Body>>> {
        match self.all(name).as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            _ => Err(Box::new(text(
                StatusCode::BAD_REQUEST,
                &format!("the request has more than one {name}= parameter; send one"),
            ))),
        }
    }
}

pub fn header(request: &Request<Body>, name: HeaderName) -> Option<&str> {
    request.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The request's media type, lower-cased, without parameters; empty when there is none.
pub fn media_type(request: &Request<Body>) -> String {
    header(request, CONTENT_TYPE)
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default()
}

/// False when the request's Content-Type names a charset other than UTF-8, the only one the
/// protocol allows for queries and updates.
pub fn utf8_charset(request: &Request<Body>) -> bool {
    header(request, CONTENT_TYPE).is_none_or(|value| {
        value
            .split(';')
            .skip(1)
            .all(|parameter| match parameter.split_once('=') {
                Some((name, charset)) if name.trim().eq_ignore_ascii_case("charset") => {
                    let charset = charset.trim().trim_matches('"');
                    charset.eq_ignore_ascii_case("utf-8") || charset.eq_ignore_ascii_case("utf8")
                }
                _ => true,
            })
    })
}

pub fn not_utf8() -> Response<Body> {
    text(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "the body's charset is not UTF-8: send queries, updates and data as UTF-8",
    )
}

/// The request's body, at most `limit` bytes (413 past it).
pub fn read_body(request: &mut Request<Body>, limit: u64) -> Result<Vec<u8>, Box<Response<Body>>> {
    let mut body = Vec::new();
    if let Err(e) = request
        .body_mut()
        .take(limit.saturating_add(1))
        .read_to_end(&mut body)
    {
        // oxhttp drains what is left of a body after the answer, and would wait out the
        // timeout again and answer 500 in place of this; the connection cannot be reused.
        *request.body_mut() = Body::empty();
        request
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
        // A socket's read timeout is EAGAIN on Unix.
        return Err(Box::new(
            if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) {
                text(
                    StatusCode::REQUEST_TIMEOUT,
                    "the body stopped arriving before its end (--idle-timeout)",
                )
            } else {
                text(StatusCode::BAD_REQUEST, &format!("unreadable body: {e}"))
            },
        ));
    }
    if body.len() as u64 > limit {
        return Err(Box::new(text(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the body is larger than the endpoint's limit of {limit} bytes"),
        )));
    }
    Ok(body)
}

/// The status a failed statement gets.
pub fn failure(error: &Error) -> Response<Body> {
    let status = match error {
        Error::Timeout { .. } | Error::Memory { .. } => StatusCode::SERVICE_UNAVAILABLE,
        Error::Usage(_)
        | Error::QuerySyntax { .. }
        | Error::QuerySyntaxNoPosition { .. }
        | Error::TooDeep { .. }
        | Error::Data { .. } => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    text(status, &error::report(error))
}

pub fn not_acceptable() -> Response<Body> {
    text(
        StatusCode::NOT_ACCEPTABLE,
        &format!(
            "no format the request accepts can hold this result; the endpoint offers {}",
            negotiate::offered()
        ),
    )
}

fn content_type(format: Format) -> String {
    let media = format.media_type();
    if media.contains("charset") {
        media.to_owned()
    } else if media.starts_with("text/") || media.ends_with("+json") || media.ends_with("+xml") {
        format!("{media}; charset=utf-8")
    } else {
        media.to_owned()
    }
}

/// A 200 in the negotiated `format`; caches must key it on Accept.
pub fn negotiated(format: Format, bytes: Vec<u8>) -> Response<Body> {
    Response::builder()
        .status(StatusCode::OK)
        .header(CONTENT_TYPE, content_type(format))
        .header(VARY, "Accept")
        .body(Body::from(bytes))
        .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR))
}

pub fn empty(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

pub fn text(status: StatusCode, message: &str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(format!("{message}\n")))
        .unwrap_or_else(|_| empty(status))
}

pub fn typed(status: StatusCode, media: &str, body: impl Into<Body>) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(CONTENT_TYPE, media)
        .body(body.into())
        .unwrap_or_else(|_| empty(status))
}
