//! The byte ranges that fixes (and `split`) delete: the one home of « remove an element » and
//! « remove an attribute », so every removal treats line breaks the same way.
//!
//! An element alone on its line loses the whole line — its indentation, the element, any
//! trailing blanks and the line break after it — so the output keeps its layout and no blank
//! line is left behind; an element sharing its line with other content loses only itself, so no
//! line is ever joined to another. Both cases leave every other byte as it was.

use crate::xml::Node;

use crate::diagnostic::Edit;

/// Range that deletes an element: its whole line when it stands alone on it (leading
/// indentation, trailing blanks and the line break after it), else just the element.
pub fn element_removal(text: &str, node: Node) -> (usize, usize) {
    let r = node.range();
    let bytes = text.as_bytes();
    let start = r.start.min(bytes.len());
    let mut s = start;
    while s > 0 && matches!(bytes[s - 1], b' ' | b'\t') {
        s -= 1;
    }
    let at_line_start = s == 0 || bytes[s - 1] == b'\n';
    let mut e = r.end.min(bytes.len());
    while e < bytes.len() && matches!(bytes[e], b' ' | b'\t' | b'\r') {
        e += 1;
    }
    let at_line_end = e >= bytes.len() || bytes[e] == b'\n';
    if at_line_start && at_line_end {
        (s, (e + 1).min(bytes.len()))
    } else {
        (start, r.end.min(bytes.len()))
    }
}

/// The edit deleting an element ([`element_removal`]).
pub fn remove_element(text: &str, node: Node) -> Edit {
    let (s, e) = element_removal(text, node);
    Edit::delete(s, e)
}

/// Range that deletes an attribute with the white space before it.
pub fn attr_removal(text: &str, node: Node, attr: &str) -> Option<(usize, usize)> {
    let (s, e) = crate::model::attr_range(node, attr)?;
    let bytes = text.as_bytes();
    let mut from = s;
    while from > 0 && bytes.get(from - 1).is_some_and(u8::is_ascii_whitespace) {
        from -= 1;
    }
    Some((from, e))
}

#[cfg(test)]
mod tests;
