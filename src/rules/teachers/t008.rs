//! T008 enseignant-duplicate: teachers are unique on (type, id-sts) in 2D and on (civilité,
//! nom, prénom) in 1D; a second declaration makes LSU refuse the file. One finding per
//! duplicated key. Safe fix when the declarations are identical apart from their id: keep the
//! first one the bilans reference (else the first), delete the others, re-point their references.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{HashMap, HashSet};

use crate::xml::Node;

use super::{positive_integer, xs_trim};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::T008,
    degree: None,
    check,
};

/// The variants of T008 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "declarations-identiques",
        title: "enseignant déclaré plusieurs fois à l'identique",
        agir: Agir::Fichier,
        action: "Faire fusionner les déclarations identiques par lsu-lint fix (les bilans pointent ensuite vers une seule).",
    },
    KindMeta {
        slug: "declarations-differentes",
        title: "deux fiches d'enseignant pour la même personne",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, vérifier s'il s'agit de la même personne (deux comptes) et n'en garder qu'un, puis exporter à nouveau.",
    },
];

/// Attributes that may point to a teacher (2D and 1D).
const REF_ATTRS: [&str; 3] = ["enseignant-refs", "prof-princ-refs", "enseignant-ref"];

fn key<'a>(n: Node<'a, '_>, degree: Degree) -> Vec<&'a str> {
    match degree {
        Degree::D2 => {
            let id_sts = n.attribute("id-sts").unwrap_or("");
            vec![
                xs_trim(n.attribute("type").unwrap_or("")),
                // positiveInteger keys compare by value: 0012 = 12.
                positive_integer(id_sts).unwrap_or(xs_trim(id_sts)),
            ]
        }
        Degree::D1 => ["civilite", "nom", "prenom"]
            .iter()
            .map(|a| n.attribute(*a).unwrap_or(""))
            .collect(),
    }
}

/// Same attributes (names and values) apart from `id`.
fn identical(a: Node, b: Node) -> bool {
    let attrs = |n: Node| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = n
            .attributes()
            .filter(|x| x.name() != "id")
            .map(|x| (x.name().to_string(), x.value().to_string()))
            .collect();
        v.sort();
        v
    };
    attrs(a) == attrs(b)
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(degree) = ctx.version.degree else {
        return;
    };
    let mut groups: HashMap<Vec<&str>, Vec<Node>> = HashMap::new();
    let mut order = Vec::new();
    for ens in &ctx.lsu.enseignants {
        let k = key(*ens, degree);
        if k.iter().all(|x| x.is_empty()) {
            continue; // S003
        }
        let g = groups.entry(k.clone()).or_default();
        if g.is_empty() {
            order.push(k);
        }
        g.push(*ens);
    }
    let dup_groups: Vec<&Vec<Node>> = order
        .iter()
        .filter_map(|k| groups.get(k))
        .filter(|g| g.len() > 1)
        .collect();
    if dup_groups.is_empty() {
        return;
    }
    // Reference attributes, collected once for all groups.
    let refs: Vec<(Node, &str)> = ctx
        .doc
        .descendants()
        .filter(Node::is_element)
        .flat_map(|n| {
            REF_ATTRS
                .iter()
                .filter(move |a| n.has_attribute(**a))
                .map(move |a| (n, *a))
        })
        .collect();
    let referenced = |id: &str| {
        refs.iter().any(|(n, a)| {
            n.attribute(*a)
                .is_some_and(|v| v.split_whitespace().any(|t| t == id))
        })
    };
    for g in dup_groups {
        let first = g[0];
        // Keep the declaration the bilans already use, so that the merge and R004's removal of
        // the unused copy are one and the same edit instead of two that contradict each other.
        let kept = g
            .iter()
            .copied()
            .find(|n| n.attribute("id").is_some_and(referenced))
            .unwrap_or(first);
        let keep = kept.attribute("id").unwrap_or("?");
        let removed: Vec<Node> = g.iter().copied().filter(|n| n.id() != kept.id()).collect();
        let others: Vec<&str> = removed
            .iter()
            .map(|n| n.attribute("id").unwrap_or("?"))
            .collect();
        let what = match degree {
            Degree::D2 => format!(
                "le même type « {} » et id-sts « {} »",
                first.attribute("type").unwrap_or(""),
                first.attribute("id-sts").unwrap_or("")
            ),
            Degree::D1 => format!(
                "la même identité « {} {} {} »",
                first.attribute("civilite").unwrap_or(""),
                first.attribute("nom").unwrap_or(""),
                first.attribute("prenom").unwrap_or("")
            ),
        };
        let same = removed.iter().all(|n| identical(kept, *n));
        let advice = if same {
            "déclarations identiques : n'en garder qu'une"
        } else {
            "les déclarations diffèrent (nom, civilité…) : vérifier s'il s'agit de la même personne (deux comptes dans le logiciel) et n'en garder qu'une"
        };
        // At the second declaration, where the schema's unique key fails too (one finding).
        let mut d = ctx.at_node(
            g[1],
            Code::T008,
            format!(
                "enseignant déclaré {} fois avec {what} (« {keep} », {}) ; LSU refuse le fichier ; {advice}",
                g.len(),
                others.iter().map(|o| format!("« {o} »")).collect::<Vec<_>>().join(", ")
            ),
        )
        .with_kind(if same {
            "declarations-identiques"
        } else {
            "declarations-differentes"
        });
        if same {
            let dup: HashSet<&str> = others.iter().copied().collect();
            let mut edits: Vec<Edit> = removed
                .iter()
                .map(|n| {
                    let (s, e) = crate::fix::edit::element_removal(ctx.text, *n);
                    Edit::delete(s, e)
                })
                .collect();
            for (n, attr) in &refs {
                let Some(v) = n.attribute(*attr) else {
                    continue;
                };
                if !v.split_whitespace().any(|t| dup.contains(t)) {
                    continue;
                }
                let mut new: Vec<&str> = Vec::new();
                for t in v.split_whitespace() {
                    let t = if dup.contains(t) { keep } else { t };
                    if !new.contains(&t) {
                        new.push(t);
                    }
                }
                if let Some((s, e)) = model::attr_value_range(*n, attr) {
                    edits.push(Edit::replace(s, e, new.join(" ")));
                }
            }
            edits.sort();
            d = d.with_fix(Fix::safe(
                format!(
                    "Garder « {keep} », supprimer {} et faire pointer leurs références vers « {keep} »",
                    others.join(", ")
                ),
                edits,
            ));
        }
        out.push(d);
    }
}

/// Words a schema error routed to T008 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::Duplicate { values, .. } = &e.what else {
        return None;
    };
    Some(e.finding(
        Code::T008,
        format!(
            "<enseignant> en double (même clé : {})",
            values.replace('\'', "")
        ),
    ))
}
