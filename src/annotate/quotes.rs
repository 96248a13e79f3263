//! Quotes: find direct quotations in an article's blocks and attribute each
//! to its speaker.
//!
//! Detection pairs double quotation marks (straight or curly) block by block
//! in one linear pass; single marks are never paired, so apostrophes
//! ("U.S.'", "'90s", "rock 'n' roll") cannot disturb it. A paragraph that
//! opens a quotation without closing it, followed by a block that opens one
//! again, is the journalistic continuation: each paragraph gives its own
//! quote and they share a speaker.
//!
//! Attribution reads the words around each quotation as tokens (every
//! quotation is one opaque token, so its inner words never count as cues):
//! a cue verb after it (`"…," X said`, `"…," said X`), a cue before it
//! (`X said: "…"`, `X told CNN that "…"`, `according to X`), then falls back
//! to the quotation next to it in the same sentence or to the previous
//! sentence's subject. Speakers are entity mentions; pronouns and definite
//! descriptions ("the spokesman", "the statement") are resolved against what
//! the article said before; unnamed sources stay descriptions.
//!
//! Every scan is bounded by a small window or visits each token once, so the
//! stage is linear in the size of the article.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use super::entities::{EntityFindings, EntityKind};
use super::{BlockKind, TextBlock};

/// Who a quote is attributed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Speaker {
    /// A found entity: index into [`EntityFindings::entities`].
    Entity(usize),
    /// An unnamed source kept as written ("a senior State Department official").
    Description(String),
    /// No attribution could be found.
    Unknown,
}

/// One direct quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Index of the block in the slice given to [`find`].
    pub block: usize,
    /// Byte range of the quoted words in the block's text, without the marks.
    pub range: Range<usize>,
    /// The quoted words, without the marks.
    pub text: String,
    /// Who said it.
    pub speaker: Speaker,
    /// The attribution verb and its time or place as written ("said Friday", "added").
    pub cue: Option<String>,
}

/// Finds and attributes the quotes of one article.
pub fn find(blocks: &[TextBlock], entities: &EntityFindings) -> Vec<Quote> {
    let mut spans = scan_article(blocks);
    // Attribution reads a block for who was last named, which matters only
    // to a later quotation: blocks after the last pair of marks are not
    // read at all, nor is any block of an article without one.
    let Some(last) = spans.iter().rposition(|s| !s.is_empty()) else { return Vec::new() };
    spans.truncate(last + 1);
    // Every block's mentions in one list, in order: a slice of it per block
    // rather than a vector each.
    let mut mentions: Vec<&super::entities::Mention> =
        entities.mentions.iter().filter(|m| m.entity < entities.entities.len()).collect();
    mentions.sort_by_key(|m| (m.block, m.range.start, m.range.end));
    let mut rest = mentions.as_slice();
    let prepared: Vec<Block<'_>> = blocks
        .iter()
        .zip(spans)
        .enumerate()
        .map(|(b, (block, spans))| {
            let (here, after) = rest.split_at(rest.partition_point(|m| m.block == b));
            rest = after;
            Block::new(block, spans, here)
        })
        .collect();
    Attributor::new(blocks, entities, &prepared).run()
}

// ---------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------

/// A pair of double quotation marks in one block.
#[derive(Debug, Clone)]
struct Span {
    /// Byte offset of the opening mark.
    open: usize,
    /// The words between the marks.
    inner: Range<usize>,
    /// Byte offset just past the closing mark (the block's end when continued).
    end: usize,
    /// Left open at the end of its paragraph and taken up by the next block.
    continued: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open,
    Close,
    Either,
}

fn is_double_mark(c: char) -> bool {
    matches!(c, '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{FF02}')
}

/// Which way a mark faces, from its neighbours first and its glyph second:
/// curly marks are often typed the wrong way round, straight ones face both.
fn mark_role(c: char, prev: Option<char>, next: Option<char>) -> Mark {
    let open_ctx = next.is_some_and(|n| !n.is_whitespace())
        && prev.is_none_or(|p| p.is_whitespace() || "([{\u{2014}\u{2013}-/:;".contains(p));
    let close_ctx = prev.is_some_and(|p| !p.is_whitespace())
        && next.is_none_or(|n| {
            n.is_whitespace() || ".,;:!?)]}\u{2014}\u{2013}-\u{2026}'\u{2019}".contains(n)
        });
    match (open_ctx, close_ctx) {
        (true, false) => Mark::Open,
        (false, true) => Mark::Close,
        _ => match c {
            '\u{201C}' | '\u{201E}' | '\u{201F}' => Mark::Open,
            '\u{201D}' => Mark::Close,
            _ => Mark::Either,
        },
    }
}

/// Pairs the double marks of one block. Returns the closed spans and, when
/// the block ends inside a quotation, the opening mark and where its words
/// start. An opening mark met inside an open quotation starts over there, so
/// one stray mark costs at most one quotation, never the rest of the block.
fn scan_block(text: &str) -> (Vec<Span>, Option<(usize, usize)>) {
    let mut spans = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    // A double mark is `"` or starts with the byte 0xE2 (U+201C to U+201F)
    // or 0xEF (U+FF02): only those places are looked at, not every character.
    for i in memchr::memchr3_iter(b'"', 0xE2, 0xEF, text.as_bytes()) {
        let Some(c) = text.get(i..).and_then(|s| s.chars().next()) else { continue };
        if !is_double_mark(c) {
            continue;
        }
        let after = i + c.len_utf8();
        let prev = text.get(..i).and_then(|s| s.chars().next_back());
        let next = text.get(after..).and_then(|s| s.chars().next());
        match (open, mark_role(c, prev, next)) {
            (None, Mark::Open | Mark::Either) | (Some(_), Mark::Open) => {
                open = Some((i, after));
            }
            (None, Mark::Close) => {}
            (Some((o, s)), Mark::Close | Mark::Either) => {
                spans.push(Span { open: o, inner: s..i, end: after, continued: false });
                open = None;
            }
        }
    }
    (spans, open)
}

fn starts_with_mark(text: &str) -> bool {
    text.trim_start().chars().next().is_some_and(is_double_mark)
}

fn scan_article(blocks: &[TextBlock]) -> Vec<Vec<Span>> {
    let mut out = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        if block.kind == BlockKind::Title {
            out.push(Vec::new());
            continue;
        }
        let (mut spans, open) = scan_block(&block.text);
        if let Some((o, s)) = open {
            let next_opens = blocks
                .get(i + 1)
                .is_some_and(|n| n.kind != BlockKind::Title && starts_with_mark(&n.text));
            let end = block.text.trim_end().len().max(s);
            if next_opens {
                spans.push(Span { open: o, inner: s..end, end: block.text.len(), continued: true });
            }
        }
        out.push(spans);
    }
    out
}

#[rustfmt::skip]
const TITLE_SMALL_WORDS: &[&str] = &[
    "of", "the", "and", "for", "in", "on", "a", "an", "to", "at", "by", "de", "la", "le", "van",
    "von", "with", "or", "from", "del", "da", "di",
];

/// Words that introduce a name, a title or a term rather than someone's words.
#[rustfmt::skip]
const NAMING_WORDS: &[&str] = &[
    "titled", "entitled", "named", "dubbed", "nicknamed", "so-called", "called", "hashtag",
    "headlined", "slogan", "motto", "term", "phrase", "banner", "caption", "label", "labelled",
    "labeled", "branded",
];

/// Whether `s` has at least `n` words (without counting the rest).
fn has_words(s: &str, n: usize) -> bool {
    s.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).take(n).count() == n
}

/// A quoted span whose every word is capitalised and that has no sentence
/// punctuation reads as a name or a title ("The Emergency Economic
/// Stabilization Act"), not as someone's words.
fn looks_like_name(inner: &str) -> bool {
    // Bytes, not characters: the marks are ASCII, which no other character's
    // bytes can be.
    if inner.bytes().any(|b| matches!(b, b'.' | b'!' | b'?' | b',' | b';' | b':')) {
        return false;
    }
    let mut words = 0;
    for raw in inner.split_whitespace().take(40) {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if w.is_empty() {
            continue;
        }
        words += 1;
        if words > 1 && TITLE_SMALL_WORDS.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            continue;
        }
        if !w.chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric()) {
            return false;
        }
    }
    words > 0
}

fn introduced_as_name(before: &str) -> bool {
    let mut words = before.split_whitespace().rev();
    let last = words.next().unwrap_or("");
    let last = last.trim_matches(|c: char| !c.is_alphanumeric() && c != '-');
    if NAMING_WORDS.iter().any(|w| w.eq_ignore_ascii_case(last)) {
        return true;
    }
    let prev = words.next().unwrap_or("");
    last.eq_ignore_ascii_case("as") && prev.eq_ignore_ascii_case("known")
}

/// Whether a quoted span is a quotation: at least three words, and not a
/// name, title or term.
fn is_quotation(text: &str, span: &Span) -> bool {
    let Some(inner) = text.get(span.inner.clone()) else {
        return false;
    };
    if !has_words(inner, 3) {
        return false;
    }
    if span.continued {
        return true;
    }
    let before = text.get(..span.open).unwrap_or("");
    !looks_like_name(inner) && !introduced_as_name(before)
}

// ---------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Punct(char),
    /// A possessive "'s".
    Poss,
    /// A whole quotation, marks included: index into [`Block::quotes`].
    Quote(usize),
}

#[derive(Debug, Clone)]
struct Tok {
    range: Range<usize>,
    kind: Kind,
    /// The word lists a word is in (none for other tokens).
    lists: Lists,
    /// The mention ending on it.
    ment_end: Option<usize>,
    /// The mention starting on it.
    ment_start: Option<usize>,
    /// The cue it is: worked out once, as every scan asks.
    cue: Option<CueKind>,
}

impl Tok {
    fn new(range: Range<usize>, kind: Kind, lists: Lists) -> Tok {
        Tok { range, kind, lists, ment_end: None, ment_start: None, cue: None }
    }
}

#[derive(Debug, Clone)]
struct Ment {
    /// First token of the mention.
    ts: usize,
    /// One past its last token.
    te: usize,
    entity: usize,
    role: Option<String>,
}

struct Block<'a> {
    text: &'a str,
    toks: Vec<Tok>,
    sents: Vec<Range<usize>>,
    quotes: Vec<Span>,
    ments: Vec<Ment>,
}

#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "capt", "st", "jr",
    "sr", "inc", "corp", "ltd", "co", "no", "vs", "etc", "prof", "maj", "adm", "rev", "hon", "pp",
    "jan", "feb", "aug", "sept", "oct", "nov", "dec", "ft", "mt", "u.s", "u.k", "u.n", "e.g", "i.e",
];

/// The character at byte `i`; news text is mostly ASCII, which needs no
/// decoding.
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        _ => text.get(i..).and_then(|s| s.chars().next()),
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Whether an apostrophe at `i` starts a possessive "'s".
fn possessive_at(text: &str, i: usize) -> bool {
    let Some(a) = char_at(text, i) else { return false };
    if !is_apostrophe(a) {
        return false;
    }
    let j = i + a.len_utf8();
    matches!(char_at(text, j), Some('s' | 'S'))
        && !char_at(text, j + 1).is_some_and(super::is_word_char)
}

/// Whether the apostrophe at byte `i` makes the capitalised name before it
/// possessive ("the United States' Foreign Minister"): it follows an "s"
/// and no letter follows it.
fn plural_possessive_at(text: &str, i: usize) -> bool {
    let Some(a) = char_at(text, i).filter(|&a| is_apostrophe(a)) else { return false };
    let before = text.get(..i).unwrap_or_default();
    let word = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    word.ends_with('s')
        && word.chars().next().is_some_and(char::is_uppercase)
        && !char_at(text, i + a.len_utf8()).is_some_and(super::is_word_char)
}

/// Whether a word may go on at a byte after its ASCII letters and digits: a
/// joiner, a final dot, or a non-ASCII character.
fn may_go_on(b: u8) -> bool {
    matches!(b, b'-' | b'.' | b'\'') || !b.is_ascii()
}

/// End of the word starting at `i`: letters and digits, joined by inner
/// hyphens, apostrophes and dots ("al-Amr", "don't", "U.S."), keeping a
/// final dot only for abbreviations and initials.
fn word_end(text: &str, i: usize) -> usize {
    // Most words are ASCII letters ending on a space or a comma, which
    // nothing can join: skip the letters, and only look further when the
    // word may go on.
    let e = i + super::alnum_run(text.as_bytes(), i);
    if text.as_bytes().get(e).is_some_and(|&b| may_go_on(b)) {
        return joined_word_end(text, i, e);
    }
    e
}

/// [`word_end`] from `e`, where the word starting at `i` may go on.
fn joined_word_end(text: &str, i: usize, mut e: usize) -> usize {
    let mut has_dot = false;
    loop {
        while let Some(c) = char_at(text, e) {
            if !super::is_word_char(c) {
                break;
            }
            e += c.len_utf8();
        }
        let Some(c) = char_at(text, e) else { break };
        let joiner = matches!(c, '-' | '.' | '\u{2010}' | '\u{2011}') || is_apostrophe(c);
        let after = e + c.len_utf8();
        if !joiner || !char_at(text, after).is_some_and(super::is_word_char) {
            break;
        }
        if is_apostrophe(c) && possessive_at(text, e) {
            break;
        }
        has_dot |= c == '.';
        e = after + super::alnum_run(text.as_bytes(), after);
        if !text.as_bytes().get(e).is_some_and(|&b| may_go_on(b)) {
            return e;
        }
    }
    if char_at(text, e) == Some('.') {
        let w = text.get(i..e).unwrap_or("");
        let mut chars = w.chars();
        let single_initial = chars.next().is_some_and(char::is_uppercase) && chars.next().is_none();
        if has_dot || single_initial || lists_of(w).has(Lists::ABBREVIATIONS) {
            e += 1;
        }
    }
    e
}

fn tokenize(text: &str, start: usize, quotes: &[Span]) -> Vec<Tok> {
    // About one token in five bytes of news text: enough room to rarely grow.
    let mut toks = Vec::with_capacity(text.len() / 5 + 1);
    let mut next_quote = 0;
    let mut i = start;
    while i < text.len() {
        // No quotation starts on a space: step over it before asking.
        if text.as_bytes().get(i) == Some(&b' ') {
            i += 1;
            continue;
        }
        while quotes.get(next_quote).is_some_and(|q| q.open < i) {
            next_quote += 1;
        }
        if let Some(q) = quotes.get(next_quote)
            && q.open == i
        {
            toks.push(Tok::new(q.open..q.end, Kind::Quote(next_quote), Lists::NONE));
            i = q.end.max(i + 1);
            next_quote += 1;
            continue;
        }
        let Some(c) = char_at(text, i) else {
            // Not a character boundary: step to the next one.
            i += 1;
            continue;
        };
        let len = c.len_utf8();
        if c.is_whitespace() {
            i += len;
        } else if super::is_word_char(c) {
            let e = word_end(text, i);
            let lists = text.get(i..e).map_or(Lists::NONE, lists_of);
            toks.push(Tok::new(i..e, Kind::Word, lists));
            i = e;
        } else if possessive_at(text, i) {
            toks.push(Tok::new(i..i + len + 1, Kind::Poss, Lists::NONE));
            i += len + 1;
        } else if plural_possessive_at(text, i) {
            toks.push(Tok::new(i..i + len, Kind::Poss, Lists::NONE));
            i += len;
        } else {
            toks.push(Tok::new(i..i + len, Kind::Punct(c), Lists::NONE));
            i += len;
        }
    }
    toks
}

fn ends_sentence(text: &str, tok: &Tok, quotes: &[Span]) -> bool {
    match tok.kind {
        Kind::Punct('.' | '?' | '!' | '\u{2026}') => true,
        Kind::Quote(k) => quotes
            .get(k)
            .and_then(|q| text.get(q.inner.clone()))
            .and_then(|s| s.trim_end().chars().last())
            .is_some_and(|c| matches!(c, '.' | '?' | '!')),
        _ => false,
    }
}

fn starts_sentence(text: &str, tok: &Tok) -> bool {
    match tok.kind {
        Kind::Quote(_) => true,
        Kind::Punct(c) => is_double_mark(c) || c == '(' || c == '\u{2022}',
        Kind::Word => text
            .get(tok.range.clone())
            .and_then(|w| w.chars().next())
            .is_some_and(|c| !c.is_lowercase()),
        Kind::Poss => false,
    }
}

fn split_sentences(text: &str, toks: &[Tok], quotes: &[Span]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut s = 0;
    let mut t = 0;
    while t < toks.len() {
        let Some(tok) = toks.get(t) else { break };
        if ends_sentence(text, tok, quotes) {
            let mut e = t + 1;
            while toks.get(e).is_some_and(|x| {
                matches!(x.kind, Kind::Punct(c) if c == ')' || c == '\'' || c == '\u{2019}' || is_double_mark(c))
            }) {
                e += 1;
            }
            if toks.get(e).is_none_or(|x| starts_sentence(text, x)) {
                out.push(s..e);
                s = e;
            }
            t = e.max(t + 1);
        } else {
            t += 1;
        }
    }
    if s < toks.len() {
        out.push(s..toks.len());
    }
    out
}

impl<'a> Block<'a> {
    fn new(
        block: &'a TextBlock,
        spans: Vec<Span>,
        mentions: &[&super::entities::Mention],
    ) -> Block<'a> {
        let text = block.text.as_str();
        if block.kind == BlockKind::Title {
            // Attribution never reads a title: no tokens needed.
            let (toks, sents, ments) = (Vec::new(), Vec::new(), Vec::new());
            return Block { text, toks, sents, quotes: spans, ments };
        }
        let quotes: Vec<Span> = spans.into_iter().filter(|s| is_quotation(text, s)).collect();
        let mut start = if text.is_char_boundary(block.label_end) { block.label_end } else { 0 };
        if quotes.first().is_some_and(|q| q.open < start) {
            start = 0;
        }
        let mut toks = tokenize(text, start, &quotes);
        let sents = split_sentences(text, &toks, &quotes);
        let mut ments = Vec::new();
        for m in mentions {
            let ts = toks.partition_point(|t| t.range.end <= m.range.start);
            let te = toks.partition_point(|t| t.range.start < m.range.end);
            if ts >= te {
                continue;
            }
            let inside_quote =
                toks.get(ts..te).is_none_or(|s| s.iter().any(|t| matches!(t.kind, Kind::Quote(_))));
            let overlaps = ments.last().is_some_and(|p: &Ment| p.te > ts);
            if inside_quote || overlaps {
                continue;
            }
            let idx = ments.len();
            if let Some(tok) = toks.get_mut(te - 1) {
                tok.ment_end = Some(idx);
            }
            if let Some(tok) = toks.get_mut(ts) {
                tok.ment_start = Some(idx);
            }
            ments.push(Ment { ts, te, entity: m.entity, role: m.role.clone() });
        }
        let mut block = Block { text, toks, sents, quotes, ments };
        for t in 0..block.toks.len() {
            let cue = block.cue_kind(t);
            if let Some(tok) = block.toks.get_mut(t) {
                tok.cue = cue;
            }
        }
        block
    }

    fn word(&self, t: usize) -> Option<&'a str> {
        let tok = self.toks.get(t)?;
        if tok.kind != Kind::Word {
            return None;
        }
        self.text.get(tok.range.clone())
    }

    fn kind(&self, t: usize) -> Option<Kind> {
        self.toks.get(t).map(|x| x.kind)
    }

    fn is_punct(&self, t: usize, c: char) -> bool {
        self.kind(t) == Some(Kind::Punct(c))
    }

    fn is_lower_word(&self, t: usize) -> bool {
        self.word(t).and_then(|w| w.chars().next()).is_some_and(char::is_lowercase)
    }

    /// Whether token `t` is a word of `list`.
    fn word_in(&self, t: usize, list: Lists) -> bool {
        self.toks.get(t).is_some_and(|tok| tok.lists.has(list))
    }

    /// Whether token `t` is one of `words`, case aside.
    fn word_is(&self, t: usize, words: &[&str]) -> bool {
        self.word(t).is_some_and(|w| in_list(w, words))
    }

    /// The pronoun token `t` is.
    fn pronoun(&self, t: usize) -> Option<Pronoun> {
        // Asked of nearly every word: its lists rule most out unread.
        if !self.word_in(t, Lists::PRONOUNS) {
            return None;
        }
        self.word(t).and_then(pronoun)
    }

    fn cue(&self, t: usize) -> Option<CueKind> {
        self.toks.get(t).and_then(|x| x.cue)
    }

    /// The mention ending on token `t`.
    fn ment_end(&self, t: usize) -> Option<usize> {
        self.toks.get(t).and_then(|x| x.ment_end)
    }

    /// The mention starting on token `t`.
    fn ment_start(&self, t: usize) -> Option<usize> {
        self.toks.get(t).and_then(|x| x.ment_start)
    }

    fn cue_kind(&self, t: usize) -> Option<CueKind> {
        // Most words are no cue: their lists say so without reading them.
        if !self.word_in(t, Lists::CUE_VERBS | Lists::CUE_PARTICIPLES | Lists::CUE_OPENERS) {
            return None;
        }
        let w = self.word(t)?;
        if !w.chars().next().is_some_and(char::is_lowercase) {
            if w.eq_ignore_ascii_case("according") && self.word_is(t + 1, &["to"]) {
                return Some(CueKind::According);
            }
            return None;
        }
        if w == "according" {
            return self.word_is(t + 1, &["to"]).then_some(CueKind::According);
        }
        if w == "quoting" {
            return Some(CueKind::Quoting);
        }
        if self.word_in(t, Lists::CUE_PARTICIPLES) {
            return Some(CueKind::Participle);
        }
        if !self.word_in(t, Lists::CUE_VERBS) {
            return None;
        }
        // "his comments", "the reports": a noun, not a verb.
        let before = t.checked_sub(1);
        if self.word_in(t, Lists::NOUN_LIKE_CUES)
            && before
                .is_some_and(|p| self.word_in(p, Lists::DETERMINERS | Lists::POSSESSIVE_PRONOUNS))
        {
            return None;
        }
        if w == "read" || w == "reads" {
            return Some(CueKind::Read);
        }
        Some(CueKind::Verb)
    }

    fn slice(&self, from: usize, to: usize) -> Option<&'a str> {
        let a = self.toks.get(from)?.range.start;
        let b = self.toks.get(to.checked_sub(1)?)?.range.end;
        self.text.get(a..b)
    }
}

fn in_list(w: &str, list: &[&str]) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// A set of the word lists below, so that a word is looked up once rather
/// than compared with every list at every question asked about it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Lists(u32);

impl Lists {
    const NONE: Lists = Lists(0);
    const CUE_VERBS: Lists = Lists(1);
    const CUE_PARTICIPLES: Lists = Lists(1 << 1);
    const NOUN_LIKE_CUES: Lists = Lists(1 << 2);
    const BE_FORMS: Lists = Lists(1 << 3);
    const VERB_PREFIXES: Lists = Lists(1 << 4);
    const DETERMINERS: Lists = Lists(1 << 5);
    const INDEFINITES: Lists = Lists(1 << 6);
    const POSSESSIVE_PRONOUNS: Lists = Lists(1 << 7);
    const PREPOSITIONS: Lists = Lists(1 << 8);
    const NOT_VERBS: Lists = Lists(1 << 9);
    const ROLE_NOUNS: Lists = Lists(1 << 10);
    const DOC_NOUNS: Lists = Lists(1 << 11);
    const ORG_NOUNS: Lists = Lists(1 << 12);
    const WEEKDAYS: Lists = Lists(1 << 13);
    const TIME_WORDS: Lists = Lists(1 << 14);
    const TIME_UNITS: Lists = Lists(1 << 15);
    const CUE_OPENERS: Lists = Lists(1 << 16);
    const PRONOUNS: Lists = Lists(1 << 17);
    const ABBREVIATIONS: Lists = Lists(1 << 18);

    /// Whether it shares a list with `lists`.
    fn has(self, lists: Lists) -> bool {
        self.0 & lists.0 != 0
    }
}

impl std::ops::BitOr for Lists {
    type Output = Lists;

    fn bitor(self, other: Lists) -> Lists {
        Lists(self.0 | other.0)
    }
}

/// Every list and its words.
const ALL_LISTS: [(Lists, &[&str]); 19] = [
    (Lists::CUE_VERBS, CUE_VERBS),
    (Lists::CUE_PARTICIPLES, CUE_PARTICIPLES),
    (Lists::NOUN_LIKE_CUES, NOUN_LIKE_CUES),
    (Lists::BE_FORMS, BE_FORMS),
    (Lists::VERB_PREFIXES, VERB_PREFIXES),
    (Lists::DETERMINERS, DETERMINERS),
    (Lists::INDEFINITES, INDEFINITES),
    (Lists::POSSESSIVE_PRONOUNS, POSSESSIVE_PRONOUNS),
    (Lists::PREPOSITIONS, PREPOSITIONS),
    (Lists::NOT_VERBS, NOT_VERBS),
    (Lists::ROLE_NOUNS, ROLE_NOUNS),
    (Lists::DOC_NOUNS, DOC_NOUNS),
    (Lists::ORG_NOUNS, ORG_NOUNS),
    (Lists::WEEKDAYS, WEEKDAYS),
    (Lists::TIME_WORDS, TIME_WORDS),
    (Lists::TIME_UNITS, TIME_UNITS),
    (Lists::CUE_OPENERS, CUE_OPENERS),
    (Lists::PRONOUNS, PRONOUNS),
    (Lists::ABBREVIATIONS, ABBREVIATIONS),
];

/// The listed words, grouped by [`sketch`] so that a word is compared only
/// with the few listed words that share its sketch: most words share none.
struct Vocabulary {
    /// Where the words of each sketch start in `words`, and one more end.
    starts: Vec<u16>,
    /// Every listed word and the lists it is in, in order of sketch.
    words: Vec<(&'static str, Lists)>,
}

static LISTS: LazyLock<Vocabulary> = LazyLock::new(|| {
    let mut all: Vec<(&'static str, Lists)> =
        ALL_LISTS.iter().flat_map(|&(list, words)| words.iter().map(move |&w| (w, list))).collect();
    all.sort_by_key(|&(w, _)| (sketch(w.as_bytes()), w));
    // A word in several lists is one entry.
    let mut words: Vec<(&'static str, Lists)> = Vec::new();
    for (word, list) in all {
        match words.last_mut() {
            Some((last, lists)) if *last == word => lists.0 |= list.0,
            _ => words.push((word, list)),
        }
    }
    // Count the words of each sketch one place on, then add up.
    let mut starts = vec![0u16; SKETCHES + 1];
    for (word, _) in &words {
        if let Some(n) = starts.get_mut(sketch(word.as_bytes()) + 1) {
            *n += 1;
        }
    }
    let mut total = 0;
    for n in &mut starts {
        total += *n;
        *n = total;
    }
    Vocabulary { starts, words }
});

/// How many sketches there are.
const SKETCHES: usize = 4096;

/// A number below [`SKETCHES`] that words equal but for ASCII case share:
/// from the length and the first, second and last bytes (`| 0x20` lowers a
/// capital).
fn sketch(w: &[u8]) -> usize {
    let byte = |b: Option<&u8>| u64::from(b.map_or(0, |b| b | 0x20));
    let len = u64::try_from(w.len()).unwrap_or(u64::MAX);
    let x = len ^ (byte(w.first()) << 8) ^ (byte(w.get(1)) << 16) ^ (byte(w.last()) << 24);
    // The top 12 bits of a multiplicative hash.
    usize::try_from(x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52).unwrap_or(0)
}

/// The lists `w` is in, with ASCII letters compared without case as
/// [`in_list`] does (the lists are all lower case).
fn lists_of(w: &str) -> Lists {
    let vocabulary = &*LISTS;
    let s = sketch(w.as_bytes());
    let (Some(&from), Some(&to)) = (vocabulary.starts.get(s), vocabulary.starts.get(s + 1)) else {
        return Lists::NONE;
    };
    let same_sketch = vocabulary.words.get(usize::from(from)..usize::from(to)).unwrap_or_default();
    same_sketch.iter().find(|(x, _)| is_listed_as(w, x)).map_or(Lists::NONE, |(_, l)| *l)
}

/// Whether `w` is the listed word `listed`, ASCII case aside: as
/// `eq_ignore_ascii_case`, but lowering only `w`, and only where its byte
/// differs, since most words are written in lower case as the lists are.
fn is_listed_as(w: &str, listed: &str) -> bool {
    w.len() == listed.len()
        && w.bytes().zip(listed.bytes()).all(|(a, b)| a == b || a.to_ascii_lowercase() == b)
}

// ---------------------------------------------------------------------------
// Vocabulary of attribution
// ---------------------------------------------------------------------------

/// Finite cue verbs: `X said`, `"…," said X`.
#[rustfmt::skip]
const CUE_VERBS: &[&str] = &[
    "said", "says", "say", "added", "adds", "told", "tells", "tell", "stated", "states", "noted",
    "notes", "wrote", "writes", "tweeted", "tweets", "posted", "explained", "explains", "commented",
    "comments", "remarked", "remarks", "asked", "asks", "answered", "replied", "replies",
    "responded", "warned", "warns", "argued", "argues", "claimed", "claims", "insisted", "insists",
    "declared", "declares", "announced", "announces", "urged", "urges", "continued", "continues",
    "concluded", "acknowledged", "admitted", "conceded", "recalled", "suggested", "suggests",
    "stressed", "emphasised", "emphasized", "echoed", "cautioned", "vowed", "promised", "pledged",
    "complained", "called", "calls", "described", "describes", "refers", "referred", "reasoned",
    "observed", "confirmed", "denied", "predicted", "quipped", "joked", "countered", "maintained",
    "reiterated", "reported", "reports", "testified", "agreed", "demanded", "denounced",
    "condemned", "criticised", "criticized", "praised", "lamented", "hailed", "accused", "blamed",
    "read", "reads", "wrote", "writes", "quoted", "boasted", "conceded", "exclaimed", "shouted",
    "whispered", "pointed",
];

/// Participles whose subject is the clause's subject: `…, noting that "…"`.
#[rustfmt::skip]
const CUE_PARTICIPLES: &[&str] = &[
    "saying", "adding", "noting", "telling", "stating", "writing", "explaining", "warning",
    "arguing", "claiming", "insisting", "declaring", "urging", "calling", "describing", "referring",
    "asking", "stressing", "emphasising", "emphasizing", "suggesting", "tweeting", "posting",
    "citing", "recalling", "vowing", "promising", "pointing", "acknowledging", "admitting",
    "reiterating", "cautioning", "accusing", "blaming", "complaining", "praising", "denouncing",
    "condemning", "echoing", "replying", "responding", "answering", "announcing",
];

/// Words that open a cue naming its source: `according to X`, `quoting X`.
const CUE_OPENERS: &[&str] = &["according", "quoting"];

/// Cue verbs that are as often nouns ("his comments", "the reports").
#[rustfmt::skip]
const NOUN_LIKE_CUES: &[&str] = &[
    "states", "notes", "comments", "remarks", "claims", "reports", "calls", "tweets", "answers",
    "replies", "read", "reads", "quoted",
];

const BE_FORMS: &[&str] = &["is", "was", "were", "are", "be", "been", "being", "am"];

/// Words that may stand between a subject and its verb ("Blinken also said").
#[rustfmt::skip]
const VERB_PREFIXES: &[&str] = &[
    "also", "then", "later", "again", "further", "previously", "once", "has", "have", "had",
    "would", "will", "did", "does", "do", "reportedly", "repeatedly", "recently", "earlier",
    "publicly", "privately", "personally", "simply", "quickly", "immediately", "separately", "just",
    "not", "never", "still", "already", "subsequently", "had", "first", "initially", "finally",
    "similarly", "flatly", "angrily", "bluntly", "openly", "explicitly", "himself", "herself",
    "itself", "themselves",
];

const DETERMINERS: &[&str] =
    &["the", "a", "an", "this", "that", "these", "those", "one", "another", "some"];
const INDEFINITES: &[&str] =
    &["a", "an", "one", "another", "some", "two", "three", "several", "many"];
const POSSESSIVE_PRONOUNS: &[&str] = &["his", "her", "its", "their", "our", "my", "your"];
/// Pronouns that may be a speaker: see [`pronoun`].
const PRONOUNS: &[&str] = &["he", "she", "they", "it"];

#[rustfmt::skip]
const PREPOSITIONS: &[&str] = &[
    "of", "to", "in", "on", "at", "by", "for", "from", "with", "without", "about", "against",
    "along", "alongside", "among", "after", "before", "during", "into", "over", "under", "through",
    "toward", "towards", "than", "as", "via", "per", "near", "behind", "beside", "besides",
    "between", "despite", "like", "upon", "within", "across", "around", "since",
];

/// Words that cannot follow a sentence's subject as its verb.
#[rustfmt::skip]
const NOT_VERBS: &[&str] = &[
    "and", "or", "but", "nor", "so", "yet", "that", "which", "who", "whom", "whose", "where",
    "when", "while", "the", "a", "an", "this", "these", "those", "his", "her", "its", "their",
    "our", "my", "your", "he", "she", "it", "they", "we", "i", "you", "himself", "herself",
    "itself", "themselves", "if", "because", "although", "though",
];

/// Person roles: heads of descriptions and titles of named holders.
#[rustfmt::skip]
const ROLE_NOUNS: &[&str] = &[
    "spokesman", "spokeswoman", "spokesperson", "official", "officials", "minister", "president",
    "director", "chief", "leader", "secretary", "chairman", "chairwoman", "chair", "head",
    "commander", "general", "officer", "ambassador", "envoy", "diplomat", "diplomats", "adviser",
    "advisor", "aide", "aides", "analyst", "analysts", "expert", "experts", "source", "sources",
    "relative", "relatives", "resident", "residents", "witness", "witnesses", "lawyer", "attorney",
    "prosecutor", "judge", "governor", "mayor", "senator", "representative", "lawmaker",
    "lawmakers", "legislator", "politician", "candidate", "editor", "reporter", "correspondent",
    "journalist", "co-ordinator", "coordinator", "founder", "co-founder", "executive", "ceo",
    "manager", "member", "members", "professor", "academic", "researcher", "researchers",
    "scientist", "scientists", "student", "teacher", "doctor", "doctors", "activist", "activists",
    "campaigner", "negotiator", "undersecretary", "deputy", "colonel", "lieutenant", "captain",
    "sergeant", "poster", "user", "author", "authors", "critic", "critics", "father", "mother",
    "son", "daughter", "brother", "sister", "wife", "husband", "friend", "neighbour", "neighbor",
    "colleague", "employee", "worker", "workers", "premier", "prince", "king", "queen", "pope",
    "bishop", "cardinal", "priest", "imam", "rabbi", "pastor", "owner", "partner", "people", "man",
    "woman", "boy", "girl", "authorities", "protesters", "protester", "survivor", "survivors",
    "victim", "official's", "organizer", "organizers", "observer", "observers", "delegate",
    "chancellor", "commissioner", "superintendent", "inspector", "economist", "strategist",
    "pollster", "vice-president", "vice-chairman",
];

/// Documents issued by someone: "the statement read", "a CIA assessment".
#[rustfmt::skip]
const DOC_NOUNS: &[&str] = &[
    "statement", "release", "report", "letter", "assessment", "communique", "communiqué", "website",
    "document", "memo", "notice", "announcement", "tweet", "post", "message", "email", "editorial",
    "article", "study", "survey", "filing", "complaint", "ruling", "bulletin", "broadcast",
    "transcript", "declaration", "resolution", "verdict", "order", "advisory",
];

/// Bodies referred to by a common noun: "the organization said".
#[rustfmt::skip]
const ORG_NOUNS: &[&str] = &[
    "organization", "organisation", "group", "agency", "ministry", "government", "company", "firm",
    "city", "municipality", "town", "council", "party", "department", "committee", "commission",
    "court", "military", "army", "navy", "police", "union", "association", "body", "administration",
    "campaign", "club", "university", "authority", "office", "bank", "board", "institute",
    "network", "newspaper", "channel", "station", "foundation", "charity", "movement", "coalition",
    "alliance", "federation", "embassy", "parliament", "senate", "congress", "league", "team",
    "regime", "junta", "school", "district", "state", "country", "agency's",
];

const WEEKDAYS: &[&str] =
    &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const TIME_WORDS: &[&str] = &["today", "yesterday", "tonight", "earlier", "later", "overnight"];
const TIME_UNITS: &[&str] = &["week", "month", "year", "night", "weekend", "morning", "evening"];

fn role_key(w: &str) -> String {
    let w = w.to_lowercase();
    if w.starts_with("spokes") {
        return "spokes".to_string();
    }
    if w == "adviser" {
        return "advisor".to_string();
    }
    w
}

fn is_plural_role(w: &str) -> bool {
    let w = w.to_lowercase();
    w.ends_with('s') && !w.ends_with("ss") && w != "boss" && !w.ends_with("us")
}

// ---------------------------------------------------------------------------
// Attribution
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pronoun {
    He,
    They,
    It,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Det {
    None,
    Definite,
    Indefinite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    Role,
    Doc,
    Org,
}

/// A speaker as the text names it, before resolution.
#[derive(Debug, Clone)]
enum Cand {
    Ent(usize),
    Pron(Pronoun),
    Np {
        block: usize,
        tok: usize,
        text: String,
        det: Det,
        head: Option<(Head, String)>,
        /// An entity named inside the phrase ("a CIA assessment").
        inner: Option<usize>,
        /// The entity the phrase belongs to ("Cornyn's statement").
        owner: Option<usize>,
    },
}

/// The pronoun `w` is, case aside. Asked of nearly every word, so it
/// compares in place: no other letter lower-cases to these ASCII ones.
fn pronoun(w: &str) -> Option<Pronoun> {
    let is = |p: &str| w.eq_ignore_ascii_case(p);
    if is("he") || is("she") {
        Some(Pronoun::He)
    } else if is("they") {
        Some(Pronoun::They)
    } else if is("it") {
        Some(Pronoun::It)
    } else {
        None
    }
}

/// What the article has made salient so far, for pronouns and descriptions.
#[derive(Debug, Default)]
struct Salience {
    person: Option<(usize, u64)>,
    group: Option<(usize, u64)>,
    description: Option<(String, u64)>,
    clock: u64,
    /// Named holders of roles ("spokes" → the spokesman named earlier).
    holders: HashMap<String, usize>,
    /// Last entity whose name has a given word ("municipality" → Municipality of Livorno).
    by_name_word: HashMap<String, usize>,
}

struct Attributor<'a> {
    blocks: &'a [TextBlock],
    entities: &'a EntityFindings,
    prepared: &'a [Block<'a>],
    salience: Salience,
    /// For each entity, the words of its name that are organization nouns,
    /// lower-cased ("municipality"): worked out at its first mention read,
    /// as many entities are named only in blocks attribution never reads.
    org_name_words: Vec<Option<Vec<String>>>,
}

/// What one attribution attempt found.
struct Found {
    cand: Cand,
    cue: Option<String>,
}

impl<'a> Attributor<'a> {
    fn new(
        blocks: &'a [TextBlock],
        entities: &'a EntityFindings,
        prepared: &'a [Block<'a>],
    ) -> Self {
        let org_name_words = vec![None; entities.entities.len()];
        Attributor { blocks, entities, prepared, salience: Salience::default(), org_name_words }
    }

    fn entity_kind(&self, e: usize) -> EntityKind {
        self.entities.entities.get(e).map_or(EntityKind::Other, |x| x.kind)
    }

    fn run(mut self) -> Vec<Quote> {
        let mut out: Vec<Quote> = Vec::new();
        // Sentence of each emitted quote, for the same-sentence second pass.
        let mut sentence_ids: Vec<(usize, usize)> = Vec::new();
        // Index in `out` of a quote left open at the end of the previous block.
        let mut open_chain: Option<usize> = None;
        let mut chains: Vec<(usize, usize)> = Vec::new();
        let mut prev_block_last_speaker: Option<Speaker> = None;
        for (bi, block) in self.prepared.iter().enumerate() {
            if self.blocks.get(bi).is_none_or(|b| b.kind == BlockKind::Title) {
                continue;
            }
            let chain_from = open_chain.take();
            let mut prev_sentence: Option<(Option<Speaker>, Option<Speaker>)> = None;
            for (si, sent) in block.sents.iter().enumerate() {
                self.learn_mentions(bi, sent.clone());
                let mut sentence_speakers: Vec<Speaker> = Vec::new();
                // A block without quotations has no quotation token to find.
                let quoted = if block.quotes.is_empty() { 0..0 } else { sent.clone() };
                for t in quoted {
                    let Some(Kind::Quote(k)) = block.kind(t) else { continue };
                    let Some(span) = block.quotes.get(k) else { continue };
                    let (mut speaker, cue) = self.attribute(bi, t, sent.clone());
                    if speaker == Speaker::Unknown
                        && let Some(prev) =
                            sentence_speakers.iter().rev().find(|s| **s != Speaker::Unknown)
                    {
                        speaker = prev.clone();
                    }
                    let standalone =
                        (sent.start..t).all(|x| matches!(block.kind(x), Some(Kind::Punct(_))));
                    if speaker == Speaker::Unknown && standalone {
                        speaker = match &prev_sentence {
                            Some((Some(q), _)) => q.clone(),
                            Some((None, Some(subject))) => subject.clone(),
                            Some((None, None)) => Speaker::Unknown,
                            None if chain_from.is_none() => {
                                prev_block_last_speaker.clone().unwrap_or(Speaker::Unknown)
                            }
                            None => Speaker::Unknown,
                        };
                    }
                    let idx = out.len();
                    if sentence_speakers.is_empty()
                        && let Some(from) = chain_from
                        && standalone
                        && si == 0
                    {
                        chains.push((from, idx));
                    }
                    if span.continued {
                        open_chain = Some(idx);
                    }
                    sentence_speakers.push(speaker.clone());
                    sentence_ids.push((bi, si));
                    out.push(Quote {
                        block: bi,
                        range: span.inner.clone(),
                        text: block.text.get(span.inner.clone()).unwrap_or("").to_string(),
                        speaker,
                        cue,
                    });
                }
                let subject = self.sentence_subject_speaker(bi, sent.clone());
                if let Some(s) = &subject {
                    self.note(s);
                }
                for s in &sentence_speakers {
                    self.note(s);
                }
                let last_quote =
                    sentence_speakers.iter().rev().find(|s| **s != Speaker::Unknown).cloned();
                let ends_with_quote = sent.clone().next_back().is_some_and(|t| {
                    matches!(block.kind(t), Some(Kind::Quote(_)))
                        || (matches!(block.kind(t), Some(Kind::Punct(_)))
                            && matches!(block.kind(t.wrapping_sub(1)), Some(Kind::Quote(_))))
                });
                prev_sentence = Some((last_quote.clone(), subject));
                if si + 1 == block.sents.len() {
                    // `Smith said:` closing a paragraph introduces the next one.
                    let ends_with_colon = block.text.trim_end().ends_with(':');
                    prev_block_last_speaker = if ends_with_quote {
                        last_quote
                    } else if ends_with_colon {
                        prev_sentence.as_ref().and_then(|p| p.1.clone())
                    } else {
                        None
                    };
                }
            }
        }
        // Quotations continued across paragraphs share one speaker.
        for (from, to) in chains {
            let a = out.get(from).map(|q| q.speaker.clone());
            let b = out.get(to).map(|q| q.speaker.clone());
            match (a, b) {
                (Some(Speaker::Unknown), Some(s)) if s != Speaker::Unknown => {
                    if let Some(q) = out.get_mut(from) {
                        q.speaker = s;
                    }
                }
                (Some(s), Some(Speaker::Unknown)) if s != Speaker::Unknown => {
                    if let Some(q) = out.get_mut(to) {
                        q.speaker = s;
                    }
                }
                _ => {}
            }
        }
        // A quotation with no cue of its own takes the speaker of a later one
        // in the same sentence ("…" and "…," she said).
        for i in (0..out.len()).rev() {
            let next = out.get(i + 1).map(|q| q.speaker.clone());
            let same = sentence_ids.get(i) == sentence_ids.get(i + 1) && next.is_some();
            if let (true, Some(next), Some(q)) = (same, next, out.get_mut(i))
                && q.speaker == Speaker::Unknown
            {
                q.speaker = next;
            }
        }
        out
    }

    // -- salience --------------------------------------------------------

    fn note(&mut self, speaker: &Speaker) {
        self.salience.clock += 1;
        let now = self.salience.clock;
        match speaker {
            Speaker::Entity(e) => match self.entity_kind(*e) {
                EntityKind::Person => self.salience.person = Some((*e, now)),
                _ => self.salience.group = Some((*e, now)),
            },
            Speaker::Description(d) => self.salience.description = Some((d.clone(), now)),
            Speaker::Unknown => {}
        }
    }

    /// Records role holders and name words of the mentions in a sentence.
    fn learn_mentions(&mut self, bi: usize, sent: Range<usize>) {
        let Some(block) = self.prepared.get(bi) else { return };
        let first = block.ments.partition_point(|m| m.ts < sent.start);
        for m in block.ments.get(first..).unwrap_or(&[]) {
            if m.ts >= sent.end {
                break;
            }
            let name = self.entities.entities.get(m.entity).map_or("", |e| e.name.as_str());
            let words = self.org_name_words.get_mut(m.entity).map(|words| {
                words.get_or_insert_with(|| {
                    name.split_whitespace()
                        // An ASCII word's lists say whether it is one, without
                        // lowering it first.
                        .filter(|w| !w.is_ascii() || lists_of(w).has(Lists::ORG_NOUNS))
                        .map(str::to_lowercase)
                        .filter(|w| in_list(w, ORG_NOUNS))
                        .collect()
                })
            });
            for w in words.into_iter().flatten() {
                // The word is usually known already: no new key to allocate.
                match self.salience.by_name_word.get_mut(w) {
                    Some(e) => *e = m.entity,
                    None => {
                        self.salience.by_name_word.insert(w.clone(), m.entity);
                    }
                }
            }
            if self.entity_kind(m.entity) != EntityKind::Person {
                continue;
            }
            let mut roles: Vec<&str> = Vec::new();
            if let Some(r) = &m.role {
                roles.extend(r.split_whitespace());
            }
            // Role words right before the name ("Foreign Ministry spokesperson",
            // "Malaysia's Prime Minister, Najib Razak").
            let mut t = m.ts;
            let mut commas = 0;
            for _ in 0..6 {
                let Some(p) = t.checked_sub(1) else { break };
                if p < sent.start {
                    break;
                }
                match block.kind(p) {
                    Some(Kind::Word) => roles.push(block.word(p).unwrap_or("")),
                    Some(Kind::Punct(',')) if commas == 0 && t == m.ts => commas += 1,
                    Some(Kind::Poss) => {}
                    _ => break,
                }
                t = p;
            }
            // An appositive after it (", a government spokesman,").
            if block.is_punct(m.te, ',') {
                for x in m.te + 1..(m.te + 10).min(sent.end) {
                    match block.kind(x) {
                        Some(Kind::Word) => roles.push(block.word(x).unwrap_or("")),
                        Some(Kind::Poss) => {}
                        _ => break,
                    }
                }
            }
            for r in roles {
                if lists_of(r).has(Lists::ROLE_NOUNS) && !is_plural_role(r) {
                    self.salience.holders.insert(role_key(r), m.entity);
                }
            }
        }
    }

    fn resolve_pronoun(&self, p: Pronoun) -> Speaker {
        let s = &self.salience;
        let person = s.person.map(|(e, t)| (Speaker::Entity(e), t));
        let group = s.group.map(|(e, t)| (Speaker::Entity(e), t));
        let desc = s.description.as_ref().map(|(d, t)| (Speaker::Description(d.clone()), *t));
        let latest = |a: Option<(Speaker, u64)>, b: Option<(Speaker, u64)>| match (a, b) {
            (Some(a), Some(b)) => Some(if a.1 >= b.1 { a.0 } else { b.0 }),
            (Some(a), None) | (None, Some(a)) => Some(a.0),
            (None, None) => None,
        };
        let found = match p {
            Pronoun::He => {
                let singular_desc = desc.filter(|(d, _)| match d {
                    Speaker::Description(d) => {
                        !d.split_whitespace().last().is_some_and(is_plural_role)
                    }
                    _ => false,
                });
                latest(person, singular_desc)
            }
            Pronoun::They => latest(desc, group).or(person.map(|p| p.0)),
            Pronoun::It => group.map(|g| g.0),
        };
        found.unwrap_or(Speaker::Unknown)
    }

    fn resolve(&self, cand: &Cand) -> Speaker {
        match cand {
            Cand::Ent(e) => Speaker::Entity(*e),
            Cand::Pron(p) => self.resolve_pronoun(*p),
            Cand::Np { block, tok, text, det, head, inner, owner } => {
                let description = || Speaker::Description(describe(text));
                match head {
                    // "the statement", "the organization": the body last
                    // named; "police", "a report": nobody in particular.
                    Some((Head::Doc, h)) | Some((Head::Org, h)) => {
                        let definite = *det == Det::Definite;
                        let named = if definite { self.group_named(h) } else { None };
                        owner
                            .or(*inner)
                            .or(named)
                            .or_else(|| {
                                definite.then(|| self.nearest_group_before(*block, *tok)).flatten()
                            })
                            .or_else(|| {
                                definite.then(|| self.salience.group.map(|g| g.0)).flatten()
                            })
                            .map_or_else(description, Speaker::Entity)
                    }
                    Some((Head::Role, h)) => {
                        if *det == Det::Definite && !is_plural_role(h) {
                            match self.salience.holders.get(&role_key(h)) {
                                Some(e) => Speaker::Entity(*e),
                                None => description(),
                            }
                        } else {
                            description()
                        }
                    }
                    None if *det != Det::None => description(),
                    None => Speaker::Unknown,
                }
            }
        }
    }

    fn group_named(&self, head: &str) -> Option<usize> {
        let keys: &[&str] = match head.to_lowercase().as_str() {
            "city" | "town" | "municipality" | "council" => {
                &["municipality", "city", "council", "town"]
            }
            _ => &[],
        };
        let head = head.to_lowercase();
        self.salience
            .by_name_word
            .get(&head)
            .or_else(|| keys.iter().find_map(|k| self.salience.by_name_word.get(*k)))
            .copied()
    }

    /// The closest organization named before token `tok` in the block.
    fn nearest_group_before(&self, bi: usize, tok: usize) -> Option<usize> {
        let block = self.prepared.get(bi)?;
        let upto = block.ments.partition_point(|m| m.te <= tok);
        block.ments.get(..upto)?.iter().rev().take(32).find_map(|m| {
            matches!(self.entity_kind(m.entity), EntityKind::Organization | EntityKind::Other)
                .then_some(m.entity)
        })
    }

    // -- one quotation ----------------------------------------------------

    fn attribute(&self, bi: usize, q: usize, sent: Range<usize>) -> (Speaker, Option<String>) {
        let Some(block) = self.prepared.get(bi) else { return (Speaker::Unknown, None) };
        let leading_adjacent = self.leading_cue_adjacent(block, q, sent.start);
        let tries: [bool; 2] = if leading_adjacent { [true, false] } else { [false, true] };
        for leading in tries {
            let found = if leading {
                self.leading(bi, block, q, sent.clone())
            } else {
                self.trailing(bi, block, q, sent.clone())
            };
            if let Some(f) = found {
                let s = self.resolve(&f.cand);
                if s != Speaker::Unknown {
                    return (s, f.cue);
                }
            }
        }
        (Speaker::Unknown, None)
    }

    /// `X said: "…"`, `X said, "…"`, `noting that "…"`.
    fn leading_cue_adjacent(&self, block: &Block<'_>, q: usize, lo: usize) -> bool {
        let mut t = q;
        for _ in 0..3 {
            let Some(p) = t.checked_sub(1) else { return false };
            if p < lo {
                return false;
            }
            if block.cue(p).is_some() {
                return true;
            }
            let glue = matches!(block.kind(p), Some(Kind::Punct(',' | ':' | '\u{2014}')))
                || block.word(p).is_some_and(|w| w.eq_ignore_ascii_case("that"));
            if !glue {
                return false;
            }
            t = p;
        }
        false
    }

    /// Whether the verb at `t` is passive ("has been told", "It is noted").
    fn passive(&self, block: &Block<'_>, t: usize) -> bool {
        let mut p = t;
        for _ in 0..3 {
            let Some(x) = p.checked_sub(1) else { return false };
            if block.word(x).is_none() {
                return false;
            }
            if block.word_in(x, Lists::BE_FORMS) {
                return true;
            }
            if !block.word_in(x, Lists::VERB_PREFIXES) {
                return false;
            }
            p = x;
        }
        false
    }

    /// The cue as written: the verb, the person told, and a following time.
    fn cue_text(&self, block: &Block<'_>, v: usize, hi: usize) -> Option<String> {
        let w = block.word(v)?;
        let mut end = v + 1;
        if w.eq_ignore_ascii_case("according") {
            end = v + 2;
        } else if in_list(w, &["told", "tells", "tell", "telling", "asked"]) {
            if let Some(m) = block.ment_start(end).and_then(|i| block.ments.get(i)) {
                end = m.te;
            } else if block.is_lower_word(end) && !block.word_in(end, Lists::PREPOSITIONS) {
                end += 1;
            }
        }
        let time_at =
            |t: usize| block.word_in(t, Lists::WEEKDAYS) || block.word_in(t, Lists::TIME_WORDS);
        if end < hi {
            if time_at(end) {
                end += 1;
            } else if (block.word_is(end, &["last", "this"])
                && block.word_in(end + 1, Lists::TIME_UNITS))
                || (block.word_is(end, &["on"]) && block.word_in(end + 1, Lists::WEEKDAYS))
            {
                end += 2;
            }
        }
        block.slice(v, end.min(hi.max(v + 1))).map(str::to_string)
    }

    /// `"…," X said`, `"…," said X`, `"…," read the statement`.
    fn trailing(
        &self,
        bi: usize,
        block: &Block<'_>,
        q: usize,
        sent: Range<usize>,
    ) -> Option<Found> {
        let mut first = q + 1;
        while first < sent.end
            && matches!(block.kind(first), Some(Kind::Punct(',' | '\u{2014}' | '\u{2013}' | '-')))
        {
            first += 1;
        }
        // Room for a long apposition: "X, a senior analyst at the Center
        // for Energy Security at Falcon University, said".
        let limit = (first + 24).min(sent.end);
        let mut v = first;
        while v < limit {
            match block.kind(v) {
                Some(Kind::Quote(_)) | Some(Kind::Punct(';' | ':' | '.')) | None => return None,
                _ => {}
            }
            if let Some(kind) = block.cue(v) {
                if kind == CueKind::Participle {
                    return None;
                }
                if kind != CueKind::Read && self.passive(block, v) {
                    return None;
                }
                let cue = self.cue_text(block, v, sent.end);
                let cand = match kind {
                    CueKind::According | CueKind::Quoting => {
                        self.object_after(bi, block, v, sent.end, true)
                    }
                    _ if v == first => self.object_after(bi, block, v, sent.end, false),
                    CueKind::Read => None,
                    _ => self
                        .subject_before(bi, block, v, first)
                        .or_else(|| self.object_after(bi, block, v, sent.end, false)),
                };
                return cand.map(|cand| Found { cand, cue });
            }
            v += 1;
        }
        None
    }

    /// `X said: "…"`, `X told CNN that "…"`, `according to X, "…"`.
    fn leading(&self, bi: usize, block: &Block<'_>, q: usize, sent: Range<usize>) -> Option<Found> {
        let lo = sent.start.max(q.saturating_sub(60));
        let mut v = q;
        while v > lo {
            v -= 1;
            let Some(kind) = block.cue(v) else { continue };
            let cue = self.cue_text(block, v, q);
            let cand = match kind {
                CueKind::Read => {
                    // Only "the statement read: "…"" right before the quotation.
                    if v + 3 < q {
                        continue;
                    }
                    self.subject_before(bi, block, v, sent.start)
                }
                CueKind::According | CueKind::Quoting => self.object_after(bi, block, v, q, true),
                CueKind::Participle => self.clause_subject(bi, block, v, sent.start),
                CueKind::Verb => {
                    if self.passive(block, v) {
                        continue;
                    }
                    self.subject_before(bi, block, v, sent.start)
                        .or_else(|| {
                            block
                                .ment_start(v + 1)
                                .and_then(|_| self.object_after(bi, block, v, q, false))
                        })
                        // A subject too far from its verb for the patterns above.
                        .or_else(|| self.sentence_subject(bi, block, sent.start, v))
                }
            };
            if let Some(cand) = cand {
                return Some(Found { cand, cue });
            }
        }
        // `The statement: "…"`: a colon right before the quotation.
        let before = q.checked_sub(1)?;
        if before >= sent.start && block.is_punct(before, ':') {
            let cand = self.sentence_subject(bi, block, sent.start, before)?;
            return Some(Found { cand, cue: None });
        }
        None
    }

    /// The subject of a participle: the subject of an earlier cue in the
    /// sentence ("she said, calling on …"), else the sentence's subject.
    fn clause_subject(&self, bi: usize, block: &Block<'_>, v: usize, lo: usize) -> Option<Cand> {
        let from = lo.max(v.saturating_sub(40));
        let mut t = v;
        while t > from {
            t -= 1;
            if block.cue(t) == Some(CueKind::Verb)
                && !self.passive(block, t)
                && let Some(c) = self.subject_before(bi, block, t, lo)
            {
                return Some(c);
            }
        }
        self.sentence_subject(bi, block, lo, v)
    }

    /// The subject right before the verb at `v`: a mention, a pronoun, or a
    /// description, looking past adverbs, a parenthesis and an appositive.
    fn subject_before(&self, bi: usize, block: &Block<'_>, v: usize, lo: usize) -> Option<Cand> {
        let mut t = v;
        let mut skipped = 0;
        loop {
            t = t.checked_sub(1)?;
            if t < lo {
                return None;
            }
            if skipped < 4 && block.word_in(t, Lists::VERB_PREFIXES) {
                skipped += 1;
                continue;
            }
            if block.is_punct(t, ')') {
                let open =
                    (lo.max(t.saturating_sub(12))..t).rev().find(|&x| block.is_punct(x, '('))?;
                t = open;
                skipped += 1;
                if skipped > 6 {
                    return None;
                }
                continue;
            }
            break;
        }
        if block.is_punct(t, ',') {
            return self.subject_past_appositive(bi, block, t, lo);
        }
        self.subject_at(bi, block, t, lo)
    }

    /// `Jeff Rathke, the State Department Spokesperson, said`: the name
    /// before the appositive, or the name that is the appositive.
    fn subject_past_appositive(
        &self,
        bi: usize,
        block: &Block<'_>,
        comma: usize,
        lo: usize,
    ) -> Option<Cand> {
        let from = lo.max(comma.saturating_sub(16));
        let prev_comma =
            (from..comma).rev().find(|&x| matches!(block.kind(x), Some(Kind::Punct(',' | '('))));
        let seg_start = prev_comma.map_or(lo, |c| c + 1);
        if let Some(m) = comma.checked_sub(1).and_then(|e| block.ment_end(e))
            && let Some(m) = block.ments.get(m)
            && m.ts >= seg_start
            && self.entity_kind(m.entity) == EntityKind::Person
        {
            return Some(Cand::Ent(m.entity));
        }
        let pc = prev_comma?;
        if pc < lo {
            return None;
        }
        let before = pc.checked_sub(1)?;
        if before < lo {
            return None;
        }
        self.subject_at(bi, block, before, lo)
    }

    fn subject_at(&self, bi: usize, block: &Block<'_>, t: usize, lo: usize) -> Option<Cand> {
        if let Some(m) = block.ment_end(t).and_then(|i| block.ments.get(i)) {
            return Some(Cand::Ent(m.entity));
        }
        let w = block.word(t)?;
        if let Some(p) = pronoun(w) {
            return Some(Cand::Pron(p));
        }
        // The rest of a name the entity finder cut short ("Suleiman al-Amr").
        if w.chars().any(char::is_uppercase)
            && !block.word_in(t, Lists::ROLE_NOUNS)
            && let Some(m) = t.checked_sub(1).and_then(|p| block.ment_end(p))
            && let Some(m) = block.ments.get(m)
            && self.entity_kind(m.entity) == EntityKind::Person
        {
            return Some(Cand::Ent(m.entity));
        }
        self.noun_phrase_ending(bi, block, t, lo)
    }

    /// A description ending at token `t` ("a senior State Department official").
    fn noun_phrase_ending(
        &self,
        bi: usize,
        block: &Block<'_>,
        t: usize,
        lo: usize,
    ) -> Option<Cand> {
        block.word(t)?;
        if block.word_in(t, Lists::NOT_VERBS | Lists::PREPOSITIONS) {
            return None;
        }
        let mut start = t;
        let mut det = Det::None;
        let mut x = t;
        for _ in 0..8 {
            match block.kind(x) {
                Some(Kind::Word) | Some(Kind::Poss) => {}
                _ => break,
            }
            if let Some(w) = block.word(x) {
                if block.word_in(x, Lists::INDEFINITES) {
                    det = Det::Indefinite;
                    start = x;
                    break;
                }
                if in_list(w, &["the", "this"]) {
                    det = Det::Definite;
                    start = x;
                    break;
                }
                if block.word_in(x, Lists::NOT_VERBS)
                    || block.cue(x).is_some()
                    || block.word_in(x, Lists::BE_FORMS)
                {
                    break;
                }
                if block.word_in(x, Lists::PREPOSITIONS)
                    && !in_list(w, &["of", "for", "at", "from"])
                {
                    break;
                }
            }
            start = x;
            if x == lo || x == 0 {
                break;
            }
            x -= 1;
        }
        // "Cornyn's statement": the owner of a document.
        let owner_poss = (start..t).find(|&i| block.kind(i) == Some(Kind::Poss));
        self.classify_np(bi, block, start, t + 1, det, owner_poss)
    }

    fn classify_np(
        &self,
        bi: usize,
        block: &Block<'_>,
        start: usize,
        end: usize,
        det: Det,
        owner_poss: Option<usize>,
    ) -> Option<Cand> {
        let mut head: Option<(Head, String)> = None;
        for i in start..end {
            let Some(w) = block.word(i) else { continue };
            if block.ment_end(i).is_some() || block.ment_start(i).is_some() {
                // Part of a name used as a modifier ("State Department official").
                let inside = block.ments.iter().any(|m| m.ts <= i && i < m.te);
                if inside {
                    continue;
                }
            }
            if block.word_in(i, Lists::PREPOSITIONS) && head.is_some() {
                break;
            }
            let kind = if block.word_in(i, Lists::ROLE_NOUNS) {
                Some(Head::Role)
            } else if block.word_in(i, Lists::DOC_NOUNS) {
                Some(Head::Doc)
            } else if block.word_in(i, Lists::ORG_NOUNS) {
                Some(Head::Org)
            } else {
                None
            };
            if let Some(k) = kind {
                head = Some((k, w.to_lowercase()));
            }
        }
        if head.is_none() && det == Det::None {
            return None;
        }
        let inner = block
            .ments
            .iter()
            .skip(block.ments.partition_point(|m| m.te <= start))
            .take_while(|m| m.ts < end)
            .find(|m| !matches!(self.entity_kind(m.entity), EntityKind::Person))
            .map(|m| m.entity);
        let owner = owner_poss
            .and_then(|p| p.checked_sub(1))
            .and_then(|e| block.ment_end(e))
            .and_then(|i| block.ments.get(i))
            .map(|m| m.entity);
        let text = block.slice(start, end)?.to_string();
        Some(Cand::Np { block: bi, tok: start, text, det, head, inner, owner })
    }

    /// The speaker named after the verb: `said Senate Majority Leader Harry
    /// Reid`, `read the statement`, `according to X`, `quoting X`.
    fn object_after(
        &self,
        bi: usize,
        block: &Block<'_>,
        v: usize,
        hi: usize,
        wide: bool,
    ) -> Option<Cand> {
        let mut t = v + 1;
        if block.word_is(t, &["to"]) {
            t += 1;
        }
        let limit = (t + if wide { 14 } else { 8 }).min(hi);
        let mut chosen: Option<(usize, EntityKind)> = None;
        let mut x = t;
        while x < limit {
            if let Some(m) = block.ment_start(x).and_then(|i| block.ments.get(i)) {
                let kind = self.entity_kind(m.entity);
                let possessive = block.kind(m.te) == Some(Kind::Poss);
                if !(wide && possessive) {
                    let better = match chosen {
                        None => true,
                        Some((_, k)) => kind == EntityKind::Person && k != EntityKind::Person,
                    };
                    if better {
                        chosen = Some((m.entity, kind));
                    }
                    if wide && kind != EntityKind::Place {
                        break;
                    }
                }
                x = m.te;
                continue;
            }
            match block.kind(x) {
                Some(Kind::Word) => {
                    let w = block.word(x).unwrap_or("");
                    if chosen.is_none() && x == t {
                        if let Some(p) = pronoun(w) {
                            return Some(Cand::Pron(p));
                        }
                        if block.word_in(x, Lists::DETERMINERS | Lists::INDEFINITES) {
                            return self.noun_phrase_after(bi, block, x, hi);
                        }
                    }
                    // A lower-case word that starts no mention.
                    let plain_lower = |y: usize| {
                        block.kind(y) == Some(Kind::Word)
                            && block.ment_start(y).is_none()
                            && block.word(y).is_some_and(|n| n.starts_with(char::is_lowercase))
                    };
                    // "said Eastgate Agri head of strategy Davide Bruno": an
                    // office's "of" phrase leads on to its holder.
                    let of_phrase = w == "of"
                        && x > t
                        && block.word_in(x - 1, Lists::ROLE_NOUNS)
                        && plain_lower(x + 1);
                    if of_phrase {
                        x += 2;
                        continue;
                    }
                    let lower = w.chars().next().is_some_and(char::is_lowercase);
                    let office = block.word_in(x, Lists::ROLE_NOUNS)
                        || super::gazetteer::is_office_modifier(w);
                    // "said opposition lawmaker Rafael Herrera": words that
                    // describe the role after them.
                    let role_ahead = chosen.is_none()
                        && (x + 1..(x + 3).min(limit))
                            .take_while(|&y| plain_lower(y))
                            .any(|y| block.word_in(y, Lists::ROLE_NOUNS));
                    let goes_on = !lower || office || role_ahead || (wide && chosen.is_none());
                    if !goes_on {
                        break;
                    }
                }
                Some(Kind::Poss) => {}
                _ => break,
            }
            x += 1;
        }
        chosen.map(|(e, _)| Cand::Ent(e))
    }

    fn noun_phrase_after(
        &self,
        bi: usize,
        block: &Block<'_>,
        start: usize,
        hi: usize,
    ) -> Option<Cand> {
        let det =
            if block.word_in(start, Lists::INDEFINITES) { Det::Indefinite } else { Det::Definite };
        let mut end = start + 1;
        while end < hi.min(start + 8) {
            match block.kind(end) {
                Some(Kind::Word) | Some(Kind::Poss) => {}
                _ => break,
            }
            if block.word_in(end, Lists::NOT_VERBS | Lists::PREPOSITIONS)
                || block.cue(end).is_some()
            {
                break;
            }
            end += 1;
        }
        let owner_poss = (start..end).find(|&i| block.kind(i) == Some(Kind::Poss));
        self.classify_np(bi, block, start, end, det, owner_poss)
    }

    /// The sentence's grammatical subject among its first words: a mention or
    /// pronoun at the start of the main clause, followed by a verb.
    fn sentence_subject(
        &self,
        _bi: usize,
        block: &Block<'_>,
        lo: usize,
        hi: usize,
    ) -> Option<Cand> {
        let hi = hi.min(lo + 60);
        let mut t = lo;
        while t < hi {
            if let Some(m) = block.ment_start(t).and_then(|i| block.ments.get(i)) {
                if self.subject_like(block, m.ts, m.te, lo, hi) {
                    return Some(Cand::Ent(m.entity));
                }
                t = m.te;
                continue;
            }
            if let Some(p) = block.pronoun(t) {
                let clause_start = t == lo || matches!(block.kind(t - 1), Some(Kind::Punct(',')));
                if clause_start && self.followed_by_verb(block, t + 1, hi) {
                    return Some(Cand::Pron(p));
                }
            }
            t += 1;
        }
        None
    }

    fn subject_like(&self, block: &Block<'_>, ts: usize, te: usize, lo: usize, hi: usize) -> bool {
        // Not the object of a preposition ("by the President", "of CEI").
        let mut p = ts;
        for _ in 0..4 {
            let Some(x) = p.checked_sub(1) else { break };
            if x < lo {
                break;
            }
            let Some(w) = block.word(x) else { break };
            if block.word_in(x, Lists::PREPOSITIONS) {
                return false;
            }
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            if !(capital
                || block.word_in(x, Lists::DETERMINERS)
                || block.word_in(x, Lists::ROLE_NOUNS))
            {
                break;
            }
            p = x;
        }
        // A compound ("Colombian-French") or a modifier ("State Department official").
        if let (Some(a), Some(b)) = (block.toks.get(te - 1), block.toks.get(te))
            && a.range.end == b.range.start
            && b.kind == Kind::Word
        {
            return false;
        }
        self.followed_by_verb(block, te, hi)
    }

    fn followed_by_verb(&self, block: &Block<'_>, mut t: usize, hi: usize) -> bool {
        if block.is_punct(t, '(') {
            match (t..hi.min(t + 12)).find(|&x| block.is_punct(x, ')')) {
                Some(c) => t = c + 1,
                None => return false,
            }
        }
        if block.is_punct(t, ',') {
            t += 1;
            if !self.verb_like(block, t) {
                // An appositive: the verb comes after its closing comma.
                match (t..hi.min(t + 24)).find(|&x| block.is_punct(x, ',')) {
                    Some(c) if !(t..c).any(|x| block.pronoun(x).is_some()) => t = c + 1,
                    _ => return false,
                }
            }
        }
        self.verb_like(block, t)
    }

    fn verb_like(&self, block: &Block<'_>, t: usize) -> bool {
        block.is_lower_word(t)
            && !block.word_in(t, Lists::NOT_VERBS | Lists::PREPOSITIONS | Lists::ROLE_NOUNS)
    }

    /// Who a sentence is about, for later pronouns: the subject of its first
    /// cue, else its grammatical subject.
    fn sentence_subject_speaker(&self, bi: usize, sent: Range<usize>) -> Option<Speaker> {
        let block = self.prepared.get(bi)?;
        let hi = sent.end.min(sent.start + 80);
        for v in sent.start..hi {
            if block.cue(v) == Some(CueKind::Verb) && !self.passive(block, v) {
                if let Some(c) = self.subject_before(bi, block, v, sent.start) {
                    let s = self.resolve(&c);
                    if s != Speaker::Unknown {
                        return Some(s);
                    }
                }
                break;
            }
        }
        let c = self.sentence_subject(bi, block, sent.start, sent.end)?;
        let s = self.resolve(&c);
        (s != Speaker::Unknown).then_some(s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CueKind {
    Verb,
    Participle,
    According,
    Quoting,
    Read,
}

/// A description as written, with a sentence-initial article lowered
/// ("A senior official" → "a senior official").
fn describe(text: &str) -> String {
    let mut words = text.splitn(2, ' ');
    let first = words.next().unwrap_or("");
    let rest = words.next();
    if in_list(first, &["a", "an", "the", "one", "another", "some"]) {
        match rest {
            Some(r) => format!("{} {r}", first.to_lowercase()),
            None => first.to_lowercase(),
        }
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::annotate::entities::{Entity, Mention};

    #[test]
    fn listed_words_are_found_whatever_their_case() {
        for (list, words) in ALL_LISTS {
            for word in words {
                assert_eq!(*word, word.to_ascii_lowercase(), "{word:?}");
                assert!(lists_of(word).has(list), "{word:?}");
                assert!(lists_of(&word.to_ascii_uppercase()).has(list), "{word:?}");
            }
        }
        for word in PRONOUNS {
            assert!(pronoun(word).is_some(), "{word:?}");
        }
        assert!(lists_of("Said").has(Lists::CUE_VERBS));
        assert!(lists_of("THE").has(Lists::DETERMINERS | Lists::NOT_VERBS));
        assert!(!lists_of("sayings").has(Lists::CUE_VERBS));
        assert!(!lists_of("sai").has(Lists::CUE_VERBS));
        assert!(lists_of("According").has(Lists::CUE_OPENERS));
        assert_eq!(lists_of(""), Lists::NONE);
    }

    /// Builds paragraphs and hand-made entity findings: every occurrence of
    /// each surface form (word-bounded, leftmost-longest) is a mention.
    fn article(
        paragraphs: &[&str],
        names: &[(&str, EntityKind, &[&str])],
    ) -> (Vec<TextBlock>, EntityFindings) {
        let blocks: Vec<TextBlock> =
            paragraphs.iter().map(|p| TextBlock::new(BlockKind::Paragraph, *p)).collect();
        let mut findings = EntityFindings::default();
        for (name, kind, surfaces) in names {
            findings.entities.push(Entity {
                id: name.to_lowercase().replace(' ', "-"),
                name: name.to_string(),
                kind: *kind,
                surfaces: surfaces.iter().map(|s| s.to_string()).collect(),
                roles: Vec::new(),
                registered: false,
            });
        }
        for (bi, block) in blocks.iter().enumerate() {
            let text = &block.text;
            let mut found = Vec::new();
            for (ei, (_, _, surfaces)) in names.iter().enumerate() {
                for s in surfaces.iter() {
                    for (start, _) in text.match_indices(s) {
                        let end = start + s.len();
                        let before = text[..start].chars().next_back();
                        let after = text[end..].chars().next();
                        if !before.is_some_and(char::is_alphanumeric)
                            && !after.is_some_and(char::is_alphanumeric)
                        {
                            found.push((start, end, ei));
                        }
                    }
                }
            }
            found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            let mut last = 0;
            for (start, end, entity) in found {
                if start >= last {
                    findings.mentions.push(Mention {
                        block: bi,
                        range: start..end,
                        entity,
                        role: None,
                    });
                    last = end;
                }
            }
        }
        (blocks, findings)
    }

    /// (quoted text, speaker name or description or "?").
    fn attributed(
        paragraphs: &[&str],
        names: &[(&str, EntityKind, &[&str])],
    ) -> Vec<(String, String)> {
        let (blocks, findings) = article(paragraphs, names);
        find(&blocks, &findings)
            .into_iter()
            .map(|q| {
                let who = match q.speaker {
                    Speaker::Entity(e) => findings.entities[e].name.clone(),
                    Speaker::Description(d) => format!("desc:{d}"),
                    Speaker::Unknown => "?".to_string(),
                };
                (q.text, who)
            })
            .collect()
    }

    const P: EntityKind = EntityKind::Person;
    const O: EntityKind = EntityKind::Organization;
    const L: EntityKind = EntityKind::Place;

    fn pair(text: &str, who: &str) -> (String, String) {
        (text.to_string(), who.to_string())
    }

    #[test]
    fn a_plural_possessive_before_the_speaker_is_the_owner_not_the_speaker() {
        let got = attributed(
            &[
                "\"We are prepared for every scenario,\" said the United States' Foreign Minister Cho Tae-yang.",
            ],
            &[("United States", L, &["United States"]), ("Cho Tae-yang", P, &["Cho Tae-yang"])],
        );
        assert_eq!(got, vec![pair("We are prepared for every scenario,", "Cho Tae-yang")]);
    }

    #[test]
    fn an_office_with_an_of_phrase_leads_on_to_its_holder() {
        let got = attributed(
            &[
                "\"Frankly, the timing could not be worse,\" said Eastgate Agri head of strategy Davide Bruno.",
            ],
            &[("Eastgate Agri", O, &["Eastgate Agri"]), ("Davide Bruno", P, &["Davide Bruno"])],
        );
        assert_eq!(got, vec![pair("Frankly, the timing could not be worse,", "Davide Bruno")]);
        let got = attributed(
            &[
                "\"It could not be worse,\" said Copperfield Steel chief financial officer Ana Lima.",
            ],
            &[("Copperfield Steel", O, &["Copperfield Steel"]), ("Ana Lima", P, &["Ana Lima"])],
        );
        assert_eq!(got, vec![pair("It could not be worse,", "Ana Lima")]);
    }

    #[test]
    fn words_before_a_role_lead_on_to_its_holder() {
        let got = attributed(
            &[
                "\"There is no quick fix here,\" said opposition lawmaker Rafael Herrera.",
                "\"We are asking for predictability,\" said governing-party lawmaker Ana Lima.",
                "\"We will see about the rest,\" said on Monday the minister Ana Lima.",
            ],
            &[("Rafael Herrera", P, &["Rafael Herrera"]), ("Ana Lima", P, &["Ana Lima"])],
        );
        assert_eq!(
            got,
            vec![
                pair("There is no quick fix here,", "Rafael Herrera"),
                pair("We are asking for predictability,", "Ana Lima"),
                pair("We will see about the rest,", "?"),
            ]
        );
    }

    #[test]
    fn a_long_apposition_between_speaker_and_verb_keeps_the_speaker() {
        let got = attributed(
            &[
                "\"We did not ask for this fight,\" Haruto Matsumoto, a professor of economics at the University of Ho Chi Minh City, said Sunday.",
            ],
            &[
                ("Haruto Matsumoto", P, &["Haruto Matsumoto"]),
                ("University of Ho Chi Minh City", O, &["University of Ho Chi Minh City"]),
            ],
        );
        assert_eq!(got, vec![pair("We did not ask for this fight,", "Haruto Matsumoto")]);
    }

    #[test]
    fn quote_before_name_and_verb_is_attributed_to_the_name() {
        let got = attributed(
            &["\"We will not back down from this fight,\" Smith said Friday."],
            &[("John Smith", P, &["Smith"])],
        );
        assert_eq!(got, vec![pair("We will not back down from this fight,", "John Smith")]);
    }

    #[test]
    fn verb_before_name_after_quote_is_attributed_to_the_name() {
        let got = attributed(
            &[
                "\u{201C}The talks went well for both sides,\u{201D} said Senate Majority Leader Harry Reid.",
            ],
            &[("United States Senate", O, &["Senate"]), ("Harry Reid", P, &["Harry Reid"])],
        );
        assert_eq!(got, vec![pair("The talks went well for both sides,", "Harry Reid")]);
    }

    #[test]
    fn colon_cue_before_quote_names_the_speaker() {
        let got = attributed(
            &["Jones told CNN: \"The market will recover by the spring.\""],
            &[("Mary Jones", P, &["Jones"]), ("CNN", O, &["CNN"])],
        );
        assert_eq!(got, vec![pair("The market will recover by the spring.", "Mary Jones")]);
    }

    #[test]
    fn quote_inside_a_sentence_goes_to_the_subject_of_its_cue() {
        let got = attributed(
            &[
                "Blinken echoed this concern in his remarks Friday, noting that \"Beijing cannot have it both ways.\"",
            ],
            &[("Antony Blinken", P, &["Blinken"]), ("Beijing", L, &["Beijing"])],
        );
        assert_eq!(got, vec![pair("Beijing cannot have it both ways.", "Antony Blinken")]);
    }

    #[test]
    fn pronoun_resolves_to_last_named_speaker() {
        let got = attributed(
            &[
                "\"The first part of the plan is done,\" Garcia said.",
                "Officials from the city attended the meeting.",
                "\"The second part will take longer,\" she added.",
            ],
            &[("Ana Garcia", P, &["Garcia"])],
        );
        assert_eq!(
            got,
            vec![
                pair("The first part of the plan is done,", "Ana Garcia"),
                pair("The second part will take longer,", "Ana Garcia")
            ]
        );
    }

    #[test]
    fn pronoun_prefers_the_subject_of_the_previous_sentence() {
        let got = attributed(
            &[
                "\"Nothing has changed here,\" Lee said.",
                "Later, President Thabo Mbeki denounced the operation. \"It takes us back to the use of force,\" he said.",
            ],
            &[("Lee Min", P, &["Lee"]), ("Thabo Mbeki", P, &["Thabo Mbeki"])],
        );
        assert_eq!(got[1], pair("It takes us back to the use of force,", "Thabo Mbeki"));
    }

    #[test]
    fn interrupted_quotation_gives_two_quotes_with_one_speaker() {
        let got = attributed(
            &[
                "\"My talks have shown a crisis of confidence,\" Annan said. \"Only the politicians can solve that crisis.\"",
            ],
            &[("Kofi Annan", P, &["Annan"])],
        );
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|(_, who)| who == "Kofi Annan"));
    }

    #[test]
    fn quote_continued_across_paragraphs_keeps_speaker() {
        let got = attributed(
            &[
                "\"We have a long way to go,\" Okafor said. \"The first step is to count what we lost.",
                "\"The second step is to rebuild the clinics in every district.",
                "\"Then we will talk about the schools.\"",
            ],
            &[("Grace Okafor", P, &["Okafor"])],
        );
        assert_eq!(
            got,
            vec![
                pair("We have a long way to go,", "Grace Okafor"),
                pair("The first step is to count what we lost.", "Grace Okafor"),
                pair(
                    "The second step is to rebuild the clinics in every district.",
                    "Grace Okafor"
                ),
                pair("Then we will talk about the schools.", "Grace Okafor"),
            ]
        );
    }

    #[test]
    fn stray_apostrophe_does_not_break_pairing() {
        let got = attributed(
            &[
                "Blinken raised the U.S.' concerns about the '90s and rock 'n' roll, saying \"China's support must end now.\"",
            ],
            &[("Antony Blinken", P, &["Blinken"]), ("United States", L, &["U.S."])],
        );
        assert_eq!(got, vec![pair("China's support must end now.", "Antony Blinken")]);
    }

    #[test]
    fn nested_single_quotes_are_part_of_the_quote() {
        let got = attributed(
            &["\"They told us, 'If you give me a few million, I'll go along',\" said Ellis."],
            &[("Steve Ellis", P, &["Ellis"])],
        );
        assert_eq!(
            got,
            vec![pair(
                "They told us, 'If you give me a few million, I'll go along',",
                "Steve Ellis"
            )]
        );
    }

    #[test]
    fn two_word_scare_quote_is_not_a_quote() {
        let got = attributed(
            &["Blinken said he reiterated the U.S.' \"serious concern\" over the matter."],
            &[("Antony Blinken", P, &["Blinken"])],
        );
        assert!(got.is_empty());
    }

    #[test]
    fn quoted_title_is_not_a_quote() {
        let got = attributed(
            &[
                "She wrote a book titled \"Living with the river and its floods\" last year.",
                "The committee passed \"The Emergency Economic Stabilization Act\" on Monday.",
            ],
            &[],
        );
        assert!(got.is_empty());
    }

    #[test]
    fn according_to_names_the_source() {
        let got = attributed(
            &[
                "According to Reuters, the minister said privately that \"the deal is dead for now.\"",
            ],
            &[("Reuters", O, &["Reuters"])],
        );
        // "the minister" has no named holder: an unnamed source, not Reuters.
        assert_eq!(got, vec![pair("the deal is dead for now.", "desc:the minister")]);
        let got = attributed(
            &[
                "The military is on alert, according to Yonhap, quoting KCNA, and told to prepare for \"a state of war\".",
            ],
            &[("Yonhap", O, &["Yonhap"]), ("Korean Central News Agency", O, &["KCNA"])],
        );
        assert_eq!(got, vec![pair("a state of war", "Korean Central News Agency")]);
    }

    #[test]
    fn unnamed_source_is_kept_as_description_and_they_refers_to_it() {
        let got = attributed(
            &[
                "A senior State Department official said last week that the ties had frayed.",
                "This \"has an impact not just on the battlefield,\" they added.",
            ],
            &[("State Department", O, &["State Department"])],
        );
        assert_eq!(
            got,
            vec![pair(
                "has an impact not just on the battlefield,",
                "desc:a senior State Department official"
            )]
        );
    }

    #[test]
    fn title_resolves_to_the_named_holder() {
        let got = attributed(
            &[
                "\"The operation started early this morning,\" said Abdourahim Said Bakar, a government spokesman.",
                "\"We hope to finish the job today,\" the government spokesman said.",
            ],
            &[("Abdourahim Said Bakar", P, &["Abdourahim Said Bakar"])],
        );
        assert!(got.iter().all(|(_, who)| who == "Abdourahim Said Bakar"), "{got:?}");
    }

    #[test]
    fn statement_is_attributed_to_the_organization_that_issued_it() {
        let got = attributed(
            &[
                "In a release from Amnesty International, the group said more arrests were likely. \"It is shocking that journalists are detained,\" read the statement.",
            ],
            &[("Amnesty International", O, &["Amnesty International"])],
        );
        assert_eq!(
            got,
            vec![pair("It is shocking that journalists are detained,", "Amnesty International")]
        );
    }

    #[test]
    fn it_added_refers_to_the_organization() {
        let got = attributed(
            &[
                "\"The shelling was a grave provocation,\" said KCNA. \"Foolhardy provocation deserves punishment\", it added.",
            ],
            &[("Korean Central News Agency", O, &["KCNA"])],
        );
        assert!(got.iter().all(|(_, who)| who == "Korean Central News Agency"), "{got:?}");
    }

    #[test]
    fn appositive_between_name_and_verb_is_skipped() {
        let got = attributed(
            &[
                "Jeff Rathke, the State Department Spokesperson, said, \"We urge the governments to work together.\"",
            ],
            &[("Jeff Rathke", P, &["Jeff Rathke"]), ("State Department", O, &["State Department"])],
        );
        assert_eq!(got, vec![pair("We urge the governments to work together.", "Jeff Rathke")]);
    }

    #[test]
    fn standalone_quote_takes_the_previous_sentence_subject() {
        let got = attributed(
            &[
                "Steve Ellis, of Taxpayers for Common Sense, offered his explanation. \"People will forget about the billions.\"",
            ],
            &[
                ("Steve Ellis", P, &["Steve Ellis"]),
                ("Taxpayers for Common Sense", O, &["Taxpayers for Common Sense"]),
            ],
        );
        assert_eq!(got, vec![pair("People will forget about the billions.", "Steve Ellis")]);
    }

    #[test]
    fn passive_cue_gives_no_speaker() {
        let got = attributed(
            &["It is noted on the website that \"the bill passed the Senate on Wednesday.\""],
            &[("United States Senate", O, &["Senate"])],
        );
        assert_eq!(got, vec![pair("the bill passed the Senate on Wednesday.", "?")]);
    }

    #[test]
    fn labels_and_titles_are_not_searched() {
        let mut blocks = vec![
            TextBlock::new(BlockKind::Title, "Minister says \"we will win this\""),
            TextBlock::new(
                BlockKind::Paragraph,
                "What they're saying: \"This is a good day for all of us,\" Lee said.",
            ),
        ];
        blocks[1].label_end = "What they're saying:".len();
        let (_, findings) = article(
            &["", "What they're saying: \"This is a good day for all of us,\" Lee said."],
            &[("Lee Min", P, &["Lee"])],
        );
        let got = find(&blocks, &findings);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].speaker, Speaker::Entity(0));
        assert_eq!(got[0].cue.as_deref(), Some("said"));
    }

    #[test]
    fn range_points_at_the_quoted_words() {
        let (blocks, findings) = article(
            &["Kim said: \u{201C}Déjà vu — all over again, they say.\u{201D}"],
            &[("Kim", P, &["Kim"])],
        );
        let got = find(&blocks, &findings);
        assert_eq!(got.len(), 1);
        assert_eq!(&blocks[0].text[got[0].range.clone()], got[0].text);
        assert_eq!(got[0].text, "Déjà vu — all over again, they say.");
    }

    #[test]
    fn unbalanced_mark_does_not_lose_later_quotes() {
        let got = attributed(
            &[
                "The \"group was founded in 2009 by activists.",
                "The \"group met again. \"We remain committed to the peace process,\" Ruto said.",
                "He called it a \"wrong turn for the country\" and \"a dangerous precedent for all.\"",
            ],
            &[("William Ruto", P, &["Ruto"])],
        );
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0], pair("We remain committed to the peace process,", "William Ruto"));
    }

    #[test]
    fn common_noun_without_article_stays_unnamed() {
        let got = attributed(
            &[
                "Acme Corp opened a plant in May. \"Two men were seen running from the scene,\" police said.",
            ],
            &[("Acme Corp", O, &["Acme Corp"])],
        );
        assert_eq!(got, vec![pair("Two men were seen running from the scene,", "desc:police")]);
    }

    #[test]
    fn definite_company_resolves_to_the_company_named_before() {
        let got = attributed(
            &[
                "Acme Corp recalled the heaters on Monday. \"Customer safety is our first priority,\" the company said in a statement.",
            ],
            &[("Acme Corp", O, &["Acme Corp"])],
        );
        assert_eq!(got, vec![pair("Customer safety is our first priority,", "Acme Corp")]);
    }

    #[test]
    fn possessive_document_is_attributed_to_its_owner() {
        let got = attributed(
            &["\"The bill protects families across the state,\" Cornyn's statement added."],
            &[("John Cornyn", P, &["Cornyn"])],
        );
        assert_eq!(got, vec![pair("The bill protects families across the state,", "John Cornyn")]);
    }

    #[test]
    fn long_relative_clause_between_subject_and_verb_is_bridged() {
        let got = attributed(
            &[
                "Maria Lopez, who was elected in 2010 and has served on the board for two full terms since then, said \"the budget is not sustainable.\"",
            ],
            &[("Maria Lopez", P, &["Maria Lopez"])],
        );
        assert_eq!(got, vec![pair("the budget is not sustainable.", "Maria Lopez")]);
    }

    #[test]
    fn colon_at_paragraph_end_introduces_the_next_quote() {
        let got = attributed(
            &[
                "In a speech on Tuesday, Prime Minister Ana Costa said:",
                "\"We will rebuild every home that was lost.\"",
            ],
            &[("Ana Costa", P, &["Ana Costa"])],
        );
        assert_eq!(got, vec![pair("We will rebuild every home that was lost.", "Ana Costa")]);
    }

    #[test]
    fn question_quote_with_asked_is_attributed() {
        let got = attributed(
            &["\u{201C}Who will pay for all of this?\u{201D} asked Senator Lee Chang."],
            &[("Lee Chang", P, &["Lee Chang"])],
        );
        assert_eq!(got, vec![pair("Who will pay for all of this?", "Lee Chang")]);
    }

    #[test]
    fn many_unbalanced_marks_and_a_huge_paragraph_complete() {
        let marks = "\"".repeat(20_000) + &"\u{201C}".repeat(20_000) + &" \" word".repeat(20_000);
        let huge = "The minister said \"we will see what happens next\" and left. ".repeat(20_000);
        let no_breaks = "x".repeat(1_000_000);
        let (blocks, findings) =
            article(&[&marks, &huge, &no_breaks, "\u{201D}\u{201D}\u{201C}"], &[]);
        let got = find(&blocks, &findings);
        assert_eq!(got.iter().filter(|q| q.block == 1).count(), 20_000);
    }

    #[test]
    fn malformed_entity_findings_do_not_panic() {
        let blocks =
            vec![TextBlock::new(BlockKind::Paragraph, "\"Déjà vu all over again,\" said Kim.")];
        let mut findings = EntityFindings::default();
        findings.mentions.push(Mention { block: 0, range: 3..4, entity: 7, role: None });
        findings.mentions.push(Mention { block: 9, range: 0..400, entity: 0, role: None });
        let got = find(&blocks, &findings);
        assert_eq!(got.len(), 1);
    }
}
