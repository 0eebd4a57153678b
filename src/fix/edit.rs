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
mod tests {
    use super::*;

    fn node<'a, 'i>(doc: &'a crate::xml::Document<'i>, tag: &str) -> Node<'a, 'i> {
        doc.descendants().find(|n| n.has_tag_name(tag)).unwrap()
    }

    #[test]
    fn an_element_alone_on_its_line_takes_the_line() {
        let text = "<a>\n  <b x=\"1\"/> \r\n  <c/>\n</a>";
        let doc = crate::xml::Document::parse(text).unwrap();
        let (s, e) = element_removal(text, node(&doc, "b"));
        assert_eq!(&text[s..e], "  <b x=\"1\"/> \r\n");
        let mut out = text.to_string();
        out.replace_range(s..e, "");
        assert_eq!(out, "<a>\n  <c/>\n</a>");
    }

    #[test]
    fn an_element_sharing_its_line_takes_only_itself() {
        let inline = "<a><b/><c/></a>";
        let doc = crate::xml::Document::parse(inline).unwrap();
        assert_eq!(element_removal(inline, node(&doc, "b")), (3, 7));
        // Content after it on the line: the line is not joined to the previous one.
        let text = "<a>\n  <b/><c/>\n</a>";
        let doc = crate::xml::Document::parse(text).unwrap();
        let (s, e) = element_removal(text, node(&doc, "b"));
        assert_eq!(&text[s..e], "<b/>");
        let doc = crate::xml::Document::parse(text).unwrap();
        let (s, e) = element_removal(text, node(&doc, "c"));
        assert_eq!(&text[s..e], "<c/>");
    }

    #[test]
    fn an_attribute_takes_the_space_before_it() {
        let text = "<a x=\"1\"  y=\"\"/>";
        let doc = crate::xml::Document::parse(text).unwrap();
        let (s, e) = attr_removal(text, doc.root_element(), "y").unwrap();
        assert_eq!(&text[s..e], "  y=\"\"");
        assert_eq!(attr_removal(text, doc.root_element(), "z"), None);
    }
}
