//! I002 eleve-unknown-in-siecle (2D): `eleve/@id-be` must be the pupil's Siècle `ELEVE_ID`
//! (compared numerically, « 0042 » = « 42 »). LSU rejects the pupil's bilans (« élève non
//! inscrit »): one finding per bilan of that pupil, or one on the pupil when it has no bilan.
//!
//! Fix (unsafe): the LSU file has no birth date, so the replacement is offered only when exactly
//! one Siècle pupil has the same name and first name (case, accents, hyphens ignored) **and**
//! the file's division among his Siècle divisions, and his ELEVE_ID is not already used in the
//! file. Otherwise the message lists the namesakes, if any.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{HashMap, HashSet};

use super::common::{eleve_label, report_per_bilan, PupilProblem};
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
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "eleve-unknown-in-siecle",
    title: "",
    agir: Agir::Logiciel,
    action: "",
}];

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
            "{} : id-be « {id_be} » inconnu dans {} ({}) : LSU rejettera ce bilan (élève non inscrit) ; l'id-be doit être l'ELEVE_ID de l'élève dans Siècle",
            eleve_label(eleve),
            crate::refdata::Kind::Siecle.label_fr(),
            siecle.path
        );
        message.push_str(&siecle.unreadable.caveat());
        let mut fix = None;
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
    }
    report_per_bilan(ctx, out, Code::I002, "id-be", problems);
}
