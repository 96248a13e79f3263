//! Render: the [`Site`] → pages (`(path, bytes)`), through Tera templates.
//!
//! The default theme is embedded ([`theme`]); a site's `templates/` and
//! `static/` override it file by file. Never writes to disk: the output
//! stage does.

pub mod context;
pub mod entity;
pub mod escape;
pub mod jsonld;
pub mod theme;

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::annotate::quotes::Speaker;
use crate::config::LinkMode;
use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::markdown::{self, BlockMarks, Label, Span};
use crate::site::{Article, ArticleId, EntityId, Site};
use context::*;

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its path inside the output folder (`articles/x/index.html`).
    pub path: String,
    /// Its bytes, shared: a page reused from the last build is not copied.
    pub bytes: Bytes,
}

/// What a template is rendered with: the Tera context and, when renders
/// are remembered between builds ([`Memo`]), a hash of everything put in it.
#[derive(Clone)]
struct PageContext {
    context: Context,
    hash: Option<FxHasher>,
}

impl PageContext {
    fn new(hashed: bool) -> PageContext {
        PageContext { context: Context::new(), hash: hashed.then(FxHasher::default) }
    }

    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(hasher) = self.hash.as_mut() {
            key.hash(hasher);
            // Serialised straight into the hasher, compactly (JSON's string
            // escaping was the costliest part of a rebuild). A value that
            // cannot be serialised makes the page render again, never reuse.
            if postcard::to_io(value, HashWriter(hasher)).is_err() {
                self.hash = None;
            }
        }
        self.context.insert(key, value);
    }
}

/// Feeds what serde_json writes into a hasher.
struct HashWriter<'a>(&'a mut FxHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders remembered from one build to the next, by a hash of the template
/// and everything it was given: the dev server renders again only pages
/// whose data changed. Keeps the renders of the last build only.
#[derive(Debug, Default)]
pub struct Memo {
    last: Mutex<HashMap<u64, Arc<str>>>,
    this: Mutex<HashMap<u64, Arc<str>>>,
}

impl Memo {
    fn get(&self, key: u64) -> Option<Arc<str>> {
        let found = self.last.lock().ok()?.get(&key).cloned();
        if let (Some(text), Ok(mut this)) = (&found, self.this.lock()) {
            this.insert(key, text.clone());
        }
        found
    }

    fn put(&self, key: u64, text: &str) {
        if let Ok(mut this) = self.this.lock() {
            this.insert(key, Arc::from(text));
        }
    }

    /// Ends a build: what it rendered is what the next one can reuse.
    pub fn finish(&self) {
        if let (Ok(mut last), Ok(mut this)) = (self.last.lock(), self.this.lock()) {
            *last = std::mem::take(&mut *this);
        }
    }
}

/// The templates of a site: the embedded theme with the site's own
/// `templates/` laid over it.
pub struct Templates {
    tera: Tera,
    /// A hash of every template's text, part of every [`Memo`] key.
    fingerprint: u64,
    /// Renders remembered from the previous build, if any.
    memo: Option<Arc<Memo>>,
    /// Where each template came from, for error messages: its path as
    /// shown, and its text.
    origins: HashMap<String, (PathBuf, String)>,
}

/// Loads the embedded theme and the site's `templates/` folder.
pub fn load_templates(root: &Path) -> Result<Templates> {
    let mut sources: HashMap<String, (PathBuf, String)> = theme::TEMPLATES
        .iter()
        .map(|(name, text)| {
            (
                name.to_string(),
                (PathBuf::from(format!("(built-in theme) templates/{name}")), text.to_string()),
            )
        })
        .collect();
    let dir = root.join("templates");
    if dir.is_dir() {
        // Symbolic links out of the site are refused (issue 8).
        for file in crate::content::walk(root, &dir, false)? {
            let name =
                file.strip_prefix(&dir).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            let shown = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
            let text = std::fs::read_to_string(&file).map_err(|e| Error::io("read", &file, e))?;
            sources.insert(name, (shown, text));
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let mut names: Vec<&String> = sources.keys().collect();
    names.sort();
    // Parse each template alone first so every syntax error is reported
    // with its own file; missing includes and parents are checked once all
    // are in.
    let mut errors = Vec::new();
    for name in names {
        if let Some((_, text)) = sources.get(name)
            && let Err(e) = Tera::new().add_raw_template(name, text)
            && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
        {
            errors.push(template_error(&e, &sources, None));
        }
    }
    if errors.is_empty()
        && let Err(e) = tera.add_raw_templates(
            sources.iter().map(|(name, (_, text))| (name.as_str(), text.as_str())),
        )
    {
        errors.push(template_error(&e, &sources, None));
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    let mut hasher = FxHasher::default();
    let mut names: Vec<&String> = sources.keys().collect();
    names.sort();
    for name in names {
        name.hash(&mut hasher);
        sources.get(name).map(|(_, text)| text).hash(&mut hasher);
    }
    Ok(Templates { tera, fingerprint: hasher.finish(), memo: None, origins: sources })
}

fn template_error(
    error: &tera::Error,
    origins: &HashMap<String, (PathBuf, String)>,
    page: Option<&Path>,
) -> Diagnostic {
    let rendering = page.map(|p| format!(" (while rendering {})", p.display())).unwrap_or_default();
    let help = "fix the template; the template context is documented in the README under \"Template context\"";
    match error.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let (path, text) = origins
                .get(report.filename())
                .map(|(p, t)| (p.clone(), t.as_str()))
                .unwrap_or_else(|| (PathBuf::from(format!("templates/{}", report.filename())), ""));
            let span = report.span();
            let kind = if matches!(error.kind(), tera::ErrorKind::SyntaxError(_)) {
                "template syntax error"
            } else {
                "template error"
            };
            let mut d = Diagnostic::new(path, format!("{kind}: {}{rendering}", report.message()))
                .help(help);
            if !text.is_empty() {
                d = d.at(Location::of_span(text, span.range.start, span.range.end));
            }
            d
        }
        _ => {
            let text = error.to_string();
            let message = text.trim().trim_start_matches("error: ");
            Diagnostic::new(PathBuf::from("templates"), format!("{message}{rendering}")).help(help)
        }
    }
}

impl Templates {
    /// Reuses renders from (and remembers them for) other builds.
    pub fn remember(&mut self, memo: Arc<Memo>) {
        self.memo = Some(memo);
    }

    fn context(&self) -> PageContext {
        PageContext::new(self.memo.is_some())
    }

    fn render(
        &self,
        name: &str,
        context: &PageContext,
        page: &Path,
    ) -> std::result::Result<String, Diagnostic> {
        let key = context.hash.clone().zip(self.memo.as_ref()).map(|(mut hasher, memo)| {
            (name, self.fingerprint).hash(&mut hasher);
            (hasher.finish(), memo)
        });
        if let Some((key, memo)) = &key
            && let Some(text) = memo.get(*key)
        {
            return Ok(text.to_string());
        }
        let text = self
            .tera
            .render(name, &context.context)
            .map_err(|e| template_error(&e, &self.origins, Some(page)))?;
        if let Some((key, memo)) = key {
            memo.put(key, &text);
        }
        Ok(text)
    }
}

/// What one output page is, before it is rendered.
enum Job {
    /// One page of the front page: 0 is `/`, n is `/page/<n+1>/`.
    Index(usize),
    Article(ArticleId),
    Terms {
        folder: &'static str,
        title: &'static str,
    },
    /// Page `page` (0-based) of a tag or source.
    Term {
        folder: &'static str,
        index: usize,
        page: usize,
    },
    Archive,
    Entities,
    /// Page `page` (0-based) of an entity: the first has everything, the
    /// next ones more of its articles.
    Entity {
        index: EntityId,
        page: usize,
    },
    /// Page `n` (0-based) of the quote index.
    Quotes(usize),
    NotFound,
    Feed,
    Search,
}

/// What every job shares: the site, its templates, the base context and
/// each article's body HTML (rendered once, used by its page and feeds).
struct Shared<'a> {
    site: &'a Site,
    templates: &'a Templates,
    base: PageContext,
    bodies: Vec<String>,
    /// Every quote of the site, newest article first: (article, quote).
    quotes: Vec<(ArticleId, usize)>,
    /// The most quoted speakers, for the quote index.
    speakers: Vec<SpeakerView<'a>>,
}

/// A speaker on the quote index, with how many quotes.
#[derive(Serialize)]
struct SpeakerView<'a> {
    name: &'a str,
    count: usize,
}

/// Quotes per page of the quote index.
const QUOTES_PER_PAGE: usize = 100;

/// The 40 most quoted entity speakers.
fn speakers(site: &Site) -> Vec<SpeakerView<'_>> {
    let mut speakers: Vec<SpeakerView> = site
        .entities
        .iter()
        .filter(|e| !e.quotes.is_empty())
        .map(|e| SpeakerView { name: &e.name, count: e.quotes.len() })
        .collect();
    speakers.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(b.name)));
    speakers.truncate(40);
    speakers
}

/// Renders every page of the site into memory. All template errors are
/// collected.
pub fn render(site: &Site, templates: &Templates) -> Result<Vec<Page>> {
    let pages = std::sync::Mutex::new(Vec::new());
    render_each(site, templates, |page| {
        if let Ok(mut pages) = pages.lock() {
            pages.push(page);
        }
        Ok(())
    })?;
    // Rendered on many threads: put them in a stable order.
    let mut pages = pages.into_inner().unwrap_or_default();
    pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(pages)
}

/// Renders every page of the site and hands each to `emit` as soon as it is
/// rendered (from many threads), so a build need not hold them all. All
/// template errors are collected; an error from `emit` stops the build.
pub fn render_each(
    site: &Site,
    templates: &Templates,
    emit: impl Fn(Page) -> Result<()> + Sync,
) -> Result<()> {
    let bodies: Vec<std::result::Result<String, Diagnostic>> =
        site.articles.par_iter().map(|article| body_html(site, article, templates)).collect();
    let mut errors = Vec::new();
    let bodies: Vec<String> = bodies
        .into_iter()
        .map(|b| {
            b.unwrap_or_else(|e| {
                errors.push(e);
                String::new()
            })
        })
        .collect();
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    let mut base = templates.context();
    base.insert("site", &SiteView::new(site));
    let quotes: Vec<(ArticleId, usize)> = site
        .articles
        .iter()
        .enumerate()
        .flat_map(|(id, a)| (0..a.annotated.quotes.len()).map(move |q| (id, q)))
        .collect();
    let speakers = speakers(site);
    let shared = Shared { site, templates, base, bodies, quotes, speakers };

    let mut jobs = vec![Job::Archive, Job::Entities, Job::NotFound, Job::Feed];
    if site.config.search.enabled {
        jobs.push(Job::Search);
    }
    jobs.push(Job::Terms { folder: "tags", title: "Tags" });
    jobs.push(Job::Terms { folder: "sources", title: "Sources" });
    jobs.extend((0..page_count(site.articles.len())).map(Job::Index));
    jobs.extend((0..shared.quotes.len().div_ceil(QUOTES_PER_PAGE).max(1)).map(Job::Quotes));
    jobs.extend((0..site.articles.len()).map(Job::Article));
    for (folder, terms) in [("tags", &site.tags), ("sources", &site.sources)] {
        for (index, term) in terms.iter().enumerate() {
            jobs.extend((0..page_count(term.articles.len())).map(|page| Job::Term {
                folder,
                index,
                page,
            }));
        }
    }
    for (index, entity) in site.entities.iter().enumerate() {
        jobs.extend((0..page_count(entity.articles.len())).map(|page| Job::Entity { index, page }));
    }
    let failures: Vec<Error> = jobs
        .par_iter()
        .filter_map(|job| match render_job(&shared, job) {
            Ok(pages) => pages.into_iter().try_for_each(&emit).err(),
            Err(e) => Some(Error::Content(vec![e])),
        })
        .collect();
    for failure in failures {
        match failure {
            Error::Content(mut more) => errors.append(&mut more),
            other => return Err(other),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    emit(Page { path: "syntax.css".into(), bytes: markdown::syntax_css().into() })
}

/// Articles per page of the front page, a tag, source or entity page.
const PER_PAGE: usize = 30;

/// How many pages a list of `count` articles takes (at least one).
fn page_count(count: usize) -> usize {
    count.div_ceil(PER_PAGE).max(1)
}

/// `paginator` in templates: where a list page is among its pages.
#[derive(Serialize)]
struct Paginator {
    /// 1-based.
    number: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
}

/// The site path of page `number` (0-based) of the list whose first page
/// is at `folder` (`""`, `tags/x/`): `folder`, then `folder` + `page/2/`…
fn page_path(folder: &str, number: usize) -> String {
    if number == 0 { folder.to_string() } else { format!("{folder}page/{}/", number + 1) }
}

fn paginator(base_path: &str, folder: &str, number: usize, total: usize) -> Paginator {
    Paginator {
        number: number + 1,
        total,
        previous: number.checked_sub(1).map(|n| format!("{base_path}{}", page_path(folder, n))),
        next: (number + 1 < total).then(|| format!("{base_path}{}", page_path(folder, number + 1))),
    }
}

/// The `meta` every page gets for its `<head>`: title, description,
/// canonical URL and OpenGraph type.
#[derive(Serialize)]
struct MetaView<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    kind: &'static str,
}

fn meta<'a>(
    site: &'a Site,
    title: &'a str,
    description: Option<&'a str>,
    path: &str,
    kind: &'static str,
) -> MetaView<'a> {
    let description = description.filter(|d| !d.is_empty()).unwrap_or(&site.config.description);
    MetaView { title, description, url: site.config.permalink(path), kind }
}

/// One entry of an Atom feed: what a feed reader shows, nothing more.
#[derive(Serialize)]
struct FeedEntry<'a> {
    title: &'a str,
    permalink: String,
    date: String,
    authors: &'a [String],
    source: Option<&'a str>,
    tags: Vec<LinkView<'a>>,
    summary: Option<&'a str>,
    content: &'a str,
}

/// An Atom feed of `articles` (newest first), with the full content when
/// `full` (the site feed) and summaries only otherwise (tag, source and
/// entity feeds, which would otherwise repeat every article many times).
fn feed(
    shared: &Shared<'_>,
    folder: &str,
    title: &str,
    articles: &[ArticleId],
    full: bool,
) -> std::result::Result<Page, Diagnostic> {
    let site = shared.site;
    let base = site.config.base_path();
    let limit = site.config.feed_limit.max(1);
    let entries: Vec<FeedEntry> = articles
        .iter()
        .take(limit)
        .filter_map(|&id| {
            let article = site.articles.get(id)?;
            let meta = &article.annotated.doc.meta;
            Some(FeedEntry {
                title: &meta.title,
                permalink: site.config.permalink(&article.path),
                date: meta.date.to_string(),
                authors: &meta.authors,
                source: meta.source.as_deref(),
                tags: tag_links(&base, &meta.tags),
                summary: article.annotated.summary.as_deref(),
                content: if full { shared.bodies.get(id).map_or("", String::as_str) } else { "" },
            })
        })
        .collect();
    let mut context = shared.base.clone();
    let path = format!("{folder}atom.xml");
    context.insert("pages", &entries);
    context.insert("feed_title", title);
    context.insert("feed_url", &site.config.permalink(&path));
    context.insert("home_url", &site.config.permalink(folder));
    let updated = articles
        .first()
        .and_then(|&id| site.articles.get(id))
        .map(|a| a.annotated.doc.meta.date.to_string());
    context.insert("updated", &updated.unwrap_or_else(|| "1970-01-01".into()));
    let xml = shared.templates.render("atom.xml", &context, Path::new(&path))?;
    Ok(Page { path, bytes: escape::xml_text(xml).into() })
}

fn html_page(path: String, html: String) -> Page {
    Page { path, bytes: html.into() }
}

fn render_job(shared: &Shared<'_>, job: &Job) -> std::result::Result<Vec<Page>, Diagnostic> {
    let (site, templates) = (shared.site, shared.templates);
    let base_path = site.config.base_path();
    let mut context = shared.base.clone();
    let pages = match job {
        Job::Index(number) => {
            let pages: Vec<SummaryView> = site
                .articles
                .iter()
                .skip(number * PER_PAGE)
                .take(PER_PAGE)
                .map(|a| summary(site, a))
                .collect();
            let path = page_path("", *number);
            context.insert("pages", &pages);
            context.insert(
                "paginator",
                &paginator(&base_path, "", *number, page_count(site.articles.len())),
            );
            context.insert("current_path", &format!("{base_path}{path}"));
            context.insert("meta", &meta(site, &site.config.title, None, &path, "website"));
            vec![html_page(
                format!("{path}index.html"),
                templates.render("index.html", &context, Path::new("index.html"))?,
            )]
        }
        Job::Article(id) => {
            let Some(article) = site.articles.get(*id) else { return Ok(Vec::new()) };
            let view = article_view(shared, *id, article);
            context.insert("current_path", &view.url);
            context.insert("meta", &meta(site, view.title, view.summary, &article.path, "article"));
            context.insert("jsonld", &jsonld::article(site, article));
            context.insert("page", &view);
            let html = templates.render("article.html", &context, &article.annotated.doc.path)?;
            vec![html_page(format!("{}index.html", article.path), html)]
        }
        Job::Terms { folder, title } => {
            let terms = if *folder == "tags" { &site.tags } else { &site.sources };
            let views: Vec<TermView> = terms.iter().map(|t| term(site, t, folder, false)).collect();
            context.insert("terms", &views);
            context.insert("title", title);
            context.insert("current_path", &format!("{base_path}{folder}/"));
            context.insert("meta", &meta(site, title, None, &format!("{folder}/"), "website"));
            let html = templates.render(&format!("{folder}.html"), &context, Path::new(folder))?;
            vec![html_page(format!("{folder}/index.html"), html)]
        }
        Job::Term { folder, index, page } => {
            let terms = if *folder == "tags" { &site.tags } else { &site.sources };
            let Some(t) = terms.get(*index) else { return Ok(Vec::new()) };
            let mut view = term(site, t, folder, false);
            view.pages = t
                .articles
                .iter()
                .skip(page * PER_PAGE)
                .take(PER_PAGE)
                .filter_map(|&id| site.articles.get(id))
                .map(|a| summary(site, a))
                .collect();
            let folder_path = format!("{folder}/{}/", t.slug);
            let path = page_path(&folder_path, *page);
            context.insert("current_path", &format!("{base_path}{path}"));
            context.insert("meta", &meta(site, &t.name, None, &path, "website"));
            context.insert("feed_url", &format!("{base_path}{folder_path}atom.xml"));
            context.insert(
                "paginator",
                &paginator(&base_path, &folder_path, *page, page_count(t.articles.len())),
            );
            context.insert("term", &view);
            let template = if *folder == "tags" { "tag.html" } else { "source.html" };
            let html = templates.render(template, &context, Path::new(folder))?;
            let mut pages = vec![html_page(format!("{path}index.html"), html)];
            if *page == 0 {
                let title = format!("{} · {}", t.name, site.config.title);
                pages.push(feed(shared, &folder_path, &title, &t.articles, false)?);
            }
            pages
        }
        Job::Archive => {
            #[derive(Serialize)]
            struct Month<'a> {
                label: String,
                id: String,
                pages: Vec<SummaryView<'a>>,
            }
            let mut months: Vec<Month> = Vec::new();
            for article in &site.articles {
                let date = article.annotated.doc.meta.date;
                let label = display_date(date);
                let label = format!("{} {}", label.split(' ').next().unwrap_or(""), date.year());
                if months.last().is_none_or(|m| m.label != label) {
                    months.push(Month {
                        id: crate::slug::slugify(&label),
                        label,
                        pages: Vec::new(),
                    });
                }
                if let Some(month) = months.last_mut() {
                    month.pages.push(summary(site, article));
                }
            }
            context.insert("months", &months);
            context.insert("current_path", &format!("{base_path}archive/"));
            context.insert("meta", &meta(site, "Archive", None, "archive/", "website"));
            vec![html_page(
                "archive/index.html".into(),
                templates.render("archive.html", &context, Path::new("archive"))?,
            )]
        }
        Job::Entities => {
            let views: Vec<EntityView> =
                site.entities.iter().map(|e| EntityView::new(e, &base_path)).collect();
            context.insert("entities", &views);
            context.insert("current_path", &format!("{base_path}entities/"));
            context.insert(
                "meta",
                &meta(site, "People, organizations and places", None, "entities/", "website"),
            );
            vec![html_page(
                "entities/index.html".into(),
                templates.render("entities.html", &context, Path::new("entities"))?,
            )]
        }
        Job::Entity { index, page } => {
            let Some(e) = site.entities.get(*index) else { return Ok(Vec::new()) };
            let view = EntityView::new(e, &base_path);
            let folder_path = format!("entities/{}/", e.id);
            let path = page_path(&folder_path, *page);
            let first = *page == 0;
            let quotes: Vec<QuoteView> = if first {
                e.quotes
                    .iter()
                    .filter_map(|&(a, q)| quote_view(site, site.articles.get(a)?, q))
                    .collect()
            } else {
                Vec::new()
            };
            context.insert("current_path", &format!("{base_path}{path}"));
            context.insert(
                "meta",
                &meta(site, &e.name, view.short_description.as_deref(), &path, "profile"),
            );
            if first {
                context
                    .insert("jsonld", &jsonld::entity(site, e, view.short_description.as_deref()));
            }
            context
                .insert("articles", &entity::appearances(site, *index, page * PER_PAGE, PER_PAGE));
            context.insert(
                "paginator",
                &paginator(&base_path, &folder_path, *page, page_count(e.articles.len())),
            );
            let cooccurring =
                if first { entity::cooccurring(site, *index, 12) } else { Vec::new() };
            context.insert("cooccurring", &cooccurring);
            context.insert(
                "timeline",
                &if first { entity::timeline_svg(site, *index) } else { String::new() },
            );
            context.insert("quotes", &quotes);
            context.insert("entity", &view);
            let html = templates.render("entity.html", &context, Path::new(&folder_path))?;
            let mut pages = vec![html_page(format!("{path}index.html"), html)];
            if first {
                pages.push(Page {
                    path: format!("{folder_path}card.json"),
                    bytes: entity::card_json(&view).into(),
                });
                let title = format!("{} · {}", e.name, site.config.title);
                pages.push(feed(shared, &folder_path, &title, &e.articles, false)?);
            }
            pages
        }
        Job::Quotes(number) => {
            let quotes: Vec<QuoteView> = shared
                .quotes
                .iter()
                .skip(number * QUOTES_PER_PAGE)
                .take(QUOTES_PER_PAGE)
                .filter_map(|&(a, q)| quote_view(site, site.articles.get(a)?, q))
                .collect();
            let path = page_path("quotes/", *number);
            let total = shared.quotes.len().div_ceil(QUOTES_PER_PAGE).max(1);
            context.insert("quotes", &quotes);
            context.insert("speakers", &shared.speakers);
            context.insert("paginator", &paginator(&base_path, "quotes/", *number, total));
            context.insert("current_path", &format!("{base_path}{path}"));
            context.insert("meta", &meta(site, "Quotes", None, &path, "website"));
            vec![html_page(
                format!("{path}index.html"),
                templates.render("quotes.html", &context, Path::new("quotes"))?,
            )]
        }
        Job::Search => {
            context.insert("current_path", &format!("{base_path}search/"));
            context.insert("meta", &meta(site, "Search", None, "search/", "website"));
            vec![html_page(
                "search/index.html".into(),
                templates.render("search.html", &context, Path::new("search"))?,
            )]
        }
        Job::NotFound => {
            context.insert("current_path", &format!("{base_path}404.html"));
            context.insert("meta", &meta(site, "Page not found", None, "404.html", "website"));
            vec![html_page(
                "404.html".into(),
                templates.render("404.html", &context, Path::new("404.html"))?,
            )]
        }
        Job::Feed => {
            let all: Vec<ArticleId> = (0..site.articles.len()).collect();
            vec![feed(shared, "", &site.config.title, &all, true)?]
        }
    };
    Ok(pages)
}

/// The view of a quote, or `None` when the index is out of range.
fn quote_view<'a>(site: &'a Site, article: &'a Article, index: usize) -> Option<QuoteView<'a>> {
    let base = site.config.base_path();
    let quote = article.annotated.quotes.get(index)?;
    let found = &article.annotated.entities.entities;
    let (speaker, speaker_url, speaker_id) = match &quote.speaker {
        Speaker::Entity(local) => {
            let entity = article.entity_ids.get(*local).and_then(|&id| site.entities.get(id));
            match entity {
                Some(e) => (
                    Some(e.name.as_str()),
                    Some(format!("{base}entities/{}/", e.id)),
                    Some(e.id.as_str()),
                ),
                None => (found.get(*local).map(|e| e.name.as_str()), None, None),
            }
        }
        Speaker::Description(d) => (Some(d.as_str()), None, None),
        Speaker::Unknown => (None, None, None),
    };
    Some(QuoteView {
        id: format!("quote-{}", index + 1),
        text: &quote.text,
        display_text: quote.text.trim_end().trim_end_matches([',', ':', ';']).trim_end(),
        speaker,
        speaker_url,
        speaker_id,
        cue: quote.cue.as_deref(),
        url: format!("{base}{}#quote-{}", article.path, index + 1),
        article_title: &article.annotated.doc.meta.title,
        date: article.annotated.doc.meta.date.to_string(),
    })
}

fn article_view<'a>(
    shared: &'a Shared<'a>,
    id: ArticleId,
    article: &'a Article,
) -> ArticleView<'a> {
    let site = shared.site;
    let base = site.config.base_path();
    let annotated = &article.annotated;
    let meta = &annotated.doc.meta;
    let quotes: Vec<QuoteView> =
        (0..annotated.quotes.len()).filter_map(|q| quote_view(site, article, q)).collect();
    let mut entities: Vec<EntityRefView> = article
        .entity_ids
        .iter()
        .zip(&article.mention_counts)
        .filter_map(|(&id, &mentions)| {
            let e = site.entities.get(id)?;
            Some(EntityRefView {
                id: &e.id,
                name: &e.name,
                kind: e.kind,
                url: format!("{base}entities/{}/", e.id),
                mentions,
            })
        })
        .collect();
    entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(b.name)));
    ArticleView {
        title: &meta.title,
        url: format!("{base}{}", article.path),
        permalink: site.config.permalink(&article.path),
        date: meta.date.to_string(),
        date_display: display_date(meta.date),
        source: source_link(&base, meta.source.as_deref()),
        source_url: escape::safe_url_opt(meta.source_url.as_deref()),
        summary: annotated.summary.as_deref(),
        tags: tag_links(&base, &meta.tags),
        authors: &meta.authors,
        content: shared.bodies.get(id).map_or("", String::as_str),
        sections: annotated
            .sections
            .iter()
            .map(|s| SectionView { label: &s.label, id: &s.id })
            .collect(),
        entities,
        quotes,
        related: related(site, id, article),
        extra: &meta.extra,
    }
}

/// Articles sharing the most entities with this one, rare entities
/// weighing more than common ones.
fn related<'a>(site: &'a Site, own: ArticleId, article: &'a Article) -> Vec<SummaryView<'a>> {
    let mut scores: HashMap<usize, f64> = HashMap::default();
    let total = site.articles.len().max(1) as f64;
    for &id in &article.entity_ids {
        let Some(entity) = site.entities.get(id) else { continue };
        // Entities in nearly every article say little; skip the huge lists.
        if entity.articles.len() > 200 {
            continue;
        }
        let weight = (total / entity.articles.len().max(1) as f64).ln() + 0.1;
        for &other in &entity.articles {
            *scores.entry(other).or_default() += weight;
        }
    }
    let mut ranked: Vec<(usize, f64)> = scores.into_iter().filter(|(id, _)| *id != own).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
        .into_iter()
        .take(4)
        .filter_map(|(id, _)| site.articles.get(id))
        .map(|a| summary(site, a))
        .collect()
}

/// The article body as HTML with labels, entity links, quote marks and callouts.
fn body_html(
    site: &Site,
    article: &Article,
    templates: &Templates,
) -> std::result::Result<String, Diagnostic> {
    let base = site.config.base_path();
    let annotated = &article.annotated;
    let quotes: Vec<QuoteView> =
        (0..annotated.quotes.len()).filter_map(|q| quote_view(site, article, q)).collect();
    // Block 0 is the title; the body's blocks follow.
    let mut marks: Vec<BlockMarks> =
        vec![BlockMarks::default(); annotated.blocks.len().saturating_sub(1)];
    let mark = |marks: &mut Vec<BlockMarks>, block: usize| -> Option<usize> {
        block.checked_sub(1).filter(|b| *b < marks.len())
    };
    for section in &annotated.sections {
        if let (Some(b), Some(block)) =
            (mark(&mut marks, section.block), annotated.blocks.get(section.block))
            && let Some(m) = marks.get_mut(b)
        {
            m.label = Some(Label {
                text: section.label.clone(),
                id: section.id.clone(),
                end: block.label_end,
            });
        }
    }
    let link_mode = site.config.annotate.link;
    let mut linked = vec![false; annotated.entities.entities.len()];
    for mention in &annotated.entities.mentions {
        let Some(b) = mark(&mut marks, mention.block) else { continue };
        let first = !linked.get(mention.entity).copied().unwrap_or(true);
        let wanted = match link_mode {
            LinkMode::All => true,
            LinkMode::First => first,
            LinkMode::None => false,
        };
        let Some(entity) =
            article.entity_ids.get(mention.entity).and_then(|&id| site.entities.get(id))
        else {
            continue;
        };
        if !wanted {
            continue;
        }
        if let (Some(flag), Some(m)) = (linked.get_mut(mention.entity), marks.get_mut(b)) {
            *flag = true;
            let kind = serde_json::to_value(entity.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            m.spans.push(Span {
                range: mention.range.clone(),
                open: format!(
                    "<a class=\"entity entity-{kind}\" href=\"{base}entities/{id}/\" data-entity=\"{id}\" data-kind=\"{kind}\">",
                    id = entity.id
                ),
                close: "</a>",
                anchor: None,
            });
        }
    }
    for (index, (quote, view)) in annotated.quotes.iter().zip(&quotes).enumerate() {
        let Some(b) = mark(&mut marks, quote.block) else { continue };
        let Some(m) = marks.get_mut(b) else { continue };
        let id = format!("quote-{}", index + 1);
        m.spans.push(Span {
            range: quote.range.clone(),
            open: format!("<span class=\"quote\" id=\"{id}\">"),
            close: "</span>",
            anchor: Some(id),
        });
        if view.speaker.is_some() {
            let mut context = templates.context();
            context.insert("quote", view);
            m.after.push_str(&templates.render("callout.html", &context, &annotated.doc.path)?);
        }
    }
    let events = markdown::events(&annotated.doc.body, &site.config.markdown);
    let scan = markdown::scan(&events);
    let html = markdown::render(events, &scan, &marks, site.config.markdown.highlight_code);
    // Issue 8: raw HTML is the author's own unless the site says otherwise.
    Ok(if site.config.markdown.unsafe_html { html } else { escape::sanitise_html(&html) })
}

/// A registry description (Markdown) as HTML, sanitised: descriptions are
/// often pasted from elsewhere, and land on every page that shows the entity.
pub(crate) fn markdown_to_html(text: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::ENABLE_STRIKETHROUGH),
    );
    escape::sanitise_html(&html)
}
