//! Issue 8: `gloss serve` under load and under attack, on 127.0.0.1 only:
//! every encoding of a path out of the site is refused, oversized requests
//! are cut off, and the server keeps answering through 200 concurrent
//! connections and a storm of 1,000 edits, then serves exactly what a
//! clean build gives.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use crate::harness::*;
use crate::serve::{Server, assert_serves_a_clean_build, request};

#[test]
fn every_encoding_of_a_path_out_of_the_site_is_refused() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    for path in [
        "/..",
        "/../config.toml",
        "/articles/../../config.toml",
        "/%2e%2e/config.toml",
        "/%2E%2e/%2e%2E/etc/passwd",
        "/.%2e/config.toml",
        "/%2e%2e%2fconfig.toml",
        "/%252e%252e/config.toml",
        "/%252e%252e%252fconfig.toml",
        "/..%5cconfig.toml",
        "/%5c..%5cconfig.toml",
        "/articles\\..\\..\\config.toml",
        "//config.toml",
        "//etc/passwd",
        "/articles//plain/",
        "/config.toml%00.html",
        "/%00",
        "/%c0%ae%c0%ae/config.toml",
        "/content/plain.txt",
        "/config.toml",
        "/templates/article.html",
        "/./index.html",
    ] {
        let response = server.get(path);
        assert!(matches!(response.status, 400 | 404), "{path}: {}", response.status);
        let text = response.text();
        assert!(!text.contains("base_url") && !text.contains("title ="), "{path} served a source");
        assert!(!text.contains("root:"), "{path} served /etc/passwd");
    }
    // Only GET and HEAD, even on the server's own endpoints.
    for (method, path) in [("POST", "/"), ("PUT", "/x"), ("DELETE", "/index.html"), ("TRACE", "/")]
    {
        assert_eq!(request(&server.address, method, path).status, 405, "{method} {path}");
    }
    assert_eq!(server.get("/").status, 200, "the server still answers");
}

/// Sends `head` (a request line and headers, without the blank line) and
/// returns the status the server answers with.
fn status_of_raw(address: &str, head: &str) -> u16 {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // The server may answer and close before reading everything.
    let _ = stream.write_all(format!("{head}\r\n\r\n").as_bytes());
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn requests_with_too_many_or_too_large_headers_are_refused() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    let address = &server.address;
    let base = format!("GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close");
    assert_eq!(status_of_raw(address, &base), 200);
    let many: String = (0..100).map(|i| format!("\r\nX-Header-{i}: {i}")).collect();
    assert_eq!(status_of_raw(address, &format!("{base}{many}")), 431);
    let large = format!("\r\nX-Large: {}", "a".repeat(64 * 1024));
    assert_eq!(status_of_raw(address, &format!("{base}{large}")), 431);
    let long_path = format!("GET /{} HTTP/1.1\r\nHost: {address}", "a".repeat(64 * 1024));
    assert!(matches!(status_of_raw(address, &long_path), 414 | 431));
    assert_eq!(server.get("/").status, 200, "the server still answers");
}

#[test]
fn the_server_keeps_serving_through_200_connections_and_1000_edits_then_equals_a_clean_build() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    let storm = |i: usize| {
        format!(
            "+++\ntitle = \"Storm {i}\"\ndate = 2024-05-01\ntags = [\"Storm\"]\n+++\nSecretary of State Antony Blinken said \"edit {i} is here\" on Friday.\n"
        )
    };
    site.write("content/storm.md", &storm(0));
    server.wait_for("/articles/storm/", "the storm article", |r| r.text().contains("Storm 0"));

    let clients = 200;
    let done = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(clients + 1));
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            let (address, done, answered, start) =
                (server.address.clone(), done.clone(), answered.clone(), start.clone());
            std::thread::spawn(move || {
                // Every client holds a connection open before any asks anything.
                let held = TcpStream::connect(&address).unwrap();
                start.wait();
                let paths = ["/", "/style.css", "/articles/markdown-article/", "/tags/"];
                let mut rounds = 0;
                while rounds < 3 || !done.load(Ordering::Relaxed) && rounds < 40 {
                    let path = paths[(i + rounds) % paths.len()];
                    let response = request(&address, "GET", path);
                    assert_eq!(response.status, 200, "{path}");
                    answered.fetch_add(1, Ordering::Relaxed);
                    rounds += 1;
                }
                drop(held);
            })
        })
        .collect();
    start.wait();
    // The storm: one article rewritten 1,000 times as fast as the disk allows.
    for i in 1..=1000 {
        site.write("content/storm.md", &storm(i));
    }
    done.store(true, Ordering::Relaxed);
    for thread in threads {
        thread.join().unwrap();
    }
    assert!(answered.load(Ordering::Relaxed) >= clients * 3);

    // Afterwards it serves the last edit, and exactly what a clean build gives.
    server.wait_for("/articles/storm/", "the last edit", |r| r.text().contains("Storm 1000"));
    assert_serves_a_clean_build(&server, &site);
    assert!(!server.stderr().contains("panicked"), "{}", server.stderr());
}
