//! T005 placeholder-identity: teacher or director identities filled with placeholders to keep
//! the file valid (SACoche: nom `MACHIN`, prénom `-`), blank, or with the same nom and prénom.
//! LSU then reports the person as unknown. Suggest only.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::xml::Node;

use crate::diagnostic::Diagnostic;
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};
use crate::util::fold;

pub static RULE: Rule = Rule {
    code: Code::T005,
    degree: None,
    check,
};

/// The variants of T005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "placeholder-identity",
    title: "identité d'enseignant ou de directeur non renseignée (valeur de remplissage)",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de vie scolaire, compléter la civilité, le nom et le prénom réels de la personne, puis exporter à nouveau.",
}];

/// Folded values that are never a real name.
const PLACEHOLDERS: &[&str] = &[
    "-",
    "--",
    "---",
    ".",
    "..",
    "...",
    "?",
    "??",
    "x",
    "xx",
    "xxx",
    "machin",
    "truc",
    "bidule",
    "inconnu",
    "inconnue",
    "nom",
    "prenom",
    "a renseigner",
    "a completer",
    "non renseigne",
    "non renseignee",
    "sans nom",
    "n/a",
    "nc",
];

fn placeholder(v: &str) -> bool {
    let f = fold(v);
    f.is_empty() || PLACEHOLDERS.contains(&f.as_str())
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(degree) = ctx.version.degree else {
        return;
    };
    let mut people: Vec<(Node, &str)> = ctx
        .lsu
        .enseignants
        .iter()
        .map(|n| (*n, "enseignant"))
        .collect();
    if degree == Degree::D1 {
        people.extend(
            model::items(ctx.lsu.donnees, "directeurs", "directeur")
                .into_iter()
                .map(|n| (n, "directeur")),
        );
    }
    for (p, kind) in people {
        let id = p.attribute("id").unwrap_or("?");
        let mut found: Vec<(&str, String)> = Vec::new();
        for attr in ["nom", "prenom"] {
            let Some(v) = p.attribute(attr) else {
                continue; // 1D: S003; 2D: optional
            };
            // 2D prénom may legitimately be empty (ChaineEmptyWithMax100).
            if degree == Degree::D2 && attr == "prenom" && v.trim().is_empty() {
                continue;
            }
            if placeholder(v) {
                found.push((
                    attr,
                    format!("{attr}=\"{v}\" ressemble à une valeur de remplissage"),
                ));
            }
        }
        if found.is_empty() {
            if let (Some(n), Some(pr)) = (p.attribute("nom"), p.attribute("prenom")) {
                if !fold(n).is_empty() && fold(n) == fold(pr) {
                    found.push(("prenom", format!("nom et prénom identiques (« {n} »)")));
                }
            }
        }
        let Some((attr, _)) = found.first() else {
            continue;
        };
        let attr = *attr;
        let list: Vec<String> = found.into_iter().map(|(_, m)| m).collect();
        let who = if kind == "directeur" {
            "directeur"
        } else {
            "enseignant"
        };
        let consequence = if degree == Degree::D1 {
            "LSU compare civilité et nom avec ONDE et signalera la personne comme inconnue"
        } else {
            "LSU ne pourra pas rapprocher la personne de STS"
        };
        out.push(ctx.at_attr(
            p,
            attr,
            Code::T005,
            format!(
                "{who} « {id} » : {} ; {consequence}. Compléter l'identité réelle dans le logiciel et réexporter",
                list.join(", ")
            ),
        ));
    }
}
