//! The fix engine: fixes are edits on byte ranges of the original file. Each pass re-checks the
//! file, applies the non-overlapping fixes of the allowed applicability (overlapping ones wait for
//! the next pass), and keeps a fix only if it adds no new error. Passes repeat until nothing
//! changes. Bytes no fix touches stay identical (encoding, line ends, comments).

pub mod edit;

use crate::catalogue::Code;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// The input when a fix changed it; None when `output` is the input (kept once).
    original: Option<Vec<u8>>,
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
        self.original.as_ref().is_some_and(|o| *o != self.output)
    }

    /// The file as it was before the fixes.
    pub fn original(&self) -> &[u8] {
        self.original.as_deref().unwrap_or(&self.output)
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

/// Codes whose findings mean the file could not be read as XML at all (not UTF-8, not
/// well-formed): nothing behind them was checked.
const UNREADABLE: &[Code] = &[Code::E001, Code::E002];

/// Codes whose fixes repair characters (transcoding, forbidden characters). They run in a pass
/// of their own: other rules saw the blanked or undecoded text, and must decide on the repaired
/// one (a `code-division="3\0A"` is « 3A » once repaired, not an orphan).
const CHARACTER_REPAIRS: &[Code] = &[Code::E002, Code::E003];

fn readable(r: &FileReport) -> bool {
    !r.diagnostics.iter().any(|d| UNREADABLE.contains(&d.code))
}

/// Whether the fixed report is acceptable after `before`. A file that could not be read and
/// now can is judged by that alone: the findings that the malformation hid are not the fix's.
fn harm(before: &FileReport, after: &FileReport) -> Option<Code> {
    if !readable(before) && readable(after) {
        return None;
    }
    adds_error(&error_counts(before), &error_counts(after))
}

/// Checks bytes for the fix loop; the report's copy of the text is dropped at once (the fix
/// loop never renders excerpts), which keeps the peak memory of `fix` lower.
fn recheck(engine: &Engine, name: &str, bytes: Vec<u8>) -> FileReport {
    let mut r = engine.check_owned(name.to_string(), bytes);
    r.text = None;
    r
}

/// Checks bytes and hands them back. When decoding leaves them as they are (nearly always), the
/// check reads them in place instead of a copy: a check of a large file then holds the file
/// once, not twice.
fn recheck_keep(engine: &Engine, name: &str, bytes: Vec<u8>) -> (FileReport, Vec<u8>) {
    if !crate::parse::decodes_as_is(&bytes) {
        return (recheck(engine, name, bytes.clone()), bytes);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => Arc::new(t),
        Err(e) => {
            let bytes = e.into_bytes();
            return (recheck(engine, name, bytes.clone()), bytes);
        }
    };
    let mut r = engine.check_text(name.to_string(), Arc::clone(&text));
    r.text = None;
    // The report's copy is gone: the text is ours again (a clone only if something kept it).
    let text = Arc::try_unwrap(text).unwrap_or_else(|t| (*t).clone());
    (r, text.into_bytes())
}

fn edits_of<'d>(chosen: &[&'d Diagnostic]) -> Vec<&'d Edit> {
    chosen
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter())
        .collect()
}

/// Non-overlapping selection, in file order; the rest waits for the next pass. A fix whose own
/// edits overlap is never taken.
fn select<'d>(candidates: &[&'d Diagnostic]) -> Vec<&'d Diagnostic> {
    let mut chosen: Vec<&Diagnostic> = Vec::new();
    let mut taken: Vec<&Edit> = Vec::new();
    for d in candidates {
        let Some(fix) = &d.fix else { continue };
        if fix
            .edits
            .iter()
            .any(|e| taken.iter().any(|t| overlaps(e, t)))
        {
            continue;
        }
        let mut own: Vec<&Edit> = Vec::new();
        if fix.edits.iter().any(|e| {
            let clash = own.iter().any(|o| overlaps(e, o));
            own.push(e);
            clash
        }) {
            continue;
        }
        taken.extend(fix.edits.iter());
        chosen.push(d);
    }
    chosen
}

/// Fixes one file in memory.
pub fn fix_source(engine: &Engine, src: &SourceFile, opts: FixOptions) -> FixOutcome {
    fix_owned(engine, src.name.clone(), src.bytes.clone(), opts)
}

/// Fixes one file, taking its bytes: while nothing is fixed they are held once, and after a
/// pass the input and the current state (plus the candidate being checked).
pub fn fix_owned(engine: &Engine, name: String, bytes: Vec<u8>, opts: FixOptions) -> FixOutcome {
    let mut applied = Vec::new();
    let mut dropped: Vec<Dropped> = Vec::new();
    let mut refused: Vec<(Code, String)> = Vec::new();
    let (mut report, mut current) = recheck_keep(engine, &name, bytes);
    let mut original: Option<Vec<u8>> = None;
    let mut passes = 0;
    let mut pass_edits: Vec<Vec<Edit>> = Vec::new();
    loop {
        let mut candidates: Vec<&Diagnostic> = report
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
        if passes == MAX_PASSES {
            // Say what is left rather than stop silently.
            for d in &candidates {
                if let Some(f) = &d.fix {
                    dropped.push(Dropped {
                        code: d.code,
                        title: f.title.clone(),
                        line: d.line,
                        reason: format!(
                            "non appliquée : {MAX_PASSES} passes de correction n'ont pas suffi ; relancez la correction sur le fichier produit"
                        ),
                    });
                }
            }
            break;
        }
        if candidates
            .iter()
            .any(|d| CHARACTER_REPAIRS.contains(&d.code))
        {
            candidates.retain(|d| CHARACTER_REPAIRS.contains(&d.code));
        }
        let chosen = select(&candidates);
        let candidate_bytes = apply_edits(&current, &edits_of(&chosen));
        let (candidate_report, candidate_bytes) = recheck_keep(engine, &name, candidate_bytes);
        let (next_bytes, next_report, kept) = if harm(&report, &candidate_report).is_none() {
            (candidate_bytes, candidate_report, chosen)
        } else {
            // Some fix of the batch is harmful: try each alone, then add the harmless ones one
            // by one while the whole stays harmless (a harmful one never takes the others with it).
            let mut harmless: Vec<&Diagnostic> = Vec::new();
            for d in &chosen {
                let Some(fix) = &d.fix else { continue };
                let edits: Vec<&Edit> = fix.edits.iter().collect();
                let r = recheck(engine, &name, apply_edits(&current, &edits));
                match harm(&report, &r) {
                    None => harmless.push(*d),
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
            let mut kept: Vec<&Diagnostic> = Vec::new();
            let mut state: Option<(Vec<u8>, FileReport)> = None;
            for d in harmless {
                let mut trial = kept.clone();
                trial.push(d);
                let bytes = apply_edits(&current, &edits_of(&trial));
                let (r, bytes) = recheck_keep(engine, &name, bytes);
                if harm(&report, &r).is_none() {
                    kept = trial;
                    state = Some((bytes, r));
                } else if let Some(f) = &d.fix {
                    refused.push((d.code, f.title.clone()));
                    dropped.push(Dropped {
                        code: d.code,
                        title: f.title.clone(),
                        line: d.line,
                        reason: "écartée : combinée aux autres corrections, elle ferait apparaître une nouvelle erreur".into(),
                    });
                }
            }
            match state {
                Some((bytes, r)) => (bytes, r, kept),
                None => (current.clone(), report.clone(), Vec::new()),
            }
        };
        if kept.is_empty() {
            // Every fix of this batch was refused (each is refused once): the other candidates
            // may still apply.
            continue;
        }
        if next_bytes == current {
            break;
        }
        passes += 1;
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
        let before = std::mem::replace(&mut current, next_bytes);
        original.get_or_insert(before);
        report = next_report;
    }
    FixOutcome {
        name,
        original,
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
    let old = String::from_utf8_lossy(outcome.original());
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
    // A device, FIFO or socket is refused before anything is written (replacing one with a
    // plain file, or writing into it, is never what was meant); a link is followed.
    let real = crate::files::write_target(&target).map_err(|e| Error::Open(target.clone(), e))?;
    let same = match (input.canonicalize(), real.canonicalize()) {
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
/// file, even when interrupted. A symbolic link is kept: the file it leads to is replaced.
/// Anything but a regular file (or a new one) is refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let path = &crate::files::write_target(path).map_err(|e| Error::Open(path.to_path_buf(), e))?;
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
        // A fresh file: never through a link or a stale file left at that name.
        let _ = std::fs::remove_file(&tmp);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
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
