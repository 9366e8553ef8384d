//! The query library run through `ffkg query --all` into a directory, and its answers put in a
//! form two engines can be compared in.

use super::ffkg;
use std::collections::BTreeMap;
use std::path::Path;

/// Every library query's answer, by file name (`NAME.tsv`, or `NAME.nt` for graphs), from
/// `ffkg query --all ARGS…`.
pub fn answers(args: &[&str], dir: &Path) -> BTreeMap<String, String> {
    let output = ffkg()
        .args(["query", "--all", "--format", "ntriples", "--out-dir"])
        .arg(dir)
        .args(args)
        .output()
        .expect("ffkg runs");
    assert!(
        output.status.success(),
        "ffkg query --all {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut answers = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("the results directory") {
        let path = entry.expect("an entry").path();
        let name = path
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        answers.insert(name, std::fs::read_to_string(&path).expect("UTF-8 results"));
    }
    assert_eq!(
        answers.len(),
        ffkg_library_size(),
        "one answer per library query"
    );
    answers
}

fn ffkg_library_size() -> usize {
    std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("queries"))
        .expect("queries/")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "rq"))
        })
        .count()
}

/// An answer with what SPARQL leaves open taken out: the order of rows that ORDER BY leaves
/// tied (and of a graph's triples), and the order of a `GROUP_CONCAT` (SPARQL 1.1 §18.5.1.7
/// fixes none), whose `; `-separated lists are compared as sorted lists. The header stays first.
pub fn unordered(answer: &str) -> String {
    let mut lines = answer.lines();
    let header = if answer.starts_with('?') {
        lines.next().unwrap_or("").to_owned()
    } else {
        String::new()
    };
    let mut rows: Vec<String> = lines
        .map(|line| {
            line.split('\t')
                .map(sorted_list)
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect();
    rows.sort();
    std::iter::once(header)
        .chain(rows)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `"b; a"@en` → `"a; b"@en`; anything else as it is.
fn sorted_list(cell: &str) -> String {
    let Some(rest) = cell.strip_prefix('"') else {
        return cell.to_owned();
    };
    let Some(end) = rest.rfind('"') else {
        return cell.to_owned();
    };
    let (value, suffix) = rest.split_at(end);
    if !value.contains("; ") {
        return cell.to_owned();
    }
    let mut items: Vec<&str> = value.split("; ").collect();
    items.sort_unstable();
    format!("\"{}{suffix}", items.join("; "))
}
