//! `.cargo/pgo/rustc`, the wrapper cargo runs every compile through: the
//! profile goes to optimised compiles by the compiler that made it, and
//! every other compile runs exactly as asked.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::repo;

/// A stand-in compiler that prints `version` for `-V` and otherwise the
/// arguments it was given.
fn compiler(dir: &Path, version: &str) -> PathBuf {
    let path = dir.join("rustc");
    let script =
        format!("#!/bin/sh\nif [ \"$1\" = -V ]; then echo '{version}'; else echo \"$@\"; fi\n");
    std::fs::write(&path, script).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

/// The arguments `compiler` receives when cargo asks the wrapper for `args`.
fn through_wrapper(compiler: &Path, args: &[&str]) -> String {
    let wrapper = repo().join(".cargo/pgo/rustc");
    let mut out = Command::new(&wrapper).arg(compiler).args(args).output().unwrap();
    // A process forked by another test at the moment `compiler` was
    // written may hold it open for a moment: running it then fails.
    for _ in 0..5 {
        if out.status.success() || !String::from_utf8_lossy(&out.stderr).contains("busy") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
        out = Command::new(&wrapper).arg(compiler).args(args).output().unwrap();
    }
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim_end().to_string()
}

fn made_by() -> String {
    std::fs::read_to_string(repo().join(".cargo/pgo/made-by")).unwrap().trim_end().to_string()
}

const OPTIMISED: [&str; 4] = ["--crate-name", "gloss", "-C", "opt-level=3"];

#[test]
fn an_optimised_compile_by_the_profiles_compiler_reads_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let rustc = compiler(dir.path(), &made_by());
    let profile = repo().join(".cargo/pgo/gloss.profdata");
    assert!(profile.is_file());
    let args = through_wrapper(&rustc, &OPTIMISED);
    let flag = args.split(' ').find_map(|a| a.strip_prefix("-Cprofile-use=")).unwrap();
    assert_eq!(Path::new(flag).canonicalize().unwrap(), profile.canonicalize().unwrap());
    assert!(args.starts_with("--crate-name gloss -C opt-level=3 "), "{args}");
}

#[test]
fn other_compiles_and_other_compilers_run_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let debug = ["--crate-name", "gloss", "-C", "debuginfo=2"];
    let same = compiler(dir.path(), &made_by());
    assert_eq!(through_wrapper(&same, &debug), debug.join(" "));
    let other = compiler(dir.path(), "rustc 1.0.0 (a1b2c3d4e 2015-05-15)");
    assert_eq!(through_wrapper(&other, &OPTIMISED), OPTIMISED.join(" "));
}
