//! U001 eleve-duplicate: the same pupil declared twice (same `id-be` in 2D, same INE in 1D);
//! the schema's unique key makes LSU reject the whole file.
//!
//! Safe fix (merge identical): when both declarations are identical, the copy is deleted; when
//! they differ only by their `id` (two accounts of one child in the software), the copy is
//! deleted and every reference to its id is redirected to the first declaration — unless that
//! would give the pupil two bilans for one period or cycle (U002), in which case nothing is
//! proposed.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::refs::{for_each_ref, tokens};
use crate::model::{self, Degree};
use crate::rules::helpers::{element_removal, same_object, Lines};
use crate::rules::unique::{duplicate_finding, find_duplicates};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::U001,
    degree: None,
    check,
};

/// The variants of U001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "doublon-different",
        title: "même élève déclaré deux fois avec des données différentes",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, fusionner les deux fiches de l'élève ou, s'il a changé de classe, exporter chaque classe séparément, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "doublon-identique",
        title: "élève déclaré deux fois à l'identique",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui supprime la seconde déclaration identique.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let (attr, label) = match ctx.version.degree {
        Some(Degree::D1) => ("ine", "INE"),
        _ => ("id-be", "identifiant Siècle id-be"),
    };
    let lines = Lines::new(ctx.text);
    for (first, later) in find_duplicates(ctx.lsu.eleves.iter().copied(), |e| e.attribute(attr)) {
        let value = later.attribute(attr).unwrap_or("");
        let who = |n: crate::xml::Node| {
            format!(
                "{} {} ({})",
                n.attribute("nom").unwrap_or(""),
                n.attribute("prenom").unwrap_or(""),
                n.attribute("id").unwrap_or("?")
            )
            .trim()
            .to_string()
        };
        let what = format!(
            "élève déclaré deux fois : {label} « {value} » porté par {} et par {}",
            who(first),
            who(later)
        );
        let mut d = duplicate_finding(
            ctx,
            &lines,
            Code::U001,
            (first, later),
            Some(attr),
            what,
            true,
        );
        if d.fix.is_none() {
            if let Some(fix) = merge_fix(ctx, first, later) {
                d.message.push_str(
                    " ; les deux déclarations ne diffèrent que par leur id : la seconde peut être fusionnée avec la première",
                );
                d = d.with_kind("doublon-identique").with_fix(fix);
            }
        }
        out.push(d);
    }
}

/// Deletes `later` and points every reference to its id at `first`, when both declarations
/// differ only by their `id` and no bilan key (pupil and period, pupil and cycle) would then
/// be shared by two bilans.
fn merge_fix<'a, 'i>(
    ctx: &Ctx<'a, 'i>,
    first: crate::xml::Node<'a, 'i>,
    later: crate::xml::Node<'a, 'i>,
) -> Option<Fix> {
    let (keep, drop) = (first.attribute("id")?, later.attribute("id")?);
    if keep == drop || !same_except_id(first, later) {
        return None;
    }
    // The bilan keys the kept pupil already has.
    let key = |b: crate::xml::Node<'a, 'i>| -> (&'a str, Option<&'a str>) {
        let name = b.tag_name().name();
        let what = if name == "bilan-cycle" {
            b.attribute("cycle")
        } else {
            b.attribute("periode-ref")
        };
        (name, what.map(str::trim))
    };
    let kept: std::collections::HashSet<_> = ctx
        .lsu
        .all_bilans()
        .filter(|b| b.attribute("eleve-ref").map(str::trim) == Some(keep))
        .map(key)
        .collect();
    let moved = ctx
        .lsu
        .all_bilans()
        .filter(|b| b.attribute("eleve-ref").map(str::trim) == Some(drop));
    if moved.map(key).any(|k| kept.contains(&k)) {
        return None;
    }
    let (s, e) = element_removal(ctx.text, later);
    let mut edits = vec![Edit::delete(s, e)];
    let mut unsure = false;
    for_each_ref(ctx.doc, |n, spec, value| {
        let Some((vs, ve)) = model::attr_value_range(n, spec.attr) else {
            return;
        };
        for (at, t) in tokens(value) {
            if t != drop {
                continue;
            }
            // Offsets inside the parsed value match the source only without references.
            if ctx.slice(vs, ve) != value {
                unsure = true;
                return;
            }
            edits.push(Edit::replace(vs + at, vs + at + t.len(), keep));
        }
    });
    if unsure {
        return None;
    }
    let redirected = edits.len() - 1;
    Some(Fix::safe(
        format!(
            "Supprimer la seconde déclaration de l'élève ({drop}) et rediriger {redirected} référence{} vers {keep}",
            if redirected > 1 { "s" } else { "" }
        ),
        edits,
    ))
}

/// Same element, same attributes except `id`, same child elements.
fn same_except_id(a: crate::xml::Node, b: crate::xml::Node) -> bool {
    let attrs = |n: crate::xml::Node<'_, '_>| n.attributes().filter(|x| x.name() != "id").count();
    let kids = |n: crate::xml::Node<'_, '_>| n.children().filter(|c| c.is_element()).count();
    attrs(a) == attrs(b)
        && a.attributes()
            .filter(|x| x.name() != "id")
            .all(|x| b.attribute(x.name()) == Some(x.value()))
        && kids(a) == kids(b)
        && a.children()
            .filter(|c| c.is_element())
            .zip(b.children().filter(|c| c.is_element()))
            .all(|(x, y)| same_object(x, y))
}

/// Words a schema error routed to U001 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::Duplicate { values, constraint } = &e.what else {
        return None;
    };
    let key = if *constraint == "uniq-eleve-ine" {
        "INE"
    } else {
        "id-be"
    };
    Some(e.finding(
        Code::U001,
        format!(
            "<eleve> : {key} {} déjà déclaré pour un autre élève",
            values.replace('\'', "")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::dates::common::test_support::*;

    /// Pupils are named « NOM Prénom » as in the other messages (I002, I003, B003).
    #[test]
    fn names_pupils_nom_then_prenom() {
        let xml = file_2d("2025", "2025-09-01", "2025-12-04").replace(
            r#"code-division="3A"/></eleves>"#,
            r#"code-division="3A"/><eleve id="EL_2" id-be="9990001" nom="Autre" prenom="Deux" code-division="3A"/></eleves>"#,
        );
        let diags = run(&xml, "2026-01-15");
        let u001 = of(&diags, Code::U001);
        assert_eq!(u001.len(), 1);
        assert!(
            u001[0].message.contains("Test Un (EL_1)")
                && u001[0].message.contains("Autre Deux (EL_2)"),
            "{}",
            u001[0].message
        );
    }
}
