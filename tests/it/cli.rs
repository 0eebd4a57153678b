//! The command line as users run it: exit codes, formats, fix and split contracts.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
}

/// The examples folder of the test oracle, or leave the test with a visible message.
macro_rules! examples_or_skip {
    ($what:expr) => {
        match support::shared_or_skip("reference/examples", $what) {
            Some(d) => d,
            None => return,
        }
    };
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lsu-lint-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

#[test]
fn valid_examples_exit_zero_with_no_error() {
    let ex = examples_or_skip!("valid_examples_exit_zero_with_no_error");
    for f in ["lsu-2d-v10-valid.xml", "lsu-1d-v1.0-valid.xml"] {
        let o = run(&[
            "check",
            "--today",
            "2026-01-15",
            "--format",
            "json",
            ex.join(f).to_str().unwrap(),
        ]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        assert_eq!(v["summary"]["errors"], 0, "{f}: {}", stdout(&o));
        assert_eq!(o.status.code(), Some(0), "{f}");
    }
}

#[test]
fn invalid_example_exits_one() {
    let ex = examples_or_skip!("invalid_example_exits_one");
    let o = run(&[
        "check",
        "--today",
        "2026-01-15",
        ex.join("lsu-2d-v10-invalid.xml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn json_report_follows_the_contract() {
    let ex = examples_or_skip!("json_report_follows_the_contract");
    let o = run(&[
        "check",
        "--today",
        "2026-01-15",
        "--format",
        "json",
        ex.join("lsu-2d-v10-invalid.xml").to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["version"], 1);
    assert_eq!(v["tool"]["name"], "lsu-lint");
    for k in [
        "siecle",
        "nomenclature",
        "sts",
        "onde",
        "communs",
        "settings",
        "config",
    ] {
        assert!(v["inputs"].get(k).is_some(), "inputs.{k}");
    }
    assert!(v["skipped_rules"].is_array());
    let f = &v["files"][0];
    assert_eq!(f["degree"], "2d");
    assert_eq!(f["schema_version"], "13.0");
    assert_eq!(f["eleves"], 1);
    assert_eq!(f["bilans_periodiques"], 1);
    assert_eq!(f["bilans_cycle"], 1);
    let diags = f["diagnostics"].as_array().expect("diagnostics");
    assert!(!diags.is_empty());
    let mut last = (0u64, String::new());
    for d in diags {
        for k in [
            "code", "name", "severity", "impact", "message", "line", "column", "start", "end",
            "path", "eleve", "division", "fix",
        ] {
            assert!(d.get(k).is_some(), "diagnostic field {k} in {d}");
        }
        // Issues 8 and 9: every diagnostic names its kind and the confidence of LSU's reaction.
        let meta = lsu_lint::catalogue::lookup(d["code"].as_str().unwrap()).expect("catalogued");
        assert!(
            d["kind"].as_str().is_some_and(|k| meta.kind(k).is_some()),
            "kind declared by its rule: {d}"
        );
        assert_eq!(d["confidence"], meta.confidence.as_str(), "{d}");
        let key = (
            d["start"].as_u64().unwrap(),
            d["code"].as_str().unwrap().to_string(),
        );
        assert!(key >= last, "diagnostics sorted by start then code");
        last = key;
    }
    let s7 = diags
        .iter()
        .find(|d| d["code"] == "S007")
        .expect("S007 for version 13.0");
    assert_eq!(s7["severity"], "warning");
    assert_eq!(s7["line"], 24);
    assert_eq!(s7["column"], 14);
    let text = std::fs::read_to_string(ex.join("lsu-2d-v10-invalid.xml")).unwrap();
    let (s, e) = (
        s7["start"].as_u64().unwrap() as usize,
        s7["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "schemaVersion=\"13.0\"");
    for k in [
        "errors",
        "warnings",
        "infos",
        "by_code",
        "bilans_rejetes_estimes",
    ] {
        assert!(v["summary"].get(k).is_some(), "summary.{k}");
    }
    // Issue 8: the root causes are in the JSON summary, each diagnostic in exactly one.
    let causes = v["summary"]["causes"].as_array().expect("summary.causes");
    assert!(!causes.is_empty());
    let mut counted = 0;
    for c in causes {
        for k in [
            "code",
            "kind",
            "severity",
            "impact",
            "confidence",
            "title",
            "findings",
            "bilans",
            "eleves",
            "divisions",
            "agir",
            "action",
            "fix",
            "consequences",
        ] {
            assert!(c.get(k).is_some(), "cause field {k} in {c}");
        }
        counted += c["findings"].as_u64().unwrap();
        for q in c["consequences"].as_array().unwrap() {
            counted += q["findings"].as_u64().unwrap();
        }
    }
    assert_eq!(
        counted as usize,
        diags.len(),
        "every diagnostic in one cause"
    );
}

#[test]
fn unusable_commands_exit_two_in_french() {
    let ex = examples_or_skip!("unusable_commands_exit_two_in_french");
    let o = run(&["check", "/nonexistent/file.xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("n'existe pas"));
    let o = run(&[
        "check",
        "--today",
        "15/01/2026",
        ex.join("lsu-2d-v10-valid.xml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("date invalide"));
    let o = run(&[
        "check",
        "--select",
        "D0O1",
        ex.join("lsu-2d-v10-valid.xml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("vouliez-vous dire"));
    let o = run(&[
        "check",
        "--max-file-size",
        "10",
        ex.join("lsu-2d-v10-valid.xml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_malformed_file_is_a_finding_not_exit_two() {
    let d = tmpdir("malformed");
    let f = d.join("cassé.xml");
    std::fs::write(
        &f,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lsun-bilans><entete></lsun-bilans>\n",
    )
    .unwrap();
    let o = run(&["check", "--format", "concise", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("E001"), "{}", stdout(&o));
}

#[test]
fn every_format_renders() {
    let ex = examples_or_skip!("every_format_renders");
    let f = ex.join("lsu-2d-v10-invalid.xml");
    let f = f.to_str().unwrap();
    let sarif: serde_json::Value =
        serde_json::from_slice(&run(&["check", "--format", "sarif", f]).stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(!sarif["runs"][0]["results"].as_array().unwrap().is_empty());
    let junit = stdout(&run(&["check", "--format", "junit", f]));
    let doc = roxmltree::Document::parse(&junit).expect("junit is XML");
    assert_eq!(doc.root_element().tag_name().name(), "testsuites");
    let gh = stdout(&run(&["check", "--format", "github", f]));
    assert!(gh.lines().all(|l| l.starts_with("::")), "{gh}");
    let gl: serde_json::Value =
        serde_json::from_slice(&run(&["check", "--format", "gitlab", f]).stdout).unwrap();
    assert!(gl[0]["fingerprint"].is_string());
    let html = stdout(&run(&["check", "--format", "html", f]));
    assert!(html.contains("<html lang=\"fr\">") && html.contains("Bilans rejetés estimés"));
    let concise = stdout(&run(&["check", "--format", "concise", f]));
    assert!(
        concise.lines().any(|l| l.contains(":24:14: S007 ")),
        "{concise}"
    );
}

#[test]
fn rules_and_explain() {
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["rules", "--format", "json"]).stdout).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), 80);
    for k in [
        "code", "name", "title", "severity", "impact", "needs", "fix",
    ] {
        assert!(arr[0].get(k).is_some(), "{k}");
    }
    // Issue 9: every rule carries the confidence of LSU's reaction (C, R or I) and its kinds.
    for r in arr {
        assert!(
            ["C", "R", "I"].contains(&r["confidence"].as_str().unwrap_or("")),
            "confidence of {r}"
        );
        assert!(!r["kinds"].as_array().unwrap().is_empty(), "kinds of {r}");
    }
    let o = run(&["explain", "config"]);
    assert!(stdout(&o).contains("max-eleves"));
    let o = run(&["explain", "Élève non inscrit"]);
    assert_eq!(o.status.code(), Some(0));
    let t = stdout(&o);
    assert!(
        t.contains("1. I002") && t.contains("2. I003") && t.contains("3. D001"),
        "{t}"
    );
    assert!(t.contains("Pour les distinguer"), "{t}");
    let o = run(&["explain", "date-scolarite-outside-enroment"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("date-scolarite-outside-enrolment"));
}

#[test]
fn fix_never_overwrites_its_input_and_writes_atomically() {
    let ex = examples_or_skip!("fix_never_overwrites_its_input_and_writes_atomically");
    let d = tmpdir("fix");
    let input = d.join("export.xml");
    let valid = std::fs::read_to_string(ex.join("lsu-2d-v10-valid.xml")).unwrap();
    let body = valid.split_once('\n').map(|(_, b)| b).unwrap_or_default();
    let original = format!("\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{body}");
    std::fs::write(&input, &original).unwrap();
    let o = run(&[
        "fix",
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "refuses to overwrite the input");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), original);
    let out = d.join("corrige.xml");
    let o = run(&[
        "fix",
        "--today",
        "2026-01-15",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let fixed = std::fs::read_to_string(&out).unwrap();
    assert!(!fixed.starts_with('\u{feff}'), "E004 BOM removed");
    assert_eq!(
        fixed,
        original.trim_start_matches('\u{feff}'),
        "only the BOM changed"
    );
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        original,
        "input untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&d)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    // --diff writes nothing.
    let out2 = d.join("jamais.xml");
    let o = run(&[
        "fix",
        "--diff",
        input.to_str().unwrap(),
        "-o",
        out2.to_str().unwrap(),
    ]);
    assert!(stdout(&o).contains("-\u{feff}<?xml"), "{}", stdout(&o));
    assert!(!out2.exists());
}

#[test]
fn split_keeps_every_bilan_exactly_once() {
    let ex = examples_or_skip!("split_keeps_every_bilan_exactly_once");
    let d = tmpdir("split");
    let o = run(&[
        "split",
        "--today",
        "2026-01-15",
        "--by",
        "periode",
        "-o",
        d.to_str().unwrap(),
        ex.join("lsu-2d-v10-valid.xml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let mut names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "lsu-2d-v10-valid-cycle.xml",
            "lsu-2d-v10-valid-periode-2025-1.xml"
        ]
    );
    let mut bilans = 0;
    for n in &names {
        let t = std::fs::read_to_string(d.join(n)).unwrap();
        let doc = roxmltree::Document::parse(&t).unwrap();
        bilans += doc
            .descendants()
            .filter(|x| matches!(x.tag_name().name(), "bilan-periodique" | "bilan-cycle"))
            .count();
    }
    assert_eq!(bilans, 2);
}

#[test]
fn invalid_example_reports_every_planted_defect_under_its_code() {
    let ex = examples_or_skip!("invalid_example_reports_every_planted_defect_under_its_code");
    // The header of the shared invalid example lists the expected codes: « [1] S007 (warning)
    // [2] I001 … [12] P008 ». Each must be reported (as often as it is listed), including the
    // two that xmllint misses (R001 dangling reference, R002 reference to the wrong kind).
    let path = ex.join("lsu-2d-v10-invalid.xml");
    let text = std::fs::read_to_string(&path).unwrap();
    let header = text
        .split("Expected lsu-lint codes")
        .nth(1)
        .expect("header");
    let header = header.split("(S002").next().unwrap();
    let mut expected: std::collections::BTreeMap<String, usize> = Default::default();
    for w in header.split_whitespace() {
        if w.len() == 4
            && w.as_bytes()[0].is_ascii_uppercase()
            && w[1..].chars().all(|c| c.is_ascii_digit())
        {
            *expected.entry(w.to_string()).or_default() += 1;
        }
    }
    assert_eq!(expected.values().sum::<usize>(), 12, "{expected:?}");
    assert!(expected.contains_key("R001") && expected.contains_key("R002"));
    let o = run(&[
        "check",
        "--today",
        "2026-01-15",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    for (code, n) in &expected {
        let found = diags.iter().filter(|d| d["code"] == code.as_str()).count();
        assert!(found >= *n, "{code}: expected {n}, found {found}");
    }
    // Located on the planted line: the dangling ENS_9 and the discipline-ref to a pupil.
    let r001 = diags.iter().find(|d| d["code"] == "R001").unwrap();
    assert!(r001["message"].as_str().unwrap().contains("ENS_9"));
    let r002 = diags.iter().find(|d| d["code"] == "R002").unwrap();
    assert!(r002["message"].as_str().unwrap().contains("EL_1"));
    assert_eq!(r002["eleve"], "EL_1");
    assert_eq!(r002["division"], "3A");
}

#[test]
fn skipped_rules_name_the_missing_inputs_for_the_degree_checked() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let skipped = |file: &str| -> Vec<(String, Vec<String>)> {
        let f = root.join(file);
        let o = run(&[
            "check",
            "--today",
            "2026-07-10",
            "--format",
            "json",
            f.to_str().unwrap(),
        ]);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["skipped_rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let m = s["missing"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect();
                (s["code"].as_str().unwrap().to_string(), m)
            })
            .collect()
    };
    let college = skipped("corpus/demo/college/lsu.xml");
    let has = |v: &[(String, Vec<String>)], c: &str| v.iter().any(|(x, _)| x == c);
    assert!(
        has(&college, "I003") && has(&college, "P001"),
        "{college:?}"
    );
    assert!(
        !has(&college, "I004") && !has(&college, "T004"),
        "1D rules listed for a 2D file: {college:?}"
    );
    assert!(
        college
            .iter()
            .all(|(_, m)| !m.contains(&"onde".to_string())),
        "{college:?}"
    );
    let ecole = skipped("corpus/demo/ecole/lsu.xml");
    assert!(has(&ecole, "I004") && has(&ecole, "T004"), "{ecole:?}");
    assert!(
        !has(&ecole, "I003") && !has(&ecole, "T002"),
        "2D rules listed for a 1D file: {ecole:?}"
    );
    // With the demo's reference data and settings, nothing is skipped.
    let f = root.join("corpus/demo/college/lsu.xml");
    let c = root.join("corpus/demo/college/lsu-lint.toml");
    let o = run(&[
        "check",
        "--today",
        "2026-07-10",
        "--format",
        "json",
        "--config",
        c.to_str().unwrap(),
        f.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["skipped_rules"].as_array().unwrap().len(),
        0,
        "{}",
        v["skipped_rules"]
    );
    assert!(v["inputs"]["siecle"]
        .as_str()
        .unwrap()
        .ends_with("ElevesSansAdresses.xml"));
    assert_eq!(o.status.code(), Some(0));
}

/// The human summary names the missing inputs in French (issue 8: no internal identifier such
/// as `settings` or `siecle` in what a person reads), as the HTML report does.
#[test]
fn skipped_rules_name_their_inputs_in_french_for_a_person() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/demo/college/lsu.xml");
    let o = run(&["check", "--today", "2026-07-10", f.to_str().unwrap()]);
    let t = stdout(&o);
    let line = t
        .lines()
        .find(|l| l.contains("faute de données"))
        .unwrap_or_else(|| panic!("no skipped rules listed: {t}"));
    assert!(
        line.contains("P001 (manque : les paramètres LSU)"),
        "{line}"
    );
    assert!(
        line.contains("l'export Siècle ElevesSansAdresses"),
        "{line}"
    );
    for id in [
        "settings",
        "siecle",
        "nomenclature",
        "sts,",
        "communs",
        "calendar",
    ] {
        assert!(!line.contains(id), "internal input name « {id} »: {line}");
    }
    // JUnit's skipped cases say the same.
    let o = run(&[
        "check",
        "--today",
        "2026-07-10",
        "--format",
        "junit",
        f.to_str().unwrap(),
    ]);
    let junit = stdout(&o);
    let skipped: Vec<&str> = junit.lines().filter(|l| l.contains("<skipped")).collect();
    assert!(!skipped.is_empty(), "{junit}");
    assert!(
        skipped
            .iter()
            .any(|l| l.contains("manque : les paramètres LSU")),
        "{skipped:?}"
    );
    for l in &skipped {
        for id in ["settings", "siecle", "nomenclature", "communs", "calendar"] {
            assert!(!l.contains(id), "internal input name « {id} »: {l}");
        }
    }
}

#[test]
fn a_folder_walk_leaves_reference_files_out_with_a_note() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/demo");
    let o = run(&[
        "check",
        "--today",
        "2026-07-10",
        "--format",
        "json",
        demo.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let paths: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(
        paths
            .iter()
            .all(|p| p.ends_with("lsu.xml") || p.ends_with("lsu-a-corriger.xml")),
        "{paths:?}"
    );
    let human = stdout(&run(&[
        "check",
        "--today",
        "2026-07-10",
        demo.to_str().unwrap(),
    ]));
    assert!(
        human.contains("ElevesSansAdresses.xml : Siècle ElevesSansAdresses, pas un export LSU"),
        "{human}"
    );
    // A file named explicitly is always checked, whatever it holds.
    let siecle = demo.join("college/refdata/ElevesSansAdresses.xml");
    let o = run(&["check", "--format", "concise", siecle.to_str().unwrap()]);
    // It is named for what it is (S001), whatever its encoding, rather than only « not UTF-8 ».
    let out = stdout(&o);
    assert!(
        out.contains("S001") && out.contains("Siècle ElevesSansAdresses"),
        "{out}"
    );
}

#[test]
fn rules_fed_by_another_schools_reference_data_say_so() {
    // The shared reference samples describe another school (0999999X, 2024-25).
    let Some(refdata) = support::shared_or_skip(
        "reference/examples/reference-data",
        "rules_fed_by_another_schools_reference_data_say_so",
    ) else {
        return;
    };
    let f = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/demo/college/lsu.xml");
    let o = run(&[
        "check",
        "--today",
        "2026-07-10",
        "--format",
        "json",
        "--refdata",
        refdata.to_str().unwrap(),
        f.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert!(
        diags.iter().any(|d| d["code"] == "I001"),
        "the foreign UAI is reported"
    );
    let i002: Vec<_> = diags.iter().filter(|d| d["code"] == "I002").collect();
    assert!(!i002.is_empty());
    assert!(i002.iter().all(|d| d["message"]
        .as_str()
        .unwrap()
        .contains("est celui de l'établissement 0999999X, pas 0999101K")));
    // With the school's own data, no such caveat.
    let c = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/demo/college/lsu-lint.toml");
    let o = run(&[
        "check",
        "--today",
        "2026-07-10",
        "--format",
        "json",
        "--config",
        c.to_str().unwrap(),
        f.to_str().unwrap(),
    ]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("attention : le fichier"));
}

/// The HTML report a helpdesk sends names every input relative to the working directory, even
/// when it was given with an absolute path (no « /home/… » of the person who ran it).
#[test]
fn html_report_shows_inputs_relative_to_the_working_directory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = root.join("corpus/demo/college/lsu-lint.toml");
    let o = bin()
        .current_dir(root)
        .args([
            "check",
            "--today",
            "2026-07-10",
            "--format",
            "html",
            "--config",
        ])
        .arg(&config)
        .arg(root.join("corpus/demo/college/lsu-a-corriger.xml"))
        .output()
        .expect("the binary runs");
    let html = stdout(&o);
    assert!(
        html.contains("<code>corpus/demo/college/refdata/ElevesSansAdresses.xml</code>"),
        "{html}"
    );
    let abs = root.display().to_string();
    assert!(!html.contains(&abs), "absolute path {abs} in the report");
}
