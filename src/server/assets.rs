//! The files of the query page, compiled into the binary so that the endpoint works offline
//! and the Rust build needs no Node: YASGUI's distribution (built by `web/build.sh` from
//! `web/package-lock.json`) and ffkg's own script. Served at `/assets/<name>`.

use super::http::{self, text};
use oxhttp::model::header::CACHE_CONTROL;
use oxhttp::model::{Body, HeaderValue, Response, StatusCode};

/// (name, media type, bytes)
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "yasgui.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/yasgui/yasgui.min.js"),
    ),
    (
        "yasgui.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/yasgui/yasgui.min.css"),
    ),
    (
        "ffkg.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/ffkg.css"),
    ),
    (
        "ffkg.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/ffkg.js"),
    ),
];

/// The page at `/`, with `{{CONFIG}}` where its settings go.
pub const INDEX: &str = include_str!("../../assets/index.html");

/// `GET /assets/<name>`.
pub fn serve(path: &str) -> Response<Body> {
    let name = path.trim_start_matches("/assets/");
    match FILES.iter().find(|(file, _, _)| *file == name) {
        Some((_, media, bytes)) => {
            let mut response = http::typed(StatusCode::OK, media, *bytes);
            // The files change only with the binary.
            response.headers_mut().insert(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            response
        }
        None => text(StatusCode::NOT_FOUND, &format!("no asset {name}")),
    }
}
