//! Build script: lists the ontology and data files so the binary embeds every one of them.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=ontology");
    println!("cargo:rerun-if-changed=data");

    let mut files = Vec::new();
    // The ontology first, then the data; shapes are for `check`, not part of the dataset.
    collect(&root.join("ontology"), &mut files);
    files.retain(|p| !p.ends_with("ontology/shapes.ttl"));
    let mut data = Vec::new();
    collect(&root.join("data"), &mut data);
    data.sort();
    files.sort_by_key(|p| {
        if p.ends_with("ontology/ffkg.ttl") {
            0
        } else {
            1
        }
    });
    files.extend(data);

    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("embedded.rs");
    let mut code = Vec::new();
    writeln!(code, "/// Every embedded file, ontology first.").unwrap();
    writeln!(code, "pub static EMBEDDED: &[EmbeddedFile] = &[").unwrap();
    for path in &files {
        let relative = path.strip_prefix(&root).expect("under the manifest dir");
        let relative = relative.to_string_lossy().replace('\\', "/");
        writeln!(
            code,
            "    EmbeddedFile {{ path: {relative:?}, graph: {:?}, text: include_str!({:?}) }},",
            graph_name(&relative),
            path.display().to_string()
        )
        .unwrap();
    }
    writeln!(code, "];").unwrap();
    fs::write(out, code).expect("OUT_DIR is writable");
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
