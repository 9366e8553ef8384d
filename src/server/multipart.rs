//! `multipart/form-data` bodies (RFC 7578), which the Graph Store Protocol allows for POST: a
//! few files, each with its own Content-Type. Only what that needs: the boundary, each part's
//! headers and bytes. (The maintained crates for it are async; this endpoint is not.)

/// One part: its media type (lower-cased, without parameters; empty when it names none) and
/// its bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Part<'a> {
    pub media: String,
    pub bytes: &'a [u8],
}

/// The boundary named by a `multipart/form-data` Content-Type value.
pub fn boundary(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// The parts of `body`, or what is wrong with it.
pub fn parts<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, String> {
    if boundary.is_empty() || boundary.len() > 70 {
        return Err("the multipart boundary must be 1 to 70 characters".to_owned());
    }
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut rest = match find(body, delimiter) {
        Some(at) => &body[at + delimiter.len()..],
        None => return Err("the multipart body has no boundary line".to_owned()),
    };
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = strip_line_end(rest);
        let Some(end) = find(rest, delimiter) else {
            return Err("the multipart body ends without its closing boundary".to_owned());
        };
        let part = trim_line_end(&rest[..end]);
        rest = &rest[end + delimiter.len()..];
        let (head, bytes) = split_head(part)
            .ok_or("a part of the multipart body has no blank line after its headers")?;
        let head = std::str::from_utf8(head)
            .map_err(|_| "a part's headers are not UTF-8 (or ASCII)".to_owned())?;
        let media = head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| {
                value
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            })
            .unwrap_or_default();
        parts.push(Part { media, bytes });
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn strip_line_end(bytes: &[u8]) -> &[u8] {
    bytes
        .strip_prefix(b"\r\n")
        .or_else(|| bytes.strip_prefix(b"\n"))
        .unwrap_or(bytes)
}

/// The line end before a delimiter belongs to the delimiter, not to the part.
fn trim_line_end(bytes: &[u8]) -> &[u8] {
    bytes
        .strip_suffix(b"\r\n")
        .or_else(|| bytes.strip_suffix(b"\n"))
        .unwrap_or(bytes)
}

/// Headers and content, split at the first blank line (CRLF or LF).
fn split_head(part: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(bytes) = strip_blank(part) {
        return Some((&[], bytes));
    }
    [&b"\r\n\r\n"[..], &b"\n\n"[..]]
        .iter()
        .filter_map(|blank| find(part, blank).map(|at| (at, blank.len())))
        .min()
        .map(|(at, len)| (&part[..at], &part[at + len..]))
}

fn strip_blank(part: &[u8]) -> Option<&[u8]> {
    part.strip_prefix(b"\r\n")
        .or_else(|| part.strip_prefix(b"\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_with_crlf_and_lf() {
        let body = b"--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Type: text/turtle; charset=utf-8\r\n\r\n<a> <b> <c> .\r\n\r\n--xyz\nContent-Type: application/n-triples\n\n<d> <e> <f> .\n--xyz--\r\n";
        let parts = parts(body, "xyz").expect("parts");
        assert_eq!(
            parts,
            vec![
                Part {
                    media: "text/turtle".to_owned(),
                    bytes: b"<a> <b> <c> .\r\n",
                },
                Part {
                    media: "application/n-triples".to_owned(),
                    bytes: b"<d> <e> <f> .",
                },
            ]
        );
        assert_eq!(
            boundary("multipart/form-data; boundary=\"xyz\""),
            Some("xyz")
        );
    }

    #[test]
    fn broken_bodies_say_what_is_wrong() {
        assert!(parts(b"no boundary here", "xyz").is_err());
        assert!(
            parts(
                b"--xyz\r\nContent-Type: text/turtle\r\n\r\n<a> <b> <c> .",
                "xyz"
            )
            .is_err()
        );
        assert!(parts(b"--xyz\r\nContent-Type: text/turtle<a>--xyz--", "xyz").is_err());
        assert!(parts(b"--\r\n", "").is_err());
    }
}
