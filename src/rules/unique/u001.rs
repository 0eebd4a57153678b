//! U001 eleve-duplicate: the same pupil declared twice (same `id-be` in 2D, same INE in 1D);
//! the schema's unique key makes LSU reject the whole file.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::rules::helpers::Lines;
use crate::rules::unique::{duplicate_finding, find_duplicates};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::U001,
    degree: None,
    check,
};

/// The variants of U001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "doublon-different",
        title: "même élève déclaré deux fois avec des données différentes",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, fusionner les deux fiches de l'élève ou, s'il a changé de classe, exporter chaque classe séparément, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "doublon-identique",
        title: "élève déclaré deux fois à l'identique",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui supprime la seconde déclaration identique.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let (attr, label) = match ctx.version.degree {
        Some(Degree::D1) => ("ine", "INE"),
        _ => ("id-be", "identifiant Siècle id-be"),
    };
    let lines = Lines::new(ctx.text);
    for (first, later) in find_duplicates(ctx.lsu.eleves.iter().copied(), |e| e.attribute(attr)) {
        let value = later.attribute(attr).unwrap_or("");
        let who = |n: crate::xml::Node| {
            format!(
                "{} {} ({})",
                n.attribute("prenom").unwrap_or(""),
                n.attribute("nom").unwrap_or(""),
                n.attribute("id").unwrap_or("?")
            )
            .trim()
            .to_string()
        };
        let what = format!(
            "élève déclaré deux fois : {label} « {value} » porté par {} et par {}",
            who(first),
            who(later)
        );
        out.push(duplicate_finding(
            ctx,
            &lines,
            Code::U001,
            (first, later),
            Some(attr),
            what,
            true,
        ));
    }
}
