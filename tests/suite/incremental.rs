//! Incremental rebuilds (issue 5): after any sequence of edits, a rebuild
//! told only which files changed (as the dev server's watcher tells it)
//! gives exactly the pages of a clean build of the same tree. Each step
//! edits articles, templates or the registry in a way that touches a
//! different part of the fingerprints: bodies, titles and dates (lists),
//! mentions and quotes (entity pages and the quote index), tags, new and
//! deleted files.

use std::path::{Path, PathBuf};

use gloss::build::{self, Cache, Options};
use gloss::render::Page;
use proptest::prelude::*;

const ARTICLES: usize = 6;

/// One article, from its number and the state the edits left it in.
#[derive(Debug, Clone)]
struct Article {
    title: String,
    day: u32,
    tags: Vec<&'static str>,
    paragraphs: Vec<&'static str>,
}

impl Article {
    fn new(n: usize) -> Article {
        Article {
            title: format!("Briefing number {n}"),
            day: 1 + (n as u32 % 3),
            tags: vec![["trade", "energy", "security"][n % 3]],
            paragraphs: vec![
                "**Why it matters:** Antony Blinken met Wang Yi in Beijing on Friday.",
                "\"We have made progress,\" Blinken said after the talks.",
                "The European Union and NATO watched the meeting closely.",
            ],
        }
    }

    fn text(&self) -> String {
        let tags: Vec<String> = self.tags.iter().map(|t| format!("\"{t}\"")).collect();
        format!(
            "+++\ntitle = \"{}\"\ndate = 2024-05-{:02}\ntags = [{}]\n+++\n\n{}\n",
            self.title,
            self.day,
            tags.join(", "),
            self.paragraphs.join("\n\n")
        )
    }
}

/// What one step of a sequence does.
#[derive(Debug, Clone)]
enum Edit {
    /// A paragraph with no names in it.
    AddParagraph(usize),
    /// A sentence naming new people and places.
    AddNames(usize),
    /// A quote with its speaker.
    AddQuote(usize),
    /// Reword the sentence holding first mentions.
    Reword(usize),
    Retitle(usize),
    Redate(usize),
    Retag(usize),
    Delete(usize),
    Restore(usize),
    /// The site's own index template.
    Template,
    /// A template with a syntax error: both builds fail, and the next
    /// template edit mends it.
    BreakTemplate,
    /// A stylesheet of the site.
    Static,
    /// A registry entry's description.
    Registry,
}

fn edit() -> impl Strategy<Value = Edit> {
    let article = 0..ARTICLES;
    prop_oneof![
        article.clone().prop_map(Edit::AddParagraph),
        article.clone().prop_map(Edit::AddNames),
        article.clone().prop_map(Edit::AddQuote),
        article.clone().prop_map(Edit::Reword),
        article.clone().prop_map(Edit::Retitle),
        article.clone().prop_map(Edit::Redate),
        article.clone().prop_map(Edit::Retag),
        article.clone().prop_map(Edit::Delete),
        article.prop_map(Edit::Restore),
        Just(Edit::Template),
        Just(Edit::BreakTemplate),
        Just(Edit::Static),
        Just(Edit::Registry),
    ]
}

struct Site {
    dir: tempfile::TempDir,
    articles: Vec<Option<Article>>,
    edits: usize,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/entities")).unwrap();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        std::fs::write(
            root.join("config.toml"),
            "title = \"Incremental\"\nbase_url = \"https://example.org/\"\n\n[search]\nenabled = false\n",
        )
        .unwrap();
        let mut site = Site { dir, articles: Vec::new(), edits: 0 };
        site.write_registry();
        for n in 0..ARTICLES {
            site.articles.push(Some(Article::new(n)));
            site.write_article(n);
        }
        site
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn article_path(n: usize) -> PathBuf {
        PathBuf::from(format!("content/briefing-{n}.md"))
    }

    fn write_article(&self, n: usize) -> PathBuf {
        let path = Site::article_path(n);
        match &self.articles[n] {
            Some(article) => std::fs::write(self.root().join(&path), article.text()).unwrap(),
            // Already gone when deleted twice.
            None => {
                let _ = std::fs::remove_file(self.root().join(&path));
            }
        }
        path
    }

    fn write_registry(&self) -> PathBuf {
        let path = PathBuf::from("content/entities/antony-blinken.md");
        let text = format!(
            "+++\nname = \"Antony Blinken\"\nkind = \"person\"\naliases = [\"Blinken\"]\n+++\n\nU.S. Secretary of State, edit {}.\n",
            self.edits
        );
        std::fs::write(self.root().join(&path), text).unwrap();
        path
    }

    /// Applies an edit and returns the paths it changed.
    fn apply(&mut self, edit: &Edit) -> Vec<PathBuf> {
        self.edits += 1;
        let n = match edit {
            Edit::Template => {
                let path = PathBuf::from("templates/index.html");
                let text = format!(
                    "{{% extends \"base.html\" %}}{{% block content %}}<p>Edit {}</p>{{% for page in pages %}}<a href=\"{{{{ page.url }}}}\">{{{{ page.title }}}}</a>{{% endfor %}}{{% endblock content %}}",
                    self.edits
                );
                std::fs::write(self.root().join(&path), text).unwrap();
                return vec![path];
            }
            Edit::BreakTemplate => {
                let path = PathBuf::from("templates/index.html");
                std::fs::write(self.root().join(&path), "{% if %}").unwrap();
                return vec![path];
            }
            Edit::Static => {
                let path = PathBuf::from("static/extra.css");
                std::fs::create_dir_all(self.root().join("static")).unwrap();
                std::fs::write(self.root().join(&path), format!("/* {} */", self.edits)).unwrap();
                return vec![path];
            }
            Edit::Registry => return vec![self.write_registry()],
            Edit::AddParagraph(n)
            | Edit::AddNames(n)
            | Edit::AddQuote(n)
            | Edit::Reword(n)
            | Edit::Retitle(n)
            | Edit::Redate(n)
            | Edit::Retag(n)
            | Edit::Delete(n)
            | Edit::Restore(n) => *n,
        };
        let edits = self.edits;
        let slot = &mut self.articles[n];
        match (edit, slot.as_mut()) {
            (Edit::Restore(_), None) => *slot = Some(Article::new(n)),
            (Edit::Delete(_), Some(_)) => *slot = None,
            (Edit::AddParagraph(_), Some(a)) => a.paragraphs.push("Nothing more was said."),
            (Edit::AddNames(_), Some(a)) => {
                a.paragraphs.push("Olaf Scholz later spoke with Emmanuel Macron in Paris.")
            }
            (Edit::AddQuote(_), Some(a)) => {
                a.paragraphs.push("\"The talks were useful,\" Wang Yi told reporters.")
            }
            (Edit::Reword(_), Some(a)) => {
                a.paragraphs[0] =
                    "**Why it matters:** Antony Blinken flew to Beijing to meet Wang Yi."
            }
            (Edit::Retitle(_), Some(a)) => a.title = format!("Briefing retitled at edit {edits}"),
            (Edit::Redate(_), Some(a)) => a.day = 1 + (edits as u32 % 28),
            (Edit::Retag(_), Some(a)) => a.tags.push(["diplomacy", "china"][edits % 2]),
            // Deleting a deleted article or restoring a present one: a save
            // with no change.
            _ => {}
        }
        vec![self.write_article(n)]
    }
}

fn sorted(mut pages: Vec<Page>) -> Vec<Page> {
    pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    pages
}

fn first_difference(cached: &[Page], clean: &[Page]) -> String {
    for (a, b) in cached.iter().zip(clean) {
        if a != b {
            return format!(
                "{} differs:\n--- incremental\n{}\n--- clean\n{}",
                a.path,
                String::from_utf8_lossy(&a.bytes),
                String::from_utf8_lossy(&b.bytes)
            );
        }
    }
    let paths = |pages: &[Page]| pages.iter().map(|p| p.path.clone()).collect::<Vec<_>>();
    format!("the page lists differ:\n{:?}\n{:?}", paths(cached), paths(clean))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn rebuilds_told_what_changed_equal_clean_builds(edits in prop::collection::vec(edit(), 1..10)) {
        let mut site = Site::new();
        let options = Options { root: site.root().to_path_buf(), ..Options::default() };
        let mut cache = Cache::new();
        let first = build::build_cached(&options, &mut cache).unwrap();
        cache.reclaim(first.site);
        for edit in &edits {
            let changed = site.apply(edit);
            cache.changed(&changed);
            let (cached, clean) = match (build::build_cached(&options, &mut cache), build::build(&options)) {
                (Ok(cached), Ok(clean)) => (cached, clean),
                (Err(a), Err(b)) => {
                    prop_assert_eq!(a.to_string(), b.to_string());
                    continue;
                }
                (a, b) => panic!("after {edit:?} of {edits:?}: {:?} but a clean build: {:?}", a.err(), b.err()),
            };
            let pages = sorted(cached.pages);
            cache.reclaim(cached.site);
            prop_assert!(pages == clean.pages, "after {edit:?} of {edits:?}: {}", first_difference(&pages, &clean.pages));
        }
    }
}
