//! How each entity appears in one article: how often it is mentioned and
//! the sentence of its first mention, which its entity page shows.
//!
//! Found here, while the article's text is at hand, rather than when the
//! entity pages are rendered: those visit every article of an entity, and
//! reading each article's blocks again there was a tenth of a build. The
//! sentence is copied out, so that a build need not keep the blocks.

use std::ops::Range;

use super::TextBlock;
use super::entities::EntityFindings;

/// One of the article's entities, as its entity page lists the article.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Appearance {
    /// How often the article mentions it.
    pub mentions: usize,
    /// The block of its first mention: the body's first, the title only
    /// when the body has none.
    pub block: usize,
    /// That mention's sentence, trimmed.
    pub sentence: String,
    /// Byte range of the mention itself in `sentence`.
    pub mention: Range<usize>,
}

/// The appearance of each entity of `findings`, in its order.
pub fn find(blocks: &[TextBlock], findings: &EntityFindings) -> Vec<Appearance> {
    let mut out = vec![Appearance::default(); findings.entities.len()];
    for mention in &findings.mentions {
        let Some(appearance) = out.get_mut(mention.entity) else { continue };
        appearance.mentions += 1;
        // The first mention, or the body's first after the title's.
        if appearance.mentions == 1 || appearance.block == 0 && mention.block > 0 {
            appearance.block = mention.block;
            appearance.mention = mention.range.clone();
        }
    }
    for appearance in out.iter_mut().filter(|a| a.mentions > 0) {
        let Some(block) = blocks.get(appearance.block) else { continue };
        let text = block.text.as_str();
        let part = |range: Range<usize>| text.get(range).unwrap_or("");
        let start = appearance.mention.start.min(text.len());
        let end = appearance.mention.end.min(text.len()).max(start);
        let from = sentence_start(text, start).max(block.label_end.min(start));
        let (head, mention, tail) =
            (part(from..start).trim_start(), part(start..end), part(end..sentence_end(text, end)));
        let tail = tail.trim_end();
        let mut sentence = String::with_capacity(head.len() + mention.len() + tail.len());
        for piece in [head, mention, tail] {
            sentence.push_str(piece);
        }
        appearance.mention = head.len()..head.len() + mention.len();
        appearance.sentence = sentence;
    }
    out
}

/// Whether the period ending at byte `dot` ends a sentence rather than an
/// abbreviation ("U.S.", "Mr.", "Gen.").
fn ends_sentence(text: &str, dot: usize) -> bool {
    let word = text.get(..dot).and_then(|t| t.rsplit(' ').next()).unwrap_or("");
    let short = [
        "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "Jr", "Sr", "Lt", "Col", "Prof",
        "No", "vs",
    ];
    !(word.contains('.')
        || short.contains(&word)
        || word.len() == 1 && word.chars().all(|c| c.is_ascii_uppercase()))
}

/// Where the sentence holding byte `before` starts. The marks are ASCII,
/// so their bytes are searched for rather than the text's characters.
fn sentence_start(text: &str, before: usize) -> usize {
    let head = text.get(..before).unwrap_or("");
    memchr::memrchr3_iter(b'.', b'?', b'!', head.as_bytes())
        .filter(|&i| head.get(i + 1..).is_some_and(|rest| rest.starts_with(' ')))
        .find(|&i| head.as_bytes().get(i) != Some(&b'.') || ends_sentence(text, i))
        .map_or(0, |i| i + 1)
}

/// Where the sentence holding byte `after` ends.
fn sentence_end(text: &str, after: usize) -> usize {
    let tail = text.get(after..).unwrap_or("");
    memchr::memchr3_iter(b'.', b'?', b'!', tail.as_bytes())
        .filter(|&i| {
            tail.get(i + 1..)
                .is_none_or(|rest| rest.is_empty() || rest.starts_with([' ', '"', '\u{201d}']))
        })
        .find(|&i| tail.as_bytes().get(i) != Some(&b'.') || ends_sentence(text, after + i))
        .map_or(text.len(), |i| after + i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::BlockKind;
    use crate::annotate::entities::{Entity, EntityKind, Mention};

    fn entity(name: &str) -> Entity {
        Entity {
            id: String::new(),
            name: name.to_string(),
            kind: EntityKind::Person,
            surfaces: vec![name.to_string()],
            roles: Vec::new(),
            registered: false,
        }
    }

    fn mention(block: usize, text: &str, name: &str, entity: usize) -> Mention {
        let start = text.find(name).unwrap();
        Mention { block, range: start..start + name.len(), entity, role: None }
    }

    #[test]
    fn the_body_s_first_mention_wins_over_the_title_s() {
        let title = "Xi meets envoy";
        let body = "Talks began. Later Xi spoke to Smith in Beijing. Xi left.";
        let blocks =
            [TextBlock::new(BlockKind::Title, title), TextBlock::new(BlockKind::Paragraph, body)];
        let findings = EntityFindings {
            entities: vec![entity("Xi"), entity("Smith"), entity("Nobody")],
            mentions: vec![
                mention(0, title, "Xi", 0),
                mention(1, body, "Xi", 0),
                mention(1, body, "Smith", 1),
            ],
        };
        let found = find(&blocks, &findings);
        assert_eq!(found[0].mentions, 2);
        assert_eq!(found[0].block, 1);
        assert_eq!(found[0].sentence, "Later Xi spoke to Smith in Beijing.");
        assert_eq!(&found[0].sentence[found[0].mention.clone()], "Xi");
        assert_eq!(found[1].mentions, 1);
        assert_eq!(&found[1].sentence[found[1].mention.clone()], "Smith");
        // An entity with no mention has no sentence.
        assert_eq!(found[2], Appearance::default());
    }

    #[test]
    fn sentence_bounds_skip_abbreviations() {
        let text = "He left. The U.S. envoy Mr. Smith met Xi in Beijing. Then he went home.";
        let at = text.find("Xi").unwrap();
        assert_eq!(
            &text[sentence_start(text, at)..sentence_end(text, at + 2)],
            " The U.S. envoy Mr. Smith met Xi in Beijing."
        );
    }
}
