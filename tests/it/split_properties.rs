//! Properties of `split`: every bilan of the input is in exactly one output, byte for byte (ids
//! stable); every output is self-contained (no dangling reference) and valid against the
//! official XSD of its version.

use crate::support;

use std::path::PathBuf;

use lsu_lint::schema::CustomSchema;
use lsu_lint::split::{split, SplitBy};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The official schema (test oracle), or None when the oracle is absent (said once).
fn official(rel: &str) -> Option<CustomSchema> {
    let dir = support::official_xsd_or_skip("split outputs against the official XSD")?;
    let p = dir.join(rel);
    let xsd = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    Some(CustomSchema::compile(&xsd).expect("official XSD compiles"))
}

fn bilans(text: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).expect("well-formed");
    let mut v: Vec<String> = doc
        .descendants()
        .filter(|n| matches!(n.tag_name().name(), "bilan-periodique" | "bilan-cycle"))
        .map(|n| text[n.range()].to_string())
        .collect();
    v.sort();
    v
}

fn dangling(text: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(text).expect("well-formed");
    let ids: std::collections::HashSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let mut out = Vec::new();
    for n in doc.descendants() {
        for a in n.attributes() {
            if a.name().ends_with("-ref") || a.name().ends_with("-refs") || a.name() == "id-lv" {
                for v in a.value().split_whitespace() {
                    if !ids.contains(v) {
                        out.push(format!("{}={v}", a.name()));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_split_is_complete_self_contained_and_valid() {
    let cases = [
        (
            "corpus/valid/lsu-2d-10.0-complet.xml",
            "2d-10.0/import-complet-strict.xsd",
        ),
        (
            "corpus/valid/lsu-2d-7.0-complet.xml",
            "2d-7.0/import-complet-strict.xsd",
        ),
        (
            "corpus/valid/lsu-2d-3.0-2020-complet.xml",
            "2d-3.0-lsu2020/import-bilan-complet.xsd",
        ),
        (
            "corpus/valid/lsu-1d-1.0-complet.xml",
            "1d-1.0b/livret-scolaire_1d_schema_1.0b.xsd",
        ),
    ];
    let no_niveau = |_: lsu_lint::Node| None;
    for (file, xsd) in cases {
        let text = std::fs::read_to_string(root().join(file)).expect("sample");
        let schema = official(xsd);
        if let Some(schema) = &schema {
            assert!(
                schema.validate(&text).expect("runs").is_empty(),
                "{file} must be valid"
            );
        }
        let all = bilans(&text);
        for by in [SplitBy::Division, SplitBy::Niveau, SplitBy::Periode] {
            let parts = split(&text, by, &no_niveau).expect("split");
            let mut union = Vec::new();
            for p in &parts {
                let out = String::from_utf8(p.bytes.clone()).expect("UTF-8");
                if let Some(schema) = &schema {
                    let errs = schema.validate(&out).expect("runs");
                    assert!(errs.is_empty(), "{file} {by:?} {}: {errs:?}", p.key);
                }
                let d = dangling(&out);
                assert!(d.is_empty(), "{file} {by:?} {}: dangling {d:?}", p.key);
                assert!(p
                    .key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
                union.extend(bilans(&out));
            }
            union.sort();
            assert_eq!(union, all, "{file} {by:?}: bilans lost or duplicated");
            if by == SplitBy::Division {
                assert!(parts.len() > 1, "{file}: the sample has several divisions");
            }
        }
    }
}
