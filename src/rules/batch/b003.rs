//! B003 eleve-changed-division: a pupil who changed class during the year. LSU checks the
//! pupil's division at the bilan's date, so the bilans of the periods spent in the other class
//! are rejected (or the file, for a duplicated pupil). Detected from
//! - the file: one pupil (same 2D `id-be` / 1D INE) in two `eleve` elements of different
//!   divisions;
//! - Siècle (2D, of the file's school year): the file's division is a real division but not the
//!   pupil's Siècle division (a division unknown to the reference data is I003's), or Siècle
//!   lists the pupil in several divisions.
//!
//! One finding per bilan of the pupils concerned. The fix is a split (`lsu-lint split --by
//! division`, one file per division), never an edit: the message says so.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{BTreeSet, HashMap};

use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::refdata::read::{id_key, ine_key};
use crate::rules::dates::common::parse_millesime;
use crate::rules::identity::common::{eleve_label, quoted_list, report_per_bilan, PupilProblem};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::B003,
    degree: None,
    check,
};

/// The variants of B003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "plusieurs-divisions",
        title: "élève présent dans plusieurs divisions du fichier",
        agir: Agir::Logiciel,
        action: "Exporter chaque division séparément, avec pour chaque période la division de l'élève à cette période (le fichier peut aussi être découpé par division avec lsu-lint).",
    },
    KindMeta {
        slug: "division-siecle",
        title: "division de l'élève différente dans Siècle",
        agir: Agir::Logiciel,
        action: "Vérifier la division de l'élève dans le logiciel de vie scolaire et dans Siècle, mettre le logiciel à jour (ou exporter chaque division séparément en cas de changement de classe), puis exporter à nouveau.",
    },
];

/// Cause titles of the two kinds (the Siècle one also tells them apart after reporting).
const GROUP_FILE: &str = "élève présent dans plusieurs divisions du fichier";
const GROUP_SIECLE: &str = "division de l'élève différente dans Siècle";

const SPLIT: &str = "exporter chaque division séparément, avec pour chaque période la division de l'élève à cette période (lsu-lint split --by division)";

/// Whether the Siècle file is of the file's school year (or either is unknown).
fn siecle_same_year(ctx: &Ctx) -> bool {
    let Some(annee) = ctx.refdata.siecle.as_ref().and_then(|s| s.annee) else {
        return true;
    };
    let mut years = ctx
        .lsu
        .periodes
        .iter()
        .filter_map(|p| p.attribute("millesime").and_then(parse_millesime))
        .peekable();
    years.peek().is_none() || years.any(|y| y == annee)
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(degree) = ctx.version.degree else {
        return;
    };
    let mut problems: HashMap<usize, PupilProblem> = HashMap::new();

    // File part: the same pupil twice, in different divisions.
    let mut by_pupil: HashMap<String, Vec<crate::xml::Node>> = HashMap::new();
    for &e in &ctx.lsu.eleves {
        let key = match degree {
            Degree::D2 => e.attribute("id-be").map(id_key),
            Degree::D1 => e.attribute("ine").map(ine_key),
        };
        if let Some(k) = key.filter(|k| !k.is_empty()) {
            by_pupil.entry(k).or_default().push(e);
        }
    }
    for (key, elems) in &by_pupil {
        let divisions: BTreeSet<&str> = elems
            .iter()
            .filter_map(|e| ctx.lsu.division_of_eleve(*e))
            .collect();
        if divisions.len() < 2 {
            continue;
        }
        let places: Vec<String> = elems
            .iter()
            .map(|e| {
                format!(
                    "« {} » ({})",
                    ctx.lsu.division_of_eleve(*e).unwrap_or("?"),
                    e.attribute("id").unwrap_or("?")
                )
            })
            .collect();
        let what = if degree == Degree::D2 { "id-be" } else { "INE" };
        for e in elems {
            problems.insert(
                e.range().start,
                PupilProblem {
                    message: format!(
                        "{} : le même élève ({what} {key}) figure dans plusieurs divisions du fichier : {} ; changement de classe en cours d'année : LSU rejettera les bilans des périodes passées dans l'autre division ; {SPLIT}",
                        eleve_label(*e),
                        places.join(", ")
                    ),
                    group: Some(GROUP_FILE.into()),
                    fix: None,
                },
            );
        }
    }

    // Siècle part (2D).
    if let (Degree::D2, Some(siecle)) = (degree, &ctx.refdata.siecle) {
        if siecle_same_year(ctx) {
            for &e in &ctx.lsu.eleves {
                if problems.contains_key(&e.range().start) {
                    continue;
                }
                let (Some(id), Some(code)) = (e.attribute("id-be"), e.attribute("code-division"))
                else {
                    continue;
                };
                // An unknown pupil is I002's, an unknown division I003's.
                let Some(s) = siecle.eleve(id) else { continue };
                if s.divisions.is_empty() || !ctx.refdata.is_known_division(code) {
                    continue;
                }
                let own: Vec<&str> = s.divisions.iter().map(String::as_str).collect();
                let why = if !own.contains(&code) {
                    format!(
                        "le fichier le place en « {code} », mais dans Siècle ElevesSansAdresses ({}) il est en {}",
                        siecle.path,
                        quoted_list(&own)
                    )
                } else if own.len() > 1 {
                    format!(
                        "Siècle ElevesSansAdresses ({}) le place dans plusieurs divisions : {}",
                        siecle.path,
                        quoted_list(&own)
                    )
                } else {
                    continue;
                };
                problems.insert(
                    e.range().start,
                    PupilProblem {
                        message: format!(
                            "{} : {why} ; changement de classe en cours d'année ? LSU rejettera les bilans dont la division n'est pas celle de l'élève à cette date ; {SPLIT}, ou corriger code-division",
                            eleve_label(e)
                        ),
                        group: Some(GROUP_SIECLE.into()),
                        fix: None,
                    },
                );
            }
        }
    }
    let mut found = Vec::new();
    report_per_bilan(ctx, &mut found, Code::B003, "code-division", problems);
    for d in &mut found {
        if d.group.as_deref() == Some(GROUP_SIECLE) {
            d.kind = "division-siecle";
        }
    }
    out.extend(found);
}
