//! Results as an HTML page (`format=html`, what the plain query form at `/query` asks for): a
//! table of the first `--ui-rows` rows, the count of the rest, and links to the whole result as
//! CSV or Turtle. The query runs as for any client, into SPARQL JSON or N-Triples, and the page
//! is made from that, so the HTML view cannot answer differently from the protocol.

use crate::error::{Error, Result};
use crate::sparql::prefixes::PrefixMap;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::Term;
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, SliceQueryResultsParserOutput,
};

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// What a page shows.
#[derive(Debug)]
pub struct View<'a> {
    pub query: &'a str,
    pub prefixes: &'a PrefixMap,
    /// Rows shown at most.
    pub rows: usize,
}

/// A page of solutions or a boolean, from SPARQL JSON.
pub fn solutions_page(view: &View<'_>, json: &[u8]) -> Result<String> {
    let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
        .for_slice(json)
        .map_err(|e| internal(&e.to_string()))?;
    let body = match parsed {
        SliceQueryResultsParserOutput::Boolean(value) => {
            format!("<p class=\"answer\">The answer is <strong>{value}</strong>.</p>\n")
        }
        SliceQueryResultsParserOutput::Solutions(solutions) => {
            let variables: Vec<String> = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect();
            let mut rows = Vec::new();
            let mut total = 0usize;
            for solution in solutions {
                let solution = solution.map_err(|e| internal(&e.to_string()))?;
                total += 1;
                if rows.len() < view.rows {
                    rows.push(
                        variables
                            .iter()
                            .map(|v| solution.get(v.as_str()).map(|t| cell(t, view.prefixes)))
                            .map(Option::unwrap_or_default)
                            .collect::<Vec<_>>(),
                    );
                }
            }
            table(view, &variables, &rows, total, "csv")
        }
    };
    Ok(page(view, &body))
}

/// A page of triples, from N-Triples.
pub fn graph_page(view: &View<'_>, ntriples: &[u8]) -> Result<String> {
    let columns = ["subject", "predicate", "object"].map(str::to_owned);
    let mut rows = Vec::new();
    let mut total = 0usize;
    for quad in RdfParser::from_format(RdfFormat::NTriples).for_slice(ntriples) {
        let quad = quad.map_err(|e| internal(&e.to_string()))?;
        total += 1;
        if rows.len() < view.rows {
            rows.push(vec![
                cell(&quad.subject.into(), view.prefixes),
                cell(&quad.predicate.into(), view.prefixes),
                cell(&quad.object, view.prefixes),
            ]);
        }
    }
    Ok(page(view, &table(view, &columns, &rows, total, "turtle")))
}

fn internal(message: &str) -> Error {
    Error::Internal {
        origin: "results page".to_owned(),
        message: message.to_owned(),
    }
}

/// A term as the REPL shows it: IRIs as prefixed names (linked), literals with their language
/// or datatype.
fn cell(term: &Term, prefixes: &PrefixMap) -> String {
    match term {
        Term::NamedNode(node) => {
            let shown = prefixes
                .shorten(node.as_str())
                .unwrap_or_else(|| format!("<{}>", node.as_str()));
            format!(
                "<a href=\"{}\">{}</a>",
                escape(node.as_str()),
                escape(&shown)
            )
        }
        Term::BlankNode(node) => escape(&node.to_string()),
        Term::Literal(literal) => {
            let value = escape(literal.value());
            if let Some(language) = literal.language() {
                format!("{value} <small>@{}</small>", escape(language))
            } else if literal.datatype().as_str() == "http://www.w3.org/2001/XMLSchema#string" {
                value
            } else {
                let datatype = prefixes
                    .shorten(literal.datatype().as_str())
                    .unwrap_or_else(|| literal.datatype().as_str().to_owned());
                format!("{value} <small>{}</small>", escape(&datatype))
            }
        }
        #[allow(unreachable_patterns)]
        other => escape(&other.to_string()),
    }
}

fn table(
    view: &View<'_>,
    columns: &[String],
    rows: &[Vec<String>],
    total: usize,
    whole: &str,
) -> String {
    let head: String = columns
        .iter()
        .map(|c| format!("<th scope=\"col\">{}</th>", escape(c)))
        .collect();
    let body: String = rows
        .iter()
        .map(|row| {
            let cells: String = row.iter().map(|c| format!("<td>{c}</td>")).collect();
            format!("<tr>{cells}</tr>\n")
        })
        .collect();
    let link: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("query", view.query)
        .append_pair("format", whole)
        .finish();
    let shown = rows.len();
    let summary = if total > shown {
        format!(
            "{total} rows; the first {shown} are shown. <a href=\"/sparql?{}\">All of them as {}</a>.",
            escape(&link),
            whole.to_uppercase()
        )
    } else {
        format!(
            "{total} row{}. <a href=\"/sparql?{}\">As {}</a>.",
            if total == 1 { "" } else { "s" },
            escape(&link),
            whole.to_uppercase()
        )
    };
    format!(
        "<p>{summary}</p>\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n"
    )
}

fn page(view: &View<'_>, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>ffkg: results</title>\n\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem auto;max-width:80rem;padding:0 1rem}}\
         table{{border-collapse:collapse}}th,td{{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}}\
         pre{{background:#f4f4f4;padding:.5rem;overflow:auto}}small{{color:#555}}</style>\n\
         </head>\n<body>\n<main>\n<h1>Results</h1>\n\
         <details><summary>The query</summary><pre>{query}</pre></details>\n{body}\
         <p><a href=\"/query\">Another query</a></p>\n</main>\n</body>\n</html>\n",
        query = escape(view.query),
    )
}
