//! Mistakes caught before they cost an empty answer: a name in the graph's own namespaces
//! (`ff:abot`, `measure:returnes`, `country:XYZ`) that nothing in the graph uses makes a query
//! match nothing, silently. This finds such names and the closest one the graph has, for a
//! warning; it never changes the query or its answer.

#[allow(unused_imports)]
use super::*;
use crate::sparql::lexer::{TokenKind, tokens};

/// Where the graph's own names live: only these are checked (a name in another vocabulary
/// may well be meant for data the graph does not hold).
const OWN: &str = "https://w3id.org/ffkg/";

impl Lookup<'_> {
    /// A warning for each name of the graph's own namespaces in `source` that the graph does
    /// not use, with the closest name it does use when one is close.
    pub fn unknown_names(&self, source: &Source) -> Result<Vec<String>> {
        let mut prefixes = self.settings.prefixes.clone();
        let text = &source.text;
        let tokens = tokens(text);
        let significant: Vec<_> = tokens.iter().filter(|t| t.is_significant()).collect();
        // The statement's own PREFIX lines win over the session's.
        for window in significant.windows(3) {
            if window[0].text(text).eq_ignore_ascii_case("PREFIX")
                && window[1].kind == TokenKind::PrefixedName
                && window[2].kind == TokenKind::Iri
            {
                let name = window[1].text(text).trim_end_matches(':');
                let iri = window[2].text(text);
                prefixes.insert(name, iri.trim_start_matches('<').trim_end_matches('>'));
            }
        }
        let mut names: Vec<(String, String)> = Vec::new();
        for (i, token) in significant.iter().enumerate() {
            let written = token.text(text);
            let after = |back: usize, keyword: &str| {
                i >= back
                    && significant[i - back]
                        .text(text)
                        .eq_ignore_ascii_case(keyword)
            };
            // `PREFIX p: <iri>` and `BASE <iri>` declare, they do not use.
            let declaration = after(1, "PREFIX") || after(2, "PREFIX") || after(1, "BASE");
            if declaration || written.ends_with(':') {
                continue;
            }
            // A full IRI (as `--param` binds one) is shown by its prefixed name when it has one.
            let (written, iri) = match token.kind {
                TokenKind::PrefixedName => match prefixes.expand(written) {
                    Some(iri) => (written.to_owned(), iri),
                    None => continue,
                },
                TokenKind::Iri => {
                    let iri = written
                        .trim_start_matches('<')
                        .trim_end_matches('>')
                        .to_owned();
                    (
                        prefixes.shorten(&iri).unwrap_or_else(|| written.to_owned()),
                        iri,
                    )
                }
                _ => continue,
            };
            // The search functions are the engine's, not the graph's.
            let function = crate::search::functions::NAMES
                .iter()
                .any(|name| iri.strip_prefix(crate::sparql::prefixes::FF) == Some(name));
            if iri.starts_with(OWN) && !function && !names.iter().any(|(_, known)| *known == iri) {
                names.push((written, iri));
            }
        }
        if names.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<String> = names.iter().map(|(_, iri)| format!("<{iri}>")).collect();
        let used: Vec<String> = self
            .rows(&format!(
                "SELECT ?x WHERE {{ VALUES ?x {{ {} }} \
                 FILTER(EXISTS {{ ?x ?p ?o }} || EXISTS {{ ?s ?x ?o }} || EXISTS {{ ?s ?p ?x }}) }}",
                values.join(" ")
            ))?
            .into_iter()
            .filter_map(|row| match row.first() {
                Some(Some(Term::NamedNode(n))) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let mut warnings = Vec::new();
        for (written, iri) in names.iter().filter(|(_, iri)| !used.contains(iri)) {
            let namespace = &iri[..iri.rfind(['#', '/']).map_or(iri.len(), |i| i + 1)];
            let local = &iri[namespace.len()..];
            let closest = self.closest(namespace, local)?;
            warnings.push(match closest {
                Some(best) => {
                    let best = format!("{namespace}{best}");
                    let best = prefixes.shorten(&best).unwrap_or(format!("<{best}>"));
                    format!(
                        "{}: {written} is not in the graph — did you mean {best}?",
                        source.origin
                    )
                }
                None => format!(
                    "{}: {written} is not in the graph, so the patterns that use it match nothing",
                    source.origin
                ),
            });
        }
        Ok(warnings)
    }

    /// The local name in `namespace` the graph uses that is nearest to `local`, if one is near
    /// enough to be a slip (an edit distance of at most a third of its length, and at most 3).
    fn closest(&self, namespace: &str, local: &str) -> Result<Option<String>> {
        let literal = Literal::new_simple_literal(namespace);
        let candidates = self.rows(&format!(
            "SELECT DISTINCT ?x WHERE {{ {{ ?x ?p ?o }} UNION {{ ?s ?x ?o }} UNION {{ ?s ?p ?x }} \
             FILTER(isIRI(?x) && STRSTARTS(STR(?x), {literal})) }}"
        ))?;
        let wanted = local.to_lowercase();
        let best = candidates
            .iter()
            .filter_map(|row| match row.first() {
                Some(Some(Term::NamedNode(n))) => n.as_str().strip_prefix(namespace),
                _ => None,
            })
            .filter(|name| !name.contains(['/', '#']))
            .map(|name| (strsim::levenshtein(&wanted, &name.to_lowercase()), name))
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        let limit = (local.chars().count() / 3).clamp(1, 3);
        Ok(best
            .filter(|(distance, _)| *distance <= limit)
            .map(|(_, name)| name.to_owned()))
    }
}

/// Warns on stderr about the names of the graph's namespaces in `source` that the graph does
/// not use; the check's own failure is no reason to fail the query, so it is not reported.
pub fn warn_unknown_names(
    dataset: &dyn Backend,
    settings: &Settings,
    source: &Source,
    token: &CancellationToken,
) {
    let lookup = Lookup {
        dataset,
        settings,
        token: token.clone(),
    };
    for warning in lookup.unknown_names(source).unwrap_or_default() {
        eprintln!("warning: {warning}");
    }
}

/// A warning for each variable a SELECT projects that its pattern never binds (`SELECT ?x
/// WHERE { ?s a ff:Country }`, or a name mistyped in one place): that column is empty in every
/// row. Aggregates, `BIND` and `VALUES` bind; a variable used only in a `FILTER` does not.
pub fn never_bound(query: &spargebra::Query) -> Vec<String> {
    use spargebra::algebra::GraphPattern;
    let spargebra::Query::Select { pattern, .. } = query else {
        return Vec::new();
    };
    let mut pattern = pattern;
    loop {
        match pattern {
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner } => pattern = inner,
            GraphPattern::Project { inner, variables } => {
                let mut bound = std::collections::HashSet::new();
                inner.on_in_scope_variable(|v| {
                    bound.insert(v);
                });
                return variables
                    .iter()
                    .filter(|v| !bound.contains(v))
                    .map(|v| format!("{v} is projected but never bound: its column is empty"))
                    .collect();
            }
            _ => return Vec::new(),
        }
    }
}

/// Warns on stderr about [`never_bound`] variables.
pub fn warn_never_bound(query: &spargebra::Query) {
    for warning in never_bound(query) {
        eprintln!("warning: {warning}");
    }
}

#[cfg(test)]
mod tests {
    use super::never_bound;

    fn warnings(query: &str) -> Vec<String> {
        never_bound(&spargebra::SparqlParser::new().parse_query(query).unwrap())
    }

    #[test]
    fn projected_variables_that_nothing_binds_are_named() {
        let only = warnings("SELECT ?s ?x WHERE { ?s ?p ?o FILTER(?x > 1) } LIMIT 3");
        assert_eq!(
            only,
            ["?x is projected but never bound: its column is empty"]
        );
        for bound in [
            "SELECT * WHERE { ?s ?p ?o }",
            "SELECT DISTINCT ?o WHERE { OPTIONAL { ?s ?p ?o } }",
            "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s",
            "SELECT ?x ?y WHERE { BIND(1 AS ?x) VALUES ?y { UNDEF } }",
            "ASK { ?s ?p ?o }",
        ] {
            assert!(warnings(bound).is_empty(), "{bound}");
        }
    }
}
