//! gloss: a static site generator for annotated briefings.

pub mod annotate;
pub mod slug;
