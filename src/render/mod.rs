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

use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rustc_hash::{FxHashMap as HashMap, FxHasher};
use std::path::{Path, PathBuf};

use bytes::Bytes;
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::annotate::quotes::Speaker;
use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::markdown::{self, Hole};
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

/// What the dev server keeps between rebuilds so that a one-article edit
/// renders only the pages that show that article: each page by a
/// fingerprint of everything it shows, each article body,
/// and each article's related list. Holds what the last build made or
/// reused, nothing older.
#[derive(Default)]
pub struct Memo(Remembered);

#[derive(Default)]
struct Remembered {
    pages: HashMap<u64, Vec<Page>>,
    bodies: HashMap<u64, tera::Value>,
    /// Related articles, as path hashes ([`Digests::keys`]).
    related: HashMap<u64, Arc<[u64]>>,
    /// [`Digests::faces`], by [`Digests::articles`].
    faces: HashMap<u64, u64>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

/// [`Digests::faces`] of one article: what entity pages show of it (each
/// entity's mentions and first-mention sentence, the quotes).
fn face(article: &Article, listing: u64, idents: &[u64]) -> u64 {
    let annotated = &article.annotated;
    let mut hasher = FxHasher::default();
    listing.hash(&mut hasher);
    for (&e, appearance) in article.entity_ids.iter().zip(&annotated.appearances) {
        (idents.get(e), appearance).hash(&mut hasher);
    }
    for quote in &annotated.quotes {
        let speaker = match &quote.speaker {
            Speaker::Entity(local) => (Some(*local), None),
            Speaker::Description(d) => (None, Some(d.as_str())),
            Speaker::Unknown => (None, None),
        };
        (&quote.text, speaker, &quote.cue).hash(&mut hasher);
    }
    hasher.finish()
}

/// Forgets what this build did not use, once `remembered` holds twice what
/// one build needs (`live`): each edit adds a few entries, and a long
/// session must not grow without end.
fn prune<T>(
    remembered: &mut HashMap<u64, T>,
    live: usize,
    used: impl FnOnce() -> rustc_hash::FxHashSet<u64>,
) {
    if remembered.len() > 2 * live.max(16) {
        let used = used();
        remembered.retain(|key, _| used.contains(key));
    }
}

/// Hashes the digests (one of [`Digests`]' per-article lists) of `ids`.
fn hash_each<'i>(
    hasher: &mut FxHasher,
    digests: &[u64],
    ids: impl IntoIterator<Item = &'i ArticleId>,
) {
    for &id in ids {
        digests.get(id).hash(hasher);
    }
}

/// The ids on page `page` (0-based) of a list.
fn page_of(ids: &[ArticleId], page: usize) -> &[ArticleId] {
    let start = (page * PER_PAGE).min(ids.len());
    ids.get(start..(start + PER_PAGE).min(ids.len())).unwrap_or(&[])
}

/// The key an article's body is remembered by.
fn body_key(d: &Digests, id: ArticleId) -> u64 {
    hash_one((d.global, d.articles.get(id)))
}

fn hash_one(value: impl Hash) -> u64 {
    let mut hasher = FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// Hashes of the model that page fingerprints are made of, computed once
/// per build. A page's fingerprint hashes the digests of everything its
/// view reads, so equal fingerprints mean equal pages; ids are positions
/// that move when articles come and go, so only stable values (paths,
/// texts, names) go into a digest.
struct Digests {
    /// What every page depends on: templates, config, registry.
    global: u64,
    /// Per article: its path (stable across builds).
    keys: Vec<u64>,
    /// Per article: its file (path and text, so everything annotation
    /// found) and the id, name and kind of each entity it links to.
    articles: Vec<u64>,
    /// Per article: what a list of articles shows of it (title, date,
    /// summary, source, tags, authors), which changes far less often.
    listings: Vec<u64>,
    /// Per article: what entity pages and the quote index show of it (its
    /// listing, entities, mention counts, the sentences of first mentions,
    /// quotes), so an edit elsewhere in its body leaves them alone.
    faces: Vec<u64>,
    /// Per entity: what its entry in a list shows.
    entities: Vec<u64>,
    /// Per entity: the paths of its articles, in order.
    members: Vec<u64>,
    /// Article by path hash, to turn a remembered related list into ids.
    by_key: HashMap<u64, ArticleId>,
}

impl Digests {
    fn new(site: &Site, templates: &Templates, known_faces: &HashMap<u64, u64>) -> Digests {
        let mut global = FxHasher::default();
        templates.fingerprint.hash(&mut global);
        // Config and registry are small; their Debug text covers every field.
        format!("{:?}", site.config).hash(&mut global);
        for entry in site.entities.iter().filter_map(|e| e.entry.as_ref()) {
            format!("{entry:?}").hash(&mut global);
        }
        let keys: Vec<u64> = site.articles.par_iter().map(|a| hash_one(&a.path)).collect();
        let idents: Vec<u64> =
            site.entities.par_iter().map(|e| hash_one((&e.id, &e.name, e.kind))).collect();
        let articles: Vec<u64> = site
            .articles
            .par_iter()
            .map(|a| {
                let mut hasher = FxHasher::default();
                a.annotated.doc.digest.hash(&mut hasher);
                for &e in &a.entity_ids {
                    idents.get(e).hash(&mut hasher);
                }
                hasher.finish()
            })
            .collect();
        let listings: Vec<u64> = site
            .articles
            .par_iter()
            .map(|a| {
                let meta = &a.annotated.doc.meta;
                hash_one((
                    &a.path,
                    &meta.title,
                    meta.date,
                    &a.annotated.summary,
                    &meta.source,
                    &meta.tags,
                    &meta.authors,
                ))
            })
            .collect();
        let faces = site
            .articles
            .par_iter()
            .zip(&articles)
            .zip(&listings)
            .map(|((article, digest), listing)| match known_faces.get(digest) {
                Some(&face) => face,
                None => face(article, *listing, &idents),
            })
            .collect();
        let entities = site
            .entities
            .par_iter()
            .zip(&idents)
            .map(|(e, ident)| {
                hash_one((
                    ident,
                    &e.surfaces,
                    &e.roles,
                    e.mentions,
                    e.articles.len(),
                    e.quotes.len(),
                ))
            })
            .collect();
        let members = site
            .entities
            .par_iter()
            .map(|e| {
                let mut hasher = FxHasher::default();
                hash_each(&mut hasher, &keys, &e.articles);
                hasher.finish()
            })
            .collect();
        let by_key = keys.iter().enumerate().map(|(id, &key)| (key, id)).collect();
        Digests {
            global: global.finish(),
            keys,
            articles,
            listings,
            faces,
            entities,
            members,
            by_key,
        }
    }
}

/// The templates of a site: the embedded theme with the site's own
/// `templates/` laid over it.
pub struct Templates {
    tera: Tera,
    /// A hash of every template's text, part of every [`Memo`] key.
    fingerprint: u64,
    /// Where each template came from, for error messages: its path as
    /// shown, and its text.
    origins: HashMap<String, (PathBuf, String)>,
    /// The size of each template's last page, plus room: a page rendered
    /// into a buffer that large is rarely copied while it grows.
    page_sizes: HashMap<String, AtomicUsize>,
}

/// Tera's `safe`, without the copy Tera's own makes of the string: every
/// article page marks its body and its JSON-LD safe.
fn safe(value: tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    if value.is_string() { value.mark_safe() } else { tera::Value::safe_string(&value.to_string()) }
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
    tera.register_filter("safe", safe);
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
    let page_sizes = sources.keys().map(|name| (name.clone(), AtomicUsize::new(0))).collect();
    Ok(Templates { tera, fingerprint: hasher.finish(), origins: sources, page_sizes })
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
    fn render(
        &self,
        name: &str,
        context: &Context,
        page: &Path,
    ) -> std::result::Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| template_error(&e, &self.origins, Some(page)))
    }

    /// Renders a whole page, as bytes (Tera writes only UTF-8).
    fn render_page(
        &self,
        name: &str,
        context: &Context,
        page: &Path,
    ) -> std::result::Result<Vec<u8>, Diagnostic> {
        let size = self.page_sizes.get(name);
        let mut bytes = Vec::with_capacity(size.map_or(0, |s| s.load(Ordering::Relaxed)));
        self.tera
            .render_to(name, context, &mut bytes)
            .map_err(|e| template_error(&e, &self.origins, Some(page)))?;
        if let Some(size) = size {
            size.store(bytes.len() + bytes.len() / 4, Ordering::Relaxed);
        }
        // A page much smaller than the last would keep the slack for as
        // long as it lives, and the dev server holds every page.
        if bytes.capacity() > 2 * bytes.len() {
            bytes.shrink_to_fit();
        }
        Ok(bytes)
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
/// what more than one page uses (article bodies, quotes, speakers).
struct Shared<'a> {
    site: &'a Site,
    templates: &'a Templates,
    /// The context every page starts from, one per thread: Tera clones a
    /// value's reference count on every lookup, and pages on two cores
    /// sharing one `site` value wait on each other for it.
    bases: Vec<Context>,
    /// Each article's body, made when first needed: a template value,
    /// which pages and feeds share without copying it.
    bodies: Vec<OnceLock<tera::Value>>,
    /// The bodies' HTML a site rendered once handed over ([`render_once`]),
    /// each taken by its article's page; empty otherwise.
    handed: Vec<Mutex<Option<String>>>,
    /// Each article's related articles, found when first needed, with the
    /// key they are remembered by.
    related: Vec<OnceLock<(u64, Vec<ArticleId>)>>,
    /// Each article's place in path order, and each entity's in id order:
    /// related articles and entities break ties by them.
    path_ranks: Vec<u32>,
    id_ranks: Vec<u32>,
    /// Present when renders are remembered between builds.
    digests: Option<Digests>,
    /// What the last build left (its pages are taken out before rendering).
    last: Remembered,
    /// Tag and source links, shared by every view of an article.
    links: &'a Links<'a>,
    /// Each article as lists show it.
    summaries: PerArticle<'a>,
    /// Each article as feeds show it, without its content.
    feed_entries: PerArticle<'a>,
    /// Every quote of the site, newest article first: (article, quote).
    quotes: Vec<(ArticleId, usize)>,
    /// The most quoted speakers, for the quote index.
    speakers: Vec<SpeakerView<'a>>,
    /// The same as a template value, made once: every page of the quote
    /// index shows it.
    speakers_value: tera::Value,
    /// Each entity as articles' JSON-LD refers to it.
    entity_refs: jsonld::EntityRefs<'a>,
    /// Per thread, the quote views of the last article pages it made: the
    /// page of the quote index that follows them shows the same quotes.
    recent_quotes: Vec<Mutex<std::collections::VecDeque<ArticleQuotes>>>,
}

/// An article and the views of its quotes.
type ArticleQuotes = (ArticleId, Vec<tera::Value>);

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

/// Renders every page of the site into memory, in no particular order,
/// reusing and updating `memo` when rebuilding. All template errors are
/// collected.
pub fn render(site: &Site, templates: &Templates, memo: Option<&mut Memo>) -> Result<Vec<Page>> {
    let pages = std::sync::Mutex::new(Vec::new());
    render_each(site, templates, memo, |page| {
        if let Ok(mut pages) = pages.lock() {
            pages.push(page);
        }
        Ok(())
    })?;
    Ok(pages.into_inner().unwrap_or_default())
}

/// Renders every page of the site and hands each to `emit` as soon as it is
/// rendered (from many threads), so a build need not hold them all. All
/// template errors are collected; an error from `emit` stops the build.
/// With a `memo` (the dev server's), pages the last build made from the same
/// data are reused rather than rendered.
pub fn render_each(
    site: &Site,
    templates: &Templates,
    memo: Option<&mut Memo>,
    emit: impl Fn(Page) -> Result<()> + Sync,
) -> Result<()> {
    render_all(site, templates, memo, Vec::new(), emit)
}

/// [`render_each`] for a site rendered once, as `gloss build` renders it:
/// each article hands its body's HTML to its page, which lets it go once
/// made, so that its memory serves the pages after it rather than fresh
/// pages from the kernel (a 10k build peaked 28 MB lower, a 100k build
/// 186 MB). The site feed shows its articles' bodies too: theirs stay.
pub fn render_once(
    site: &mut Site,
    templates: &Templates,
    emit: impl Fn(Page) -> Result<()> + Sync,
) -> Result<()> {
    let in_feed = site.config.feed_size();
    let handed = site
        .articles
        .iter_mut()
        .enumerate()
        .map(|(id, article)| {
            Mutex::new(if id < in_feed { None } else { article.annotated.html.take() })
        })
        .collect();
    render_all(site, templates, None, handed, emit)
}

fn render_all(
    site: &Site,
    templates: &Templates,
    mut memo: Option<&mut Memo>,
    handed: Vec<Mutex<Option<String>>>,
    emit: impl Fn(Page) -> Result<()> + Sync,
) -> Result<()> {
    let bases: Vec<Context> = (0..rayon::current_num_threads())
        .map(|_| {
            let mut base = Context::new();
            base.insert("site", &SiteView::new(site));
            base
        })
        .collect();
    // Sized first: a list grown by doubling takes fresh memory at each
    // step, and this runs on one core while the others wait.
    let mut quotes: Vec<(ArticleId, usize)> =
        Vec::with_capacity(site.articles.iter().map(|a| a.annotated.quotes.len()).sum());
    for (id, article) in site.articles.iter().enumerate() {
        quotes.extend((0..article.annotated.quotes.len()).map(|q| (id, q)));
    }
    let speakers = speakers(site);
    let speakers_value = tera::Value::from_serializable(&speakers);
    let mut last = memo.as_deref_mut().map(|m| std::mem::take(&mut m.0)).unwrap_or_default();
    let mut last_pages = std::mem::take(&mut last.pages);
    let links = Links::new(site);
    let partial_context = bases.first().cloned().unwrap_or_default();
    let summary_of = |article: &Article| {
        let summary = context::summary_value(site, &links, article);
        with_rendered(summary, templates, &partial_context, "item", "summary.html", "html")
    };
    let entry_of = |article: &Article| {
        let entry = feed_entry(site, &links, article);
        with_rendered(entry, templates, &partial_context, "page", "atom_entry.xml", "xml")
    };
    let shared = Shared {
        site,
        templates,
        bases,
        bodies: site.articles.iter().map(|_| OnceLock::new()).collect(),
        handed,
        related: site.articles.iter().map(|_| OnceLock::new()).collect(),
        path_ranks: entity::ranks_by(site.articles.len(), |i| {
            site.articles.get(i).map(|a| a.path.as_str())
        }),
        id_ranks: entity::ranks_by(site.entities.len(), |i| {
            site.entities.get(i).map(|e| e.id.as_str())
        }),
        digests: memo.is_some().then(|| Digests::new(site, templates, &last.faces)),
        last,
        links: &links,
        summaries: PerArticle::new(site, &summary_of),
        feed_entries: PerArticle::new(site, &entry_of),
        quotes,
        speakers,
        speakers_value,
        entity_refs: jsonld::EntityRefs::new(site),
        recent_quotes: (0..rayon::current_num_threads()).map(|_| Mutex::default()).collect(),
    };

    let term_pages: usize =
        site.tags.iter().chain(&site.sources).map(|t| page_count(t.articles.len())).sum();
    let entity_pages: usize = site.entities.iter().map(|e| page_count(e.articles.len())).sum();
    let mut jobs = Vec::with_capacity(
        8 + page_count(site.articles.len())
            + shared.quotes.len().div_ceil(QUOTES_PER_PAGE)
            + site.articles.len()
            + term_pages
            + entity_pages,
    );
    jobs.extend([Job::Entities, Job::NotFound, Job::Feed]);
    if site.config.search.enabled {
        jobs.push(Job::Search);
    }
    jobs.push(Job::Terms { folder: "tags", title: "Tags" });
    jobs.push(Job::Terms { folder: "sources", title: "Sources" });
    jobs.extend((0..page_count(site.articles.len())).map(Job::Index));
    // Each page of the quote index right after the article pages whose
    // quotes it shows, so that it finds their views made (`recent_quotes`).
    let quote_pages = shared.quotes.len().div_ceil(QUOTES_PER_PAGE).max(1);
    let last_article = |page: usize| {
        let end = ((page + 1) * QUOTES_PER_PAGE).min(shared.quotes.len());
        shared.quotes.get(end.checked_sub(1)?).map(|&(article, _)| article)
    };
    let mut quote_page = 0;
    for id in 0..site.articles.len() {
        jobs.push(Job::Article(id));
        while quote_page < quote_pages && last_article(quote_page).is_some_and(|a| a <= id) {
            jobs.push(Job::Quotes(quote_page));
            quote_page += 1;
        }
    }
    jobs.extend((quote_page..quote_pages).map(Job::Quotes));
    // The archive shows every article's summary on one page, made by one
    // core: after the lists and article pages, which make the summaries on
    // every core, a 10k build measured 2 % faster than with it first.
    jobs.push(Job::Archive);
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
    // Pages whose fingerprint the last build had are reused; the rest are
    // rendered, and streamed to `emit` as they are.
    let keys: Vec<Option<u64>> = match &shared.digests {
        Some(d) => jobs.par_iter().map(|job| Some(shared.fingerprint(d, job))).collect(),
        None => vec![None; jobs.len()],
    };
    let mut reused: Vec<&Vec<Page>> = Vec::new();
    let mut fresh: Vec<(&Job, Option<u64>)> = Vec::with_capacity(jobs.len());
    for (job, &key) in jobs.iter().zip(&keys) {
        match key.and_then(|key| last_pages.get(&key)) {
            Some(pages) => reused.push(pages),
            None => fresh.push((job, key)),
        }
    }
    let rendered = Mutex::new(Vec::new());
    let mut failures: Vec<Error> = fresh
        .par_iter()
        .with_max_len(16)
        .filter_map(|&(job, key)| match render_job(&shared, job) {
            Ok(pages) => {
                if let (Some(key), Ok(mut list)) = (key, rendered.lock()) {
                    list.push((key, pages.clone()));
                }
                pages.into_iter().try_for_each(&emit).err()
            }
            Err(e) => Some(Error::Content(vec![e])),
        })
        .collect();
    // Handing out reused pages is cheap: one thread, no contention.
    if let Err(e) = reused.into_iter().flatten().cloned().try_for_each(&emit) {
        failures.push(e);
    }
    if let Some(memo) = memo {
        last_pages.extend(rendered.into_inner().unwrap_or_default());
        let used = || keys.iter().flatten().copied().collect::<rustc_hash::FxHashSet<u64>>();
        prune(&mut last_pages, jobs.len(), used);
        memo.0 = shared.remember(last_pages);
    } else {
        shared.let_go();
    }
    let mut errors: Vec<Diagnostic> = Vec::new();
    for failure in failures {
        match failure {
            // An article whose body fails fails its page and the feed alike.
            Error::Content(more) => {
                for e in more {
                    if !errors.iter().any(|seen| seen.to_string() == e.to_string()) {
                        errors.push(e);
                    }
                }
            }
            other => return Err(other),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    emit(Page { path: "syntax.css".into(), bytes: markdown::syntax_css().into() })
}

/// This pool thread's one of `slots` (made one per thread of the pool).
fn this_thread<T>(slots: &[T]) -> Option<&T> {
    slots.get(rayon::current_thread_index().unwrap_or(0))
}

/// How many articles' quote views each thread keeps: a page of the quote
/// index shows the quotes of some ten articles.
const RECENT_QUOTE_ARTICLES: usize = 32;

impl Shared<'_> {
    /// Keeps the quote views of article `id` for this thread's next page
    /// of the quote index, in place of the oldest.
    fn remember_quotes(&self, id: ArticleId, quotes: Vec<tera::Value>) {
        let Some(Ok(mut recent)) = this_thread(&self.recent_quotes).map(Mutex::lock) else {
            return;
        };
        if recent.len() == RECENT_QUOTE_ARTICLES {
            recent.pop_front();
        }
        recent.push_back((id, quotes));
    }

    /// The view of quote `q` of article `id`, when this thread made it for
    /// the article's page a moment ago.
    fn recent_quote(&self, id: ArticleId, q: usize) -> Option<tera::Value> {
        let recent = this_thread(&self.recent_quotes)?.lock().ok()?;
        let (_, quotes) = recent.iter().rev().find(|(article, _)| *article == id)?;
        quotes.get(q).cloned()
    }

    /// A copy of this thread's base context.
    fn base(&self) -> Context {
        this_thread(&self.bases).or(self.bases.first()).cloned().unwrap_or_default()
    }

    /// Frees the values made for pages off the caller's path: at the end of
    /// a 10k build, freeing them took the last core a hundredth of a second
    /// while the others waited.
    fn let_go(self) {
        let values = (
            self.bodies,
            self.related,
            self.summaries.into_values(),
            self.feed_entries.into_values(),
        );
        std::thread::spawn(move || drop(values));
    }

    /// What the next build can reuse: `pages`, and the bodies and related
    /// lists of the last build with those this one made added.
    fn remember(self, pages: HashMap<u64, Vec<Page>>) -> Remembered {
        let mut last = self.last;
        let Some(d) = &self.digests else { return Remembered::default() };
        let count = self.site.articles.len();
        let body_keys: Vec<u64> = (0..count).map(|id| body_key(d, id)).collect();
        for (slot, &key) in self.bodies.iter().zip(&body_keys) {
            if let Some(body) = slot.get() {
                last.bodies.entry(key).or_insert_with(|| body.clone());
            }
        }
        prune(&mut last.bodies, count, || body_keys.iter().copied().collect());
        let mut related_keys = Vec::with_capacity(count);
        for (key, ids) in self.related.iter().filter_map(OnceLock::get) {
            related_keys.push(*key);
            last.related
                .entry(*key)
                .or_insert_with(|| ids.iter().filter_map(|&a| d.keys.get(a).copied()).collect());
        }
        prune(&mut last.related, count, || related_keys.iter().copied().collect());
        last.faces.extend(d.articles.iter().copied().zip(d.faces.iter().copied()));
        prune(&mut last.faces, count, || d.articles.iter().copied().collect());
        Remembered { pages, ..last }
    }

    /// A hash of everything the pages of `job` show: the job itself, the
    /// global digest, and the digests of the articles and entities its
    /// view reads (see [`render_job`] for what each reads).
    fn fingerprint(&self, d: &Digests, job: &Job) -> u64 {
        let site = self.site;
        let mut hasher = FxHasher::default();
        d.global.hash(&mut hasher);
        let feed_limit = site.config.feed_size();
        match job {
            Job::Index(number) => {
                ("index", number, site.articles.len()).hash(&mut hasher);
                d.listings
                    .iter()
                    .skip(number * PER_PAGE)
                    .take(PER_PAGE)
                    .for_each(|l| l.hash(&mut hasher));
            }
            Job::Article(id) => {
                // By path, not position: a new article moves every position.
                ("article", d.keys.get(*id)).hash(&mut hasher);
                hash_each(&mut hasher, &d.articles, &[*id]);
                hash_each(&mut hasher, &d.listings, self.related(*id));
            }
            Job::Terms { folder, .. } => {
                ("terms", folder).hash(&mut hasher);
                let terms = if *folder == "tags" { &site.tags } else { &site.sources };
                for t in terms {
                    (&t.name, &t.slug, t.articles.len()).hash(&mut hasher);
                }
            }
            Job::Term { folder, index, page } => {
                ("term", folder, page).hash(&mut hasher);
                let terms = if *folder == "tags" { &site.tags } else { &site.sources };
                if let Some(t) = terms.get(*index) {
                    (&t.name, &t.slug, t.articles.len()).hash(&mut hasher);
                    hash_each(&mut hasher, &d.listings, page_of(&t.articles, *page));
                    if *page == 0 {
                        hash_each(&mut hasher, &d.listings, t.articles.iter().take(feed_limit));
                    }
                }
            }
            Job::Archive => {
                "archive".hash(&mut hasher);
                d.listings.hash(&mut hasher);
            }
            Job::Entities => {
                "entities".hash(&mut hasher);
                d.entities.hash(&mut hasher);
            }
            Job::Entity { index, page } => {
                ("entity", page, d.entities.get(*index)).hash(&mut hasher);
                if let Some(e) = site.entities.get(*index) {
                    let listed = page_of(&e.articles, *page);
                    // Co-occurring entities, the timeline and the feed of the
                    // first page read every article of the entity.
                    let read = if *page == 0 { e.articles.as_slice() } else { listed };
                    hash_each(&mut hasher, &d.faces, read);
                    // Which of the listed articles' quotes are the entity's.
                    for &(a, q) in e.quotes_in(listed) {
                        (d.keys.get(a), q).hash(&mut hasher);
                    }
                }
            }
            Job::Quotes(number) => {
                ("quotes", number, self.quotes.len()).hash(&mut hasher);
                for &(a, q) in
                    self.quotes.iter().skip(number * QUOTES_PER_PAGE).take(QUOTES_PER_PAGE)
                {
                    (d.faces.get(a), q).hash(&mut hasher);
                }
                for speaker in &self.speakers {
                    (speaker.name, speaker.count).hash(&mut hasher);
                }
            }
            Job::NotFound => "404".hash(&mut hasher),
            Job::Search => "search".hash(&mut hasher),
            Job::Feed => {
                "feed".hash(&mut hasher);
                d.articles.get(..feed_limit).unwrap_or(&d.articles).hash(&mut hasher);
            }
        }
        hasher.finish()
    }

    /// An article's body as HTML; when rebuilding, made once per build, and
    /// not at all when the last build made it from the same article.
    /// `quotes` are the article's quote views when the caller has them. A
    /// body whose HTML was handed over ([`render_once`]) is made only once.
    fn body(
        &self,
        id: ArticleId,
        quotes: Option<&[tera::Value]>,
    ) -> std::result::Result<tera::Value, Diagnostic> {
        let Some(slot) = self.bodies.get(id) else { return Ok(tera::Value::from("")) };
        if let Some(body) = slot.get() {
            return Ok(body.clone());
        }
        let remembered = self.digests.as_ref().and_then(|d| self.last.bodies.get(&body_key(d, id)));
        let body = match (remembered, self.site.articles.get(id)) {
            (Some(body), _) => body.clone(),
            (None, Some(article)) => {
                let quotes = quotes
                    .map_or_else(|| Cow::Owned(quote_values(self.site, article)), Cow::Borrowed);
                // Handed over, the HTML is let go once the body is made.
                let handed = self.handed.get(id).and_then(|html| html.lock().ok()?.take());
                let html = handed.as_deref().or(article.annotated.html.as_deref());
                tera::Value::from(body_html(self.site, article, html, &quotes, self.templates)?)
            }
            (None, None) => tera::Value::from(""),
        };
        // A one-off build needs a body once (and again only for the few
        // articles in the feed): holding them all would cost memory.
        if self.digests.is_none() {
            return Ok(body);
        }
        Ok(slot.get_or_init(|| body).clone())
    }

    /// An article's related articles, found once per build, and taken from
    /// the last build when nothing they were found from changed.
    fn related(&self, id: ArticleId) -> &[ArticleId] {
        let Some(slot) = self.related.get(id) else { return &[] };
        let (_, ids) = slot.get_or_init(|| {
            let site = self.site;
            let Some(article) = site.articles.get(id) else { return (0, Vec::new()) };
            let ranks = &self.path_ranks;
            let Some(d) = &self.digests else { return (0, related(site, ranks, id, article)) };
            let mut hasher = FxHasher::default();
            (site.articles.len(), d.keys.get(id)).hash(&mut hasher);
            for &e in &article.entity_ids {
                let big = site.entities.get(e).is_none_or(|e| e.articles.len() > RELATED_MAX_DF);
                if big { None } else { d.members.get(e) }.hash(&mut hasher);
            }
            let key = hasher.finish();
            let ids = match self.last.related.get(&key) {
                Some(keys) => keys.iter().filter_map(|k| d.by_key.get(k).copied()).collect(),
                None => related(site, ranks, id, article),
            };
            (key, ids)
        });
        ids
    }
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
    permalink: tera::Value,
    date: tera::Value,
    authors: &'a [String],
    source: Option<&'a str>,
    tags: Vec<tera::Value>,
    summary: Option<&'a str>,
    /// The body, in the site feed only.
    content: &'a str,
}

/// An article's `value` with `key`: the partial `template` rendered for it
/// once (as `name`, with `site`), which the pages print instead of
/// including the template each time they show the article: a 10k site's
/// lists show 90,000 summaries (`summary.html` as `item.html`), its feeds
/// 40,000 entries (`atom_entry.xml` as `page.xml`). When the template fails
/// there is no `key`: the pages include it, and report the error there.
fn with_rendered(
    value: tera::Value,
    templates: &Templates,
    context: &Context,
    name: &'static str,
    template: &str,
    key: &'static str,
) -> tera::Value {
    let mut context = context.clone();
    context.insert_value(name, value.clone());
    match templates.tera.render(template, &context) {
        Ok(text) => {
            let text = tera::Value::from(text).mark_safe();
            context::with_keys(&value, &[], [(key, text)]).unwrap_or(value)
        }
        Err(_) => value,
    }
}

/// An article's feed entry as a template value, without its content.
fn feed_entry<'a>(site: &'a Site, links: &Links<'a>, article: &'a Article) -> tera::Value {
    let meta = &article.annotated.doc.meta;
    tera::Value::from_serializable(&FeedEntry {
        title: &meta.title,
        permalink: plain(&site.config.permalink(&article.path)),
        date: plain(&iso_date(meta.date)),
        authors: &meta.authors,
        source: meta.source.as_deref(),
        tags: links.tags(&meta.tags),
        summary: article.annotated.summary.as_deref(),
        content: "",
    })
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
    let limit = site.config.feed_size();
    let shown = articles.get(..limit).unwrap_or(articles);
    let mut entries: Vec<tera::Value> = Vec::with_capacity(shown.len());
    for &id in shown {
        let Some(entry) = shared.feed_entries.get(id) else { continue };
        if full {
            // The entry rendered alone has no content: without its `xml`,
            // the feed renders this one itself.
            let content = shared.body(id, None)?;
            entries.extend(context::with_keys(entry, &["xml"], [("content", content)]));
        } else {
            entries.push(entry.clone());
        }
    }
    let mut context = shared.base();
    let path = format!("{folder}atom.xml");
    context.insert("pages", &entries);
    context.insert("feed_title", title);
    context.insert("feed_url", &site.config.permalink(&path));
    context.insert("home_url", &site.config.permalink(folder));
    let updated = articles
        .first()
        .and_then(|&id| site.articles.get(id))
        .map(|a| iso_date(a.annotated.doc.meta.date));
    context.insert("updated", &updated.unwrap_or_else(|| "1970-01-01".into()));
    let xml = shared.templates.render("atom.xml", &context, Path::new(&path))?;
    Ok(Page { path, bytes: escape::xml_text(xml).into() })
}

fn html_page(path: String, html: Vec<u8>) -> Page {
    Page { path, bytes: html.into() }
}

fn render_job(shared: &Shared<'_>, job: &Job) -> std::result::Result<Vec<Page>, Diagnostic> {
    let (site, templates) = (shared.site, shared.templates);
    let base_path = site.config.base_path();
    let mut context = shared.base();
    let pages = match job {
        Job::Index(number) => {
            let pages: Vec<&tera::Value> = (number * PER_PAGE..site.articles.len())
                .take(PER_PAGE)
                .filter_map(|id| shared.summaries.get(id))
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
                templates.render_page("index.html", &context, Path::new("index.html"))?,
            )]
        }
        Job::Article(id) => {
            let Some(article) = site.articles.get(*id) else { return Ok(Vec::new()) };
            // Made once for the callouts and the page, then handed to the
            // page of the quote index that follows (the view borrows them
            // until the page is made): all of a site's quotes would cost
            // more memory than remaking them for entity pages.
            let quotes = quote_values(site, article);
            let body = shared.body(*id, Some(&quotes))?;
            let html = {
                let view = article_view(shared, *id, article, body, &quotes);
                context.insert("current_path", &view.url);
                context.insert(
                    "meta",
                    &meta(site, view.title, view.summary, &article.path, "article"),
                );
                context.insert("jsonld", &jsonld::article(site, &shared.entity_refs, article));
                context.insert("page", &view);
                templates.render_page("article.html", &context, &article.annotated.doc.path)?
            };
            shared.remember_quotes(*id, quotes);
            vec![html_page(format!("{}index.html", article.path), html)]
        }
        Job::Terms { folder, title } => {
            let terms = if *folder == "tags" { &site.tags } else { &site.sources };
            let views: Vec<TermView> = terms.iter().map(|t| term(site, t, folder)).collect();
            context.insert("terms", &views);
            context.insert("title", title);
            context.insert("current_path", &format!("{base_path}{folder}/"));
            context.insert("meta", &meta(site, title, None, &format!("{folder}/"), "website"));
            let html =
                templates.render_page(&format!("{folder}.html"), &context, Path::new(folder))?;
            vec![html_page(format!("{folder}/index.html"), html)]
        }
        Job::Term { folder, index, page } => {
            let terms = if *folder == "tags" { &site.tags } else { &site.sources };
            let Some(t) = terms.get(*index) else { return Ok(Vec::new()) };
            let mut view = term(site, t, folder);
            view.pages = t
                .articles
                .iter()
                .skip(page * PER_PAGE)
                .take(PER_PAGE)
                .filter_map(|&id| shared.summaries.get(id))
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
            let html = templates.render_page(template, &context, Path::new(folder))?;
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
                pages: Vec<&'a tera::Value>,
            }
            let mut months: Vec<Month> = Vec::new();
            for (id, article) in site.articles.iter().enumerate() {
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
                if let (Some(month), Some(summary)) = (months.last_mut(), shared.summaries.get(id))
                {
                    month.pages.push(summary);
                }
            }
            context.insert("months", &months);
            context.insert("current_path", &format!("{base_path}archive/"));
            context.insert("meta", &meta(site, "Archive", None, "archive/", "website"));
            vec![html_page(
                "archive/index.html".into(),
                templates.render_page("archive.html", &context, Path::new("archive"))?,
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
                templates.render_page("entities.html", &context, Path::new("entities"))?,
            )]
        }
        Job::Entity { index, page } => {
            let Some(e) = site.entities.get(*index) else { return Ok(Vec::new()) };
            let view = EntityView::new(e, &base_path);
            let folder_path = format!("entities/{}/", e.id);
            let path = page_path(&folder_path, *page);
            let first = *page == 0;
            // Each page shows the quotes of the briefings it lists: a
            // speaker quoted in hundreds of briefings would otherwise put
            // them all on the first page, above its briefings.
            let picked = e.quotes_in(page_of(&e.articles, *page));
            touch_quotes(site, picked);
            let quotes: Vec<QuoteView> = picked
                .iter()
                .filter_map(|&(a, q)| quote_view(site, &base_path, site.articles.get(a)?, q))
                .collect();
            context.insert("current_path", &format!("{base_path}{path}"));
            context.insert(
                "meta",
                &meta(site, &e.name, view.short_description.as_deref(), &path, "profile"),
            );
            if first {
                context
                    .insert("jsonld", &jsonld::entity(site, e, view.short_description.as_deref()));
            }
            let appearances =
                entity::appearances(site, &shared.summaries, *index, page * PER_PAGE, PER_PAGE);
            context.insert("articles", &appearances);
            context.insert(
                "paginator",
                &paginator(&base_path, &folder_path, *page, page_count(e.articles.len())),
            );
            let cooccurring = if first {
                entity::cooccurring(site, &shared.id_ranks, *index, 12)
            } else {
                Vec::new()
            };
            context.insert("cooccurring", &cooccurring);
            context.insert(
                "timeline",
                &if first { entity::timeline_svg(site, *index) } else { String::new() },
            );
            context.insert("quotes", &quotes);
            context.insert("entity", &view);
            let html = templates.render_page("entity.html", &context, Path::new(&folder_path))?;
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
            let quotes: Vec<tera::Value> = shared
                .quotes
                .iter()
                .skip(number * QUOTES_PER_PAGE)
                .take(QUOTES_PER_PAGE)
                .filter_map(|&(a, q)| {
                    shared
                        .recent_quote(a, q)
                        .or_else(|| quote_value(site, &base_path, site.articles.get(a)?, q))
                })
                .collect();
            let path = page_path("quotes/", *number);
            let total = shared.quotes.len().div_ceil(QUOTES_PER_PAGE).max(1);
            context.insert("quotes", &quotes);
            context.insert_value("speakers", shared.speakers_value.clone());
            context.insert("paginator", &paginator(&base_path, "quotes/", *number, total));
            context.insert("current_path", &format!("{base_path}{path}"));
            context.insert("meta", &meta(site, "Quotes", None, &path, "website"));
            vec![html_page(
                format!("{path}index.html"),
                templates.render_page("quotes.html", &context, Path::new("quotes"))?,
            )]
        }
        Job::Search => {
            context.insert("current_path", &format!("{base_path}search/"));
            context.insert("meta", &meta(site, "Search", None, "search/", "website"));
            vec![html_page(
                "search/index.html".into(),
                templates.render_page("search.html", &context, Path::new("search"))?,
            )]
        }
        Job::NotFound => {
            context.insert("current_path", &format!("{base_path}404.html"));
            context.insert("meta", &meta(site, "Page not found", None, "404.html", "website"));
            vec![html_page(
                "404.html".into(),
                templates.render_page("404.html", &context, Path::new("404.html"))?,
            )]
        }
        Job::Feed => {
            // The feed shows the newest `feed_limit`; no list of every id.
            let newest: Vec<ArticleId> =
                (0..site.articles.len().min(site.config.feed_size())).collect();
            vec![feed(shared, "", &site.config.title, &newest, true)?]
        }
    };
    Ok(pages)
}

/// The views of an article's quotes, as template values.
fn quote_values<'a>(site: &'a Site, article: &'a Article) -> Vec<tera::Value> {
    let base = site.config.base_path();
    (0..article.annotated.quotes.len())
        .filter_map(|q| quote_value(site, &base, article, q))
        .collect()
}

/// The view of quote `index` of `article` as a template value.
fn quote_value(site: &Site, base: &str, article: &Article, index: usize) -> Option<tera::Value> {
    quote_view(site, base, article, index).map(|view| tera::Value::from_serializable(&view))
}

/// Reads the first bytes of what [`quote_view`] reads of each of `quotes`
/// before any view is made: an entity's quotes lie far apart in memory,
/// and touched together their cache misses overlap rather than follow
/// one another (as [`entity::appearances`] does for its articles).
fn touch_quotes(site: &Site, quotes: &[(ArticleId, usize)]) {
    for &(a, q) in quotes {
        let Some(article) = site.articles.get(a) else { continue };
        let quote = article.annotated.quotes.get(q);
        std::hint::black_box(quote.and_then(|q| q.text.as_bytes().first()));
        std::hint::black_box(article.annotated.doc.meta.title.as_bytes().first());
        std::hint::black_box(article.path.as_bytes().first());
    }
}

/// The view of a quote, or `None` when the index is out of range. `base`
/// is the site's base path.
fn quote_view<'a>(
    site: &'a Site,
    base: &str,
    article: &'a Article,
    index: usize,
) -> Option<QuoteView<'a>> {
    let quote = article.annotated.quotes.get(index)?;
    let found = &article.annotated.entities.entities;
    let (speaker, speaker_url, speaker_id) = match &quote.speaker {
        Speaker::Entity(local) => {
            let entity = article.entity_ids.get(*local).and_then(|&id| site.entities.get(id));
            match entity {
                Some(e) => {
                    (Some(e.name.as_str()), Some(entity_url(base, &e.id)), Some(e.id.as_str()))
                }
                None => (found.get(*local).map(|e| e.name.as_str()), None, None),
            }
        }
        Speaker::Description(d) => (Some(d.as_str()), None, None),
        Speaker::Unknown => (None, None, None),
    };
    let id = markdown::quote_id(index);
    Some(QuoteView {
        url: [base, &article.path, "#", &id].concat(),
        id,
        text: &quote.text,
        display_text: quote.text.trim_end().trim_end_matches([',', ':', ';']).trim_end(),
        speaker,
        speaker_url,
        speaker_id,
        cue: quote.cue.as_deref(),
        article_title: &article.annotated.doc.meta.title,
        date: iso_date(article.annotated.doc.meta.date),
    })
}

fn article_view<'a>(
    shared: &'a Shared<'_>,
    id: ArticleId,
    article: &'a Article,
    body: tera::Value,
    quotes: &'a [tera::Value],
) -> ArticleView<'a> {
    let site = shared.site;
    let base = site.config.base_path();
    let annotated = &article.annotated;
    let meta = &annotated.doc.meta;
    let mut entities: Vec<EntityRefView> = article
        .entity_ids
        .iter()
        .zip(&annotated.appearances)
        .filter_map(|(&id, appearance)| {
            let e = site.entities.get(id)?;
            let mentions = appearance.mentions;
            let link = shared.links.entity(id)?;
            Some(EntityRefView {
                id: &e.id,
                name: &e.name,
                kind: e.kind,
                url: link.url.clone(),
                link: link.html.clone(),
                mentions,
            })
        })
        .collect();
    entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.name.cmp(b.name)));
    let mut speakers: Vec<&str> = Vec::new();
    for speaker in quotes.iter().filter_map(|q| q.get_from_path("speaker")?.as_str()) {
        if !speakers.contains(&speaker) {
            speakers.push(speaker);
        }
    }
    ArticleView {
        title: &meta.title,
        url: [base.as_str(), &article.path].concat(),
        permalink: site.config.permalink(&article.path),
        date: iso_date(meta.date),
        date_display: display_date(meta.date),
        source: shared.links.source(meta.source.as_deref()),
        source_url: escape::safe_url_opt(meta.source_url.as_deref()),
        summary: annotated.summary.as_deref(),
        tags: shared.links.tags(&meta.tags),
        authors: &meta.authors,
        content: body,
        sections: annotated
            .sections
            .iter()
            .map(|s| SectionView { label: &s.label, id: &s.id })
            .collect(),
        entities,
        quotes,
        speakers,
        related: shared.related(id).iter().filter_map(|&r| shared.summaries.get(r)).collect(),
        extra: &meta.extra,
    }
}

/// Entities in more articles than this say little about what an article
/// is about, and are left out of [`related`] (their lists are long, too).
const RELATED_MAX_DF: usize = 200;

/// Articles sharing the most entities with this one, rare entities
/// weighing more than common ones; ties go by path, so the list depends on
/// nothing but the entities' article lists.
fn related(site: &Site, path_ranks: &[u32], own: ArticleId, article: &Article) -> Vec<ArticleId> {
    thread_local! {
        static SCORES: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let total = site.articles.len().max(1) as f64;
    let mut ranked: Vec<(f64, u32, ArticleId)> = SCORES.with_borrow_mut(|table| {
        let mut scores = entity::DenseSums::new(table, site.articles.len());
        for &id in &article.entity_ids {
            let Some(entity) = site.entities.get(id) else { continue };
            if entity.articles.len() > RELATED_MAX_DF {
                continue;
            }
            // Always above zero, as `DenseSums` needs.
            let weight = (total / entity.articles.len().max(1) as f64).ln() + 0.1;
            for &other in &entity.articles {
                scores.add(other, weight);
            }
        }
        scores.finish(|id, score| Some((score, *path_ranks.get(id)?, id)).filter(|_| id != own))
    });
    // Highest score first; ties by path.
    entity::top_by(&mut ranked, 4, |a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    // Not `into_iter`: collecting in place would keep the capacity of every
    // scored article in each article's list, held for the whole render.
    ranked.iter().map(|&(_, _, id)| id).collect()
}

/// The article body as HTML with labels, entity links, quote marks and callouts.
/// `quotes` are the views of its quotes, for the callouts. The body the
/// annotator rendered (`html`, with holes) has only its links and callouts
/// to fill; another (one with NULs of its own) is parsed and rendered here.
fn body_html(
    site: &Site,
    article: &Article,
    html: Option<&str>,
    quotes: &[tera::Value],
    templates: &Templates,
) -> std::result::Result<String, Diagnostic> {
    let base = site.config.base_path();
    let annotated = &article.annotated;
    let entity = |local: usize| article.entity_ids.get(local).and_then(|&id| site.entities.get(id));
    // An attributed quote's callout.
    let callout = |q: usize| -> std::result::Result<Option<String>, Diagnostic> {
        let Some(view) = quotes.get(q) else { return Ok(None) };
        if view.get_from_path("speaker").is_none_or(|speaker| speaker.is_none()) {
            return Ok(None);
        }
        let mut context = Context::new();
        context.insert("quote", view);
        templates.render("callout.html", &context, &annotated.doc.path).map(Some)
    };
    let html = match html {
        Some(html) => markdown::fill_holes(html, |hole, out| {
            match hole {
                Hole::LinkStart(local) => {
                    if let Some(e) = entity(local) {
                        entity_link_open(out, &base, e);
                    }
                }
                Hole::LinkEnd(local) => {
                    if entity(local).is_some() {
                        out.push_str("</a>");
                    }
                }
                Hole::Callout(q) => {
                    if let Some(html) = callout(q)? {
                        out.push_str(&html);
                    }
                }
            }
            Ok::<_, Diagnostic>(())
        })?,
        None => {
            let link = |local: usize| {
                let mut tag = String::new();
                entity_link_open(&mut tag, &base, entity(local)?);
                Some((tag, "</a>".into()))
            };
            let marks = markdown::body_marks(
                &annotated.blocks,
                &annotated.sections,
                &annotated.entities,
                &annotated.quotes,
                site.config.annotate.link,
                link,
                callout,
            )?;
            let events: Vec<_> =
                markdown::events(&annotated.doc.body, &site.config.markdown).collect();
            let scan = markdown::scan(&events);
            markdown::render(events, &scan, &marks, site.config.markdown.highlight_code)
        }
    };
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
