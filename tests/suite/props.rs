//! Property tests (issue 8): no input makes the parsers, the annotators or
//! the Markdown renderer panic, whatever the text — random Unicode of every
//! category, unbalanced and endless quote marks, deep nesting, CRLF and
//! byte-order marks, empty files. Along the way, every article's body as
//! the annotator renders it with holes, once filled, must be the body
//! rendered in one go.
//!
//! Each property runs 64 cases by default so `cargo test` stays quick;
//! `PROPTEST_CASES=5000 cargo test --test suite props` runs a longer search.

use std::path::PathBuf;

use gloss::annotate::entities::{self, EntityKind, EntityOptions, Registry, RegistryEntry};
use gloss::annotate::{Annotator, BlockKind, TextBlock, quotes};
use gloss::config::{Config, MarkdownConfig};
use gloss::content::{self, Source};
use gloss::markdown::{self, BlockMarks, Hole, Label, Span};
use proptest::prelude::*;

/// 64 cases, or `PROPTEST_CASES`.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

/// Pieces that mean something to one parser or another.
const TOKENS: &[&str] = &[
    "\"",
    "\u{201c}",
    "\u{201d}",
    "'",
    "\u{2018}",
    "\u{2019}",
    "\u{ab}",
    "\u{bb}",
    ">",
    "> ",
    "[",
    "]",
    "(",
    ")",
    "[[",
    "]]",
    "*",
    "**",
    "_",
    "`",
    "```",
    "~~",
    "<",
    "</",
    "<b>",
    "</script>",
    "<!--",
    "&",
    "&amp;",
    "&#",
    "\\",
    "\r\n",
    "\n",
    "\n\n",
    "\r",
    "\u{feff}",
    "- ",
    "* ",
    "1. ",
    "    ",
    "\t",
    "# ",
    "|",
    "| --- |",
    "[^1]",
    "[^1]: ",
    "+++",
    "---",
    ": ",
    ":",
    ",",
    ".",
    " ",
    "U.S.",
    "Mr.",
    "Xi Jinping",
    "Antony Blinken",
    "Blinken",
    "Secretary of State",
    "State Department",
    "Foreign Ministry spokesperson",
    "said",
    "he said",
    "she added",
    "told CNN that",
    "according to",
    "a senior official",
    "Why it matters:",
    "**Why it matters:**",
    "Zoom out:",
    "\u{2022} ",
    "Published Date: ",
    "4/26/2024",
    "2024-04-26",
    "Source: ",
    "title = ",
    "date = ",
    "\u{301}",
    "\u{202e}",
    "\u{200b}",
    "\0",
    "\u{1f600}",
    "\u{10ffff}",
    "\u{fffd}",
    "İ",
    "ß",
    "ǅ",
    "Ωμέγα",
    "北京",
    "العربية",
];

/// Text from the token list, random Unicode, or one token thousands of times in a row.
fn hostile_text() -> impl Strategy<Value = String> {
    let token = proptest::sample::select(TOKENS);
    prop_oneof![
        3 => proptest::collection::vec(token.clone(), 0..200).prop_map(|t| t.concat()),
        2 => any::<String>(),
        1 => "\\PC{0,300}",
        1 => (token, 1usize..5000).prop_map(|(t, n)| t.repeat(n)),
        1 => (1usize..400).prop_map(|depth| {
            // Deep nesting: quotes, lists and brackets inside each other.
            let mut text = String::new();
            for i in 0..depth {
                text.push_str(&"  ".repeat(i % 50));
                text.push_str(["> ", "- ", "[", "\"", "1. ", "*"][i % 6]);
                text.push_str("Xi said \"yes");
                text.push('\n');
            }
            text
        }),
    ]
}

/// The same annotator twice: as `gloss annotate` runs it, and as a build
/// does, rendering bodies.
fn annotators(config: &Config, registry: &[content::EntityEntry]) -> (Annotator, Annotator) {
    let rendering = Annotator::new(config, registry).rendering_bodies(config);
    (Annotator::new(config, registry), rendering)
}

fn source(path: &str, text: String) -> Source {
    Source { path: PathBuf::from(path), text }
}

/// Annotates and renders a parsed document the way a build does, and
/// checks that the body the annotator rendered with holes, once filled, is
/// the body rendered in one go from the same marks. Returns the filled
/// bodies (none when the body could not hold holes), one per callout
/// template: ending in a line break, and not.
fn annotate_and_render(
    (annotator, rendering): &(Annotator, Annotator),
    doc: content::Document,
    config: &Config,
) -> Vec<String> {
    // The rendering annotator lets go of the source; the same article
    // annotated without rendering keeps it, to render in one go.
    let rendered = rendering.annotate(doc.clone());
    let annotated = annotator.annotate(doc);
    let attributed = |q: usize| {
        annotated.quotes.get(q).is_some_and(|q| !matches!(q.speaker, quotes::Speaker::Unknown))
    };
    let link = |e: usize| format!("<a href=\"/{e}/\">");
    let mut bodies = Vec::new();
    for callout in ["<aside>said</aside>\n", "<aside>said</aside>"] {
        let marks = markdown::body_marks(
            &annotated.blocks,
            &annotated.sections,
            &annotated.entities,
            &annotated.quotes,
            config.annotate.link,
            |e| Some((link(e), "</a>".into())),
            |q| Ok::<_, ()>(attributed(q).then(|| callout.to_string())),
        )
        .unwrap();
        let events: Vec<_> = markdown::events(&annotated.doc.body, &config.markdown).collect();
        let scan = markdown::scan(&events);
        let at_once = markdown::render(events, &scan, &marks, true);
        if let Some(html) = &rendered.html {
            let filled = markdown::fill_holes(html, |hole, out| {
                match hole {
                    Hole::LinkStart(e) => out.push_str(&link(e)),
                    Hole::LinkEnd(_) => out.push_str("</a>"),
                    Hole::Callout(q) if attributed(q) => out.push_str(callout),
                    Hole::Callout(_) => {}
                }
                Ok::<_, ()>(())
            })
            .unwrap();
            assert_eq!(filled, at_once);
            bodies.push(filled);
        }
    }
    if rendered.html.is_some() {
        assert!(rendered.blocks.is_empty() && rendered.doc.body == content::Body::Rendered);
        assert!(rendered.entities.mentions.is_empty());
    }
    assert_eq!(rendered.report(), annotated.report());
    assert_eq!(rendered.appearances, annotated.appearances);
    bodies
}

#[test]
fn a_briefing_filled_in_is_the_briefing_rendered_at_once() {
    // A label, a list item, a heading and a blockquote, each with a quote.
    let text = "---\ntitle: Talks\ndate: 2024-01-02\n---\n\
        **Why it matters:** Secretary of State Antony Blinken met Xi Jinping in Beijing.\n\n\
        \"We had a candid talk,\" Blinken said. \"It was long.\"\n\n\
        - \"It went well,\" Xi said.\n- Talks go on in Beijing.\n\n\
        ## Next\n\n\
        \"Nothing is settled,\" said a senior official.\n\n\
        > \"We will see,\" Blinken added.\n";
    let config = Config::standalone();
    let both = annotators(&config, &[]);
    let doc = content::parse(&source("content/a.md", text.into())).unwrap();
    let bodies = annotate_and_render(&both, doc, &config);
    assert_eq!(bodies.len(), 2);
    for body in bodies {
        assert_eq!(body.matches("<aside>").count(), 5, "{body}");
        assert!(body.contains("<a href=\"/0/\">"), "{body}");
    }
}

fn hostile_registry() -> impl Strategy<Value = Vec<RegistryEntry>> {
    proptest::collection::vec(
        (hostile_text(), proptest::collection::vec(hostile_text(), 0..3)),
        0..4,
    )
    .prop_map(|entries| {
        entries
            .into_iter()
            .enumerate()
            .map(|(i, (name, aliases))| RegistryEntry {
                id: format!("e{i}"),
                name,
                kind: EntityKind::Person,
                aliases,
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn markdown_articles_never_panic(body in hostile_text(), front in hostile_text()) {
        let config = Config::standalone();
        let both = annotators(&config, &[]);
        for text in [
            format!("+++\ntitle = \"T\"\ndate = 2024-04-26\n+++\n{body}"),
            format!("---\ntitle: T\ndate: 2024-04-26\n---\n{body}"),
            format!("\u{feff}+++\r\ntitle = \"T\"\r\ndate = 2024-04-26\r\n+++\r\n{body}"),
            format!("+++\n{front}\n+++\n{body}"),
            format!("---\n{front}\n---\n{body}"),
            body.clone(),
        ] {
            if let Ok(doc) = content::parse(&source("content/x.md", text)) {
                let _ = annotate_and_render(&both, doc, &config);
            }
        }
    }

    #[test]
    fn plain_briefings_never_panic(body in hostile_text(), header in hostile_text()) {
        let config = Config::standalone();
        let both = annotators(&config, &[]);
        for text in [
            format!("Title\nPublished Date: 4/26/2024\n\n{body}"),
            format!("Title\r\nPublished Date: 4/26/2024\r\nSource: {header}\r\n\r\n{body}"),
            format!("{header}\n{body}"),
            body.clone(),
            String::new(),
        ] {
            if let Ok(doc) = content::parse(&source("content/x.txt", text)) {
                let _ = annotate_and_render(&both, doc, &config);
            }
        }
    }

    #[test]
    fn registry_entries_never_panic(text in hostile_text()) {
        for text in [format!("+++\nname = \"X\"\n+++\n{text}"), text.clone()] {
            let _ = content::parse_entity(&source("content/entities/x.md", text));
        }
    }

    #[test]
    fn dates_never_panic(raw in hostile_text(), m in any::<i64>(), d in any::<i64>(), y in any::<i64>()) {
        let _ = content::parse_date(&raw);
        let _ = content::parse_date(&format!("{m}/{d}/{y}"));
        let _ = content::parse_date(&format!("{y}-{m}-{d}"));
    }

    #[test]
    fn config_never_panics(text in hostile_text()) {
        let _ = Config::parse(&text);
        let _ = Config::parse(&format!("title = \"x\"\n{text}"));
        if let Err(diagnostic) = Config::parse(&format!("title = \"x\"\n[markdown]\n{text}")) {
            let _ = diagnostic.to_string();
        }
    }

    #[test]
    fn entity_and_quote_finders_never_panic(
        texts in proptest::collection::vec(hostile_text(), 1..6),
        registry in hostile_registry(),
        protected in proptest::collection::vec((0usize..400, 0usize..400), 0..4),
        label_end in 0usize..50,
    ) {
        let registry = Registry::new(registry);
        let blocks: Vec<TextBlock> = texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                let kind = [BlockKind::Title, BlockKind::Paragraph, BlockKind::ListItem, BlockKind::Heading][i % 4];
                let mut block = TextBlock::new(kind, text);
                // Protected ranges and labels that may be out of range or cut a character.
                block.protected = protected.iter().map(|&(a, b)| a.min(b)..a.max(b)).collect();
                block.label_end = label_end;
                block
            })
            .collect();
        for discover in [true, false] {
            let options = EntityOptions { discover, ignore: vec!["Xi".into(), String::new()] };
            let found = entities::find(&blocks, &registry, &options);
            for mention in &found.mentions {
                let block = &blocks[mention.block];
                prop_assert!(block.text.get(mention.range.clone()).is_some());
            }
            for quote in quotes::find(&blocks, &found) {
                prop_assert!(blocks[quote.block].text.get(quote.range.clone()).is_some());
            }
        }
    }

    #[test]
    fn the_whole_annotator_never_panics_with_a_hostile_registry(
        body in hostile_text(),
        names in proptest::collection::vec(hostile_text(), 0..4),
    ) {
        let registry: Vec<content::EntityEntry> = names
            .iter()
            .enumerate()
            .map(|(i, name)| content::EntityEntry {
                path: PathBuf::from(format!("content/entities/e{i}.md")),
                id: format!("e{i}"),
                name: name.clone(),
                kind: EntityKind::Organization,
                aliases: vec![name.to_uppercase(), name.chars().rev().collect()],
                wikidata: None,
                url: None,
                image: None,
                description: String::new(),
            })
            .collect();
        let mut config = Config::standalone();
        config.labels.extra = names.clone();
        let both = annotators(&config, &registry);
        let text = format!("+++\ntitle = \"T\"\ndate = 2024-04-26\n+++\n{body}");
        if let Ok(doc) = content::parse(&source("content/x.md", text)) {
            let _ = annotate_and_render(&both, doc, &config);
        }
    }

    #[test]
    fn render_never_panics_with_marks_anywhere(
        body in hostile_text(),
        spans in proptest::collection::vec((0usize..300, 0usize..300, any::<bool>()), 0..8),
        label in proptest::option::of(0usize..40),
        smart in any::<bool>(),
    ) {
        let config = MarkdownConfig { smart_punctuation: smart, ..MarkdownConfig::default() };
        let body = content::Body::Markdown { text: body };
        let events: Vec<_> = markdown::events(&body, &config).collect();
        let scan = markdown::scan(&events);
        // Marks for every block, with ranges that may cross characters,
        // blocks and each other.
        let marks: Vec<BlockMarks> = scan
            .blocks
            .iter()
            .map(|_| BlockMarks {
                label: label.map(|end| Label { text: "<L>".into(), id: "l".into(), end }),
                spans: spans
                    .iter()
                    .map(|&(a, b, anchor)| Span {
                        range: a..b,
                        open: "<span>".into(),
                        close: "</span>".into(),
                        anchor: anchor.then(|| "q".into()),
                    })
                    .collect(),
                after: "<aside></aside>".into(),
            })
            .collect();
        let _ = markdown::render(events, &scan, &marks, true);
    }

    #[test]
    fn diagnostics_locate_any_span(text in hostile_text(), start in 0usize..10_000, width in 0usize..100) {
        let location = gloss::diag::Location::of_span(&text, start, start + width);
        prop_assert!(location.line >= 1 && location.column >= 1 && location.width >= 1);
        let shown = gloss::diag::Diagnostic::new("content/x.md", "m").at(location).help("h").to_string();
        prop_assert!(shown.starts_with("error: m\n"));
        let _ = gloss::diag::Location::of_line(&text, start % 50);
    }
}
