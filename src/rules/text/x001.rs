//! X001 text-too-long: a text or attribute longer than its type allows in the file's schema
//! version (the XSD counts characters; limits are inclusive). LSU rejects the whole file.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::helpers::{attr_quote, escape_attr, escape_text};
use crate::rules::text::{cut_at_word, cut_label, for_each_field, Class};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::X001,
    degree: None,
    check,
};

/// The variants of X001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "libelle",
        title: "libellé trop long",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui raccourcit les libellés à la longueur autorisée.",
    },
    KindMeta {
        slug: "appreciation",
        title: "appréciation ou texte trop long",
        agir: Agir::Logiciel,
        action: "Faire raccourcir le texte par son auteur dans le logiciel de vie scolaire, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "nom-code-adresse",
        title: "nom, code ou adresse trop long",
        agir: Agir::Logiciel,
        action: "Corriger la valeur (nom, code de division, adresse…) dans le logiciel de vie scolaire ou dans la base d'où elle vient, puis exporter à nouveau.",
    },
];

/// The kind of an over-long field: labels are cut by the fix, prose is shortened by its
/// author, names, codes and addresses are corrected where they come from.
pub fn kind_of(class: Class) -> &'static str {
    match class {
        Class::Label => "libelle",
        Class::Prose => "appreciation",
        Class::Name | Class::Code | Class::Other => "nom-code-adresse",
    }
}

/// The cause title shared by every over-long value of one field (schema findings use it too).
pub fn group(field: &str, max: usize) -> String {
    format!("texte « {field} » au-delà de {max} caractères")
}

/// The one wording of X001 (the rule adds what to do), for the rule and the schema error alike.
pub fn message(field: &str, len: usize, max: usize, schema: &str) -> String {
    format!(
        "« {field} » compte {len} caractères pour une limite de {max} (schéma {schema}) : LSU refuse le fichier entier"
    )
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let schema = ctx.version.schema_label();
    // Programme-element labels must stay unique after a cut: built only when needed.
    let mut ep_labels: Option<HashSet<String>> = None;
    for_each_field(ctx.version, ctx.doc, |f| {
        let len = f.value.chars().count();
        let max = f.spec.max;
        if len <= max {
            return;
        }
        let name = f.name();
        let base = message(&name, len, max, schema);
        let kind = kind_of(f.spec.class);
        let at = |msg: String| {
            match f.attr {
                Some(a) => ctx.at_attr(f.node, a, Code::X001, msg),
                None => ctx.at_node(f.node, Code::X001, msg),
            }
            .with_kind(kind)
            .with_group(group(&name, max))
        };
        let escape = |s: &str| match f.attr {
            Some(a) => escape_attr(s, attr_quote(ctx.text, f.node, a)),
            None => escape_text(s),
        };
        let Some((rs, re)) = f.raw else {
            out.push(at(base));
            return;
        };
        let d = match f.spec.class {
            Class::Label => {
                let cut = cut_label(&f.value, max);
                let clash = f.node.tag_name().name() == "element-programme" && {
                    let labels = ep_labels.get_or_insert_with(|| {
                        ctx.lsu
                            .ids
                            .values()
                            .filter(|n| n.tag_name().name() == "element-programme")
                            .filter_map(|n| n.attribute("libelle"))
                            .map(str::to_string)
                            .collect()
                    });
                    labels.contains(&cut)
                };
                if clash {
                    at(format!("{base} ; le raccourcir à la main (la coupure automatique donnerait le libellé d'un autre élément de programme)"))
                } else {
                    at(base).with_fix(Fix::safe(
                        format!("Couper le libellé à {max} caractères, en fin de mot"),
                        vec![Edit::replace(rs, re, escape(&cut))],
                    ))
                }
            }
            Class::Prose => {
                let cut = cut_at_word(&f.value, max);
                at(format!("{base} ; raccourcir le texte dans le logiciel source")).with_fix(Fix::unsafe_(
                    format!("Couper le texte à {max} caractères, en fin de mot"),
                    vec![Edit::replace(rs, re, escape(&cut))],
                ))
            }
            Class::Name | Class::Code | Class::Other => at(format!(
                "{base} ; corriger la valeur dans le logiciel source (pas de coupure automatique : la valeur sert à l'identification)"
            )),
        };
        out.push(d);
    });
}

/// Words a schema error routed to X001 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::MaxLength { actual, limit } = &e.what else {
        return None;
    };
    let (elem, attr) = (e.elem, e.attr);
    let field = crate::rules::text::field_name(elem, attr);
    // The kind follows the class of the field, as the rule's does.
    let spec = match attr {
        Some(a) => crate::rules::text::attr_spec(ctx.version, elem, a),
        None => e
            .node
            .and_then(|n| crate::rules::text::element_spec(ctx.version, n)),
    };
    let kind = match spec {
        Some(s) => kind_of(s.class),
        // A field outside the table: element texts are prose, attributes identifiers.
        None if attr.is_none() => "appreciation",
        None => "nom-code-adresse",
    };
    Some(
        e.finding(
            Code::X001,
            message(&field, *actual, *limit, ctx.version.schema_label()),
        )
        .with_group(group(&field, *limit))
        .with_kind(kind),
    )
}
