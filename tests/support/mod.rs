//! Where the test oracle lives: the official XSDs and examples of `../shared` (beside the
//! repository, or above a git worktree), or the folders named by environment variables. Tests
//! that need them are skipped, with a visible message, when neither exists: `cargo test` passes
//! on a fresh clone alone; `.ci/run` requires them.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// Says on the process's stderr what is skipped: through the handle rather than `eprintln!`,
/// which the test harness captures, so that it shows in a plain `cargo test`.
pub fn say_skipped(message: &str) {
    let _ = writeln!(std::io::stderr(), "SKIPPED {message}");
}

/// `$LSU_LINT_SHARED`, else `shared/` beside the crate or one of its ancestors.
pub fn shared_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("LSU_LINT_SHARED").map(PathBuf::from) {
        return d.is_dir().then_some(d);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    root.ancestors()
        .skip(1)
        .map(|a| a.join("shared"))
        .find(|d| d.join("reference").is_dir())
}

/// The official XSD folder: `$LSU_LINT_OFFICIAL_XSD`, else `<shared>/reference/xsd`.
pub fn official_xsd_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("LSU_LINT_OFFICIAL_XSD").map(PathBuf::from) {
        return d.is_dir().then_some(d);
    }
    shared_dir()
        .map(|s| s.join("reference/xsd"))
        .filter(|d| d.is_dir())
}

/// The official XSD folder, or None after saying on stderr that `what` is skipped.
pub fn official_xsd_or_skip(what: &str) -> Option<PathBuf> {
    let d = official_xsd_dir();
    if d.is_none() {
        say_skipped(&format!(
            "{what}: official XSDs not found (set LSU_LINT_OFFICIAL_XSD or put ../shared beside the repository)"
        ));
    }
    d
}

/// A path under `<shared>/`, or None after saying on stderr that `what` is skipped.
pub fn shared_or_skip(rel: &str, what: &str) -> Option<PathBuf> {
    let p = shared_dir().map(|s| s.join(rel)).filter(|p| p.exists());
    if p.is_none() {
        say_skipped(&format!(
            "{what}: {rel} not found (set LSU_LINT_SHARED or put ../shared beside the repository)"
        ));
    }
    p
}
