//! Keeps code, registry, pages and fixtures in step: every implemented rule has its page in
//! `rules/`, a triggering fixture and a clean one; every rule file is registered.

use crate::support;

use std::collections::BTreeSet;
use std::path::Path;

use lsu_lint::catalogue::{self, CATALOGUE};
use lsu_lint::rules::{registry, ENGINE_CODES};

fn implemented() -> BTreeSet<&'static str> {
    registry()
        .iter()
        .map(|r| r.code.as_str())
        .chain(ENGINE_CODES.iter().map(|c| c.as_str()))
        .collect()
}

#[test]
fn registry_codes_are_catalogued_and_unique() {
    let reg = registry();
    let mut seen = BTreeSet::new();
    for r in &reg {
        assert!(
            CATALOGUE.iter().any(|m| m.code == r.code),
            "{} is registered but not in rules.md's catalogue",
            r.code
        );
        assert!(seen.insert(r.code), "{} is registered twice", r.code);
        assert!(
            !ENGINE_CODES.contains(&r.code),
            "{} is both a rule and an engine code",
            r.code
        );
    }
}

#[test]
fn catalogue_matches_the_spec_table() {
    // The spec's table is normative: codes and names never change.
    let Some(spec) = support::shared_or_skip("spec/rules.md", "catalogue_matches_the_spec_table")
    else {
        return;
    };
    let text = std::fs::read_to_string(&spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
    let mut rows = 0;
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 8 || cells[1].len() < 4 {
            continue;
        }
        let code = cells[1].trim_end_matches('★').trim();
        if !(code.len() == 4 && code[1..].chars().all(|c| c.is_ascii_digit())) {
            continue;
        }
        rows += 1;
        let m =
            catalogue::lookup(code).unwrap_or_else(|| panic!("{code} missing from the catalogue"));
        assert_eq!(m.name, cells[2], "name of {code}");
        assert_eq!(m.severity.as_str(), cells[3], "severity of {code}");
        assert_eq!(m.impact.as_str(), cells[4], "impact of {code}");
        assert_eq!(m.fix_note, cells[6], "fix of {code}");
    }
    assert_eq!(
        rows,
        CATALOGUE.len(),
        "catalogue size differs from the spec table"
    );
}

#[test]
fn every_implemented_rule_has_page_and_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    for code in implemented() {
        let meta = catalogue::lookup(code).expect("implemented codes are catalogued");
        match meta.page() {
            None => missing.push(format!("{code}: no page rules/{code}-{}.md", meta.name)),
            Some(p) if !p.starts_with(&format!("# {code} — ")) => {
                missing.push(format!("{code}: page must start with '# {code} — <titre>'"))
            }
            Some(_) => {}
        }
        let dir = root.join("corpus/fixtures").join(code);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .map(|r| {
                r.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let has_trigger = names
            .iter()
            .any(|n| n.starts_with("trigger") && n.ends_with(".xml"));
        if !has_trigger {
            missing.push(format!("{code}: no corpus/fixtures/{code}/trigger*.xml"));
        }
        if !names
            .iter()
            .any(|n| n.starts_with("clean") && n.ends_with(".xml"))
        {
            missing.push(format!("{code}: no corpus/fixtures/{code}/clean*.xml"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_rule_file_is_registered_and_every_fixture_dir_is_a_rule() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let reg = implemented();
    let mut problems = Vec::new();
    for fam in std::fs::read_dir(root.join("src/rules"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if !fam.path().is_dir() {
            continue;
        }
        for f in std::fs::read_dir(fam.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let n = f.file_name().to_string_lossy().into_owned();
            let stem = n.trim_end_matches(".rs");
            if stem.len() == 4 && stem[1..].chars().all(|c| c.is_ascii_digit()) {
                let code = stem.to_ascii_uppercase();
                if !reg.contains(code.as_str()) {
                    problems.push(format!(
                        "src/rules/{}/{n} is not registered",
                        fam.file_name().to_string_lossy()
                    ));
                }
            }
        }
    }
    for d in std::fs::read_dir(root.join("corpus/fixtures"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let code = d.file_name().to_string_lossy().into_owned();
        if !reg.contains(code.as_str()) {
            problems.push(format!("corpus/fixtures/{code} names no implemented rule"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
