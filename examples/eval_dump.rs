//! Dumps quote annotations of the evaluation articles as JSON, for
//! `shared/eval/score_annotations.py`.
//!
//! ```text
//! cargo run --example eval_dump -- EVAL_DIR OUT_DIR [--entities gold|standin]
//! ```
//!
//! Blocks are built the way the plain-text briefing parser builds them.
//! Entities come either from the gold file's surface forms (`gold`: measures
//! attribution independent of entity detection) or from a naive stand-in
//! finder of capitalised word runs (`standin`, the default).

use std::fs;
use std::path::{Path, PathBuf};

use gloss::annotate::entities::{Entity, EntityFindings, EntityKind, Mention};
use gloss::annotate::quotes::{self, Speaker};
use gloss::annotate::{BlockKind, TextBlock};
use serde_json::{Value, json};

const LABELS: &[&str] = &[
    "Why it matters",
    "Driving the news",
    "Zoom in",
    "Zoom out",
    "The big picture",
    "The other side",
    "Between the lines",
    "Yes, but",
    "What's next",
    "By the numbers",
    "State of play",
    "What they're saying",
    "The bottom line",
    "Go deeper",
    "Flashback",
    "Context",
];

fn blocks_of(text: &str) -> Vec<TextBlock> {
    let mut blocks = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if n == 0 {
            blocks.push(TextBlock::new(BlockKind::Title, line));
            continue;
        }
        if line.is_empty() || line.starts_with("Published Date:") || line.starts_with("Source:") {
            continue;
        }
        if let Some(rest) = line.strip_prefix('•') {
            blocks.push(TextBlock::new(BlockKind::ListItem, rest.trim()));
            continue;
        }
        let mut block = TextBlock::new(BlockKind::Paragraph, line);
        for label in LABELS {
            if line.starts_with(label) && line[label.len()..].starts_with(':') {
                block.label_end = label.len() + 1;
                break;
            }
        }
        blocks.push(block);
    }
    blocks
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

fn bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

/// Every occurrence of every gold surface form, leftmost-longest.
fn gold_entities(gold: &Value, blocks: &[TextBlock]) -> EntityFindings {
    let mut findings = EntityFindings::default();
    let mut surfaces: Vec<(String, usize)> = Vec::new();
    for (i, e) in gold["entities"].as_array().into_iter().flatten().enumerate() {
        let kind = match e["kind"].as_str().unwrap_or("") {
            "person" => EntityKind::Person,
            "organization" => EntityKind::Organization,
            "place" => EntityKind::Place,
            _ => EntityKind::Other,
        };
        let name = e["name"].as_str().unwrap_or("").to_string();
        let surface: Vec<String> = e["surface"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s.as_str())
            .map(String::from)
            .collect();
        for s in &surface {
            surfaces.push((s.clone(), i));
        }
        findings.entities.push(Entity {
            id: gloss::slug::slugify(&name),
            name,
            kind,
            surfaces: surface,
            roles: Vec::new(),
            registered: true,
        });
    }
    for (bi, block) in blocks.iter().enumerate() {
        let text = &block.text;
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (s, e) in &surfaces {
            for (start, _) in text.match_indices(s.as_str()) {
                let end = start + s.len();
                if bounded(text, start, end) {
                    found.push((start, end, *e));
                }
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut last_end = 0;
        for (start, end, entity) in found {
            if start < last_end {
                continue;
            }
            last_end = end;
            findings.mentions.push(Mention { block: bi, range: start..end, entity, role: None });
        }
    }
    findings
}

const STOP_CAPITALS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "But",
    "And",
    "However",
    "Yesterday",
    "Today",
    "After",
    "Before",
    "Despite",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "Both",
    "There",
    "Meanwhile",
    "Though",
    "Although",
    "Also",
    "As",
    "Again",
    "Standing",
    "Discussing",
    "Flown",
    "Overshadowing",
    "According",
    "Some",
    "One",
    "Two",
    "Requests",
    "Images",
    "News",
    "Photos",
    "Police",
    "Critics",
    "Around",
    "Sounds",
    "Earmarks",
    "Passage",
    "Construction",
    "Estimates",
    "Politically-fueled",
    "While",
    "When",
    "If",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Why",
    "Zoom",
    "Driving",
    "Go",
    "What",
    "Yes",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Dr.",
    "Freed",
    "Again",
    "Co-founder",
    "Undersecretary",
    "Vice",
    "Deputy",
    "Executive",
    "Psychology",
    "Twitter",
    "Cool",
];

const TITLE_WORDS: &[&str] = &[
    "Secretary",
    "President",
    "Minister",
    "Spokesperson",
    "Spokesman",
    "Senator",
    "Representative",
    "Rep.",
    "Sen.",
    "Lieutenant",
    "Colonel",
    "General",
    "Major",
    "Dr.",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Prime",
    "Chief",
    "Director",
    "Leader",
    "Governor",
    "Mayor",
    "Judge",
    "King",
    "Queen",
    "Colonel",
    "Captain",
    "Sergeant",
    "Professor",
    "Lady",
];

const ORG_WORDS: &[&str] = &[
    "Department",
    "Ministry",
    "Agency",
    "Council",
    "International",
    "Association",
    "News",
    "Party",
    "Senate",
    "House",
    "Government",
    "Committee",
    "Commission",
    "Union",
    "Court",
    "Army",
    "Navy",
    "Police",
    "Inc.",
    "Corp.",
    "University",
    "Institute",
    "Times",
    "Post",
    "Online",
    "Church",
    "Conference",
    "Municipality",
    "Authority",
    "Defense",
    "Gazette",
    "Network",
    "Movement",
    "Office",
    "Bank",
    "Forces",
    "Google",
    "Facebook",
    "Twitter",
];

const PLACES: &[&str] = &[
    "China",
    "Chinese",
    "Russia",
    "Russian",
    "Ukraine",
    "Beijing",
    "Moscow",
    "U.S.",
    "US",
    "United States",
    "Europe",
    "European",
    "Iran",
    "Iranian",
    "Kenya",
    "Kenyan",
    "Kenyans",
    "France",
    "Colombia",
    "Colombian",
    "Paris",
    "Italy",
    "Italian",
    "Indonesia",
    "Malaysia",
    "Thailand",
    "Myanmar",
    "Texas",
    "California",
    "New York",
    "Mecca",
    "Saudi Arabia",
    "North Korea",
    "South Korea",
    "Comoros",
    "Anjouan",
    "Mayotte",
    "Australia",
    "Ohio",
    "Minnesota",
    "Sudan",
    "Tanzania",
    "Libya",
    "Livorno",
    "Tuscany",
    "Lombardy",
];

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(|c| c.is_uppercase())
}

/// A naive finder: runs of capitalised words (with "of", "de", "al-"
/// inside), titles stripped, a surname after a full name mapped to it.
fn standin_entities(blocks: &[TextBlock]) -> EntityFindings {
    let mut findings = EntityFindings::default();
    for (bi, block) in blocks.iter().enumerate() {
        let text = &block.text;
        let start_at = block.label_end;
        // Words with byte ranges.
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut i = start_at;
        let bytes: Vec<(usize, char)> = text.char_indices().collect();
        let mut k = bytes.iter().position(|&(b, _)| b >= i).unwrap_or(bytes.len());
        while k < bytes.len() {
            let (b, c) = bytes[k];
            if c.is_alphanumeric() {
                let s = b;
                let mut j = k;
                while j < bytes.len() {
                    let (_, c2) = bytes[j];
                    let joins = (c2 == '-' || c2 == '.' || c2 == '\'')
                        && bytes.get(j + 1).is_some_and(|&(_, n)| n.is_alphanumeric())
                        && !(c2 == '\'' && bytes.get(j + 1).is_some_and(|&(_, n)| n == 's'));
                    if c2.is_alphanumeric() || joins {
                        j += 1;
                    } else {
                        break;
                    }
                }
                let mut e = bytes.get(j).map_or(text.len(), |&(b, _)| b);
                // Keep the final dot of "U.S." and "Mr.".
                if text[e..].starts_with('.')
                    && (text[s..e].contains('.')
                        || ["Mr", "Mrs", "Ms", "Dr", "Rep", "Sen"].contains(&&text[s..e]))
                {
                    e += 1;
                    j += 1;
                }
                words.push((s, e));
                k = j;
                i = e;
            } else {
                k += 1;
            }
        }
        let _ = i;
        let mut w = 0;
        while w < words.len() {
            let (s, e) = words[w];
            let word = &text[s..e];
            if !capitalised(word) {
                w += 1;
                continue;
            }
            // Extend the run.
            let mut last = w;
            let mut j = w + 1;
            while j < words.len() {
                let (_, pe) = words[j - 1];
                let (ns, ne) = words[j];
                let gap = &text[pe..ns];
                if gap != " " {
                    break;
                }
                let nw = &text[ns..ne];
                if capitalised(nw) {
                    last = j;
                    j += 1;
                } else if ["of", "de", "for", "al", "on"].contains(&nw)
                    && words
                        .get(j + 1)
                        .is_some_and(|&(a, b)| capitalised(&text[a..b]) && &text[ne..a] == " ")
                {
                    j += 1;
                } else {
                    break;
                }
            }
            // Drop sentence-initial stop words and leading titles.
            let mut first = w;
            while first <= last {
                let fw = &text[words[first].0..words[first].1];
                let sentence_start = first == w && {
                    let before = text[..words[first].0].trim_end();
                    before.is_empty() || before.ends_with(['.', ':', '"', '\u{201C}', '?', '!'])
                };
                if STOP_CAPITALS.contains(&fw) || (TITLE_WORDS.contains(&fw) && first < last) {
                    first += 1;
                    // "Secretary of State": skip "of State" too.
                    if first < last && &text[words[first].0..words[first].1] == "of" {
                        first += 2;
                    }
                    continue;
                }
                let _ = sentence_start;
                break;
            }
            // Skip lowercase particles at the start after stripping.
            while first <= last && !capitalised(&text[words[first].0..words[first].1]) {
                first += 1;
            }
            if first > last {
                w = last + 1;
                continue;
            }
            // Dates are not names; a title inside the run precedes the name.
            while last > first && STOP_CAPITALS.contains(&&text[words[last].0..words[last].1]) {
                last -= 1;
            }
            if let Some(t) =
                (first..last).rev().find(|&x| TITLE_WORDS.contains(&&text[words[x].0..words[x].1]))
            {
                first = t + 1;
            }
            let (ms, me) = (words[first].0, words[last].1);
            let surface = text[ms..me].trim_end_matches('.').to_string();
            let me = ms + surface.len();
            // "Korean Central News Agency (KCNA)": the acronym names the same entity.
            let entity = match findings.mentions.last() {
                Some(prev)
                    if prev.block == bi
                        && text[prev.range.end..ms].trim() == "("
                        && surface.chars().all(|c| c.is_uppercase()) =>
                {
                    let e = prev.entity;
                    findings.entities[e].surfaces.push(surface.clone());
                    e
                }
                _ => entity_for(&mut findings, &surface),
            };
            findings.mentions.push(Mention { block: bi, range: ms..me, entity, role: None });
            w = last + 1;
        }
    }
    // A one-word name first seen alone (in the title) and later as the
    // surname of a full name is that person.
    let n = findings.entities.len();
    let mut remap: Vec<usize> = (0..n).collect();
    for (i, slot) in remap.iter_mut().enumerate() {
        if findings.entities[i].kind == EntityKind::Person
            || findings.entities[i].name.contains(' ')
        {
            continue;
        }
        let name = findings.entities[i].name.clone();
        if let Some(j) = (0..n).find(|&j| {
            findings.entities[j].kind == EntityKind::Person
                && findings.entities[j].name.split_whitespace().last() == Some(name.as_str())
        }) {
            *slot = j;
        }
    }
    for m in &mut findings.mentions {
        m.entity = remap[m.entity];
    }
    findings
}

fn entity_for(findings: &mut EntityFindings, surface: &str) -> usize {
    // Same name, or a surname of a known multi-word person.
    for (i, e) in findings.entities.iter_mut().enumerate() {
        let last = e.name.split_whitespace().last().unwrap_or("");
        if e.name == surface
            || e.surfaces.iter().any(|s| s == surface)
            || (!surface.contains(' ') && e.kind == EntityKind::Person && last == surface)
        {
            if !e.surfaces.iter().any(|s| s == surface) {
                e.surfaces.push(surface.to_string());
            }
            return i;
        }
    }
    let words: Vec<&str> = surface.split_whitespace().collect();
    let kind = if PLACES.contains(&surface) {
        EntityKind::Place
    } else if words.iter().any(|w| ORG_WORDS.contains(w))
        || surface.chars().all(|c| c.is_uppercase() || !c.is_alphabetic())
    {
        EntityKind::Organization
    } else if words.len() >= 2 {
        EntityKind::Person
    } else {
        EntityKind::Other
    };
    findings.entities.push(Entity {
        id: gloss::slug::slugify(surface),
        name: surface.to_string(),
        kind,
        surfaces: vec![surface.to_string()],
        roles: Vec::new(),
        registered: false,
    });
    findings.entities.len() - 1
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut mode = "standin".to_string();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--entities" {
            mode = it.next().cloned().unwrap_or_default();
        } else {
            positional.push(a.clone());
        }
    }
    let eval =
        PathBuf::from(positional.first().cloned().unwrap_or_else(|| "/work/shared/eval".into()));
    let out = PathBuf::from(positional.get(1).cloned().unwrap_or_else(|| "/tmp/gloss_eval".into()));
    if let Err(e) = run(&eval, &out, &mode) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run(eval: &Path, out: &Path, mode: &str) -> std::io::Result<()> {
    fs::create_dir_all(out)?;
    let mut paths: Vec<PathBuf> = fs::read_dir(eval.join("articles"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let text = fs::read_to_string(&path)?;
        let blocks = blocks_of(&text);
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
        let findings = if mode == "gold" {
            let gold_text = fs::read_to_string(eval.join("gold").join(format!("{stem}.json")))?;
            let gold: Value = serde_json::from_str(&gold_text).unwrap_or(Value::Null);
            gold_entities(&gold, &blocks)
        } else {
            standin_entities(&blocks)
        };
        let found = quotes::find(&blocks, &findings);
        let quotes: Vec<Value> = found
            .iter()
            .map(|q| {
                let speaker = match &q.speaker {
                    Speaker::Entity(e) => findings.entities.get(*e).map(|e| Value::from(e.name.clone())),
                    _ => None,
                };
                let description = match &q.speaker {
                    Speaker::Description(d) => Value::from(d.clone()),
                    _ => Value::Null,
                };
                json!({"text": q.text, "speaker": speaker, "speaker_description": description, "cue": q.cue})
            })
            .collect();
        let entities: Vec<Value> = findings
            .entities
            .iter()
            .map(|e| json!({"name": e.name, "kind": e.kind, "surface": e.surfaces}))
            .collect();
        let doc = json!({"file": format!("{stem}.txt"), "entities": entities, "quotes": quotes});
        let pretty = serde_json::to_string_pretty(&doc).unwrap_or_default();
        fs::write(out.join(format!("{stem}.json")), pretty)?;
    }
    Ok(())
}
