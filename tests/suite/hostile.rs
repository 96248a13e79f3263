//! Hostile content (issue 8): every field a site can fill tries to inject
//! markup, and the built output is parsed — HTML with an HTML parser, feeds
//! and the sitemap with an XML parser, JSON-LD and card.json as JSON — to
//! show that none of it got through unescaped.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};

use crate::harness::*;

/// Builds `tests/fixtures/hostile/<case>/` and returns the fixture and its public/.
fn built(case: &str) -> (Fixture, PathBuf) {
    let site = Fixture::copy("hostile", case);
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let public = site.path().join("public");
    (site, public)
}

fn files_with(public: &Path, extension: &str) -> Vec<(String, String)> {
    snapshot(public)
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == extension))
        .map(|(path, bytes)| {
            let text = String::from_utf8(bytes).unwrap();
            (path.to_string_lossy().replace('\\', "/"), text)
        })
        .collect()
}

/// A URL as a browser reads it: without the whitespace and controls it strips.
fn scheme_of(url: &str) -> String {
    let squeezed: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    squeezed.split(':').next().unwrap_or("").to_ascii_lowercase()
}

/// Everything in one page that could run script, as readable complaints.
fn script_vectors(path: &str, html: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let mut found = Vec::new();
    for element in document.select(&Selector::parse("*").unwrap()) {
        let value = element.value();
        let name = value.name();
        if name == "script" {
            let json_ld = value.attr("type") == Some("application/ld+json");
            let theme_js = value.attr("src").is_some_and(|s| s.ends_with("/gloss.js"))
                && element.inner_html().is_empty();
            // The search page's own module script (templates/search.html).
            let search_module = path == "search/index.html" && value.attr("type") == Some("module");
            if !(json_ld || theme_js || search_module) {
                found.push(format!("{path}: a <script> element: {}", element.html()));
            }
            if json_ld {
                let text = element.inner_html();
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
                    found.push(format!("{path}: JSON-LD that is not JSON ({e}): {text}"));
                }
            }
        }
        if matches!(name, "iframe" | "object" | "embed" | "frame" | "frameset" | "base") {
            found.push(format!("{path}: an <{name}> element"));
        }
        for (attribute, text) in value.attrs() {
            if attribute.starts_with("on") {
                found.push(format!("{path}: an event handler {attribute}=\"{text}\" on <{name}>"));
            }
            let is_url = matches!(
                attribute,
                "href" | "src" | "action" | "formaction" | "srcset" | "poster" | "xlink:href"
            );
            if is_url && matches!(scheme_of(text).as_str(), "javascript" | "data" | "vbscript") {
                found.push(format!("{path}: a script URL {attribute}=\"{text}\" on <{name}>"));
            }
        }
    }
    found
}

#[test]
fn hostile_fields_are_text_in_every_page_feed_and_json() {
    let (_site, public) = built("site");
    let pages = files_with(&public, "html");
    assert!(pages.len() > 15, "{} pages", pages.len());
    let problems: Vec<String> =
        pages.iter().flat_map(|(path, html)| script_vectors(path, html)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Escaped, not dropped: the hostile text is still there for readers.
    let article = std::fs::read_to_string(public.join("articles/evil/index.html")).unwrap();
    let document = Html::parse_document(&article);
    let h1 = document.select(&Selector::parse("h1").unwrap()).next().unwrap();
    assert_eq!(
        h1.text().collect::<String>(),
        "Blinken <script>alert('title')</script> meets \"Xi\" & <b onmouseover=alert(1)>friends</b>"
    );
    let callout = document.select(&Selector::parse(".callout blockquote").unwrap()).next().unwrap();
    assert!(
        callout.text().collect::<String>().contains("</script><script>alert(‘quote’)</script>"),
        "{}",
        callout.html()
    );
    // The unsafe source_url is dropped: the source links to its own page.
    let source = document.select(&Selector::parse("a.source").unwrap()).next().unwrap();
    assert!(source.value().attr("href").unwrap().starts_with("/hostile/sources/"));
    let plain = std::fs::read_to_string(public.join("articles/plain-evil/index.html")).unwrap();
    let body = Html::parse_document(&plain);
    let text: String =
        body.select(&Selector::parse(".body").unwrap()).next().unwrap().text().collect();
    assert!(text.contains("<script>alert('plain body')</script>"), "{text}");
    assert!(text.contains("<a href=\"javascript:alert('plain link')\">click</a>"), "{text}");

    // Entity pages: no link, image or Wikidata from a script URL.
    let xi = std::fs::read_to_string(public.join("entities/xi-jinping/index.html")).unwrap();
    let document = Html::parse_document(&xi);
    let external: Vec<String> = document
        .select(&Selector::parse(".external a").unwrap())
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    // A Wikidata value that is not an id gives no link; an https URL
    // holding quotes stays one attribute.
    assert_eq!(external, ["https://example.org/\" onmouseover=\"alert('url attr')"]);
    assert!(document.select(&Selector::parse("img.portrait").unwrap()).next().is_none());
    let blinken =
        std::fs::read_to_string(public.join("entities/antony-blinken/index.html")).unwrap();
    assert!(!blinken.contains("class=\"external\""), "script URLs make no external links");
    assert!(!blinken.contains("class=\"portrait\""), "a data: image is no image");

    // Feeds and the sitemap are well-formed XML holding the text as text.
    let xml = files_with(&public, "xml");
    assert!(xml.iter().any(|(p, _)| p == "sitemap.xml") && xml.len() > 5);
    for (path, text) in &xml {
        let document =
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
        if path == "atom.xml" {
            let titles: Vec<&str> = document
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .filter_map(|n| n.text())
                .collect();
            assert!(titles.contains(&"YAML </title><script>alert('yaml title')</script>"));
            // The entry content is HTML as text: parse it as a page would.
            for content in document.descendants().filter(|n| n.has_tag_name("content")) {
                let html = content.text().unwrap_or("");
                let problems = script_vectors(path, html);
                assert!(problems.is_empty(), "{}", problems.join("\n"));
            }
        }
    }

    // Every card.json is JSON and keeps names as written.
    let cards = files_with(&public, "json");
    let names: Vec<String> = cards
        .iter()
        .filter(|(p, _)| p.ends_with("card.json"))
        .map(|(p, text)| {
            let value: serde_json::Value =
                serde_json::from_str(text).unwrap_or_else(|e| panic!("{p}: {e}"));
            value["name"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(names.contains(&"Xi Jinping </script><script>alert('entity name')</script>".into()));

    // JSON-LD holds the values as data, with no script URL in sameAs or isBasedOn.
    fn urls<'a>(value: &'a serde_json::Value, key: &str, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::String(s)
                if ["sameAs", "isBasedOn", "url", "@id", "image"].contains(&key) =>
            {
                out.push(s)
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| urls(v, key, out)),
            serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| urls(v, k, out)),
            _ => {}
        }
    }
    for (path, html) in &pages {
        for value in json_ld(html) {
            let mut found = Vec::new();
            urls(&value, "", &mut found);
            assert!(!found.is_empty());
            for url in found {
                assert!(url.starts_with("https://"), "{path}: {url}");
            }
        }
    }
    let graph = &json_ld(&article)[0]["@graph"];
    assert_eq!(graph[0]["headline"], h1.text().collect::<String>());
    assert!(graph[0].get("isBasedOn").is_none(), "{}", graph[0]);
}

#[test]
fn raw_html_is_sanitised_when_unsafe_html_is_off_and_passes_by_default() {
    let (site, public) = built("sanitised");
    let html = std::fs::read_to_string(public.join("articles/raw/index.html")).unwrap();
    let problems = script_vectors("articles/raw/index.html", &html);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for kept in [
        "<div><img src=\"x\"> kept text</div>",
        "<a>a raw link</a>",
        // Footnotes keep their ids, so their links still work.
        "<sup class=\"footnote-reference\"><a href=\"#note\">1</a></sup>",
        "<div class=\"footnote-definition\" id=\"note\">",
        // Entity links and quote anchors are gloss's own markup and stay.
        "data-entity=\"antony-blinken\" data-kind=\"person\">Antony Blinken</a>",
        "<span class=\"quote-anchor\" id=\"quote-1\"></span>",
        // Code is text either way.
        "<span class=\"hl-entity hl-name hl-tag hl-script hl-html\">script</span>",
    ] {
        assert!(html.contains(kept), "{kept} is missing:\n{html}");
    }
    let feed = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    assert!(!feed.contains("raw script"), "the feed carries the sanitised body:\n{feed}");

    // The default: raw HTML is the author's own and passes as written.
    site.write("config.toml", "title = \"Raw briefings\"\n");
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = site.read("public/articles/raw/index.html");
    assert!(html.contains("<script>alert('raw script')</script>"), "{html}");
}

#[test]
fn markdown_links_with_script_urls_lose_their_link_but_keep_their_text() {
    let (_site, public) = built("site");
    let html = std::fs::read_to_string(public.join("articles/evil/index.html")).unwrap();
    let document = Html::parse_document(&html);
    let body = document.select(&Selector::parse(".body").unwrap()).next().unwrap();
    let text: String = body.text().collect();
    for words in ["Read the original or", "or this and a chart and fine."] {
        assert!(text.contains(words), "{words:?} missing from {text}");
    }
    let links: Vec<&str> = body
        .select(&Selector::parse("a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .filter(|href| !href.starts_with("/hostile/entities/") && !href.starts_with('#'))
        .collect();
    assert_eq!(links, ["https://example.org/"]);
}
