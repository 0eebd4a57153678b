//! P006 bilan-1d-incomplete: a 1D bilan-periodique needs at least three « complete » acquis
//! from three different domains (complete = a positionnement, on the domain or one of its
//! sous-domaines, plus a programme element or an appreciation); LSU treats the bilan as
//! incomplete otherwise. Also flags a positionnement given together with `non-evalue="true"`.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashSet;

use crate::xml::Node;

use super::xs_trim;
use crate::diagnostic::Diagnostic;
use crate::model::{self, child, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::P006,
    degree: Some(Degree::D1),
    check,
};

/// The variants of P006 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "domaines-incomplets",
        title: "bilan du 1er degré avec moins de 3 domaines complets",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de l'école, compléter au moins 3 domaines différents (positionnement et élément de programme ou appréciation), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "non-evalue-et-positionne",
        title: "domaine positionné et marqué non évalué",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de l'école, retirer le positionnement ou la mention « non évalué » du domaine, puis exporter à nouveau.",
    },
];

fn non_evalue(n: Node) -> bool {
    n.attribute("non-evalue")
        .is_some_and(|v| matches!(xs_trim(v), "true" | "1"))
}

fn positioned(n: Node) -> bool {
    n.attribute("positionnement")
        .is_some_and(|v| !xs_trim(v).is_empty())
        && !non_evalue(n)
}

fn has_elements(n: Node) -> bool {
    n.attribute("element-programme-refs")
        .is_some_and(|v| !v.trim().is_empty())
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for bilan in &ctx.lsu.bilans_periodiques {
        let mut complete: HashSet<&str> = HashSet::new();
        let mut all = 0;
        for a in model::items(Some(*bilan), "liste-acquis", "acquis") {
            all += 1;
            let subs: Vec<Node> = model::items(Some(a), "sous-domaines", "sous-domaine");
            for n in std::iter::once(a).chain(subs.iter().copied()) {
                if let (Some(p), true) = (n.attribute("positionnement"), non_evalue(n)) {
                    let code = n.attribute("code-domaine").unwrap_or("?");
                    out.push(ctx.at_attr(
                        n,
                        "non-evalue",
                        Code::P006,
                        format!(
                            "domaine « {code} » : positionnement=\"{p}\" et non-evalue=\"true\" en même temps ; un domaine évalué ne doit pas être marqué non évalué (retirer non-evalue) et inversement"
                        ),
                    ).with_kind("non-evalue-et-positionne"));
                }
            }
            let pos = positioned(a) || subs.iter().any(|s| positioned(*s));
            let elements = has_elements(a) || subs.iter().any(|s| has_elements(*s));
            let appreciation = child(a, "appreciation")
                .and_then(|t| t.text())
                .is_some_and(|t| !t.trim().is_empty());
            if pos && (elements || appreciation) {
                let code = a.attribute("code-domaine").map(xs_trim).unwrap_or("");
                let domain = code.split('-').next().unwrap_or(code);
                complete.insert(domain);
            }
        }
        if complete.len() >= 3 {
            continue;
        }
        let mut found: Vec<&str> = complete.into_iter().collect();
        found.sort_unstable();
        let list = if found.is_empty() {
            "aucun".to_string()
        } else {
            found.join(", ")
        };
        out.push(ctx.at_node(
            *bilan,
            Code::P006,
            format!(
                "bilan périodique du 1er degré incomplet : {} domaine{} complet{} ({list}) sur {all} acquis ; LSU attend au moins 3 domaines différents avec un positionnement et au moins un élément de programme (ou une appréciation), sinon le bilan est rejeté comme incomplet",
                found.len(),
                if found.len() > 1 { "s" } else { "" },
                if found.len() > 1 { "s" } else { "" },
            ),
        ));
    }
}
