//! I007 stale-reference-data: the reference files must be this school's and this school year's,
//! or every cross-check built on them is wrong. Compares each reference file's UAI and school
//! year with the LSU file's `etablissement` and `millesime`s, and flags an sts_emp produced by a
//! private timetable tool (`PARAMETRES/APPLICATION_SOURCE`) rather than by STS-Web.
//!
//! UAI: a reference file is reported here only when another reference file agrees with the LSU
//! file (it is the odd one); otherwise the LSU file's UAI is the suspect and I001 reports it.
//! ONDE carries neither UAI nor year. Suggest only: re-export the reference file.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::BTreeSet;

use crate::diagnostic::Diagnostic;
use crate::model::child;
use crate::rules::dates::common::{parse_millesime, school_year_label};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::I007,
    degree: None,
    check,
};

/// The variants of I007 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "autre-etablissement",
        title: "fichier de référence d'un autre établissement",
        agir: Agir::Siecle,
        action: "Exporter à nouveau depuis Siècle ou STS-Web le fichier de référence de cet établissement et relancer la vérification.",
    },
    KindMeta {
        slug: "autre-annee",
        title: "fichier de référence d'une autre année scolaire",
        agir: Agir::Siecle,
        action: "Exporter à nouveau depuis Siècle ou STS-Web le fichier de référence de l'année scolaire en cours et relancer la vérification.",
    },
    KindMeta {
        slug: "emploi-du-temps",
        title: "fichier STS-Web produit par un logiciel d'emploi du temps",
        agir: Agir::Sts,
        action: "Exporter le fichier sts_emp directement depuis STS-Web (et non depuis le logiciel d'emploi du temps) et relancer la vérification.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let etab = ctx.lsu.entete.and_then(|e| child(e, "etablissement"));
    let place = etab.or(ctx.lsu.entete).unwrap_or(ctx.lsu.root);
    if let Some(uai) = etab.and_then(|e| e.text()).filter(|u| !u.trim().is_empty()) {
        for d in super::i001::uai_disagreements(ctx, uai) {
            if !d.odd_one {
                continue;
            }
            out.push(ctx.at_node(
                place,
                Code::I007,
                format!(
                    "le fichier {} ({}) est celui de l'établissement « {} », alors que le fichier LSU et les autres fichiers de référence portent « {} » : les vérifications qui l'utilisent seraient fausses ; fournir l'export de l'établissement {}",
                    d.kind.label_fr(),
                    d.path,
                    d.uai.trim(),
                    uai.trim(),
                    uai.trim()
                ),
            ).with_kind("autre-etablissement"));
        }
    }

    // The school years of the file (normally one).
    let holders: Vec<_> = ctx
        .lsu
        .periodes
        .iter()
        .chain(ctx.lsu.bilans_cycle.iter())
        .filter(|n| n.attribute("millesime").and_then(parse_millesime).is_some())
        .copied()
        .collect();
    let millesimes: BTreeSet<i32> = holders
        .iter()
        .filter_map(|n| n.attribute("millesime").and_then(parse_millesime))
        .collect();
    if let Some(&first) = holders.first() {
        let years = millesimes
            .iter()
            .map(|m| format!("{m} ({})", school_year_label(*m)))
            .collect::<Vec<_>>()
            .join(", ");
        for (kind, path, _, annee) in ctx.refdata.identities() {
            let Some(annee) = annee else {
                continue;
            };
            if millesimes.contains(&annee) {
                continue;
            }
            out.push(ctx.at_attr(
                first,
                "millesime",
                Code::I007,
                format!(
                    "le fichier {} ({path}) est de l'année scolaire {}, alors que le fichier LSU porte le millésime {years} : ses élèves, divisions et dates ne sont pas ceux de l'année du fichier ; fournir l'export de l'année en cours",
                    kind.label_fr(),
                    school_year_label(annee)
                ),
            )
            .with_kind("autre-annee")
            .with_group(format!(
                "fichier de référence d'une autre année scolaire que le millésime {years}"
            )));
        }
    }

    if let Some(sts) = &ctx.refdata.sts {
        if let Some(app) = sts
            .application_source
            .as_deref()
            .filter(|_| sts.is_third_party())
        {
            out.push(ctx.at_node(
                place,
                Code::I007,
                format!(
                    "le fichier STS-Web sts_emp ({}) a été produit par « {app} » (PARAMETRES/APPLICATION_SOURCE) et non par STS-Web : un logiciel d'emploi du temps peut avoir ses propres divisions, services et identifiants ; exporter sts_emp depuis STS-Web",
                    sts.path
                ),
            )
            .with_kind("emploi-du-temps"));
        }
    }
}
