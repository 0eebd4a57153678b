//! M006 langue-vivante-mismatch (2D, SIE): living languages (codes `03LL0R`, R = rank) evaluated
//! in a bilan must match the pupil's Siècle options (same language at the same rank), and one
//! language must not appear both as LV1 and LV2. One finding per acquis. Suggest only.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::BTreeMap;

use super::{codes, discipline_of, langue_vivante, named};
use crate::diagnostic::Diagnostic;
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::M006,
    degree: Some(Degree::D2),
    check,
};

/// The variants of M006 (`kind`), with where to act and what to do.
/// The file's rank of a language disagrees with the pupil's options in Siècle.
const RANG: &str = "rang-different-de-siecle";

pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: RANG,
        title: "langue vivante évaluée à un autre rang que dans Siècle",
        agir: Agir::Logiciel,
        action: "Comparer les langues de l'élève dans Siècle avec les services LV1/LV2 du logiciel de vie scolaire, corriger celui qui est faux, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "meme-langue-lv1-lv2",
        title: "même langue évaluée en LV1 et en LV2",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, créer un service distinct par rang (LV1, LV2) et y placer l'élève selon Siècle, puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(siecle) = ctx.refdata.siecle.as_ref() else {
        return;
    };
    for bilan in &ctx.lsu.bilans_periodiques {
        let Some(eleve) = ctx.lsu.eleve_of(*bilan) else {
            continue;
        };
        let id_be = eleve.attribute("id-be").unwrap_or("?");
        let sie = eleve.attribute("id-be").and_then(|id| siecle.eleve(id));
        // rank → (language, code) from Siècle.
        let mut sie_lv: BTreeMap<u8, Vec<(String, String)>> = BTreeMap::new();
        if let Some(e) = sie {
            for o in &e.options {
                if let Some((l, r)) = langue_vivante(o.code_matiere.trim()) {
                    sie_lv
                        .entry(r)
                        .or_default()
                        .push((l.to_string(), o.code_matiere.trim().to_string()));
                }
            }
        }
        let mut in_bilan: Vec<(crate::xml::Node, &str, &str, u8, Option<&str>)> = Vec::new();
        for acquis in model::items(Some(*bilan), "liste-acquis", "acquis") {
            let Some(disc) = discipline_of(ctx, acquis) else {
                continue;
            };
            if let Some((code, (l, r))) = codes(disc)
                .into_iter()
                .find_map(|c| langue_vivante(c).map(|x| (c, x)))
            {
                in_bilan.push((acquis, code, l, r, disc.attribute("libelle")));
            }
        }
        for (i, &(acquis, code, l, r, libelle)) in in_bilan.iter().enumerate() {
            let lib = named(ctx, code, libelle);
            let problem = if let Some((_, other, _, _, other_lib)) = in_bilan[..i]
                .iter()
                .find(|(_, _, l2, r2, _)| *l2 == l && *r2 != r)
            {
                Some((
                    "meme-langue-lv1-lv2",
                    format!(
                    "la même langue est évaluée à la fois en LV{r}, {lib}, et en LV{}, {}, dans ce bilan",
                    3 - r,
                    named(ctx, other, *other_lib)
                ),
                ))
            } else if sie_lv.is_empty()
                || sie_lv
                    .get(&r)
                    .is_some_and(|v| v.iter().any(|(l2, _)| l2 == l))
            {
                // Siècle gives no language for this pupil, or the same one at this rank.
                None
            } else if let Some((_, c2)) = sie_lv
                .get(&(3 - r))
                .and_then(|v| v.iter().find(|(l2, _)| l2 == l))
            {
                Some((RANG, format!(
                    "{lib} est évalué en LV{r} alors que Siècle l'inscrit en LV{} sous le code {} : inversion LV1/LV2",
                    3 - r,
                    named(ctx, c2, None)
                )))
            } else if let Some(v) = sie_lv.get(&r) {
                let names: Vec<String> = v.iter().map(|(_, c)| named(ctx, c, None)).collect();
                Some((
                    RANG,
                    format!(
                    "{lib} est évalué en LV{r} alors que la LV{r} de l'élève dans Siècle est {}",
                    names.join(", ")
                ),
                ))
            } else {
                Some((RANG, format!(
                    "{lib} est évalué en LV{r} alors que Siècle ne connaît pas de LV{r} pour l'élève"
                )))
            };
            let Some((kind, problem)) = problem else {
                continue;
            };
            out.push(
                ctx.at_attr(
                    acquis,
                    "discipline-ref",
                    Code::M006,
                    format!(
                        "élève {id_be} : {problem} (options de l'élève dans Siècle, {}) ; LSU risque de signaler une alerte ou d'afficher la mauvaise langue. Vérifiez les langues de l'élève dans Siècle et les services LV1/LV2 du logiciel (un service par rang)",
                        siecle.path
                    ),
                )
                .with_kind(kind),
            );
        }
    }
}
