//! The HTML of the linked-data pages — a resource's page from its [`Description`], the page
//! frame, values as links — for the endpoint and for the static site `ffkg publish` writes,
//! which differ only in where links go ([`Site`]).

use super::html::escape;
use super::negotiate::{DOCUMENTS, Document};
use crate::describe::passage::Passage;
use crate::describe::{Compared, Comparison, Description, Value};
use crate::output::format::Format;
use crate::sparql::prefixes::{FF, PrefixMap};
use oxigraph::model::Term;

/// Where the pages are read: on the endpoint, whose IRIs negotiate (a link names the resource),
/// or as files of a static site (a link names the page's file, and there is no query page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    Served,
    Static,
}

/// Where the graph's IRIs live; `/id/…` stands for `{NAMESPACE}/id/…`.
pub const NAMESPACE: &str = "https://w3id.org/ffkg";

/// Where a link to `iri` goes: the graph's own resources and vocabulary terms on this
/// endpoint, anything else where it is.
pub fn href(iri: &str, site: Site) -> String {
    let page = match site {
        Site::Served => "",
        Site::Static => ".html",
    };
    if let Some(term) = iri.strip_prefix(FF) {
        return format!("/ontology{page}#{term}");
    }
    match iri.strip_prefix(NAMESPACE) {
        Some(path) if super::resource::owns(path) => format!("{path}{page}"),
        _ => iri.to_owned(),
    }
}

/// A value in HTML: a resource as a link named by its label (its prefixed name beside it), a
/// literal as its text in its language.
pub fn value_html(value: &Value, prefixes: &PrefixMap, site: Site) -> String {
    match value {
        Value::Term(Term::NamedNode(n), label) => {
            let name = prefixes
                .shorten(n.as_str())
                .unwrap_or_else(|| n.as_str().to_owned());
            let shown = label.as_deref().unwrap_or(&name);
            let aside = if label.is_some() {
                format!(" <small>{}</small>", escape(&name))
            } else {
                String::new()
            };
            format!(
                "<a href=\"{}\">{}</a>{aside}",
                escape(&href(n.as_str(), site)),
                escape(shown)
            )
        }
        Value::Term(Term::Literal(literal), _) => match literal.language() {
            Some(language) => format!(
                "<span lang=\"{}\">{}</span>",
                escape(language),
                escape(literal.value())
            ),
            None => escape(literal.value()),
        },
        Value::Term(term, _) => escape(&term.to_string()),
        Value::Quote(quote, mark) => match mark.as_ref().and_then(|m| {
            Some((
                quote.get(..m.start)?,
                quote.get(m.clone())?,
                quote.get(m.end..)?,
            ))
        }) {
            // The printed value marked where the sentence prints it.
            Some((before, value, after)) => format!(
                "<blockquote>{}<mark>{}</mark>{}</blockquote>",
                escape(before),
                escape(value),
                escape(after)
            ),
            None => format!("<blockquote>{}</blockquote>", escape(quote)),
        },
        Value::Text(words) => escape(words),
    }
}

/// The page of a resource; a country's or a measure's has its figures `compared` source by
/// source, a figure's or quotation's its quote in its paragraph (`passage`) when the
/// document's text is at hand.
pub fn render(
    description: &Description,
    compared: Option<&Comparison>,
    passage: Option<&Passage>,
    resource: &str,
    prefixes: &PrefixMap,
    site: Site,
) -> String {
    let iri = description.node.as_str();
    let name = prefixes.shorten(iri).unwrap_or_else(|| iri.to_owned());
    let title = description.title.clone().unwrap_or_else(|| name.clone());
    let stem = resource.rsplit('/').next().unwrap_or(resource);
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"iri\"><code>{}</code> · <code>{}</code></p>\n",
        escape(&title),
        escape(&name),
        escape(iri)
    );
    for section in &description.sections {
        if let Some(heading) = &section.heading {
            body.push_str(&format!("<h2>{}</h2>\n", escape(heading)));
        }
        body.push_str("<dl>\n");
        for field in &section.fields {
            body.push_str(&format!("<dt>{}</dt>\n", escape(&field.label)));
            let values: Vec<String> = field
                .values
                .iter()
                .map(|v| value_html(v, prefixes, site))
                .collect();
            if section.lists {
                for value in values {
                    body.push_str(&format!("<dd>{value}</dd>\n"));
                }
            } else {
                body.push_str(&format!("<dd>{}</dd>\n", values.join(", ")));
            }
            if let Some((more, query)) = &field.more {
                let link = if query.is_empty() || site == Site::Static {
                    format!("{more} more")
                } else {
                    format!(
                        "<a href=\"/sparql?format=html&amp;query={}\">{more} more</a>",
                        escape(&encode(query))
                    )
                };
                body.push_str(&format!("<dd class=\"more\">… {link}</dd>\n"));
            }
        }
        body.push_str("</dl>\n");
    }
    if let Some(passage) = passage {
        body.push_str(&format!(
            "<h2>In its paragraph</h2>\n<blockquote class=\"passage\">{}<mark>{}</mark>{}\
             </blockquote>\n<p class=\"note\">From the text of the source document, \
             <code>{}</code>, whitespace and line-end hyphens as the quote reads them.</p>\n",
            escape(&passage.before),
            escape(&passage.quote),
            escape(&passage.after),
            escape(&passage.file)
        ));
    }
    if let Some(compared) = compared {
        body.push_str(&comparison(compared, site));
    }
    if let Some(cite) = citation(description, &title) {
        body.push_str(&format!(
            "<h2>Cite this</h2>\n<p class=\"cite\">{}</p>\n",
            escape(&cite)
        ));
    }
    let alternates: Vec<String> = DOCUMENTS
        .iter()
        .filter(|(d, _)| *d != Document::Html)
        .map(|(d, suffix)| {
            let label = match d {
                Document::Rdf(Format::Turtle) => "Turtle",
                Document::Rdf(Format::Ntriples) => "N-Triples",
                Document::Rdf(Format::Jsonld) => "JSON-LD",
                Document::Rdf(Format::Rdfxml) => "RDF/XML",
                Document::Rdf(format) => format.name(),
                Document::Html => "HTML",
            };
            format!("<a href=\"{}.{suffix}\">{label}</a>", escape(stem))
        })
        .collect();
    body.push_str(&format!(
        "<p class=\"alternates\">This description as {}.</p>\n",
        alternates.join(" · ")
    ));
    let links: String = DOCUMENTS
        .iter()
        .filter_map(|(d, suffix)| match d {
            Document::Rdf(format) => Some(format!(
                "<link rel=\"alternate\" type=\"{}\" href=\"{}.{suffix}\">\n",
                format.media_type().split(';').next().unwrap_or_default(),
                escape(stem)
            )),
            Document::Html => None,
        })
        .collect();
    wrap_page(&title, &links, &body, site)
}

/// How to cite a figure: what it says, the document and date it is stated in, and its IRI.
fn citation(description: &Description, title: &str) -> Option<String> {
    let figure = description
        .sections
        .iter()
        .find(|s| s.heading.as_deref() == Some("Figure"))?;
    let first = |label: &str| {
        figure
            .fields
            .iter()
            .find(|f| f.label == label)
            .and_then(|f| f.values.first())
            .map(|v| match v {
                Value::Term(Term::NamedNode(n), label) => {
                    label.clone().unwrap_or_else(|| n.as_str().to_owned())
                }
                Value::Term(Term::Literal(l), _) => l.value().to_owned(),
                Value::Term(t, _) => t.to_string(),
                Value::Quote(q, _) | Value::Text(q) => q.clone(),
            })
    };
    let mut cite = format!("“{title}”.");
    if let Some(source) = first("source") {
        cite.push_str(&format!(" Stated in {source}"));
        if let Some(date) = first("as of") {
            cite.push_str(&format!(", as of {date}"));
        }
        cite.push('.');
    }
    cite.push_str(&format!(" ffkg, {}.", description.node.as_str()));
    Some(cite)
}

pub fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

pub fn wrap_page(title: &str, head: &str, body: &str, site: Site) -> String {
    let nav = match site {
        Site::Served => {
            "<a href=\"/\">ffkg</a><a href=\"/query\">query</a><a href=\"/ontology\">ontology</a>"
        }
        Site::Static => "<a href=\"/index.html\">ffkg</a><a href=\"/ontology.html\">ontology</a>",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — ffkg</title>\n<link rel=\"icon\" href=\"data:,\">\n{head}\
         <style>body{{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;\
         padding:0 1rem;line-height:1.45}}dt{{font-weight:600;margin-top:.6rem}}\
         dd{{margin-left:1.5rem}}small{{color:#555}}code{{overflow-wrap:anywhere}}\
         blockquote{{margin:.25rem 0;padding-left:.75rem;border-left:3px solid #999}}\
         nav a{{margin-right:1rem}}table{{border-collapse:collapse}}\
         th,td{{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;\
         vertical-align:top}}figure{{margin:1rem 0;overflow-x:auto}}\
         svg text{{font:12px system-ui,sans-serif}}</style>\n</head>\n<body>\n\
         <nav>{nav}</nav>\n<main>\n{body}</main>\n\
         </body>\n</html>\n",
        escape(title)
    )
}

/// A document as a link named by its label.
fn document_link(
    (node, label): &(oxigraph::model::NamedNode, Option<String>),
    site: Site,
) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        escape(&href(node.as_str(), site)),
        escape(label.as_deref().unwrap_or(node.as_str()))
    )
}

/// The compare-sources view: a bar chart of the figures' bounds and the table of them.
fn comparison(comparison: &Comparison, site: Site) -> String {
    let heading = format!("{}, source by source", comparison.heading);
    let compared = &comparison.figures;
    let mut html = format!(
        "<h2 id=\"compare-sources\">{}</h2>\n{}",
        escape(&heading),
        chart(compared, &heading)
    );
    html.push_str(
        "<table>\n<thead><tr><th scope=\"col\">value</th><th scope=\"col\">about</th>\
         <th scope=\"col\">as of</th><th scope=\"col\">stated in</th>\
         <th scope=\"col\">reported in</th><th scope=\"col\">credited to</th></tr></thead>\n<tbody>\n",
    );
    for figure in compared {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&figure.value),
            escape(&figure.about),
            escape(figure.as_of.as_deref().unwrap_or("")),
            document_link(&figure.stated_in, site),
            figure
                .reported_in
                .as_ref()
                .map(|d| document_link(d, site))
                .unwrap_or_default(),
            escape(figure.credited.as_deref().unwrap_or("")),
        ));
    }
    html.push_str("</tbody>\n</table>\n");
    html
}

/// A horizontal bar per figure, as long as its lower bound, with a lighter part up to its upper
/// bound; a figure without bounds gets its printed value only. Plain SVG with a title, so it
/// needs no script and reads out as an image with a description.
fn chart(compared: &[Compared], heading: &str) -> String {
    const LABEL: f64 = 310.0;
    const BARS: f64 = 360.0;
    const ROW: f64 = 24.0;
    let largest = compared
        .iter()
        .filter_map(|f| f.upper.or(f.lower))
        .fold(0.0_f64, f64::max);
    if largest <= 0.0 {
        return String::new();
    }
    let scale = |v: f64| v / largest * BARS;
    let height = ROW * compared.len() as f64 + 8.0;
    let width = LABEL + BARS + 120.0;
    let mut svg = format!(
        "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" \
         aria-label=\"{title}\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\">\n<title>{title}</title>\n",
        title = escape(heading)
    );
    // Figures about several subjects (a measure's world and regions) name theirs.
    let subjects = compared.iter().any(|f| f.about != compared[0].about);
    for (i, figure) in compared.iter().enumerate() {
        let y = ROW * i as f64 + 4.0;
        let source = figure
            .stated_in
            .1
            .as_deref()
            .unwrap_or(figure.stated_in.0.as_str());
        let source = if subjects {
            format!("{}: {source}", figure.about)
        } else {
            source.to_owned()
        };
        let short: String = if source.chars().count() > 34 {
            source.chars().take(33).collect::<String>() + "…"
        } else {
            source
        };
        let label = match &figure.as_of {
            Some(date) => format!("{short} ({date})"),
            None => short,
        };
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            LABEL - 8.0,
            y + 14.0,
            escape(&label)
        ));
        let lower = figure.lower.map_or(0.0, scale);
        let upper = figure.upper.map_or(lower, scale);
        if upper > lower {
            svg.push_str(&format!(
                "<rect x=\"{LABEL}\" y=\"{y:.1}\" width=\"{upper:.1}\" height=\"18\" fill=\"#b8c7e0\"/>\n"
            ));
        }
        if lower > 0.0 {
            svg.push_str(&format!(
                "<rect x=\"{LABEL}\" y=\"{y:.1}\" width=\"{lower:.1}\" height=\"18\" fill=\"#3a6ab0\"/>\n"
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
            LABEL + upper.max(lower) + 6.0,
            y + 14.0,
            escape(&figure.value)
        ));
    }
    svg.push_str("</svg>\n<figcaption>Dark: the lower bound; light: up to the upper bound.</figcaption>\n</figure>\n");
    svg
}
