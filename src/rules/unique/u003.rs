//! U003 element-programme-duplicate-label: two programme elements with the same `libelle`
//! (unique key of the schema: LSU rejects the file). The safe fix merges exact duplicates: the
//! later declaration is deleted and the references to it point to the first one.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashMap;

use crate::xml::Node;

use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::attr_value_range;
use crate::rules::helpers::{element_removal, Lines};
use crate::rules::refs::tokens;
use crate::rules::unique::find_duplicates;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::U003,
    degree: None,
    check,
};

/// The variants of U003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "element-programme-duplicate-label",
        title: "élément de programme déclaré deux fois avec le même libellé",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui fusionne les éléments de programme de même libellé et met à jour les bilans qui les citent.",
    },
];

const REFS: &str = "element-programme-refs";

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(list) = ctx
        .lsu
        .donnees
        .and_then(|d| crate::model::child(d, "elements-programme"))
    else {
        return;
    };
    let eps = crate::model::children(list, "element-programme");
    let dups = find_duplicates(eps, |n| n.attribute("libelle"));
    if dups.is_empty() {
        return;
    }
    let lines = Lines::new(ctx.text);
    // Later id → first id, for every mergeable pair (both ids present and not themselves shared).
    let mut remap: HashMap<&str, &str> = HashMap::new();
    for (first, later) in &dups {
        if let (Some(a), Some(b)) = (first.attribute("id"), later.attribute("id")) {
            if a != b && ctx.lsu.target(b).is_some_and(|n| n == *later) {
                remap.insert(b, a);
            }
        }
    }
    // The attributes that mention a remapped id, found in one walk.
    let mut users: HashMap<&str, Vec<Node>> = HashMap::new();
    if !remap.is_empty() {
        for n in ctx.doc.descendants().filter(|n| n.is_element()) {
            if let Some(v) = n.attribute(REFS) {
                for (_, t) in tokens(v) {
                    if remap.contains_key(t) {
                        let e = users.entry(t).or_default();
                        if e.last() != Some(&n) {
                            e.push(n);
                        }
                    }
                }
            }
        }
    }
    for (first, later) in dups {
        let label = later.attribute("libelle").unwrap_or("");
        let line = lines.line(first.range().start);
        let mut msg = format!(
            "libellé d'élément de programme « {label} » déclaré deux fois (« {} » et « {} », première occurrence ligne {line}) : les libellés doivent être uniques, LSU refuse le fichier entier",
            first.attribute("id").unwrap_or("?"),
            later.attribute("id").unwrap_or("?")
        );
        let later_id = later.attribute("id").unwrap_or("");
        let same_id = first.attribute("id") == later.attribute("id");
        let mergeable = same_id || remap.contains_key(later_id);
        let mut d;
        if mergeable {
            msg.push_str(" ; fusionner les deux déclarations");
            d = ctx.at_attr(later, "libelle", Code::U003, msg);
            let (s, e) = element_removal(ctx.text, later);
            let mut edits = vec![Edit::delete(s, e)];
            for n in users.get(later_id).map(Vec::as_slice).unwrap_or(&[]) {
                let (Some(v), Some((vs, ve))) = (n.attribute(REFS), attr_value_range(*n, REFS))
                else {
                    continue;
                };
                edits.push(Edit::replace(vs, ve, remapped(v, &remap)));
            }
            edits.sort();
            d = d.with_fix(Fix::safe(
                format!(
                    "Fusionner « {later_id} » dans « {} » (même libellé)",
                    first.attribute("id").unwrap_or("?")
                ),
                edits,
            ));
        } else {
            d = ctx.at_attr(later, "libelle", Code::U003, msg);
        }
        out.push(d);
    }
}

/// The list with every merged id replaced by the kept one, without repeating an id.
fn remapped(value: &str, remap: &HashMap<&str, &str>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for (_, t) in tokens(value) {
        let t = remap.get(t).copied().unwrap_or(t);
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out.join(" ")
}

/// Words a schema error routed to U003 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::Duplicate { values, .. } = &e.what else {
        return None;
    };
    Some(e.finding(
        Code::U003,
        format!(
            "<element-programme> : le libellé « {} » est déjà déclaré",
            values.replace('\'', "")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remap_dedupes() {
        let mut m = HashMap::new();
        m.insert("EP_3", "EP_1");
        assert_eq!(remapped("EP_1 EP_3 EP_2", &m), "EP_1 EP_2");
        assert_eq!(remapped("EP_3", &m), "EP_1");
    }
}
