//! E006 non-bmp-character: a character outside the Basic Multilingual Plane (emoji, rare
//! symbols). libxml2 counts it as one character, a validator counting UTF-16 units as two, so
//! a text near its limit may be refused; and the livret's fonts rarely show them.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::helpers::{attr_quote, escape_attr, escape_text, for_each_value, is_text_leaf};
use crate::rules::text::{attr_spec, element_spec};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::E006,
    degree: None,
    check,
};

/// The variants of E006 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "non-bmp-character",
        title: "émoji ou symbole hors du plan multilingue de base",
        agir: Agir::Logiciel,
        action: "Retirer les émoji et symboles des textes dans le logiciel de vie scolaire, puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for_each_value(ctx.doc, |node, attr, value, (s, e)| {
        if value.is_ascii() || !value.chars().any(is_non_bmp) {
            return;
        }
        // Whole element text (a text node may be one of several), for the length check.
        let whole = match attr {
            Some(_) => std::borrow::Cow::Borrowed(value),
            None => crate::rules::helpers::element_text(node),
        };
        let name = match attr {
            Some(a) => format!("{}/@{a}", node.tag_name().name()),
            None => node.tag_name().name().to_string(),
        };
        let found: Vec<String> = whole
            .chars()
            .filter(|c| is_non_bmp(*c))
            .take(5)
            .map(|c| format!("U+{:X}", c as u32))
            .collect();
        let max = match attr {
            Some(a) => attr_spec(ctx.version, node.tag_name().name(), a).map(|s| s.max),
            None if is_text_leaf(node) => element_spec(ctx.version, node).map(|s| s.max),
            None => None,
        };
        let utf16 = whole.encode_utf16().count();
        let limit = match max {
            Some(m) if utf16 > m => format!(
                " ; compté en unités UTF-16 comme le font certains validateurs, le texte fait {utf16} caractères pour une limite de {m}"
            ),
            _ => String::new(),
        };
        let msg = format!(
            "« {name} » contient des caractères hors du plan multilingue de base (émoji ou symboles : {}){limit} : ils risquent d'être refusés ou mal affichés sur le livret",
            found.join(", ")
        );
        let mut d = match attr {
            Some(a) => ctx.at_attr(node, a, Code::E006, msg),
            None => ctx.at_node(node, Code::E006, msg),
        };
        let cleaned = strip_non_bmp(value);
        let rep = match attr {
            Some(a) => escape_attr(&cleaned, attr_quote(ctx.text, node, a)),
            None => escape_text(&cleaned),
        };
        d = d.with_fix(Fix::unsafe_(
            "Supprimer les émoji et symboles hors BMP",
            vec![Edit::replace(s, e, rep)],
        ));
        out.push(d);
    });
}

fn is_non_bmp(c: char) -> bool {
    c as u32 > 0xFFFF
}

/// The value without its non-BMP characters, nor the joiners and variation selectors that
/// belonged to them, nor the double space their removal leaves.
pub fn strip_non_bmp(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut after_removed = false;
    for c in s.chars() {
        if is_non_bmp(c) {
            after_removed = true;
            continue;
        }
        if after_removed && matches!(c, '\u{200D}' | '\u{FE0F}' | '\u{FE0E}') {
            continue;
        }
        if after_removed && c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        after_removed = false;
        out.push(c);
    }
    let trimmed = out.trim_end_matches(' ');
    if trimmed.len() < out.len() && s.chars().last().is_some_and(is_non_bmp) {
        return trimmed.to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip() {
        assert_eq!(strip_non_bmp("Bravo 👍 continue"), "Bravo continue");
        assert_eq!(strip_non_bmp("Super ! 😀"), "Super !");
        assert_eq!(strip_non_bmp("👨\u{200D}👩 famille"), "famille");
        assert_eq!(strip_non_bmp("rien à enlever"), "rien à enlever");
    }
}
