//! T006 discipline-without-enseignant (2D): an acquis whose `enseignant-refs` is absent, empty
//! or names no declared `enseignant`: the subject has no teacher, and LSU (like Pronote and
//! SACoche, which refuse to export it) cannot attach it. One finding per acquis.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::T006,
    degree: Some(Degree::D2),
    check,
};

/// The variants of T006 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "discipline-without-enseignant",
    title: "discipline évaluée sans enseignant",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de vie scolaire, affecter l'enseignant du service à la discipline, puis exporter à nouveau.",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for bilan in &ctx.lsu.bilans_periodiques {
        for a in model::items(Some(*bilan), "liste-acquis", "acquis") {
            let refs = a.attribute("enseignant-refs").unwrap_or("");
            let resolved = refs.split_whitespace().any(|r| {
                ctx.lsu
                    .target(r)
                    .is_some_and(|n| n.tag_name().name() == "enseignant")
            });
            if resolved {
                continue;
            }
            let discipline = a.attribute("discipline-ref").unwrap_or("?");
            let label = ctx
                .lsu
                .target(discipline)
                .and_then(|d| d.attribute("libelle"))
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            let why = if refs.trim().is_empty() {
                "aucun enseignant (enseignant-refs absent ou vide)".to_string()
            } else {
                format!("enseignant-refs=\"{refs}\" ne désigne aucun enseignant déclaré")
            };
            out.push(ctx.at_attr(
                a,
                "enseignant-refs",
                Code::T006,
                format!(
                    "acquis de la discipline « {discipline} »{label} : {why} ; LSU risque de ne pas importer une discipline sans enseignant. Affecter l'enseignant du service dans le logiciel et réexporter"
                ),
            ));
        }
    }
}
