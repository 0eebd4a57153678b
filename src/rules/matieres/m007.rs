//! M007 academic-code-without-national (2D, file part): a discipline `code` that is not a
//! national subject code (6 digits) and carries no `code-national` (LSU 17.2+): LSU cannot map
//! the academic subject. A `code-national` that is not 6 digits is flagged too.
//!
//! With the Nomenclature, the national code is proposed (unsafe fix) when exactly one national
//! matière of the Nomenclature fits the academic code: academic codes replace digits of their
//! national code by letters (ministry sample `100A00` for `100100`), so the candidates are the
//! national codes equal to the academic one at every position where it has a digit.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::refdata::Nomenclature;
use crate::rules::{Ctx, Rule};

/// National codes of the Nomenclature that fit an academic code (digits kept, letters free).
fn national_candidates<'n>(nom: &'n Nomenclature, academic: &str) -> Vec<&'n str> {
    let a = academic.as_bytes();
    if a.len() != 6 {
        return Vec::new();
    }
    nom.matieres
        .keys()
        .map(String::as_str)
        .filter(|c| national(c))
        .filter(|c| {
            c.bytes()
                .zip(a.iter())
                .all(|(n, x)| !x.is_ascii_digit() || n == *x)
        })
        .collect()
}

pub static RULE: Rule = Rule {
    code: Code::M007,
    degree: Some(Degree::D2),
    check,
};

/// The variants of M007 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "sans-code-national",
        title: "code de matière académique sans code national",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, indiquer pour cette matière académique son code national équivalent (6 chiffres de la Nomenclature Siècle), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "code-national-invalide",
        title: "code national de matière mal écrit",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, corriger le code national de la matière (6 chiffres de la Nomenclature Siècle), puis exporter à nouveau.",
    },
];

fn national(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
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
                Code::M007,
                format!(
                    "discipline « {id} » ({libelle}) : code-national « {cn} » n'est pas un code national de matière (6 chiffres de la nomenclature Siècle)"
                ),
            ).with_kind("code-national-invalide")),
            Some(_) => {}
            None if !national(code) && !code.is_empty() => {
                let mut note = String::new();
                let mut fix = None;
                if let Some(nom) = ctx.refdata.nomenclature.as_ref() {
                    let cands = national_candidates(nom, code);
                    match cands.as_slice() {
                        [] => {}
                        [one] => {
                            let lib = nom.matiere(one).map(|m| m.libelle()).unwrap_or("");
                            note = format!(
                                " ; la Nomenclature ({}) n'a qu'un code national correspondant : {one} ({lib})",
                                nom.path
                            );
                            if let Some((_, e)) = model::attr_range(*d, "code") {
                                fix = Some(Fix::unsafe_(
                                    format!("Ajouter code-national=\"{one}\""),
                                    vec![Edit::insert(e, format!(" code-national=\"{one}\""))],
                                ));
                            }
                        }
                        many => {
                            note = format!(
                                " ; plusieurs codes nationaux de la Nomenclature ({}) peuvent correspondre : {}",
                                nom.path,
                                many.join(", ")
                            );
                        }
                    }
                }
                let mut diag = ctx.at_attr(
                    *d,
                    "code",
                    Code::M007,
                    format!(
                        "discipline « {id} » ({libelle}) : le code « {code} » est un code académique (non national) et aucun code-national n'est fourni ; LSU émettra probablement une alerte pour cette matière. Ajouter l'attribut code-national avec le code national équivalent (6 chiffres, nomenclature Siècle){note}"
                    ),
                );
                if let Some(f) = fix {
                    diag = diag.with_fix(f);
                }
                out.push(diag);
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::national_candidates;
    use crate::refdata::nomenclature::{Matiere, Nomenclature};

    fn nom(codes: &[&str]) -> Nomenclature {
        let mut n = Nomenclature::default();
        for c in codes {
            n.matieres.insert(
                c.to_string(),
                Matiere {
                    code: c.to_string(),
                    ..Matiere::default()
                },
            );
        }
        n
    }

    #[test]
    fn academic_code_fits_national_codes_on_its_digits() {
        let n = nom(&["100100", "020700", "100A00"]);
        assert_eq!(national_candidates(&n, "100A00"), vec!["100100"]);
        let n = nom(&["100100", "100200", "020700"]);
        assert_eq!(national_candidates(&n, "100A00"), vec!["100100", "100200"]);
        assert!(national_candidates(&n, "ZZZ999").is_empty());
        assert!(national_candidates(&n, "10A0").is_empty());
    }
}
