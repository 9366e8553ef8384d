//! The queries behind `.find` and `.schema`.

#[allow(unused_imports)]
use super::*;

/// `.find TEXT`: resources whose label or alias contains the text, ignoring case; names that
/// are figures or quotations come last, shorter names first.
pub fn find_query(text: &str) -> String {
    let text = Literal::new_simple_literal(text.to_lowercase());
    format!(
        "SELECT ?resource ?label ?type WHERE {{\n\
         {{ SELECT ?resource (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (MAX(?minor) AS ?rank) WHERE {{\n\
             ?resource {labels} ?l .\n\
             FILTER(isIRI(?resource) && CONTAINS(LCASE(STR(?l)), {text}))\n\
             OPTIONAL {{ ?resource a ?t \
               FILTER NOT EXISTS {{ ?resource a ?narrower . ?narrower <{RDFS}subClassOf> ?t \
                 FILTER(?narrower != ?t) }} }}\n\
             BIND(IF(BOUND(?t) && ?t IN (<{FF}Figure>, <{FF}Quotation>), 1, 0) AS ?minor)\n\
           }} GROUP BY ?resource }}\n\
         }} ORDER BY ?rank STRLEN(?label) ?label",
        labels = any_label_path()
    )
}

/// `.find TEXT` on local data: resources whose names, descriptions or quotes hold every word
/// of the text (full-text search, [`crate::search`]), best first by the BM25 score of their best
/// text, a name's words weighing more than a quote's; figures and quotations come after the
/// rest, as in [`find_query`]. `?matched` is the property of the text that scored best.
pub fn search_query(text: &str) -> String {
    let words = Literal::new_simple_literal(text);
    let fields: Vec<String> = crate::search::FIELDS
        .iter()
        .map(|(namespace, name, weight)| format!("(<{namespace}{name}> {weight})"))
        .collect();
    let scored = |property: &str, score: &str| {
        format!(
            "VALUES ({property} ?weight) {{ {fields} }}\n\
             ?resource {property} ?text .\n\
             FILTER(isIRI(?resource))\n\
             BIND(?weight * <{FF}textScore>(?text, {words}) AS {score})\n\
             FILTER(BOUND({score}))",
            fields = fields.join(" ")
        )
    };
    format!(
        "SELECT ?resource ?label ?type ?score ?matched WHERE {{\n\
         {{ SELECT ?resource (SAMPLE(?l) AS ?label) (SAMPLE(?t) AS ?type) (MAX(?minor) AS ?rank) \
              (SAMPLE(?top) AS ?best) (SAMPLE(?field) AS ?matched) WHERE {{\n\
             {{ SELECT ?resource (MAX(?s) AS ?top) WHERE {{\n{all}\n}} GROUP BY ?resource }}\n\
             {one}\n\
             FILTER(?s1 = ?top)\n\
             OPTIONAL {{ ?resource {labels} ?l }}\n\
             OPTIONAL {{ ?resource a ?t \
               FILTER NOT EXISTS {{ ?resource a ?narrower . ?narrower <{RDFS}subClassOf> ?t \
                 FILTER(?narrower != ?t) }} }}\n\
             BIND(IF(BOUND(?t) && ?t IN (<{FF}Figure>, <{FF}Quotation>), 1, 0) AS ?minor)\n\
           }} GROUP BY ?resource }}\n\
         BIND(ROUND(?best * 100) / 100 AS ?score)\n\
         }} ORDER BY ?rank DESC(?best) ?label",
        all = scored("?p", "?s"),
        one = scored("?field", "?s1"),
        labels = label_path()
    )
}

/// `.schema`: the classes and the properties, each with its label, how many instances (or
/// triples) use it, and its comment. The declared ones (OWL or RDFS); when the graph declares
/// none, the ones in use. The graph's own come first: those it gives a label (the ontology's),
/// before the vocabularies' it only uses (`qb:Observation`, `owl:Class` …).
pub fn schema_queries() -> [(&'static str, String); 2] {
    let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    // A domain or range given as a union of classes is a blank node: list its members.
    let classes_of = |property: &str, var: &str| {
        format!(
            "OPTIONAL {{ ?property <{RDFS}{property}> ?{var}0 FILTER(isIRI(?{var}0)) }}\n\
             OPTIONAL {{ ?property <{RDFS}{property}>/<{OWL}unionOf>/<{rdf}rest>*/<{rdf}first> ?{var}1 }}\n"
        )
    };
    let either = |var: &str| {
        format!(
            "(COALESCE(SAMPLE(?{var}0), GROUP_CONCAT(DISTINCT REPLACE(STR(?{var}1), \"^.*[#/]\", \"\"); separator=\" | \")) AS ?{var})"
        )
    };
    let classes = format!(
        "SELECT ?class (SAMPLE(?l) AS ?label) ?instances (SAMPLE(?c) AS ?comment) WHERE {{\n\
           {{ SELECT ?class (COUNT(DISTINCT ?instance) AS ?instances) WHERE {{\n\
               {{ SELECT DISTINCT ?class WHERE {{\n\
                   {{ ?class a <{OWL}Class> }} UNION {{ ?class a <{RDFS}Class> }}\n\
                   UNION {{ [] a ?class FILTER NOT EXISTS {{ [] a <{OWL}Class> }} FILTER NOT EXISTS {{ [] a <{RDFS}Class> }} }}\n\
                   FILTER(isIRI(?class))\n\
               }} }}\n\
               OPTIONAL {{ ?instance a ?class }}\n\
           }} GROUP BY ?class }}\n\
           OPTIONAL {{ ?class <{RDFS}label> ?l }}\n\
           OPTIONAL {{ ?class <{RDFS}comment> ?c }}\n\
         }} GROUP BY ?class ?instances ORDER BY DESC(BOUND(?label)) ?class"
    );
    let properties = format!(
        "SELECT ?property (SAMPLE(?l) AS ?label) ?uses {domain} {range} (SAMPLE(?c) AS ?comment) WHERE {{\n\
           {{ SELECT ?property (COUNT(?s) AS ?uses) WHERE {{\n\
               {{ SELECT DISTINCT ?property WHERE {{\n\
                   {{ ?property a <{OWL}ObjectProperty> }} UNION {{ ?property a <{OWL}DatatypeProperty> }}\n\
                   UNION {{ ?property a <{OWL}AnnotationProperty> }} UNION {{ ?property a <{rdf}Property> }}\n\
                   UNION {{ [] ?property [] FILTER NOT EXISTS {{ [] a <{OWL}ObjectProperty> }} FILTER NOT EXISTS {{ [] a <{OWL}DatatypeProperty> }} FILTER NOT EXISTS {{ [] a <{rdf}Property> }} }}\n\
               }} }}\n\
               OPTIONAL {{ ?s ?property ?o }}\n\
           }} GROUP BY ?property }}\n\
           OPTIONAL {{ ?property <{RDFS}label> ?l }}\n\
           {domains}{ranges}\
           OPTIONAL {{ ?property <{RDFS}comment> ?c }}\n\
         }} GROUP BY ?property ?uses ORDER BY DESC(BOUND(?label)) ?property",
        domain = either("domain"),
        range = either("range"),
        domains = classes_of("domain", "domain"),
        ranges = classes_of("range", "range"),
    );
    [("Classes", classes), ("Properties", properties)]
}
