//! L004 modalites-accompagnement-ignored-1d: in 1D, LSU reads the modalités d'accompagnement
//! (PPRE, PAP, PPS…) from ONDE and ignores those of the file (« ne sont pas prises en compte »).
//! One finding per bilan carrying them, naming the pupil and the codes so the director can check
//! ONDE. Fix (safe): drop the block, which LSU ignores anyway.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::{child, children, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::L004,
    degree: Some(Degree::D1),
    check,
};

/// The variants of L004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "modalites-accompagnement-ignored-1d",
        title: "modalités d'accompagnement ignorées par LSU en 1er degré",
        agir: Agir::Onde,
        action: "Le directeur vérifie dans ONDE que les modalités d'accompagnement (PPRE, PAP, PPS…) de ces élèves y sont saisies, car LSU les reprend de là.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for &bilan in &ctx.lsu.bilans_periodiques {
        let Some(block) = child(bilan, "modalites-accompagnement") else {
            continue;
        };
        let codes: Vec<&str> = children(block, "modalite-accompagnement")
            .filter_map(|m| m.attribute("code"))
            .collect();
        let who = match ctx.lsu.eleve_of(bilan) {
            Some(e) => {
                let name = [e.attribute("nom"), e.attribute("prenom")]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                let ine = e
                    .attribute("ine")
                    .map(|i| format!(", INE {i}"))
                    .unwrap_or_default();
                let id = e.attribute("id").unwrap_or("?");
                if name.is_empty() {
                    format!("l'élève {id}{ine}")
                } else {
                    format!("l'élève {name} ({id}{ine})")
                }
            }
            None => format!("l'élève {}", bilan.attribute("eleve-ref").unwrap_or("?")),
        };
        let what = if codes.is_empty() {
            String::new()
        } else {
            format!(" ({})", codes.join(", "))
        };
        out.push(
            ctx.at_node(
                block,
                Code::L004,
                format!(
                    "modalités d'accompagnement{what} de {who} ignorées par LSU en 1er degré : LSU les reprend d'ONDE ; vérifier qu'elles y sont saisies pour cet élève"
                ),
            )
            .with_fix(Fix::safe(
                format!("Supprimer les modalités d'accompagnement{what} (ignorées par LSU)"),
                vec![ctx.remove_element(block)],
            )),
        );
    }
}

#[cfg(test)]
mod tests;
