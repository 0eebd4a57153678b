//! R004 unused-declaration: a declared object (discipline, teacher, programme element, period,
//! EPI, AP, digital-skills comment, 1D class) that nothing references. LSU then raises alerts
//! (« enseignant inconnu »…) about objects no bilan uses.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{child, children};
use crate::rules::helpers::{element_removal, kind_fr};
use crate::rules::refs::{for_each_ref, tokens};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::R004,
    degree: None,
    check,
};

/// The variants of R004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "unused-declaration",
        title: "déclaration que rien n'utilise dans le fichier",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui supprime les déclarations inutilisées ; aucune donnée des bilans n'est perdue.",
    },
];

/// The declared objects of one kind, in French, for the cause title.
fn plural_fr(item: &str) -> &'static str {
    match item {
        "responsable-etab" => "responsables d'établissement",
        "periode" => "périodes",
        "discipline" => "disciplines",
        "enseignant" => "enseignants",
        "element-programme" => "éléments de programme",
        "competences-numeriques-commun" => "commentaires communs de compétences numériques",
        "epi" => "EPI",
        "epi-groupe" => "groupes d'EPI",
        "acc-perso" => "accompagnements personnalisés",
        "acc-perso-groupe" => "groupes d'accompagnement personnalisé",
        "directeur" => "directeurs",
        "classe" => "classes",
        _ => "autres objets",
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(donnees) = ctx.lsu.donnees else {
        return;
    };
    let mut used: HashSet<&str> = HashSet::new();
    for_each_ref(ctx.doc, |_, _, value| {
        used.extend(tokens(value).map(|(_, t)| t));
    });
    for (container, item) in crate::model::refs::DECLARATIONS {
        let Some(c) = child(donnees, container) else {
            continue;
        };
        let all: Vec<_> = children(c, item).collect();
        let unused: Vec<_> = all
            .iter()
            .filter(|n| n.attribute("id").is_some_and(|id| !used.contains(id)))
            .collect();
        // Pruning must leave the container with at least one child (the schema wants 1..n).
        let can_prune = unused.len() < all.len();
        for n in unused {
            let id = n.attribute("id").unwrap_or("");
            let label = n
                .attribute("libelle")
                .or_else(|| n.attribute("intitule"))
                .or_else(|| n.attribute("nom"))
                .map(|l| format!(" « {l} »"))
                .unwrap_or_default();
            let msg = format!(
                "déclaration inutilisée : {} d'identifiant « {id} »{label}, que rien ne référence dans le fichier (LSU peut émettre des alertes à son sujet)",
                kind_fr(item)
            );
            let mut d = ctx
                .at_attr(*n, "id", Code::R004, msg)
                .with_group(format!("déclarations inutilisées : {}", plural_fr(item)));
            if can_prune {
                let (s, e) = element_removal(ctx.text, *n);
                d = d.with_fix(Fix::safe(
                    format!("Supprimer la déclaration inutilisée « {id} »"),
                    vec![Edit::delete(s, e)],
                ));
            }
            out.push(d);
        }
    }
}
