//! The pipeline: load → parse → annotate → link → render. `gloss build`
//! writes its result to disk; every other command reuses the same stages.

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

/// Reads the config, honouring a `--base-url` override.
pub fn config(options: &Options) -> Result<Config> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = url.clone();
    }
    Ok(config)
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

/// Loads, parses and annotates every article and links the site. All
/// content errors are collected before returning.
pub fn model(options: &Options, config: Config) -> Result<Site> {
    model_timed(options, config, &mut Timings::default())
}

fn model_timed(options: &Options, config: Config, timings: &mut Timings) -> Result<Site> {
    let sources = timings.time("load", || content::load(&options.root))?;
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut registry = Vec::new();
    for source in &sources.entities {
        match content::parse_entity(source) {
            Ok(entry) => registry.push(entry),
            Err(e) => errors.push(e),
        }
    }
    let parsed: Vec<std::result::Result<Document, Diagnostic>> =
        timings.time("parse", || sources.articles.par_iter().map(content::parse).collect());
    let mut documents = Vec::with_capacity(parsed.len());
    for result in parsed {
        match result {
            Ok(doc) if doc.meta.draft && !options.drafts => {}
            Ok(doc) => documents.push(doc),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    let annotator = Annotator::new(&config, &registry);
    let annotated: Vec<Annotated> = timings.time("annotate", || {
        documents.into_par_iter().map(|doc| annotator.annotate(doc)).collect()
    });
    timings.time("link", || site::link(config, annotated, &registry)).map_err(Error::Content)
}

/// Reads the config, templates and content and links the site: everything
/// up to rendering. Template and content errors are reported together.
fn prepare(options: &Options, timings: &mut Timings) -> Result<(Site, render::Templates)> {
    let config = config(options)?;
    let templates = timings.time("templates", || render::load_templates(&options.root));
    let site = model_timed(options, config, timings);
    match (templates, site) {
        (Ok(t), Ok(s)) => Ok((s, t)),
        (Err(Error::Content(mut a)), Err(Error::Content(b))) => {
            a.extend(b);
            Err(Error::Content(a))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// Builds the whole site in memory: model, pages and static files.
pub fn build(options: &Options) -> Result<Built> {
    let mut timings = Timings::default();
    let (site, templates) = prepare(options, &mut timings)?;
    let mut pages = timings.time("render", || render::render(&site, &templates))?;
    pages.extend(crate::output::static_files(&options.root)?);
    let paths: Vec<String> = pages.iter().map(|p| p.path.clone()).collect();
    let indexed: Vec<Page> =
        pages.iter().filter(|p| crate::publish::is_indexed(&p.path)).cloned().collect();
    pages.extend(crate::publish::files(&site, &paths, &indexed)?);
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
}

/// Builds the site and writes it to `output`: pages are streamed to a
/// staging folder as they are rendered and moved into place only when the
/// whole build succeeded; unchanged files are not rewritten.
pub fn build_to(options: &Options, output: &Path) -> Result<Summary> {
    let start = Instant::now();
    let mut timings = Timings::default();
    let (site, templates) = prepare(options, &mut timings)?;
    let writer = crate::output::Writer::new(output)?;
    // Pages stream to disk; only their paths, and the pages search
    // indexes, are kept for the sitemap and the search bundle.
    let paths = Mutex::new(Vec::new());
    let indexed = Mutex::new(Vec::new());
    let emit = |page: Page| {
        writer.put(&page)?;
        if crate::publish::is_indexed(&page.path)
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
        render::render_each(&site, &templates, emit)?;
        crate::output::static_files(&options.root)?.into_iter().try_for_each(emit)
    });
    let paths = paths.into_inner().unwrap_or_default();
    let indexed = indexed.into_inner().unwrap_or_default();
    let published = rendered.and_then(|()| {
        timings
            .time("publish", || crate::publish::files(&site, &paths, &indexed))?
            .iter()
            .try_for_each(|p| writer.put(p))
    });
    if let Err(e) = published {
        writer.abort();
        return Err(e);
    }
    let files = paths.len();
    let stats = timings.time("commit", || writer.commit())?;
    Ok(Summary {
        articles: site.articles.len(),
        entities: site.entities.len(),
        files,
        written: stats.written,
        elapsed: start.elapsed(),
        timings,
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
    let mut registry = Vec::new();
    if root.join(content::CONTENT_DIR).join(content::ENTITIES_DIR).is_dir() {
        for source in content::load(root)?.entities {
            registry.push(content::parse_entity(&source)?);
        }
    }
    let bytes = std::fs::read(file).map_err(|e| Error::io("read", file, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::new(file, "the file is not valid UTF-8")
            .help("save the file as UTF-8 (most editors have an \"encoding\" option)")
    })?;
    let text = text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text);
    let doc = content::parse(&content::Source { path: file.to_path_buf(), text })?;
    Ok(Annotator::new(&config, &registry).annotate(doc))
}
