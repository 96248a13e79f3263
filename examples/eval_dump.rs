//! Runs entity discovery on the evaluation articles and writes one JSON
//! prediction per article, in the scorer's shape.
//!
//! Usage: `cargo run --example eval_dump -- ARTICLES_DIR OUT_DIR`

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use gloss::annotate::entities::{self, EntityKind, EntityOptions, Registry};
use gloss::annotate::{BlockKind, TextBlock};

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

/// Splits a seed-format article into blocks the way the content parser does.
fn blocks(text: &str) -> Vec<TextBlock> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if i == 0 {
            out.push(TextBlock::new(BlockKind::Title, line));
            continue;
        }
        if line.is_empty() || line.starts_with("Published Date:") || line.starts_with("Source:") {
            continue;
        }
        if let Some(item) = line.strip_prefix('•') {
            out.push(TextBlock::new(BlockKind::ListItem, item.trim()));
            continue;
        }
        let mut block = TextBlock::new(BlockKind::Paragraph, line);
        for label in LABELS {
            if line.strip_prefix(label).is_some_and(|rest| rest.starts_with(':')) {
                block.label_end = label.len() + 1;
                break;
            }
        }
        out.push(block);
    }
    out
}

fn kind(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Organization => "organization",
        EntityKind::Place => "place",
        EntityKind::Other => "other",
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: eval_dump ARTICLES_DIR OUT_DIR");
        return ExitCode::from(2);
    };
    if let Err(e) = run(Path::new(input), Path::new(output)) {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn run(input: &Path, output: &Path) -> std::io::Result<()> {
    fs::create_dir_all(output)?;
    let registry = Registry::new(Vec::new());
    let options = EntityOptions { discover: true, ignore: Vec::new() };
    let mut paths: Vec<_> = fs::read_dir(input)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    for path in paths {
        let text = fs::read_to_string(&path)?;
        let found = entities::find(&blocks(&text), &registry, &options);
        let file = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let entities: Vec<serde_json::Value> = found
            .entities
            .iter()
            .map(|e| {
                serde_json::json!({"name": e.name, "kind": kind(e.kind), "surface": e.surfaces,
                                   "roles": e.roles})
            })
            .collect();
        let json = serde_json::json!({"file": file, "entities": entities, "quotes": []});
        let out = output.join(path.with_extension("json").file_name().unwrap_or_default());
        fs::write(&out, serde_json::to_string_pretty(&json).unwrap_or_default())?;
    }
    Ok(())
}
