//! `ffkg serve` as a client sees it: a real server on a free loopback port, driven with curl,
//! stopped with SIGTERM (it finishes and exits 0).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `ffkg serve`, stopped when dropped.
struct Served {
    child: Child,
    base: String,
}

impl Served {
    fn start(args: &[&str]) -> Self {
        // A free port: bound and let go, then given to the server.
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let bind = format!("127.0.0.1:{port}");
        let mut child = Command::new(assert_cmd::cargo::cargo_bin!("ffkg"))
            .args(["serve", "--bind", &bind])
            .args(args)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("ffkg serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let started = Instant::now();
        loop {
            let line = lines
                .next()
                .expect("the server says where it listens")
                .expect("stderr");
            if line.contains("listening on") {
                assert!(line.contains(&bind), "{line}");
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "no start");
        }
        // Keep draining the request log so the server never blocks on it.
        std::thread::spawn(move || for _ in lines {});
        Self {
            child,
            base: format!("http://{bind}"),
        }
    }

    /// curl's status code and body.
    fn curl(&self, args: &[&str]) -> (u16, String) {
        let output = Command::new("curl")
            .args(["-s", "-w", "\n%{http_code}"])
            .args(args)
            .output()
            .expect("curl runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned();
        let (body, code) = text.rsplit_once('\n').expect("a status line");
        (code.trim().parse().expect("a status"), body.to_owned())
    }

    fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill runs");
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "did not stop");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn curl_queries_the_endpoint_and_sigterm_stops_it() {
    let served = Served::start(&[]);
    let sparql = format!("{}/sparql", served.base);
    let (code, body) = served.curl(&[
        "-G",
        &sparql,
        "--data-urlencode",
        "query=SELECT ?l WHERE { country:TUN rdfs:label ?l }",
        "-H",
        "Accept: text/csv",
    ]);
    assert_eq!(code, 200, "{body}");
    assert_eq!(body.replace('\r', ""), "l\nTunisia\n");
    let (code, body) = served.curl(&[
        &sparql,
        "-H",
        "Content-Type: application/sparql-query",
        "--data-binary",
        "ASK { country:TUN a ff:Country }",
    ]);
    assert_eq!(code, 200);
    assert!(body.contains("\"boolean\":true"), "{body}");
    let (code, body) = served.curl(&["-G", &sparql, "--data-urlencode", "query=SELECT ?x WHERE {"]);
    assert_eq!(code, 400);
    assert!(body.contains("SPARQL syntax error"), "{body}");
    let (code, _) = served.curl(&[
        &sparql,
        "-H",
        "Content-Type: application/sparql-update",
        "--data-binary",
        "INSERT DATA { country:TUN ff:note 1 }",
    ]);
    assert_eq!(code, 403);
    let (code, body) = served.curl(&[&sparql, "-H", "Accept: text/turtle"]);
    assert_eq!(code, 200);
    assert!(body.contains("sd:Service"), "{body}");
    let (code, body) = served.curl(&[&format!("{}/", served.base)]);
    assert_eq!(code, 200);
    assert!(body.contains("<form"), "{body}");
    assert!(served.stop().success());
}

#[test]
fn an_endpoint_with_cors_answers_preflight() {
    let served = Served::start(&["--cors", "https://example.org"]);
    let sparql = format!("{}/sparql", served.base);
    let output = Command::new("curl")
        .args(["-s", "-i", "-X", "OPTIONS", &sparql])
        .output()
        .expect("curl");
    let head = String::from_utf8_lossy(&output.stdout).to_ascii_lowercase();
    assert!(
        head.contains("access-control-allow-origin: https://example.org"),
        "{head}"
    );
    assert!(served.stop().success());
}
