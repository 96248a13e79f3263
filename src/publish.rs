//! Publish: the rendered pages and the [`Site`] → the files a host and a
//! crawler want beside them: `sitemap.xml`, `robots.txt` and the search
//! bundle (`pagefind/`, see [`crate::search`]).
//!
//! Reads pages, never changes them; a site's own `static/robots.txt` wins
//! over the generated one.

use std::fmt::Write as _;

use rustc_hash::FxHashMap as HashMap;

use crate::error::Result;
use crate::render::Page;
use crate::site::Site;

/// The last sitemap, with a hash of what it was made from: the dev server
/// keeps it between rebuilds, as most edits leave it as it was.
pub type SitemapMemo = Option<(u64, Page)>;

/// Everything publishing adds to a built site, from the output paths of
/// its files and the pages search indexes (see [`is_indexed`]); the search
/// bundle only `with_search` (and when the site has search enabled).
pub fn files(
    site: &Site,
    paths: &[&str],
    indexed: &[Page],
    with_search: bool,
    memo: &mut SitemapMemo,
) -> Result<Vec<Page>> {
    let key = sitemap_key(site, paths);
    let map = match memo.take() {
        Some((last, page)) if last == key => page,
        _ => sitemap(site, paths),
    };
    *memo = Some((key, map.clone()));
    let mut more = vec![map];
    if !paths.contains(&"robots.txt") {
        more.push(robots(site));
    }
    if with_search && site.config.search.enabled {
        more.extend(crate::search::index(site, indexed)?);
    }
    Ok(more)
}

/// A hash of everything [`sitemap`] reads: the paths (in any order: they
/// come as rendered), the base URL, and the date of each article and of the
/// newest article of each entity, tag and source.
fn sitemap_key(site: &Site, paths: &[&str]) -> u64 {
    use std::hash::{BuildHasher, Hash, Hasher};
    let fx = rustc_hash::FxBuildHasher;
    let sum = paths.iter().fold(0u64, |sum, p| sum.wrapping_add(fx.hash_one(p)));
    let mut hasher = rustc_hash::FxHasher::default();
    (sum, paths.len(), &site.config.base_url).hash(&mut hasher);
    for article in &site.articles {
        (&article.path, date(article)).hash(&mut hasher);
    }
    for entity in &site.entities {
        (&entity.id, newest(site, &entity.articles)).hash(&mut hasher);
    }
    for term in site.tags.iter().chain(&site.sources) {
        (&term.slug, newest(site, &term.articles)).hash(&mut hasher);
    }
    hasher.finish()
}

/// Whether search indexes the page at this output path: articles and
/// entity pages.
pub fn is_indexed(path: &str) -> bool {
    let page = |folder: &str| {
        path.strip_prefix(folder)
            .and_then(|rest| rest.strip_suffix("/index.html"))
            .is_some_and(|slug| !slug.is_empty() && !slug.contains('/'))
    };
    page("articles/") || page("entities/")
}

/// `sitemap.xml`: every HTML page but the 404 page, with the date of the
/// newest article it shows as `<lastmod>`, taken from the site model.
pub fn sitemap(site: &Site, paths: &[&str]) -> Page {
    // Sized first: grown, the tables took fresh memory at the very end of
    // a build, while the other cores had nothing left to do.
    let mut dates: HashMap<&str, jiff::civil::Date> =
        HashMap::with_capacity_and_hasher(site.articles.len(), Default::default());
    for article in &site.articles {
        dates.insert(&article.path, date(article));
    }
    let terms = site.tags.len() + site.sources.len();
    let mut pages: HashMap<(&str, &str), jiff::civil::Date> =
        HashMap::with_capacity_and_hasher(site.entities.len() + terms, Default::default());
    for entity in &site.entities {
        if let Some(date) = newest(site, &entity.articles) {
            pages.insert(("entities", &entity.id), date);
        }
    }
    for (folder, terms) in [("tags", &site.tags), ("sources", &site.sources)] {
        for term in terms {
            if let Some(date) = newest(site, &term.articles) {
                pages.insert((folder, &term.slug), date);
            }
        }
    }
    let latest = site.articles.first().map(date);
    // `folder/name/` is a page of its own; anything deeper is not.
    let lastmod = |url: &str| {
        let (folder, name) = url.strip_suffix('/')?.split_once('/')?;
        if name.contains('/') {
            None
        } else if folder == "articles" {
            dates.get(url).copied()
        } else {
            pages.get(&(folder, name)).copied()
        }
    };
    let mut entries: Vec<&str> = Vec::with_capacity(paths.len());
    entries.extend(
        paths
            .iter()
            .filter(|p| p.ends_with(".html") && **p != "404.html" && !p.starts_with("pagefind/"))
            .map(|path| site_url(path)),
    );
    entries.sort_unstable();
    let base = site.config.permalink("");
    // Sized once (each entry is its URL, the base and 67 bytes of markup
    // and date): grown, the 2.6 MB of a 10k site's sitemap was copied
    // into fresh memory at the very end of a build.
    let size = entries.iter().map(|url| url.len() + base.len() + 67).sum::<usize>() + 256;
    let mut xml = String::with_capacity(size);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in entries {
        xml.push_str("  <url>\n    <loc>");
        push_escaped(&mut xml, &base);
        push_escaped(&mut xml, url);
        xml.push_str("</loc>\n");
        if let Some(date) = lastmod(url).or(latest) {
            let _ = writeln!(xml, "    <lastmod>{date}</lastmod>");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    Page { path: "sitemap.xml".into(), bytes: xml.into() }
}

/// The date of the newest of `ids`: every list is newest first.
fn newest(site: &Site, ids: &[usize]) -> Option<jiff::civil::Date> {
    ids.first().and_then(|&id| site.articles.get(id)).map(date)
}

fn date(article: &crate::site::Article) -> jiff::civil::Date {
    article.annotated.doc.meta.date
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub fn robots(site: &Site) -> Page {
    let text =
        format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.config.permalink("sitemap.xml"));
    Page { path: "robots.txt".into(), bytes: text.into() }
}

/// The URL path of an output file: `articles/x/index.html` → `articles/x/`.
fn site_url(path: &str) -> &str {
    match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder,
        _ => path,
    }
}

/// Appends text escaped for XML element content and attribute values.
fn push_escaped(out: &mut String, text: &str) {
    // Most text (every URL gloss makes) needs no escaping at all.
    if text.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all, by the feeds' rule.
            c if !crate::render::escape::is_xml_char(c) => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_pretty_urls() {
        assert_eq!(site_url("index.html"), "");
        assert_eq!(site_url("articles/x/index.html"), "articles/x/");
        assert_eq!(site_url("search/index.html"), "search/");
        assert_eq!(site_url("about.html"), "about.html");
        assert_eq!(site_url("notindex.html"), "notindex.html");
    }

    #[test]
    fn articles_and_entity_pages_are_indexed() {
        assert!(is_indexed("articles/x/index.html"));
        assert!(is_indexed("entities/antony-blinken/index.html"));
        assert!(!is_indexed("entities/index.html"));
        assert!(!is_indexed("articles/x/y/index.html"));
        assert!(!is_indexed("tags/x/index.html"));
    }

    #[test]
    fn xml_escaping_covers_markup_and_quotes() {
        let mut out = String::new();
        push_escaped(&mut out, "a&b <c> \"d\" 'e'\u{1}");
        assert_eq!(out, "a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;");
    }
}
