//! P002 mixed-scales-in-class (2D): within one division and one period, some acquis carry
//! averages (notes sur 20) and others a positionnement (1–4). A class has one evaluation mode
//! in LSU, so the other mode's subjects are rejected or imported « non noté ». One finding per
//! bilan of that division and period.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::util::plural;
use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::P002,
    degree: Some(Degree::D2),
    check,
};

/// The variants of P002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "mixed-scales-in-class",
    title: "notes et positionnements mêlés dans une même classe",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de vie scolaire, évaluer toute la classe dans un seul mode (notes sur 20 ou positionnement) pour la période, puis exporter à nouveau.",
}];

#[derive(Default)]
struct Group {
    notes: usize,
    positions: usize,
    bilans: Vec<(usize, usize, usize)>, // (index in bilans_periodiques, notes, positions)
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut groups: HashMap<(&str, &str), Group> = HashMap::new();
    let mut order: Vec<(&str, &str)> = Vec::new();
    for (i, bilan) in ctx.lsu.bilans_periodiques.iter().enumerate() {
        let Some(division) = ctx
            .lsu
            .eleve_of(*bilan)
            .and_then(|e| ctx.lsu.division_of_eleve(e))
        else {
            continue;
        };
        let Some(periode) = bilan.attribute("periode-ref") else {
            continue;
        };
        let (mut n, mut p) = (0, 0);
        for a in model::items(Some(*bilan), "liste-acquis", "acquis") {
            if a.has_attribute("moyenne-eleve") || a.has_attribute("moyenne-structure") {
                n += 1;
            }
            if a.has_attribute("positionnement") {
                p += 1;
            }
        }
        let key = (division, periode);
        let g = groups.entry(key).or_insert_with(|| {
            order.push(key);
            Group::default()
        });
        g.notes += n;
        g.positions += p;
        g.bilans.push((i, n, p));
    }
    for key in order {
        let Some(g) = groups.get(&key) else { continue };
        if g.notes == 0 || g.positions == 0 {
            continue;
        }
        let (division, periode) = key;
        for &(i, n, p) in &g.bilans {
            let Some(bilan) = ctx.lsu.bilans_periodiques.get(i) else {
                continue;
            };
            // « acquis » is invariable; the participle agrees with the count.
            let noted = |k: usize| plural(k, "acquis noté", "acquis notés");
            let placed = |k: usize| plural(k, "acquis positionné", "acquis positionnés");
            let msg = format!(
                "division « {division} », période « {periode} » : {} (moyennes sur 20) et {} (1 à 4) dans les bilans de la classe (dans ce bilan : {}, {}) ; une classe n'a qu'un mode d'évaluation dans LSU (réglage de la classe) : les acquis de l'autre mode seront rejetés ou importés sans note. Exporter toute la classe dans un seul mode",
                noted(g.notes),
                placed(g.positions),
                plural(n, "noté", "notés"),
                plural(p, "positionné", "positionnés"),
            );
            out.push(ctx.at_node(*bilan, Code::P002, msg).with_division(division));
        }
    }
}
