//! Findings and their fixes.

use serde::Serialize;

use crate::catalogue::{self, RuleMeta, Severity};

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
    pub code: &'static str,
    pub message: String,
    /// Byte range in the original file: the attribute (name to closing quote) or the start tag.
    pub start: usize,
    pub end: usize,
    pub eleve: Option<String>,
    pub division: Option<String>,
    pub fix: Option<Fix>,
    /// Root cause shared by many findings, for grouped summaries (« date de scolarité
    /// 2025-08-28 antérieure à la rentrée du 2025-09-01 »). None: grouped by code only.
    pub group: Option<String>,
    pub origin: Origin,
    /// Filled by the engine.
    pub severity: Severity,
    pub line: usize,
    pub column: usize,
    pub path: Option<String>,
    /// Start offset of the bilan concerned, if any (for the estimate of rejected bilans).
    pub bilan: Option<usize>,
}

impl Diagnostic {
    pub fn new(code: &'static str, start: usize, end: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            start,
            end,
            eleve: None,
            division: None,
            fix: None,
            group: None,
            origin: Origin::Rule,
            severity: catalogue::meta(code).severity,
            line: 0,
            column: 0,
            path: None,
            bilan: None,
        }
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    pub fn with_eleve(mut self, eleve: impl Into<String>) -> Self {
        self.eleve = Some(eleve.into());
        self
    }
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }
    pub fn with_division(mut self, division: impl Into<String>) -> Self {
        self.division = Some(division.into());
        self
    }

    pub fn meta(&self) -> &'static RuleMeta {
        catalogue::meta(self.code)
    }
}
