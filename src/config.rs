//! Config: `config.toml` → [`Config`].
//!
//! Unknown keys are errors that name the key, so a typo never silently
//! changes nothing.

use std::path::Path;

use serde::Deserialize;

use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};

/// The file name of a site's configuration.
pub const FILE_NAME: &str = "config.toml";

/// A site's `config.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The site's title.
    pub title: String,
    /// A one-line description, used in meta tags and feeds.
    #[serde(default)]
    pub description: String,
    /// Where the site is served: `https://example.org/briefings/` or a path such as `/`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The language of the content (`lang` attribute, feeds).
    #[serde(default = "default_language")]
    pub language: String,
    /// The default author of articles that name none.
    #[serde(default)]
    pub author: Option<String>,
    /// Markdown options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Smart Brevity labels beyond the built-in ones.
    #[serde(default)]
    pub labels: LabelsConfig,
    /// Entity detection and linking.
    #[serde(default)]
    pub annotate: AnnotateConfig,
    /// How many entries a feed holds.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// The search index.
    #[serde(default)]
    pub search: SearchConfig,
    /// Limits on what content may ask of a build.
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Free-form values for templates (`config.extra`).
    #[serde(default)]
    pub extra: toml::Table,
}

/// The `[markdown]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// Curly quotes, dashes and ellipses in Markdown articles (plain-text briefings are shown as written).
    pub smart_punctuation: bool,
    /// Highlight fenced code blocks.
    pub highlight_code: bool,
    /// Let raw HTML in Markdown articles through as written (the author's
    /// own); `false` sanitises each article's HTML, removing scripts, event
    /// handlers and `javascript:` URLs.
    pub unsafe_html: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig { smart_punctuation: true, highlight_code: true, unsafe_html: true }
    }
}

/// The `[limits]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// The largest article file gloss reads, in bytes; a bigger one is an
    /// error naming it (default 10 MB).
    pub max_article_bytes: u64,
}

/// The default of `[limits] max_article_bytes`: 10 MB.
pub const DEFAULT_MAX_ARTICLE_BYTES: u64 = 10_000_000;

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig { max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES }
    }
}

/// The `[labels]` table.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LabelsConfig {
    /// More labels to recognise at the start of a paragraph ("Key quote").
    pub extra: Vec<String>,
}

/// The `[annotate]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnnotateConfig {
    /// Which mentions of an entity become links.
    pub link: LinkMode,
    /// Strings never to treat as entities.
    pub ignore: Vec<String>,
    /// Find entities that are not in the registry.
    pub discover: bool,
}

impl Default for AnnotateConfig {
    fn default() -> Self {
        AnnotateConfig { link: LinkMode::First, ignore: Vec::new(), discover: true }
    }
}

/// The `[search]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the Pagefind index and the search page (the longest stage of
    /// a large build: sites that do not need search can turn it off).
    pub enabled: bool,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true }
    }
}

/// Which mentions of an entity in an article are linked to its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkMode {
    /// The first mention of each entity (the default).
    First,
    /// Every mention.
    All,
    /// None: entities are still found and get pages.
    None,
}

fn default_base_url() -> String {
    "/".to_string()
}

fn default_language() -> String {
    "en".to_string()
}

fn default_feed_limit() -> usize {
    20
}

impl Config {
    /// How many entries a feed shows: `feed_limit`, and at least one.
    pub fn feed_size(&self) -> usize {
        self.feed_limit.max(1)
    }

    /// A configuration with defaults, for lone files annotated outside a site.
    pub fn standalone() -> Config {
        Config {
            title: String::new(),
            description: String::new(),
            base_url: default_base_url(),
            language: default_language(),
            author: None,
            markdown: MarkdownConfig::default(),
            labels: LabelsConfig::default(),
            annotate: AnnotateConfig::default(),
            feed_limit: default_feed_limit(),
            search: SearchConfig::default(),
            limits: LimitsConfig::default(),
            extra: toml::Table::new(),
        }
    }

    /// Reads `config.toml` from a site's root folder.
    pub fn load(root: &Path) -> Result<Config> {
        let path = root.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Diagnostic::new(FILE_NAME, format!("no {FILE_NAME} in {}", root.display()))
                    .help("run `gloss init DIR` to start a new site, or pass --root with the folder of an existing one")
                    .into());
            }
            Err(e) => return Err(Error::io("read", path, e)),
        };
        Config::parse(&text).map_err(Error::from)
    }

    /// Parses the text of a `config.toml`.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let mut diagnostic = Diagnostic::new(FILE_NAME, toml_message(&e));
            if let Some(span) = e.span() {
                diagnostic = diagnostic.at(Location::of_span(text, span.start, span.end));
            }
            diagnostic.help("fix the key or value; the config keys are listed in the README under \"config.toml\"")
        })?;
        Ok(config)
    }

    /// The path part of `base_url`, always starting and ending with `/`
    /// (`https://example.org/briefings` → `/briefings/`).
    pub fn base_path(&self) -> String {
        let url = self.base_url.trim();
        let path = match url.find("://") {
            Some(i) => {
                url.get(i + 3..).and_then(|rest| rest.find('/').map(|j| &rest[j..])).unwrap_or("/")
            }
            None => url,
        };
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() { "/".to_string() } else { format!("/{trimmed}/") }
    }

    /// The absolute form of a site path, for feeds, sitemaps and canonical
    /// links: `base_url` joined with `path` (which is relative to the site root).
    pub fn permalink(&self, path: &str) -> String {
        let base = self.base_url.trim().trim_end_matches('/');
        [base, "/", path.trim_start_matches('/')].concat()
    }
}

/// toml's own message, on one line, without its source excerpt.
pub(crate) fn toml_message(error: &toml::de::Error) -> String {
    error.message().trim().replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let err = Config::parse("title = \"x\"\ntheme = \"dark\"\n").unwrap_err();
        assert!(err.message.contains("theme"), "{}", err.message);
        assert_eq!(err.location.unwrap().line, 2);
    }

    #[test]
    fn base_path_comes_from_the_url() {
        let mut config = Config::standalone();
        config.base_url = "https://example.org/briefings".into();
        assert_eq!(config.base_path(), "/briefings/");
        assert_eq!(config.permalink("/articles/x/"), "https://example.org/briefings/articles/x/");
        config.base_url = "https://example.org".into();
        assert_eq!(config.base_path(), "/");
        config.base_url = "/".into();
        assert_eq!(config.base_path(), "/");
    }
}
