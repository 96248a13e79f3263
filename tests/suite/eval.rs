//! Annotation quality on the public evaluation set (tests/fixtures/eval,
//! a copy of the articles and hand-made gold), scored the way
//! score_annotations.py scores it, through `gloss annotate FILE --json`
//! run outside any site. The floors sit a little under today's scores so
//! a regression fails; see the README for the figures.

use std::collections::HashMap;

use serde_json::Value;

use crate::harness::*;

fn norm(s: &str) -> String {
    let folded: String = deunicode_lower(s);
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower case with diacritics folded and apostrophes unified.
fn deunicode_lower(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02bc}' => '\''.to_string(),
            c if c.is_ascii() => c.to_ascii_lowercase().to_string(),
            c => c.to_lowercase().collect::<String>(),
        })
        .collect::<String>()
        .chars()
        .map(fold)
        .collect()
}

fn fold(c: char) -> char {
    const FROM: &str = "àáâãäåèéêëìíîïòóôõöùúûüýÿñç";
    const TO: &str = "aaaaaaeeeeiiiiooooouuuuyync";
    FROM.chars().position(|f| f == c).and_then(|i| TO.chars().nth(i)).unwrap_or(c)
}

fn strip_name(s: &str) -> String {
    let mut s = norm(s);
    if let Some(rest) = s.strip_prefix("the ") {
        s = rest.to_string();
    }
    if let Some(rest) = s.strip_suffix("'s") {
        s = rest.to_string();
    } else if let Some(rest) = s.strip_suffix('\'') {
        s = rest.to_string();
    }
    s.trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

fn last_token(s: &str) -> String {
    strip_name(s)
        .split_whitespace()
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric()).trim_end_matches("'s").to_string())
        .rfind(|t| !t.is_empty())
        .unwrap_or_default()
}

fn quote_tokens(s: &str) -> Vec<String> {
    norm(s)
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '\'' || c.is_whitespace() || c == '_' { c } else { ' ' }
        })
        .collect::<String>()
        .split_whitespace()
        .map(|t| t.trim_matches('\'').to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn overlap(a: &str, b: &str) -> f64 {
    let (ta, tb) = (quote_tokens(a), quote_tokens(b));
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let mut counts: HashMap<&str, i32> = HashMap::new();
    for t in &ta {
        *counts.entry(t).or_default() += 1;
    }
    let mut inter = 0;
    for t in &tb {
        if let Some(c) = counts.get_mut(t.as_str())
            && *c > 0
        {
            *c -= 1;
            inter += 1;
        }
    }
    f64::from(inter) / ta.len().max(tb.len()) as f64
}

#[derive(Default, Debug)]
struct Tally {
    ent_gold: usize,
    ent_pred: usize,
    ent_tp: usize,
    q_gold: usize,
    q_pred: usize,
    q_tp: usize,
    q_speaker_ok: usize,
}

fn f1(tp: usize, pred: usize, gold: usize) -> f64 {
    let p = if pred > 0 { tp as f64 / pred as f64 } else { 0.0 };
    let r = if gold > 0 { tp as f64 / gold as f64 } else { 0.0 };
    if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 }
}

fn score(gold: &Value, pred: &Value, tally: &mut Tally) {
    let empty = Vec::new();
    let ge = gold["entities"].as_array().unwrap_or(&empty);
    let pe = pred["entities"].as_array().unwrap_or(&empty);
    let g_name: Vec<String> =
        ge.iter().map(|e| strip_name(e["name"].as_str().unwrap_or(""))).collect();
    let g_surf: Vec<Vec<String>> = ge
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut s: Vec<String> = e["surface"]
                .as_array()
                .unwrap_or(&empty)
                .iter()
                .map(|x| strip_name(x.as_str().unwrap_or("")))
                .collect();
            s.push(g_name[i].clone());
            s
        })
        .collect();
    let g_last: Vec<String> =
        ge.iter().map(|e| last_token(e["name"].as_str().unwrap_or(""))).collect();
    let p_name: Vec<String> =
        pe.iter().map(|e| strip_name(e["name"].as_str().unwrap_or(""))).collect();
    let p_last: Vec<String> =
        pe.iter().map(|e| last_token(e["name"].as_str().unwrap_or(""))).collect();
    let (mut used_g, mut used_p) = (vec![false; ge.len()], vec![false; pe.len()]);
    let rules: [&dyn Fn(usize, usize) -> bool; 3] = [
        &|gi, pi| !p_name[pi].is_empty() && p_name[pi] == g_name[gi],
        &|gi, pi| !p_name[pi].is_empty() && g_surf[gi].contains(&p_name[pi]),
        &|gi, pi| !p_last[pi].is_empty() && p_last[pi] == g_last[gi],
    ];
    for rule in rules {
        for (pi, used) in used_p.iter_mut().enumerate() {
            if *used {
                continue;
            }
            if let Some(gi) = (0..ge.len()).find(|&gi| !used_g[gi] && rule(gi, pi)) {
                used_g[gi] = true;
                *used = true;
                tally.ent_tp += 1;
            }
        }
    }
    tally.ent_gold += ge.len();
    tally.ent_pred += pe.len();

    let gq = gold["quotes"].as_array().unwrap_or(&empty);
    let pq = pred["quotes"].as_array().unwrap_or(&empty);
    let mut candidates = Vec::new();
    for (gi, g) in gq.iter().enumerate() {
        for (pi, p) in pq.iter().enumerate() {
            let ov = overlap(g["text"].as_str().unwrap_or(""), p["text"].as_str().unwrap_or(""));
            if ov >= 0.8 {
                candidates.push((ov, gi, pi));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_g, mut used_p) = (vec![false; gq.len()], vec![false; pq.len()]);
    for (_, gi, pi) in candidates {
        if used_g[gi] || used_p[pi] {
            continue;
        }
        used_g[gi] = true;
        used_p[pi] = true;
        tally.q_tp += 1;
        let (gs, ps) = (gq[gi]["speaker"].as_str(), pq[pi]["speaker"].as_str());
        let ok = match (gs, ps) {
            (None, None) => true,
            (Some(g), Some(p)) => !last_token(g).is_empty() && last_token(g) == last_token(p),
            _ => false,
        };
        if ok {
            tally.q_speaker_ok += 1;
        }
    }
    tally.q_gold += gq.len();
    tally.q_pred += pq.len();
}

fn evaluate() -> Tally {
    let eval = repo().join("tests/fixtures/eval");
    let outside = tempfile::tempdir().unwrap();
    let mut tally = Tally::default();
    let mut names: Vec<_> =
        std::fs::read_dir(eval.join("articles")).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    assert_eq!(names.len(), 11);
    for article in names {
        let run = gloss_in(outside.path(), &["annotate", article.to_str().unwrap(), "--json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let pred: Value = serde_json::from_str(&run.stdout).unwrap();
        let gold_path = eval.join("gold").join(article.file_stem().unwrap()).with_extension("json");
        let gold: Value =
            serde_json::from_str(&std::fs::read_to_string(gold_path).unwrap()).unwrap();
        score(&gold, &pred, &mut tally);
    }
    tally
}

#[test]
fn annotate_json_has_the_documented_shape() {
    let seed = repo().join("tests/fixtures/eval/articles/000_69bf82de41c060fe.txt");
    let outside = tempfile::tempdir().unwrap();
    let run = gloss_in(outside.path(), &["annotate", seed.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        report["title"],
        "Blinken meets with Xi, as U.S. objects to China's support of Russia"
    );
    assert_eq!(report["date"], "2024-04-26");
    assert_eq!(report["source"], "axios.com");
    assert!(report["entities"].is_array() && report["quotes"].is_array());
}

#[test]
fn scorer_port_agrees_with_the_reference_on_gold_itself() {
    // Gold scored against itself is perfect: the port's matching is sound.
    let eval = repo().join("tests/fixtures/eval/gold");
    let mut tally = Tally::default();
    for entry in std::fs::read_dir(eval).unwrap() {
        let gold: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        score(&gold, &gold, &mut tally);
    }
    assert_eq!(tally.ent_tp, tally.ent_gold);
    assert_eq!(tally.q_tp, tally.q_gold);
    assert_eq!(tally.q_speaker_ok, tally.q_gold);
}

/// Prints the figures and returns them: (entity F1, quote F1, speaker accuracy).
fn figures() -> (f64, f64, f64) {
    let t = evaluate();
    let entity_f1 = f1(t.ent_tp, t.ent_pred, t.ent_gold);
    let quote_f1 = f1(t.q_tp, t.q_pred, t.q_gold);
    let speaker = if t.q_tp > 0 { t.q_speaker_ok as f64 / t.q_tp as f64 } else { 0.0 };
    eprintln!(
        "eval: {t:?} entity F1 {entity_f1:.3}, quote F1 {quote_f1:.3}, speaker accuracy {speaker:.3}"
    );
    (entity_f1, quote_f1, speaker)
}

#[test]
fn entity_f1_on_the_public_set_stays_above_its_floor() {
    let (entity_f1, _, _) = figures();
    assert!(entity_f1 >= ENTITY_F1_FLOOR, "entity F1 {entity_f1:.3} < {ENTITY_F1_FLOOR}");
}

#[test]
fn quote_f1_and_speaker_accuracy_stay_above_their_floors() {
    let (_, quote_f1, speaker) = figures();
    assert!(quote_f1 >= QUOTE_F1_FLOOR, "quote F1 {quote_f1:.3} < {QUOTE_F1_FLOOR}");
    assert!(speaker >= SPEAKER_FLOOR, "speaker accuracy {speaker:.3} < {SPEAKER_FLOOR}");
}

const ENTITY_F1_FLOOR: f64 = 0.96;
const QUOTE_F1_FLOOR: f64 = 0.97;
const SPEAKER_FLOOR: f64 = 0.95;
