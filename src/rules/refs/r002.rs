//! R002 reference-to-wrong-kind: the referenced `id` exists but on another kind of element
//! than the format expects (`xs:IDREF` is untyped, so the schema accepts it).

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::rules::helpers::kind_fr;
use crate::rules::refs::{for_each_ref, tokens};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::R002,
    degree: None,
    check,
};

/// The variants of R002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "reference-to-wrong-kind",
        title: "référence vers un objet d'un autre type",
        agir: Agir::Logiciel,
        action: "Signaler à l'éditeur du logiciel de vie scolaire que son export mélange les identifiants de types d'objets différents, puis exporter à nouveau une fois le logiciel corrigé.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for_each_ref(ctx.doc, |node, spec, value| {
        let Some(expected) = spec.target else {
            return;
        };
        for (_, tok) in tokens(value) {
            let Some(target) = ctx.lsu.target(tok) else {
                continue;
            };
            let found = target.tag_name().name();
            if found == expected {
                continue;
            }
            out.push(
                ctx.at_attr(
                    node,
                    spec.attr,
                    Code::R002,
                    format!(
                        "« {} » fait référence à « {tok} », qui désigne {} alors qu'il faut {} : LSU ne pourra probablement pas rattacher l'objet",
                        spec.attr,
                        kind_fr(found),
                        kind_fr(expected)
                    ),
                )
                .with_group(format!(
                    "référence « {} » vers un objet d'un autre type",
                    spec.attr
                )),
            );
        }
    });
}
