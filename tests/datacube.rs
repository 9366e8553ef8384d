//! The figures as a W3C Data Cube (#13): the graph, normalized as the Recommendation says,
//! passes every integrity constraint of its section 11.1 (tests/datacube/ic-*.rq, which a
//! user can run with `ffkg query`), and breaking the cube makes the constraints say so.

use ffkg::data::dataset::Dataset;
use ffkg::data::prebuilt::Prebuilt;
use ffkg::infer::Reasoning;
use ffkg::sparql::{Settings, Source};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/datacube")
}

fn source(origin: &str, text: &str) -> Source {
    Source {
        origin: origin.into(),
        text: text.into(),
    }
}

fn update(dataset: &mut Dataset, origin: &str, text: &str) {
    let prepared = Settings::default()
        .prepare_update(&source(origin, text), None)
        .expect("the update parses");
    dataset.update(prepared, origin).expect("the update runs");
}

fn ask(dataset: &Dataset, origin: &str, text: &str) -> bool {
    let prepared = Settings::default()
        .prepare_query(&source(origin, text), None)
        .expect("the query parses");
    match dataset.query(prepared, origin).expect("runs") {
        QueryResults::Boolean(b) => b,
        _ => panic!("{origin}: not an ASK"),
    }
}

fn select(dataset: &Dataset, text: &str) -> Vec<Term> {
    let prepared = Settings::default()
        .prepare_query(&source("test", text), None)
        .expect("the query parses");
    let QueryResults::Solutions(solutions) = dataset.query(prepared, "test").expect("runs") else {
        panic!("not a SELECT");
    };
    solutions
        .filter_map(|s| s.expect("evaluates").values()[0].clone())
        .collect()
}

/// The embedded graph as an RDFS reader sees it (figures are qb:Observations, measures
/// skos:Concepts), normalized.
fn normalized() -> Dataset {
    let mut dataset = Dataset::from_prebuilt(Prebuilt::with_reasoning(Reasoning::Rdfs));
    let normalize = std::fs::read_to_string(dir().join("normalize.ru")).expect("normalize.ru");
    update(&mut dataset, "normalize.ru", &normalize);
    dataset
}

/// Each constraint that is broken, by file name. A template (IC-20, IC-21) runs once for each
/// property its `each:` query finds.
fn broken(dataset: &Dataset) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("tests/datacube")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 22, "IC-1 … IC-21, IC-19 twice");
    let mut broken = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&file).expect("readable");
        let each = text
            .lines()
            .find_map(|l| l.trim_start_matches('#').trim().strip_prefix("each:"));
        let queries = match each {
            None => vec![text.clone()],
            Some(each) => {
                let prefixed = format!(
                    "PREFIX qb: <http://purl.org/linked-data/cube#>\n\
                     PREFIX owl: <http://www.w3.org/2002/07/owl#>\n{each}"
                );
                select(dataset, &prefixed)
                    .into_iter()
                    .map(|p| match p {
                        Term::NamedNode(p) => text.replace("$p", p.as_str()),
                        other => panic!("{name}: not an IRI: {other}"),
                    })
                    .collect()
            }
        };
        if queries.iter().any(|q| ask(dataset, &name, q)) {
            broken.push(name);
        }
    }
    broken
}

#[test]
fn the_normalized_graph_passes_every_integrity_constraint() {
    let dataset = normalized();
    // The cube is not empty: every figure is an observation of one of seven datasets.
    let observations = select(
        &dataset,
        "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a qb:Observation ; qb:dataSet ?d }",
    );
    let figures = select(
        &dataset,
        "SELECT (COUNT(?f) AS ?n) WHERE { ?f a ff:Figure }",
    );
    assert_eq!(observations, figures);
    let datasets = select(&dataset, "SELECT ?d WHERE { ?d a qb:DataSet }");
    assert_eq!(datasets.len(), 7);
    assert_eq!(broken(&dataset), Vec::<String>::new());
}

#[test]
fn a_broken_cube_breaks_the_constraints_it_should() {
    let mut dataset = normalized();
    // A figure with no dataset, a copy of a prose figure at the same point of the cube, a table
    // cell without its printed value, a dataset with two structures, a figure without its
    // qualifier, and a measure dimension value out of its code list.
    update(
        &mut dataset,
        "break",
        "DELETE DATA { figure:why-2015-world-foreign-fighters qb:dataSet \
           dataset:why-foreigners-join-isis-2015 } ;
         INSERT { figure:twin ?p ?o } WHERE { figure:why-2015-fra-age ?p ?o } ;
         DELETE WHERE { ?cell ff:inTable ?t ; ff:tableRow \"Belgium\" ; ff:tableColumn \"FFs\" ; \
           ff:printedValue ?v } ;
         INSERT DATA { dataset:why-foreigners-join-isis-2015 qb:structure ff:TableFigureStructure } ;
         DELETE WHERE { figure:aljazeera-2015-world-foreign-fighters-1 ff:qualifier ?q } ;
         INSERT DATA { figure:unipath-2016-islamic-state-age-1 ff:measure ff:Exact }",
    );
    let broken = broken(&dataset);
    for expected in [
        "ic-01.rq", "ic-02.rq", "ic-11.rq", "ic-12.rq", "ic-13.rq", "ic-14.rq", "ic-19.rq",
    ] {
        assert!(
            broken.iter().any(|b| b == expected),
            "{expected}: {broken:?}"
        );
    }
}

#[test]
fn a_hierarchical_code_list_is_checked_along_its_own_property() {
    // The measures as a hierarchy under one root that has no narrower measures: every other
    // measure a figure has is then out of the hierarchy, along skos:narrower (IC-20) or along
    // the inverse of skos:broader (IC-21), and only the template of that kind trips.
    for (link, trips, keeps) in [
        ("skos:narrower", "ic-20.rq", "ic-21.rq"),
        ("[ owl:inverseOf skos:broader ]", "ic-21.rq", "ic-20.rq"),
    ] {
        let mut dataset = normalized();
        update(
            &mut dataset,
            "hierarchy",
            &format!(
                "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n\
                 INSERT {{ ?list a qb:HierarchicalCodeList ; \
                   qb:hierarchyRoot measure:foreign-fighters ; qb:parentChildProperty {link} }} \
                 WHERE {{ ff:measure qb:codeList ?list }}"
            ),
        );
        let broken = broken(&dataset);
        assert!(broken.iter().any(|b| b == trips), "{link}: {broken:?}");
        assert!(!broken.iter().any(|b| b == keeps), "{link}: {broken:?}");
    }
}

#[test]
fn each_prose_figure_is_placed_at_its_printed_value_in_its_quote() {
    let dataset = Dataset::from_prebuilt(Prebuilt::with_reasoning(Reasoning::None));
    // The offset is in characters (SPARQL counts code points, as does the curation).
    let misplaced = select(
        &dataset,
        "SELECT ?f WHERE { ?f ff:quoteOffset ?at ; ff:quote ?q ; ff:printedValue ?v \
         FILTER(SUBSTR(?q, ?at + 1, STRLEN(?v)) != ?v) }",
    );
    assert_eq!(misplaced, Vec::<Term>::new());
    // Every prose figure has one, no table cell has one, and each figure's dataset is that of
    // its table or, in prose, of its document.
    let wrong = select(
        &dataset,
        "SELECT ?f WHERE { ?f a ff:Figure ; ff:statedIn ?doc ; qb:dataSet ?d \
           OPTIONAL { ?f ff:inTable ?t } \
           BIND(IRI(REPLACE(STR(COALESCE(?t, ?doc)), \"/id/document/\", \"/id/dataset/\")) AS ?own) \
           FILTER(?d != ?own || (BOUND(?t) = EXISTS { ?f ff:quoteOffset ?o })) }",
    );
    assert_eq!(wrong, Vec::<Term>::new());
    // Each dataset states its source document and the data's licence.
    let bare = select(
        &dataset,
        "SELECT ?d WHERE { ?d a qb:DataSet FILTER NOT EXISTS { ?d dcterms:source ?s ; \
           dcterms:license ?l ; qb:structure ?st } }",
    );
    assert_eq!(bare, Vec::<Term>::new());
}
