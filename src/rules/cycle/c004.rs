//! C004 enseignement-complement-invalid (2D): the enseignement de complément belongs to the
//! cycle 4 bilan only, at most once; `AUC` (none) carries no positionnement, every other code
//! needs 1 (objectif atteint) or 2 (dépassé). A code other than `AUC` in a cycle 3 bilan is a
//! finding; `AUC` there is not (every schema allows it, the ministry's sample writes it). Safe
//! fixes for the AUC cases: add `code="AUC"` to a cycle 4 bilan that has none (what SACoche
//! does), drop a positionnement given with AUC.

use super::{digit_in, is_2d, xs_trim};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, child, children};
use crate::rules::{Ctx, Rule};
use crate::util::did_you_mean;

pub static RULE: Rule = Rule {
    code: Code::C004,
    degree: None,
    check,
};

/// The variants of C004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "invalide",
        title: "enseignement de complément invalide",
        agir: Agir::Logiciel,
        action: "Corriger l'enseignement de complément de l'élève dans le logiciel de vie scolaire (un seul, en fin de cycle 4, positionné 1 ou 2), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "absent",
        title: "enseignement de complément absent d'un bilan de fin de cycle 4",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui indique « aucun enseignement de complément » ; si l'élève en a suivi un, le saisir plutôt dans le logiciel de vie scolaire.",
    },
    KindMeta {
        slug: "aucun-superflu",
        title: "mention « aucun enseignement de complément » mal placée",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui retire le positionnement donné à tort à la mention « aucun enseignement de complément » (AUC ne se positionne pas).",
    },
];

/// Codes of `CodeEnsCompl`, identical in the 3.0 (2019-2020), 7.0 and 10.0 schemas (LCE and CHK
/// arrived in 2018-19, before the oldest revision lsu-lint carries).
const CODES: [&str; 8] = ["AUC", "LCA", "LCE", "LCR", "CHK", "PRO", "LSF", "LVE"];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !is_2d(ctx) {
        return; // 1D bilans have no enseignement de complément (a schema error if present)
    }
    for bilan in &ctx.lsu.bilans_cycle {
        let cycle = bilan.attribute("cycle").map(xs_trim).unwrap_or("");
        let list: Vec<_> = children(*bilan, "enseignement-complement").collect();
        for extra in list.iter().skip(1) {
            out.push(ctx.at_node(
                *extra,
                Code::C004,
                "un seul enseignement de complément est admis par bilan de fin de cycle : garder celui de meilleur niveau et supprimer les autres",
            ));
        }
        match cycle {
            "3" => {
                for ec in &list {
                    let code = ec.attribute("code").map(xs_trim).unwrap_or("");
                    if code == "AUC" {
                        // « Aucun » is allowed in any bilan-cycle by every schema (the ministry's
                        // own 2019-2020 sample writes it in cycle 3): only its positionnement
                        // is checked.
                        check_one(ctx, *ec, out);
                        continue;
                    }
                    out.push(ctx.at_node(
                        *ec,
                        Code::C004,
                        format!(
                            "enseignement de complément « {code} » dans un bilan de fin de cycle 3 : il n'existe qu'en fin de cycle 4 (3e) ; en cycle 3, seul code=\"AUC\" (aucun) est admis"
                        ),
                    ));
                }
            }
            "4" => match list.first() {
                None => out.push(missing(ctx, *bilan)),
                Some(ec) => check_one(ctx, *ec, out),
            },
            _ => {} // C003
        }
    }
}

fn missing(ctx: &Ctx, bilan: crate::xml::Node) -> Diagnostic {
    let d = ctx
        .at_node(
            bilan,
            Code::C004,
            "bilan de fin de cycle 4 sans enseignement-complement : LSU attend l'enseignement de complément de l'élève, ou code=\"AUC\" s'il n'en suit aucun",
        )
        .with_kind("absent");
    let Some(synthese) = child(bilan, "synthese") else {
        return d;
    };
    let b = ctx.text.as_bytes();
    let mut s = synthese.range().start;
    while s > 0 && matches!(b.get(s - 1), Some(b' ' | b'\t')) {
        s -= 1;
    }
    let indent = ctx.slice(s, synthese.range().start);
    let prefix = model::written_prefix(synthese, ctx.text);
    let at = synthese.range().end;
    d.with_fix(Fix::safe(
        "Ajouter <enseignement-complement code=\"AUC\"/> (aucun enseignement de complément)",
        vec![Edit::insert(
            at,
            format!("\n{indent}<{prefix}enseignement-complement code=\"AUC\"/>"),
        )],
    ))
}

fn check_one(ctx: &Ctx, ec: crate::xml::Node, out: &mut Vec<Diagnostic>) {
    let Some(raw) = ec.attribute("code") else {
        return; // S003
    };
    let code = xs_trim(raw);
    let codes = super::codes_in_use(ctx, "enseignement-complement", &CODES);
    if !codes.contains(&code) {
        let hint = did_you_mean(code, &codes)
            .map(|c| format!(" (vouliez-vous dire « {c} » ?)"))
            .unwrap_or_default();
        out.push(ctx.at_attr(
            ec,
            "code",
            Code::C004,
            format!(
                "code d'enseignement de complément « {raw} » inconnu{hint} : codes admis {}",
                codes.join(", ")
            ),
        ));
        return;
    }
    let pos = ec.attribute("positionnement");
    match (code, pos) {
        ("AUC", Some(p)) => {
            let mut d = ctx
                .at_attr(
                    ec,
                    "positionnement",
                    Code::C004,
                    format!(
                        "enseignement de complément « AUC » (aucun) avec positionnement=\"{p}\" : AUC ne se positionne pas"
                    ),
                )
                .with_kind("aucun-superflu");
            if let Some((s, e)) = crate::fix::edit::attr_removal(ctx.text, ec, "positionnement") {
                d = d.with_fix(Fix::safe(
                    "Supprimer le positionnement de l'enseignement de complément AUC",
                    vec![Edit::delete(s, e)],
                ));
            }
            out.push(d);
        }
        ("AUC", None) => {}
        (_, None) => out.push(ctx.at_node(
            ec,
            Code::C004,
            format!(
                "enseignement de complément « {code} » sans positionnement : indiquer 1 (objectif atteint) ou 2 (objectif dépassé), ou code=\"AUC\" si l'élève n'a pas suivi d'enseignement de complément"
            ),
        )),
        (_, Some(p)) => {
            if digit_in(p, 1, 2).is_none() {
                out.push(ctx.at_attr(
                    ec,
                    "positionnement",
                    Code::C004,
                    format!(
                        "positionnement « {p} » de l'enseignement de complément « {code} » : valeurs admises 1 (objectif atteint) ou 2 (objectif dépassé)"
                    ),
                ));
            }
        }
    }
}
