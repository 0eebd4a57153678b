//! `lsu-lint split`: cuts one LSU file into self-contained files, by division, niveau or period.
//! Each output is the original bytes minus removed element ranges: the header stays, ids stay
//! stable, and only the declarations its bilans (transitively) reference are kept. Every bilan of
//! the input lands in exactly one output.

use std::collections::{BTreeMap, HashSet};

use crate::xml::{Document, Node};

use crate::model::refs::{specs_of, DECLARATIONS};
use crate::model::{self, Lsu};
use crate::parse;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitBy {
    Division,
    Niveau,
    Periode,
}

/// Containers the schema requires even when they would be empty (never emptied: each output has
/// at least one pupil, hence one of each of these referenced).
const REQUIRED_CONTAINERS: &[&str] = &[
    "responsables-etab",
    "eleves",
    "directeurs",
    "classes",
    "enseignants",
];

#[derive(Debug, Clone)]
pub struct SplitPart {
    /// Filename-safe key (`3A`, `niveau-6`, `periode-1`).
    pub key: String,
    pub bytes: Vec<u8>,
    pub eleves: usize,
    pub bilans: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SplitError {
    #[error("le fichier n'est pas un XML lisible : {0}")]
    Unreadable(String),
    #[error("le fichier ne contient aucun bilan à répartir")]
    NoBilan,
}

/// Letters, digits, `-` and `_` only (`interfaces.md`, « Splitting »).
pub fn safe_key(raw: &str) -> String {
    let s: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "sans-cle".into()
    } else {
        s
    }
}

/// File-name keys for the raw keys of a split: `safe_key` of each, and when two raw keys give
/// the same name once case is folded (`A/B`, `A_B` and `a b`; case-insensitive file systems
/// would merge `A_B` and `a_b`), each of those gets a suffix computed from its raw key alone, so
/// a key's name does not depend on the order of the others.
pub fn file_keys<'k>(raw: impl IntoIterator<Item = &'k str>) -> Vec<String> {
    let raw: Vec<&str> = raw.into_iter().collect();
    let safe: Vec<String> = raw.iter().map(|r| safe_key(r)).collect();
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for s in &safe {
        *count.entry(s.to_lowercase()).or_insert(0) += 1;
    }
    raw.iter()
        .zip(safe)
        .map(|(r, s)| {
            if count.get(&s.to_lowercase()).copied().unwrap_or(0) > 1 {
                format!("{s}-{:08x}", fnv1a(r.as_bytes()))
            } else {
                s
            }
        })
        .collect()
}

/// FNV-1a, 32 bits: a short, stable digest (the same on every machine and version).
fn fnv1a(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h ^= u32::from(*b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// The key of each pupil for a split by division or niveau (raw: made file-name safe later). `niveau_of` gives the niveau from
/// reference data when known (Siècle CODE_MEF, ONDE niveau).
fn eleve_key(
    lsu: &Lsu,
    eleve: Node,
    by: SplitBy,
    niveau_of: &dyn Fn(Node) -> Option<String>,
) -> String {
    let division = lsu.division_of_eleve(eleve).unwrap_or("");
    match by {
        SplitBy::Division | SplitBy::Periode => division.to_string(),
        SplitBy::Niveau => match niveau_of(eleve) {
            Some(n) => format!("niveau-{n}"),
            None => {
                // 2D: the division code's leading digit (6, 5, 4, 3); 1D without ONDE: the class.
                let first = division.chars().next().filter(|c| c.is_ascii_digit());
                match (first, eleve.has_attribute("code-division")) {
                    (Some(d), true) => format!("niveau-{d}"),
                    _ => division.to_string(),
                }
            }
        },
    }
}

/// Splits `text` (a well-formed LSU file). Parts come in key order.
pub fn split(
    text: &str,
    by: SplitBy,
    niveau_of: &dyn Fn(Node) -> Option<String>,
) -> Result<Vec<SplitPart>, SplitError> {
    parse::guard(text).map_err(|d| SplitError::Unreadable(d.message))?;
    let doc = Document::parse(text)
        .map_err(|e| SplitError::Unreadable(parse::well_formedness_message(&e)))?;
    let lsu = Lsu::new(&doc);
    // Key of every bilan.
    let mut groups: BTreeMap<String, Vec<Node>> = BTreeMap::new();
    if by == SplitBy::Periode {
        for (key, bilans) in period_groups(&lsu) {
            groups.entry(key).or_default().extend(bilans);
        }
    } else {
        for b in lsu.all_bilans() {
            let key = match lsu.eleve_of(b) {
                Some(e) => eleve_key(&lsu, e, by, niveau_of),
                None => "sans-eleve".into(),
            };
            groups.entry(key).or_default().push(b);
        }
    }
    if groups.is_empty() {
        return Err(SplitError::NoBilan);
    }
    let keys = file_keys(groups.keys().map(String::as_str));
    let mut parts = Vec::new();
    for (key, (_, bilans)) in keys.into_iter().zip(groups) {
        parts.push(build_part(text, &lsu, key, &bilans));
    }
    // Parts in the order of their file names.
    parts.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(parts)
}

/// Bilans grouped by period: one group per distinct `periode` element (two periods of the same
/// indice with different dates — two calendars — are two groups, as B004 counts them), the
/// cycle bilans together. Keys are `periode-<millésime>-<indice>`, with the dates (then the id)
/// added when that is shared by several periods.
fn period_groups<'a, 'i>(lsu: &Lsu<'a, 'i>) -> Vec<(String, Vec<Node<'a, 'i>>)> {
    // Period element (or dangling reference) → bilans, in order of first use.
    let mut order: Vec<(Option<Node<'a, 'i>>, String)> = Vec::new();
    let mut members: Vec<Vec<Node<'a, 'i>>> = Vec::new();
    let mut cycle: Vec<Node<'a, 'i>> = Vec::new();
    for b in lsu.all_bilans() {
        if b.tag_name().name() == "bilan-cycle" {
            cycle.push(b);
            continue;
        }
        let r = b.attribute("periode-ref").unwrap_or("");
        let p = lsu.target(r);
        let at = order.iter().position(|(q, raw)| match (q, p) {
            (Some(q), Some(p)) => q.id() == p.id(),
            (None, None) => raw == r,
            _ => false,
        });
        match at {
            Some(i) => members[i].push(b),
            None => {
                order.push((p, r.to_string()));
                members.push(vec![b]);
            }
        }
    }
    let a = |p: Node, n: &str| safe_key(p.attribute(n).unwrap_or("").trim());
    let base = |(p, raw): &(Option<Node>, String)| match p {
        Some(p) => format!("periode-{}-{}", a(*p, "millesime"), a(*p, "indice")),
        None => format!("periode-{}", safe_key(raw)),
    };
    let bases: Vec<String> = order.iter().map(base).collect();
    let mut keys: Vec<String> = Vec::new();
    for (i, (p, _)) in order.iter().enumerate() {
        let shared = bases.iter().filter(|b| **b == bases[i]).count() > 1;
        let mut key = bases[i].clone();
        if let (true, Some(p)) = (shared, p) {
            key = format!("{key}-{}_{}", a(*p, "date-debut"), a(*p, "date-fin"));
            let same = order
                .iter()
                .filter_map(|(q, _)| *q)
                .filter(|q| {
                    base(&(Some(*q), String::new())) == bases[i]
                        && a(*q, "date-debut") == a(*p, "date-debut")
                        && a(*q, "date-fin") == a(*p, "date-fin")
                })
                .count();
            if same > 1 {
                key = format!("{key}-{}", a(*p, "id"));
            }
        }
        keys.push(key);
    }
    let mut out: Vec<(String, Vec<Node<'a, 'i>>)> = keys.into_iter().zip(members).collect();
    if !cycle.is_empty() {
        out.push(("cycle".to_string(), cycle));
    }
    out
}

fn ref_values<'a>(n: Node<'a, '_>) -> impl Iterator<Item = &'a str> + 'a {
    specs_of(n.tag_name().name())
        .iter()
        .filter_map(move |spec| n.attribute(spec.attr))
        .flat_map(str::split_whitespace)
}

fn build_part(text: &str, lsu: &Lsu, key: String, bilans: &[Node]) -> SplitPart {
    let bilan_set: HashSet<_> = bilans.iter().map(|b| b.id()).collect();
    // Pupils of these bilans.
    let eleve_ids: HashSet<&str> = bilans
        .iter()
        .filter_map(|b| b.attribute("eleve-ref"))
        .collect();
    // Transitive closure of references from the kept bilans and pupils.
    let mut kept_ids: HashSet<&str> = HashSet::new();
    let mut stack: Vec<Node> = Vec::new();
    for b in bilans {
        stack.extend(b.descendants().filter(Node::is_element));
    }
    for e in &lsu.eleves {
        if e.attribute("id").is_some_and(|i| eleve_ids.contains(i)) {
            stack.push(*e);
        }
    }
    while let Some(n) = stack.pop() {
        for v in ref_values(n) {
            if kept_ids.insert(v) {
                if let Some(t) = lsu.target(v) {
                    stack.extend(t.descendants().filter(Node::is_element));
                }
            }
        }
    }
    let divisions: HashSet<&str> = lsu
        .eleves
        .iter()
        .filter(|e| e.attribute("id").is_some_and(|i| eleve_ids.contains(i)))
        .filter_map(|e| {
            e.attribute("code-division")
                .or_else(|| e.attribute("classe-ref"))
        })
        .collect();
    let mut removed: Vec<(usize, usize)> = Vec::new();
    let mut remove = |n: Node| removed.push(crate::fix::edit::element_removal(text, n));
    // Bilans of other parts, and their containers when emptied.
    for (container, list) in [
        ("bilans-periodiques", &lsu.bilans_periodiques),
        ("bilans-cycle", &lsu.bilans_cycle),
    ] {
        let keep = list.iter().filter(|b| bilan_set.contains(&b.id())).count();
        if keep == 0 {
            if let Some(c) = lsu.donnees.and_then(|d| model::child(d, container)) {
                remove(c);
            }
        } else {
            for b in list.iter().filter(|b| !bilan_set.contains(&b.id())) {
                remove(*b);
            }
        }
    }
    for e in &lsu.eleves {
        if !e.attribute("id").is_some_and(|i| eleve_ids.contains(i)) {
            remove(*e);
        }
    }
    if let Some(donnees) = lsu.donnees {
        for (container, item) in DECLARATIONS {
            let Some(c) = model::child(donnees, container) else {
                continue;
            };
            let items: Vec<Node> = model::children(c, item).collect();
            let keep: Vec<bool> = items
                .iter()
                .map(|n| n.attribute("id").is_some_and(|i| kept_ids.contains(i)))
                .collect();
            let any = keep.iter().any(|k| *k);
            if !any && !REQUIRED_CONTAINERS.contains(container) {
                remove(c);
                continue;
            }
            for (i, (n, k)) in items.iter().zip(&keep).enumerate() {
                // A required container keeps its first item rather than become empty.
                if !k && (any || i > 0) {
                    remove(*n);
                }
            }
        }
        // Common blocks keyed by period and division.
        for (container, item, div_attr) in [
            ("parcours-communs", "parcours-commun", "code-division"),
            (
                "vies-scolaires-communs",
                "vie-scolaire-commun",
                "code-division",
            ),
            ("parcours-communs", "parcours-commun", "classe-ref"),
        ] {
            let Some(c) = model::child(donnees, container) else {
                continue;
            };
            let items: Vec<Node> = model::children(c, item)
                .filter(|n| n.has_attribute(div_attr))
                .collect();
            if items.is_empty() {
                continue;
            }
            let keep: Vec<bool> = items
                .iter()
                .map(|n| {
                    n.attribute("periode-ref")
                        .is_some_and(|p| kept_ids.contains(p))
                        && n.attribute(div_attr).is_some_and(|d| divisions.contains(d))
                })
                .collect();
            if !keep.iter().any(|k| *k) {
                remove(c);
            } else {
                for (n, k) in items.iter().zip(&keep) {
                    if !k {
                        remove(*n);
                    }
                }
            }
        }
        // EPI thematics are declarations by code: keep those the kept EPIs use.
        if let Some(c) = model::child(donnees, "epis-thematiques") {
            let used: HashSet<&str> = lsu
                .ids
                .values()
                .filter(|n| {
                    n.tag_name().name() == "epi"
                        && n.attribute("id").is_some_and(|i| kept_ids.contains(i))
                })
                .filter_map(|n| n.attribute("thematique"))
                .collect();
            let items: Vec<Node> = model::children(c, "epi-thematique").collect();
            if !items
                .iter()
                .any(|n| n.attribute("code").is_some_and(|x| used.contains(x)))
            {
                remove(c);
            } else {
                for n in items {
                    if !n.attribute("code").is_some_and(|x| used.contains(x)) {
                        remove(n);
                    }
                }
            }
        }
    }
    removed.sort();
    // Drop ranges nested in an already removed range.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for r in removed {
        match merged.last() {
            Some(&(_, end)) if r.0 < end => {}
            _ => merged.push(r),
        }
    }
    let mut out = Vec::with_capacity(text.len());
    let mut pos = 0;
    for (s, e) in merged {
        out.extend_from_slice(&text.as_bytes()[pos..s]);
        pos = e;
    }
    out.extend_from_slice(&text.as_bytes()[pos..]);
    SplitPart {
        key,
        bytes: out,
        eleves: eleve_ids.len(),
        bilans: bilans.len(),
    }
}
