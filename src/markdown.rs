//! Markdown: a [`Body`] → pulldown-cmark events → the article's HTML, with
//! entity links, quote marks and labelled blocks inserted by rewriting the
//! events (never by editing HTML).
//!
//! [`options`] is the one place that sets the parser options, and
//! [`scan`] the one place that turns events into [`TextBlock`]s, so the
//! offsets the annotator computes are the offsets the renderer reads.

use std::borrow::{Borrow, Cow};
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeStream};
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use crate::annotate::entities::EntityFindings;
use crate::annotate::quotes::{Quote, Speaker};
use crate::annotate::{BlockKind, Section, TextBlock};
use crate::config::{LinkMode, MarkdownConfig};
use crate::content::Body;

/// The pulldown-cmark options for every Markdown article.
pub fn options(config: &MarkdownConfig) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if config.smart_punctuation {
        options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    options
}

/// The body as events. Plain-text briefings become the same events a
/// Markdown paragraph or list would, with their text taken literally.
pub fn events<'a>(
    body: &'a Body,
    config: &MarkdownConfig,
) -> Box<dyn Iterator<Item = Event<'a>> + 'a> {
    match body {
        Body::Markdown { text } => Box::new(drop_script_links(TextMergeStream::new(
            Parser::new_ext(text, options(config)),
        ))),
        Body::Plain(blocks) => {
            let mut events = Vec::with_capacity(blocks.len() * 4);
            let mut in_list = false;
            for block in blocks {
                if block.bullet != in_list {
                    events.push(if block.bullet {
                        Event::Start(Tag::List(None))
                    } else {
                        Event::End(TagEnd::List(false))
                    });
                    in_list = block.bullet;
                }
                let (start, end) = if block.bullet {
                    (Tag::Item, TagEnd::Item)
                } else {
                    (Tag::Paragraph, TagEnd::Paragraph)
                };
                events.push(Event::Start(start));
                events.push(Event::Text(CowStr::Borrowed(&block.text)));
                events.push(Event::End(end));
            }
            if in_list {
                events.push(Event::End(TagEnd::List(false)));
            }
            Box::new(events.into_iter())
        }
        Body::Rendered => Box::new(std::iter::empty()),
    }
}

/// The events without the links and images whose destination could run
/// script (`[x](javascript:…)`, `<data:…>`): their text stays, as plain
/// text. Raw HTML is left to `[markdown] unsafe_html`.
fn drop_script_links<'a>(
    events: impl Iterator<Item = Event<'a>>,
) -> impl Iterator<Item = Event<'a>> {
    // One flag per open link or image: whether its start was dropped.
    let mut open: Vec<bool> = Vec::new();
    events.filter(move |event| match event {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            let unsafe_url =
                crate::render::escape::safe_url(dest_url).is_none() && !dest_url.trim().is_empty();
            open.push(unsafe_url);
            !unsafe_url
        }
        Event::End(TagEnd::Link | TagEnd::Image) => !open.pop().unwrap_or(false),
        _ => true,
    })
}

/// The blocks of text found in a body's events, and where each event's
/// text sits in them.
#[derive(Debug, Default)]
pub struct Scan {
    /// One per paragraph, heading, list item or table cell, in order.
    pub blocks: Vec<TextBlock>,
    /// For each event, the block and byte offset of its text (for `Text`
    /// and inline `Code` events inside a block), else `None`.
    pub positions: Vec<Option<(usize, usize)>>,
    /// Whether any event is a fenced or indented code block.
    pub has_code: bool,
}

/// Splits events into text blocks: a block is the text of one paragraph,
/// heading, list item or table cell, joined across emphasis, links and
/// code. Text inside links, inline code and images is protected from
/// entity links; code blocks and raw HTML are not text at all.
pub fn scan<'a, E: Borrow<Event<'a>>>(events: impl IntoIterator<Item = E>) -> Scan {
    let events = events.into_iter();
    let mut scan = Scan { positions: Vec::with_capacity(events.size_hint().0), ..Scan::default() };
    let mut current: Option<TextBlock> = None;
    let mut item_depth = 0usize;
    let mut protect_depth = 0usize;
    let mut protect_start = 0usize;
    let mut in_code_block = false;

    fn close(current: &mut Option<TextBlock>, blocks: &mut Vec<TextBlock>) {
        if let Some(block) = current.take() {
            blocks.push(block);
        }
    }

    for event in events {
        let event = event.borrow();
        let mut position = None;
        match event {
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell) => {
                close(&mut current, &mut scan.blocks);
                let kind = match event {
                    Event::Start(Tag::Heading { .. }) => BlockKind::Heading,
                    _ if item_depth > 0 => BlockKind::ListItem,
                    _ => BlockKind::Paragraph,
                };
                current = Some(TextBlock::new(kind, String::new()));
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::Item,
            ) => {
                close(&mut current, &mut scan.blocks);
                if matches!(event, Event::End(TagEnd::Item)) {
                    item_depth = item_depth.saturating_sub(1);
                }
            }
            Event::Start(Tag::Item) => {
                close(&mut current, &mut scan.blocks);
                item_depth += 1;
            }
            Event::Start(
                Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_) | Tag::HtmlBlock,
            )
            | Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                close(&mut current, &mut scan.blocks);
            }
            Event::Start(Tag::CodeBlock(_)) => {
                close(&mut current, &mut scan.blocks);
                in_code_block = true;
                scan.has_code = true;
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                if protect_depth == 0 {
                    protect_start = current.as_ref().map_or(0, |b| b.text.len());
                }
                protect_depth += 1;
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                protect_depth = protect_depth.saturating_sub(1);
                if protect_depth == 0
                    && let Some(block) = current.as_mut()
                    && block.text.len() > protect_start
                {
                    block.protected.push(protect_start..block.text.len());
                }
            }
            Event::Text(text) | Event::Code(text) if !in_code_block => {
                let block = current.get_or_insert_with(|| {
                    let kind =
                        if item_depth > 0 { BlockKind::ListItem } else { BlockKind::Paragraph };
                    TextBlock::new(kind, String::new())
                });
                let start = block.text.len();
                block.text.push_str(text);
                if matches!(event, Event::Code(_)) && protect_depth == 0 {
                    block.protected.push(start..block.text.len());
                }
                // Blocks are pushed in order, so the open block's index is the count so far.
                position = Some((scan.blocks.len(), start));
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(block) = current.as_mut() {
                    block.text.push(' ');
                }
            }
            _ => {}
        }
        scan.positions.push(position);
    }
    close(&mut current, &mut scan.blocks);
    scan
}

/// What to insert into one block's text when rendering it.
#[derive(Debug, Clone, Default)]
pub struct BlockMarks {
    /// Byte length of the label to lift out of the text into the block's
    /// heading, with its anchor id; `None` for an unlabelled block.
    pub label: Option<Label>,
    /// Spans to wrap in an element: entity links and quotes. A span that
    /// crosses inline markup is not wrapped; for one that has an `anchor`,
    /// an empty element with that id is put at its start instead.
    pub spans: Vec<Span>,
    /// HTML to put right after the block (a quote callout).
    pub after: String,
}

/// A Smart Brevity label at the start of a paragraph.
#[derive(Debug, Clone)]
pub struct Label {
    /// The label as written, without its colon.
    pub text: String,
    /// Its anchor id.
    pub id: String,
    /// Byte length of the label including its colon, in the block text.
    pub end: usize,
}

/// One element to wrap around a span of a block's text.
#[derive(Debug, Clone)]
pub struct Span {
    /// The byte range in the block's text.
    pub range: Range<usize>,
    /// The opening tag, complete and escaped (`<a href="…">`).
    pub open: String,
    /// The closing tag (`</a>`).
    pub close: Cow<'static, str>,
    /// An id to keep reachable when the span cannot be wrapped.
    pub anchor: Option<String>,
}

/// The marks of an article body's blocks: the labels of its sections,
/// the links of its entities' mentions (as `link_mode` says which), its
/// quotes, and after each attributed quote's block its callout.
/// `link(entity)` gives the opening and closing tags of the link to an
/// entity of the article (`None`: no link), `callout(quote)` a callout.
pub fn body_marks<E>(
    blocks: &[TextBlock],
    sections: &[Section],
    findings: &EntityFindings,
    quotes: &[Quote],
    link_mode: LinkMode,
    mut link: impl FnMut(usize) -> Option<(String, Cow<'static, str>)>,
    mut callout: impl FnMut(usize) -> Result<Option<String>, E>,
) -> Result<Vec<BlockMarks>, E> {
    // Block 0 is the title; the body's blocks follow.
    let mut marks: Vec<BlockMarks> = vec![BlockMarks::default(); blocks.len().saturating_sub(1)];
    let index = |block: usize| block.checked_sub(1);
    for section in sections {
        if let (Some(m), Some(block)) =
            (index(section.block).and_then(|b| marks.get_mut(b)), blocks.get(section.block))
        {
            m.label = Some(Label {
                text: section.label.clone(),
                id: section.id.clone(),
                end: block.label_end,
            });
        }
    }
    let mut linked = vec![false; findings.entities.len()];
    for mention in &findings.mentions {
        let Some(b) = index(mention.block).filter(|b| *b < marks.len()) else { continue };
        let first = !linked.get(mention.entity).copied().unwrap_or(true);
        let wanted = match link_mode {
            LinkMode::All => true,
            LinkMode::First => first,
            LinkMode::None => false,
        };
        if !wanted {
            continue;
        }
        let Some((open, close)) = link(mention.entity) else { continue };
        if let (Some(flag), Some(m)) = (linked.get_mut(mention.entity), marks.get_mut(b)) {
            *flag = true;
            m.spans.push(Span { range: mention.range.clone(), open, close, anchor: None });
        }
    }
    for (index_in_article, quote) in quotes.iter().enumerate() {
        let Some(m) = index(quote.block).and_then(|b| marks.get_mut(b)) else { continue };
        let id = quote_id(index_in_article);
        m.spans.push(Span {
            range: quote.range.clone(),
            open: ["<span class=\"quote\" id=\"", &id, "\">"].concat(),
            close: "</span>".into(),
            anchor: Some(id),
        });
        if let Some(html) = callout(index_in_article)? {
            m.after.push_str(&html);
        }
    }
    Ok(marks)
}

/// The anchor id of an article's quote (0-based): `quote-1` for the first.
pub fn quote_id(index: usize) -> String {
    let mut id = String::with_capacity(10);
    id.push_str("quote-");
    push_decimal(&mut id, index + 1);
    id
}

/// What a body rendered before the site is linked leaves open, for the
/// render to fill: the links of its entities and its callouts show site
/// entities (their ids, kinds and names), known only once every article
/// is read. The rest is final, so each body is parsed only once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hole {
    /// The opening tag of the link to an entity of the article (its index).
    LinkStart(usize),
    /// The closing tag of that link.
    LinkEnd(usize),
    /// The callout of a quote of the article (its index).
    Callout(usize),
}

impl Hole {
    /// The hole as it stands in the HTML: NUL, a letter, the index, NUL.
    /// A body without NUL renders to HTML without NUL, so holes are the
    /// only NULs there.
    pub fn mark(self) -> String {
        let (letter, index) = match self {
            Hole::LinkStart(i) => ('a', i),
            Hole::LinkEnd(i) => ('z', i),
            Hole::Callout(i) => ('q', i),
        };
        let mut mark = String::with_capacity(8);
        mark.push('\0');
        mark.push(letter);
        push_decimal(&mut mark, index);
        mark.push('\0');
        mark
    }

    fn parse(mark: &str) -> Option<Hole> {
        let index = mark.get(1..)?.parse().ok()?;
        match mark.as_bytes().first()? {
            b'a' => Some(Hole::LinkStart(index)),
            b'z' => Some(Hole::LinkEnd(index)),
            b'q' => Some(Hole::Callout(index)),
            _ => None,
        }
    }
}

/// Appends `n` in decimal: `format!` costs several times more, and a
/// build writes a number for every link, quote and callout.
pub(crate) fn push_decimal(out: &mut String, n: usize) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from_digit((n % 10) as u32, 10).unwrap_or('0'));
}

/// How many bytes of text a body has.
pub fn source_len(body: &Body) -> usize {
    match body {
        Body::Markdown { text } => text.len(),
        Body::Plain(blocks) => blocks.iter().map(|b| b.text.len()).sum(),
        Body::Rendered => 0,
    }
}

/// Whether a body can be rendered with holes: it has no NUL of its own.
pub fn can_hold_holes(body: &Body) -> bool {
    match body {
        Body::Markdown { text } => !text.contains('\0'),
        Body::Plain(blocks) => blocks.iter().all(|b| !b.text.contains('\0')),
        Body::Rendered => false,
    }
}

/// The marks of a body to render before the site is linked: [`body_marks`]
/// with a hole ([`Hole`]) for each entity link and each attributed quote's
/// callout.
pub fn hole_marks(
    blocks: &[TextBlock],
    sections: &[Section],
    findings: &EntityFindings,
    quotes: &[Quote],
    link_mode: LinkMode,
) -> Vec<BlockMarks> {
    let link = |entity| Some((Hole::LinkStart(entity).mark(), Hole::LinkEnd(entity).mark().into()));
    // Every attributed quote gets a callout: a named speaker, even one the
    // site does not know, or a described one.
    let callout = |q: usize| {
        let attributed = quotes.get(q).is_some_and(|q| !matches!(q.speaker, Speaker::Unknown));
        Ok::<_, std::convert::Infallible>(attributed.then(|| Hole::Callout(q).mark()))
    };
    match body_marks(blocks, sections, findings, quotes, link_mode, link, callout) {
        Ok(marks) => marks,
        Err(never) => match never {},
    }
}

/// `html` with each hole filled by `fill`.
pub fn fill_holes<E>(
    html: &str,
    mut fill: impl FnMut(Hole, &mut String) -> Result<(), E>,
) -> Result<String, E> {
    // Room for the links and callouts, which make a news body about twice
    // as long: growing it would copy it.
    let mut out = String::with_capacity(2 * html.len());
    let mut parts = html.split('\0');
    out.push_str(parts.next().unwrap_or(""));
    while let (Some(mark), Some(mut text)) = (parts.next(), parts.next()) {
        if let Some(hole) = Hole::parse(mark) {
            fill(hole, &mut out)?;
            // The HTML writer starts a block on a new line: after a
            // callout's hole, which does not end one, it added a line
            // break that a callout ending in one makes one too many.
            if matches!(hole, Hole::Callout(_)) && out.ends_with('\n') {
                text = text.strip_prefix('\n').unwrap_or(text);
            }
        }
        out.push_str(text);
    }
    Ok(out)
}

/// Renders events to HTML. `marks[i]` applies to block `i` of `scan`.
pub fn render<'a>(
    events: Vec<Event<'a>>,
    scan: &Scan,
    marks: &'a [BlockMarks],
    highlight: bool,
) -> String {
    let mut out = Vec::with_capacity(events.len() + marks.len() * 4);
    let mut section_open = false;
    let mut depth = 0usize;
    let mut code: Option<(String, String)> = None;
    // The label of the paragraph being rendered, how far its text has been
    // seen, and how many bold/italic tags around it were dropped.
    let mut label_pending: Option<&Label> = None;
    let mut label_text_end = 0usize;
    let mut dropped_tags = 0usize;
    // The block whose text was seen last, so its `after` HTML follows its end.
    let mut last_block: Option<usize> = None;

    for (index, event) in events.into_iter().enumerate() {
        if let Some((lang, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    out.push(Event::Html(highlight_block(text, lang, highlight).into()));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Start(Tag::Paragraph) if depth == 0 => {
                let block = next_block_index(scan, index);
                let label = block.and_then(|b| marks.get(b)).and_then(|m| m.label.as_ref());
                if let Some(label) = label {
                    if section_open {
                        out.push(Event::Html("</section>\n".into()));
                    }
                    section_open = true;
                    out.push(Event::Html(
                        format!(
                            "<section class=\"brief-block\" id=\"{id}\" aria-labelledby=\"{id}-label\">\n<p><strong class=\"brief-label\" id=\"{id}-label\">{}:</strong> ",
                            escape_html(&label.text),
                            id = label.id
                        )
                        .into(),
                    ));
                    label_pending = Some(label);
                    label_text_end = 0;
                    dropped_tags = 0;
                    depth += 1;
                    continue;
                }
            }
            Event::Start(Tag::Heading { .. }) if depth == 0 && section_open => {
                out.push(Event::Html("</section>\n".into()));
                section_open = false;
            }
            _ => {}
        }
        match &event {
            Event::Start(tag) if is_container(tag) => depth += 1,
            Event::End(tag) if is_container_end(tag) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if let Event::End(TagEnd::Paragraph | TagEnd::Item) = &event
            && let Some(after) = last_block
                .take()
                .and_then(|b| marks.get(b))
                .map(|m| &m.after)
                .filter(|a| !a.is_empty())
        {
            let is_item = matches!(event, Event::End(TagEnd::Item));
            if is_item {
                out.push(Event::Html(after.clone().into()));
                out.push(event);
            } else {
                out.push(event);
                out.push(Event::Html(after.clone().into()));
            }
            continue;
        }
        let position = scan.positions.get(index).copied().flatten();
        let Some((block, offset)) = position else {
            // Drop the bold or italic that wrapped the label text: the label
            // has its own markup now.
            if let Some(label) = label_pending {
                match event {
                    Event::Start(Tag::Strong | Tag::Emphasis) if label_text_end < label.end => {
                        dropped_tags += 1;
                        continue;
                    }
                    Event::End(TagEnd::Strong | TagEnd::Emphasis) if dropped_tags > 0 => {
                        dropped_tags -= 1;
                        continue;
                    }
                    Event::End(TagEnd::Paragraph) => label_pending = None,
                    _ => {}
                }
            }
            out.push(event);
            continue;
        };
        let (Event::Text(text) | Event::Code(text)) = &event else {
            out.push(event);
            continue;
        };
        let is_code = matches!(event, Event::Code(_));
        last_block = Some(block);
        let block_marks = marks.get(block);
        let mut skip = 0usize;
        if let Some(label) = label_pending {
            if offset <= label.end {
                let cut = (label.end - offset).min(text.len());
                let rest = text.get(cut..).unwrap_or("");
                skip = cut + (rest.len() - rest.trim_start().len());
            }
            label_text_end = offset + text.len();
        }
        if is_code {
            if skip < text.len() {
                let code_text = text.get(skip..).unwrap_or("").to_string();
                out.push(Event::Code(code_text.into()));
            }
            continue;
        }
        let spans = block_marks.map_or(&[][..], |m| &m.spans[..]);
        let (from, end) = (offset + skip, offset + text.len());
        // Most text events hold no span and no label: they go on whole,
        // without a copy of their text.
        if skip == 0
            && !text.is_empty()
            && !spans.iter().any(|s| s.range.start < end && s.range.end > from)
        {
            out.push(event);
            continue;
        }
        push_text_with_spans(&mut out, text, offset, skip, spans);
    }
    if section_open {
        out.push(Event::Html("</section>\n".into()));
    }
    // Sized once from the events, within an eighth of the HTML for news
    // text, so that it is neither grown (from empty, a body was copied some
    // seven times) nor copied again to be kept (`annotate::tight_string`).
    let size: usize = out
        .iter()
        .map(|event| match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => t.len() + 3,
            _ => 4,
        })
        .sum();
    let mut html = String::with_capacity(size);
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    html
}

/// The index of the block a paragraph starting at `index` opens: the block
/// of the first text event after it.
fn next_block_index(scan: &Scan, index: usize) -> Option<usize> {
    // A label is the paragraph's first text, at most behind a few tags.
    scan.positions.get(index + 1..)?.iter().take(16).flatten().map(|(block, _)| *block).next()
}

fn is_container(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::List(_)
            | Tag::Item
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::Table(_)
            | Tag::Paragraph
    )
}

fn is_container_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
            | TagEnd::Paragraph
    )
}

/// Pushes one text event, split where spans open and close. A span is
/// wrapped only when it lies inside this one event and nests properly
/// with the others (an entity link inside a quote); a span that cannot be
/// wrapped but has an anchor leaves an empty anchor element at its start.
fn push_text_with_spans<'a>(
    out: &mut Vec<Event<'a>>,
    text: &CowStr<'a>,
    offset: usize,
    skip: usize,
    spans: &'a [Span],
) {
    let (from, end) = (offset + skip, offset + text.len());
    let mut inside: Vec<&Span> = spans
        .iter()
        .filter(|s| s.range.start >= from && s.range.end <= end && s.range.start < s.range.end)
        .collect();
    inside.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(b.range.end.cmp(&a.range.end)));
    // (offset, is_open, html): closes sort before opens at the same offset.
    let mut boundaries: Vec<(usize, bool, CowStr<'a>)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for span in inside {
        while open.last().is_some_and(|&e| e <= span.range.start) {
            open.pop();
        }
        if open.last().is_some_and(|&e| span.range.end > e) {
            continue; // crosses another span
        }
        boundaries.push((span.range.start, true, CowStr::Borrowed(&span.open)));
        boundaries.push((span.range.end, false, CowStr::Borrowed(&span.close)));
        open.push(span.range.end);
    }
    for span in spans.iter().filter(|s| {
        s.anchor.is_some() && s.range.start >= from && s.range.start < end && s.range.end > end
    }) {
        if let Some(anchor) = &span.anchor {
            boundaries.push((
                span.range.start,
                true,
                format!("<span class=\"quote-anchor\" id=\"{anchor}\"></span>").into(),
            ));
        }
    }
    // Stable sort: at one offset, closes first, then opens in the order pushed (outer before inner).
    boundaries.sort_by_key(|&(at, is_open, _)| (at, is_open));
    let mut cursor = from;
    for (at, _, html) in boundaries {
        push_piece(out, text, offset, cursor, at);
        out.push(Event::InlineHtml(html));
        cursor = at;
    }
    push_piece(out, text, offset, cursor, end);
}

/// Pushes the part of `text` (which starts at `offset`) from `from` to
/// `to`: borrowed, when `text` borrows from the Markdown source.
fn push_piece<'a>(
    out: &mut Vec<Event<'a>>,
    text: &CowStr<'a>,
    offset: usize,
    from: usize,
    to: usize,
) {
    let range = from.saturating_sub(offset)..to.saturating_sub(offset);
    let piece = match text {
        CowStr::Borrowed(source) => source.get(range).map(CowStr::Borrowed),
        owned => owned.get(range).map(|piece| piece.to_string().into()),
    };
    if let Some(piece) = piece.filter(|piece| !piece.is_empty()) {
        out.push(Event::Text(piece));
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html_into(&mut out, text);
    out
}

/// [`escape_html`] onto the end of `out`: pulldown-cmark's escaper, which
/// looks for the five characters sixteen bytes at a time and replaces them
/// as Tera's escaping does.
pub fn escape_html_into(out: &mut String, text: &str) {
    // Writing to a `String` cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, text);
}

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntax_set() -> &'static SyntaxSet {
    static SYNTAXES: OnceLock<SyntaxSet> = OnceLock::new();
    SYNTAXES.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// A fenced code block as HTML, highlighted into CSS classes when its
/// language is known; an unknown language is plain text.
fn highlight_block(code: &str, lang: &str, highlight: bool) -> String {
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(" data-lang=\"{}\"", escape_html(lang))
    };
    let mut html = format!("<pre class=\"code\"{lang_attr}><code>");
    let syntax =
        if highlight && !lang.is_empty() { syntax_set().find_syntax_by_token(lang) } else { None };
    match syntax {
        Some(syntax) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, syntax_set(), CLASS_STYLE);
            let ok = LinesWithEndings::from(code)
                .all(|line| generator.parse_html_for_line_which_includes_newline(line).is_ok());
            if ok {
                html.push_str(&generator.finalize());
            } else {
                html.push_str(&escape_html(code));
            }
        }
        None => html.push_str(&escape_html(code)),
    }
    html.push_str("</code></pre>\n");
    html
}

/// The stylesheet for highlighted code: a light theme, and a dark one for
/// `prefers-color-scheme: dark`.
pub fn syntax_css() -> String {
    let themes = ThemeSet::load_defaults();
    let mut css =
        String::from("/* Code highlighting, generated by gloss from syntect's themes. */\n");
    if let Some(light) = themes.themes.get("InspiredGitHub")
        && let Ok(rules) = css_for_theme_with_class_style(light, CLASS_STYLE)
    {
        css.push_str(&rules);
    }
    if let Some(dark) = themes.themes.get("base16-ocean.dark")
        && let Ok(rules) = css_for_theme_with_class_style(dark, CLASS_STYLE)
    {
        let _ = write!(css, "\n@media (prefers-color-scheme: dark) {{\n{rules}\n}}\n");
    }
    css
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::PlainBlock;

    fn md(text: &str) -> Body {
        Body::Markdown { text: text.to_string() }
    }

    /// The events of `body` with the default settings, and their scan.
    fn parsed(body: &Body) -> (Vec<Event<'_>>, Scan) {
        let evs: Vec<_> = events(body, &MarkdownConfig::default()).collect();
        let scan = scan(&evs);
        (evs, scan)
    }

    #[test]
    fn blocks_join_text_across_emphasis_and_protect_links() {
        let body = md(
            "He said *\"hello there\"* to [Blinken](https://x) and `code`.\n\n- item one\n- item two\n",
        );
        let config = MarkdownConfig { smart_punctuation: false, ..MarkdownConfig::default() };
        let scan = scan(events(&body, &config));
        assert_eq!(scan.blocks.len(), 3);
        let first = &scan.blocks[0];
        assert_eq!(first.text, "He said \"hello there\" to Blinken and code.");
        assert_eq!(first.protected, vec![25..32, 37..41]);
        assert_eq!(scan.blocks[1].kind, BlockKind::ListItem);
    }

    #[test]
    fn plain_text_is_never_markup() {
        let body = Body::Plain(vec![PlainBlock {
            bullet: false,
            text: "<script>x</script> *not em* & [no](link)".into(),
        }]);
        let (evs, scan) = parsed(&body);
        let html = render(evs, &scan, &[], true);
        assert_eq!(html, "<p>&lt;script&gt;x&lt;/script&gt; *not em* &amp; [no](link)</p>\n");
    }

    #[test]
    fn escaping_replaces_the_five_markup_characters_and_keeps_the_rest() {
        let text = "Müller & \"Søren\" <b>'Ōtsuki'</b> — 東京";
        assert_eq!(
            escape_html(text),
            "Müller &amp; &quot;Søren&quot; &lt;b&gt;&#39;Ōtsuki&#39;&lt;/b&gt; — 東京"
        );
        let mut out = String::from("kept ");
        escape_html_into(&mut out, "&");
        assert_eq!(out, "kept &amp;");
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn spans_wrap_text_and_labels_lift_out() {
        let body = md("**Why it matters:** Blinken met Xi.\n");
        let (evs, scan) = parsed(&body);
        assert_eq!(scan.blocks[0].text, "Why it matters: Blinken met Xi.");
        let marks = vec![BlockMarks {
            label: Some(Label {
                text: "Why it matters".into(),
                id: "why-it-matters".into(),
                end: 15,
            }),
            spans: vec![Span {
                range: 16..23,
                open: "<a href=\"/e/\">".into(),
                close: "</a>".into(),
                anchor: None,
            }],
            after: String::new(),
        }];
        let html = render(evs, &scan, &marks, true);
        assert_eq!(
            html,
            "<section class=\"brief-block\" id=\"why-it-matters\" aria-labelledby=\"why-it-matters-label\">\n<p><strong class=\"brief-label\" id=\"why-it-matters-label\">Why it matters:</strong> <a href=\"/e/\">Blinken</a> met Xi.</p>\n</section>\n"
        );
    }

    #[test]
    fn spans_split_text_the_parser_merged_and_text_it_borrowed() {
        // Smart punctuation makes "Greece's deal." three text events, which
        // are merged into one owned text; "Lebanon objected." is one text
        // borrowed from the source.
        let body = md("Greece's deal.\n\nLebanon objected.\n");
        let (evs, scan) = parsed(&body);
        let link = |block: usize, name: &str| {
            let text = &scan.blocks[block].text;
            let range = text.find(name).map(|i| i..i + name.len()).unwrap_or_default();
            let span = Span { range, open: "<a>".into(), close: "</a>".into(), anchor: None };
            BlockMarks { label: None, spans: vec![span], after: String::new() }
        };
        let marks = vec![link(0, "Greece"), link(1, "Lebanon")];
        let html = render(evs, &scan, &marks, true);
        assert_eq!(html, "<p><a>Greece</a>\u{2019}s deal.</p>\n<p><a>Lebanon</a> objected.</p>\n");
    }

    #[test]
    fn unknown_code_language_is_plain_text() {
        let body = md("```nosuchlang\na < b\n```\n\n```rust\nfn main() {}\n```\n");
        let (evs, scan) = parsed(&body);
        assert!(scan.has_code);
        let html = render(evs, &scan, &[], true);
        assert!(
            html.contains(
                "<pre class=\"code\" data-lang=\"nosuchlang\"><code>a &lt; b\n</code></pre>"
            ),
            "{html}"
        );
        assert!(html.contains("hl-"), "{html}");
    }
}
