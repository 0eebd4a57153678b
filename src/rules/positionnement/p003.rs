//! P003 malformed-average: `moyenne-eleve` / `moyenne-structure` of a 2D acquis.
//! 10.0: a decimal 0–20 with at most 2 decimals and a dot (`14,5`, `14/20`, `20.5`, `14.125`
//! are refused with the whole file); safe fix when the value keeps its meaning: comma → dot,
//! `/20` dropped, rounding to 2 decimals. Up to 7.0 averages are free strings of 1–8
//! characters: only what LSU cannot read as a mark out of 20 is flagged (text, percentages,
//! other denominators, negative or above 20); `14,5` and `14.5/20` are what exporters wrote.

use super::{xs_trim, Average};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::P003,
    degree: Some(Degree::D2),
    check,
};

/// The variants of P003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "ecriture",
        title: "moyenne mal écrite (virgule, « /20 », trop de décimales)",
        agir: Agir::Fichier,
        action: "Faire réécrire les moyennes par lsu-lint fix (point décimal, nombre seul, deux décimales au plus) ; la note ne change pas.",
    },
    KindMeta {
        slug: "valeur",
        title: "moyenne illisible ou hors de 0 à 20",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, corriger la note (sur 20, entre 0 et 20) ou indiquer l'élève comme non noté, puis exporter à nouveau.",
    },
];

const ATTRS: [&str; 2] = ["moyenne-eleve", "moyenne-structure"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let decimal = ctx.version.decimal_averages();
    for bilan in &ctx.lsu.bilans_periodiques {
        for acquis in model::items(Some(*bilan), "liste-acquis", "acquis") {
            for attr in ATTRS {
                let Some(raw) = acquis.attribute(attr) else {
                    continue;
                };
                let found = if decimal {
                    check_decimal(raw)
                } else {
                    check_string(raw)
                };
                let Some((why, fixed)) = found else {
                    continue;
                };
                // Only a rewriting lsu-lint can do is the file's; the rest is the note itself.
                let kind = if fixed.is_some() {
                    "ecriture"
                } else {
                    "valeur"
                };
                let mut d = ctx
                    .at_attr(
                        acquis,
                        attr,
                        Code::P003,
                        format!("{attr}=\"{raw}\" : {why}"),
                    )
                    .with_kind(kind);
                if let (Some(fixed), Some((s, e))) = (fixed, model::attr_value_range(acquis, attr))
                {
                    d = d.with_fix(Fix::safe(
                        format!("Remplacer {raw} par {fixed}"),
                        vec![Edit::replace(s, e, fixed)],
                    ));
                }
                out.push(d);
            }
        }
    }
}

fn unreadable(raw: &str, statut_hint: &str) -> String {
    let t = xs_trim(raw);
    if t.is_empty() {
        return format!("moyenne vide ; sans note, ne pas écrire l'attribut et {statut_hint}");
    }
    if t.ends_with('%') {
        return "pourcentage : LSU attend une note sur 20 (la conversion d'un pourcentage n'est pas automatique)".into();
    }
    if t.contains('/') {
        return "note sur un autre total que 20 : LSU attend une note sur 20 (convertir la note dans le logiciel)".into();
    }
    format!("« {t} » n'est pas une note lisible par LSU ; pour un élève non noté, {statut_hint}")
}

/// 10.0 `MoyenneNumerique`. Returns the problem and, when safe, the corrected value.
pub fn check_decimal(raw: &str) -> Option<(String, Option<String>)> {
    let hint = "utiliser statut-evaluation-eleve (1 non noté, 2 en attente, 3 dispensé)";
    let Some(a) = Average::parse(raw) else {
        return Some((
            format!("{} ; en 10.0 une moyenne est un nombre décimal de 0 à 20 avec un point et au plus 2 décimales, LSU refusera le fichier", unreadable(raw, hint)),
            None,
        ));
    };
    if a.negative_value() {
        return Some((
            "moyenne négative ; une moyenne va de 0 à 20, LSU refusera le fichier".into(),
            None,
        ));
    }
    if a.above_20() {
        return Some((
            "moyenne supérieure à 20 ; une moyenne va de 0 à 20 (valeur à corriger dans le logiciel), LSU refusera le fichier".into(),
            None,
        ));
    }
    let mut why = Vec::new();
    if a.comma {
        why.push("virgule décimale (LSU attend un point)");
    }
    if a.per20 {
        why.push("« /20 » n'est plus admis depuis la version 10.0 (nombre seul)");
    }
    if a.fraction_digits() > 2 {
        why.push("plus de 2 décimales");
    }
    if why.is_empty() {
        return None;
    }
    let fixed = a.normalized();
    Some((
        format!(
            "{} ; en 10.0 une moyenne est un nombre décimal de 0 à 20 avec au plus 2 décimales{}, LSU refusera le fichier",
            why.join(", "),
            fixed
                .as_ref()
                .map(|f| format!(" (écrire {f})"))
                .unwrap_or_default()
        ),
        fixed,
    ))
}

/// Up to 7.0: a free string of 1–8 characters; flag only what is not a mark out of 20.
pub fn check_string(raw: &str) -> Option<(String, Option<String>)> {
    let hint = "ne pas écrire de moyenne et mettre eleve-non-note=\"true\" (structure-non-notee pour la classe)";
    let Some(a) = Average::parse(raw) else {
        return Some((unreadable(raw, hint), None));
    };
    if a.negative_value() {
        return Some(("moyenne négative ; une note va de 0 à 20".into(), None));
    }
    if a.above_20() {
        return Some(("moyenne supérieure à 20 ; LSU attend une note sur 20 (valeur à corriger dans le logiciel)".into(), None));
    }
    None
}

/// Words a schema error routed to P003 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::classify::shown;
    use crate::schema::Violation as V;
    let here = e.here();
    let msg = match &e.what {
        V::MaxLength { actual, limit } => format!(
            "{here} a {actual} caractères, au-delà de la limite de {limit} caractères pour une moyenne"
        ),
        V::MinLength { limit, .. } => {
            format!("{here} est vide : une moyenne doit avoir au moins {limit} caractère")
        }
        V::Pattern { value, pattern } => format!(
            "{here} vaut « {} » : valeur attendue {}",
            shown(&e.value_or(value)),
            crate::schema::classify::pattern_range(pattern)
        ),
        V::Atomic { value, ty } => {
            let v = e.value_or(value);
            if *ty == "MoyenneNumerique" {
                let hint = if v.contains(',') {
                    format!(" : le séparateur décimal est le point (« {} »)", v.replace(',', "."))
                } else {
                    String::new()
                };
                format!("{here} vaut « {} », qui n'est pas une moyenne valide (nombre de 0 à 20, au plus 2 décimales){hint}", shown(&v))
            } else {
                format!("{here} vaut « {} », qui n'est pas un entier attendu", shown(&v))
            }
        }
        V::Range { value, limit, max } => format!(
            "{here} vaut « {value} », valeur {} autorisé ({limit}) : une moyenne va de 0 à 20",
            crate::rules::schema::s005::beyond(*max)
        ),
        V::Digits { .. } => crate::rules::schema::s005::digits_message(e)?,
        _ => return None,
    };
    Some(e.finding(crate::catalogue::Code::P003, msg))
}

#[cfg(test)]
mod tests;
