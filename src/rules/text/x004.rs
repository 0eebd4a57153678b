//! X004 placeholder-text: an appreciation, comment or label whose content is a placeholder
//! (« RAS », « - », « xxx », « à compléter », lorem ipsum…). LSU accepts it, but the families
//! read it on the livret.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::rules::text::{for_each_field, is_blank, Class};
use crate::rules::{Ctx, Rule};
use crate::util::fold;

pub static RULE: Rule = Rule {
    code: Code::X004,
    degree: None,
    check,
};

/// The variants of X004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "placeholder-text",
        title: "texte de remplissage à la place du vrai contenu",
        agir: Agir::Logiciel,
        action: "Saisir le vrai texte dans le logiciel de vie scolaire (ou le laisser vide s'il est facultatif), puis exporter à nouveau.",
    },
];

/// Folded placeholders (lower case, no accents).
const PLACEHOLDERS: &[&str] = &[
    "ras",
    "r.a.s",
    "rien a signaler",
    "-",
    "--",
    "---",
    "x",
    "xx",
    "xxx",
    "xxxx",
    "a completer",
    "a saisir",
    "a remplir",
    "a faire",
    "test",
    "tests",
    "essai",
    "todo",
    "inconnu",
    "inconnue",
    "neant",
    "n/a",
    "na",
    "nc",
    "vide",
    "appreciation",
    "commentaire",
    "texte",
    "libelle",
    "?",
    "??",
    "???",
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for_each_field(ctx.version, ctx.doc, |f| {
        if !matches!(f.spec.class, Class::Prose | Class::Label) || is_blank(&f.value) {
            return;
        }
        if !is_placeholder(&f.value, f.spec.class == Class::Prose) {
            return;
        }
        let name = f.name();
        let msg = format!(
            "« {name} » contient « {} », un texte de remplissage : LSU l'accepte mais il apparaîtra tel quel sur le livret ; saisir le vrai contenu ou retirer l'élément s'il est facultatif",
            f.value.trim()
        );
        out.push(
            match f.attr {
                Some(a) => ctx.at_attr(f.node, a, Code::X004, msg),
                None => ctx.at_node(f.node, Code::X004, msg),
            }
            .with_group(format!("texte de remplissage dans « {name} »")),
        );
    });
}

/// Whether a (non-blank) text is a placeholder. `prose`: also texts with fewer than two letters
/// (« . », « / », « 0 »), which are no appreciation.
pub fn is_placeholder(value: &str, prose: bool) -> bool {
    // Placeholders are short; long texts only need the lorem-ipsum check (no folding).
    if value.len() > 40 {
        let head: String = value.trim_start().chars().take(5).collect();
        return head.eq_ignore_ascii_case("lorem") && value.to_ascii_lowercase().contains("ipsum");
    }
    let f = fold(value);
    if f.starts_with("lorem ipsum") || f.starts_with("lorem") && f.contains("ipsum") {
        return true;
    }
    let core = f.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '!' | '…'));
    if core.is_empty() {
        // Only dots or exclamation marks.
        return true;
    }
    if PLACEHOLDERS.contains(&core) {
        return true;
    }
    prose && core.chars().filter(|c| c.is_alphabetic()).count() < 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "RAS",
            "R.A.S.",
            " - ",
            ".",
            "...",
            "xxx",
            "À compléter",
            "Test",
            "Lorem ipsum dolor sit amet",
            "?",
        ] {
            assert!(is_placeholder(p, true), "{p}");
        }
        for ok in ["Bon trimestre.", "Résultats solides", "EPS", "Très bien !"] {
            assert!(!is_placeholder(ok, true), "{ok}");
        }
        assert!(!is_placeholder("LV", false));
        assert!(is_placeholder("x", false));
    }
}
