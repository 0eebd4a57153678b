//! R003 empty-reference-list: an IDREFS attribute present but empty or blank (libxml2 accepts
//! it, a strict validator and LSU do not).

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::helpers::attr_removal;
use crate::rules::refs::{for_each_ref, tokens};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::R003,
    degree: None,
    check,
};

/// The variants of R003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "liste-obligatoire",
        title: "liste d'identifiants obligatoire vide",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, renseigner les objets attendus (par exemple les enseignants de chaque discipline) puis exporter à nouveau.",
    },
    KindMeta {
        slug: "liste-facultative",
        title: "liste d'identifiants facultative vide",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui supprime les listes facultatives vides.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for_each_ref(ctx.doc, |node, spec, value| {
        if !spec.list || tokens(value).next().is_some() {
            return;
        }
        let what = if value.is_empty() {
            "est vide"
        } else {
            "ne contient que des espaces"
        };
        if spec.optional {
            let mut d = ctx
                .at_attr(
                    node,
                    spec.attr,
                    Code::R003,
                    format!(
                        "la liste d'identifiants « {} » {what} : une liste IDREFS doit contenir au moins un identifiant ; l'attribut étant facultatif, il peut être supprimé",
                        spec.attr
                    ),
                )
                .with_kind("liste-facultative")
                .with_group(format!("liste « {} » vide", spec.attr));
            if let Some((s, e)) = attr_removal(ctx.text, node, spec.attr) {
                d = d.with_fix(Fix::safe(
                    format!("Supprimer l'attribut vide « {} »", spec.attr),
                    vec![Edit::delete(s, e)],
                ));
            }
            out.push(d);
        } else {
            let need = if spec.min > 1 {
                format!("{} identifiants", spec.min)
            } else {
                "un identifiant".to_string()
            };
            out.push(
                ctx.at_attr(
                    node,
                    spec.attr,
                    Code::R003,
                    format!(
                        "la liste d'identifiants obligatoire « {} » {what} : il faut au moins {need} ; renseigner les objets concernés dans le logiciel source",
                        spec.attr
                    ),
                )
                .with_group(format!("liste « {} » vide", spec.attr)),
            );
        }
    });
}
