//! The rule set: one file per rule, grouped by family. A rule never parses or does I/O: it
//! reads the shared context (tree, index, version, calendar, reference data) and reports.

use crate::xml::{Document, Node};
use chrono::NaiveDate;

use crate::calendar::Calendar;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{self, Lsu, VersionInfo};
use crate::refdata::RefData;

pub mod batch;
pub mod cycle;
pub mod dates;
pub mod encoding;
pub mod helpers;
pub mod identity;
pub mod lsu;
pub mod matieres;
pub mod positionnement;
pub mod refs;
pub mod schema;
pub mod teachers;
pub mod text;
pub mod unique;

/// Inputs a rule may need beyond the file (names as in the JSON report's `inputs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    Siecle,
    Nomenclature,
    Sts,
    Onde,
    Communs,
    Settings,
    Calendar,
}

impl Input {
    /// The degree whose files this input describes (Siècle, STS-Web: collèges; ONDE: écoles).
    pub fn degree(self) -> Option<crate::model::Degree> {
        use crate::model::Degree;
        match self {
            Input::Siecle | Input::Nomenclature | Input::Sts | Input::Communs => Some(Degree::D2),
            Input::Onde => Some(Degree::D1),
            Input::Settings | Input::Calendar => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Input::Siecle => "siecle",
            Input::Nomenclature => "nomenclature",
            Input::Sts => "sts",
            Input::Onde => "onde",
            Input::Communs => "communs",
            Input::Settings => "settings",
            Input::Calendar => "calendar",
        }
    }
}

/// Everything a rule may read about one file.
pub struct Ctx<'a, 'i> {
    /// The text that was parsed (same bytes as the file, forbidden characters blanked).
    pub text: &'i str,
    pub doc: &'a Document<'i>,
    pub lsu: &'a Lsu<'a, 'i>,
    pub version: &'a VersionInfo,
    pub today: NaiveDate,
    pub calendar: &'a Calendar,
    pub config: &'a Config,
    pub refdata: &'a RefData,
    /// Rules (or parts of rules) that could not run on this file, with the missing input
    /// (`calendar` when no rentrée is known for the file's school year).
    pub skipped: &'a std::cell::RefCell<Vec<(&'static str, &'static str)>>,
}

impl<'a, 'i> Ctx<'a, 'i> {
    /// A finding on an attribute (name to closing quote); on the start tag if it is absent.
    pub fn at_attr(
        &self,
        node: Node,
        attr: &str,
        code: &'static str,
        msg: impl Into<String>,
    ) -> Diagnostic {
        let (s, e) = model::attr_range(node, attr).unwrap_or_else(|| self.tag_range(node));
        Diagnostic::new(code, s, e, msg)
    }

    /// A finding on an element (its start tag).
    pub fn at_node(&self, node: Node, code: &'static str, msg: impl Into<String>) -> Diagnostic {
        let (s, e) = self.tag_range(node);
        Diagnostic::new(code, s, e, msg)
    }

    pub fn tag_range(&self, node: Node) -> (usize, usize) {
        model::start_tag_range(node, self.text)
    }

    /// Records that `code` (or part of it) could not run on this file for lack of `missing`.
    pub fn skip(&self, code: &'static str, missing: &'static str) {
        let mut s = self.skipped.borrow_mut();
        if !s.contains(&(code, missing)) {
            s.push((code, missing));
        }
    }

    /// An edit removing an element, with the line break and indentation before it when the
    /// element starts its line (so no blank line is left behind).
    pub fn remove_element(&self, node: Node) -> crate::diagnostic::Edit {
        let r = node.range();
        let before = self.text.get(..r.start).unwrap_or("");
        let indent = before.len() - before.trim_end_matches([' ', '\t']).len();
        let mut start = r.start - indent;
        if before[..start].ends_with('\n') {
            start -= 1;
            if before[..start].ends_with('\r') {
                start -= 1;
            }
        } else {
            start = r.start;
        }
        crate::diagnostic::Edit::delete(start, r.end)
    }

    /// The raw source text of a byte range.
    pub fn slice(&self, start: usize, end: usize) -> &'i str {
        self.text.get(start..end).unwrap_or("")
    }
}

/// A rule implementation: its code (metadata comes from the catalogue), what it cannot run
/// without, and its check function.
pub struct Rule {
    pub code: &'static str,
    /// The degree the rule concerns, None for both: the engine runs it only on files of that
    /// degree and lists it as skipped only when such files are checked.
    pub degree: Option<crate::model::Degree>,
    /// Each inner list is a set of alternatives: the rule runs when, for every inner list, at
    /// least one of its inputs is present (`SIE or STS` = `&[&[Siecle, Sts]]`).
    pub requires: &'static [&'static [Input]],
    pub check: fn(&Ctx, &mut Vec<Diagnostic>),
}

impl Rule {
    pub fn meta(&self) -> &'static crate::catalogue::RuleMeta {
        crate::catalogue::meta(self.code)
    }
}

/// Every implemented rule, in code order.
pub fn registry() -> Vec<&'static Rule> {
    let mut v: Vec<&'static Rule> = Vec::new();
    for family in [
        schema::rules,
        refs::rules,
        identity::rules,
        dates::rules,
        teachers::rules,
        matieres::rules,
        positionnement::rules,
        cycle::rules,
        text::rules,
        batch::rules,
        unique::rules,
        encoding::rules,
        lsu::rules,
    ] {
        v.extend(family());
    }
    v.sort_by_key(|r| r.code);
    v
}

/// Codes reported outside the registry: by the reader (E001–E004, while decoding and parsing)
/// and by the schema validator's translation (S002–S005).
pub const ENGINE_CODES: &[&str] = &[
    "E001", "E002", "E003", "E004", "S002", "S003", "S004", "S005",
];
