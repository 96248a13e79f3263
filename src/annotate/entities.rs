//! Entities: find the people, organizations and places in an article's
//! blocks, from the registry and by discovery, with coreference.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use serde::{Deserialize, Serialize};

use super::gazetteer::{self, Classes, Form, Known};
use super::{BlockKind, TextBlock};

/// The kind of an entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A named person.
    Person,
    /// A company, government body, party, medium, ...
    Organization,
    /// A country, city, region, geographic feature or named facility.
    Place,
    /// Anything else a registry names.
    Other,
}

impl EntityKind {
    /// Its name in templates, CSS classes and JSON (`person`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Other => "other",
        }
    }
}

/// One entry of the site's entity registry, as the annotator needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryEntry {
    /// The entity id (the slug of its page).
    pub id: String,
    /// The canonical name.
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Other names it goes by in text ("Blinken", "U.S.").
    pub aliases: Vec<String>,
}

/// The longest registry name or alias matched in text, in bytes; longer
/// ones still name the entity's page but are never looked for (issue 8).
pub const MAX_NAME_BYTES: usize = 256;

/// The registry's names, compiled once per build for matching.
#[derive(Debug, Default)]
pub struct Registry {
    entries: Vec<RegistryEntry>,
    /// Every name and alias, leftmost-longest; `None` when there are none.
    matcher: Option<AhoCorasick>,
    /// For each pattern of `matcher`, the index of its entry.
    pattern_entry: Vec<usize>,
}

impl Registry {
    /// Compiles the registry's names and aliases for matching.
    pub fn new(entries: Vec<RegistryEntry>) -> Registry {
        let mut patterns: Vec<&str> = Vec::new();
        let mut pattern_entry = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            for name in std::iter::once(&e.name).chain(&e.aliases) {
                let name = name.trim();
                // Building the automaton is quadratic in a pattern's length
                // (a 12 KB name took seconds): no real name is this long.
                if !name.is_empty() && name.len() <= MAX_NAME_BYTES {
                    patterns.push(name);
                    pattern_entry.push(i);
                }
            }
        }
        let matcher = if patterns.is_empty() {
            None
        } else {
            AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok()
        };
        Registry { entries, matcher, pattern_entry }
    }

    /// The entries, in the order given.
    pub fn entries(&self) -> &[RegistryEntry] {
        &self.entries
    }

    /// Whether `surface` is entry `entry`'s one-word alias for a person's
    /// family name, at either end of the full name: "Lindqvist" for
    /// "Sigrid Lindqvist", "Wang" for "Wang Wenbin".
    fn is_family_name_alias(&self, entry: usize, surface: &str) -> bool {
        self.entries.get(entry).is_some_and(|e| {
            let mut words = e.name.split_whitespace();
            let (first, last) = (words.next(), words.next_back());
            e.kind == EntityKind::Person
                && !surface.contains(char::is_whitespace)
                && last.is_some()
                && (first == Some(surface) || last == Some(surface))
        })
    }

    /// Whether the family name alias at `range` of `text` comes with a
    /// given name other than the entry's own: "Ingrid Lindqvist" for
    /// Sigrid, "Wang Hui" for Wang Wenbin (a registered middle name is the
    /// entry's own).
    fn names_someone_else(&self, entry: usize, text: &str, range: &Range<usize>) -> bool {
        let Some(e) = self.entries.get(entry) else { return false };
        let own = |w: &str| e.name.split_whitespace().any(|n| n == w);
        let given = if e.name.starts_with(text.get(range.clone()).unwrap_or_default()) {
            word_after(text, range.end)
        } else {
            word_before(text, range.start)
        };
        given.is_some_and(|w| could_be_given_name(w) && !own(w))
    }

    /// Registry matches in `text` on word boundaries: (byte range, entry index).
    fn matches(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let Some(matcher) = &self.matcher else { return Vec::new() };
        let mut found = Vec::new();
        let mut at = 0;
        while at < text.len() {
            let input = Input::new(text).span(at..text.len());
            let Some(m) = matcher.find(input) else { break };
            let entry = self.pattern_entry.get(m.pattern().as_usize()).copied();
            if let Some(entry) = entry.filter(|_| on_word_boundaries(text, m.start(), m.end())) {
                found.push((m.start()..m.end(), entry));
                at = m.end();
            } else {
                // A match inside a longer word ("Ada" in "Adam"): look again one
                // character further on.
                at = next_char_boundary(text, m.start());
            }
        }
        found
    }
}

/// Options from config.toml's `[annotate]` table that detection honours.
#[derive(Debug, Clone, Default)]
pub struct EntityOptions {
    /// Find unregistered names too (default true).
    pub discover: bool,
    /// Strings never to treat as entities.
    pub ignore: Vec<String>,
}

/// An entity found in one article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Its id: the registry id, else the slug of its name.
    pub id: String,
    /// The canonical name.
    pub name: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Every distinct string in the article that names it, in order of first use.
    pub surfaces: Vec<String>,
    /// Role words seen before its name ("Secretary of State").
    pub roles: Vec<String>,
    /// Whether it comes from the registry.
    pub registered: bool,
}

/// One mention of an entity in a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Index of the block in the slice given to [`find`].
    pub block: usize,
    /// Byte range of the surface form in the block's text.
    pub range: Range<usize>,
    /// Index into [`EntityFindings::entities`].
    pub entity: usize,
    /// Role words right before the name, if any.
    pub role: Option<String>,
}

/// Everything entity detection found in one article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntityFindings {
    /// Distinct entities, in order of first mention.
    pub entities: Vec<Entity>,
    /// Every mention, sorted by block then start offset, never overlapping.
    pub mentions: Vec<Mention>,
}

/// Finds the entities of one article.
///
/// Registry names win over discovery; discovered names are grouped into
/// entities with coreference inside the article ("Blinken" after "Antony
/// Blinken", "Xi" for "Xi Jinping", "KCNA" defined in parentheses).
pub fn find(blocks: &[TextBlock], registry: &Registry, options: &EntityOptions) -> EntityFindings {
    let mut candidates = Vec::new();
    let mut scans = Vec::with_capacity(blocks.len());
    let matches = registry_matches(blocks, registry);
    for ((b, block), matches) in blocks.iter().enumerate().zip(matches) {
        let label = label_end(block);
        let mut blocked: Vec<Range<usize>> = block.protected.clone();
        if label > 0 {
            blocked.push(0..label);
        }
        let first = candidates.len();
        // Running text only: a headline's capitals say nothing of names.
        let prose = matches!(block.kind, BlockKind::Paragraph | BlockKind::ListItem);
        for (range, entry) in matches {
            if overlaps_any(&range, &blocked)
                || (options.discover && prose && begins_organization(&block.text, range.end))
            {
                continue;
            }
            let surface = block.text.get(range.clone()).unwrap_or_default();
            candidates.push(Candidate::new(b, range, surface, Class::Registered(entry)));
        }
        // Only this block's candidates: looking through all of them made
        // an article with many registry names quadratic.
        let registered = candidates.get(first..).unwrap_or_default();
        blocked.extend(registered.iter().map(|c| c.range.clone()));
        let tokens = tokenize(&block.text, label, &blocked);
        scans.push(Scan::new(&block.text, tokens, b == 0));
    }
    if options.discover {
        let singles = standalone_names(&scans);
        for (b, scan) in scans.iter().enumerate() {
            let mut found = Discovery { scan, block: b, singles: &singles, out: Vec::new() };
            found.run();
            candidates.append(&mut found.out);
        }
    }
    candidates.retain(|c| !options.ignore.iter().any(|i| i.eq_ignore_ascii_case(c.surface)));
    candidates.sort_by_key(|c| (c.block, c.range.start));
    resolve(candidates, registry, options)
}

/// Byte length of the block's leading Smart Brevity label, also when the
/// caller did not mark it.
fn label_end(block: &TextBlock) -> usize {
    if block.label_end > 0 {
        return block.label_end.min(block.text.len());
    }
    // Only a colon near the start can end a label: the rest of a long
    // block is not searched.
    let head = block.text.as_bytes().get(..41).unwrap_or(block.text.as_bytes());
    match head.iter().position(|&b| b == b':') {
        Some(colon) => {
            let head = block.text.get(..colon).unwrap_or_default();
            if gazetteer::is_label(head.trim()) { colon + 1 } else { 0 }
        }
        _ => 0,
    }
}

/// The registry's matches in each block, without the family names that
/// are someone else's: "Lindqvist" in "Ingrid Lindqvist" when the registry
/// knows Sigrid Lindqvist by it, and then every bare "Lindqvist" of an
/// article that never names Sigrid in full (and so means Ingrid). Those are
/// left to discovery, which links them to the person the article names.
fn registry_matches(blocks: &[TextBlock], registry: &Registry) -> Vec<Vec<(Range<usize>, usize)>> {
    let mut named = HashSet::default();
    let mut others = HashSet::default();
    let mut matches: Vec<Vec<(Range<usize>, usize)>> = Vec::with_capacity(blocks.len());
    for block in blocks {
        let mut found = registry.matches(&block.text);
        found.retain(|(range, entry)| {
            let surface = block.text.get(range.clone()).unwrap_or_default();
            if !registry.is_family_name_alias(*entry, surface) {
                named.insert(*entry);
                return true;
            }
            let someone_else = registry.names_someone_else(*entry, &block.text, range);
            if someone_else {
                others.insert(*entry);
            }
            !someone_else
        });
        matches.push(found);
    }
    // An entry never named in full was matched by its family name alone.
    others.retain(|entry| !named.contains(entry));
    if !others.is_empty() {
        for found in &mut matches {
            found.retain(|(_, entry)| !others.contains(entry));
        }
    }
    matches
}

/// The word right before byte `start`, with one space between.
fn word_before(text: &str, start: usize) -> Option<&str> {
    let before = text.get(..start)?.strip_suffix(' ')?;
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphabetic() || c == '-'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    before.get(word_start..)
}

/// The word right after byte `end`, with one space between.
fn word_after(text: &str, end: usize) -> Option<&str> {
    let after = text.get(end..)?.strip_prefix(' ')?;
    let word_end = after.find(|c: char| !(c.is_alphabetic() || c == '-')).unwrap_or(after.len());
    after.get(..word_end)
}

/// Whether a word can be a given name: capitalised, a word of its own, not
/// a title, honorific, known place or organization ("President
/// Lindqvist", "Dr. Lindqvist", "Sweden's Lindqvist" stay the registered
/// person).
fn could_be_given_name(word: &str) -> bool {
    let upper = word.chars().next().is_some_and(char::is_uppercase);
    let lower_rest = word.chars().skip(1).any(char::is_lowercase);
    upper
        && lower_rest
        && gazetteer::lookup(word).is_none()
        && is_name_word(word)
        && !is_honorific(word)
        && !gazetteer::classes(word).has(
            Classes::TITLE_CORE
                | Classes::TITLE_MODIFIER
                | Classes::ROLE_NOUN
                | Classes::ORG_HEAD
                | Classes::PLACE_HEAD
                | Classes::GENERIC,
        )
}

/// Whether the capitalised words right after a registry name, up to the
/// first that punctuation or a possessive ends and at most five (an
/// organization's head comes within a few words), make it the start of a
/// longer organization's name: "Pakistan" in "the Pakistan Ports
/// Authority said". Discovery then finds that name whole, as it does for
/// unregistered places ("Finland Ports Authority").
fn begins_organization(text: &str, end: usize) -> bool {
    let mut at = end;
    for _ in 0..5 {
        let Some(word) = word_after(text, at) else { return false };
        if !word.starts_with(char::is_uppercase) {
            return false;
        }
        if gazetteer::is_org_head(word) {
            return true;
        }
        at += 1 + word.len();
    }
    false
}

fn overlaps_any(range: &Range<usize>, ranges: &[Range<usize>]) -> bool {
    ranges.iter().any(|r| r.start < range.end && range.start < r.end)
}

fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    let first = text.get(start..).and_then(|s| s.chars().next());
    let last = text.get(..end).and_then(|s| s.chars().next_back());
    let joins = |outside: Option<char>, inside: Option<char>| {
        outside.is_some_and(char::is_alphanumeric) && inside.is_some_and(char::is_alphanumeric)
    };
    !joins(before, first) && !joins(after, last)
}

fn next_char_boundary(text: &str, at: usize) -> usize {
    let mut next = at + 1;
    while next < text.len() && !text.is_char_boundary(next) {
        next += 1;
    }
    next
}

// ---------------------------------------------------------------------------
// Tokens

/// One word of a block.
#[derive(Debug, Clone)]
struct Token {
    /// Byte range of the word, without a possessive ending.
    start: usize,
    end: usize,
    /// End of the word including its possessive "'s" or "'".
    after: usize,
    possessive: bool,
    /// First word of a sentence (or of a quotation, or after a label).
    sentence_start: bool,
    /// Inside a protected range, a label or a registry match.
    blocked: bool,
    /// Part of a hashtag or handle ("#IStandWithAhmed", "@POTUS").
    tagged: bool,
    /// Letters and digits only, as most words are: no ".", "-", "&" or
    /// apostrophe inside.
    plain: bool,
}

fn is_abbreviation(word: &str) -> bool {
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_alphabetic();
    }
    if word.contains('.') {
        return word.split('.').all(|part| part.chars().count() <= 2);
    }
    gazetteer::classes(word).has(Classes::ABBREVIATION)
}

fn is_apostrophe(c: Option<char>) -> bool {
    matches!(c, Some('\'' | '\u{2019}'))
}

fn alnum(c: Option<char>) -> bool {
    c.is_some_and(super::is_word_char)
}

/// Splits a block into words, with possessives, hyphenated names and
/// sentence starts worked out. Walks byte offsets, decoding each character
/// where it is needed, rather than copying the block's characters first.
fn tokenize(text: &str, label_end: usize, blocked: &[Range<usize>]) -> Vec<Token> {
    // The character at byte `i` (mostly ASCII: no decoding), and the
    // offset of the one after it.
    let at = |i: usize| match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        _ => text.get(i..).and_then(|s| s.chars().next()),
    };
    let next = |i: usize| at(i).map_or(i, |c| i + c.len_utf8());
    let bytes = text.as_bytes();
    // About one word in six bytes of news text: enough room to rarely grow.
    let mut raw = Vec::with_capacity(text.len() / 6 + 1);
    let mut i = 0;
    while i < text.len() {
        // Spaces and punctuation are mostly ASCII: skip them as bytes.
        i += super::gap_run(bytes, i);
        let Some(c) = at(i) else {
            i += 1;
            continue;
        };
        if !super::is_word_char(c) {
            i += c.len_utf8();
            continue;
        }
        // '#' and '@' are ASCII: the byte before is one only if the
        // character before is.
        let before = i.checked_sub(1).and_then(|p| bytes.get(p));
        let tagged = matches!(before, Some(b'#' | b'@'));
        let s = i;
        let mut j = next(i);
        // Whether the word has a hyphen, so only those few are split.
        let mut hyphenated = false;
        let mut plain = true;
        loop {
            // Most of a word is ASCII letters: skip them as bytes.
            j += super::alnum_run(bytes, j);
            match at(j) {
                Some(c) if super::is_word_char(c) => j = next(j),
                Some('.') => {
                    if alnum(at(next(j))) {
                        j = next(j);
                        plain = false;
                    } else {
                        if is_abbreviation(text.get(s..j).unwrap_or_default()) {
                            j = next(j);
                            plain = false;
                        }
                        break;
                    }
                }
                Some(c @ ('-' | '&')) if alnum(at(next(j))) => {
                    hyphenated |= c == '-';
                    j = next(next(j));
                    plain = false;
                }
                c if is_apostrophe(c) && alnum(at(next(j))) => {
                    if at(next(j)) == Some('s') && !alnum(at(next(next(j)))) {
                        break;
                    }
                    j = next(next(j));
                    plain = false;
                }
                _ => break,
            }
        }
        let (start, end) = (s, j);
        let mut after = end;
        let mut possessive = false;
        let mut resume = j;
        if is_apostrophe(at(j)) {
            let word = text.get(start..end).unwrap_or_default();
            let (one, two) = (next(j), next(next(j)));
            if at(one) == Some('s') && !alnum(at(two)) {
                possessive = true;
                resume = two;
            } else if !alnum(at(one)) && (word.ends_with('s') || word.ends_with('.')) {
                possessive = true;
                resume = one;
            }
            after = resume;
        }
        let token = Token {
            start,
            end,
            after,
            possessive,
            sentence_start: false,
            blocked: false,
            tagged,
            plain,
        };
        if hyphenated {
            split_hyphenated(text, token, &mut raw);
        } else {
            raw.push(token);
        }
        i = resume.max(j);
    }
    // The word before, and where its possessive ends.
    let mut prev: Option<(Range<usize>, usize)> = None;
    for t in &mut raw {
        t.blocked = t.start < label_end
            || blocked.iter().any(|r| r.start < t.after.max(t.end) && t.start < r.end);
        if t.blocked {
            prev = None;
            continue;
        }
        t.sentence_start = match prev {
            None => true,
            // "Shares of Acme Corp. Fell 2 percent", "Acme Inc. The company
            // said": the period of a legal form may end the sentence too.
            // Most words are one space apart and end in no period, which
            // their bytes tell without slicing the text.
            Some((word, after)) => {
                let spaced = bytes.get(after..t.start) == Some(b" ");
                let period = bytes.get(word.clone()).and_then(<[u8]>::last) == Some(&b'.');
                (!spaced && starts_sentence(text.get(after..t.start).unwrap_or_default()))
                    || (period && gazetteer::is_legal_form(text.get(word).unwrap_or_default()))
            }
        };
        prev = Some((t.start..t.end, t.after));
    }
    raw
}

/// Whether the text between two words ends a sentence or opens a quotation.
fn starts_sentence(gap: &str) -> bool {
    // Most words are one space apart.
    if gap == " " {
        return false;
    }
    if gap.contains(['.', '!', '?', ':', '\u{201c}', '\u{2022}']) {
        return true;
    }
    // An opening straight quote: right before the word, after a space or nothing.
    let mut rev = gap.chars().rev();
    rev.next() == Some('"') && rev.next().is_none_or(|c| c.is_whitespace() || c == '(')
}

/// Splits "U.S.-sanctioned", "anti-Pyongyang" and "Colombian-French" into
/// their parts, keeps "Bruni-Sarkozy", "al-Amr" and "Jong-un" whole.
fn split_hyphenated(text: &str, token: Token, out: &mut Vec<Token>) {
    let word = text.get(token.start..token.end).unwrap_or_default();
    if gazetteer::lookup(word).is_some() {
        out.push(token);
        return;
    }
    let mut parts: Vec<(usize, &str)> = Vec::new();
    let mut offset = token.start;
    for part in word.split('-') {
        parts.push((offset, part));
        offset += part.len() + 1;
    }
    let upper = |p: &str| p.chars().next().is_some_and(char::is_uppercase);
    let Some(&(_, first)) = parts.first() else {
        out.push(token);
        return;
    };
    let rest_upper = parts.iter().skip(1).all(|(_, p)| upper(p));
    let whole = if gazetteer::is_hyphen_particle(first) && parts.len() == 2 && rest_upper {
        true
    } else if upper(first) && rest_upper {
        !parts.iter().all(|(_, p)| gazetteer::lookup(p).is_some())
    } else if upper(first) {
        gazetteer::lookup(first).is_none()
    } else {
        // "anti-Pyongyang": the lower-case prefix goes its own way.
        !parts.iter().any(|(_, p)| upper(p))
    };
    if whole {
        out.push(token);
        return;
    }
    let count = parts.len();
    for (k, (start, part)) in parts.into_iter().enumerate() {
        let last = k + 1 == count;
        let end = start + part.len();
        out.push(Token {
            start,
            end,
            after: if last { token.after } else { end },
            possessive: last && token.possessive,
            sentence_start: false,
            blocked: false,
            tagged: k == 0 && token.tagged,
            // Not worked out for the few parts.
            plain: false,
        });
    }
}

/// Whether a word can be part of a name: capitalised (not a lone letter,
/// not a sentence-initial common word), an acronym, or "al-Amr".
fn is_name_word(word: &str) -> bool {
    is_name_word_known(word, gazetteer::lookup(word), None)
}

/// [`is_name_word`] with the word's gazetteer entry, and its classes when
/// the caller has them already.
fn is_name_word_known(word: &str, known: Option<Known>, classes: Option<Classes>) -> bool {
    if known.is_some() {
        return true;
    }
    let Some(first) = word.chars().next() else { return false };
    // One pass over the bytes tells which rules below can apply (0xE2
    // leads the UTF-8 of ’).
    let (mut digit, mut apostrophe, mut hyphen) = (false, false, false);
    for b in word.bytes() {
        match b {
            b'0'..=b'9' => digit = true,
            b'\'' | 0xE2 => apostrophe = true,
            b'-' => hyphen = true,
            _ => {}
        }
    }
    // Most words: lowercase, no digit, apostrophe or hyphen, so none of the
    // rules below can make them a name word.
    if first.is_ascii_lowercase() && !(digit || apostrophe || hyphen) {
        return false;
    }
    if digit {
        return first.is_uppercase()
            && word.chars().count() >= 2
            && word.chars().all(|c| c.is_uppercase() || c.is_ascii_digit());
    }
    if apostrophe
        && let Some((stem, ending)) = word.split_once(['\'', '\u{2019}'])
        && matches!(ending, "ll" | "ve" | "re" | "d" | "m" | "t")
    {
        return is_name_word(stem) && stem.chars().count() > 1;
    }
    if first.is_uppercase() {
        let stop = classes.map_or_else(|| gazetteer::is_stop(word), |c| c.has(Classes::STOP));
        if word.len() == first.len_utf8() || stop {
            return false;
        }
        // "T-shirt", "X-ray": a lone letter before a hyphen is no name.
        if hyphen && let Some((head, tail)) = word.split_once('-') {
            let tail_lower = tail.chars().next().is_some_and(char::is_lowercase);
            if head.chars().count() == 1 && tail_lower {
                return false;
            }
        }
        return true;
    }
    match word.split_once('-') {
        Some((head, tail)) => {
            gazetteer::is_hyphen_particle(head)
                && tail.chars().next().is_some_and(char::is_uppercase)
        }
        None => false,
    }
}

/// "KCNA", "M5S", "U.N.", "EDRi": mostly capitals, no word of its own.
fn is_acronym(word: &str) -> bool {
    // Most words asked about have one capital at most: count those first,
    // and the letters only for the few with more.
    let upper = word.chars().filter(|c| c.is_uppercase()).count();
    if upper < 2 || !word.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    upper * 2 > letters && word.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '&')
}

/// A block's words with the questions discovery asks about them.
struct Scan<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    words: Vec<WordInfo>,
}

/// What the gazetteer says about one token, asked once: segmentation asks
/// the same questions about a name word many times over.
#[derive(Debug, Clone, Copy, Default)]
struct WordInfo {
    name: bool,
    known: Option<Known>,
    /// Its classes; only worked out for name words.
    classes: Classes,
    /// Whether a gazetteer name of several words may start with it.
    longer: bool,
}

impl<'a> Scan<'a> {
    /// `headline`: the block is the title, where any word may be capitalised.
    fn new(text: &'a str, tokens: Vec<Token>, headline: bool) -> Scan<'a> {
        let mut words = Vec::with_capacity(tokens.len());
        // Capitalised stop words that may be names ("He", "Can").
        let mut name_stops = Vec::new();
        for (k, t) in tokens.iter().enumerate() {
            // Most words are plain lower-case ones ("said", "the"): no name
            // word, and no gazetteer name either (a test keeps it so).
            if t.plain && text.as_bytes().get(t.start).is_some_and(u8::is_ascii_lowercase) {
                words.push(WordInfo::default());
                continue;
            }
            let word = text.get(t.start..t.end).unwrap_or_default();
            let known = gazetteer::lookup(word);
            if t.blocked || t.tagged {
                words.push(WordInfo { known, ..WordInfo::default() });
                continue;
            }
            let upper = word.chars().next().is_some_and(char::is_uppercase);
            let classes = upper.then(|| gazetteer::classes(word));
            let name = is_name_word_known(word, known, classes);
            if !name {
                if upper && gazetteer::is_name_stop(word) {
                    name_stops.push(k);
                }
                words.push(WordInfo { known, ..WordInfo::default() });
                continue;
            }
            words.push(WordInfo {
                name,
                known,
                classes: classes.unwrap_or_else(|| gazetteer::classes(word)),
                longer: gazetteer::may_start_longer(word),
            });
        }
        let mut scan = Scan { text, tokens, words };
        scan.name_stop_words(headline, &name_stops);
        scan
    }

    /// "He Jun said", "analyst Can Özdemir": a stop word that is also a name
    /// ([`gazetteer::is_name_stop`]) is one before a single unknown name word
    /// where it cannot be the common word: capitalised in mid-sentence
    /// (outside a headline), or when the two speak or hold an office.
    /// `stops` holds the open, capitalised tokens that are such stop words
    /// and no name word, in order: marking one changes nothing that the
    /// checks of the later ones read.
    fn name_stop_words(&mut self, headline: bool, stops: &[usize]) {
        for &k in stops {
            let (next, e) = (k + 1, k + 2);
            let candidate = self.is_name(next)
                && self.spaced(next)
                && self.known(next).is_none()
                && !self.is_common_capital(next)
                && !(self.is_name(e) && self.spaced(e));
            if !candidate {
                continue;
            }
            let mid_sentence = !headline && !self.sentence_start(k);
            let speaks = self.speech_verb(e);
            if (mid_sentence || speaks || self.office_after(e))
                && let Some(info) = self.words.get_mut(k)
            {
                info.name = true;
                info.classes = Classes::default();
            }
        }
    }

    /// The gazetteer entry of token `k`'s word.
    fn known(&self, k: usize) -> Option<Known> {
        self.words.get(k).and_then(|w| w.known)
    }

    /// The classes of token `k`'s word.
    fn classes(&self, k: usize) -> Classes {
        match self.words.get(k) {
            Some(w) if w.name => w.classes,
            _ => gazetteer::classes(self.word(k)),
        }
    }

    fn head_like(&self, k: usize) -> bool {
        self.classes(k).has(Classes::ORG_HEAD | Classes::PLACE_HEAD | Classes::TITLE_CORE)
    }

    fn is_common_capital(&self, k: usize) -> bool {
        self.classes(k)
            .has(Classes::GENERIC | Classes::TITLE_CORE | Classes::TITLE_MODIFIER | Classes::STOP)
    }

    fn len(&self) -> usize {
        self.tokens.len()
    }

    fn token(&self, k: usize) -> Option<&Token> {
        self.tokens.get(k)
    }

    fn word(&self, k: usize) -> &'a str {
        self.tokens.get(k).and_then(|t| self.text.get(t.start..t.end)).unwrap_or_default()
    }

    fn is_name(&self, k: usize) -> bool {
        self.words.get(k).is_some_and(|w| w.name)
    }

    fn is_open(&self, k: usize) -> bool {
        self.tokens.get(k).is_some_and(|t| !t.blocked && !t.tagged)
    }

    /// The text between token `k - 1` (possessive included) and token `k`.
    fn gap(&self, k: usize) -> &'a str {
        match (k.checked_sub(1).and_then(|p| self.tokens.get(p)), self.tokens.get(k)) {
            (Some(a), Some(b)) => self.text.get(a.after..b.start).unwrap_or_default(),
            _ => "",
        }
    }

    /// Whether token `k` ends in a possessive "'s" or "'".
    fn is_possessive(&self, k: usize) -> bool {
        self.tokens.get(k).is_some_and(|t| t.possessive)
    }

    /// Whether tokens `k - 1` and `k` are separated by one plain space.
    fn spaced(&self, k: usize) -> bool {
        matches!(self.gap(k), " " | "\u{a0}")
            && k.checked_sub(1).and_then(|p| self.tokens.get(p)).is_some_and(|t| !t.possessive)
    }

    fn sentence_start(&self, k: usize) -> bool {
        self.tokens.get(k).is_some_and(|t| t.sentence_start)
    }

    /// Whether token `k` is a plain name word: no head, title or common
    /// word, nothing the gazetteer knows.
    fn plain_name(&self, k: usize) -> bool {
        !self.head_like(k) && !self.is_common_capital(k) && self.known(k).is_none()
    }

    /// Whether token `k` is a speech verb right after a name: "Medina said".
    fn speech_verb(&self, k: usize) -> bool {
        self.spaced(k) && SPEECH_VERBS.contains(&self.word(k))
    }

    /// Whether an office follows token `e` in apposition: "Xiaoling,
    /// Morocco's president", "Hall, the secretary-general of the alliance".
    fn office_after(&self, e: usize) -> bool {
        if self.gap(e) != ", " {
            return false;
        }
        let mut k = e;
        // Past "the", "a" and a place's or a name's possessive.
        while k < self.len() && k < e + 3 {
            let w = self.word(k);
            let owner = self.is_possessive(k) && (self.known(k).is_some() || self.is_name(k));
            if !(matches!(w, "the" | "a" | "an") || owner) {
                break;
            }
            k += 1;
        }
        // Then the office, a few lower-case words at most ("defense
        // minister"), as the head of its phrase: "the president's official
        // residence" holds none.
        let ends_phrase = |m: usize| {
            m + 1 >= self.len()
                || !self.spaced(m + 1)
                || self.is_name(m + 1)
                || matches!(self.word(m + 1), "of" | "for" | "at" | "to" | "and" | "in" | "who")
        };
        (k..self.len().min(k + 3))
            .take_while(|&m| !self.is_name(m) && (m == k || self.spaced(m)))
            .any(|m| {
                gazetteer::classes(self.word(m)).has(Classes::TITLE_CORE | Classes::ROLE_NOUN)
                    && !self.is_possessive(m)
                    && ends_phrase(m)
            })
    }

    /// Text from the start of token `a` to the end of token `b - 1`.
    fn span_text(&self, a: usize, b: usize) -> &'a str {
        match (self.tokens.get(a), b.checked_sub(1).and_then(|l| self.tokens.get(l))) {
            (Some(x), Some(y)) if y.end >= x.start => {
                self.text.get(x.start..y.end).unwrap_or_default()
            }
            _ => "",
        }
    }

    fn byte_range(&self, a: usize, b: usize) -> Range<usize> {
        match (self.tokens.get(a), b.checked_sub(1).and_then(|l| self.tokens.get(l))) {
            (Some(x), Some(y)) if y.end >= x.start => x.start..y.end,
            _ => 0..0,
        }
    }
}

/// Where a capitalised word stands alone (not inside a longer name).
#[derive(Debug, Clone, Copy, Default)]
struct Alone {
    /// Alone somewhere in the article.
    anywhere: bool,
    /// Alone in mid-sentence somewhere: a sentence-initial single word is a
    /// name only when it also shows up there.
    mid_sentence: bool,
}

fn standalone_names<'a>(scans: &[Scan<'a>]) -> HashMap<&'a str, Alone> {
    let mut names: HashMap<&'a str, Alone> = HashMap::default();
    for scan in scans {
        for k in 0..scan.len() {
            if !scan.is_name(k) {
                continue;
            }
            let joined_next = scan.is_name(k + 1) && scan.spaced(k + 1);
            let joined_prev = k > 0 && scan.is_name(k - 1) && scan.spaced(k);
            let alone = !joined_next && !joined_prev;
            if alone {
                let entry = names.entry(scan.word(k)).or_default();
                entry.anywhere = true;
                entry.mid_sentence |= !scan.sentence_start(k);
            }
        }
    }
    names
}

// ---------------------------------------------------------------------------
// Discovery

/// What a candidate mention is, before coreference.
#[derive(Debug, Clone, PartialEq)]
enum Class {
    /// A registry name or alias: index of the entry.
    Registered(usize),
    /// A gazetteer place or well-known organization.
    Known(Known),
    Person,
    Org,
    Place,
    /// A single name word, with a kind from its context if there is one.
    Single(Option<EntityKind>),
    /// An acronym that is no well-known one: a name only when defined in
    /// parentheses or by the registry.
    Acronym,
    /// A lone head word ("the Court"): only ever a short form of an organization.
    Head,
    /// A lone title that is also a family name ("King" after "John King"):
    /// only ever a person the article names so.
    Surname,
}

/// A mention found in a block, before coreference. Its strings borrow the
/// block's text: only the entities found are given their own.
#[derive(Debug, Clone)]
struct Candidate<'a> {
    block: usize,
    range: Range<usize>,
    surface: &'a str,
    class: Class,
    role: Option<&'a str>,
    sentence_initial: bool,
    /// A speech verb follows it: "Medina said".
    speaks: bool,
    /// For an acronym defined in parentheses: the long form's surface.
    acronym_of: Option<&'a str>,
}

impl<'a> Candidate<'a> {
    fn new(block: usize, range: Range<usize>, surface: &'a str, class: Class) -> Candidate<'a> {
        Candidate {
            block,
            range,
            surface,
            class,
            role: None,
            sentence_initial: false,
            speaks: false,
            acronym_of: None,
        }
    }
}

/// The longest run of name words a mention may come from.
const MAX_RUN: usize = 24;

/// Words that cue a person but are no role worth recording ("his father").
const KIN: &[&str] = &[
    "father",
    "mother",
    "son",
    "daughter",
    "brother",
    "sister",
    "wife",
    "husband",
    "widow",
    "uncle",
    "aunt",
    "cousin",
    "nephew",
    "niece",
    "grandson",
    "granddaughter",
    "boy",
    "girl",
    "man",
    "woman",
    "resident",
    "hostage",
    "victim",
    "survivor",
    "witness",
    "suspect",
];

/// Discovery over one block.
struct Discovery<'s, 'a> {
    scan: &'s Scan<'a>,
    block: usize,
    singles: &'s HashMap<&'a str, Alone>,
    out: Vec<Candidate<'a>>,
}

impl<'a> Discovery<'_, 'a> {
    fn run(&mut self) {
        let s = self.scan;
        let n = s.len();
        let mut k = 0;
        let mut prev_run: Option<Range<usize>> = None;
        while k < n {
            if !s.is_name(k) {
                k += 1;
                continue;
            }
            let end = self.run_end(k);
            // "CEI (Italian Episcopal Conference)": an acronym defined by the
            // name in parentheses after it.
            let word = s.word(k);
            // The parenthesis first: it is rare, and the cheapest to check.
            if end == k + 1
                && matches!(s.gap(end), " (" | " [")
                && is_acronym(word)
                && s.known(k).is_none()
                && s.is_name(end)
            {
                let inner_end = self.run_end(end);
                if self.closes_parenthesis(inner_end) {
                    let before = self.out.len();
                    self.segment(end, inner_end, None);
                    if let Some(long) = self.out.get(before..).and_then(|c| c.last()) {
                        let long = long.surface;
                        self.push_acronym(k, long);
                    }
                    prev_run = None;
                    k = inner_end;
                    continue;
                }
            }
            let consumed = self.segment(k, end, prev_run.clone());
            prev_run = Some(k..end);
            k = consumed.max(end);
        }
    }

    /// Whether the text right after token `end - 1` closes a parenthesis.
    fn closes_parenthesis(&self, end: usize) -> bool {
        let s = self.scan;
        end.checked_sub(1)
            .and_then(|l| s.token(l))
            .and_then(|t| s.text.get(t.after..))
            .is_some_and(|rest| rest.starts_with([')', ']']))
    }

    fn push_acronym(&mut self, k: usize, long: &'a str) {
        let s = self.scan;
        let mut c = Candidate::new(self.block, s.byte_range(k, k + 1), s.word(k), Class::Acronym);
        c.acronym_of = Some(long);
        self.out.push(c);
    }

    /// End (exclusive) of the run of name words starting at `start`, joined
    /// by particles ("of", "de", "al-") where the words before allow it.
    fn run_end(&self, start: usize) -> usize {
        let s = self.scan;
        let n = s.len();
        let mut end = start + 1;
        let mut head_prep = false;
        while end < n && end - start < MAX_RUN {
            let last = end - 1;
            let lw = s.word(last);
            let Some(t_last) = s.token(last) else { break };
            if t_last.possessive {
                let continues = s.gap(end) == " "
                    && s.is_name(end)
                    && possessive_continues(s.text, lw, t_last, s.word(end));
                if continues {
                    end += 1;
                    continue;
                }
                break;
            }
            let gap = s.gap(end);
            if s.is_name(end) {
                if s.spaced(end)
                    || gap == " & "
                    || (head_prep && matches!(gap, " - " | " \u{2013} "))
                {
                    end += 1;
                    continue;
                }
                break;
            }
            if !s.spaced(end) || !s.is_open(end) {
                break;
            }
            let w = s.word(end);
            if w.chars().all(|c| c.is_ascii_digit()) {
                // "Movimento 5 Stelle"
                if s.spaced(end + 1) && s.is_name(end + 1) {
                    end += 2;
                    continue;
                }
                break;
            }
            let mut j = end + 1;
            let ok = match w {
                "of" => {
                    if s.word(j) == "the" && s.spaced(j) {
                        j += 1;
                    }
                    s.head_like(last) || head_prep
                }
                "for" | "on" => {
                    if w == "for" && s.word(j) == "the" && s.spaced(j) {
                        j += 1;
                    }
                    s.head_like(last) || head_prep
                }
                "and" | "at" => head_prep || (w == "and" && self.ends_in_event(j)),
                _ => gazetteer::is_particle(w),
            };
            if ok && s.is_name(j) && s.spaced(j) {
                if matches!(w, "of" | "for" | "on") {
                    head_prep = true;
                }
                end = j + 1;
                continue;
            }
            break;
        }
        end
    }

    /// Whether the name words from `j` on end with an event or law head
    /// ("... and Extension Act").
    fn ends_in_event(&self, j: usize) -> bool {
        let s = self.scan;
        if !s.is_name(j) {
            return false;
        }
        let mut m = j;
        while m - j < 8 && s.is_name(m + 1) && s.spaced(m + 1) {
            m += 1;
        }
        gazetteer::is_event_head(s.word(m))
    }

    /// A title phrase at `i` ("Secretary", "Prime Minister", "Senate
    /// Majority Leader"), followed by a name or by "of"/"for".
    fn title_at(&self, i: usize, e: usize) -> Option<usize> {
        let s = self.scan;
        let mut m = i;
        let mut last_core = None;
        while m < e && m - i < 5 {
            if (m > i && !s.spaced(m)) || !s.is_name(m) {
                break;
            }
            let classes = s.classes(m);
            let core = classes.has(Classes::TITLE_CORE);
            let modifier = classes.has(Classes::TITLE_MODIFIER)
                || s.known(m).is_some_and(|k| k.kind == EntityKind::Organization);
            if core {
                last_core = Some(m + 1);
            }
            if !core && !modifier {
                break;
            }
            m += 1;
        }
        let t_end = last_core?;
        if t_end >= e {
            return None;
        }
        let next = s.word(t_end);
        if s.is_name(t_end) && s.spaced(t_end) {
            let head =
                s.classes(t_end).has(Classes::ORG_HEAD | Classes::PLACE_HEAD | Classes::EVENT_HEAD);
            // "Foreign Minister Park Seo-yeon": a head word with a name
            // after it is a person's name.
            let named = t_end + 1 < e
                && s.is_name(t_end + 1)
                && s.spaced(t_end + 1)
                && !s.head_like(t_end + 1);
            return if head && !named { None } else { Some(t_end) };
        }
        if matches!(next, "of" | "for") { Some(t_end) } else { None }
    }

    /// The longest gazetteer name starting at `i` and ending before `e`.
    fn gaz_at(&self, i: usize, e: usize) -> Option<(usize, Known)> {
        let s = self.scan;
        if !s.is_name(i) {
            return None;
        }
        let longest = if s.words.get(i).is_some_and(|w| w.longer) {
            e.min(i + gazetteer::max_words() + 1)
        } else {
            e.min(i + 1)
        };
        (i + 1..=longest).rev().find_map(|m| {
            if !s.is_name(m - 1) {
                return None;
            }
            if m == i + 1 {
                return s.known(i).map(|k| (m, k));
            }
            gazetteer::lookup(s.span_text(i, m)).map(|k| (m, k))
        })
    }

    /// A portfolio after "of"/"for" ("State", "Foreign Affairs").
    fn portfolio_at(&self, i: usize, e: usize) -> Option<usize> {
        let s = self.scan;
        (i + 1..=e.min(i + gazetteer::MAX_PORTFOLIO_WORDS))
            .rev()
            .find(|&m| s.is_name(m - 1) && gazetteer::is_portfolio(s.span_text(i, m)))
    }

    /// An organization or place that a place or demonym starts ("U.S.
    /// Senate" is no case: Senate is known; "Indonesian Navy", "Kenyan
    /// National Commission on Human Rights", "Saudi Gazette").
    fn org_tail(&self, from: usize, e: usize) -> Option<(usize, Class)> {
        let s = self.scan;
        if from >= e || !s.spaced(from) || self.gaz_at(from, e).is_some() {
            return None;
        }
        let mut best = None;
        // Where the name stops: the run's end, or a title in it ("Greece
        // Association of Nurses President Karim Qasim").
        let mut stop = e;
        for m in from..e {
            if !s.is_name(m) {
                continue;
            }
            if self.title_at(m, e).is_some() {
                stop = m;
                break;
            }
            let classes = s.classes(m);
            if classes.has(Classes::ORG_HEAD) || self.speaking_body(m, e) {
                best = Some((m + 1, Class::Org));
            } else if classes.has(Classes::PLACE_HEAD) && best.is_none() {
                best = Some((m + 1, Class::Place));
            }
        }
        let (mut end, class) = best?;
        if end < stop && !s.is_name(end) {
            end = stop;
            while end > from && !s.is_name(end - 1) {
                end -= 1;
            }
        }
        Some((end, class))
    }

    /// Whether token `last`, the run's last before `e`, is a forum,
    /// initiative or conference that speaks ("The Asian Infrastructure
    /// Forum said"): a body then, not an event.
    fn speaking_body(&self, last: usize, e: usize) -> bool {
        let s = self.scan;
        last + 1 == e
            && s.speech_verb(e)
            && ["forum", "initiative", "conference"]
                .iter()
                .any(|w| w.eq_ignore_ascii_case(s.word(last)))
    }

    /// Lower-case role words right before a run ("spokesperson", "cabinet
    /// minister"), with the name before them ("Foreign Ministry
    /// spokesperson"): whether they make the run a person, and the role.
    fn role_before(&self, a: usize, prev_run: Option<&Range<usize>>) -> (bool, Option<&'a str>) {
        let s = self.scan;
        let mut m = a;
        let mut has_role = false;
        let mut kin_only = true;
        while m > 0 && a - m < 4 && s.spaced(m) {
            let k = m - 1;
            let w = s.word(k);
            if s.is_name(k) || !s.is_open(k) {
                break;
            }
            // One lookup answers the three lists.
            let classes = gazetteer::classes(w);
            if classes.has(Classes::ROLE_NOUN) {
                has_role = true;
                kin_only &= KIN.contains(&w);
            } else if !classes.has(Classes::TITLE_MODIFIER | Classes::ORG_CUE)
                && !gazetteer::is_office_modifier(w)
            {
                break;
            }
            m = k;
        }
        if !has_role {
            return (false, None);
        }
        if kin_only {
            return (true, None);
        }
        let mut start = m;
        if let Some(run) = prev_run
            && run.end == m
            && s.spaced(m)
        {
            start = run.start;
        }
        let role = s.span_text(start, a).trim();
        (true, Some(role).filter(|r| !r.is_empty()))
    }

    /// The kind the words around a name suggest.
    fn kind_hint(&self, i: usize, e: usize) -> Option<EntityKind> {
        let s = self.scan;
        let i = if i > 1 && s.word(i - 1) == "the" && s.spaced(i) { i - 1 } else { i };
        if i > 0 && s.spaced(i) && !s.is_name(i - 1) {
            let w = s.word(i - 1);
            let classes = gazetteer::classes(w);
            if classes.has(Classes::ORG_CUE) {
                return Some(EntityKind::Organization);
            }
            if classes.has(Classes::ROLE_NOUN) {
                return Some(EntityKind::Person);
            }
            // "In Piraeus, the effects are visible": the preposition may
            // open the sentence.
            let preposition = gazetteer::is_place_preposition(w)
                || (s.sentence_start(i - 1) && gazetteer::is_place_preposition(&w.to_lowercase()));
            if classes.has(Classes::PLACE_CUE) || preposition {
                return Some(EntityKind::Place);
            }
            if w == "of" && i > 1 && s.spaced(i - 1) {
                let before = s.word(i - 2);
                if gazetteer::is_place_cue(before) || gazetteer::is_place_office(before) {
                    return Some(EntityKind::Place);
                }
            }
        }
        // "said Izmir Mayor Erik Larsen": a town's office after its name.
        if e < s.len()
            && s.spaced(e)
            && s.is_name(e)
            && gazetteer::is_place_office(&s.word(e).to_lowercase())
        {
            return Some(EntityKind::Place);
        }
        if e < s.len() && s.spaced(e) && !s.is_name(e) {
            let w = s.word(e);
            if gazetteer::is_org_cue(w) {
                return Some(EntityKind::Organization);
            }
            if matches!(w, "government" | "administration" | "cabinet") {
                return Some(EntityKind::Person);
            }
            // "Eastgate Rail president Sunita Mehta", "Eastgate Agri head of
            // strategy Davide Bruno": the name before an office held in an
            // organization, and a name after it.
            let office_end = (e..s.len().min(e + 3))
                .take_while(|&k| {
                    let w = s.word(k);
                    s.spaced(k) && (gazetteer::is_org_office(w) || gazetteer::is_office_modifier(w))
                })
                .filter(|&k| gazetteer::is_org_office(s.word(k)))
                .last();
            if let Some(end) = office_end {
                let mut holder = end + 1;
                if s.word(holder) == "of" && !s.is_name(holder + 1) {
                    holder += 2;
                }
                if s.spaced(holder) && s.is_name(holder) {
                    return Some(EntityKind::Organization);
                }
            }
        }
        if self.scan.office_after(e) {
            return Some(EntityKind::Person);
        }
        // "Springfield, Illinois" names a place, but "Rami Mansour,
        // Georgia's defense minister" names a person by the place's office.
        if s.gap(e) == ", "
            && let Some((m, k)) = self.gaz_at(e, s.len())
            && k.kind == EntityKind::Place
            && !s.is_possessive(m - 1)
        {
            return Some(EntityKind::Place);
        }
        None
    }

    fn push(&mut self, a: usize, b: usize, class: Class, role: Option<&'a str>) {
        let s = self.scan;
        let range = s.byte_range(a, b);
        if range.is_empty() {
            return;
        }
        let mut c = Candidate::new(self.block, range, s.span_text(a, b), class);
        c.role = role;
        c.sentence_initial = s.sentence_start(a);
        c.speaks = s.speech_verb(b);
        self.out.push(c);
    }

    /// Splits one run into mentions; returns the first token not consumed.
    fn segment(&mut self, a: usize, e: usize, prev_run: Option<Range<usize>>) -> usize {
        let s = self.scan;
        let (outer_person, outer_role) = self.role_before(a, prev_run.as_ref());
        let mut i = a;
        let mut role_from: Option<usize> = None;
        let mut role_to: Option<usize> = None;
        let mut person_next = false;
        let mut first_piece = true;
        while i < e {
            if !s.is_name(i) {
                i += 1;
                continue;
            }
            let w = s.word(i);
            // "Former UN head": a common word before a known name or title,
            // unless the known name only starts a longer one ("International
            // Labour Organization").
            let known_next = || match self.gaz_at(i + 1, e) {
                Some((g_end, k)) => {
                    k.kind == EntityKind::Other || self.org_tail(g_end, e).is_none()
                }
                None => false,
            };
            if s.is_common_capital(i)
                && self.title_at(i, e).is_none()
                && self.gaz_at(i, e).is_none()
                && i + 1 < e
                && s.spaced(i + 1)
                && (known_next() || self.title_at(i + 1, e).is_some())
            {
                i += 1;
                continue;
            }
            if let Some(t_end) = self.title_at(i, e) {
                for m in i..t_end {
                    // "Foreign Ministry spokesperson", but not the title
                    // itself: "Economist Jane Doe" names no newspaper.
                    if let Some(k) = s.known(m)
                        && k.kind == EntityKind::Organization
                        && !s.classes(m).has(Classes::TITLE_CORE)
                    {
                        self.push(m, m + 1, Class::Known(k), None);
                    }
                }
                let honorific = (i..t_end).all(|m| is_honorific(s.word(m)));
                if !honorific {
                    role_from.get_or_insert(i);
                    role_to = Some(t_end);
                }
                i = t_end;
                if i < e && matches!(s.word(i), "of" | "for") {
                    let mut obj = i + 1;
                    if s.word(obj) == "the" {
                        obj += 1;
                    }
                    if let Some(p_end) = self.portfolio_at(obj, e) {
                        role_to = Some(p_end);
                        i = p_end;
                    } else {
                        // "Vice President of Taxpayers for Common Sense" names an
                        // organization; "Commissioner for the Internal Market" a
                        // portfolio.
                        let portfolio = s.word(i) == "for";
                        let o_end = match self.gaz_at(obj, e) {
                            Some((g_end, k)) => {
                                self.push(obj, g_end, Class::Known(k), None);
                                g_end
                            }
                            None if portfolio => e,
                            None => {
                                self.push(obj, e, Class::Org, None);
                                e
                            }
                        };
                        if role_from.is_some() {
                            role_to = Some(o_end);
                        }
                        i = o_end;
                    }
                }
                person_next = true;
                first_piece = false;
                continue;
            }
            if let Some((g_end, known)) = self.gaz_at(i, e) {
                let place = known.kind == EntityKind::Place && known.form != Form::People;
                if known.kind != EntityKind::Other
                    && let Some((o_end, class)) = self.org_tail(g_end, e)
                {
                    self.push(i, o_end, class, None);
                    i = o_end;
                    first_piece = false;
                    person_next = false;
                    continue;
                }
                // "Comoran army", "Indonesian navy"
                if place
                    && known.form == Form::Adjective
                    && g_end == e
                    && s.spaced(e)
                    && matches!(s.word(e), "army" | "navy")
                    && s.is_open(e)
                {
                    self.push(i, e + 1, Class::Org, None);
                    return e + 1;
                }
                // "Jordan Peterson", "Paris Hilton": a lone place name and one
                // more name word make a person.
                let lone_place_name = place
                    && known.form == Form::Name
                    && g_end == i + 1
                    && e == i + 2
                    && !is_acronym(w)
                    && self.gaz_at(i + 1, e).is_none()
                    && !s.head_like(i + 1)
                    && !s.is_common_capital(i + 1)
                    && !is_acronym(s.word(i + 1));
                if !lone_place_name {
                    self.push(i, g_end, Class::Known(known), None);
                    if self.title_at(g_end, e).is_some() {
                        role_from = Some(i);
                    }
                    i = g_end;
                    first_piece = false;
                    person_next = false;
                    continue;
                }
            }
            // After a title comes a person's name, which "and" ends: "Governor
            // Andrew Bailey and Federal Reserve Chair Jerome Powell".
            let ends_name = |k: usize| person_next && matches!(s.word(k), "and" | "&");
            let mut c_end = i + 1;
            while c_end < e
                && !(s.is_name(c_end) && self.title_at(c_end, e).is_some())
                && !ends_name(c_end)
            {
                c_end += 1;
            }
            while c_end > i + 1 && !s.is_name(c_end - 1) {
                c_end -= 1;
            }
            let (person, role) = if person_next {
                let role = match (role_from, role_to) {
                    (Some(f), Some(t)) => Some(s.span_text(f, t)),
                    _ => None,
                };
                (true, role)
            } else if first_piece {
                (outer_person, outer_role)
            } else {
                (false, None)
            };
            self.classify_chunk(i, c_end, person, role);
            role_from = None;
            role_to = None;
            person_next = false;
            first_piece = false;
            i = c_end;
        }
        self.acronym_after(e)
    }

    /// "Korean Central News Agency (KCNA)": the acronym in parentheses right
    /// after a run names what the run ended with. Returns the first token
    /// not consumed.
    fn acronym_after(&mut self, e: usize) -> usize {
        let s = self.scan;
        let word = s.word(e);
        let defined =
            matches!(s.gap(e), " (" | " [") && is_acronym(word) && self.closes_parenthesis(e + 1);
        if !defined {
            return e;
        }
        let end_byte = e.checked_sub(1).and_then(|l| s.token(l)).map(|t| t.end);
        let Some(last) = self.out.last().filter(|c| Some(c.range.end) == end_byte) else {
            return e;
        };
        if matches!(last.class, Class::Known(_) | Class::Registered(_)) {
            return e;
        }
        // "European Digital Rights (EDRi)": the demonym belongs to the name.
        let n = self.out.len();
        if let [.., before, last] = self.out.as_slice() {
            let adjective = matches!(&before.class, Class::Known(k) if k.form != Form::Name);
            if adjective && before.range.end + 1 == last.range.start {
                let range = before.range.start..last.range.end;
                let surface = s.text.get(range.clone()).unwrap_or_default();
                let sentence_initial = before.sentence_initial;
                self.out.truncate(n - 2);
                let mut merged = Candidate::new(self.block, range, surface, Class::Org);
                merged.sentence_initial = sentence_initial;
                self.out.push(merged);
            }
        }
        let Some(last) = self.out.last_mut() else { return e };
        if last.class == Class::Person && last.role.is_none() {
            last.class = Class::Org;
        }
        let long = last.surface;
        self.push_acronym(e, long);
        e + 1
    }

    /// Classifies a chunk of name words that holds no title and starts with
    /// no gazetteer name.
    fn classify_chunk(&mut self, i: usize, e: usize, person: bool, role: Option<&'a str>) {
        let s = self.scan;
        let names: Vec<usize> = (i..e).filter(|&m| s.is_name(m)).collect();
        let (Some(&first), Some(&last)) = (names.first(), names.last()) else { return };
        let fw = s.word(first);
        if names.len() == 1 {
            if fw.chars().count() == 2 && fw.ends_with('.') {
                // "a post on X.": a lone initial.
                return;
            }
            let class = if is_acronym(fw) {
                Class::Acronym
            } else if s.classes(first).has(Classes::EVENT_HEAD) {
                return;
            } else if s.classes(first).has(Classes::ORG_HEAD) && !person {
                Class::Head
            } else if s.classes(first).has(Classes::TITLE_CORE) {
                // "King said", after "John King".
                Class::Surname
            } else if s.is_common_capital(first) {
                return;
            } else if person {
                Class::Single(Some(EntityKind::Person))
            } else {
                Class::Single(self.kind_hint(i, e))
            };
            self.push(i, e, class, role);
            return;
        }
        // "Neighbouring Argentina", "Following Biden": a sentence-initial
        // participle is no part of the name after it. "Sterling Rail Corp."
        // and "Boeing Co.", ending in a legal form, are companies' names.
        let company = gazetteer::is_legal_form(s.word(last)) && !s.is_possessive(last);
        if s.sentence_start(first) && fw.ends_with("ing") && fw.chars().count() > 5 && !company {
            let seen = self.singles.get(fw).is_some_and(|a| a.mid_sentence);
            if let (false, None, Some(&next)) = (seen, s.known(first), names.get(1)) {
                match self.gaz_at(next, e) {
                    Some((g_end, k)) => {
                        self.push(next, g_end, Class::Known(k), None);
                        if g_end < e {
                            self.classify_chunk(g_end, e, false, None);
                        }
                    }
                    None => self.classify_chunk(next, e, person, role),
                }
                return;
            }
        }
        let all_common = names.iter().all(|&m| s.is_common_capital(m));
        let (first_classes, last_classes) = (s.classes(first), s.classes(last));
        if self.speaking_body(last, e) && !person {
            self.push(i, e, Class::Org, None);
            return;
        }
        if last_classes.has(Classes::EVENT_HEAD)
            || (all_common && !last_classes.has(Classes::ORG_HEAD))
        {
            return;
        }
        if let Some(k) = gazetteer::near_miss(s.span_text(i, e)) {
            self.push(i, e, Class::Known(k), None);
            return;
        }
        let head_first = first_classes.has(Classes::ORG_HEAD | Classes::PLACE_HEAD);
        if head_first && !s.is_name(first + 1) {
            // "University of Texas", "Army of the Comoros", "Gulf of Mexico"
            let class =
                if first_classes.has(Classes::ORG_HEAD) { Class::Org } else { Class::Place };
            match self.trailing_person(&names) {
                Some(p) => {
                    self.push(i, p, class, None);
                    self.push(p, e, Class::Person, None);
                }
                None => self.push(i, e, class, None),
            }
            return;
        }
        let org_head = names
            .iter()
            .rposition(|&m| m != first && s.classes(m).has(Classes::ORG_HEAD))
            .and_then(|p| names.get(p).copied());
        if let Some(h) = org_head {
            let mut end = h + 1;
            if end < e && !s.is_name(end) {
                end = e;
            }
            self.push(i, end, Class::Org, None);
            if end < e {
                self.classify_chunk(end, e, person, role);
            }
            return;
        }
        if last_classes.has(Classes::PLACE_HEAD) && !person && !self.family_name_head(&names, e) {
            self.push(i, e, Class::Place, None);
            return;
        }
        let class = if person {
            Class::Person
        } else {
            match self.kind_hint(i, e) {
                Some(EntityKind::Organization) => Class::Org,
                Some(EntityKind::Place) => Class::Place,
                _ => Class::Person,
            }
        };
        self.push(i, e, class, role);
    }

    /// "Matthew Hall, the secretary-general", "Rachel Hall said": a family
    /// name that is a place's head word ("Hall", "Hill", "Tower") makes a
    /// person, not a building, when the run speaks, holds an office, or
    /// its family name stands alone elsewhere in the article.
    /// "Carnegie Hall" and "City Hall" stay places.
    fn family_name_head(&self, names: &[usize], e: usize) -> bool {
        let s = self.scan;
        let &[given, family] = names else { return false };
        let alone = self.singles.get(s.word(family)).is_some_and(|a| a.anywhere);
        family == given + 1
            && family + 1 == e
            && s.spaced(family)
            && s.plain_name(given)
            && (s.speech_verb(e) || alone || s.office_after(e))
    }

    /// "University of Texas Arlington Amneh Jafari": a two-word name at the
    /// end of an organization's name whose last word also stands alone in
    /// the article is a person of its own.
    fn trailing_person(&self, names: &[usize]) -> Option<usize> {
        let s = self.scan;
        let n = names.len();
        if n < 4 {
            return None;
        }
        let (&given, &family) = (names.get(n - 2)?, names.get(n - 1)?);
        let speech = s.speech_verb(family + 1);
        let alone = speech || self.singles.get(s.word(family)).is_some_and(|a| a.anywhere);
        let given_alone = self.singles.get(s.word(given)).is_some_and(|a| a.anywhere);
        (family == given + 1
            && s.spaced(family)
            && s.plain_name(given)
            && s.plain_name(family)
            && alone
            && !given_alone)
            .then_some(given)
    }
}

/// Verbs that follow a speaker's name.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stated",
    "explained",
    "wrote",
    "noted",
    "tweeted",
    "argued",
    "claimed",
    "announced",
    "warned",
    "asked",
    "replied",
    "insisted",
    "urged",
];

fn is_honorific(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "mr." | "mrs." | "ms." | "mr" | "mrs" | "ms" | "miss" | "dr." | "dr" | "sir" | "dame"
    )
}

/// Whether a possessive inside a name goes on ("Korean People's Army",
/// "Human Rights Defenders' Arbitrary Arrests Committee") rather than end it
/// ("China's support").
fn possessive_continues(text: &str, word: &str, token: &Token, next: &str) -> bool {
    // "St. Peter's Square", "Lloyd's Bank"
    let next_is_head = gazetteer::is_org_head(next) || gazetteer::is_place_head(next);
    let ending = text.get(token.end..token.after).unwrap_or_default();
    let plural = !ending.ends_with('s') && word.ends_with('s');
    let irregular = matches!(word, "People" | "Peoples" | "Women" | "Children" | "Men");
    (plural || irregular || next_is_head) && gazetteer::lookup(word).is_none()
}

// ---------------------------------------------------------------------------
// Coreference

/// An entity being gathered from its mentions.
#[derive(Debug, Clone)]
struct Build {
    id: Option<String>,
    /// The canonical name when the registry or the gazetteer gives one.
    fixed_name: Option<String>,
    kind: EntityKind,
    registered: bool,
    /// Normalised words of its longest name, for short-form matching.
    words: Vec<String>,
}

/// Groups candidates into entities.
#[derive(Default)]
struct Resolver {
    builds: Vec<Build>,
    by_key: HashMap<String, usize>,
    person_last: HashMap<String, usize>,
    person_first: HashMap<String, usize>,
    /// Other words of a person's name ("Lula" in "Luiz Inácio Lula da Silva").
    person_inner: HashMap<String, usize>,
    org_heads: HashMap<String, Vec<usize>>,
    by_first_word: HashMap<String, Vec<usize>>,
    /// Single names whose kind nothing around them suggested: the first
    /// mention that suggests one decides it.
    guessed: HashSet<usize>,
}

/// How many entities one index key may point to: keeps coreference linear.
const MAX_PER_KEY: usize = 16;

fn name_words(surface: &str) -> Vec<String> {
    surface
        .split_whitespace()
        .filter(|w| !matches!(*w, "-" | "\u{2013}" | "&"))
        .map(|w| match gazetteer::lookup(w) {
            Some(k) if k.kind == EntityKind::Place => k.canonical.to_lowercase(),
            _ => w.to_lowercase(),
        })
        .collect()
}

fn key_of(surface: &str) -> String {
    let lower = surface.to_lowercase();
    lower.strip_prefix("the ").map(str::to_string).unwrap_or(lower)
}

/// The word an organization's name is about: "Court" in "Supreme Court of
/// Cassation", "Department" in "State Department".
fn head_word(words: &[String]) -> Option<String> {
    let head =
        words.iter().rev().find(|w| gazetteer::is_org_head(w) || gazetteer::is_place_head(w));
    if let Some(head) = head {
        return Some(head.clone());
    }
    match words.iter().position(|w| matches!(w.as_str(), "of" | "for" | "on")) {
        Some(p) if p > 0 => words.get(p - 1).cloned(),
        _ => words.last().cloned(),
    }
}

impl Resolver {
    fn add(&mut self, build: Build) -> usize {
        self.builds.push(build);
        self.builds.len() - 1
    }

    fn index_person(&mut self, e: usize, words: &[String]) {
        if words.len() < 2 {
            return;
        }
        if let Some(last) = words.last() {
            self.person_last.entry(last.clone()).or_insert(e);
        }
        if let Some(first) = words.first() {
            self.person_first.entry(first.clone()).or_insert(e);
        }
        for w in words.iter().skip(1).take(words.len().saturating_sub(2)) {
            if w.chars().count() > 2 && !gazetteer::is_particle(w) {
                self.person_inner.entry(w.clone()).or_insert(e);
            }
        }
    }

    fn index_org(&mut self, e: usize, words: &[String]) {
        if let Some(head) = head_word(words) {
            let list = self.org_heads.entry(head).or_default();
            if list.len() < MAX_PER_KEY && !list.contains(&e) {
                list.push(e);
            }
        }
    }

    fn index_first_word(&mut self, e: usize, words: &[String]) {
        if let Some(first) = words.first() {
            let list = self.by_first_word.entry(first.clone()).or_default();
            if list.len() < MAX_PER_KEY {
                list.push(e);
            }
        }
    }

    fn registered(&mut self, entry: &RegistryEntry) -> usize {
        let key = format!("\u{0}{}", entry.id);
        if let Some(&e) = self.by_key.get(&key) {
            return e;
        }
        let words = name_words(&entry.name);
        // Indexed under the id it is about to get, so that its words move
        // into it rather than being copied.
        let e = self.builds.len();
        match entry.kind {
            EntityKind::Person => self.index_person(e, &words),
            EntityKind::Organization => self.index_org(e, &words),
            _ => {}
        }
        let e = self.add(Build {
            id: Some(entry.id.clone()),
            fixed_name: Some(entry.name.clone()),
            kind: entry.kind,
            registered: true,
            words,
        });
        self.by_key.insert(key, e);
        self.by_key.entry(key_of(&entry.name)).or_insert(e);
        e
    }

    fn known(&mut self, known: &Known) -> usize {
        let key = key_of(known.canonical);
        if let Some(&e) = self.by_key.get(&key) {
            return e;
        }
        let words = name_words(known.canonical);
        let e = self.builds.len();
        if known.kind == EntityKind::Organization {
            self.index_org(e, &words);
        }
        let e = self.add(Build {
            id: None,
            fixed_name: Some(known.canonical.to_string()),
            kind: known.kind,
            registered: false,
            words,
        });
        self.by_key.insert(key, e);
        e
    }

    /// A name of two words or more.
    fn multi(&mut self, c: &Candidate, kind: EntityKind) -> usize {
        let key = key_of(c.surface);
        if let Some(&e) = self.by_key.get(&key) {
            return e;
        }
        let words = name_words(c.surface);
        let found = self.near_miss(&words).or_else(|| match kind {
            EntityKind::Person => self.person_suffix(&words),
            _ => self.org_short_form(&words),
        });
        let e = match found {
            Some(e) => {
                let longer = self.builds.get(e).is_some_and(|b| b.words.len() < words.len());
                if longer && kind != EntityKind::Person {
                    self.index_org(e, &words);
                    if let Some(b) = self.builds.get_mut(e) {
                        b.words = words;
                    }
                }
                e
            }
            None => {
                let e = self.builds.len();
                match kind {
                    EntityKind::Person => self.index_person(e, &words),
                    _ => self.index_org(e, &words),
                }
                self.index_first_word(e, &words);
                self.add(Build { id: None, fixed_name: None, kind, registered: false, words })
            }
        };
        self.by_key.insert(key, e);
        e
    }

    /// "Abdourahim Said Bacar" for "Abdourahim Said Bakar", "Kalameh Sabs"
    /// for "Kalameh Sabz": same words but one letter in the last.
    fn near_miss(&self, words: &[String]) -> Option<usize> {
        let (first, last) = (words.first()?, words.last()?);
        let list = self.by_first_word.get(first)?;
        list.iter().copied().find(|&e| {
            self.builds.get(e).is_some_and(|b| {
                b.words.len() == words.len()
                    && b.words.get(..words.len() - 1) == words.get(..words.len() - 1)
                    && b.words.last().is_some_and(|l| {
                        l.chars().count() >= 4 && gazetteer::edit_distance_at_most_one(l, last)
                    })
            })
        })
    }

    /// "Lamont Hill" after "Marc Lamont Hill".
    fn person_suffix(&self, words: &[String]) -> Option<usize> {
        let e = *self.person_last.get(words.last()?)?;
        let b = self.builds.get(e)?;
        (b.words.len() > words.len() && b.words.ends_with(words)).then_some(e)
    }

    /// "Supreme Court" after "Supreme Court of Cassation", "Kenya National
    /// Commission" after "Kenyan National Commission on Human Rights", and
    /// the other way round.
    fn org_short_form(&self, words: &[String]) -> Option<usize> {
        let head = head_word(words)?;
        let list = self.org_heads.get(&head)?;
        list.iter().copied().find(|&e| {
            self.builds
                .get(e)
                .is_some_and(|b| contains_words(&b.words, words) || contains_words(words, &b.words))
        })
    }

    /// A single name word: a short form of a person or organization, a name
    /// seen before, or a new entity.
    fn single(
        &mut self,
        c: &Candidate,
        hint: Option<EntityKind>,
        mid: &HashSet<&str>,
    ) -> Option<usize> {
        let lower = c.surface.to_lowercase();
        let person = self
            .person_last
            .get(&lower)
            .or_else(|| self.person_first.get(&lower))
            .or_else(|| self.person_inner.get(&lower));
        if let Some(&e) = person {
            return Some(e);
        }
        if let Some(&e) = self.by_key.get(&lower) {
            // "In Piraeus, …" suggested nothing; "talks in Piraeus" does.
            if let Some(hint) = hint
                && self.guessed.remove(&e)
                && let Some(b) = self.builds.get_mut(e)
            {
                b.kind = hint;
            }
            return Some(e);
        }
        if hint != Some(EntityKind::Person)
            && !c.sentence_initial
            && let Some(&e) = self.org_heads.get(&lower).and_then(|l| l.first())
        {
            return Some(e);
        }
        let person = hint == Some(EntityKind::Person) || c.role.is_some();
        if !person && c.sentence_initial && !mid.contains(c.surface) {
            return None;
        }
        let e = self.add(Build {
            id: None,
            fixed_name: None,
            kind: hint.unwrap_or(EntityKind::Organization),
            registered: false,
            words: vec![lower.clone()],
        });
        if hint.is_none() {
            self.guessed.insert(e);
        }
        self.by_key.insert(lower, e);
        Some(e)
    }
}

fn contains_words(long: &[String], short: &[String]) -> bool {
    !short.is_empty() && long.len() >= short.len() && long.windows(short.len()).any(|w| w == short)
}

fn word_count(surface: &str) -> usize {
    // Names are mostly ASCII: count the words' first bytes without
    // decoding characters (ASCII whitespace is `char::is_whitespace`'s).
    if !surface.is_ascii() {
        return surface.split_whitespace().count();
    }
    let space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r');
    let mut count = 0;
    let mut after_space = true;
    for &b in surface.as_bytes() {
        count += usize::from(after_space && !space(b));
        after_space = space(b);
    }
    count
}

fn resolve(
    candidates: Vec<Candidate>,
    registry: &Registry,
    options: &EntityOptions,
) -> EntityFindings {
    let mut r = Resolver::default();
    let mut assigned: Vec<Option<usize>> = vec![None; candidates.len()];
    let mut surface_entity: HashMap<&str, usize> = HashMap::default();
    // "United Nations Children's Fund (UNICEF)": an acronym defined in the
    // article stands for its long form there, even a well-known one.
    let defined: HashSet<&str> =
        candidates.iter().filter(|c| c.acronym_of.is_some()).map(|c| c.surface).collect();
    for (slot, c) in assigned.iter_mut().zip(&candidates) {
        // Only names that discovery classified have their words counted.
        let multi = || word_count(c.surface) >= 2;
        let e = match &c.class {
            Class::Known(_) if defined.contains(c.surface) => None,
            Class::Registered(i) => registry.entries().get(*i).map(|entry| r.registered(entry)),
            Class::Known(k) if k.form != Form::People => Some(r.known(k)),
            Class::Person if multi() => Some(r.multi(c, EntityKind::Person)),
            Class::Org if multi() => Some(r.multi(c, EntityKind::Organization)),
            Class::Place if multi() => Some(r.multi(c, EntityKind::Place)),
            _ => None,
        };
        if let Some(e) = e {
            surface_entity.insert(c.surface, e);
        }
        *slot = e;
    }
    let mut acronyms: HashMap<&str, usize> = HashMap::default();
    for c in &candidates {
        if let Some(&e) = c.acronym_of.and_then(|long| surface_entity.get(long)) {
            acronyms.insert(c.surface, e);
        }
    }
    let mid: HashSet<&str> = candidates
        .iter()
        .filter(|c| matches!(c.class, Class::Single(_)) && !c.sentence_initial)
        .map(|c| c.surface)
        .collect();
    // The headline is the weakest evidence of a kind: "Piraeus talks stall"
    // reads like a company's news, "talks in Piraeus" in the body does not.
    // A name the body has too takes its kind from the body.
    let (body, headline): (Vec<_>, Vec<_>) =
        assigned.iter_mut().zip(&candidates).partition(|(_, c)| c.block > 0);
    for (slot, c) in body.into_iter().chain(headline) {
        if slot.is_some() {
            continue;
        }
        *slot = match &c.class {
            Class::Known(k) if !defined.contains(c.surface) => {
                r.by_key.get(&key_of(k.canonical)).copied()
            }
            Class::Acronym | Class::Known(_) => acronyms
                .get(c.surface)
                .copied()
                .or_else(|| r.by_key.get(&c.surface.to_lowercase()).copied()),
            Class::Single(hint) => r.single(c, *hint, &mid),
            Class::Surname => r.person_last.get(&c.surface.to_lowercase()).copied(),
            // "Sun said" after "Sun Mei": a head word alone may be the
            // family name of someone in the article.
            Class::Head => {
                let lower = c.surface.to_lowercase();
                let person = r.person_last.get(&lower).or_else(|| r.person_first.get(&lower));
                person.copied().or_else(|| {
                    let organization = r.org_heads.get(&lower).and_then(|l| l.first());
                    organization.copied().filter(|_| !c.sentence_initial)
                })
            }
            Class::Person => r.single(c, Some(EntityKind::Person), &mid),
            Class::Org => r.single(c, Some(EntityKind::Organization), &mid),
            Class::Place => r.single(c, Some(EntityKind::Place), &mid),
            _ => None,
        };
    }
    // "Medina said" after "Fernanda Medina": a place's name that speaks
    // and is the family name of a person in the article is that person.
    for (slot, c) in assigned.iter_mut().zip(&candidates) {
        if let Class::Known(k) = &c.class
            && k.kind == EntityKind::Place
            && c.speaks
            && let Some(&person) = r.person_last.get(&c.surface.to_lowercase())
        {
            *slot = Some(person);
        }
    }
    // "Mayotte Island" after "Mayotte", "Acme Corp." and "Acme": a place
    // head or a company's legal form adds nothing.
    for slot in assigned.iter_mut() {
        let Some(e) = *slot else { continue };
        let Some(b) = r.builds.get(e).filter(|b| b.fixed_name.is_none() && b.words.len() >= 2)
        else {
            continue;
        };
        let Some((last, rest)) = b.words.split_last() else { continue };
        let company = gazetteer::is_legal_form(last);
        if (gazetteer::is_place_head(last) || company)
            && let Some(&other) = r.by_key.get(&rest.join(" "))
        {
            *slot = Some(other);
            // "Cobalt Agri" alone looked like a person's name.
            if let Some(other) = r.builds.get_mut(other).filter(|_| company) {
                other.kind = EntityKind::Organization;
            }
        }
    }
    // "Obsidian Grid bets on …" over "Obsidian Grid International" in the
    // body: a name that only the default made a person, and that begins an
    // organization's name one head word longer, is that organization.
    let with_role: HashSet<usize> = candidates
        .iter()
        .zip(&assigned)
        .filter(|(c, _)| c.role.is_some())
        .filter_map(|(_, e)| *e)
        .collect();
    let longer_organization: Vec<Option<usize>> = r
        .builds
        .iter()
        .enumerate()
        .map(|(e, b)| {
            let by_default = b.kind == EntityKind::Person
                && b.fixed_name.is_none()
                && b.words.len() >= 2
                && !with_role.contains(&e);
            if !by_default {
                return None;
            }
            r.builds.iter().position(|o| {
                o.kind == EntityKind::Organization
                    && o.words.len() == b.words.len() + 1
                    && o.words.starts_with(&b.words)
                    && o.words
                        .last()
                        .is_some_and(|w| gazetteer::is_org_head(w) || gazetteer::is_legal_form(w))
            })
        })
        .collect();
    for slot in assigned.iter_mut() {
        if let Some(organization) = slot.and_then(|e| longer_organization.get(e).copied().flatten())
        {
            *slot = Some(organization);
        }
    }
    build_findings(&candidates, &assigned, &r.builds, options)
}

/// A company's name without its legal form, the way the site names its
/// page: "Marlow Networks" for "Marlow Networks Corp." ("Smith & Co." and
/// a lone "Corp." keep theirs).
fn without_legal_form(name: &str) -> &str {
    let Some((rest, last)) = name.rsplit_once(' ') else { return name };
    let rest = rest.trim_end_matches([',', ' ']);
    let dangling = rest.ends_with('&') || rest.ends_with(" and") || rest.is_empty();
    if gazetteer::is_legal_form(last) && !dangling { rest } else { name }
}

fn build_findings(
    candidates: &[Candidate],
    assigned: &[Option<usize>],
    builds: &[Build],
    options: &EntityOptions,
) -> EntityFindings {
    // Names first: the fixed name, else the longest surface (first among equals).
    let mut names: Vec<Option<String>> = builds.iter().map(|b| b.fixed_name.clone()).collect();
    let mut best_words: Vec<usize> = vec![0; builds.len()];
    for (c, e) in candidates.iter().zip(assigned) {
        let Some(e) = *e else { continue };
        if builds.get(e).is_some_and(|b| b.fixed_name.is_some()) {
            continue;
        }
        let n = word_count(c.surface);
        if let (Some(best), Some(name)) = (best_words.get_mut(e), names.get_mut(e))
            && n > *best
        {
            *best = n;
            let mut surface = c.surface.strip_prefix("The ").unwrap_or(c.surface);
            if builds.get(e).is_some_and(|b| b.kind == EntityKind::Organization) {
                surface = without_legal_form(surface);
            }
            *name = Some(surface.to_string());
        }
    }
    let ignored = |name: &str| options.ignore.iter().any(|i| i.eq_ignore_ascii_case(name));
    let mut order: Vec<Option<usize>> = vec![None; builds.len()];
    let mut findings = EntityFindings::default();
    for (c, e) in candidates.iter().zip(assigned) {
        let Some(e) = *e else { continue };
        let (Some(build), Some(Some(name))) = (builds.get(e), names.get(e)) else { continue };
        if ignored(name) {
            continue;
        }
        let index = match order.get(e).copied().flatten() {
            Some(i) => i,
            None => {
                let i = findings.entities.len();
                findings.entities.push(Entity {
                    id: build.id.clone().unwrap_or_else(|| crate::slug::slugify(name)),
                    name: name.clone(),
                    kind: build.kind,
                    surfaces: Vec::new(),
                    roles: Vec::new(),
                    registered: build.registered,
                });
                if let Some(slot) = order.get_mut(e) {
                    *slot = Some(i);
                }
                i
            }
        };
        if let Some(entity) = findings.entities.get_mut(index) {
            if !entity.surfaces.iter().any(|s| s == c.surface) {
                entity.surfaces.push(c.surface.to_string());
            }
            if let Some(role) = c.role
                && !entity.roles.iter().any(|r| r == role)
            {
                entity.roles.push(role.to_string());
            }
        }
        findings.mentions.push(Mention {
            block: c.block,
            range: c.range.clone(),
            entity: index,
            role: c.role.map(str::to_string),
        });
    }
    findings.mentions.sort_by_key(|m| (m.block, m.range.start, std::cmp::Reverse(m.range.end)));
    let mut kept: Vec<Mention> = Vec::with_capacity(findings.mentions.len());
    for m in findings.mentions.drain(..) {
        let overlaps =
            kept.last().is_some_and(|l| l.block == m.block && m.range.start < l.range.end);
        if !overlaps {
            kept.push(m);
        }
    }
    findings.mentions = kept;
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn discover(paragraphs: &[&str]) -> EntityFindings {
        find_with(&Registry::default(), paragraphs)
    }

    fn find_with(registry: &Registry, paragraphs: &[&str]) -> EntityFindings {
        let blocks: Vec<TextBlock> =
            paragraphs.iter().map(|p| TextBlock::new(BlockKind::Paragraph, *p)).collect();
        find(&blocks, registry, &EntityOptions { discover: true, ignore: Vec::new() })
    }

    fn entity<'a>(found: &'a EntityFindings, name: &str) -> Option<&'a Entity> {
        found.entities.iter().find(|e| e.name == name)
    }

    fn names(found: &EntityFindings) -> Vec<&str> {
        found.entities.iter().map(|e| e.name.as_str()).collect()
    }

    fn seed_blocks() -> Vec<TextBlock> {
        let text = include_str!("../../content/000_69bf82de41c060fe.txt");
        let labels = [
            "Why it matters",
            "Driving the news",
            "Zoom out",
            "The other side",
            "The big picture",
            "Go deeper",
        ];
        let mut blocks = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if i == 0 {
                blocks.push(TextBlock::new(BlockKind::Title, line));
                continue;
            }
            if line.is_empty() || line.starts_with("Published Date:") || line.starts_with("Source:")
            {
                continue;
            }
            if let Some(item) = line.strip_prefix('•') {
                blocks.push(TextBlock::new(BlockKind::ListItem, item.trim()));
                continue;
            }
            let mut block = TextBlock::new(BlockKind::Paragraph, line);
            for label in labels {
                if line.strip_prefix(label).is_some_and(|r| r.starts_with(':')) {
                    block.label_end = label.len() + 1;
                }
            }
            blocks.push(block);
        }
        blocks
    }

    #[test]
    fn seed_article_finds_its_people_places_and_organizations() {
        let options = EntityOptions { discover: true, ignore: Vec::new() };
        let found = find(&seed_blocks(), &Registry::default(), &options);
        let all = names(&found);
        for name in [
            "Antony Blinken",
            "Xi Jinping",
            "Wang Wenbin",
            "Janet Yellen",
            "Biden",
            "China",
            "Russia",
            "Ukraine",
            "Moscow",
            "Beijing",
            "United States",
            "Europe",
            "North Korea",
            "United States Department of State",
            "Foreign Ministry",
            "Reuters",
            "Associated Press",
            "CNN",
            "Axios",
        ] {
            assert!(all.contains(&name), "{name} missing from {all:?}");
        }
        for name in [
            "Why it matters",
            "Driving the news",
            "Zoom out",
            "Go deeper",
            "Friday",
            "Tuesday",
            "Secretary",
        ] {
            assert!(
                !found.entities.iter().any(|e| e.surfaces.iter().any(|s| s == name)),
                "{name} found in {all:?}"
            );
        }
        let blinken = entity(&found, "Antony Blinken").unwrap();
        assert!(blinken.surfaces.contains(&"Blinken".to_string()));
        assert_eq!(blinken.roles, vec!["Secretary of State".to_string()]);
        let us = entity(&found, "United States").unwrap();
        assert!(us.surfaces.contains(&"U.S.".to_string()));
        let wang = entity(&found, "Wang Wenbin").unwrap();
        assert_eq!(wang.roles, vec!["Foreign Ministry spokesperson".to_string()]);
        // Mentions are sorted and never overlap.
        for pair in found.mentions.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert!((a.block, a.range.end) <= (b.block, b.range.start), "{a:?} {b:?}");
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for s in
            ["", " ", "Xi", "Antony  Blinken", " a\tb\x0bc\x0cd\re\n", "São\u{a0}Paulo x", "a - b"]
        {
            assert_eq!(word_count(s), s.split_whitespace().count(), "{s:?}");
        }
    }

    #[test]
    fn surname_after_full_name_is_the_same_person() {
        let found = discover(&["Antony Blinken met officials.", "Later, Blinken left."]);
        assert_eq!(names(&found), vec!["Antony Blinken"]);
        assert_eq!(found.mentions.len(), 2);
        assert_eq!(found.mentions[1].entity, 0);
    }

    #[test]
    fn family_name_first_works_before_the_full_name_too() {
        let blocks = vec![
            TextBlock::new(BlockKind::Title, "Blinken meets with Xi"),
            TextBlock::new(BlockKind::Paragraph, "He met Chinese President Xi Jinping on Friday."),
        ];
        let options = EntityOptions { discover: true, ignore: Vec::new() };
        let found = find(&blocks, &Registry::default(), &options);
        let xi = entity(&found, "Xi Jinping").unwrap();
        assert_eq!(xi.surfaces, vec!["Xi".to_string(), "Xi Jinping".to_string()]);
    }

    #[test]
    fn title_before_a_name_makes_a_person_with_a_role() {
        let found = discover(&["The talks were led by Secretary of State Antony Blinken."]);
        let blinken = entity(&found, "Antony Blinken").unwrap();
        assert_eq!(blinken.kind, EntityKind::Person);
        assert_eq!(found.mentions[0].role.as_deref(), Some("Secretary of State"));
        assert_eq!(names(&found), vec!["Antony Blinken"]);
    }

    #[test]
    fn a_title_ends_the_organization_a_place_starts() {
        let found = discover(&[
            "\"We will not walk away,\" said Greece Association of Nurses President Karim Qasim.",
            "Lagos Union of Truck Drivers President Carlos Sanchez agreed with Qasim.",
        ]);
        assert_eq!(
            names(&found),
            vec![
                "Greece Association of Nurses",
                "Karim Qasim",
                "Lagos Union of Truck Drivers",
                "Carlos Sanchez"
            ]
        );
        let union = entity(&found, "Lagos Union of Truck Drivers").unwrap();
        assert_eq!(union.kind, EntityKind::Organization);
        let qasim = entity(&found, "Karim Qasim").unwrap();
        assert_eq!(
            (qasim.kind, qasim.roles.clone()),
            (EntityKind::Person, vec!["President".into()])
        );
        assert_eq!(qasim.surfaces, vec!["Karim Qasim".to_string(), "Qasim".into()]);
    }

    #[test]
    fn org_and_place_inside_a_role_are_entities_too() {
        let found = discover(&[
            "Foreign Ministry spokesperson Wang Wenbin met Chinese President Xi Jinping.",
        ]);
        assert_eq!(names(&found), vec!["Foreign Ministry", "Wang Wenbin", "China", "Xi Jinping"]);
        assert_eq!(entity(&found, "Foreign Ministry").unwrap().kind, EntityKind::Organization);
        assert_eq!(
            entity(&found, "Xi Jinping").unwrap().roles,
            vec!["Chinese President".to_string()]
        );
    }

    #[test]
    fn a_name_before_a_places_office_is_a_person_and_a_town_before_its_state_a_place() {
        let found = discover(&[
            "Rami Mansour, Georgia\u{2019}s defense minister, said the measure would be challenged.",
            "Mansour said a compromise was possible. Officials in Springfield, Illinois, agreed.",
        ]);
        let mansour = entity(&found, "Rami Mansour").unwrap();
        assert_eq!(mansour.kind, EntityKind::Person);
        assert_eq!(mansour.surfaces, vec!["Rami Mansour".to_string(), "Mansour".to_string()]);
        assert_eq!(entity(&found, "Springfield").unwrap().kind, EntityKind::Place);
    }

    #[test]
    fn the_body_not_the_headline_says_what_kind_a_name_is() {
        let blocks = vec![
            TextBlock::new(BlockKind::Title, "Piraeus talks stall over inflation target"),
            TextBlock::new(BlockKind::Paragraph, "Talks in Piraeus ended without agreement."),
            TextBlock::new(BlockKind::Paragraph, "Tampere officials said little."),
            TextBlock::new(BlockKind::Paragraph, "In Aarhus, the effects are visible."),
            TextBlock::new(BlockKind::Paragraph, "Most rounds were held near Tampere."),
        ];
        let options = EntityOptions { discover: true, ignore: Vec::new() };
        let found = find(&blocks, &Registry::default(), &options);
        assert_eq!(entity(&found, "Piraeus").unwrap().kind, EntityKind::Place);
        assert_eq!(found.mentions.iter().filter(|m| m.entity == 0).count(), 2);
        // Nothing around its second mention suggested a kind; the third's did.
        assert_eq!(entity(&found, "Tampere").unwrap().kind, EntityKind::Place);
        assert_eq!(entity(&found, "Aarhus").unwrap().kind, EntityKind::Place);
    }

    #[test]
    fn the_town_or_state_of_a_mayor_or_governor_is_a_place() {
        let found = discover(&[
            "Erik Larsen, the mayor of Izmir, said the talks had made progress.",
            "The governor of Kaduna was not consulted, aides said.",
            "\u{201c}It is too early to say,\u{201d} said Bergen Mayor Ola Nilsen.",
        ]);
        assert_eq!(entity(&found, "Bergen").unwrap().kind, EntityKind::Place);
        assert_eq!(entity(&found, "Izmir").unwrap().kind, EntityKind::Place);
        assert_eq!(entity(&found, "Kaduna").unwrap().kind, EntityKind::Place);
        assert_eq!(entity(&found, "Erik Larsen").unwrap().kind, EntityKind::Person);
    }

    #[test]
    fn honorific_alone_finds_the_full_name() {
        let found = discover(&["Gabriele Toccafondi spoke first.", "Later Mr. Toccafondi left."]);
        assert_eq!(names(&found), vec!["Gabriele Toccafondi"]);
        assert_eq!(found.mentions.len(), 2);
    }

    #[test]
    fn president_and_surname_is_a_person_without_first_name() {
        let found = discover(&["President Biden and the delegation arrived."]);
        let biden = entity(&found, "Biden").unwrap();
        assert_eq!(biden.kind, EntityKind::Person);
        assert_eq!(biden.roles, vec!["President".to_string()]);
    }

    #[test]
    fn sentence_initial_common_word_is_not_an_entity() {
        let found = discover(&[
            "Despite efforts, nothing moved. Earmarks grew. But officials waited until Friday.",
        ]);
        assert!(found.entities.is_empty(), "{:?}", names(&found));
    }

    #[test]
    fn sentence_initial_name_seen_elsewhere_is_kept() {
        let found = discover(&["Reporters met at Kalameh.", "Kalameh closed later."]);
        assert_eq!(found.mentions.len(), 2);
    }

    #[test]
    fn label_words_are_never_entities() {
        let mut block = TextBlock::new(BlockKind::Paragraph, "Why it matters: Beijing objected.");
        block.label_end = "Why it matters:".len();
        let options = EntityOptions { discover: true, ignore: Vec::new() };
        let found = find(&[block], &Registry::default(), &options);
        assert_eq!(names(&found), vec!["Beijing"]);
    }

    #[test]
    fn organization_head_makes_an_organization() {
        let found = discover(&[
            "The Irving Police Department and the Civil Defense Authority spoke.",
            "Sable Networks, Summit Shipping and the Helix Policy Lab objected, as did NXP Semiconductors.",
        ]);
        for name in [
            "Irving Police Department",
            "Civil Defense Authority",
            "Sable Networks",
            "Summit Shipping",
            "Helix Policy Lab",
            "NXP Semiconductors",
        ] {
            assert_eq!(
                entity(&found, name).map(|e| e.kind),
                Some(EntityKind::Organization),
                "{name}"
            );
        }
    }

    #[test]
    fn gazetteer_forms_and_demonyms_name_their_country() {
        let found =
            discover(&["The U.S. and North Korean officials met in the UK, said Chinese media."]);
        assert_eq!(names(&found), vec!["United States", "North Korea", "United Kingdom", "China"]);
        assert!(found.entities.iter().all(|e| e.kind == EntityKind::Place));
    }

    #[test]
    fn people_plural_needs_the_country_named() {
        let found = discover(&["Bangladeshis and Kenyans arrived.", "Kenya agreed."]);
        assert_eq!(names(&found), vec!["Kenya"]);
        assert_eq!(entity(&found, "Kenya").unwrap().surfaces, vec!["Kenyans", "Kenya"]);
    }

    #[test]
    fn acronym_in_parentheses_is_a_surface_of_the_name() {
        let found = discover(&[
            "It quoted the Korean Central News Agency (KCNA) at length.",
            "Later KCNA added more.",
        ]);
        let kcna = entity(&found, "Korean Central News Agency").unwrap();
        assert_eq!(kcna.surfaces, vec!["Korean Central News Agency", "KCNA"]);
        assert_eq!(found.mentions.len(), 3);
    }

    #[test]
    fn unknown_acronym_alone_is_not_an_entity() {
        let found = discover(&["He got VIP treatment under the IMU system."]);
        assert!(found.entities.is_empty(), "{:?}", names(&found));
    }

    #[test]
    fn well_known_acronym_has_its_canonical_name() {
        let found = discover(&["Blinken told CNN and AP that the UN would meet."]);
        for name in ["CNN", "Associated Press", "United Nations"] {
            assert!(entity(&found, name).is_some(), "{name}: {:?}", names(&found));
        }
    }

    #[test]
    fn possessive_is_not_part_of_a_surface() {
        let found = discover(&["China's support and Axios' request."]);
        assert_eq!(entity(&found, "China").unwrap().surfaces, vec!["China"]);
        assert_eq!(entity(&found, "Axios").unwrap().surfaces, vec!["Axios"]);
    }

    #[test]
    fn name_particles_join_a_name() {
        let found =
            discover(&["Suleiman al-Amr met Ludwig van Beethoven and the Army of the Comoros."]);
        assert_eq!(
            names(&found),
            vec!["Suleiman al-Amr", "Ludwig van Beethoven", "Army of the Comoros"]
        );
    }

    #[test]
    fn hyphenated_place_prefix_is_its_own_mention() {
        let found = discover(&["A U.S.-sanctioned ship sailed on anti-Pyongyang broadcasts."]);
        assert_eq!(names(&found), vec!["United States", "Pyongyang"]);
    }

    #[test]
    fn short_form_of_an_organization_is_the_same_organization() {
        let found = discover(&[
            "The ruling of the Supreme Court of Cassation stands.",
            "The Supreme Court said so, and the Court will not review it.",
        ]);
        assert_eq!(names(&found), vec!["Supreme Court of Cassation"]);
        assert_eq!(found.mentions.len(), 3);
    }

    #[test]
    fn events_and_laws_are_not_entities() {
        let found = discover(&[
            "It recalls the Cold War and the Emergency Economic Stabilization Act of 2008.",
        ]);
        assert!(found.entities.is_empty(), "{:?}", names(&found));
    }

    #[test]
    fn one_letter_misspelling_joins_the_same_person() {
        let found =
            discover(&["Abdourahim Said Bakar spoke.", "Then Abdourahim Said Bacar said more."]);
        assert_eq!(names(&found), vec!["Abdourahim Said Bakar"]);
    }

    #[test]
    fn protected_ranges_never_hold_a_mention() {
        let mut block = TextBlock::new(BlockKind::Paragraph, "See `Beijing` and Moscow.");
        block.protected.push(4..13);
        let options = EntityOptions { discover: true, ignore: Vec::new() };
        let found = find(&[block], &Registry::default(), &options);
        assert_eq!(names(&found), vec!["Moscow"]);
    }

    fn entry(name: &str, kind: EntityKind, alias: &str) -> RegistryEntry {
        RegistryEntry {
            id: crate::slug::slugify(name),
            name: name.into(),
            kind,
            aliases: vec![alias.into()],
        }
    }

    fn registry() -> Registry {
        Registry::new(vec![
            entry("Ada Lovelace", EntityKind::Person, "Ada"),
            entry("China", EntityKind::Place, "Beijing"),
        ])
    }

    #[test]
    fn registry_alias_needs_word_boundaries() {
        let blocks = [TextBlock::new(BlockKind::Paragraph, "Adam met Ada, then Adamant Ada left.")];
        let options = EntityOptions { discover: false, ignore: Vec::new() };
        let found = find(&blocks, &registry(), &options);
        let starts: Vec<usize> = found.mentions.iter().map(|m| m.range.start).collect();
        assert_eq!(starts, vec![9, 27]);
        assert_eq!(found.entities[0].id, "ada-lovelace");
        assert!(found.entities[0].registered);
    }

    #[test]
    fn registry_names_win_over_discovery() {
        let blocks = [TextBlock::new(
            BlockKind::Paragraph,
            "Beijing said Ada Lovelace and Lovelace agreed.",
        )];
        let options = EntityOptions { discover: true, ignore: Vec::new() };
        let found = find(&blocks, &registry(), &options);
        assert_eq!(names(&found), vec!["China", "Ada Lovelace"]);
        assert_eq!(found.entities[0].id, "china");
        // The surname alone is coreferent with the registered person.
        assert_eq!(found.mentions.len(), 3);
    }

    fn pakistan() -> Registry {
        Registry::new(vec![entry("Pakistan", EntityKind::Place, "")])
    }

    #[test]
    fn a_registry_place_that_begins_an_organizations_name_leaves_it_whole() {
        let found = find_with(
            &pakistan(),
            &[
                "The Pakistan Ports Authority said Pakistan would wait, by the Pakistan Trade Agency\u{2019}s count.",
                "Pakistan Prime Minister Ali Khan met the Pakistan Central Bank in Karachi.",
            ],
        );
        let org = entity(&found, "Pakistan Ports Authority").unwrap();
        assert_eq!(org.kind, EntityKind::Organization);
        assert!(entity(&found, "Pakistan Central Bank").is_some());
        assert!(entity(&found, "Pakistan Trade Agency").is_some());
        assert!(entity(&found, "Ports Authority").is_none());
        // A title after the place is not an organization: Pakistan stays,
        // as it does where it stands alone.
        let place = found.entities.iter().position(|e| e.name == "Pakistan").unwrap();
        assert!(found.entities[place].registered);
        assert_eq!(found.mentions.iter().filter(|m| m.entity == place).count(), 2);
    }

    #[test]
    fn a_registered_person_that_begins_a_foundations_name_leaves_it_whole() {
        let found = find_with(
            &lindqvist(),
            &["The Sigrid Lindqvist Foundation will fund it.", "Sigrid Lindqvist agreed."],
        );
        assert_eq!(names(&found), vec!["Sigrid Lindqvist Foundation", "Sigrid Lindqvist"]);
        assert_eq!(found.entities[0].kind, EntityKind::Organization);
        assert!(found.entities[1].registered);
    }

    #[test]
    fn a_headline_keeps_its_registry_place() {
        let blocks = [TextBlock::new(BlockKind::Title, "Pakistan Oil Imports Rise")];
        let options = EntityOptions { discover: true, ignore: Vec::new() };
        let found = find(&blocks, &pakistan(), &options);
        assert!(entity(&found, "Pakistan").is_some_and(|e| e.registered));
    }

    fn lindqvist() -> Registry {
        Registry::new(vec![entry("Sigrid Lindqvist", EntityKind::Person, "Lindqvist")])
    }

    #[test]
    fn a_registered_surname_after_another_first_name_is_another_person() {
        let found = find_with(
            &lindqvist(),
            &["Ingrid Lindqvist, a professor, said Monday.", "Lindqvist said it again."],
        );
        assert_eq!(names(&found), vec!["Ingrid Lindqvist"]);
        assert!(!found.entities[0].registered);
        assert_eq!(found.mentions.len(), 2);
    }

    #[test]
    fn a_registered_family_name_before_another_given_name_is_another_person() {
        let wang = Registry::new(vec![entry("Wang Wenbin", EntityKind::Person, "Wang")]);
        let found = find_with(&wang, &["Wang Hui, the minister, said so."]);
        assert_eq!(names(&found), vec!["Wang Hui"]);
        let found = find_with(&wang, &["Wang Wenbin spoke.", "Wang said so."]);
        assert_eq!(names(&found), vec!["Wang Wenbin"]);
        assert_eq!(found.mentions.len(), 2);
    }

    #[test]
    fn a_registered_surname_after_a_title_is_the_registered_person() {
        let with_middle_name =
            Registry::new(vec![entry("Sigrid Anna Lindqvist", EntityKind::Person, "Lindqvist")]);
        let found = find_with(&with_middle_name, &["Anna Lindqvist said so."]);
        assert_eq!(names(&found), vec!["Sigrid Anna Lindqvist"]);
        for text in ["President Lindqvist said so.", "Dr. Lindqvist said so.", "Lindqvist said so."]
        {
            let found = find_with(&lindqvist(), &[text]);
            assert_eq!(names(&found), vec!["Sigrid Lindqvist"], "{text}");
        }
    }

    #[test]
    fn a_bare_surname_stays_registered_when_the_article_names_both() {
        let found = find_with(
            &lindqvist(),
            &["Sigrid Lindqvist met Ingrid Lindqvist.", "Lindqvist said it again."],
        );
        assert_eq!(names(&found), vec!["Sigrid Lindqvist", "Ingrid Lindqvist"]);
        let sigrid = entity(&found, "Sigrid Lindqvist").unwrap();
        assert!(sigrid.registered);
        assert_eq!(sigrid.surfaces, vec!["Sigrid Lindqvist", "Lindqvist"]);
    }

    #[test]
    fn a_company_with_and_without_its_legal_form_is_one_organization() {
        let found = discover(&[
            "Marlow Networks Corp. and its rivals asked for a delay.",
            "Marlow Networks said on Monday it would wait.",
        ]);
        assert_eq!(names(&found), vec!["Marlow Networks"]);
        assert_eq!(found.entities[0].id, "marlow-networks");
        assert_eq!(found.mentions.len(), 2);
        // The legal form settles what the bare name left open.
        let found = discover(&["Cobalt Agri rose.", "Cobalt Agri Corp. said so."]);
        assert_eq!(names(&found), vec!["Cobalt Agri"]);
        assert_eq!(found.entities[0].kind, EntityKind::Organization);
        // Alone, it is still named without its legal form, so that every
        // article links to the same page.
        let found = discover(&["Lakeshore Motors Inc. asked for a delay."]);
        assert_eq!(names(&found), vec!["Lakeshore Motors"]);
        assert_eq!(without_legal_form("Smith & Co."), "Smith & Co.");
        assert_eq!(without_legal_form("Acme, Inc."), "Acme");
    }

    #[test]
    fn and_ends_a_name_after_a_title() {
        let found = discover(&[
            "Bank of England Governor Andrew Bailey and Federal Reserve Chair Jerome Powell spoke.",
        ]);
        assert_eq!(
            names(&found),
            vec!["Bank of England", "Andrew Bailey", "Federal Reserve", "Jerome Powell"]
        );
        let bailey = entity(&found, "Andrew Bailey").unwrap();
        assert_eq!(bailey.kind, EntityKind::Person);
        assert_eq!(bailey.roles, vec!["Governor"]);
    }

    #[test]
    fn a_capital_after_a_legal_form_may_start_a_sentence() {
        let found = discover(&[
            "Shares of Cobalt Biotech Corp. Fell 2.4 percent after the announcement.",
            "Acme Inc. The company said so.",
        ]);
        assert_eq!(names(&found), vec!["Cobalt Biotech", "Acme"]);
    }

    #[test]
    fn a_known_name_inside_a_longer_one_keeps_the_words_before_it() {
        let found = discover(&[
            "The International Labour Organization said so.",
            "The International Labour Panel met. Former Labour Party leaders spoke.",
        ]);
        assert_eq!(
            names(&found),
            vec!["International Labour Organization", "International Labour Panel", "Labour Party"]
        );
    }

    #[test]
    fn an_office_in_apposition_makes_a_lone_name_a_person() {
        let found = discover(&[
            "Xiaoling, Morocco's president, said Tuesday that it was too quick.",
            "They met Mansour, the defense minister, on Monday.",
        ]);
        assert_eq!(names(&found), vec!["Xiaoling", "Morocco", "Mansour"]);
        assert_eq!(found.entities[0].kind, EntityKind::Person);
        assert_eq!(found.entities[2].kind, EntityKind::Person);
    }

    #[test]
    fn a_stop_word_that_is_also_a_name_starts_one_where_it_cannot_be_the_word() {
        let found = discover(&[
            "He Jun said Tuesday that the talks had failed.",
            "He Xiaoling, Morocco's president, said it was too quick.",
            "\"We will not move,\" said Kestrel Policy Lab analyst Can Ozdemir.",
            "Can Celik said Sunday that it was over.",
        ]);
        assert_eq!(
            names(&found),
            vec![
                "He Jun",
                "He Xiaoling",
                "Morocco",
                "Kestrel Policy Lab",
                "Can Ozdemir",
                "Can Celik"
            ]
        );
        assert!(
            found
                .entities
                .iter()
                .filter(|e| e.name != "Morocco" && !e.name.contains("Lab"))
                .all(|e| e.kind == EntityKind::Person)
        );
        // The pronoun, the modal and a headline stay words.
        let found = discover(&[
            "Pakistan Can Wait",
            "He met Mansour on Monday. Can Macron survive the vote?",
        ]);
        assert!(!names(&found).iter().any(|n| n.starts_with("Can ") || n.starts_with("He ")));
        assert!(names(&found).contains(&"Macron"));
    }

    #[test]
    fn a_name_before_an_office_and_its_holder_is_an_organization() {
        let found = discover(&[
            "\"There is no quick fix here,\" said Eastgate Rail president Sunita Mehta.",
            "Obsidian Grid chief executive Marco Bianchi disagreed.",
            "Copperfield Steel chief financial officer Ana Lima agreed.",
            "\"It could not be worse,\" said Eastgate Agri head of strategy Davide Bruno.",
        ]);
        let kind = |name: &str| entity(&found, name).map(|e| e.kind);
        assert_eq!(kind("Eastgate Rail"), Some(EntityKind::Organization));
        assert_eq!(kind("Obsidian Grid"), Some(EntityKind::Organization));
        assert_eq!(kind("Eastgate Agri"), Some(EntityKind::Organization));
        assert_eq!(kind("Copperfield Steel"), Some(EntityKind::Organization));
        let lima = entity(&found, "Ana Lima").map(|e| e.roles.clone());
        assert_eq!(lima, Some(vec!["Copperfield Steel chief financial officer".to_string()]));
        assert_eq!(kind("Sunita Mehta"), Some(EntityKind::Person));
        assert_eq!(kind("Marco Bianchi"), Some(EntityKind::Person));
    }

    #[test]
    fn a_name_that_begins_an_organization_one_head_word_longer_is_it() {
        let found = discover(&[
            "Obsidian Grid bets on refinery plan",
            "Obsidian Grid International said it would expand.",
            "Secretary Maria Lopez met the Maria Lopez Foundation.",
        ]);
        assert_eq!(
            names(&found),
            vec!["Obsidian Grid International", "Maria Lopez", "Maria Lopez Foundation"]
        );
        assert_eq!(
            found.entities[0].surfaces,
            vec!["Obsidian Grid", "Obsidian Grid International"]
        );
        assert_eq!(found.entities[1].kind, EntityKind::Person);
    }

    #[test]
    fn a_place_that_speaks_is_the_person_of_that_family_name() {
        let found = discover(&[
            "Interior Minister Fernanda Medina met them.",
            "\"They want to see results,\" Medina said. Pilgrims flocked to Medina.",
            "Beijing said it would respond.",
        ]);
        assert_eq!(names(&found), vec!["Fernanda Medina", "Medina", "Beijing"]);
        assert_eq!(found.entities[0].surfaces, vec!["Fernanda Medina", "Medina"]);
        assert_eq!(found.entities[1].kind, EntityKind::Place);
        assert_eq!(found.entities[2].kind, EntityKind::Place);
    }

    #[test]
    fn a_company_name_may_start_like_a_participle() {
        let found = discover(&[
            "Sterling Rail Corp. has lobbied for months.",
            "Following Biden, the others spoke. Neighbouring Argentina waited.",
        ]);
        assert_eq!(names(&found), vec!["Sterling Rail", "Biden", "Argentina"]);
        assert_eq!(found.entities[0].kind, EntityKind::Organization);
    }

    #[test]
    fn a_family_name_that_is_a_place_head_is_a_person_who_speaks_or_holds_office() {
        let found = discover(&[
            "Matthew Hall, the secretary-general of the alliance, said so.",
            "\"We will not walk away,\" Hall said in an interview.",
            "Rachel Hill said the figures were worse.",
        ]);
        assert_eq!(names(&found), vec!["Matthew Hall", "Rachel Hill"]);
        assert!(found.entities.iter().all(|e| e.kind == EntityKind::Person));
        assert_eq!(found.mentions.len(), 3, "the bare \"Hall\" is Matthew Hall");
        let found = discover(&[
            "The orchestra played at Carnegie Hall on Friday.",
            "She went on to the Elysee Palace, the president's official residence.",
        ]);
        assert_eq!(names(&found), vec!["Carnegie Hall", "Elysee Palace"]);
        assert!(found.entities.iter().all(|e| e.kind == EntityKind::Place));
    }

    #[test]
    fn a_head_word_alone_can_be_the_family_name_of_a_person_named_before() {
        let found = discover(&["Sun Mei, a researcher, spoke on Friday.", "Sun said it again."]);
        assert_eq!(names(&found), vec!["Sun Mei"]);
        assert_eq!(found.mentions.len(), 2);
    }

    #[test]
    fn a_title_alone_can_be_the_family_name_of_a_person_named_before() {
        let found = discover(&["John King said so on Friday.", "King said it again."]);
        assert_eq!(names(&found), vec!["John King"]);
        assert_eq!(found.mentions.len(), 2);
        // With no one of that name, the title stays no one.
        let found = discover(&["The King said it again."]);
        assert!(found.entities.is_empty(), "{:?}", names(&found));
    }

    #[test]
    fn a_forum_that_speaks_is_an_organization() {
        let found = discover(&[
            "The Asian Infrastructure Forum said it was studying the text.",
            "The Belt and Road Initiative and the Davos Forum went on.",
        ]);
        assert_eq!(names(&found), vec!["Asian Infrastructure Forum"]);
        assert_eq!(found.entities[0].kind, EntityKind::Organization);
    }

    #[test]
    fn a_head_word_after_a_title_can_start_a_name() {
        let found = discover(&[
            "Ethiopia's Foreign Minister Park Seo-yeon said so.",
            "The Global Health Partnership said it was studying the text.",
        ]);
        assert_eq!(names(&found), vec!["Ethiopia", "Park Seo-yeon", "Global Health Partnership"]);
        assert_eq!(found.entities[1].roles, vec!["Foreign Minister"]);
        assert_eq!(found.entities[2].kind, EntityKind::Organization);
    }

    #[test]
    fn places_named_with_the_and_with_particles() {
        let found = discover(&["Talks in The Hague and Dar es Salaam stalled."]);
        assert_eq!(names(&found), vec!["The Hague", "Dar es Salaam"]);
    }

    #[test]
    fn a_title_that_is_also_a_known_name_is_only_a_title() {
        let found = discover(&["Economist Jane Doe said so.", "The Economist reported it."]);
        assert_eq!(names(&found), vec!["Jane Doe", "The Economist"]);
        assert_eq!(found.entities[0].roles, vec!["Economist"]);
        assert_eq!(found.mentions.len(), 2);
    }

    #[test]
    fn ignored_strings_are_never_entities() {
        let blocks = [TextBlock::new(BlockKind::Paragraph, "Reuters and Axios reported it.")];
        let options = EntityOptions { discover: true, ignore: vec!["axios".into()] };
        let found = find(&blocks, &Registry::default(), &options);
        assert_eq!(names(&found), vec!["Reuters"]);
    }

    #[test]
    fn well_known_acronym_defined_in_the_article_names_the_long_form() {
        let found = discover(&["The United Nations Children's Fund (UNICEF) sent aid."]);
        assert_eq!(names(&found), vec!["United Nations Children's Fund"]);
        assert_eq!(found.entities[0].surfaces, vec!["United Nations Children's Fund", "UNICEF"]);
    }

    #[test]
    fn middle_name_alone_is_the_same_person() {
        let found = discover(&["President Luiz Inácio Lula da Silva spoke.", "Milei called Lula."]);
        let lula = entity(&found, "Luiz Inácio Lula da Silva").unwrap();
        assert!(lula.surfaces.contains(&"Lula".to_string()));
    }

    #[test]
    fn sentence_initial_participle_is_not_part_of_a_name() {
        let found = discover(&["Neighbouring Argentina offered help."]);
        assert_eq!(names(&found), vec!["Argentina"]);
    }

    #[test]
    fn huge_paragraph_is_handled_in_linear_time() {
        let sentence = "Antony Blinken met Xi Jinping in Beijing and The Foo Bar Baz Qux said so. ";
        let mut text = sentence.repeat(14_000);
        text.push_str(&"Aa ".repeat(100_000));
        text.push_str(&"Ab of Ac and ".repeat(50_000));
        let started = std::time::Instant::now();
        let found = discover(&[&text]);
        assert!(found.mentions.len() > 14_000);
        // Generous bound for debug builds on a busy machine; quadratic work would take minutes.
        assert!(started.elapsed().as_secs() < 60);
    }

    #[test]
    fn odd_text_never_panics() {
        for text in [
            "",
            " ",
            "'s",
            "A.",
            "é-",
            "-É",
            "U.S.'",
            "#Tag @Handle",
            "( KCNA",
            "X (Y",
            "Ünïcödé Ñame's",
            "\u{2019}s \u{201c}Quote\u{201d}",
            "Mr.",
            "of the of",
            "Al-",
            "al-",
            "5 5 5",
        ] {
            let _ = discover(&[text]);
        }
    }
}
