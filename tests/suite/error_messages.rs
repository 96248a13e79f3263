//! Issue 8: every error gloss reports about a user's file, one fixture
//! case each (`tests/fixtures/errors/<case>/`), asserted whole: the file,
//! the line and column where there is one, what is wrong and what to do.

use crate::harness::*;

/// `gloss build` in a copy of the case: exit 1, nothing written, and the
/// whole of stderr.
fn stderr_of(case: &str) -> String {
    let site = Fixture::copy("errors", case);
    if case == "no_content" {
        let _ = std::fs::remove_dir_all(site.path().join("content"));
    }
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 1, "{case}: {}", run.stderr);
    assert!(!site.path().join("public").exists(), "{case}: public/ was written");
    run.stderr
}

#[test]
fn error_no_content() {
    assert_eq!(
        stderr_of("no_content"),
        r#"error: the site has no content/ folder
  --> content
   = help: create content/ and put articles (.md or .txt) in it, or run `gloss init DIR` for a new site
"#
    );
}

#[test]
fn error_no_front_matter() {
    assert_eq!(
        stderr_of("no_front_matter"),
        r#"error: the file has no front matter
  --> content/x.md:1:1
   |
 1 | Just a body, no front matter.
   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   = help: start the file with a +++ (TOML) or --- (YAML) block holding at least `title` and `date`
"#
    );
}

#[test]
fn error_front_matter_not_closed() {
    assert_eq!(
        stderr_of("front_matter_not_closed"),
        r#"error: the front matter opened with +++ is never closed
  --> content/x.md:1:1
   |
 1 | +++
   | ^^^
   = help: end the front matter with a line holding only +++
"#
    );
}

#[test]
fn error_yaml_front_matter() {
    assert_eq!(
        stderr_of("yaml_front_matter"),
        r#"error: invalid YAML front matter: found unexpected end of stream, while scanning a quoted scalar
  --> content/x.md:4:1
   |
 4 | ---
   | ^
   = help: fix the YAML syntax: `key: value`, lists as `[a, b]`
"#
    );
}

#[test]
fn error_yaml_not_a_map() {
    assert_eq!(
        stderr_of("yaml_not_a_map"),
        r#"error: the YAML front matter is not a map of keys
  --> content/x.md:2:1
   |
 2 | - a list
   | ^^^^^^^^
   = help: write one `key: value` per line
"#
    );
}

#[test]
fn error_title_not_a_string() {
    assert_eq!(
        stderr_of("title_not_a_string"),
        r#"error: `title` must be a string, not 42
  --> content/x.md:2:1
   |
 2 | title = 42
   | ^^^^^^^^^^
   = help: put the value in double quotes
"#
    );
}

#[test]
fn error_tags_not_strings() {
    assert_eq!(
        stderr_of("tags_not_strings"),
        r#"error: `tags` must be a list of strings, not [1,2]
  --> content/x.md:4:1
   |
 4 | tags = [1, 2]
   | ^^^^^^^^^^^^^
   = help: write it as ["a", "b"]
"#
    );
}

#[test]
fn error_draft_not_a_bool() {
    assert_eq!(
        stderr_of("draft_not_a_bool"),
        r#"error: `draft` must be true or false, not "yes"
  --> content/x.md:4:1
   |
 4 | draft = "yes"
   | ^^^^^^^^^^^^^
   = help: write true or false without quotes
"#
    );
}

#[test]
fn error_date_not_a_date() {
    assert_eq!(
        stderr_of("date_not_a_date"),
        r#"error: `date` must be a date
  --> content/x.md:3:1
   |
 3 | date = 20240426
   | ^^^^^^^^^^^^^^^
   = help: write the date as 4/26/2024 or 2024-04-26
"#
    );
}

#[test]
fn error_markdown_date_format() {
    assert_eq!(
        stderr_of("markdown_date_format"),
        r#"error: unknown date format "26 April 2024"
  --> content/x.md:3:1
   |
 3 | date: 26 April 2024
   | ^^^^^^^^^^^^^^^^^^^
   = help: write the date as 4/26/2024 or 2024-04-26
"#
    );
}

#[test]
fn error_no_title() {
    assert_eq!(
        stderr_of("no_title"),
        r#"error: the front matter has no `title`
  --> content/x.md:1:1
   |
 1 | +++
   | ^^^
   = help: add a line such as title = "Blinken meets with Xi"
"#
    );
}

#[test]
fn error_no_date() {
    assert_eq!(
        stderr_of("no_date"),
        r#"error: the front matter has no `date`
  --> content/x.md:1:1
   |
 1 | +++
   | ^^^
   = help: add a line such as date = 2024-04-26
"#
    );
}

#[test]
fn error_slug_without_letters() {
    assert_eq!(
        stderr_of("slug_without_letters"),
        r#"error: the article's slug has no letter or digit
  --> content/x.md
   = help: set `slug` in the front matter, or rename the file
"#
    );
}

#[test]
fn error_plain_no_title() {
    assert_eq!(
        stderr_of("plain_no_title"),
        r#"error: the briefing has no title line
  --> content/x.txt:1:1
   |
 1 | 
   | ^
   = help: put the title on the first line, then `Published Date: 4/26/2024` and `Source: domain`
"#
    );
}

#[test]
fn error_plain_header_line() {
    assert_eq!(
        stderr_of("plain_header_line"),
        r#"error: expected a `Key: value` header line or a blank line
  --> content/x.txt:3:1
   |
 3 | This line has no colon
   | ^^^^^^^^^^^^^^^^^^^^^^
   = help: leave a blank line between the header (Published Date, Source, Source URL, Tags, Author, Summary, Slug, Draft, License) and the body
"#
    );
}

#[test]
fn error_plain_unknown_header() {
    assert_eq!(
        stderr_of("plain_unknown_header"),
        r#"error: unknown header "writer"
  --> content/x.txt:3:1
   |
 3 | Writer: Jane
   | ^^^^^^
   = help: the header keys are Published Date, Source, Source URL, Tags, Author, Summary, Slug, Draft, License; leave a blank line before the body
"#
    );
}

#[test]
fn error_plain_no_date() {
    assert_eq!(
        stderr_of("plain_no_date"),
        r#"error: the briefing has no `Published Date:` line
  --> content/x.txt:2:1
   |
 2 | Source: axios.com
   | ^^^^^^^^^^^^^^^^^
   = help: add `Published Date: 4/26/2024` on the line after the title
"#
    );
}

#[test]
fn error_entity_no_name() {
    assert_eq!(
        stderr_of("entity_no_name"),
        r#"error: the registry entry has no `name`
  --> content/entities/x.md:1:1
   |
 1 | +++
   | ^^^
   = help: add name = "Antony Blinken" to the front matter
"#
    );
}

#[test]
fn error_entity_unknown_kind() {
    assert_eq!(
        stderr_of("entity_unknown_kind"),
        r#"error: unknown entity kind "animal"
  --> content/entities/x.md:3:1
   |
 3 | kind = "animal"
   | ^^^^^^^^^^^^^^^
   = help: use person, organization, place or other
"#
    );
}

#[test]
fn error_entity_unknown_key() {
    assert_eq!(
        stderr_of("entity_unknown_key"),
        r#"error: unknown key `birthday` in a registry entry
  --> content/entities/x.md:4:1
   |
 4 | birthday = "1970"
   | ^^^^^^^^^^^^^^^^^
   = help: the keys are name, kind, aliases, wikidata, url, image, slug
"#
    );
}

#[test]
fn error_entity_name_without_letters() {
    assert_eq!(
        stderr_of("entity_name_without_letters"),
        r#"error: the entity's name has no letter or digit to make its page's URL from
  --> content/entities/x.md:2:1
   |
 2 | name = "..."
   | ^^^^^^^^^^^^
   = help: give it a name (or a `slug`) with letters or digits
"#
    );
}

#[test]
fn error_template_missing_parent() {
    assert_eq!(
        stderr_of("template_missing_parent"),
        r#"error: Template 'article.html' is inheriting from 'nope.html', which doesn't exist or isn't loaded.
  --> templates
   = help: fix the template; the template context is documented in the README under "Template context"
"#
    );
}

#[test]
fn error_config_bad_value() {
    assert_eq!(
        stderr_of("config_bad_value"),
        r#"error: invalid type: string "no", expected a boolean
  --> config.toml:4:15
   |
 4 | unsafe_html = "no"
   |               ^^^^
   = help: fix the key or value; the config keys are listed in the README under "config.toml"
"#
    );
}

#[test]
fn error_config_bad_limit() {
    assert_eq!(
        stderr_of("config_bad_limit"),
        r#"error: invalid value: integer `-1`, expected u64
  --> config.toml:4:21
   |
 4 | max_article_bytes = -1
   |                     ^^
   = help: fix the key or value; the config keys are listed in the README under "config.toml"
"#
    );
}

#[test]
fn error_messages_of_commands_outside_a_build() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(gloss_in(dir.path(), &["init", "."]).code, 0);
    let run = gloss_in(dir.path(), &["init", "."]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: a site already exists here\n  --> ./config.toml\n   = help: choose an empty or new folder for `gloss init`\n"
        )
    );
    let run = gloss_in(dir.path(), &["new", "..."]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: the title \"...\" has no letter or digit to make a file name from\n  --> ./content\n   = help: give the article a title with words in it\n"
        )
    );
    assert_eq!(gloss_in(dir.path(), &["new", "Same title"]).code, 0);
    let run = gloss_in(dir.path(), &["new", "Same title"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: an article with this file name already exists\n  --> ./content/same-title.md\n   = help: pick another title, or edit the existing file\n"
        )
    );
    std::fs::write(dir.path().join("latin1.txt"), b"Caf\xe9\nPublished Date: 4/26/2024\n\nBody\n")
        .unwrap();
    let run = gloss_in(dir.path(), &["annotate", "latin1.txt"]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            1,
            "error: the file is not valid UTF-8\n  --> latin1.txt:1:4\n   |\n 1 | Caf\u{fffd}\n   |    ^\n   = help: save the file as UTF-8 (most editors have an \"encoding\" option)\n"
        )
    );
}

#[test]
fn error_messages_of_existing_cases_in_full() {
    for (case, expected) in [
        (
            "no_config",
            "error: no config.toml in .\n  --> config.toml\n   = help: run `gloss init DIR` to start a new site, or pass --root with the folder of an existing one\n",
        ),
        (
            "unknown_config_key",
            "error: unknown field `them`, expected one of `title`, `description`, `base_url`, `language`, `author`, `markdown`, `labels`, `annotate`, `feed_limit`, `search`, `limits`, `extra`\n  --> config.toml:2:1\n   |\n 2 | them = \"dark\"\n   | ^^^^\n   = help: fix the key or value; the config keys are listed in the README under \"config.toml\"\n",
        ),
        (
            "template_render",
            "error: template error: Field `no_such_field` is not defined. Available fields: authors, content, date, date_display, entities, extra, permalink, quotes, related, sections, source, source_url, speakers, summary, tags, title, url (while rendering content/ok.txt)\n  --> templates/article.html:3:13\n   |\n 3 | <h1>{{ page.no_such_field }}</h1>\n   |             ^^^^^^^^^^^^^\n   = help: fix the template; the template context is documented in the README under \"Template context\"\n",
        ),
    ] {
        assert_eq!(stderr_of(case), expected, "{case}");
    }
}
