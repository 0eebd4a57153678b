//! M007 academic-code-without-national (2D, file part): a discipline `code` that is not a
//! national subject code (6 digits) and carries no `code-national` (LSU 17.2+): LSU cannot map
//! the academic subject. A `code-national` that is not 6 digits is flagged too. The NOM-based
//! unsafe fix (unique national code) belongs to the reference-data part.

use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: "M007",
    requires: &[],
    check,
};

fn national(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.version.degree != Some(Degree::D2) {
        return;
    }
    for d in &ctx.lsu.disciplines {
        let Some(code) = d.attribute("code").map(str::trim) else {
            continue;
        };
        let id = d.attribute("id").unwrap_or("?");
        let libelle = d.attribute("libelle").unwrap_or("");
        match d.attribute("code-national").map(str::trim) {
            Some(cn) if !national(cn) => out.push(ctx.at_attr(
                *d,
                "code-national",
                "M007",
                format!(
                    "discipline « {id} » ({libelle}) : code-national « {cn} » n'est pas un code national de matière (6 chiffres de la nomenclature Siècle)"
                ),
            )),
            Some(_) => {}
            None if !national(code) && !code.is_empty() => out.push(ctx.at_attr(
                *d,
                "code",
                "M007",
                format!(
                    "discipline « {id} » ({libelle}) : le code « {code} » est un code académique (non national) et aucun code-national n'est fourni ; LSU émettra une alerte pour cette matière. Ajouter l'attribut code-national avec le code national équivalent (6 chiffres, nomenclature Siècle)"
                ),
            )),
            None => {}
        }
    }
}
