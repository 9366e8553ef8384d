//! The REPL as people use it: typed in a pseudo-terminal (multi-line statements, TAB completion,
//! `.describe`, errors, Ctrl-C, history across sessions), and the same statements read as a
//! script from stdin (`ffkg < session.sparql`) with its exit codes.

mod common;

use common::pty::{ctrl_c, expect, quit, repl, repl_at, screen, typing};
use common::{arg, ffkg};
use std::time::Duration;

#[test]
fn a_multi_line_query_shows_a_table() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut p = repl(home.path(), &[]);
    typing(&mut p, "SELECT ?country ?name WHERE {\r");
    // Enter on an unfinished statement starts a continuation line.
    expect(&mut p, " ...> ");
    typing(&mut p, "  ?country a ff:Country ;\r");
    typing(&mut p, "\r");
    typing(&mut p, "     rdfs:label ?name .\r");
    typing(&mut p, "  FILTER(?country = country:TUN)\r");
    typing(&mut p, "}\r");
    typing(&mut p, ";\r");
    let table = expect(&mut p, "1 row");
    assert!(table.contains("country:TUN"), "{table}");
    assert!(table.contains("Tunisia"), "{table}");
    assert!(table.contains('│'), "an aligned table: {table}");
    expect(&mut p, "ffkg> ");
    quit(p);
}

#[test]
fn tab_completes_keywords_prefixed_names_and_labels() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut p = repl(home.path(), &[]);
    // A keyword and a class of the ontology, then run what was completed.
    typing(&mut p, "SEL\t");
    expect(&mut p, "SELECT");
    typing(&mut p, " ?c WHERE { ?c a ff:Countr\t");
    expect(&mut p, "ff:Country");
    typing(&mut p, " . ?c rdfs:label \"Tunisia\"@en };\r");
    let table = expect(&mut p, "1 row");
    assert!(table.contains("country:TUN"), "{table}");
    expect(&mut p, "ffkg> ");
    // A name: part of a label lists the things it names, with their prefixed names.
    typing(&mut p, "DESCRIBE Tunis\t");
    let listing = expect(&mut p, "Tunisia");
    assert!(listing.contains("country:TUN"), "{listing}");
    ctrl_c(&mut p);
    quit(p);
}

#[test]
fn completion_knows_a_class_place_from_a_predicate_place() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut p = repl(home.path(), &[]);
    // `ff:co` is the class ff:Country after `a`, the property ff:concernsGroup where a
    // predicate goes; each completes whole, since the other does not fit there (left as
    // `ff:co`, a name the graph lacks, each ASK would be false).
    typing(&mut p, "ASK { ?c a ff:co\t");
    expect(&mut p, "ff:Country");
    typing(&mut p, " };\r");
    expect(&mut p, "true");
    expect(&mut p, "ffkg> ");
    typing(&mut p, "ASK { ?f ff:co\t");
    expect(&mut p, "ff:concernsGroup");
    typing(&mut p, " ?g };\r");
    expect(&mut p, "true");
    expect(&mut p, "ffkg> ");
    quit(p);
}

#[test]
fn names_from_a_loaded_file_complete_too() {
    let home = tempfile::tempdir().expect("temp dir");
    let data = home.path().join("cities.ttl");
    std::fs::write(
        &data,
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         <http://example.org/city/sfax> rdfs:label \"Sfax\"@en .\n\
         <http://example.org/city/tunis> rdfs:label \"Tunis\"@en .\n",
    )
    .expect("data written");
    let mut p = repl(home.path(), &["repl", "--no-embedded"]);
    typing(&mut p, ".prefix city: <http://example.org/city/>\r");
    expect(&mut p, "ffkg> ");
    typing(&mut p, &format!(".load {}\r", data.display()));
    expect(&mut p, "loaded");
    expect(&mut p, "ffkg> ");
    // A label completes to the resource's prefixed name…
    typing(&mut p, "ASK { Sfa\t");
    expect(&mut p, "city:sfax");
    typing(&mut p, " ?p ?o };\r");
    expect(&mut p, "true");
    expect(&mut p, "ffkg> ");
    // …and a prefixed name completes from the loaded data.
    typing(&mut p, "ASK { city:tu\t");
    expect(&mut p, "city:tunis");
    typing(&mut p, " ?p \"Tunis\"@en };\r");
    expect(&mut p, "true");
    expect(&mut p, "ffkg> ");
    quit(p);
}

#[test]
fn describe_a_country_and_a_figure() {
    // A figure of the embedded graph with its value and quote (which one does not matter).
    let out = ffkg()
        .args([
            "query",
            "--format",
            "tsv",
            "-e",
            "SELECT ?f WHERE { ?f a ff:Figure ; ff:printedValue ?v ; ff:quote ?q ; \
             ff:statedIn ?d } ORDER BY ?f LIMIT 1",
        ])
        .output()
        .expect("ffkg query runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let figure = stdout
        .lines()
        .nth(1)
        .expect("the graph has a figure")
        .trim();

    let home = tempfile::tempdir().expect("temp dir");
    let mut p = repl(home.path(), &[]);
    typing(&mut p, ".describe Tunisia\r");
    expect(&mut p, "country:TUN — Tunisia");
    let card = expect(&mut p, "ffkg> ");
    assert!(card.contains("ff:Country"), "{card}");
    assert!(card.contains("Referenced by"), "{card}");
    assert!(card.contains("← ff:about"), "{card}");

    typing(&mut p, &format!(".describe {figure}\r"));
    expect(&mut p, "\nFigure");
    let card = expect(&mut p, "ffkg> ");
    for field in ["value", "bounds", "measure", "about", "source", "quote"] {
        assert!(card.contains(&format!("  {field} ")), "{field} in {card}");
    }
    assert!(card.contains('“'), "the quote is quoted: {card}");
    quit(p);
}

#[test]
fn a_bad_query_then_a_good_one() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut p = repl(home.path(), &[]);
    typing(
        &mut p,
        "SELECT ?x WHERE { ?x a ff:Country . FILTER(?x = ) };\r",
    );
    let error = expect(&mut p, "^");
    assert!(error.contains("SPARQL syntax error"), "{error}");
    assert!(error.contains("input:1:"), "{error}");
    expect(&mut p, "ffkg> ");
    typing(&mut p, "ASK { country:TUN a ff:Country };\r");
    expect(&mut p, "true");
    expect(&mut p, "ffkg> ");
    // Alt-Enter runs an unfinished statement as it is, to see what the parser says.
    typing(&mut p, "SELECT * WHERE { ?s ?p ");
    typing(&mut p, "\x1b\r");
    expect(&mut p, "unexpected end of text");
    expect(&mut p, "ffkg> ");
    quit(p);
}

#[test]
fn ctrl_c_stops_a_long_query_and_the_repl_goes_on() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut p = repl(home.path(), &[]);
    typing(
        &mut p,
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i };\r",
    );
    std::thread::sleep(Duration::from_millis(1500));
    ctrl_c(&mut p);
    expect(&mut p, "interrupted");
    expect(&mut p, "ffkg> ");
    typing(&mut p, "ASK { country:TUN a ff:Country };\r");
    expect(&mut p, "true");
    expect(&mut p, "ffkg> ");
    // Ctrl-C while typing drops the input; Ctrl-D leaves.
    typing(&mut p, "SELECT * WHERE {");
    ctrl_c(&mut p);
    p.send_control('d').expect("Ctrl-D");
    p.exp_eof().expect("ffkg leaves on Ctrl-D");
}

#[test]
fn lines_typed_ahead_and_pasted_without_brackets_all_run_in_order() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut p = repl(home.path(), &[]);
    // A statement that takes a moment, and two more typed while it runs.
    typing(
        &mut p,
        "SELECT (COUNT(*) AS ?slow) WHERE { ?a ?b ?c . ?c ?d ?e } LIMIT 1;\r",
    );
    typing(&mut p, "ASK { country:TUN a ff:Country };\r");
    typing(&mut p, "SELECT (\"typed ahead\" AS ?said) WHERE {};\r");
    expect(&mut p, "?slow");
    expect(&mut p, "true");
    expect(&mut p, "typed ahead");
    expect(&mut p, "ffkg> ");
    // A paste the terminal does not bracket arrives as one burst of lines.
    typing(
        &mut p,
        "SELECT (\"first\" AS ?a) WHERE {};\rSELECT (\"second\" AS ?b) WHERE {};\rSELECT (\"third\" AS ?c) WHERE {};\r",
    );
    expect(&mut p, "first");
    expect(&mut p, "second");
    expect(&mut p, "third");
    expect(&mut p, "ffkg> ");
    quit(p);
}

#[test]
fn leaving_with_unsaved_changes_warns_once_and_save_clears_it() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut p = repl(home.path(), &[]);
    typing(&mut p, "INSERT DATA { country:TUN ff:note \"kept\" };\r");
    expect(&mut p, "updated in");
    expect(&mut p, "ffkg> ");
    // A statement that fails after it takes nothing away.
    typing(&mut p, "DELETE WHERE { ?s ff:note ?o } ORDER;\r");
    expect(&mut p, "error:");
    expect(&mut p, "ffkg> ");
    typing(&mut p, ".quit\r");
    expect(&mut p, "changes that are not saved");
    expect(&mut p, "ffkg> ");
    // The session is still there, with its update.
    typing(&mut p, "ASK { country:TUN ff:note \"kept\" };\r");
    expect(&mut p, "true");
    expect(&mut p, "ffkg> ");
    typing(&mut p, ".save kept.nq\r");
    expect(&mut p, "wrote");
    expect(&mut p, "ffkg> ");
    // Saved: .quit leaves at once.
    quit(p);
    let saved = std::fs::read_to_string(home.path().join("work/kept.nq")).expect("saved");
    assert!(saved.contains("\"kept\""), "the update was saved");
    // Unsaved again: the warning, then Ctrl-D twice leaves.
    let mut p = repl(home.path(), &[]);
    typing(&mut p, "INSERT DATA { country:TUN ff:note \"lost\" };\r");
    expect(&mut p, "updated in");
    expect(&mut p, "ffkg> ");
    p.send_control('d').expect("Ctrl-D");
    expect(&mut p, "changes that are not saved");
    expect(&mut p, "ffkg> ");
    p.send_control('d').expect("Ctrl-D");
    p.exp_eof().expect("ffkg leaves on the second Ctrl-D");
}

#[test]
fn history_is_kept_across_sessions_in_the_data_directory() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut p = repl(home.path(), &[]);
    typing(&mut p, "ASK { country:TUN a ff:Country };\r");
    expect(&mut p, "true");
    expect(&mut p, "ffkg> ");
    p.send_control('d').expect("Ctrl-D");
    p.exp_eof().expect("ffkg leaves on Ctrl-D");
    let history = home.path().join("data/ffkg/history.txt");
    let saved = std::fs::read_to_string(&history).expect("the history file exists");
    assert!(
        saved.contains("ASK { country:TUN a ff:Country };"),
        "{saved}"
    );
    // Nothing is written where ffkg was started.
    let work = std::fs::read_dir(home.path().join("work")).expect("work dir");
    assert_eq!(work.count(), 0);

    let mut p = repl(home.path(), &[]);
    // Up arrow brings back the last statement of the earlier session.
    typing(&mut p, "\x1b[A");
    expect(&mut p, "ASK { country:TUN a ff:Country };");
    typing(&mut p, "\r");
    expect(&mut p, "true");
    expect(&mut p, "ffkg> ");
    quit(p);
}

/// Runs `ffkg ARGS` with `script` on stdin.
fn script(args: &[&str], script: &str) -> std::process::Output {
    ffkg()
        .args(args)
        .write_stdin(script)
        .output()
        .expect("ffkg runs")
}

#[test]
fn a_script_runs_statements_and_commands_in_order() {
    let out = script(
        &["repl", "--no-embedded", "--data", &arg("sample.ttl")],
        "# People and what they know; a comment with a ; in it.\n\
         PREFIX ex: <http://example.org/>\n\
         SELECT ?name WHERE {\n\
           ?p a ex:Person ;\n\
\n\
              ex:name ?name .\n\
         } ORDER BY ?name ;\n\
         .format csv\n\
         SELECT (GROUP_CONCAT(?n ; separator=\";\") AS ?all) WHERE { ?p ex:name ?n } ;\n\
         INSERT DATA { ex:carol a ex:Person ; ex:name \"Carol\" } ;\n\
         DELETE DATA { ex:carol ex:name \"Carol\" } ; INSERT DATA { ex:carol ex:name \"Caroline\" } ;\n\
         SELECT ?n WHERE { ex:carol ex:name ?n }\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let mut lines = stdout.lines();
    // The first query in TSV (not a terminal), the PREFIX kept for the rest of the script.
    assert_eq!(lines.next(), Some("?name"));
    assert_eq!(lines.next(), Some("\"Alice\"@en"));
    assert_eq!(lines.next(), Some("\"Bob, \\\"the builder\\\"\""));
    assert_eq!(lines.next(), Some("all"));
    let all = lines.next().expect("the concatenation");
    assert!(all.contains("Alice") && all.contains(';'), "{all}");
    assert_eq!(lines.next(), Some("n"));
    assert_eq!(lines.next(), Some("Caroline"));
    assert_eq!(lines.next(), None);
}

#[test]
fn a_failing_statement_stops_the_script_with_its_exit_code() {
    let out = script(
        &["repl", "--no-embedded", "--data", &arg("sample.ttl")],
        "ASK { <http://example.org/alice> ?p ?o } ;\n\
         \n\
         SELECT * WHERE { ?s ?p } ;\n\
         ASK { ?s ?p ?o } ;\n",
    );
    assert_eq!(out.status.code(), Some(3));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert_eq!(
        stdout, "true\n",
        "the statement before ran, the one after did not"
    );
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.contains("<stdin>:3:"),
        "the line in the script: {stderr}"
    );
    assert!(stderr.contains("SPARQL syntax error"), "{stderr}");

    let out = script(
        &["repl", "--no-embedded"],
        ".load no/such/file.ttl\nASK {}\n",
    );
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(stderr.contains("no/such/file.ttl"), "{stderr}");

    let out = script(&["repl", "--no-embedded"], ".frobnicate\n");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ffkg_without_arguments_reads_a_script_from_stdin() {
    let out = script(
        &[],
        "SELECT ?label WHERE { country:TUN rdfs:label ?label } ;\n.describe country:TUN\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(stdout.starts_with("?label\n\"Tunisia\"@en\n"), "{stdout}");
    assert!(stdout.contains("country:TUN — Tunisia"), "{stdout}");
}

#[test]
fn reasoning_and_the_query_library_in_a_script() {
    let out = script(
        &["repl"],
        ".reasoning\n\
         SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a ff:Organization } ;\n\
         .reasoning none\n\
         .reasoning\n\
         SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a ff:Organization } ;\n\
         .format csv\n\
         .run country-figures country=SAU\n\
         .run no-such-query\n",
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("reasoning is owl"));
    assert_eq!(lines.next(), Some("?n"));
    let with: u64 = lines.next().and_then(|n| n.parse().ok()).expect("a count");
    assert_eq!(lines.next(), Some("reasoning is none"));
    assert_eq!(lines.next(), Some("?n"));
    let without: u64 = lines.next().and_then(|n| n.parse().ok()).expect("a count");
    assert!(with > without, "{with} with reasoning, {without} without");
    let rest: Vec<&str> = lines.collect();
    assert!(rest.len() > 3, "{stdout}");
    assert!(
        rest.iter()
            .skip(1)
            .all(|l| l.starts_with("https://w3id.org/ffkg/id/country/SAU,")),
        "{stdout}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no library query named 'no-such-query'")
    );
}

#[test]
fn run_binds_a_bare_value_to_the_querys_parameter() {
    let out = script(&["repl", "--format", "csv"], ".run compare-sources RUS\n");
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(stdout.contains("Russia,\"3,417\""), "{stdout}");
    let out = script(&["repl"], ".run compare-sources RUS SAU\n");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).expect("UTF-8");
    assert!(
        stderr.contains("compare-sources takes 1 parameter, and 'SAU' is one more"),
        "{stderr}"
    );
}

#[test]
fn keep_going_runs_the_rest_of_a_script_after_a_failure() {
    let text = "ASK { <http://example.org/alice> ?p ?o } ;\n\
                SELECT * WHERE { ?s ?p } ;\n\
                ASK { ?s ?p ?o } ;\n";
    let args = ["repl", "--no-embedded", "--data", &arg("sample.ttl")];
    let out = script(&[&args[..], &["--keep-going"]].concat(), text);
    assert_eq!(out.status.code(), Some(3), "the first failure's status");
    assert_eq!(
        String::from_utf8(out.stdout).expect("UTF-8"),
        "true\ntrue\n"
    );
    let stopped = script(&args, text);
    assert_eq!(String::from_utf8(stopped.stdout).expect("UTF-8"), "true\n");
}

/// A terminal that reports no size (0×0, as a new pseudo-terminal and some CI runners do): tables
/// are fitted to `COLUMNS` when it is set, and not squeezed when it is not.
#[test]
fn tables_fit_columns_when_the_terminal_reports_no_size() {
    let table_lines = |columns: Option<&str>| -> Vec<String> {
        let query = "SELECT ?report ?label WHERE { ?report a ff:Report ; rdfs:label ?label } \
                     ORDER BY ?report";
        screen("rows 0 cols 0", columns, &["query", "-e", query])
            .lines()
            .filter(|l| l.starts_with(['┌', '│', '├', '└', '╞', '+', '|']))
            .map(str::to_owned)
            .collect()
    };
    let fitted = table_lines(Some("48"));
    assert!(fitted.len() > 4, "{fitted:?}");
    for line in &fitted {
        assert!(
            line.chars().count() <= 48,
            "{} columns: {line}",
            line.chars().count()
        );
    }
    let unfitted = table_lines(None);
    assert!(
        unfitted.iter().any(|l| l.chars().count() > 48),
        "{unfitted:?}"
    );
}

/// `.schema` lists the graph's own classes and properties (those it gives a label: the
/// ontology's) before the vocabularies' it only uses.
#[test]
fn schema_lists_the_graphs_own_terms_first() {
    let out = ffkg()
        .arg("repl")
        .write_stdin(".schema\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    for header in ["?class\t", "?property\t"] {
        let rows: Vec<&str> = text
            .lines()
            .skip_while(|l| !l.starts_with(header))
            .skip(1)
            .take_while(|l| l.starts_with('<'))
            .collect();
        assert!(rows.len() > 10, "{header}: {rows:?}");
        assert!(
            rows[0].starts_with("<https://w3id.org/ffkg/ontology#"),
            "{header}: {}",
            rows[0]
        );
        let labelled = |row: &&str| row.split('\t').nth(1).is_some_and(|l| !l.is_empty());
        let first_unlabelled = rows.iter().position(|r| !labelled(r)).unwrap_or(rows.len());
        assert!(
            rows[first_unlabelled..].iter().all(|r| !labelled(r)),
            "{header}: a labelled term after an unlabelled one"
        );
        assert!(
            first_unlabelled < rows.len(),
            "{header}: some vocabulary terms are listed"
        );
    }
}

/// `--color always` colours the prompt and the statement being typed even where NO_COLOR is
/// set; `--color never` (and NO_COLOR with the default, auto) leaves every escape out.
#[test]
fn color_follows_the_flag_and_no_color() {
    let escapes = |flag: Option<&str>| -> bool {
        let home = tempfile::tempdir().unwrap();
        let mut command = std::process::Command::new("sh");
        command
            .arg("-c")
            .arg("stty rows 50 cols 120 && exec \"$0\" \"$@\"")
            .arg(assert_cmd::cargo::cargo_bin!("ffkg"))
            .arg("repl")
            .args(flag.map(|f| vec!["--color", f]).unwrap_or_default())
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        let mut session = rexpect::session::spawn_with_options(
            command,
            rexpect::session::Options::new().timeout_ms(Some(30_000)),
        )
        .expect("starts");
        session.exp_string("ffkg>").expect("a prompt");
        session.send("SELECT ?x").unwrap();
        session.flush().unwrap();
        // Wait for the echo of the typed text (coloured or not), then leave.
        let typed = session.exp_string("?x").expect("echoed");
        session.send_control('c').unwrap();
        session.exp_string("ffkg>").expect("a new prompt");
        session.send_control('d').unwrap();
        session.exp_eof().expect("leaves");
        typed.contains("\u{1b}[1;34m")
    };
    assert!(escapes(Some("always")), "always colours");
    assert!(!escapes(Some("never")), "never colours");
    assert!(!escapes(None), "NO_COLOR is honoured by default");
}

/// Settings kept in `~/.config/ffkg/repl.toml` (prefixes, format, limit, timing) apply when an
/// interactive session starts, as their dot-commands would; `--format` on the command line wins;
/// a mistake in the file is said with its line and column, and the REPL starts without it.
#[test]
fn settings_kept_in_the_config_directory_apply_at_start() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config/ffkg");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("repl.toml"),
        "format = \"csv\"\nlimit = 1\ntiming = true\n[prefixes]\nex = \"http://example.org/\"\n",
    )
    .unwrap();
    let mut session = repl(home.path(), &[]);
    typing(&mut session, ".prefixes\r");
    expect(&mut session, "<http://example.org/>");
    typing(&mut session, ".format\r");
    expect(&mut session, "solutions: csv");
    typing(&mut session, ".limit\r");
    expect(&mut session, "tables show at most 1 rows");
    typing(&mut session, ".timing\r");
    expect(&mut session, "timing is on");
    quit(session);

    let mut session = repl(home.path(), &["repl", "--format", "json"]);
    typing(&mut session, ".format\r");
    expect(&mut session, "solutions: json");
    quit(session);

    std::fs::write(dir.join("repl.toml"), "limit = 3\nformt = \"csv\"\n").unwrap();
    let out = ffkg_in_pty_banner(home.path());
    assert!(
        out.contains("repl.toml:2:1: unknown field `formt`"),
        "{out}"
    );
    let mut session = repl(home.path(), &[]);
    typing(&mut session, ".limit\r");
    // The bad file is left out whole: the default limit, not its 3.
    expect(&mut session, "tables show at most 100 rows");
    quit(session);
}

/// The banner and warnings an interactive session prints before its first prompt.
fn ffkg_in_pty_banner(home: &std::path::Path) -> String {
    let mut session = repl_at(home, &[], "");
    let before = expect(&mut session, "ffkg> ");
    quit(session);
    before
}

/// On a terminal, each of several tables is headed by its query's name; one query alone is not.
#[test]
fn several_tables_on_a_terminal_are_headed_by_their_names() {
    let screen = |args: &[&str]| {
        let mut all = vec!["query"];
        all.extend(args);
        screen("rows 50 cols 160", None, &all)
    };
    let both = screen(&["top-countries", "citations"]);
    let first = both
        .find("top-countries\n┌")
        .expect("a title over the first table");
    let second = both
        .find("citations\n┌")
        .expect("a title over the second table");
    assert!(first < second, "{both}");
    let alone = screen(&["top-countries"]);
    assert!(!alone.contains("top-countries\n┌"), "{alone}");
}
