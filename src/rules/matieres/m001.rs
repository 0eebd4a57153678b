//! M001 matiere-hors-siecle (2D, NOM): a discipline whose `code` (nor `code-national`) is not a
//! matière of the Siècle Nomenclature is « hors Siècle »: LSU imports it with an alert.

use super::{codes, xs_trim};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::rules::{Ctx, Rule};
use crate::util::fold;

pub static RULE: Rule = Rule {
    code: Code::M001,
    degree: Some(Degree::D2),
    check,
};

/// The variants of M001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "matiere-hors-siecle",
    title: "matière « hors Siècle » (code inconnu de la Nomenclature)",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de vie scolaire, rattacher la matière à une matière de la Nomenclature Siècle (code national à 6 chiffres), puis exporter à nouveau.",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(nom) = ctx.refdata.nomenclature.as_ref() else {
        return;
    };
    for d in &ctx.lsu.disciplines {
        let cs = codes(*d);
        let Some(&code) = cs.first() else {
            continue;
        };
        if cs.iter().any(|c| nom.matiere(c).is_some()) {
            continue;
        }
        let id = d.attribute("id").unwrap_or("?");
        let libelle = d.attribute("libelle").map(xs_trim).unwrap_or("");
        // A Nomenclature matière with the same label is the likely national code.
        let same_label: Vec<String> = if libelle.is_empty() {
            Vec::new()
        } else {
            let l = fold(libelle);
            nom.matieres
                .values()
                .filter(|m| {
                    [&m.libelle_edition, &m.libelle_long, &m.libelle_court]
                        .into_iter()
                        .flatten()
                        .any(|x| fold(x) == l)
                })
                .map(|m| format!("{} ({})", m.code, m.libelle()))
                .collect()
        };
        let hint = if same_label.is_empty() {
            String::new()
        } else {
            format!(
                " ; la Nomenclature a une matière de même libellé : {}",
                same_label.join(", ")
            )
        };
        let national = match d.attribute("code-national") {
            Some(cn) => format!(" ni son code-national « {} »", xs_trim(cn)),
            None => String::new(),
        };
        out.push(ctx.at_attr(
            *d,
            "code",
            Code::M001,
            format!(
                "discipline « {id} » ({libelle}) : le code matière « {code} »{national} n'existe pas dans la Nomenclature Siècle ({}) : matière « hors Siècle », LSU l'importera avec une alerte{hint}. Rattachez cette matière du logiciel à une matière de Siècle (code national à 6 chiffres)",
                nom.path
            ),
        ));
    }
}
