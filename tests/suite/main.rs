//! Integration tests: the real `gloss` binary on fixture sites.

// A failed unwrap in a test is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod annotations;
mod browser;
mod browser_pages;
mod browser_search;
mod build;
mod check;
mod error_messages;
mod errors;
mod eval;
mod harness;
mod hostile;
mod incremental;
mod init;
mod pgo;
mod props;
mod publish;
mod safety;
mod serve;
mod serve_storm;
