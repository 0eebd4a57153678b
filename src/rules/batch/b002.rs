//! B002 ★ oversized-batch: more pupils than `batch.max-eleves` (default 250) or more divisions
//! than `batch.max-divisions` (default 8), both exceeded strictly. Big files end in mass
//! rejections (« élèves non scolarisés ») or time-outs. One finding per file, on `eleves`.
//! The remedy is `lsu-lint split --by division` (never `fix`): no edit here.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashSet;

use crate::diagnostic::Diagnostic;
use crate::model::{child, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::B002,
    degree: None,
    check,
};

/// The variants of B002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "oversized-batch",
        title: "lot trop volumineux pour un seul import",
        agir: Agir::Logiciel,
        action: "Exporter depuis le logiciel une division (ou quelques divisions) à la fois, ou découper le fichier par division avec lsu-lint, puis importer les fichiers un par un.",
    },
];

/// Pupils and distinct divisions (2D `code-division`, 1D class of the pupil) of the file.
pub fn counts(ctx: &Ctx) -> (usize, usize) {
    // 1D: a pupil whose classe-ref does not resolve still counts in that (unknown) class.
    let divisions: HashSet<&str> = ctx
        .lsu
        .eleves
        .iter()
        .filter_map(|e| {
            ctx.lsu
                .division_of_eleve(*e)
                .or_else(|| e.attribute("classe-ref"))
        })
        .collect();
    let n_div = divisions.len();
    (ctx.lsu.eleves.len(), n_div)
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let (eleves, divisions) = counts(ctx);
    let (max_e, max_d) = (ctx.config.max_eleves, ctx.config.max_divisions);
    let over_e = eleves > max_e;
    let over_d = divisions > max_d;
    if !over_e && !over_d {
        return;
    }
    let d1 = ctx.version.degree == Some(Degree::D1);
    let unit = match (d1, divisions > 1) {
        (true, true) => "classes",
        (true, false) => "classe",
        (false, true) => "divisions",
        (false, false) => "division",
    };
    let mut what = Vec::new();
    what.push(format!(
        "{eleves} élève{} (seuil {max_e}{})",
        if eleves > 1 { "s" } else { "" },
        if over_e { ", dépassé" } else { "" }
    ));
    what.push(format!(
        "{divisions} {unit} (seuil {max_d}{})",
        if over_d { ", dépassé" } else { "" }
    ));
    let msg = format!(
        "lot trop volumineux : {} ; les gros fichiers risquent de provoquer des rejets en masse (« élèves non scolarisés ») ou des abandons d'import dans LSU : découper le fichier avec `lsu-lint split --by division` (un fichier par {}) et importer les fichiers un par un",
        what.join(" et "),
        if d1 { "classe" } else { "division" }
    );
    let at = ctx
        .lsu
        .donnees
        .and_then(|d| child(d, "eleves"))
        .unwrap_or(ctx.lsu.root);
    out.push(ctx.at_node(at, Code::B002, msg));
}
