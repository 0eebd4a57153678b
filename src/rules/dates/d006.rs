//! D006 campaign-closed: the LSU campaign of millesime Y closes at the rentrée of Y+1 (calendar);
//! importing afterwards fails (error), and between 15 July and that rentrée late imports are only
//! tolerated (warning). Depends only on `--today` (`ctx.today`) and the calendar.
//! One finding per bilan concerned.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use chrono::NaiveDate;

use super::common::{iso, millesime_of_bilan, school_year_label};
use crate::calendar::Calendar;
use crate::catalogue::Severity;
use crate::diagnostic::Diagnostic;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::D006,
    degree: None,
    check,
};

/// The variants of D006 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "campagne-close",
        title: "campagne LSU de l'année close",
        agir: Agir::Lsu,
        action: "Importer les bilans dans LSU avant la bascule d'année ; une fois LSU basculé, seul le support académique peut encore intervenir.",
    },
    KindMeta {
        slug: "import-tardif",
        title: "import tardif, après le 15 juillet",
        agir: Agir::Lsu,
        action: "Importer le fichier dans LSU au plus vite, avant la rentrée qui ferme la campagne.",
    },
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Campaign {
    Open,
    /// From 15 July of Y+1 to the day before the rentrée of Y+1.
    Late {
        closes: NaiveDate,
    },
    /// From the rentrée of Y+1 on (or, when the calendar does not know it, from 1 January of Y+2).
    Closed {
        since: NaiveDate,
        known: bool,
    },
}

/// The state of the campaign of `millesime` on `today`.
pub fn campaign(cal: &Calendar, millesime: i32, today: NaiveDate) -> Campaign {
    let next = millesime + 1;
    let late_from = NaiveDate::from_ymd_opt(next, 7, 15);
    match cal.rentree(next) {
        Some((closes, _)) => {
            if today >= closes {
                Campaign::Closed {
                    since: closes,
                    known: true,
                }
            } else if late_from.is_some_and(|l| today >= l) {
                Campaign::Late { closes }
            } else {
                Campaign::Open
            }
        }
        // Unknown rentrée: only say « closed » when it is certain, whatever the zone.
        None => match NaiveDate::from_ymd_opt(next + 1, 1, 1) {
            Some(sure) if today >= sure => Campaign::Closed {
                since: sure,
                known: false,
            },
            _ => Campaign::Open,
        },
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for bilan in ctx.lsu.all_bilans() {
        let Some(m) = millesime_of_bilan(ctx.lsu, bilan) else {
            continue;
        };
        let attr = if bilan.tag_name().name() == "bilan-cycle" {
            "millesime"
        } else {
            "periode-ref"
        };
        let year = school_year_label(m);
        let today = iso(ctx.today);
        match campaign(ctx.calendar, m, ctx.today) {
            Campaign::Open => {}
            Campaign::Closed { since, known } => {
                let when = if known {
                    format!("depuis la rentrée du {}", iso(since))
                } else {
                    format!("(au plus tard le {})", iso(since))
                };
                out.push(ctx.at_attr(
                    bilan,
                    attr,
                    Code::D006,
                    format!(
                        "la campagne LSU {year} (millésime {m}) est close {when}, date du jour {today} : LSU a vraisemblablement basculé sur l'année suivante et risque de ne plus accepter ce bilan (seul le support académique peut encore intervenir)"
                    ),
                )
                .with_kind("campagne-close")
                .with_group(format!("campagne LSU {year} close")));
            }
            Campaign::Late { closes } => {
                let mut d = ctx.at_attr(
                    bilan,
                    attr,
                    Code::D006,
                    format!(
                        "la campagne LSU {year} (millésime {m}) ferme à la rentrée du {} (date du jour {today}) : après le 15 juillet, l'import est toléré mais pas garanti ; importer au plus vite",
                        iso(closes)
                    ),
                )
                .with_kind("import-tardif")
                .with_group(format!(
                    "import tardif de la campagne LSU {year}, qui ferme le {}",
                    iso(closes)
                ));
                d.severity = Severity::Warning;
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests;
