//! The engine: reads each file once, parses it once, validates it, runs every enabled rule on
//! the shared context, and completes the findings (positions, paths, pupils, severities).
//! Files run in parallel (rayon); reference data is loaded once and shared.

use crate::catalogue::Code;
pub use crate::report::FileReport;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::calendar::Calendar;
use crate::config::Config;
use crate::diagnostic::{Diagnostic, Origin};
use crate::error::Error;
use crate::model::{self, Degree, Lsu};
use crate::parse;
use crate::refdata::RefData;
use crate::report::{self as report_, Baseline, Gate, Inputs, Note, Report};
use crate::rules::{self, Ctx, Input, Rule};
use crate::schema;
use crate::source::{LineIndex, SourceFile};

/// Default limit on an LSU file's size (`--max-file-size`): 1 GiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 30;

pub mod builder;
mod places;

pub use builder::{parse_today, CiOptions, EngineBuilder};
use places::Places;

/// A validated run configuration: the rules to run, the reference data loaded once, the
/// calendar and the date. Built by `EngineBuilder`; shared by every file of the run.
pub struct Engine {
    pub config: Config,
    pub refdata: RefData,
    pub calendar: Calendar,
    pub today: NaiveDate,
    pub max_file_size: u64,
    /// The reference inputs as shown in reports, and the notes loading them produced.
    pub inputs: Inputs,
    pub notes: Vec<Note>,
    /// The user's schema (`--xsd`), compiled once, for the files of the degree it describes.
    pub user_schema: Option<Arc<crate::xsd::UserSchema>>,
    /// What fails a run besides errors.
    pub gate: Gate,
    /// Known findings not to report (`--baseline`), with the file they came from.
    pub baseline: Option<(PathBuf, Baseline)>,
    rules: Vec<&'static Rule>,
}

/// Told how a run advances (the command line's progress bar); does nothing by default.
pub trait Progress: Sync {
    /// The files about to be checked and their total size in bytes.
    fn start(&self, _files: usize, _bytes: u64) {}
    /// One file is checked.
    fn file_done(&self, _name: &str, _bytes: u64) {}
}

/// No progress shown.
pub struct NoProgress;
impl Progress for NoProgress {}

/// What `check_tree` learnt about a file it could parse.
struct Facts {
    degree: Option<Degree>,
    schema_version: Option<String>,
    uai: Option<String>,
    annee: Option<i32>,
    eleves: usize,
    bilans_periodiques: usize,
    bilans_cycle: usize,
    skipped: Vec<(Code, &'static str)>,
    rules_run: Vec<(Code, Duration)>,
}

impl Engine {
    pub fn new(config: Config, refdata: RefData, calendar: Calendar, today: NaiveDate) -> Self {
        Engine {
            config,
            refdata,
            calendar,
            today,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            inputs: Inputs::default(),
            notes: Vec::new(),
            user_schema: None,
            gate: Gate::default(),
            baseline: None,
            rules: rules::registry(),
        }
    }

    /// The builder of an engine (configuration and reference files, validated once).
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// The report of a run over `files`: the engine's inputs and notes, the skipped rules,
    /// and the summary and root causes computed once — after the baseline, if any, took out
    /// the findings it knows, so that they count nowhere.
    pub fn report(&self, mut files: Vec<FileReport>, extra_notes: Vec<Note>) -> Report {
        let mut notes = self.notes.clone();
        notes.extend(extra_notes);
        let mut inputs = self.inputs.clone();
        if inputs.config.is_none() {
            inputs.config = self.config.path.as_ref().map(|p| p.display().to_string());
        }
        let suppressed = match &self.baseline {
            Some((path, b)) => {
                let gone = b.filter(&mut files);
                if !gone.is_empty() {
                    notes.push(Note::file(None, crate::util::display_path(path), {
                        let s = if gone.len() > 1 { "s" } else { "" };
                        format!(
                            "{} déjà connue{s} (ligne de base), non signalée{s}",
                            crate::util::plural(gone.len(), "constatation", "constatations"),
                        )
                    }));
                }
                gone
            }
            None => Vec::new(),
        };
        let skipped = self.skipped_rules_for(&files);
        let mut report = Report::new(inputs, skipped, files, notes, self.today);
        report.gate = self.gate;
        report.suppressed = suppressed;
        report
    }

    /// Checks files received as bytes (the service), in parallel, and builds the report.
    pub fn check_bytes(&self, files: Vec<(String, Vec<u8>)>) -> Report {
        let started = chrono::Utc::now();
        let reports: Vec<FileReport> = files
            .into_par_iter()
            .map(|(name, bytes)| self.check_owned(name, bytes))
            .collect();
        let mut report = self.report(reports, Vec::new());
        report.started = Some(started);
        report.finished = Some(chrono::Utc::now());
        report
    }

    /// Rules enabled by the configuration that cannot run for lack of an input, with the
    /// missing inputs (names as in the JSON report).
    pub fn skipped_rules(&self) -> Vec<(Code, Vec<&'static str>)> {
        self.skipped_rules_for(&[])
    }

    /// Engine-level skips plus the per-file ones of `files`, merged by code. A rule or an input
    /// that concerns one degree only (ONDE and T004 for 1D; Siècle and I003 for 2D) is listed
    /// only when files of that degree were checked.
    pub fn skipped_rules_for(&self, files: &[FileReport]) -> Vec<(Code, Vec<&'static str>)> {
        let checked = |d: Option<Degree>| {
            files.is_empty()
                || d.is_none_or(|d| files.iter().any(|f| f.degree.is_none_or(|x| x == d)))
        };
        let mut out: Vec<(Code, Vec<&'static str>)> = Vec::new();
        for r in &self.rules {
            if !self.config.is_enabled(r.code) || !checked(r.degree) {
                continue;
            }
            let missing: Vec<&'static str> = self
                .missing_inputs(r)
                .into_iter()
                .filter(|i| checked(i.degree()))
                .map(Input::as_str)
                .collect();
            if !missing.is_empty() {
                out.push((r.code, missing));
            }
        }
        for f in files {
            for (code, missing) in &f.skipped {
                if !self.config.is_enabled(*code) {
                    continue;
                }
                match out.iter_mut().find(|(c, _)| c == code) {
                    Some((_, m)) => {
                        if !m.contains(missing) {
                            m.push(missing);
                        }
                    }
                    None => out.push((*code, vec![missing])),
                }
            }
        }
        out.sort();
        out
    }

    fn missing_inputs(&self, r: &Rule) -> Vec<Input> {
        let mut missing = Vec::new();
        for alts in r.requires() {
            if !alts.iter().any(|i| self.refdata.has(*i)) {
                missing.extend(alts.iter().copied());
            }
        }
        missing
    }

    /// Expands directories (every `*.xml`, recursively, in name order); reference files met in
    /// a folder are left out.
    pub fn collect_paths(&self, paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
        self.collect_paths_noted(paths).map(|(p, _)| p)
    }

    /// As `collect_paths`, with a French note for each file left out of a folder. A file met
    /// twice (by a link, or named twice) is checked once; a folder reached again through a
    /// symbolic link is not walked again.
    pub fn collect_paths_noted(
        &self,
        paths: &[PathBuf],
    ) -> Result<(Vec<PathBuf>, Vec<Note>), Error> {
        let mut walk = Walk::default();
        for p in paths {
            let meta = std::fs::metadata(p).map_err(|e| open_error(p, e))?;
            if meta.is_dir() {
                let before = walk.out.len();
                walk.dir(p, &meta)?;
                if walk.out.len() == before {
                    return Err(Error::NoXmlFile(p.clone()));
                }
            } else if let Some(what) = crate::files::kind_of(&meta) {
                return Err(Error::Open(
                    p.clone(),
                    crate::files::OpenError::NotRegular(what),
                ));
            } else {
                walk.file(p, &meta);
            }
        }
        Ok((walk.out, walk.notes))
    }

    /// Reads one file, refusing it when over the size limit (before reading it whole) or when
    /// it is not a regular file (a FIFO would block forever).
    pub fn read(&self, path: &Path) -> Result<SourceFile, Error> {
        let bytes = crate::files::read_regular(path, self.max_file_size).map_err(|e| match e {
            crate::files::OpenError::TooLarge { size } => Error::TooLarge {
                path: path.to_path_buf(),
                size,
                limit: self.max_file_size,
            },
            e => Error::Open(path.to_path_buf(), e),
        })?;
        let mut src = SourceFile::new(crate::util::display_path(path), bytes);
        src.path = path.to_path_buf();
        Ok(src)
    }

    /// Checks files and directories in parallel (files in input order, folders walked in name
    /// order) and builds the report, with a note for each file left out of a folder.
    pub fn check_paths(&self, paths: &[PathBuf]) -> Result<Report, Error> {
        self.check_paths_with(paths, &NoProgress)
    }

    /// `check_paths`, telling `progress` how the run advances.
    pub fn check_paths_with(
        &self,
        paths: &[PathBuf],
        progress: &dyn Progress,
    ) -> Result<Report, Error> {
        let started = chrono::Utc::now();
        let (files, notes) = self.check_paths_noted_with(paths, progress)?;
        let mut report = self.report(files, notes);
        report.started = Some(started);
        report.finished = Some(chrono::Utc::now());
        Ok(report)
    }

    /// The file reports of `check_paths`, with the notes on files left out of folders.
    pub fn check_paths_noted(
        &self,
        paths: &[PathBuf],
    ) -> Result<(Vec<FileReport>, Vec<Note>), Error> {
        self.check_paths_noted_with(paths, &NoProgress)
    }

    fn check_paths_noted_with(
        &self,
        paths: &[PathBuf],
        progress: &dyn Progress,
    ) -> Result<(Vec<FileReport>, Vec<Note>), Error> {
        let (files, notes) = self.collect_paths_noted(paths)?;
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        progress.start(files.len(), files.iter().map(|p| size(p)).sum());
        let reports = files
            .par_iter()
            .map(|p| {
                self.read(p).map(|src| {
                    let bytes = src.bytes.len() as u64;
                    let r = self.check_owned(src.name, src.bytes);
                    progress.file_done(&r.name, bytes);
                    r
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((reports, notes))
    }

    /// Checks one file already in memory.
    pub fn check_source(&self, src: &SourceFile) -> FileReport {
        self.check_owned(src.name.clone(), src.bytes.clone())
    }

    /// Checks one file, taking its bytes: they become the text without a copy, so memory stays
    /// near the file size plus its tree. Its findings leave complete, identity included.
    pub fn check_owned(&self, name: String, bytes: Vec<u8>) -> FileReport {
        let started = Instant::now();
        let mut report = self.check_file(name, bytes);
        report_::identify(&report.name, &mut report.diagnostics);
        report.duration = started.elapsed();
        report
    }

    /// Checks a text for which `parse::decodes_as_is` holds, sharing it with the caller (`fix`
    /// gets its bytes back afterwards instead of keeping a copy during the check).
    pub fn check_text(&self, name: String, text: Arc<String>) -> FileReport {
        let started = Instant::now();
        let diags = parse::prolog_findings(&text);
        let mut report = self.check_decoded(FileReport::empty(name), text, diags);
        report_::identify(&report.name, &mut report.diagnostics);
        report.duration = started.elapsed();
        report
    }

    fn check_file(&self, name: String, bytes: Vec<u8>) -> FileReport {
        let mut report = FileReport::empty(name);
        let decoded = parse::decode(bytes);
        let mut diags = decoded.findings;
        let Some(text) = decoded.text.map(Arc::new) else {
            self.finish(&mut diags, None, None, None);
            report.diagnostics = diags;
            return report;
        };
        self.check_decoded(report, text, diags)
    }

    /// Everything after decoding; `diags` holds the decoding's findings.
    fn check_decoded(
        &self,
        mut report: FileReport,
        text: Arc<String>,
        mut diags: Vec<Diagnostic>,
    ) -> FileReport {
        if let Err(d) = parse::guard(&text) {
            diags.push(*d);
            let lines = LineIndex::new(text.as_bytes());
            self.finish(&mut diags, Some(&text), Some(&lines), None);
            report.diagnostics = diags;
            return report;
        }
        // Schema validation streams on one thread while the tree is built and the rules run on
        // another (`rayon::join`: sequential on a single thread); the raw errors are handed over
        // when the rules are done, as their translation needs the tree. The validation holds
        // little memory: the identity constraints, whose tables grow with the file, are checked
        // on the tree (`schema::identity`).
        let (tx, rx) = std::sync::mpsc::channel();
        let text_ref: &str = &text;
        let found = std::mem::take(&mut diags);
        let validate = move || {
            let early = model::prescan_schema(text_ref).map(|k| (k, self.validate(k, text_ref)));
            // The receiver is gone only when the file could not be parsed.
            let _ = tx.send(early);
        };
        let (diags, facts) = rayon::join(validate, move || self.check_tree(text_ref, &rx, found)).1;
        if let Some(f) = facts {
            report.degree = f.degree;
            report.schema_version = f.schema_version;
            report.uai = f.uai;
            report.annee = f.annee;
            report.eleves = f.eleves;
            report.bilans_periodiques = f.bilans_periodiques;
            report.bilans_cycle = f.bilans_cycle;
            report.skipped = f.skipped;
            report.rules_run = f.rules_run;
        }
        report.diagnostics = diags;
        report.text = Some(Arc::clone(&text));
        report
    }

    /// Everything that needs the tree: parsing, rules, translation of the schema errors
    /// received from `early` (the streaming validation), completion of every finding (`diags`
    /// holds those found while decoding).
    fn check_tree(
        &self,
        text: &str,
        early: &std::sync::mpsc::Receiver<Option<(model::SchemaKind, schema::Validation)>>,
        mut diags: Vec<Diagnostic>,
    ) -> (Vec<Diagnostic>, Option<Facts>) {
        let lines = LineIndex::new(text.as_bytes());
        let doc = match parse::parse(text, &lines) {
            Ok(doc) => doc,
            Err(d) => {
                diags.push(*d);
                self.finish(&mut diags, Some(text), Some(&lines), None);
                return (diags, None);
            }
        };
        let mut version = model::detect_version(&doc);
        if let Some(user) = &self.user_schema {
            version.adopt(user);
        }
        let lsu = Lsu::new(&doc);
        let skipped = std::cell::RefCell::new(Vec::new());
        let ctx = Ctx {
            text,
            doc: &doc,
            lsu: &lsu,
            version: &version,
            today: self.today,
            calendar: &self.calendar,
            config: &self.config,
            refdata: &self.refdata,
            skipped: &skipped,
        };
        let mut rule_diags = Vec::new();
        let mut schema_diags = Vec::new();
        let mut rules_run = Vec::new();
        if version.problem.is_some() {
            // Not an LSU file we can read: only the structural verdict makes sense.
            if let Some(r) = self.rules.iter().find(|r| r.code == Code::S001) {
                (r.check)(&ctx, &mut rule_diags);
            }
        } else {
            // The rules run in parallel (each reads the tree only): the thread that streamed the
            // validation takes its share once it is done. Their findings are joined in the order
            // of the registry, as if they had run one after the other.
            let enabled: Vec<&&Rule> = self
                .rules
                .iter()
                .filter(|r| {
                    r.degree.is_none_or(|d| version.degree == Some(d))
                        && self.config.is_enabled(r.code)
                        && self.missing_inputs(r).is_empty()
                })
                .collect();
            let ran: Vec<_> = enabled
                .par_iter()
                .map(|r| {
                    let own_skipped = std::cell::RefCell::new(Vec::new());
                    let ctx = Ctx {
                        skipped: &own_skipped,
                        ..ctx
                    };
                    let mut found = Vec::new();
                    let t = Instant::now();
                    (r.check)(&ctx, &mut found);
                    (r.code, t.elapsed(), found, own_skipped.into_inner())
                })
                .collect();
            // The largest rule's findings are the base the others join, not copied: on a big
            // file, one rule may hold most of the findings (`finish` sorts them; equal keys
            // come from one rule, whose order is kept).
            let largest = (0..ran.len()).max_by_key(|i| ran[*i].2.len());
            for (i, (code, took, mut found, rule_skipped)) in ran.into_iter().enumerate() {
                if Some(i) == largest {
                    std::mem::swap(&mut rule_diags, &mut found);
                }
                rule_diags.extend(found);
                skipped.borrow_mut().extend(rule_skipped);
                rules_run.push((code, took));
            }
            // Received only now: the rules ran while the validation streamed on the other thread.
            if let Some(kind) = version.schema {
                let raw = match early.recv().ok().flatten() {
                    Some((k, raw)) if k == kind => raw,
                    _ => self.validate(kind, text),
                };
                match raw {
                    Ok(raw) => {
                        schema_diags =
                            schema::translate(&ctx, &lines, &raw, self.identity_plan(kind))
                    }
                    Err(e) => rule_diags.push(Diagnostic::new(
                        Code::S002,
                        0,
                        0,
                        format!("validation par schéma impossible : {e}"),
                    )),
                }
            }
        }
        self.add_foreign_caveats(&lsu, &mut rule_diags);
        let places = Places::new(&lsu);
        dedupe_schema(&mut schema_diags, &rule_diags);
        // The decoding's few findings go first, the rules' many are not copied.
        rule_diags.splice(0..0, diags);
        let mut diags = rule_diags;
        diags.extend(schema_diags);
        self.finish(&mut diags, Some(text), Some(&lines), Some((&lsu, &places)));
        let facts = Facts {
            degree: version.degree,
            schema_version: version.declared.clone(),
            uai: lsu.uai().map(|u| u.trim().to_string()),
            annee: lsu
                .periodes
                .iter()
                .chain(lsu.bilans_cycle.iter())
                .filter_map(|n| n.attribute("millesime")?.trim().parse().ok())
                .min(),
            eleves: lsu.eleves.len(),
            bilans_periodiques: lsu.bilans_periodiques.len(),
            bilans_cycle: lsu.bilans_cycle.len(),
            skipped: skipped.into_inner(),
            rules_run,
        };
        (diags, Some(facts))
    }

    /// Validates against the user's schema when it describes the degree of `kind`, else
    /// against the built-in schema `kind`.
    fn validate(
        &self,
        kind: model::SchemaKind,
        text: &str,
    ) -> Result<Vec<schema::RawError>, Error> {
        match &self.user_schema {
            Some(u) if u.applies_to(Some(kind.degree())) => u.validate(text),
            _ => schema::validate(kind, text),
        }
    }

    /// The identity constraints left to the tree: those of the built-in schema `kind`, none
    /// when the user's schema is used (libxml2 checks it whole).
    fn identity_plan(&self, kind: model::SchemaKind) -> Option<&'static schema::identity::Plan> {
        match &self.user_schema {
            Some(u) if u.applies_to(Some(kind.degree())) => None,
            _ => schema::identity::builtin(kind),
        }
    }

    /// Rules that depend on a reference file of another school or school year still run, and
    /// say so (`interfaces.md`): their messages end with a caveat naming the file (I001/I007
    /// report the mismatch itself).
    fn add_foreign_caveats(&self, lsu: &Lsu, diags: &mut [Diagnostic]) {
        use crate::refdata::detect::Kind;
        let uai = lsu.uai().map(str::trim);
        let millesimes: HashSet<i32> = lsu
            .periodes
            .iter()
            .chain(lsu.bilans_cycle.iter())
            .filter_map(|n| n.attribute("millesime"))
            .filter_map(|m| m.trim().parse().ok())
            .collect();
        let mut caveats: Vec<(&str, String)> = Vec::new();
        for (kind, path, ref_uai, annee) in self.refdata.identities() {
            let token = match kind {
                Kind::Siecle => "SIE",
                Kind::Nomenclature => "NOM",
                Kind::Sts => "STS",
                _ => continue,
            };
            let why = match (uai, ref_uai.map(str::trim), annee) {
                (Some(a), Some(b), _) if !a.eq_ignore_ascii_case(b) => {
                    format!("celui de l'établissement {b}, pas {a} (voir I001)")
                }
                (_, _, Some(y)) if !millesimes.is_empty() && !millesimes.contains(&y) => {
                    format!("celui de l'année {y}-{} (voir I007)", y + 1)
                }
                _ => continue,
            };
            caveats.push((
                token,
                format!(
                    " — attention : le fichier {} fourni ({path}) est {why}",
                    kind.label_fr()
                ),
            ));
        }
        if caveats.is_empty() {
            return;
        }
        for d in diags
            .iter_mut()
            .filter(|d| d.code != Code::I001 && d.code != Code::I007)
        {
            let needs = d.meta().needs;
            if let Some((_, text)) = caveats.iter().find(|(t, _)| needs.contains(t)) {
                d.message.push_str(text);
            }
        }
    }

    /// Filters disabled codes, applies severities, fills positions, paths, pupils and bilans,
    /// and sorts by start then code.
    fn finish(
        &self,
        diags: &mut Vec<Diagnostic>,
        text: Option<&str>,
        lines: Option<&LineIndex>,
        places: Option<(&Lsu, &Places)>,
    ) {
        diags.retain(|d| self.config.is_enabled(d.code));
        step_back(diags);
        for d in diags.iter_mut() {
            // A configured severity wins; otherwise keep the rule's (the catalogue's by
            // default, lowered by a rule such as D006 during the late-import window).
            if let Some(s) = self.config.severity.get(&d.code) {
                d.severity = *s;
            }
            if let (Some(text), Some(lines)) = (text, lines) {
                let (l, c) = lines.position(text, d.start);
                d.line = l;
                d.column = c;
            }
            if let Some((lsu, places)) = places {
                places.complete(lsu, d);
            }
        }
        crate::util::sort_by_key_in_place(diags, |d| (d.start, d.code, d.end));
        diags.dedup_by(|a, b| {
            a.start == b.start && a.code == b.code && a.end == b.end && a.message == b.message
        });
    }
}

/// How two findings are recognised as one defect.
#[derive(Clone, Copy)]
enum Same {
    /// The same attribute or tag (same start offset).
    Place,
    /// The same repair (equal edits): two views of one object, e.g. a pupil declared twice.
    Fix,
    /// The same place, when the owner's finding there carries a repair: the owner has found
    /// which value is wrong (else both stay, each naming its side of the disagreement).
    PlaceRepaired,
}

/// One defect, one finding: where two rules report one defect, the code that owns it
/// (`rules.md`, the error catalogue) keeps it and the other steps back: `(steps back, owner,
/// how)`. Applied after the codes the configuration disables are gone, so that ignoring the
/// owner shows the other again. Two findings at one place that are different defects (a
/// creation date in the future and a millésime that disagrees with it) stay.
const STEP_BACK: &[(Code, Code, Same)] = &[
    // A schema error the semantic rule checks (`rules.md`: never two specific codes for one
    // schema error).
    (Code::S004, Code::C004, Same::Place),
    (Code::S004, Code::C006, Same::Place),
    (Code::P003, Code::C006, Same::Place),
    (Code::S005, Code::C003, Same::Place),
    // An empty competences-numeriques is C007's own subject.
    (Code::S006, Code::C007, Same::Place),
    // An object declared twice with one id: the object's own duplicate rule, not the id clash.
    (Code::U004, Code::U001, Same::Fix),
    (Code::U004, Code::U003, Same::Fix),
    (Code::U004, Code::U005, Same::Fix),
    (Code::U004, Code::T008, Same::Fix),
    // A 1D INE carried twice is the pupil's duplicate.
    (Code::I005, Code::U001, Same::Place),
    // The teacher reference is broken: the reference rule names the id and the likely target.
    (Code::T006, Code::R001, Same::Place),
    (Code::T006, Code::R002, Same::Place),
    // An empty teacher list on an acquis: the catalogue leaves it to T006 (R003: « otherwise
    // SUGGEST (T006) »), whose message names the subject left without a teacher.
    (Code::R003, Code::T006, Same::Place),
    // A 1D attribute in a 2D file: its target kind does not exist in this degree.
    (Code::R002, Code::B001, Same::Place),
    // The same subject: the LV1/LV2 rank explains why Siècle does not know the option.
    (Code::M005, Code::M006, Same::Place),
    // An academic code without code-national: adding it (M007's fix) settles both.
    (Code::M001, Code::M007, Same::Place),
    // A teacher's name not in NFC: T004 compares it with ONDE and carries the same fix.
    (Code::E005, Code::T004, Same::Place),
    // A wrong millésime: the closed campaign follows from it, and so does a date before the
    // rentrée when D005 found the millésime to be the odd value (a date a year off stays D001's).
    (Code::D006, Code::D005, Same::Place),
    (Code::D001, Code::D005, Same::PlaceRepaired),
];

fn step_back(diags: &mut Vec<Diagnostic>) {
    let losers = |d: &Diagnostic| STEP_BACK.iter().any(|(l, _, _)| *l == d.code);
    if !diags.iter().any(losers) {
        return;
    }
    // Indexed once: a big file has thousands of findings.
    let places: HashSet<(Code, usize)> = diags.iter().map(|d| (d.code, d.start)).collect();
    let repaired: HashSet<(Code, usize)> = diags
        .iter()
        .filter(|d| d.fix.as_ref().is_some_and(|f| !f.edits.is_empty()))
        .map(|d| (d.code, d.start))
        .collect();
    let fix_owners: Vec<(Code, &[crate::diagnostic::Edit])> = diags
        .iter()
        .filter(|d| {
            STEP_BACK
                .iter()
                .any(|(_, o, how)| *o == d.code && matches!(how, Same::Fix))
        })
        .filter_map(|d| Some((d.code, d.fix.as_ref()?.edits.as_slice())))
        .filter(|(_, e)| !e.is_empty())
        .collect();
    let drop: Vec<bool> = diags
        .iter()
        .map(|d| {
            STEP_BACK.iter().any(|(loser, owner, how)| {
                d.code == *loser
                    && match how {
                        Same::Place => places.contains(&(*owner, d.start)),
                        Same::PlaceRepaired => repaired.contains(&(*owner, d.start)),
                        Same::Fix => d.fix.as_ref().is_some_and(|f| {
                            fix_owners
                                .iter()
                                .any(|(c, e)| c == owner && *e == f.edits.as_slice())
                        }),
                    }
            })
        })
        .collect();
    let mut keep = drop.iter().map(|d| !d);
    diags.retain(|_| keep.next().unwrap_or(true));
}

/// Drops a schema finding when a rule reported the same code on an overlapping range: the
/// rule's finding is more precise and carries the fix; one problem is reported once.
///
/// Why this remains after the owning modules' `from_schema`: a value breaking a facet (too
/// long, blank, not an average, a duplicate key…) is seen by libxml2 and by the rule that
/// checks it from the tree, which reports it on the same attribute or tag with its fix.
/// Comparing places is simpler and safer than having each `from_schema` re-decide whether
/// its rule covered that field (the rules' tables may be narrower than a user's `--xsd`).
/// Where a rule reports a whole (a socle, a pupil's INE, a bilan without synthèse) its
/// `from_schema` drops the schema error itself: no heuristic by bilan or pupil is left here.
fn dedupe_schema(schema_diags: &mut Vec<Diagnostic>, rule_diags: &[Diagnostic]) {
    if schema_diags.is_empty() {
        return;
    }
    let mut by_code: std::collections::HashMap<Code, Vec<&Diagnostic>> =
        std::collections::HashMap::new();
    for r in rule_diags {
        by_code.entry(r.code).or_default().push(r);
    }
    schema_diags.retain(|s| {
        let Some(rules) = by_code.get(&s.code) else {
            return true;
        };
        !rules
            .iter()
            .any(|r| r.start < s.end.max(s.start + 1) && s.start < r.end.max(r.start + 1))
    });
    for s in schema_diags.iter_mut() {
        s.origin = Origin::Schema;
    }
}

/// A path given on the command line that cannot be used: missing, a loop of links, unreadable.
fn open_error(p: &Path, e: std::io::Error) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            // A dangling link exists as a link: say where it leads rather than « n'existe pas ».
            match std::fs::read_link(p) {
                Ok(to) => Error::Usage(format!(
                    "« {} » est un lien symbolique vers « {} », qui n'existe pas",
                    p.display(),
                    to.display()
                )),
                Err(_) => Error::NotFound(p.to_path_buf()),
            }
        }
        _ if e.raw_os_error() == Some(40) => {
            Error::Open(p.to_path_buf(), crate::files::OpenError::Loop)
        }
        _ => Error::Read(p.to_path_buf(), e),
    }
}

/// The files of a walk, each once, and the folders already walked (by device and inode: a
/// symbolic link back to a parent folder is a cycle, not a new folder).
#[derive(Default)]
struct Walk {
    out: Vec<PathBuf>,
    notes: Vec<Note>,
    seen_files: HashSet<(u64, u64)>,
    seen_dirs: HashSet<(u64, u64)>,
}

fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

impl Walk {
    fn file(&mut self, p: &Path, meta: &std::fs::Metadata) {
        if self.seen_files.insert(identity(meta)) {
            self.out.push(p.to_path_buf());
        }
    }

    fn dir(&mut self, dir: &Path, meta: &std::fs::Metadata) -> Result<(), Error> {
        if !self.seen_dirs.insert(identity(meta)) {
            return Ok(());
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| Error::Read(dir.to_path_buf(), e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            let meta = match std::fs::metadata(&p) {
                Ok(m) => m,
                Err(e) => {
                    // A dangling link or a loop of links inside a folder: noted, not fatal.
                    if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml"))
                        || std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_symlink())
                    {
                        self.notes.push(Note::file(
                            None,
                            crate::util::display_path(&p),
                            format!("laissé de côté : {}", crate::files::io_message(&e)),
                        ));
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                self.dir(&p, &meta)?;
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
                if let Some(what) = crate::files::kind_of(&meta) {
                    self.notes.push(Note::file(
                        None,
                        crate::util::display_path(&p),
                        format!("laissé de côté : ce n'est pas un fichier ordinaire mais {what}"),
                    ));
                    continue;
                }
                match reference_file(&p) {
                    Some(what) => self.notes.push(Note::file(
                        None,
                        crate::util::display_path(&p),
                        format!("{what}, pas un export LSU : laissé de côté (à donner avec --refdata ou l'option de son type)"),
                    )),
                    None => self.file(&p, &meta),
                }
            }
        }
        Ok(())
    }
}

/// A reference file (Siècle, STS-Web…) met while walking a folder of exports: exports and
/// their reference data often sit together, and checking a Siècle file as an LSU export only
/// produces noise. Only the first 8 KiB are read.
fn reference_file(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut head = Vec::with_capacity(8192);
    std::fs::File::open(path)
        .ok()?
        .take(8192)
        .read_to_end(&mut head)
        .ok()?;
    match crate::refdata::detect::sniff(&head) {
        crate::refdata::detect::Sniff::Known(k) => Some(k.label_fr().to_string()),
        crate::refdata::detect::Sniff::Other(d) if !d.contains("LSU") => Some(d),
        _ => None,
    }
}

#[cfg(test)]
mod step_back_tests {
    use crate::calendar::Calendar;
    use crate::config::Config;
    use crate::rules::dates::common::test_support::*;

    /// The example with an empty competences-numeriques block: C007 and S006 see one defect.
    fn empty_block() -> String {
        file_2d("2025", "2025-09-01", "2025-12-04").replace(
            "<acquis-conseils>",
            "<competences-numeriques/><acquis-conseils>",
        )
    }

    #[test]
    fn one_defect_one_finding_unless_the_owner_is_ignored() {
        let diags = run(&empty_block(), "2026-01-15");
        assert_eq!(of(&diags, Code::C007).len(), 1);
        assert!(of(&diags, Code::S006).is_empty());
        // Ignoring the owner shows the other code again.
        let mut config = Config::default();
        config
            .apply_cli(&[], &["C007".to_string()])
            .unwrap_or_else(|e| panic!("{e}"));
        let diags = run_with(&empty_block(), "2026-01-15", config, Calendar::default());
        assert!(of(&diags, Code::C007).is_empty());
        assert_eq!(of(&diags, Code::S006).len(), 1);
        // An empty teacher list on an acquis: T006 alone, not R003.
        let empty_refs = file_2d("2025", "2025-09-01", "2025-12-04")
            .replace(r#"enseignant-refs="ENS_1""#, r#"enseignant-refs="""#);
        let diags = run(&empty_refs, "2026-01-15");
        assert_eq!(of(&diags, Code::T006).len(), 1);
        assert!(of(&diags, Code::R003).is_empty());
    }
}
