//! Bad input: exit 1, a message naming the file, line:col and what to do,
//! every error of the build listed, and nothing written.

use crate::harness::*;

fn failing_build(site: &Fixture) -> String {
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!site.path().join("public").exists(), "public/ was written");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
}

fn failing_case(case: &str) -> String {
    failing_build(&Fixture::copy("errors", case))
}

#[test]
fn toml_error_in_front_matter_names_file_line_and_column() {
    assert_eq!(
        failing_case("toml_front_matter"),
        "error: invalid TOML front matter: invalid basic string, expected `\"`
  --> content/bad.md:2:18
   |
 2 | title = \"Unclosed
   |                  ^
   = help: fix the TOML syntax: strings in double quotes, dates as 2024-04-26, lists as [\"a\", \"b\"]
"
    );
}

#[test]
fn unreadable_date_in_a_plain_briefing_points_at_the_date() {
    assert_eq!(
        failing_case("bad_date"),
        "error: unknown date format \"26 April\"
  --> content/bad-date.txt:2:17
   |
 2 | Published Date: 26 April
   |                 ^^^^^^^^
   = help: write the date as 4/26/2024 or 2024-04-26
"
    );
}

#[test]
fn template_syntax_error_names_the_template_line() {
    assert_eq!(
        failing_case("template_syntax"),
        "error: template syntax error: Found `</` but expected }}.
  --> templates/article.html:3:19
   |
 3 | <h1>{{ page.title </h1>
   |                   ^^
   = help: fix the template; the template context is documented in the README under \"Template context\"
"
    );
}

#[test]
fn template_render_error_names_the_page_being_rendered() {
    let stderr = failing_case("template_render");
    assert!(
        stderr.starts_with("error: template error: Field `no_such_field` is not defined."),
        "{stderr}"
    );
    assert!(
        stderr.contains("(while rendering content/ok.txt)\n  --> templates/article.html:3:13\n"),
        "{stderr}"
    );
}

#[test]
fn two_articles_with_one_url_name_both_files() {
    assert_eq!(
        failing_case("duplicate_url"),
        "error: two articles have the URL /articles/same/
  --> content/other.md
   = help: content/same.txt has it too: give one of them another file name or a different `slug`
"
    );
}

#[test]
fn unknown_config_key_is_named() {
    let stderr = failing_case("unknown_config_key");
    assert!(
        stderr.starts_with("error: unknown field `them`, expected one of `title`,"),
        "{stderr}"
    );
    assert!(
        stderr.contains("  --> config.toml:2:1\n   |\n 2 | them = \"dark\"\n   | ^^^^\n"),
        "{stderr}"
    );
}

#[test]
fn missing_config_says_to_run_init() {
    let stderr = failing_case("no_config");
    assert!(stderr.contains("no config.toml in ."), "{stderr}");
    assert!(stderr.contains("help: run `gloss init DIR` to start a new site"), "{stderr}");
}

#[test]
fn every_error_of_a_build_is_reported() {
    let stderr = failing_case("many");
    assert!(stderr.contains("--> content/bad-date.txt:2:17"), "{stderr}");
    assert!(stderr.contains("--> content/bad.md:2:18"), "{stderr}");
    assert!(stderr.ends_with("error: 2 problems; nothing was written\n"), "{stderr}");
}

#[test]
fn file_that_is_not_utf8_is_named() {
    let site = Fixture::copy("errors", "bad_date");
    std::fs::remove_file(site.path().join("content/bad-date.txt")).unwrap();
    std::fs::write(
        site.path().join("content/latin1.txt"),
        b"Caf\xe9 news\nPublished Date: 4/26/2024\n\nBody\n",
    )
    .unwrap();
    let stderr = failing_build(&site);
    assert_eq!(
        stderr,
        "error: the file is not valid UTF-8
  --> content/latin1.txt:1:4
   |
 1 | Caf\u{fffd} news
   |    ^
   = help: save the file as UTF-8 (most editors have an \"encoding\" option)
"
    );
}

#[test]
fn failed_build_leaves_public_untouched() {
    let site = Fixture::copy("sites", "basic");
    assert_eq!(site.gloss(&["build"]).code, 0);
    let before = snapshot(&site.path().join("public"));
    for (file, text) in [
        ("content/broken.txt", "Title\nPublished Date: someday\n\nBody\n"),
        ("templates/index.html", "{% for %}"),
        ("config.toml", "title = \"x\"\nnope = 1\n"),
    ] {
        let saved = std::fs::read(site.path().join(file)).ok();
        site.write(file, text);
        let run = site.gloss(&["build"]);
        assert_eq!(run.code, 1, "{file}: {}", run.stderr);
        assert_eq!(snapshot(&site.path().join("public")), before, "{file} changed public/");
        match saved {
            Some(bytes) => std::fs::write(site.path().join(file), bytes).unwrap(),
            None => std::fs::remove_file(site.path().join(file)).unwrap(),
        }
    }
    assert_eq!(site.gloss(&["build"]).code, 0);
}
