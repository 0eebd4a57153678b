//! M004 option-zero-hours (2D, STS or NOM): an evaluated matière that maps, for the pupil's
//! division or groups, only to STS-Web services of zero hours, or, for the pupil's MEF, only to
//! Nomenclature programme rows of zero hours: Siècle and LSU do not consider it taught. One
//! finding per discipline and division. Suggest only.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::BTreeMap;

use super::{codes, mefs_of, pupils_by_discipline, structures_of};
use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::rules::{Ctx, Rule};
use crate::util::plural;

pub static RULE: Rule = Rule {
    code: Code::M004,
    degree: Some(Degree::D2),
    check,
};

/// The variants of M004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "option-zero-hours",
    title: "matière évaluée sans horaire dans STS-Web ou la Nomenclature",
    agir: Agir::Sts,
    action: "Dans STS-Web, indiquer l'horaire réel de la matière (service ou option), puis faire la remontée des services vers Siècle.",
}];

#[derive(Default)]
struct Zero {
    eleves: usize,
    sts: Vec<String>,
    nom: Vec<String>,
}

fn push(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let sts = ctx.refdata.sts.as_ref();
    let nom = ctx.refdata.nomenclature.as_ref();
    let pupils = pupils_by_discipline(ctx);
    for d in &ctx.lsu.disciplines {
        let cs = codes(*d);
        let Some(list) = pupils.get(&d.range().start) else {
            continue;
        };
        // division → pupils concerned and the zero-hour sources seen.
        let mut by_div: BTreeMap<&str, Zero> = BTreeMap::new();
        for &eleve in list {
            let Some(division) = eleve.attribute("code-division") else {
                continue;
            };
            let mut zero_sts = Vec::new();
            if let Some(sts) = sts {
                let (structures, _) = structures_of(ctx, eleve);
                let services: Vec<(&String, _)> = structures
                    .iter()
                    .flat_map(|st| {
                        cs.iter().flat_map(move |c| {
                            sts.services_for(st, c).into_iter().map(move |s| (st, s))
                        })
                    })
                    .collect();
                if !services.is_empty() && services.iter().all(|(_, s)| s.heures() == Some(0.0)) {
                    for (st, s) in &services {
                        zero_sts.push(format!("service {} de « {st} »", s.code_matiere));
                    }
                }
            }
            let mut zero_nom = Vec::new();
            if let Some(nom) = nom {
                for mef in mefs_of(ctx, eleve) {
                    for c in &cs {
                        let rows = nom.programmes_for(&mef, c);
                        if !rows.is_empty() && rows.iter().all(|p| p.horaire == Some(0.0)) {
                            zero_nom.push(format!("programme {c} du MEF {mef}"));
                        }
                    }
                }
            }
            if zero_sts.is_empty() && zero_nom.is_empty() {
                continue;
            }
            let z = by_div.entry(division).or_default();
            z.eleves += 1;
            for s in zero_sts {
                push(&mut z.sts, s);
            }
            for s in zero_nom {
                push(&mut z.nom, s);
            }
        }
        for (division, z) in by_div {
            let id = d.attribute("id").unwrap_or("?");
            let libelle = d.attribute("libelle").unwrap_or("");
            let code = cs.first().copied().unwrap_or("?");
            let mut why = Vec::new();
            if let (false, Some(sts)) = (z.sts.is_empty(), sts) {
                why.push(format!(
                    "dans STS-Web ({}), {} : 0 h",
                    sts.path,
                    z.sts.join(", ")
                ));
            }
            if let (false, Some(nom)) = (z.nom.is_empty(), nom) {
                why.push(format!(
                    "dans la Nomenclature ({}), {} : horaire 0.00",
                    nom.path,
                    z.nom.join(", ")
                ));
            }
            out.push(
                ctx.at_attr(
                    *d,
                    "code",
                    Code::M004,
                    format!(
                        "discipline « {id} » ({code} {libelle}), division « {division} » : {} dans une matière sans horaire ({}) ; Siècle et LSU risquent de ne pas la considérer comme enseignée, d'où probablement une alerte ou une matière mal rattachée. Indiquez l'horaire réel dans STS-Web et faites la remontée des services vers Siècle",
                        plural(z.eleves, "élève évalué", "élèves évalués"),
                        why.join(" ; ")
                    ),
                )
                .with_division(division),
            );
        }
    }
}
