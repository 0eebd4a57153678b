//! P005 class-average-flag-missing (2D acquis in notes mode): the class average
//! (`moyenne-structure`) or its « non notée » flag (10.0 `statut-evaluation-structure`, up to
//! 7.0 `structure-non-notee="true"`) must be there, not both. Safe fixes: add the flag when
//! neither is there (no average is known), drop it when a readable average is there.

use super::p003::{check_decimal, check_string};
use super::xs_trim;
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::P005,
    degree: Some(Degree::D2),
    check,
};

/// The variants of P005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "indicateur-manquant",
        title: "moyenne de classe absente sans indicateur « classe non notée »",
        agir: Agir::Fichier,
        action: "Faire ajouter l'indicateur « classe non notée » par lsu-lint fix, ou exporter la moyenne de classe depuis le logiciel de vie scolaire.",
    },
    KindMeta {
        slug: "moyenne-et-indicateur",
        title: "moyenne de classe et indicateur « classe non notée » en même temps",
        agir: Agir::Fichier,
        action: "Faire retirer l'indicateur « classe non notée » par lsu-lint fix (la moyenne de classe est conservée).",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let statut = ctx.version.has_statut_evaluation();
    let (flag_attr, flag_value) = if statut {
        ("statut-evaluation-structure", "1")
    } else {
        ("structure-non-notee", "true")
    };
    for bilan in &ctx.lsu.bilans_periodiques {
        for a in model::items(Some(*bilan), "liste-acquis", "acquis") {
            let discipline = a.attribute("discipline-ref").unwrap_or("?");
            let avg = a.attribute("moyenne-structure");
            let flag = a.attribute(flag_attr).filter(|v| {
                let v = xs_trim(v);
                if statut {
                    !v.is_empty()
                } else {
                    v == "true" || v == "1"
                }
            });
            match (avg, flag) {
                (Some(m), Some(f)) => {
                    let readable = if ctx.version.decimal_averages() {
                        check_decimal(m).is_none()
                    } else {
                        check_string(m).is_none()
                    };
                    let mut d = ctx.at_attr(
                        a,
                        flag_attr,
                        Code::P005,
                        format!(
                            "acquis de la discipline « {discipline} » : moyenne-structure=\"{m}\" et {flag_attr}=\"{f}\" (classe non notée) en même temps ; une seule de ces informations est admise"
                        ),
                    )
                    .with_kind("moyenne-et-indicateur");
                    if readable {
                        if let Some((s, e)) = crate::fix::edit::attr_removal(ctx.text, a, flag_attr)
                        {
                            d = d.with_fix(Fix::safe(
                                format!("Supprimer {flag_attr}=\"{f}\" (la moyenne de classe {m} est présente)"),
                                vec![Edit::delete(s, e)],
                            ));
                        }
                    }
                    out.push(d);
                }
                (None, None) => {
                    // Only when the acquis is plainly in notes mode (the pupil has a mark).
                    let Some((_, end)) = model::attr_range(a, "moyenne-eleve") else {
                        continue;
                    };
                    out.push(
                        ctx.at_node(
                            a,
                            Code::P005,
                            format!(
                                "acquis noté de la discipline « {discipline} » sans moyenne de classe : indiquer moyenne-structure, ou {flag_attr}=\"{flag_value}\" si la classe n'a pas de moyenne"
                            ),
                        )
                        .with_fix(Fix::safe(
                            format!("Ajouter {flag_attr}=\"{flag_value}\" (aucune moyenne de classe connue)"),
                            vec![Edit::insert(end, format!(" {flag_attr}=\"{flag_value}\""))],
                        )),
                    );
                }
                _ => {}
            }
        }
    }
}
