//! Building sites: the demo and the fixtures.

use crate::harness::*;

#[test]
fn demo_site_builds_and_its_index_links_every_article() {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let run = gloss_in(&repo(), &["build", "--output", output.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("Built 11 articles"), "{}", run.stderr);

    let index = std::fs::read_to_string(output.join("index.html")).unwrap();
    let articles: Vec<_> = std::fs::read_dir(output.join("articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(articles.len(), 11);
    for slug in &articles {
        let href = format!("href=\"/articles/{}/\"", slug.to_str().unwrap());
        assert!(index.contains(&href), "index does not link {href}");
    }
}

#[test]
fn seed_article_page_shows_title_date_source_labels_and_bullets() {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    let run = gloss_in(&repo(), &["build", "--output", output.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page =
        std::fs::read_to_string(output.join("articles/000-69bf82de41c060fe/index.html")).unwrap();
    assert!(page.contains(
        "<h1>Blinken meets with Xi, as U.S. objects to China&#39;s support of Russia</h1>"
    ));
    assert!(page.contains("<time datetime=\"2024-04-26\">"));
    assert!(page.contains(">axios.com</a>"));
    for (label, id) in [
        ("Why it matters", "why-it-matters"),
        ("Driving the news", "driving-the-news"),
        ("Zoom out", "zoom-out"),
        ("The other side", "the-other-side"),
        ("The big picture", "the-big-picture"),
    ] {
        let block = format!("<section class=\"brief-block\" id=\"{id}\"");
        assert!(page.contains(&block), "no labelled block {id}");
        assert!(page.contains(&format!("id=\"{id}-label\">{label}:</strong>")), "no label {label}");
    }
    let body = between(&page, "<div class=\"body\">", "<footer class=\"briefing-foot\"");
    assert_eq!(body.matches("<li>").count(), 11, "{body}");
}

#[test]
fn fixture_site_renders_both_formats_under_a_base_path() {
    let site = Fixture::copy("sites", "basic");
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plain = site.read("public/articles/plain/index.html");
    // Plain text is never markup.
    assert!(
        plain.contains(
            "Text with &lt;script&gt;alert(1)&lt;/script&gt; and *stars* shown as written."
        ),
        "{plain}"
    );
    assert!(plain.contains("<h1>A &lt;b&gt;plain&lt;/b&gt; briefing &amp; more</h1>"));
    assert!(plain.contains("<li>First bullet</li>\n<li>Second bullet</li>"));
    // Everything lives under the base path.
    assert!(plain.contains("href=\"/briefings/style.css\""));
    let md = site.read("public/articles/markdown-article/index.html");
    assert!(md.contains("<em>first</em>"));
    assert!(
        md.contains(
            "<pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-source hl-rust\">"
        ),
        "{md}"
    );
    assert!(md.contains(
        "<a class=\"source\" href=\"https://example.org/geneva\" rel=\"external\">example.org</a>"
    ));
    assert!(md.contains(
        "<link rel=\"canonical\" href=\"https://example.org/briefings/articles/markdown-article/\">"
    ));
    // Drafts are left out, tags and sources get pages, newest first on the index.
    assert!(!site.path().join("public/articles/draft").exists());
    assert!(site.read("public/tags/diplomacy/index.html").contains("Ministers meet in Geneva"));
    assert!(site.read("public/sources/example-com/index.html").contains("briefing &amp; more"));
    let index = site.read("public/index.html");
    assert!(index.find("Ministers meet").unwrap() < index.find("briefing &amp; more").unwrap());
    for file in
        ["404.html", "atom.xml", "archive/index.html", "style.css", "syntax.css", "gloss.js"]
    {
        assert!(site.path().join("public").join(file).exists(), "{file} missing");
    }
}

#[test]
fn drafts_flag_includes_drafts_and_base_url_flag_overrides_config() {
    let site = Fixture::copy("sites", "basic");
    let run = site.gloss(&["build", "--drafts", "--base-url", "https://news.example.com/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let draft = site.read("public/articles/draft/index.html");
    assert!(draft.contains("href=\"/style.css\""));
    assert!(draft.contains("https://news.example.com/articles/draft/"));
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let site = Fixture::copy("sites", "basic");
    site.write("templates/404.html", "{% extends \"base.html\" %}{% block content %}<p>Lost: {{ site.title }}</p>{% endblock content %}");
    site.write("static/style.css", "body { color: red }");
    site.write("static/logo.svg", "<svg/>");
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/404.html").contains("<p>Lost: Fixture briefings</p>"));
    assert_eq!(site.read("public/style.css"), "body { color: red }");
    assert_eq!(site.read("public/logo.svg"), "<svg/>");
}

#[test]
fn safe_prints_markup_as_is_and_other_values_as_text() {
    let site = Fixture::copy("sites", "basic");
    site.write(
        "templates/404.html",
        "{% set x = \"<em>hi</em>\" %}[{{ x | safe }}|{{ 3 | safe }}|{{ x }}]",
    );
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/404.html").contains("[<em>hi</em>|3|&lt;em&gt;hi&lt;/em&gt;]"));
}

#[test]
fn lists_show_summary_html_as_rendered_for_each_article() {
    let site = Fixture::copy("sites", "basic");
    site.write("templates/summary.html", "<li>{{ item.title }} in {{ site.title }}</li>");
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = "<li>Ministers meet in Geneva in Fixture briefings</li>";
    assert!(site.read("public/index.html").contains(summary));
    assert!(site.read("public/tags/diplomacy/index.html").contains(summary));

    // Rendered once, apart from any page: the lists print that.
    site.write(
        "templates/summary.html",
        "<li>{% if current_path is defined %}on a page{% else %}apart{% endif %}</li>",
    );
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/index.html").contains("<li>apart</li>"));
    assert!(site.read("public/tags/diplomacy/index.html").contains("<li>apart</li>"));

    // A summary that needs the page it is on is rendered on each page.
    site.write("templates/summary.html", "<li>{{ item.title }} on {{ current_path }}</li>");
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let on = |page: &str| format!("<li>Ministers meet in Geneva on /briefings/{page}</li>");
    assert!(site.read("public/index.html").contains(&on("")));
    assert!(site.read("public/tags/diplomacy/index.html").contains(&on("tags/diplomacy/")));

    // A broken one is reported as every template error is.
    site.write("templates/summary.html", "<li>{{ item.no_such_field }}</li>");
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("Field `no_such_field` is not defined"), "{}", run.stderr);
    assert!(run.stderr.contains("--> templates/summary.html:1:"), "{}", run.stderr);
}

#[test]
fn feeds_print_each_entry_as_rendered_once_for_its_article() {
    let site = Fixture::copy("sites", "basic");
    site.write(
        "templates/atom_entry.xml",
        "<entry>{{ page.title }} in {{ site.title }}{% if page.content %}, full{% endif %}</entry>\n",
    );
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let entry = "<entry>Ministers meet in Geneva in Fixture briefings</entry>";
    assert!(site.read("public/tags/diplomacy/atom.xml").contains(entry));
    assert!(site.read("public/entities/geneva/atom.xml").contains(entry));
    // The site feed's entries carry their content, so each is rendered in it.
    let full = "<entry>Ministers meet in Geneva in Fixture briefings, full</entry>";
    assert!(site.read("public/atom.xml").contains(full));

    // Rendered once, apart from any feed: only the site feed's entries,
    // with their content, are rendered inside it.
    site.write(
        "templates/atom_entry.xml",
        "<entry>{% if feed_title is defined %}inside{% else %}apart{% endif %}</entry>\n",
    );
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(site.read("public/tags/diplomacy/atom.xml").contains("<entry>apart</entry>"));
    assert!(site.read("public/atom.xml").contains("<entry>inside</entry>"));

    // An entry that needs the feed it is in is rendered in each feed.
    site.write("templates/atom_entry.xml", "<entry>{{ page.title }} in {{ feed_title }}</entry>\n");
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tag = site.read("public/tags/diplomacy/atom.xml");
    assert!(
        tag.contains("<entry>Ministers meet in Geneva in Diplomacy · Fixture briefings</entry>")
    );

    // A broken one is reported as every template error is.
    site.write("templates/atom_entry.xml", "<entry>{{ page.no_such_field }}</entry>\n");
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("Field `no_such_field` is not defined"), "{}", run.stderr);
    assert!(run.stderr.contains("--> templates/atom_entry.xml:1:"), "{}", run.stderr);
}

#[test]
fn a_loop_over_front_matter_extras_goes_in_key_order_every_build() {
    let site = Fixture::copy("sites", "basic");
    site.write(
        "content/extras.md",
        "+++\ntitle = \"Extras\"\ndate = 2024-05-03\nzeta = 6\nbeta = 2\nepsilon = 5\n\
         alpha = 1\ndelta = 4\ngamma = 3\n+++\n\nText.\n",
    );
    site.write(
        "templates/article.html",
        "{% for key, value in page.extra %}[{{ key }}={{ value }}]{% endfor %}",
    );
    let expected = "[alpha=1][beta=2][delta=4][epsilon=5][gamma=3][zeta=6]";
    // Each build is a new process: an order that came from hashing would
    // change from one build to the next, and every page with it.
    for _ in 0..3 {
        std::fs::remove_dir_all(site.path().join("public")).ok();
        let run = site.gloss(&["build"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(site.read("public/articles/extras/index.html"), expected);
    }
}

#[test]
fn an_entity_template_sees_each_articles_summary_and_how_the_entity_appears() {
    let site = Fixture::copy("sites", "basic");
    site.write(
        "templates/entity.html",
        "{% for item in articles %}[{{ item.article.title }}|{{ item.article.url }}|\
         {{ item.article.date }}|{{ item.article.source.name }}|{{ item.mentions }}|\
         {{ item.sentence | safe }}|{{ item.article.html is defined }}]{% endfor %}",
    );
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Named once, in the title: the title is the sentence of that mention.
    assert_eq!(
        site.read("public/entities/geneva/index.html"),
        "[Ministers meet in Geneva|/briefings/articles/markdown-article/|2024-05-02|\
         example.org|1|Ministers meet in <mark>Geneva</mark>|true]"
    );
}

#[test]
fn version_and_help_work_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let version = gloss_in(dir.path(), &["--version"]);
    assert_eq!(version.code, 0);
    assert!(version.stdout.starts_with("gloss "));
    let help = gloss_in(dir.path(), &["--help"]);
    assert!(help.stdout.contains("build") && help.stdout.contains("init"));
    assert_eq!(gloss_in(dir.path(), &["build", "--no-such-flag"]).code, 2);
}

#[test]
fn rebuild_of_an_unchanged_site_writes_nothing_and_removes_what_went() {
    let site = Fixture::copy("sites", "basic");
    let first = site.gloss(&["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let page = site.path().join("public/articles/plain/index.html");
    let stamp = std::fs::metadata(&page).unwrap().modified().unwrap();
    let second = site.gloss(&["build"]);
    assert!(
        second.stderr.starts_with("Nothing changed since the last build: "),
        "{}",
        second.stderr
    );
    assert_eq!(stamp, std::fs::metadata(&page).unwrap().modified().unwrap());
    // A change rewrites only the files whose bytes differ.
    let text =
        site.read("content/markdown-article.md").replace("opened on Thursday", "opened on Friday");
    site.write("content/markdown-article.md", &text);
    let third = site.gloss(&["build"]);
    assert!(third.stderr.contains(" written) into "), "{}", third.stderr);
    let written: usize =
        third.stderr.split(" files, ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    assert!(written > 0 && written < 10, "{}", third.stderr);
    assert_eq!(stamp, std::fs::metadata(&page).unwrap().modified().unwrap());
    // A file removed from public/ by hand is noticed and written again.
    std::fs::remove_file(&page).unwrap();
    assert_eq!(site.gloss(&["build"]).code, 0);
    assert!(page.exists());
    // An article removed from content/ leaves public/ too.
    std::fs::remove_file(site.path().join("content/plain.txt")).unwrap();
    assert_eq!(site.gloss(&["build"]).code, 0);
    assert!(!site.path().join("public/articles/plain").exists());
    assert!(site.path().join("public/articles/markdown-article/index.html").exists());
}

#[test]
fn a_rebuilt_gloss_builds_an_unchanged_site_again() {
    // The same version, built again: its output may differ from the last.
    let dir = tempfile::tempdir().unwrap();
    let exe = dir.path().join("gloss");
    std::fs::copy(env!("CARGO_BIN_EXE_gloss"), &exe).unwrap();
    let site = Fixture::copy("sites", "basic");
    let build = || {
        let out = std::process::Command::new(&exe).arg("build").current_dir(site.path()).output();
        String::from_utf8(out.unwrap().stderr).unwrap()
    };
    assert!(build().starts_with("Built "));
    assert!(build().starts_with("Nothing changed since the last build: "));
    let file = std::fs::File::options().write(true).open(&exe).unwrap();
    file.set_modified(std::time::SystemTime::UNIX_EPOCH).unwrap();
    // Closed first: Linux will not run a file that is open for writing.
    drop(file);
    let again = build();
    assert!(again.starts_with("Built "), "{again}");
}

#[test]
fn each_entity_page_shows_the_quotes_of_the_briefings_it_lists() {
    let site = Fixture::copy("sites", "basic");
    for n in 0..32 {
        site.write(
            &format!("content/q{n:02}.txt"),
            &format!(
                "Budget talks, round {n}\nPublished Date: {}/{}/2020\n\n\"Round {n} of the talks went well enough,\" said Finance Minister Rita Oduya.\n",
                n / 28 + 1,
                n % 28 + 1
            ),
        );
    }
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let quotes = |page: &str| -> Vec<String> {
        let html = site.read(page);
        let section = between(&html, "<section class=\"entity-quotes\">", "</section>");
        section.split("<p>Round ").skip(1).map(|q| q.split(' ').next().unwrap().into()).collect()
    };
    // The 30 newest briefings are on the first page, with their quotes.
    let first = quotes("public/entities/rita-oduya/index.html");
    assert_eq!(first.len(), 30);
    assert_eq!(first.first().map(String::as_str), Some("31"));
    assert!(!first.contains(&"1".to_string()) && !first.contains(&"0".to_string()));
    assert_eq!(quotes("public/entities/rita-oduya/page/2/index.html"), ["1", "0"]);
}

#[test]
fn front_page_is_paginated() {
    let site = Fixture::copy("sites", "basic");
    for n in 0..40 {
        site.write(
            &format!("content/n{n:02}.txt"),
            &format!("Briefing number {n}\nPublished Date: 1/{}/2020\n\nText.\n", n % 28 + 1),
        );
    }
    let run = site.gloss(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = site.read("public/index.html");
    assert_eq!(first.matches("<article class=\"summary\">").count(), 30);
    assert!(first.contains("<a rel=\"next\" href=\"/briefings/page/2/\">"));
    let second = site.read("public/page/2/index.html");
    assert_eq!(second.matches("<article class=\"summary\">").count(), 12);
    assert!(second.contains("<a rel=\"prev\" href=\"/briefings/\">"));
}
