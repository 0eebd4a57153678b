//! T007 responsable-missing-or-duplicated: the head of establishment (2D `responsable-etab`) or
//! the school director (1D `directeur`) must be declared, referenced by every bilan, and
//! declared once: 2D `responsable-etab/@libelle` is unique, 1D directors are unique on
//! (civilité, nom, prénom). A reference to an unknown id is R001's.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::T007,
    degree: None,
    check,
};

/// The variants of T007 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "manquant",
        title: "chef d'établissement ou directeur non désigné",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, désigner le chef d'établissement (ou le directeur d'école) qui signe les bilans, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "en-double",
        title: "chef d'établissement ou directeur déclaré deux fois",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, ne garder qu'une fiche pour le chef d'établissement (ou le directeur d'école), puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(degree) = ctx.version.degree else {
        return;
    };
    let (container, item, ref_attr, who) = match degree {
        Degree::D2 => (
            "responsables-etab",
            "responsable-etab",
            "responsable-etab-ref",
            "chef d'établissement (responsable-etab)",
        ),
        Degree::D1 => (
            "directeurs",
            "directeur",
            "directeur-ref",
            "directeur d'école",
        ),
    };
    let people = model::items(ctx.lsu.donnees, container, item);
    if people.is_empty() {
        let at = ctx.lsu.donnees.unwrap_or(ctx.lsu.root);
        out.push(ctx.at_node(
            at,
            Code::T007,
            format!(
                "aucun {who} déclaré (section {container} absente ou vide) : chaque bilan doit désigner son {who}, LSU refusera le fichier"
            ),
        ).with_kind("manquant"));
    }
    // Declared once.
    let mut seen: HashMap<Vec<&str>, &str> = HashMap::new();
    for p in &people {
        let key: Vec<&str> = match degree {
            Degree::D2 => vec![p.attribute("libelle").unwrap_or("")],
            Degree::D1 => ["civilite", "nom", "prenom"]
                .iter()
                .map(|a| p.attribute(*a).unwrap_or(""))
                .collect(),
        };
        if key.iter().all(|k| k.is_empty()) {
            continue; // S003
        }
        let id = p.attribute("id").unwrap_or("?");
        if let Some(first) = seen.get(&key) {
            let (attr, what) = match degree {
                Degree::D2 => ("libelle", format!("libellé « {} »", key.join(" "))),
                Degree::D1 => ("nom", format!("identité « {} »", key.join(" "))),
            };
            out.push(ctx.at_attr(
                *p,
                attr,
                Code::T007,
                format!(
                    "{item} « {id} » : même {what} que « {first} » ; un {who} ne peut être déclaré qu'une fois, LSU refusera le fichier. Garder une seule déclaration et faire pointer les bilans vers elle"
                ),
            ).with_kind("en-double"));
        } else {
            seen.insert(key, id);
        }
    }
    // Referenced by every bilan.
    for bilan in ctx.lsu.all_bilans() {
        let missing = bilan
            .attribute(ref_attr)
            .is_none_or(|v| v.trim().is_empty());
        if missing {
            out.push(ctx.at_node(
                bilan,
                Code::T007,
                format!(
                    "bilan sans {ref_attr} : chaque bilan doit désigner son {who}, LSU refusera le fichier"
                ),
            ).with_kind("manquant"));
        }
    }
}
