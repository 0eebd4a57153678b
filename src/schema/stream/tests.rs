use super::*;

fn streamed(text: &str) -> (String, Vec<Splice>) {
    let (ranges, splices) = plan(text, 0);
    let s: String = ranges.iter().map(|&(a, b)| &text[a..b]).collect();
    (s, splices)
}

#[test]
fn small_documents_stream_unchanged() {
    let t = "<a x=\"1\">texte &amp; <![CDATA[c]]><!-- n --></a>";
    let (s, splices) = streamed(t);
    assert_eq!(s, t);
    assert!(splices.is_empty());
}

#[test]
fn huge_runs_lose_their_middle_and_positions_map_back() {
    let big = format!("l1\n{}é&amp;{}", "x".repeat(HUGE), "y\n".repeat(HUGE));
    let t = format!(
        "<a v=\"{}\">\n<b>{big}</b><c/>\n<d/></a>",
        "v".repeat(2 * HUGE)
    );
    let (s, splices) = streamed(&t);
    assert_eq!(splices.len(), 2);
    assert!(s.len() < 4 * KEEP + 100, "{}", s.len());
    assert!(s.starts_with("<a v=\"vvv") && s.ends_with("y\n</b><c/>\n<d/></a>"));
    // `<c/>` ends right after the text: same place in both coordinates once mapped.
    let in_stream = |needle: &str| {
        let p = s.find(needle).unwrap() + needle.len();
        advance(&s, 0, p, (1, 1))
    };
    let in_doc = |needle: &str| {
        let p = t.find(needle).unwrap() + needle.len();
        advance(&t, 0, p, (1, 1))
    };
    for needle in ["<c/>", "<d/>", "</a>", "<b>"] {
        let (l, c) = in_stream(needle);
        assert_eq!(to_document(&splices, l, c), in_doc(needle), "{needle}");
    }
}

#[test]
fn cuts_keep_references_and_characters_whole() {
    let body = "é&amp;".repeat(HUGE);
    let t = format!("<a>{body}</a>");
    let (s, _) = streamed(&t);
    let inner = &s[3..s.len() - 4];
    assert!(inner.starts_with("é&amp;") && inner.ends_with("é&amp;"));
    assert_eq!(inner.matches('&').count(), inner.matches(";").count());
}
