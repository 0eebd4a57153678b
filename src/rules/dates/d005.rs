//! D005 millesime-inconsistent: the dates of a bilan lie in another school year than its
//! millesime (exporters computing it from the export date are off by one in August), or the file
//! mixes millesimes. One finding per bilan concerned.
//!
//! School years are cut by the calendar (`school_year_start`), so a schooling date a few days
//! before the rentrée stays in its year (that is D001's business, not a millesime error).
//! Fix (unsafe): rewrite the millesime (of the period, once, or of the bilan-cycle) when every
//! date of every bilan using it points to one same other year.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{HashMap, HashSet};

use crate::xml::Node;
use chrono::NaiveDate;

use super::common::{
    iso, parse_date, parse_millesime, periode_of, school_year_label, school_year_of,
};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::attr_value_range;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::D005,
    degree: None,
    check,
};

/// The variants of D005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "annee-des-dates",
        title: "millésime différent de l'année scolaire des dates du bilan",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, vérifier l'année scolaire de l'export (le millésime est l'année de la rentrée), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "millesimes-melanges",
        title: "fichier mêlant plusieurs millésimes",
        agir: Agir::Logiciel,
        action: "Exporter depuis le logiciel de vie scolaire les bilans d'une seule année scolaire par fichier.",
    },
];

/// A dated attribute of a bilan or of its period.
struct Dated<'a, 'i> {
    node: Node<'a, 'i>,
    attr: &'static str,
    date: NaiveDate,
}

/// The node carrying the millesime (period or bilan-cycle) and the dates that must agree with it.
fn dates_of<'a, 'i>(
    ctx: &Ctx<'a, 'i>,
    bilan: Node<'a, 'i>,
) -> Option<(Node<'a, 'i>, Vec<Dated<'a, 'i>>)> {
    let mut v = Vec::new();
    let mut push = |node: Node<'a, 'i>, attr: &'static str| {
        if let Some(date) = node.attribute(attr).and_then(parse_date) {
            v.push(Dated { node, attr, date });
        }
    };
    if bilan.tag_name().name() == "bilan-cycle" {
        push(bilan, "date-creation");
        return Some((bilan, v));
    }
    let periode = periode_of(ctx.lsu, bilan)?;
    push(bilan, "date-scolarite");
    push(bilan, "date-conseil-classe");
    push(periode, "date-debut");
    push(periode, "date-fin");
    Some((periode, v))
}

/// A bilan's millesime holder, millesime and dates; computed again in the second pass of
/// `check` rather than kept for every bilan of a large file.
#[allow(clippy::type_complexity)]
fn row<'a, 'i>(
    ctx: &Ctx<'a, 'i>,
    bilan: Node<'a, 'i>,
) -> Option<(Node<'a, 'i>, i32, Vec<Dated<'a, 'i>>)> {
    let (holder, dates) = dates_of(ctx, bilan)?;
    let m = holder.attribute("millesime").and_then(parse_millesime)?;
    Some((holder, m, dates))
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let cal = ctx.calendar;
    // First pass: per millesime holder, the school years its dates point to; file majority.
    let mut years_of_holder: HashMap<usize, HashSet<i32>> = HashMap::new();
    let mut count: HashMap<i32, usize> = HashMap::new();
    for bilan in ctx.lsu.all_bilans() {
        let Some((holder, m, dates)) = row(ctx, bilan) else {
            continue;
        };
        // The majority is taken over bilans whose dates agree with their millesime.
        if dates.iter().all(|d| school_year_of(cal, d.date) == m) {
            *count.entry(m).or_default() += 1;
        }
        let set = years_of_holder.entry(holder.range().start).or_default();
        set.extend(dates.iter().map(|d| school_year_of(cal, d.date)));
    }
    // Majority millesime (ties: the most recent, the likeliest current campaign).
    let majority = count
        .iter()
        .max_by_key(|(m, n)| (**n, **m))
        .map(|(m, _)| *m);
    // Existing period keys, to avoid creating a duplicate (millesime, indice, nb-periodes).
    let keys: HashSet<(i32, &str, &str)> = ctx
        .lsu
        .periodes
        .iter()
        .filter_map(|p| {
            Some((
                p.attribute("millesime").and_then(parse_millesime)?,
                p.attribute("indice")?.trim(),
                p.attribute("nb-periodes")?.trim(),
            ))
        })
        .collect();
    let mut fixed_holders: HashSet<usize> = HashSet::new();
    for bilan in ctx.lsu.all_bilans() {
        let Some((holder, m, dates)) = row(ctx, bilan) else {
            continue;
        };
        let off: Vec<&Dated> = dates
            .iter()
            .filter(|d| school_year_of(cal, d.date) != m)
            .collect();
        let minority = majority.is_some_and(|maj| maj != m);
        if off.is_empty() && !minority {
            continue;
        }
        let mut parts = Vec::new();
        if !off.is_empty() {
            let list: Vec<String> = off
                .iter()
                .map(|d| format!("{} {}", d.attr, iso(d.date)))
                .collect();
            parts.push(format!(
                "millésime {m} (année scolaire {}) incohérent avec {} (année scolaire {})",
                school_year_label(m),
                list.join(", "),
                school_year_label(school_year_of(cal, off[0].date)),
            ));
        }
        if let (true, Some(maj)) = (minority, majority) {
            parts.push(format!(
                "le fichier mêle plusieurs millésimes ({m} ici, {maj} pour la plupart des bilans)"
            ));
        }
        // D005's confidence is R for LSU's reaction: hedged.
        let msg = format!("{} : LSU rejette probablement ce bilan", parts.join(" ; "));
        let kind = if off.is_empty() {
            "millesimes-melanges"
        } else {
            "annee-des-dates"
        };
        let mut d = match off.iter().find(|d| d.node == bilan) {
            Some(first) => ctx.at_attr(bilan, first.attr, Code::D005, msg),
            None if bilan.tag_name().name() == "bilan-cycle" => {
                ctx.at_attr(bilan, "millesime", Code::D005, msg)
            }
            None => ctx.at_attr(bilan, "periode-ref", Code::D005, msg),
        }
        .with_kind(kind);
        if let Some(fix) = fix_for(holder, m, &years_of_holder, &keys, &mut fixed_holders) {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
}

/// Rewrites the millesime when all dates of all bilans of `holder` agree on one other year.
fn fix_for(
    holder: Node,
    m: i32,
    years: &HashMap<usize, HashSet<i32>>,
    keys: &HashSet<(i32, &str, &str)>,
    fixed: &mut HashSet<usize>,
) -> Option<Fix> {
    let set = years.get(&holder.range().start)?;
    if set.len() != 1 {
        return None;
    }
    let target = *set.iter().next()?;
    if target == m {
        return None;
    }
    if holder.tag_name().name() == "periode" {
        let key = (
            target,
            holder.attribute("indice")?.trim(),
            holder.attribute("nb-periodes")?.trim(),
        );
        if keys.contains(&key) {
            return None;
        }
    }
    if !fixed.insert(holder.range().start) {
        return None;
    }
    let (s, e) = attr_value_range(holder, "millesime")?;
    let what = match holder.attribute("id") {
        Some(id) if holder.tag_name().name() == "periode" => {
            format!(" de la période {id} (pour tous ses bilans)")
        }
        _ => String::new(),
    };
    Some(Fix::unsafe_(
        format!("Remplacer le millésime {m} par {target}{what}"),
        vec![Edit::replace(s, e, target.to_string())],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::dates::common::test_support::*;

    #[test]
    fn off_by_one_millesime_is_found_and_fixed() {
        let ok = run(&file_2d("2025", "2025-08-28", "2025-12-04"), "2026-01-15");
        assert!(of(&ok, Code::D005).is_empty(), "D001's business, not D005");
        let xml = file_2d("2026", "2025-09-01", "2025-12-04");
        let bad = run(&xml, "2026-01-15");
        let d = of(&bad, Code::D005);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("millésime 2026"));
        let fixed = apply(&xml, &bad, Code::D005);
        assert!(fixed.contains(r#"millesime="2025""#));
        assert!(of(&run(&fixed, "2026-01-15"), Code::D005).is_empty());
        // Dates pointing to two different years: no fix.
        let split = run(&file_2d("2026", "2024-09-01", "2025-12-04"), "2026-01-15");
        let d = of(&split, Code::D005);
        assert_eq!(d.len(), 1);
        assert!(d[0].fix.is_none());
    }
}
