//! Dereferencing without sockets: the 303s, the documents and the pages.

use super::*;
use oxhttp::model::header::{LOCATION, VARY};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;

/// The quads of `text` in `format`; `what` names it when it does not parse.
fn parse(format: RdfFormat, text: &str, what: &str) -> Vec<oxigraph::model::Quad> {
    RdfParser::from_format(format)
        .for_slice(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap_or_else(|e| panic!("{what} does not parse: {e}"))
}

const RUSSIA: &str = "/id/figure/soufan-2017-rus-foreign-fighters";

/// The status, the Location and Vary headers, and the body.
fn fetch(
    endpoint: &Endpoint,
    method: Method,
    target: &str,
    accept: Option<&str>,
) -> (StatusCode, Option<String>, Option<String>, String) {
    let mut builder = Request::builder().method(method).uri(target);
    if let Some(accept) = accept {
        builder = builder.header(ACCEPT, accept);
    }
    let mut request = builder.body(Body::empty()).expect("request");
    let response = handle(endpoint, &mut request);
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (location, vary) = (header(LOCATION), header(VARY));
    let status = response.status();
    let body = response.into_body().to_string().expect("UTF-8 body");
    (status, location, vary, body)
}

#[test]
fn the_iri_of_a_thing_answers_303_to_the_document_it_negotiates() {
    let e = endpoint(Limits::default(), None);
    let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    for (accept, suffix) in [
        (None, "html"),
        (Some(browser), "html"),
        (Some("text/turtle"), "ttl"),
        (Some("application/n-triples"), "nt"),
        (Some("application/ld+json"), "jsonld"),
        (Some("application/rdf+xml"), "rdf"),
        (Some("text/turtle;q=0.5, application/ld+json"), "jsonld"),
    ] {
        let (status, location, vary, _) = fetch(&e, Method::GET, "/id/country/TUN", accept);
        assert_eq!(status, StatusCode::SEE_OTHER, "{accept:?}");
        assert_eq!(
            location.as_deref(),
            Some(&*format!("/id/country/TUN.{suffix}"))
        );
        assert_eq!(vary.as_deref(), Some("Accept"));
    }
    let (status, ..) = fetch(&e, Method::GET, "/id/country/TUN", Some("image/png"));
    assert_eq!(status, StatusCode::NOT_ACCEPTABLE);
    let (status, ..) = fetch(&e, Method::POST, "/id/country/TUN", None);
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}

#[test]
fn every_document_holds_the_resources_relations_out_and_in() {
    let e = endpoint(Limits::default(), None);
    let iri = format!("https://w3id.org/ffkg{RUSSIA}");
    let construct = format!(
        "CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
    );
    let (status, _, expected) = get(
        &e,
        &format!("/sparql?{}", encoded(&construct)),
        Some("application/n-triples"),
    );
    assert_eq!(status, StatusCode::OK);
    let expected = expected.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(expected > 10, "{expected}");
    for (suffix, format) in [
        ("ttl", RdfFormat::Turtle),
        ("nt", RdfFormat::NTriples),
        (
            "jsonld",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
        ("rdf", RdfFormat::RdfXml),
    ] {
        let (status, _, _, body) = fetch(&e, Method::GET, &format!("{RUSSIA}.{suffix}"), None);
        assert_eq!(status, StatusCode::OK, "{suffix}: {body}");
        let triples = parse(format, &body, suffix);
        assert_eq!(triples.len(), expected, "{suffix}");
    }
}

#[test]
fn a_figures_page_shows_its_value_source_quote_and_how_to_cite_it() {
    let e = endpoint(Limits::default(), None);
    let (status, _, _, page) = fetch(&e, Method::GET, &format!("{RUSSIA}.html"), None);
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "<h1>Russia: foreign fighters (Soufan 2017 table)</h1>",
        "<dd>3,417</dd>",
        "<a href=\"/id/country/RUS\">Russia</a>",
        "<blockquote>Russia 83 3,417 84",
        "<h2>Cite this</h2>",
        "Stated in Beyond the Caliphate",
        "as of 2016-03",
        "<a href=\"soufan-2017-rus-foreign-fighters.ttl\">Turtle</a>",
        "<link rel=\"alternate\" type=\"text/turtle\"",
    ] {
        assert!(page.contains(expected), "{expected} in\n{page}");
    }
    // The most specific type comes first.
    let types = page.split("<dt>type</dt>").nth(1).expect("types");
    assert!(
        types.find("ff:Figure") < types.find("qb:Observation"),
        "{types}"
    );
}

#[test]
fn an_iri_the_graph_does_not_mention_is_404_with_a_search_link() {
    let e = endpoint(Limits::default(), None);
    for target in ["/id/country/XYZ", "/id/country/XYZ.ttl", "/id/nothing-here"] {
        let (status, _, _, page) = fetch(&e, Method::GET, target, None);
        assert_eq!(status, StatusCode::NOT_FOUND, "{target}");
        assert!(page.contains("Search the labels for"), "{page}");
    }
}

#[test]
fn the_ontology_and_the_measures_are_published_as_documents() {
    let e = endpoint(Limits::default(), None);
    let (status, location, ..) = fetch(&e, Method::GET, "/ontology", Some("text/turtle"));
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location.as_deref(), Some("/ontology.ttl"));
    let (status, _, expected) = get(
        &e,
        &format!(
            "/sparql?{}",
            encoded("SELECT (COUNT(*) AS ?n) WHERE { GRAPH graph:ontology { ?s ?p ?o } }")
        ),
        Some("text/csv"),
    );
    assert_eq!(status, StatusCode::OK);
    let expected: usize = expected
        .lines()
        .nth(1)
        .expect("a count")
        .trim()
        .parse()
        .expect("n");
    let (status, _, _, turtle) = fetch(&e, Method::GET, "/ontology.ttl", None);
    assert_eq!(status, StatusCode::OK);
    let triples = parse(RdfFormat::Turtle, &turtle, "the ontology's Turtle");
    assert_eq!(triples.len(), expected);

    let (status, _, _, page) = fetch(&e, Method::GET, "/ontology.html", None);
    assert_eq!(status, StatusCode::OK);
    for expected in [
        "<h1>ffkg ontology</h1>",
        "<h2 id=\"classes\">Classes</h2>",
        "<h2 id=\"object-properties\">Object properties</h2>",
        "<h3 id=\"Figure\">figure <small><code>ff:Figure</code></small></h3>",
        // A domain given as a union of classes.
        "<a href=\"/ontology#Figure\">figure</a> <small>ff:Figure</small> or ",
        "<a href=\"https://schema.org/Article\">schema:Article</a>",
    ] {
        assert!(page.contains(expected), "{expected}");
    }
    let (status, _, _, page) = fetch(&e, Method::GET, "/measures.html", None);
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h2 id=\"measures\">Measures</h2>"), "{page}");
    assert!(
        page.contains("<h3 id=\"foreign-fighters\">foreign fighters"),
        "{page}"
    );
    // A resource's page links the terms it uses to the ontology's page.
    let (_, _, _, figure) = fetch(&e, Method::GET, &format!("{RUSSIA}.html"), None);
    assert!(
        figure.contains("<a href=\"/ontology#Figure\">figure</a>"),
        "{figure}"
    );
}

#[test]
fn the_void_description_counts_what_the_dumps_hold() {
    let e = endpoint(Limits::default(), None);
    let (status, _, _, turtle) = fetch(&e, Method::GET, "/.well-known/void", None);
    assert_eq!(status, StatusCode::OK);
    let void = parse(RdfFormat::Turtle, &turtle, "the VoID description");
    let object = |predicate: &str| -> Vec<String> {
        void.iter()
            .filter(|q| q.predicate.as_str() == format!("http://rdfs.org/ns/void#{predicate}"))
            .map(|q| match &q.object {
                Term::Literal(l) => l.value().to_owned(),
                other => other.to_string(),
            })
            .collect()
    };
    let (_, _, _, nt) = fetch(&e, Method::GET, "/dump.nt", None);
    let dumped = parse(RdfFormat::NTriples, &nt, "the N-Triples dump");
    assert_eq!(object("triples").first(), Some(&dumped.len().to_string()));
    // The dataset's own URI space, and one per site its links reach, each a linkset counting
    // as many links as the dump holds.
    let mut spaces = object("uriSpace");
    spaces.sort();
    assert_eq!(
        spaces,
        [
            "http://sws.geonames.org/",
            "http://www.wikidata.org/",
            "https://w3id.org/ffkg/id/"
        ]
    );
    let links = |site: &str| {
        dumped
            .iter()
            .filter(|q| {
                q.predicate.as_str() == "http://www.w3.org/2004/02/skos/core#exactMatch"
                    && q.object.to_string().starts_with(&format!("<{site}"))
                    && q.subject
                        .to_string()
                        .starts_with("<https://w3id.org/ffkg/id/")
            })
            .count()
    };
    let linksets: Vec<_> = void
        .iter()
        .filter(|q| q.object.to_string() == "<http://rdfs.org/ns/void#Linkset>")
        .map(|q| q.subject.clone())
        .collect();
    assert_eq!(linksets.len(), 2);
    let mut counted: Vec<String> = linksets
        .iter()
        .flat_map(|l| {
            void.iter()
                .filter(move |q| q.subject == *l && q.predicate.as_str().ends_with("#triples"))
                .map(|q| match &q.object {
                    Term::Literal(l) => l.value().to_owned(),
                    other => other.to_string(),
                })
        })
        .collect();
    counted.sort();
    let mut expected = vec![
        links("http://www.wikidata.org/").to_string(),
        links("http://sws.geonames.org/").to_string(),
    ];
    expected.sort();
    assert_eq!(counted, expected);
    assert_eq!(links("http://www.wikidata.org/"), 87);
    assert_eq!(object("sparqlEndpoint"), ["<http://localhost/sparql>"]);
    // A class partition: the countries, as many as the dump types so.
    let countries = dumped
        .iter()
        .filter(|q| {
            q.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                && q.object.to_string() == "<https://w3id.org/ffkg/ontology#Country>"
        })
        .count();
    let partition = void
        .iter()
        .find(|q| q.object.to_string() == "<https://w3id.org/ffkg/ontology#Country>")
        .map(|q| q.subject.clone())
        .expect("a partition for ff:Country");
    let entities = void
        .iter()
        .find(|q| q.subject == partition && q.predicate.as_str().ends_with("#entities"))
        .map(|q| q.object.to_string());
    assert_eq!(
        entities,
        Some(format!(
            "\"{countries}\"^^<http://www.w3.org/2001/XMLSchema#integer>"
        ))
    );
    // Five sources, a licence, and a distribution per dump syntax, each of which parses.
    assert_eq!(
        void.iter()
            .filter(|q| q.predicate.as_str() == "http://purl.org/dc/terms/source")
            .count(),
        5
    );
    let dumps = object("dataDump");
    assert_eq!(dumps.len(), 6);
    for (suffix, format) in [
        ("nq", RdfFormat::NQuads),
        ("trig", RdfFormat::TriG),
        ("ttl", RdfFormat::Turtle),
        (
            "jsonld",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
        ("rdf", RdfFormat::RdfXml),
    ] {
        assert!(dumps.contains(&format!("<http://localhost/dump.{suffix}>")));
        let (status, _, _, body) = fetch(&e, Method::GET, &format!("/dump.{suffix}"), None);
        assert_eq!(status, StatusCode::OK);
        let quads = parse(format, &body, &format!("dump.{suffix}"));
        assert!(quads.len() >= dumped.len(), "{suffix}: {}", quads.len());
    }
    // The service description names the same dataset.
    let (_, _, _, sd) = fetch(&e, Method::GET, "/sparql", Some("text/turtle"));
    assert!(
        sd.contains("<http://localhost/.well-known/void#dataset>"),
        "{sd}"
    );
}

#[test]
fn a_countrys_page_compares_its_figures_source_by_source() {
    let e = endpoint(Limits::default(), None);
    let query = crate::library::find("compare-sources").expect("the library query");
    let bound = crate::library::bind(
        query.text,
        &[("country".to_owned(), "RUS".to_owned())],
        &e.settings.prefixes,
    )
    .expect("bound");
    let (_, _, csv) = get(
        &e,
        &format!("/sparql?{}", encoded(&bound)),
        Some("text/csv"),
    );
    let expected = csv.lines().count() - 1;
    assert!(expected >= 2, "{csv}");
    let (status, _, _, page) = fetch(&e, Method::GET, "/id/country/RUS.html", None);
    assert_eq!(status, StatusCode::OK);
    let view = page
        .split("<h2 id=\"compare-sources\">Foreign fighters from Russia, source by source</h2>")
        .nth(1)
        .expect("the compare-sources view");
    let table = view.split("</table>").next().expect("its table");
    assert_eq!(table.matches("<tr><td>").count(), expected, "{table}");
    assert!(view.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""));
    assert!(table.contains("<td>3,417</td>"), "{table}");
    // Not a country: no comparison.
    let (_, _, _, figure) = fetch(&e, Method::GET, &format!("{RUSSIA}.html"), None);
    assert!(!figure.contains("compare-sources"));
}

#[test]
fn hostile_resource_paths_get_404_or_400_and_never_reach_a_query() {
    let e = endpoint(Limits::default(), None);
    let long = format!("/id/{}", "a".repeat(20_000));
    for target in [
        "/id/%00",
        "/id/a%3E%20%7B%20%3Fs",
        "/id/x/../../etc/passwd",
        "/id/%FF%FE",
        "/id/",
        "/ontology.ttl.ttl",
        long.as_str(),
    ] {
        let (status, ..) = fetch(&e, Method::GET, target, None);
        assert!(
            matches!(status, StatusCode::NOT_FOUND | StatusCode::BAD_REQUEST),
            "{}: {status}",
            &target[..target.len().min(40)]
        );
    }
}

#[test]
fn a_figure_page_marks_its_value_and_shows_its_quote_in_its_paragraph() {
    let page = |e: &Endpoint| fetch(e, Method::GET, "/id/figure/why-2015-fra-age.html", None).3;
    let quote = "A 13-year-old French child soldier was killed fighting for ISIS last month.";
    let mut e = endpoint(Limits::default(), None);
    // The printed value marked in the quote, where ff:quoteOffset puts it.
    let alone = page(&e);
    assert!(
        alone.contains("<blockquote>A <mark>13-year-old</mark> French child soldier"),
        "{alone}"
    );
    assert!(!alone.contains("In its paragraph"), "no texts given");
    // With the documents' texts (the document's ff:sourceFile in the directory), the quote
    // in its paragraph, found across a line break and a hyphenated word.
    let dir = tempfile::tempdir().expect("temp dir");
    let text = format!(
        "Heading\n\nAlso, a recent video is report-\nedly from France.\n{}\n\nNext.\n",
        quote.replace(" child ", "\nchild ")
    );
    std::fs::write(dir.path().join("000_dcc699e05d23521a.txt"), text).expect("written");
    e.sources = Some(dir.path().to_owned());
    let shown = page(&e);
    assert!(
        shown.contains(&format!(
            "<blockquote class=\"passage\">Also, a recent video is reportedly from France. \
             <mark>{quote}</mark></blockquote>"
        )),
        "{shown}"
    );
    // A quote the text does not hold shows nothing more.
    std::fs::write(
        dir.path().join("000_dcc699e05d23521a.txt"),
        "Other words.\n",
    )
    .expect("written");
    assert!(!page(&e).contains("In its paragraph"));
}

#[test]
fn a_measure_page_compares_its_world_and_regional_counts_source_by_source() {
    let e = endpoint(Limits::default(), None);
    let (status, _, _, page) = fetch(&e, Method::GET, "/id/measure/returnees.html", None);
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Returnees: the counts for the world and regions, source by source"),
        "{page}"
    );
    // As many rows as the graph has counts of returnees about the world or a region.
    let count = {
        let dataset = e.dataset.read().unwrap();
        let source = Source::new(
            "test",
            "SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f ff:measure measure:returnees ; \
             ff:about [ a ff:Region ] FILTER NOT EXISTS { ?f ff:unit ?u } }",
        );
        let rows = crate::engine::select(&*dataset, &e.settings, &source, &Default::default())
            .expect("counts")
            .rows;
        match &rows[0][0] {
            Some(Term::Literal(n)) => n.value().parse::<usize>().expect("a number"),
            other => panic!("{other:?}"),
        }
    };
    assert!(count >= 3, "{count}");
    let table = page
        .split("id=\"compare-sources\"")
        .nth(1)
        .expect("the view");
    assert_eq!(table.matches("<tr><td>").count(), count);
    // Each bar names its region, as the subjects differ.
    assert!(table.contains(">World: "), "{table}");
    // A resource that is neither a country nor a measure has no such view.
    let (_, _, _, figure) = fetch(&e, Method::GET, &format!("{RUSSIA}.html"), None);
    assert!(!figure.contains("compare-sources"));
}

#[test]
fn the_ontology_page_reads_a_cube_structure_component_by_component() {
    let e = endpoint(Limits::default(), None);
    let (_, _, _, page) = fetch(&e, Method::GET, "/ontology.html", None);
    let section = page
        .split("id=\"ProseFigureStructure\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the structure's section");
    assert!(!section.contains("_:"), "no blank node labels: {section}");
    let at = |what: &str| {
        section
            .find(what)
            .unwrap_or_else(|| panic!("{what}: {section}"))
    };
    // Dimensions in their order, then the measure, then the attributes.
    assert!(at("qb:dimension <a href=\"/ontology#measure\"") < at("qb:order 4"));
    assert!(at("qb:order 4") < at("qb:measure <a"));
    assert!(at("qb:measure <a") < at("qb:attribute <a"));
}
