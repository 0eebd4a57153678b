//! What one run produced, computed once for every face (CLI formats, HTTP API, web page, HTML
//! report): the files' findings, the notes on the inputs, the summary and the root causes of
//! `interfaces.md` « Root causes (`summary.causes`) ».

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::catalogue::{Agir, Code, Confidence, Degree, FixClass, Impact, Severity};
use crate::diagnostic::Diagnostic;
use crate::error::Error;

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
    /// When the files were checked (SARIF `invocations`), when known.
    pub started: Option<DateTime<Utc>>,
    pub finished: Option<DateTime<Utc>>,
    /// What makes the run fail besides errors (`--error-on-warnings`, `--max-warnings`).
    pub gate: Gate,
    /// Findings that a baseline filtered out before the summary and causes were computed:
    /// they are in no count, no cause and no exit status, only in a new baseline.
    pub suppressed: Vec<Identity>,
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
            started: None,
            finished: None,
            gate: Gate::default(),
            suppressed: Vec::new(),
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

    /// Exit status: 1 when any finding is an error, or when the warnings break the gate
    /// (`--error-on-warnings`, `--max-warnings`); else 0.
    pub fn exit_code(&self) -> i32 {
        i32::from(self.summary.errors > 0 || self.gate_failure().is_some())
    }

    /// Why the warnings alone make the run fail, in French; None when they do not.
    pub fn gate_failure(&self) -> Option<String> {
        let w = self.summary.warnings;
        let n = crate::util::plural(w, "avertissement", "avertissements");
        if self.gate.error_on_warnings && w > 0 {
            return Some(format!(
                "échec : {n}, et les avertissements comptent comme des erreurs"
            ));
        }
        match self.gate.max_warnings {
            Some(max) if w > max => {
                Some(format!("échec : {n}, au-delà du maximum autorisé de {max}"))
            }
            _ => None,
        }
    }

    /// Whether this finding makes the run fail (an error, or a warning under
    /// `--error-on-warnings`): JUnit reports it as a failure.
    pub fn fails(&self, d: &Diagnostic) -> bool {
        d.severity == Severity::Error
            || (d.severity == Severity::Warning && self.gate.error_on_warnings)
    }

    /// The baseline of this run: every finding present, reported or filtered out by the
    /// baseline given (entries no longer found are dropped).
    pub fn baseline(&self) -> Baseline {
        let mut findings: Vec<Identity> = self
            .files
            .iter()
            .flat_map(|f| f.diagnostics.iter().map(|d| Identity::of(&f.name, d)))
            .chain(self.suppressed.iter().cloned())
            .collect();
        findings.sort();
        Baseline::new(findings)
    }
}

/// What fails a run besides errors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Gate {
    /// Warnings fail the run (exit 1) and are JUnit failures.
    pub error_on_warnings: bool,
    /// More warnings than this fail the run.
    pub max_warnings: Option<usize>,
}

/// A finding's identity (`interfaces.md` « CI »): its code and kind, its file (as reports
/// name it: relative to the working directory), where it is as a path of ids, its pupil and
/// division, and its rank among the file's findings that share all of these. Never a line or
/// an offset: adding a line or a pupil above leaves it unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Identity {
    pub file: String,
    pub code: String,
    pub kind: String,
    pub path: String,
    #[serde(default)]
    pub eleve: Option<String>,
    #[serde(default)]
    pub division: Option<String>,
    pub occurrence: usize,
}

impl Identity {
    /// The identity of a finding the engine completed (`id_path`, `occurrence`).
    pub fn of(file: &str, d: &Diagnostic) -> Identity {
        Identity {
            file: file.to_string(),
            code: d.code.as_str().to_string(),
            kind: d.kind.to_string(),
            path: d.id_path.clone().unwrap_or_default(),
            eleve: d.eleve.clone(),
            division: d.division.clone(),
            occurrence: d.occurrence,
        }
    }

    /// A stable hash of the identity: 32 hex digits (FNV-1a, 128 bits), the same on every
    /// platform and version of lsu-lint that keeps this identity.
    pub fn fingerprint(&self) -> String {
        const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
        let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
        let occurrence = self.occurrence.to_string();
        let parts = [
            "lsu-lint/1",
            &self.file,
            &self.code,
            &self.kind,
            &self.path,
            self.eleve.as_deref().unwrap_or("\u{1}"),
            self.division.as_deref().unwrap_or("\u{1}"),
            &occurrence,
        ];
        for p in parts {
            // Each part ends with a byte no part contains, so (a, bc) never hashes like (ab, c).
            for b in p.bytes().chain(std::iter::once(0)) {
                h ^= u128::from(b);
                h = h.wrapping_mul(PRIME);
            }
        }
        format!("{h:032x}")
    }
}

/// Numbers the findings of one file that share an identity (in position order) and computes
/// their fingerprints. The engine calls it once per file, before any baseline filtering, so
/// that a finding keeps its fingerprint whatever else is reported.
pub fn identify(file: &str, diags: &mut [Diagnostic]) {
    // (code, kind, id path, pupil, division): everything of the identity but the file and rank.
    type Key = (
        Code,
        &'static str,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for d in diags.iter_mut() {
        let key = (
            d.code,
            d.kind,
            d.id_path.clone(),
            d.eleve.clone(),
            d.division.clone(),
        );
        let n = seen.entry(key).or_default();
        *n += 1;
        d.occurrence = *n;
        d.fingerprint = Identity::of(file, d).fingerprint();
    }
}

/// Known findings, not to be reported again (`--baseline`, `--write-baseline`): readable JSON
/// of their identities.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Identity>,
    #[serde(skip)]
    index: HashSet<Identity>,
}

impl Baseline {
    pub const VERSION: u32 = 1;

    pub fn new(findings: Vec<Identity>) -> Self {
        let index = findings.iter().cloned().collect();
        Baseline {
            version: Self::VERSION,
            findings,
            index,
        }
    }

    /// Reads a baseline file written by `--write-baseline`.
    pub fn read(path: &Path) -> Result<Baseline, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Read(path.to_path_buf(), e))?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Baseline, Error> {
        let bad = |message: String| Error::Baseline {
            path: path.to_path_buf(),
            message,
        };
        let b: Baseline = serde_json::from_str(text).map_err(|e| {
            bad(format!(
                "JSON illisible ligne {}, colonne {} ; écrivez-la avec --write-baseline",
                e.line(),
                e.column()
            ))
        })?;
        if b.version != Self::VERSION {
            return Err(bad(format!(
                "version {} inconnue (attendue : {})",
                b.version,
                Self::VERSION
            )));
        }
        Ok(Baseline::new(b.findings))
    }

    pub fn contains(&self, id: &Identity) -> bool {
        self.index.contains(id)
    }

    pub fn len(&self) -> usize {
        self.findings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }

    /// Pretty JSON, one identity per block, sorted: a diff of two baselines reads well.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Removes from `files` the findings this baseline knows, returning their identities.
    /// Done before `Report::new`, so that they count nowhere.
    pub fn filter(&self, files: &mut [FileReport]) -> Vec<Identity> {
        let mut gone = Vec::new();
        if self.is_empty() {
            return gone;
        }
        for f in files.iter_mut() {
            let name = f.name.clone();
            f.diagnostics.retain(|d| {
                let id = Identity::of(&name, d);
                if self.contains(&id) {
                    gone.push(id);
                    false
                } else {
                    true
                }
            });
        }
        gone
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

#[cfg(test)]
mod tests;

/// The result of checking one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub name: String,
    /// The file's text (for source excerpts); None when it is not UTF-8.
    pub text: Option<Arc<String>>,
    pub degree: Option<Degree>,
    pub schema_version: Option<String>,
    /// The school's UAI and the school year (millésime) the file declares, for report headers.
    pub uai: Option<String>,
    pub annee: Option<i32>,
    pub eleves: usize,
    pub bilans_periodiques: usize,
    pub bilans_cycle: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// Rules (or parts) skipped on this file, with the missing input.
    pub skipped: Vec<(Code, &'static str)>,
    /// The rules that ran on this file, with the time each took (JUnit test cases).
    pub rules_run: Vec<(Code, Duration)>,
    /// How long checking the file took, reading excluded.
    pub duration: Duration,
}

impl FileReport {
    pub(crate) fn empty(name: String) -> Self {
        FileReport {
            name,
            text: None,
            degree: None,
            schema_version: None,
            uai: None,
            annee: None,
            eleves: 0,
            bilans_periodiques: 0,
            bilans_cycle: 0,
            diagnostics: Vec::new(),
            skipped: Vec::new(),
            rules_run: Vec::new(),
            duration: Duration::ZERO,
        }
    }

    pub fn count(&self, sev: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == sev)
            .count()
    }

    /// Distinct bilans with at least one error of impact `bilan-rejete`; all of them when the
    /// file itself is rejected (`interfaces.md`).
    pub fn bilans_rejetes_estimes(&self) -> usize {
        let errors = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error);
        let mut set = HashSet::new();
        for d in errors {
            match d.meta().impact {
                Impact::FichierRejete => return self.bilans_periodiques + self.bilans_cycle,
                Impact::BilanRejete => {
                    if let Some(b) = d.bilan {
                        set.insert(b);
                    }
                }
                _ => {}
            }
        }
        set.len()
    }
}
