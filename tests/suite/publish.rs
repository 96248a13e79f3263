//! Publishing: sitemap.xml, robots.txt, the Atom feed and the search
//! bundle of the demo built under a base URL, and every link in it.

use std::path::Path;

use crate::harness::*;

const BASE: &str = "https://example.org/briefings/";

/// The demo built with `--base-url BASE` into a temp folder.
fn built_demo() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let run =
        gloss_in(&repo(), &["build", "--base-url", BASE, "--output", output.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    out
}

fn files(dir: &Path) -> Vec<gloss::render::Page> {
    snapshot(dir)
        .into_iter()
        .map(|(path, bytes)| gloss::render::Page {
            path: path.to_string_lossy().replace('\\', "/"),
            bytes: bytes.into(),
        })
        .collect()
}

#[test]
fn sitemap_and_feed_are_xml_with_every_url_under_the_base() {
    let out = built_demo();
    let public = out.path().join("public");
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or(""))
        .collect();
    let html_pages = files(&public)
        .into_iter()
        .filter(|p| p.path.ends_with(".html") && p.path != "404.html")
        .count();
    assert_eq!(locs.len(), html_pages, "{sitemap}");
    for loc in &locs {
        assert!(loc.starts_with(BASE), "{loc}");
    }
    assert!(locs.contains(&"https://example.org/briefings/articles/000-69bf82de41c060fe/"));
    assert!(!locs.iter().any(|l| l.contains("404")));
    // Each article's lastmod is its date; the index shows the newest.
    let lastmod = |loc: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("url") && n.children().any(|c| c.text() == Some(loc)))
            .and_then(|u| u.children().find(|c| c.has_tag_name("lastmod")))
            .and_then(|n| n.text())
    };
    assert_eq!(lastmod(BASE), Some("2024-04-26"));
    assert_eq!(
        lastmod("https://example.org/briefings/articles/000-69bf82de41c060fe/"),
        Some("2024-04-26")
    );

    let atom = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let mut urls = 0;
    for node in doc.descendants() {
        let url = match node.tag_name().name() {
            "link" => node.attribute("href"),
            "id" => node.text(),
            _ => None,
        };
        if let Some(url) = url {
            urls += 1;
            assert!(url.starts_with(BASE), "{url} in atom.xml");
        }
    }
    assert!(urls > 10, "{atom}");
}

#[test]
fn robots_txt_points_at_the_sitemap() {
    let out = built_demo();
    let robots = std::fs::read_to_string(out.path().join("public/robots.txt")).unwrap();
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/briefings/sitemap.xml\n"
    );
}

#[test]
fn every_internal_href_and_src_in_the_built_demo_resolves() {
    let out = built_demo();
    let pages = files(&out.path().join("public"));
    let options = gloss::build::Options {
        root: repo(),
        base_url: Some(BASE.to_string()),
        drafts: false,
        defer_search: false,
    };
    let config = gloss::build::config(&options).unwrap();
    let report = gloss::check::links(&pages, &config);
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(report.pages >= 20, "{}", report.summary());
    assert!(report.internal > 300, "{}", report.summary());
}

#[test]
fn search_bundle_is_written_with_filters_and_a_search_page() {
    let out = built_demo();
    let public = out.path().join("public");
    for file in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json", "search/index.html"] {
        assert!(public.join(file).exists(), "{file} missing");
    }
    let entry = std::fs::read_to_string(public.join("pagefind/pagefind-entry.json")).unwrap();
    let entry: serde_json::Value = serde_json::from_str(&entry).unwrap();
    // One language, every article indexed (entity pages and quotes come on top).
    let en = &entry["languages"]["en"];
    assert!(en["page_count"].as_u64().unwrap() >= 11, "{entry}");
    assert!(std::fs::read_dir(public.join("pagefind/filter")).unwrap().count() > 0);
    // The header has a search box that works without JavaScript.
    let index = std::fs::read_to_string(public.join("index.html")).unwrap();
    assert!(index.contains("<form class=\"search-box\" role=\"search\" action=\"/briefings/search/\" method=\"get\">"), "{index}");
    let search = std::fs::read_to_string(public.join("search/index.html")).unwrap();
    assert!(search.contains("data-base=\"/briefings/\""));
    // Facets are attributes of the article pages, not words in them.
    let article =
        std::fs::read_to_string(public.join("articles/000-69bf82de41c060fe/index.html")).unwrap();
    assert!(article.contains("<article class=\"briefing\" data-pagefind-body>"));
    assert!(
        article.contains("<span data-pagefind-filter=\"source:axios.com\"></span>"),
        "{article}"
    );
    assert!(article.contains("<span data-pagefind-filter=\"kind:Briefing\"></span>"));
    // Blinken is quoted again and again; his facet is there once.
    let blinken = "<span data-pagefind-filter=\"speaker:Antony Blinken\"></span>";
    assert_eq!(article.matches(blinken).count(), 1, "{article}");
}

#[test]
fn a_site_without_search_gets_no_search_markup() {
    let site = Fixture::copy("sites", "basic");
    let config = site.read("config.toml");
    site.write("config.toml", &format!("{config}\n[search]\nenabled = false\n"));
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path().join("public/pagefind").exists());
    let article = site.read("public/articles/plain/index.html");
    assert!(article.contains("<article class=\"briefing\" data-pagefind-body>"), "{article}");
    assert!(!article.contains("data-pagefind-filter"), "{article}");
    assert!(!article.contains("class=\"search-box\""), "{article}");
}

#[test]
fn a_site_robots_txt_wins_over_the_generated_one() {
    let site = Fixture::copy("sites", "basic");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(site.read("public/robots.txt"), "User-agent: *\nDisallow: /\n");
    assert!(
        site.read("public/sitemap.xml")
            .contains("<loc>https://example.org/briefings/articles/plain/</loc>")
    );
}
