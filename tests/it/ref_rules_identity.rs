//! Rules that cross-check the file with the reference data (I001–I007, D001 Siècle part,
//! D003, D004, B003, C003 Siècle part): messages, groups, fixes applied with `--unsafe-fixes`
//! and re-checked, and rules skipped for lack of an input. Runs on `corpus/fixtures/<CODE>/`
//! with their synthetic reference files.

use std::path::{Path, PathBuf};

use lsu_lint::cli::CommonArgs;
use lsu_lint::diagnostic::{Applicability, Diagnostic};
use lsu_lint::engine::Engine;
use lsu_lint::fix::{fix_source, FixOptions};
use lsu_lint::source::SourceFile;

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/fixtures")
        .join(p)
}

fn engine(refdata: Option<&str>, settings: Option<&str>) -> Engine {
    let common = CommonArgs {
        refdata: refdata.map(fixture),
        settings: settings.map(fixture),
        today: Some("2026-01-15".into()),
        ..CommonArgs::default()
    };
    common.builder().and_then(|b| b.build()).expect("engine")
}

fn source(p: &str) -> SourceFile {
    let path = fixture(p);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SourceFile::new(path.display().to_string(), bytes)
}

fn findings(e: &Engine, p: &str, code: &str) -> Vec<Diagnostic> {
    e.check_source(&source(p))
        .diagnostics
        .into_iter()
        .filter(|d| d.code == code)
        .collect()
}

/// Applies every allowed fix (unsafe included); returns the corrected text and the codes of the
/// fixes applied.
fn fixed(e: &Engine, p: &str) -> (String, Vec<&'static str>) {
    let out = fix_source(e, &source(p), FixOptions { unsafe_fixes: true });
    let codes = out.applied.iter().map(|a| a.code.as_str()).collect();
    (String::from_utf8(out.output).expect("utf-8"), codes)
}

fn check_text(e: &Engine, text: &str, code: &str) -> usize {
    e.check_source(&SourceFile::new(
        "fixed.xml".to_string(),
        text.as_bytes().to_vec(),
    ))
    .diagnostics
    .iter()
    .filter(|d| d.code == code)
    .count()
}

#[test]
fn i001_foreign_reference_uai_is_a_finding_and_not_i007() {
    let e = engine(Some("I001/refdata-other-school"), None);
    let d = findings(&e, "I001/trigger-2d-v10-siecle-other-school.xml", "I001");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("0999999X") && d[0].message.contains("0999998W"));
    assert!(d[0].message.contains("ElevesSansAdresses.xml"));
    assert!(d[0].fix.is_none(), "suggest only");
    assert!(findings(&e, "I001/trigger-2d-v10-siecle-other-school.xml", "I007").is_empty());
}

#[test]
fn i007_odd_reference_file_is_not_i001() {
    let e = engine(Some("I007/refdata-foreign-sts"), None);
    let p = "I007/trigger-2d-v10-foreign-sts.xml";
    let d = findings(&e, p, "I007");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("sts_emp_0999998W_2025.xml"));
    assert!(findings(&e, p, "I001").is_empty());
    let e = engine(Some("I007/refdata-last-year"), None);
    let d = findings(&e, "I007/trigger-2d-v10-siecle-last-year.xml", "I007");
    assert!(d[0].message.contains("2024-2025") && d[0].message.contains("millésime 2025"));
}

#[test]
fn i002_namesake_fix_replaces_the_id_once() {
    let e = engine(Some("I002/refdata-namesake"), None);
    let p = "I002/trigger-2d-v10-namesake.xml";
    let d = findings(&e, p, "I002");
    assert_eq!(d.len(), 2);
    assert_eq!(d.iter().filter(|x| x.fix.is_some()).count(), 1);
    let (text, _) = fixed(&e, p);
    assert!(text.contains(r#"id-be="9990011""#));
    assert_eq!(check_text(&e, &text, "I002"), 0);
    // Without a same-division namesake: no fix, no namesake in the message.
    let e = engine(Some("I002/refdata"), None);
    let d = findings(&e, "I002/trigger-2d-v10.xml", "I002");
    assert!(d.iter().all(|x| x.fix.is_none()));
    assert!(!d[0].message.contains("même nom"));
}

#[test]
fn i003_fix_moves_pupil_and_common_blocks_to_the_siecle_division() {
    let e = engine(Some("I003/refdata"), None);
    let p = "I003/trigger-2d-v10.xml";
    let d = findings(&e, p, "I003");
    assert_eq!(d.len(), 2);
    assert!(d[0].message.contains("« 3A »"));
    // One cause for every unknown code: the code stays in the message, not in the title.
    assert!(d[0].message.contains("« 3eA »"));
    assert_eq!(d[0].kind, "division-unknown-in-siecle");
    assert_eq!(
        d[0].group.as_deref(),
        Some("code de division inconnu de Siècle et de STS-Web")
    );
    let (text, codes) = fixed(&e, p);
    assert!(codes.contains(&"I003"));
    assert!(
        !text.contains(r#"code-division="3eA""#),
        "commons renamed too"
    );
    assert_eq!(check_text(&e, &text, "I003"), 0);
    assert_eq!(check_text(&e, &text, "R006"), 0);
    // STS only: nearest codes, no fix.
    let e = engine(Some("I003/refdata-sts"), None);
    let d = findings(&e, "I003/trigger-2d-v10-sts-only.xml", "I003");
    assert!(d[0]
        .message
        .contains("divisions connues les plus proches : « 3A », « 3B »"));
    assert!(d.iter().all(|x| x.fix.is_none()));
}

#[test]
fn i003_and_i002_are_skipped_without_reference_data() {
    let common = CommonArgs {
        today: Some("2026-01-15".into()),
        ..CommonArgs::default()
    };
    let e = common.builder().and_then(|b| b.build()).expect("engine");
    let skipped = e.skipped_rules();
    for code in ["I002", "I003", "I004", "I006", "I007", "D003", "D004"] {
        assert!(
            skipped.iter().any(|(c, _)| *c == code),
            "{code} not listed as skipped: {skipped:?}"
        );
    }
    assert!(!skipped.iter().any(|(c, _)| *c == "I001" || *c == "B003"));
}

#[test]
fn i004_fix_by_same_label() {
    let e = engine(Some("I004/refdata"), None);
    let p = "I004/trigger-1d.xml";
    let d = findings(&e, p, "I004");
    assert_eq!(d.len(), 2);
    assert!(d[0].message.contains("CSVExtraction.csv"));
    let fix = d.iter().find_map(|x| x.fix.as_ref()).expect("one fix");
    assert_eq!(fix.applicability, Applicability::Unsafe);
    let (text, _) = fixed(&e, p);
    assert!(text.contains(r#"id-be="99901""#));
    assert_eq!(check_text(&e, &text, "I004"), 0);
}

#[test]
fn i005_onde_namesake_fix() {
    let e = engine(Some("I005/refdata-onde"), None);
    let p = "I005/trigger-1d-unknown-in-onde.xml";
    let d = findings(&e, p, "I005");
    assert_eq!(d.len(), 2);
    assert!(d[0].message.contains("inconnu dans l'extraction ONDE"));
    let (text, _) = fixed(&e, p);
    assert!(text.contains(r#"ine="099990101BA""#));
    assert_eq!(check_text(&e, &text, "I005"), 0);
}

#[test]
fn d001_siecle_entry_date_message_group_and_clamp() {
    let e = engine(Some("D001/refdata-entree"), None);
    let p = "D001/trigger-2d-v10-siecle-entree.xml";
    let d = findings(&e, p, "D001");
    assert_eq!(d.len(), 1);
    // The entry date is the pupil's own: it stays in the message, not in the cause's title.
    assert_eq!(d[0].kind, "avant-entree");
    assert_eq!(d[0].group, None);
    assert!(d[0].message.contains(
        "date de scolarité 2025-09-01 antérieure à l'entrée de l'élève le 2025-10-06 (Siècle)"
    ));
    let (text, _) = fixed(&e, p);
    assert!(text.contains(r#"date-scolarite="2025-10-06""#));
    assert_eq!(check_text(&e, &text, "D001"), 0);

    let e = engine(Some("D001/refdata-sortie"), None);
    let p = "D001/trigger-2d-v10-siecle-sortie.xml";
    let d = findings(&e, p, "D001");
    assert!(d[0]
        .message
        .contains("postérieure à la sortie de l'élève le 2025-11-20 (Siècle)"));
    assert_eq!(d[0].kind, "apres-sortie");
    let (text, _) = fixed(&e, p);
    assert!(text.contains(r#"date-scolarite="2025-11-20""#));

    let e = engine(Some("D001/refdata-sortie-early"), None);
    let d = findings(
        &e,
        "D001/trigger-2d-v10-siecle-left-before-rentree.xml",
        "D001",
    );
    assert!(d[0].fix.is_none());
    assert!(d[0].message.contains("ce bilan est sans doute à supprimer"));
    // After a leaving date that precedes the rentrée: no date fits, the bilan is to drop.
    assert_eq!(d[0].kind, "apres-sortie");
}

/// A date before both the rentrée and a later entry date takes the entry date's kind: the
/// bound its fix clamps to. On a tie the rentrée wins (the mass-rejection cause).
#[test]
fn d001_several_bounds_take_the_clamp_bound() {
    let e = engine(Some("D001/refdata-entree"), None);
    let text =
        std::fs::read_to_string(fixture("D001/trigger-2d-v10-siecle-entree.xml")).expect("fixture");
    assert!(text.contains(r#"date-scolarite="2025-09-01""#));
    let early = text.replace(
        r#"date-scolarite="2025-09-01""#,
        r#"date-scolarite="2025-08-28""#,
    );
    let d: Vec<Diagnostic> = e
        .check_source(&SourceFile::new("x.xml".to_string(), early.into_bytes()))
        .diagnostics
        .into_iter()
        .filter(|d| d.code == "D001")
        .collect();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].kind, "avant-entree");
    assert!(d[0].message.contains("l'entrée de l'élève le 2025-10-06"));
    let edit = &d[0].fix.as_ref().expect("clamp").edits[0];
    assert_eq!(edit.replacement, "2025-10-06");
}

#[test]
fn d001_ignores_a_siecle_of_another_year() {
    // The last-year Siècle of I007 has the pupil; its dates must not be used for 2025.
    let e = engine(Some("I007/refdata-last-year"), None);
    assert!(findings(&e, "D001/clean-2d-v10.xml", "D001").is_empty());
}

#[test]
fn d003_fix_takes_the_settings_dates() {
    let e = engine(None, Some("D003/settings.toml"));
    let p = "D003/trigger-1d.xml";
    assert_eq!(findings(&e, p, "D003").len(), 1);
    let (text, _) = fixed(&e, p);
    assert!(text.contains(r#"date-fin="2025-11-28""#));
    assert_eq!(check_text(&e, &text, "D003"), 0);
}

#[test]
fn d004_names_the_setting() {
    let e = engine(None, Some("D004/settings-semestre.toml"));
    let d = findings(&e, "D004/trigger-2d-v10.xml", "D004");
    assert_eq!(d.len(), 1);
    // The setting is named in words (the web page fills settings by a form, not TOML).
    assert!(d[0].message.contains("« semestre »"), "{}", d[0].message);
    assert!(
        d[0].message.contains("paramètres LSU fournis"),
        "{}",
        d[0].message
    );
    assert!(d[0].fix.is_none());
}

#[test]
fn b003_names_the_split_command_and_has_no_edit() {
    let e = engine(Some("B003/refdata"), None);
    let d = findings(&e, "B003/trigger-2d-v10-siecle.xml", "B003");
    assert_eq!(d.len(), 2);
    assert!(d
        .iter()
        .all(|x| x.fix.is_none() && x.message.contains("lsu-lint split --by division")));
    // The pupil's division is unknown to the reference data: I003's, not B003's.
    let e = engine(Some("I003/refdata"), None);
    assert!(findings(&e, "I003/trigger-2d-v10.xml", "B003").is_empty());
}

#[test]
fn c003_siecle_mef_wins_over_the_division_code() {
    let e = engine(Some("C003/refdata-6e"), None);
    let d = findings(&e, "C003/trigger-2d-v10-siecle-mef.xml", "C003");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("MEF 10010012110"));
}
