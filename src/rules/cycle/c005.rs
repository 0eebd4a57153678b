//! C005 periodic-socle-invalid: the optional `socle` of a `bilan-periodique`. 1D and 2D 3.0:
//! exactly the 8 components, each once (positionnement optional, 0–4 when given); 2D 7.0 and
//! 10.0: 1 to 8 components, each once, positionnement required. Safe fix (old schemas only):
//! drop the incomplete optional block, which LSU would otherwise refuse with the whole file.

use super::SocleCheck;
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::child;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::C005,
    degree: None,
    check,
};

/// The variants of C005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "composante-invalide",
        title: "socle du bilan périodique invalide",
        agir: Agir::Logiciel,
        action: "Corriger dans le logiciel de vie scolaire le socle des bilans périodiques (chaque composante une fois, avec un positionnement de 0 à 4) ou ne pas l'exporter, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "incomplet-facultatif",
        title: "socle périodique incomplet, facultatif dans ce format",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui retire ce bloc facultatif incomplet (le socle complet se renseigne dans le bilan de fin de cycle).",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let v = ctx.version;
    let exactly_8 = v.periodic_socle_exactly_8();
    let level_required = v.periodic_socle_positionnement_required();
    for bilan in &ctx.lsu.bilans_periodiques {
        let Some(socle) = child(*bilan, "socle") else {
            continue;
        };
        let mut c = SocleCheck::of(Some(socle), level_required);
        if !exactly_8 {
            if c.present == 0 {
                continue; // an empty optional block is S006's
            }
            // 1..8 components: a missing one is fine.
            c.missing.clear();
        }
        if c.ok() {
            continue;
        }
        let rule = if exactly_8 {
            "dans ce schéma, un socle périodique compte exactement les 8 composantes, chacune une fois, avec un positionnement de 0 à 4 s'il est donné"
        } else {
            "un socle périodique compte 1 à 8 composantes, chacune une fois, chacune avec un positionnement de 0 à 4"
        };
        let msg = format!(
            "socle du bilan périodique invalide ({} composante{}) — {} ; {rule}, sinon LSU refuse le fichier",
            c.present,
            if c.present > 1 { "s" } else { "" },
            c.describe().join(" — ")
        );
        let mut d = ctx.at_node(socle, Code::C005, msg);
        if exactly_8 && !c.structure_ok() {
            let (s, e) = crate::fix::edit::element_removal(ctx.text, socle);
            d = d.with_kind("incomplet-facultatif").with_fix(Fix::safe(
                "Supprimer le bloc socle périodique incomplet (facultatif dans ce schéma)",
                vec![Edit::delete(s, e)],
            ));
        }
        out.push(d);
    }
}
