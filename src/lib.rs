//! gloss: a static site generator for annotated briefings.
//!
//! The pipeline, one module per stage: [`content`] (files → documents),
//! [`annotate`] (documents → entities, quotes, labels), [`site`] (all
//! articles → the linked model), [`render`] (model → pages), [`output`]
//! (pages → disk); [`build`] runs them in order, and [`serve`] reruns
//! them on every change for a live preview.

pub mod annotate;
pub mod build;
pub mod config;
pub mod content;
pub mod diag;
pub mod error;
pub mod init;
pub mod markdown;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod slug;
