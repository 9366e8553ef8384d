//! `ffkg publish`: the static site, written from the embedded graph, crawled link by link from
//! its files, and served by a plain static file server (Python's http.server on loopback).

mod common;

use common::ffkg;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Every `href="…"` of an HTML page.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|link| link.replace("&amp;", "&"))
        .collect()
}

fn html_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            html_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
}

#[test]
fn the_site_has_every_page_and_every_internal_link_resolves() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let out = dir.path().join("site");
    // With the source documents' texts where they are (as CI has them), so the quotes in
    // their paragraphs are crawled and checked too.
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let mut publish = ffkg();
    publish.args(["publish", "--site-url", "https://example.org/ffkg", "--out"]);
    publish.arg(&out);
    if seeds.is_dir() {
        publish.arg("--sources").arg(&seeds);
    }
    publish.assert().success();
    if seeds.is_dir() {
        let page = std::fs::read_to_string(out.join("id/figure/why-2015-fra-age.html"))
            .expect("a figure's page");
        assert!(page.contains("class=\"passage\""), "{page}");
    }
    for file in [
        "index.html",
        "ontology.html",
        "ontology.ttl",
        "measures.html",
        "void.ttl",
        ".well-known/void",
        "dump.nq",
        "dump.ttl",
        "sitemap.xml",
        ".htaccess",
        "id/country/TUN.html",
        "id/country/TUN.ttl",
        "id/country/TUN.jsonld",
        "id/figure/soufan-2017-rus-foreign-fighters.html",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let mut pages = Vec::new();
    html_files(&out, &mut pages);
    assert!(pages.len() > 500, "{} pages", pages.len());
    let mut contents: HashMap<PathBuf, String> = HashMap::new();
    let mut read = |path: &Path| -> String {
        contents
            .entry(path.to_owned())
            .or_insert_with(|| std::fs::read_to_string(path).unwrap_or_default())
            .clone()
    };
    let mut checked = BTreeSet::new();
    for page in &pages {
        let html = read(page);
        for link in links(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("data:")
            {
                continue;
            }
            let (path, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if let Some(root) = path.strip_prefix('/') {
                out.join(root)
            } else if path.is_empty() {
                page.clone()
            } else {
                page.parent().expect("a directory").join(path)
            };
            assert!(
                target.is_file(),
                "{} links to {link}: no {}",
                page.display(),
                target.display()
            );
            if !fragment.is_empty() && checked.insert((target.clone(), fragment.to_owned())) {
                let text = read(&target);
                assert!(
                    text.contains(&format!("id=\"{fragment}\"")),
                    "{} links to {link}: no anchor {fragment}",
                    page.display()
                );
            }
        }
    }
    // Valid HTML: HTML Tidy reports neither an error nor a warning on any page.
    let tidy = Command::new("tidy").arg("-v").output();
    if tidy.is_ok_and(|o| o.status.success()) {
        for page in &pages {
            let output = Command::new("tidy")
                .args(["-q", "-e"])
                .arg(page)
                .output()
                .expect("tidy runs");
            assert!(
                output.status.success(),
                "{}: {}",
                page.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "HTML Tidy is missing (Debian: tidy)"
        );
        eprintln!("skipping the HTML check: no tidy (Debian: tidy)");
    }
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).expect("sitemap");
    assert_eq!(
        sitemap.matches("<loc>https://example.org/ffkg/").count(),
        pages.len()
    );
    let rules = std::fs::read_to_string(out.join(".htaccess")).expect(".htaccess");
    assert!(
        rules.contains("https://example.org/ffkg/$1.ttl [R=303,L]"),
        "{rules}"
    );

    // A plain static file server serves the pages as they are.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut server = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
            "--directory",
        ])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 -m http.server starts");
    let started = Instant::now();
    let fetch = |path: &str| {
        let output = Command::new("curl")
            .args([
                "-s",
                "-w",
                "\n%{http_code}",
                &format!("http://127.0.0.1:{port}{path}"),
            ])
            .output()
            .expect("curl runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    while !fetch("/index.html").ends_with("200") {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the file server did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let page = fetch("/id/country/TUN.html");
    assert!(
        page.ends_with("200") && page.contains("<h1>Tunisia</h1>"),
        "{page}"
    );
    let turtle = fetch("/id/country/TUN.ttl");
    assert!(turtle.contains("country:TUN"), "{turtle}");
    server.kill().expect("the file server stops");
    server.wait().expect("the file server exits");
}

#[test]
fn publish_needs_the_sites_url() {
    ffkg()
        .args(["publish", "--out", "/tmp/never-written"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--site-url"));
}
