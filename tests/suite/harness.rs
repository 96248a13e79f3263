//! A small fixture harness: copy a fixture site to a temp folder, run the
//! real binary on it, and read what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the demo site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temp copy of `tests/fixtures/<area>/<case>/`.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn copy(area: &str, case: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&repo().join("tests/fixtures").join(area).join(case), dir.path());
        Fixture { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs gloss with `args` inside the fixture folder.
    pub fn gloss(&self, args: &[&str]) -> Run {
        gloss_in(self.path(), args)
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path().join(relative))
            .unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// What a run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn gloss_in(dir: &Path, args: &[&str]) -> Run {
    let Output { status, stdout, stderr } = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run gloss");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                files.push((
                    entry.path().strip_prefix(dir).unwrap().to_path_buf(),
                    std::fs::read(entry.path()).unwrap(),
                ));
            }
        }
    }
    files.sort();
    files
}

/// The text between the first `start` marker and the next `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start:?} in page"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The demo site (the repository's content/), built once per test run
/// into a temp folder; returns its public/ folder.
pub fn demo() -> &'static Path {
    static DEMO: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let run = gloss_in(&repo(), &["build", "--output", output.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        dir
    });
    Box::leak(dir.path().join("public").into_boxed_path())
}

/// A file of the built demo.
pub fn demo_file(relative: &str) -> String {
    std::fs::read_to_string(demo().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The text of every `<script type="application/ld+json">` element, parsed.
pub fn json_ld(html: &str) -> Vec<serde_json::Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| serde_json::from_str(&rest[..rest.find("</script>").unwrap()]).unwrap())
        .collect()
}
