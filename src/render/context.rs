//! The template context: the view structs templates see. This is the
//! documented contract (README, "Template context"); the site model can
//! change under it without breaking a site's templates.

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use serde_json::{Map, Value};

use super::escape::{safe_url, safe_url_opt};
use crate::annotate::entities::EntityKind;
use crate::markdown::escape_html_into;
use crate::site::{Article, ArticleId, EntityId, Site, SiteEntity, Term};

/// `site`: the site as a whole.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// `config.toml`'s title.
    pub title: &'a str,
    /// Its description.
    pub description: &'a str,
    /// The path every URL starts with (`/` or `/briefings/`).
    pub base_path: tera::Value,
    /// `base_url` as configured.
    pub base_url: &'a str,
    /// The content language.
    pub language: &'a str,
    /// The default author.
    pub author: Option<&'a str>,
    /// `[extra]` from config.toml.
    pub extra: Value,
    /// URL of the site's Atom feed.
    pub feed_url: tera::Value,
    /// Whether the site has a search page (`[search] enabled`).
    pub search: bool,
}

impl<'a> SiteView<'a> {
    /// The view of a site.
    pub fn new(site: &'a Site) -> SiteView<'a> {
        let config = &site.config;
        let base_path = config.base_path();
        SiteView {
            title: &config.title,
            description: &config.description,
            feed_url: plain(&format!("{base_path}atom.xml")),
            base_path: plain(&base_path),
            base_url: &config.base_url,
            language: &config.language,
            author: config.author.as_deref(),
            extra: serde_json::to_value(&config.extra).unwrap_or(Value::Null),
            search: site.config.search.enabled,
        }
    }
}

/// A link to a tag, source or entity.
#[derive(Debug, Serialize)]
pub struct LinkView<'a> {
    /// What it is called.
    pub name: &'a str,
    /// Its page.
    pub url: tera::Value,
}

/// An article in a list (`pages`, `term.pages`, and the `article` of each
/// entry of an entity page's `articles`).
#[derive(Debug, Serialize)]
pub struct SummaryView<'a> {
    /// Headline.
    pub title: &'a str,
    /// Its page.
    pub url: tera::Value,
    /// `YYYY-MM-DD`.
    pub date: tera::Value,
    /// "April 26, 2024".
    pub date_display: tera::Value,
    /// The publication, linked to its source page, as a [`LinkView`].
    pub source: Option<tera::Value>,
    /// The summary ("Why it matters" when none is given).
    pub summary: Option<&'a str>,
    /// Tags, as [`LinkView`]s.
    pub tags: Vec<tera::Value>,
}

/// `page`: one article.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    /// Headline.
    pub title: &'a str,
    /// Its page.
    pub url: String,
    /// The absolute URL (canonical, feeds).
    pub permalink: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// "April 26, 2024".
    pub date_display: String,
    /// The publication, linked to its source page, as a [`LinkView`].
    pub source: Option<tera::Value>,
    /// The original article.
    pub source_url: Option<&'a str>,
    /// The summary.
    pub summary: Option<&'a str>,
    /// Tags, as [`LinkView`]s.
    pub tags: Vec<tera::Value>,
    /// Authors.
    pub authors: &'a [String],
    /// The body as HTML, with entity links, quote marks and callouts.
    pub content: tera::Value,
    /// Labelled blocks: `label` and anchor `id`.
    pub sections: Vec<SectionView<'a>>,
    /// Entities mentioned, most mentioned first.
    pub entities: Vec<EntityRefView<'a>>,
    /// Direct quotations, in order, as [`QuoteView`]s.
    pub quotes: &'a [tera::Value],
    /// Who said the quotes, each once, in the order of their first quote.
    pub speakers: Vec<&'a str>,
    /// Articles sharing the most entities, as [`SummaryView`]s.
    pub related: Vec<&'a tera::Value>,
    /// Front matter keys gloss does not know.
    pub extra: &'a Map<String, Value>,
}

/// A labelled block.
#[derive(Debug, Serialize)]
pub struct SectionView<'a> {
    /// The label as written.
    pub label: &'a str,
    /// Its anchor id.
    pub id: &'a str,
}

/// An entity as an article mentions it.
#[derive(Debug, Serialize)]
pub struct EntityRefView<'a> {
    /// Its id (slug).
    pub id: &'a str,
    /// Canonical name.
    pub name: &'a str,
    /// person, organization, place or other.
    pub kind: EntityKind,
    /// Its page.
    pub url: tera::Value,
    /// Its name linked as the body links it ([`EntityLink::html`]).
    pub link: tera::Value,
    /// Mentions in this article.
    pub mentions: usize,
}

/// A quote.
#[derive(Debug, Serialize)]
pub struct QuoteView<'a> {
    /// Its anchor id in the article (`quote-3`).
    pub id: String,
    /// The quoted words, as in the article.
    pub text: &'a str,
    /// The words for a callout: without the comma or colon that led back
    /// into the sentence ("…without China's support,").
    pub display_text: &'a str,
    /// The speaker's name (entity or description), when known.
    pub speaker: Option<&'a str>,
    /// The speaker's entity page, when the speaker is an entity.
    pub speaker_url: Option<String>,
    /// The speaker's entity id.
    pub speaker_id: Option<&'a str>,
    /// The attribution as written ("said Friday").
    pub cue: Option<&'a str>,
    /// The article's page plus `#quote-N`.
    pub url: String,
    /// The article's title and page (on the quote index and entity pages).
    pub article_title: &'a str,
    /// `YYYY-MM-DD` of the article.
    pub date: String,
}

/// `term` on a tag or source page, and each entry of `terms`.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    /// As written.
    pub name: &'a str,
    /// Its page.
    pub url: String,
    /// How many articles.
    pub count: usize,
    /// Its articles, newest first (only on the term's own page), as
    /// [`SummaryView`]s.
    pub pages: Vec<&'a tera::Value>,
}

/// `entity` on an entity page, and each entry of `entities`.
#[derive(Debug, Serialize)]
pub struct EntityView<'a> {
    /// Its id (slug).
    pub id: &'a str,
    /// Canonical name.
    pub name: &'a str,
    /// person, organization, place or other.
    pub kind: EntityKind,
    /// Its page.
    pub url: String,
    /// The registry description as HTML.
    pub description: Option<String>,
    /// One line of description, plain text (hovercards, lists).
    pub short_description: Option<String>,
    /// An image URL.
    pub image: Option<&'a str>,
    /// Wikidata page.
    pub wikidata_url: Option<String>,
    /// An official or reference page.
    pub link: Option<&'a str>,
    /// Names it goes by.
    pub surfaces: &'a [String],
    /// Roles seen before its name.
    pub roles: &'a [String],
    /// Mentions across the site.
    pub mentions: usize,
    /// Number of articles.
    pub article_count: usize,
    /// Its Atom feed.
    pub feed_url: String,
}

impl<'a> EntityView<'a> {
    /// The view of one entity, without its lists.
    pub fn new(entity: &'a SiteEntity, base: &str) -> EntityView<'a> {
        let entry = entity.entry.as_ref();
        let description = entry.map(|e| e.description.as_str()).filter(|d| !d.trim().is_empty());
        let wikidata_url = entry.and_then(|e| e.wikidata.as_deref()).and_then(wikidata_url);
        let url = entity_url(base, &entity.id);
        EntityView {
            id: &entity.id,
            name: &entity.name,
            kind: entity.kind,
            feed_url: [url.as_str(), "atom.xml"].concat(),
            url,
            description: description.map(super::markdown_to_html),
            short_description: description.map(first_sentence),
            image: safe_url_opt(entry.and_then(|e| e.image.as_deref())),
            wikidata_url,
            link: safe_url_opt(entry.and_then(|e| e.url.as_deref())),
            surfaces: &entity.surfaces,
            roles: &entity.roles,
            mentions: entity.mentions,
            article_count: entity.articles.len(),
        }
    }
}

/// The Wikidata page of a registry's `wikidata` value (`Q123` or a URL),
/// or `None` when it is a URL no link may have.
pub fn wikidata_url(wikidata: &str) -> Option<String> {
    let wikidata = wikidata.trim();
    if wikidata.starts_with("http") {
        return safe_url(wikidata).map(str::to_string);
    }
    // An item (Q42), property (P31) or lexeme (L7) id, and nothing else.
    let mut chars = wikidata.chars();
    let prefix = chars.next().map(|c| c.to_ascii_uppercase());
    let digits = chars.as_str();
    let valid = matches!(prefix, Some('Q' | 'P' | 'L'))
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit());
    valid.then(|| format!("https://www.wikidata.org/wiki/{}", wikidata.to_ascii_uppercase()))
}

/// The first sentence of a Markdown description, as plain text.
fn first_sentence(markdown: &str) -> String {
    let plain: String =
        markdown.lines().next().unwrap_or("").replace(['*', '_', '`', '[', ']'], "");
    match plain.find(". ") {
        Some(i) => plain.get(..=i).unwrap_or(&plain).to_string(),
        None => plain,
    }
}

/// A list entry of an article for a term or entity page.
fn summary<'a>(site: &'a Site, links: &Links<'a>, article: &'a Article) -> SummaryView<'a> {
    let base = site.config.base_path();
    let meta = &article.annotated.doc.meta;
    SummaryView {
        title: &meta.title,
        url: plain(&[base.as_str(), &article.path].concat()),
        date: plain(&iso_date(meta.date)),
        date_display: plain(&display_date(meta.date)),
        source: links.source(meta.source.as_deref()),
        summary: article.annotated.summary.as_deref(),
        tags: links.tags(&meta.tags),
    }
}

/// Every tag and source link of the site as a template value ([`LinkView`]),
/// made once per render: the many list and feed entries of an article share
/// them rather than each holding copies.
pub struct Links<'a> {
    tags: HashMap<&'a str, Option<tera::Value>>,
    sources: HashMap<&'a str, Option<tera::Value>>,
    /// By entity id: each article lists its entities, and the built-in
    /// theme prints each as a link.
    entities: Vec<EntityLink>,
}

/// An entity's page and its name linked to it, as template values.
pub struct EntityLink {
    /// Its page.
    pub url: tera::Value,
    /// `<a class="entity entity-KIND" href="URL" data-entity="ID"
    /// data-kind="KIND">NAME</a>`: the name linked as the body links it,
    /// already safe.
    pub html: tera::Value,
}

impl<'a> Links<'a> {
    /// The links of every tag and source the site's articles name, and of
    /// every entity.
    pub fn new(site: &'a Site) -> Links<'a> {
        let base = site.config.base_path();
        let entities = site
            .entities
            .iter()
            .map(|e| {
                let url = entity_url(&base, &e.id);
                let mut html = String::with_capacity(2 * url.len() + e.name.len() + 64);
                entity_link_open(&mut html, &base, e);
                escape_html_into(&mut html, &e.name);
                html.push_str("</a>");
                EntityLink { url: plain(&url), html: tera::Value::safe_string(&html) }
            })
            .collect();
        let mut links = Links { tags: HashMap::default(), sources: HashMap::default(), entities };
        for article in &site.articles {
            let meta = &article.annotated.doc.meta;
            for name in &meta.tags {
                links.tags.entry(name).or_insert_with(|| link(&base, "tags", name));
            }
            if let Some(name) = &meta.source {
                links.sources.entry(name).or_insert_with(|| link(&base, "sources", name));
            }
        }
        links
    }

    /// The links of an article's tags.
    pub fn tags(&self, names: &[String]) -> Vec<tera::Value> {
        names.iter().filter_map(|name| self.tags.get(name.as_str())?.clone()).collect()
    }

    /// The link of an article's source.
    pub fn source(&self, name: Option<&str>) -> Option<tera::Value> {
        self.sources.get(name?)?.clone()
    }

    /// The page and link of an entity.
    pub fn entity(&self, id: EntityId) -> Option<&EntityLink> {
        self.entities.get(id)
    }
}

/// Opens a link to an entity's page (under the base path `base`) as the
/// body and the lists of entities show it, and as the hovercards expect it:
/// its kind as a class and as data, its id as data. Built by concatenation:
/// the body has one per mention, and `format!` grows its string several
/// times over.
pub fn entity_link_open(out: &mut String, base: &str, entity: &SiteEntity) {
    let (kind, id) = (entity.kind.as_str(), entity.id.as_str());
    for part in [
        "<a class=\"entity entity-",
        kind,
        "\" href=\"",
        base,
        "entities/",
        id,
        "/\" data-entity=\"",
        id,
        "\" data-kind=\"",
        kind,
        "\">",
    ] {
        out.push_str(part);
    }
}

/// A term's link; none for a name without a letter or digit, which has no
/// page (site::terms skips it).
fn link(base: &str, folder: &str, name: &str) -> Option<tera::Value> {
    let slug = crate::slug::slugify(name);
    let url = format!("{base}{folder}/{slug}/");
    (!slug.is_empty()).then(|| tera::Value::from_serializable(&LinkView { name, url: plain(&url) }))
}

/// A term with its count (and no pages: a term's own page adds them).
pub fn term<'a>(site: &'a Site, term: &'a Term, folder: &str) -> TermView<'a> {
    let base = site.config.base_path();
    TermView {
        name: &term.name,
        url: format!("{base}{folder}/{}/", term.slug),
        count: term.articles.len(),
        pages: Vec::new(),
    }
}

/// One template value per article, made when a page first shows it and
/// shared by every other page that does: the front page, tags, sources,
/// entity pages, related articles and feeds show each article many times,
/// and a shared value goes into a context without its strings being copied
/// again.
pub struct PerArticle<'a> {
    site: &'a Site,
    make: &'a MakeValue<'a>,
    views: Vec<std::sync::OnceLock<tera::Value>>,
}

/// How [`PerArticle`] makes an article's value.
pub type MakeValue<'a> = dyn Fn(&'a Article) -> tera::Value + Sync + 'a;

impl<'a> PerArticle<'a> {
    /// Values made by `make`, none made yet.
    pub fn new(site: &'a Site, make: &'a MakeValue<'a>) -> PerArticle<'a> {
        let views = site.articles.iter().map(|_| std::sync::OnceLock::new()).collect();
        PerArticle { site, make, views }
    }

    /// The value of an article.
    pub fn get(&self, id: ArticleId) -> Option<&tera::Value> {
        let article = self.site.articles.get(id)?;
        Some(self.views.get(id)?.get_or_init(|| (self.make)(article)))
    }

    /// The values made, to be freed elsewhere.
    pub fn into_values(self) -> Vec<std::sync::OnceLock<tera::Value>> {
        self.views
    }
}

/// A copy of a map value without the keys in `leave` and with `extra`
/// keys added: a summary plus its rendered `html`, an entry of the site
/// feed a feed entry plus its content. The values are shared, not copied,
/// and the map is built once: `tera::Value::from(Map)` would insert every
/// key a second time. `None` when `value` is not a map of field names (as
/// the serialised views are).
pub fn with_keys<const N: usize>(
    value: &tera::Value,
    leave: &[&str],
    extra: [(&'static str, tera::Value); N],
) -> Option<tera::Value> {
    struct Extended<'a, const N: usize> {
        map: &'a tera::Map,
        leave: &'a [&'a str],
        extra: [(&'static str, tera::Value); N],
    }
    impl<const N: usize> Serialize for Extended<'_, N> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::{Error, SerializeStruct};
            let mut out = serializer.serialize_struct("Extended", self.map.len() + N)?;
            // Tera hands a value serialised into a value back as is.
            for (key, value) in self.map {
                let tera::value::Key::Str(name) = key else {
                    return Err(S::Error::custom("a key that is not a field name"));
                };
                if !self.leave.contains(name) {
                    out.serialize_field(name, value)?;
                }
            }
            for (name, value) in &self.extra {
                out.serialize_field(name, value)?;
            }
            out.end()
        }
    }
    let map = value.as_map()?;
    tera::Value::try_from_serializable(&Extended { map, leave, extra }).ok()
}

/// The page of an entity, under the site's base path.
pub fn entity_url(base: &str, id: &str) -> String {
    [base, "entities/", id, "/"].concat()
}

/// An article's [`SummaryView`] as a template value.
pub fn summary_value<'a>(site: &'a Site, links: &Links<'a>, article: &'a Article) -> tera::Value {
    tera::Value::from_serializable(&summary(site, links, article))
}

/// The first `n` words of a text, with an ellipsis when there are more
/// (quote titles in search, quotes named by `gloss check`).
pub fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.get(..n) {
        Some(head) if words.len() > n => format!("{}…", head.join(" ")),
        _ => words.join(" "),
    }
}

/// A URL, id or date gloss made, as a template value printed as it is:
/// Tera escapes `& < > " '` in every string a template prints, and these
/// seldom have one (a string that does is escaped as any other). Escaping
/// them was a twentieth of a build's instructions.
pub fn plain(text: &str) -> tera::Value {
    if text.bytes().any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        tera::Value::from(text)
    } else {
        tera::Value::safe_string(text)
    }
}

/// `YYYY-MM-DD`, as `date.to_string()` writes it, without the formatting
/// machinery, which costs several times more: a build writes one for
/// every quote it shows, three times over.
pub fn iso_date(date: jiff::civil::Date) -> String {
    let year = i32::from(date.year());
    if !(0..=9999).contains(&year) {
        return date.to_string();
    }
    let mut iso = String::with_capacity(10);
    let parts =
        [(year, 1000, "-"), (i32::from(date.month()), 10, "-"), (i32::from(date.day()), 10, "")];
    for (value, mut place, separator) in parts {
        while place > 0 {
            let digit = u32::try_from(value / place % 10).unwrap_or(0);
            iso.push(char::from_digit(digit, 10).unwrap_or('0'));
            place /= 10;
        }
        iso.push_str(separator);
    }
    iso
}

/// "April 26, 2024".
pub fn display_date(date: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS.get(usize::try_from(date.month() - 1).unwrap_or(0)).unwrap_or(&"");
    format!("{month} {}, {}", date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::{first_words, iso_date, plain};

    #[test]
    fn long_quotes_are_shortened_by_words() {
        assert_eq!(first_words("one two three", 2), "one two…");
        assert_eq!(first_words(" one  two ", 2), "one two");
    }

    #[test]
    fn plain_values_print_as_escaped_strings_do() {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("t.html", "{{ v }}|{{ v | upper }}").unwrap();
        for text in ["/briefings/a-b/", "/x/?a=1&b=<2>", "it's \"q\""] {
            let render = |value: tera::Value| {
                let mut context = tera::Context::new();
                context.insert("v", &value);
                tera.render("t.html", &context).unwrap()
            };
            let escaped = render(tera::Value::from(text));
            assert_eq!(render(plain(text)), escaped);
            assert_eq!(escaped.contains("&amp;"), text.contains('&'), "{escaped}");
        }
    }

    #[test]
    fn iso_dates_are_written_as_jiff_writes_them() {
        for (y, m, d) in
            [(2024, 4, 26), (1999, 12, 31), (999, 1, 5), (1, 2, 3), (9999, 12, 31), (-5, 3, 1)]
        {
            let date = jiff::civil::date(y, m, d);
            assert_eq!(iso_date(date), date.to_string());
        }
    }
}
