//! `gloss serve` on a generated corpus: the time from saving one article
//! to the browser's reload message, median of 20 edits, beside the time of
//! a full `gloss build` of the same corpus.
//!
//! ```sh
//! python3 ../shared/bench/gen_corpus.py --n 10000 --seed 1 --out /tmp/c-plain --flavor plain
//! GLOSS_BENCH_CORPUS=/tmp/c-plain cargo bench --bench serve_rebuild
//! ```
//!
//! Without GLOSS_BENCH_CORPUS it only says how to run it (so CI's
//! `cargo bench --no-run` keeps it compiling).

// A benchmark is a harness, like a test: a bad index there is a failed run.
#![allow(clippy::indexing_slicing)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EDITS: usize = 20;

fn main() {
    let Some(corpus) = std::env::var_os("GLOSS_BENCH_CORPUS").map(PathBuf::from) else {
        eprintln!(
            "serve_rebuild: skipped; set GLOSS_BENCH_CORPUS to a folder made by \
             ../shared/bench/gen_corpus.py (it needs content/)"
        );
        return;
    };
    if let Err(e) = run(&corpus) {
        eprintln!("serve_rebuild: {e}");
        std::process::exit(1);
    }
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn run(corpus: &Path) -> Result<()> {
    let work = std::env::temp_dir().join(format!("gloss-bench-serve-{}", std::process::id()));
    let _cleanup = Cleanup(work.clone());
    copy_dir(&corpus.join("content"), &work.join("content"))?;
    let config = corpus.join("config.toml");
    if config.is_file() {
        std::fs::copy(&config, work.join("config.toml"))?;
    } else {
        std::fs::write(work.join("config.toml"), "title = \"Bench\"\n")?;
    }
    let articles = std::fs::read_dir(work.join("content"))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .count();
    let gloss = env!("CARGO_BIN_EXE_gloss");

    // A full build, for comparison.
    let start = Instant::now();
    let out = Command::new(gloss)
        .args(["build", "--root"])
        .arg(&work)
        .arg("--output")
        .arg(work.join("public"))
        .output()?;
    let full = start.elapsed();
    if !out.status.success() {
        return Err(format!("gloss build failed:\n{}", String::from_utf8_lossy(&out.stderr)).into());
    }
    std::fs::remove_dir_all(work.join("public"))?;

    let mut server = Stopped(
        Command::new(gloss)
            .args(["serve", "--port", "0", "--root"])
            .arg(&work)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?,
    );
    let child = &mut server.0;
    let stderr = Arc::new(Mutex::new(String::new()));
    if let Some(mut err) = child.stderr.take() {
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut s) = sink.lock() {
                    s.push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            }
        });
    }
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let address = line
        .trim()
        .strip_prefix("Serving at http://")
        .ok_or_else(|| format!("unexpected first line {line:?}"))?
        .trim_end_matches('/')
        .to_string();

    let mut events = TcpStream::connect(&address)?;
    events.set_read_timeout(Some(Duration::from_millis(100)))?;
    write!(events, "GET /__gloss/events HTTP/1.1\r\nHost: {address}\r\n\r\n")?;
    let mut seen = String::new();
    wait_for(&mut events, &mut seen, "\"kind\":\"hello\"", 1)?;

    let mut files: Vec<PathBuf> = std::fs::read_dir(work.join("content"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let file = files.get(files.len() / 2).ok_or("empty corpus")?.clone();
    let original = std::fs::read_to_string(&file)?;
    let mut times = Vec::with_capacity(EDITS);
    // The generator's articles take their URL from the file name.
    let page = format!("/articles/{}/", file.file_stem().and_then(|s| s.to_str()).unwrap_or(""));
    let mut served = Vec::with_capacity(EDITS);
    for i in 1..=EDITS {
        let line = format!("An added line, edit number {i}.");
        let edited = format!("{original}\n{line}\n");
        let start = Instant::now();
        std::fs::write(&file, edited)?;
        wait_for(&mut events, &mut seen, "\"kind\":\"reload\"", i)?;
        times.push(start.elapsed());
        // What the browser then fetches must already be the new page.
        if !get(&address, &page)?.contains(&line) {
            return Err(format!("{page} did not show edit {i} after the reload message").into());
        }
        served.push(start.elapsed());
        std::thread::sleep(Duration::from_millis(300));
    }
    let rebuilds: Vec<Duration> = stderr
        .lock()
        .map_err(|_| "stderr lock")?
        .lines()
        .filter_map(|l| l.strip_prefix("Rebuilt in ")?.split(' ').next()?.parse().ok())
        .map(Duration::from_millis)
        .collect();
    let first_build = stderr
        .lock()
        .map_err(|_| "stderr lock")?
        .lines()
        .find_map(|l| l.strip_prefix("Built ").map(str::to_string))
        .unwrap_or_default();

    println!("serve_rebuild: {articles} articles");
    println!("  full `gloss build` (process, writes public/): {} ms", full.as_millis());
    println!("  first in-memory build of serve: {first_build}");
    println!(
        "  edit → reload message: median {} ms (min {} ms, max {} ms) over {EDITS} edits",
        median(&mut times).as_millis(),
        times.iter().min().copied().unwrap_or_default().as_millis(),
        times.iter().max().copied().unwrap_or_default().as_millis()
    );
    if !rebuilds.is_empty() {
        let mut rebuilds = rebuilds;
        println!(
            "  of which the rebuild itself (as the server reports it): median {} ms over {} rebuilds; the rest is the watcher's debounce",
            median(&mut rebuilds).as_millis(),
            rebuilds.len()
        );
    }
    println!(
        "  edit → the edited page served with the edit: median {} ms",
        median(&mut served).as_millis()
    );
    Ok(())
}

fn median(values: &mut [Duration]) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

/// Reads the event stream until `want` has been seen `count` times.
fn wait_for(stream: &mut TcpStream, seen: &mut String, want: &str, count: usize) -> Result<()> {
    let start = Instant::now();
    let mut buf = [0u8; 8192];
    while seen.matches(want).count() < count {
        if start.elapsed() > Duration::from_secs(120) {
            return Err(format!("no {want} event after 120 s").into());
        }
        match stream.read(&mut buf) {
            Ok(0) => return Err("the event stream closed".into()),
            Ok(n) => seen.push_str(&String::from_utf8_lossy(&buf[..n])),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The body of a GET of `path`.
fn get(address: &str, path: &str) -> Result<String> {
    let mut stream = TcpStream::connect(address)?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n")?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The server, stopped when the bench ends however it ends.
struct Stopped(std::process::Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Cleanup(PathBuf);

impl Drop for Cleanup {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
