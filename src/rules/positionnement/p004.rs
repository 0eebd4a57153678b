//! P004 contradictory-evaluation (2D acquis): exactly one of {average, positionnement,
//! « non noté » flag}. 10.0: `statut-evaluation-eleve` together with `moyenne-eleve`, or
//! neither an average, a status nor a positionnement; up to 7.0: `eleve-non-note="true"` with
//! a `moyenne-eleve`, or neither. A positionnement together with an average is flagged too.
//! Safe fix: drop the redundant flag when a readable average is there.

use super::p003::{check_decimal, check_string};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::P004,
    degree: Some(Degree::D2),
    check,
};

/// The variants of P004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "indicateur-redondant",
        title: "élève noté et marqué non noté en même temps",
        agir: Agir::Fichier,
        action: "Faire retirer l'indicateur « non noté » redondant par lsu-lint fix (la moyenne est conservée).",
    },
    KindMeta {
        slug: "evaluations-contradictoires",
        title: "évaluations contradictoires pour une même discipline",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, garder une seule évaluation par discipline (note, positionnement ou non noté, selon le mode de la classe), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "sans-evaluation",
        title: "discipline sans aucune évaluation",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, saisir la note ou le positionnement de l'élève, ou l'indiquer comme non noté, puis exporter à nouveau.",
    },
];

fn xs_true(v: &str) -> bool {
    matches!(super::xs_trim(v), "true" | "1")
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let statut = ctx.version.has_statut_evaluation();
    let flag_attr = if statut {
        "statut-evaluation-eleve"
    } else {
        "eleve-non-note"
    };
    for bilan in &ctx.lsu.bilans_periodiques {
        for a in model::items(Some(*bilan), "liste-acquis", "acquis") {
            let discipline = a.attribute("discipline-ref").unwrap_or("?");
            let moyenne = a.attribute("moyenne-eleve");
            let position = a.attribute("positionnement");
            let flag = a.attribute(flag_attr);
            // eleve-non-note="false" is no flag at all.
            let flagged = match flag {
                Some(v) if statut => !v.trim().is_empty(),
                Some(v) => xs_true(v),
                None => false,
            };
            if let (Some(m), true) = (moyenne, flagged) {
                let flag_v = flag.unwrap_or("");
                let readable = if ctx.version.decimal_averages() {
                    check_decimal(m).is_none()
                } else {
                    check_string(m).is_none()
                };
                let kind = if readable {
                    "indicateur-redondant"
                } else {
                    "evaluations-contradictoires"
                };
                let mut d = ctx.at_attr(
                    a,
                    flag_attr,
                    Code::P004,
                    format!(
                        "acquis de la discipline « {discipline} » : {flag_attr}=\"{flag_v}\" (élève non noté) et moyenne-eleve=\"{m}\" en même temps ; une seule de ces informations est admise{}",
                        if readable { " (la moyenne étant lisible, l'indicateur est redondant)" } else { "" }
                    ),
                )
                .with_kind(kind);
                if readable {
                    if let Some((s, e)) = crate::fix::edit::attr_removal(ctx.text, a, flag_attr) {
                        d = d.with_fix(Fix::safe(
                            format!(
                                "Supprimer {flag_attr}=\"{flag_v}\" (la moyenne {m} est présente)"
                            ),
                            vec![Edit::delete(s, e)],
                        ));
                    }
                }
                out.push(d);
            } else if let (Some(m), Some(p)) = (moyenne, position) {
                out.push(ctx.at_attr(
                    a,
                    "positionnement",
                    Code::P004,
                    format!(
                        "acquis de la discipline « {discipline} » : moyenne-eleve=\"{m}\" et positionnement=\"{p}\" en même temps ; un acquis est soit noté (moyenne sur 20), soit positionné (1 à 4), selon le mode de la classe dans LSU"
                    ),
                ).with_kind("evaluations-contradictoires"));
            } else if let (Some(p), true) = (position, flagged) {
                out.push(ctx.at_attr(
                    a,
                    flag_attr,
                    Code::P004,
                    format!(
                        "acquis de la discipline « {discipline} » : positionnement=\"{p}\" et {flag_attr}=\"{}\" (non noté) en même temps ; garder l'un ou l'autre",
                        flag.unwrap_or("")
                    ),
                ).with_kind("evaluations-contradictoires"));
            } else if moyenne.is_none() && position.is_none() && !flagged {
                let expected = if statut {
                    "une moyenne-eleve, un positionnement (1 à 4) ou un statut-evaluation-eleve (1 non noté, 2 en attente, 3 dispensé)"
                } else {
                    "une moyenne-eleve, un positionnement (1 à 4) ou eleve-non-note=\"true\""
                };
                out.push(ctx.at_node(
                    a,
                    Code::P004,
                    format!(
                        "acquis de la discipline « {discipline} » sans évaluation : il faut {expected} ; LSU risque de rejeter le bilan"
                    ),
                ).with_kind("sans-evaluation"));
            }
        }
    }
}
