//! I006 eleve-name-mismatch: the pupil's `nom` / `prenom` in the file against the record the
//! identifier designates — 2D: Siècle by `id-be`; 1D: ONDE by INE. LSU does not read the names,
//! but a different person behind the identifier means swapped or stale ids. The comparison
//! ignores case, accents, spaces, hyphens and apostrophes; the family or the usage name may
//! match, and any of the first names. One warning per pupil (no bilan is rejected for it).
//! Suggest only: never rewrite an identifier from a name.

use super::common::{same_name, same_prenom};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::I006,
    degree: None,
    check,
};

/// The variants of I006 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "eleve-name-mismatch",
    title: "nom de l'élève différent de celui que donne son identifiant",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de vie scolaire, vérifier que l'identifiant Siècle (ou l'INE) de l'élève est bien le sien et le corriger si deux élèves ont été intervertis, puis exporter à nouveau.",
}];

/// What differs, with both spellings, or None.
fn differences(
    nom: Option<&str>,
    prenom: Option<&str>,
    ref_noms: &[Option<&str>],
    ref_prenoms: &[Option<&str>],
) -> Option<String> {
    let mut v = Vec::new();
    let shown = |x: &[Option<&str>]| {
        x.iter()
            .flatten()
            .map(|s| format!("« {s} »"))
            .collect::<Vec<_>>()
            .join(" / ")
    };
    if let Some(n) = nom.filter(|n| !n.trim().is_empty()) {
        if ref_noms.iter().any(Option::is_some) && !same_name(n, ref_noms) {
            v.push(format!("nom « {n} » (référence : {})", shown(ref_noms)));
        }
    }
    if let Some(p) = prenom.filter(|p| !p.trim().is_empty()) {
        if ref_prenoms.iter().any(Option::is_some) && !same_prenom(p, ref_prenoms) {
            v.push(format!(
                "prénom « {p} » (référence : {})",
                shown(ref_prenoms)
            ));
        }
    }
    (!v.is_empty()).then(|| v.join(", "))
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let degree = ctx.version.degree;
    for &eleve in &ctx.lsu.eleves {
        let (nom, prenom) = (eleve.attribute("nom"), eleve.attribute("prenom"));
        let id = eleve.attribute("id").unwrap_or("?");
        let found = match degree {
            Some(Degree::D2) => {
                let (Some(s), Some(id_be)) = (&ctx.refdata.siecle, eleve.attribute("id-be")) else {
                    continue;
                };
                // An unknown id-be is I002's.
                let Some(r) = s.eleve(id_be) else { continue };
                differences(
                    nom,
                    prenom,
                    &[r.nom_de_famille.as_deref(), r.nom_usage.as_deref()],
                    &[
                        r.prenom.as_deref(),
                        r.prenom2.as_deref(),
                        r.prenom3.as_deref(),
                    ],
                )
                .map(|d| {
                    (
                        d,
                        format!(
                            "l'id-be {id_be} dans Siècle ElevesSansAdresses ({})",
                            s.path
                        ),
                    )
                })
            }
            Some(Degree::D1) => {
                let (Some(o), Some(ine)) = (&ctx.refdata.onde, eleve.attribute("ine")) else {
                    continue;
                };
                // An unknown INE is I005's.
                let Some(r) = o.eleve_by_ine(ine) else {
                    continue;
                };
                differences(
                    nom,
                    prenom,
                    &[r.nom.as_deref(), r.nom_usage.as_deref()],
                    &[r.prenom.as_deref()],
                )
                .map(|d| {
                    (
                        d,
                        format!("l'INE {ine} dans l'extraction ONDE ({})", o.path),
                    )
                })
            }
            None => None,
        };
        let Some((what, source)) = found else {
            continue;
        };
        let attr = if what.starts_with("nom") {
            "nom"
        } else {
            "prenom"
        };
        out.push(ctx.at_attr(
            eleve,
            attr,
            Code::I006,
            format!(
                "élève {id} : {what} pour {source} : l'identifiant désigne peut-être un autre élève (identifiants échangés ou périmés) ; vérifier l'élève dans le logiciel d'origine"
            ),
        ));
    }
}

#[cfg(test)]
mod tests;
