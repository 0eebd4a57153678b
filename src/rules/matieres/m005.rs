//! M005 eleve-not-in-option-group (2D, SIE + STS): a pupil evaluated in an option subject
//! (modalité O, F, L or R) that Siècle does not list among the pupil's options, and who belongs
//! to no group carrying a service of that matière in STS-Web. One finding per acquis. Suggest.

use super::{codes, discipline_of, named, xs_trim};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::M005,
    degree: Some(Degree::D2),
    check,
};

/// The variants of M005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "eleve-not-in-option-group",
    title: "élève évalué dans une option que Siècle ne lui connaît pas",
    agir: Agir::Siecle,
    action: "Inscrire l'option de l'élève dans Siècle (ou, s'il ne la suit pas, le retirer du groupe dans le logiciel de vie scolaire), puis exporter à nouveau.",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(siecle) = ctx.refdata.siecle.as_ref() else {
        return;
    };
    // An export without any option says nothing about options.
    if siecle.eleves.iter().all(|e| e.options.is_empty()) {
        return;
    }
    let sts = ctx.refdata.sts.as_ref();
    for bilan in &ctx.lsu.bilans_periodiques {
        let Some(eleve) = ctx.lsu.eleve_of(*bilan) else {
            continue;
        };
        let Some(sie) = eleve.attribute("id-be").and_then(|id| siecle.eleve(id)) else {
            continue; // unknown pupil: I002's
        };
        for acquis in model::items(Some(*bilan), "liste-acquis", "acquis") {
            let Some(disc) = discipline_of(ctx, acquis) else {
                continue;
            };
            let modalite = disc
                .attribute("modalite-election")
                .map(xs_trim)
                .unwrap_or("");
            if !matches!(modalite, "O" | "F" | "L" | "R") {
                continue;
            }
            let cs = codes(disc);
            let Some(&code) = cs.first() else {
                continue;
            };
            if sie
                .options
                .iter()
                .any(|o| cs.contains(&o.code_matiere.trim()))
            {
                continue;
            }
            let group = sts.and_then(|sts| {
                sie.groupes
                    .iter()
                    .find(|g| cs.iter().any(|c| !sts.services_for(g, c).is_empty()))
            });
            if group.is_some() {
                continue;
            }
            let groups_note = match sts {
                Some(s) => format!(
                    "et il n'appartient à aucun groupe portant un service de cette matière dans STS-Web ({}) ; groupes Siècle de l'élève : {}",
                    s.path,
                    if sie.groupes.is_empty() {
                        "aucun".to_string()
                    } else {
                        sie.groupes.join(", ")
                    }
                ),
                None => "(les groupes n'ont pas pu être vérifiés : fichier STS-Web non fourni)".to_string(),
            };
            let disc_id = disc.attribute("id").unwrap_or("?");
            let id_be = eleve.attribute("id-be").unwrap_or("?");
            let lib = named(ctx, code, disc.attribute("libelle"));
            out.push(
                ctx.at_attr(
                    acquis,
                    "discipline-ref",
                    Code::M005,
                    format!(
                        "discipline « {disc_id} », matière {lib}, modalité {modalite} : l'élève {id_be} est évalué dans cette option, mais Siècle ({}) ne la lui connaît pas {groups_note} ; LSU risque de ne pas rattacher l'évaluation (alerte ou perte). Inscrivez l'option de l'élève dans Siècle, ou retirez-le du groupe dans le logiciel",
                        siecle.path
                    ),
                )
                .with_group(format!(
                    "élève évalué dans une option que Siècle ne lui connaît pas ({lib})"
                )),
            );
        }
    }
}
