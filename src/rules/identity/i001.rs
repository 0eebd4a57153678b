//! I001 uai-mismatch: `entete/etablissement` must be a UAI of 8 characters, 7 digits then a
//! letter (the check letter itself is not verified: its algorithm is not confirmed), and the UAI
//! of the loaded reference files (Siècle, Nomenclature, STS-Web, Communs; ONDE carries none).
//!
//! One finding per reference file whose UAI differs, unless another reference file agrees with
//! the LSU file: then that reference file is the odd one, and I007 reports it as foreign. A
//! readable file of another school is a finding, never a run error. Suggest only.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::child;
use crate::refdata::Kind;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::I001,
    degree: None,
    check,
};

/// The variants of I001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "uai-malforme",
        title: "UAI de l'établissement mal écrit",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, corriger l'UAI de l'établissement (7 chiffres suivis d'une lettre majuscule), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "autre-etablissement",
        title: "UAI différent de celui des fichiers de référence",
        agir: Agir::Logiciel,
        action: "Vérifier que le fichier a été exporté pour le bon établissement : corriger l'UAI dans le logiciel de vie scolaire et exporter à nouveau, ou fournir les fichiers de référence de cet établissement.",
    },
];

/// Why a UAI is not shaped like one, or None.
pub fn uai_shape_problem(uai: &str) -> Option<String> {
    let n = uai.chars().count();
    if uai.trim() != uai {
        return Some("espaces avant ou après le code".into());
    }
    if n != 8 {
        return Some(format!("{n} caractères au lieu de 8"));
    }
    let digits = uai.chars().take(7).all(|c| c.is_ascii_digit());
    let last = uai.chars().nth(7).unwrap_or(' ');
    if !digits {
        return Some("les 7 premiers caractères doivent être des chiffres".into());
    }
    if last.is_ascii_lowercase() {
        return Some("la lettre finale doit être en majuscule".into());
    }
    if !last.is_ascii_uppercase() {
        return Some("le 8e caractère doit être une lettre".into());
    }
    None
}

/// A reference file whose UAI differs from the LSU file's.
pub struct UaiDisagreement<'r> {
    pub kind: Kind,
    pub path: &'r str,
    pub uai: &'r str,
    /// Another reference file carries the LSU file's UAI: this one is the odd one (I007).
    pub odd_one: bool,
}

fn same_uai(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// The reference files whose UAI differs from `uai` (the LSU file's).
pub fn uai_disagreements<'r>(ctx: &Ctx<'r, '_>, uai: &str) -> Vec<UaiDisagreement<'r>> {
    let ids = ctx.refdata.identities();
    let someone_agrees = ids
        .iter()
        .any(|(_, _, u, _)| u.is_some_and(|u| same_uai(u, uai)));
    ids.into_iter()
        .filter_map(|(kind, path, u, _)| {
            let u = u?;
            (!same_uai(u, uai)).then_some(UaiDisagreement {
                kind,
                path,
                uai: u,
                odd_one: someone_agrees,
            })
        })
        .collect()
}

/// The UAI every reference file carrying one agrees on, if any.
fn reference_uai<'r>(ctx: &Ctx<'r, '_>) -> Option<&'r str> {
    let mut uais = ctx
        .refdata
        .identities()
        .into_iter()
        .filter_map(|(_, _, u, _)| u);
    let first = uais.next()?;
    uais.all(|u| same_uai(u, first)).then_some(first.trim())
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(etab) = ctx.lsu.entete.and_then(|e| child(e, "etablissement")) else {
        return;
    };
    // An empty element is S003/S005's (required content).
    let uai = etab.text().unwrap_or("");
    if uai.is_empty() {
        return;
    }
    if let Some(problem) = uai_shape_problem(uai) {
        // A malformed UAI is reported once; the reference files only suggest the right one.
        let hint = reference_uai(ctx)
            .map(|r| format!(" (les fichiers de référence donnent « {r} »)"))
            .unwrap_or_default();
        out.push(ctx.at_node(
            etab,
            Code::I001,
            format!(
                "UAI « {uai} » dans entete/etablissement : {problem} ; un UAI s'écrit avec 7 chiffres suivis d'une lettre majuscule (ex. 0751234A) ; LSU refusera le fichier : corriger l'UAI de l'établissement dans le logiciel d'origine{hint}"
            ),
        ));
        return;
    }
    let all_agree = reference_uai(ctx).is_some();
    for d in uai_disagreements(ctx, uai) {
        if d.odd_one {
            continue;
        }
        let advice = if all_agree {
            format!(
                "si les fichiers de référence sont les bons, corriger l'UAI dans le logiciel d'origine (« {} »)",
                d.uai.trim()
            )
        } else {
            "vérifier l'UAI dans le logiciel d'origine".to_string()
        };
        out.push(ctx.at_node(
            etab,
            Code::I001,
            format!(
                "UAI « {uai} » dans entete/etablissement, mais le fichier {} ({}) est celui de l'établissement « {} » : LSU refuse un fichier dont l'UAI n'est pas celui de l'établissement connecté ; {advice}, ou fournir les fichiers de référence de l'établissement {uai}",
                d.kind.label_fr(),
                d.path,
                d.uai.trim()
            ),
        )
            .with_kind("autre-etablissement")
            .with_group(format!(
                "UAI différent de celui des fichiers de référence ({})",
                d.uai.trim()
            )));
    }
}

/// Words a schema error routed to I001 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::classify::shown;
    use crate::schema::Violation as V;
    let V::Length { actual, limit } = &e.what else {
        return None;
    };
    let v = e.value.clone().unwrap_or_default();
    Some(e.finding(
        crate::catalogue::Code::I001,
        format!("le code UAI de l'établissement « {} » a {actual} caractères au lieu de {limit} (7 chiffres et une lettre)", shown(&v)),
    ))
}

#[cfg(test)]
mod tests;
