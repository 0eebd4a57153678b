use super::*;

#[test]
fn element_removal_takes_the_whole_line() {
    let text = "<a>\n  <b x=\"1\"/>\n  <c/>\n</a>";
    let doc = crate::xml::Document::parse(text).unwrap();
    let b = doc.descendants().find(|n| n.has_tag_name("b")).unwrap();
    let (s, e) = element_removal(text, b);
    assert_eq!(&text[s..e], "  <b x=\"1\"/>\n");
    let inline = "<a><b/><c/></a>";
    let doc = crate::xml::Document::parse(inline).unwrap();
    let b = doc.descendants().find(|n| n.has_tag_name("b")).unwrap();
    assert_eq!(element_removal(inline, b), (3, 7));
}

#[test]
fn attr_removal_takes_leading_space() {
    let text = "<a x=\"1\"  y=\"\"/>";
    let doc = crate::xml::Document::parse(text).unwrap();
    let (s, e) = attr_removal(text, doc.root_element(), "y").unwrap();
    assert_eq!(&text[s..e], "  y=\"\"");
}

#[test]
fn same_object_ignores_attribute_order_and_layout() {
    let text = "<r><e a=\"1\" b=\"2\"><t>x</t></e>\n<e b=\"2\"  a=\"1\">\n <t>x</t>\n</e><e a=\"1\" b=\"3\"/></r>";
    let doc = crate::xml::Document::parse(text).unwrap();
    let es: Vec<Node> = doc.descendants().filter(|n| n.has_tag_name("e")).collect();
    assert!(same_object(es[0], es[1]));
    assert!(!same_object(es[0], es[2]));
    assert!(!same_source(text, es[0], es[1]));
}

#[test]
fn escaping() {
    assert_eq!(escape_attr("a\"b&c'", '"'), "a&quot;b&amp;c'");
    assert_eq!(escape_text("a<b & c"), "a&lt;b &amp; c");
}
