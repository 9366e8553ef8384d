//! The dataset's description at `/.well-known/void` (RFC 5785, as the VoID guide asks), in VoID
//! and DCAT, computed from the graph when asked: its size (triples, entities, subjects,
//! objects, properties, classes), a partition per class and per property, a subset per named
//! graph, the vocabularies it uses, its licence and sources as the graph states them, the SPARQL
//! endpoint, `void:uriSpace`, and a distribution per dump syntax — the dumps themselves at
//! `/dump.EXT`. Both describe the asserted data, as `ffkg dump` writes it; the endpoint's
//! queries see the entailments too, in `graph:inferred`.

use super::http::{self, failure, header, not_acceptable};
use super::negotiate::{self, Document};
use super::protocol::{Endpoint, on_worker};
use crate::data::Backend;
use crate::engine;
use crate::error::{Error, Result};
use crate::output::format::Format;
use crate::output::sink::Buffer;
use crate::sparql::Source;
use crate::sparql::prefixes::{FF, GRAPH, ID, PrefixMap};
use oxhttp::model::header::{ACCEPT, VARY};
use oxhttp::model::{Body, HeaderValue, Request, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, Term};
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};

pub const PATH: &str = "/.well-known/void";

/// The dump syntaxes, by the suffix of `/dump.EXT`.
pub const DUMPS: [(&str, Format); 6] = [
    ("nq", Format::Nquads),
    ("trig", Format::Trig),
    ("ttl", Format::Turtle),
    ("nt", Format::Ntriples),
    ("jsonld", Format::Jsonld),
    ("rdf", Format::Rdfxml),
];

/// The dump format of a path, if it is a dump's.
pub fn dump_format(path: &str) -> Option<Format> {
    let suffix = path.strip_prefix("/dump.")?;
    DUMPS.iter().find(|(s, _)| *s == suffix).map(|(_, f)| *f)
}

/// `/dump.EXT`: the whole dataset as `ffkg dump` writes it (no entailments).
pub fn dump(endpoint: &Endpoint, format: Format) -> Response<Body> {
    let written = on_worker(endpoint, |_token| {
        let dataset = endpoint
            .dataset
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let mut buffer = Buffer::limited(endpoint.limits.max_response);
        dataset.write_dataset(
            format,
            &endpoint.settings.prefixes,
            "dump",
            &mut buffer,
            false,
        )?;
        Ok(buffer.bytes)
    });
    match written {
        Ok(bytes) => http::negotiated(format, bytes),
        Err(response) => *response,
    }
}

/// The asserted data: everything but the entailments.
fn asserted(pattern: &str) -> String {
    format!("{{ {pattern} }} MINUS {{ GRAPH <{GRAPH}inferred> {{ {pattern} }} }}")
}

/// The last description made, for the data's generation and the base URL it was made at:
/// its counts read the whole dataset, which changes only with a write.
#[derive(Debug, Default)]
pub struct Cache(Mutex<Option<(u64, String, String)>>);

impl Cache {
    fn get(&self, generation: u64, base: &str) -> Option<String> {
        let cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &*cached {
            Some((g, b, turtle)) if *g == generation && b == base => Some(turtle.clone()),
            _ => None,
        }
    }

    fn put(&self, generation: u64, base: &str, turtle: &str) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) =
            Some((generation, base.to_owned(), turtle.to_owned()));
    }
}

/// `/.well-known/void`, in the RDF syntax the request negotiates (Turtle when it does not mind).
pub fn handle(endpoint: &Endpoint, request: &Request<Body>) -> Response<Body> {
    let format = match negotiate::document(header(request, ACCEPT)) {
        Some(Document::Rdf(format)) => format,
        Some(Document::Html) => Format::Turtle,
        None => return not_acceptable(),
    };
    let base = endpoint.url(request, "");
    let turtle = on_worker(endpoint, |token| {
        let dataset = endpoint
            .dataset
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        // Read under the lock a write takes whole: the counts are of this generation.
        let generation = endpoint.generation();
        if let Some(turtle) = endpoint.void.get(generation, &base) {
            return Ok(turtle);
        }
        let rows = |query: String| -> Result<Vec<Vec<Option<Term>>>> {
            let source = Source::new(PATH, query);
            Ok(engine::select(&*dataset, &endpoint.settings, &source, &token)?.rows)
        };
        let turtle = describe(
            &base,
            Some(&format!("{base}/sparql")),
            endpoint.about.embedded,
            &rows,
        )?;
        endpoint.void.put(generation, &base, &turtle);
        Ok(turtle)
    });
    let turtle = match turtle {
        Ok(turtle) => turtle,
        Err(response) => return *response,
    };
    let mut response = match serialize(&turtle, format, &endpoint.settings.prefixes) {
        Ok(bytes) => http::negotiated(format, bytes),
        Err(e) => failure(&e),
    };
    response
        .headers_mut()
        .insert(VARY, HeaderValue::from_static("Accept"));
    response
}

/// The description as Turtle, from the answers of `rows` to its queries: of the data at
/// `base` (its dumps under it), queried at `endpoint` if there is one.
pub fn describe(
    base: &str,
    endpoint: Option<&str>,
    embedded: bool,
    rows: &dyn Fn(String) -> Result<Vec<Vec<Option<Term>>>>,
) -> Result<String> {
    let number = |query: String| -> Result<u64> {
        let rows = rows(query)?;
        Ok(match rows.first().and_then(|r| r.first()) {
            Some(Some(Term::Literal(l))) => l.value().parse().unwrap_or(0),
            _ => 0,
        })
    };
    let spo = asserted("?s ?p ?o");
    let triples = number(format!(
        "SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {spo} }} }}"
    ))?;
    let count = |what: &str| {
        number(format!(
            "SELECT (COUNT(DISTINCT {what}) AS ?n) WHERE {{ {spo} }}"
        ))
    };
    let (subjects, objects, properties) = (count("?s")?, count("?o")?, count("?p")?);
    let entities = number(format!(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {spo} FILTER(STRSTARTS(STR(?s), \"{ID}\")) }}"
    ))?;
    let typed = asserted("?s a ?c");
    let classes = rows(format!(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {typed} }} GROUP BY ?c ORDER BY ?c"
    ))?;
    let by_property = rows(format!(
        "SELECT ?p (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ {spo} }} }} \
         GROUP BY ?p ORDER BY ?p"
    ))?;
    let graphs = rows(format!(
        "SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} \
         FILTER(?g != <{GRAPH}inferred>) }} GROUP BY ?g ORDER BY ?g"
    ))?;
    // Links out (five-star data): how many of the resources' `skos:exactMatch` / `owl:sameAs`
    // links reach each other site.
    let links = rows(format!(
        "SELECT ?p ?target (COUNT(*) AS ?n) WHERE {{ {} \
         FILTER(?p IN (<http://www.w3.org/2004/02/skos/core#exactMatch>, \
         <http://www.w3.org/2002/07/owl#sameAs>) && isIRI(?o) && STRSTARTS(STR(?s), \"{ID}\") \
         && !STRSTARTS(STR(?o), \"{ID}\")) \
         BIND(REPLACE(STR(?o), \"^([a-z]+://[^/]+/).*$\", \"$1\") AS ?target) }} \
         GROUP BY ?p ?target ORDER BY ?target ?p",
        asserted("?s ?p ?o")
    ))?;
    let licences = rows(
        "SELECT DISTINCT ?l WHERE { <https://w3id.org/ffkg/ontology> \
         <http://purl.org/dc/terms/license> ?l }"
            .to_owned(),
    )?;
    let sources = rows(format!(
        "SELECT DISTINCT ?d WHERE {{ ?d <{FF}sourceFile> ?f }} ORDER BY ?d"
    ))?;

    let dataset = format!("<{base}{PATH}#dataset>");
    let mut t = String::from(
        "@prefix void: <http://rdfs.org/ns/void#> .\n\
         @prefix dcat: <http://www.w3.org/ns/dcat#> .\n\
         @prefix dcterms: <http://purl.org/dc/terms/> .\n\
         @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n",
    );
    let title = if embedded {
        "ffkg: foreign fighters who joined the Islamic State"
    } else {
        "The data of an ffkg endpoint"
    };
    let _ = write!(
        t,
        "{dataset} a void:Dataset , dcat:Dataset ;\n\
         dcterms:title {} ;\n\
         void:uriSpace \"{ID}\" ;\n\
         void:triples {triples} ; void:entities {entities} ;\n\
         void:distinctSubjects {subjects} ; void:distinctObjects {objects} ;\n\
         void:properties {properties} ; void:classes {} ;\n\
         void:feature <http://www.w3.org/ns/formats/N-Quads> , <http://www.w3.org/ns/formats/Turtle> ;\n",
        Literal::new_language_tagged_literal_unchecked(title, "en"),
        classes.len(),
    );
    if let Some(endpoint) = endpoint {
        let _ = writeln!(t, "void:sparqlEndpoint <{endpoint}> ;");
    }
    if embedded {
        let _ = writeln!(
            t,
            "void:exampleResource <{ID}country/TUN> , <{ID}figure/soufan-2017-rus-foreign-fighters> ;\n\
             void:vocabulary <{FF}> ;"
        );
    }
    for row in &licences {
        if let Some(Some(Term::NamedNode(l))) = row.first() {
            let _ = writeln!(t, "dcterms:license <{}> ;", l.as_str());
        }
    }
    for row in &sources {
        if let Some(Some(Term::NamedNode(d))) = row.first() {
            let _ = writeln!(t, "dcterms:source <{}> ;", d.as_str());
        }
    }
    for (suffix, format) in DUMPS {
        let media = format.media_type().split(';').next().unwrap_or_default();
        let _ = writeln!(
            t,
            "void:dataDump <{base}/dump.{suffix}> ;\n\
             dcat:distribution [ a dcat:Distribution ; dcat:downloadURL <{base}/dump.{suffix}> ; \
             dcat:mediaType \"{media}\" ] ;"
        );
    }
    let partitions = |rows: &[Vec<Option<Term>>], link: &str, size: &str, t: &mut String| {
        for row in rows {
            if let (Some(Some(Term::NamedNode(n))), Some(Some(Term::Literal(count)))) =
                (row.first(), row.get(1))
            {
                let _ = writeln!(
                    t,
                    "void:{link} [ void:{} <{}> ; void:{size} {} ] ;",
                    if link == "classPartition" {
                        "class"
                    } else {
                        "property"
                    },
                    n.as_str(),
                    count.value()
                );
            }
        }
    };
    partitions(&classes, "classPartition", "entities", &mut t);
    partitions(&by_property, "propertyPartition", "triples", &mut t);
    for row in &graphs {
        if let (Some(Some(Term::NamedNode(g))), Some(Some(Term::Literal(count)))) =
            (row.first(), row.get(1))
        {
            let _ = writeln!(
                t,
                "void:subset [ a void:Dataset ; dcterms:identifier \"{}\" ; void:triples {} ] ;",
                g.as_str(),
                count.value()
            );
        }
    }
    for row in &links {
        if let [
            Some(Term::NamedNode(p)),
            Some(Term::Literal(target)),
            Some(Term::Literal(count)),
        ] = row.as_slice()
        {
            let _ = writeln!(
                t,
                "void:subset [ a void:Linkset ; void:linkPredicate <{}> ; \
                 void:subjectsTarget {dataset} ; \
                 void:objectsTarget [ a void:Dataset ; void:uriSpace \"{}\" ] ; \
                 void:triples {} ] ;",
                p.as_str(),
                target.value(),
                count.value()
            );
        }
    }
    let _ = writeln!(
        t,
        "dcterms:description \"Counts are of the asserted data, as the dumps hold it; the \
         SPARQL endpoint also answers with the OWL entailments, in {GRAPH}inferred.\"@en ."
    );
    Ok(t)
}

/// The Turtle re-written in `format`, with the endpoint's prefixes.
pub fn serialize(turtle: &str, format: Format, prefixes: &PrefixMap) -> Result<Vec<u8>> {
    let quads = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .map(|q| q.map_err(|e| Error::usage(format!("VoID description: {e}"))));
    let mut prefixes = prefixes.clone();
    prefixes.insert("void", "http://rdfs.org/ns/void#");
    prefixes.insert("dcat", "http://www.w3.org/ns/dcat#");
    let mut out = Vec::new();
    crate::output::render::write_quads(quads, &[], format, &prefixes, "<response>", &mut out)?;
    Ok(out)
}
