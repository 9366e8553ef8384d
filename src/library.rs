//! The query library: the documented queries of `queries/`, compiled into the binary; finding
//! them by name, reading their header comments, and binding their parameters.
//!
//! A library query opens with `#` comment lines: `title:`, `question:`, free text saying what
//! the answer shows, and one `param:` line per parameter. A parameter is a variable the query
//! binds with `VALUES ?name { default }`, so the file runs unchanged in any SPARQL tool;
//! `--param name=value` replaces the default.

use crate::error::{Error, Result};
use crate::sparql::prefixes::PrefixMap;
use oxigraph::model::{Literal, NamedNode};

/// One query of the library.
#[derive(Debug)]
pub struct LibraryQuery {
    /// The file name without `.rq`: what `ffkg query NAME` takes.
    pub name: &'static str,
    pub text: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/library.rs"));

/// What a query's header says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub title: String,
    pub question: String,
    /// The rest of the header: what the answer shows.
    pub notes: String,
    pub params: Vec<Param>,
}

/// A parameter a query declares with `# param: name — description`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub name: String,
    pub description: String,
}

/// The library's query called `name`.
pub fn find(name: &str) -> Option<&'static LibraryQuery> {
    LIBRARY.iter().find(|q| q.name == name)
}

/// Reads the leading comment lines of a query.
pub fn header(text: &str) -> Header {
    let mut header = Header::default();
    let mut notes = Vec::new();
    for line in text.lines() {
        let Some(comment) = line.trim_start().strip_prefix('#') else {
            if line.trim().is_empty() {
                continue;
            }
            break;
        };
        let comment = comment.trim();
        if let Some(title) = comment.strip_prefix("title:") {
            header.title = title.trim().to_owned();
        } else if let Some(question) = comment.strip_prefix("question:") {
            header.question = question.trim().to_owned();
        } else if let Some(param) = comment.strip_prefix("param:") {
            let param = param.trim();
            let (name, description) = param.split_once(char::is_whitespace).unwrap_or((param, ""));
            header.params.push(Param {
                name: name.trim_start_matches('?').to_owned(),
                description: description
                    .trim_start_matches(|c: char| c == '—' || c == '-' || c.is_whitespace())
                    .to_owned(),
            });
        } else if !comment.is_empty() {
            notes.push(comment);
        }
    }
    header.notes = notes.join(" ");
    header
}

/// Replaces the default of each `(name, value)` parameter: the content of the query's
/// `VALUES ?name { … }`. A bare value takes the default's namespace (`TUN` after a default
/// `country:TUN` is `country:TUN`'s sibling `country:TUN`), a prefixed name or `<iri>` is an IRI,
/// and anything else becomes a literal like the default.
pub fn bind(text: &str, params: &[(String, String)], prefixes: &PrefixMap) -> Result<String> {
    let mut text = text.to_owned();
    for (name, value) in params {
        let (start, end, default) = values_block(&text, name).ok_or_else(|| {
            Error::usage(format!(
                "this query has no parameter '{name}' (a parameter is bound with `VALUES ?{name} {{ … }}`)"
            ))
        })?;
        let term = term_for(value, default.trim(), prefixes)?;
        text.replace_range(start..end, &format!(" {term} "));
    }
    Ok(text)
}

/// For a bare `value` (no prefix, no brackets, no quotes) of a parameter of `text` that takes a
/// resource (its default is an IRI or a prefixed name), which a label may stand for: `Some`,
/// with the IRI the value makes in the default's namespace when it makes one (`Daesh` →
/// `organization:Daesh`; `Islamic State` makes none). `None` for any other value or parameter.
pub fn label_candidate(
    text: &str,
    name: &str,
    value: &str,
    prefixes: &PrefixMap,
) -> Option<Option<NamedNode>> {
    let value = value.trim();
    if value.is_empty() || value.contains(['<', '>', '"']) {
        return None;
    }
    if value.contains(':') && !value.contains(char::is_whitespace) {
        return None;
    }
    let (_, _, default) = values_block(text, name)?;
    let default = default.trim();
    if default.starts_with('"') || !(default.starts_with('<') || default.contains(':')) {
        return None;
    }
    let term = term_for(value, default, prefixes).ok();
    let iri = term
        .as_deref()
        .and_then(|t| t.strip_prefix('<')?.strip_suffix('>'))
        .and_then(|iri| NamedNode::new(iri).ok());
    Some(iri)
}

/// The byte range of the braces' content in `VALUES ?name { … }`, and that content.
fn values_block<'a>(text: &'a str, name: &str) -> Option<(usize, usize, &'a str)> {
    let needle = format!("?{name}");
    let mut from = 0;
    while let Some(found) = text[from..].find("VALUES") {
        let at = from + found;
        let rest = text[at + "VALUES".len()..].trim_start();
        if let Some(after) = rest.strip_prefix(&needle) {
            let after_name = after.trim_start();
            if let Some(content) = after_name.strip_prefix('{') {
                let start = text.len() - content.len();
                let end = start + content.find('}')?;
                return Some((start, end, &text[start..end]));
            }
        }
        from = at + "VALUES".len();
    }
    None
}

fn term_for(value: &str, default: &str, prefixes: &PrefixMap) -> Result<String> {
    let bad = |why: &str| Error::usage(format!("bad parameter value '{value}': {why}"));
    if let Some(iri) = value.strip_prefix('<').and_then(|v| v.strip_suffix('>')) {
        return NamedNode::new(iri)
            .map(|n| n.to_string())
            .map_err(|e| bad(&e.to_string()));
    }
    if value.contains(':') && !value.contains(' ') {
        if let Some(iri) = prefixes.expand(value) {
            return NamedNode::new(iri)
                .map(|n| n.to_string())
                .map_err(|e| bad(&e.to_string()));
        }
        if value.contains("://") {
            return NamedNode::new(value)
                .map(|n| n.to_string())
                .map_err(|e| bad(&e.to_string()));
        }
        return Err(bad("unknown prefix"));
    }
    // A bare value follows the default: the same namespace for a prefixed name or an IRI, the
    // same datatype for a literal.
    if let Some((prefix, _)) = default
        .split_once(':')
        .filter(|(p, _)| !p.starts_with(['"', '<']) && prefixes.get(p).is_some())
    {
        return term_for(&format!("{prefix}:{value}"), "", prefixes);
    }
    if let Some(iri) = default.strip_prefix('<') {
        let iri = iri.strip_suffix('>').unwrap_or(iri);
        // The namespace ends at its last `/` or `#` (one byte each: a char boundary).
        if let Some(end) = iri.rfind(['/', '#']) {
            let iri = format!("{}{value}", &iri[..=end]);
            return term_for(&format!("<{iri}>"), "", prefixes);
        }
    }
    Ok(Literal::new_simple_literal(value).to_string())
}

/// Parameters with an empty name (values given in order) named after the query's parameters
/// in the order its header declares them.
pub fn positional(
    name: &str,
    header: &Header,
    params: Vec<(String, String)>,
) -> Result<Vec<(String, String)>> {
    let mut next = header.params.iter();
    params
        .into_iter()
        .map(|(key, value)| {
            if !key.is_empty() {
                return Ok((key, value));
            }
            match next.next() {
                Some(param) => Ok((param.name.clone(), value)),
                None => Err(Error::usage(format!(
                    "{name} takes {} parameter{}, and '{value}' is one more",
                    header.params.len(),
                    if header.params.len() == 1 { "" } else { "s" }
                ))),
            }
        })
        .collect()
}

/// One query's documentation: its title, question and notes, its parameters, how to run it,
/// and its text.
pub fn documentation(name: &str) -> Result<String> {
    let query = find(name).ok_or_else(|| {
        let names: Vec<&str> = LIBRARY.iter().map(|q| q.name).collect();
        let close = names
            .iter()
            .min_by_key(|n| strsim::levenshtein(n, name))
            .filter(|n| strsim::levenshtein(n, name) <= 3);
        Error::usage(match close {
            Some(close) => format!("no query '{name}' in the library; did you mean '{close}'?"),
            None => format!("no query '{name}' in the library (ffkg queries lists them)"),
        })
    })?;
    let h = header(query.text);
    let mut text = format!(
        "{} — {}

",
        query.name, h.title
    );
    if !h.question.is_empty() {
        text.push_str(&format!(
            "{}
",
            h.question
        ));
    }
    if !h.notes.is_empty() {
        text.push_str(&format!(
            "{}
",
            h.notes
        ));
    }
    if !h.params.is_empty() {
        text.push_str(
            "
parameters:
",
        );
        for param in &h.params {
            text.push_str(&format!(
                "  {:<12} {}
",
                param.name, param.description
            ));
        }
    }
    let example: String = h
        .params
        .iter()
        .map(|p| format!(" --param {}=…", p.name))
        .collect();
    text.push_str(&format!(
        "
run: ffkg query {}{example}   (in the REPL: .run {})

{}",
        query.name, query.name, query.text
    ));
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// The library: name, title and parameters (with `--long`, the question), as a table for
/// people or as TSV or CSV (`format`) for programs.
pub fn listing(long: bool, format: &str) -> String {
    let rows: Vec<Vec<String>> = LIBRARY
        .iter()
        .map(|query| {
            let h = header(query.text);
            let params: Vec<String> = h.params.iter().map(|p| p.name.clone()).collect();
            let mut row = vec![query.name.to_owned(), h.title, params.join(", ")];
            if long {
                row.push(h.question);
            }
            row
        })
        .collect();
    let mut columns = vec!["name", "title", "parameters"];
    if long {
        columns.push("question");
    }
    let field = |value: &str, separator: char| match separator {
        '\t' => value.replace(['\t', '\n'], " "),
        _ if value.contains([',', '"', '\n']) => format!("\"{}\"", value.replace('"', "\"\"")),
        _ => value.to_owned(),
    };
    match format {
        "tsv" | "csv" => {
            let (separator, end) = if format == "tsv" {
                ('\t', "\n")
            } else {
                (',', "\r\n")
            };
            let line = |cells: Vec<String>| {
                cells
                    .iter()
                    .map(|c| field(c, separator))
                    .collect::<Vec<_>>()
                    .join(&separator.to_string())
                    + end
            };
            let mut text = line(columns.iter().map(|c| (*c).to_owned()).collect());
            for row in rows {
                text.push_str(&line(row));
            }
            text
        }
        _ => table_listing(&columns, rows),
    }
}

fn table_listing(columns: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut table = comfy_table::Table::new();
    table
        .load_style(comfy_table::presets::UTF8_FULL_CONDENSED)
        .force_no_tty();
    table.set_header(columns.to_vec());
    for row in rows {
        table.add_row(row);
    }
    format!("{table}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUERY: &str = "# title: Figures about a country\n# question: What do the sources say?\n\
# param: country — the country, by ISO code or IRI\n# Lists every figure.\n\
SELECT ?f WHERE { VALUES ?country { country:TUN } ?f ff:about ?country }";

    #[test]
    fn reads_the_header() {
        let h = header(QUERY);
        assert_eq!(h.title, "Figures about a country");
        assert_eq!(h.question, "What do the sources say?");
        assert_eq!(h.notes, "Lists every figure.");
        assert_eq!(
            h.params,
            vec![Param {
                name: "country".into(),
                description: "the country, by ISO code or IRI".into()
            }]
        );
    }

    #[test]
    fn binds_parameters_in_the_values_block() {
        let prefixes = PrefixMap::default();
        let bound = bind(QUERY, &[("country".into(), "SAU".into())], &prefixes).unwrap();
        assert!(
            bound.contains("VALUES ?country { <https://w3id.org/ffkg/id/country/SAU> }"),
            "{bound}"
        );
        let bound = bind(
            QUERY,
            &[("country".into(), "country:RUS".into())],
            &prefixes,
        )
        .unwrap();
        assert!(bound.contains("country/RUS>"), "{bound}");
        let err = bind(QUERY, &[("year".into(), "2015".into())], &prefixes).unwrap_err();
        assert!(err.to_string().contains("no parameter 'year'"));
        let err = bind(QUERY, &[("country".into(), "nope:X".into())], &prefixes).unwrap_err();
        assert!(err.to_string().contains("unknown prefix"));
    }

    /// Found by fuzz/param: a default IRI written with several `<` and a multi-byte character
    /// cut the namespace inside that character (a panic); a bare value takes the namespace of
    /// an IRI default.
    #[test]
    fn a_bare_value_takes_the_namespace_of_an_iri_default() {
        let prefixes = PrefixMap::empty();
        let query = |default: &str| format!("SELECT * WHERE {{ VALUES ?country {{ {default} }} }}");
        let bound = bind(
            &query("<http://example.org/c/TUN>"),
            &[("country".into(), "SAU".into())],
            &prefixes,
        )
        .unwrap();
        assert!(bound.contains("<http://example.org/c/SAU>"), "{bound}");
        let odd = query("<<<<\u{2000}\u{2000}<fe#");
        let _ = bind(&odd, &[("country".into(), "x".into())], &prefixes);
    }
}
