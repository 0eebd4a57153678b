//! D001 ★ date-scolarite-outside-enrolment: a bilan whose schooling date falls outside the
//! pupil's enrolment, which LSU rejects (« élève non inscrit / non scolarisé »).
//!
//! The enrolment window of a bilan is built from lower and upper bounds, each with its reason:
//! the rentrée of the period's millesime (`ctx.calendar.rentree`, source named in the message),
//! and in 2D with Siècle the pupil's `DATE_ENTREE` (lower) and `DATE_SORTIE` (upper), used only
//! when the Siècle file is of that school year (else I007 reports it). 1D: ONDE has no dates, the
//! rentrée only. When the window is empty (the pupil left before he could be schooled in that
//! period), no clamp is offered and the message suggests dropping the bilan.
//!
//! 2D: `bilan-periodique/@date-scolarite`. 1D: the period's `date-debut` (LSU's schooling start
//! for the bilan), and the bilan's own `date-scolarite`. One finding per bilan concerned.
//!
//! Kinds (`interfaces.md` « Root causes »): the bound the clamp would go to — `avant-rentree`
//! (the mass-rejection cause, one title for the whole school: the rentrée), `avant-entree`,
//! `apres-sortie` (the pupil's own dates, kept out of the cause's title).

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashSet;

use crate::xml::Node;
use chrono::NaiveDate;

use super::common::{iso, parse_date, parse_millesime, periode_of, school_year_start};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{attr_value_range, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::D001,
    degree: None,
    check,
};

/// The variants of D001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: AVANT_RENTREE,
        title: "date de scolarité antérieure à la rentrée",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, faire commencer la première période à la rentrée officielle (pas avant), puis exporter à nouveau.",
    },
    KindMeta {
        slug: AVANT_ENTREE,
        title: "date de scolarité antérieure à l'entrée de l'élève (Siècle)",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, reprendre la date d'entrée de l'élève arrivé en cours d'année telle qu'elle figure dans Siècle, puis exporter à nouveau.",
    },
    KindMeta {
        slug: APRES_SORTIE,
        title: "date de scolarité postérieure à la sortie de l'élève (Siècle)",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, ne pas exporter de bilan pour une période où l'élève avait déjà quitté l'établissement (ou faire corriger sa date de sortie dans Siècle si elle est fausse), puis exporter à nouveau.",
    },
];

const AVANT_RENTREE: &str = "avant-rentree";
const AVANT_ENTREE: &str = "avant-entree";
const APRES_SORTIE: &str = "apres-sortie";

/// One end of the enrolment window and why (« la rentrée du 2025-09-01 (calendrier …) »).
struct Bound {
    date: NaiveDate,
    why: String,
    /// The kind of a finding whose fix would clamp to this bound.
    kind: &'static str,
}

/// The pupil's Siècle record for a 2D bilan, when Siècle is of the bilan's school year.
fn siecle_eleve<'r>(
    ctx: &Ctx<'r, '_>,
    bilan: Node,
    millesime: i32,
) -> Option<&'r crate::refdata::siecle::EleveSiecle> {
    if ctx.version.degree != Some(Degree::D2) {
        return None;
    }
    let siecle = ctx.refdata.siecle.as_ref()?;
    if siecle.annee.is_some_and(|a| a != millesime) {
        return None;
    }
    siecle.eleve(ctx.lsu.eleve_of(bilan)?.attribute("id-be")?)
}

/// Dates before which the pupil is not enrolled for this bilan (the latest one wins).
fn lower_bounds(ctx: &Ctx, bilan: Node, millesime: i32) -> Vec<Bound> {
    let mut v = Vec::new();
    match ctx.calendar.rentree(millesime) {
        Some((date, source)) => v.push(Bound {
            date,
            why: format!("la rentrée du {} ({})", iso(date), source.label_fr()),
            kind: AVANT_RENTREE,
        }),
        // rules.md: no rentrée known for that year → the rentrée part is skipped and listed.
        None => ctx.skip(Code::D001, "calendar"),
    }
    if let Some(date) = siecle_eleve(ctx, bilan, millesime).and_then(|e| e.date_entree) {
        v.push(Bound {
            date,
            why: format!("l'entrée de l'élève le {} (Siècle)", iso(date)),
            kind: AVANT_ENTREE,
        });
    }
    v
}

/// Dates after which the pupil is no longer enrolled (the earliest one wins): Siècle
/// DATE_SORTIE (2D).
fn upper_bounds(ctx: &Ctx, bilan: Node, millesime: i32) -> Vec<Bound> {
    siecle_eleve(ctx, bilan, millesime)
        .and_then(|e| e.date_sortie)
        .map(|date| Bound {
            date,
            why: format!("la sortie de l'élève le {} (Siècle)", iso(date)),
            kind: APRES_SORTIE,
        })
        .into_iter()
        .collect()
}

/// The window is empty: the pupil left before the earliest date he could be schooled.
fn empty_window(lower: &Option<Bound>, upper: &Option<Bound>) -> Option<String> {
    let (lo, hi) = (lower.as_ref()?, upper.as_ref()?);
    (hi.date < lo.date).then(|| {
        format!(
            " ; aucune date ne convient : {} précède {}, l'élève n'était pas inscrit pendant cette période, ce bilan est sans doute à supprimer",
            hi.why, lo.why
        )
    })
}

/// The latest bound; on a tie the first listed wins, so a date before a rentrée that is also
/// the pupil's entry date is reported as « antérieure à la rentrée » (the mass-rejection cause).
fn latest(v: Vec<Bound>) -> Option<Bound> {
    v.into_iter()
        .fold(None, |best: Option<Bound>, b| match best {
            Some(x) if x.date >= b.date => Some(x),
            _ => Some(b),
        })
}

fn earliest(v: Vec<Bound>) -> Option<Bound> {
    v.into_iter().min_by_key(|b| b.date)
}

/// Why a date is outside the window, as a finding's kind and cause.
struct Outside {
    /// « antérieure à la rentrée du 2025-09-01 (…) ».
    why: String,
    /// The bound the fix would clamp to (`interfaces.md`): when the date breaks both ends of an
    /// empty window, the upper one, since the clamp takes the minimum last.
    kind: &'static str,
    /// The cause's title with its shared value: only the rentrée is shared by every pupil; an
    /// entry or leaving date is the pupil's own and stays in the message.
    group: Option<String>,
}

/// Why a date is outside the window, or None when it is inside.
fn outside(date: NaiveDate, lower: &Option<Bound>, upper: &Option<Bound>) -> Option<Outside> {
    let before = lower.as_ref().filter(|lo| date < lo.date);
    let after = upper.as_ref().filter(|hi| date > hi.date);
    let (why, bound) = match (before, after) {
        (None, None) => return None,
        (Some(lo), None) => (format!("antérieure à {}", lo.why), lo),
        (None, Some(hi)) => (format!("postérieure à {}", hi.why), hi),
        (Some(lo), Some(hi)) => (
            format!("antérieure à {} et postérieure à {}", lo.why, hi.why),
            hi,
        ),
    };
    let group = (bound.kind == AVANT_RENTREE)
        .then(|| format!("date de scolarité antérieure à {}", bound.why));
    Some(Outside {
        why,
        kind: bound.kind,
        group,
    })
}

/// The date to clamp to, when clamping makes sense: inside the window, not after the end of the
/// period (2D: the council date; 1D: `date-fin`), and the original date belongs to the same
/// school year (else the millesime is more likely wrong: D005).
fn clamp_target(
    ctx: &Ctx,
    millesime: i32,
    date: NaiveDate,
    lower: &Option<Bound>,
    upper: &Option<Bound>,
    period_end: Option<NaiveDate>,
) -> Option<NaiveDate> {
    if date < school_year_start(ctx.calendar, millesime) {
        return None;
    }
    let mut target = date;
    if let Some(lo) = lower {
        target = target.max(lo.date);
    }
    if let Some(hi) = upper {
        target = target.min(hi.date);
    }
    if lower.as_ref().is_some_and(|lo| target < lo.date) {
        return None;
    }
    if period_end.is_some_and(|end| target > end) {
        return None;
    }
    (target != date).then_some(target)
}

/// D001's confidence is R (reported, not seen in LSU's code): the prediction is hedged.
const REJECT: &str = "LSU rejette probablement ce bilan (élève non inscrit)";

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    match ctx.version.degree {
        Some(Degree::D2) => check_2d(ctx, out),
        Some(Degree::D1) => check_1d(ctx, out),
        None => {}
    }
}

fn check_2d(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for &bilan in &ctx.lsu.bilans_periodiques {
        let Some(periode) = periode_of(ctx.lsu, bilan) else {
            continue;
        };
        let Some(millesime) = periode.attribute("millesime").and_then(parse_millesime) else {
            continue;
        };
        let Some(date) = bilan.attribute("date-scolarite").and_then(parse_date) else {
            continue;
        };
        let lower = latest(lower_bounds(ctx, bilan, millesime));
        let upper = earliest(upper_bounds(ctx, bilan, millesime));
        let Some(Outside { why, kind, group }) = outside(date, &lower, &upper) else {
            continue;
        };
        let conseil = bilan.attribute("date-conseil-classe").and_then(parse_date);
        let target = clamp_target(ctx, millesime, date, &lower, &upper, conseil);
        let mut msg = format!("date de scolarité {} {why} : {REJECT}", iso(date));
        if target.is_none() {
            match empty_window(&lower, &upper) {
                Some(hint) => msg.push_str(&hint),
                None => msg.push_str(&no_clamp_hint(ctx, millesime, date)),
            }
        }
        let mut d = ctx
            .at_attr(bilan, "date-scolarite", Code::D001, msg)
            .with_kind(kind);
        if let Some(g) = group {
            d = d.with_group(g);
        }
        if let (Some(t), Some((s, e))) = (target, attr_value_range(bilan, "date-scolarite")) {
            d = d.with_fix(Fix::unsafe_(
                format!(
                    "Remplacer la date de scolarité {} par le {}",
                    iso(date),
                    iso(t)
                ),
                vec![Edit::replace(s, e, iso(t))],
            ));
        }
        out.push(d);
    }
}

/// Why no clamp is proposed.
fn no_clamp_hint(ctx: &Ctx, millesime: i32, date: NaiveDate) -> String {
    if date < school_year_start(ctx.calendar, millesime) {
        format!(" ; la date appartient à une année scolaire antérieure à {millesime}-{} : vérifier le millésime (D005)", millesime + 1)
    } else {
        " ; la période se termine avant le début de la scolarité : l'élève n'était pas inscrit pendant cette période, ce bilan est sans doute à supprimer".to_string()
    }
}

fn check_1d(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // A period's date-debut is fixed once, with the first bilan concerned.
    let mut fixed_periods: HashSet<usize> = HashSet::new();
    for &bilan in &ctx.lsu.bilans_periodiques {
        let Some(periode) = periode_of(ctx.lsu, bilan) else {
            continue;
        };
        let Some(millesime) = periode.attribute("millesime").and_then(parse_millesime) else {
            continue;
        };
        let lower = latest(lower_bounds(ctx, bilan, millesime));
        let upper = earliest(upper_bounds(ctx, bilan, millesime));
        let debut = periode.attribute("date-debut").and_then(parse_date);
        let fin = periode.attribute("date-fin").and_then(parse_date);
        let scol = bilan.attribute("date-scolarite").and_then(parse_date);
        let debut_out = debut.and_then(|d| outside(d, &lower, &upper).map(|w| (d, w)));
        let scol_out = scol.and_then(|d| outside(d, &lower, &upper).map(|w| (d, w)));
        // The period's start, when it is out, is what LSU sees first: its cause wins.
        let (kind, group) = match debut_out.as_ref().or(scol_out.as_ref()) {
            Some((_, o)) => (o.kind, o.group.clone()),
            None => continue,
        };
        let pid = periode.attribute("id").unwrap_or("?");
        let mut parts = Vec::new();
        let mut edits = Vec::new();
        let mut titles = Vec::new();
        let mut unfixable = None;
        if let Some((d, o)) = &debut_out {
            parts.push(format!(
                "la période {pid} utilisée par ce bilan commence le {} (date-debut), {}",
                iso(*d),
                o.why
            ));
            match clamp_target(ctx, millesime, *d, &lower, &upper, fin) {
                Some(t) => {
                    if fixed_periods.insert(periode.range().start) {
                        if let Some((s, e)) = attr_value_range(periode, "date-debut") {
                            edits.push(Edit::replace(s, e, iso(t)));
                            titles.push(format!(
                                "remplacer le début de la période {pid} ({}) par le {} (pour tous ses bilans)",
                                iso(*d),
                                iso(t)
                            ));
                        }
                    }
                }
                None => unfixable = Some(*d),
            }
        }
        if let Some((d, o)) = &scol_out {
            parts.push(format!("date de scolarité {} {}", iso(*d), o.why));
            match clamp_target(ctx, millesime, *d, &lower, &upper, fin) {
                Some(t) => {
                    if let Some((s, e)) = attr_value_range(bilan, "date-scolarite") {
                        edits.push(Edit::replace(s, e, iso(t)));
                        titles.push(format!(
                            "remplacer la date de scolarité {} par le {}",
                            iso(*d),
                            iso(t)
                        ));
                    }
                }
                None => unfixable = unfixable.or(Some(*d)),
            }
        }
        let mut msg = format!("{} : {REJECT}", parts.join(" ; "));
        if let Some(d) = unfixable {
            msg.push_str(&no_clamp_hint(ctx, millesime, d));
        }
        let mut diag = ctx.at_node(bilan, Code::D001, msg).with_kind(kind);
        if let Some(g) = group {
            diag = diag.with_group(g);
        }
        if !edits.is_empty() {
            let mut title = titles.join(" ; ");
            if let Some(first) = title.get(..1) {
                title = format!("{}{}", first.to_uppercase(), &title[1..]);
            }
            diag = diag.with_fix(Fix::unsafe_(title, edits));
        }
        out.push(diag);
    }
}

#[cfg(test)]
mod tests;
