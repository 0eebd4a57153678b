//! S004 code-not-in-enumeration: a code outside its list. Reported from the schema
//! validator's errors (`crate::schema`), not by a registry rule: this module words them, with
//! the safe fix for case or spaces, and declares the code's kinds.

use crate::catalogue::{Agir, Code, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model;
use crate::rules::Ctx;
use crate::schema::classify::shown;
use crate::schema::{SchemaError, Violation};
use crate::util::did_you_mean;

/// The variants of S004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "code-inconnu",
        title: "code hors de la liste autorisée par le format LSU",
        agir: Agir::Logiciel,
        action: "Corriger le code dans le logiciel de vie scolaire (ou dans sa table de correspondance) en choisissant une valeur de la liste autorisée, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "casse-ou-espaces",
        title: "code autorisé mal écrit (majuscules ou espaces)",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui réécrit le code exactement comme la liste autorisée l'attend.",
    },
];

/// Words an enumeration violated, with the list and a suggestion; safe fix only for case or
/// surrounding spaces.
pub fn from_schema(e: &SchemaError, _ctx: &Ctx) -> Option<Diagnostic> {
    let Violation::Enumeration { value, set } = &e.what else {
        return None;
    };
    let here = e.here();
    let allowed = set.join(", ");
    // On one- or two-letter codes an edit distance means nothing, except for case.
    let hint = did_you_mean(value, set)
        .filter(|s| value.trim().chars().count() >= 3 || s.eq_ignore_ascii_case(value.trim()))
        .map(|s| format!(" ; vouliez-vous dire « {s} » ?"))
        .unwrap_or_default();
    let d = e
        .finding(
            Code::S004,
            format!(
                "{here} vaut « {} », qui n'est pas un code autorisé (valeurs admises : {allowed}){hint}",
                shown(value)
            ),
        )
        .with_group(format!("code hors de la liste autorisée pour {here}"));
    let fix = match (e.node, e.attr) {
        (Some(n), Some(a)) => set
            .iter()
            .find(|s| value.trim().eq_ignore_ascii_case(s) && **s != *value)
            .and_then(|target| {
                let (vs, ve) = model::attr_value_range(n, a)?;
                Some(Fix::safe(
                    format!("Remplacer « {} » par « {target} »", shown(value)),
                    vec![Edit::replace(vs, ve, *target)],
                ))
            }),
        _ => None,
    };
    Some(match fix {
        Some(fix) => Diagnostic {
            // The generic title (« code autorisé mal écrit ») says it better than the list's.
            group: None,
            ..d.with_fix(fix).with_kind("casse-ou-espaces")
        },
        None => d,
    })
}
