//! C005 periodic-socle-invalid: the optional `socle` of a `bilan-periodique`. 1D and 2D 3.0:
//! exactly the 8 components, each once (positionnement optional, 0–4 when given); 2D 7.0 and
//! 10.0: 1 to 8 components, each once, positionnement required. Safe fix (old schemas only):
//! drop the incomplete optional block, which LSU would otherwise refuse with the whole file.

use super::SocleCheck;
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, child};
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
    let exactly_8 = ctx.version.periodic_socle_exactly_8();
    for bilan in &ctx.lsu.bilans_periodiques {
        let Some(socle) = child(*bilan, "socle") else {
            continue;
        };
        let Some(c) = invalid(ctx, socle) else {
            continue;
        };
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

/// The defects of a periodic socle this rule reports, None when it reports none.
fn invalid(ctx: &Ctx, socle: crate::xml::Node) -> Option<SocleCheck> {
    let v = ctx.version;
    let mut c = SocleCheck::of(Some(socle), v.periodic_socle_positionnement_required());
    if !v.periodic_socle_exactly_8() {
        if c.present == 0 {
            return None; // an empty optional block is S006's
        }
        // 1..8 components: a missing one is fine.
        c.missing.clear();
    }
    (!c.ok()).then_some(c)
}

/// Words a schema error routed to C005 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    // The rule reports the whole socle (with its fix): the schema's view of one of its
    // components would only repeat it.
    let socle = e.node.and_then(|n| {
        if n.tag_name().name() == "socle" {
            Some(n)
        } else {
            n.parent_element()
        }
    });
    if socle.is_some_and(|s| {
        s.tag_name().name() == "socle"
            && s.parent_element()
                .is_some_and(|b| ctx.lsu.bilans_periodiques.contains(&b))
            && invalid(ctx, s).is_some()
    }) {
        return None;
    }
    let vers = ctx.version.schema_label();
    let msg = match &e.what {
        V::MissingAttribute(_) => {
            let code = e.node.and_then(|n| n.attribute("code")).unwrap_or("?");
            format!(
                "{} : la composante du socle {code} du bilan périodique n'a pas de positionnement, obligatoire dans le schéma {vers}",
                e.element()
            )
        }
        V::MissingChild(_) => {
            let n = e
                .node
                .map(|n| model::children(n, "domaine").count())
                .unwrap_or(0);
            format!("<socle> du bilan périodique : {n} composante(s) au lieu des 8 exigées par le schéma {vers}")
        }
        V::NotExpected(_) | V::MissingBefore(_) => {
            "<socle> du bilan périodique : plus de 8 composantes".to_string()
        }
        V::Duplicate { values, .. } => format!(
            "<socle> du bilan périodique : la composante {} figure deux fois",
            values.replace('\'', "")
        ),
        _ => return None,
    };
    Some(e.finding(Code::C005, msg))
}
