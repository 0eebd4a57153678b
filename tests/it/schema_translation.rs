//! Translation of schema errors into findings: the planted defects of the shared invalid
//! example come out under the codes of `rules.md`, on the right place; valid files give none.

use crate::support;

use std::path::{Path, PathBuf};

use lsu_lint::cli::CommonArgs;
use lsu_lint::diagnostic::{Diagnostic, Origin};
use lsu_lint::source::SourceFile;

/// The shared examples folder (test oracle), or leave the test with a visible message.
macro_rules! examples_or_skip {
    ($what:expr) => {
        match support::shared_or_skip("reference/examples", $what) {
            Some(d) => d,
            None => return,
        }
    };
}

fn check_text(name: &str, text: &str) -> Vec<Diagnostic> {
    let common = CommonArgs {
        // After the June bilans de fin de cycle of the samples, before the campaign closes.
        today: Some("2026-06-30".into()),
        ..CommonArgs::default()
    };
    let engine = common
        .builder()
        .and_then(|b| b.build())
        .unwrap_or_else(|e| panic!("engine: {e}"));
    engine
        .check_source(&SourceFile::new(name.to_string(), text.as_bytes().to_vec()))
        .diagnostics
}

fn check(path: &Path) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    check_text(&path.display().to_string(), &text)
}

fn count(d: &[Diagnostic], code: &str) -> usize {
    d.iter().filter(|x| x.code == code).count()
}

fn listing(d: &[Diagnostic]) -> String {
    d.iter()
        .map(|x| format!("{} {}:{} {}", x.code, x.line, x.column, x.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn invalid_example_reports_each_schema_defect_under_its_code() {
    let examples = examples_or_skip!("invalid_example_reports_each_schema_defect_under_its_code");
    let d = check(&examples.join("lsu-2d-v10-invalid.xml"));
    let all = listing(&d);
    for code in ["I001", "X002", "S005", "X003", "C001", "U004", "P008"] {
        assert_eq!(count(&d, code), 1, "{code} expected once:\n{all}");
    }
    assert_eq!(count(&d, "P003"), 2, "P003 expected twice:\n{all}");
    // No schema finding for the version itself (S007 covers it).
    assert!(
        !d.iter()
            .any(|x| x.origin == Origin::Schema && x.message.contains("13.0")),
        "{all}"
    );
    let find = |code: &str, needle: &str| {
        d.iter()
            .find(|x| x.code == code && x.message.contains(needle))
            .unwrap_or_else(|| panic!("no {code} mentioning {needle}:\n{all}"))
    };
    // Placed on the offending attribute or element, with the values in the message.
    let comma = find("P003", "14,5");
    assert_eq!(comma.line, 71, "{all}");
    assert!(comma.message.contains("14.5"), "{}", comma.message);
    let pos = find("P003", "positionnement");
    assert_eq!(pos.line, 75);
    assert!(pos.message.contains("de 1 à 4"), "{}", pos.message);
    let date = find("S005", "04/12/2025");
    assert_eq!(date.line, 67);
    assert!(date.message.contains("AAAA-MM-JJ") && date.message.contains("2025-12-04"));
    assert!(date.fix.is_some(), "an unambiguous date gets a safe fix");
    assert_eq!(find("I001", "099999X").line, 29);
    assert_eq!(find("X002", "appreciation").line, 72);
    assert_eq!(find("X003", "appreciation").line, 76);
    assert_eq!(find("P008", "nb-abs-injustifiees").line, 82);
    let c001 = find("C001", "REP_MND");
    assert_eq!(c001.line, 91, "on the socle of the bilan-cycle");
    assert!(c001.message.contains("activité humaine"));
    assert_eq!(find("U004", "DI_FRA").line, 44);
}

#[test]
fn valid_examples_and_samples_give_no_schema_finding() {
    if let Some(examples) = support::shared_or_skip(
        "reference/examples",
        "valid_examples_and_samples_give_no_schema_finding (shared examples)",
    ) {
        for name in ["lsu-2d-v10-valid.xml", "lsu-1d-v1.0-valid.xml"] {
            let d = check(&examples.join(name));
            assert!(d.is_empty(), "{name}:\n{}", listing(&d));
        }
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus/valid");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let d = check(&e.path());
        let schema: Vec<_> = d
            .iter()
            .filter(|x| {
                x.origin == Origin::Schema || x.code.as_str().starts_with('S') && x.code != "S001"
            })
            .cloned()
            .collect();
        assert!(
            schema.is_empty(),
            "{}:\n{}",
            e.path().display(),
            listing(&schema)
        );
        n += 1;
    }
    assert_eq!(n, 4, "one valid sample per schema version");
}

/// One defect injected in the valid 10.0 example.
fn variant(examples: &Path, old: &str, new: &str) -> Vec<Diagnostic> {
    let text = std::fs::read_to_string(examples.join("lsu-2d-v10-valid.xml")).unwrap_or_default();
    assert!(text.contains(old), "{old}");
    check_text("variant.xml", &text.replacen(old, new, 1))
}

#[test]
fn enumeration_lengths_and_structure() {
    let examples = examples_or_skip!("enumeration_lengths_and_structure");
    let d = variant(&examples, "civilite=\"MME\"", "civilite=\"Mme\"");
    assert_eq!(count(&d, "S004"), 1, "{}", listing(&d));
    let s004 = d
        .iter()
        .find(|x| x.code == "S004")
        .map(|x| x.message.clone())
        .unwrap_or_default();
    assert!(
        s004.contains("M, MME") && s004.contains("« MME »"),
        "{s004}"
    );
    assert!(
        d.iter().any(|x| x.code == "S004" && x.fix.is_some()),
        "case-only fix"
    );

    let long = "é".repeat(41);
    let d = variant(
        &examples,
        "libelle=\"Français\"",
        &format!("libelle=\"{long}\""),
    );
    let x = d
        .iter()
        .find(|x| x.code == "X001")
        .unwrap_or_else(|| panic!("{}", listing(&d)));
    assert!(
        x.message.contains("41") && x.message.contains("40"),
        "{}",
        x.message
    );

    let d = variant(
        &examples,
        "<acquis-conseils>",
        "<devoirs-faits>x</devoirs-faits><acquis-conseils>",
    );
    let x = d
        .iter()
        .find(|x| x.code == "S002")
        .unwrap_or_else(|| panic!("{}", listing(&d)));
    assert!(
        x.message.contains("acquis-conseils") && x.message.contains("devoirs-faits"),
        "{}",
        x.message
    );

    let d = variant(
        &examples,
        "<synthese>Synthèse fictive de fin de cycle 4.</synthese>",
        "",
    );
    assert_eq!(count(&d, "C002"), 1, "{}", listing(&d));

    let d = variant(&examples, " id-sts=\"1002\"", "");
    assert_eq!(count(&d, "S003"), 1, "{}", listing(&d));

    // Never more than one finding per schema error: one defect, one finding.
    let d = variant(
        &examples,
        "millesime=\"2025\" indice",
        "millesime=\"2025-2026\" indice",
    );
    assert_eq!(d.len(), 1, "{}", listing(&d));
    assert_eq!(d[0].code, "S005");
}

#[test]
fn other_encodings_declared_and_1d() {
    let examples = examples_or_skip!("other_encodings_declared_and_1d");
    // A declaration naming another encoding: the text is UTF-8 anyway, lengths stay right.
    let text = std::fs::read_to_string(examples.join("lsu-1d-v1.0-valid.xml")).unwrap_or_default();
    let d = check_text(
        "x.xml",
        &text.replacen("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"", 1),
    );
    assert!(
        !d.iter().any(|x| x.origin == Origin::Schema),
        "{}",
        listing(&d)
    );
    // A 1D cycle 3: one finding, under the semantic rule C003 (never S005 beside it).
    let d = check_text("x.xml", &text.replacen("cycle=\"2\"", "cycle=\"3\"", 1));
    assert_eq!(count(&d, "C003"), 1, "{}", listing(&d));
    assert_eq!(count(&d, "S005"), 0, "{}", listing(&d));
}

#[test]
fn one_line_file_places_findings_on_the_right_elements() {
    let examples = examples_or_skip!("one_line_file_places_findings_on_the_right_elements");
    // Many exporters write the whole file on one line: placement then relies on the column.
    let text = std::fs::read_to_string(examples.join("lsu-2d-v10-invalid.xml")).unwrap_or_default();
    let d = check_text("oneline.xml", &text.replace('\n', " "));
    let all = listing(&d);
    for code in ["I001", "X002", "S005", "X003", "C001", "U004", "P008"] {
        assert_eq!(count(&d, code), 1, "{code} expected once:\n{all}");
    }
    assert_eq!(count(&d, "P003"), 2, "{all}");
    assert_eq!(
        count(&d, "C005"),
        0,
        "the periodic socle is valid in 10.0:\n{all}"
    );
}
