//! Structured data: JSON-LD for articles (`NewsArticle` with `mentions`,
//! `about` and the article's `Quotation`s) and entity pages (`Person`,
//! `Organization`, `Place`), safe to put inside a `<script>` element.

use serde_json::{Value, json};

use crate::annotate::entities::EntityKind;
use crate::annotate::quotes::Speaker;
use crate::site::{Article, Site, SiteEntity};

/// Serialises JSON for a `<script type="application/ld+json">` element:
/// `<`, `>` and `&` are written as `\u` escapes, so no text from content
/// can close the element.
pub fn script_safe(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// Sets `key` of a JSON object (`value["key"] = …` panics on a non-object).
fn set(value: &mut Value, key: &str, field: Value) {
    if let Some(object) = value.as_object_mut() {
        object.insert(key.to_string(), field);
    }
}

fn schema_type(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "Person",
        EntityKind::Organization => "Organization",
        EntityKind::Place => "Place",
        EntityKind::Other => "Thing",
    }
}

fn same_as(entity: &SiteEntity) -> Vec<String> {
    let Some(entry) = &entity.entry else { return Vec::new() };
    let wikidata = entry.wikidata.as_deref().and_then(super::context::wikidata_url);
    let url = super::escape::safe_url_opt(entry.url.as_deref()).map(str::to_string);
    wikidata.into_iter().chain(url).collect()
}

/// A reference to an entity: its page as `@id`, its type, name and `sameAs`.
pub fn entity_ref(site: &Site, entity: &SiteEntity) -> Value {
    let mut value = json!({
        "@type": schema_type(entity.kind),
        "@id": site.config.permalink(&format!("entities/{}/", entity.id)),
        "name": entity.name,
    });
    let links = same_as(entity);
    if !links.is_empty() {
        set(&mut value, "sameAs", json!(links));
    }
    value
}

/// The JSON-LD of an entity's page.
pub fn entity(site: &Site, entity: &SiteEntity, description: Option<&str>) -> String {
    let mut value = entity_ref(site, entity);
    set(&mut value, "@context", json!("https://schema.org"));
    let id = value.get("@id").cloned().unwrap_or_default();
    set(&mut value, "url", id);
    if let Some(d) = description {
        set(&mut value, "description", json!(d));
    }
    script_safe(&value)
}

/// The JSON-LD of an article: the `NewsArticle` and its quotations.
pub fn article(site: &Site, article: &Article) -> String {
    let meta = &article.annotated.doc.meta;
    let id = site.config.permalink(&article.path);
    let mut mentioned: Vec<(usize, &SiteEntity)> = article
        .entity_ids
        .iter()
        .zip(&article.mention_counts)
        .filter_map(|(&e, &count)| Some((count, site.entities.get(e)?)))
        .collect();
    mentioned.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
    let authors: Vec<Value> = if meta.authors.is_empty() {
        meta.source.iter().map(|s| json!({"@type": "Organization", "name": s})).collect()
    } else {
        meta.authors.iter().map(|a| json!({"@type": "Person", "name": a})).collect()
    };
    let mut news = json!({
        "@type": "NewsArticle",
        "@id": id,
        "url": id,
        "headline": meta.title,
        "datePublished": meta.date.to_string(),
        "author": authors,
        "publisher": {"@type": "Organization", "name": site.config.title, "url": site.config.permalink("")},
        "mentions": mentioned.iter().map(|(_, e)| entity_ref(site, e)).collect::<Vec<_>>(),
        "about": mentioned.iter().take(3).map(|(_, e)| entity_ref(site, e)).collect::<Vec<_>>(),
    });
    if let Some(summary) = &article.annotated.summary {
        set(&mut news, "description", json!(summary));
    }
    if let Some(url) = super::escape::safe_url_opt(meta.source_url.as_deref()) {
        set(&mut news, "isBasedOn", json!(url));
    }
    let mut graph = vec![news];
    for (index, quote) in article.annotated.quotes.iter().enumerate() {
        let speaker = match &quote.speaker {
            Speaker::Entity(local) => article
                .entity_ids
                .get(*local)
                .and_then(|&e| site.entities.get(e))
                .map(|e| entity_ref(site, e)),
            Speaker::Description(d) => Some(json!({"@type": "Person", "description": d})),
            Speaker::Unknown => None,
        };
        let mut q = json!({
            "@type": "Quotation",
            "@id": format!("{id}#quote-{}", index + 1),
            "text": quote.text,
            "isPartOf": {"@id": id},
        });
        if let Some(s) = speaker {
            set(&mut q, "spokenByCharacter", s);
        }
        graph.push(q);
    }
    script_safe(&json!({"@context": "https://schema.org", "@graph": graph}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_the_element() {
        let out = script_safe(&json!({"headline": "</script><script>alert(1)</script> & more"}));
        assert!(!out.contains('<') && !out.contains('>') && !out.contains('&'));
        let back: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["headline"], "</script><script>alert(1)</script> & more");
    }
}
