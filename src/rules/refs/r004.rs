//! R004 unused-declaration: a declared object (discipline, teacher, programme element, period,
//! EPI, AP, digital-skills comment, 1D class) that nothing references. LSU then raises alerts
//! (« enseignant inconnu »…) about objects no bilan uses.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{child, children};
use crate::rules::helpers::{element_removal, kind_fr};
use crate::rules::refs::{for_each_ref, tokens};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::R004,
    degree: None,
    check,
};

/// The variants of R004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "unused-declaration",
        title: "déclaration que rien n'utilise dans le fichier",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui supprime les déclarations inutilisées ; aucune donnée des bilans n'est perdue.",
    },
    KindMeta {
        slug: "cible-possible",
        title: "déclaration inutilisée, peut-être la cible d'une référence erronée",
        agir: Agir::Logiciel,
        action: "Corriger d'abord dans le logiciel la référence erronée du même type (identifiant inconnu, d'un autre type, liste vide, discipline en double, ou enseignant sans service STS-Web alors que celui-ci en a un) : cette déclaration en est peut-être la cible ; si elle reste inutilisée, lsu-lint fix la supprimera.",
    },
];

/// The declared objects of one kind, in French, for the cause title.
fn plural_fr(item: &str) -> &'static str {
    match item {
        "responsable-etab" => "responsables d'établissement",
        "periode" => "périodes",
        "discipline" => "disciplines",
        "enseignant" => "enseignants",
        "element-programme" => "éléments de programme",
        "competences-numeriques-commun" => "commentaires communs de compétences numériques",
        "epi" => "EPI",
        "epi-groupe" => "groupes d'EPI",
        "acc-perso" => "accompagnements personnalisés",
        "acc-perso-groupe" => "groupes d'accompagnement personnalisé",
        "directeur" => "directeurs",
        "classe" => "classes",
        _ => "autres objets",
    }
}

/// The element kinds some reference of the file should designate but does not: an unknown id
/// (R001), an id of another kind (R002), a list with too few ids (R003), or a discipline cited
/// by two acquis of one bilan (M003, one of them meant another). An unused declaration of such
/// a kind may be the intended target: deleting it would make the file harder to repair.
fn broken_kinds(ctx: &Ctx) -> HashSet<&'static str> {
    let mut kinds = HashSet::new();
    for_each_ref(ctx.doc, |_, spec, value| {
        let Some(target) = spec.target else {
            return;
        };
        let mut count = 0;
        let mut wrong = false;
        for (_, t) in tokens(value) {
            count += 1;
            wrong |= ctx
                .lsu
                .target(t)
                .is_none_or(|n| n.tag_name().name() != target);
        }
        if wrong || count < spec.min {
            kinds.insert(target);
        }
    });
    for bilan in &ctx.lsu.bilans_periodiques {
        let mut seen = HashSet::new();
        for acquis in crate::model::items(Some(*bilan), "liste-acquis", "acquis") {
            if let Some(r) = acquis.attribute("discipline-ref") {
                if !seen.insert(r.trim()) {
                    kinds.insert("discipline");
                }
            }
        }
    }
    kinds
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(donnees) = ctx.lsu.donnees else {
        return;
    };
    let mut used: HashSet<&str> = HashSet::new();
    for_each_ref(ctx.doc, |_, _, value| {
        used.extend(tokens(value).map(|(_, t)| t));
    });
    let broken = broken_kinds(ctx);
    // A teacher STS-Web gives for a course whose cited teacher has no service there (T003):
    // a scan of every acquis, done only when some teacher is unused.
    let sts_teachers = std::cell::OnceCell::new();
    for (container, item) in crate::model::refs::DECLARATIONS {
        let Some(c) = child(donnees, container) else {
            continue;
        };
        let all: Vec<_> = children(c, item).collect();
        let unused: Vec<_> = all
            .iter()
            .filter(|n| n.attribute("id").is_some_and(|id| !used.contains(id)))
            .collect();
        // Pruning must leave the container with at least one child (the schema wants 1..n).
        let can_prune = unused.len() < all.len();
        for n in unused {
            let id = n.attribute("id").unwrap_or("");
            let label = n
                .attribute("libelle")
                .or_else(|| n.attribute("intitule"))
                .or_else(|| n.attribute("nom"))
                .map(|l| format!(" « {l} »"))
                .unwrap_or_default();
            let maybe_target = broken.contains(item)
                || (*item == "enseignant"
                    && n.attribute("id-sts").is_some_and(|s| {
                        sts_teachers
                            .get_or_init(|| crate::rules::teachers::t003::service_teachers(ctx))
                            .contains(s.trim())
                    }));
            let caveat = if maybe_target {
                format!(
                    " ; elle n'est pas supprimée automatiquement : une référence du fichier qui doit désigner {} est erronée et visait peut-être celle-ci, corriger d'abord cette référence",
                    kind_fr(item)
                )
            } else {
                String::new()
            };
            let msg = format!(
                "déclaration inutilisée : {} d'identifiant « {id} »{label}, que rien ne référence dans le fichier (LSU peut émettre des alertes à son sujet){caveat}",
                kind_fr(item)
            );
            let mut d = ctx
                .at_attr(*n, "id", Code::R004, msg)
                .with_group(format!("déclarations inutilisées : {}", plural_fr(item)));
            if maybe_target {
                d = d.with_kind("cible-possible");
            } else if can_prune {
                let (s, e) = element_removal(ctx.text, *n);
                d = d.with_fix(Fix::safe(
                    format!("Supprimer la déclaration inutilisée « {id} »"),
                    vec![Edit::delete(s, e)],
                ));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Applicability;
    use crate::rules::dates::common::test_support::*;

    /// The example with a second teacher ENS_2 that no acquis cites.
    fn with_unused_teacher(enseignant_refs: &str) -> String {
        file_2d("2025", "2025-09-01", "2025-12-04")
            .replace(
                "</enseignants>",
                r#"<enseignant id="ENS_2" type="epp" id-sts="1002" civilite="M" nom="Prof" prenom="Deux"/></enseignants>"#,
            )
            .replace(
                r#"enseignant-refs="ENS_1""#,
                &format!(r#"enseignant-refs="{enseignant_refs}""#),
            )
    }

    #[test]
    fn prunes_safely_unless_a_reference_of_that_kind_is_broken() {
        // Ordinary case: the unused teacher is pruned by a safe fix.
        let diags = run(&with_unused_teacher("ENS_1"), "2026-01-15");
        let r004 = of(&diags, Code::R004);
        assert_eq!(r004.len(), 1);
        assert_eq!(r004[0].kind, "unused-declaration");
        assert_eq!(
            r004[0].fix.as_ref().map(|f| f.applicability),
            Some(Applicability::Safe)
        );
        // A misspelt, wrong-kind or empty teacher reference: ENS_2 may be its target.
        for refs in ["ENS_9", "DI_FRA", ""] {
            let diags = run(&with_unused_teacher(refs), "2026-01-15");
            let r004: Vec<_> = of(&diags, Code::R004)
                .into_iter()
                .filter(|d| d.message.contains("ENS_2"))
                .collect();
            assert_eq!(r004.len(), 1, "{refs:?}");
            assert_eq!(r004[0].kind, "cible-possible", "{refs:?}");
            assert!(r004[0].fix.is_none(), "{refs:?}");
            assert!(r004[0].message.contains("pas supprimée"), "{refs:?}");
        }
        // A broken reference of another kind leaves the teacher's fix alone.
        let other = with_unused_teacher("ENS_1")
            .replace(r#"discipline-ref="DI_FRA""#, r#"discipline-ref="DI_XXX""#);
        let diags = run(&other, "2026-01-15");
        let ens2: Vec<_> = of(&diags, Code::R004)
            .into_iter()
            .filter(|d| d.message.contains("ENS_2"))
            .collect();
        assert_eq!(ens2.len(), 1);
        assert!(ens2[0].fix.is_some());
    }
}
