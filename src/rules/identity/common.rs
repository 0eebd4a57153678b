//! Helpers shared by the rules that cross-check the file with the reference data (I, B003,
//! D001…): nearest known codes, name comparison, and « one finding per bilan of a pupil ».

use crate::catalogue::Code;
use std::collections::HashMap;

use crate::xml::Node;

use crate::diagnostic::{Diagnostic, Fix};
use crate::rules::Ctx;
use crate::util::{fold, levenshtein, name_key};

/// Up to `n` candidates closest to `code` (edit distance on folded text, ties by code), for
/// « codes connus les plus proches ». Exact equals are excluded (the code is unknown).
pub fn nearest<'c>(
    code: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    n: usize,
) -> Vec<&'c str> {
    let key = fold(code);
    let mut v: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != code)
        .map(|c| (levenshtein(&key, &fold(c)), c))
        .collect();
    v.sort();
    v.dedup();
    v.into_iter().take(n).map(|(_, c)| c).collect()
}

/// « « 3A », « 3B » » for a message.
pub fn quoted_list(v: &[&str]) -> String {
    v.iter()
        .map(|c| format!("« {c} »"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether a name of the file matches one of the reference spellings (`util::name_key`).
pub fn same_name(file: &str, reference: &[Option<&str>]) -> bool {
    let k = name_key(file);
    reference.iter().flatten().any(|r| name_key(r) == k)
}

/// Whether a first name of the file matches the reference: the first name itself, or all the
/// first names written one after the other (« Jean Pierre » for PRENOM Jean, PRENOM2 Pierre).
pub fn same_prenom(file: &str, prenoms: &[Option<&str>]) -> bool {
    let k = name_key(file);
    let mut joined = String::new();
    for p in prenoms.iter().flatten() {
        let pk = name_key(p);
        if pk == k {
            return true;
        }
        joined.push_str(&pk);
        if joined == k {
            return true;
        }
    }
    false
}

/// « NOM Prénom » of an `eleve` element, for messages.
pub fn eleve_label(eleve: Node) -> String {
    let id = eleve.attribute("id").unwrap_or("?");
    let name = [eleve.attribute("nom"), eleve.attribute("prenom")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if name.trim().is_empty() {
        format!("élève {id}")
    } else {
        format!("élève {id} ({name})")
    }
}

/// What is wrong with one pupil, reported once per bilan of that pupil.
pub struct PupilProblem {
    pub message: String,
    pub group: Option<String>,
    /// Attached to the first finding only (the edits touch the pupil, not the bilan).
    pub fix: Option<Fix>,
}

/// Reports each problem once per bilan of the pupil (on the bilan's `eleve-ref`), or once on the
/// pupil (`attr` of the `eleve`) when it has no bilan. Keys: start offsets of `eleve` elements.
pub fn report_per_bilan(
    ctx: &Ctx,
    out: &mut Vec<Diagnostic>,
    code: Code,
    attr: &str,
    problems: HashMap<usize, PupilProblem>,
) {
    report_per_bilan_kinds(ctx, out, code, attr, problems, &HashMap::new());
}

/// As `report_per_bilan`, each pupil's findings of the kind `kinds` gives (same keys), else of
/// the rule's default kind.
pub fn report_per_bilan_kinds(
    ctx: &Ctx,
    out: &mut Vec<Diagnostic>,
    code: Code,
    attr: &str,
    mut problems: HashMap<usize, PupilProblem>,
    kinds: &HashMap<usize, &'static str>,
) {
    if problems.is_empty() {
        return;
    }
    let mut with_bilan = std::collections::HashSet::new();
    for bilan in ctx.lsu.all_bilans() {
        let Some(eleve) = ctx.lsu.eleve_of(bilan) else {
            continue;
        };
        let Some(p) = problems.get_mut(&eleve.range().start) else {
            continue;
        };
        with_bilan.insert(eleve.range().start);
        let mut d = ctx.at_attr(bilan, "eleve-ref", code, p.message.clone());
        if let Some(k) = kinds.get(&eleve.range().start) {
            d = d.with_kind(k);
        }
        if let Some(g) = &p.group {
            d = d.with_group(g.clone());
        }
        if let Some(f) = p.fix.take() {
            d = d.with_fix(f);
        }
        out.push(d);
    }
    for &eleve in &ctx.lsu.eleves {
        if with_bilan.contains(&eleve.range().start) {
            continue;
        }
        let Some(p) = problems.remove(&eleve.range().start) else {
            continue;
        };
        let mut d = ctx.at_attr(eleve, attr, code, p.message);
        if let Some(k) = kinds.get(&eleve.range().start) {
            d = d.with_kind(k);
        }
        if let Some(g) = p.group {
            d = d.with_group(g);
        }
        if let Some(f) = p.fix {
            d = d.with_fix(f);
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_codes_by_distance_then_code() {
        let known = ["3A", "3B", "4A", "6EME1", "3 A"];
        assert_eq!(nearest("3eA", known, 3), ["3 A", "3A", "3B"]);
        assert_eq!(nearest("6EME 1", known, 1), ["6EME1"]);
        // Case and accents do not count; the code itself is not « nearest ».
        assert_eq!(nearest("3a", ["3A", "3a"], 3), ["3A"]);
        assert!(nearest("X", std::iter::empty(), 3).is_empty());
    }

    #[test]
    fn folded_names() {
        assert!(same_name("Le Goff", &[None, Some("LE-GOFF")]));
        assert!(same_name("Chloé", &[Some("CHLOE")]));
        assert!(same_name("N'Diaye", &[Some("NDIAYE")]));
        assert!(!same_name("Martin", &[Some("MARTINEZ"), None]));
        assert!(!same_name("", &[None]));
        assert!(same_prenom("Jean-Pierre", &[Some("Jean"), Some("Pierre")]));
        assert!(same_prenom("Léna", &[Some("LENA"), Some("Marie")]));
        // Any of the first names: a pupil may go by the second one.
        assert!(same_prenom("Marie", &[Some("Léna"), Some("Marie")]));
        assert!(!same_prenom("Zoé", &[Some("Léna"), Some("Marie")]));
    }
}
