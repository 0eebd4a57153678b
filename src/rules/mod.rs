//! The rule set: one file per rule, grouped by family. A rule never parses or does I/O: it
//! reads the shared context (tree, index, version, calendar, reference data) and reports.

use crate::catalogue::Code;
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

pub use crate::catalogue::Input;

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
    pub skipped: &'a std::cell::RefCell<Vec<(Code, &'static str)>>,
}

impl<'a, 'i> Ctx<'a, 'i> {
    /// A finding on an attribute (name to closing quote); on the start tag if it is absent.
    pub fn at_attr(
        &self,
        node: Node,
        attr: &str,
        code: Code,
        msg: impl Into<String>,
    ) -> Diagnostic {
        let (s, e) = model::attr_range(node, attr).unwrap_or_else(|| self.tag_range(node));
        Diagnostic::new(code, s, e, msg)
    }

    /// A finding on an element (its start tag).
    pub fn at_node(&self, node: Node, code: Code, msg: impl Into<String>) -> Diagnostic {
        let (s, e) = self.tag_range(node);
        Diagnostic::new(code, s, e, msg)
    }

    pub fn tag_range(&self, node: Node) -> (usize, usize) {
        model::start_tag_range(node, self.text)
    }

    /// Records that `code` (or part of it) could not run on this file for lack of `missing`.
    pub fn skip(&self, code: Code, missing: &'static str) {
        let mut s = self.skipped.borrow_mut();
        if !s.contains(&(code, missing)) {
            s.push((code, missing));
        }
    }

    /// An edit removing an element (its whole line when it stands alone on it).
    pub fn remove_element(&self, node: Node) -> crate::diagnostic::Edit {
        crate::fix::edit::remove_element(self.text, node)
    }

    /// The raw source text of a byte range.
    pub fn slice(&self, start: usize, end: usize) -> &'i str {
        self.text.get(start..end).unwrap_or("")
    }
}

/// A rule implementation: its code (metadata, inputs and kinds come from the catalogue), the
/// degree it concerns, and its check function.
pub struct Rule {
    pub code: Code,
    /// The degree the rule concerns, None for both: the engine runs it only on files of that
    /// degree and lists it as skipped only when such files are checked.
    pub degree: Option<crate::model::Degree>,
    pub check: fn(&Ctx, &mut Vec<Diagnostic>),
}

impl Rule {
    pub fn meta(&self) -> &'static crate::catalogue::RuleMeta {
        self.code.meta()
    }

    /// Inputs the rule cannot run without (alternatives per inner list), from the catalogue.
    pub fn requires(&self) -> &'static [&'static [Input]] {
        self.code.meta().requires
    }
}

/// Words a classified schema error: the `from_schema` of the rule module owning its code.
/// None when the module leaves it to its own rule.
pub type SchemaWriter = fn(&crate::schema::SchemaError, &Ctx) -> Option<Diagnostic>;

/// Which module words the schema errors of each code (`crate::schema::classify::owner`
/// routes an error to its code). One home per code: the rule that checks the same thing
/// from the tree words it the same way.
const SCHEMA_WRITERS: &[(Code, SchemaWriter)] = &[
    (Code::S002, schema::s002::from_schema),
    (Code::S003, schema::s003::from_schema),
    (Code::S004, schema::s004::from_schema),
    (Code::S005, schema::s005::from_schema),
    (Code::I001, identity::i001::from_schema),
    (Code::I005, identity::i005::from_schema),
    (Code::T001, teachers::t001::from_schema),
    (Code::T008, teachers::t008::from_schema),
    (Code::M003, matieres::m003::from_schema),
    (Code::P003, positionnement::p003::from_schema),
    (Code::P007, positionnement::p007::from_schema),
    (Code::P008, positionnement::p008::from_schema),
    (Code::C001, cycle::c001::from_schema),
    (Code::C002, cycle::c002::from_schema),
    (Code::C005, cycle::c005::from_schema),
    (Code::X001, text::x001::from_schema),
    (Code::X002, text::x002::from_schema),
    (Code::X003, text::x003::from_schema),
    (Code::U001, unique::u001::from_schema),
    (Code::U002, unique::u002::from_schema),
    (Code::U003, unique::u003::from_schema),
    (Code::U004, unique::u004::from_schema),
    (Code::U005, unique::u005::from_schema),
];

/// The writer of the schema errors routed to `code`.
pub fn schema_writer(code: Code) -> Option<SchemaWriter> {
    SCHEMA_WRITERS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, w)| *w)
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
pub const ENGINE_CODES: &[Code] = &[
    Code::E001,
    Code::E002,
    Code::E003,
    Code::E004,
    Code::S002,
    Code::S003,
    Code::S004,
    Code::S005,
];
