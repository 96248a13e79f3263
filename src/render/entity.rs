//! What an entity page shows beyond lists: the sentence of each first
//! mention, the entities seen with it, a timeline of mentions, and the
//! small JSON card that hovercards fetch.

use rustc_hash::FxHashMap as HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

use super::context::{EntityView, PerArticle, entity_url};
use crate::annotate::appearance::Appearance;
use crate::markdown::escape_html_into;
use crate::site::{EntityId, Site};

/// An entity seen in the same articles, with how many.
#[derive(Debug, Serialize)]
pub struct CooccurrenceView<'a> {
    /// Canonical name.
    pub name: &'a str,
    /// Its page.
    pub url: String,
    /// Its id.
    pub id: &'a str,
    /// Articles mentioning both.
    pub count: usize,
}

/// An entry of `articles` on an entity page: how the entity appears in
/// one of its articles.
#[derive(Debug, Serialize)]
pub struct AppearanceView<'a> {
    /// The article's summary, the value every list shows
    /// ([`SummaryView`](super::context::SummaryView)).
    pub article: &'a tera::Value,
    /// The sentence of the first mention, HTML, the mention in `<mark>`.
    pub sentence: String,
    /// How often the article mentions the entity.
    pub mentions: usize,
}

/// `count` of the entity's articles from `skip` on, newest first. Each
/// entry holds the article's summary rather than a copy of its fields: an
/// entity page lists thirty, and copying every field of each (taking each
/// one's reference count, inserting each into a new map) took some 4 % of a
/// 10k build's CPU time.
pub fn appearances<'a>(
    site: &'a Site,
    summaries: &'a PerArticle<'_>,
    entity: EntityId,
    skip: usize,
    count: usize,
) -> Vec<AppearanceView<'a>> {
    let Some(e) = site.entities.get(entity) else { return Vec::new() };
    let found: Vec<(&tera::Value, &Appearance)> = e
        .articles
        .iter()
        .skip(skip)
        .take(count)
        .filter_map(|&id| Some((summaries.get(id)?, site.articles.get(id)?.appearance(entity)?)))
        .collect();
    // The page's articles lie far apart in memory, and the page reads each
    // at several places (the summary's fields the template prints, and
    // the sentence), one cache miss after another. Touched together
    // first, the misses of all the items overlap.
    for (summary, appearance) in &found {
        for field in summary.as_map().into_iter().flat_map(|map| map.values()) {
            std::hint::black_box(field.as_str().and_then(|s| s.as_bytes().first()));
            std::hint::black_box(field.as_array().map(<[tera::Value]>::len));
        }
        std::hint::black_box(appearance.sentence.as_bytes().first());
    }
    found
        .into_iter()
        .map(|(article, appearance)| AppearanceView {
            article,
            sentence: sentence_html(appearance),
            mentions: appearance.mentions,
        })
        .collect()
}

/// The sentence of the first mention, escaped, the mention in `<mark>`.
fn sentence_html(appearance: &Appearance) -> String {
    if appearance.mentions == 0 {
        return String::new();
    }
    let sentence = appearance.sentence.as_str();
    let part = |range: Range<usize>| sentence.get(range).unwrap_or("");
    let mention = &appearance.mention;
    let mut html = String::with_capacity(sentence.len() + 16);
    escape_html_into(&mut html, part(0..mention.start));
    html.push_str("<mark>");
    escape_html_into(&mut html, part(mention.clone()));
    html.push_str("</mark>");
    escape_html_into(&mut html, part(mention.end..sentence.len()));
    html
}

/// The entities most often in the same articles, with counts. `id_ranks`
/// gives each entity's place in id order, for ties.
pub fn cooccurring<'a>(
    site: &'a Site,
    id_ranks: &[u32],
    entity: EntityId,
    limit: usize,
) -> Vec<CooccurrenceView<'a>> {
    thread_local! {
        static COUNTS: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let base = site.config.base_path();
    let Some(e) = site.entities.get(entity) else { return Vec::new() };
    // Ties by id, not by position: positions follow mentions site-wide,
    // and the page must depend only on its own entity's articles.
    let mut ranked: Vec<(usize, u32, EntityId)> = COUNTS.with_borrow_mut(|table| {
        let mut counts = DenseSums::new(table, site.entities.len());
        for article in e.articles.iter().filter_map(|&id| site.articles.get(id)) {
            for &other in article.entity_ids.iter().filter(|&&other| other != entity) {
                counts.add(other, 1);
            }
        }
        counts.finish(|id, count| Some((count, *id_ranks.get(id)?, id)))
    });
    top_by(&mut ranked, limit, |a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    ranked
        .into_iter()
        .filter_map(|(count, _, id)| {
            let o = site.entities.get(id)?;
            Some(CooccurrenceView {
                name: &o.name,
                url: entity_url(&base, &o.id),
                id: &o.id,
                count,
            })
        })
        .collect()
}

/// Sums by index in a dense table kept per thread by the caller, all zero
/// between uses (zero means "not reached", so no amount may be zero): a
/// tenth of the cost of a hash map over the thousands of candidates that
/// related articles and co-occurring entities have on a large site.
pub(crate) struct DenseSums<'t, T> {
    table: &'t mut Vec<T>,
    reached: Vec<usize>,
}

impl<'t, T: Copy + Default + PartialEq + std::ops::AddAssign> DenseSums<'t, T> {
    pub(crate) fn new(table: &'t mut Vec<T>, len: usize) -> Self {
        if table.len() < len {
            table.resize(len, T::default());
        }
        DenseSums { table, reached: Vec::new() }
    }

    pub(crate) fn add(&mut self, index: usize, amount: T) {
        if let Some(sum) = self.table.get_mut(index) {
            if *sum == T::default() {
                self.reached.push(index);
            }
            *sum += amount;
        }
    }

    /// What `keep` makes of each index reached and its sum, in the order
    /// first reached; the table is left all zero again.
    pub(crate) fn finish<R>(self, mut keep: impl FnMut(usize, T) -> Option<R>) -> Vec<R> {
        let table = self.table;
        // Sized once: `filter_map` gives no size, and growing from empty
        // copied the list several times.
        let mut kept = Vec::with_capacity(self.reached.len());
        kept.extend(
            self.reached.into_iter().filter_map(|i| keep(i, std::mem::take(table.get_mut(i)?))),
        );
        kept
    }
}

/// Each item's place when `0..len` is sorted by `key`: comparing two
/// places costs less than reading two keys from far apart in memory.
pub(crate) fn ranks_by<K: Ord>(len: usize, key: impl Fn(usize) -> K) -> Vec<u32> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_unstable_by_key(|&i| key(i));
    let mut ranks = vec![0; len];
    for (rank, i) in order.into_iter().enumerate() {
        if let Some(slot) = ranks.get_mut(i) {
            *slot = u32::try_from(rank).unwrap_or(u32::MAX);
        }
    }
    ranks
}

/// Keeps the first `n` items in the order of `order`, sorted: a partial
/// selection, as lists of candidates run to thousands and only a few are
/// shown.
pub(crate) fn top_by<T>(
    items: &mut Vec<T>,
    n: usize,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
) {
    if n == 0 {
        items.clear();
        return;
    }
    if items.len() > n {
        items.select_nth_unstable_by(n - 1, &order);
        items.truncate(n);
    }
    items.sort_unstable_by(order);
}

/// A bar chart of mentions per month, as inline SVG drawn at build time.
pub fn timeline_svg(site: &Site, entity: EntityId) -> String {
    let Some(e) = site.entities.get(entity) else { return String::new() };
    let mut months: HashMap<i32, usize> = HashMap::default();
    for &id in &e.articles {
        let Some(article) = site.articles.get(id) else { continue };
        let Some(appearance) = article.appearance(entity) else { continue };
        let date = article.annotated.doc.meta.date;
        let key = i32::from(date.year()) * 12 + i32::from(date.month()) - 1;
        *months.entry(key).or_default() += appearance.mentions;
    }
    let (Some(&first), Some(&last)) = (months.keys().min(), months.keys().max()) else {
        return String::new();
    };
    // A year at least, so one busy month is not one wide slab; at most ten
    // years, older mentions folding into the first bar.
    let first = first.min(last - 11).max(last - 119);
    let span = usize::try_from(last - first + 1).unwrap_or(1);
    let max = months.values().copied().max().unwrap_or(1).max(1);
    let (width, height) = (600.0_f64, 64.0_f64);
    let bar = width / span as f64;
    let mut svg = format!(
        "<svg class=\"timeline\" viewBox=\"0 0 {width} {}\" role=\"img\" aria-label=\"Mentions per month\" xmlns=\"http://www.w3.org/2000/svg\">",
        height + 16.0
    );
    let mut bars: Vec<(i32, usize)> = months.into_iter().collect();
    bars.sort_unstable();
    for (key, count) in &bars {
        let slot = (key.max(&first) - first) as f64;
        let h = (height * *count as f64 / max as f64).max(2.0);
        for (name, value) in [
            ("<rect x=\"", slot * bar + bar * 0.1),
            ("\" y=\"", height - h),
            ("\" width=\"", (bar * 0.8).max(1.0)),
            ("\" height=\"", h),
        ] {
            svg.push_str(name);
            push_tenths(&mut svg, value);
        }
        let _ = write!(
            svg,
            "\"><title>{} {}: {count} mention{}</title></rect>",
            month_name(*key),
            key.div_euclid(12),
            if *count == 1 { "" } else { "s" }
        );
    }
    let _ = write!(
        svg,
        "<text x=\"0\" y=\"{y}\">{} {}</text><text x=\"{width}\" y=\"{y}\" text-anchor=\"end\">{} {}</text></svg>",
        month_name(first),
        first.div_euclid(12),
        month_name(last),
        last.div_euclid(12),
        y = height + 14.0
    );
    svg
}

/// Writes `value` (not negative) with one decimal, as `{:.1}` does, which
/// was most of a timeline's time (four per bar). The tenths are rounded as
/// an integer, and only a value next to a tie is left to `{:.1}`, which
/// rounds it by its exact decimal expansion.
fn push_tenths(out: &mut String, value: f64) {
    let tenths = value * 10.0;
    if !(0.0..1e15).contains(&tenths) || (tenths.fract() - 0.5).abs() < 1e-6 {
        let _ = write!(out, "{value:.1}");
        return;
    }
    let tenths = tenths.round() as u64;
    let _ = write!(out, "{}.{}", tenths / 10, tenths % 10);
}

fn month_name(key: i32) -> &'static str {
    const NAMES: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    NAMES.get(usize::try_from(key.rem_euclid(12)).unwrap_or(0)).copied().unwrap_or("")
}

/// The hovercard JSON of one entity: small, so hovering costs little.
pub fn card_json(view: &EntityView<'_>) -> String {
    serde_json::json!({
        "name": view.name,
        "kind": view.kind,
        "description": view.short_description,
        "articles": view.article_count,
        "url": view.url,
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_are_written_as_one_decimal_formatting_writes_them() {
        let mut values = vec![0.0, 0.05, 0.25, 0.35, 2.25, 2.65, 64.0, 599.95, 1e16];
        // Bar positions and heights as timelines compute them.
        for span in 1..=120 {
            let bar = 600.0 / f64::from(span);
            for slot in 0..span {
                values.push(f64::from(slot) * bar + bar * 0.1);
                values.push((bar * 0.8).max(1.0));
            }
        }
        for max in 1..=300 {
            for count in 1..=max {
                let h = (64.0 * f64::from(count) / f64::from(max)).max(2.0);
                values.extend([h, 64.0 - h]);
            }
        }
        for value in values {
            let mut out = String::new();
            push_tenths(&mut out, value);
            assert_eq!(out, format!("{value:.1}"), "{value:?}");
        }
    }

    #[test]
    fn dense_sums_come_back_by_first_reach_and_leave_the_table_clean() {
        let mut table = Vec::new();
        let mut sums = DenseSums::new(&mut table, 5);
        for (index, amount) in [(3, 2), (1, 1), (3, 4), (9, 7)] {
            sums.add(index, amount);
        }
        // Index 9 is past the table and ignored.
        assert_eq!(sums.finish(|i, sum| Some((i, sum))), vec![(3, 6), (1, 1)]);
        assert_eq!(table, vec![0; 5]);
        // What `keep` drops is cleared too.
        let mut again = DenseSums::new(&mut table, 5);
        again.add(1, 1);
        again.add(2, 5);
        assert_eq!(again.finish(|i, sum| (i != 2).then_some((i, sum))), vec![(1, 1)]);
        assert_eq!(table, vec![0; 5]);
    }
}
