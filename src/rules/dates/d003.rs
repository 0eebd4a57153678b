//! D003 period-dates-differ-from-lsu (1D): a period's `date-debut` / `date-fin` must equal the
//! dates set in LSU for that period (`[[periodes]]` of the settings file, by `indice`); LSU
//! rejects the bilans (« dates des périodes … différentes de celles paramétrées dans LSU »).
//! One finding per bilan of the period, or one on the period when no bilan uses it.
//!
//! Without `[[periodes]]` in the settings, or for an `indice` the settings do not give (the
//! periodicity is D004's), nothing is checked. Fix (unsafe): write the settings' dates into the
//! period — the user must confirm the evaluations belong to those dates.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashMap;

use super::common::{iso, parse_date};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{attr_value_range, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::D003,
    degree: Some(Degree::D1),
    check,
};

/// The variants of D003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "period-dates-differ-from-lsu",
    title: "dates de période différentes de celles paramétrées dans LSU",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de l'école, donner aux périodes exactement les dates de début et de fin paramétrées dans LSU (ou corriger ces dates dans LSU si ce sont elles qui sont fausses), puis exporter à nouveau.",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(settings) = &ctx.refdata.settings else {
        return;
    };
    // Period start → (message, group, fix).
    let mut wrong: HashMap<usize, (String, String, Option<Fix>)> = HashMap::new();
    for &periode in &ctx.lsu.periodes {
        let Some(indice) = periode
            .attribute("indice")
            .and_then(|i| i.trim().parse::<u32>().ok())
        else {
            continue;
        };
        let Some(set) = settings.periode(indice) else {
            continue;
        };
        let mut diffs = Vec::new();
        let mut edits = Vec::new();
        for (attr, want) in [("date-debut", set.debut), ("date-fin", set.fin)] {
            let Some(raw) = periode.attribute(attr) else {
                continue;
            };
            // An unreadable date is the schema's (S005).
            let Some(have) = parse_date(raw) else {
                continue;
            };
            if have != want {
                diffs.push(format!("{attr} {} au lieu du {}", iso(have), iso(want)));
                if let Some((s, e)) = attr_value_range(periode, attr) {
                    edits.push(Edit::replace(s, e, iso(want)));
                }
            }
        }
        if diffs.is_empty() {
            continue;
        }
        let pid = periode.attribute("id").unwrap_or("?");
        let msg = format!(
            "période {pid} (indice {indice}) : {} paramétré dans LSU (paramètres {}) : LSU rejettera ce bilan (dates des périodes différentes de celles paramétrées dans LSU) ; aligner les dates dans le logiciel d'origine ou dans LSU",
            diffs.join(", "),
            settings.path
        );
        let fix = (!edits.is_empty()).then(|| {
            Fix::unsafe_(
                format!(
                    "Reprendre les dates de la période {pid} des paramètres LSU ({} au {})",
                    iso(set.debut),
                    iso(set.fin)
                ),
                edits,
            )
        });
        // Shared by the bilans of that period: the dates LSU expects.
        let group = format!(
            "dates de période différentes de celles paramétrées dans LSU (période {indice} : du {} au {})",
            iso(set.debut),
            iso(set.fin)
        );
        wrong.insert(periode.range().start, (msg, group, fix));
    }
    if wrong.is_empty() {
        return;
    }
    let mut used = std::collections::HashSet::new();
    for &bilan in &ctx.lsu.bilans_periodiques {
        let Some(periode) = super::common::periode_of(ctx.lsu, bilan) else {
            continue;
        };
        let Some((msg, group, fix)) = wrong.get_mut(&periode.range().start) else {
            continue;
        };
        used.insert(periode.range().start);
        let mut d = ctx
            .at_attr(bilan, "periode-ref", Code::D003, msg.clone())
            .with_group(group.clone());
        if let Some(f) = fix.take() {
            d = d.with_fix(f);
        }
        out.push(d);
    }
    for &periode in &ctx.lsu.periodes {
        if used.contains(&periode.range().start) {
            continue;
        }
        if let Some((msg, group, fix)) = wrong.remove(&periode.range().start) {
            let mut d = ctx.at_node(periode, Code::D003, msg).with_group(group);
            if let Some(f) = fix {
                d = d.with_fix(f);
            }
            out.push(d);
        }
    }
}
