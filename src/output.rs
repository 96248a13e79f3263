//! Output: pages → the output folder.
//!
//! The whole build is written into a staging folder beside the output and
//! swapped in only when everything succeeded, so a failed build leaves the
//! previous output exactly as it was.

use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::{Page, theme};

/// The site's own static files (`static/`), as pages, laid over the theme's.
pub fn static_files(root: &Path) -> Result<Vec<Page>> {
    let mut files: Vec<Page> = theme::STATIC
        .iter()
        .map(|(path, bytes)| Page { path: path.to_string(), bytes: bytes.to_vec() })
        .collect();
    let dir = root.join("static");
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| Error::io("read", dir.clone(), e.into()))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry
                .path()
                .strip_prefix(&dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = fs::read(entry.path()).map_err(|e| Error::io("read", entry.path(), e))?;
            files.retain(|f| f.path != path);
            files.push(Page { path, bytes });
        }
    }
    Ok(files)
}

/// The output path of a page, refusing anything that would leave the folder.
fn target(folder: &Path, page_path: &str) -> Option<PathBuf> {
    let relative = Path::new(page_path);
    let safe = relative.components().all(|c| matches!(c, Component::Normal(_)));
    safe.then(|| folder.join(relative))
}

/// Writes every page into `output`, atomically replacing what was there.
pub fn write(output: &Path, pages: &[Page]) -> Result<()> {
    let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io("create folder", parent, e))?;
    let staging = parent.join(format!(".{name}.staging"));
    let previous = parent.join(format!(".{name}.previous"));
    for leftover in [&staging, &previous] {
        if leftover.exists() {
            fs::remove_dir_all(leftover).map_err(|e| Error::io("remove", leftover, e))?;
        }
    }
    fs::create_dir_all(&staging).map_err(|e| Error::io("create folder", &staging, e))?;
    let written = pages.par_iter().try_for_each(|page| {
        let Some(path) = target(&staging, &page.path) else {
            return Err(Error::io(
                "write",
                &page.path,
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "the path leaves the output folder",
                ),
            ));
        };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
        }
        fs::write(&path, &page.bytes).map_err(|e| Error::io("write", &path, e))
    });
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if output.exists() {
        fs::rename(output, &previous).map_err(|e| Error::io("move aside", output, e))?;
    }
    fs::rename(&staging, output).map_err(|e| Error::io("move into place", output, e))?;
    if previous.exists() {
        fs::remove_dir_all(&previous).map_err(|e| Error::io("remove", &previous, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        let folder = Path::new("/out");
        assert_eq!(
            target(folder, "articles/x/index.html"),
            Some(PathBuf::from("/out/articles/x/index.html"))
        );
        assert_eq!(target(folder, "../x"), None);
        assert_eq!(target(folder, "/etc/passwd"), None);
    }
}
