//! S005 malformed-value: a value not of its type (date, integer, identifier, length, range).
//! Reported from the schema validator's errors (`crate::schema`), not by a registry rule: this
//! module words them, with the safe fix for unambiguous dates, and declares the code's kinds.

use crate::catalogue::{Agir, Code, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model;
use crate::rules::Ctx;
use crate::schema::classify::{pattern_range, shown};
use crate::schema::{SchemaError, Violation};

/// The variants of S005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "valeur-mal-formee",
        title: "valeur mal formée (date, nombre, identifiant…)",
        agir: Agir::Logiciel,
        action: "Corriger la valeur dans le logiciel de vie scolaire, ou signaler le défaut d'export à l'éditeur, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "date-a-reformater",
        title: "date écrite dans un autre format que AAAA-MM-JJ",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui réécrit les dates au format AAAA-MM-JJ.",
    },
];

/// Words a schema error routed to S005.
pub fn from_schema(e: &SchemaError, _ctx: &Ctx) -> Option<Diagnostic> {
    let here = e.here();
    let msg = match &e.what {
        Violation::Length { actual, limit } => {
            let v = e.value.clone().unwrap_or_default();
            if e.attr == Some("millesime") {
                format!("{here} vaut « {} » ({actual} caractères) : le millésime s'écrit avec {limit} caractères, l'année de la rentrée (par exemple 2025 pour 2025-2026)", shown(&v))
            } else {
                format!("{here} vaut « {} » ({actual} caractères) : la longueur exigée est de {limit} caractères", shown(&v))
            }
        }
        Violation::MinLength { limit, .. } => {
            format!("{here} est vide alors qu'une valeur d'au moins {limit} caractère est exigée")
        }
        Violation::Pattern { value, pattern } => {
            let v = e.value_or(value);
            if e.attr == Some("date-verrou") {
                let hint = iso_date(&v)
                    .map(|d| format!(" (par exemple « {d} »)"))
                    .unwrap_or_default();
                format!("{here} vaut « {} » : format attendu AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ss, sans fuseau ni fraction de seconde{hint}", shown(&v))
            } else {
                format!(
                    "{here} vaut « {} » : valeur attendue {}",
                    shown(&v),
                    pattern_range(pattern)
                )
            }
        }
        Violation::Atomic { value, ty } => return Some(malformed(e, &e.value_or(value), ty)),
        Violation::Range { value, limit, max } => {
            format!(
                "{here} vaut « {value} », valeur {} autorisé ({limit})",
                beyond(*max)
            )
        }
        Violation::Digits { .. } => digits_message(e)?,
        _ => return None,
    };
    Some(e.finding(Code::S005, msg))
}

/// « supérieure au maximum » or « inférieure au minimum ».
pub fn beyond(max: bool) -> &'static str {
    if max {
        "supérieure au maximum"
    } else {
        "inférieure au minimum"
    }
}

/// Too many digits or decimals (the only decimals of the format are averages: P003 shares it).
pub fn digits_message(e: &SchemaError) -> Option<String> {
    let Violation::Digits {
        value,
        limit,
        fraction,
    } = &e.what
    else {
        return None;
    };
    let what = if *fraction {
        format!("au plus {limit} décimales")
    } else {
        format!("au plus {limit} chiffres")
    };
    Some(format!(
        "{} vaut « {value} » : {what} sont admis (moyenne sur 20, point décimal, par exemple 14.25)",
        e.here()
    ))
}

/// A value not of its built-in type; an unambiguous date gets its safe fix.
fn malformed(e: &SchemaError, v: &str, ty: &str) -> Diagnostic {
    let here = e.here();
    let mk = |msg: String| e.finding(Code::S005, msg);
    match ty {
        "xs:ID" => mk(format!("{here} vaut « {} », qui n'est pas un identifiant XML valide : il doit commencer par une lettre ou « _ », sans espace ni deux-points (par exemple « ID_{} »)", shown(v), v.trim().replace([' ', ':'], "_"))),
        "xs:IDREF" | "xs:IDREFS" => mk(format!("{here} vaut « {} », qui n'est pas une référence valide (identifiant(s) commençant par une lettre ou « _ », séparés par des espaces)", shown(v))),
        "xs:date" => {
            let fixed = iso_date(v);
            let mut d = mk(match &fixed {
                Some(f) => format!("{here} vaut « {} », qui n'est pas une date au format AAAA-MM-JJ : écrire « {f} »", shown(v)),
                None => format!("{here} vaut « {} », qui n'est pas une date valide au format AAAA-MM-JJ", shown(v)),
            });
            if let (Some(f), Some(n), Some(a)) = (fixed, e.node, e.attr) {
                if let Some((vs, ve)) = model::attr_value_range(n, a) {
                    d = d
                        .with_fix(Fix::safe(format!("Remplacer « {v} » par « {f} »"), vec![Edit::replace(vs, ve, f)]))
                        .with_kind("date-a-reformater");
                }
            }
            d
        }
        "xs:dateTime" => {
            let hint = iso_date(v).map(|d| format!(" (par exemple « {d}T00:00:00 »)")).unwrap_or_default();
            mk(format!("{here} vaut « {} », qui n'est pas une date-heure au format AAAA-MM-JJThh:mm:ss{hint}", shown(v)))
        }
        "xs:boolean" => mk(format!("{here} vaut « {} » : valeurs admises true, false, 1, 0", shown(v))),
        "xs:positiveInteger" => mk(format!("{here} vaut « {} » : un entier strictement positif est attendu", shown(v))),
        "xs:nonNegativeInteger" | "xs:int" | "xs:integer" => {
            mk(format!("{here} vaut « {} » : un nombre entier est attendu", shown(v)))
        }
        _ => mk(format!("{here} vaut « {} », valeur mal formée (type {ty})", shown(v))),
    }
}

/// An unambiguous correction of a date written in another format, as AAAA-MM-JJ.
pub fn iso_date(v: &str) -> Option<String> {
    let v = v.trim();
    let ok = |y: i32, m: u32, d: u32| {
        chrono::NaiveDate::from_ymd_opt(y, m, d).map(|d| d.format("%Y-%m-%d").to_string())
    };
    let parts: Vec<&str> = v.split(['/', '-', '.']).collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let n: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        if n.len() != 3 {
            return None;
        }
        if parts[0].len() == 4 {
            return ok(i32::try_from(n[0]).ok()?, n[1], n[2]);
        }
        if parts[2].len() == 4 {
            // French order: jour/mois/année.
            return ok(i32::try_from(n[2]).ok()?, n[1], n[0]);
        }
        return None;
    }
    // A date with a time where a bare date is expected.
    if let Some((d, _)) = v.split_once('T') {
        if d.len() == 10 {
            return iso_date(d).filter(|x| x == d);
        }
    }
    if v.len() == 8 && v.chars().all(|c| c.is_ascii_digit()) {
        return ok(
            v[..4].parse().ok()?,
            v[4..6].parse().ok()?,
            v[6..].parse().ok()?,
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::iso_date;

    #[test]
    fn dates() {
        assert_eq!(iso_date("04/12/2025").as_deref(), Some("2025-12-04"));
        assert_eq!(iso_date("2025/12/04").as_deref(), Some("2025-12-04"));
        assert_eq!(iso_date("31/02/2025"), None);
        assert_eq!(
            iso_date("2025-12-04T10:00:00").as_deref(),
            Some("2025-12-04")
        );
        assert_eq!(iso_date("hier"), None);
    }
}
