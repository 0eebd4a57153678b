use super::*;
use crate::catalogue::Code;

#[test]
fn forbidden_characters_raw_and_referenced_are_found_and_blanked_in_place() {
    let text = "<a>x\u{1}y\u{FFFE}z&#x1F;&#13;&#65;&#0;é</a>";
    let at = |s: &str| text.find(s).unwrap();
    assert_eq!(
        forbidden_ranges(text.as_bytes()),
        vec![
            (at("\u{1}"), at("\u{1}") + 1),
            (at("\u{FFFE}"), at("\u{FFFE}") + 3),
            (at("&#x1F;"), at("&#x1F;") + 6),
            (at("&#0;"), at("&#0;") + 4),
        ],
        "&#13; is X003's and &#65; is allowed"
    );
    let d = decode(text.as_bytes().to_vec());
    let out = d.text.unwrap();
    assert_eq!(out.len(), text.len(), "offsets unchanged");
    assert!(!out.contains('\u{1}') && !out.contains('\u{FFFE}') && !out.contains("&#x1F;"));
    assert!(out.contains("&#13;&#65;") && out.ends_with("é</a>"));
    assert_eq!(
        d.findings.iter().filter(|f| f.code == Code::E003).count(),
        4
    );
}

#[test]
fn nesting_and_attribute_limits() {
    let deep = format!(
        "{}{}",
        "<a>".repeat(MAX_DEPTH + 1),
        "</a>".repeat(MAX_DEPTH + 1)
    );
    assert_eq!(too_deep(&deep).map(|x| x.1), Some(Excess::Depth));
    let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
    assert_eq!(too_deep(&ok), None);
    // Self-closing tags, comments and quoted '>' do not count as nesting.
    let tricky = format!(
        "<r>{}<!-- <a> <a> --><b x='>'/></r>",
        "<c/>".repeat(MAX_DEPTH * 2)
    );
    assert_eq!(too_deep(&tricky), None);
    let attrs: String = (0..=MAX_ATTRIBUTES)
        .map(|i| format!(" a{i}=\"v\""))
        .collect();
    assert_eq!(
        too_deep(&format!("<r{attrs}/>")).map(|x| x.1),
        Some(Excess::Attributes)
    );
}

#[test]
fn invalid_utf8_is_one_finding_per_line_with_one_fix() {
    // « Élève » and « à » in Windows-1252 on line 2, « é » on line 3.
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a b=\"".to_vec();
    bytes.extend([0xC9, b'l', 0xE8, b'v', b'e', b' ', 0xE0]);
    bytes.extend(b"\">\n<c>");
    bytes.push(0xE9);
    bytes.extend(b"</c></a>\n");
    let d = decode(bytes);
    assert!(d.text.is_none());
    let e002: Vec<_> = d.findings.iter().filter(|f| f.code == Code::E002).collect();
    assert_eq!(e002.len(), 2, "{:?}", e002);
    assert_eq!((e002[0].line, e002[1].line), (2, 3));
    assert!(
        e002[0]
            .message
            .starts_with("3 séquences d'octets invalides"),
        "{}",
        e002[0].message
    );
    assert!(
        e002[0].message.contains("0xE0 (« à »)"),
        "{}",
        e002[0].message
    );
    assert!(
        e002[1]
            .message
            .starts_with("octets invalides en UTF-8 : 0xE9 (« é »"),
        "{}",
        e002[1].message
    );
    // The transcoding fix is unchanged: on the first finding, every sequence of the file.
    assert_eq!(e002[0].fix.as_ref().map(|f| f.edits.len()), Some(4));
    assert!(e002[1].fix.is_none());
}
