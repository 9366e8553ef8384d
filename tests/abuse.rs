//! The endpoint under abuse, on a real server over loopback: a gigabyte body, ten thousand
//! headers, slow, silent and half-open clients, bad bytes and bad percent-encoding, and
//! requests that try to make it read a local file or fetch a URL. Each is refused with a
//! status (or its connection closed when it says nothing), and a well-behaved client is
//! answered meanwhile.

mod common;

use common::serve::Served;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

fn address(served: &Served) -> &str {
    served.base.strip_prefix("http://").expect("an http base")
}

fn connect(served: &Served) -> TcpStream {
    let stream = TcpStream::connect(address(served)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("a read timeout");
    stream
}

/// The status and body of the answer on `stream`, read to its end.
fn answer(mut stream: TcpStream) -> (u16, String) {
    let mut bytes = Vec::new();
    // A reset after the answer (the server closing with request bytes unread) ends it too.
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

/// Sends `request` whole (closing the connection after its answer) and reads the answer.
fn raw(served: &Served, request: &[u8]) -> (u16, String) {
    let mut stream = connect(served);
    stream.write_all(request).expect("the request is sent");
    answer(stream)
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").into_bytes()
}

/// A well-behaved client is answered, and soon.
fn answers_others(served: &Served) {
    let started = Instant::now();
    let (status, text) = raw(served, &get("/sparql?query=ASK%7B%7D"));
    assert_eq!(status, 200, "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a plain ASK took {:?}",
        started.elapsed()
    );
}

/// The server's peak resident memory, in MiB.
fn peak_mib(served: &Served) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", served.pid())).expect("proc");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kib / 1024
}

#[test]
fn a_gigabyte_body_gets_413_in_bounded_memory_while_others_are_answered() {
    let served = Served::start(&[]);
    let mut stream = connect(&served);
    let size: u64 = 1 << 30;
    write!(
        stream,
        "POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n\
         Content-Length: {size}\r\nConnection: close\r\n\r\n"
    )
    .expect("headers sent");
    let mut writer = stream.try_clone().expect("a second handle");
    let sender = thread::spawn(move || {
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..size / chunk.len() as u64 {
            if writer.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    thread::sleep(Duration::from_millis(200));
    answers_others(&served);
    sender.join().expect("the sender");
    let (status, text) = answer(stream);
    assert_eq!(status, 413, "{text}");
    assert!(text.contains("limit of 1048576 bytes"), "{text}");
    let peak = peak_mib(&served);
    eprintln!("1 GiB body: {status}, server peak {peak} MiB");
    assert!(peak < 256, "the server peaked at {peak} MiB");
    answers_others(&served);
    assert!(served.stop().success());
}

#[test]
fn ten_thousand_headers_are_refused_and_the_server_answers_the_next() {
    let served = Served::start(&[]);
    let mut request = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: test\r\n".to_vec();
    for i in 0..10_000 {
        request.extend_from_slice(format!("X-Header-{i}: value\r\n").as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    let mut stream = connect(&served);
    // The server stops reading at its header limit: the rest may not be taken.
    let mut writer = stream.try_clone().expect("a second handle");
    let sender = thread::spawn(move || {
        let _ = writer.write_all(&request);
    });
    let mut head = [0u8; 64];
    let read = stream.read(&mut head).unwrap_or(0);
    let text = String::from_utf8_lossy(&head[..read]).into_owned();
    eprintln!("10,000 headers: {:?}", text.lines().next());
    assert!(
        text.starts_with("HTTP/1.1 4") || read == 0,
        "not refused: {text:?}"
    );
    drop(stream);
    sender.join().expect("the sender");
    answers_others(&served);
    assert!(served.stop().success());
}

#[test]
fn bad_bytes_and_bad_percent_encoding_get_400() {
    let served = Served::start(&[]);
    for (request, expected) in [
        (get("/sparql?query=%FF%FE"), 400),
        (get("/sparql?query=%G1"), 400),
        (get("/sparql?query=ASK%7B%7D%"), 400),
        (
            b"GET /sp\xffarql HTTP/1.1\r\nHost: test\r\n\r\n".to_vec(),
            400,
        ),
        (b"\xff\xfe\x00\x01\r\n\r\n".to_vec(), 400),
        (
            b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n\
              Content-Length: 10\r\nConnection: close\r\n\r\nASK { \xff\xfe }"
                .to_vec(),
            400,
        ),
        (
            b"POST /sparql HTTP/1.1\r\nHost: test\r\n\
              Content-Type: application/x-www-form-urlencoded\r\n\
              Content-Length: 9\r\nConnection: close\r\n\r\nquery=%FF"
                .to_vec(),
            400,
        ),
    ] {
        let (status, text) = raw(&served, &request);
        assert_eq!(
            status,
            expected,
            "{}: {text}",
            String::from_utf8_lossy(&request)
        );
    }
    // A header value that is not text is not taken for a format: the default one is given.
    let (status, text) = raw(
        &served,
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: test\r\nAccept: \xff\xfe\r\n\
          Connection: close\r\n\r\n",
    );
    assert!(status == 200 || status == 406, "{text}");
    answers_others(&served);
    assert!(served.stop().success());
}

#[test]
fn slow_silent_and_half_open_clients_do_not_hold_up_the_others() {
    let served = Served::start(&["--idle-timeout", "2"]);
    // One byte a second: the others are answered while it dribbles.
    let mut slow = connect(&served);
    let request = get("/sparql?query=ASK%7B%7D");
    for &byte in &request[..4] {
        slow.write_all(&[byte]).expect("a byte");
        answers_others(&served);
        thread::sleep(Duration::from_secs(1));
    }
    // It finishes in time and is answered.
    slow.write_all(&request[4..]).expect("the rest");
    let (status, _) = answer(slow);
    assert_eq!(status, 200);

    // Silent connections, more than --max-connections (128): each is closed after the idle
    // timeout, and the connections queued behind them are served.
    let silent: Vec<TcpStream> = (0..140).map(|_| connect(&served)).collect();
    let started = Instant::now();
    answers_within(&served, Duration::from_secs(15));
    let waited = started.elapsed();
    eprintln!("140 silent connections: the next answered after {waited:?}");
    let mut first = silent.into_iter().next().expect("a connection");
    let mut byte = [0u8; 1];
    // Closed (or answered with a timeout status) by the server, not by us.
    match first.read(&mut byte) {
        Ok(_) => {}
        Err(e) => assert_ne!(e.kind(), ErrorKind::WouldBlock, "{e}"),
    }
    assert!(waited < Duration::from_secs(15), "{waited:?}");

    // A body that stops short of its Content-Length: 408 after the idle timeout.
    let (status, text) = raw(
        &served,
        b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n\
          Content-Length: 100\r\n\r\nASK {",
    );
    assert_eq!(status, 408, "{text}");

    // Half-open: a request cut off with the client's side shut.
    let mut half = connect(&served);
    half.write_all(b"GET /sparql?query=AS")
        .expect("half a request");
    half.shutdown(Shutdown::Write).expect("shut");
    let mut rest = Vec::new();
    let _ = half.read_to_end(&mut rest);
    answers_others(&served);
    assert!(served.stop().success());
}

/// A plain ASK is answered within `limit` (connections ahead of it may hold the slots).
fn answers_within(served: &Served, limit: Duration) {
    let mut stream = TcpStream::connect(address(served)).expect("connects");
    stream.set_read_timeout(Some(limit)).expect("a timeout");
    stream
        .write_all(&get("/sparql?query=ASK%7B%7D"))
        .expect("sent");
    let (status, text) = answer(stream);
    assert_eq!(status, 200, "{text}");
}

#[test]
fn no_request_reads_a_local_file_or_fetches_a_url() {
    let served = Served::start(&[]);
    // A listener of our own: a SERVICE call or a LOAD would knock on it.
    let trap = TcpListener::bind("127.0.0.1:0").expect("a trap");
    trap.set_nonblocking(true).expect("nonblocking");
    let trap_url = format!("http://{}/sparql", trap.local_addr().expect("addr"));
    let sparql = format!("{}/sparql", served.base);
    let (status, body) = served.curl(&[
        "-G",
        &sparql,
        "--data-urlencode",
        "query=SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "-H",
        "Accept: text/csv",
    ]);
    assert_eq!(status, 200, "{body}");
    // FROM names a graph of the dataset, never a file: the header and no row.
    assert_eq!(body.trim().lines().count(), 1, "{body}");
    let (status, body) = served.curl(&[
        "-G",
        &sparql,
        "--data-urlencode",
        &format!("query=SELECT * WHERE {{ SERVICE <{trap_url}> {{ ?s ?p ?o }} }}"),
    ]);
    assert!((400..500).contains(&status), "{status}: {body}");
    for update in [
        format!("LOAD <{trap_url}>"),
        "LOAD <file:///etc/passwd>".to_owned(),
    ] {
        let (status, body) = served.curl(&[
            &sparql,
            "-H",
            "Content-Type: application/sparql-update",
            "--data-binary",
            &update,
        ]);
        assert_eq!(status, 403, "{update}: {body}");
    }
    for path in [
        "/id/..%2F..%2F..%2Fetc%2Fpasswd",
        "/id/../../../etc/passwd",
        "/store?graph=file:///etc/passwd",
        "/assets/..%2F..%2FCargo.toml",
        "/..%2F..%2Fetc%2Fpasswd",
    ] {
        let (status, body) = served.curl(&["--path-as-is", &format!("{}{path}", served.base)]);
        assert!((400..500).contains(&status), "{path}: {status}");
        assert!(!body.contains("root:"), "{path}: {body}");
    }
    match trap.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the server connected out: {other:?}"),
    }
    assert!(served.stop().success());
}

#[test]
fn a_runaway_query_stops_at_the_memory_limit_and_the_server_lives_on() {
    let served = Served::start(&["--max-memory", "100"]);
    // Every pair of triples, sorted: tens of millions of rows held at once.
    let (status, body) = served.curl(&[
        "-G",
        &format!("{}/sparql", served.base),
        "--data-urlencode",
        "query=SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d",
    ]);
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("100 MiB of --max-memory"), "{body}");
    // The resident peak: the heap's limit, the binary and the threads' stacks.
    let peak = peak_mib(&served);
    eprintln!("a runaway ORDER BY under --max-memory 100: server peak {peak} MiB");
    assert!(peak < 200, "the server peaked at {peak} MiB");
    answers_others(&served);
    assert!(served.stop().success());
}
