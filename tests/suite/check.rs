//! `gloss check`: broken internal links and anchors, registry and quote
//! warnings.

use crate::harness::*;

#[test]
fn check_is_clean_on_the_demo_site() {
    let run = gloss_in(&repo(), &["check", "--base-url", "https://example.org/briefings/"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("error:"), "{}", run.stdout);
    let summary = run.stdout.lines().last().unwrap();
    assert!(summary.starts_with("checked "), "{summary}");
    assert!(summary.contains(" 0 errors"), "{summary}");
}

#[test]
fn check_names_the_broken_link_and_anchor_and_exits_1() {
    let site = Fixture::copy("check", "broken");
    let run = site.gloss(&["check"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines.contains(
            &"error: broken link /articles/nope/ in articles/x/index.html (from content/x.md)"
        ),
        "{}",
        run.stdout
    );
    assert!(
        lines.contains(
            &"error: broken anchor #no-such-anchor in articles/x/index.html (from content/x.md)"
        ),
        "{}",
        run.stdout
    );
    // The links that do resolve are not reported.
    assert!(!run.stdout.contains("#why-it-matters"), "{}", run.stdout);
    assert!(!run.stdout.contains(" /archive/ "), "{}", run.stdout);
    // Errors come first, then warnings, then the summary.
    let first_warning = lines.iter().position(|l| l.starts_with("warning:")).unwrap();
    assert!(lines[..first_warning].iter().all(|l| l.starts_with("error:")), "{}", run.stdout);
    assert!(lines.last().unwrap().starts_with("checked "), "{}", run.stdout);
}

#[test]
fn check_warns_about_registry_entries_no_article_mentions() {
    let site = Fixture::copy("check", "broken");
    let run = site.gloss(&["check"]);
    assert!(
        run.stdout.contains(
            "warning: registry entry content/entities/zebulon-quux.md is mentioned by no article: \"Zebulon Quux\", \"Quux\" never matched"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn check_warns_when_base_url_cannot_make_absolute_urls() {
    let site = Fixture::copy("check", "broken");
    let run = site.gloss(&["check", "--base-url", "/"]);
    assert!(run.stdout.contains("warning: base_url \"/\" is not absolute"), "{}", run.stdout);
}

#[test]
fn check_reports_content_errors_like_build_and_writes_nothing() {
    let site = Fixture::copy("check", "broken");
    site.write("content/bad.txt", "Title\nPublished Date: 26 April\n\nBody.\n");
    let run = site.gloss(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown date format"), "{}", run.stderr);
    assert!(!site.path().join("public").exists());
}
