//! T001 id-sts-malformed (2D): `enseignant/@id-sts` must be a positive integer (the STS-web
//! individual number). Safe fix: strip a single leading `P` (the STS NUMIND kept as is).

use super::{positive_integer, xs_trim};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::T001,
    degree: Some(Degree::D2),
    check,
};

/// The variants of T001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "prefixe-p",
        title: "identifiant STS-Web de l'enseignant recopié avec son « P »",
        agir: Agir::Fichier,
        action: "Faire retirer le « P » initial de l'identifiant STS-Web par lsu-lint fix (et, à la source, régler l'import STS du logiciel de vie scolaire).",
    },
    KindMeta {
        slug: "id-sts-invalide",
        title: "identifiant STS-Web de l'enseignant vide ou invalide",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, relier l'enseignant à sa fiche STS-Web (importer à nouveau STS-Web si besoin), puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for ens in &ctx.lsu.enseignants {
        let Some(raw) = ens.attribute("id-sts") else {
            continue; // a missing required attribute is S003's
        };
        if positive_integer(raw).is_some() {
            continue;
        }
        let id = ens.attribute("id").unwrap_or("?");
        let t = xs_trim(raw);
        let stripped = t
            .strip_prefix('P')
            .or_else(|| t.strip_prefix('p'))
            .filter(|rest| positive_integer(rest).is_some());
        let why = if t.is_empty() {
            "vide".to_string()
        } else if stripped.is_some() {
            "commence par « P » (numéro NUMIND de STS recopié tel quel)".to_string()
        } else if positive_integer(&format!("1{t}")).is_some() {
            "vaut zéro".to_string()
        } else {
            "n'est pas un nombre entier positif".to_string()
        };
        let kind = if stripped.is_some() {
            "prefixe-p"
        } else {
            "id-sts-invalide"
        };
        let mut d = ctx.at_attr(
            *ens,
            "id-sts",
            Code::T001,
            format!(
                "enseignant « {id} » : id-sts=\"{raw}\" {why} ; id-sts doit être l'identifiant STS-web de la personne, un entier positif, sinon LSU refuse le fichier"
            ),
        )
        .with_kind(kind);
        if let (Some(rest), Some((s, e))) = (stripped, model::attr_value_range(*ens, "id-sts")) {
            d = d.with_fix(Fix::safe(
                format!("Remplacer {raw} par {rest}"),
                vec![Edit::replace(s, e, rest)],
            ));
        }
        out.push(d);
    }
}

/// Words a schema error routed to T001 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::classify::shown;
    use crate::schema::Violation as V;
    let V::Atomic { value, .. } = &e.what else {
        return None;
    };
    Some(e.finding(
        Code::T001,
        format!(
            "{} vaut « {} » : l'identifiant STS est un entier positif (sans lettre ni préfixe)",
            e.here(),
            shown(&e.value_or(value))
        ),
    ))
}
