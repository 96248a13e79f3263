//! Search: the rendered article and entity pages and the [`Site`]'s
//! quotes → a Pagefind bundle (`pagefind/pagefind.js`, its WebAssembly and
//! index chunks) as more pages.
//!
//! Indexes from memory with the `pagefind` library; never reads or writes
//! the output folder. What is searchable and how it is faceted is decided by
//! the templates (`data-pagefind-body`, `data-pagefind-filter`); this stage
//! adds only what the body HTML cannot carry: the weight of "Why it
//! matters", a title for each quote anchor (so quotes become sub-results),
//! and one record per quote (so the speaker facet narrows quotes).

use std::collections::BTreeMap;

use lol_html::{RewriteStrSettings, element, rewrite_str};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::annotate::quotes::Speaker;
use crate::error::{Error, Result};
use crate::markdown::quote_id;
use crate::render::Page;
use crate::render::context::{first_words, iso_date};
use crate::site::{Article, Site};

/// The folder of the bundle in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// The `kind` filter value of a quote record.
pub const QUOTE_KIND: &str = "Quote";

/// How much more a word in "Why it matters" counts than one in the body
/// (Pagefind's `<h1>` counts 7, body text 1).
const WHY_IT_MATTERS_WEIGHT: &str = "4";

/// One thing to index.
enum Record {
    /// A rendered page: its output path, HTML, and the titles of its
    /// quote anchors (marked up by [`prepare`] when indexed).
    Html { path: String, html: bytes::Bytes, quote_titles: Vec<String> },
    /// A quote: its URL (article plus `#quote-N`) and what describes it.
    Quote {
        url: String,
        content: String,
        meta: BTreeMap<String, String>,
        filters: BTreeMap<String, Vec<String>>,
    },
}

/// Builds the search bundle for the site's article and entity pages.
pub fn index(site: &Site, pages: &[Page]) -> Result<Vec<Page>> {
    let by_path: std::collections::HashMap<&str, &Page> =
        pages.iter().map(|p| (p.path.as_str(), p)).collect();
    Plan::new(site, |path| by_path.get(path).map(|p| p.bytes.clone())).bundle()
}

/// What to index, taken from a built site: owns its data, so the slow part
/// ([`Plan::bundle`]) can run on another thread after the site is gone
/// (the dev server does it off the critical path).
pub struct Plan {
    records: Vec<Record>,
    language: String,
}

impl Plan {
    /// Gathers the pages (by output path) and quote records to index.
    pub fn new(site: &Site, page: impl Fn(&str) -> Option<bytes::Bytes>) -> Plan {
        let language = site.config.language.split(['-', '_']).next().unwrap_or("en").to_lowercase();
        Plan { records: records(site, page), language }
    }

    /// Indexes everything and returns the bundle's files as pages.
    pub fn bundle(self) -> Result<Vec<Page>> {
        let Plan { records, language } = self;
        // Pagefind's API is async on tokio. A thread of our own with a
        // current-thread runtime works whether or not the caller already
        // runs inside a runtime (the dev server does).
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .build()
                        .map_err(|e| format!("could not start the indexing runtime: {e}"))?;
                    runtime.block_on(build_bundle(records, language))
                })
                .join()
                .unwrap_or_else(|_| Err("the indexer stopped unexpectedly".to_string()))
        })
        .map_err(Error::Search)
    }
}

async fn build_bundle(
    records: Vec<Record>,
    language: String,
) -> std::result::Result<Vec<Page>, String> {
    let options = PagefindServiceConfig::builder().force_language(language.clone()).build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| e.to_string())?;
    for record in records {
        match record {
            Record::Html { path, html, quote_titles } => {
                let html = String::from_utf8_lossy(&html).into_owned();
                let html = if quote_titles.is_empty() && !html.contains("why-it-matters") {
                    html
                } else {
                    prepare(&html, &quote_titles)
                };
                index
                    .add_html_file(Some(path.clone()), None, html)
                    .await
                    .map_err(|e| format!("{path}: {e}"))?;
            }
            Record::Quote { url, content, meta, filters } => {
                index
                    .add_custom_record(
                        url.clone(),
                        content,
                        language.clone(),
                        Some(meta),
                        Some(filters),
                        None,
                    )
                    .await
                    .map_err(|e| format!("{url}: {e}"))?;
            }
        }
    }
    let files = index.get_files().await.map_err(|e| e.to_string())?;
    Ok(files
        .into_iter()
        .map(|file| Page {
            path: format!(
                "{BUNDLE_DIR}/{}",
                file.filename.to_string_lossy().replace('\\', "/").trim_start_matches('/')
            ),
            bytes: file.contents.into(),
        })
        .collect())
}

/// The pages to index (articles and entity pages) and one record per quote.
fn records(site: &Site, page: impl Fn(&str) -> Option<bytes::Bytes>) -> Vec<Record> {
    let mut records = Vec::new();
    for article in &site.articles {
        let path = format!("{}index.html", article.path);
        if let Some(p) = page(&path) {
            let titles: Vec<String> = (0..article.annotated.quotes.len())
                .map(|i| quote_title(site, article, i).unwrap_or_default())
                .collect();
            records.push(Record::Html { html: p, path, quote_titles: titles });
        }
        records.extend(quote_records(site, article));
    }
    for entity in &site.entities {
        let path = format!("entities/{}/index.html", entity.id);
        if let Some(p) = page(&path) {
            records.push(Record::Html { html: p, path, quote_titles: Vec::new() });
        }
    }
    records
}

/// Marks up an article's HTML for the indexer: "Why it matters" weighs
/// more, and each quote anchor gets a title so Pagefind lists it as a
/// sub-result (it does that for headings with ids, and for any element
/// with an id and `data-pagefind-title`). The published HTML is unchanged.
fn prepare(html: &str, quote_titles: &[String]) -> String {
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("#why-it-matters", |el| {
            if !el.has_attribute("data-pagefind-weight") {
                el.set_attribute("data-pagefind-weight", WHY_IT_MATTERS_WEIGHT)?;
            }
            Ok(())
        }))
        .append_element_content_handler(element!("span.quote[id]", |el| {
            let number = el
                .get_attribute("id")
                .and_then(|id| id.strip_prefix("quote-")?.parse::<usize>().ok());
            let title = number.and_then(|n| quote_titles.get(n.checked_sub(1)?));
            if let Some(title) = title.filter(|t| !t.is_empty())
                && !el.has_attribute("data-pagefind-title")
            {
                el.set_attribute("data-pagefind-title", title)?;
            }
            Ok(())
        }));
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// The speaker of a quote as shown: an entity's name or a description.
fn speaker(site: &Site, article: &Article, index: usize) -> Option<String> {
    let quote = article.annotated.quotes.get(index)?;
    match &quote.speaker {
        Speaker::Entity(local) => {
            let site_entity = article.entity_ids.get(*local).and_then(|&id| site.entities.get(id));
            match site_entity {
                Some(e) => Some(e.name.clone()),
                None => article.annotated.entities.entities.get(*local).map(|e| e.name.clone()),
            }
        }
        Speaker::Description(d) => Some(d.clone()),
        Speaker::Unknown => None,
    }
}

/// "Antony Blinken: “Russia would struggle to sustain its assault…”".
fn quote_title(site: &Site, article: &Article, index: usize) -> Option<String> {
    let quote = article.annotated.quotes.get(index)?;
    let text = first_words(&quote.text, 12);
    Some(match speaker(site, article, index) {
        Some(name) => format!("{name}: “{text}”"),
        None => format!("“{text}”"),
    })
}

/// One search record per quote, faceted like its article plus its speaker.
fn quote_records(site: &Site, article: &Article) -> Vec<Record> {
    let meta = &article.annotated.doc.meta;
    (0..article.annotated.quotes.len())
        .filter_map(|index| {
            let quote = article.annotated.quotes.get(index)?;
            let speaker = speaker(site, article, index);
            let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
            filters.insert("kind".into(), vec![QUOTE_KIND.into()]);
            if let Some(name) = &speaker {
                filters.insert("speaker".into(), vec![name.clone()]);
                if matches!(quote.speaker, Speaker::Entity(_)) {
                    filters.insert("entity".into(), vec![name.clone()]);
                }
            }
            if let Some(source) = &meta.source {
                filters.insert("source".into(), vec![source.clone()]);
            }
            if !meta.tags.is_empty() {
                filters.insert("tag".into(), meta.tags.clone());
            }
            let mut record_meta = BTreeMap::new();
            record_meta.insert("title".to_string(), format!("“{}”", first_words(&quote.text, 24)));
            record_meta.insert("article".to_string(), meta.title.clone());
            record_meta.insert("date".to_string(), iso_date(meta.date));
            if let Some(name) = &speaker {
                record_meta.insert("speaker".to_string(), name.clone());
            }
            let content = match &speaker {
                Some(name) => format!("{} {name}", quote.text),
                None => quote.text.clone(),
            };
            Some(Record::Quote {
                url: format!("/{}#{}", article.path, quote_id(index)),
                content,
                meta: record_meta,
                filters,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_weights_why_it_matters_and_titles_quotes() {
        let html = "<section class=\"brief-block\" id=\"why-it-matters\"><p>x</p></section><p><span class=\"quote\" id=\"quote-1\">a</span> <span class=\"quote\" id=\"quote-2\">b</span></p>";
        let out = prepare(html, &["Blinken: “a”".into(), String::new()]);
        assert!(out.contains("id=\"why-it-matters\" data-pagefind-weight=\"4\""), "{out}");
        assert!(out.contains("id=\"quote-1\" data-pagefind-title=\"Blinken: “a”\""), "{out}");
        assert!(out.contains("<span class=\"quote\" id=\"quote-2\">b"), "{out}");
    }
}
