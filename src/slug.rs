//! The one slug function: every URL path segment made from content (article
//! slugs, tags, sources, entity names) goes through [`slugify`], so nothing
//! from content can steer a path outside the output folder.

/// Turns any text into a lower-case ASCII slug of letters, digits and single
/// hyphens ("Xi Jinping" → "xi-jinping", "Ürümqi" → "urumqi", "../x" → "x").
/// Returns an empty string when the text has no letter or digit at all.
pub fn slugify(text: &str) -> String {
    // Most slugs are plain ASCII already: skip transliteration for them.
    let ascii = if text.is_ascii() {
        std::borrow::Cow::Borrowed(text)
    } else {
        deunicode::deunicode(text).into()
    };
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            // "Axios' request", "People's Army": apostrophes vanish rather than split words.
        } else {
            pending_hyphen = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_are_lowercase_ascii_with_single_hyphens() {
        assert_eq!(slugify("Xi Jinping"), "xi-jinping");
        assert_eq!(slugify("  U.S.  Treasury "), "u-s-treasury");
        assert_eq!(slugify("Íngrid Betancourt"), "ingrid-betancourt");
        assert_eq!(slugify("Korean People's Army"), "korean-peoples-army");
    }

    #[test]
    fn path_tricks_lose_their_meaning() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("/absolute/path"), "absolute-path");
        assert_eq!(slugify("..."), "");
    }
}
