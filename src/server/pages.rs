//! What the endpoint says about itself: the SPARQL 1.1 Service Description, the query page at
//! `/` (YASGUI, with the prefixes and the query library), and the plain form at `/query` that
//! works without JavaScript.

use super::html::escape;
use super::protocol::About;
use crate::error::{Error, Result};
use crate::output::format::Format;
use crate::output::render;
use crate::sparql::prefixes::PrefixMap;
use oxigraph::io::{RdfFormat, RdfParser};

/// The result formats the endpoint writes, by their W3C format IRIs.
const RESULT_FORMATS: [&str; 10] = [
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "N-Quads",
    "TriG",
    "JSON-LD",
    "RDF_XML",
];

/// What a service description says.
#[derive(Debug)]
pub struct Described<'a> {
    /// The endpoint's URL, as the client named it.
    pub url: &'a str,
    /// It takes updates.
    pub writable: bool,
    /// It makes SERVICE calls (`--allow-service`).
    pub federated: bool,
    pub about: About,
}

/// The service description of an endpoint, in `format`: only what is true of it.
pub fn service_description(
    described: &Described<'_>,
    format: Format,
    prefixes: &PrefixMap,
) -> Result<Vec<u8>> {
    let url = described.url;
    // The default dataset is the one /.well-known/void describes, under the same IRI.
    let base = url.strip_suffix("/sparql").unwrap_or(url);
    let dataset = format!("{base}{}#dataset", super::void::PATH);
    let languages = if described.writable {
        "sd:SPARQL10Query, sd:SPARQL11Query, sd:SPARQL11Update"
    } else {
        "sd:SPARQL10Query, sd:SPARQL11Query"
    };
    let formats = RESULT_FORMATS
        .iter()
        .map(|f| format!("<http://www.w3.org/ns/formats/{f}>"))
        .collect::<Vec<_>>()
        .join(", ");
    let features: Vec<&str> = [
        (described.about.union_default_graph, "sd:UnionDefaultGraph"),
        (described.federated, "sd:BasicFederatedQuery"),
    ]
    .into_iter()
    .filter_map(|(true_of_it, feature)| true_of_it.then_some(feature))
    .collect();
    let feature = if features.is_empty() {
        String::new()
    } else {
        format!("sd:feature {} ;\n", features.join(", "))
    };
    // The full-text search functions every local dataset has.
    let functions = crate::search::functions::NAMES
        .iter()
        .map(|name| format!("<{}{name}>", crate::sparql::prefixes::FF))
        .collect::<Vec<_>>();
    let title = if described.about.embedded {
        "ffkg: foreign fighters who joined the Islamic State"
    } else {
        "ffkg SPARQL endpoint"
    };
    let turtle = format!(
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\
         @prefix dcterms: <http://purl.org/dc/terms/> .\n\
         <{url}> a sd:Service ;\n\
           sd:endpoint <{url}> ;\n\
           sd:supportedLanguage {languages} ;\n\
           sd:resultFormat {formats} ;\n\
           {feature}\
           sd:extensionFunction {functions} ;\n\
           dcterms:title \"{title}\"@en ;\n\
           sd:defaultDataset <{dataset}> .\n\
         <{dataset}> a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] .\n\
         {declared}",
        functions = functions.join(", "),
        declared = functions
            .iter()
            .map(|f| format!("{f} a sd:Function .\n"))
            .collect::<String>()
    );
    let quads = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .map(|q| q.map_err(|e| Error::usage(format!("service description: {e}"))));
    let mut prefixes = prefixes.clone();
    prefixes.insert("sd", "http://www.w3.org/ns/sparql-service-description#");
    let mut out = Vec::new();
    render::write_quads(quads, &[], format, &prefixes, "<response>", &mut out)?;
    Ok(out)
}

/// The page at `/`: YASGUI on `/sparql`, given the prefixes, the default query and the query
/// library as JSON in the page (escaped so that no text can close its script element).
pub fn yasgui_page(prefixes: &PrefixMap) -> String {
    let examples: Vec<serde_json::Value> = crate::library::LIBRARY
        .iter()
        .map(|query| {
            serde_json::json!({
                "name": query.name,
                "question": crate::library::header(query.text).question,
                "query": query.text,
            })
        })
        .collect();
    let prefixes: serde_json::Map<String, serde_json::Value> = prefixes
        .iter()
        .map(|(name, iri)| (name.to_owned(), serde_json::Value::from(iri)))
        .collect();
    let config = serde_json::json!({
        "endpoint": "/sparql",
        "prefixes": prefixes,
        "examples": examples,
        "defaultQuery": DEFAULT_QUERY,
    });
    let json = config
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    super::assets::INDEX.replace("{{CONFIG}}", &json)
}

/// The query both pages open with: the top countries of the Soufan Center's 2017 table.
const DEFAULT_QUERY: &str = "SELECT ?country ?fighters WHERE {\n  ?f ff:inTable document:soufan-2017-table-foreign-fighters ;\n     ff:measure measure:foreign-fighters ; ff:about ?c ; ff:printedValue ?fighters ; ff:lowerBound ?n .\n  ?c a ff:Country ; rdfs:label ?country\n} ORDER BY DESC(?n) LIMIT 10";

/// The query page: a form that sends its query to `/sparql` by GET, and the library's queries
/// as examples, each runnable as it is.
pub fn query_page() -> String {
    let examples: String = crate::library::LIBRARY
        .iter()
        .map(|query| {
            let header = crate::library::header(query.text);
            let link: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("query", query.text)
                .append_pair("format", "html")
                .finish();
            format!(
                "<li><details><summary><strong>{name}</strong> — {question}</summary>\
                 <pre>{text}</pre><p><a href=\"/sparql?{link}\">Run it</a></p>\
                 </details></li>\n",
                name = escape(query.name),
                question = escape(&header.question),
                text = escape(query.text),
                link = escape(&link),
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>ffkg SPARQL endpoint</title>\n\
         <style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}\
         textarea{{width:100%;font-family:monospace}}pre{{background:#f4f4f4;padding:.5rem;overflow:auto}}</style>\n\
         </head>\n<body>\n<main>\n<h1>ffkg SPARQL endpoint</h1>\n\
         <p>SPARQL 1.1 over a curated graph of the foreign fighters who travelled to join the \
         Islamic State, every figure with the sentence it comes from. The endpoint is \
         <code>/sparql</code> (GET or POST, results by content negotiation); every prefix the \
         graph uses (<code>ff:</code>, <code>country:</code>, <code>figure:</code> …) is declared.</p>\n\
         <form method=\"get\" action=\"/sparql\">\n\
         <p><label for=\"query\">Query</label></p>\n\
         <textarea id=\"query\" name=\"query\" rows=\"10\">{query}</textarea>\n\
         <p><label for=\"format\">Results as</label> <select id=\"format\" name=\"format\">\
         <option value=\"html\">a table (HTML)</option><option value=\"csv\">CSV</option><option value=\"tsv\">TSV</option>\
         <option value=\"json\">SPARQL JSON</option><option value=\"xml\">SPARQL XML</option>\
         <option value=\"turtle\">Turtle (CONSTRUCT, DESCRIBE)</option></select> \
         <button type=\"submit\">Run</button></p>\n</form>\n\
         <h2>The query library</h2>\n<ul>\n{examples}</ul>\n</main>\n</body>\n</html>\n",
        query = escape(DEFAULT_QUERY),
    )
}
