//! Render: the [`Site`] → pages (`(path, bytes)`), through Tera templates.
//!
//! The default theme is embedded ([`theme`]); a site's `templates/` and
//! `static/` override it file by file. Never writes to disk: the output
//! stage does.

pub mod context;
pub mod theme;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::annotate::quotes::Speaker;
use crate::config::LinkMode;
use crate::diag::{Diagnostic, Location};
use crate::error::{Error, Result};
use crate::markdown::{self, BlockMarks, Label, Span};
use crate::site::{Article, Site};
use context::*;

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its path inside the output folder (`articles/x/index.html`).
    pub path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// The templates of a site: the embedded theme with the site's own
/// `templates/` laid over it.
pub struct Templates {
    tera: Tera,
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
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::io("read", dir.clone(), e.into()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let name = entry
                .path()
                .strip_prefix(&dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let shown = entry.path().strip_prefix(root).unwrap_or(entry.path()).to_path_buf();
            let text = std::fs::read_to_string(entry.path())
                .map_err(|e| Error::io("read", entry.path(), e))?;
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
    Ok(Templates { tera, origins: sources })
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
}

/// What one output page is, before it is rendered.
enum Job<'a> {
    Index,
    Article(&'a Article),
    Terms { folder: &'static str, title: &'static str },
    Term { folder: &'static str, index: usize },
    Archive,
    Entities,
    Entity(usize),
    Quotes,
    NotFound,
    Feed,
    Search,
}

/// Renders every page of the site. All template errors are collected.
pub fn render(site: &Site, templates: &Templates) -> Result<Vec<Page>> {
    let mut jobs =
        vec![Job::Index, Job::Archive, Job::Entities, Job::Quotes, Job::NotFound, Job::Feed];
    jobs.push(Job::Search);
    jobs.push(Job::Terms { folder: "tags", title: "Tags" });
    jobs.push(Job::Terms { folder: "sources", title: "Sources" });
    jobs.extend(site.articles.iter().map(Job::Article));
    jobs.extend((0..site.tags.len()).map(|index| Job::Term { folder: "tags", index }));
    jobs.extend((0..site.sources.len()).map(|index| Job::Term { folder: "sources", index }));
    jobs.extend((0..site.entities.len()).map(Job::Entity));

    let base_context = {
        let mut context = Context::new();
        context.insert("site", &SiteView::new(site));
        context
    };
    let results: Vec<std::result::Result<Vec<Page>, Diagnostic>> =
        jobs.par_iter().map(|job| render_job(site, templates, &base_context, job)).collect();
    let mut pages = Vec::with_capacity(results.len() + theme::STATIC.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(mut more) => pages.append(&mut more),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Content(errors));
    }
    pages.push(Page { path: "syntax.css".into(), bytes: markdown::syntax_css().into_bytes() });
    Ok(pages)
}

fn page(path: String, html: String) -> Vec<Page> {
    vec![Page { path, bytes: html.into_bytes() }]
}

fn render_job(
    site: &Site,
    templates: &Templates,
    base: &Context,
    job: &Job<'_>,
) -> std::result::Result<Vec<Page>, Diagnostic> {
    let base_path = site.config.base_path();
    let mut context = base.clone();
    let all_summaries = || site.articles.iter().map(|a| summary(site, a)).collect::<Vec<_>>();
    match job {
        Job::Index => {
            context.insert("pages", &all_summaries());
            context.insert("current_path", &base_path);
            Ok(page(
                "index.html".into(),
                templates.render("index.html", &context, Path::new("index.html"))?,
            ))
        }
        Job::Article(article) => {
            let view = article_view(site, article, templates)?;
            context.insert("current_path", &view.url);
            context.insert("page", &view);
            let html = templates.render("article.html", &context, &article.annotated.doc.path)?;
            Ok(page(format!("{}index.html", article.path), html))
        }
        Job::Terms { folder, title } => {
            let terms = if *folder == "tags" { &site.tags } else { &site.sources };
            let views: Vec<TermView> = terms.iter().map(|t| term(site, t, folder, false)).collect();
            context.insert("terms", &views);
            context.insert("title", title);
            context.insert("current_path", &format!("{base_path}{folder}/"));
            let html = templates.render(&format!("{folder}.html"), &context, Path::new(folder))?;
            Ok(page(format!("{folder}/index.html"), html))
        }
        Job::Term { folder, index } => {
            let terms = if *folder == "tags" { &site.tags } else { &site.sources };
            let Some(t) = terms.get(*index) else { return Ok(Vec::new()) };
            let view = term(site, t, folder, true);
            context.insert("current_path", &view.url);
            context.insert("term", &view);
            let template = if *folder == "tags" { "tag.html" } else { "source.html" };
            let html = templates.render(template, &context, Path::new(folder))?;
            Ok(page(format!("{folder}/{}/index.html", t.slug), html))
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
            Ok(page(
                "archive/index.html".into(),
                templates.render("archive.html", &context, Path::new("archive"))?,
            ))
        }
        Job::Entities => {
            let views: Vec<EntityView> =
                site.entities.iter().map(|e| EntityView::new(site, e, &base_path)).collect();
            context.insert("entities", &views);
            context.insert("current_path", &format!("{base_path}entities/"));
            Ok(page(
                "entities/index.html".into(),
                templates.render("entities.html", &context, Path::new("entities"))?,
            ))
        }
        Job::Entity(index) => {
            let Some(entity) = site.entities.get(*index) else { return Ok(Vec::new()) };
            let view = EntityView::new(site, entity, &base_path);
            let articles: Vec<SummaryView> = entity
                .articles
                .iter()
                .filter_map(|&id| site.articles.get(id))
                .map(|a| summary(site, a))
                .collect();
            let quotes: Vec<QuoteView> = entity
                .quotes
                .iter()
                .filter_map(|&(a, q)| Some(quote_view(site, site.articles.get(a)?, q)))
                .flatten()
                .collect();
            context.insert("current_path", &view.url);
            context.insert("entity", &view);
            context.insert("articles", &articles);
            context.insert("quotes", &quotes);
            let html = templates.render(
                "entity.html",
                &context,
                Path::new(&format!("entities/{}", entity.id)),
            )?;
            Ok(page(format!("entities/{}/index.html", entity.id), html))
        }
        Job::Quotes => {
            let quotes: Vec<QuoteView> = site
                .articles
                .iter()
                .flat_map(|a| {
                    (0..a.annotated.quotes.len()).filter_map(move |q| quote_view(site, a, q))
                })
                .collect();
            context.insert("quotes", &quotes);
            context.insert("current_path", &format!("{base_path}quotes/"));
            Ok(page(
                "quotes/index.html".into(),
                templates.render("quotes.html", &context, Path::new("quotes"))?,
            ))
        }
        Job::Search => {
            context.insert("current_path", &format!("{base_path}search/"));
            Ok(page(
                "search/index.html".into(),
                templates.render("search.html", &context, Path::new("search"))?,
            ))
        }
        Job::NotFound => {
            context.insert("current_path", &format!("{base_path}404.html"));
            Ok(page(
                "404.html".into(),
                templates.render("404.html", &context, Path::new("404.html"))?,
            ))
        }
        Job::Feed => {
            let limit = site.config.feed_limit.max(1);
            let entries: Vec<ArticleView> = site
                .articles
                .iter()
                .take(limit)
                .map(|a| article_view(site, a, templates))
                .collect::<std::result::Result<_, _>>()?;
            context.insert("pages", &entries);
            context.insert("feed_url", &site.config.permalink("atom.xml"));
            context.insert("home_url", &site.config.permalink(""));
            context.insert(
                "updated",
                &site
                    .articles
                    .first()
                    .map(|a| a.annotated.doc.meta.date.to_string())
                    .unwrap_or_default(),
            );
            Ok(page(
                "atom.xml".into(),
                templates.render("atom.xml", &context, Path::new("atom.xml"))?,
            ))
        }
    }
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
    site: &'a Site,
    article: &'a Article,
    templates: &Templates,
) -> std::result::Result<ArticleView<'a>, Diagnostic> {
    let base = site.config.base_path();
    let annotated = &article.annotated;
    let meta = &annotated.doc.meta;
    let quotes: Vec<QuoteView> =
        (0..annotated.quotes.len()).filter_map(|q| quote_view(site, article, q)).collect();
    let content = body_html(site, article, &quotes, templates)?;
    let mut counts = vec![0usize; annotated.entities.entities.len()];
    for mention in &annotated.entities.mentions {
        if let Some(c) = counts.get_mut(mention.entity) {
            *c += 1;
        }
    }
    let mut entities: Vec<EntityRefView> = article
        .entity_ids
        .iter()
        .zip(&counts)
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
    Ok(ArticleView {
        title: &meta.title,
        url: format!("{base}{}", article.path),
        permalink: site.config.permalink(&article.path),
        date: meta.date.to_string(),
        date_display: display_date(meta.date),
        source: source_link(&base, meta.source.as_deref()),
        source_url: meta.source_url.as_deref(),
        summary: annotated.summary.as_deref(),
        tags: tag_links(&base, &meta.tags),
        authors: &meta.authors,
        content,
        sections: annotated
            .sections
            .iter()
            .map(|s| SectionView { label: &s.label, id: &s.id })
            .collect(),
        entities,
        quotes,
        related: related(site, article),
        extra: &meta.extra,
    })
}

/// Articles sharing the most entities with this one, rare entities
/// weighing more than common ones.
fn related<'a>(site: &'a Site, article: &'a Article) -> Vec<SummaryView<'a>> {
    let mut scores: HashMap<usize, f64> = HashMap::new();
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
    let own = site.articles.iter().position(|a| std::ptr::eq(a, article));
    let mut ranked: Vec<(usize, f64)> =
        scores.into_iter().filter(|(id, _)| Some(*id) != own).collect();
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
    quotes: &[QuoteView<'_>],
    templates: &Templates,
) -> std::result::Result<String, Diagnostic> {
    let base = site.config.base_path();
    let annotated = &article.annotated;
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
    for (index, (quote, view)) in annotated.quotes.iter().zip(quotes).enumerate() {
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
            let mut context = Context::new();
            context.insert("quote", view);
            m.after.push_str(&templates.render("callout.html", &context, &annotated.doc.path)?);
        }
    }
    let events = markdown::events(&annotated.doc.body, &site.config.markdown);
    let scan = markdown::scan(&events);
    Ok(markdown::render(events, &scan, &marks, site.config.markdown.highlight_code))
}

/// A registry description (Markdown) as HTML.
pub(crate) fn markdown_to_html(text: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::ENABLE_STRIKETHROUGH),
    );
    html
}
