//! B004 several-periods-1d: a 1D file whose bilans belong to several periods. 1D periods carry
//! dates and LSU matches them against the class's periodicity: multi-period files are a known
//! source of invalid imports (colliding period ids/dates). One finding per file, on
//! `bilans-periodiques`; the remedy is `lsu-lint split --by periode` (never `fix`).

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::model::{child, Degree};
use crate::rules::dates::common::periode_of;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::B004,
    degree: Some(Degree::D1),
    check,
};

/// The variants of B004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "several-periods-1d",
        title: "bilans de plusieurs périodes dans un fichier du 1er degré",
        agir: Agir::Logiciel,
        action: "Exporter depuis le logiciel une seule période par fichier (ou découper le fichier par période avec lsu-lint), puis importer les fichiers un par un.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // Period (by position) → (label, number of bilans), in order of first use.
    let mut order: Vec<usize> = Vec::new();
    let mut per: HashMap<usize, (String, usize)> = HashMap::new();
    for &bilan in &ctx.lsu.bilans_periodiques {
        let Some(p) = periode_of(ctx.lsu, bilan) else {
            continue;
        };
        let key = p.range().start;
        let entry = per.entry(key).or_insert_with(|| {
            order.push(key);
            let a = |n| p.attribute(n).unwrap_or("?");
            (
                format!(
                    "{} ({} {}/{}, du {} au {})",
                    a("id"),
                    a("millesime"),
                    a("indice"),
                    a("nb-periodes"),
                    a("date-debut"),
                    a("date-fin")
                ),
                0,
            )
        });
        entry.1 += 1;
    }
    if order.len() < 2 {
        return;
    }
    let list: Vec<String> = order
        .iter()
        .filter_map(|k| per.get(k))
        .map(|(label, n)| format!("{label} : {n} bilan{}", if *n > 1 { "s" } else { "" }))
        .collect();
    let at = ctx
        .lsu
        .donnees
        .and_then(|d| child(d, "bilans-periodiques"))
        .unwrap_or(ctx.lsu.root);
    out.push(ctx.at_node(
        at,
        Code::B004,
        format!(
            "le fichier contient des bilans de {} périodes ({}) : en 1er degré, LSU rapproche les dates de chaque période du paramétrage de la classe et les fichiers multi-périodes provoquent des rejets ; découper avec `lsu-lint split --by periode` et importer une période à la fois",
            order.len(),
            list.join(" ; ")
        ),
    ));
}
