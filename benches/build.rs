//! Full builds and annotation throughput on a generated corpus.
//!
//! ```sh
//! python3 ../shared/bench/gen_corpus.py --n 10000 --seed 1 --out /tmp/c-plain --flavor plain
//! GLOSS_BENCH_CORPUS=/tmp/c-plain cargo bench --bench build
//! ```
//!
//! Reports the median wall time of clean `gloss build`s of the corpus (into
//! a fresh folder each time), of a rebuild with nothing changed, and the
//! annotation throughput in MB/s on one core. Without GLOSS_BENCH_CORPUS
//! it only says how to run it, so CI's `cargo bench --no-run` keeps it
//! compiling. Output goes to /dev/shm (or GLOSS_BENCH_OUT). A corpus without config.toml gets one with search off, as
//! the Hugo and Zola layouts of the generator have no search either, and a
//! corpus without `content/entities/` gets a registry of six entries.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gloss::annotate::Annotator;
use gloss::build::Options;

// The allocator the `gloss` binary uses, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 5;

/// The registry written into a corpus that has none: (id, name, kind, aliases).
const REGISTRY: [(&str, &str, &str, &str); 6] = [
    ("greece", "Greece", "place", "\"Hellenic Republic\""),
    ("lebanon", "Lebanon", "place", ""),
    ("pakistan", "Pakistan", "place", "\"Islamic Republic of Pakistan\""),
    ("central-bank-of-poland", "Central Bank of Poland", "organization", "\"NBP\""),
    (
        "meridian-motors-international",
        "Meridian Motors International",
        "organization",
        "\"Meridian Motors\"",
    ),
    ("sigrid-lindqvist", "Sigrid Lindqvist", "person", "\"Lindqvist\""),
];

fn main() {
    // Huge pages off, as the binary has them (see its `main`).
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let Some(corpus) = std::env::var_os("GLOSS_BENCH_CORPUS").map(PathBuf::from) else {
        eprintln!(
            "build: skipped; set GLOSS_BENCH_CORPUS to a folder made by ../shared/bench/gen_corpus.py"
        );
        return;
    };
    if let Err(e) = run(&corpus) {
        eprintln!("build: {e}");
        std::process::exit(1);
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn run(corpus: &Path) -> Result<()> {
    let config = corpus.join("config.toml");
    if !config.exists() {
        std::fs::write(
            &config,
            "title = \"Bench\"\nbase_url = \"https://example.org/\"\n\n[search]\nenabled = false\n",
        )?;
    }
    // A small registry, as a site would have: a few of the corpus's most
    // mentioned names with aliases (the generator writes none).
    let registry = corpus.join("content/entities");
    if !registry.exists() {
        std::fs::create_dir_all(&registry)?;
        for (id, name, kind, aliases) in REGISTRY {
            std::fs::write(
                registry.join(format!("{id}.md")),
                format!(
                    "+++\nname = \"{name}\"\nkind = \"{kind}\"\naliases = [{aliases}]\n+++\n\n{name}, as the benchmark's registry describes it.\n"
                ),
            )?;
        }
    }
    let options = Options { root: corpus.to_path_buf(), ..Options::default() };
    // Output on tmpfs, as in the reference figures of the corpus generator:
    // the disk of a shared machine measures the disk, not gloss.
    let scratch = std::env::var_os("GLOSS_BENCH_OUT").map(PathBuf::from).unwrap_or_else(|| {
        let shm = PathBuf::from("/dev/shm");
        if shm.is_dir() { shm } else { std::env::temp_dir() }
    });
    let out = scratch.join(format!("gloss-bench-build-{}", std::process::id()));

    let mut clean = Vec::new();
    for _ in 0..RUNS {
        let _ = std::fs::remove_dir_all(&out);
        let start = Instant::now();
        let summary = gloss::build::build_to(&options, &out)?;
        clean.push(start.elapsed());
        eprintln!(
            "  clean build: {} articles, {} files in {:?}",
            summary.articles, summary.files, summary.elapsed
        );
    }
    let mut unchanged = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let summary = gloss::build::build_to(&options, &out)?;
        unchanged.push(start.elapsed());
        if summary.written != 0 {
            return Err(
                format!("a rebuild of an unchanged site wrote {} files", summary.written).into()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&out);

    // Annotation alone, on one thread, over every article's text.
    let config = gloss::build::config(&options)?;
    let sources = gloss::content::load(corpus)?;
    let docs: Vec<_> =
        sources.articles.iter().filter_map(|s| gloss::content::parse(s).ok()).collect();
    let bytes: usize = sources.articles.iter().map(|s| s.text.len()).sum();
    let annotator = Annotator::new(&config, &[]);
    let start = Instant::now();
    for doc in docs {
        std::hint::black_box(annotator.annotate(doc));
    }
    let annotate = start.elapsed();

    let clean = median(clean);
    let unchanged = median(unchanged);
    println!(
        "corpus: {} ({} articles, {:.1} MB)",
        corpus.display(),
        sources.articles.len(),
        bytes as f64 / 1e6
    );
    println!("clean build, median of {RUNS}: {:.2} s", clean.as_secs_f64());
    println!(
        "unchanged rebuild, median of {RUNS}: {:.2} s ({:.2} x the clean build)",
        unchanged.as_secs_f64(),
        unchanged.as_secs_f64() / clean.as_secs_f64()
    );
    println!("annotation on one core: {:.1} MB/s", bytes as f64 / 1e6 / annotate.as_secs_f64());
    Ok(())
}
