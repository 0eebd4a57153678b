//! C002 synthese-missing: a `bilan-cycle` without its required `synthese` element (a blank
//! synthesis is X002's).

use super::cycle_of;
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::child;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::C002,
    degree: None,
    check,
};

/// The variants of C002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "synthese-missing",
        title: "synthèse de fin de cycle absente",
        agir: Agir::Logiciel,
        action: "Saisir la synthèse des acquis de fin de cycle dans le logiciel de vie scolaire, puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for bilan in &ctx.lsu.bilans_cycle {
        if child(*bilan, "synthese").is_some() {
            continue;
        }
        let cycle = cycle_of(*bilan);
        out.push(ctx.at_node(*bilan, Code::C002, message(cycle)));
    }
}

/// The one wording of C002, for the rule and the schema error alike.
fn message(cycle: &str) -> String {
    format!(
        "bilan de fin de cycle {cycle} sans élément synthese : la synthèse des acquis (1 à 1500 caractères) est obligatoire et LSU refusera le fichier ; la saisir dans le logiciel et réexporter"
    )
}

/// Words a schema error routed to C002 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    // The bilan-cycle: the element that closes without it, or the parent of the element
    // found where it was expected.
    let bilan = match &e.what {
        V::MissingChild(_) => e.node,
        V::MissingBefore(_) => e.node.and_then(|n| n.parent_element()),
        _ => return None,
    };
    // The rule reports every bilan-cycle of the file without its synthèse.
    if bilan.is_some_and(|b| ctx.lsu.bilans_cycle.contains(&b)) {
        return None;
    }
    Some(e.finding(Code::C002, message(bilan.map(cycle_of).unwrap_or("?"))))
}
