//! Watching: file system events → [`Change`]s worth a rebuild.
//!
//! Watches `content/`, `templates/`, `static/` and `config.toml` with
//! notify, debounced. Reads are reported by the watcher too, and editors
//! write swap and backup files beside the real ones: both are dropped here,
//! or serving a page (which reads nothing on disk, but an editor might)
//! would trigger rebuild after rebuild.

use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::error::{Error, Result};

/// The folders of a site that a rebuild depends on.
pub const FOLDERS: [&str; 3] = ["content", "templates", "static"];

/// How long a burst of saves may pause and still give one rebuild. An
/// editor's save (write, rename, delete a backup) takes a few
/// milliseconds; anything longer is part of the wait between an edit and
/// its reload, so this is short.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// How long an emptied file may wait for its contents. Editors that save
/// in place (and `>` in a shell) empty the file first and write it after;
/// on a busy machine the two can be further apart than [`DEBOUNCE`].
const SETTLE: Duration = Duration::from_millis(250);

/// What a batch of file events touched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// `config.toml` changed: everything must be redone.
    pub config: bool,
    /// The changed files that matter, relative to the site root.
    pub paths: Vec<PathBuf>,
    /// The watcher may have missed events: read every file again.
    pub rescan: bool,
}

impl Change {
    /// Whether nothing relevant changed.
    pub fn is_empty(&self) -> bool {
        !self.config && !self.rescan && self.paths.is_empty()
    }

    /// Adds one changed path (absolute or relative to `root`), unless it
    /// is outside the watched files or an editor's temporary file.
    pub fn add(&mut self, root: &Path, path: &Path) {
        let relative = path.strip_prefix(root).unwrap_or(path);
        if !relevant(relative) {
            return;
        }
        if relative == Path::new(crate::config::FILE_NAME) {
            self.config = true;
        } else if !self.paths.iter().any(|p| p == relative) {
            self.paths.push(relative.to_path_buf());
        }
    }

    /// Merges another batch into this one.
    pub fn extend(&mut self, other: Change) {
        self.config |= other.config;
        self.rescan |= other.rescan;
        for path in other.paths {
            if !self.paths.contains(&path) {
                self.paths.push(path);
            }
        }
    }
}

/// Whether a path relative to the site root is one a rebuild reads:
/// config.toml, or a file under one of [`FOLDERS`] that no editor would
/// call temporary.
pub fn relevant(relative: &Path) -> bool {
    let mut components = relative.components();
    let Some(Component::Normal(first)) = components.next() else { return false };
    let rest: Vec<&std::ffi::OsStr> = components
        .map(|c| match c {
            Component::Normal(name) => Some(name),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default();
    if rest.is_empty() {
        return first == crate::config::FILE_NAME;
    }
    FOLDERS.iter().any(|f| first == *f) && rest.iter().all(|name| !temporary(name))
}

/// Editor swap, backup and lock files, and hidden files.
fn temporary(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else { return false };
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        // Vim probes whether a folder is writable with a file named 4913.
        || name == "4913"
        || [".swp", ".swo", ".swx", ".tmp", ".kate-swp", "___jb_tmp___", "___jb_old___", ".crswap"]
            .iter()
            .any(|suffix| name.ends_with(suffix))
}

/// Whether an event kind can change what a build reads. Reads (access
/// events) never can.
fn changes_files(kind: &EventKind) -> bool {
    use notify::event::{MetadataKind, ModifyKind};
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) | EventKind::Any => true,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Other => false,
    }
}

fn is_empty_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
}

/// What [`Watcher::next`] saw.
#[derive(Debug)]
pub enum Next {
    /// Files changed.
    Change(Change),
    /// Nothing changed for the time asked.
    Quiet,
    /// The watcher has stopped.
    Stopped,
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: Vec<PathBuf>,
    events: mpsc::Receiver<DebounceEventResult>,
}

impl Watcher {
    /// Starts watching the site at `root`.
    pub fn new(root: &Path) -> Result<Watcher> {
        let (sender, events) = mpsc::channel();
        let debouncer = new_debouncer(DEBOUNCE, None, sender)
            .map_err(|source| Error::Watch { path: root.to_path_buf(), source })?;
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let mut watcher = Watcher { debouncer, root, watched: Vec::new(), events };
        // The root itself, not recursively: config.toml (whose inode
        // changes when an editor saves by renaming), and folders created
        // later.
        let root = watcher.root.clone();
        watcher
            .debouncer
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|source| Error::Watch { path: root.clone(), source })?;
        watcher.watch_folders()?;
        Ok(watcher)
    }

    /// Watches each of [`FOLDERS`] that exists and is not watched yet, and
    /// returns the ones that were not.
    fn watch_folders(&mut self) -> Result<Vec<PathBuf>> {
        // A watched folder that was removed is watched again when it comes back.
        self.watched.retain(|p| p.is_dir());
        let mut added = Vec::new();
        for folder in FOLDERS {
            let path = self.root.join(folder);
            if path.is_dir() && !self.watched.contains(&path) {
                self.debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .map_err(|source| Error::Watch { path: path.clone(), source })?;
                self.watched.push(path);
                added.push(PathBuf::from(folder));
            }
        }
        Ok(added)
    }

    /// Waits for the next change worth a rebuild; a burst of saves (and
    /// everything that arrived while the last rebuild ran) is one change.
    /// With `quiet`, gives up once that long has passed without one.
    pub fn next(&mut self, quiet: Option<Duration>) -> Next {
        let deadline = quiet.map(|q| Instant::now() + q);
        loop {
            let first = match deadline {
                None => self.events.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
                Some(at) => self.events.recv_timeout(at.saturating_duration_since(Instant::now())),
            };
            let mut change = match first {
                Ok(events) => self.batch(events),
                Err(mpsc::RecvTimeoutError::Timeout) => return Next::Quiet,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Next::Stopped,
            };
            while let Ok(more) = self.events.try_recv() {
                change.extend(self.batch(more));
            }
            match self.watch_folders() {
                // Files written into a new folder before it was watched
                // went unseen: the new folder is a change of its own.
                Ok(added) => change.paths.extend(added),
                Err(e) => eprintln!("{e}"),
            }
            if !change.is_empty() {
                self.settle(&mut change);
                return Next::Change(change);
            }
        }
    }

    /// Waits, up to [`SETTLE`], while a changed file is empty: a rebuild
    /// now would read a save half done and flash an error at the reader.
    /// A file left empty on purpose is rebuilt once the wait is over.
    fn settle(&mut self, change: &mut Change) {
        let deadline = Instant::now() + SETTLE;
        while change.paths.iter().any(|path| is_empty_file(&self.root.join(path))) {
            match self.events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(events) => change.extend(self.batch(events)),
                Err(_) => return,
            }
        }
    }

    fn batch(&self, result: DebounceEventResult) -> Change {
        let mut change = Change::default();
        match result {
            Ok(events) => {
                for event in &events {
                    change.rescan |= event.need_rescan();
                }
                for event in events.iter().filter(|e| changes_files(&e.kind)) {
                    for path in &event.paths {
                        change.add(&self.root, path);
                    }
                }
            }
            Err(errors) => {
                for e in errors {
                    eprintln!("warning: file watcher: {e}");
                }
                change.rescan = true;
            }
        }
        change
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_temporary_files_are_ignored() {
        for path in [
            "content/.a.md.swp",
            "content/a.md~",
            "content/#a.md#",
            "content/.#a.md",
            "content/4913",
            "content/a.md.swp",
            "templates/.hidden/base.html",
            "content/a.md.tmp",
        ] {
            assert!(!relevant(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn site_files_are_relevant_and_others_are_not() {
        for path in ["content/a.md", "content/sub/b.txt", "templates/base.html", "static/x.css"] {
            assert!(relevant(Path::new(path)), "{path}");
        }
        assert!(relevant(Path::new("config.toml")));
        for path in ["public/index.html", "target/x", "README.md", "content", "../content/a.md"] {
            assert!(!relevant(Path::new(path)), "{path}");
        }
    }

    #[test]
    fn a_change_lists_each_path_once_and_flags_config() {
        let root = Path::new("/site");
        let mut change = Change::default();
        change.add(root, Path::new("/site/content/a.md"));
        change.add(root, Path::new("/site/content/a.md"));
        change.add(root, Path::new("/site/content/.a.md.swp"));
        assert_eq!(change.paths, vec![PathBuf::from("content/a.md")]);
        assert!(!change.config);
        change.add(root, Path::new("/site/config.toml"));
        assert!(change.config);
    }

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{AccessKind, CreateKind, ModifyKind, RemoveKind, RenameMode};
        assert!(!changes_files(&EventKind::Access(AccessKind::Any)));
        assert!(changes_files(&EventKind::Create(CreateKind::File)));
        assert!(changes_files(&EventKind::Remove(RemoveKind::File)));
        assert!(changes_files(&EventKind::Modify(ModifyKind::Name(RenameMode::Both))));
    }
}
