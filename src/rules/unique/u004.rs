//! U004 duplicate-id: two elements carry the same `id` (all `xs:ID` share one space across the
//! document): the file is invalid and LSU rejects it.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::rules::helpers::Lines;
use crate::rules::unique::duplicate_finding;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::U004,
    degree: None,
    check,
};

/// The variants of U004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "doublon-different",
        title: "même identifiant porté par deux objets différents",
        agir: Agir::Logiciel,
        action: "Signaler à l'éditeur du logiciel de vie scolaire que son export attribue le même identifiant à deux objets, puis exporter à nouveau une fois le logiciel corrigé.",
    },
    KindMeta {
        slug: "doublon-identique",
        title: "objet déclaré deux fois à l'identique",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui supprime la seconde déclaration identique.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.lsu.duplicate_ids.is_empty() {
        return;
    }
    let lines = Lines::new(ctx.text);
    for later in &ctx.lsu.duplicate_ids {
        let Some(id) = later.attribute("id") else {
            continue;
        };
        let Some(first) = ctx.lsu.target(id) else {
            continue;
        };
        let (k1, k2) = (first.tag_name().name(), later.tag_name().name());
        let kinds = if k1 == k2 {
            format!("deux éléments « {k1} »")
        } else {
            format!("un élément « {k2} » et un élément « {k1} »")
        };
        let what = format!(
            "identifiant « {id} » porté par {kinds} : un identifiant (xs:ID) doit être unique dans tout le fichier, quel que soit le type d'objet"
        );
        out.push(duplicate_finding(
            ctx,
            &lines,
            Code::U004,
            (first, *later),
            Some("id"),
            what,
            true,
        ));
    }
}

/// Words a schema error routed to U004 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::Atomic { value, .. } = &e.what else {
        return None;
    };
    Some(e.finding(
        Code::U004,
        format!(
            "{} vaut « {} », identifiant déjà utilisé par un autre élément : chaque id doit être unique dans tout le fichier",
            e.here(),
            e.value_or(value)
        ),
    ))
}
