//! I001 uai-mismatch (shape part): `entete/etablissement` must be a UAI of 8 characters,
//! 7 digits then a letter. The check letter itself is not verified (its algorithm is not
//! confirmed). The agreement with the reference files' UAI (Siècle, STS, ONDE) comes with the
//! reference data: it will compare `ctx.lsu.uai()` with them here.

use crate::diagnostic::Diagnostic;
use crate::model::child;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: "I001",
    requires: &[],
    check,
};

/// Why a UAI is not shaped like one, or None.
pub fn uai_shape_problem(uai: &str) -> Option<String> {
    let n = uai.chars().count();
    if uai.trim() != uai {
        return Some("espaces avant ou après le code".into());
    }
    if n != 8 {
        return Some(format!("{n} caractères au lieu de 8"));
    }
    let digits = uai.chars().take(7).all(|c| c.is_ascii_digit());
    let last = uai.chars().nth(7).unwrap_or(' ');
    if !digits {
        return Some("les 7 premiers caractères doivent être des chiffres".into());
    }
    if last.is_ascii_lowercase() {
        return Some("la lettre finale doit être en majuscule".into());
    }
    if !last.is_ascii_uppercase() {
        return Some("le 8e caractère doit être une lettre".into());
    }
    None
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(etab) = ctx.lsu.entete.and_then(|e| child(e, "etablissement")) else {
        return;
    };
    // An empty element is S003/S005's (required content).
    let uai = etab.text().unwrap_or("");
    if uai.is_empty() {
        return;
    }
    if let Some(problem) = uai_shape_problem(uai) {
        out.push(ctx.at_node(
            etab,
            "I001",
            format!(
                "UAI « {uai} » dans entete/etablissement : {problem} ; un UAI s'écrit avec 7 chiffres suivis d'une lettre majuscule (ex. 0751234A) ; LSU refusera le fichier : corriger l'UAI de l'établissement dans le logiciel d'origine"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::uai_shape_problem;

    #[test]
    fn shapes() {
        assert_eq!(uai_shape_problem("0999999X"), None);
        // The check letter is not verified.
        assert_eq!(uai_shape_problem("0999999A"), None);
        assert!(uai_shape_problem("099999X")
            .unwrap()
            .contains("7 caractères"));
        assert!(uai_shape_problem("0999999XX").is_some());
        assert!(uai_shape_problem("0999999x").unwrap().contains("majuscule"));
        assert!(uai_shape_problem("09999999").is_some());
        assert!(uai_shape_problem("A999999X").is_some());
        assert!(uai_shape_problem(" 0999999X").unwrap().contains("espaces"));
        assert!(uai_shape_problem("0999999É").is_some());
    }
}
