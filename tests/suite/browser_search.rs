//! Search in a real browser: the demo built under a base path, served by a
//! tiny static server on 127.0.0.1, searched in headless Chromium through
//! Pagefind's JS API.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions, Tab};

use crate::harness::*;

/// Serves `root` under `/prefix/` on a loopback port until the test ends.
/// GET only, files only, no path may leave `root`.
fn serve(listener: TcpListener, root: PathBuf, prefix: &'static str) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root, prefix));
        }
    });
}

fn answer(mut stream: TcpStream, root: &Path, prefix: &str) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let file = path
        .strip_prefix(prefix)
        .filter(|rest| !rest.split('/').any(|part| part == ".."))
        .map(|rest| {
            let file = root.join(rest);
            if file.is_dir() { file.join("index.html") } else { file }
        });
    let response = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((file, body)) => {
            let kind = match file.extension().and_then(OsStr::to_str) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("css") => "text/css",
                Some("json") => "application/json",
                Some("xml") => "application/xml",
                _ => "application/octet-stream",
            };
            (format!("200 OK\r\nContent-Type: {kind}"), body)
        }
        None => ("404 Not Found\r\nContent-Type: text/plain".to_string(), b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        response.0,
        response.1.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&response.1);
}

fn browser(profile: &Path) -> Browser {
    let args: Vec<&OsStr> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(PathBuf::from("/usr/bin/chromium")))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(profile.to_path_buf()))
        .args(args)
        .idle_browser_timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    Browser::new(options).unwrap()
}

/// Evaluates `js` until it returns true, or fails after 15 s.
fn wait_for(tab: &Tab, js: &str) {
    let start = Instant::now();
    loop {
        let value = tab.evaluate(js, false).ok().and_then(|r| r.value);
        if value == Some(serde_json::Value::Bool(true)) {
            return;
        }
        if start.elapsed() > Duration::from_secs(15) {
            let page = tab
                .evaluate("document.querySelector('main').innerText", false)
                .ok()
                .and_then(|r| r.value)
                .unwrap_or_default();
            panic!("timed out waiting for: {js}\nthe page shows:\n{page}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn eval_json(tab: &Tab, js: &str) -> serde_json::Value {
    let json = tab.evaluate(&format!("JSON.stringify({js})"), false).unwrap().value.unwrap();
    serde_json::from_str(json.as_str().unwrap()).unwrap()
}

#[test]
#[ignore = "needs Chromium"]
fn search_finds_the_seed_article_and_the_speaker_facet_narrows_quotes() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let base = format!("http://127.0.0.1:{port}/briefings/");
    let run =
        gloss_in(&repo(), &["build", "--base-url", &base, "--output", public.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serve(listener, public, "/briefings/");

    let profile = tempfile::tempdir().unwrap();
    let browser = browser(profile.path());
    let tab = browser.new_tab().unwrap();

    // The header's plain GET form leads to the search page with ?q=.
    tab.navigate_to(&base).unwrap().wait_until_navigated().unwrap();
    tab.wait_for_element("#site-search").unwrap().click().unwrap();
    tab.type_str("Blinken").unwrap().press_key("Enter").unwrap();
    wait_for(
        &tab,
        "location.pathname === '/briefings/search/' && location.search === '?q=Blinken'",
    );
    wait_for(&tab, "document.getElementById('search').dataset.state === 'done'");
    let links = eval_json(
        &tab,
        "[...document.querySelectorAll('#search-results > li h2 a')].map(a => a.getAttribute('href'))",
    );
    let links: Vec<&str> = links.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(links.contains(&"/briefings/articles/000-69bf82de41c060fe/"), "{links:?}");

    // Pick Antony Blinken in the speaker facet: every quote left is his.
    wait_for(
        &tab,
        "!!document.querySelector('fieldset[data-facet=speaker] input[value=\"Antony Blinken\"]')",
    );
    tab.evaluate(
        "(() => { const box = document.querySelector('fieldset[data-facet=speaker] input[value=\"Antony Blinken\"]'); document.getElementById('search').dataset.state = 'busy'; box.click(); })()",
        false,
    )
    .unwrap();
    wait_for(&tab, "document.getElementById('search').dataset.state === 'done'");
    wait_for(&tab, "location.search.includes('speaker=Antony+Blinken')");
    let quotes = eval_json(
        &tab,
        "[...document.querySelectorAll('#search-results > li[data-kind=Quote]')].map(li => li.dataset.speaker)",
    );
    let speakers: Vec<&str> =
        quotes.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect();
    assert!(!speakers.is_empty(), "no quotes by Blinken in the results");
    assert!(speakers.iter().all(|s| *s == "Antony Blinken"), "{speakers:?}");
}
