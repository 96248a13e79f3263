//! `gloss init` and `gloss new`: start a site, start an article.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::slug::slugify;

const CONFIG: &str = r#"title = "My briefings"
description = "Annotated briefings"
base_url = "/"
language = "en"

[annotate]
# Link the "first" mention of each person, organization and place, "all" of them, or "none".
link = "first"
"#;

const SAMPLE: &str = "Welcome to your briefing site
Published Date: {date}
Source: example.org

Your first briefing. Edit this file in content/, or add more .txt or .md files beside it.

Why it matters: gloss finds the people, organizations and places in each briefing and gives each a page.

  • \"Every quote becomes a callout with its speaker,\" Ada Lovelace said Tuesday.
";

/// Creates a new site in `dir`: config.toml and one sample briefing.
pub fn init(dir: &Path, today: jiff::civil::Date) -> Result<()> {
    let config = dir.join(crate::config::FILE_NAME);
    if config.exists() {
        return Err(Diagnostic::new(config, "a site already exists here")
            .help("choose an empty or new folder for `gloss init`")
            .into());
    }
    let content = dir.join(crate::content::CONTENT_DIR);
    fs::create_dir_all(&content).map_err(|e| Error::io("create folder", &content, e))?;
    fs::write(&config, CONFIG).map_err(|e| Error::io("write", &config, e))?;
    let sample = content.join("welcome.txt");
    let date = format!("{}/{}/{}", today.month(), today.day(), today.year());
    fs::write(&sample, SAMPLE.replace("{date}", &date))
        .map_err(|e| Error::io("write", &sample, e))?;
    Ok(())
}

/// Creates `content/<slug>.md` for a new article dated `today`, and
/// returns its path.
pub fn new_article(root: &Path, title: &str, today: jiff::civil::Date) -> Result<PathBuf> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::new(
            root.join("content"),
            format!("the title \"{title}\" has no letter or digit to make a file name from"),
        )
        .help("give the article a title with words in it")
        .into());
    }
    let content = root.join(crate::content::CONTENT_DIR);
    fs::create_dir_all(&content).map_err(|e| Error::io("create folder", &content, e))?;
    let path = content.join(format!("{slug}.md"));
    if path.exists() {
        return Err(Diagnostic::new(&path, "an article with this file name already exists")
            .help("pick another title, or edit the existing file")
            .into());
    }
    let escaped = title.replace('\\', "\\\\").replace('"', "\\\"");
    let text = format!(
        "+++\ntitle = \"{escaped}\"\ndate = {today}\nsource = \"\"\ntags = []\ndraft = true\n+++\n\nWhy it matters: \n"
    );
    fs::write(&path, text).map_err(|e| Error::io("write", &path, e))?;
    Ok(path)
}
