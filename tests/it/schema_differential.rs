//! Differential test: our schemas (`schemas/`) against the official XSDs (test oracle, read
//! from `../shared/reference/xsd/` at test time, never copied). Every single-defect variant of
//! the valid samples must get the same valid/invalid verdict from both.

use crate::support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lsu_lint::schema::CustomSchema;

struct Version {
    name: &'static str,
    ours: &'static str,
    official: &'static str,
    sample: &'static str,
}

const VERSIONS: &[Version] = &[
    Version {
        name: "2D 3.0 (2019-2020)",
        ours: "schemas/lsu-2d-3.0-2020.xsd",
        official: "2d-3.0-lsu2020/import-bilan-complet.xsd",
        sample: "corpus/valid/lsu-2d-3.0-2020-complet.xml",
    },
    Version {
        name: "2D 7.0",
        ours: "schemas/lsu-2d-7.0.xsd",
        official: "2d-7.0/import-complet-strict.xsd",
        sample: "corpus/valid/lsu-2d-7.0-complet.xml",
    },
    Version {
        name: "2D 10.0",
        ours: "schemas/lsu-2d-10.0.xsd",
        official: "2d-10.0/import-complet-strict.xsd",
        sample: "corpus/valid/lsu-2d-10.0-complet.xml",
    },
    Version {
        name: "1D 1.0b",
        ours: "schemas/lsu-1d-1.0b.xsd",
        official: "1d-1.0b/livret-scolaire_1d_schema_1.0b.xsd",
        sample: "corpus/valid/lsu-1d-1.0-complet.xml",
    },
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The official XSD folder (`LSU_LINT_OFFICIAL_XSD`, else `shared/reference/xsd` beside the
/// crate or one of its ancestors); None (and a visible message) when absent.
fn official_dir(what: &str) -> Option<PathBuf> {
    support::official_xsd_or_skip(what)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

fn schemas(v: &Version, dir: &Path) -> (CustomSchema, CustomSchema) {
    let ours = CustomSchema::compile(&read(&root().join(v.ours)))
        .unwrap_or_else(|e| panic!("{}: our schema does not compile: {e}", v.name));
    let official = CustomSchema::compile(&read(&dir.join(v.official)))
        .unwrap_or_else(|e| panic!("{}: official schema does not compile: {e}", v.name));
    (ours, official)
}

fn errors(s: &CustomSchema, text: &str) -> Vec<String> {
    match s.validate(text) {
        Ok(errs) => errs
            .into_iter()
            .map(|e| format!("{}: {}", e.line, e.message))
            .collect(),
        Err(e) => vec![format!("validation impossible: {e}")],
    }
}

#[test]
fn valid_samples_validate_with_both_schemas() {
    let Some(dir) = official_dir("valid_samples_validate_with_both_schemas") else {
        return;
    };
    for v in VERSIONS {
        let (ours, official) = schemas(v, &dir);
        let text = read(&root().join(v.sample));
        let a = errors(&ours, &text);
        let b = errors(&official, &text);
        assert!(
            a.is_empty(),
            "{}: {} invalid for our schema: {a:#?}",
            v.name,
            v.sample
        );
        assert!(
            b.is_empty(),
            "{}: {} invalid for the official schema: {b:#?}",
            v.name,
            v.sample
        );
    }
}

/// Values tried on every distinct (element, attribute) pair.
const VALUES: &[&str] = &[
    "",
    " ",
    "a",
    "ZZZ",
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "-1",
    "+3",
    "03",
    " 3 ",
    "3.0",
    "20",
    "20.00",
    "20.5",
    "14,5",
    "14.125",
    "14/20",
    "999",
    "1000",
    "true",
    "false",
    "yes",
    "2025-12-04",
    "04/12/2025",
    "2025-12-04T10:00:00",
    "2025-12-04T10:00:00Z",
    "2025-02-30",
    "2025-12-04+01:00",
    "A B",
    "1abc",
    "_x",
    "M",
    "mme",
    "D",
    "G",
    "X",
    "N",
    "AUC",
    "CHK",
    "CTR",
    "RASED",
    "SEGPA",
    "PAR_AVN",
    "CPD_FRA",
    "EPI_SAN",
    "CN_INF_MEN",
    "dir",
    "autre",
    "2.0",
    "3.0",
    "4.0",
    "7.0",
    "10.0",
    "1.0",
    "0999999X",
    "12345678901",
    "100100",
    "ENS_1",
    "ENS_1 ENS_2",
    "EL_1",
];

/// Lengths around every limit of the format.
const LENGTHS: &[usize] = &[
    4, 5, 6, 7, 8, 9, 10, 11, 12, 19, 20, 21, 40, 41, 50, 51, 100, 101, 150, 151, 300, 301, 600,
    601, 1000, 1001, 1500, 1501,
];

/// Builds the single-defect variants of one sample (deterministic).
fn mutations(text: &str) -> Vec<(String, String)> {
    let doc = match roxmltree::Document::parse(text) {
        Ok(d) => d,
        Err(e) => panic!("sample not well-formed: {e}"),
    };
    let mut out: Vec<(String, String)> = Vec::new();
    let mut seen_pairs: BTreeSet<(String, String)> = BTreeSet::new();
    let mut seen_text: BTreeSet<String> = BTreeSet::new();
    let mut seen_elem: BTreeSet<String> = BTreeSet::new();
    let splice = |s: usize, e: usize, by: &str| format!("{}{}{}", &text[..s], by, &text[e..]);
    for n in doc.descendants().filter(|n| n.is_element()) {
        let name = n.tag_name().name().to_string();
        let r = n.range();
        let first_of_name = seen_elem.insert(name.clone());
        // Remove / duplicate the element.
        if n.parent_element().is_some() {
            out.push((
                format!("remove <{name}> at {}", r.start),
                splice(r.start, r.end, ""),
            ));
            out.push((
                format!("duplicate <{name}> at {}", r.start),
                splice(r.end, r.end, &format!("\n{}", &text[r.start..r.end])),
            ));
            // Swap with the next sibling element.
            if let Some(next) = n.next_sibling_element() {
                let nr = next.range();
                let between = &text[r.end..nr.start];
                let swapped = format!(
                    "{}{}{}",
                    &text[nr.start..nr.end],
                    between,
                    &text[r.start..r.end]
                );
                out.push((
                    format!("swap <{name}> with next at {}", r.start),
                    splice(r.start, nr.end, &swapped),
                ));
            }
        }
        if first_of_name {
            // Unknown attribute, unknown child, renamed element.
            let tag_end = text[r.start..]
                .find('>')
                .map(|i| r.start + i)
                .unwrap_or(r.start);
            let self_closing = text[..tag_end].ends_with('/');
            let at = if self_closing { tag_end - 1 } else { tag_end };
            out.push((
                format!("unknown attribute on <{name}>"),
                splice(at, at, " inconnu=\"1\""),
            ));
            if !self_closing && n.parent_element().is_some() {
                out.push((
                    format!("unknown child in <{name}>"),
                    splice(tag_end + 1, tag_end + 1, "<inconnu/>"),
                ));
            }
            let name_end = r.start + 1 + name.len();
            if n.parent_element().is_some() && !self_closing {
                if let Some(close) = text[..r.end].rfind(&format!("</{name}>")) {
                    let t = format!(
                        "{}{}{}{}{}",
                        &text[..name_end],
                        "x",
                        &text[name_end..close + 2 + name.len()],
                        "x",
                        &text[close + 2 + name.len()..]
                    );
                    out.push((format!("rename <{name}>"), t));
                }
            } else if n.parent_element().is_some() {
                out.push((format!("rename <{name}>"), splice(name_end, name_end, "x")));
            }
        }
        // Attributes: remove each one; values and lengths once per (element, attribute).
        for a in n.attributes() {
            let an = a.name().to_string();
            if a.namespace().is_some() {
                continue;
            }
            let ar = a.range();
            out.push((
                format!("remove @{an} of <{name}> at {}", ar.start),
                splice(ar.start, ar.end, ""),
            ));
            if !seen_pairs.insert((name.clone(), an.clone())) {
                continue;
            }
            let vr = a.range_value();
            for v in VALUES {
                if *v != a.value() {
                    out.push((
                        format!("<{name} {an}=\"{v}\">"),
                        splice(vr.start, vr.end, v),
                    ));
                }
            }
            out.push((
                format!("<{name} {an}> lower-cased"),
                splice(vr.start, vr.end, &a.value().to_lowercase()),
            ));
            out.push((
                format!("<{name} {an}> doubled"),
                splice(vr.start, vr.end, &a.value().repeat(2)),
            ));
            out.push((
                format!("<{name} {an}> with CR"),
                splice(vr.start, vr.end, &format!("{}&#13;x", a.value())),
            ));
            for l in LENGTHS {
                out.push((
                    format!("<{name} {an}> length {l}"),
                    splice(vr.start, vr.end, &"é".repeat(*l)),
                ));
            }
        }
        // Text content.
        if let Some(t) = n
            .first_child()
            .filter(|c| c.is_text() && n.children().count() == 1)
        {
            if seen_text.insert(name.clone()) {
                let tr = t.range();
                for v in ["", "   ", "\n\t", "a&#13;b", "a\r\nb", "x"] {
                    out.push((format!("<{name}> text {v:?}"), splice(tr.start, tr.end, v)));
                }
                for l in LENGTHS {
                    out.push((
                        format!("<{name}> text length {l}"),
                        splice(tr.start, tr.end, &"é".repeat(*l)),
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn our_schemas_agree_with_the_official_ones() {
    let mut mismatches: Vec<String> = Vec::new();
    let mut total = 0usize;
    let mut total_invalid = 0usize;
    let Some(dir) = official_dir("our_schemas_agree_with_the_official_ones") else {
        return;
    };
    for v in VERSIONS {
        let (ours, official) = schemas(v, &dir);
        let text = read(&root().join(v.sample));
        let variants = mutations(&text);
        let mut invalid = 0usize;
        for (what, variant) in &variants {
            let a = errors(&ours, variant);
            let b = errors(&official, variant);
            if !b.is_empty() {
                invalid += 1;
            }
            if a.is_empty() != b.is_empty() {
                mismatches.push(format!(
                    "{}: {what}: ours {} / official {}\n    ours: {:?}\n    official: {:?}",
                    v.name,
                    if a.is_empty() { "valid" } else { "invalid" },
                    if b.is_empty() { "valid" } else { "invalid" },
                    a.first(),
                    b.first()
                ));
            }
        }
        println!(
            "{}: {} variants, {} invalid for the official schema",
            v.name,
            variants.len(),
            invalid
        );
        assert!(
            variants.len() >= 300,
            "{}: too few variants ({})",
            v.name,
            variants.len()
        );
        assert!(
            invalid > 0 && invalid < variants.len(),
            "{}: the mutation corpus does not discriminate",
            v.name
        );
        total += variants.len();
        total_invalid += invalid;
    }
    println!(
        "total: {total} variants, {total_invalid} invalid, {} mismatches",
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} verdict mismatches (first 30):\n{}",
        mismatches.len(),
        mismatches
            .iter()
            .take(30)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}
