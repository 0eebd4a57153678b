//! Reference-data rules (T002–T004, M001–M007, P001, P007, L001): skipping without their
//! inputs, fixes applied end to end, and counts on the fixtures' synthetic reference files.

use std::path::{Path, PathBuf};

use lsu_lint::cli::CommonArgs;
use lsu_lint::engine::Engine;
use lsu_lint::fix::{fix_source, FixOptions};
use lsu_lint::source::SourceFile;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/fixtures")
        .join(rel)
}

fn engine(settings: Option<&str>, refdata: Option<&str>) -> Engine {
    let common = CommonArgs {
        settings: settings.map(fixture),
        refdata: refdata.map(fixture),
        today: Some("2026-01-15".into()),
        ..CommonArgs::default()
    };
    common.builder().and_then(|b| b.build()).expect("engine")
}

fn source(rel: &str) -> SourceFile {
    let p = fixture(rel);
    SourceFile::new(p.display().to_string(), std::fs::read(&p).expect("fixture"))
}

fn codes(engine: &Engine, rel: &str) -> Vec<String> {
    engine
        .check_source(&source(rel))
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect()
}

#[test]
fn rules_without_their_inputs_are_skipped_and_listed() {
    let e = engine(None, None);
    assert!(!codes(&e, "P001/trigger-v10.xml").contains(&"P001".to_string()));
    let skipped = e.skipped_rules();
    for (code, input) in [
        ("P001", "settings"),
        ("L001", "settings"),
        ("T004", "settings"),
        ("T002", "sts"),
        ("T003", "sts"),
        ("M001", "nomenclature"),
        ("M002", "nomenclature"),
        ("M005", "siecle"),
        ("M006", "siecle"),
    ] {
        assert!(
            skipped
                .iter()
                .any(|(c, m)| *c == code && m.contains(&input)),
            "{code} not skipped for lack of {input}: {skipped:?}"
        );
    }
    // M004 needs STS or the Nomenclature: both listed as missing.
    let m004 = skipped.iter().find(|(c, _)| *c == "M004").expect("M004");
    assert_eq!(m004.1, vec!["sts", "nomenclature"]);
    // M007 and P007 run on the file alone.
    assert!(!skipped.iter().any(|(c, _)| *c == "M007" || *c == "P007"));
}

#[test]
fn t004_without_enseignants_in_settings_is_skipped_per_file() {
    let e = engine(Some("P001/settings-notes.toml"), None);
    let r = e.check_source(&source("T004/trigger-1d-case.xml"));
    assert!(!r.diagnostics.iter().any(|d| d.code == "T004"));
    assert!(
        r.skipped
            .contains(&(lsu_lint::catalogue::Code::T004, "settings")),
        "{:?}",
        r.skipped
    );
}

#[test]
fn p001_counts_one_finding_per_bilan_and_groups_by_class() {
    let e = engine(Some("P001/settings-echelle.toml"), None);
    let r = e.check_source(&source("P001/trigger-v10.xml"));
    let p: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "P001").collect();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].division.as_deref(), Some("3A"));
    assert!(p[0].bilan.is_some(), "P001 must be attached to its bilan");
    assert!(p[0].fix.is_none(), "P001 only suggests");
    let g = p[0].group.as_deref().unwrap_or("");
    assert!(g.contains("3A") && g.contains("notes sur 20"), "{g}");
    assert!(p[0].message.contains("chaque nouvelle année scolaire"));
}

#[test]
fn t004_nfc_fix_is_safe_and_folded_match_is_unsafe() {
    let e = engine(Some("T004/settings.toml"), None);
    // Safe: applied without --unsafe-fixes; the output spells the name in NFC.
    let out = fix_source(
        &e,
        &source("T004/trigger-1d-nfd.xml"),
        FixOptions::default(),
    );
    let text = String::from_utf8(out.output).expect("utf-8");
    assert!(text.contains("nom=\"D'Arcy-Lef\u{e8}vre\""), "not fixed");
    assert!(!out.remaining.diagnostics.iter().any(|d| d.code == "T004"));
    // Unsafe: not applied by default, applied with --unsafe-fixes.
    let src = source("T004/trigger-1d-accent-apostrophe.xml");
    let safe_only = fix_source(&e, &src, FixOptions::default());
    assert!(safe_only
        .remaining
        .diagnostics
        .iter()
        .any(|d| d.code == "T004"));
    let out = fix_source(&e, &src, FixOptions { unsafe_fixes: true });
    let text = String::from_utf8(out.output).expect("utf-8");
    assert!(text.contains("nom=\"D'Arcy-Lef\u{e8}vre\""), "{text}");
    assert!(!out.remaining.diagnostics.iter().any(|d| d.code == "T004"));
    // Ambiguous: no fix at all.
    let r = e.check_source(&source("T004/trigger-1d-ambiguous.xml"));
    let t: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "T004").collect();
    assert_eq!(t.len(), 1);
    assert!(t[0].fix.is_none());
}

#[test]
fn unsafe_reference_fixes_clear_their_findings() {
    for (file, refdata, code, expect) in [
        (
            "T002/trigger-v10.xml",
            "T002/refdata",
            "T002",
            "id-sts=\"1002\"",
        ),
        (
            "M002/trigger-v10.xml",
            "M002/refdata",
            "M002",
            "code=\"061300\" modalite-election=\"S\"",
        ),
        (
            "M007/trigger-v10-nom.xml",
            "M007/refdata",
            "M007",
            "code-national=\"100100\"",
        ),
    ] {
        let e = engine(None, Some(refdata));
        let out = fix_source(&e, &source(file), FixOptions { unsafe_fixes: true });
        let text = String::from_utf8(out.output).expect("utf-8");
        assert!(text.contains(expect), "{file}: {expect} missing");
        assert!(
            !out.remaining.diagnostics.iter().any(|d| d.code == code),
            "{file}: {code} remains"
        );
        // Not applied without --unsafe-fixes.
        let out = fix_source(&e, &source(file), FixOptions::default());
        assert!(!String::from_utf8(out.output)
            .expect("utf-8")
            .contains(expect));
    }
}

#[test]
fn p007_placeholder_is_declared_once_and_the_file_stays_valid() {
    // Two acquis without element-programme-refs: one declaration, two references. P007
    // follows the schema in use: a schema that requires the attribute, written here from our
    // own 3.0 schema, as the 2017-2019 revisions did.
    let p = fixture("P007/trigger-v3-xsd-required.xml");
    let text = std::fs::read_to_string(&p).expect("fixture");
    let two = text.replacen("element-programme-refs=\"EP_2\"", "", 1);
    let ours = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/lsu-2d-3.0-2020.xsd"),
    )
    .expect("our schema");
    let decl = "<xs:attribute name=\"element-programme-refs\"";
    let at = ours.find(decl).expect("declared") + decl.len();
    let required = format!("{} use=\"required\"{}", &ours[..at], &ours[at..]);
    let xsd = std::env::temp_dir().join(format!("lsu-lint-p007-{}.xsd", std::process::id()));
    std::fs::write(&xsd, required).expect("write the schema");
    let common = CommonArgs {
        today: Some("2026-01-15".into()),
        xsd: Some(xsd),
        ..CommonArgs::default()
    };
    let e = common.builder().and_then(|b| b.build()).expect("engine");
    let src = SourceFile::new("two.xml", two.into_bytes());
    assert_eq!(
        e.check_source(&src)
            .diagnostics
            .iter()
            .filter(|d| d.code == "P007")
            .count(),
        2
    );
    let out = fix_source(&e, &src, FixOptions { unsafe_fixes: true });
    let fixed = String::from_utf8(out.output).expect("utf-8");
    assert_eq!(
        fixed
            .matches("<element-programme id=\"EP_LSU_LINT_0\"")
            .count(),
        1
    );
    assert_eq!(
        fixed
            .matches("element-programme-refs=\"EP_LSU_LINT_0\"")
            .count(),
        2
    );
    let remaining: Vec<_> = out
        .remaining
        .diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|c| {
            c.as_str().starts_with('S') && *c != "S001"
                || *c == "P007"
                || c.as_str().starts_with('R')
        })
        .collect();
    assert!(remaining.is_empty(), "{remaining:?}");
}

#[test]
fn l001_reports_every_bilan_of_the_class() {
    let e = engine(Some("L001/settings-saisie.toml"), None);
    for f in ["L001/trigger-v10.xml", "L001/trigger-1d.xml"] {
        let r = e.check_source(&source(f));
        let l: Vec<_> = r.diagnostics.iter().filter(|d| d.code == "L001").collect();
        assert_eq!(l.len(), 2, "{f}");
        assert!(l.iter().all(|d| d.bilan.is_some() && d.group.is_some()));
    }
}
