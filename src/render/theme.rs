//! The default theme, embedded in the binary: one table of templates and
//! one of static files. A site's own `templates/` and `static/` override
//! these file by file.

/// The built-in templates: (name, text).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("404.html", include_str!("../../templates/404.html")),
    ("archive.html", include_str!("../../templates/archive.html")),
    ("article.html", include_str!("../../templates/article.html")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("atom_entry.xml", include_str!("../../templates/atom_entry.xml")),
    ("base.html", include_str!("../../templates/base.html")),
    ("callout.html", include_str!("../../templates/callout.html")),
    ("entities.html", include_str!("../../templates/entities.html")),
    ("entity.html", include_str!("../../templates/entity.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("pagination.html", include_str!("../../templates/pagination.html")),
    ("quotes.html", include_str!("../../templates/quotes.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("search_facets.html", include_str!("../../templates/search_facets.html")),
    ("source.html", include_str!("../../templates/source.html")),
    ("sources.html", include_str!("../../templates/sources.html")),
    ("summary.html", include_str!("../../templates/summary.html")),
    ("tag.html", include_str!("../../templates/tag.html")),
    ("tags.html", include_str!("../../templates/tags.html")),
];

/// The built-in static files: (path in the output, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    ("gloss.js", include_bytes!("../../static/gloss.js")),
    ("style.css", include_bytes!("../../static/style.css")),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(dir: &str, names: &[&str]) {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(&folder).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert!(
                names.contains(&name.as_str()),
                "{dir}/{name} is not in the embedded theme table"
            );
        }
    }

    #[test]
    fn every_theme_file_is_embedded() {
        listed("templates", &TEMPLATES.iter().map(|(n, _)| *n).collect::<Vec<_>>());
        listed("static", &STATIC.iter().map(|(n, _)| *n).collect::<Vec<_>>());
    }
}
