//! T003 no-sts-service (2D, STS, + SIE for groups): for each acquis, some STS-Web service of the
//! discipline's matière, in the pupil's division or one of its groups, must list the teacher.
//! LSU relies on the services sent from STS-Web to Siècle; without one, the teacher's link to
//! the subject raises an alert. Suggest only.
//!
//! The pupil's groups come from Siècle (structures of type G) when given; otherwise every STS
//! group attached to the division is accepted (we cannot know the membership).

use super::{positive_integer, xs_trim};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};
use crate::xml::Node;

pub static RULE: Rule = Rule {
    code: Code::T003,
    degree: Some(Degree::D2),
    check,
};

/// The variants of T003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "no-sts-service",
    title: "enseignant sans service STS-Web pour la matière et la classe",
    agir: Agir::Sts,
    action: "Dans STS-Web, ajouter l'enseignant au service de cette matière pour la division ou le groupe, puis faire la remontée des services vers Siècle (ou corriger l'enseignant du cours dans le logiciel de vie scolaire s'il est faux).",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    scan(ctx, &mut |acquis, msg, _| {
        // No group: teacher, subject and class differ from finding to finding.
        out.push(ctx.at_attr(acquis, "enseignant-refs", Code::T003, msg));
    });
}

/// The STS ids (id-sts) of the teachers STS-Web gives for the services of T003's findings: a
/// declared teacher with one of them may be the one the acquis should cite (R004 keeps it).
pub(crate) fn service_teachers(ctx: &Ctx) -> std::collections::HashSet<String> {
    let mut ids = std::collections::HashSet::new();
    scan(ctx, &mut |_, _, teachers| ids.extend(teachers));
    ids
}

/// Calls `emit(acquis, message, STS ids of the matching services' teachers)` for each finding.
fn scan<'a, 'i>(ctx: &Ctx<'a, 'i>, emit: &mut dyn FnMut(Node<'a, 'i>, String, Vec<String>)) {
    let Some(sts) = ctx.refdata.sts.as_ref() else {
        return;
    };
    let siecle = ctx.refdata.siecle.as_ref();
    for bilan in &ctx.lsu.bilans_periodiques {
        let Some(eleve) = ctx.lsu.eleve_of(*bilan) else {
            continue;
        };
        let Some(division) = eleve.attribute("code-division") else {
            continue;
        };
        if !sts.is_division(division) {
            continue; // an unknown division is I003's
        }
        // The pupil's structures: division, then groups (Siècle's, else the division's in STS).
        let sie_groups = siecle
            .zip(eleve.attribute("id-be"))
            .and_then(|(s, id)| s.eleve(id))
            .map(|e| &e.groupes);
        let mut structures: Vec<&str> = vec![division];
        let groups_from_siecle = sie_groups.is_some();
        match sie_groups {
            Some(g) => structures.extend(g.iter().map(String::as_str)),
            None => structures.extend(sts.groupes_of_division(division).map(|g| g.code.as_str())),
        }
        for acquis in model::items(Some(*bilan), "liste-acquis", "acquis") {
            let Some(disc) = acquis
                .attribute("discipline-ref")
                .and_then(|r| ctx.lsu.target(xs_trim(r)))
                .filter(|n| n.tag_name().name() == "discipline")
            else {
                continue;
            };
            let codes: Vec<&str> = [disc.attribute("code"), disc.attribute("code-national")]
                .into_iter()
                .flatten()
                .map(xs_trim)
                .filter(|c| !c.is_empty())
                .collect();
            let Some(&code) = codes.first() else {
                continue;
            };
            let services: Vec<(&str, &crate::refdata::sts::Service)> = structures
                .iter()
                .flat_map(|st| {
                    codes.iter().flat_map(move |c| {
                        sts.services_for(st, c).into_iter().map(move |s| (*st, s))
                    })
                })
                .collect();
            for r in acquis
                .attribute("enseignant-refs")
                .unwrap_or("")
                .split_whitespace()
            {
                let Some(ens) = ctx
                    .lsu
                    .target(r)
                    .filter(|n| n.tag_name().name() == "enseignant")
                else {
                    continue;
                };
                let Some(id_sts) = ens.attribute("id-sts").and_then(positive_integer) else {
                    continue;
                };
                if sts.individu(id_sts).is_none() {
                    continue; // an unknown teacher is T002's
                }
                if services.iter().any(|(_, s)| s.has_enseignant(id_sts)) {
                    continue;
                }
                let nom = ens.attribute("nom").unwrap_or("");
                let disc_id = disc.attribute("id").unwrap_or("?");
                let libelle = disc.attribute("libelle").unwrap_or("");
                let where_ = if structures.len() > 1 {
                    let kind = if groups_from_siecle {
                        "ses groupes dans Siècle"
                    } else {
                        "les groupes STS rattachés à la division"
                    };
                    format!(
                        "la division « {division} » ni dans {kind} ({})",
                        structures[1..].join(", ")
                    )
                } else {
                    format!("la division « {division} » (aucun groupe connu pour l'élève)")
                };
                let others: Vec<String> = services
                    .iter()
                    .flat_map(|(st, s)| {
                        s.enseignants.iter().map(move |e| {
                            let n = sts.individu(&e.id).and_then(|i| i.nom()).unwrap_or("?");
                            format!("{n} (id-sts {}) en « {st} »", e.id)
                        })
                    })
                    .collect();
                let found = if others.is_empty() {
                    format!("STS-Web n'a aucun service de la matière {code} pour cet élève")
                } else {
                    format!(
                        "le service {code} est assuré dans STS-Web par {}",
                        others.join(", ")
                    )
                };
                let msg = format!(
                    "discipline « {disc_id} » ({code} {libelle}) : aucun service du fichier STS-Web {} ne relie l'enseignant « {r} » ({nom}, id-sts {id_sts}) à la matière {code} dans {where_} ; {found}. LSU s'appuie sur les services remontés de STS-Web vers Siècle et signalera probablement une alerte (enseignant non rattaché). Vérifiez le service dans STS-Web puis faites la remontée vers Siècle, ou corrigez l'enseignant de ce cours dans le logiciel",
                    sts.path
                );
                let teachers = services
                    .iter()
                    .flat_map(|(_, s)| s.enseignants.iter().map(|e| e.id.clone()))
                    .collect();
                emit(acquis, msg, teachers);
            }
        }
    }
}
