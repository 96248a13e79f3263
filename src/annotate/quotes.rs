//! Quotes: find direct quotations in an article's blocks and attribute each
//! to its speaker.

use std::ops::Range;

use super::TextBlock;
use super::entities::EntityFindings;

/// Who a quote is attributed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Speaker {
    /// A found entity: index into [`EntityFindings::entities`].
    Entity(usize),
    /// An unnamed source kept as written ("a senior State Department official").
    Description(String),
    /// No attribution could be found.
    Unknown,
}

/// One direct quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Index of the block in the slice given to [`find`].
    pub block: usize,
    /// Byte range of the quoted words in the block's text, without the marks.
    pub range: Range<usize>,
    /// The quoted words, without the marks.
    pub text: String,
    /// Who said it.
    pub speaker: Speaker,
    /// The attribution verb and its time or place as written ("said Friday", "added").
    pub cue: Option<String>,
}

/// Finds and attributes the quotes of one article.
pub fn find(_blocks: &[TextBlock], _entities: &EntityFindings) -> Vec<Quote> {
    Vec::new()
}
