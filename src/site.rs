//! Site: every [`Annotated`] article and the registry → the linked [`Site`]
//! model: articles in order, entities merged across articles, tags,
//! sources and quotes, all referring to each other by index.
//!
//! Never renders or writes; checks what only the whole site can show
//! (two articles with one URL).

use rustc_hash::FxHashMap as HashMap;

use crate::annotate::Annotated;
use crate::annotate::entities::EntityKind;
use crate::annotate::quotes::Speaker;
use crate::config::Config;
use crate::content::EntityEntry;
use crate::diag::Diagnostic;
use crate::slug::slugify;

/// Index of an article in [`Site::articles`].
pub type ArticleId = usize;
/// Index of an entity in [`Site::entities`].
pub type EntityId = usize;

/// The whole site, linked.
#[derive(Debug)]
pub struct Site {
    /// The configuration it was built with.
    pub config: Config,
    /// Articles, newest first (ties by title).
    pub articles: Vec<Article>,
    /// Entities, most mentioned first.
    pub entities: Vec<SiteEntity>,
    /// Tags, by name.
    pub tags: Vec<Term>,
    /// Sources, by name.
    pub sources: Vec<Term>,
}

/// One article and how it connects to the rest of the site.
#[derive(Debug)]
pub struct Article {
    /// What annotation found.
    pub annotated: Annotated,
    /// Its site path, relative to the base (`articles/<slug>/`).
    pub path: String,
    /// For each of the article's own entities, the site entity it is.
    pub entity_ids: Vec<EntityId>,
    /// For each of the article's own entities, how often it is mentioned.
    pub mention_counts: Vec<usize>,
    /// For each of the article's own entities, the index of its first
    /// mention in `annotated.entities.mentions`.
    pub first_mentions: Vec<usize>,
}

/// An entity as the whole site knows it.
#[derive(Debug, Clone)]
pub struct SiteEntity {
    /// Its slug, also its page's folder.
    pub id: String,
    /// The canonical name.
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
    /// The registry entry, when it has one.
    pub entry: Option<EntityEntry>,
    /// Every surface form seen across the site.
    pub surfaces: Vec<String>,
    /// Role words seen before its name.
    pub roles: Vec<String>,
    /// The articles that mention it, newest first.
    pub articles: Vec<ArticleId>,
    /// Mentions across the site.
    pub mentions: usize,
    /// Its quotes: (article, index into that article's quotes).
    pub quotes: Vec<(ArticleId, usize)>,
}

/// A tag or a source, and its articles (newest first).
#[derive(Debug, Clone)]
pub struct Term {
    /// As written.
    pub name: String,
    /// Its slug.
    pub slug: String,
    /// Its articles, newest first.
    pub articles: Vec<ArticleId>,
}

/// Links annotated articles and the registry into a site. Two articles
/// with one URL are an error naming both files.
pub fn link(
    config: Config,
    mut annotated: Vec<Annotated>,
    registry: &[EntityEntry],
) -> Result<Site, Vec<Diagnostic>> {
    annotated.sort_by(|a, b| {
        b.doc
            .meta
            .date
            .cmp(&a.doc.meta.date)
            .then_with(|| a.doc.meta.title.cmp(&b.doc.meta.title))
            .then_with(|| a.doc.path.cmp(&b.doc.path))
    });
    let mut errors = Vec::new();
    let mut by_slug: HashMap<&str, &Annotated> = HashMap::default();
    for article in &annotated {
        if let Some(first) = by_slug.insert(&article.doc.meta.slug, article) {
            errors.push(
                Diagnostic::new(
                    &article.doc.path,
                    format!("two articles have the URL /articles/{}/", article.doc.meta.slug),
                )
                .help(format!(
                    "{} has it too: give one of them another file name or a different `slug`",
                    first.doc.path.display()
                )),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut entities: Vec<SiteEntity> = registry
        .iter()
        .map(|entry| SiteEntity {
            id: entry.id.clone(),
            name: entry.name.clone(),
            kind: entry.kind,
            entry: Some(entry.clone()),
            surfaces: Vec::new(),
            roles: Vec::new(),
            articles: Vec::new(),
            mentions: 0,
            quotes: Vec::new(),
        })
        .collect();
    let mut index: HashMap<String, EntityId> =
        entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
    let mut articles = Vec::with_capacity(annotated.len());
    for (article_id, annotated) in annotated.into_iter().enumerate() {
        let mut entity_ids = Vec::with_capacity(annotated.entities.entities.len());
        let mut counts = vec![0usize; annotated.entities.entities.len()];
        let mut first_mentions = vec![usize::MAX; annotated.entities.entities.len()];
        for (index, mention) in annotated.entities.mentions.iter().enumerate() {
            if let Some(c) = counts.get_mut(mention.entity) {
                *c += 1;
            }
            // The first mention in the body; the title's only when the body has none.
            if let Some(first) = first_mentions.get_mut(mention.entity)
                && (*first == usize::MAX
                    || mention.block > 0
                        && annotated.entities.mentions.get(*first).is_some_and(|m| m.block == 0))
            {
                *first = index;
            }
        }
        for (local, found) in annotated.entities.entities.iter().enumerate() {
            let id = if found.id.is_empty() { slugify(&found.name) } else { found.id.clone() };
            let site_id = *index.entry(id.clone()).or_insert_with(|| {
                entities.push(SiteEntity {
                    id,
                    name: found.name.clone(),
                    kind: found.kind,
                    entry: None,
                    surfaces: Vec::new(),
                    roles: Vec::new(),
                    articles: Vec::new(),
                    mentions: 0,
                    quotes: Vec::new(),
                });
                entities.len() - 1
            });
            if let Some(entity) = entities.get_mut(site_id) {
                for surface in &found.surfaces {
                    if !entity.surfaces.contains(surface) {
                        entity.surfaces.push(surface.clone());
                    }
                }
                for role in &found.roles {
                    if !entity.roles.contains(role) {
                        entity.roles.push(role.clone());
                    }
                }
                entity.articles.push(article_id);
                entity.mentions += counts.get(local).copied().unwrap_or(0);
            }
            entity_ids.push(site_id);
        }
        for (quote_index, quote) in annotated.quotes.iter().enumerate() {
            if let Speaker::Entity(local) = quote.speaker
                && let Some(entity) = entity_ids.get(local).and_then(|&id| entities.get_mut(id))
            {
                entity.quotes.push((article_id, quote_index));
            }
        }
        let path = format!("articles/{}/", annotated.doc.meta.slug);
        articles.push(Article {
            annotated,
            path,
            entity_ids,
            mention_counts: counts,
            first_mentions,
        });
    }

    // Most mentioned first; registry entries nobody mentions stay, last.
    let mut order: Vec<EntityId> = (0..entities.len()).collect();
    let key = |i: EntityId| entities.get(i).map(|e| (std::cmp::Reverse(e.mentions), &e.name));
    order.sort_by(|&a, &b| key(a).cmp(&key(b)));
    let mut new_index = vec![0; entities.len()];
    for (new, &old) in order.iter().enumerate() {
        if let Some(slot) = new_index.get_mut(old) {
            *slot = new;
        }
    }
    let mut slots: Vec<Option<SiteEntity>> = entities.into_iter().map(Some).collect();
    let entities: Vec<SiteEntity> =
        order.iter().filter_map(|&old| slots.get_mut(old).and_then(Option::take)).collect();
    for article in &mut articles {
        for id in &mut article.entity_ids {
            *id = new_index.get(*id).copied().unwrap_or(*id);
        }
    }

    let tags = terms(&articles, |a| a.annotated.doc.meta.tags.clone());
    let sources = terms(&articles, |a| a.annotated.doc.meta.source.iter().cloned().collect());
    Ok(Site { config, articles, entities, tags, sources })
}

/// Groups articles by a term (tag or source), merging terms with one slug.
fn terms(articles: &[Article], names: impl Fn(&Article) -> Vec<String>) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::default();
    for (id, article) in articles.iter().enumerate() {
        for name in names(article) {
            let slug = slugify(&name);
            if slug.is_empty() {
                continue;
            }
            let i = *index.entry(slug.clone()).or_insert_with(|| {
                terms.push(Term { name: name.clone(), slug, articles: Vec::new() });
                terms.len() - 1
            });
            if let Some(term) = terms.get_mut(i)
                && term.articles.last() != Some(&id)
            {
                term.articles.push(id);
            }
        }
    }
    terms.sort_by_key(|t| t.name.to_lowercase());
    terms
}
