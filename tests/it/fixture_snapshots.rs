//! Snapshots of every fixture (issue 13): what `check` finds in it — line, column, code, kind,
//! message and the fix it offers — and, when a fix applies, the unified diff of `fix` (safe
//! fixes alone, then with `--unsafe-fixes` when that corrects more). A changed message, span or
//! fix shows as a snapshot to review (`cargo insta review`, or the `.snap.new` files beside).
//!
//! Names: `fixtures__<CODE>__<fixture>.snap`, `…__fix.snap`, `…__fix-unsafe.snap`, in
//! `tests/it/snapshots/`. A snapshot no fixture produces any more fails the test (a fix that
//! stopped applying must not leave its old diff behind).

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

use lsu_lint::diagnostic::Applicability;
use lsu_lint::engine::{Engine, FileReport};
use lsu_lint::fix::{fix_source, unified_diff, FixOptions, FixOutcome};
use lsu_lint::source::SourceFile;

use crate::fixtures::{directive, fixture_dirs, fixture_files, Directive};

const PREFIX: &str = "fixtures__";

fn applicability(a: Applicability) -> &'static str {
    match a {
        Applicability::Safe => "sûre",
        Applicability::Unsafe => "non sûre",
        Applicability::DisplayOnly => "à la main",
    }
}

/// The findings as `check --format concise` shows them (without the file name, which the
/// snapshot's description gives), with each finding's kind and offered fix.
fn findings(report: &FileReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let _ = writeln!(
            out,
            "{}:{}: {} [{}] {}",
            d.line, d.column, d.code, d.kind, d.message
        );
        if let Some(f) = &d.fix {
            let _ = writeln!(
                out,
                "    correction {} ({} modification{}) : {}",
                applicability(f.applicability),
                f.edits.len(),
                if f.edits.len() > 1 { "s" } else { "" },
                f.title
            );
        }
    }
    if out.is_empty() {
        out.push_str("(aucune constatation)\n");
    }
    out
}

/// What `fix` did, then its diff.
fn fix_text(outcome: &FixOutcome) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "passes : {}", outcome.passes);
    for a in &outcome.applied {
        let _ = writeln!(
            out,
            "appliquée ({}) {} ligne {} : {}",
            applicability(a.applicability),
            a.code,
            a.line,
            a.title
        );
    }
    for d in &outcome.dropped {
        let _ = writeln!(
            out,
            "écartée {} ligne {} : {} — {}",
            d.code, d.line, d.title, d.reason
        );
    }
    let remaining: Vec<String> = outcome
        .remaining
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect();
    let _ = writeln!(out, "restent : {}", remaining.join(" "));
    out.push('\n');
    if std::str::from_utf8(outcome.original()).is_ok()
        && std::str::from_utf8(&outcome.output).is_ok()
    {
        out.push_str(&unified_diff(outcome));
    } else {
        // `fix --diff` shows such a file's bytes as they are; here both sides are decoded so
        // that the snapshot shows what changed, not NUL bytes.
        let (old, old_enc) = decoded(outcome.original());
        let (new, new_enc) = decoded(&outcome.output);
        let _ = writeln!(
            out,
            "(diff des textes décodés : avant {old_enc}, après {new_enc})"
        );
        if old == new {
            out.push_str("(textes identiques une fois décodés : seul l'encodage change)\n");
        }
        out.push_str(
            &similar::TextDiff::from_lines(old.as_str(), new.as_str())
                .unified_diff()
                .context_radius(2)
                .header(
                    &format!("a/{}", outcome.name),
                    &format!("b/{}", outcome.name),
                )
                .to_string(),
        );
    }
    out
}

/// A file's text and its encoding: by BOM, else UTF-8, else UTF-16 without BOM (a NUL byte
/// beside the first `<`), else Windows-1252.
fn decoded(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name());
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        return (t.to_string(), "UTF-8");
    }
    let enc = match bytes {
        [0, b'<', ..] => encoding_rs::UTF_16BE,
        [b'<', 0, ..] => encoding_rs::UTF_16LE,
        _ => encoding_rs::WINDOWS_1252,
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), enc.name())
}

/// The fixture's path and options, relative to the repository (no absolute path, no date but
/// the pinned one).
fn description(rel: &str, d: &Directive) -> String {
    let mut s = format!("check --today {}", d.today);
    for o in &d.shown {
        s.push(' ');
        s.push_str(o);
    }
    s.push(' ');
    s.push_str(rel);
    s
}

/// Asserts one snapshot, collecting a mismatch instead of stopping at the first.
fn snapshot(
    name: &str,
    info: &str,
    text: &str,
    seen: &mut BTreeSet<String>,
    failed: &mut Vec<String>,
) {
    seen.insert(name.to_string());
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_description(info);
    settings.set_omit_expression(true);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!(name, text));
    }));
    if r.is_err() {
        failed.push(name.to_string());
    }
}

fn engine(path: &Path, d: &Directive) -> Engine {
    d.builder
        .clone()
        .build()
        .unwrap_or_else(|e| panic!("{}: cannot build engine: {e}", path.display()))
}

#[test]
fn every_fixture_and_fix_is_snapshotted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = BTreeSet::new();
    let mut failed = Vec::new();
    for dir in fixture_dirs() {
        let code = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
        for path in fixture_files(&dir, "trigger")
            .into_iter()
            .chain(fixture_files(&dir, "clean"))
        {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let d = directive(&path, &bytes);
            let engine = engine(&path, &d);
            let src = SourceFile::new(rel.clone(), bytes);
            let info = description(&rel, &d);
            let name = format!("{PREFIX}{code}__{stem}");
            let report = engine.check_source(&src);
            snapshot(&name, &info, &findings(&report), &mut seen, &mut failed);

            let safe = fix_source(
                &engine,
                &src,
                FixOptions {
                    unsafe_fixes: false,
                },
            );
            if safe.changed() {
                let info = format!("fix {}", info.trim_start_matches("check "));
                snapshot(
                    &format!("{name}__fix"),
                    &info,
                    &fix_text(&safe),
                    &mut seen,
                    &mut failed,
                );
            }
            let all = fix_source(&engine, &src, FixOptions { unsafe_fixes: true });
            if all.output != safe.output {
                let info = format!("fix --unsafe-fixes {}", info.trim_start_matches("check "));
                snapshot(
                    &format!("{name}__fix-unsafe"),
                    &info,
                    &fix_text(&all),
                    &mut seen,
                    &mut failed,
                );
            }
        }
    }
    assert!(!seen.is_empty(), "no fixture found under corpus/fixtures");
    // Snapshots that no fixture produces any more.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    let mut stale: Vec<String> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter_map(|n| n.strip_suffix(".snap").map(str::to_string))
        .filter(|n| n.starts_with(PREFIX) && !seen.contains(n))
        .collect();
    stale.sort();
    assert!(
        failed.is_empty() && stale.is_empty(),
        "{} snapshot(s) differ: {}\n{} snapshot(s) no fixture produces (delete them): {}",
        failed.len(),
        failed.join(", "),
        stale.len(),
        stale.join(", ")
    );
}
