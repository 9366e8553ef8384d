//! The SHACL shapes and the ontology's rules, each constraint turned into a SELECT query that
//! lists the nodes violating it.

#[allow(unused_imports)]
use super::*;

pub(super) fn parse_shapes() -> Result<Graph> {
    let mut graph = Graph::new();
    for triple in RdfParser::from_format(RdfFormat::Turtle)
        .without_named_graphs()
        .for_slice(SHAPES)
    {
        let quad =
            triple.map_err(|e| crate::data::graph::data_error("ontology/shapes.ttl", e.into()))?;
        graph.insert(quad.as_ref());
    }
    Ok(graph)
}

pub(super) fn sh(name: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SH}{name}"))
}

pub(super) fn objects<'a, 'b>(
    graph: &'a Graph,
    subject: impl Into<NamedOrBlankNodeRef<'b>>,
    predicate: &'b NamedNode,
) -> Vec<TermRef<'a>> {
    graph
        .objects_for_subject_predicate(subject, predicate)
        .collect()
}

pub(super) fn object<'a, 'b>(
    graph: &'a Graph,
    subject: impl Into<NamedOrBlankNodeRef<'b>>,
    predicate: &'b NamedNode,
) -> Option<TermRef<'a>> {
    graph.object_for_subject_predicate(subject, predicate)
}

/// The members of an RDF list.
pub(super) fn list<'a>(graph: &'a Graph, head: TermRef<'a>) -> Result<Vec<TermRef<'a>>> {
    let mut items = Vec::new();
    let mut node = head;
    while node != TermRef::from(rdf::NIL) {
        let subject = as_subject(node)?;
        let first = graph
            .object_for_subject_predicate(subject, rdf::FIRST)
            .ok_or_else(|| shape_error("an RDF list without rdf:first"))?;
        items.push(first);
        node = graph
            .object_for_subject_predicate(subject, rdf::REST)
            .ok_or_else(|| shape_error("an RDF list without rdf:rest"))?;
    }
    Ok(items)
}

pub(super) fn as_subject(term: TermRef<'_>) -> Result<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Ok(n.into()),
        TermRef::BlankNode(b) => Ok(b.into()),
        _ => Err(shape_error("a literal where a shape node was expected")),
    }
}

pub(super) fn shape_error(message: &str) -> Error {
    Error::Data {
        path: "ontology/shapes.ttl".to_owned(),
        position: None,
        message: message.to_owned(),
    }
}

pub(super) fn integer(term: TermRef<'_>) -> Result<u64> {
    match term {
        TermRef::Literal(l) => l
            .value()
            .parse()
            .map_err(|_| shape_error("a count that is not a non-negative integer")),
        _ => Err(shape_error("a count that is not a literal")),
    }
}

/// The namespace of the shapes, shown as `ffsh:`.
pub const SHAPES_NS: &str = "https://w3id.org/ffkg/shapes#";

pub(super) fn name(term: impl Into<NamedOrBlankNode>) -> String {
    match term.into() {
        NamedOrBlankNode::NamedNode(n) => match n.as_str().strip_prefix(SHAPES_NS) {
            Some(local) => format!("ffsh:{local}"),
            None => PrefixMap::default()
                .shorten(n.as_str())
                .unwrap_or_else(|| format!("<{}>", n.as_str())),
        },
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

/// The targets of a shape, as a graph pattern binding ?this.
pub(super) fn target_pattern(class: &str) -> String {
    format!("?this rdf:type/rdfs:subClassOf* {class} .")
}

/// The constraint parameters this validator knows, for the "unsupported" check.
pub(super) const PROPERTY_PARAMETERS: &[&str] = &[
    "path",
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "nodeKind",
    "in",
    "pattern",
    "hasValue",
    "or",
    "message",
    "name",
    "description",
];

pub(super) fn shape_checks(graph: &Graph) -> Result<Vec<Check>> {
    let mut checks = Vec::new();
    let target_class = sh("targetClass");
    for triple in graph.triples_for_predicate(&target_class) {
        let shape = triple.subject.into_owned();
        let TermRef::NamedNode(class) = triple.object else {
            return Err(shape_error("sh:targetClass must be an IRI"));
        };
        let class = format!("<{}>", class.as_str());
        let shape_name = name(shape.clone());
        let targets = target_pattern(&class);
        if let Some(kind) = object(graph, &shape, &sh("nodeKind")) {
            checks.push(Check {
                source: shape_name.clone(),
                component: Some("NodeKindConstraintComponent"),
                shape: Some(shape.clone()),
                path: None,
                message: format!("must be {}", node_kind_words(kind)?),
                query: format!(
                    "SELECT DISTINCT ?this WHERE {{ {targets} FILTER(!({})) }}",
                    node_kind_test(kind, "?this")?
                ),
            });
        }
        for property in objects(graph, &shape, &sh("property")) {
            checks.extend(property_checks(
                graph,
                as_subject(property)?,
                &shape,
                &targets,
            )?);
        }
        for sparql in objects(graph, &shape, &sh("sparql")) {
            let node = as_subject(sparql)?;
            let select = object(graph, node, &sh("select"))
                .ok_or_else(|| shape_error("sh:sparql without sh:select"))?;
            let TermRef::Literal(select) = select else {
                return Err(shape_error("sh:select must be a string"));
            };
            checks.push(Check {
                source: shape_name.clone(),
                component: Some("SPARQLConstraintComponent"),
                shape: Some(shape.clone()),
                path: None,
                message: message(graph, node).unwrap_or_else(|| "SPARQL constraint".to_owned()),
                query: select.value().to_owned(),
            });
        }
    }
    Ok(checks)
}

pub(super) fn message(graph: &Graph, node: NamedOrBlankNodeRef<'_>) -> Option<String> {
    match object(graph, node, &sh("message"))? {
        TermRef::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }
}

pub(super) fn property_checks(
    graph: &Graph,
    property: NamedOrBlankNodeRef<'_>,
    shape: &NamedOrBlankNode,
    targets: &str,
) -> Result<Vec<Check>> {
    let shape_name = &name(shape.clone());
    for triple in graph.triples_for_subject(property) {
        let parameter = triple.predicate.as_str();
        if let Some(local) = parameter.strip_prefix(SH) {
            if !PROPERTY_PARAMETERS.contains(&local) {
                return Err(shape_error(&format!(
                    "sh:{local} in {shape_name} is not supported by ffkg's SHACL subset"
                )));
            }
        }
    }
    let Some(TermRef::NamedNode(path)) = object(graph, property, &sh("path")) else {
        return Err(shape_error(&format!(
            "{shape_name}: ffkg supports only IRI paths in property shapes"
        )));
    };
    let path = path.into_owned();
    let p = format!("<{}>", path.as_str());
    let short = name(path.clone());
    let custom = message(graph, property);
    let mut checks = Vec::new();
    let mut add = |component: &'static str, default: String, query: String| {
        checks.push(Check {
            source: shape_name.to_owned(),
            component: Some(component),
            shape: Some(shape.clone()),
            path: Some(path.clone()),
            message: custom.clone().unwrap_or(default),
            query,
        });
    };
    let values = format!("{targets} ?this {p} ?value .");
    if let Some(min) = object(graph, property, &sh("minCount")) {
        let min = integer(min)?;
        add(
            "MinCountConstraintComponent",
            format!("needs at least {min} value(s) of {short}"),
            format!(
                "SELECT ?this WHERE {{ {targets} OPTIONAL {{ ?this {p} ?v }} }} \
                 GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {min})"
            ),
        );
    }
    if let Some(max) = object(graph, property, &sh("maxCount")) {
        let max = integer(max)?;
        add(
            "MaxCountConstraintComponent",
            format!("allows at most {max} value(s) of {short}"),
            format!(
                "SELECT ?this WHERE {{ {values} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {max})"
            ),
        );
    }
    if let Some(TermRef::NamedNode(datatype)) = object(graph, property, &sh("datatype")) {
        add(
            "DatatypeConstraintComponent",
            format!(
                "values of {short} must have datatype {}",
                name(datatype.into_owned())
            ),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!({})) }}",
                datatype_test(datatype.as_str())
            ),
        );
    }
    if let Some(TermRef::NamedNode(class)) = object(graph, property, &sh("class")) {
        add(
            "ClassConstraintComponent",
            format!(
                "values of {short} must be instances of {}",
                name(class.into_owned())
            ),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!({})) }}",
                class_test(class.as_str())
            ),
        );
    }
    if let Some(kind) = object(graph, property, &sh("nodeKind")) {
        add(
            "NodeKindConstraintComponent",
            format!("values of {short} must be {}", node_kind_words(kind)?),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!({})) }}",
                node_kind_test(kind, "?value")?
            ),
        );
    }
    if let Some(head) = object(graph, property, &sh("in")) {
        let members: Vec<String> = list(graph, head)?.iter().map(|t| t.to_string()).collect();
        add(
            "InConstraintComponent",
            format!("values of {short} must be one of {}", members.join(", ")),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(?value NOT IN ({})) }}",
                members.join(", ")
            ),
        );
    }
    if let Some(TermRef::Literal(pattern)) = object(graph, property, &sh("pattern")) {
        let quoted = oxigraph::model::Literal::new_simple_literal(pattern.value()).to_string();
        add(
            "PatternConstraintComponent",
            format!("values of {short} must match {}", pattern.value()),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!REGEX(STR(?value), {quoted})) }}"
            ),
        );
    }
    if let Some(value) = object(graph, property, &sh("hasValue")) {
        add(
            "HasValueConstraintComponent",
            format!("needs the value {value} for {short}"),
            format!("SELECT ?this WHERE {{ {targets} FILTER NOT EXISTS {{ ?this {p} {value} }} }}"),
        );
    }
    if let Some(head) = object(graph, property, &sh("or")) {
        let mut alternatives = Vec::new();
        for alternative in list(graph, head)? {
            let node = as_subject(alternative)?;
            if let Some(TermRef::NamedNode(d)) = object(graph, node, &sh("datatype")) {
                alternatives.push((datatype_test(d.as_str()), name(d.into_owned())));
            } else if let Some(TermRef::NamedNode(c)) = object(graph, node, &sh("class")) {
                alternatives.push((class_test(c.as_str()), name(c.into_owned())));
            } else {
                return Err(shape_error(&format!(
                    "{shape_name}: sh:or alternatives must each be one sh:datatype or sh:class"
                )));
            }
        }
        let tests: Vec<&str> = alternatives.iter().map(|(t, _)| t.as_str()).collect();
        let words: Vec<&str> = alternatives.iter().map(|(_, w)| w.as_str()).collect();
        add(
            "OrConstraintComponent",
            format!("values of {short} must be one of {}", words.join(", ")),
            format!(
                "SELECT ?this ?value WHERE {{ {values} FILTER(!({})) }}",
                tests.join(" || ")
            ),
        );
    }
    Ok(checks)
}

pub(super) fn datatype_test(datatype: &str) -> String {
    format!("isLiteral(?value) && DATATYPE(?value) = <{datatype}>")
}

pub(super) fn class_test(class: &str) -> String {
    format!("EXISTS {{ ?value rdf:type/rdfs:subClassOf* <{class}> }}")
}

pub(super) fn node_kind_test(kind: TermRef<'_>, variable: &str) -> Result<String> {
    let TermRef::NamedNode(kind) = kind else {
        return Err(shape_error("sh:nodeKind must be an IRI"));
    };
    Ok(match kind.as_str().strip_prefix(SH) {
        Some("IRI") => format!("isIRI({variable})"),
        Some("Literal") => format!("isLiteral({variable})"),
        Some("BlankNode") => format!("isBlank({variable})"),
        Some("BlankNodeOrIRI") => format!("!isLiteral({variable})"),
        Some("IRIOrLiteral") => format!("!isBlank({variable})"),
        Some("BlankNodeOrLiteral") => format!("!isIRI({variable})"),
        _ => return Err(shape_error("unknown sh:nodeKind")),
    })
}

pub(super) fn node_kind_words(kind: TermRef<'_>) -> Result<&'static str> {
    let TermRef::NamedNode(kind) = kind else {
        return Err(shape_error("sh:nodeKind must be an IRI"));
    };
    Ok(match kind.as_str().strip_prefix(SH) {
        Some("IRI") => "an IRI",
        Some("Literal") => "a literal",
        Some("BlankNode") => "a blank node",
        Some("BlankNodeOrIRI") => "an IRI or a blank node",
        Some("IRIOrLiteral") => "an IRI or a literal",
        Some("BlankNodeOrLiteral") => "a blank node or a literal",
        _ => return Err(shape_error("unknown sh:nodeKind")),
    })
}

/// The ontology's rules: values of its properties have the kind and datatype its ranges say,
/// and typed literals are well formed.
pub(super) fn ontology_checks() -> Vec<Check> {
    let mut checks = vec![Check {
        source: "ontology".to_owned(),
        component: None,
        shape: None,
        path: None,
        message: "a value of an ff: datatype property must be a literal of its range \
                  (xsd:decimal accepts integers; xsd:string accepts language-tagged strings)"
            .to_owned(),
        query: "SELECT ?this ?value WHERE {
                  ?property a owl:DatatypeProperty ; rdfs:range ?range .
                  FILTER(STRSTARTS(STR(?property), STR(ff:)) && ?range != rdfs:Literal)
                  ?this ?property ?value .
                  FILTER(!isLiteral(?value) || !(DATATYPE(?value) = ?range
                    || (?range = xsd:decimal && DATATYPE(?value) = xsd:integer)
                    || (?range = xsd:string && DATATYPE(?value) = rdf:langString)))
                }"
        .to_owned(),
    }];
    checks.push(Check {
        source: "ontology".to_owned(),
        component: None,
        shape: None,
        path: None,
        message: "a value of an ff: object property must be an IRI or a blank node".to_owned(),
        query: "SELECT ?this ?value WHERE {
                  ?property a owl:ObjectProperty .
                  FILTER(STRSTARTS(STR(?property), STR(ff:)))
                  ?this ?property ?value .
                  FILTER(isLiteral(?value))
                }"
        .to_owned(),
    });
    // A cast back to the literal's own datatype fails for an ill-formed lexical form.
    for datatype in [
        xsd::INTEGER,
        xsd::DECIMAL,
        xsd::DOUBLE,
        xsd::BOOLEAN,
        xsd::DATE,
        xsd::DATE_TIME,
        xsd::G_YEAR,
        xsd::G_YEAR_MONTH,
    ] {
        let d = datatype.as_str();
        checks.push(Check {
            source: "ontology".to_owned(),
            component: None,
            shape: None,
            path: None,
            message: format!("an ill-formed {} literal", name(datatype.into_owned())),
            query: format!(
                "SELECT ?this ?value WHERE {{ ?this ?p ?value .
                   FILTER(isLiteral(?value) && DATATYPE(?value) = <{d}>)
                   BIND(<{d}>(STR(?value)) AS ?cast)
                   FILTER(!BOUND(?cast) || STR(?cast) = \"\") }}"
            ),
        });
    }
    checks
}
