//! Search in a real browser: the demo built under a base path, served by
//! the tests' static server on 127.0.0.1, searched in headless Chromium
//! through Pagefind's JS API.

use std::net::TcpListener;
use std::time::Duration;

use serde_json::Value;

use crate::browser::{Browser, ENTER, serve};
use crate::harness::*;

const PATIENCE: Duration = Duration::from_secs(15);

fn strings(value: &Value) -> Vec<&str> {
    value.as_array().unwrap().iter().filter_map(|v| v.as_str()).collect()
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

    let browser = Browser::start();

    // The header's plain GET form leads to the search page with ?q=.
    browser.goto(&base);
    browser.type_into("#site-search", &format!("Blinken{ENTER}"));
    browser.wait_until(
        "location.pathname === '/briefings/search/' && location.search === '?q=Blinken'",
        PATIENCE,
    );
    browser.wait_until("document.getElementById('search').dataset.state === 'done'", PATIENCE);
    let links = browser.run(
        "return [...document.querySelectorAll('#search-results > li h2 a')].map(a => a.getAttribute('href'));",
    );
    let links = strings(&links);
    assert!(links.contains(&"/briefings/articles/000-69bf82de41c060fe/"), "{links:?}");

    // Pick Antony Blinken in the speaker facet: every quote left is his.
    let blinken = "fieldset[data-facet=speaker] input[value=\"Antony Blinken\"]";
    browser.wait_until(&format!("document.querySelector('{blinken}')"), PATIENCE);
    browser.run("document.getElementById('search').dataset.state = 'busy';");
    browser.click(blinken);
    browser.wait_until("document.getElementById('search').dataset.state === 'done'", PATIENCE);
    browser.wait_until("location.search.includes('speaker=Antony+Blinken')", PATIENCE);
    let quotes = browser.run(
        "return [...document.querySelectorAll('#search-results > li[data-kind=Quote]')].map(li => li.dataset.speaker);",
    );
    let speakers = strings(&quotes);
    assert!(!speakers.is_empty(), "no quotes by Blinken in the results");
    assert!(speakers.iter().all(|s| *s == "Antony Blinken"), "{speakers:?}");
}
