//! Whole-process and in-process timings behind the README's performance figures: a one-shot
//! query on the embedded graph, the same on a 10,000-triple Turtle file given with --data
//! (against oxigraph's own Python binding doing the same job in memory), the time to build
//! the store, and, with the `rocksdb` feature, the bulk-load rate against oxigraph's own loader.
//!
//! Run with `cargo bench --bench startup` (add `--features rocksdb` for the load rate). Targets
//! on a 2-core machine: embedded one-shot under 15 ms median; the 10,000-triple file faster than
//! pyoxigraph; the load within 10% of oxigraph's bulk loader.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 40;
const QUERY: &str =
    "SELECT ?c ?label WHERE { ?c a ff:Country ; rdfs:label ?label } ORDER BY ?label";
const DATA_QUERY: &str = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <http://example.org/Person> ; <http://example.org/knows> ?q }";

fn ffkg() -> &'static str {
    env!("CARGO_BIN_EXE_ffkg")
}

/// Median, min and max of `runs` whole-process runs, after two warm-up runs.
fn time_process(runs: usize, mut make: impl FnMut() -> Command) -> Option<Stats> {
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs + 2 {
        let mut cmd = make();
        cmd.stdout(Stdio::null()).stderr(Stdio::null());
        let start = Instant::now();
        let status = cmd.status().ok()?;
        let elapsed = start.elapsed();
        if !status.success() {
            return None;
        }
        if i >= 2 {
            times.push(elapsed);
        }
    }
    Some(Stats::of(times))
}

#[derive(Debug, Clone, Copy)]
struct Stats {
    median: Duration,
    min: Duration,
    max: Duration,
}

impl Stats {
    fn of(mut times: Vec<Duration>) -> Self {
        times.sort();
        Self {
            median: times[times.len() / 2],
            min: times[0],
            max: times[times.len() - 1],
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A deterministic 10,000-triple Turtle file: 2,000 people with a type, a name, an age and two
/// acquaintances.
fn write_people(path: &Path, people: usize) {
    let mut text = String::from("@prefix ex: <http://example.org/> .\n");
    for i in 0..people {
        let _ = writeln!(
            text,
            "ex:p{i} a ex:Person ; ex:name \"Person {i}\" ; ex:age {} ; ex:knows ex:p{} , ex:p{} .",
            20 + i % 50,
            (i * 7 + 1) % people,
            (i * 13 + 5) % people
        );
    }
    std::fs::write(path, text).expect("writable temp dir");
}

fn python_has_pyoxigraph() -> bool {
    Command::new("python3")
        .args(["-c", "import pyoxigraph"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let people = dir.path().join("people.ttl");
    write_people(&people, 2000);
    let mut report = String::new();
    let mut row = |name: &str, stats: Option<Stats>| {
        let line = match stats {
            Some(s) => format!(
                "| {name} | {} | {} | {} |",
                ms(s.median),
                ms(s.min),
                ms(s.max)
            ),
            None => format!("| {name} | skipped | | |"),
        };
        println!("{line}");
        report.push_str(&line);
        report.push('\n');
    };
    println!("| whole process, {RUNS} runs | median | min | max |\n|---|---|---|---|");

    row(
        "ffkg query, embedded graph",
        time_process(RUNS, || {
            let mut c = Command::new(ffkg());
            c.args(["query", "-e", QUERY]);
            c
        }),
    );
    row(
        "ffkg query --no-embedded --data people.ttl (10,000 triples)",
        time_process(RUNS, || {
            let mut c = Command::new(ffkg());
            c.args(["query", "--no-embedded", "--data"])
                .arg(&people)
                .args(["-e", DATA_QUERY]);
            c
        }),
    );
    row(
        "ffkg query --reasoning none, embedded graph",
        time_process(RUNS, || {
            let mut c = Command::new(ffkg());
            c.args(["query", "--reasoning", "none", "-e", QUERY]);
            c
        }),
    );
    row(
        "ffkg query --data people.ttl (embedded graph + 10,000 triples, owl reasoning)",
        time_process(RUNS, || {
            let mut c = Command::new(ffkg());
            c.args(["query", "--data"])
                .arg(&people)
                .args(["-e", DATA_QUERY]);
            c
        }),
    );
    row(
        "ffkg query --reasoning none --data people.ttl (embedded graph + 10,000 triples)",
        time_process(RUNS, || {
            let mut c = Command::new(ffkg());
            c.args(["query", "--reasoning", "none", "--data"])
                .arg(&people)
                .args(["-e", DATA_QUERY]);
            c
        }),
    );
    let python = python_has_pyoxigraph();
    let script = format!(
        "import pyoxigraph as o\ns = o.Store()\ns.load(path={:?}, format=o.RdfFormat.TURTLE)\nprint(list(s.query({:?})))",
        people.display().to_string(),
        DATA_QUERY
    );
    row(
        "pyoxigraph in memory: load people.ttl, same query",
        python
            .then(|| {
                time_process(RUNS, || {
                    let mut c = Command::new("python3");
                    c.args(["-c", &script]);
                    c
                })
            })
            .flatten(),
    );
    row(
        "python3 -c 'import pyoxigraph' (interpreter start alone)",
        python
            .then(|| {
                time_process(RUNS, || {
                    let mut c = Command::new("python3");
                    c.args(["-c", "import pyoxigraph"]);
                    c
                })
            })
            .flatten(),
    );

    in_process(&people);
    #[cfg(feature = "rocksdb")]
    bulk_load(dir.path());
    #[cfg(not(feature = "rocksdb"))]
    println!("\nbulk load: skipped (run with --features rocksdb)");
}

/// In-process: what building each kind of dataset costs, without the process around it.
fn in_process(people: &Path) {
    use ffkg::data::dataset::Dataset;
    use ffkg::data::graph::DatasetSpec;
    let time = |f: &dyn Fn()| {
        let mut times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect();
        times.sort();
        times[times.len() / 2]
    };
    println!("\n| in process, median of {RUNS} | time |\n|---|---|");
    let prebuilt = time(&|| {
        Dataset::build(&DatasetSpec::embedded()).expect("builds");
    });
    println!("| open the prebuilt embedded graph | {} |", ms(prebuilt));
    let store = time(&|| {
        let store = oxigraph::store::Store::new().expect("store");
        ffkg::data::graph::load_embedded(&store, ffkg::infer::Reasoning::Owl).expect("loads");
    });
    println!(
        "| copy the embedded graph into an oxigraph store (updates, .load) | {} |",
        ms(store)
    );
    let data = PathBuf::from(people);
    let user = time(&|| {
        Dataset::build(&DatasetSpec {
            embedded: false,
            data: vec![data.clone()],
            ..DatasetSpec::default()
        })
        .expect("builds");
    });
    println!(
        "| parse and load people.ttl (10,000 triples) | {} |",
        ms(user)
    );
}

#[cfg(feature = "rocksdb")]
fn bulk_load(dir: &Path) {
    let file = dir.join("load.nt");
    let mut text = String::new();
    for i in 0..400_000 {
        let _ = writeln!(
            text,
            "<http://example.org/s{}> <http://example.org/p{}> \"value {i}\" .",
            i / 4,
            i % 4
        );
    }
    std::fs::write(&file, text).expect("writable");
    let runs = 5;
    let ffkg_load = time_process(runs, || {
        let store = dir.join(format!(
            "ffkg-store-{}",
            Instant::now().elapsed().as_nanos()
        ));
        let _ = std::fs::remove_dir_all(&store);
        let mut c = Command::new(ffkg());
        c.args(["load", "--store"]).arg(&store).arg(&file);
        c
    });
    let script = format!(
        "import pyoxigraph as o, tempfile\nwith tempfile.TemporaryDirectory() as d:\n    o.Store(d).bulk_load(path={:?}, format=o.RdfFormat.N_TRIPLES)",
        file.display().to_string()
    );
    let python = python_has_pyoxigraph()
        .then(|| {
            time_process(runs, || {
                let mut c = Command::new("python3");
                c.args(["-c", &script]);
                c
            })
        })
        .flatten();
    println!(
        "\n| bulk load of 400,000 N-Triples, {runs} runs | median | triples/s |\n|---|---|---|"
    );
    for (name, stats) in [
        ("ffkg load --store", ffkg_load),
        ("pyoxigraph Store.bulk_load", python),
    ] {
        match stats {
            Some(s) => println!(
                "| {name} | {} | {:.0} |",
                ms(s.median),
                400_000.0 / s.median.as_secs_f64()
            ),
            None => println!("| {name} | skipped | |"),
        }
    }
}
