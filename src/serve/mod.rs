//! Serve: the site's folder → a live preview over HTTP.
//!
//! Builds into memory with the same pipeline as `gloss build`
//! ([`build::build_cached`]), serves the pages from memory ([`http`]),
//! watches the sources ([`watch`]), rebuilds on change reusing the
//! annotations of unchanged files, and tells the browsers to reload. A
//! failed rebuild keeps the last good pages and shows the error over them.
//! Never writes to disk.

pub mod http;
pub mod watch;

use rustc_hash::FxHashMap as HashMap;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use serde_json::json;
use tokio::sync::{broadcast, watch as channel};

use crate::build::{self, Cache};
use crate::error::{Error, Result};
use crate::search;

/// How long edits must pause before the search index is made again.
const SEARCH_QUIET: Duration = Duration::from_millis(500);

/// What `gloss serve` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site, and whether to include drafts. Its `base_url` is replaced
    /// by the server's own address.
    pub build: build::Options,
    /// The address to listen on (127.0.0.1 unless told otherwise).
    pub interface: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Print how long each stage of each rebuild took.
    pub verbose: bool,
}

/// The site as served at one moment; replaced whole after each rebuild.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// Every file of the last good build, by path (`articles/x/index.html`).
    pub pages: Arc<HashMap<String, Bytes>>,
    /// The error of the last rebuild, when it failed.
    pub error: Option<String>,
    /// Counts the changes browsers have been told of.
    pub version: u64,
}

/// What the browsers are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Sent first on each connection: the version now served.
    Hello {
        /// The current version.
        version: u64,
    },
    /// Pages changed: reload.
    Reload {
        /// The new version.
        version: u64,
    },
    /// Only stylesheets changed: swap them without reloading.
    Css {
        /// The new version.
        version: u64,
    },
    /// The rebuild failed: show the error over the page.
    Error {
        /// The new version.
        version: u64,
        /// The error, as printed in the terminal.
        text: String,
    },
}

impl Message {
    /// The message as the JSON reload.js reads.
    pub fn json(&self) -> String {
        match self {
            Message::Hello { version } => json!({"kind": "hello", "version": version}),
            Message::Reload { version } => json!({"kind": "reload", "version": version}),
            Message::Css { version } => json!({"kind": "css", "version": version}),
            Message::Error { version, text } => {
                json!({"kind": "error", "version": version, "text": text})
            }
        }
        .to_string()
    }
}

/// Rebuilds the site and decides what the browsers must be told. Owns the
/// annotation cache; the watch loop owns it.
pub struct Rebuilder {
    options: build::Options,
    cache: Cache,
    snapshot: Arc<Snapshot>,
    /// The newest search bundle, built off the critical path by
    /// [`index_in_background`]; each rebuild serves it until a newer one
    /// is ready.
    search: Arc<Mutex<Arc<HashMap<String, Bytes>>>>,
    /// Print the stages of each rebuild.
    verbose: bool,
}

impl Rebuilder {
    /// A rebuilder that has built nothing yet.
    pub fn new(options: build::Options, verbose: bool) -> Rebuilder {
        let options = build::Options { defer_search: true, ..options };
        Rebuilder {
            options,
            cache: Cache::new(),
            snapshot: Arc::new(Snapshot::default()),
            search: Arc::default(),
            verbose,
        }
    }

    /// The site as it is now served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.clone()
    }

    /// What to index for search, from the last build when it was good and
    /// the site has search.
    pub fn search_plan(&self) -> Option<search::Plan> {
        let site = self.cache.site().filter(|s| s.config.search.enabled)?;
        if self.snapshot.error.is_some() {
            return None;
        }
        let pages = &self.snapshot.pages;
        Some(search::Plan::new(site, |path| pages.get(path).cloned()))
    }

    /// Builds again after `change` (everything, the first time) and returns
    /// what to tell the browsers, if anything; [`Rebuilder::snapshot`] is
    /// then the new state. Errors are printed and become the overlay.
    pub fn rebuild(&mut self, change: &watch::Change) -> Option<Message> {
        let start = Instant::now();
        if change.config {
            self.cache.clear();
        } else if !change.rescan {
            self.cache.changed(&change.paths);
        }
        let first = self.snapshot.version == 0 && self.snapshot.pages.is_empty();
        let version = self.snapshot.version + 1;
        match build::build_cached(&self.options, &mut self.cache) {
            Ok(built) => {
                if self.verbose {
                    for (stage, time) in &built.timings.stages {
                        eprintln!("  {stage:<14} {:>7.1} ms", time.as_secs_f64() * 1000.0);
                    }
                }
                let mut pages: HashMap<String, Bytes> =
                    built.pages.into_iter().map(|p| (p.path, p.bytes)).collect();
                if built.site.config.search.enabled
                    && let Ok(bundle) = self.search.lock()
                {
                    pages.extend(bundle.iter().map(|(k, v)| (k.clone(), v.clone())));
                }
                let (articles, entities) = (built.site.articles.len(), built.site.entities.len());
                self.cache.reclaim(built.site);
                let changed = changed_paths(&self.snapshot.pages, &pages);
                let was_error = self.snapshot.error.is_some();
                let elapsed = start.elapsed().as_millis();
                if first {
                    eprintln!(
                        "Built {articles} articles and {entities} entity pages ({} files) in {elapsed} ms",
                        pages.len()
                    );
                } else {
                    eprintln!(
                        "Rebuilt in {elapsed} ms ({}): {} files changed",
                        describe(change),
                        changed.len()
                    );
                }
                let message = if was_error || first {
                    Some(Message::Reload { version })
                } else if changed.is_empty() {
                    None
                } else if changed.iter().all(|p| p.ends_with(".css")) {
                    Some(Message::Css { version })
                } else {
                    Some(Message::Reload { version })
                };
                let version = if message.is_some() { version } else { self.snapshot.version };
                self.snapshot = Arc::new(Snapshot { pages: Arc::new(pages), error: None, version });
                message
            }
            Err(e) => {
                let text = e.to_string();
                eprintln!("{text}");
                eprintln!(
                    "Rebuild failed ({}); still serving the last good version",
                    describe(change)
                );
                self.snapshot = Arc::new(Snapshot {
                    pages: self.snapshot.pages.clone(),
                    error: Some(text.clone()),
                    version,
                });
                Some(Message::Error { version, text })
            }
        }
    }
}

/// The paths whose bytes differ between two builds, added and removed ones
/// included; the search bundle, which follows on its own, is not counted.
fn changed_paths<'a>(
    old: &'a HashMap<String, Bytes>,
    new: &'a HashMap<String, Bytes>,
) -> Vec<&'a str> {
    let search = |path: &str| path.starts_with(crate::search::BUNDLE_DIR);
    let mut changed: Vec<&str> = new
        .iter()
        .filter(|(path, bytes)| !search(path) && !old.get(*path).is_some_and(|b| same(b, bytes)))
        .map(|(path, _)| path.as_str())
        .collect();
    changed.extend(
        old.keys().filter(|path| !search(path) && !new.contains_key(*path)).map(String::as_str),
    );
    changed
}

/// Whether two files hold the same bytes; a page reused from the last
/// build shares its buffer, so most comparisons end at the pointer.
fn same(a: &Bytes, b: &Bytes) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// Starts the thread that builds the search bundle after each good build,
/// always from the newest plan, and lays it over the served site when done.
fn index_in_background(
    bundle: Arc<Mutex<Arc<HashMap<String, Bytes>>>>,
    site: Arc<channel::Sender<Arc<Snapshot>>>,
) -> std::io::Result<mpsc::Sender<search::Plan>> {
    let (plans, inbox) = mpsc::channel::<search::Plan>();
    std::thread::Builder::new().name("gloss-search".into()).spawn(move || {
        while let Ok(mut plan) = inbox.recv() {
            // A burst of edits: only the newest plan is worth indexing.
            while let Ok(newer) = inbox.try_recv() {
                plan = newer;
            }
            let start = Instant::now();
            let files = match plan.bundle() {
                Ok(files) => files,
                Err(e) => {
                    eprintln!("{e}");
                    continue;
                }
            };
            let files: Arc<HashMap<String, Bytes>> =
                Arc::new(files.into_iter().map(|p| (p.path, p.bytes)).collect());
            if let Ok(mut latest) = bundle.lock() {
                *latest = files.clone();
            }
            site.send_modify(|current| {
                let mut pages: HashMap<String, Bytes> = current
                    .pages
                    .iter()
                    .filter(|(path, _)| !path.starts_with(crate::search::BUNDLE_DIR))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                pages.extend(files.iter().map(|(k, v)| (k.clone(), v.clone())));
                *current = Arc::new(Snapshot {
                    pages: Arc::new(pages),
                    error: current.error.clone(),
                    version: current.version,
                });
            });
            eprintln!("Search index rebuilt in {} ms", start.elapsed().as_millis());
        }
    })?;
    Ok(plans)
}

/// The changed files, for the terminal.
fn describe(change: &watch::Change) -> String {
    let mut names: Vec<String> = Vec::new();
    if change.config {
        names.push(crate::config::FILE_NAME.to_string());
    }
    names.extend(change.paths.iter().take(3).map(|p| p.display().to_string()));
    if change.paths.len() > 3 {
        names.push(format!("and {} more", change.paths.len() - 3));
    }
    if names.is_empty() { "first build".to_string() } else { names.join(", ") }
}

/// The address to print and to build links with: the loopback address
/// when listening on all interfaces.
fn public_host(interface: IpAddr) -> IpAddr {
    match interface {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    }
}

/// Builds the site, serves it and rebuilds on every change until Ctrl-C.
pub fn serve(options: Options) -> Result<()> {
    let address = SocketAddr::new(options.interface, options.port);
    let listener = std::net::TcpListener::bind(address)
        .and_then(|l| l.set_nonblocking(true).map(|()| l))
        .map_err(|source| Error::Listen { address, source })?;
    let port = listener.local_addr().map_err(|source| Error::Listen { address, source })?.port();
    let url = format!("http://{}/", SocketAddr::new(public_host(options.interface), port));

    let mut build_options = options.build.clone();
    build_options.base_url = Some(url.clone());
    let root = build_options.root.clone();
    // Watch before the first build, so no edit made during it is missed.
    let mut watcher = watch::Watcher::new(&root)?;
    let mut rebuilder = Rebuilder::new(build_options, options.verbose);
    rebuilder.rebuild(&watch::Change::default());

    let (site_sender, site) = channel::channel(rebuilder.snapshot());
    let site_sender = Arc::new(site_sender);
    let plans = index_in_background(rebuilder.search.clone(), site_sender.clone())
        .map_err(|e| Error::io("start the search indexer for", &root, e))?;
    let (messages, _) = broadcast::channel(64);
    let (shutdown_sender, shutdown) = channel::channel(false);
    let shared = http::Shared { site, messages: messages.clone(), shutdown };

    std::thread::Builder::new()
        .name("gloss-watch".into())
        .spawn(move || {
            // The search index is made once edits pause, never between an
            // edit and its reload: at 10k articles it takes a core for a while.
            let mut index_due = true;
            loop {
                let quiet = index_due.then_some(SEARCH_QUIET);
                match watcher.next(quiet) {
                    watch::Next::Change(change) => {
                        let message = rebuilder.rebuild(&change);
                        site_sender.send_replace(rebuilder.snapshot());
                        if let Some(message) = message {
                            // No browser connected is not an error.
                            let _ = messages.send(message);
                        }
                        index_due = true;
                    }
                    watch::Next::Quiet => {
                        if let Some(plan) = rebuilder.search_plan() {
                            let _ = plans.send(plan);
                        }
                        index_due = false;
                    }
                    watch::Next::Stopped => break,
                }
            }
        })
        .map_err(|e| Error::io("start the watcher for", &root, e))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("start the server for", &root, e))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|source| Error::Listen { address, source })?;
        // Not println!: it panics when stdout is closed.
        let _ = writeln!(std::io::stdout(), "Serving at {url}");
        let _ = std::io::stdout().flush();
        eprintln!("Watching {} for changes; press Ctrl-C to stop", root.display());
        if options.open {
            open_browser(&url);
        }
        let stop = shared.shutdown.clone();
        tokio::spawn(async move {
            stop_signal().await;
            let _ = shutdown_sender.send(true);
        });
        http::run(listener, http::router(shared), stop).await;
        eprintln!("Stopped");
        Ok(())
    })
}

/// Resolves on Ctrl-C (or, on Unix, SIGTERM).
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Opens `url` in the default browser; a failure is only a warning.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = command {
        eprintln!("warning: could not open a browser ({e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(entries: &[(&str, &str)]) -> HashMap<String, Bytes> {
        entries.iter().map(|(p, b)| (p.to_string(), Bytes::from(b.to_string()))).collect()
    }

    #[test]
    fn changed_paths_include_added_removed_and_edited_files() {
        let old = pages(&[("a.html", "1"), ("b.css", "1"), ("gone.html", "1")]);
        let new = pages(&[("a.html", "1"), ("b.css", "2"), ("new.html", "1")]);
        let mut changed = changed_paths(&old, &new);
        changed.sort();
        assert_eq!(changed, vec!["b.css", "gone.html", "new.html"]);
    }

    #[test]
    fn messages_are_json_the_script_reads() {
        let text = Message::Error { version: 2, text: "<b>".into() }.json();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["kind"], "error");
        assert_eq!(value["text"], "<b>");
        assert_eq!(Message::Css { version: 1 }.json(), r#"{"kind":"css","version":1}"#);
    }
}
