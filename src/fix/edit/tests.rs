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
