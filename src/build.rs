//! The pipeline: load → parse → annotate → link → render. `gloss build`
//! writes its result to disk; every other command reuses the same stages.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::annotate::{Annotated, Annotator};
use crate::config::Config;
use crate::content::{self, Document};
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::render::{self, Page};
use crate::site::{self, Site};

/// What a build is asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The site's root folder (holding config.toml).
    pub root: PathBuf,
    /// Overrides `base_url` from config.toml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Leave the search bundle out: `gloss serve` builds it off the
    /// critical path, and `gloss check` has no use for it.
    pub defer_search: bool,
}

/// A built site, in memory.
#[derive(Debug)]
pub struct Built {
    /// The linked model.
    pub site: Site,
    /// Every output file.
    pub pages: Vec<Page>,
    /// How long each stage took.
    pub timings: Timings,
}

/// How long each stage took, for `gloss build --verbose`.
#[derive(Debug, Default)]
pub struct Timings {
    /// (stage, wall time), in order.
    pub stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    /// Runs `stage` and records how long it took.
    pub fn time<T>(&mut self, name: &'static str, stage: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let result = stage();
        self.stages.push((name, start.elapsed()));
        result
    }
}

/// Reads the config, honouring a `--base-url` override.
pub fn config(options: &Options) -> Result<Config> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    Ok(config)
}

/// Loads, parses and annotates every article and links the site. All
/// content errors are collected before returning.
pub fn model(options: &Options, config: Config) -> Result<Site> {
    model_timed(options, config, &mut Cache::none(), &mut Timings::default(), false)
}

/// What a rebuild can reuse from the previous one: each article's
/// annotation, kept with the text it came from. It is valid only for one
/// config, registry and drafts flag; a build empties it when any
/// of them changes, so a cached build always equals a clean one.
#[derive(Debug, Default)]
pub struct Cache {
    /// A one-off build keeps nothing.
    keep: bool,
    context: u64,
    /// Path → (the file's text, what it gave).
    articles: HashMap<PathBuf, (String, Slot)>,
    /// What the last build rendered, by page fingerprint.
    renders: render::Memo,
    /// Whether `articles` lists every article file as of the last build
    /// (it succeeded), so a rebuild may read only the changed ones.
    listed: bool,
    /// The registry's files as of the last build.
    entities: Vec<content::Source>,
    /// The last build's annotator (its registry automaton), for a rebuild
    /// that annotates a few changed files.
    annotator: Option<Annotator>,
    /// The files changed since the last build, when known.
    changed: Option<Vec<PathBuf>>,
    /// The last site, handed back by [`Cache::reclaim`].
    site: Option<Site>,
    /// The site's static files as last read.
    statics: crate::output::StaticCache,
    /// The last sitemap.
    sitemap: crate::publish::SitemapMemo,
}

/// A file to annotate, with what the cache holds for it when that is
/// still good.
type Pending = (content::Source, Option<Slot>);

/// What one cached file gave.
#[derive(Debug)]
enum Slot {
    /// A draft, left out.
    Skipped,
    /// Its annotation went into the last [`Site`]; [`Cache::reclaim`]
    /// brings it back (else the file is annotated again).
    Lent,
    /// Its annotation, ready to reuse.
    Kept(Box<Annotated>),
}

impl Cache {
    /// An empty cache that keeps what each build annotates.
    pub fn new() -> Cache {
        Cache { keep: true, ..Cache::default() }
    }

    /// A cache that keeps nothing, for one-off builds.
    pub fn none() -> Cache {
        Cache::default()
    }

    /// Forgets everything (a config edit: every article must be redone).
    pub fn clear(&mut self) {
        self.articles.clear();
        self.listed = false;
        self.site = None;
        self.annotator = None;
    }

    /// Says which files (relative to the site root) changed since the last
    /// build, so the next one reads only those instead of all of content/.
    /// Without it, the next build lists and reads every file.
    pub fn changed(&mut self, paths: &[PathBuf]) {
        self.changed = Some(paths.to_vec());
    }

    /// How many files are cached.
    pub fn len(&self) -> usize {
        self.articles.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// Keeps the site built with this cache: the next build reuses it whole
    /// when an edit leaves its links as they were, and takes its
    /// annotations back otherwise, so none is copied or made again.
    pub fn reclaim(&mut self, site: Site) {
        self.site = Some(site);
    }

    /// The site of the last build, once handed back by [`Cache::reclaim`].
    pub fn site(&self) -> Option<&Site> {
        self.site.as_ref()
    }

    /// Moves the annotations of the kept site back into their slots.
    fn take_back(&mut self) {
        let Some(site) = self.site.take() else { return };
        for article in site.articles {
            if let Some((_, slot)) = self.articles.get_mut(&article.annotated.doc.path)
                && matches!(slot, Slot::Lent)
            {
                *slot = Slot::Kept(article.annotated);
            }
        }
    }
}

/// What every annotation depends on besides its own file.
fn context_hash(config: &Config, entities: &[content::Source], drafts: bool) -> u64 {
    let mut hasher = DefaultHasher::new();
    format!("{config:?}").hash(&mut hasher);
    for source in entities {
        source.path.hash(&mut hasher);
        source.text.hash(&mut hasher);
    }
    drafts.hash(&mut hasher);
    hasher.finish()
}

/// An article file after parsing and annotation: the file when a cache
/// keeps it, and the article (none for a draft left out) or what is wrong.
type Parsed = (Option<content::Source>, std::result::Result<Option<Box<Annotated>>, Diagnostic>);

/// [`model`] that re-parses and re-annotates only the files whose path or
/// text is not in `cache`, then links the whole site as a clean build does.
/// `render_bodies`: whether the annotator also renders each body
/// ([`Annotated::html`]), for a build that renders the site.
fn model_timed(
    options: &Options,
    config: Config,
    cache: &mut Cache,
    timings: &mut Timings,
    render_bodies: bool,
) -> Result<Site> {
    let max_bytes = config.limits.max_article_bytes;
    // Trust the last listing of content/ only if the last build succeeded.
    let changed = cache.changed.take().filter(|_| {
        cache.listed && cache.context == context_hash(&config, &cache.entities, options.drafts)
    });
    cache.listed = false;
    let reread = changed.and_then(|paths| articles_to_reread(&options.root, &paths));
    if let (Some(paths), Some(mut site)) = (&reread, cache.site.take()) {
        if patch(options, &config, cache, &mut site, paths, timings) {
            site.config = config;
            cache.listed = true;
            return Ok(site);
        }
        cache.site = Some(site);
    }
    cache.take_back();
    let (entity_sources, jobs) = match reread {
        Some(paths) => timings.time("load", || reload(options, cache, &paths, max_bytes))?,
        None => {
            let sources =
                timings.time("load", || content::load_limited(&options.root, max_bytes))?;
            let jobs = match_cache(cache, sources.articles, &sources.entities, &config, options);
            (sources.entities, jobs)
        }
    };
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut registry = Vec::new();
    for source in &entity_sources {
        match content::parse_entity(source) {
            Ok(entry) => registry.push(entry),
            Err(e) => errors.push(e),
        }
    }
    let mut annotator = Annotator::new(&config, &registry);
    if render_bodies {
        annotator = annotator.rendering_bodies(&config);
    }
    let (drafts, keep) = (options.drafts, cache.keep);
    let annotate =
        |doc: Document| (!doc.meta.draft || drafts).then(|| Box::new(annotator.annotate(doc)));
    let results: Vec<Parsed> = timings.time("parse+annotate", || {
        // Small pieces, so that no core is left idle while the other ends
        // a long run of articles: rayon splits a piece only while no core
        // has started on it, and the last of two halves took a tenth of
        // the annotation's wall time on its own.
        jobs.into_par_iter()
            .with_max_len(16)
            .map(|(source, hit)| match hit {
                Some(Slot::Kept(annotated)) => (Some(source), Ok(Some(annotated))),
                Some(Slot::Skipped) => (Some(source), Ok(None)),
                _ if keep => {
                    let result = content::parse(&source).map(annotate);
                    (Some(source), result)
                }
                // Nothing keeps the file: its text becomes the body.
                _ => (None, content::parse_owned(source).map(annotate)),
            })
            .collect()
    });
    let mut annotated = Vec::with_capacity(results.len());
    for (source, result) in results {
        match result {
            Ok(found) => {
                let slot = if found.is_some() { Slot::Lent } else { Slot::Skipped };
                annotated.extend(found);
                if let Some(source) = source.filter(|_| keep) {
                    cache.articles.insert(source.path, (source.text, slot));
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    let site = timings
        .time("link", || site::link(config, annotated, &registry))
        .map_err(Error::Content)?;
    cache.listed = cache.keep;
    cache.entities = entity_sources;
    cache.annotator = cache.keep.then_some(annotator);
    Ok(site)
}

/// Annotates the articles at `paths` again and puts them in place in the
/// last site, when every one of them existed before, still does, and links
/// exactly as before ([`site::link_key`]). Whether it did; when not, the
/// site is untouched.
fn patch(
    options: &Options,
    config: &Config,
    cache: &mut Cache,
    site: &mut Site,
    paths: &[PathBuf],
    timings: &mut Timings,
) -> bool {
    let max_bytes = config.limits.max_article_bytes;
    let mut sources = Vec::with_capacity(paths.len());
    let read = timings.time("load", || {
        for path in paths {
            let lent = cache.articles.get(path).is_some_and(|(_, slot)| matches!(slot, Slot::Lent));
            match content::read(&options.root, &options.root.join(path), max_bytes) {
                Ok(Ok(source)) if lent => sources.push(source),
                _ => return false,
            }
        }
        true
    });
    if !read {
        return false;
    }
    let Some(annotator) = &cache.annotator else { return false };
    let annotated: Option<Vec<Box<Annotated>>> = timings.time("parse+annotate", || {
        sources
            .iter()
            .map(|source| {
                let doc = content::parse(source).ok()?;
                (!doc.meta.draft || options.drafts).then(|| Box::new(annotator.annotate(doc)))
            })
            .collect()
    });
    let Some(annotated) = annotated else { return false };
    if !annotated.iter().all(|new| site.fits(new)) {
        return false;
    }
    timings.time("link", || annotated.into_iter().for_each(|new| site.replace(new)));
    for source in sources {
        cache.articles.insert(source.path, (source.text, Slot::Lent));
    }
    true
}

/// Pairs freshly read articles with what the cache holds for them, after
/// emptying the cache if config, registry or drafts changed. Hits are moved
/// out of the cache; what is left over was deleted.
fn match_cache(
    cache: &mut Cache,
    articles: Vec<content::Source>,
    entities: &[content::Source],
    config: &Config,
    options: &Options,
) -> Vec<Pending> {
    let context = context_hash(config, entities, options.drafts);
    if cache.context != context {
        cache.articles.clear();
        cache.context = context;
    }
    let mut previous = std::mem::take(&mut cache.articles);
    articles
        .into_iter()
        .map(|source| {
            let hit = previous.remove(&source.path).and_then(|(text, slot)| {
                (text == source.text && !matches!(slot, Slot::Lent)).then_some(slot)
            });
            (source, hit)
        })
        .collect()
}

/// The article files to read again after `changed` (paths relative to the
/// root, as the watcher reports them), or `None` when only a full listing
/// of content/ is safe: a folder, link or registry file changed, or a path
/// vanished that may have been a folder.
fn articles_to_reread(root: &Path, changed: &[PathBuf]) -> Option<Vec<PathBuf>> {
    let mut reread = Vec::new();
    for path in changed {
        if !path.starts_with(content::CONTENT_DIR) {
            continue;
        }
        let metadata = std::fs::symlink_metadata(root.join(path));
        let is_file = metadata.as_ref().is_ok_and(|m| m.file_type().is_file());
        let gone = metadata.as_ref().is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
        if content::is_article_path(path) && (is_file || gone) {
            reread.push(path.clone());
        } else if !is_file
            || path.starts_with(Path::new(content::CONTENT_DIR).join(content::ENTITIES_DIR))
        {
            // Not an article: only a plain file outside the registry (an
            // image beside the articles) leaves the listing as it was.
            return None;
        }
    }
    Some(reread)
}

/// The articles of the last build with `paths` read again: unchanged files
/// are not touched on disk, nor compared.
fn reload(
    options: &Options,
    cache: &mut Cache,
    paths: &[PathBuf],
    max_bytes: u64,
) -> Result<(Vec<content::Source>, Vec<Pending>)> {
    let mut errors = Vec::new();
    let mut fresh = Vec::new();
    for path in paths {
        let full = options.root.join(path);
        if !full.exists() {
            continue;
        }
        match content::read(&options.root, &full, max_bytes)? {
            Ok(source) => fresh.push(source),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    fresh.sort_by(|a, b| a.path.cmp(&b.path));
    let changed: std::collections::HashSet<&PathBuf> = paths.iter().collect();
    let mut before = HashMap::new();
    let mut jobs: Vec<Pending> = Vec::with_capacity(cache.articles.len());
    for (path, (text, slot)) in std::mem::take(&mut cache.articles) {
        if changed.contains(&path) {
            before.insert(path, (text, slot));
        } else {
            let hit = (!matches!(slot, Slot::Lent)).then_some(slot);
            jobs.push((content::Source { path, text }, hit));
        }
    }
    for source in fresh {
        let hit = before.remove(&source.path).and_then(|(text, slot)| {
            (text == source.text && !matches!(slot, Slot::Lent)).then_some(slot)
        });
        jobs.push((source, hit));
    }
    Ok((cache.entities.clone(), jobs))
}

/// Reads the config, templates and content and links the site: everything
/// up to rendering. Template and content errors are reported together.
fn prepare(
    options: &Options,
    cache: &mut Cache,
    timings: &mut Timings,
) -> Result<(Site, render::Templates)> {
    let config = config(options)?;
    let templates = timings.time("templates", || render::load_templates(&options.root));
    let site = model_timed(options, config, cache, timings, true);
    match (templates, site) {
        (Ok(t), Ok(s)) => Ok((s, t)),
        (Err(e), Ok(site)) => {
            // The content was fine: keep it for the build after the fix.
            cache.reclaim(site);
            Err(e)
        }
        (Err(Error::Content(mut a)), Err(Error::Content(b))) => {
            a.extend(b);
            Err(Error::Content(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// Builds the whole site in memory: model, pages and static files.
pub fn build(options: &Options) -> Result<Built> {
    let mut built = build_cached(options, &mut Cache::none())?;
    built.pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(built)
}

/// [`build`] reusing the annotations in `cache` (the serve loop keeps one
/// between rebuilds, and hands each built site back with
/// [`Cache::reclaim`]); the result is byte for byte what [`build`] gives.
pub fn build_cached(options: &Options, cache: &mut Cache) -> Result<Built> {
    let mut timings = Timings::default();
    let (site, templates) = prepare(options, cache, &mut timings)?;
    let memo = cache.keep.then_some(&mut cache.renders);
    let rendered = timings.time("render", || render::render(&site, &templates, memo));
    let mut pages = match rendered {
        Ok(pages) => pages,
        Err(e) => {
            // The content was fine: keep its annotations for the next build.
            cache.reclaim(site);
            return Err(e);
        }
    };
    let statics = &mut cache.statics;
    pages.extend(
        timings.time("static", || crate::output::static_files_cached(&options.root, statics))?,
    );
    let paths: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    let indexed: Vec<Page> = pages
        .iter()
        .filter(|p| {
            site.config.search.enabled
                && !options.defer_search
                && crate::publish::is_indexed(&p.path)
        })
        .cloned()
        .collect();
    let published = timings.time("publish", || {
        crate::publish::files(&site, &paths, &indexed, !options.defer_search, &mut cache.sitemap)
    })?;
    pages.extend(published);
    Ok(Built { site, pages, timings })
}

/// What `gloss build` reports when it is done.
#[derive(Debug)]
pub struct Summary {
    /// Articles built.
    pub articles: usize,
    /// Entity pages built.
    pub entities: usize,
    /// Files the site has.
    pub files: usize,
    /// Files written because they were new or changed.
    pub written: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall time per stage.
    pub timings: Timings,
    /// Nothing had changed since the last build into the same folder, so
    /// nothing was done (articles and entities are then not counted).
    pub unchanged: bool,
}

/// Builds the site and writes it to `output`: pages are streamed to a
/// staging folder as they are rendered and moved into place only when the
/// whole build succeeded; unchanged files are not rewritten.
pub fn build_to(options: &Options, output: &Path) -> Result<Summary> {
    build_to_with_progress(options, output, &|_| {})
}

/// [`build_to`], calling `progress` with the path of each file as it is
/// written (from many threads), so a terminal can show a progress bar.
pub fn build_to_with_progress(
    options: &Options,
    output: &Path,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Summary> {
    // On a pool thread rather than the caller's: what the one-core steps
    // between the parallel stages allocate (linking, setting up the render)
    // then reuses memory annotation freed. The caller's heap is empty, and
    // first touches of fresh pages were half of those steps' time.
    rayon::scope(|_| build_on_pool(options, output, progress))
}

fn build_on_pool(
    options: &Options,
    output: &Path,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Summary> {
    let start = Instant::now();
    let mut timings = Timings::default();
    // Nothing changed since the last build into this folder: nothing to do.
    let fingerprint = timings.time("fingerprint", || crate::output::Fingerprint::of(options));
    if let Some(files) = fingerprint.as_ref().and_then(|f| f.matches(output)) {
        return Ok(Summary {
            articles: 0,
            entities: 0,
            files,
            written: 0,
            elapsed: start.elapsed(),
            timings,
            unchanged: true,
        });
    }
    let (mut site, templates) = prepare(options, &mut Cache::none(), &mut timings)?;
    let writer = crate::output::Writer::new(output)?;
    // Pages stream to disk; only their paths, and the pages search
    // indexes, are kept for the sitemap and the search bundle.
    let paths = Mutex::new(Vec::new());
    let indexed = Mutex::new(Vec::new());
    let search = site.config.search.enabled;
    let emit = |page: Page| {
        writer.put(&page)?;
        progress(&page.path);
        if search
            && crate::publish::is_indexed(&page.path)
            && let Ok(mut list) = indexed.lock()
        {
            list.push(page.clone());
        }
        if let Ok(mut list) = paths.lock() {
            list.push(page.path);
        }
        Ok(())
    };
    let rendered = timings.time("render+write", || {
        render::render_once(&mut site, &templates, emit)?;
        crate::output::static_files(&options.root)?.into_iter().try_for_each(emit)
    });
    let paths = paths.into_inner().unwrap_or_default();
    let indexed = indexed.into_inner().unwrap_or_default();
    let published = rendered.and_then(|()| {
        let more = timings.time("publish", || {
            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
            crate::publish::files(&site, &paths, &indexed, true, &mut None)
        })?;
        more.iter().try_for_each(|p| writer.put(p)).map(|()| more.len())
    });
    let published = match published {
        Ok(count) => count,
        Err(e) => {
            writer.abort();
            return Err(e);
        }
    };
    let stats = timings.time("commit", || writer.commit())?;
    // The output now holds exactly the files this build put there.
    let files = paths.len() + published;
    if let Some(fingerprint) = fingerprint {
        fingerprint.save(output, files);
    }
    let (articles, entities) = (site.articles.len(), site.entities.len());
    // Freeing a large site's millions of allocations takes a tenth of a
    // second; the build is done, so it happens off the caller's path.
    std::thread::spawn(move || drop((site, templates)));
    Ok(Summary {
        articles,
        entities,
        files,
        written: stats.written,
        elapsed: start.elapsed(),
        timings,
        unchanged: false,
    })
}

/// Parses and annotates one file, with the registry and config of the site
/// at `root` when there is one (a lone file needs no site).
pub fn annotate_file(file: &Path, root: &Path) -> Result<Annotated> {
    let config = if root.join(crate::config::FILE_NAME).exists() {
        Config::load(root)?
    } else {
        Config::standalone()
    };
    // The registry only: the site's articles are not needed, nor read.
    let registry = content::load_registry(root)?;
    let bytes = std::fs::read(file).map_err(|e| Error::io("read", file, e))?;
    let text = content::decode(file, bytes)?;
    let doc = content::parse(&content::Source { path: file.to_path_buf(), text })?;
    Ok(Annotator::new(&config, &registry).annotate(doc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cached_rebuilds_equal_clean_builds() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("config.toml"), "title = \"T\"\n").unwrap();
        let article =
            |title: &str| format!("+++\ntitle = \"{title}\"\ndate = 2024-05-01\n+++\n\nText.\n");
        std::fs::write(root.join("content/a.md"), article("A")).unwrap();
        std::fs::write(root.join("content/b.md"), article("B")).unwrap();
        std::fs::write(
            root.join("content/d.md"),
            "+++\ntitle = \"D\"\ndate = 2024-05-01\ndraft = true\n+++\n",
        )
        .unwrap();
        let options = Options { root: root.to_path_buf(), ..Options::default() };
        let mut cache = Cache::new();
        let first = build_cached(&options, &mut cache).unwrap();
        assert_eq!(cache.len(), 3);
        cache.reclaim(first.site);

        std::fs::write(root.join("content/b.md"), article("B2")).unwrap();
        std::fs::remove_file(root.join("content/a.md")).unwrap();
        std::fs::write(root.join("content/c.md"), article("C")).unwrap();
        let mut cached = build_cached(&options, &mut cache).unwrap();
        cached.pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(cache.len(), 3);
        assert_eq!(cached.pages, build(&options).unwrap().pages);
        // Without a reclaim, lent annotations are simply redone.
        let mut again = build_cached(&options, &mut cache).unwrap();
        again.pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(again.pages, cached.pages);
    }

    #[test]
    fn a_build_written_to_disk_equals_the_build_in_memory() {
        // A feed of one: the other articles hand their bodies to their
        // pages (`render::render_once`), which `build` never does.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("config.toml"), "title = \"T\"\nfeed_limit = 1\n").unwrap();
        for day in 1..=3 {
            let article = format!(
                "+++\ntitle = \"Day {day}\"\ndate = 2024-05-0{day}\n+++\n\n\
                 Why it matters: Talks in Geneva went on.\n\n\
                 \"We will see,\" said Maria Lopez, the envoy, on day {day}.\n"
            );
            std::fs::write(root.join(format!("content/day-{day}.md")), article).unwrap();
        }
        let options = Options { root: root.clone(), ..Options::default() };
        let out = dir.path().join("public");
        build_to(&options, &out).unwrap();
        let pages = build(&options).unwrap().pages;
        for page in &pages {
            let written = std::fs::read(out.join(&page.path)).unwrap();
            assert_eq!(written, page.bytes, "{}", page.path);
        }
        // The oldest article, past the feed, shows its body and callout.
        let oldest = std::fs::read_to_string(out.join("articles/day-1/index.html")).unwrap();
        assert!(oldest.contains("href=\"/entities/geneva/\""), "{oldest}");
        assert!(oldest.contains("on day 1."), "{oldest}");
        assert!(oldest.contains("class=\"callout"), "{oldest}");
    }
}
