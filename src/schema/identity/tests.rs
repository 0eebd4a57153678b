use super::*;

#[test]
fn builtin_schemas_leave_every_unique_to_the_tree() {
    for kind in SchemaKind::ALL {
        let text = super::super::compile::schema_text(kind);
        let plan = builtin(kind).unwrap_or_else(|| panic!("{kind:?}: no plan"));
        // All but the period's (its `xs:int` fields stay with libxml2).
        let left = plan.stripped().matches("<xs:unique ").count();
        assert_eq!(plan.len() + left, text.matches("<xs:unique ").count());
        assert!(plan.len() >= 10, "{kind:?}: {}", plan.len());
        assert!(left <= 2, "{kind:?}: {left} left to libxml2");
        assert!(plan.stripped().contains("xs:element"), "{kind:?}");
    }
}

#[test]
fn keys_and_unknown_xpaths_stay_with_libxml2() {
    let xsd = |body: &str| {
        format!(
            r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t" elementFormDefault="qualified">
<xs:element name="r"><xs:complexType><xs:sequence><xs:element name="e" maxOccurs="unbounded"><xs:complexType><xs:attribute name="a" type="xs:string"/><xs:attribute name="d" type="xs:decimal"/></xs:complexType></xs:element></xs:sequence></xs:complexType>
{body}
</xs:element></xs:schema>"#
        )
    };
    let ok =
        xsd(r#"<xs:unique name="u"><xs:selector xpath="t:e"/><xs:field xpath="@a"/></xs:unique>"#);
    let plan = Plan::from_schema(&ok).expect("plain unique");
    assert_eq!(plan.len(), 1);
    assert_eq!(plan.uniques[0].scope, vec!["r".to_string()]);
    assert!(plan.uniques[0].anchored);
    for body in [
        r#"<xs:key name="k"><xs:selector xpath="t:e"/><xs:field xpath="@a"/></xs:key>"#,
        r#"<xs:unique name="u"><xs:selector xpath=".//t:e"/><xs:field xpath="@a"/></xs:unique>"#,
        r#"<xs:unique name="u"><xs:selector xpath="t:e"/><xs:field xpath="t:x"/></xs:unique>"#,
        r#"<xs:unique name="u"><xs:selector xpath="t:e"/><xs:field xpath="@d"/></xs:unique>"#,
    ] {
        assert!(Plan::from_schema(&xsd(body)).is_none(), "{body}");
    }
}

#[test]
fn values_compare_as_libxml2_does() {
    let int = |v| value_of(v, ValueKind::Integer).map(|c| c.into_owned());
    assert_eq!(int("007").as_deref(), Some("7"));
    assert_eq!(int(" +7 ").as_deref(), Some("7"));
    assert_eq!(int("-0").as_deref(), Some("0"));
    assert_eq!(int("7a"), None);
    assert_eq!(int(""), None);
    let text = |v| value_of(v, ValueKind::Text).map(|c| c.into_owned());
    assert_eq!(text(" a  b").as_deref(), Some(" a  b"));
    assert_eq!(text("a\tb").as_deref(), Some("a b"));
    let token = |v| value_of(v, ValueKind::Collapse).map(|c| c.into_owned());
    assert_eq!(token("  P1 ").as_deref(), Some("P1"));
    assert_eq!(token("a \n b").as_deref(), Some("a b"));
}
