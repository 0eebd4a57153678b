//! Small helpers shared by several rule families: byte ranges for safe deletions, element text,
//! XML escaping for replacements, lazy line numbers for messages.

use std::borrow::Cow;
use std::cell::OnceCell;

use crate::xml::Node;

use crate::source::LineIndex;

pub use crate::fix::edit::{attr_removal, element_removal};

/// The text content of an element: its text children (CDATA included) concatenated.
pub fn element_text<'a>(node: Node<'a, '_>) -> Cow<'a, str> {
    let mut texts = node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text());
    let Some(first) = texts.next() else {
        return Cow::Borrowed("");
    };
    match texts.next() {
        None => Cow::Borrowed(first),
        Some(second) => {
            let mut s = String::from(first);
            s.push_str(second);
            for t in texts {
                s.push_str(t);
            }
            Cow::Owned(s)
        }
    }
}

/// Whether an element holds only text (no child element): a text field.
pub fn is_text_leaf(node: Node) -> bool {
    !node.children().any(|c| c.is_element())
}

pub use crate::util::{escape_attr, escape_text};

/// The quote character delimiting an attribute's value in the source (`"` by default).
pub fn attr_quote(text: &str, node: Node, attr: &str) -> char {
    crate::model::attr_value_range(node, attr)
        .and_then(|(s, _)| s.checked_sub(1))
        .and_then(|q| text.as_bytes().get(q))
        .map(|b| if *b == b'\'' { '\'' } else { '"' })
        .unwrap_or('"')
}

/// 1-based line numbers for messages, with the line table built only when first needed.
pub struct Lines<'t> {
    text: &'t str,
    index: OnceCell<LineIndex<'t>>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        Lines {
            text,
            index: OnceCell::new(),
        }
    }
    pub fn line(&self, offset: usize) -> usize {
        self.index
            .get_or_init(|| LineIndex::new(self.text.as_bytes()))
            .line_of(offset)
            + 1
    }
}

/// Same bytes in the source: used to recognise exact duplicates that are safe to delete.
pub fn same_source(text: &str, a: Node, b: Node) -> bool {
    let (ra, rb) = (a.range(), b.range());
    text.get(ra.start..ra.end)
        .is_some_and(|x| Some(x) == text.get(rb.start..rb.end))
}

/// Same element name, same attributes (any order) and same text: identical objects.
pub fn same_object(a: Node, b: Node) -> bool {
    if a.tag_name() != b.tag_name() || a.attributes().count() != b.attributes().count() {
        return false;
    }
    let attrs_equal = a
        .attributes()
        .all(|x| b.attribute(x.name()) == Some(x.value()));
    if !attrs_equal {
        return false;
    }
    let ca: Vec<Node> = a
        .children()
        .filter(|c| c.is_element() || is_content_text(*c))
        .collect();
    let cb: Vec<Node> = b
        .children()
        .filter(|c| c.is_element() || is_content_text(*c))
        .collect();
    if ca.len() != cb.len() {
        return false;
    }
    ca.iter().zip(cb.iter()).all(|(x, y)| {
        if x.is_element() && y.is_element() {
            same_object(*x, *y)
        } else {
            x.is_text() && y.is_text() && x.text() == y.text()
        }
    })
}

fn is_content_text(n: Node) -> bool {
    n.is_text() && n.text().is_some_and(|t| !t.trim().is_empty())
}

/// Element name for messages, with its French article (« une discipline »).
pub fn kind_fr(name: &str) -> &'static str {
    match name {
        "eleve" => "un élève",
        "periode" => "une période",
        "discipline" => "une discipline",
        "enseignant" => "un enseignant",
        "element-programme" => "un élément de programme",
        "responsable-etab" => "un responsable d'établissement",
        "directeur" => "un directeur",
        "classe" => "une classe",
        "epi" => "un EPI",
        "epi-groupe" => "un groupe d'EPI",
        "acc-perso" => "un accompagnement personnalisé",
        "acc-perso-groupe" => "un groupe d'accompagnement personnalisé",
        "competences-numeriques-commun" => "un commentaire commun de compétences numériques",
        _ => "un autre élément",
    }
}

/// Calls `f(element, attribute, value, raw range)` for every attribute value and every text of
/// a text-only element (attribute None), in one walk: the values a person typed.
pub fn for_each_value<'a, 'i: 'a>(
    doc: &'a crate::xml::Document<'i>,
    mut f: impl FnMut(Node<'a, 'i>, Option<&'a str>, &'a str, (usize, usize)),
) {
    for n in doc.descendants() {
        if n.is_element() {
            for a in n.attributes() {
                let r = a.range_value();
                f(n, Some(a.name()), a.value(), (r.start, r.end));
            }
        } else if n.is_text() {
            // Indentation between elements is layout, not a value.
            let Some(parent) = n.parent_element() else {
                continue;
            };
            if !is_text_leaf(parent) {
                continue;
            }
            if let Some(t) = n.text() {
                let r = n.range();
                f(parent, None, t, (r.start, r.end));
            }
        }
    }
}

#[cfg(test)]
mod tests;
