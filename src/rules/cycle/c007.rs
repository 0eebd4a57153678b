//! C007 competences-numeriques-empty: a `competences-numeriques` block of a bilan-periodique
//! that carries nothing (no `comp-num-commun-refs`, no non-blank `appreciation-num`, no
//! `competence-num`): OPEN-ENT-NG refuses to export it and LSU is reported to reject the
//! bilan. Safe fix: drop the block.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{child, children};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::C007,
    degree: None,
    check,
};

/// The variants of C007 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "competences-numeriques-empty",
    title: "bloc de compétences numériques vide",
    agir: Agir::Fichier,
    action: "Lancer lsu-lint fix, qui supprime les blocs de compétences numériques vides.",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for bilan in &ctx.lsu.bilans_periodiques {
        for cn in children(*bilan, "competences-numeriques") {
            let refs = cn
                .attribute("comp-num-commun-refs")
                .is_some_and(|r| !r.trim().is_empty());
            let appreciation = child(cn, "appreciation-num")
                .and_then(|a| a.text())
                .is_some_and(|t| !t.trim().is_empty());
            let levels = children(cn, "competence-num").next().is_some();
            if refs || appreciation || levels {
                continue;
            }
            let (s, e) = crate::fix::edit::element_removal(ctx.text, cn);
            out.push(
                ctx.at_node(
                    cn,
                    Code::C007,
                    "bloc competences-numeriques vide (ni comp-num-commun-refs, ni appreciation-num renseignée, ni competence-num) : LSU risque de rejeter le bilan ; le supprimer ou le renseigner",
                )
                .with_fix(Fix::safe(
                    "Supprimer le bloc competences-numeriques vide",
                    vec![Edit::delete(s, e)],
                )),
            );
        }
    }
}
