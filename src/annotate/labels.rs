//! Labels: the Smart Brevity labels that open a paragraph ("Why it
//! matters:") become labelled blocks with an anchor.

use super::{BlockKind, Section, TextBlock};
use crate::slug::slugify;

/// The labels recognised without any configuration.
pub const BUILT_IN: &[&str] = &[
    "Why it matters",
    "Driving the news",
    "Zoom in",
    "Zoom out",
    "The big picture",
    "The other side",
    "Between the lines",
    "Yes, but",
    "What's next",
    "What's new",
    "By the numbers",
    "State of play",
    "What they're saying",
    "What we're watching",
    "The bottom line",
    "Bottom line",
    "Go deeper",
    "Flashback",
    "Context",
    "Catch up quick",
    "Details",
    "Reality check",
    "Be smart",
    "The intrigue",
    "Our thought bubble",
    "Case in point",
    "For the record",
    "Where it stands",
    "The latest",
];

/// Finds a label at the start of each top-level paragraph, sets the
/// block's `label_end`, and returns the sections in order.
pub fn mark(blocks: &mut [TextBlock], labels: &[String]) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for (index, block) in blocks.iter_mut().enumerate() {
        if block.kind != BlockKind::Paragraph {
            continue;
        }
        let Some((label, end)) = labels.iter().find_map(|l| Some((l, label_len(&block.text, l)?)))
        else {
            continue;
        };
        block.label_end = end;
        let base = slugify(label);
        let mut id = base.clone();
        let mut n = 1;
        while sections.iter().any(|s| s.id == id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        let written = block.text.get(..end - 1).unwrap_or(label).to_string();
        sections.push(Section { label: written, id, block: index });
    }
    sections
}

/// The byte length of `label` and its colon at the start of `text`, if it
/// is there, ignoring case and the difference between straight and curly
/// apostrophes (smart punctuation turns "What's" into "What’s").
fn label_len(text: &str, label: &str) -> Option<usize> {
    let mut chars = text.char_indices();
    for expected in label.chars() {
        match chars.next() {
            Some((_, c)) if c.eq_ignore_ascii_case(&expected) => {}
            Some((_, '\u{2019}')) if expected == '\'' => {}
            _ => return None,
        }
    }
    match chars.next() {
        Some((i, ':')) => Some(i + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraph(text: &str) -> TextBlock {
        TextBlock::new(BlockKind::Paragraph, text)
    }

    #[test]
    fn label_at_paragraph_start_opens_a_section() {
        let mut blocks = vec![
            TextBlock::new(BlockKind::Title, "Why it matters: not in a title"),
            paragraph("Why it matters: Beijing has ties."),
            paragraph("The big picture is not a label without its colon"),
            paragraph("zoom out: case does not matter"),
        ];
        let labels: Vec<String> = BUILT_IN.iter().map(|s| s.to_string()).collect();
        let sections = mark(&mut blocks, &labels);
        assert_eq!(sections.len(), 2);
        assert_eq!(
            sections[0],
            Section { label: "Why it matters".into(), id: "why-it-matters".into(), block: 1 }
        );
        assert_eq!(blocks[1].label_end, "Why it matters:".len());
        assert_eq!(sections[1].id, "zoom-out");
        assert_eq!(blocks[0].label_end, 0);
    }

    #[test]
    fn repeated_label_gets_a_unique_id() {
        let mut blocks = vec![paragraph("Context: one"), paragraph("Context: two")];
        let sections = mark(&mut blocks, &["Context".to_string()]);
        assert_eq!(sections[1].id, "context-2");
    }

    #[test]
    fn curly_apostrophe_matches_a_straight_one() {
        let mut blocks = vec![paragraph("What\u{2019}s next: talks")];
        let sections = mark(&mut blocks, &["What's next".to_string()]);
        assert_eq!(sections[0].label, "What\u{2019}s next");
        assert_eq!(blocks[0].label_end, "What\u{2019}s next:".len());
    }
}
