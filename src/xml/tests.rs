//! The tree must be roxmltree's: same nodes, ranges, names, values and texts; and the parser
//! must accept exactly what roxmltree accepts (anything it does not handle goes to roxmltree).
use super::*;

/// roxmltree's text of a node, layout left out: an element's is its first child's, if text.
fn text_of<'a>(n: roxmltree::Node<'a, '_>, text: &str) -> Option<&'a str> {
    if n.is_element() {
        n.children()
            .find(|c| !is_layout(*c, text))
            .filter(|c| c.is_text())?
            .text()
    } else {
        n.text()
    }
}

/// Every observable of both trees, node by node.
fn same_tree(text: &str, ours: &Document, theirs: &roxmltree::Document) -> Result<(), String> {
    let a: Vec<Node> = ours.descendants().collect();
    // roxmltree's tree without layout (`is_layout`), which ours leaves out.
    let kept = |n: &roxmltree::Node| !is_layout(*n, text);
    let b: Vec<roxmltree::Node> = theirs.descendants().filter(kept).collect();
    if a.len() != b.len() {
        return Err(format!("{} nodes, roxmltree {}", a.len(), b.len()));
    }
    let index_b: HashMap<roxmltree::NodeId, usize> =
        b.iter().enumerate().map(|(i, n)| (n.id(), i)).collect();
    let pos_a = |n: Option<Node>| n.map(|n| n.id().0 as usize);
    let pos_b = |n: Option<roxmltree::Node>| n.map(|n| index_b[&n.id()]);
    for (x, y) in a.iter().zip(&b) {
        let at: String = text[x.range().start..].chars().take(30).collect();
        let same = x.range() == y.range()
            && x.is_element() == y.is_element()
            && x.is_text() == y.is_text()
            && x.is_comment() == y.is_comment()
            && x.is_pi() == y.is_pi()
            && x.tag_name().name() == y.tag_name().name()
            && x.tag_name().namespace() == y.tag_name().namespace()
            && x.text() == text_of(*y, text)
            && pos_a(x.parent()) == pos_b(y.parent())
            && pos_a(x.next_sibling()) == pos_b(y.next_siblings().skip(1).find(kept))
            && pos_a(x.prev_sibling()) == pos_b(y.prev_siblings().skip(1).find(kept))
            && pos_a(x.first_child()) == pos_b(y.children().find(kept))
            && pos_a(x.last_child()) == pos_b(y.children().rfind(kept))
            && x.attributes().count() == y.attributes().len()
            && x.descendants().count() == y.descendants().filter(kept).count();
        if !same {
            return Err(format!("node at {:?} ({at:?}) differs", x.range()));
        }
        for (p, q) in x.attributes().zip(y.attributes()) {
            if p.name() != q.name()
                || p.namespace() != q.namespace()
                || p.value() != q.value()
                || p.range() != q.range()
                || p.range_value() != q.range_value()
            {
                return Err(format!("attribute {} at {:?} differs", p.name(), p.range()));
            }
            if p.namespace().is_none() && x.attribute(p.name()) != y.attribute(q.name()) {
                return Err(format!("attribute lookup {} differs", p.name()));
            }
        }
        // Lookups read the start tag again: names that are a prefix of another, the local
        // name of a prefixed attribute, a declaration, a qualified name.
        let mut probes: Vec<String> = vec!["xmlns".into(), "id".into(), "a".into()];
        for q in y.attributes() {
            let name = q.name();
            probes.push(name.to_string());
            probes.push(name[..name.len() - name.chars().last().map_or(0, char::len_utf8)].into());
            probes.push(format!("x:{name}"));
        }
        for probe in &probes {
            if x.attribute(probe.as_str()) != y.attribute(probe.as_str()) {
                return Err(format!("lookup of {probe:?} at {:?} differs", x.range()));
            }
        }
    }
    Ok(())
}

/// Our parse and roxmltree's agree: same error, or same tree.
fn agree(text: &str) -> Result<(), String> {
    let theirs = roxmltree::Document::parse_with_options(text, crate::parse::options());
    let ours = Document::parse(text);
    match (ours, theirs) {
        (Ok(o), Ok(t)) => same_tree(text, &o, &t),
        (Err(e), Err(f)) if e.to_string() == f.to_string() => Ok(()),
        (Ok(_), Err(f)) => Err(format!("accepted; roxmltree: {f}")),
        (Err(e), Ok(_)) => Err(format!("refused ({e}); roxmltree accepts")),
        (Err(e), Err(f)) => Err(format!("error {e} vs {f}")),
    }
}

fn corpus() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "xml") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    out.push((p.display().to_string(), t));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        &mut out,
    );
    out
}

#[test]
fn corpus_files_give_roxmltree_trees_and_the_fast_parser_takes_them() {
    let files = corpus();
    assert!(files.len() > 50, "{} files", files.len());
    let mut fast = 0;
    for (name, text) in &files {
        if let Err(e) = agree(text) {
            panic!("{name}: {e}");
        }
        fast += usize::from(Parser::run(text).is_some());
    }
    // Only malformed fixtures go to roxmltree.
    assert!(fast * 10 >= files.len() * 9, "{fast} of {}", files.len());
}

#[test]
fn the_copy_of_a_roxmltree_tree_is_the_fast_parsers_tree() {
    for (name, text) in corpus().iter().take(40) {
        let (Some(ours), Ok(theirs)) = (
            Parser::run(text),
            roxmltree::Document::parse_with_options(text, crate::parse::options()),
        ) else {
            continue;
        };
        let copy = Document::from_roxmltree(text, &theirs);
        same_tree(text, &copy, &theirs).unwrap_or_else(|e| panic!("{name} (copy): {e}"));
        same_tree(text, &ours, &theirs).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

const PIECES: &[&str] = &[
    "<",
    ">",
    "&",
    "\"",
    "'",
    "/",
    "=",
    " ",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "]]>",
    "<!--",
    "-->",
    "--",
    "<![CDATA[x\r\ny]]>",
    "<![CDATA[]]>",
    "&amp;",
    "&#13;",
    "&#x41;",
    "&#10;",
    "&foo;",
    "&#0;",
    "&#xD800;",
    " xmlns:a=\"u\"",
    " a:b=\"1\"",
    "a:",
    " xmlns=\"\"",
    " xmlns=\"v\"",
    "é",
    "<?pi x?>",
    "<?xml ",
    "<!DOCTYPE a>",
    "<b/>",
    "</b>",
    "<b>",
    " x=\"1\"",
    " x='&lt;'",
    " y=\"a\r\nb\"",
    "<xml:c/>",
    " xml:lang=\"fr\"",
    "\u{a0}",
    "<ns:é/>",
    "&#13;\n",
    "\r&amp;",
    "&amp;\r",
];

#[test]
fn mutations_are_judged_as_roxmltree_judges_them() {
    let base = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- head -->
<lsun-bilans xmlns="urn:x" xmlns:p="urn:p" schemaVersion="10.0" p:a="1">
  <entete><editeur>Éd &amp; co</editeur><texte>a<![CDATA[b]]>c&#x41;<!--k-->d</texte></entete>
  <donnees>
    <eleve id="E1" nom="A&apos;b&#10;c" p:x='y'/><eleve id="E2"
        prenom="x	y
z"/>
    <p:autre>t</p:autre>
  </donnees>
</lsun-bilans>
<?end x?>
"#;
    // A small deterministic generator (xorshift): the same variants on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let cuts: Vec<usize> = (0..=base.len())
        .filter(|i| base.is_char_boundary(*i))
        .collect();
    let mut failures = Vec::new();
    for round in 0..6000 {
        let mut t = base.to_string();
        for _ in 0..1 + round % 3 {
            let bounds: Vec<usize> = (0..=t.len()).filter(|i| t.is_char_boundary(*i)).collect();
            let at = bounds[next(bounds.len())];
            if next(3) == 0 {
                let to = bounds[(bounds.iter().position(|b| *b == at).unwrap_or(0) + 1 + next(4))
                    .min(bounds.len() - 1)];
                t.replace_range(at..to, "");
            } else {
                t.insert_str(at, PIECES[next(PIECES.len())]);
            }
        }
        if let Err(e) = agree(&t) {
            failures.push(format!("{e}\n{t}"));
        }
    }
    assert!(cuts.len() > 100);
    assert!(
        failures.is_empty(),
        "{} disagreements, first:\n{}",
        failures.len(),
        failures[0]
    );
}

#[test]
fn a_compact_tree_is_much_smaller_than_the_text_it_indexes() {
    let text = corpus()
        .into_iter()
        .map(|(_, t)| t)
        .max_by_key(String::len)
        .unwrap_or_default();
    let doc = Document::parse(&text).unwrap();
    // Nodes only (attributes are read again from the text): well under half the text.
    assert!(
        2 * doc.heap_size() < text.len(),
        "{} vs {}",
        doc.heap_size(),
        text.len()
    );
}

#[test]
fn layout_between_elements_is_left_out_and_content_is_kept() {
    // (document, texts kept in our tree)
    let cases: &[(&str, &[&str])] = &[
        ("<a>\n  <b/>\n  <c>x</c>\n</a>", &["x"]),
        ("<a> </a>", &[" "]),
        ("<a>\r\n</a>", &["\n"]),
        ("<a> <!--c--> </a>", &[" ", " "]),
        ("<a><b/> <!--c--> <?p?> </a>", &[]),
        ("<a> <![CDATA[x]]> <b/></a>", &[" x "]),
        ("<a> <![CDATA[]]><b/></a>", &[" "]),
        ("<a>t <b/> u</a>", &["t ", " u"]),
        ("<a>&#32;<b/></a>", &[" "]),
    ];
    for (text, want) in cases {
        let ours = Document::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let texts: Vec<&str> = ours
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(&texts, want, "{text:?}");
        let theirs = roxmltree::Document::parse_with_options(text, crate::parse::options())
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        same_tree(text, &ours, &theirs).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let copy = Document::from_roxmltree(text, &theirs);
        same_tree(text, &copy, &theirs).unwrap_or_else(|e| panic!("{text:?} (copy): {e}"));
    }
}

#[test]
fn attributes_are_read_again_from_the_start_tag_as_roxmltree_reads_them() {
    let cases = [
        r#"<a b="1" bc='2' c = "x>y/z='w'" d='"' e="" />"#,
        "<a\n  f\t=\r\n'v\talue'\n  g=\"l1\nl2\"/>",
        r#"<a xmlns="urn:d" xmlns:x="urn:x" x:b="1" b="2" xml:lang="fr"><x:c x:b="3" xmlns:y="urn:y" y:b="4"/></a>"#,
        r#"<a b="&lt;&amp;&#x41;&quot;" c="a&apos;b" d="é=ü"/>"#,
        r#"<a-b.c d-e.f="1" d-e="2" d="3"></a-b.c>"#,
        // An empty prefix is none; a local name `xmlns` declares a namespace (roxmltree).
        r#"<a xmlns:a="urn:a" a:xmlns="urn:x" :b="1" c="2"/>"#,
        r#"<?xml version="1.0"?><!-- c="1" --><a b="1"><?p c="2"?>t="3"</a>"#,
    ];
    for text in cases {
        let theirs = roxmltree::Document::parse_with_options(text, crate::parse::options())
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let ours = Document::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        same_tree(text, &ours, &theirs).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        let copy = Document::from_roxmltree(text, &theirs);
        same_tree(text, &copy, &theirs).unwrap_or_else(|e| panic!("{text:?} (copy): {e}"));
    }
    // And by hand, for what the comparison rests on.
    let doc = Document::parse(r#"<a b="1" bc='2' c = "x>y" x:b="9" xmlns:x="urn:x"/>"#).unwrap();
    let a = doc.root_element();
    assert_eq!(a.attribute("b"), Some("1"));
    assert_eq!(a.attribute("bc"), Some("2"));
    assert_eq!(a.attribute("c"), Some("x>y"));
    assert_eq!(a.attribute("x"), None);
    assert_eq!(a.attribute("xmlns"), None);
    assert_eq!(a.attribute("x:b"), None);
    let names: Vec<(&str, Option<&str>)> =
        a.attributes().map(|x| (x.name(), x.namespace())).collect();
    assert_eq!(
        names,
        [("b", None), ("bc", None), ("c", None), ("b", Some("urn:x"))]
    );
}

#[test]
fn a_duplicate_attribute_is_refused_in_a_long_tag_too() {
    // Beyond 16 attributes the parser checks duplicates with a set instead of a list.
    let filler: String = (0..20).map(|i| format!(" f{i}=\"{i}\"")).collect();
    let plain = format!("<a{filler}/>");
    assert!(
        Parser::run(&plain).is_some(),
        "the fast parser reads a long tag"
    );
    agree(&plain).unwrap();
    for text in [
        format!("<a{filler} f3=\"x\"/>"),
        format!("<a xmlns:x=\"u\" xmlns:y=\"u\"{filler} x:b=\"1\" y:b=\"2\"/>"),
    ] {
        assert!(Parser::run(&text).is_none(), "{text}");
        assert!(Document::parse(&text).is_err(), "{text}");
        agree(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}
