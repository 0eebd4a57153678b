//! What one run produced, computed once for every face (CLI formats, HTTP API, web page, HTML
//! report): the files' findings, the notes on the inputs, the summary and the root causes of
//! `interfaces.md` « Root causes (`summary.causes`) ».

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalogue::{Agir, Code, Confidence, FixClass, Impact, Severity};
use crate::diagnostic::Diagnostic;
use crate::engine::FileReport;

/// The reference inputs of a run, as shown in the JSON report (`inputs`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Inputs {
    pub siecle: Option<String>,
    pub nomenclature: Option<String>,
    pub sts: Option<String>,
    pub onde: Option<String>,
    pub communs: Option<String>,
    pub settings: Option<String>,
    pub config: Option<String>,
}

/// A note on the inputs (`notes` of the JSON report): a recognised reference file, a file left
/// out, records of a reference file that could not be read in full.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The input concerned, named as in `inputs` (`siecle`, `settings`…), or None.
    pub input: Option<&'static str>,
    /// The file concerned, as shown to the user.
    pub path: Option<String>,
    /// French.
    pub message: String,
    /// How many records of the file were affected, when the note is about records.
    pub records: Option<usize>,
    /// The first line numbers of those records (at most five).
    pub lines: Vec<usize>,
}

impl Note {
    /// A note on one file.
    pub fn file(
        input: Option<&'static str>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Note {
            input,
            path: Some(path.into()),
            message: message.into(),
            records: None,
            lines: Vec::new(),
        }
    }

    /// A note that concerns no file in particular.
    pub fn general(message: impl Into<String>) -> Self {
        Note {
            message: message.into(),
            ..Note::default()
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(p) => write!(f, "{p} : {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Counts of a run.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub by_code: BTreeMap<Code, usize>,
    pub bilans_rejetes_estimes: usize,
}

/// One finding of the report, by position: `files[file].diagnostics[index]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingRef {
    pub file: usize,
    pub index: usize,
}

/// Findings attached to a cause because their check used a code that the cause says does not
/// exist (P001 on a division unknown to Siècle).
#[derive(Debug, Clone, Serialize)]
pub struct Consequence {
    pub code: Code,
    pub kind: &'static str,
    pub findings: usize,
    #[serde(skip)]
    pub members: Vec<FindingRef>,
}

/// A root cause: one (code, kind) pair and the findings it explains.
#[derive(Debug, Clone, Serialize)]
pub struct Cause {
    pub code: Code,
    pub kind: &'static str,
    pub severity: Severity,
    pub impact: Impact,
    pub confidence: Confidence,
    /// French; names a value (a date, a code) only when every member shares it.
    pub title: String,
    pub findings: usize,
    pub bilans: usize,
    pub eleves: usize,
    pub divisions: Vec<String>,
    pub agir: Agir,
    pub action: &'static str,
    pub fix: FixClass,
    pub consequences: Vec<Consequence>,
    /// The member findings, in file then position order.
    #[serde(skip)]
    pub members: Vec<FindingRef>,
}

/// Everything one run produced.
#[derive(Debug, Clone)]
pub struct Report {
    pub inputs: Inputs,
    /// (code, missing inputs).
    pub skipped_rules: Vec<(Code, Vec<&'static str>)>,
    pub files: Vec<FileReport>,
    pub notes: Vec<Note>,
    /// The date the date-relative rules used.
    pub today: NaiveDate,
    summary: Summary,
    causes: Vec<Cause>,
}

impl Report {
    /// Builds the report and computes its summary and root causes, once.
    pub fn new(
        inputs: Inputs,
        skipped_rules: Vec<(Code, Vec<&'static str>)>,
        files: Vec<FileReport>,
        notes: Vec<Note>,
        today: NaiveDate,
    ) -> Self {
        let summary = summarise(&files);
        let causes = causes(&files);
        Report {
            inputs,
            skipped_rules,
            files,
            notes,
            today,
            summary,
            causes,
        }
    }

    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// The root causes, in the order of `interfaces.md`.
    pub fn causes(&self) -> &[Cause] {
        &self.causes
    }

    /// The finding a reference points at.
    pub fn finding(&self, r: FindingRef) -> Option<(&FileReport, &Diagnostic)> {
        let f = self.files.get(r.file)?;
        Some((f, f.diagnostics.get(r.index)?))
    }

    /// Exit status: 1 when any finding is an error, else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.summary.errors > 0)
    }
}

fn summarise(files: &[FileReport]) -> Summary {
    let mut s = Summary::default();
    for f in files {
        for d in &f.diagnostics {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
            *s.by_code.entry(d.code).or_default() += 1;
        }
        s.bilans_rejetes_estimes += f.bilans_rejetes_estimes();
    }
    s
}

/// Codes whose finding on a division that an I003/I004 cause names in the same file is a
/// consequence of that cause: their check looked up settings or services under a code that
/// does not exist.
pub const CONSEQUENCE_CODES: &[Code] =
    &[Code::P001, Code::D003, Code::D004, Code::L001, Code::T003];
/// The causes that can mask them.
pub const MASKING_CODES: &[Code] = &[Code::I003, Code::I004];

/// Groups every finding into exactly one cause, as a member or as a consequence.
fn causes(files: &[FileReport]) -> Vec<Cause> {
    let mut groups: BTreeMap<(Code, &'static str), Vec<FindingRef>> = BTreeMap::new();
    for (fi, f) in files.iter().enumerate() {
        for (di, d) in f.diagnostics.iter().enumerate() {
            groups
                .entry((d.code, d.kind))
                .or_default()
                .push(FindingRef {
                    file: fi,
                    index: di,
                });
        }
    }
    let get = |r: &FindingRef| &files[r.file].diagnostics[r.index];

    // The masking causes first: their members are never consequences, so their order is known
    // before the rest is counted.
    let mut masking: Vec<Cause> = Vec::new();
    for code in MASKING_CODES {
        let keys: Vec<(Code, &'static str)> =
            groups.keys().filter(|(c, _)| c == code).copied().collect();
        for key in keys {
            if let Some(members) = groups.remove(&key) {
                masking.push(build(files, key, members));
            }
        }
    }
    masking.sort_by(order);
    // (file, division) → index of the first masking cause (in order) naming it.
    let mut masked: HashMap<(usize, &str), usize> = HashMap::new();
    for (ci, c) in masking.iter().enumerate() {
        for r in &c.members {
            if let Some(div) = get(r).division.as_deref() {
                masked.entry((r.file, div)).or_insert(ci);
            }
        }
    }
    let mut attached: BTreeMap<(usize, Code, &'static str), Vec<FindingRef>> = BTreeMap::new();
    let mut rest: Vec<Cause> = Vec::new();
    for (key, members) in groups {
        let (mut own, mut consequences) = (Vec::new(), Vec::new());
        for r in members {
            let target = CONSEQUENCE_CODES
                .contains(&key.0)
                .then(|| get(&r).division.as_deref())
                .flatten()
                .and_then(|div| masked.get(&(r.file, div)).copied());
            match target {
                Some(ci) => consequences.push((ci, r)),
                None => own.push(r),
            }
        }
        for (ci, r) in consequences {
            attached.entry((ci, key.0, key.1)).or_default().push(r);
        }
        if !own.is_empty() {
            rest.push(build(files, key, own));
        }
    }
    for ((ci, code, kind), members) in attached {
        masking[ci].consequences.push(Consequence {
            code,
            kind,
            findings: members.len(),
            members,
        });
    }
    let mut all = masking;
    all.extend(rest);
    all.sort_by(order);
    all
}

/// Errors, then warnings, then infos; within a severity, impact `fichier-rejete` first, then
/// bilans, then findings (descending), then code and kind.
fn order(a: &Cause, b: &Cause) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| (b.impact == Impact::FichierRejete).cmp(&(a.impact == Impact::FichierRejete)))
        .then_with(|| b.bilans.cmp(&a.bilans))
        .then_with(|| b.findings.cmp(&a.findings))
        .then_with(|| a.code.cmp(&b.code))
        .then_with(|| a.kind.cmp(b.kind))
}

fn build(
    files: &[FileReport],
    (code, kind): (Code, &'static str),
    members: Vec<FindingRef>,
) -> Cause {
    let meta = code.meta();
    let kind_meta = meta.kind(kind);
    let mut severity = Severity::Info;
    let mut bilans: HashSet<(usize, usize)> = HashSet::new();
    let mut eleves: HashSet<(Option<usize>, &str)> = HashSet::new();
    let mut divisions: BTreeSet<&str> = BTreeSet::new();
    let mut shared: Option<Option<&str>> = None;
    for r in &members {
        let d = &files[r.file].diagnostics[r.index];
        severity = severity.max(d.severity);
        if let Some(b) = d.bilan {
            bilans.insert((r.file, b));
        }
        match (&d.eleve_key, &d.eleve) {
            (Some(k), _) => {
                eleves.insert((None, k));
            }
            (None, Some(e)) => {
                eleves.insert((Some(r.file), e));
            }
            _ => {}
        }
        if let Some(div) = &d.division {
            divisions.insert(div);
        }
        let g = d.group.as_deref();
        shared = match shared {
            None => Some(g),
            Some(s) if s == g => Some(s),
            Some(_) => Some(None),
        };
    }
    let generic = kind_meta
        .map(|k| k.title)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| meta.title());
    let title = shared.flatten().unwrap_or(generic).to_string();
    Cause {
        code,
        kind,
        severity,
        impact: meta.impact,
        confidence: meta.confidence,
        title,
        findings: members.len(),
        bilans: bilans.len(),
        eleves: eleves.len(),
        divisions: divisions.into_iter().map(str::to_string).collect(),
        agir: kind_meta.map_or(Agir::Logiciel, |k| k.agir),
        action: kind_meta.map_or("", |k| k.action),
        fix: meta.fix_class_of(kind),
        consequences: Vec::new(),
        members,
    }
}
