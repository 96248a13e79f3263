//! Structured data: JSON-LD for articles (`NewsArticle` with `mentions`,
//! `about` and the article's `Quotation`s) and entity pages (`Person`,
//! `Organization`, `Place`), safe to put inside a `<script>` element.

use std::sync::OnceLock;

use serde::Serialize;
use serde_json::value::RawValue;

use super::context::{entity_url, iso_date};
use crate::annotate::entities::EntityKind;
use crate::annotate::quotes::Speaker;
use crate::markdown::quote_id;
use crate::site::{Article, EntityId, Site, SiteEntity};

/// Serialises JSON for a `<script type="application/ld+json">` element:
/// `<`, `>` and `&` are written as `\u` escapes, so no text from content
/// can close the element.
pub fn script_safe(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    // A byte search: a search for a set of chars decodes every character.
    let mut found = memchr::memchr3_iter(b'<', b'>', b'&', json.as_bytes()).peekable();
    if found.peek().is_none() {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 64);
    let mut copied = 0;
    for at in found {
        out.push_str(json.get(copied..at).unwrap_or_default());
        out.push_str(match json.as_bytes().get(at) {
            Some(b'<') => "\\u003c",
            Some(b'>') => "\\u003e",
            _ => "\\u0026",
        });
        copied = at + 1;
    }
    out.push_str(json.get(copied..).unwrap_or_default());
    out
}

fn schema_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Organization => "Organization",
        EntityKind::Place => "Place",
        EntityKind::Other => "Thing",
    }
}

/// A reference to an entity: its page as `@id`, its type, name and `sameAs`.
#[derive(Serialize)]
struct EntityRef<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "@id")]
    id: String,
    name: &'a str,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
}

impl<'a> EntityRef<'a> {
    fn new(site: &Site, entity: &'a SiteEntity) -> EntityRef<'a> {
        let same_as = match &entity.entry {
            Some(entry) => {
                let wikidata = entry.wikidata.as_deref().and_then(super::context::wikidata_url);
                let url = super::escape::safe_url_opt(entry.url.as_deref()).map(str::to_string);
                wikidata.into_iter().chain(url).collect()
            }
            None => Vec::new(),
        };
        EntityRef {
            kind: schema_type(entity.kind),
            id: site.config.permalink(&entity_url("", &entity.id)),
            name: &entity.name,
            same_as,
        }
    }
}

/// Each site entity as JSON, made the first time an article names the
/// entity and shared after: the whole node, which an article's `mentions`
/// give, and a reference to it by `@id` alone, which its `about` and its
/// quotations' speakers give (a graph defines a node once).
pub struct EntityRefs<'a> {
    site: &'a Site,
    refs: Vec<OnceLock<(Box<RawValue>, Box<RawValue>)>>,
}

impl<'a> EntityRefs<'a> {
    /// None made yet.
    pub fn new(site: &'a Site) -> EntityRefs<'a> {
        EntityRefs { site, refs: site.entities.iter().map(|_| OnceLock::new()).collect() }
    }

    /// The entity's node and its `@id` reference.
    fn get(&self, id: EntityId) -> Option<(&RawValue, &RawValue)> {
        #[derive(Serialize)]
        struct ById<'a> {
            #[serde(rename = "@id")]
            id: &'a str,
        }
        let entity = self.site.entities.get(id)?;
        let (node, by_id) = self.refs.get(id)?.get_or_init(|| {
            let node = EntityRef::new(self.site, entity);
            (raw(&node), raw(&ById { id: &node.id }))
        });
        Some((node, by_id))
    }
}

fn raw(value: &impl Serialize) -> Box<RawValue> {
    serde_json::value::to_raw_value(value).unwrap_or_else(|_| RawValue::NULL.to_owned())
}

/// The JSON-LD of an entity's page.
pub fn entity(site: &Site, entity: &SiteEntity, description: Option<&str>) -> String {
    #[derive(Serialize)]
    struct Page<'a> {
        #[serde(rename = "@context")]
        context: &'static str,
        #[serde(flatten)]
        entity: &'a EntityRef<'a>,
        url: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        description: Option<&'a str>,
    }
    let entity = EntityRef::new(site, entity);
    script_safe(&Page {
        context: "https://schema.org",
        url: &entity.id,
        entity: &entity,
        description,
    })
}

/// A name with a schema.org type: an author, publisher or described speaker.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    url: &'a str,
    headline: &'a str,
    #[serde(rename = "datePublished")]
    date_published: String,
    author: Vec<Named<'a>>,
    publisher: Named<'a>,
    mentions: &'a [&'a RawValue],
    about: &'a [&'a RawValue],
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
    is_based_on: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Speaking<'a> {
    Entity(&'a RawValue),
    Described(Named<'a>),
}

#[derive(Serialize)]
struct Quotation<'a> {
    #[serde(rename = "@id")]
    id: String,
    text: &'a str,
    #[serde(rename = "isPartOf")]
    is_part_of: PartOf<'a>,
    #[serde(rename = "spokenByCharacter", skip_serializing_if = "Option::is_none")]
    spoken_by: Option<Speaking<'a>>,
}

#[derive(Serialize)]
struct PartOf<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
}

/// A node of the article's graph, its `@type` the variant's name.
#[derive(Serialize)]
#[serde(tag = "@type")]
enum Node<'a> {
    NewsArticle(NewsArticle<'a>),
    Quotation(Quotation<'a>),
}

#[derive(Serialize)]
struct Graph<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<Node<'a>>,
}

/// The JSON-LD of an article: the `NewsArticle` and its quotations.
pub fn article(site: &Site, refs: &EntityRefs<'_>, article: &Article) -> String {
    let meta = &article.annotated.doc.meta;
    let id = site.config.permalink(&article.path);
    let mut mentioned: Vec<(usize, &str, (&RawValue, &RawValue))> = article
        .entity_ids
        .iter()
        .zip(&article.annotated.appearances)
        .filter_map(|(&e, appearance)| {
            Some((appearance.mentions, site.entities.get(e)?.name.as_str(), refs.get(e)?))
        })
        .collect();
    mentioned.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let nodes: Vec<&RawValue> = mentioned.iter().map(|&(_, _, (node, _))| node).collect();
    let about: Vec<&RawValue> = mentioned.iter().take(3).map(|&(_, _, (_, by_id))| by_id).collect();
    let named = |kind, name| Named { kind, name: Some(name), description: None, url: None };
    let author = if meta.authors.is_empty() {
        meta.source.iter().map(|s| named("Organization", s)).collect()
    } else {
        meta.authors.iter().map(|a| named("Person", a)).collect()
    };
    let mut graph = vec![Node::NewsArticle(NewsArticle {
        id: &id,
        url: &id,
        headline: &meta.title,
        date_published: iso_date(meta.date),
        author,
        publisher: Named {
            url: Some(site.config.permalink("")),
            ..named("Organization", &site.config.title)
        },
        mentions: &nodes,
        about: &about,
        description: article.annotated.summary.as_deref(),
        is_based_on: super::escape::safe_url_opt(meta.source_url.as_deref()),
    })];
    for (index, quote) in article.annotated.quotes.iter().enumerate() {
        let spoken_by = match &quote.speaker {
            Speaker::Entity(local) => {
                let by_id = article.entity_ids.get(*local).and_then(|&e| refs.get(e));
                by_id.map(|(_, by_id)| Speaking::Entity(by_id))
            }
            Speaker::Description(d) => Some(Speaking::Described(Named {
                kind: "Person",
                name: None,
                description: Some(d),
                url: None,
            })),
            Speaker::Unknown => None,
        };
        graph.push(Node::Quotation(Quotation {
            id: [id.as_str(), "#", &quote_id(index)].concat(),
            text: &quote.text,
            is_part_of: PartOf { id: &id },
            spoken_by,
        }));
    }
    script_safe(&Graph { context: "https://schema.org", graph })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_the_element() {
        let out = script_safe(&serde_json::json!({
            "headline": "</script><script>alert(1)</script> & more"
        }));
        assert!(!out.contains('<') && !out.contains('>') && !out.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["headline"], "</script><script>alert(1)</script> & more");
    }
}
