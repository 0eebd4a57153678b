//! Rule metadata: the normative catalogue of `spec/rules.md` plus the French pages of `rules/`.

use serde::Serialize;

#[path = "catalogue_table.rs"]
mod table;
pub use table::CATALOGUE;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
    /// French label for human output.
    pub fn label_fr(self) -> &'static str {
        match self {
            Severity::Error => "erreur",
            Severity::Warning => "avertissement",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Impact {
    #[serde(rename = "fichier-rejete")]
    FichierRejete,
    #[serde(rename = "bilan-rejete")]
    BilanRejete,
    #[serde(rename = "alerte")]
    Alerte,
    #[serde(rename = "perte-silencieuse")]
    PerteSilencieuse,
    #[serde(rename = "prealable")]
    Prealable,
    #[serde(rename = "qualite")]
    Qualite,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::FichierRejete => "fichier-rejete",
            Impact::BilanRejete => "bilan-rejete",
            Impact::Alerte => "alerte",
            Impact::PerteSilencieuse => "perte-silencieuse",
            Impact::Prealable => "prealable",
            Impact::Qualite => "qualite",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixClass {
    Safe,
    Unsafe,
    Suggest,
    None,
}

#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub impact: Impact,
    /// Inputs as written in the spec (`F`, `SIE or STS`, …).
    pub needs: &'static str,
    pub fix_class: FixClass,
    /// The spec's fix column, verbatim (e.g. `safe (strip one leading P)`).
    pub fix_note: &'static str,
    /// ★ in the spec: named in the product brief.
    pub starred: bool,
}

impl RuleMeta {
    /// The French title: first heading of the rule's page, after the code.
    pub fn title(&self) -> &'static str {
        page(self.code)
            .and_then(|p| p.lines().next())
            .map(|l| {
                let l = l.trim_start_matches('#').trim();
                let l = l.strip_prefix(self.code).unwrap_or(l).trim_start();
                l.trim_start_matches(['—', '-', ':']).trim()
            })
            .unwrap_or("")
    }

    pub fn page(&self) -> Option<&'static str> {
        page(self.code)
    }
}

/// Looks a rule up by code (`D001`) or name (`date-scolarite-outside-enrolment`), case-insensitively.
pub fn lookup(key: &str) -> Option<&'static RuleMeta> {
    CATALOGUE
        .iter()
        .find(|m| m.code.eq_ignore_ascii_case(key) || m.name.eq_ignore_ascii_case(key))
}

/// Exact-code lookup used on hot paths (codes come from our own code).
pub fn meta(code: &str) -> &'static RuleMeta {
    match CATALOGUE.iter().find(|m| m.code == code) {
        Some(m) => m,
        // A code unknown to the catalogue is a programming error caught by the meta-tests;
        // falling back to S002 keeps a user's run alive instead of panicking.
        None => &CATALOGUE[1],
    }
}

include!(concat!(env!("OUT_DIR"), "/rule_pages.rs"));

/// The embedded French page of a rule (`rules/<CODE>-<name>.md`).
pub fn page(code: &str) -> Option<&'static str> {
    RULE_PAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, text)| *text)
}
