//! The compare-sources view: for a country, every figure of its foreign fighters, source by
//! source, from the query library's `compare-sources` query (the same one `ffkg query
//! compare-sources --param country=…` runs); for a measure, its counts for the world and the
//! regions, source by source. For the resource's page and its chart.

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

/// Figures of one kind side by side, and what they are.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// "Foreign fighters from Tunisia", "Returnees: the counts for the world and regions".
    pub heading: String,
    pub figures: Vec<Compared>,
}

impl Lookup<'_> {
    /// A country's foreign-fighter figures, or a measure's counts for the world and the
    /// regions, source by source; none for another resource, or one with no such figures.
    pub fn compare_sources(&self, node: &NamedNode) -> Result<Option<Comparison>> {
        let iri = node.as_str();
        let kind = self.rows(&format!(
            "SELECT ?kind ?label WHERE {{ <{iri}> a ?kind ; <{RDFS}label> ?label \
             FILTER(?kind IN (<{FF}Country>, <{FF}Measure>)) }} LIMIT 1"
        ))?;
        let (is_country, label) = match kind.first().map(Vec::as_slice) {
            Some([Some(Term::NamedNode(k)), Some(Term::Literal(l))]) => {
                (k.as_str().ends_with("#Country"), l.value().to_owned())
            }
            _ => return Ok(None),
        };
        let (heading, text) = if is_country {
            let Some(query) = library::find("compare-sources") else {
                return Ok(None);
            };
            let text = library::bind(
                query.text,
                &[("country".to_owned(), format!("<{iri}>"))],
                &self.settings.prefixes,
            )?;
            (format!("Foreign fighters from {label}"), text)
        } else {
            // Counts only (no unit), so the bars share a scale.
            let text = format!(
                "SELECT ?about ?value ?lower ?upper ?asOf ?statedIn ?reportedIn \
                 (GROUP_CONCAT(DISTINCT ?who; separator=\"; \") AS ?credited) WHERE {{ \
                 ?f <{FF}measure> <{iri}> ; <{FF}about> ?subject ; <{FF}printedValue> ?value ; \
                 <{FF}statedIn> ?statedIn . ?subject a <{FF}Region> ; <{RDFS}label> ?about . \
                 FILTER NOT EXISTS {{ ?f <{FF}unit> ?unit }} \
                 OPTIONAL {{ ?f <{FF}lowerBound> ?lower }} OPTIONAL {{ ?f <{FF}upperBound> ?upper }} \
                 OPTIONAL {{ ?f <{FF}asOf> ?asOf }} OPTIONAL {{ ?f <{FF}reportedIn> ?reportedIn }} \
                 OPTIONAL {{ ?f <{FF}attributedTo>/<{RDFS}label> ?who }} }} \
                 GROUP BY ?f ?about ?value ?lower ?upper ?asOf ?statedIn ?reportedIn \
                 ORDER BY ?about ?statedIn STR(?asOf) ?value"
            );
            let mut heading = label;
            if let Some(first) = heading.get(..1) {
                heading = first.to_uppercase() + &heading[1..];
            }
            (
                format!("{heading}: the counts for the world and regions"),
                text,
            )
        };
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
        let figures: Vec<Compared> = rows
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
            .collect();
        Ok((!figures.is_empty()).then_some(Comparison { heading, figures }))
    }
}
