//! Content negotiation: the `Accept` header with its q-values (or Fuseki's `format=`
//! parameter) against the formats ffkg writes, one choice per kind of result.

use crate::output::format::{Format, ResultKind};

/// The formats a client accepts for each kind of result, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub solutions: Option<Format>,
    pub graphs: Option<Format>,
}

/// Formats served for SELECT and ASK, in the order of preference when the client does not mind.
const SOLUTIONS: [Format; 4] = [Format::Json, Format::Xml, Format::Csv, Format::Tsv];
/// Formats served for CONSTRUCT, DESCRIBE and the service description.
pub const GRAPHS: [Format; 6] = [
    Format::Turtle,
    Format::Ntriples,
    Format::Jsonld,
    Format::Rdfxml,
    Format::Nquads,
    Format::Trig,
];

/// One media range of an Accept header: `type/subtype` (either may be `*`) and its q-value.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    q: f32,
}

fn ranges(accept: &str) -> Vec<Range> {
    accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let (kind, subtype) = media.split_once('/')?;
            let mut q: f32 = 1.0;
            for param in parts {
                if let Some((name, value)) = param.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        q = value.trim().parse().unwrap_or(0.0);
                    }
                }
            }
            Some(Range {
                kind: kind.trim().to_owned(),
                subtype: subtype.trim().to_owned(),
                q: q.clamp(0.0, 1.0),
            })
        })
        .collect()
}

/// How much the client wants `media` (0 when not at all): the most specific range that
/// matches decides, as RFC 9110 says.
fn quality(ranges: &[Range], media: &str) -> f32 {
    // `text/csv; charset=utf-8` is text/csv.
    let media = media.split(';').next().unwrap_or(media).trim();
    let (kind, subtype) = media.split_once('/').unwrap_or((media, ""));
    let mut best: Option<(u8, f32)> = None;
    for range in ranges {
        let specificity = match (range.kind.as_str(), range.subtype.as_str()) {
            (k, s) if k == kind && s == subtype => 2,
            (k, "*") if k == kind => 1,
            ("*", "*") => 0,
            _ => continue,
        };
        if best.is_none_or(|(s, _)| specificity > s) {
            best = Some((specificity, range.q));
        }
    }
    best.map_or(0.0, |(_, q)| q)
}

/// The best of `formats` for an Accept header; ties go to the earlier format.
fn best(ranges: &[Range], formats: &[Format]) -> Option<Format> {
    best_with_quality(ranges, formats).map(|(f, _)| f)
}

fn best_with_quality(ranges: &[Range], formats: &[Format]) -> Option<(Format, f32)> {
    let mut chosen: Option<(Format, f32)> = None;
    for format in formats {
        let q = media_types(*format)
            .iter()
            .map(|m| quality(ranges, m))
            .fold(0.0, f32::max);
        if q > 0.0 && chosen.is_none_or(|(_, best)| q > best) {
            chosen = Some((*format, q));
        }
    }
    chosen
}

/// What a dereferenced IRI is answered with: a page for people or the description's triples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Html,
    Rdf(Format),
}

/// The syntaxes a resource's description is published in, with the suffix of each.
pub const DOCUMENTS: [(Document, &str); 5] = [
    (Document::Html, "html"),
    (Document::Rdf(Format::Turtle), "ttl"),
    (Document::Rdf(Format::Ntriples), "nt"),
    (Document::Rdf(Format::Jsonld), "jsonld"),
    (Document::Rdf(Format::Rdfxml), "rdf"),
];

impl Document {
    pub fn suffix(self) -> &'static str {
        DOCUMENTS
            .iter()
            .find(|(d, _)| *d == self)
            .map_or("html", |(_, suffix)| suffix)
    }

    pub fn from_suffix(suffix: &str) -> Option<Self> {
        DOCUMENTS
            .iter()
            .find(|(_, s)| *s == suffix)
            .map(|(d, _)| *d)
    }
}

/// The document an Accept header asks for: HTML when a browser asks (or on a tie, as for
/// `*/*`), else the RDF syntax it prefers; none when it accepts neither.
pub fn document(accept: Option<&str>) -> Option<Document> {
    let ranges = ranges(accept.filter(|a| !a.trim().is_empty()).unwrap_or("*/*"));
    let html = ["text/html", "application/xhtml+xml"]
        .iter()
        .map(|m| quality(&ranges, m))
        .fold(0.0, f32::max);
    let rdf: Vec<Format> = DOCUMENTS
        .iter()
        .filter_map(|(d, _)| match d {
            Document::Rdf(format) => Some(*format),
            Document::Html => None,
        })
        .collect();
    match best_with_quality(&ranges, &rdf) {
        Some((format, q)) if q > html => Some(Document::Rdf(format)),
        _ if html > 0.0 => Some(Document::Html),
        _ => None,
    }
}

/// The media types a format is known by (its own first).
fn media_types(format: Format) -> Vec<&'static str> {
    let mut types = vec![format.media_type()];
    match format {
        Format::Json => types.push("application/json"),
        Format::Xml => types.push("application/xml"),
        Format::Turtle => types.push("application/x-turtle"),
        Format::Ntriples => types.push("text/plain"),
        Format::Jsonld => types.push("application/json"),
        Format::Rdfxml => types.push("application/xml"),
        _ => {}
    }
    types
}

/// The formats a `format=` (or `output=`) value names: a format's name or media type, or one
/// of the short names clients send (`xml` is SPARQL XML for solutions and RDF/XML for graphs,
/// `json` SPARQL JSON and JSON-LD, `rdf+xml` RDF/XML), as Fuseki reads them.
fn named(value: &str) -> Vec<Format> {
    let value = value.trim().to_ascii_lowercase();
    match value.as_str() {
        "xml" => vec![Format::Xml, Format::Rdfxml],
        "json" => vec![Format::Json, Format::Jsonld],
        "rdf+xml" | "rdf" => vec![Format::Rdfxml],
        "ttl" => vec![Format::Turtle],
        _ => Format::from_name(&value)
            .ok()
            .or_else(|| Format::from_media_type(&value))
            .into_iter()
            .collect(),
    }
}

/// Negotiates from the `format=` values (the first one that names a format of a kind decides
/// it), else from the Accept header; no header means anything. Values that name no format of
/// a kind leave that kind to the header, so a client that sends both is answered.
pub fn choose(accept: Option<&str>, formats: &[&str]) -> Choice {
    let ranges = ranges(accept.filter(|a| !a.trim().is_empty()).unwrap_or("*/*"));
    let asked: Vec<Format> = formats.iter().flat_map(|v| named(v)).collect();
    let pick = |kind: ResultKind, offered: &[Format]| {
        asked
            .iter()
            .copied()
            .find(|f| f.kind() == kind && offered.contains(f))
            .or_else(|| best(&ranges, offered))
    };
    Choice {
        solutions: pick(ResultKind::Solutions, &SOLUTIONS),
        graphs: pick(ResultKind::Graph, &GRAPHS),
    }
}

/// Every media type the endpoint can answer with, for a 406's message.
pub fn offered() -> String {
    SOLUTIONS
        .iter()
        .chain(GRAPHS.iter())
        .map(|f| f.media_type().split(';').next().unwrap_or("").trim())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_header_gets_json_and_turtle() {
        let choice = choose(None, &[]);
        assert_eq!(choice.solutions, Some(Format::Json));
        assert_eq!(choice.graphs, Some(Format::Turtle));
    }

    #[test]
    fn q_values_decide() {
        let choice = choose(
            Some("application/sparql-results+xml;q=0.5, text/csv, text/turtle;q=0.2, */*;q=0.1"),
            &[],
        );
        assert_eq!(choice.solutions, Some(Format::Csv));
        assert_eq!(choice.graphs, Some(Format::Turtle));
        let choice = choose(Some("application/n-triples, text/turtle;q=0.9"), &[]);
        assert_eq!(choice.graphs, Some(Format::Ntriples));
        assert_eq!(choice.solutions, None);
    }

    #[test]
    fn the_most_specific_range_wins() {
        let choice = choose(Some("text/*;q=0.9, text/csv;q=0, */*;q=0.1"), &[]);
        assert_eq!(choice.solutions, Some(Format::Tsv));
    }

    #[test]
    fn format_parameter_overrides_accept() {
        let choice = choose(Some("text/csv"), &["json"]);
        assert_eq!(choice.solutions, Some(Format::Json));
        assert_eq!(choice.graphs, Some(Format::Jsonld));
        let choice = choose(Some("text/csv"), &["application/ld+json"]);
        assert_eq!(choice.graphs, Some(Format::Jsonld));
        assert_eq!(
            choice.solutions,
            Some(Format::Csv),
            "the header decides the rest"
        );
        // What SPARQLWrapper sends for an RDF/XML CONSTRUCT.
        let choice = choose(
            Some("application/rdf+xml"),
            &["rdf+xml", "application/rdf+xml"],
        );
        assert_eq!(choice.graphs, Some(Format::Rdfxml));
        assert_eq!(
            choose(Some("application/rdf+xml"), &["xml"]).graphs,
            Some(Format::Rdfxml)
        );
        assert_eq!(choose(None, &["nonsense"]).solutions, Some(Format::Json));
    }

    #[test]
    fn nothing_acceptable_is_none() {
        let choice = choose(Some("image/png"), &[]);
        assert_eq!(
            choice,
            Choice {
                solutions: None,
                graphs: None
            }
        );
    }
}
