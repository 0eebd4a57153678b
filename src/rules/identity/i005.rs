//! I005 ine-invalid-or-unknown (1D): the pupil's INE must be 11 letters or digits, non-blank,
//! unique in the file, and (with an ONDE extraction) an INE of ONDE. LSU rejects the pupil's
//! bilans: one finding per bilan of that pupil (on its `eleve-ref`), or one on the pupil when it
//! has no bilan.
//! Fix (unsafe): trimming spaces / upper-casing when that yields a well-formed, unique INE; for
//! an INE unknown to ONDE, the ONDE INE of the only pupil of the same class (the file's
//! `classe/@id-be`) with the same name and first name, when no other pupil of the file has it.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{HashMap, HashSet};

use crate::xml::Node;

use super::common::{same_name, same_prenom};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{attr_value_range, Degree, Lsu};
use crate::refdata::Onde;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::I005,
    degree: Some(Degree::D1),
    check,
};

/// The variants of I005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: INE_MALFORME,
        title: "INE de l'élève mal écrit ou en double",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de l'école, recopier l'INE de chaque élève concerné (11 caractères, sans espace) tel qu'il figure dans ONDE, puis exporter à nouveau.",
    },
    KindMeta {
        slug: INE_INCONNU,
        title: "INE de l'élève inconnu d'ONDE",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de l'école, remplacer l'INE de l'élève par celui d'ONDE (l'ancien INE « BEA » n'est plus valable), puis exporter à nouveau.",
    },
    KindMeta {
        slug: CLASSE_DIFFERENTE,
        title: "élève inscrit dans ONDE dans une autre classe que celle du fichier",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de l'école, placer l'élève dans la classe où ONDE l'inscrit (ou, si c'est ONDE qui se trompe, faire corriger la classe de l'élève dans ONDE par le directeur), puis exporter à nouveau.",
    },
];

const INE_MALFORME: &str = "ine-malforme";
const INE_INCONNU: &str = "ine-inconnu-onde";
const CLASSE_DIFFERENTE: &str = "classe-differente-onde";

/// Why an INE is not shaped like one, or None.
pub fn ine_shape_problem(ine: &str) -> Option<String> {
    if ine.trim().is_empty() {
        return Some("INE vide".into());
    }
    if ine.trim() != ine {
        return Some("espaces avant ou après l'INE".into());
    }
    let n = ine.chars().count();
    if n != 11 {
        return Some(format!("{n} caractères au lieu de 11"));
    }
    if !ine.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some("caractères autres que des chiffres et des lettres".into());
    }
    None
}

fn normalized(ine: &str) -> String {
    ine.trim().to_ascii_uppercase()
}

struct Problem {
    kind: &'static str,
    ine: String,
    what: String,
    fix: Option<String>,
    /// The INE itself is wrong (shape, duplicate, unknown), rather than the pupil's class.
    invalid: bool,
}

/// The INE of the only ONDE pupil of the pupil's class with the same names, if exactly one.
fn onde_namesake(onde: &Onde, lsu: &Lsu, eleve: Node) -> Option<String> {
    let classe = lsu.division_of_eleve(eleve)?;
    let (nom, prenom) = (eleve.attribute("nom")?, eleve.attribute("prenom")?);
    let mut found = onde.eleves_of_classe(classe).filter(|o| {
        same_name(nom, &[o.nom.as_deref(), o.nom_usage.as_deref()])
            && same_prenom(prenom, &[o.prenom.as_deref()])
    });
    let one = found.next()?;
    if found.next().is_some() {
        return None;
    }
    one.ine.clone()
}

/// When ONDE lists the INE only under other classes than the pupil's class of the file (a
/// class ONDE knows: an unknown class is I004's), what to say.
fn other_class(
    onde: &Onde,
    lsu: &Lsu,
    eleve: Node,
    records: &[&crate::refdata::onde::EleveOnde],
) -> Option<String> {
    let classe = lsu.division_of_eleve(eleve)?.trim();
    if records.is_empty() || onde.classe(classe).is_none() {
        return None;
    }
    if records
        .iter()
        .any(|r| r.classe_id.as_deref().map(str::trim) == Some(classe))
    {
        return None;
    }
    let mut elsewhere: Vec<String> = records
        .iter()
        .filter_map(|r| {
            let id = r.classe_id.as_deref()?;
            Some(match r.classe_libelle.as_deref() {
                Some(l) => format!("{id} « {l} »"),
                None => id.to_string(),
            })
        })
        .collect();
    elsewhere.dedup();
    let listed = if elsewhere.is_empty() {
        "sans classe".to_string()
    } else {
        format!("dans la classe {}", elsewhere.join(", "))
    };
    Some(format!(
        "l'extraction ONDE ({}) inscrit cet élève {listed}, pas dans la classe {classe} du fichier : LSU ne trouve pas l'élève parmi ceux de cette classe",
        onde.path
    ))
}

fn problems_of<'a, 'i>(
    eleves: &[Node<'a, 'i>],
    onde: Option<&Onde>,
    lsu: &Lsu<'a, 'i>,
) -> HashMap<usize, Problem> {
    let mut out = HashMap::new();
    let mut seen: HashMap<String, &str> = HashMap::new();
    // Every normalised INE present, to refuse a fix that would create a duplicate.
    let mut count: HashMap<String, usize> = HashMap::new();
    for ine in eleves.iter().filter_map(|e| e.attribute("ine")) {
        *count.entry(normalized(ine)).or_default() += 1;
    }
    for e in eleves {
        // A missing attribute is a schema error (S003).
        let Some(ine) = e.attribute("ine") else {
            continue;
        };
        let norm = normalized(ine);
        let mut what = ine_shape_problem(ine);
        if !norm.is_empty() {
            if let Some(first) = seen.get(&norm) {
                let dup = format!("INE déjà porté par l'élève {first}");
                what = Some(match what {
                    Some(w) => format!("{w}, et {dup}"),
                    None => dup,
                });
            } else {
                seen.insert(norm.clone(), e.attribute("id").unwrap_or("?"));
            }
        }
        if what.is_none() {
            if let Some(onde) = onde {
                let records = onde.eleves_by_ine(ine);
                if let Some(other) = other_class(onde, lsu, *e, &records) {
                    out.insert(
                        e.range().start,
                        Problem {
                            // Known to ONDE, in another class: the class is what to correct.
                            kind: CLASSE_DIFFERENTE,
                            ine: ine.to_string(),
                            what: other,
                            fix: None,
                            invalid: false,
                        },
                    );
                    continue;
                }
                if records.is_empty() {
                    let target = onde_namesake(onde, lsu, *e).filter(|t| {
                        ine_shape_problem(t).is_none() && !count.contains_key(&normalized(t))
                    });
                    let hint = target
                        .as_ref()
                        .map(|t| {
                            format!(
                                " ; l'élève de même nom de cette classe a dans ONDE l'INE « {t} »"
                            )
                        })
                        .unwrap_or_default();
                    out.insert(
                        e.range().start,
                        Problem {
                            kind: INE_INCONNU,
                            ine: ine.to_string(),
                            what: format!(
                                "INE inconnu dans l'extraction ONDE ({}){hint}{}",
                                onde.path,
                                onde.unreadable.caveat()
                            ),
                            fix: target,
                            invalid: true,
                        },
                    );
                    continue;
                }
            }
        }
        let Some(what) = what else {
            continue;
        };
        let duplicate = what.contains("déjà porté");
        let fix = (norm != ine
            && ine_shape_problem(&norm).is_none()
            && !duplicate
            && count.get(&norm) == Some(&1))
        .then_some(norm);
        out.insert(
            e.range().start,
            Problem {
                kind: INE_MALFORME,
                ine: ine.to_string(),
                what,
                fix,
                invalid: true,
            },
        );
    }
    out
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let problems = problems_of(&ctx.lsu.eleves, ctx.refdata.onde.as_ref(), ctx.lsu);
    if problems.is_empty() {
        return;
    }
    let mut fixed: HashSet<usize> = HashSet::new();
    let mut with_bilan: HashSet<usize> = HashSet::new();
    let fix_for = |eleve: Node, p: &Problem, fixed: &mut HashSet<usize>| -> Option<Fix> {
        let target = p.fix.as_ref()?;
        if !fixed.insert(eleve.range().start) {
            return None;
        }
        let (s, e) = attr_value_range(eleve, "ine")?;
        Some(Fix::unsafe_(
            format!("Remplacer l'INE « {} » par « {target} »", p.ine),
            vec![Edit::replace(s, e, target.clone())],
        ))
    };
    for bilan in ctx.lsu.all_bilans() {
        let Some(eleve) = ctx.lsu.eleve_of(bilan) else {
            continue;
        };
        let Some(p) = problems.get(&eleve.range().start) else {
            continue;
        };
        with_bilan.insert(eleve.range().start);
        let id = eleve.attribute("id").unwrap_or("?");
        let mut d = ctx.at_attr(
            bilan,
            "eleve-ref",
            Code::I005,
            format!(
                "INE « {} » de l'élève {id}{} : {} ; l'INE (11 caractères, celui d'ONDE) identifie l'élève dans LSU, qui rejettera ce bilan",
                p.ine,
                if p.invalid { " invalide" } else { "" },
                p.what
            ),
        )
        .with_kind(p.kind);
        if let Some(f) = fix_for(eleve, p, &mut fixed) {
            d = d.with_fix(f);
        }
        out.push(d);
    }
    for &eleve in &ctx.lsu.eleves {
        if with_bilan.contains(&eleve.range().start) {
            continue;
        }
        let Some(p) = problems.get(&eleve.range().start) else {
            continue;
        };
        let mut d = ctx.at_attr(
            eleve,
            "ine",
            Code::I005,
            format!(
                "INE « {} »{} : {} ; l'INE (11 caractères, celui d'ONDE) identifie l'élève dans LSU",
                p.ine,
                if p.invalid { " invalide" } else { "" },
                p.what
            ),
        )
        .with_kind(p.kind);
        if let Some(f) = fix_for(eleve, p, &mut fixed) {
            d = d.with_fix(f);
        }
        out.push(d);
    }
}

/// Words a schema error routed to I005 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::classify::shown;
    use crate::schema::Violation as V;
    let V::Length { actual, limit } = &e.what else {
        return None;
    };
    // The rule (1D) reports every pupil whose INE is malformed, on its bilans: the schema's
    // view of the same attribute would only repeat it.
    if ctx.version.degree == Some(Degree::D1)
        && e.node.is_some_and(|n| {
            ctx.lsu.eleves.contains(&n)
                && n.attribute("ine")
                    .is_some_and(|i| ine_shape_problem(i).is_some())
        })
    {
        return None;
    }
    let v = e.value.clone().unwrap_or_default();
    Some(e.finding(
        crate::catalogue::Code::I005,
        format!(
            "l'INE « {} » a {actual} caractères au lieu de {limit}",
            shown(&v)
        ),
    ))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod fix_tests {
    use crate::rules::dates::common::test_support::*;

    #[test]
    fn trim_fix_once_per_pupil() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/corpus/fixtures/I005/trigger-1d-spaces.xml"
        );
        let xml = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let diags = run(&xml, "2026-07-01");
        let f = of(&diags, Code::I005);
        assert_eq!(f.len(), 2);
        assert_eq!(f.iter().filter(|d| d.fix.is_some()).count(), 1);
        let fixed = apply(&xml, &diags, Code::I005);
        assert!(fixed.contains(r#"ine="099990101BA""#));
        assert!(of(&run(&fixed, "2026-07-01"), Code::I005).is_empty());
    }
}
