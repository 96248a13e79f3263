//! The pipeline: load → parse → annotate → link → render. `gloss build`
//! writes its result to disk; every other command reuses the same stages.

use std::path::{Path, PathBuf};
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
    let sources = content::load(&options.root)?;
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut registry = Vec::new();
    for source in &sources.entities {
        match content::parse_entity(source) {
            Ok(entry) => registry.push(entry),
            Err(e) => errors.push(e),
        }
    }
    let parsed: Vec<std::result::Result<Document, Diagnostic>> =
        sources.articles.par_iter().map(content::parse).collect();
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
    let annotated: Vec<Annotated> =
        documents.into_par_iter().map(|doc| annotator.annotate(doc)).collect();
    site::link(config, annotated, &registry).map_err(Error::Content)
}

/// Builds the whole site in memory: model, pages and static files.
pub fn build(options: &Options) -> Result<Built> {
    let config = config(options)?;
    let templates = render::load_templates(&options.root);
    let site = model(options, config);
    // Report template and content errors together.
    let (templates, site) = match (templates, site) {
        (Ok(t), Ok(s)) => (t, s),
        (Err(Error::Content(mut a)), Err(Error::Content(b))) => {
            a.extend(b);
            return Err(Error::Content(a));
        }
        (Err(e), _) | (_, Err(e)) => return Err(e),
    };
    let mut pages = render::render(&site, &templates)?;
    pages.extend(crate::output::static_files(&options.root)?);
    pages.extend(crate::publish::files(&site, &pages)?);
    Ok(Built { site, pages })
}

/// What `gloss build` reports when it is done.
#[derive(Debug)]
pub struct Summary {
    /// Articles built.
    pub articles: usize,
    /// Entity pages built.
    pub entities: usize,
    /// Files written.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
}

/// Builds the site and writes it to `output`.
pub fn build_to(options: &Options, output: &Path) -> Result<Summary> {
    let start = Instant::now();
    let built = build(options)?;
    crate::output::write(output, &built.pages)?;
    Ok(Summary {
        articles: built.site.articles.len(),
        entities: built.site.entities.len(),
        files: built.pages.len(),
        elapsed: start.elapsed(),
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
