//! Annotate: `Document` blocks → `Annotated` (entity mentions, quotes,
//! labelled sections).
//!
//! Works on the plain text of one block at a time (a paragraph, list item,
//! heading or the title), joined across inline events. Pure and per-article:
//! it never looks at other articles, the filesystem or the output.

pub mod appearance;
pub mod entities;
mod gazetteer;
pub mod quotes;

use std::ops::Range;

/// What kind of block a [`TextBlock`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// The article's title (searched for entities, never for quotes).
    Title,
    /// A heading inside the body.
    Heading,
    /// A body paragraph.
    Paragraph,
    /// One item of a bulleted or numbered list.
    ListItem,
}

/// The plain text of one block, inline markup removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextBlock {
    /// Where the block came from.
    pub kind: BlockKind,
    /// The text as a reader sees it; soft line breaks become a space.
    pub text: String,
    /// Byte ranges of `text` inside inline code, existing links or raw HTML:
    /// no entity link may be placed there.
    pub protected: Vec<Range<usize>>,
    /// Byte length of a leading Smart Brevity label including its colon
    /// ("Why it matters:"), 0 when the block has none. Label words are never
    /// entities; the text after the label starts a sentence.
    pub label_end: usize,
}

impl TextBlock {
    /// A block with no protected ranges and no label.
    pub fn new(kind: BlockKind, text: impl Into<String>) -> TextBlock {
        TextBlock { kind, text: text.into(), protected: Vec::new(), label_end: 0 }
    }
}

pub use labels::BUILT_IN as BUILT_IN_LABELS;

use serde_json::{Value, json};

use crate::config::{Config, LinkMode};
use crate::content::{Body, Document, EntityEntry};
use crate::markdown;
use appearance::Appearance;
use entities::{EntityFindings, EntityOptions, Registry, RegistryEntry};
use quotes::{Quote, Speaker};

mod labels;

/// A labelled block of an article ("Why it matters").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The label as written, without its colon.
    pub label: String,
    /// Its anchor id, unique in the article.
    pub id: String,
    /// The block it opens (an index into [`Annotated::blocks`]).
    pub block: usize,
}

/// An article with everything annotation found in it.
#[derive(Debug, Clone)]
pub struct Annotated {
    /// The parsed article.
    pub doc: Document,
    /// Block 0 is the title; then the body's blocks in order. Empty when
    /// the body is rendered ([`Annotated::html`]): mentions and quotes
    /// point into blocks only for annotation and for rendering the body.
    pub blocks: Vec<TextBlock>,
    /// Entities and their mentions. The mentions are let go with the
    /// blocks they point into when the body is rendered: how often and
    /// where first each entity is named is kept in `appearances`.
    pub entities: EntityFindings,
    /// How each entity appears (in the order of `entities.entities`).
    pub appearances: Vec<Appearance>,
    /// Direct quotations with their speakers.
    pub quotes: Vec<Quote>,
    /// Labelled blocks.
    pub sections: Vec<Section>,
    /// The summary: front matter's, else the "Why it matters" text, else
    /// the lede.
    pub summary: Option<String>,
    /// Whether the body has a code block (so the highlighter is needed).
    pub has_code: bool,
    /// The body as HTML with holes for the links and callouts that show
    /// site entities ([`markdown::Hole`]), when the annotator renders
    /// bodies ([`Annotator::rendering_bodies`]): it parses each body
    /// anyway, and a second parse was a large part of a build. The source
    /// is then let go: `doc.body` is [`Body::Rendered`] and `blocks` empty.
    /// A site rendered once hands it to its page ([`crate::render::render_once`]).
    pub html: Option<String>,
}

/// What the annotator needs from the site, built once per build.
#[derive(Debug)]
pub struct Annotator {
    registry: Registry,
    options: EntityOptions,
    labels: Vec<String>,
    markdown: crate::config::MarkdownConfig,
    /// How links are placed, when bodies are rendered.
    render_bodies: Option<LinkMode>,
}

impl Annotator {
    /// Compiles the registry and the label list.
    pub fn new(config: &Config, registry: &[EntityEntry]) -> Annotator {
        let entries = registry
            .iter()
            .map(|e| RegistryEntry {
                id: e.id.clone(),
                name: e.name.clone(),
                kind: e.kind,
                aliases: e.aliases.clone(),
            })
            .collect();
        let mut labels: Vec<String> = BUILT_IN_LABELS.iter().map(|l| l.to_string()).collect();
        labels.extend(config.labels.extra.iter().cloned());
        Annotator {
            registry: Registry::new(entries),
            options: EntityOptions {
                discover: config.annotate.discover,
                ignore: config.annotate.ignore.clone(),
            },
            labels,
            markdown: config.markdown.clone(),
            render_bodies: None,
        }
    }

    /// The same annotator, also rendering each body to HTML with holes
    /// ([`Annotated::html`]), for builds.
    pub fn rendering_bodies(self, config: &Config) -> Annotator {
        Annotator { render_bodies: Some(config.annotate.link), ..self }
    }

    /// Annotates one article.
    pub fn annotate(&self, mut doc: Document) -> Annotated {
        // Kept for rendering the body when it is rendered here.
        let link_mode = self.render_bodies.filter(|_| markdown::can_hold_holes(&doc.body));
        let events: Vec<_> = match link_mode {
            Some(_) => {
                // News Markdown runs to about one event per 30 bytes:
                // sized once, the list is not grown and copied ten times.
                let mut events = Vec::with_capacity(markdown::source_len(&doc.body) / 24 + 16);
                events.extend(markdown::events(&doc.body, &self.markdown));
                events
            }
            None => Vec::new(),
        };
        let mut scan = match link_mode {
            Some(_) => markdown::scan(&events),
            None => markdown::scan(markdown::events(&doc.body, &self.markdown)),
        };
        let mut blocks = Vec::with_capacity(scan.blocks.len() + 1);
        blocks.push(TextBlock::new(BlockKind::Title, doc.meta.title.clone()));
        blocks.append(&mut scan.blocks);
        let sections = labels::mark(&mut blocks, &self.labels);
        // Issue 8: the finders see at most MAX_BLOCK_BYTES of each block,
        // so no paragraph, however long or hostile, costs more than a
        // bounded amount of work.
        let bounded = bound_blocks(&blocks);
        let seen = bounded.as_deref().unwrap_or(&blocks);
        let mut entities = entities::find(seen, &self.registry, &self.options);
        let quotes = quotes::find(seen, &entities);
        let appearances = appearance::find(seen, &entities);
        let html = link_mode.map(|link_mode| {
            let marks = markdown::hole_marks(&blocks, &sections, &entities, &quotes, link_mode);
            tight_string(markdown::render(events, &scan, &marks, self.markdown.highlight_code))
        });
        let summary = doc.meta.summary.clone().or_else(|| {
            let why = sections.iter().find(|s| s.id == "why-it-matters")?;
            let block = blocks.get(why.block)?;
            Some(block.text.get(block.label_end..)?.trim().to_string())
        });
        // Without either, the lede stands in, as on any news front page.
        let summary = summary.or_else(|| {
            let lede =
                blocks.iter().find(|b| b.kind == BlockKind::Paragraph && b.label_end == 0)?;
            Some(shorten(lede.text.trim(), 320))
        });
        // The model is kept for the whole build, and first touches of fresh
        // memory were a sixth of a build's CPU time. A rendered body needs
        // neither its source, nor its blocks, nor the mentions in them
        // again: freed now, their memory serves the next article. What is
        // kept is moved into blocks of its own size (the finders' results
        // are also used and dropped elsewhere, where trimming would be
        // wasted).
        if html.is_some() {
            doc.body = Body::Rendered;
            blocks = Vec::new();
            entities.mentions = Vec::new();
        }
        for block in &mut blocks {
            block.text = tight_string(std::mem::take(&mut block.text));
        }
        for entity in &mut entities.entities {
            entity.surfaces = tight(std::mem::take(&mut entity.surfaces));
            entity.roles = tight(std::mem::take(&mut entity.roles));
        }
        let entities = EntityFindings {
            entities: tight(entities.entities),
            mentions: tight(entities.mentions),
        };
        Annotated {
            doc,
            blocks: tight(blocks),
            entities,
            appearances,
            quotes: tight(quotes),
            sections: tight(sections),
            summary,
            has_code: scan.has_code,
            html,
        }
    }
}

/// `list` in a block of its own size. `shrink_to_fit` is no help here: the
/// allocator keeps a block in place while at most half of it is spare.
fn tight<T>(list: Vec<T>) -> Vec<T> {
    if fits(list.len(), list.capacity()) {
        return list;
    }
    let mut exact = Vec::with_capacity(list.len());
    exact.extend(list);
    exact
}

/// [`tight`] for a string.
fn tight_string(text: String) -> String {
    if fits(text.len(), text.capacity()) { text } else { text.as_str().to_owned() }
}

/// Whether a block is close enough to its contents' size to keep: at most
/// an eighth of it spare.
fn fits(len: usize, capacity: usize) -> bool {
    capacity - len <= len / 8
}

/// `char::is_alphanumeric`, answering at once for the punctuation of news
/// text outside ASCII (curly quotes and apostrophes, dashes, ellipses:
/// U+2000 to U+206F, where nothing is a letter or digit), which the
/// standard check looks up in its Unicode tables.
pub(crate) fn is_word_char(c: char) -> bool {
    !('\u{2000}'..='\u{206F}').contains(&c) && c.is_alphanumeric()
}

/// How many ASCII letters and digits `bytes` has from `from` on: the
/// letters of most words of news text.
pub(crate) fn alnum_run(bytes: &[u8], from: usize) -> usize {
    ascii_run(bytes, from, alnum_mask)
}

/// How many ASCII bytes other than letters and digits `bytes` has from
/// `from` on: the spaces and punctuation between most words.
pub(crate) fn gap_run(bytes: &[u8], from: usize) -> usize {
    ascii_run(bytes, from, |word| !alnum_mask(word) & !word & HIGH)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES * 0x80;

/// The high bit of each byte of `word` set where that byte is an ASCII
/// letter or digit.
fn alnum_mask(word: u64) -> u64 {
    // Bytes below 0x80, so that adding up to 0x80 to each carries into
    // none of the others: the high bit then tells whether it reached `lo`.
    let low = word & !HIGH;
    let at_least = |word: u64, lo: u8| word + ONES * u64::from(0x80 - lo);
    let digit = at_least(low, b'0') & !at_least(low, b'9' + 1);
    // Setting 0x20 lowers the capitals and moves nothing else into a..z.
    let folded = low | (ONES * 0x20);
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    (digit | letter) & !word & HIGH
}

/// How many bytes from `from` on `keep` marks (the high bit of each byte
/// it keeps), eight at a time: a word ends within the first eight bytes
/// nearly always, so the loop leaves at once rather than after a branch
/// per byte that the processor cannot foresee.
fn ascii_run(bytes: &[u8], from: usize, keep: impl Fn(u64) -> u64) -> usize {
    let Some(rest) = bytes.get(from..) else { return 0 };
    let (eights, tail) = rest.as_chunks::<8>();
    let mut run = 0;
    for &eight in eights {
        let stop = !keep(u64::from_le_bytes(eight)) & HIGH;
        if stop != 0 {
            return run + stop.trailing_zeros() as usize / 8;
        }
        run += 8;
    }
    run + tail.iter().position(|&b| keep(u64::from(b)) & 0x80 == 0).unwrap_or(tail.len())
}

/// The most bytes of one block that entity and quote detection read; the
/// rest of a longer block is rendered but not annotated. A real paragraph
/// is a few hundred bytes.
pub const MAX_BLOCK_BYTES: usize = 64 * 1024;

/// The blocks cut to [`MAX_BLOCK_BYTES`] (at a character boundary), or
/// `None` when none is that long.
fn bound_blocks(blocks: &[TextBlock]) -> Option<Vec<TextBlock>> {
    if blocks.iter().all(|b| b.text.len() <= MAX_BLOCK_BYTES) {
        return None;
    }
    let cut = |b: &TextBlock| {
        let mut end = MAX_BLOCK_BYTES.min(b.text.len());
        while !b.text.is_char_boundary(end) {
            end -= 1;
        }
        TextBlock {
            kind: b.kind,
            text: b.text.get(..end).unwrap_or("").to_string(),
            protected: b.protected.iter().filter(|r| r.start < end).cloned().collect(),
            label_end: b.label_end.min(end),
        }
    };
    Some(
        blocks
            .iter()
            .map(|b| if b.text.len() > MAX_BLOCK_BYTES { cut(b) } else { b.clone() })
            .collect(),
    )
}

/// `text` cut at a word boundary to at most `max` bytes, with an ellipsis.
fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = text.get(..cut).unwrap_or(text);
    let head = head.rsplit_once(' ').map_or(head, |(h, _)| h);
    format!("{}…", head.trim_end_matches([',', ';', ':']))
}

impl Annotated {
    /// The annotations as JSON, in the shape `gloss annotate --json` prints.
    pub fn report(&self) -> Value {
        let entities: Vec<Value> = self
            .entities
            .entities
            .iter()
            .zip(&self.appearances)
            .map(|(e, appearance)| {
                json!({"id": e.id, "name": e.name, "kind": e.kind, "surface": e.surfaces, "roles": e.roles, "mentions": appearance.mentions})
            })
            .collect();
        let quotes: Vec<Value> = self
            .quotes
            .iter()
            .map(|q| {
                let entity = match &q.speaker {
                    Speaker::Entity(i) => self.entities.entities.get(*i),
                    _ => None,
                };
                let description = match &q.speaker {
                    Speaker::Description(d) => Some(d.as_str()),
                    _ => None,
                };
                json!({
                    "text": q.text,
                    "speaker": entity.map(|e| &e.name),
                    "speaker_id": entity.map(|e| &e.id),
                    "speaker_description": description,
                    "cue": q.cue,
                })
            })
            .collect();
        json!({
            "file": self.doc.path.file_name().and_then(|n| n.to_str()),
            "title": self.doc.meta.title,
            "date": self.doc.meta.date.to_string(),
            "source": self.doc.meta.source,
            "entities": entities,
            "quotes": quotes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_punctuation_holds_no_word_characters() {
        for c in '\u{2000}'..='\u{206F}' {
            assert!(!c.is_alphanumeric(), "{c:?}");
            assert!(!is_word_char(c));
        }
        for c in ['a', 'Z', '7', 'é', 'Ж', '東', '\u{2070}', '\u{2071}'] {
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn runs_of_eight_at_a_time_stop_where_a_byte_at_a_time_would() {
        let all_bytes: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
        let texts: [&[u8]; 5] = [
            b"Shares of Acme Corp. fell 7.3 percent, officials said on Monday.",
            "S\u{e3}o Paulo\u{2019}s mayor \u{2014} \u{201c}Zolt\u{e1}n\u{201d}, 2024/25; [x]{y}@`"
                .as_bytes(),
            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
            b"  ,.;:!?()[]{}<>/\\|'\"`~@#$%^&*-_=+  ",
            &all_bytes,
        ];
        for text in texts {
            for from in 0..=text.len() + 1 {
                let rest = text.get(from..).unwrap_or_default();
                let count = |keep: fn(&u8) -> bool| rest.iter().take_while(|b| keep(b)).count();
                assert_eq!(alnum_run(text, from), count(u8::is_ascii_alphanumeric), "{from}");
                let gap = count(|b| b.is_ascii() && !b.is_ascii_alphanumeric());
                assert_eq!(gap_run(text, from), gap, "{from}");
            }
        }
    }
}
