//! X002 blank-text: a required text (type `ChaineN`: at least one non-blank character) that is
//! empty or made only of spaces, line breaks, no-break or zero-width spaces. LSU rejects the file.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::helpers::{attr_removal, element_removal};
use crate::rules::text::{for_each_field, is_blank};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::X002,
    degree: None,
    check,
};

/// The variants of X002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "obligatoire",
        title: "texte obligatoire vide",
        agir: Agir::Logiciel,
        action: "Saisir le texte manquant (appréciation, synthèse, libellé…) dans le logiciel de vie scolaire, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "facultatif",
        title: "texte facultatif vide",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui supprime les textes facultatifs vides.",
    },
];

/// The cause title shared by every blank value of one field (schema findings use it too).
pub fn group(field: &str) -> String {
    format!("texte « {field} » vide")
}

/// The one wording of X002 (the rule adds what to do), for the rule and the schema error
/// alike: `non_blank` when a visible character is required, not only one character.
fn message(field: &str, value: &str, non_blank: bool) -> String {
    let what = if value.is_empty() {
        "est vide"
    } else if value.chars().all(|c| matches!(c, ' ' | '\t' | '\n' | '\r')) {
        "ne contient que des espaces ou des retours à la ligne"
    } else {
        "ne contient que des espaces (dont insécables ou invisibles)"
    };
    let need = if non_blank {
        "au moins un caractère visible"
    } else {
        "au moins un caractère"
    };
    format!("« {field} » {what} : le schéma exige {need}, LSU refuse le fichier entier")
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for_each_field(ctx.version, ctx.doc, |f| {
        let empty = f.value.is_empty();
        let flagged = if f.spec.non_blank {
            is_blank(&f.value)
        } else {
            f.spec.min1 && empty
        };
        if !flagged {
            return;
        }
        let name = f.name();
        let mut msg = message(&name, &f.value, f.spec.non_blank);
        let removal = if f.spec.optional {
            match f.attr {
                Some(a) => attr_removal(ctx.text, f.node, a),
                None => Some(element_removal(ctx.text, f.node)),
            }
        } else {
            None
        };
        if removal.is_none() {
            msg.push_str(" ; saisir le texte dans le logiciel source");
        }
        let mut d = match f.attr {
            Some(a) => ctx.at_attr(f.node, a, Code::X002, msg),
            None => ctx.at_node(f.node, Code::X002, msg),
        }
        .with_group(group(&name));
        if let Some((s, e)) = removal {
            d = d.with_kind("facultatif").with_fix(Fix::safe(
                format!("Supprimer « {name} » vide (facultatif)"),
                vec![Edit::delete(s, e)],
            ));
        }
        out.push(d);
    });
}

/// Words a schema error routed to X002 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let field = crate::rules::text::field_name(e.elem, e.attr);
    let msg = match &e.what {
        // minLength 1: at least one character.
        V::MinLength { .. } if e.value.as_deref().is_none_or(is_blank) => {
            message(&field, e.value.as_deref().unwrap_or(""), false)
        }
        // A longer minimum (a user's `--xsd`): not blank, only short.
        V::MinLength { actual, limit } => format!(
            "« {field} » compte {actual} caractère(s) alors que le schéma en exige au moins {limit}, LSU refuse le fichier entier"
        ),
        // The `ChaineN` pattern: at least one visible character.
        V::Pattern { value, .. } => message(&field, &e.value_or(value), true),
        _ => return None,
    };
    Some(e.finding(Code::X002, msg).with_group(group(&field)))
}
