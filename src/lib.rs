//! gloss: a static site generator for annotated briefings.
//!
//! The pipeline, one module per stage: [`content`] (files → documents),
//! [`annotate`] (documents → entities, quotes, labels), [`site`] (all
//! articles → the linked model), [`render`] (model → pages), [`output`]
//! (pages → disk); [`build`] runs them in order, [`publish`] adds the
//! sitemap, robots.txt and the [`search`] bundle, and [`serve`] reruns
//! them on every change for a live preview. [`check`] reads a built site
//! for broken links.

pub mod annotate;
pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diag;
pub mod error;
pub mod init;
pub mod markdown;
pub mod output;
pub mod publish;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
