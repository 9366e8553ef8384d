//! The reasoner's rules, one test each.

use super::*;
use oxigraph::io::{RdfFormat, RdfParser};
use oxrdf::{NamedNode, Triple};

const PREFIXES: &str = "
    @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix owl: <http://www.w3.org/2002/07/owl#> .
    @prefix : <http://example.org/> .
";

fn graph(turtle: &str) -> Graph {
    let text = format!("{PREFIXES}{turtle}");
    RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(text.as_bytes())
        .map(|quad| Triple::from(quad.expect("test Turtle parses")))
        .collect()
}

fn infer(level: Reasoning, turtle: &str) -> (Graph, Graph) {
    let asserted = graph(turtle);
    let inferred = entailments(&asserted, level, &mut |_| {});
    (asserted, inferred)
}

fn iri(local: &str) -> NamedNode {
    let iri = match local.split_once(':') {
        Some(("rdf", name)) => format!("http://www.w3.org/1999/02/22-rdf-syntax-ns#{name}"),
        Some(("rdfs", name)) => format!("http://www.w3.org/2000/01/rdf-schema#{name}"),
        Some(("owl", name)) => format!("http://www.w3.org/2002/07/owl#{name}"),
        _ => format!("http://example.org/{local}"),
    };
    NamedNode::new(iri).expect("test IRI")
}

fn has(graph: &Graph, s: &str, p: &str, o: &str) -> bool {
    graph.contains(&Triple::new(iri(s), iri(p), iri(o)))
}

/// The subjects typed `class`, sorted, by local name.
fn instances(graph: &Graph, class: &str) -> Vec<String> {
    let class = iri(class);
    let mut found: Vec<String> = graph
        .subjects_for_predicate_object(rdf::TYPE, &class)
        .map(|s| s.to_string())
        .collect();
    found.sort();
    found
}

#[test]
fn level_names_round_trip() {
    for level in Reasoning::ALL {
        assert_eq!(level.name().parse::<Reasoning>(), Ok(level));
        assert_eq!(level.to_string(), level.name());
    }
    assert_eq!("OWL".parse::<Reasoning>(), Ok(Reasoning::Owl));
    let error = "full".parse::<Reasoning>().unwrap_err();
    assert!(error.to_string().contains("'full'"), "{error}");
}

#[test]
fn none_returns_nothing() {
    let (_, inferred) = infer(
        Reasoning::None,
        ":x a :A . :A rdfs:subClassOf :B . :p owl:inverseOf :q . :x :p :y .",
    );
    assert!(inferred.is_empty(), "{inferred}");
}

#[test]
fn subclass_instance_found_by_its_superclasses() {
    let (_, inferred) = infer(
        Reasoning::Rdfs,
        ":x a :A . :A rdfs:subClassOf :B . :B rdfs:subClassOf :C .",
    );
    assert!(has(&inferred, "x", "rdf:type", "B"));
    assert!(has(&inferred, "x", "rdf:type", "C"));
    assert!(has(&inferred, "A", "rdfs:subClassOf", "C"), "rdfs11");
    assert!(has(&inferred, "A", "rdfs:subClassOf", "A"), "rdfs10");
    assert!(has(&inferred, "A", "rdf:type", "rdfs:Class"));
    assert!(
        !has(&inferred, "x", "rdf:type", "rdfs:Resource"),
        "rdfs4a is left out"
    );
    assert!(!has(&inferred, "B", "rdf:type", "A"));
}

#[test]
fn subproperty_chain() {
    let (_, inferred) = infer(
        Reasoning::Rdfs,
        ":x :p :y . :p rdfs:subPropertyOf :q . :q rdfs:subPropertyOf :r .",
    );
    assert!(has(&inferred, "x", "q", "y"));
    assert!(has(&inferred, "x", "r", "y"));
    assert!(has(&inferred, "p", "rdfs:subPropertyOf", "r"), "rdfs5");
    assert!(has(&inferred, "p", "rdf:type", "rdf:Property"), "rdf1");
    assert!(has(&inferred, "r", "rdfs:subPropertyOf", "r"), "rdfs6");
    assert!(!has(&inferred, "y", "p", "x"));
}

#[test]
fn domain_and_range_types_also_through_superproperties() {
    let (_, inferred) = infer(
        Reasoning::Rdfs,
        r#":x :p :y . :x :name "X" .
           :p rdfs:subPropertyOf :q . :q rdfs:domain :D ; rdfs:range :R .
           :R rdfs:subClassOf :S .
           :name rdfs:domain :Named ; rdfs:range rdfs:Literal ."#,
    );
    assert_eq!(instances(&inferred, "D"), ["<http://example.org/x>"]);
    assert_eq!(instances(&inferred, "R"), ["<http://example.org/y>"]);
    assert_eq!(instances(&inferred, "S"), ["<http://example.org/y>"]);
    assert_eq!(instances(&inferred, "Named"), ["<http://example.org/x>"]);
    // A literal cannot be typed: no rdfs:Literal instances at all.
    assert!(instances(&inferred, "rdfs:Literal").is_empty());
}

#[test]
fn blank_node_ranges_and_domains_are_skipped() {
    let (_, inferred) = infer(
        Reasoning::Owl,
        ":x :p :y .
         :p rdfs:range [ a owl:Class ; owl:unionOf ( :A :B ) ] ;
            rdfs:domain [ a owl:Class ; owl:unionOf ( :C :D ) ] .",
    );
    for triple in &inferred {
        assert!(
            !(triple.predicate == rdf::TYPE && triple.object.is_blank_node()),
            "blank-node type: {triple}"
        );
        assert!(
            !(triple.subject.is_blank_node() && triple.predicate == rdf::TYPE),
            "blank-node class typed: {triple}"
        );
    }
    assert!(instances(&inferred, "A").is_empty());
    // The rest of the reasoning still happens.
    assert!(has(&inferred, "p", "rdf:type", "rdf:Property"));
}

#[test]
fn inverse_answered_both_ways() {
    let (_, inferred) = infer(
        Reasoning::Owl,
        ":doc :publisher :org . :org2 :published :doc2 .
         :publisher owl:inverseOf :published .
         :published rdfs:subPropertyOf :related .",
    );
    assert!(has(&inferred, "org", "published", "doc"));
    assert!(has(&inferred, "doc2", "publisher", "org2"));
    assert!(has(&inferred, "published", "owl:inverseOf", "publisher"));
    // The inferred triple goes on through the other rules.
    assert!(has(&inferred, "org", "related", "doc"));
    // RDFS alone does not know inverses.
    let (_, rdfs) = infer(Reasoning::Rdfs, ":a :p :b . :p owl:inverseOf :q .");
    assert!(!has(&rdfs, "b", "q", "a"));
}

#[test]
fn transitive_chain_and_its_inverse() {
    let (_, inferred) = infer(
        Reasoning::Owl,
        ":a :partOf :b . :b :partOf :c . :c :partOf :d . :x :subUnitOf :a .
         :partOf a owl:TransitiveProperty ; owl:inverseOf :hasPart .
         :subUnitOf rdfs:subPropertyOf :partOf .",
    );
    for (s, o) in [("a", "c"), ("a", "d"), ("b", "d"), ("x", "a"), ("x", "d")] {
        assert!(has(&inferred, s, "partOf", o), "{s} partOf {o}");
        assert!(has(&inferred, o, "hasPart", s), "{o} hasPart {s}");
    }
    assert!(!has(&inferred, "d", "partOf", "a"));
    assert!(!has(&inferred, "a", "partOf", "a"));
}

#[test]
fn transitive_cycle_closes() {
    let (_, inferred) = infer(
        Reasoning::Owl,
        ":a :near :b . :b :near :a . :near a owl:TransitiveProperty .",
    );
    assert!(has(&inferred, "a", "near", "a"));
    assert!(has(&inferred, "b", "near", "b"));
    assert_eq!(inferred.triples_for_predicate(&iri("near")).count(), 2);
}

#[test]
fn symmetric() {
    let (_, inferred) = infer(
        Reasoning::Owl,
        ":a :knows :b . :knows a owl:SymmetricProperty .",
    );
    assert!(has(&inferred, "b", "knows", "a"));
    assert!(!has(&inferred, "a", "knows", "a"));
}

#[test]
fn equivalent_class_and_property() {
    let (_, inferred) = infer(
        Reasoning::Owl,
        ":x a :A . :y a :B . :A owl:equivalentClass :B . :B owl:equivalentClass :C .
         :x :p :z . :p owl:equivalentProperty :q .",
    );
    assert!(has(&inferred, "x", "rdf:type", "B"));
    assert!(has(&inferred, "x", "rdf:type", "C"));
    assert!(has(&inferred, "y", "rdf:type", "A"));
    assert!(has(&inferred, "A", "rdfs:subClassOf", "B"));
    assert!(has(&inferred, "B", "rdfs:subClassOf", "A"));
    assert!(
        has(&inferred, "C", "owl:equivalentClass", "A"),
        "symmetric and transitive"
    );
    assert!(has(&inferred, "x", "q", "z"));
    assert!(has(&inferred, "q", "owl:equivalentProperty", "p"));
    // RDFS does not read owl:equivalentClass.
    let (_, rdfs) = infer(Reasoning::Rdfs, ":x a :A . :A owl:equivalentClass :B .");
    assert!(!has(&rdfs, "x", "rdf:type", "B"));
}

#[test]
fn same_as_symmetric_transitive_and_substituted() {
    let (_, inferred) = infer(
        Reasoning::Owl,
        ":a owl:sameAs :b . :c owl:sameAs :b . :a :p :x . :y :q :c . :c a :K .
         :K rdfs:subClassOf :L .",
    );
    assert!(has(&inferred, "b", "owl:sameAs", "a"));
    assert!(has(&inferred, "a", "owl:sameAs", "c"));
    assert!(
        has(&inferred, "a", "owl:sameAs", "a"),
        "eq-ref for sameAs members"
    );
    assert!(
        !has(&inferred, "x", "owl:sameAs", "x"),
        "not for every term"
    );
    for member in ["b", "c"] {
        assert!(has(&inferred, member, "p", "x"), "{member} p x");
    }
    for member in ["a", "b"] {
        assert!(has(&inferred, "y", "q", member), "y q {member}");
        assert!(has(&inferred, member, "rdf:type", "L"), "{member} a L");
    }
}

#[test]
fn same_as_between_properties_is_a_schema_change() {
    // Inference makes a new schema triple; the fixpoint applies it.
    let (_, inferred) = infer(
        Reasoning::Owl,
        ":x :p :y . :p owl:sameAs :p2 . :p2 rdfs:subPropertyOf :q .",
    );
    assert!(has(&inferred, "x", "p2", "y"));
    assert!(has(&inferred, "p", "rdfs:subPropertyOf", "q"));
    assert!(has(&inferred, "x", "q", "y"));
}

#[test]
fn subproperty_of_subclass_of_is_a_schema_change() {
    let (_, inferred) = infer(
        Reasoning::Rdfs,
        ":x a :A . :A :isA :B . :isA rdfs:subPropertyOf rdfs:subClassOf .",
    );
    assert!(has(&inferred, "A", "rdfs:subClassOf", "B"));
    assert!(has(&inferred, "x", "rdf:type", "B"));
}

#[test]
fn containers() {
    let (_, inferred) = infer(Reasoning::Rdfs, ":list rdf:_1 :a ; rdf:_2 :b .");
    assert!(has(&inferred, "list", "rdfs:member", "a"));
    assert!(has(&inferred, "list", "rdfs:member", "b"));
    assert!(has(
        &inferred,
        "rdf:_1",
        "rdfs:subPropertyOf",
        "rdfs:member"
    ));
}

#[test]
fn nothing_already_asserted_is_returned() {
    let (asserted, inferred) = infer(
        Reasoning::Owl,
        ":x a :A , :B . :A rdfs:subClassOf :B . :B rdfs:subClassOf :C . :x a :C .
         :p owl:inverseOf :q . :a :p :b . :b :q :a . :p a rdf:Property .
         :t a owl:TransitiveProperty . :a :t :b . :b :t :c . :a :t :c .",
    );
    assert!(!inferred.is_empty());
    for triple in &inferred {
        assert!(
            !asserted.contains(triple),
            "asserted triple returned: {triple}"
        );
    }
    assert!(has(&inferred, "q", "owl:inverseOf", "p"));
}

#[test]
fn streaming_form_gives_the_same_triples_once() {
    let asserted = graph(
        ":x a :A . :A rdfs:subClassOf :B . :p owl:inverseOf :q . :x :p :y .
         :t a owl:TransitiveProperty . :a :t :b . :b :t :c .",
    );
    let expected = entailments(&asserted, Reasoning::Owl, &mut |_| {});
    // The same triples twice over, as a slice rather than a Graph.
    let triples: Vec<Triple> = asserted
        .iter()
        .chain(&asserted)
        .map(|t| t.into_owned())
        .collect();
    let mut emitted = Vec::new();
    let mut last = 0;
    for_each_entailment(
        triples.iter().map(Triple::as_ref),
        Reasoning::Owl,
        &mut |n| last = n,
        &mut |t| emitted.push(t.into_owned()),
    );
    assert_eq!(last, triples.len() as u64);
    assert_eq!(emitted.len(), expected.len(), "each inferred triple once");
    assert!(emitted.iter().all(|t| expected.contains(t)));
}

#[test]
fn progress_reaches_the_asserted_count() {
    let asserted = graph(":x a :A . :A rdfs:subClassOf :B . :y :p :z .");
    let mut last = None;
    let mut calls = 0;
    let _ = entailments(&asserted, Reasoning::Owl, &mut |n| {
        calls += 1;
        last = Some(n);
    });
    assert!(calls >= 1);
    assert_eq!(last, Some(asserted.len() as u64));
}

#[test]
fn entailments_are_closed() {
    // Reasoning again over asserted + inferred adds nothing: the result is a fixpoint.
    let (asserted, inferred) = infer(
        Reasoning::Owl,
        ":a :partOf :b . :b :partOf :c . :partOf a owl:TransitiveProperty ;
             owl:inverseOf :hasPart ; rdfs:domain :Part ; rdfs:range :Whole .
         :Whole rdfs:subClassOf :Thing . :a owl:sameAs :a2 . :k :knows :a .
         :knows a owl:SymmetricProperty ; rdfs:subPropertyOf :related .",
    );
    let mut all = asserted.clone();
    for triple in &inferred {
        all.insert(triple);
    }
    let again = entailments(&all, Reasoning::Owl, &mut |_| {});
    assert!(again.is_empty(), "not a fixpoint, still adds: {again}");
}
