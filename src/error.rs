//! The library's error type.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::diag::Diagnostic;

/// Why a build (or any other command) failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more of the user's files are wrong; every one found is listed.
    #[error("{}", Diagnostics(.0))]
    Content(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    #[error("error: could not {action} {}: {source}", path.display())]
    Io {
        /// What gloss was doing ("read", "write", "create folder", ...).
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// Pagefind could not build the search index (what it said).
    #[error("error: could not build the search index: {0}")]
    Search(String),
    /// `gloss serve` could not listen on its address (often: the port is taken).
    #[error(
        "error: could not listen on {address}: {source}\n  = help: {}",
        if source.kind() == io::ErrorKind::AddrInUse {
            "another program is using this port: pass --port 0 to pick a free one, or another --port"
        } else {
            "pass another --interface or --port (--port 0 picks a free one)"
        }
    )]
    Listen {
        /// The address asked for (`127.0.0.1:1111`).
        address: std::net::SocketAddr,
        /// What the operating system said.
        source: io::Error,
    },
    /// `gloss serve` could not watch the site's files for changes.
    #[error("error: could not watch {} for changes: {source}", path.display())]
    Watch {
        /// The folder or file.
        path: PathBuf,
        /// What the watcher said.
        source: notify::Error,
    },
}

impl Error {
    /// An I/O error that names its path.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io { action, path: path.into(), source }
    }
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Error {
        Error::Content(vec![diagnostic])
    }
}

/// Several diagnostics printed one after another, a blank line between them.
struct Diagnostics<'a>(&'a [Diagnostic]);

impl fmt::Display for Diagnostics<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
