//! R001 dangling-reference: an IDREF/IDREFS value names no `id` of the file. libxml2 does not
//! check this, so editors who self-validate ship such files; LSU cannot resolve the object.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model;
use crate::rules::helpers::{attr_removal, kind_fr};
use crate::rules::refs::{for_each_ref, tokens};
use crate::rules::{Ctx, Rule};
use crate::util::did_you_mean;

pub static RULE: Rule = Rule {
    code: Code::R001,
    degree: None,
    check,
};

/// The variants of R001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "objet-non-declare",
        title: "référence à un objet déclaré nulle part dans le fichier",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, saisir ou rattacher l'objet manquant (enseignant, discipline, élément de programme, période…) puis exporter à nouveau ; s'il est bien saisi, signaler l'export incomplet à l'éditeur.",
    },
    KindMeta {
        slug: "reference-retirable",
        title: "référence facultative à un objet absent du fichier",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui retire les références aux objets absents (la liste garde ses autres identifiants).",
    },
];

/// Beyond this many candidates a « vouliez-vous dire » costs more than it helps.
const MAX_CANDIDATES: usize = 2000;

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let lsu = ctx.lsu;
    // Ids per element kind, built only if some reference dangles.
    let mut by_kind: Option<HashMap<&str, Vec<&str>>> = None;
    for_each_ref(ctx.doc, |node, spec, value| {
        let dangling: Vec<(usize, &str)> = tokens(value)
            .filter(|(_, t)| lsu.target(t).is_none())
            .collect();
        if dangling.is_empty() {
            return;
        }
        let total = tokens(value).count();
        let kept: Vec<&str> = tokens(value)
            .map(|(_, t)| t)
            .filter(|t| lsu.target(t).is_some())
            .collect();
        // Fix: rewrite the list without its dangling items when it keeps enough of them, or drop
        // an optional attribute whose items all dangle; a required single reference has none.
        let fix = if spec.list && kept.len() >= spec.min {
            model::attr_value_range(node, spec.attr).map(|(s, e)| {
                Fix::safe(
                    format!("Retirer de « {} » les identifiants inexistants", spec.attr),
                    vec![Edit::replace(s, e, kept.join(" "))],
                )
            })
        } else if spec.optional && kept.is_empty() {
            attr_removal(ctx.text, node, spec.attr).map(|(s, e)| {
                Fix::safe(
                    format!("Supprimer l'attribut facultatif « {} »", spec.attr),
                    vec![Edit::delete(s, e)],
                )
            })
        } else {
            None
        };
        let kinds = by_kind.get_or_insert_with(|| {
            let mut m: HashMap<&str, Vec<&str>> = HashMap::new();
            for (id, n) in &lsu.ids {
                m.entry(n.tag_name().name()).or_default().push(id);
            }
            for v in m.values_mut() {
                v.sort_unstable();
            }
            m
        });
        for (_, tok) in dangling {
            let expected = spec
                .target
                .map(|t| format!(" (doit désigner {})", kind_fr(t)))
                .unwrap_or_default();
            let hint = spec
                .target
                .and_then(|t| kinds.get(t))
                .filter(|c| c.len() <= MAX_CANDIDATES)
                .and_then(|c| did_you_mean(tok, c))
                .map(|c| format!(" ; vouliez-vous dire « {c} » ?"))
                .unwrap_or_default();
            let consequence = if fix.is_some() {
                String::new()
            } else if spec.list && total > 1 {
                let valid = if spec.min > 1 {
                    format!("{} identifiants valides", spec.min)
                } else {
                    "un identifiant valide".to_string()
                };
                format!(
                    " ; la liste doit garder au moins {valid} : corriger l'identifiant ou déclarer l'objet"
                )
            } else {
                " ; corriger l'identifiant ou déclarer l'objet manquant".to_string()
            };
            let msg = format!(
                "« {} » fait référence à « {tok} », identifiant déclaré nulle part dans le fichier{expected} : LSU ne pourra probablement pas rattacher l'objet{hint}{consequence}",
                spec.attr
            );
            let mut d = ctx
                .at_attr(node, spec.attr, Code::R001, msg)
                .with_group(format!(
                    "référence « {} » à un objet déclaré nulle part",
                    spec.attr
                ));
            if let Some(f) = &fix {
                d = d.with_kind("reference-retirable").with_fix(f.clone());
            }
            out.push(d);
        }
    });
}
