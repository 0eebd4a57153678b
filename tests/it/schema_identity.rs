//! The `xs:unique` constraints of the built-in schemas are checked on the tree, not by libxml2
//! (`src/schema/identity.rs`). Differential test: for variants of the valid samples and of the
//! duplicate fixtures that make, hide or break duplicates, the check with the built-in schema
//! (stripped schema + tree) gives exactly the findings of the check with the same schema given
//! as `--xsd` (libxml2 checks every constraint itself).

use std::path::PathBuf;

use lsu_lint::engine::Engine;

struct Version {
    schema: &'static str,
    /// How messages name the built-in schema.
    label: &'static str,
    files: &'static [&'static str],
}

const VERSIONS: &[Version] = &[
    Version {
        schema: "schemas/lsu-2d-10.0.xsd",
        label: "2D 10.0",
        files: &[
            "corpus/valid/lsu-2d-10.0-complet.xml",
            "corpus/fixtures/U001/trigger-v10.xml",
            "corpus/fixtures/U005/trigger-v10-socle.xml",
        ],
    },
    Version {
        schema: "schemas/lsu-2d-7.0.xsd",
        label: "2D 7.0",
        files: &[
            "corpus/valid/lsu-2d-7.0-complet.xml",
            "corpus/fixtures/U005/trigger-v7.xml",
        ],
    },
    Version {
        schema: "schemas/lsu-2d-3.0-2020.xsd",
        label: "2D 3.0 (2019-2020)",
        files: &["corpus/valid/lsu-2d-3.0-2020-complet.xml"],
    },
    Version {
        schema: "schemas/lsu-1d-1.0b.xsd",
        label: "1D 1.0b",
        files: &[
            "corpus/valid/lsu-1d-1.0-complet.xml",
            "corpus/fixtures/U001/trigger-1d.xml",
        ],
    },
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn engine(xsd: Option<&str>) -> Engine {
    Engine::builder()
        .today(lsu_lint::engine::parse_today("2026-01-15").expect("date"))
        .xsd(xsd.map(|x| root().join(x)))
        .build()
        .expect("engine")
}

/// The findings that do not depend on where the schema comes from (S007 is never reported
/// with `--xsd`, S001 names the schema its own way).
fn findings(e: &Engine, text: &str) -> Vec<String> {
    let r = e.check_owned("v.xml".into(), text.as_bytes().to_vec());
    r.diagnostics
        .iter()
        .filter(|d| !matches!(d.code.as_str(), "S001" | "S007"))
        .map(|d| format!("{} {}..{} {}", d.code.as_str(), d.start, d.end, d.message))
        .collect()
}

fn escape(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// The start tag of `n` rewritten with `attrs` (the element keeps its prefix and whether it
/// is empty).
fn start_tag(text: &str, n: roxmltree::Node, attrs: &[(String, String)]) -> (usize, usize, String) {
    let s = n.range().start;
    let bytes = text.as_bytes();
    let mut quote = None;
    let mut end = s;
    for (i, &b) in bytes.iter().enumerate().skip(s) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), c) if c == q => quote = None,
            (None, b'>') => {
                end = i + 1;
                break;
            }
            _ => {}
        }
    }
    let name_end = text[s + 1..]
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .map_or(end, |i| s + 1 + i);
    let qname = &text[s + 1..name_end];
    let empty = text[..end].ends_with("/>");
    let mut out = format!("<{qname}");
    for (k, v) in attrs {
        out.push_str(&format!(" {k}=\"{}\"", escape(v)));
    }
    out.push_str(if empty { "/>" } else { ">" });
    (s, end, out)
}

fn attrs_of(n: roxmltree::Node) -> Vec<(String, String)> {
    n.attributes()
        .map(|a| (a.name().to_string(), a.value().to_string()))
        .collect()
}

/// Variants around each element that has an earlier sibling of its name: copies of that
/// sibling's values (a duplicate on every constraint), with spaces, leading zeros, a missing
/// attribute, an invalid value, an element out of place before it; and copies of the values
/// of a same-name element elsewhere (another scope).
fn variants(text: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(text).expect("sample parses");
    let mut out = Vec::new();
    // Two elements per name and parent's name are enough to reach every constraint.
    let mut per_place: std::collections::HashMap<(String, String), usize> = Default::default();
    for n in doc.descendants().filter(|n| n.is_element()) {
        // roxmltree's `prev_siblings` starts with the node itself.
        let Some(prev) = n
            .prev_siblings()
            .skip(1)
            .find(|s| s.is_element() && s.tag_name() == n.tag_name())
        else {
            continue;
        };
        if n.namespaces().len() != prev.namespaces().len() || n.parent() == Some(doc.root()) {
            continue;
        }
        let place = (
            n.parent_element()
                .map_or(String::new(), |p| p.tag_name().name().to_string()),
            n.tag_name().name().to_string(),
        );
        let seen = per_place.entry(place).or_default();
        *seen += 1;
        if *seen > 2 {
            continue;
        }
        let own = attrs_of(n);
        let copied: Vec<(String, String)> = own
            .iter()
            .map(|(k, v)| {
                let v = prev.attribute(k.as_str()).map_or(v.clone(), str::to_string);
                (k.clone(), v)
            })
            .collect();
        let at = format!("{}@{}", n.tag_name().name(), n.range().start);
        // The start tag rewritten, with `before` inserted in front of it.
        let mut edit = |label: &str, attrs: Vec<(String, String)>, before: Option<&str>| {
            let (s, e, tag) = start_tag(text, n, &attrs);
            let variant = format!("{}{}{tag}{}", &text[..s], before.unwrap_or(""), &text[e..]);
            out.push((format!("{at} {label}"), variant));
        };
        edit("copy", copied.clone(), None);
        // The same values in another scope (a cousin: same name, another parent) are no
        // duplicate.
        if let Some(cousin) = doc.descendants().find(|c| {
            c.is_element()
                && c.tag_name() == n.tag_name()
                && c.parent() != n.parent()
                && c.range().start < n.range().start
        }) {
            let from_cousin: Vec<(String, String)> = own
                .iter()
                .map(|(k, v)| {
                    let v = cousin
                        .attribute(k.as_str())
                        .map_or(v.clone(), str::to_string);
                    (k.clone(), v)
                })
                .collect();
            edit("copy from a cousin", from_cousin, None);
        }
        let spaced: Vec<_> = copied
            .iter()
            .map(|(k, v)| (k.clone(), format!(" {v}")))
            .collect();
        edit("spaces", spaced, None);
        let zeros: Vec<_> = copied
            .iter()
            .map(|(k, v)| {
                let z = if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) {
                    format!("0{v}")
                } else {
                    v.clone()
                };
                (k.clone(), z)
            })
            .collect();
        edit("zeros", zeros, None);
        for i in 0..copied.len() {
            let mut less = copied.clone();
            less.remove(i);
            edit(&format!("without {}", copied[i].0), less, None);
            let mut bad = copied.clone();
            bad[i].1 = "#".into();
            edit(&format!("invalid {}", copied[i].0), bad, None);
        }
        let prefix = text[n.range().start + 1..]
            .split_once(':')
            .filter(|(p, _)| !p.contains(|c: char| c.is_whitespace() || c == '>'))
            .map_or(String::new(), |(p, _)| format!("{p}:"));
        edit(
            "after an unknown element",
            copied.clone(),
            Some(&format!("<{prefix}intrus/>")),
        );
    }
    out
}

#[test]
fn duplicates_found_on_the_tree_are_those_libxml2_finds() {
    let builtin = engine(None);
    let mut checked = 0;
    for v in VERSIONS {
        let whole = engine(Some(v.schema));
        let libxml2 = lsu_lint::schema::CustomSchema::compile(
            &std::fs::read_to_string(root().join(v.schema)).expect("schema"),
        )
        .expect("our schema compiles");
        let mut with_duplicates = 0;
        for f in v.files {
            let text = std::fs::read_to_string(root().join(f)).expect("sample");
            let mut all = vec![("as is".to_string(), text.clone())];
            all.extend(variants(&text));
            for (label, t) in all {
                let ours = findings(&builtin, &t);
                // Messages name the schema: « fourni « file » » for the user's.
                let named = format!("fourni « {} »", v.schema.trim_start_matches("schemas/"));
                let theirs: Vec<String> = findings(&whole, &t)
                    .into_iter()
                    .map(|m| m.replace(&named, v.label))
                    .collect();
                if ours != theirs {
                    let only = |a: &[String], b: &[String]| -> Vec<String> {
                        a.iter().filter(|x| !b.contains(x)).cloned().collect()
                    };
                    panic!(
                        "{f} ({label}): built-in schema (tree) vs --xsd {} (libxml2)\n\
                         only with the tree: {:#?}\nonly with libxml2: {:#?}\nall: {ours:#?}",
                        v.schema,
                        only(&ours, &theirs),
                        only(&theirs, &ours)
                    );
                }
                checked += 1;
                let raw = libxml2.validate(&t).expect("validation runs");
                if raw
                    .iter()
                    .any(|e| e.message.contains("Duplicate key-sequence"))
                {
                    with_duplicates += 1;
                }
            }
        }
        // The variants do exercise the constraints: libxml2 finds duplicates in many of them.
        assert!(with_duplicates >= 20, "{}: {with_duplicates}", v.schema);
    }
    assert!(checked > 500, "only {checked} variants");
}
