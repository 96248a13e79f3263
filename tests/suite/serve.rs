//! `gloss serve`: the real binary on a fixture copy, spoken to over plain
//! HTTP on 127.0.0.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::harness::*;

/// How long a rebuild may take to show before a test gives up.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// A running `gloss serve`, killed when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    /// `127.0.0.1:PORT`
    pub address: String,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `gloss serve --port 0` in `root` with `extra` arguments and
    /// waits for its address.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
            .args(["serve", "--port", "0"])
            .args(extra)
            .current_dir(root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gloss serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = stderr.clone();
        let mut err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let (sender, lines) = mpsc::channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server { child, url: String::new(), address: String::new(), stderr };
        let line = lines.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
            panic!("gloss serve printed no address; stderr:\n{}", server.stderr())
        });
        let url = line.strip_prefix("Serving at ").unwrap_or_else(|| panic!("{line}"));
        assert!(url.starts_with("http://127.0.0.1:") && url.ends_with('/'), "{url}");
        server.address = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        server.url = url.to_string();
        server
    }

    /// Everything the server printed on stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// GET `path` (sent exactly as given).
    pub fn get(&self, path: &str) -> Response {
        request(&self.address, "GET", path)
    }

    /// Polls `path` until `done` holds, for at most [`PATIENCE`].
    pub fn wait_for(&self, path: &str, what: &str, done: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let response = self.get(path);
            if done(&response) {
                return response;
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "{path} never showed {what}; last status {}, body:\n{}\nstderr:\n{}",
                    response.status,
                    response.text(),
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// How many rebuilds the server has reported.
    pub fn rebuilds(&self) -> usize {
        let stderr = self.stderr();
        stderr.matches("Rebuilt in").count() + stderr.matches("Rebuild failed").count()
    }
}

impl Server {
    /// Sends SIGINT (Ctrl-C) and waits for the exit code.
    #[cfg(unix)]
    pub fn interrupt(&mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if start.elapsed() > PATIENCE {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response, read whole.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 request over a fresh connection; the path is sent as is,
/// so tests can send what a browser would normalise away.
pub fn request(address: &str, method: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Response { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&data[..end]).unwrap().trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// A served page without what the dev server adds to it.
pub fn strip_injected(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let (Some(start), Some(end)) =
        (text.find("<!-- gloss serve -->"), text.find("<!-- /gloss serve -->"))
    else {
        return body.to_vec();
    };
    let mut out = text[..start].to_string();
    out.push_str(&text[end + "<!-- /gloss serve -->".len()..]);
    out.into_bytes()
}

const ARTICLE: &str = "/articles/markdown-article/";

#[test]
fn served_site_follows_edits_deletions_and_template_errors() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    let page = server.get(ARTICLE);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Ministers meet in Geneva"));
    assert!(page.text().contains("/__gloss/reload.js"), "no reload script");
    assert!(server.get("/").text().contains("/articles/plain/"));

    // Edit an article: the served page follows.
    let text = site.read("content/markdown-article.md").replace("in Geneva", "in Lausanne");
    site.write("content/markdown-article.md", &text);
    server
        .wait_for(ARTICLE, "the edited title", |r| r.text().contains("Ministers meet in Lausanne"));

    // Delete one: its page 404s and the index forgets it.
    std::fs::remove_file(site.path().join("content/plain.txt")).unwrap();
    let gone = server.wait_for("/articles/plain/", "a 404", |r| r.status == 404);
    assert!(gone.text().contains("/__gloss/reload.js"), "the 404 page is live too");
    assert!(!server.get("/").text().contains("/articles/plain/"));

    // Break a template: the overlay shows the error over the last good page.
    site.write("templates/article.html", "{% if %}broken{% endif %}");
    let broken =
        server.wait_for(ARTICLE, "the error overlay", |r| r.text().contains("gloss-overlay"));
    let html = broken.text();
    assert!(html.contains("template syntax error"), "{html}");
    assert!(html.contains("templates/article.html"), "{html}");
    assert!(html.contains("Ministers meet in Lausanne"), "the last good page is still served");
    assert!(server.stderr().contains("template syntax error"), "the terminal shows it too");

    // Fix it: the overlay goes.
    std::fs::remove_file(site.path().join("templates/article.html")).unwrap();
    let fixed = server.wait_for(ARTICLE, "no overlay", |r| !r.text().contains("gloss-overlay"));
    assert!(fixed.text().contains("Ministers meet in Lausanne"));
}

#[test]
fn error_overlay_escapes_the_error_text() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    site.write("templates/article.html", "<script>alert(1)</script>{% if %}");
    let broken = server.wait_for(ARTICLE, "the overlay", |r| r.text().contains("gloss-overlay"));
    let html = broken.text();
    let overlay = &html[html.find("gloss-overlay").unwrap()..];
    assert!(!overlay.contains("<script>alert"), "{overlay}");
    // The error quotes the template line, escaped.
    assert!(overlay.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{overlay}");
}

#[test]
fn served_pages_equal_a_clean_build_after_a_series_of_edits() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    let edits: [(&str, Option<&str>); 5] = [
        (
            "content/new-one.txt",
            Some(
                "A new briefing\nPublished Date: 5/9/2024\nSource: example.org\n\nWhy it matters: It is new.\n",
            ),
        ),
        ("content/plain.txt", None),
        ("static/extra.css", Some("body { color: red }\n")),
        (
            "content/sub/deep.md",
            Some(
                "+++\ntitle = \"Deep one\"\ndate = 2024-05-04\ntags = [\"Europe\"]\n+++\n\nSecretary of State Antony Blinken said \"we will see\" on Friday.\n",
            ),
        ),
        (
            "config.toml",
            Some("title = \"Renamed briefings\"\nbase_url = \"https://example.org/briefings/\"\n"),
        ),
    ];
    for (path, text) in edits {
        match text {
            Some(text) => site.write(path, text),
            None => std::fs::remove_file(site.path().join(path)).unwrap(),
        }
        std::thread::sleep(Duration::from_millis(120));
    }
    // Every rebuild reads the whole tree, so one that shows the last edit
    // shows them all.
    let text = site.read("content/markdown-article.md").replace("in Geneva", "in Bern");
    site.write("content/markdown-article.md", &text);
    server.wait_for(ARTICLE, "the last edit", |r| {
        let t = r.text();
        t.contains("Ministers meet in Bern") && t.contains("Renamed briefings")
    });

    assert_serves_a_clean_build(&server, &site);
    assert_eq!(server.get("/articles/plain/").status, 404);
}

/// Every file of a clean `gloss build` of the site, with the server's
/// address as base URL, is served byte for byte (minus the injected script).
pub fn assert_serves_a_clean_build(server: &Server, site: &Fixture) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let run =
        site.gloss(&["build", "--base-url", &server.url, "--output", public.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let files = snapshot(&public);
    assert!(files.len() > 10);
    // The search bundle follows the pages on its own thread: wait for it.
    let entry = public.join("pagefind/pagefind-entry.json");
    if entry.exists() {
        let built = std::fs::read(&entry).unwrap();
        server.wait_for("/pagefind/pagefind-entry.json", "the new search bundle", |r| {
            r.status == 200 && r.body == built
        });
    }
    for (path, bytes) in files {
        let url = format!("/{}", path.to_str().unwrap().replace('\\', "/"));
        let served = server.get(&url);
        assert_eq!(served.status, 200, "{url}");
        assert!(
            strip_injected(&served.body) == bytes,
            "{url} differs from a clean build:\n--- served\n{}\n--- built\n{}",
            String::from_utf8_lossy(&strip_injected(&served.body)),
            String::from_utf8_lossy(&bytes)
        );
    }
}

#[test]
fn only_get_and_head_are_answered() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let response = request(&server.address, method, "/");
        assert_eq!(response.status, 405, "{method}");
        assert_eq!(response.header("allow"), Some("GET, HEAD"), "{method}");
    }
    let get = server.get("/style.css");
    let head = request(&server.address, "HEAD", "/style.css");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length"), Some(get.body.len().to_string().as_str()));
    assert_eq!(head.header("content-type"), get.header("content-type"));
}

#[test]
fn paths_that_leave_the_site_are_refused() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    for path in [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/articles/%2e%2e/%2e%2e/config.toml",
        "/..%2fconfig.toml",
        "/%2e%2e%2fconfig.toml",
        "/articles/..%5c..%5cconfig.toml",
        "/content/plain.txt",
        "/config.toml",
    ] {
        let response = server.get(path);
        assert!(matches!(response.status, 400 | 404), "{path}: {}", response.status);
        assert!(!response.text().contains("base_url"), "{path} served the config");
    }
}

#[test]
fn responses_carry_content_types_pretty_urls_and_the_404_page() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    for (path, kind) in [
        ("/", "text/html; charset=utf-8"),
        ("/articles/plain/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/gloss.js", "text/javascript; charset=utf-8"),
        ("/atom.xml", "application/atom+xml"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), Some(kind), "{path}");
    }
    let redirect = server.get("/articles/plain");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/articles/plain/"));
    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), Some("text/html; charset=utf-8"));
    let not_found = strip_injected(&missing.body);
    assert_eq!(not_found, strip_injected(&server.get("/404.html").body));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let site = Fixture::copy("sites", "basic");
    let run = site.gloss(&["serve", "--port", &port.to_string()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("could not listen on 127.0.0.1:{port}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--port 0"), "{}", run.stderr);
}

#[test]
fn many_concurrent_requests_are_all_answered() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    let threads: Vec<_> = (0..32)
        .map(|i| {
            let address = server.address.clone();
            std::thread::spawn(move || {
                for j in 0..10 {
                    let path = if (i + j) % 2 == 0 { "/" } else { "/style.css" };
                    assert_eq!(request(&address, "GET", path).status, 200);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
}

#[test]
fn a_failed_first_build_serves_the_error_and_recovers() {
    let site = Fixture::copy("sites", "basic");
    site.write("content/plain.txt", "Bad one\nPublished Date: 26 April\n\nText.\n");
    let server = Server::start(site.path(), &[]);
    let page = server.get("/");
    assert_eq!(page.status, 500);
    assert!(page.text().contains("gloss-overlay"));
    assert!(page.text().contains("unknown date format"), "{}", page.text());
    site.write("content/plain.txt", "Good one\nPublished Date: 4/26/2024\n\nText.\n");
    let fixed = server.wait_for("/", "the site", |r| r.status == 200);
    assert!(!fixed.text().contains("gloss-overlay"));
    assert!(fixed.text().contains("Good one"));
}

#[test]
fn editor_temp_files_and_reads_do_not_rebuild_and_a_burst_rebuilds_once() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    for name in [".markdown-article.md.swp", "markdown-article.md~", "#x.md#", ".#x.md", "4913"] {
        site.write(&format!("content/{name}"), "junk");
    }
    for _ in 0..20 {
        let _ = site.read("content/markdown-article.md");
        let _ = server.get(ARTICLE);
    }
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(server.rebuilds(), 0, "{}", server.stderr());

    let text = site.read("content/markdown-article.md");
    for i in 0..10 {
        site.write(
            "content/markdown-article.md",
            &text.replace("in Geneva", &format!("in Zug {i}")),
        );
    }
    server.wait_for(ARTICLE, "the last save", |r| r.text().contains("in Zug 9"));
    std::thread::sleep(Duration::from_millis(400));
    // Ten saves in a row: one rebuild, or a few if a loaded machine pauses
    // this thread longer than the debounce window between two saves.
    assert!(server.rebuilds() <= 4, "{}", server.stderr());
}

#[test]
fn a_save_that_empties_the_file_first_does_not_flash_an_error() {
    let site = Fixture::copy("sites", "basic");
    let server = Server::start(site.path(), &[]);
    let text = site.read("content/markdown-article.md");
    // An editor saving in place: the file is emptied, then written.
    site.write("content/markdown-article.md", "");
    std::thread::sleep(Duration::from_millis(60));
    site.write("content/markdown-article.md", &text.replace("in Geneva", "in Zug"));
    server.wait_for(ARTICLE, "the save", |r| r.text().contains("in Zug"));
    assert!(!server.stderr().contains("Rebuild failed"), "{}", server.stderr());
    // A loaded machine may deliver the write's last event after the
    // rebuild it belongs to: a second rebuild then finds nothing changed.
    assert!(server.rebuilds() <= 2, "{}", server.stderr());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_server_even_with_a_browser_listening() {
    let site = Fixture::copy("sites", "basic");
    let mut server = Server::start(site.path(), &[]);
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    write!(stream, "GET /__gloss/events HTTP/1.1\r\nHost: {}\r\n\r\n", server.address).unwrap();
    let mut seen = String::new();
    read_event(&mut stream, &mut seen, r#""kind":"hello""#);
    assert_eq!(server.interrupt(), Some(0), "{}", server.stderr());
    let start = Instant::now();
    while !server.stderr().contains("Stopped") && start.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(server.stderr().contains("Stopped"), "{}", server.stderr());
}

/// Reads server-sent events from `/__gloss/events` until one contains `want`.
fn read_event(stream: &mut TcpStream, seen: &mut String, want: &str) {
    let start = Instant::now();
    let mut buf = [0u8; 4096];
    while !seen.contains(want) {
        assert!(start.elapsed() < PATIENCE, "no {want} event; got:\n{seen}");
        if let Ok(n) = stream.read(&mut buf) {
            assert!(n > 0, "the event stream closed; got:\n{seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
}

#[test]
fn event_stream_says_css_for_stylesheet_edits_and_reload_for_content() {
    let site = Fixture::copy("sites", "basic");
    site.write("static/style.css", "body { color: black }\n");
    let server = Server::start(site.path(), &[]);
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
    write!(stream, "GET /__gloss/events HTTP/1.1\r\nHost: {}\r\n\r\n", server.address).unwrap();
    let mut seen = String::new();
    read_event(&mut stream, &mut seen, r#""kind":"hello""#);
    assert!(seen.contains("text/event-stream"), "{seen}");

    site.write("static/style.css", "body { color: navy }\n");
    read_event(&mut stream, &mut seen, r#""kind":"css""#);
    assert!(!seen.contains(r#""kind":"reload""#), "{seen}");

    let text = site.read("content/markdown-article.md").replace("in Geneva", "in Basel");
    site.write("content/markdown-article.md", &text);
    read_event(&mut stream, &mut seen, r#""kind":"reload""#);

    site.write("templates/index.html", "{% if %}");
    read_event(&mut stream, &mut seen, r#""kind":"error""#);
    assert!(seen.contains("template syntax error"), "{seen}");
}

#[test]
#[ignore = "needs Chromium"]
fn browser_reloads_after_an_edit_keeps_scroll_and_shows_and_clears_the_overlay() {
    use crate::browser::Browser;
    let site = Fixture::copy("sites", "basic");
    // Long enough to scroll.
    let mut text = site.read("content/markdown-article.md");
    for i in 0..200 {
        text.push_str(&format!("\nFiller paragraph {i} to make the page long.\n"));
    }
    site.write("content/markdown-article.md", &text);
    let theme_css = std::fs::read_to_string(repo().join("static/style.css")).unwrap();
    site.write(
        "static/style.css",
        &format!("{theme_css}\nbody {{ outline-color: rgb(1, 2, 3) }}\n"),
    );
    let server = Server::start(site.path(), &[]);
    let browser = Browser::start();
    browser.goto(&format!("{}articles/markdown-article/", server.url));
    browser.wait_until("document.querySelector('h1').textContent.includes('Geneva')", PATIENCE);
    browser.run("window.scrollTo(0, 900); window.glossMarker = 1;");

    // An edit reloads the page by itself, at the same scroll position.
    site.write("content/markdown-article.md", &text.replace("in Geneva", "in Lausanne"));
    browser.wait_until(
        "!window.glossMarker && document.querySelector('h1').textContent.includes('Lausanne')",
        PATIENCE,
    );
    browser.wait_until("window.scrollY > 800", PATIENCE);

    // A broken template shows the overlay with the error text, then clears.
    site.write("templates/article.html", "{% if %}");
    browser.wait_until(
        "document.getElementById('gloss-overlay') && document.getElementById('gloss-overlay')\
         .textContent.includes('template syntax error')",
        PATIENCE,
    );
    std::fs::remove_file(site.path().join("templates/article.html")).unwrap();
    browser.wait_until(
        "!document.getElementById('gloss-overlay') && document.querySelector('h1')",
        PATIENCE,
    );

    // A stylesheet edit is swapped in without a reload.
    browser.run("window.glossMarker = 2;");
    site.write(
        "static/style.css",
        &format!("{theme_css}\nbody {{ outline-color: rgb(4, 5, 6) }}\n"),
    );
    browser.wait_until(
        "getComputedStyle(document.body).outlineColor === 'rgb(4, 5, 6)' && window.glossMarker === 2",
        PATIENCE,
    );
}
