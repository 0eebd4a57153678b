//! C001 socle-incomplete ★: every `bilan-cycle` (1D and 2D) must carry the 8 socle components,
//! each exactly once, each with a `positionnement` 0–4 (0 = dispensé). One finding per
//! bilan-cycle listing every defective component with its French label. Never a fix: a level
//! is a teacher's judgement, lsu-lint never invents one.

use super::{cycle_of, SocleCheck, SOCLE};
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

/// Words a schema error routed to C001 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::classify::shown;
    use crate::schema::Violation as V;
    // The rule reports every bilan-cycle whose socle is incomplete, listing each defect: the
    // schema's view of the socle or of one component would only repeat it.
    let bilan = e.node.and_then(|n| {
        n.ancestors()
            .find(|a| a.is_element() && a.tag_name().name() == "bilan-cycle")
    });
    if bilan.is_some_and(|b| {
        ctx.lsu.bilans_cycle.contains(&b) && !SocleCheck::of(child(b, "socle"), true).ok()
    }) {
        return None;
    }
    let here = e.here();
    let socle_of_parent = || socle_message(e.node.and_then(|n| n.parent_element()));
    let msg = match &e.what {
        V::Pattern { value, .. } | V::Atomic { value, .. } => format!(
            "{here} vaut « {} » : le positionnement d'une composante du socle va de 0 (dispensé) à 4",
            shown(&e.value_or(value))
        ),
        V::MissingAttribute(_) => {
            let code = e.node.and_then(|n| n.attribute("code")).unwrap_or("?");
            let label = SOCLE
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, l)| *l)
                .unwrap_or("");
            format!(
                "{} : la composante du socle {code} (« {label} ») n'a pas de positionnement (0 à 4, 0 = dispensé)",
                e.element()
            )
        }
        V::MissingChild(_) => socle_message(e.node),
        V::NotExpected(_) | V::MissingBefore(_) => socle_of_parent(),
        V::Duplicate { values, .. } => format!(
            "{} (composante {} en double)",
            socle_of_parent(),
            values.replace('\'', "")
        ),
        _ => return None,
    };
    Some(e.finding(Code::C001, msg))
}

/// The components a bilan-cycle's socle lacks, as the schema sees it (count and each once).
fn socle_message(socle: Option<crate::xml::Node>) -> String {
    let present: Vec<&str> = socle
        .map(|s| {
            crate::model::children(s, "domaine")
                .filter_map(|d| d.attribute("code"))
                .collect()
        })
        .unwrap_or_default();
    let missing: Vec<String> = SOCLE
        .iter()
        .filter(|(c, _)| !present.contains(c))
        .map(|(c, l)| format!("{c} « {l} »"))
        .collect();
    if missing.is_empty() {
        format!("<socle> du bilan de fin de cycle : {} composantes au lieu de 8 (chacune des 8 exactement une fois)", present.len())
    } else {
        format!(
            "<socle> du bilan de fin de cycle : {} composante(s) sur 8 ; manquante(s) : {}",
            present.len(),
            missing.join(" ; ")
        )
    }
}
