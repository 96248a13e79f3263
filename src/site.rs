//! Site: every [`Annotated`] article and the registry → the linked [`Site`]
//! model: articles in order, entities merged across articles, tags,
//! sources and quotes, all referring to each other by index.
//!
//! Never renders or writes; checks what only the whole site can show
//! (two articles with one URL).

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::annotate::Annotated;
use crate::annotate::appearance::Appearance;
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
    /// What annotation found. Boxed, as it is large: the build gathers,
    /// sorts and links articles by moving them, and moving 10k of them
    /// whole cost the one busy core fresh memory and copies.
    pub annotated: Box<Annotated>,
    /// Its site path, relative to the base (`articles/<slug>/`).
    pub path: String,
    /// For each of the article's own entities, the site entity it is.
    pub entity_ids: Vec<EntityId>,
}

impl Article {
    /// How the site entity `entity` appears in the article, if it does.
    pub fn appearance(&self, entity: EntityId) -> Option<&Appearance> {
        let local = self.entity_ids.iter().position(|&x| x == entity)?;
        self.annotated.appearances.get(local)
    }
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
    /// Its quotes: (article, index into that article's quotes), in the
    /// order of `articles`.
    pub quotes: Vec<(ArticleId, usize)>,
}

impl SiteEntity {
    /// An entity no article has been read for yet.
    fn unmentioned(id: String, name: String, kind: EntityKind, entry: Option<EntityEntry>) -> Self {
        SiteEntity {
            id,
            name,
            kind,
            entry,
            surfaces: Vec::new(),
            roles: Vec::new(),
            articles: Vec::new(),
            mentions: 0,
            quotes: Vec::new(),
        }
    }

    /// Its quotes in `listed`, a run of its `articles` (one page of them).
    /// Both lists go by ascending article id, so the quotes are a run too.
    pub fn quotes_in(&self, listed: &[ArticleId]) -> &[(ArticleId, usize)] {
        let (Some(&first), Some(&last)) = (listed.first(), listed.last()) else { return &[] };
        let start = self.quotes.partition_point(|&(a, _)| a < first);
        let end = self.quotes.partition_point(|&(a, _)| a <= last);
        self.quotes.get(start..end).unwrap_or_default()
    }
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
    annotated: Vec<Box<Annotated>>,
    registry: &[EntityEntry],
) -> Result<Site, Vec<Diagnostic>> {
    // Two runs per core, so that neither core waits long for the other.
    let run = annotated.len().div_ceil(rayon::current_num_threads() * 2).max(256);
    link_in_runs(config, annotated, registry, run)
}

/// [`link`], gathering the articles' entities `run` articles at a time
/// (on every core): the site is the same for any `run`.
pub fn link_in_runs(
    config: Config,
    mut annotated: Vec<Box<Annotated>>,
    registry: &[EntityEntry],
    run: usize,
) -> Result<Site, Vec<Diagnostic>> {
    // Newest first. Articles are boxed, so a plain sort moves pointers,
    // and its keys are borrowed rather than copied.
    fn order(a: &Annotated) -> (std::cmp::Reverse<jiff::civil::Date>, &str, &std::ffi::OsStr) {
        (std::cmp::Reverse(a.doc.meta.date), &a.doc.meta.title, a.doc.path.as_os_str())
    }
    annotated.sort_by(|a, b| order(a).cmp(&order(b)));
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

    // Each run of articles is read on a core of its own (reading 10k
    // articles' entities on one core left the others idle for tens of
    // milliseconds); the runs are merged in order, so the site is the
    // same as if one core had read them all. Tags and sources meanwhile.
    let run = run.max(1);
    let (gathered, (tags, sources)) = rayon::join(
        || {
            let runs = annotated.par_chunks(run).enumerate();
            runs.map(|(i, articles)| gather(articles, i * run)).collect::<Vec<_>>()
        },
        || {
            rayon::join(
                || terms(&annotated, |a| &a.doc.meta.tags),
                || terms(&annotated, |a| a.doc.meta.source.as_slice()),
            )
        },
    );

    let mut entities: Vec<SiteEntity> = registry
        .iter()
        .map(|entry| {
            SiteEntity::unmentioned(
                entry.id.clone(),
                entry.name.clone(),
                entry.kind,
                Some(entry.clone()),
            )
        })
        .collect();
    let mut index: HashMap<String, EntityId> =
        entities.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
    // How many articles found each entity a person, an organization, a
    // place or other: one article's guess must not name it for all.
    let mut kind_votes: Vec<[usize; 4]> = vec![[0; 4]; entities.len()];
    let mut links: Vec<Vec<EntityId>> = Vec::with_capacity(annotated.len());
    // Surfaces and roles are copied only when new to their entity.
    let mut known: rustc_hash::FxHashSet<(EntityId, bool, &str)> = Default::default();
    for run in gathered {
        let mut site_ids = Vec::with_capacity(run.seen.len());
        for seen in run.seen {
            let site_id = match index.get(seen.id.as_str()) {
                Some(&i) => i,
                None => {
                    let name = seen.name.to_string();
                    entities.push(SiteEntity::unmentioned(seen.id.clone(), name, seen.kind, None));
                    index.insert(seen.id, entities.len() - 1);
                    kind_votes.push([0; 4]);
                    entities.len() - 1
                }
            };
            if let Some(votes) = kind_votes.get_mut(site_id) {
                for (total, count) in votes.iter_mut().zip(seen.votes) {
                    *total += count;
                }
            }
            if let Some(entity) = entities.get_mut(site_id) {
                for surface in seen.surfaces {
                    if known.insert((site_id, false, surface)) {
                        entity.surfaces.push(surface.to_string());
                    }
                }
                for role in seen.roles {
                    if known.insert((site_id, true, role)) {
                        entity.roles.push(role.to_string());
                    }
                }
                entity.articles.extend(seen.articles);
                entity.mentions += seen.mentions;
                entity.quotes.extend(seen.quotes);
            }
            site_ids.push(site_id);
        }
        links.extend(run.links.into_iter().map(|locals| {
            locals.into_iter().filter_map(|local| site_ids.get(local).copied()).collect()
        }));
    }
    for (entity, votes) in entities.iter_mut().zip(&kind_votes) {
        if entity.entry.is_none() {
            entity.kind = most_voted(entity.kind, votes);
        }
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
    let articles: Vec<Article> = annotated
        .into_par_iter()
        .zip(links)
        .map(|(annotated, mut entity_ids)| {
            for id in &mut entity_ids {
                *id = new_index.get(*id).copied().unwrap_or(*id);
            }
            Article {
                path: format!("articles/{}/", annotated.doc.meta.slug),
                annotated,
                entity_ids,
            }
        })
        .collect();

    Ok(Site { config, articles, entities, tags, sources })
}

/// What a run of articles says of the entities they name.
struct Gathered<'a> {
    /// The entities, in the order the run first names them.
    seen: Vec<Seen<'a>>,
    /// For each article, its own entities as indices into `seen`.
    links: Vec<Vec<usize>>,
}

/// One entity as a run of articles knows it.
struct Seen<'a> {
    id: String,
    name: &'a str,
    /// The kind its first article gave it.
    kind: EntityKind,
    votes: [usize; 4],
    surfaces: Vec<&'a str>,
    roles: Vec<&'a str>,
    articles: Vec<ArticleId>,
    mentions: usize,
    quotes: Vec<(ArticleId, usize)>,
}

/// Gathers the entities of `articles`, the first of which is article
/// `first` of the site.
fn gather(articles: &[Box<Annotated>], first: ArticleId) -> Gathered<'_> {
    let mut seen: Vec<Seen> = Vec::new();
    let mut links = Vec::with_capacity(articles.len());
    let mut index: HashMap<String, usize> = HashMap::default();
    // Names repeat across articles: each is slugified once.
    let mut slugs: HashMap<&str, String> = HashMap::default();
    let mut known: rustc_hash::FxHashSet<(usize, bool, &str)> = Default::default();
    for (article_id, annotated) in (first..).zip(articles) {
        let found_entities = &annotated.entities.entities;
        let mut locals = Vec::with_capacity(found_entities.len());
        for (local, found) in found_entities.iter().enumerate() {
            let id: &str = if found.id.is_empty() {
                slugs.entry(&found.name).or_insert_with(|| slugify(&found.name))
            } else {
                &found.id
            };
            let i = match index.get(id) {
                Some(&i) => i,
                None => {
                    seen.push(Seen {
                        id: id.to_string(),
                        name: &found.name,
                        kind: found.kind,
                        votes: [0; 4],
                        surfaces: Vec::new(),
                        roles: Vec::new(),
                        articles: Vec::new(),
                        mentions: 0,
                        quotes: Vec::new(),
                    });
                    index.insert(id.to_string(), seen.len() - 1);
                    seen.len() - 1
                }
            };
            if let Some(entity) = seen.get_mut(i) {
                if let Some(count) = entity.votes.get_mut(kind_index(found.kind)) {
                    *count += 1;
                }
                for surface in &found.surfaces {
                    if known.insert((i, false, surface)) {
                        entity.surfaces.push(surface);
                    }
                }
                for role in &found.roles {
                    if known.insert((i, true, role)) {
                        entity.roles.push(role);
                    }
                }
                entity.articles.push(article_id);
                entity.mentions += annotated.appearances.get(local).map_or(0, |a| a.mentions);
            }
            locals.push(i);
        }
        for (quote_index, quote) in annotated.quotes.iter().enumerate() {
            if let Speaker::Entity(local) = quote.speaker
                && let Some(entity) = locals.get(local).and_then(|&i| seen.get_mut(i))
            {
                entity.quotes.push((article_id, quote_index));
            }
        }
        links.push(locals);
    }
    Gathered { seen, links }
}

const KINDS: [EntityKind; 4] =
    [EntityKind::Person, EntityKind::Organization, EntityKind::Place, EntityKind::Other];

fn kind_index(kind: EntityKind) -> usize {
    KINDS.iter().position(|&k| k == kind).unwrap_or(0)
}

/// The kind most articles gave an entity; `first`, the newest article's,
/// when others tie with it.
fn most_voted(first: EntityKind, votes: &[usize; 4]) -> EntityKind {
    let of = |kind: EntityKind| votes.get(kind_index(kind)).copied().unwrap_or(0);
    KINDS.into_iter().fold(first, |best, kind| if of(kind) > of(best) { kind } else { best })
}

/// A hash of everything [`link`] reads of an article: when an edit leaves
/// it unchanged (a sentence reworded, a paragraph added), the site links
/// exactly as before, and a rebuild can put the new annotation in place of
/// the old one ([`Site::replace`]) instead of linking again.
pub fn link_key(annotated: &Annotated) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    let meta = &annotated.doc.meta;
    (&annotated.doc.path, meta.date, &meta.title, &meta.slug, &meta.tags, &meta.source)
        .hash(&mut hasher);
    for e in &annotated.entities.entities {
        (&e.id, &e.name, e.kind, &e.surfaces, &e.roles).hash(&mut hasher);
    }
    for appearance in &annotated.appearances {
        appearance.mentions.hash(&mut hasher);
    }
    for q in &annotated.quotes {
        match q.speaker {
            Speaker::Entity(local) => Some(local),
            _ => None,
        }
        .hash(&mut hasher);
    }
    hasher.finish()
}

impl Site {
    /// Whether `annotated` can take the place of the article from the same
    /// file without linking again: [`link_key`] says they link alike.
    pub fn fits(&self, annotated: &Annotated) -> bool {
        let key = link_key(annotated);
        let path = annotated.doc.path.as_os_str();
        self.articles
            .iter()
            .any(|a| a.annotated.doc.path.as_os_str() == path && link_key(&a.annotated) == key)
    }

    /// Puts `annotated` in place of the article from the same file; check
    /// [`Site::fits`] first.
    pub fn replace(&mut self, annotated: Box<Annotated>) {
        // Paths compared as strings: comparing their components, over
        // every article, was a visible part of a rebuild.
        let path = annotated.doc.path.as_os_str();
        if let Some(article) =
            self.articles.iter_mut().find(|a| a.annotated.doc.path.as_os_str() == path)
        {
            article.annotated = annotated;
        }
    }
}

/// Groups articles by a term (tag or source), merging terms with one slug.
fn terms(articles: &[Box<Annotated>], names: impl Fn(&Annotated) -> &[String]) -> Vec<Term> {
    let mut terms: Vec<Term> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::default();
    let mut slugs: HashMap<&str, String> = HashMap::default();
    for (id, article) in articles.iter().enumerate() {
        for name in names(article) {
            let slug = slugs.entry(name).or_insert_with(|| slugify(name));
            if slug.is_empty() {
                continue;
            }
            let i = match index.get(slug.as_str()) {
                Some(&i) => i,
                None => {
                    terms.push(Term {
                        name: name.clone(),
                        slug: slug.clone(),
                        articles: Vec::new(),
                    });
                    index.insert(slug.clone(), terms.len() - 1);
                    terms.len() - 1
                }
            };
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::Annotator;
    use crate::content::{Source, parse};

    /// Articles naming people and places in changing pairs and forms, with
    /// quotes, tags and sources, each new name first seen at another point.
    fn articles(count: usize) -> Vec<Annotated> {
        let people = ["Maria Lopez", "Ahmed Khan", "Olga Petrova", "James Okafor", "Li Wei"];
        let places = ["Paris", "Nairobi", "Lima", "Oslo"];
        let config = Config::standalone();
        let annotator = Annotator::new(&config, &[]);
        (0..count)
            .map(|i| {
                let a = people[i % people.len()];
                let b = people[(i * 3 + 1) % people.len()];
                let place = places[(i / 3) % places.len()];
                let last = a.rsplit(' ').next().unwrap();
                let text = format!(
                    "+++\ntitle = \"Talks {i}\"\ndate = 2024-03-{day:02}\ntags = [\"talks\", \"t{tag}\"]\nsource = \"Wire {wire}\"\n+++\n\n\
                     {a} met {b} in {place} on Monday, officials said.\n\n\
                     \u{201c}We will not give in to pressure from anyone,\u{201d} {last} said.\n",
                    day = 1 + i % 28,
                    tag = i % 4,
                    wire = i % 3,
                );
                let source = Source { path: format!("content/{i:03}.md").into(), text };
                annotator.annotate(parse(&source).unwrap())
            })
            .collect()
    }

    #[test]
    fn the_site_is_the_same_however_the_articles_are_split_into_runs() {
        let link = |run| {
            let boxed = articles(40).into_iter().map(Box::new).collect();
            link_in_runs(Config::standalone(), boxed, &[], run).unwrap()
        };
        let whole = link(40);
        // The articles say enough for the merge to matter.
        assert!(whole.entities.len() >= 9, "{:?}", whole.entities);
        assert!(whole.entities.iter().any(|e| e.surfaces.len() > 1));
        assert!(whole.entities.iter().any(|e| !e.quotes.is_empty()));
        let links = |site: &Site| {
            site.articles.iter().map(|a| (a.path.clone(), a.entity_ids.clone())).collect::<Vec<_>>()
        };
        let terms = |site: &Site| format!("{:?} {:?}", site.tags, site.sources);
        for run in [1, 3, 7, 39] {
            let split = link(run);
            assert_eq!(format!("{:?}", split.entities), format!("{:?}", whole.entities), "{run}");
            assert_eq!(links(&split), links(&whole), "{run}");
            assert_eq!(terms(&split), terms(&whole), "{run}");
        }
    }
}
