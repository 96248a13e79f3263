//! Annotate: `Document` blocks → `Annotated` (entity mentions, quotes,
//! labelled sections).
//!
//! Works on the plain text of one block at a time (a paragraph, list item,
//! heading or the title), joined across inline events. Pure and per-article:
//! it never looks at other articles, the filesystem or the output.

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
