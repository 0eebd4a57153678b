//! Findings and their fixes.

use serde::Serialize;

use crate::catalogue::{Code, RuleMeta, Severity};

/// How far a fix may be trusted (`interfaces.md`: safe, unsafe, display-only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    Safe,
    Unsafe,
    DisplayOnly,
}

/// Replace the bytes `start..end` of the original file by `replacement`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl Edit {
    pub fn replace(start: usize, end: usize, replacement: impl Into<String>) -> Self {
        Edit {
            start,
            end,
            replacement: replacement.into(),
        }
    }
    pub fn delete(start: usize, end: usize) -> Self {
        Edit::replace(start, end, "")
    }
    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit::replace(at, at, text)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    /// French, imperative: « Remplacer 14,5 par 14.5 ».
    pub title: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Safe,
            title: title.into(),
            edits,
        }
    }
    pub fn unsafe_(title: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Unsafe,
            title: title.into(),
            edits,
        }
    }
    pub fn display_only(title: impl Into<String>) -> Self {
        Fix {
            applicability: Applicability::DisplayOnly,
            title: title.into(),
            edits: Vec::new(),
        }
    }
}

/// Where a finding came from: our own rules, or a libxml2 schema error translated to a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Rule,
    Schema,
}

/// One finding. Rules fill code, message, range and (when they know them) pupil and division;
/// the engine completes the rest (severity from the config, line/column, XPath-like path, bilan).
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: Code,
    /// The variant of the rule (`interfaces.md` « Root causes »): one of the kinds the rule
    /// declares; the first declared kind unless the rule names another.
    pub kind: &'static str,
    pub message: String,
    /// Byte range in the original file: the attribute (name to closing quote) or the start tag.
    pub start: usize,
    pub end: usize,
    pub eleve: Option<String>,
    pub division: Option<String>,
    /// Boxed: most findings have none, and the struct is held once per finding.
    pub fix: Option<Box<Fix>>,
    /// The title of this finding's cause with its value (« date de scolarité antérieure à la
    /// rentrée du 2025-09-01 (Siècle Communs) »): a cause shows it when all its findings share
    /// it, else the kind's generic title. Never the pupil's own value.
    pub group: Option<String>,
    pub origin: Origin,
    /// Filled by the engine.
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub path: Option<String>,
    /// Start offset of the bilan concerned, if any (for the estimate of rejected bilans).
    pub bilan: Option<usize>,
    /// Filled by the engine: the pupil's stable key (`id-be` in 2D, INE in 1D) and a label
    /// (« NOM Prénom ») when the file gives them, for the causes' pupil counts and lists.
    pub eleve_key: Option<String>,
    pub eleve_label: Option<String>,
    /// Filled by the engine: where the finding is, as a path of ids rather than positions
    /// (`bilan-periodique[@eleve-ref='E17'][@periode-ref='P1']/…/@moyenne-eleve`), so that it
    /// survives lines and pupils added above (`interfaces.md` « CI »).
    pub id_path: Option<String>,
    /// Filled by the engine: 1-based rank among the file's findings of equal identity.
    pub occurrence: usize,
    /// Filled by the engine: the hash of the finding's identity (`report::Identity`), used by
    /// SARIF `partialFingerprints`, GitLab `fingerprint` and the baseline.
    pub fingerprint: String,
}

/// `s` without spare capacity: `format!` reserves twice its literal text, and a big file has
/// tens of thousands of findings alive at the memory peak.
pub(crate) fn exact(mut s: String) -> String {
    s.shrink_to_fit();
    s
}

impl Diagnostic {
    pub fn new(code: Code, start: usize, end: usize, message: impl Into<String>) -> Self {
        let meta = code.meta();
        Diagnostic {
            code,
            kind: meta.kinds.first().map_or("", |k| k.slug),
            message: exact(message.into()),
            start,
            end,
            eleve: None,
            division: None,
            fix: None,
            group: None,
            origin: Origin::Rule,
            severity: meta.severity,
            line: 0,
            column: 0,
            path: None,
            bilan: None,
            eleve_key: None,
            eleve_label: None,
            id_path: None,
            occurrence: 0,
            fingerprint: String::new(),
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }
    pub fn with_eleve(mut self, eleve: impl Into<String>) -> Self {
        self.eleve = Some(eleve.into());
        self
    }
    /// Names the variant of the rule this finding is (a slug the rule declares in `KINDS`).
    pub fn with_kind(mut self, kind: &'static str) -> Self {
        self.kind = kind;
        self
    }
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(exact(group.into()));
        self
    }
    pub fn with_division(mut self, division: impl Into<String>) -> Self {
        self.division = Some(division.into());
        self
    }

    pub fn meta(&self) -> &'static RuleMeta {
        self.code.meta()
    }

    /// The declared kind of this finding (None only if a rule names an undeclared slug, which
    /// the meta-tests forbid).
    pub fn kind_meta(&self) -> Option<&'static crate::catalogue::KindMeta> {
        self.meta().kind(self.kind)
    }
}
