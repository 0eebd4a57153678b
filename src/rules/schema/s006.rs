//! S006 empty-optional-block: an optional container present but empty (`<epis-eleve/>`,
//! `<liste-parcours></liste-parcours>`, a `competences-numeriques` with neither common
//! appreciation reference, appreciation nor competence). Some generators emit them; LSU (and
//! OPEN-ENT-NG's export) refuse them. Fix (safe): remove the element, which carried nothing.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::xml::Node;

use crate::diagnostic::{Diagnostic, Fix};
use crate::model::Degree;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::S006,
    degree: None,
    check,
};

/// The variants of S006 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "empty-optional-block",
    title: "bloc facultatif présent mais vide",
    agir: Agir::Fichier,
    action: "Lancer lsu-lint fix, qui supprime les blocs vides (ils ne contiennent aucune donnée).",
}];

/// (parent, optional container) pairs of the 2nd-degree format.
const OPTIONAL_2D: &[(&str, &str)] = &[
    ("donnees", "periodes"),
    ("donnees", "disciplines"),
    ("donnees", "enseignants"),
    ("donnees", "elements-programme"),
    ("donnees", "parcours-communs"),
    ("donnees", "vies-scolaires-communs"),
    ("donnees", "epis-thematiques"),
    ("donnees", "epis"),
    ("donnees", "epis-groupes"),
    ("donnees", "acc-persos"),
    ("donnees", "acc-persos-groupes"),
    ("donnees", "competences-numeriques-communs"),
    ("donnees", "bilans-periodiques"),
    ("donnees", "bilans-cycle"),
    ("bilan-periodique", "competences-numeriques"),
    ("bilan-periodique", "epis-eleve"),
    ("bilan-periodique", "acc-persos-eleve"),
    ("bilan-periodique", "liste-parcours"),
    ("bilan-periodique", "modalites-accompagnement"),
    ("bilan-periodique", "socle"),
    ("bilan-periodique", "responsables"),
    ("bilan-cycle", "responsables"),
];

/// (parent, optional container) pairs of the 1st-degree format.
const OPTIONAL_1D: &[(&str, &str)] = &[
    ("donnees", "periodes"),
    ("donnees", "elements-programme"),
    ("donnees", "parcours-communs"),
    ("donnees", "bilans-periodiques"),
    ("donnees", "bilans-cycle"),
    ("bilan-periodique", "liste-parcours"),
    ("bilan-periodique", "modalites-accompagnement"),
    ("bilan-periodique", "socle"),
    ("bilan-periodique", "responsables"),
    ("bilan-cycle", "responsables"),
    ("acquis", "sous-domaines"),
];

fn is_empty(node: Node) -> bool {
    if node.children().any(|c| c.is_element()) {
        return false;
    }
    let blank_text = node
        .children()
        .filter(|c| c.is_text())
        .all(|c| c.text().unwrap_or("").trim().is_empty());
    if node.tag_name().name() == "competences-numeriques" {
        let refs = node.attribute("comp-num-commun-refs").unwrap_or("");
        return blank_text && refs.trim().is_empty();
    }
    blank_text
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let list = match ctx.version.degree {
        Some(Degree::D1) => OPTIONAL_1D,
        Some(Degree::D2) => OPTIONAL_2D,
        None => return,
    };
    for node in ctx.doc.descendants().filter(Node::is_element) {
        let name = node.tag_name().name();
        let Some(parent) = node.parent_element() else {
            continue;
        };
        let pname = parent.tag_name().name();
        if !list.iter().any(|(p, c)| *p == pname && *c == name) || !is_empty(node) {
            continue;
        }
        let scope = match pname {
            "bilan-periodique" | "bilan-cycle" => " : LSU peut rejeter le bilan",
            "acquis" => " : LSU peut rejeter le bilan de cet élève",
            _ => " : LSU peut refuser les bilans du fichier",
        };
        out.push(
            ctx.at_node(
                node,
                Code::S006,
                format!(
                    "bloc facultatif « {name} » présent mais vide{scope} ; un bloc sans contenu doit être omis"
                ),
            )
            .with_fix(Fix::safe(
                format!("Supprimer le bloc vide « {name} »"),
                vec![ctx.remove_element(node)],
            )),
        );
    }
}

#[cfg(test)]
mod tests;
