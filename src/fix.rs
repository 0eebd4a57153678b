//! The fix engine: fixes are edits on byte ranges of the original file. Each pass re-checks the
//! file, applies the non-overlapping fixes of the allowed applicability (overlapping ones wait for
//! the next pass), and keeps a fix only if it adds no new error. Passes repeat until nothing
//! changes. Bytes no fix touches stay identical (encoding, line ends, comments).

use crate::catalogue::Code;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::catalogue::Severity;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::engine::{Engine, FileReport};
use crate::error::Error;
use crate::source::SourceFile;

/// A bound on passes: each pass must change something, and fixes never re-create what they
/// removed, so real files settle in two or three.
pub const MAX_PASSES: usize = 10;

#[derive(Debug, Clone, Copy, Default)]
pub struct FixOptions {
    pub unsafe_fixes: bool,
}

/// A fix that was applied.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Applied {
    pub code: Code,
    pub title: String,
    pub applicability: Applicability,
    /// Position in the file as it was when the fix was applied.
    pub line: usize,
    pub eleve: Option<String>,
}

/// A fix that was refused, and why (French).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Dropped {
    pub code: Code,
    pub title: String,
    pub line: usize,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct FixOutcome {
    pub name: String,
    pub original: Vec<u8>,
    pub output: Vec<u8>,
    pub applied: Vec<Applied>,
    pub dropped: Vec<Dropped>,
    /// The check of the corrected file.
    pub remaining: FileReport,
    pub passes: usize,
    /// The edits applied by each pass, on the bytes that pass started from.
    pub pass_edits: Vec<Vec<Edit>>,
}

impl FixOutcome {
    pub fn changed(&self) -> bool {
        self.original != self.output
    }
}

/// Whether a fix may be applied at this level.
pub fn allowed(fix: &Fix, opts: FixOptions) -> bool {
    !fix.edits.is_empty()
        && match fix.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => opts.unsafe_fixes,
            Applicability::DisplayOnly => false,
        }
}

/// Applies edits (sorted, non-overlapping) to bytes.
pub fn apply_edits(bytes: &[u8], edits: &[&Edit]) -> Vec<u8> {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    for e in sorted {
        let start = e.start.min(bytes.len()).max(pos);
        let end = e.end.min(bytes.len()).max(start);
        out.extend_from_slice(&bytes[pos..start]);
        out.extend_from_slice(e.replacement.as_bytes());
        pos = end;
    }
    out.extend_from_slice(&bytes[pos..]);
    out
}

fn overlaps(a: &Edit, b: &Edit) -> bool {
    // Two insertions at one point, or an insertion inside a replaced range, conflict too.
    a.start < b.end.max(b.start + 1) && b.start < a.end.max(a.start + 1)
}

fn error_counts(r: &FileReport) -> BTreeMap<Code, usize> {
    let mut m = BTreeMap::new();
    for d in r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        *m.entry(d.code).or_insert(0) += 1;
    }
    m
}

/// True when `after` has more errors of some code than `before`.
fn adds_error(before: &BTreeMap<Code, usize>, after: &BTreeMap<Code, usize>) -> Option<Code> {
    after
        .iter()
        .find(|(code, n)| **n > before.get(*code).copied().unwrap_or(0))
        .map(|(c, _)| *c)
}

/// Fixes one file in memory.
/// Checks bytes for the fix loop; the report's copy of the text is dropped at once (the fix
/// loop never renders excerpts), which keeps the peak memory of `fix` lower.
fn recheck(engine: &Engine, name: &str, bytes: Vec<u8>) -> FileReport {
    let mut r = engine.check_owned(name.to_string(), bytes);
    r.text = None;
    r
}

pub fn fix_source(engine: &Engine, src: &SourceFile, opts: FixOptions) -> FixOutcome {
    let mut current = src.bytes.clone();
    let mut applied = Vec::new();
    let mut dropped: Vec<Dropped> = Vec::new();
    let mut refused: Vec<(Code, String)> = Vec::new();
    let mut report = recheck(engine, &src.name, current.clone());
    let mut passes = 0;
    let mut pass_edits: Vec<Vec<Edit>> = Vec::new();
    while passes < MAX_PASSES {
        let candidates: Vec<&Diagnostic> = report
            .diagnostics
            .iter()
            .filter(|d| d.fix.as_ref().is_some_and(|f| allowed(f, opts)))
            .filter(|d| {
                let t = d.fix.as_ref().map(|f| f.title.clone()).unwrap_or_default();
                !refused.iter().any(|(c, title)| *c == d.code && *title == t)
            })
            .collect();
        if candidates.is_empty() {
            break;
        }
        passes += 1;
        // Non-overlapping selection, in file order; the rest waits for the next pass.
        let mut chosen: Vec<&Diagnostic> = Vec::new();
        let mut taken: Vec<&Edit> = Vec::new();
        for d in &candidates {
            let Some(fix) = &d.fix else { continue };
            if fix
                .edits
                .iter()
                .any(|e| taken.iter().any(|t| overlaps(e, t)))
            {
                continue;
            }
            // Edits inside one fix must not overlap each other either.
            let mut own: Vec<&Edit> = Vec::new();
            let mut ok = true;
            for e in &fix.edits {
                if own.iter().any(|o| overlaps(e, o)) {
                    ok = false;
                    break;
                }
                own.push(e);
            }
            if !ok {
                continue;
            }
            taken.extend(fix.edits.iter());
            chosen.push(d);
        }
        let before = error_counts(&report);
        let all_edits: Vec<&Edit> = chosen
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter())
            .collect();
        let candidate_bytes = apply_edits(&current, &all_edits);
        let candidate_report = recheck(engine, &src.name, candidate_bytes.clone());
        let (next_bytes, next_report, kept) = if adds_error(
            &before,
            &error_counts(&candidate_report),
        )
        .is_none()
        {
            (candidate_bytes, candidate_report, chosen)
        } else {
            // Some fix of the batch is harmful: try each alone and keep the harmless ones.
            let mut kept = Vec::new();
            for d in &chosen {
                let Some(fix) = &d.fix else { continue };
                let edits: Vec<&Edit> = fix.edits.iter().collect();
                let alone = apply_edits(&current, &edits);
                let r = engine.check_source(&SourceFile::new(src.name.clone(), alone));
                match adds_error(&before, &error_counts(&r)) {
                    None => kept.push(*d),
                    Some(code) => {
                        refused.push((d.code, fix.title.clone()));
                        dropped.push(Dropped {
                            code: d.code,
                            title: fix.title.clone(),
                            line: d.line,
                            reason: format!(
                                "écartée : elle ferait apparaître une nouvelle erreur {code}"
                            ),
                        });
                    }
                }
            }
            let edits: Vec<&Edit> = kept
                .iter()
                .filter_map(|d| d.fix.as_ref())
                .flat_map(|f| f.edits.iter())
                .collect();
            let bytes = apply_edits(&current, &edits);
            let r = engine.check_source(&SourceFile::new(src.name.clone(), bytes.clone()));
            if adds_error(&before, &error_counts(&r)).is_some() {
                // Harmless alone, harmful together: keep none of this pass.
                for d in &kept {
                    if let Some(f) = &d.fix {
                        refused.push((d.code, f.title.clone()));
                        dropped.push(Dropped {
                                code: d.code,
                                title: f.title.clone(),
                                line: d.line,
                                reason: "écartée : combinée aux autres corrections, elle ferait apparaître une nouvelle erreur".into(),
                            });
                    }
                }
                (current.clone(), report.clone(), Vec::new())
            } else {
                (bytes, r, kept)
            }
        };
        if kept.is_empty() || next_bytes == current {
            break;
        }
        let mut edits: Vec<Edit> = kept
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter().cloned())
            .collect();
        edits.sort();
        pass_edits.push(edits);
        for d in kept {
            if let Some(f) = &d.fix {
                applied.push(Applied {
                    code: d.code,
                    title: f.title.clone(),
                    applicability: f.applicability,
                    line: d.line,
                    eleve: d.eleve.clone(),
                });
            }
        }
        current = next_bytes;
        report = next_report;
    }
    FixOutcome {
        name: src.name.clone(),
        original: src.bytes.clone(),
        output: current,
        applied,
        dropped,
        remaining: report,
        passes,
        pass_edits,
    }
}

/// A unified diff of the fix (for `--diff`).
pub fn unified_diff(outcome: &FixOutcome) -> String {
    let old = String::from_utf8_lossy(&outcome.original);
    let new = String::from_utf8_lossy(&outcome.output);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("a/{}", outcome.name),
            &format!("b/{}", outcome.name),
        )
        .to_string()
}

/// Where the corrected file of `input` goes: `out` itself, or `out/<file name>` when `out` is a
/// folder (or several inputs are fixed). Refuses to overwrite the input.
pub fn output_path(input: &Path, out: &Path, several: bool) -> Result<PathBuf, Error> {
    let target = if several || out.is_dir() {
        let name = input.file_name().ok_or_else(|| {
            Error::Usage(format!("« {} » n'a pas de nom de fichier", input.display()))
        })?;
        out.join(name)
    } else {
        out.to_path_buf()
    };
    let same = match (input.canonicalize(), target.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Error::Usage(format!(
            "« {} » est le fichier d'entrée : `fix` ne l'écrase jamais, choisissez une autre sortie avec -o",
            target.display()
        )));
    }
    Ok(target)
}

/// Writes atomically: a temporary file beside the target, then a rename. Never a half-written
/// file, even when interrupted.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::Write(dir.to_path_buf(), e))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sortie".into());
    let tmp = dir.join(format!(".{name}.lsu-lint-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::Write(path.to_path_buf(), e));
    }
    Ok(())
}
