//! D008 period-calendar-anomaly: periods that cannot match a sane LSU periodicity.
//! Both degrees: `indice` outside 1..`nb-periodes`, several `nb-periodes` for one millesime, the
//! same `indice` twice in one series. 1D (periods carry dates): `date-debut` ≥ `date-fin`,
//! placeholder dates (before 2000), overlaps and gaps of more than two weeks between consecutive
//! periods of one series, dates out of `indice` order, and a first period starting before the
//! rentrée when no bilan uses it (when one does, D001 reports each bilan).
//! One finding per period concerned, on the period; suggest only.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{HashMap, HashSet};

use crate::xml::Node;
use chrono::{Datelike, NaiveDate};

use super::common::{iso, parse_date, parse_millesime, periode_of};
use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::D008,
    degree: None,
    check,
};

/// The variants of D008 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "period-calendar-anomaly",
    title: "calendrier des périodes incohérent dans le logiciel",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de l'école, corriger le calendrier des périodes (dates, ordre, nombre de périodes), puis exporter à nouveau.",
}];

/// Gaps up to this many days between two periods are week-ends and holidays, not anomalies.
const MAX_GAP_DAYS: i64 = 14;

struct Period<'a, 'i> {
    node: Node<'a, 'i>,
    id: &'a str,
    millesime: i32,
    indice: Option<i64>,
    nb: Option<i64>,
    debut: Option<NaiveDate>,
    fin: Option<NaiveDate>,
}

fn int(node: Node, attr: &str) -> Option<i64> {
    node.attribute(attr)?.trim().parse().ok()
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let periods: Vec<Period> = ctx
        .lsu
        .periodes
        .iter()
        .filter_map(|&node| {
            Some(Period {
                node,
                id: node.attribute("id").unwrap_or("?"),
                millesime: node.attribute("millesime").and_then(parse_millesime)?,
                indice: int(node, "indice"),
                nb: int(node, "nb-periodes"),
                debut: node.attribute("date-debut").and_then(parse_date),
                fin: node.attribute("date-fin").and_then(parse_date),
            })
        })
        .collect();
    // Problems per period (index into `periods`), reported together.
    let mut problems: Vec<Vec<String>> = vec![Vec::new(); periods.len()];

    // Several nb-periodes for one millesime: flag the periods of the minority values.
    let mut nbs: HashMap<i32, HashMap<i64, usize>> = HashMap::new();
    for p in &periods {
        if let Some(nb) = p.nb {
            *nbs.entry(p.millesime).or_default().entry(nb).or_default() += 1;
        }
    }
    let mut seen_indice: HashSet<(i32, i64, i64)> = HashSet::new();
    for (i, p) in periods.iter().enumerate() {
        if let (Some(ind), Some(nb)) = (p.indice, p.nb) {
            if ind < 1 || ind > nb {
                problems[i].push(format!("indice {ind} hors de 1..{nb} (nb-periodes)"));
            }
        }
        if let Some(nb) = p.nb {
            if let Some(map) = nbs.get(&p.millesime).filter(|m| m.len() > 1) {
                let others: Vec<String> = {
                    let mut v: Vec<i64> = map.keys().copied().filter(|k| *k != nb).collect();
                    v.sort_unstable();
                    v.iter().map(i64::to_string).collect()
                };
                problems[i].push(format!(
                    "nb-periodes {nb} alors que d'autres périodes du millésime {} en déclarent {} : une classe n'a qu'une périodicité dans LSU",
                    p.millesime,
                    others.join(", ")
                ));
            }
        }
        // Same indice twice in one series (2D: also a schema key; 1D: the dates differ).
        if let (Some(ind), Some(nb)) = (p.indice, p.nb) {
            if !seen_indice.insert((p.millesime, nb, ind)) && ctx.version.degree == Some(Degree::D1)
            {
                problems[i].push(format!(
                    "indice {ind} déjà utilisé par une autre période {} en {nb} périodes, avec d'autres dates",
                    p.millesime
                ));
            }
        }
    }

    if ctx.version.degree == Some(Degree::D1) {
        check_dates_1d(ctx, &periods, &mut problems);
    }

    for (p, probs) in periods.iter().zip(problems) {
        if probs.is_empty() {
            continue;
        }
        out.push(ctx.at_node(
            p.node,
            Code::D008,
            format!(
                "période {} : {} ; LSU risque de rejeter les bilans de cette période (dates ou périodicité incohérentes avec son paramétrage) : corriger le calendrier des périodes dans le logiciel d'origine",
                p.id,
                probs.join(" ; ")
            ),
        ));
    }
}

fn check_dates_1d(ctx: &Ctx, periods: &[Period], problems: &mut [Vec<String>]) {
    // Periods used by a bilan (D001 reports those starting before the rentrée).
    let used: HashSet<usize> = ctx
        .lsu
        .bilans_periodiques
        .iter()
        .filter_map(|b| periode_of(ctx.lsu, *b))
        .map(|p| p.range().start)
        .collect();
    for (i, p) in periods.iter().enumerate() {
        for (what, d) in [("date-debut", p.debut), ("date-fin", p.fin)] {
            if let Some(d) = d.filter(|d| d.year() < 2000) {
                problems[i].push(format!(
                    "{what} {} factice (période sans dates dans le logiciel ?)",
                    iso(d)
                ));
            }
        }
        if let (Some(a), Some(b)) = (p.debut, p.fin) {
            if a >= b {
                problems[i].push(format!(
                    "date-debut {} postérieure ou égale à date-fin {}",
                    iso(a),
                    iso(b)
                ));
            }
        }
    }
    // Series: periods of one millesime and one nb-periodes, ordered by start date.
    let mut series: HashMap<(i32, Option<i64>), Vec<usize>> = HashMap::new();
    for (i, p) in periods.iter().enumerate() {
        if p.debut.is_some() && p.fin.is_some() {
            series.entry((p.millesime, p.nb)).or_default().push(i);
        }
    }
    for (&(millesime, _), idx) in series.iter_mut() {
        idx.sort_by_key(|&i| (periods[i].debut, periods[i].indice));
        if let Some(&first) = idx.first() {
            let p = &periods[first];
            if let (Some(d), Some((r, src))) = (p.debut, ctx.calendar.rentree(millesime)) {
                if d < r && !used.contains(&p.node.range().start) {
                    problems[first].push(format!(
                        "commence le {}, avant la rentrée du {} ({})",
                        iso(d),
                        iso(r),
                        src.label_fr()
                    ));
                }
            }
        }
        for w in idx.windows(2) {
            let (a, b) = (&periods[w[0]], &periods[w[1]]);
            let (Some(a_fin), Some(b_debut)) = (a.fin, b.debut) else {
                continue;
            };
            if b_debut <= a_fin {
                problems[w[1]].push(format!(
                    "chevauche la période {} (elle commence le {}, avant la fin de {} le {})",
                    a.id,
                    iso(b_debut),
                    a.id,
                    iso(a_fin)
                ));
            } else if (b_debut - a_fin).num_days() - 1 > MAX_GAP_DAYS {
                problems[w[1]].push(format!(
                    "{} jours sans période entre la fin de {} ({}) et son début ({})",
                    (b_debut - a_fin).num_days() - 1,
                    a.id,
                    iso(a_fin),
                    iso(b_debut)
                ));
            }
            if let (Some(ia), Some(ib)) = (a.indice, b.indice) {
                if ib < ia {
                    problems[w[1]].push(format!(
                        "indice {ib} alors qu'elle commence après la période {} d'indice {ia}",
                        a.id
                    ));
                }
            }
        }
    }
}
