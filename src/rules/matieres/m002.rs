//! M002 modalite-election-inconsistent (2D, NOM + SIE): the (code, `modalite-election`) of each
//! evaluated discipline must be a programme row of the pupil's MEF in the Nomenclature (rows with
//! hours > 0, as SACoche keeps them) or one of the pupil's Siècle options. One finding per
//! discipline, counting the pupils concerned. Unsafe fix: the single Siècle value, when every
//! pupil evaluated in the discipline agrees on it and no other discipline already has it.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::BTreeSet;

use super::{codes, mefs_of, pupils_by_discipline, xs_trim};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};
use crate::util::plural;

pub static RULE: Rule = Rule {
    code: Code::M002,
    degree: Some(Degree::D2),
    check,
};

/// The variants of M002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "modalite-election-inconsistent",
    title: "modalité d'élection différente de celle de Siècle",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de vie scolaire, reprendre la modalité d'élection de la matière telle qu'elle figure dans Siècle (obligatoire, option…), puis exporter à nouveau.",
}];

fn valid_modalite(ctx: &Ctx, m: &str) -> bool {
    matches!(m, "S" | "O" | "F" | "L" | "R" | "X") || (m == "D" && ctx.version.modalite_d_allowed())
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(nom) = ctx.refdata.nomenclature.as_ref() else {
        return;
    };
    let siecle = ctx.refdata.siecle.as_ref();
    let pupils = pupils_by_discipline(ctx);
    for d in &ctx.lsu.disciplines {
        let cs = codes(*d);
        if cs.is_empty() || !cs.iter().any(|c| nom.matiere(c).is_some()) {
            continue; // hors Siècle: M001's
        }
        let Some(modalite) = d.attribute("modalite-election").map(xs_trim) else {
            continue;
        };
        let Some(list) = pupils.get(&d.range().start) else {
            continue;
        };
        let (mut ok, mut bad) = (0usize, 0usize);
        let mut expected: BTreeSet<String> = BTreeSet::new();
        let mut bad_mefs: BTreeSet<String> = BTreeSet::new();
        for &eleve in list {
            let mefs = mefs_of(ctx, eleve);
            let options: Vec<&str> = siecle
                .zip(eleve.attribute("id-be"))
                .and_then(|(s, id)| s.eleve(id))
                .map(|e| {
                    e.options
                        .iter()
                        .filter(|o| cs.contains(&o.code_matiere.trim()))
                        .filter_map(|o| o.modalite.as_deref().map(str::trim))
                        .collect()
                })
                .unwrap_or_default();
            let mut offered: BTreeSet<String> = options.iter().map(|s| s.to_string()).collect();
            for mef in &mefs {
                for c in &cs {
                    offered.extend(nom.modalites_for(mef, c).into_iter().map(str::to_string));
                }
            }
            if mefs.is_empty() && options.is_empty() {
                continue; // nothing known about this pupil
            }
            if offered.contains(modalite) {
                ok += 1;
            } else {
                bad += 1;
                expected.extend(offered);
                bad_mefs.extend(mefs.iter().map(|m| {
                    match nom
                        .mef(m)
                        .and_then(|x| x.libelle_edition.clone().or(x.formation.clone()))
                    {
                        Some(l) => format!("{m} {l}"),
                        None => m.clone(),
                    }
                }));
            }
        }
        if bad == 0 {
            continue;
        }
        let id = d.attribute("id").unwrap_or("?");
        let code = cs[0];
        let libelle = d.attribute("libelle").unwrap_or("");
        let siecle_says = if expected.is_empty() {
            "la Nomenclature ne prévoit pas cette matière (horaire non nul) pour leur MEF et elle ne figure pas dans leurs options".to_string()
        } else {
            let v: Vec<&str> = expected.iter().map(String::as_str).collect();
            format!("Siècle donne la modalité {}", v.join(" ou "))
        };
        let sources = if siecle.is_some() {
            format!(
                "Nomenclature {} et options des élèves dans Siècle",
                nom.path
            )
        } else {
            format!("Nomenclature {}", nom.path)
        };
        let others = if ok > 0 {
            format!(
                " ({} avec « {modalite} »)",
                if ok == 1 {
                    "1 autre élève est cohérent".to_string()
                } else {
                    format!("{ok} autres élèves sont cohérents")
                }
            )
        } else {
            String::new()
        };
        let mut diag = ctx.at_attr(
            *d,
            "modalite-election",
            Code::M002,
            format!(
                "discipline « {id} » ({code} {libelle}) : modalité d'élection « {modalite} » incohérente avec Siècle pour {} (MEF {}) : {siecle_says} ({sources}){others} ; LSU peut ne pas rattacher la matière au parcours de l'élève (alerte). Corrigez la modalité dans le logiciel à partir de Siècle",
                plural(bad, "élève évalué", "élèves évalués"),
                bad_mefs.into_iter().collect::<Vec<_>>().join(", ")
            ),
        );
        // The unique Siècle value, if every pupil agrees and the pair stays unique.
        if ok == 0 && expected.len() == 1 {
            if let Some(v) = expected.iter().next().filter(|v| valid_modalite(ctx, v)) {
                let lv = d.attribute("id-lv").map(xs_trim).unwrap_or("");
                let taken = ctx.lsu.disciplines.iter().any(|o| {
                    o != d
                        && o.attribute("code").map(xs_trim) == Some(code)
                        && o.attribute("modalite-election").map(xs_trim) == Some(v.as_str())
                        && o.attribute("id-lv").map(xs_trim).unwrap_or("") == lv
                });
                if let (false, Some((s, e))) =
                    (taken, model::attr_value_range(*d, "modalite-election"))
                {
                    diag = diag.with_fix(Fix::unsafe_(
                        format!("Remplacer la modalité {modalite} par {v} (Siècle)"),
                        vec![Edit::replace(s, e, v.clone())],
                    ));
                }
            }
        }
        out.push(diag);
    }
}
