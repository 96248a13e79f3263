//! Publish: the rendered pages and the [`Site`] → the files a host and a
//! crawler want beside them: `sitemap.xml`, `robots.txt` and the search
//! bundle (`pagefind/`, see [`crate::search`]).
//!
//! Reads pages, never changes them; a site's own `static/robots.txt` wins
//! over the generated one.

use std::collections::HashMap;

use crate::check::{self, Target};
use crate::error::Result;
use crate::render::Page;
use crate::site::Site;

/// Everything publishing adds to a built site.
pub fn files(site: &Site, pages: &[Page]) -> Result<Vec<Page>> {
    let mut more = vec![sitemap(site, pages)];
    if !pages.iter().any(|p| p.path == "robots.txt") {
        more.push(robots(site));
    }
    more.extend(crate::search::index(site, pages)?);
    Ok(more)
}

/// `sitemap.xml`: every HTML page but the 404 page, with the date of the
/// newest article it shows as `<lastmod>`.
pub fn sitemap(site: &Site, pages: &[Page]) -> Page {
    let dates: HashMap<String, jiff::civil::Date> = site
        .articles
        .iter()
        .map(|a| (format!("{}index.html", a.path), a.annotated.doc.meta.date))
        .collect();
    let mut entries: Vec<(String, Option<jiff::civil::Date>)> = pages
        .iter()
        .filter(|p| p.path.ends_with(".html") && p.path != "404.html")
        .filter(|p| !p.path.starts_with("pagefind/"))
        .map(|page| {
            // An article page shows itself; any other page shows the
            // articles it links to.
            let newest = dates.get(&page.path).copied().or_else(|| {
                check::scan(&page.bytes)
                    .urls
                    .iter()
                    .filter_map(|url| match check::resolve(url, &page.path, &site.config) {
                        Target::Internal { path, .. } => {
                            check::candidates(&path).iter().find_map(|c| dates.get(c)).copied()
                        }
                        _ => None,
                    })
                    .max()
            });
            (site_url(&page.path), newest)
        })
        .collect();
    entries.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape_xml(&site.config.permalink(&path)));
        xml.push_str("</loc>\n");
        if let Some(date) = lastmod {
            xml.push_str(&format!("    <lastmod>{date}</lastmod>\n"));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    Page { path: "sitemap.xml".into(), bytes: xml.into_bytes() }
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub fn robots(site: &Site) -> Page {
    let text =
        format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", site.config.permalink("sitemap.xml"));
    Page { path: "robots.txt".into(), bytes: text.into_bytes() }
}

/// The URL path of an output file: `articles/x/index.html` → `articles/x/`.
fn site_url(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder.to_string(),
        _ => path.to_string(),
    }
}

/// Escapes text for XML element content and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
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
    fn xml_escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape_xml("a&b <c> \"d\" 'e'\u{1}"),
            "a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
    }
}
