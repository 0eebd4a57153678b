//! U family: duplicates and unique keys. One file per rule; `rules()` lists this family's rules
//! for the registry. `find_duplicates` is the shared key check.

use crate::catalogue::Code;
use std::collections::HashMap;
use std::hash::Hash;

use crate::xml::Node;

use super::Rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::helpers::{element_removal, same_object, Lines};
use crate::rules::Ctx;

pub mod u001;
pub mod u002;
pub mod u003;
pub mod u004;
pub mod u005;

pub fn rules() -> Vec<&'static Rule> {
    vec![
        &u001::RULE,
        &u002::RULE,
        &u003::RULE,
        &u004::RULE,
        &u005::RULE,
    ]
}

/// Pairs (first occurrence, later occurrence) of items sharing a key; items without a key
/// (a key field absent) are ignored, as an `xs:unique` does.
pub fn find_duplicates<'a, 'i, K: Eq + Hash>(
    items: impl IntoIterator<Item = Node<'a, 'i>>,
    key: impl Fn(Node<'a, 'i>) -> Option<K>,
) -> Vec<(Node<'a, 'i>, Node<'a, 'i>)> {
    let mut seen: HashMap<K, Node> = HashMap::new();
    let mut dups = Vec::new();
    for n in items {
        let Some(k) = key(n) else { continue };
        match seen.get(&k) {
            Some(first) => dups.push((*first, n)),
            None => {
                seen.insert(k, n);
            }
        }
    }
    dups
}

/// A duplicate finding on `attr` of the later item (its start tag when `attr` is None), naming
/// the first occurrence's line; with the safe fix « delete the later copy » when both are
/// identical objects and `merge` is allowed. Rules that merge declare the kinds
/// `doublon-different` (the default) and `doublon-identique` (fixed in the file).
pub fn duplicate_finding(
    ctx: &Ctx,
    lines: &Lines,
    code: Code,
    (first, later): (Node, Node),
    attr: Option<&str>,
    what: String,
    merge: bool,
) -> Diagnostic {
    let line = lines.line(first.range().start);
    let identical = merge && same_object(first, later);
    let tail = if identical {
        " ; les deux déclarations sont identiques : la seconde peut être supprimée"
    } else {
        ""
    };
    let msg =
        format!("{what} (première occurrence ligne {line}) : LSU refuse le fichier entier{tail}");
    let mut d = match attr {
        Some(a) => ctx.at_attr(later, a, code, msg),
        None => ctx.at_node(later, code, msg),
    };
    if identical {
        let (s, e) = element_removal(ctx.text, later);
        d = d.with_kind("doublon-identique").with_fix(Fix::safe(
            format!(
                "Supprimer la seconde déclaration identique de « {} »",
                later.tag_name().name()
            ),
            vec![Edit::delete(s, e)],
        ));
    }
    d
}
