//! X005 extra-whitespace: leading, trailing or repeated spaces in a label or a name. LSU keeps
//! them, which breaks label uniqueness and exact name matching with the referentials.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::helpers::{attr_quote, escape_attr, escape_text};
use crate::rules::text::{for_each_field, is_blank, Class};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::X005,
    degree: None,
    check,
};

/// The variants of X005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "extra-whitespace",
    title: "espaces superflus dans un libellé ou un nom",
    agir: Agir::Fichier,
    action: "Lancer lsu-lint fix, qui supprime les espaces en début, en fin et en double.",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for_each_field(ctx.version, ctx.doc, |f| {
        if !matches!(f.spec.class, Class::Label | Class::Name) || is_blank(&f.value) {
            return;
        }
        if !needs_collapse(&f.value) {
            return;
        }
        let clean = collapse(&f.value);
        if clean == f.value {
            return;
        }
        let what =
            if f.value.starts_with(char::is_whitespace) || f.value.ends_with(char::is_whitespace) {
                "des espaces en début ou en fin"
            } else {
                "des espaces répétés"
            };
        let name = f.name();
        let msg = format!(
            "« {name} » contient {what} (« {} ») : valeur attendue « {clean} » ; les espaces superflus risquent de fausser les comparaisons exactes faites par LSU",
            f.value
        );
        let mut d = match f.attr {
            Some(a) => ctx.at_attr(f.node, a, Code::X005, msg),
            None => ctx.at_node(f.node, Code::X005, msg),
        }
        .with_group(format!("espaces superflus dans « {name} »"));
        if let Some((s, e)) = f.raw {
            let rep = match f.attr {
                Some(a) => escape_attr(&clean, attr_quote(ctx.text, f.node, a)),
                None => escape_text(&clean),
            };
            d = d.with_fix(Fix::safe(
                "Supprimer les espaces superflus",
                vec![Edit::replace(s, e, rep)],
            ));
        }
        out.push(d);
    });
}

/// Cheap test before allocating: white space at an end, or two in a row, or other than a space.
fn needs_collapse(s: &str) -> bool {
    let mut prev_space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if prev_space || c != ' ' {
                return true;
            }
            prev_space = true;
        } else {
            prev_space = false;
        }
    }
    prev_space
}

/// Trimmed, with every run of white space reduced to one space.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_spaces() {
        assert_eq!(collapse("  Dupont   Martin "), "Dupont Martin");
        assert_eq!(collapse("Français"), "Français");
        assert!(needs_collapse(" a"));
        assert!(needs_collapse("a "));
        assert!(needs_collapse("a  b"));
        assert!(needs_collapse("a\u{A0}b"));
        assert!(!needs_collapse("Jean Pierre"));
    }
}
