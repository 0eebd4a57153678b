//! M family. One file per rule; `rules()` lists this family's rules for the registry.

use std::collections::{HashMap, HashSet};

use crate::xml::{Node, NodeId};

use super::{Ctx, Rule};
use crate::model;

pub mod m001;
pub mod m002;
pub mod m003;
pub mod m004;
pub mod m005;
pub mod m006;
pub mod m007;

pub fn rules() -> Vec<&'static Rule> {
    vec![
        &m001::RULE,
        &m002::RULE,
        &m003::RULE,
        &m004::RULE,
        &m005::RULE,
        &m006::RULE,
        &m007::RULE,
    ]
}

pub use crate::util::xs_trim;

/// The matière codes a discipline may be known under: `code`, then `code-national`.
pub fn codes<'a>(disc: Node<'a, '_>) -> Vec<&'a str> {
    [disc.attribute("code"), disc.attribute("code-national")]
        .into_iter()
        .flatten()
        .map(xs_trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// The pupils evaluated in each discipline (by the discipline node's position), each once, in
/// the order of their first evaluation in the file. Only the pupils are kept: the rules that
/// use this look at who is evaluated, and a large export has hundreds of thousands of acquis.
pub fn pupils_by_discipline<'a, 'i>(ctx: &Ctx<'a, 'i>) -> HashMap<usize, Vec<Node<'a, 'i>>> {
    let mut m: HashMap<usize, Vec<Node>> = HashMap::new();
    let mut seen: HashSet<(NodeId, NodeId)> = HashSet::new();
    for bilan in &ctx.lsu.bilans_periodiques {
        let Some(eleve) = ctx.lsu.eleve_of(*bilan) else {
            continue;
        };
        for acquis in model::items(Some(*bilan), "liste-acquis", "acquis") {
            if let Some(d) = discipline_of(ctx, acquis) {
                if seen.insert((d.id(), eleve.id())) {
                    m.entry(d.range().start).or_default().push(eleve);
                }
            }
        }
    }
    m
}

/// The `discipline` an acquis refers to.
pub fn discipline_of<'a, 'i>(ctx: &Ctx<'a, 'i>, acquis: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    acquis
        .attribute("discipline-ref")
        .and_then(|r| ctx.lsu.target(xs_trim(r)))
        .filter(|n| n.tag_name().name() == "discipline")
}

/// The MEFs of a pupil: Siècle's CODE_MEF, else the MEFs of the division in STS-Web.
pub fn mefs_of(ctx: &Ctx, eleve: Node) -> Vec<String> {
    if let Some(m) = ctx
        .refdata
        .siecle
        .as_ref()
        .zip(eleve.attribute("id-be"))
        .and_then(|(s, id)| s.eleve(id))
        .and_then(|e| e.code_mef.clone())
    {
        return vec![m];
    }
    ctx.refdata
        .sts
        .as_ref()
        .zip(eleve.attribute("code-division"))
        .and_then(|(s, d)| s.division(d))
        .map(|d| d.mefs.clone())
        .unwrap_or_default()
}

/// The structures of a pupil (division first, then groups) and whether the groups come from
/// Siècle (else: every STS group attached to the division, membership unknown).
pub fn structures_of(ctx: &Ctx, eleve: Node) -> (Vec<String>, bool) {
    let Some(division) = eleve.attribute("code-division") else {
        return (Vec::new(), false);
    };
    let mut v = vec![division.to_string()];
    if let Some(e) = ctx
        .refdata
        .siecle
        .as_ref()
        .zip(eleve.attribute("id-be"))
        .and_then(|(s, id)| s.eleve(id))
    {
        v.extend(e.groupes.iter().cloned());
        return (v, true);
    }
    if let Some(sts) = &ctx.refdata.sts {
        v.extend(sts.groupes_of_division(division).map(|g| g.code.clone()));
    }
    (v, false)
}

/// A matière's label from the Nomenclature or STS-Web.
pub fn label(ctx: &Ctx, code: &str) -> Option<String> {
    if let Some(m) = ctx
        .refdata
        .nomenclature
        .as_ref()
        .and_then(|n| n.matiere(code))
    {
        return Some(m.libelle().to_string());
    }
    ctx.refdata
        .sts
        .as_ref()
        .and_then(|s| s.matieres.get(code))
        .cloned()
}

/// « 030201 (Anglais LV1) » for messages: the reference label, else `fallback` (the file's
/// libellé), else the code alone.
pub fn named(ctx: &Ctx, code: &str, fallback: Option<&str>) -> String {
    match label(ctx, code).or(fallback.map(str::to_string)) {
        Some(l) if !l.trim().is_empty() => format!("{code} ({})", l.trim()),
        _ => code.to_string(),
    }
}

/// A living-language code `03LL0R` (`reference-data.md` §1.2): the language (first four digits)
/// and the rank (1 = LV1, 2 = LV2).
pub fn langue_vivante(code: &str) -> Option<(&str, u8)> {
    let b = code.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) || &code[..2] != "03" || b[4] != b'0' {
        return None;
    }
    match b[5] {
        b'1' => Some((&code[..4], 1)),
        b'2' => Some((&code[..4], 2)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::langue_vivante;

    #[test]
    fn lv_codes() {
        assert_eq!(langue_vivante("030201"), Some(("0302", 1)));
        assert_eq!(langue_vivante("030602"), Some(("0306", 2)));
        assert_eq!(langue_vivante("061300"), None);
        assert_eq!(langue_vivante("030203"), None);
        assert_eq!(langue_vivante("03020"), None);
    }
}
