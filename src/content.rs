//! Content: files under `content/` → [`Source`] → [`Document`] (articles)
//! and [`EntityEntry`] (the registry).
//!
//! Reads and parses; never renders, annotates or writes. Every problem is a
//! [`Diagnostic`] naming the file and, where there is one, the line.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::annotate::entities::EntityKind;
use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::slug::slugify;

/// The folder of articles and registry entries, relative to the site root.
pub const CONTENT_DIR: &str = "content";
/// The registry's folder inside `content/`.
pub const ENTITIES_DIR: &str = "entities";

/// A content file as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path shown in messages, relative to the site root (`content/x.md`).
    pub path: PathBuf,
    /// The file's text, byte-order mark removed.
    pub text: String,
}

/// Which of the two article formats a file is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Markdown, with the byte offset where the body starts in the file.
    Markdown {
        /// The Markdown text after the front matter.
        text: String,
    },
    /// A plain-text briefing: each non-empty line is a paragraph or a bullet.
    Plain(Vec<PlainBlock>),
    /// A body the annotator rendered ([`crate::annotate::Annotated::html`]):
    /// a build holds every article at once, and needs the source no more.
    Rendered,
}

/// One line of a plain-text briefing's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainBlock {
    /// Whether the line was a `•` bullet.
    pub bullet: bool,
    /// The text, trimmed, without the bullet sign.
    pub text: String,
}

/// An article's metadata, from front matter or a plain-text header.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// The headline.
    pub title: String,
    /// The publication date.
    pub date: Date,
    /// The publication the article comes from (`axios.com`).
    pub source: Option<String>,
    /// A link to the original.
    pub source_url: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// A summary; else "Why it matters" serves.
    pub summary: Option<String>,
    /// Drafts are left out unless `--drafts`.
    pub draft: bool,
    /// The URL slug.
    pub slug: String,
    /// Authors.
    pub authors: Vec<String>,
    /// Every other key, for templates (`page.extra`).
    pub extra: Map<String, Value>,
}

/// A parsed article.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// Its metadata.
    pub meta: Meta,
    /// Its body.
    pub body: Body,
    /// A hash of the file's path and text: a rebuild renders again only
    /// what shows an article whose digest changed.
    pub digest: u64,
}

/// One entry of the entity registry (`content/entities/*.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityEntry {
    /// The file, relative to the site root.
    pub path: PathBuf,
    /// The id: the slug of the name.
    pub id: String,
    /// The canonical name.
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Other names in text.
    pub aliases: Vec<String>,
    /// A Wikidata id (`Q123`) or URL.
    pub wikidata: Option<String>,
    /// An official or reference URL.
    pub url: Option<String>,
    /// An image URL.
    pub image: Option<String>,
    /// The description, in Markdown.
    pub description: String,
}

/// Everything under `content/`, read but not parsed.
#[derive(Debug, Default)]
pub struct Sources {
    /// Article files (`.md`, `.txt`) outside `content/entities/`.
    pub articles: Vec<Source>,
    /// Registry files under `content/entities/`.
    pub entities: Vec<Source>,
}

/// Reads every article and registry file under `root/content/`, sorted by
/// path, with the default size limit. Files that are not UTF-8 are
/// reported, all of them.
pub fn load(root: &Path) -> Result<Sources> {
    load_limited(root, crate::config::DEFAULT_MAX_ARTICLE_BYTES)
}

/// [`load`] refusing any file over `max_bytes` (`[limits]
/// max_article_bytes`) before reading it, so one huge file cannot stall or
/// exhaust a build.
pub fn load_limited(root: &Path, max_bytes: u64) -> Result<Sources> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Err(Diagnostic::new(CONTENT_DIR, "the site has no content/ folder")
            .help("create content/ and put articles (.md or .txt) in it, or run `gloss init DIR` for a new site")
            .into());
    }
    let mut sources = Sources::default();
    let mut errors = Vec::new();
    let paths: Vec<(PathBuf, Format)> = walk(root, &content, true)?
        .into_iter()
        .filter_map(|path| article_kind(&path).map(|kind| (path, kind)))
        .collect();
    // Read on every core: one file at a time, reading 10k articles took
    // longer than linking them. In small pieces, as the annotation is:
    // left to rayon's halving, one core read the last files alone for
    // some 30 ms of a 10k build.
    let read: Vec<_> = paths
        .par_chunks(64)
        .flat_map_iter(|piece| {
            // The kernel drops the cached pages of files left unread for a
            // while, and reading such a file waits for the disk. Asking for
            // all of a piece's pages first has the disk fetch them at once,
            // rather than each in turn while the core waits: with 1,000 of
            // 10k articles dropped, loading took 67 to 80 ms instead of 96
            // to 120.
            let opened: Vec<_> =
                piece.iter().map(|(path, _)| open_ahead(path, max_bytes)).collect();
            piece.iter().zip(opened).map(|((path, _), file)| read_open(root, path, file, max_bytes))
        })
        .collect();
    for ((path, kind), source) in paths.into_iter().zip(read) {
        let source = match source? {
            Ok(source) => source,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if path.strip_prefix(&content).is_ok_and(|p| p.starts_with(ENTITIES_DIR)) {
            if kind == Format::Markdown {
                sources.entities.push(source);
            }
        } else {
            sources.articles.push(source);
        }
    }
    if errors.is_empty() { Ok(sources) } else { Err(Error::Content(errors)) }
}

/// Whether `relative` (to the site root) names an article [`load`] would
/// read: a `.md` or `.txt` file under `content/` but not in the registry,
/// with no hidden folder or file on the way. Says nothing of whether it
/// exists.
pub fn is_article_path(relative: &Path) -> bool {
    let mut parts = relative.components();
    let in_content = parts.next().is_some_and(|c| c.as_os_str() == CONTENT_DIR);
    let rest: Vec<_> = parts.map(|c| c.as_os_str()).collect();
    in_content
        && rest.first().is_some_and(|first| rest.len() == 1 || *first != ENTITIES_DIR)
        && rest.iter().all(|name| !is_hidden(name))
        && article_kind(relative).is_some()
}

/// Reads one content file (`path` absolute, under `root`), refusing it
/// when it is over `max_bytes` or not UTF-8 (the inner error).
pub fn read(root: &Path, path: &Path, max_bytes: u64) -> Result<Result<Source, Diagnostic>> {
    read_open(root, path, std::fs::File::open(path), max_bytes)
}

/// Opens a file and tells the kernel its first `max_bytes` will be read
/// soon, so that the pages it must fetch from disk are on their way. No
/// further: a file over the limit is refused unread, and asking for all of
/// a huge one would have the disk read it anyway.
fn open_ahead(path: &Path, max_bytes: u64) -> std::io::Result<std::fs::File> {
    let file = std::fs::File::open(path)?;
    // Only advice: a file it cannot be given for is read all the same.
    #[cfg(target_os = "linux")]
    if let Some(len) = std::num::NonZeroU64::new(max_bytes) {
        let _ = rustix::fs::fadvise(&file, 0, Some(len), rustix::fs::Advice::WillNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = max_bytes;
    Ok(file)
}

/// [`read`] of a file already opened (or not: the error is reported as
/// reading it).
fn read_open(
    root: &Path,
    path: &Path,
    file: std::io::Result<std::fs::File>,
    max_bytes: u64,
) -> Result<Result<Source, Diagnostic>> {
    use std::io::Read as _;
    let display = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let io = |e| Error::io("read", path, e);
    let too_big = |size: u64| {
        Diagnostic::new(
            &display,
            format!("the file is {size} bytes, over the limit of {max_bytes} bytes"),
        )
        .help("split it into smaller articles, or raise `max_article_bytes` under [limits] in config.toml")
    };
    // Opened once and sized once: `metadata` and `fs::read` asked for the
    // size twice more (and the position once), for each of 10k files.
    let file = file.map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > max_bytes {
        return Ok(Err(too_big(size)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // As many bytes as the file had when sized: reading on to its end took
    // a second call per file only to learn there was nothing more. A file
    // written meanwhile is read whole by the next build, as it is changed.
    file.take(size).read_to_end(&mut bytes).map_err(io)?;
    Ok(decode(&display, bytes).map(|text| Source { path: display, text }))
}

/// Reads and parses the entity registry alone (`content/entities/*.md`),
/// for commands that need no articles; a site without one has none.
pub fn load_registry(root: &Path) -> Result<Vec<EntityEntry>> {
    let dir = root.join(CONTENT_DIR).join(ENTITIES_DIR);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for path in walk(root, &dir, true)? {
        if article_kind(&path) != Some(Format::Markdown) {
            continue;
        }
        let display = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let bytes = std::fs::read(&path).map_err(|e| Error::io("read", &path, e))?;
        match decode(&display, bytes).and_then(|text| parse_entity(&Source { path: display, text }))
        {
            Ok(entry) => entries.push(entry),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(entries) } else { Err(Error::Content(errors)) }
}

/// A file's bytes as text, without a byte-order mark; an error pointing at
/// the first byte that is not UTF-8 otherwise.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(text)),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Err(Diagnostic::new(path, "the file is not valid UTF-8")
                .at(Location::of_span(&text, valid, valid + 1))
                .help("save the file as UTF-8 (most editors have an \"encoding\" option)"))
        }
    }
}

/// The files under `dir`, a folder of the site at `root` (content/,
/// templates/ or static/), sorted by path. Symbolic links are followed
/// when they lead to a place inside the site; one that leads outside it is
/// an error naming the link, so no content, template or static file can
/// pull a file from elsewhere on the machine into the site (issue 8).
/// Hidden entries (`.git`, `#x#`, `x~`) are skipped when `skip_hidden`.
pub fn walk(root: &Path, dir: &Path, skip_hidden: bool) -> Result<Vec<PathBuf>> {
    let site = root.canonicalize().map_err(|e| Error::io("read", root, e))?;
    let mut refused = Vec::new();
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        // Siblings share their folder's path, so comparing whole paths
        // orders them by name, without taking each name out of its path
        // at every comparison (a visible part of loading 10k articles).
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|entry| {
            if skip_hidden && entry.depth() > 0 && is_hidden(entry.file_name()) {
                return false;
            }
            if !entry.path_is_symlink() {
                return true;
            }
            match entry.path().canonicalize() {
                Ok(target) if target.starts_with(&site) => true,
                Ok(target) => {
                    let shown = entry.path().strip_prefix(root).unwrap_or(entry.path());
                    refused.push(
                        Diagnostic::new(
                            shown,
                            format!(
                                "the symbolic link leads outside the site, to {}",
                                target.display()
                            ),
                        )
                        .help("copy the file into the site's folder instead of linking to it, or remove the link"),
                    );
                    false
                }
                // A dangling link: the walker reports it with its path.
                Err(_) => true,
            }
        });
    for entry in walker {
        let entry = entry.map_err(|e| {
            let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| dir.to_path_buf());
            Error::io("read", path, e.into())
        })?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    if refused.is_empty() { Ok(files) } else { Err(Error::Content(refused)) }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.') || n.starts_with('#') || n.ends_with('~'))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Markdown,
    Plain,
}

fn article_kind(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()? {
        "md" | "markdown" => Some(Format::Markdown),
        "txt" => Some(Format::Plain),
        _ => None,
    }
}

/// Parses an article in either format, by its file extension.
pub fn parse(source: &Source) -> Result<Document, Diagnostic> {
    match article_kind(&source.path) {
        Some(Format::Plain) => parse_plain(source),
        _ => parse_markdown(source).map(|(mut doc, start)| {
            let text = source.text.get(start..).unwrap_or("").to_string();
            doc.body = Body::Markdown { text };
            doc
        }),
    }
}

/// [`parse`], giving a Markdown body the file's own text rather than a copy
/// of it: a build that keeps no sources has no other use for the text, and
/// a copy of every article would be held through the whole build.
pub fn parse_owned(source: Source) -> Result<Document, Diagnostic> {
    match article_kind(&source.path) {
        Some(Format::Plain) => parse_plain(&source),
        _ => {
            let (mut doc, start) = parse_markdown(&source)?;
            let mut text = source.text;
            if text.is_char_boundary(start) {
                text.drain(..start);
            }
            doc.body = Body::Markdown { text };
            Ok(doc)
        }
    }
}

/// The front matter of a Markdown file: its key/value map and where it sits.
struct FrontMatter<'a> {
    map: Map<String, Value>,
    /// The front matter's text, and its byte offset in the file.
    text: &'a str,
    offset: usize,
    body: &'a str,
}

fn split_front_matter(source: &Source) -> Result<FrontMatter<'_>, Diagnostic> {
    let text = source.text.as_str();
    let fence = if text.starts_with("+++") {
        "+++"
    } else if text.starts_with("---") {
        "---"
    } else {
        return Err(Diagnostic::new(&source.path, "the file has no front matter")
            .at(Location::of_line(text, 1))
            .help("start the file with a +++ (TOML) or --- (YAML) block holding at least `title` and `date`"));
    };
    let after_open = text.find('\n').map_or(text.len(), |i| i + 1);
    let rest = text.get(after_open..).unwrap_or("");
    let mut offset = after_open;
    let mut close = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == fence {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((close_start, body_start)) = close else {
        return Err(Diagnostic::new(
            &source.path,
            format!("the front matter opened with {fence} is never closed"),
        )
        .at(Location::of_line(text, 1))
        .help(format!("end the front matter with a line holding only {fence}")));
    };
    let fm_text = text.get(after_open..close_start).unwrap_or("");
    let map = if fence == "+++" {
        let table: toml::Table = toml::from_str(fm_text).map_err(|e| {
            let mut d = Diagnostic::new(&source.path, format!("invalid TOML front matter: {}", crate::config::toml_message(&e)));
            if let Some(span) = e.span() {
                d = d.at(Location::of_span(text, after_open + span.start, after_open + span.end));
            }
            d.help("fix the TOML syntax: strings in double quotes, dates as 2024-04-26, lists as [\"a\", \"b\"]")
        })?;
        match toml_to_json(toml::Value::Table(table)) {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    } else {
        let value: Value = if fm_text.trim().is_empty() {
            Value::Object(Map::new())
        } else {
            serde_norway::from_str(fm_text).map_err(|e| {
                let mut d = Diagnostic::new(
                    &source.path,
                    format!("invalid YAML front matter: {}", yaml_message(&e)),
                );
                if let Some(loc) = e.location() {
                    d = d.at(Location::of_span(
                        text,
                        after_open + loc.index(),
                        after_open + loc.index() + 1,
                    ));
                }
                d.help("fix the YAML syntax: `key: value`, lists as `[a, b]`")
            })?
        };
        match value {
            Value::Object(map) => map,
            _ => {
                return Err(Diagnostic::new(
                    &source.path,
                    "the YAML front matter is not a map of keys",
                )
                .at(Location::of_line(text, 2))
                .help("write one `key: value` per line"));
            }
        }
    };
    Ok(FrontMatter {
        map,
        text: fm_text,
        offset: after_open,
        body: text.get(body_start..).unwrap_or(""),
    })
}

/// serde_norway's message without its "at line N column M" parts: they
/// count from the front matter, not the file, and the location shown
/// under the message already says where.
fn yaml_message(error: &serde_norway::Error) -> String {
    let text = error.to_string();
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(" at line ") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let tail =
            after.trim_start_matches(" at line ").trim_start_matches(|c: char| c.is_ascii_digit());
        let tail = tail
            .strip_prefix(" column ")
            .map_or(tail, |t| t.trim_start_matches(|c: char| c.is_ascii_digit()));
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn toml_to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// Reads typed keys out of a front matter map, reporting errors at the key's line.
struct Fields<'a> {
    source: &'a Source,
    front: &'a FrontMatter<'a>,
    map: Map<String, Value>,
}

impl Fields<'_> {
    fn error(&self, key: &str, message: String, help: &str) -> Diagnostic {
        let mut d = Diagnostic::new(&self.source.path, message).help(help);
        let mut offset = self.front.offset;
        for line in self.front.text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix(key)
                && rest.trim_start().starts_with(['=', ':'])
            {
                let start = offset + (line.len() - trimmed.len());
                d = d.at(Location::of_span(
                    &self.source.text,
                    start,
                    start + line.trim_end().len() - (line.len() - trimmed.len()),
                ));
                break;
            }
            offset += line.len();
        }
        if d.location.is_none() {
            d = d.at(Location::of_line(&self.source.text, 1));
        }
        d
    }

    fn string(&mut self, key: &str) -> Result<Option<String>, Diagnostic> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.error(
                key,
                format!("`{key}` must be a string, not {other}"),
                "put the value in double quotes",
            )),
        }
    }

    fn strings(&mut self, key: &str) -> Result<Vec<String>, Diagnostic> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s]),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                Ok(items.into_iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            }
            Some(other) => Err(self.error(
                key,
                format!("`{key}` must be a list of strings, not {other}"),
                "write it as [\"a\", \"b\"]",
            )),
        }
    }

    fn boolean(&mut self, key: &str) -> Result<bool, Diagnostic> {
        match self.map.remove(key) {
            None | Some(Value::Null) => Ok(false),
            Some(Value::Bool(b)) => Ok(b),
            Some(other) => Err(self.error(
                key,
                format!("`{key}` must be true or false, not {other}"),
                "write true or false without quotes",
            )),
        }
    }
}

/// A Markdown article's document with its body left empty, and the byte
/// offset in the file where the body starts.
fn parse_markdown(source: &Source) -> Result<(Document, usize), Diagnostic> {
    let mut front = split_front_matter(source)?;
    let map = std::mem::take(&mut front.map);
    let mut fields = Fields { source, front: &front, map };
    let Some(title) = fields.string("title")? else {
        return Err(Diagnostic::new(&source.path, "the front matter has no `title`")
            .at(Location::of_line(&source.text, 1))
            .help("add a line such as title = \"Blinken meets with Xi\""));
    };
    let date = match fields
        .string("date")
        .map_err(|_| fields.error("date", "`date` must be a date".into(), DATE_HELP))?
    {
        Some(raw) => parse_date(&raw).ok_or_else(|| {
            fields.error("date", format!("unknown date format \"{raw}\""), DATE_HELP)
        })?,
        None => {
            return Err(Diagnostic::new(&source.path, "the front matter has no `date`")
                .at(Location::of_line(&source.text, 1))
                .help("add a line such as date = 2024-04-26"));
        }
    };
    // Zola keeps custom keys under [extra]; look there too.
    for key in ["source", "source_url"] {
        let nested = match fields.map.get_mut("extra") {
            Some(Value::Object(extra)) => extra.remove(key),
            _ => None,
        };
        if let Some(value) = nested {
            fields.map.entry(key).or_insert(value);
        }
    }
    let source_name = fields.string("source")?;
    let source_url = fields.string("source_url")?;
    let mut tags = fields.strings("tags")?;
    if let Some(Value::Object(mut taxonomies)) = fields.map.remove("taxonomies") {
        // Zola keeps tags under [taxonomies]; accept them there too.
        if let Some(Value::Array(more)) = taxonomies.remove("tags") {
            tags.extend(more.into_iter().filter_map(|v| v.as_str().map(str::to_string)));
        }
        if !taxonomies.is_empty() {
            fields.map.insert("taxonomies".into(), Value::Object(taxonomies));
        }
    }
    let summary = fields.string("summary")?.or(fields.string("description")?);
    let draft = fields.boolean("draft")?;
    let slug = fields.string("slug")?;
    let mut authors = fields.strings("authors")?;
    authors.extend(fields.string("author")?);
    let slug = article_slug(source, slug.as_deref())?;
    // Zola's [extra] is often left empty once `source` is lifted out of
    // it: an empty map is nothing to show, and costs memory per article.
    if fields.map.get("extra").is_some_and(|e| e.as_object().is_some_and(Map::is_empty)) {
        fields.map.remove("extra");
    }
    let meta = Meta {
        title,
        date,
        source: source_name,
        source_url,
        tags,
        summary,
        draft,
        slug,
        authors,
        // A new map when nothing is left: the emptied one keeps its node.
        extra: if fields.map.is_empty() { Map::new() } else { fields.map },
    };
    let document = Document {
        path: source.path.clone(),
        meta,
        body: Body::Markdown { text: String::new() },
        digest: digest(source),
    };
    Ok((document, source.text.len() - front.body.len()))
}

/// [`Document::digest`]: stable within one build of gloss, which is all a
/// rebuild needs.
fn digest(source: &Source) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    source.path.hash(&mut hasher);
    source.text.hash(&mut hasher);
    hasher.finish()
}

const DATE_HELP: &str = "write the date as 4/26/2024 or 2024-04-26";

fn article_slug(source: &Source, explicit: Option<&str>) -> Result<String, Diagnostic> {
    let stem = source.path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let slug = slugify(explicit.unwrap_or(stem));
    if slug.is_empty() {
        return Err(Diagnostic::new(&source.path, "the article's slug has no letter or digit")
            .help("set `slug` in the front matter, or rename the file"));
    }
    Ok(slug)
}

/// Parses a date written as `2024-04-26`, `4/26/2024`, or an RFC 3339 /
/// TOML datetime (`2024-04-26T10:00:00Z`, of which the day is kept).
pub fn parse_date(raw: &str) -> Option<Date> {
    let raw = raw.trim();
    if let Some((m, rest)) = raw.split_once('/') {
        let (d, y) = rest.split_once('/')?;
        let (m, d, y) = (m.trim().parse().ok()?, d.trim().parse().ok()?, y.trim().parse().ok()?);
        if !(1000..=9999).contains(&y) {
            return None;
        }
        return Date::new(y, m, d).ok();
    }
    let day = raw.get(..10)?;
    let rest = raw.get(10..)?;
    if !(rest.is_empty() || rest.starts_with(['T', 't', ' '])) {
        return None;
    }
    day.parse::<Date>().ok()
}

/// The header keys a plain-text briefing may carry before its blank line.
const PLAIN_KEYS: &str =
    "Published Date, Source, Source URL, Tags, Author, Summary, Slug, Draft, License";

fn parse_plain(source: &Source) -> Result<Document, Diagnostic> {
    let text = source.text.as_str();
    let mut lines = text.split_inclusive('\n').scan(0usize, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line.trim_end_matches(['\n', '\r'])))
    });
    let title = match lines.next() {
        Some((_, line)) if !line.trim().is_empty() => line.trim().to_string(),
        _ => {
            return Err(Diagnostic::new(&source.path, "the briefing has no title line")
                .at(Location::of_line(text, 1))
                .help("put the title on the first line, then `Published Date: 4/26/2024` and `Source: domain`"));
        }
    };
    let mut date = None;
    let (mut source_name, mut source_url, mut summary, mut slug) = (None, None, None, None);
    let (mut tags, mut authors, mut draft, mut extra) = (Vec::new(), Vec::new(), false, Map::new());
    let mut body = Vec::new();
    let mut in_header = true;
    for (offset, line) in lines {
        if in_header {
            if line.trim().is_empty() {
                in_header = false;
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                return Err(Diagnostic::new(
                    &source.path,
                    "expected a `Key: value` header line or a blank line",
                )
                .at(Location::of_span(text, offset, offset + line.len()))
                .help(format!(
                    "leave a blank line between the header ({PLAIN_KEYS}) and the body"
                )));
            };
            let value_start = offset + key.len() + 1 + (value.len() - value.trim_start().len());
            let value = value.trim();
            match key.trim().to_ascii_lowercase().as_str() {
                "published date" | "date" => {
                    date = Some(parse_date(value).ok_or_else(|| {
                        Diagnostic::new(&source.path, format!("unknown date format \"{value}\""))
                            .at(Location::of_span(text, value_start, value_start + value.len()))
                            .help(DATE_HELP)
                    })?);
                }
                "source" => source_name = Some(value.to_string()),
                "source url" => source_url = Some(value.to_string()),
                "summary" => summary = Some(value.to_string()),
                "slug" => slug = Some(value.to_string()),
                "tags" => tags.extend(
                    value.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string),
                ),
                "author" | "authors" => authors.extend(
                    value.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string),
                ),
                "draft" => {
                    draft = value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("yes")
                }
                "license" => {
                    extra.insert("license".into(), Value::String(value.to_string()));
                }
                other => {
                    return Err(Diagnostic::new(
                        &source.path,
                        format!("unknown header \"{}\"", other),
                    )
                    .at(Location::of_span(text, offset, offset + key.len()))
                    .help(format!(
                        "the header keys are {PLAIN_KEYS}; leave a blank line before the body"
                    )));
                }
            }
            continue;
        }
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        match trimmed.strip_prefix('•') {
            Some(rest) => body.push(PlainBlock { bullet: true, text: rest.trim().to_string() }),
            None => body.push(PlainBlock { bullet: false, text: trimmed.to_string() }),
        }
    }
    let Some(date) = date else {
        return Err(Diagnostic::new(&source.path, "the briefing has no `Published Date:` line")
            .at(Location::of_line(text, 2))
            .help("add `Published Date: 4/26/2024` on the line after the title"));
    };
    let slug = article_slug(source, slug.as_deref())?;
    let meta = Meta {
        title,
        date,
        source: source_name,
        source_url,
        tags,
        summary,
        draft,
        slug,
        authors,
        extra,
    };
    Ok(Document {
        path: source.path.clone(),
        meta,
        body: Body::Plain(body),
        digest: digest(source),
    })
}

/// Parses a registry entry (`content/entities/*.md`).
pub fn parse_entity(source: &Source) -> Result<EntityEntry, Diagnostic> {
    let mut front = split_front_matter(source)?;
    let map = std::mem::take(&mut front.map);
    let mut fields = Fields { source, front: &front, map };
    let Some(name) = fields.string("name")? else {
        return Err(Diagnostic::new(&source.path, "the registry entry has no `name`")
            .at(Location::of_line(&source.text, 1))
            .help("add name = \"Antony Blinken\" to the front matter"));
    };
    let kind = match fields.string("kind")?.as_deref() {
        None | Some("other") => EntityKind::Other,
        Some("person") => EntityKind::Person,
        Some("organization" | "organisation") => EntityKind::Organization,
        Some("place") => EntityKind::Place,
        Some(other) => {
            return Err(fields.error(
                "kind",
                format!("unknown entity kind \"{other}\""),
                "use person, organization, place or other",
            ));
        }
    };
    let aliases = fields.strings("aliases")?;
    let wikidata = fields.string("wikidata")?;
    let url = fields.string("url")?;
    let image = fields.string("image")?;
    let explicit_id = fields.string("slug")?;
    if let Some(key) = fields.map.keys().next() {
        return Err(fields.error(
            key,
            format!("unknown key `{key}` in a registry entry"),
            "the keys are name, kind, aliases, wikidata, url, image, slug",
        ));
    }
    let id = slugify(explicit_id.as_deref().unwrap_or(&name));
    if id.is_empty() {
        let key = if explicit_id.is_some() { "slug" } else { "name" };
        return Err(fields.error(
            key,
            format!("the entity's {key} has no letter or digit to make its page's URL from"),
            "give it a name (or a `slug`) with letters or digits",
        ));
    }
    Ok(EntityEntry {
        path: source.path.clone(),
        id,
        name,
        kind,
        aliases,
        wikidata,
        url,
        image,
        description: front.body.trim().to_string(),
    })
}

/// The text of a new registry file for an entity gloss discovered: what
/// `gloss entities --suggest` prints for an editor to adopt.
pub fn registry_stub(name: &str, kind: EntityKind, aliases: &[String]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let kind = kind.as_str();
    let aliases: Vec<String> =
        aliases.iter().filter(|a| a.as_str() != name).map(|a| quote(a)).collect();
    format!(
        "+++\nname = {}\nkind = \"{kind}\"\naliases = [{}]\n# wikidata = \"Q…\"\n# url = \"https://…\"\n+++\nOne or two sentences on who or what this is.\n",
        quote(name),
        aliases.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str, text: &str) -> Source {
        Source { path: PathBuf::from(path), text: text.to_string() }
    }

    #[test]
    fn registry_stub_parses_back() {
        let text = registry_stub("Wang \"W\" Wenbin", EntityKind::Person, &["Wang".into()]);
        let entry = parse_entity(&source("content/entities/wang.md", &text)).unwrap();
        assert_eq!(entry.name, "Wang \"W\" Wenbin");
        assert_eq!(entry.kind, EntityKind::Person);
        assert_eq!(entry.aliases, vec!["Wang"]);
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let day = Date::new(2024, 4, 26).unwrap();
        assert_eq!(parse_date("2024-04-26"), Some(day));
        assert_eq!(parse_date("4/26/2024"), Some(day));
        assert_eq!(parse_date("2024-04-26T10:30:00Z"), Some(day));
        assert_eq!(parse_date("2024-04-26 10:30:00"), Some(day));
        assert_eq!(parse_date("26 April"), None);
        assert_eq!(parse_date("13/1/2024"), None);
        assert_eq!(parse_date("2024-04-26x"), None);
    }

    #[test]
    fn plain_briefing_header_and_bullets() {
        let doc = parse(&source(
            "content/a.txt",
            "Title here\r\nPublished Date: 4/26/2024\r\nSource: axios.com\r\n\r\nLede <b>.\r\n\r\n  • \"One,\" he said.\r\n",
        ))
        .unwrap();
        assert_eq!(doc.meta.title, "Title here");
        assert_eq!(doc.meta.source.as_deref(), Some("axios.com"));
        assert_eq!(doc.meta.slug, "a");
        let Body::Plain(blocks) = doc.body else { panic!("plain body expected") };
        assert_eq!(blocks[0], PlainBlock { bullet: false, text: "Lede <b>.".into() });
        assert_eq!(blocks[1], PlainBlock { bullet: true, text: "\"One,\" he said.".into() });
    }

    #[test]
    fn toml_front_matter_with_extra_keys() {
        let doc = parse(&source(
            "content/b.md",
            "+++\ntitle = \"T\"\ndate = 2024-04-26\ntags = [\"x\"]\nmood = \"calm\"\n+++\nBody\n",
        ))
        .unwrap();
        assert_eq!(doc.meta.date, Date::new(2024, 4, 26).unwrap());
        assert_eq!(doc.meta.tags, vec!["x"]);
        assert_eq!(doc.meta.extra.get("mood"), Some(&Value::String("calm".into())));
        assert_eq!(doc.body, Body::Markdown { text: "Body\n".into() });
    }

    #[test]
    fn owned_parse_gives_the_same_document() {
        for (path, text) in [
            ("content/b.md", "+++\ntitle = \"T\"\ndate = 2024-04-26\n+++\n“Body,” she said. ü\n"),
            ("content/c.md", "---\ntitle: T\ndate: 2024-04-26\n---\n"),
            ("content/a.txt", "Title\nPublished Date: 4/26/2024\n\nLede.\n"),
        ] {
            let source = source(path, text);
            assert_eq!(parse_owned(source.clone()).unwrap(), parse(&source).unwrap(), "{path}");
        }
    }

    #[test]
    fn yaml_front_matter() {
        let doc = parse(&source(
            "content/c.md",
            "---\ntitle: T\ndate: 2024-04-26\nslug: ../../evil\n---\nBody\n",
        ))
        .unwrap();
        assert_eq!(doc.meta.title, "T");
        assert_eq!(doc.meta.slug, "evil");
    }

    #[test]
    fn toml_error_points_into_the_file() {
        let err = parse(&source("content/b.md", "+++\ntitle = \"T\ndate = 2024-04-26\n+++\n"))
            .unwrap_err();
        assert!(err.message.starts_with("invalid TOML front matter"), "{}", err.message);
        assert_eq!(err.location.unwrap().line, 2);
    }

    #[test]
    fn unreadable_plain_date_points_at_the_value() {
        let err =
            parse(&source("content/a.txt", "T\nPublished Date: 26 April\n\nBody\n")).unwrap_err();
        let loc = err.location.clone().unwrap();
        assert_eq!((loc.line, loc.column, loc.width), (2, 17, 8));
        assert_eq!(err.message, "unknown date format \"26 April\"");
    }
}
