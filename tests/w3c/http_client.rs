//! The HTTP client of the W3C protocol harness: one HTTP/1.1 request per connection over
//! `std::net::TcpStream`, written byte for byte as the manifest gives it (no header added
//! behind the harness's back, so the negative tests send exactly what they describe), and the
//! response read to EOF and parsed (status line, headers, a `Content-Length` or chunked body).

use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// What a request is: kept whole so that a failure can show it as it was sent.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target: a path with its query string.
    pub target: String,
    /// Every header, `Host` included, in the order they are written.
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

/// A parsed response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type of `Content-Type`, lowercased, without its parameters.
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(media_type)
    }
}

/// A `Content-Type` value's media type, lowercased, without its parameters.
pub fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Sends `request` to `addr` (`host:port`) and reads the whole response.
pub fn send(addr: &str, request: &Request) -> Result<Response> {
    let mut stream =
        TcpStream::connect(addr).with_context(|| format!("cannot connect to {addr}"))?;
    // A server that never answers fails the test instead of hanging the suite.
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    stream.set_write_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!("{} {} HTTP/1.1\r\n", request.method, request.target);
    for (name, value) in &request.headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    if let Some(body) = &request.body {
        let _ = write!(head, "Content-Length: {}\r\n", body.len());
    }
    // One request per connection: the response ends at EOF, whatever framing it uses.
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    if let Some(body) = &request.body {
        stream.write_all(body)?;
    }
    stream.flush()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).with_context(|| {
        format!(
            "reading the response to {} {}",
            request.method, request.target
        )
    })?;
    parse_response(&raw, request.method == "HEAD")
}

/// Parses a whole response; `head_only` for the answer to HEAD, which has no body.
pub fn parse_response(raw: &[u8], head_only: bool) -> Result<Response> {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        bail!(
            "no end of headers in the response: {:?}",
            String::from_utf8_lossy(raw)
        );
    };
    let head = std::str::from_utf8(&raw[..end]).context("the response head is not UTF-8")?;
    let rest = &raw[end + 4..];
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.splitn(3, ' ');
    let (Some(version), Some(code)) = (parts.next(), parts.next()) else {
        bail!("bad status line {status_line:?}");
    };
    if !version.starts_with("HTTP/1.") {
        bail!("bad status line {status_line:?}");
    }
    let status: u16 = code
        .parse()
        .with_context(|| format!("bad status line {status_line:?}"))?;
    let mut headers = Vec::new();
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            bail!("bad header line {line:?}");
        };
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    // RFC 9112 §6.3: no body after HEAD, 1xx, 204 and 304, whatever the headers say.
    if head_only || status < 200 || status == 204 || status == 304 {
        return Ok(response);
    }
    let chunked = response
        .header("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    response.body = if chunked {
        dechunk(rest)?
    } else if let Some(length) = response.header("content-length") {
        let length: usize = length.parse().context("bad Content-Length")?;
        if rest.len() < length {
            bail!(
                "the body is {} bytes, Content-Length says {length}",
                rest.len()
            );
        }
        rest[..length].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(response)
}

/// Decodes a chunked body (RFC 9112 §7.1); trailers are ignored.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") else {
            bail!("a chunk without its size line");
        };
        let line = std::str::from_utf8(&rest[..line_end])?;
        let size = line.split(';').next().unwrap_or("").trim();
        let size =
            usize::from_str_radix(size, 16).with_context(|| format!("chunk size {line:?}"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if rest.len() < size + 2 {
            bail!("a chunk of {size} bytes is cut short");
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

/// How much of a body a failure message shows.
const SHOWN: usize = 1500;

fn show_body(out: &mut String, body: &[u8]) {
    if body.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(body);
    let cut: String = text.chars().take(SHOWN).collect();
    out.push('\n');
    out.push_str(&cut);
    if cut.len() < text.len() {
        let _ = write!(out, "\n… ({} bytes in all)", body.len());
    }
}

/// The request as it went on the wire, minus the token, for failure messages.
pub fn show_request(request: &Request) -> String {
    let mut out = format!("{} {} HTTP/1.1", request.method, request.target);
    for (name, value) in &request.headers {
        let value = if name.eq_ignore_ascii_case("authorization") {
            "Bearer <token>"
        } else {
            value
        };
        let _ = write!(out, "\n{name}: {value}");
    }
    if let Some(body) = &request.body {
        let _ = write!(out, "\nContent-Length: {}\n", body.len());
        show_body(&mut out, body);
    }
    out
}

/// The response's status, headers and (the start of) its body, for failure messages.
pub fn show_response(response: &Response) -> String {
    let mut out = format!("HTTP/1.1 {}", response.status);
    for (name, value) in &response.headers {
        let _ = write!(out, "\n{name}: {value}");
    }
    if !response.body.is_empty() {
        out.push('\n');
    }
    show_body(&mut out, &response.body);
    out
}
