//! Check: a [`Built`] site in memory → the problems an editor should fix
//! before publishing: internal links and `#anchors` that lead nowhere
//! (errors), registry entries that no article mentions and quotes with no
//! speaker (warnings).
//!
//! Reads the rendered HTML with a real tokenizer (lol_html), never with
//! regexes. Never writes and never fetches: external `http(s)`, `mailto:`
//! and the like are only counted.

use std::collections::{HashMap, HashSet};
use std::fmt;

use lol_html::{HtmlRewriter, Settings, element};

use crate::annotate::quotes::Speaker;
use crate::build::Built;
use crate::config::Config;
use crate::markdown::quote_id;
use crate::render::Page;
use crate::render::context::first_words;
use crate::site::Site;

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Breaks the published site: `gloss check` exits 1.
    Error,
    /// Worth fixing in the text; the site works.
    Warning,
}

/// One thing `gloss check` found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and where, on one line.
    pub message: String,
    /// The output page it is in, when it is about one.
    pub page: Option<String>,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)
    }
}

/// Everything `gloss check` found, and how much it looked at.
#[derive(Debug, Default)]
pub struct Report {
    /// Problems, errors first, each group in page order.
    pub problems: Vec<Problem>,
    /// HTML pages read.
    pub pages: usize,
    /// Internal links and anchors followed.
    pub internal: usize,
    /// External links seen (not fetched).
    pub external: usize,
}

impl Report {
    /// Broken links and anchors.
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }

    /// Everything else.
    pub fn warnings(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Warning).count()
    }

    /// The closing line: what was checked and what was found.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| {
            if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
        };
        format!(
            "checked {} and {} ({} not fetched): {}, {}",
            plural(self.pages, "page"),
            plural(self.internal, "internal link"),
            plural(self.external, "external link"),
            plural(self.errors(), "error"),
            plural(self.warnings(), "warning"),
        )
    }
}

/// Checks a built site: its links and anchors, its registry and its quotes.
pub fn check(built: &Built) -> Report {
    let mut report = links(&built.pages, &built.site.config);
    let sources: HashMap<String, String> = built
        .site
        .articles
        .iter()
        .map(|a| (format!("{}index.html", a.path), a.annotated.doc.path.display().to_string()))
        .collect();
    for problem in &mut report.problems {
        // Point the editor at the file to fix, not only at the output page.
        if let Some(source) = problem.page.as_ref().and_then(|page| sources.get(page)) {
            problem.message.push_str(&format!(" (from {source})"));
        }
    }
    report.problems.extend(warnings(&built.site));
    report.problems.sort_by_key(|p| p.severity);
    report
}

/// What one HTML page holds that the checker needs.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every URL in `href`, `src` and `action`, in document order.
    pub urls: Vec<String>,
    /// Every `id` (and `name` of `<a>`): the anchors others may link to.
    pub ids: HashSet<String>,
}

/// Reads the URLs and ids of one HTML page. Character references in
/// attribute values are decoded, as a browser does.
pub fn scan(html: &[u8]) -> Scan {
    let urls = std::cell::RefCell::new(Vec::new());
    let ids = std::cell::RefCell::new(HashSet::new());
    {
        let mut rewriter = HtmlRewriter::new(
            Settings::new()
                .append_element_content_handler(element!("[href], [src], form[action]", |el| {
                    for name in ["href", "src", "action"] {
                        if let Some(value) = el.get_attribute(name) {
                            urls.borrow_mut().push(decode(&value));
                        }
                    }
                    Ok(())
                }))
                .append_element_content_handler(element!("[id], a[name]", |el| {
                    let tag = el.tag_name();
                    for name in ["id", "name"] {
                        if name == "name" && tag != "a" {
                            continue;
                        }
                        if let Some(value) = el.get_attribute(name) {
                            ids.borrow_mut().insert(decode(&value));
                        }
                    }
                    Ok(())
                })),
            |_: &[u8]| {},
        );
        // The tokenizer recovers from any markup, as browsers do; an error
        // here can only come from a handler, and ours never fail.
        if rewriter.write(html).is_ok() {
            let _ = rewriter.end();
        }
    }
    Scan { urls: urls.into_inner(), ids: ids.into_inner() }
}

fn decode(value: &str) -> String {
    html_escape::decode_html_entities(value.trim()).into_owned()
}

/// Where a URL in a page leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Off the site (another host, `mailto:`, `data:`…): not followed.
    External,
    /// A file of the site: its path in the output (`articles/x/` stays a
    /// folder path; see [`candidates`]) and the fragment, if any.
    Internal {
        /// Path inside the output folder, no leading slash.
        path: String,
        /// The `#fragment`, decoded, without `#`.
        fragment: Option<String>,
    },
    /// A root-relative URL outside the site's base path: it would leave the
    /// published site.
    OutsideBase,
}

/// Resolves a URL found in the page at `page` (an output path such as
/// `articles/x/index.html`) against the site's base URL.
pub fn resolve(url: &str, page: &str, config: &Config) -> Target {
    let base_path = config.base_path();
    let url = url.trim();
    let (rest, fragment) = match url.split_once('#') {
        Some((rest, fragment)) => (rest, Some(percent_decode(fragment))),
        None => (url, None),
    };
    let rest = rest.split_once('?').map_or(rest, |(path, _)| path);
    let lower = rest.to_ascii_lowercase();
    // An absolute URL on the site's own origin is internal (canonical links).
    let origin = site_origin(&config.base_url);
    let rest = match origin {
        Some(origin) if lower.starts_with(&origin.to_ascii_lowercase()) => {
            let path = rest.get(origin.len()..).unwrap_or("");
            if path.is_empty() { "/" } else { path }
        }
        _ => rest,
    };
    if rest.starts_with("//") || has_scheme(rest) {
        return Target::External;
    }
    let path = percent_decode(rest);
    let joined = if path.is_empty() {
        page.to_string()
    } else if let Some(root_relative) = path.strip_prefix('/') {
        let with_slash = format!("/{root_relative}");
        match with_slash.strip_prefix(&base_path) {
            Some(inside) => inside.to_string(),
            None if format!("{with_slash}/") == base_path => String::new(),
            None => return Target::OutsideBase,
        }
    } else {
        let dir = page.rfind('/').map_or("", |i| &page[..=i]);
        format!("{dir}{path}")
    };
    Target::Internal { path: normalize(&joined), fragment }
}

/// `https://example.org/briefings/` → `https://example.org`.
fn site_origin(base_url: &str) -> Option<&str> {
    let start = base_url.find("://")? + 3;
    let end = base_url[start..].find('/').map_or(base_url.len(), |i| start + i);
    Some(&base_url[..end])
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && !scheme.contains('/')
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Removes `.` and `..` segments; keeps a trailing slash.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let mut out = parts.join("/");
    if (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")) && !out.is_empty() {
        out.push('/');
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (b, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The output files a site path may be served from, in the order a static
/// host tries them: `x/` → `x/index.html`; `x` → `x`, then `x/index.html`.
pub fn candidates(path: &str) -> Vec<String> {
    if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.to_string(), format!("{path}/index.html")]
    }
}

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// Follows every internal link and anchor of every HTML page.
pub fn links(pages: &[Page], config: &Config) -> Report {
    let files: HashSet<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let scans: HashMap<&str, Scan> = {
        use rayon::prelude::*;
        pages
            .par_iter()
            .filter(|p| is_html(&p.path))
            .map(|p| (p.path.as_str(), scan(&p.bytes)))
            .collect()
    };
    let mut report = Report { pages: scans.len(), ..Report::default() };
    let mut order: Vec<&&str> = scans.keys().collect();
    order.sort();
    for page in order {
        let Some(found) = scans.get(*page) else { continue };
        let mut reported: HashSet<&str> = HashSet::new();
        for url in &found.urls {
            let problem = match resolve(url, page, config) {
                Target::External => {
                    report.external += 1;
                    continue;
                }
                Target::OutsideBase => {
                    report.internal += 1;
                    Some(format!(
                        "link {url} in {page} is outside the base path {}",
                        config.base_path()
                    ))
                }
                Target::Internal { path, fragment } => {
                    report.internal += 1;
                    match candidates(&path).into_iter().find(|c| files.contains(c.as_str())) {
                        None => Some(format!("broken link {url} in {page}")),
                        Some(file) => match fragment.as_deref() {
                            None | Some("") | Some("top") => None,
                            Some(id) => {
                                let has =
                                    scans.get(file.as_str()).is_some_and(|s| s.ids.contains(id));
                                (!has && is_html(&file))
                                    .then(|| format!("broken anchor {url} in {page}"))
                            }
                        },
                    }
                }
            };
            if let Some(message) = problem
                && reported.insert(url)
            {
                report.problems.push(Problem {
                    severity: Severity::Error,
                    message,
                    page: Some(page.to_string()),
                });
            }
        }
    }
    report
}

/// What the site model shows an editor should look at: registry entries
/// whose names never matched, quotes nobody is said to have said, and a
/// `base_url` that cannot make absolute URLs.
pub fn warnings(site: &Site) -> Vec<Problem> {
    let mut problems = Vec::new();
    let warn = |message: String| Problem { severity: Severity::Warning, message, page: None };
    if !site.config.base_url.contains("://") {
        problems.push(warn(format!(
            "base_url \"{}\" is not absolute: sitemap.xml, robots.txt and atom.xml need absolute URLs; set base_url in config.toml or pass --base-url https://…",
            site.config.base_url
        )));
    }
    for entity in &site.entities {
        if let Some(entry) = &entity.entry
            && entity.articles.is_empty()
        {
            let mut names = vec![format!("\"{}\"", entry.name)];
            names.extend(entry.aliases.iter().map(|a| format!("\"{a}\"")));
            problems.push(warn(format!(
                "registry entry {} is mentioned by no article: {} never matched",
                entry.path.display(),
                names.join(", ")
            )));
        }
    }
    for article in &site.articles {
        for (index, quote) in article.annotated.quotes.iter().enumerate() {
            if quote.speaker == Speaker::Unknown {
                problems.push(warn(format!(
                    "quote with no speaker in {} (#{}): \"{}\"",
                    article.annotated.doc.path.display(),
                    quote_id(index),
                    first_words(&quote.text, 8)
                )));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base_url: &str) -> Config {
        let mut config = Config::standalone();
        config.base_url = base_url.into();
        config
    }

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal { path: path.into(), fragment: fragment.map(str::to_string) }
    }

    #[test]
    fn urls_resolve_against_the_page_and_the_base_path() {
        let c = config("https://example.org/briefings/");
        let page = "articles/x/index.html";
        assert_eq!(resolve("/briefings/articles/y/", page, &c), internal("articles/y/", None));
        assert_eq!(resolve("/briefings/", page, &c), internal("", None));
        assert_eq!(resolve("/briefings", page, &c), internal("", None));
        assert_eq!(resolve("../y/#why", page, &c), internal("articles/y/", Some("why")));
        assert_eq!(resolve("#quote-1", page, &c), internal(page, Some("quote-1")));
        assert_eq!(resolve("style.css?v=2", "index.html", &c), internal("style.css", None));
        assert_eq!(resolve("/articles/y/", page, &c), Target::OutsideBase);
        assert_eq!(
            resolve("https://example.org/briefings/tags/a%20b/", page, &c),
            internal("tags/a b/", None)
        );
        for external in
            ["https://other.org/", "mailto:a@b.c", "//cdn.example/x.js", "data:image/png;base64,"]
        {
            assert_eq!(resolve(external, page, &c), Target::External, "{external}");
        }
    }

    #[test]
    fn scan_decodes_attributes_and_collects_ids() {
        let found = scan(
            b"<a href=\"&#x2F;x&#x2F;?a=1&amp;b=2\">x</a><img src=/i.png><p id=one><a name=two></a><form action=\"/search/\"></form><div name=no>",
        );
        assert_eq!(found.urls, vec!["/x/?a=1&b=2", "/i.png", "/search/"]);
        let mut ids: Vec<_> = found.ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, vec!["one", "two"]);
    }

    #[test]
    fn broken_links_and_anchors_are_errors_naming_page_and_url() {
        let page =
            |path: &str, html: &str| Page { path: path.into(), bytes: html.to_string().into() };
        let pages = vec![
            page(
                "index.html",
                "<a href=\"/a/\">a</a><a href=\"/a/#here\">ok</a><a href=\"/a/#gone\">x</a><a href=\"/nope/\">x</a><a href=\"/nope/\">again</a>",
            ),
            page(
                "a/index.html",
                "<h2 id=\"here\">Here</h2><a href=\"#top\">top</a><a href=\"../style.css\">s</a>",
            ),
            page("style.css", "body{}"),
        ];
        let report = links(&pages, &config("/"));
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "error: broken anchor /a/#gone in index.html",
                "error: broken link /nope/ in index.html",
            ]
        );
        assert_eq!(report.pages, 2);
        assert_eq!(report.internal, 7);
    }
}
