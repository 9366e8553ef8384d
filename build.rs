//! Build script: prebuilds the embedded graph. It parses the ontology and data files, checks
//! that no triple is stated in two files, and writes a sorted, indexed binary form the binary
//! embeds, so a query on the embedded graph starts without parsing or building a store.

#[path = "src/data/blob.rs"]
#[allow(dead_code)]
mod blob;

// The reasoner materialises the entailments at compile time, so they cost nothing at start-up.
#[path = "src/infer/mod.rs"]
#[allow(dead_code)]
mod infer;

// The full-text index of the embedded graph's texts is built here too, so a search starts
// without reading them.
#[path = "src/search/index.rs"]
#[allow(dead_code)]
mod index;
#[path = "src/search/tokens.rs"]
#[allow(dead_code)]
mod tokens;

use blob::{Kind, OWL_ONLY, TermKey};
use infer::Reasoning;
use oxrdf::{Term, Triple, TripleRef};
use oxttl::TurtleParser;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const GRAPH: &str = "https://w3id.org/ffkg/graph/";

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=ontology");
    println!("cargo:rerun-if-changed=data");
    println!("cargo:rerun-if-changed=src/data/blob.rs");
    println!("cargo:rerun-if-changed=src/infer");
    println!("cargo:rerun-if-changed=queries");
    println!("cargo:rerun-if-changed=src/search");
    write_library(&root, &out);

    let files = embedded_files(&root);
    let mut stated_in: HashMap<Triple, String> = HashMap::new();
    let mut per_file: Vec<(String, String, Vec<Triple>)> = Vec::new();
    let mut duplicates = Vec::new();
    for path in &files {
        let relative = path
            .strip_prefix(&root)
            .expect("under the manifest dir")
            .to_string_lossy()
            .replace('\\', "/");
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{relative}: {e}"));
        let mut triples = Vec::new();
        for triple in TurtleParser::new().for_slice(&text) {
            match triple {
                Ok(triple) => triples.push(triple),
                // Cargo shows this message; it names the file, line and column.
                Err(e) => panic!("{relative}: {e}"),
            }
        }
        for triple in &triples {
            if let Some(first) = stated_in.insert(triple.clone(), relative.clone()) {
                if first != relative {
                    duplicates.push(format!("{triple} is stated in {first} and {relative}"));
                }
            }
        }
        per_file.push((relative.clone(), graph_name(&relative), triples));
    }
    // The default graph is the union of the files' graphs: a triple in two files would count
    // twice, so the build refuses it.
    assert!(
        duplicates.is_empty(),
        "triples stated in two files:\n{}",
        duplicates.join("\n")
    );

    // Entailments, in a graph of their own: the RDFS ones, and those only OWL adds, flagged so
    // the query layer can leave them out at the `rdfs` level.
    let asserted: Vec<&Triple> = per_file.iter().flat_map(|(_, _, t)| t).collect();
    let entailed = |level| {
        let mut out = HashSet::new();
        infer::for_each_entailment(
            asserted.iter().map(|t| TripleRef::from(*t)),
            level,
            &mut |_| {},
            &mut |t| {
                out.insert(t.into_owned());
            },
        );
        out
    };
    let rdfs = entailed(Reasoning::Rdfs);
    let owl_only: Vec<Triple> = entailed(Reasoning::Owl)
        .into_iter()
        .filter(|t| !rdfs.contains(t))
        .collect();
    let inferred = [
        (rdfs.into_iter().collect::<Vec<_>>(), 0),
        (owl_only, OWL_ONLY),
    ];

    let mut keys: BTreeSet<TermKey> = BTreeSet::new();
    keys.insert(iri_key(&format!("{GRAPH}inferred")));
    for (triples, _) in &inferred {
        for triple in triples {
            keys.insert(term_key(&triple.subject.clone().into()));
            keys.insert(term_key(&triple.predicate.clone().into()));
            keys.insert(term_key(&triple.object));
        }
    }
    for (_, graph, triples) in &per_file {
        keys.insert(iri_key(&format!("{GRAPH}{graph}")));
        for triple in triples {
            keys.insert(term_key(&triple.subject.clone().into()));
            keys.insert(term_key(&triple.predicate.clone().into()));
            keys.insert(term_key(&triple.object));
        }
    }
    let terms: Vec<TermKey> = keys.into_iter().collect();
    let ids: HashMap<&TermKey, u32> = terms
        .iter()
        .enumerate()
        .map(|(i, k)| (k, u32::try_from(i).expect("fits")))
        .collect();
    let mut quads = Vec::new();
    let mut graphs = Vec::new();
    for (_, graph, triples) in &per_file {
        let g = ids[&iri_key(&format!("{GRAPH}{graph}"))];
        graphs.push(g);
        for triple in triples {
            quads.push([
                ids[&term_key(&triple.subject.clone().into())],
                ids[&term_key(&triple.predicate.clone().into())],
                ids[&term_key(&triple.object)],
                g,
            ]);
        }
    }
    let inferred_graph = ids[&iri_key(&format!("{GRAPH}inferred"))];
    graphs.push(inferred_graph);
    for (triples, flag) in &inferred {
        for triple in triples {
            quads.push([
                ids[&term_key(&triple.subject.clone().into())],
                ids[&term_key(&triple.predicate.clone().into())],
                ids[&term_key(&triple.object)],
                inferred_graph | flag,
            ]);
        }
    }
    graphs.sort_unstable();
    // The texts of the searched properties, stated or entailed (at the default level, `owl`,
    // which entails most).
    let searched: HashSet<String> = index::FIELDS
        .iter()
        .map(|(namespace, name, _)| format!("{namespace}{name}"))
        .collect();
    let texts = asserted
        .iter()
        .copied()
        .chain(inferred.iter().flat_map(|(triples, _)| triples))
        .filter(|t| searched.contains(t.predicate.as_str()))
        .filter_map(|t| match &t.object {
            Term::Literal(literal) => Some(literal.value().to_owned()),
            _ => None,
        });
    fs::write(
        out.join("search.bin"),
        index::TextIndex::build(texts).to_bytes(),
    )
    .expect("OUT_DIR is writable");
    fs::write(
        out.join("embedded.bin"),
        blob::encode(&terms, &quads, &graphs),
    )
    .expect("OUT_DIR is writable");

    let mut code = String::new();
    writeln!(
        code,
        "/// Every embedded file, ontology first, with its named graph."
    )
    .unwrap();
    writeln!(code, "pub static EMBEDDED: &[EmbeddedFile] = &[").unwrap();
    for (path, graph, triples) in &per_file {
        writeln!(
            code,
            "    EmbeddedFile {{ path: {path:?}, graph: {graph:?}, triples: {} }},",
            triples.len()
        )
        .unwrap();
    }
    writeln!(code, "];").unwrap();
    writeln!(
        code,
        "/// Triples the embedded graph entails at the `rdfs` level, and those only `owl` adds."
    )
    .unwrap();
    writeln!(
        code,
        "pub const INFERRED: (usize, usize) = ({}, {});",
        inferred[0].0.len(),
        inferred[1].0.len()
    )
    .unwrap();
    fs::write(out.join("embedded.rs"), code).expect("OUT_DIR is writable");
}

/// Lists the query library (queries/*.rq) for `crate::library`, texts compiled in.
fn write_library(root: &Path, out: &Path) {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("queries"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "rq"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from(
        "/// The library's queries, by name.\npub static LIBRARY: &[LibraryQuery] = &[\n",
    );
    for path in files {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("UTF-8 query file names");
        writeln!(
            code,
            "    LibraryQuery {{ name: {name:?}, text: include_str!({:?}) }},",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    fs::write(out.join("library.rs"), code).expect("OUT_DIR is writable");
}

/// The ontology first, then the data files in path order; shapes are for `check`, not data.
fn embedded_files(root: &Path) -> Vec<PathBuf> {
    let mut ontology = Vec::new();
    collect(&root.join("ontology"), &mut ontology);
    ontology.retain(|p| !p.ends_with("ontology/shapes.ttl"));
    ontology.sort_by_key(|p| (!p.ends_with("ontology/ffkg.ttl"), p.clone()));
    let mut data = Vec::new();
    collect(&root.join("data"), &mut data);
    data.sort();
    ontology.extend(data);
    ontology
}

/// `ontology/ffkg.ttl` → `ontology`, `ontology/measures.ttl` → `measures`,
/// `data/figures/soufan-2017.ttl` → `figures-soufan-2017`.
fn graph_name(relative: &str) -> String {
    if relative == "ontology/ffkg.ttl" {
        return "ontology".to_owned();
    }
    let stem = relative
        .strip_prefix("data/")
        .or_else(|| relative.strip_prefix("ontology/"))
        .unwrap_or(relative);
    stem.trim_end_matches(".ttl").replace('/', "-")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "ttl") {
            out.push(path);
        }
    }
}

fn iri_key(iri: &str) -> TermKey {
    TermKey {
        kind: Kind::Iri,
        value: iri.to_owned(),
        extra: String::new(),
    }
}

fn term_key(term: &Term) -> TermKey {
    match term {
        Term::NamedNode(n) => iri_key(n.as_str()),
        Term::BlankNode(b) => TermKey {
            kind: Kind::Blank,
            value: b.as_str().to_owned(),
            extra: String::new(),
        },
        Term::Literal(l) => match l.language() {
            Some(language) => TermKey {
                kind: Kind::Lang,
                value: l.value().to_owned(),
                extra: language.to_owned(),
            },
            None if l.datatype() == oxrdf::vocab::xsd::STRING => TermKey {
                kind: Kind::Simple,
                value: l.value().to_owned(),
                extra: String::new(),
            },
            None => TermKey {
                kind: Kind::Typed,
                value: l.value().to_owned(),
                extra: l.datatype().as_str().to_owned(),
            },
        },
        #[allow(unreachable_patterns)]
        other => panic!("unsupported term in the embedded graph: {other}"),
    }
}
