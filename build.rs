//! Embeds every page of `rules/` in the binary, so `lsu-lint explain` works from anywhere,
//! and links libxml2, found with pkg-config (any architecture, no libclang: `src/schema/libxml2.rs`
//! declares the few functions used).
use std::{env, fs, path::Path};

fn main() {
    if let Err(e) = pkg_config::Config::new()
        .atleast_version("2.9")
        .probe("libxml-2.0")
    {
        panic!(
            "libxml2 not found through pkg-config ({e}).\n\
             Install the development package and pkg-config first, e.g. \
             `apt-get install libxml2-dev pkg-config` (Debian, Ubuntu), \
             `dnf install libxml2-devel pkgconf` (Fedora), `brew install libxml2 pkg-config` (macOS)."
        );
    }
    println!("cargo:rerun-if-changed=rules");
    let mut pages: Vec<(String, String)> = Vec::new();
    if let Ok(dir) = fs::read_dir("rules") {
        for entry in dir.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".md") || name.len() < 5 {
                continue;
            }
            let code = &name[..4];
            if code.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && code[1..].chars().all(|c| c.is_ascii_digit())
            {
                let abs = entry.path().canonicalize().unwrap_or(entry.path());
                pages.push((code.to_string(), abs.display().to_string()));
            }
        }
    }
    pages.sort();
    let mut out = String::from("/// (code, page) for every page found in `rules/` at build time.\npub static RULE_PAGES: &[(&str, &str)] = &[\n");
    for (code, path) in &pages {
        out.push_str(&format!("    ({code:?}, include_str!({path:?})),\n"));
    }
    out.push_str("];\n");
    let dest = Path::new(&env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("rule_pages.rs");
    if let Err(e) = fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
