//! C006 langue-regionale-invalid (2D): `langue-culture-regionale` of a bilan-cycle: a code of
//! the 14 regional languages (or AUC), a positionnement 1 (A2 non atteint) or 2 (A2 atteint),
//! none with AUC, and only at the end of cycle 4.

use super::{digit_in, is_2d, xs_trim};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::children;
use crate::rules::{Ctx, Rule};
use crate::util::did_you_mean;

pub static RULE: Rule = Rule {
    code: Code::C006,
    degree: None,
    check,
};

/// The variants of C006 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "langue-regionale-invalid",
        title: "langue et culture régionale invalide",
        agir: Agir::Logiciel,
        action: "Corriger la langue et culture régionale de l'élève dans le logiciel de vie scolaire (code de la liste, positionnement 1 ou 2, en fin de cycle 4 seulement), puis exporter à nouveau.",
    },
];

/// `CodeLangueCultureRegionale`: the same 14 codes (AUC = none) in the 3.0 (2019-2020), 7.0
/// and 10.0 schemas.
const CODES: [&str; 14] = [
    "AUC", "BAQ", "BRE", "CAT", "COS", "CPF", "FUD", "GAL", "GSW", "MEL", "MOL", "OCI", "TAH",
    "WLS",
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !is_2d(ctx) {
        return;
    }
    for bilan in &ctx.lsu.bilans_cycle {
        let cycle = bilan.attribute("cycle").map(xs_trim).unwrap_or("");
        for (n, lcr) in children(*bilan, "langue-culture-regionale").enumerate() {
            if n > 0 {
                out.push(ctx.at_node(
                    lcr,
                    Code::C006,
                    "une seule langue et culture régionale est admise par bilan de fin de cycle",
                ));
                continue;
            }
            let Some(raw) = lcr.attribute("code") else {
                continue; // S003
            };
            let code = xs_trim(raw);
            let codes = super::codes_in_use(ctx, "langue-culture-regionale", &CODES);
            if !codes.contains(&code) {
                let hint = did_you_mean(code, &codes)
                    .map(|c| format!(" (vouliez-vous dire « {c} » ?)"))
                    .unwrap_or_default();
                out.push(ctx.at_attr(
                    lcr,
                    "code",
                    Code::C006,
                    format!(
                        "code de langue et culture régionale « {raw} » inconnu{hint} : codes admis {}",
                        codes.join(", ")
                    ),
                ));
                continue;
            }
            if let Some(p) = lcr.attribute("positionnement") {
                if code == "AUC" {
                    out.push(ctx.at_attr(
                        lcr,
                        "positionnement",
                        Code::C006,
                        format!(
                            "langue et culture régionale « AUC » (aucune) avec positionnement=\"{p}\" : AUC ne se positionne pas"
                        ),
                    ));
                } else if digit_in(p, 1, 2).is_none() {
                    out.push(ctx.at_attr(
                        lcr,
                        "positionnement",
                        Code::C006,
                        format!(
                            "positionnement « {p} » de la langue et culture régionale « {code} » : valeurs admises 1 (niveau A2 non atteint) ou 2 (niveau A2 atteint)"
                        ),
                    ));
                }
            }
            if cycle == "3" && code != "AUC" {
                out.push(ctx.at_node(
                    lcr,
                    Code::C006,
                    format!(
                        "langue et culture régionale « {code} » dans un bilan de fin de cycle 3 : le niveau A2 en langue régionale se positionne en fin de cycle 4 (3e)"
                    ),
                ));
            }
        }
    }
}
