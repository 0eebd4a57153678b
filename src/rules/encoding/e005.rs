//! E005 unicode-not-nfc: a value not in Unicode normalisation form C (decomposed accents, as
//! macOS copy-paste produces). LSU compares names exactly with ONDE/STS, so « é » written as
//! e + combining acute does not match « é ».

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use unicode_normalization::{is_nfc, UnicodeNormalization};

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::helpers::for_each_value;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::E005,
    degree: None,
    check,
};

/// The variants of E005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "unicode-not-nfc",
    title: "texte non normalisé en Unicode NFC (accents décomposés)",
    agir: Agir::Fichier,
    action: "Lancer lsu-lint fix, qui normalise les textes (accents composés).",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for_each_value(ctx.doc, |node, attr, value, (s, e)| {
        // ASCII is always NFC: skip the normalisation check for the common case.
        if value.is_ascii() || is_nfc(value) {
            return;
        }
        let name = match attr {
            Some(a) => format!("{}/@{a}", node.tag_name().name()),
            None => node.tag_name().name().to_string(),
        };
        let sample: String = first_difference(value);
        let msg = format!(
            "« {name} » n'est pas en forme Unicode normalisée NFC (caractères décomposés, par exemple « {sample} ») : la valeur s'affiche pareil mais ne correspondra pas exactement aux référentiels (ONDE, STS, Siècle)"
        );
        let mut d = match attr {
            Some(a) => ctx.at_attr(node, a, Code::E005, msg),
            None => ctx.at_node(node, Code::E005, msg),
        };
        let raw = ctx.slice(s, e);
        let fixed: String = raw.nfc().collect();
        if fixed != raw {
            d = d.with_fix(Fix::safe(
                "Normaliser en NFC",
                vec![Edit::replace(s, e, fixed)],
            ));
        }
        out.push(d);
    });
}

/// The word around the first character that NFC changes, for the message.
fn first_difference(value: &str) -> String {
    value
        .split_whitespace()
        .find(|w| !is_nfc(w))
        .map(|w| w.nfc().collect::<String>())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_detection() {
        let nfd = "Ame\u{301}lie";
        assert!(!is_nfc(nfd));
        assert!(is_nfc("Amélie"));
        assert_eq!(first_difference("Mme Ame\u{301}lie"), "Amélie");
        assert_eq!(nfd.nfc().collect::<String>(), "Amélie");
    }
}
