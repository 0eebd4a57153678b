//! Output formats of a report: human (miette), concise, json (`interfaces.md` contract), sarif,
//! junit, github, gitlab, html.

pub mod concise;
pub mod fixreport;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

pub use crate::report::{Inputs, Report};
pub use crate::util::plural;

use crate::report::Cause;

/// How many causes besides the error ones the human summary prints (`interfaces.md`).
pub const MAX_OTHER_CAUSES: usize = 20;

/// « 380 bilans, 127 élèves, classes 3A, 3B, 4C » — what a cause concerns.
pub fn cause_counts(c: &Cause) -> String {
    let mut parts = Vec::new();
    if c.bilans > 0 {
        parts.push(plural(c.bilans, "bilan", "bilans"));
    }
    if c.eleves > 0 {
        parts.push(plural(c.eleves, "élève", "élèves"));
    }
    if c.bilans == 0 && c.eleves == 0 {
        parts.push(plural(c.findings, "constatation", "constatations"));
    }
    if !c.divisions.is_empty() {
        parts.push(divisions_fr(&c.divisions, 8));
    }
    parts.join(", ")
}

/// « classe 3A », « classes 3A, 3B… (12) ».
pub fn divisions_fr(divs: &[String], max: usize) -> String {
    let label = if divs.len() == 1 { "classe" } else { "classes" };
    let shown: Vec<&str> = divs.iter().map(String::as_str).take(max).collect();
    if divs.len() > max {
        format!("{label} {}… ({} en tout)", shown.join(", "), divs.len())
    } else {
        format!("{label} {}", shown.join(", "))
    }
}

/// The French name of a missing input (`skipped_rules`).
pub(crate) fn input_fr(name: &str) -> &'static str {
    match name {
        "siecle" => "l'export Siècle ElevesSansAdresses",
        "nomenclature" => "l'export Siècle Nomenclature",
        "sts" => "l'export STS-Web",
        "onde" => "l'extraction ONDE des élèves",
        "communs" => "l'export Siècle Communs",
        "settings" => "les paramètres LSU",
        "calendar" => "le calendrier scolaire de l'année",
        _ => "une donnée de référence",
    }
}

/// The causes a summary prints: every error cause, then the first `MAX_OTHER_CAUSES` others;
/// and how many are left out.
pub fn shown_causes(causes: &[Cause]) -> (Vec<&Cause>, usize) {
    let errors = causes
        .iter()
        .take_while(|c| c.severity == crate::catalogue::Severity::Error)
        .count();
    let shown_n = (errors + MAX_OTHER_CAUSES).min(causes.len());
    (causes[..shown_n].iter().collect(), causes.len() - shown_n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Agir, Code, Confidence, FixClass, Impact, Severity};

    fn cause(severity: Severity, impact: Impact) -> Cause {
        Cause {
            code: Code::D001,
            kind: "avant-rentree",
            severity,
            impact,
            confidence: Confidence::C,
            title: String::new(),
            findings: 1,
            bilans: 1,
            eleves: 1,
            divisions: Vec::new(),
            agir: Agir::Logiciel,
            action: "",
            fix: FixClass::None,
            consequences: Vec::new(),
            members: Vec::new(),
        }
    }

    /// interfaces.md (issue 8): the human summary prints every error cause, then the first 20
    /// others, and says how many it left out (« … et N autres causes »).
    #[test]
    fn every_error_cause_then_twenty_others() {
        let mut causes: Vec<Cause> = vec![cause(Severity::Error, Impact::FichierRejete)];
        causes.extend((0..24).map(|_| cause(Severity::Error, Impact::BilanRejete)));
        causes.extend((0..23).map(|_| cause(Severity::Warning, Impact::Alerte)));
        let (shown, hidden) = shown_causes(&causes);
        assert_eq!((shown.len(), hidden), (25 + MAX_OTHER_CAUSES, 3));
        assert!(shown[..25].iter().all(|c| c.severity == Severity::Error));
        assert_eq!(shown[0].impact, Impact::FichierRejete);
        // Few causes: all shown, nothing left out.
        let (shown, hidden) = shown_causes(&causes[..30]);
        assert_eq!((shown.len(), hidden), (30, 0));
    }
}
