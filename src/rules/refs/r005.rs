//! R005 incoherent-epi-or-ap: an EPI with fewer than two distinct disciplines, an EPI or AP
//! group without any teacher–discipline couple, or a couple whose discipline is not one of the
//! EPI's / AP's disciplines. LSU drops or mis-attaches such devices silently.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashSet;

use crate::xml::Node;

use crate::diagnostic::Diagnostic;
use crate::model::{child, children};
use crate::rules::refs::tokens;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::R005,
    degree: None,
    check,
};

/// The variants of R005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "epi-une-discipline",
        title: "EPI sans deux disciplines distinctes",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, associer à chaque EPI au moins deux disciplines différentes, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "groupe-sans-enseignant",
        title: "groupe d'EPI ou d'accompagnement personnalisé sans enseignant",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, indiquer pour chaque groupe d'EPI ou d'accompagnement personnalisé au moins un enseignant avec sa discipline, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "discipline-hors-dispositif",
        title: "enseignant rattaché à une discipline étrangère à l'EPI ou à l'accompagnement personnalisé",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, corriger la discipline de l'enseignant dans le groupe ou ajouter cette discipline à l'EPI (ou à l'accompagnement personnalisé), puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(donnees) = ctx.lsu.donnees else {
        return;
    };
    if let Some(epis) = child(donnees, "epis") {
        for epi in children(epis, "epi") {
            let Some(refs) = epi.attribute("discipline-refs") else {
                continue;
            };
            let resolved: Vec<Node> = tokens(refs)
                .filter_map(|(_, t)| ctx.lsu.target(t))
                .filter(|n| n.tag_name().name() == "discipline")
                .collect();
            // Dangling or wrong-kind items are R001/R002; only judge what resolves.
            if resolved.is_empty() {
                continue;
            }
            let codes: HashSet<&str> = resolved
                .iter()
                .map(|d| {
                    d.attribute("code")
                        .or_else(|| d.attribute("id"))
                        .unwrap_or("")
                })
                .collect();
            if codes.len() < 2 {
                out.push(ctx.at_attr(
                    epi,
                    "discipline-refs",
                    Code::R005,
                    format!(
                        "l'EPI « {} » ne réunit pas deux disciplines distinctes (codes matière : {}) : un EPI est par définition interdisciplinaire, LSU ou l'éditeur l'écartera ; ajouter la seconde discipline dans « discipline-refs »",
                        epi.attribute("intitule").or_else(|| epi.attribute("id")).unwrap_or("?"),
                        codes.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
        }
    }
    groups(
        ctx,
        donnees,
        "epis-groupes",
        "epi-groupe",
        "epi-ref",
        "l'EPI",
        out,
    );
    groups(
        ctx,
        donnees,
        "acc-persos-groupes",
        "acc-perso-groupe",
        "acc-perso-ref",
        "l'accompagnement personnalisé",
        out,
    );
}

fn groups(
    ctx: &Ctx,
    donnees: Node,
    container: &str,
    item: &str,
    parent_attr: &str,
    parent_fr: &str,
    out: &mut Vec<Diagnostic>,
) {
    let Some(c) = child(donnees, container) else {
        return;
    };
    for g in children(c, item) {
        let name = g
            .attribute("intitule")
            .or_else(|| g.attribute("id"))
            .unwrap_or("?");
        let couples: Vec<Node> = child(g, "enseignants-disciplines")
            .map(|ed| children(ed, "enseignant-discipline").collect())
            .unwrap_or_default();
        if couples.is_empty() {
            out.push(
                ctx.at_node(
                    g,
                    Code::R005,
                    format!(
                        "le groupe « {name} » ({item}) n'a aucun couple enseignant-discipline : LSU ne peut rattacher ce groupe à aucun enseignant ; renseigner au moins un couple « enseignant-discipline »"
                    ),
                )
                .with_kind("groupe-sans-enseignant"),
            );
            continue;
        }
        let Some(parent) = g
            .attribute(parent_attr)
            .and_then(|r| ctx.lsu.target(r))
            .filter(|p| {
                p.tag_name().name()
                    == if item == "epi-groupe" {
                        "epi"
                    } else {
                        "acc-perso"
                    }
            })
        else {
            continue;
        };
        let allowed: HashSet<&str> = parent
            .attribute("discipline-refs")
            .map(|v| tokens(v).map(|(_, t)| t).collect())
            .unwrap_or_default();
        for couple in couples {
            let Some(d) = couple.attribute("discipline-ref") else {
                continue;
            };
            if ctx.lsu.target(d).is_none() || allowed.contains(d) {
                continue;
            }
            out.push(
                ctx.at_attr(
                    couple,
                    "discipline-ref",
                    Code::R005,
                    format!(
                        "le groupe « {name} » associe un enseignant à la discipline « {d} », qui ne fait pas partie des disciplines de {parent_fr} « {} » ({}) : corriger le couple ou ajouter la discipline à « discipline-refs »",
                        parent.attribute("intitule").or_else(|| parent.attribute("id")).unwrap_or("?"),
                        parent.attribute("discipline-refs").unwrap_or("")
                    ),
                )
                .with_kind("discipline-hors-dispositif"),
            );
        }
    }
}
