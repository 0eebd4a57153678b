//! I002 eleve-unknown-in-siecle (2D): `eleve/@id-be` must be the pupil's Siècle `ELEVE_ID`
//! (compared numerically, « 0042 » = « 42 »). LSU rejects the pupil's bilans (« élève non
//! inscrit »): one finding per bilan of that pupil, or one on the pupil when it has no bilan.
//!
//! Fix (unsafe): the LSU file has no birth date, so the replacement is offered only when exactly
//! one Siècle pupil has the same name and first name (case, accents, hyphens ignored) **and**
//! the file's division among his Siècle divisions, and his ELEVE_ID is not already used in the
//! file. Otherwise the message lists the namesakes, if any.
//!
//! Kinds: a Siècle pupil of the same name exists (the software's identifier is wrong), or none
//! does (the pupil is missing from Siècle, or from the export given).

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{HashMap, HashSet};

use super::common::{eleve_label, report_per_bilan_kinds, PupilProblem};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{attr_value_range, Degree};
use crate::refdata::{read::id_key, siecle::EleveSiecle};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::I002,
    degree: Some(Degree::D2),
    check,
};

/// The variants of I002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: IDENTIFIANT_DIFFERENT,
        title: "identifiant Siècle de l'élève erroné dans le logiciel (élève connu de Siècle sous son nom)",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, mettre à jour les élèves depuis Siècle pour reprendre leur identifiant Siècle (ELEVE_ID), puis exporter à nouveau.",
    },
    KindMeta {
        slug: ABSENT_DE_SIECLE,
        title: "élève introuvable dans Siècle",
        agir: Agir::Siecle,
        action: "Vérifier dans Siècle que l'élève est bien inscrit dans l'établissement (le secrétariat l'inscrit si besoin), puis mettre à jour les élèves du logiciel de vie scolaire depuis Siècle et exporter à nouveau.",
    },
];

/// Siècle knows a pupil of that name: the identifier stored by the vendor software is wrong.
const IDENTIFIANT_DIFFERENT: &str = "identifiant-different";
/// Nobody of that name either: the pupil is missing from Siècle (or from its export).
const ABSENT_DE_SIECLE: &str = "absent-de-siecle";

fn describe(e: &EleveSiecle) -> String {
    let name = [e.nom(), e.prenom.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    match e.division() {
        Some(d) => format!("{} ({name}, division {d})", e.eleve_id),
        None => format!("{} ({name})", e.eleve_id),
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(siecle) = &ctx.refdata.siecle else {
        return;
    };
    let used: HashSet<String> = ctx
        .lsu
        .eleves
        .iter()
        .filter_map(|e| e.attribute("id-be"))
        .map(id_key)
        .collect();
    let mut problems = HashMap::new();
    let mut kinds = HashMap::new();
    for &eleve in &ctx.lsu.eleves {
        // A missing or empty id-be is the schema's (S003/S005).
        let Some(id_be) = eleve.attribute("id-be").filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        if siecle.eleve(id_be).is_some() {
            continue;
        }
        let namesakes = match (eleve.attribute("nom"), eleve.attribute("prenom")) {
            (Some(n), Some(p)) => siecle.eleves_by_name(n, p),
            _ => Vec::new(),
        };
        let division = eleve.attribute("code-division");
        let strict: Vec<&EleveSiecle> = namesakes
            .iter()
            .copied()
            .filter(|s| division.is_some_and(|d| s.divisions.iter().any(|x| x == d)))
            .collect();
        let mut message = format!(
            "{} : id-be « {id_be} » inconnu dans {} ({}) : LSU rejette probablement ce bilan (élève non inscrit) ; l'id-be doit être l'ELEVE_ID de l'élève dans Siècle",
            eleve_label(eleve),
            crate::refdata::Kind::Siecle.label_fr(),
            siecle.path
        );
        message.push_str(&siecle.unreadable.caveat());
        let mut fix = None;
        let kind = if namesakes.is_empty() {
            message.push_str(
                " ; aucun élève de ce nom dans Siècle : vérifier que l'élève y est inscrit (ou que l'export Siècle est récent)",
            );
            ABSENT_DE_SIECLE
        } else {
            IDENTIFIANT_DIFFERENT
        };
        match (strict.as_slice(), namesakes.as_slice()) {
            ([one], _) if !used.contains(&id_key(&one.eleve_id)) => {
                message.push_str(&format!(
                    " ; un seul élève de ce nom dans cette division : ELEVE_ID {}",
                    describe(one)
                ));
                if let Some((s, e)) = attr_value_range(eleve, "id-be") {
                    fix = Some(Fix::unsafe_(
                        format!(
                            "Remplacer l'id-be « {id_be} » par l'ELEVE_ID {} de Siècle",
                            one.eleve_id
                        ),
                        vec![Edit::replace(s, e, one.eleve_id.clone())],
                    ));
                }
            }
            (_, []) => {}
            (_, many) => {
                let list: Vec<String> = many.iter().map(|s| describe(s)).collect();
                message.push_str(&format!(
                    " ; élève(s) de même nom dans Siècle : {} (à vérifier, pas de remplacement automatique)",
                    list.join(", ")
                ));
            }
        }
        problems.insert(
            eleve.range().start,
            PupilProblem {
                message,
                group: None,
                fix,
            },
        );
        kinds.insert(eleve.range().start, kind);
    }
    report_per_bilan_kinds(ctx, out, Code::I002, "id-be", problems, &kinds);
}
