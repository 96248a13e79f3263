//! What a value from content may become where it is placed: URLs that are
//! safe in `href` and `src`, text that is valid in XML, and the sanitised
//! HTML of registry descriptions and (with `[markdown] unsafe_html =
//! false`) article bodies.
//!
//! Text in templates is escaped by Tera's autoescape (`.html`, `.xml`) and
//! JSON-LD by [`super::jsonld::script_safe`]; this module covers what
//! escaping alone cannot: a well-escaped `javascript:` URL still runs.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The URL schemes a link or image from content may use.
const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The URL as it may be placed in an `href` or `src`, or `None` when it
/// would run script or embed data: any scheme other than http, https,
/// mailto and tel (`javascript:`, `data:`, `vbscript:`, `file:` ...) is
/// dropped, as is any URL holding a control character (browsers strip tabs
/// and line breaks, so `java\tscript:` is `javascript:`). Relative URLs,
/// fragments and `//host/` URLs pass. Surrounding whitespace is trimmed.
pub fn safe_url(url: &str) -> Option<&str> {
    let url = url.trim();
    if url.is_empty() || url.chars().any(char::is_control) {
        return None;
    }
    // A scheme is what comes before the first `:` when no `/`, `?` or `#`
    // comes before it (RFC 3986); anything else is a relative reference.
    let end = url.find([':', '/', '?', '#']);
    match end.and_then(|i| url.get(i..i + 1).map(|c| (i, c))) {
        Some((i, ":")) => {
            let scheme = url.get(..i).unwrap_or("").to_ascii_lowercase();
            SAFE_SCHEMES.contains(&scheme.as_str()).then_some(url)
        }
        _ => Some(url),
    }
}

/// [`safe_url`] over an optional value.
pub fn safe_url_opt(url: Option<&str>) -> Option<&str> {
    url.and_then(safe_url)
}

/// Whether XML 1.0 can hold the character at all.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The text without the characters XML 1.0 forbids (most C0 controls and
/// U+FFFE/U+FFFF), so a title holding one cannot make a feed unreadable.
/// Escaping is the template's job; this only removes what no escape allows.
pub fn xml_text(text: String) -> String {
    // Decoding every character of a feed costs more than rendering it: in
    // UTF-8 the forbidden characters are bytes below 0x20 and the sequences
    // EF BF BE/BF, so a byte scan tells whether any is there.
    let bytes = text.as_bytes();
    // Whole chunks without an early exit, so the compiler can use SIMD.
    let control = |chunk: &[u8]| {
        chunk.iter().fold(false, |seen, &b| {
            seen | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
        })
    };
    let suspect =
        bytes.chunks(256).any(control) || memchr::memmem::find(bytes, b"\xEF\xBF").is_some();
    if !suspect || text.chars().all(is_xml_char) {
        text
    } else {
        text.chars().filter(|&c| is_xml_char(c)).collect()
    }
}

/// The attributes gloss's own markup carries, kept by the sanitiser.
const KEPT_ATTRIBUTES: [&str; 11] = [
    "class",
    "id",
    "data-entity",
    "data-kind",
    "data-lang",
    "aria-label",
    "aria-labelledby",
    "role",
    "align",
    "start",
    "type",
];

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        let schemes: HashSet<&str> = SAFE_SCHEMES.into_iter().collect();
        builder
            .add_tags(["section", "aside", "figure", "figcaption", "input", "mark"])
            .add_generic_attributes(KEPT_ATTRIBUTES)
            .add_tag_attributes("input", ["checked", "disabled"])
            .url_schemes(schemes)
            // gloss's own links carry no rel; adding one would change every page.
            .link_rel(None);
        builder
    })
}

/// HTML with everything that can run script removed (`<script>`, `<style>`,
/// `<iframe>`, `on*` attributes, `javascript:` URLs ...), keeping the
/// markup gloss itself writes: ids (footnotes, quote anchors, labelled
/// blocks), classes and the data attributes of entity links.
pub fn sanitise_html(html: &str) -> String {
    sanitiser().clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_are_dropped_and_web_urls_pass() {
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox",
            "file:///etc/passwd",
            "",
            "\u{1}https://x",
        ] {
            assert_eq!(safe_url(bad), None, "{bad:?}");
        }
        for good in [
            "https://example.org/a?b=c:d",
            "http://x",
            "/images/a.jpg",
            "images/a:b.jpg",
            "#top",
            "//cdn.example.org/x.png",
            "mailto:a@b.c",
            "?q=javascript:x",
        ] {
            assert_eq!(safe_url(good), Some(good), "{good:?}");
        }
    }

    #[test]
    fn xml_text_drops_what_xml_forbids() {
        assert_eq!(xml_text("a\u{1}b\u{FFFF}c\td".into()), "abc\td");
        assert_eq!(xml_text("plain".into()), "plain");
        // Past the first chunk of the byte scan, and U+FFFE alone.
        let long = format!("{}\u{1F}{}\u{FFFE}.", "x".repeat(300), "é".repeat(200));
        assert_eq!(xml_text(long), format!("{}{}.", "x".repeat(300), "é".repeat(200)));
        // Characters whose UTF-8 starts like U+FFFF's are kept.
        assert_eq!(xml_text("\u{FFFD}\u{FFEE}".into()), "\u{FFFD}\u{FFEE}");
    }

    #[test]
    fn sanitiser_keeps_gloss_markup_and_drops_script() {
        let html = "<section class=\"brief-block\" id=\"why\"><p><a class=\"entity entity-person\" href=\"/entities/x/\" data-entity=\"x\" data-kind=\"person\">X</a><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup><img src=\"javascript:alert(1)\" onerror=\"alert(1)\"><script>alert(1)</script></p></section>";
        assert_eq!(
            sanitise_html(html),
            "<section class=\"brief-block\" id=\"why\"><p><a class=\"entity entity-person\" href=\"/entities/x/\" data-entity=\"x\" data-kind=\"person\">X</a><sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup><img></p></section>"
        );
    }
}
