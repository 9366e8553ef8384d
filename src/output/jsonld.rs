//! Compacted JSON-LD: oxigraph's serializer (through `RdfSerializer`) writes every IRI in full
//! and no `@context`; this writer sits behind it, wraps its top-level array in an object whose
//! `@context` is the prefixes the output uses, and shortens keys, `@id` and `@type` values to
//! compact IRIs (`ff:Figure`) by it, token by token, so output still streams.

use crate::sparql::prefixes::PrefixMap;
use json_event_parser::{JsonEvent, LowLevelJsonParser, LowLevelJsonSerializer};
use std::borrow::Cow;
use std::io::{self, Write};

/// A writer that compacts the JSON-LD written into it before passing it on.
pub struct Compact<W: Write> {
    inner: W,
    prefixes: Vec<(String, String)>,
    parser: LowLevelJsonParser,
    serializer: LowLevelJsonSerializer,
    /// Bytes written but not yet a whole token.
    pending: Vec<u8>,
    /// `pending` is read once it holds this much: oxjsonld writes a character at a time, and
    /// each read lexes an unfinished token from its start, so the bound doubles past a long
    /// token and a huge literal costs linear time.
    read_at: usize,
    /// The last key read, while its value is not yet complete.
    key: Option<String>,
    /// Nesting depth inside `@context` (0: outside), where nothing is shortened.
    context_depth: usize,
    depth: usize,
}

impl<W: Write> std::fmt::Debug for Compact<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compact")
            .field("prefixes", &self.prefixes)
            .finish_non_exhaustive()
    }
}

impl<W: Write> Compact<W> {
    pub fn new(inner: W, prefixes: &PrefixMap) -> Self {
        let mut prefixes: Vec<(String, String)> = prefixes
            .iter()
            .filter(|(p, iri)| usable_prefix(p, iri))
            .map(|(p, iri)| (p.to_owned(), iri.to_owned()))
            .collect();
        // The longest namespace wins (`…/id/country/` before `…/id/`).
        prefixes.sort_by_key(|(_, iri)| std::cmp::Reverse(iri.len()));
        Self {
            inner,
            prefixes,
            parser: LowLevelJsonParser::new(),
            serializer: LowLevelJsonSerializer::new(),
            pending: Vec::new(),
            read_at: READ_AT,
            key: None,
            context_depth: 0,
            depth: 0,
        }
    }

    /// Reads what was written to its end and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.drain(true)?;
        self.inner.flush()?;
        Ok(self.inner)
    }

    fn drain(&mut self, ending: bool) -> io::Result<()> {
        let mut start = 0;
        loop {
            let result = self.parser.parse_next(&self.pending[start..], ending);
            start += result.consumed_bytes;
            match result.event {
                None => break,
                Some(Err(e)) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
                Some(Ok(JsonEvent::Eof)) => break,
                Some(Ok(event)) => {
                    let top = self.depth == 0 && !self.prefixes.is_empty();
                    if top && event == JsonEvent::StartArray {
                        write_context(&mut self.serializer, &mut self.inner, &self.prefixes)?;
                    }
                    let closes = self.depth == 1 && !self.prefixes.is_empty();
                    let end = closes && event == JsonEvent::EndArray;
                    let event = compact_event(
                        event,
                        &self.prefixes,
                        &mut self.key,
                        &mut self.context_depth,
                        &mut self.depth,
                    );
                    self.serializer.serialize_event(event, &mut self.inner)?;
                    if end {
                        self.serializer
                            .serialize_event(JsonEvent::EndObject, &mut self.inner)?;
                    }
                }
            }
        }
        self.pending.drain(..start);
        Ok(())
    }
}

/// Whether JSON-LD reads `prefix:rest` back as `namespace` + rest and nothing else: JSON-LD 1.1
/// expands a term as a prefix only when its IRI ends in a gen-delim, and a prefix named like a
/// URI scheme would turn an IRI of that scheme left as it is (`urn:isbn:…`) into another one.
fn usable_prefix(prefix: &str, namespace: &str) -> bool {
    const SCHEMES: &[&str] = &[
        "http", "https", "urn", "geo", "tag", "mailto", "file", "ftp", "data", "doi", "info",
        "did", "tel", "uuid", "news", "ldap", "ipfs",
    ];
    !prefix.is_empty()
        && namespace.ends_with([':', '/', '?', '#', '[', ']', '@'])
        && !SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(prefix))
}

/// `{"@context": {prefix: namespace, …}, "@graph":` before the array of nodes.
fn write_context(
    serializer: &mut LowLevelJsonSerializer,
    mut out: impl Write,
    prefixes: &[(String, String)],
) -> io::Result<()> {
    let mut events = vec![
        JsonEvent::StartObject,
        JsonEvent::ObjectKey("@context".into()),
        JsonEvent::StartObject,
    ];
    let mut declared: Vec<&(String, String)> = prefixes.iter().collect();
    declared.sort();
    for (prefix, namespace) in declared {
        events.push(JsonEvent::ObjectKey(prefix.as_str().into()));
        events.push(JsonEvent::String(namespace.as_str().into()));
    }
    events.push(JsonEvent::EndObject);
    events.push(JsonEvent::ObjectKey("@graph".into()));
    for event in events {
        serializer.serialize_event(event, &mut out)?;
    }
    Ok(())
}

/// The event with its IRI shortened where JSON-LD reads a compact IRI back by the context.
fn compact_event<'a>(
    event: JsonEvent<'a>,
    prefixes: &[(String, String)],
    key: &mut Option<String>,
    context_depth: &mut usize,
    depth: &mut usize,
) -> JsonEvent<'a> {
    match event {
        JsonEvent::StartObject | JsonEvent::StartArray => {
            *depth += 1;
            if *context_depth > 0 {
                *context_depth += 1;
            } else if key.as_deref() == Some("@context") {
                *context_depth = 1;
            }
            if matches!(event, JsonEvent::StartObject) {
                *key = None;
            }
            event
        }
        JsonEvent::EndObject | JsonEvent::EndArray => {
            *depth = depth.saturating_sub(1);
            *context_depth = context_depth.saturating_sub(1);
            *key = None;
            event
        }
        JsonEvent::ObjectKey(name) if *context_depth == 0 => {
            let short = if name.starts_with('@') {
                name
            } else {
                shorten(name, prefixes)
            };
            *key = Some(short.to_string());
            JsonEvent::ObjectKey(short)
        }
        JsonEvent::String(value)
            if *context_depth == 0 && matches!(key.as_deref(), Some("@id" | "@type")) =>
        {
            JsonEvent::String(shorten(value, prefixes))
        }
        other => other,
    }
}

/// `prefix:rest` for an IRI in a declared namespace, when JSON-LD reads it back as that IRI.
fn shorten<'a>(iri: Cow<'a, str>, prefixes: &[(String, String)]) -> Cow<'a, str> {
    for (prefix, namespace) in prefixes {
        if let Some(rest) = iri.strip_prefix(namespace.as_str()) {
            // An empty rest or one starting `//` would read back as the namespace itself or as
            // an absolute IRI.
            if !rest.is_empty() && !rest.starts_with("//") {
                return Cow::Owned(format!("{prefix}:{rest}"));
            }
        }
    }
    iri
}

/// The least `pending` is left to grow before it is read.
const READ_AT: usize = 8192;

impl<W: Write> Write for Compact<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= self.read_at {
            self.drain(false)?;
            self.read_at = READ_AT.max(2 * self.pending.len());
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(false)?;
        self.inner.flush()
    }
}

/// The writer an RDF serializer writes into: as it is, or compacting JSON-LD.
#[derive(Debug)]
pub enum RdfWriter<W: Write> {
    Plain(W),
    JsonLd(Box<Compact<W>>),
}

impl<W: Write> RdfWriter<W> {
    /// Ends the output (a compacting writer reads its last bytes).
    pub fn finish(self) -> io::Result<W> {
        match self {
            Self::Plain(mut w) => {
                w.flush()?;
                Ok(w)
            }
            Self::JsonLd(c) => c.finish(),
        }
    }
}

impl<W: Write> Write for RdfWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Self::Plain(w) => w.write(buf),
            Self::JsonLd(c) => c.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Self::Plain(w) => w.flush(),
            Self::JsonLd(c) => c.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use oxigraph::model::{Graph, Literal, NamedNode, Triple};

    fn jsonld() -> RdfFormat {
        crate::output::format::Format::Jsonld.rdf_format().unwrap()
    }

    fn iri(s: &str) -> NamedNode {
        NamedNode::new_unchecked(s)
    }

    fn write(triples: &[Triple], prefixes: &PrefixMap) -> String {
        let mut serializer =
            crate::output::render::rdf_serializer(jsonld(), prefixes, Vec::new()).unwrap();
        for t in triples {
            serializer.serialize_triple(t).unwrap();
        }
        String::from_utf8(serializer.finish().unwrap().finish().unwrap()).unwrap()
    }

    #[test]
    fn keys_ids_and_types_are_compacted_and_read_back_the_same() {
        let prefixes = PrefixMap::default();
        let tun = iri("https://w3id.org/ffkg/id/country/TUN");
        let triples = vec![
            Triple::new(
                tun.clone(),
                iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                iri("https://w3id.org/ffkg/ontology#Country"),
            ),
            Triple::new(
                tun.clone(),
                iri("https://w3id.org/ffkg/ontology#lowerBound"),
                Literal::new_typed_literal("01", iri("http://www.w3.org/2001/XMLSchema#integer")),
            ),
            // A namespace itself and an IRI outside every namespace stay whole.
            Triple::new(
                tun,
                iri("http://example.org/p"),
                iri("https://w3id.org/ffkg/ontology#"),
            ),
        ];
        let used = prefixes.used_by([
            "https://w3id.org/ffkg/id/country/TUN",
            "https://w3id.org/ffkg/ontology#",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "http://www.w3.org/2001/XMLSchema#integer",
        ]);
        let out = write(&triples, &used);
        assert!(out.contains(r#""@id":"country:TUN""#), "{out}");
        assert!(out.contains(r#""ff:lowerBound""#), "{out}");
        assert!(out.contains(r#""@type":"xsd:integer""#), "{out}");
        assert!(out.contains(r#""@id":"ff:Country""#), "{out}");
        assert!(out.contains(r#""http://example.org/p""#), "{out}");
        assert!(
            out.contains(r#""@id":"https://w3id.org/ffkg/ontology#""#),
            "{out}"
        );
        // The context keeps full namespaces.
        assert!(
            out.contains(r#""ff":"https://w3id.org/ffkg/ontology#""#),
            "{out}"
        );
        let read: Graph = RdfParser::from_format(jsonld())
            .for_slice(out.as_bytes())
            .map(|q| Triple::from(q.unwrap()))
            .collect();
        let expected: Graph = triples.into_iter().collect();
        assert_eq!(read, expected);
    }

    #[test]
    fn only_prefixes_json_ld_expands_back_are_declared() {
        let mut prefixes = PrefixMap::default();
        prefixes.insert("under", "http://example.org/ns_");
        prefixes.insert("urn", "http://example.org/urn/");
        prefixes.insert("ex", "http://example.org/ex/");
        let triples = [
            Triple::new(
                iri("http://example.org/ns_a"),
                iri("http://example.org/ex/p"),
                iri("urn:isbn:0451450523"),
            ),
            Triple::new(
                iri("http://example.org/urn/b"),
                iri("http://example.org/ex/p"),
                iri("http://example.org/ex/c"),
            ),
        ];
        let text = write(&triples, &prefixes);
        assert!(text.contains("\"ex\""), "{text}");
        assert!(
            !text.contains("\"under\"") && !text.contains("\"urn\""),
            "{text}"
        );
        let back: Vec<Triple> = RdfParser::from_format(jsonld())
            .for_slice(text.as_bytes())
            .map(|q| Triple::from(q.unwrap()))
            .collect();
        assert_eq!(back.len(), 2);
        for triple in &triples {
            assert!(back.contains(triple), "{triple} in {text}");
        }
    }

    #[test]
    fn output_split_anywhere_is_compacted_alike() {
        let prefixes = PrefixMap::default();
        let json = br#"[{"@id":"https://w3id.org/ffkg/ontology#a","https://w3id.org/ffkg/ontology#b":[{"@value":"https://w3id.org/ffkg/ontology#c"}]}]"#;
        let whole = {
            let mut c = Compact::new(Vec::new(), &prefixes);
            c.write_all(json).unwrap();
            c.finish().unwrap()
        };
        for cut in 1..json.len() {
            let mut c = Compact::new(Vec::new(), &prefixes);
            c.write_all(&json[..cut]).unwrap();
            c.write_all(&json[cut..]).unwrap();
            assert_eq!(c.finish().unwrap(), whole, "cut at {cut}");
        }
        let text = String::from_utf8(whole).unwrap();
        assert!(text.starts_with(r#"{"@context":{"#), "{text}");
        assert!(text.ends_with("]}"), "{text}");
        // A literal's value is never shortened.
        assert!(
            text.contains(r#""@value":"https://w3id.org/ffkg/ontology#c""#),
            "{text}"
        );
        assert!(text.contains(r#""@id":"ff:a","ff:b""#), "{text}");
    }
}
