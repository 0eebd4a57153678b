//! C001 socle-incomplete ★: every `bilan-cycle` (1D and 2D) must carry the 8 socle components,
//! each exactly once, each with a `positionnement` 0–4 (0 = dispensé). One finding per
//! bilan-cycle listing every defective component with its French label. Never a fix: a level
//! is a teacher's judgement, lsu-lint never invents one.

use super::{cycle_of, SocleCheck};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::child;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::C001,
    degree: None,
    check,
};

/// The variants of C001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "socle-incomplete",
        title: "socle incomplet dans un bilan de fin de cycle",
        agir: Agir::Logiciel,
        action: "Faire saisir par l'équipe pédagogique, dans le logiciel de vie scolaire, le positionnement des 8 composantes du socle (0 = dispensé) de chaque bilan de fin de cycle, puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for bilan in &ctx.lsu.bilans_cycle {
        let socle = child(*bilan, "socle");
        // Both degrees and every schema: positionnement is required in a bilan-cycle.
        let c = SocleCheck::of(socle, true);
        if c.ok() {
            continue;
        }
        let cycle = cycle_of(*bilan);
        let head = match socle {
            None => format!("bilan de fin de cycle {cycle} sans élément socle"),
            Some(_) => format!(
                "bilan de fin de cycle {cycle} : socle invalide ({} composante{} sur 8 attendues)",
                c.present,
                if c.present > 1 { "s" } else { "" }
            ),
        };
        let detail = format!(" — {}", c.describe().join(" — "));
        let msg = format!(
            "{head}{detail}. Chaque composante (CPD_FRA, CPD_ETR, CPD_SCI, CPD_ART, MET_APP, FRM_CIT, SYS_NAT, REP_MND) doit figurer une fois et une seule avec un positionnement de 0 à 4 (0 = dispensé) ; LSU refusera le fichier. Saisir les niveaux manquants dans le logiciel et réexporter (lsu-lint n'invente jamais un niveau)"
        );
        let at = socle.unwrap_or(*bilan);
        out.push(ctx.at_node(at, Code::C001, msg).with_group(format!(
            "socle incomplet dans les bilans de fin de cycle {cycle}"
        )));
    }
}
