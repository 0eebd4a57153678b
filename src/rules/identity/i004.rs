//! I004 ★ classe-unknown-in-onde (1D): `classe/@id-be` must be an ONDE « Identifiant classe ».
//! LSU rejects every bilan of the class (« classe inconnue dans la base de données ONDE »): one
//! finding per bilan of the class's pupils, or one on the class when no bilan uses it.
//!
//! The message gives the nearest known ids (with their labels), the ONDE class of the class's
//! pupils (found by INE) when they all share one, and says when the value is the school's UAI.
//! Fix (unsafe): when exactly one ONDE class has the same label (case, accents, spaces ignored).

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{BTreeSet, HashMap};

use super::common::nearest;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{attr_value_range, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::I004,
    degree: Some(Degree::D1),
    check,
};

/// The variants of I004 (`kind`), with where to act and what to do.
/// One cause for every unknown id: the software does not carry this year's ONDE class ids.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "classe-unknown-in-onde",
    title: "identifiant de classe inconnu d'ONDE",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de l'école, saisir pour chaque classe l'« Identifiant classe » d'ONDE de cette année (extraction « Élèves de l'école »), puis exporter à nouveau.",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(onde) = &ctx.refdata.onde else {
        return;
    };
    let uai = ctx.lsu.uai().map(str::trim);
    // Class element start → (message, fix), for each unknown class.
    let mut unknown: HashMap<usize, (String, String, Option<Fix>)> = HashMap::new();
    for &classe in &ctx.lsu.classes {
        // Missing or empty: the schema's.
        let Some(id) = classe.attribute("id-be").filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        if onde.classe(id).is_some() {
            continue;
        }
        let cid = classe.attribute("id").unwrap_or("?");
        let libelle = classe.attribute("libelle").unwrap_or("");
        let mut msg = format!(
            "classe {cid} « {libelle} » : identifiant « {id} » inconnu dans l'extraction ONDE ({}) : LSU rejettera ce bilan (classe inconnue dans la base de données ONDE) ; classe/@id-be doit être l'« Identifiant classe » d'ONDE",
            onde.path
        );
        if uai.is_some_and(|u| u.eq_ignore_ascii_case(id.trim())) {
            msg.push_str(" ; la valeur est l'UAI de l'école, pas un identifiant de classe");
        }
        // The ONDE class(es) of this class's pupils, by INE.
        let cref = classe.attribute("id");
        let of_pupils: BTreeSet<&str> = ctx
            .lsu
            .eleves
            .iter()
            .filter(|e| cref.is_some() && e.attribute("classe-ref") == cref)
            .filter_map(|e| e.attribute("ine"))
            .filter_map(|ine| onde.eleve_by_ine(ine)?.classe_id.as_deref())
            .collect();
        let label_of = |id: &str| {
            onde.classe(id)
                .and_then(|c| c.libelle.as_deref())
                .map(|l| format!("« {id} » ({l})"))
                .unwrap_or_else(|| format!("« {id} »"))
        };
        if let [one] = of_pupils.iter().copied().collect::<Vec<_>>().as_slice() {
            msg.push_str(&format!(
                " ; les élèves de cette classe sont, dans ONDE, dans la classe {}",
                label_of(one)
            ));
        }
        let same_label = onde.classes_by_libelle(libelle);
        let mut fix = None;
        if let [c] = same_label.as_slice() {
            msg.push_str(&format!(
                " ; une seule classe ONDE porte ce libellé : {}",
                label_of(&c.id)
            ));
            if let Some((s, e)) = attr_value_range(classe, "id-be") {
                fix = Some(Fix::unsafe_(
                    format!(
                        "Remplacer l'identifiant de la classe « {libelle} » ({id}) par « {} » (ONDE)",
                        c.id
                    ),
                    vec![Edit::replace(s, e, c.id.clone())],
                ));
            }
        } else if of_pupils.is_empty() {
            let near = nearest(id.trim(), onde.classes.keys().map(String::as_str), 3);
            if !near.is_empty() {
                let list: Vec<String> = near.iter().map(|i| label_of(i)).collect();
                msg.push_str(&format!(
                    " ; identifiants ONDE les plus proches : {}",
                    list.join(", ")
                ));
            }
        }
        unknown.insert(
            classe.range().start,
            // The id itself differs from class to class: it stays in the message.
            (msg, "identifiant de classe inconnu d'ONDE".to_string(), fix),
        );
    }
    if unknown.is_empty() {
        return;
    }
    let classe_of = |eleve: crate::xml::Node| {
        eleve
            .attribute("classe-ref")
            .and_then(|r| ctx.lsu.target(r))
            .filter(|c| c.tag_name().name() == "classe")
    };
    let mut used = std::collections::HashSet::new();
    for bilan in ctx.lsu.all_bilans() {
        let Some(classe) = ctx.lsu.eleve_of(bilan).and_then(classe_of) else {
            continue;
        };
        let Some((msg, group, fix)) = unknown.get_mut(&classe.range().start) else {
            continue;
        };
        used.insert(classe.range().start);
        let mut d = ctx
            .at_attr(bilan, "eleve-ref", Code::I004, msg.clone())
            .with_group(group.clone());
        if let Some(f) = fix.take() {
            d = d.with_fix(f);
        }
        out.push(d);
    }
    for &classe in &ctx.lsu.classes {
        if used.contains(&classe.range().start) {
            continue;
        }
        if let Some((msg, group, fix)) = unknown.remove(&classe.range().start) {
            let mut d = ctx
                .at_attr(classe, "id-be", Code::I004, msg)
                .with_group(group);
            if let Some(f) = fix {
                d = d.with_fix(f);
            }
            out.push(d);
        }
    }
}
