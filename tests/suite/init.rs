//! `gloss init` and `gloss new`.

use crate::harness::*;

#[test]
fn init_makes_a_site_that_builds_without_templates() {
    let dir = tempfile::tempdir().unwrap();
    let run = gloss_in(dir.path(), &["init", "x"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let site = dir.path().join("x");
    assert!(!site.join("templates").exists());
    let run = gloss_in(&site, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(index.contains("Welcome to your briefing site"));
    // A second init refuses to overwrite the site.
    let again = gloss_in(dir.path(), &["init", "x"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("a site already exists here"), "{}", again.stderr);
}

#[test]
fn new_writes_a_dated_draft_with_a_slug_file_name() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(gloss_in(dir.path(), &["init", "."]).code, 0);
    let run = gloss_in(dir.path(), &["new", "Blinken meets Xi in Beijing"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text =
        std::fs::read_to_string(dir.path().join("content/blinken-meets-xi-in-beijing.md")).unwrap();
    assert!(text.contains("title = \"Blinken meets Xi in Beijing\""));
    assert!(text.contains("draft = true"));
    let run = gloss_in(dir.path(), &["build", "--drafts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("public/articles/blinken-meets-xi-in-beijing/index.html").exists());
}
