//! Issue 8: nothing from content writes outside the output folder or reads
//! outside the site, and no file is too big or too hostile to finish.

use std::path::Path;

use crate::harness::*;

/// Every file under `dir`, as sorted relative paths, skipping `skip`.
fn listing(dir: &Path, skip: &str) -> Vec<String> {
    snapshot(dir)
        .into_iter()
        .map(|(p, _)| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| !p.starts_with(skip))
        .collect()
}

#[test]
fn slugs_and_terms_with_dots_or_absolute_paths_stay_inside_public() {
    // The fixture sits two folders down in a temp folder of its own, so
    // `../../x` would land inside `outer/` if it escaped.
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("a/site");
    copy_dir(&repo().join("tests/fixtures/paths/escape"), &root);
    let before = listing(outer.path(), "a/site/public");
    let run = gloss_in(&root, &["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Beside public/, gloss keeps only the fingerprint of its last build.
    let mut after = listing(outer.path(), "a/site/public");
    after.retain(|path| path != "a/site/.public.fingerprint");
    assert_eq!(after, before, "a file was written outside public/");
    assert!(!Path::new("/tmp/gloss-escape-test").exists());
    let public = root.join("public");
    for page in [
        "articles/x/index.html",
        "articles/tmp-gloss-escape-test-abs/index.html",
        "articles/windows-y/index.html",
        "tags/tag/index.html",
        "tags/etc-passwd/index.html",
        "tags/c-windows/index.html",
        "sources/source/index.html",
        "sources/abs-source/index.html",
    ] {
        assert!(public.join(page).is_file(), "{page} is missing");
    }
}

#[cfg(unix)]
fn outside_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret.md");
    std::fs::write(&file, text).unwrap();
    let real = file.canonicalize().unwrap();
    (dir, real)
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused_with_the_link_named() {
    let (_outside, secret) =
        outside_file("+++\ntitle = \"Secret\"\ndate = 2024-04-26\n+++\nSECRET TEXT\n");
    for (link, shown) in [
        ("content/leak.md", "content/leak.md"),
        ("templates/article.html", "templates/article.html"),
        ("static/leak.css", "static/leak.css"),
    ] {
        let site = Fixture::copy("sites", "basic");
        let path = site.path().join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(&secret, &path).unwrap();
        let run = site.gloss(&["build"]);
        assert_eq!(run.code, 1, "{link}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "error: the symbolic link leads outside the site, to {}\n  --> {shown}\n   = help: copy the file into the site's folder instead of linking to it, or remove the link\n",
                secret.display()
            ),
            "{link}"
        );
        assert!(!site.path().join("public").exists());
    }
    // A linked folder that leads out is refused the same way.
    let site = Fixture::copy("sites", "basic");
    std::os::unix::fs::symlink(secret.parent().unwrap(), site.path().join("content/elsewhere"))
        .unwrap();
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("  --> content/elsewhere\n"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_site_are_followed() {
    let site = Fixture::copy("sites", "basic");
    site.write("drafts/linked.txt", "Linked briefing\nPublished Date: 5/1/2024\n\nIt is linked.\n");
    std::os::unix::fs::symlink(
        site.path().join("drafts/linked.txt"),
        site.path().join("content/linked.txt"),
    )
    .unwrap();
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/articles/linked/index.html").contains("It is linked."));
}

#[test]
fn an_article_over_the_size_limit_is_named_with_the_limit() {
    let site = Fixture::copy("sites", "basic");
    site.write("config.toml", "title = \"Small\"\n\n[limits]\nmax_article_bytes = 1000\n");
    site.write(
        "content/huge.txt",
        &format!("Huge\nPublished Date: 4/26/2024\n\n{}\n", "x".repeat(2000)),
    );
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: the file is 2033 bytes, over the limit of 1000 bytes\n  --> content/huge.txt\n   = help: split it into smaller articles, or raise `max_article_bytes` under [limits] in config.toml\n"
    );
}

#[test]
fn a_two_megabyte_paragraph_of_hostile_text_builds() {
    // Quote marks, names, attributions and abbreviations, over and over in
    // one paragraph: annotation reads a bounded part of each block, so this
    // finishes (no timing is asserted; a quadratic stage would not).
    let site = Fixture::copy("sites", "basic");
    let unit = "\"We will, \u{201c}Xi Jinping said \"U.S. Secretary of State Antony Blinken told CNN that '[[>> ";
    let paragraph = unit.repeat(2_000_000 / unit.len() + 1);
    assert!(paragraph.len() >= 2_000_000);
    site.write(
        "content/hostile.txt",
        &format!("Hostile\nPublished Date: 4/26/2024\n\n{paragraph}\n"),
    );
    site.write(
        "content/hostile-md.md",
        &format!("+++\ntitle = \"Hostile md\"\ndate = 2024-04-26\n+++\n{paragraph}\n"),
    );
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = site.read("public/articles/hostile/index.html");
    assert!(page.len() > 2_000_000);
}
