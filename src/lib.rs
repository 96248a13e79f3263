//! gloss: a static site generator for annotated briefings.

pub mod annotate;
pub mod config;
pub mod content;
pub mod diag;
pub mod error;
pub mod markdown;
pub mod slug;
