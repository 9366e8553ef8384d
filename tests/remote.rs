//! `--endpoint` and `ffkg push` against a real `ffkg serve` on a loopback port: the library
//! through an endpoint answers as it does locally, a pushed graph answers as the embedded one,
//! the Graph Store Protocol and its INSERT DATA fallback, credentials, and every way a remote
//! request fails (a located syntax error, the endpoint's own text, no server, no answer).

mod common;

use common::ffkg;
use common::library::{answers, unordered};
use common::pty::{completes_queries_and_describes, expect, quit, repl_at, typing};
use common::serve::Served;
use predicates::prelude::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// A writable `ffkg serve` with nothing in it, and its token.
fn empty_store() -> (Served, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let token = "a-token-of-thirty-two-characters".to_owned();
    let file = dir.path().join("token");
    std::fs::write(&file, &token).expect("written");
    let file = file.display().to_string();
    let served = Served::start(&[
        "--no-embedded",
        "--update",
        "--token-file",
        &file,
        "--max-body",
        "100000000",
    ]);
    (served, dir, token)
}

#[test]
fn the_library_through_an_endpoint_answers_byte_for_byte_as_locally() {
    let served = Served::start(&[]);
    let endpoint = format!("{}/sparql", served.base);
    let local = tempfile::tempdir().expect("a temp dir");
    let remote = tempfile::tempdir().expect("a temp dir");
    let here = answers(&[], local.path());
    let there = answers(&["--endpoint", &endpoint], remote.path());
    for (name, answer) in &here {
        assert_eq!(Some(answer), there.get(name), "{name}");
    }
    served.stop();
}

#[test]
fn a_pushed_graph_answers_as_the_embedded_one_and_a_re_push_replaces() {
    let (served, _dir, token) = empty_store();
    let endpoint = format!("{}/sparql", served.base);
    let store = format!("{}/store", served.base);
    let push = || {
        ffkg()
            .args(["push", "--endpoint", &endpoint, "--graph-store", &store])
            // The entailments, and the default graph as a merge of the named ones: what a
            // local query sees.
            .args(["--reasoning", "owl", "--copy-default"])
            .env("FFKG_ENDPOINT_TOKEN", &token)
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "graph <https://w3id.org/ffkg/graph/inferred>: ",
            ))
            .stderr(predicate::str::contains(
                // Every file's graph, the default graph (--copy-default) and the entailments'.
                format!(
                    "in {} graphs by Graph Store Protocol, every count checked",
                    ffkg::data::graph::EMBEDDED.len() + 2
                ),
            ));
    };
    push();
    // PUT replaces: the second run leaves the same counts, which push checks itself.
    push();
    let local = tempfile::tempdir().expect("a temp dir");
    let remote = tempfile::tempdir().expect("a temp dir");
    let here = answers(&[], local.path());
    let there = answers(&["--endpoint", &endpoint], remote.path());
    for (name, answer) in &here {
        let theirs = there.get(name).expect("answered");
        // Another store holds the triples in another order: what SPARQL leaves open differs.
        assert_eq!(unordered(answer), unordered(theirs), "{name}");
    }
    served.stop();
}

#[test]
fn push_falls_back_to_insert_data_where_there_is_no_graph_store() {
    let (served, _dir, token) = empty_store();
    let endpoint = format!("{}/sparql", served.base);
    let missing = format!("{}/no-graph-store-here", served.base);
    ffkg()
        .args(["push", "--endpoint", &endpoint, "--graph-store", &missing])
        .args(["--chunk", "700"])
        .env("FFKG_ENDPOINT_TOKEN", &token)
        .assert()
        .success()
        .stderr(
            predicate::str::contains("answered 404 Not Found")
                .and(predicate::str::contains("using INSERT DATA")),
        )
        .stderr(predicate::str::contains(format!(
            "in {} graphs by INSERT DATA, every count checked",
            ffkg::data::graph::EMBEDDED.len()
        )));
    // Without a graph store at all, and a user's file with blank nodes beside the graph.
    let dir = tempfile::tempdir().expect("a temp dir");
    let mine = dir.path().join("mine.ttl");
    std::fs::write(
        &mine,
        "@prefix e: <http://e/> . e:a e:knows [ e:name \"b\" ; e:knows [ e:name \"c\" ] ] .\n",
    )
    .expect("written");
    ffkg()
        .args(["push", "--endpoint", &endpoint, "--no-embedded", "--data"])
        .arg(&mine)
        .env("FFKG_ENDPOINT_TOKEN", &token)
        .assert()
        .success()
        .stderr(predicate::str::contains("the default graph: 4 triples"));
    ffkg()
        .args(["query", "--endpoint", &endpoint, "-f", "csv", "-e"])
        .arg("SELECT ?n WHERE { <http://e/a> <http://e/knows>+ ?x . ?x <http://e/name> ?n } ORDER BY ?n")
        .assert()
        .success()
        .stdout("n\r\nb\r\nc\r\n");
    served.stop();
}

#[test]
fn push_without_credentials_names_the_graph_and_touches_no_other() {
    let (served, _dir, _token) = empty_store();
    let endpoint = format!("{}/sparql", served.base);
    let store = format!("{}/store", served.base);
    ffkg()
        .args(["push", "--endpoint", &endpoint, "--graph-store", &store])
        .env_remove("FFKG_ENDPOINT_TOKEN")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "graph <https://w3id.org/ffkg/graph/ontology>: ",
        ))
        .stderr(predicate::str::contains("answered 401 Unauthorized"))
        .stderr(predicate::str::contains(
            // All but the first, refused.
            format!(
                "not tried: {} (the store holds them as it did)",
                ffkg::data::graph::EMBEDDED.len() - 1
            ),
        ));
    ffkg()
        .args([
            "query",
            "--endpoint",
            &endpoint,
            "-e",
            "ASK { GRAPH ?g { ?s ?p ?o } }",
        ])
        .assert()
        .success()
        .stdout("false\n");
    // The wrong token, given as a header.
    ffkg()
        .args(["push", "--endpoint", &endpoint, "--graph-store", &store])
        .args([
            "--header",
            "Authorization: Bearer not-the-right-token-at-all",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("401"));
    served.stop();
}

#[test]
fn a_named_endpoint_comes_from_the_config_file_with_its_token() {
    let (served, dir, token) = empty_store();
    let config = dir.path().join("config");
    std::fs::create_dir_all(config.join("ffkg")).expect("created");
    std::fs::write(
        config.join("ffkg/endpoints.toml"),
        format!(
            "[mine]\nquery = \"{0}/sparql\"\nstore = \"{0}/store\"\ntoken-env = \"MY_STORE_TOKEN\"\n",
            served.base
        ),
    )
    .expect("written");
    ffkg()
        .args(["push", "--endpoint", "mine"])
        .env("XDG_CONFIG_HOME", &config)
        .env("MY_STORE_TOKEN", &token)
        .assert()
        .success()
        .stderr(predicate::str::contains("by Graph Store Protocol"));
    ffkg()
        .args(["query", "--endpoint", "mine", "-e"])
        .arg("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/ffkg/graph/ontology> { ?s ?p ?o } }")
        .env("XDG_CONFIG_HOME", &config)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"^\?n\n[1-9][0-9]*\n$").expect("a pattern"));
    ffkg()
        .args(["query", "--endpoint", "mne", "-e", "ASK {}"])
        .env("XDG_CONFIG_HOME", &config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "names no such endpoint (it has: mine)",
        ));
    std::fs::write(
        config.join("ffkg/endpoints.toml"),
        "[mine]\nquery = \"http://127.0.0.1:1/sparql\"\ntoken = \"inline secrets are refused\"\n",
    )
    .expect("written");
    ffkg()
        .args(["query", "--endpoint", "mine", "-e", "ASK {}"])
        .env("XDG_CONFIG_HOME", &config)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "endpoints.toml:3:1: unknown field `token`",
        ));
    served.stop();
}

#[test]
fn formats_and_parameters_work_through_an_endpoint() {
    let served = Served::start(&[]);
    let endpoint = format!("{}/sparql", served.base);
    for args in [
        &[
            "country-profile",
            "--param",
            "country=TUN",
            "-f",
            "ntriples",
        ][..],
        &["top-countries", "-f", "json"][..],
        &[
            "compare-sources",
            "--param",
            "country=country:FRA",
            "-f",
            "csv",
        ][..],
        &["every-figure-traceable", "-f", "xml"][..],
    ] {
        let local = common::stdout_of(&[&["query"][..], args].concat());
        let remote = common::stdout_of(&[&["query", "--endpoint", &endpoint][..], args].concat());
        assert_eq!(local, remote, "{args:?}");
    }
    served.stop();
}

#[test]
fn remote_failures_say_where_and_what_with_their_exit_codes() {
    let served = Served::start(&[]);
    let endpoint = format!("{}/sparql", served.base);
    // A syntax error is found here, located, and never sent.
    ffkg()
        .args([
            "query",
            "--endpoint",
            &endpoint,
            "-e",
            "SELECT * WHERE { ?s ?p }",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("-e #1:1:25: SPARQL syntax error"));
    // The endpoint's refusal, with its own words.
    ffkg()
        .args(["query", "--endpoint", &endpoint, "-e"])
        .arg("SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "answered 403 Forbidden: SERVICE is off",
        ));
    // Local data and an endpoint at once.
    ffkg()
        .args([
            "query",
            "--endpoint",
            &endpoint,
            "--reasoning",
            "none",
            "-e",
            "ASK {}",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--reasoning chooses local data"));
    served.stop();
    // Nothing listening.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    ffkg()
        .args([
            "query",
            "--endpoint",
            &format!("http://127.0.0.1:{port}/sparql"),
        ])
        .args(["-e", "ASK {}"])
        .assert()
        .code(4)
        .stderr(predicate::str::contains("could not be reached"));
}

#[test]
fn an_endpoint_that_never_answers_runs_into_the_timeout() {
    // Takes the connection and says nothing.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!(
        "http://{}/sparql",
        listener.local_addr().expect("an address")
    );
    let silent = std::thread::spawn(move || {
        let (stream, _) = listener.accept().expect("a connection");
        std::thread::sleep(Duration::from_secs(4));
        drop(stream);
    });
    let started = Instant::now();
    ffkg()
        .args([
            "query",
            "--endpoint",
            &url,
            "--timeout",
            "1",
            "-e",
            "ASK {}",
        ])
        .assert()
        .code(5)
        .stderr(predicate::str::contains(
            "query stopped after the 1 s timeout",
        ));
    assert!(started.elapsed() < Duration::from_secs(4));
    silent.join().expect("the silent server ends");
}

/// One request read off a socket: its head (request line and headers) and body.
fn read_request(stream: &mut std::net::TcpStream) -> (String, String) {
    let mut reader = BufReader::new(stream.try_clone().expect("a clone"));
    let mut head = String::new();
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a line");
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().expect("a length");
        }
        head.push_str(&line);
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the body");
    (head, String::from_utf8(body).expect("UTF-8"))
}

/// Answers a request with a complete body, then closes.
fn answer(stream: &mut std::net::TcpStream, media_type: &str, body: &str) {
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: {media_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("answered");
}

/// The probe ffkg sends before its first SELECT, answered in standard TSV: TSV it is.
fn answer_probe_in_tsv(listener: &TcpListener) -> String {
    let (mut stream, _) = listener.accept().expect("a connection");
    let (_, body) = read_request(&mut stream);
    answer(&mut stream, "text/tab-separated-values", "?x\n\"a\"@en\n");
    body
}

#[test]
fn requests_carry_the_query_as_written_its_prefixes_credentials_and_headers() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let address = listener.local_addr().expect("an address");
    let recorder = std::thread::spawn(move || {
        let probe = answer_probe_in_tsv(&listener);
        assert!(probe.contains("VALUES"), "{probe}");
        let (mut stream, _) = listener.accept().expect("a connection");
        let request = read_request(&mut stream);
        // The endpoint may answer in any format it was offered.
        let json = r#"{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"été","xml:lang":"fr"}}]}}"#;
        answer(&mut stream, "application/sparql-results+json", json);
        request
    });
    let dir = tempfile::tempdir().expect("a temp dir");
    let netrc = dir.path().join("netrc");
    std::fs::write(
        &netrc,
        "machine elsewhere.example login no password no\nmachine 127.0.0.1 login reader password s3cret\n",
    )
    .expect("written");
    ffkg()
        .args(["query", "--endpoint", &format!("http://{address}/sparql")])
        .args(["--header", "X-Request-Id: ffkg-test", "-f", "csv"])
        .args(["-e", "SELECT ?x WHERE { ?x a ff:Figure ; rdfs:label ?l }"])
        .env("NETRC", &netrc)
        .env_remove("FFKG_ENDPOINT_TOKEN")
        .env_remove("FFKG_ENDPOINT_USER")
        .assert()
        .success()
        .stdout("x\r\nété\r\n");
    let (raw, body) = recorder.join().expect("a request");
    // reader:s3cret, from the netrc entry for this host.
    assert!(raw.contains("Basic cmVhZGVyOnMzY3JldA=="), "{raw}");
    let head = raw.to_ascii_lowercase();
    assert!(head.starts_with("post /sparql "), "{head}");
    assert!(head.contains("authorization: basic "), "{head}");
    assert!(head.contains("x-request-id: ffkg-test"), "{head}");
    // SPARQL's TSV first for a SELECT, the fastest to read.
    assert!(
        head.contains("accept: text/tab-separated-values, application/sparql-results+json"),
        "{head}"
    );
    assert!(head.contains("user-agent: ffkg/"), "{head}");
    let query: String = form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "query")
        .map(|(_, v)| v.into_owned())
        .expect("a query field");
    // The text as written, after the declarations of the prefixes it uses, on its own line.
    assert!(
        query.ends_with(" SELECT ?x WHERE { ?x a ff:Figure ; rdfs:label ?l }"),
        "{query}"
    );
    assert!(
        query.contains("PREFIX ff: <https://w3id.org/ffkg/ontology#>"),
        "{query}"
    );
    assert!(
        query.contains("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"),
        "{query}"
    );
    assert!(!query.contains("PREFIX skos:"), "{query}");
    assert!(!query.contains('\n'), "{query}");
}

#[test]
fn the_repl_on_an_endpoint_completes_describes_and_switches() {
    let served = Served::start(&[]);
    let endpoint = format!("{}/sparql", served.base);
    let place = served.base.trim_start_matches("http://").to_owned();
    let prompt = format!("ffkg@{place}> ");
    let home = tempfile::tempdir().expect("a temp dir");
    let mut p = repl_at(home.path(), &["repl", "--endpoint", &endpoint], &prompt);
    completes_queries_and_describes(&mut p, &prompt);
    // Back to local data (the embedded graph: the session began on the endpoint), and out.
    typing(&mut p, ".endpoint local\r");
    expect(&mut p, "on the embedded graph");
    expect(&mut p, "ffkg> ");
    typing(&mut p, ".load nothing-here.ttl\r");
    expect(&mut p, "nothing-here.ttl");
    expect(&mut p, "ffkg> ");
    typing(&mut p, &format!(".endpoint {endpoint}\r"));
    expect(&mut p, "answered in");
    expect(&mut p, &prompt);
    quit(p);
    served.stop();
}

#[test]
fn a_repl_script_updates_an_endpoint_and_keeps_local_data_aside() {
    let (served, dir, token) = empty_store();
    let endpoint = format!("{}/sparql", served.base);
    let mine = dir.path().join("mine.ttl");
    std::fs::write(&mine, "<http://e/a> <http://e/p> \"mine\" .\n").expect("written");
    let script = format!(
        "INSERT DATA {{ <http://e/b> <http://e/p> \"local\" }} ;\n\
         .endpoint {endpoint}\n\
         INSERT DATA {{ <http://e/c> <http://e/p> \"remote\" }} ;\n\
         SELECT ?o WHERE {{ ?s <http://e/p> ?o }} ORDER BY ?o ;\n\
         .load {0}\n\
         .reasoning\n\
         .endpoint local\n\
         SELECT ?o WHERE {{ ?s <http://e/p> ?o }} ORDER BY ?o ;\n",
        mine.display()
    );
    ffkg()
        .args(["repl", "--keep-going", "--no-embedded", "--data"])
        .arg(&mine)
        .env("FFKG_ENDPOINT_TOKEN", &token)
        .write_stdin(script)
        .assert()
        .code(2)
        .stdout("?o\n\"remote\"\n?o\n\"local\"\n\"mine\"\n")
        .stderr(predicate::str::contains(
            ".load works on local data, and this session is on the endpoint",
        ))
        .stderr(predicate::str::contains("in the statement at <stdin>:5"))
        .stderr(predicate::str::contains("in the statement at <stdin>:6"));
    served.stop();
}

#[test]
fn an_answer_that_breaks_off_is_an_error_not_a_shorter_answer() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!(
        "http://{}/sparql",
        listener.local_addr().expect("an address")
    );
    let server = std::thread::spawn(move || {
        answer_probe_in_tsv(&listener);
        let (mut stream, _) = listener.accept().expect("a connection");
        read_request(&mut stream);
        // Promises more than it sends, then hangs up after two rows.
        let part = r#"{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"1"}},{"x":{"type":"literal","value":"2"}},"#;
        write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: 100000\r\n\r\n{part}"
        )
        .expect("answered");
    });
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("answer.csv");
    ffkg()
        .args(["query", "--endpoint", &url, "-o"])
        .arg(&out)
        .args(["-e", "SELECT ?x WHERE { ?x ?p ?o }"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("its answer broke off"));
    // Nothing half-written is left under the file's name.
    assert!(!out.exists());
    server.join().expect("the server ends");
}

#[test]
fn an_endpoint_whose_tsv_is_not_the_standards_is_asked_in_json() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!(
        "http://{}/sparql",
        listener.local_addr().expect("an address")
    );
    let server = std::thread::spawn(move || {
        let mut accepts = Vec::new();
        for (media_type, body) in [
            // The probe, answered in Virtuoso's TSV: a header quoted like CSV, values without
            // their types. The query then goes with JSON first.
            ("text/tab-separated-values", "\"x\"\n\"ete\"\n".to_owned()),
            (
                "application/sparql-results+json",
                r#"{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"ete","xml:lang":"fr"}}]}}"#.to_owned(),
            ),
        ] {
            let (mut stream, _) = listener.accept().expect("a connection");
            let (head, _) = read_request(&mut stream);
            accepts.push(
                head.lines()
                    .find_map(|l| l.strip_prefix("accept: ").or(l.strip_prefix("Accept: ")))
                    .unwrap_or("")
                    .to_owned(),
            );
            answer(&mut stream, media_type, &body);
        }
        accepts
    });
    ffkg()
        .args([
            "query",
            "--endpoint",
            &url,
            "-f",
            "tsv",
            "-e",
            "SELECT ?x WHERE { ?x ?p ?o }",
        ])
        .assert()
        .success()
        .stdout("?x\n\"ete\"@fr\n");
    let accepts = server.join().expect("the server ends");
    assert!(
        accepts[0].starts_with("text/tab-separated-values"),
        "{accepts:?}"
    );
    assert!(
        accepts[1].starts_with("application/sparql-results+json"),
        "{accepts:?}"
    );
}

#[test]
fn hostile_input_through_an_endpoint_gets_located_errors_and_no_request() {
    // Nothing listens here: every error below comes before a request would be made, or from
    // an answer of bad bytes.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let endpoint = format!("http://127.0.0.1:{port}/sparql");
    let files = tempfile::tempdir().expect("a temp dir");
    let deep = files.path().join("deep.rq");
    let nested = format!(
        "SELECT * WHERE {}{}",
        "{".repeat(100_000),
        "}".repeat(100_000)
    );
    std::fs::write(&deep, nested).expect("written");
    ffkg()
        .args(["query", "--endpoint", &endpoint])
        .arg(&deep)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("nests deeper than 2000 levels"));
    // A 5 MB literal is sent as it is (here: to nobody).
    let huge = files.path().join("huge.rq");
    let literal = format!("SELECT * WHERE {{ ?s ?p \"{}\" }}", "x".repeat(5_000_000));
    std::fs::write(&huge, literal).expect("written");
    ffkg()
        .args(["query", "--endpoint", &endpoint])
        .arg(&huge)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("could not be reached"));
    // An endpoint that answers bad bytes.
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!(
        "http://{}/sparql",
        listener.local_addr().expect("an address")
    );
    let server = std::thread::spawn(move || {
        for _ in 0..2 {
            let (mut stream, _) = listener.accept().expect("a connection");
            read_request(&mut stream);
            let body = b"\xff\xfe{\"head\":";
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .expect("answered");
            stream.write_all(body).expect("answered");
        }
    });
    ffkg()
        .args([
            "query",
            "--endpoint",
            &url,
            "-e",
            "SELECT * WHERE { ?s ?p ?o }",
        ])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "answered with results that do not parse",
        ));
    server.join().expect("the server ends");
    // A config file of bad bytes.
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::create_dir_all(dir.path().join("ffkg")).expect("created");
    std::fs::write(
        dir.path().join("ffkg/endpoints.toml"),
        b"[x]\nquery = \"\xff\"\n",
    )
    .expect("written");
    ffkg()
        .args(["query", "--endpoint", "x", "-e", "ASK {}"])
        .env("XDG_CONFIG_HOME", dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("endpoints.toml:2:10: not UTF-8"));
}
