//! The compare-sources view of a country: every figure of its foreign fighters, source by
//! source, from the query library's `compare-sources` query (the same one `ffkg query
//! compare-sources --param country=…` runs), for the country's page and its chart.

#[allow(unused_imports)]
use super::*;
use crate::library;

/// One source's figure of a country's foreign fighters.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// The country, or its people as a group, as the figure names them.
    pub about: String,
    /// The value as printed ("~3,000", "As many as 6,000").
    pub value: String,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub as_of: Option<String>,
    /// The document that states it, with its label.
    pub stated_in: (NamedNode, Option<String>),
    /// The report it comes from, when the document reports another's figure.
    pub reported_in: Option<(NamedNode, Option<String>)>,
    /// Who it is credited to.
    pub credited: Option<String>,
}

impl Lookup<'_> {
    /// A country's foreign-fighter figures source by source; none for a resource that is not a
    /// country or a country with none.
    pub fn compare_sources(&self, node: &NamedNode) -> Result<Vec<Compared>> {
        let iri = node.as_str();
        let is_country = self.rows(&format!(
            "SELECT ?c WHERE {{ <{iri}> a <{FF}Country> }} LIMIT 1"
        ))?;
        if is_country.is_empty() {
            return Ok(Vec::new());
        }
        let Some(query) = library::find("compare-sources") else {
            return Ok(Vec::new());
        };
        let text = library::bind(
            query.text,
            &[("country".to_owned(), format!("<{iri}>"))],
            &self.settings.prefixes,
        )?;
        let rows = self.rows(&text)?;
        // The documents' labels, in one query.
        let documents: Vec<String> = rows
            .iter()
            .flat_map(|row| [row.get(5), row.get(6)])
            .filter_map(|value| match value {
                Some(Some(Term::NamedNode(n))) => Some(format!("<{}>", n.as_str())),
                _ => None,
            })
            .collect();
        let labels: BTreeMap<String, String> = if documents.is_empty() {
            BTreeMap::new()
        } else {
            self.rows(&format!(
                "SELECT ?d (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?d {{ {} }} ?d <{RDFS}label> ?l }} GROUP BY ?d",
                documents.join(" ")
            ))?
            .into_iter()
            .filter_map(|row| match (row.first(), row.get(1)) {
                (Some(Some(Term::NamedNode(d))), Some(Some(Term::Literal(l)))) => {
                    Some((d.as_str().to_owned(), l.value().to_owned()))
                }
                _ => None,
            })
            .collect()
        };
        let text = |value: Option<&Option<Term>>| match value {
            Some(Some(Term::Literal(l))) => Some(l.value().to_owned()),
            _ => None,
        };
        let document = |value: Option<&Option<Term>>| match value {
            Some(Some(Term::NamedNode(n))) => Some((n.clone(), labels.get(n.as_str()).cloned())),
            _ => None,
        };
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some(Compared {
                    about: text(row.first())?,
                    value: text(row.get(1))?,
                    lower: text(row.get(2)).and_then(|v| v.parse().ok()),
                    upper: text(row.get(3)).and_then(|v| v.parse().ok()),
                    as_of: text(row.get(4)),
                    stated_in: document(row.get(5))?,
                    reported_in: document(row.get(6)),
                    credited: text(row.get(7)).filter(|c| !c.is_empty()),
                })
            })
            .collect())
    }
}
