//! U002 bilan-duplicate: two periodic bilans for the same pupil and period, or two end-of-cycle
//! bilans for the same pupil and cycle. Never merged automatically (appreciations differ).

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::rules::helpers::Lines;
use crate::rules::unique::{duplicate_finding, find_duplicates};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::U002,
    degree: None,
    check,
};

/// The variants of U002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "bilan-duplicate",
        title: "deux bilans pour le même élève et la même période (ou le même cycle)",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, garder un seul bilan par élève et par période (ou par cycle) et ne pas exporter deux fois la même période, puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let lines = Lines::new(ctx.text);
    let periodic = find_duplicates(ctx.lsu.bilans_periodiques.iter().copied(), |b| {
        Some((b.attribute("eleve-ref")?, b.attribute("periode-ref")?))
    });
    for (first, later) in periodic {
        let what = format!(
            "deuxième bilan périodique pour l'élève « {} » et la période « {} » ; garder un seul des deux bilans",
            later.attribute("eleve-ref").unwrap_or(""),
            later.attribute("periode-ref").unwrap_or("")
        );
        out.push(
            duplicate_finding(ctx, &lines, Code::U002, (first, later), None, what, false)
                .with_group("deux bilans périodiques pour le même élève et la même période"),
        );
    }
    let cycle = find_duplicates(ctx.lsu.bilans_cycle.iter().copied(), |b| {
        Some((b.attribute("eleve-ref")?, b.attribute("cycle")?.trim()))
    });
    for (first, later) in cycle {
        let what = format!(
            "deuxième bilan de fin de cycle pour l'élève « {} » et le cycle {} ; garder un seul des deux bilans",
            later.attribute("eleve-ref").unwrap_or(""),
            later.attribute("cycle").unwrap_or("").trim()
        );
        out.push(
            duplicate_finding(ctx, &lines, Code::U002, (first, later), None, what, false)
                .with_group("deux bilans de fin de cycle pour le même élève et le même cycle"),
        );
    }
}

/// Words a schema error routed to U002 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::Duplicate { values, constraint } = &e.what else {
        return None;
    };
    let vals = values.replace('\'', "");
    Some(e.finding(
        Code::U002,
        if *constraint == "uniq-bilan-cycle" {
            format!("<bilan-cycle> en double pour le même élève et le même cycle ({vals})")
        } else {
            format!("<bilan-periodique> en double pour le même élève et la même période ({vals})")
        },
    ))
}
