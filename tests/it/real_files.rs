//! Verdicts that hold on real files (issue « Verdicts that hold on real files »): the false
//! errors, misplaced findings, misses, fixes and splits met on real-world-style exports, and the
//! reference files real schools produce. Each test fails on the behaviour it pins down.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(rel: &str) -> PathBuf {
    root().join("corpus/fixtures").join(rel)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lsu-lint-real-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// `check --format json` with the date pinned; returns the report.
fn check_json(extra: &[&str], files: &[&Path]) -> (Value, Option<i32>) {
    let mut args = vec!["check", "--today", "2026-07-01", "--format", "json"];
    args.extend_from_slice(extra);
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    args.extend(paths.iter().map(String::as_str));
    let o = run(&args);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    });
    (v, o.status.code())
}

fn findings<'v>(report: &'v Value, code: &str) -> Vec<&'v Value> {
    report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["diagnostics"].as_array().into_iter().flatten())
        .filter(|d| d["code"] == code)
        .collect()
}

/// P008 points at the offending counter, even in a one-line file.
#[test]
fn p008_is_located_on_the_offending_attribute() {
    let text = std::fs::read_to_string(fixture("P008/trigger-v10-negative.xml")).unwrap();
    let one_line: String = text.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    let dir = tmpdir("p008");
    let f = dir.join("one-line.xml");
    std::fs::write(&f, &one_line).unwrap();
    let (v, _) = check_json(&[], &[&f]);
    let p = findings(&v, "P008");
    assert_eq!(p.len(), 1, "{v}");
    let at = one_line.rfind("nb-abs-justifiees=\"-2\"").unwrap();
    assert_eq!(p[0]["start"], at, "{}", p[0]);
    assert_eq!(p[0]["line"], 1);
    assert_eq!(p[0]["column"], one_line[..at].chars().count() + 1);
}

/// R006 on a vie-scolaire-commun names the block's division.
#[test]
fn r006_fills_the_division_of_a_common_block() {
    let (v, _) = check_json(&[], &[&fixture("R006/trigger-v10.xml")]);
    let r = findings(&v, "R006");
    assert!(!r.is_empty(), "{v}");
    for d in r {
        let div = d["division"].as_str().unwrap_or_else(|| panic!("{d}"));
        assert!(!div.is_empty());
        let msg = d["message"].as_str().unwrap();
        assert!(msg.contains(&format!("« {div} »")), "{msg}");
    }
}

/// A pupil declared twice under two ids, a bilan pointing at the copy: `fix` merges them and
/// redirects the reference; the result is clean of U001 and has no new error.
#[test]
fn u001_fix_merges_identical_pupils_and_redirects_references() {
    let dir = tmpdir("u001");
    let out = dir.join("fixed.xml");
    let input = fixture("U001/trigger-v10-merge.xml");
    let o = run(&[
        "fix",
        "--today",
        "2026-07-01",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        o.status.code().is_some(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let fixed = std::fs::read_to_string(&out).expect("fix writes the output");
    assert_eq!(fixed.matches("<eleve ").count(), 1, "{fixed}");
    assert!(!fixed.contains("EL_1B"), "{fixed}");
    assert!(
        fixed.contains(r#"<bilan-cycle eleve-ref="EL_1""#),
        "{fixed}"
    );
    let (before, _) = check_json(&[], &[&input]);
    let (after, _) = check_json(&[], &[&out]);
    assert!(findings(&after, "U001").is_empty(), "{after}");
    assert!(
        after["summary"]["errors"].as_u64() < before["summary"]["errors"].as_u64(),
        "{after}"
    );
    // Fixing twice changes nothing more.
    let again = dir.join("again.xml");
    run(&[
        "fix",
        "--today",
        "2026-07-01",
        out.to_str().unwrap(),
        "-o",
        again.to_str().unwrap(),
    ]);
    let twice = std::fs::read_to_string(&again).unwrap_or_else(|_| fixed.clone());
    assert_eq!(twice, fixed);
}

/// Two periods of the same indice with different dates (two calendars) are two files, and
/// neither keeps B004.
#[test]
fn split_by_periode_writes_one_file_per_distinct_period() {
    let dir = tmpdir("split");
    let input = fixture("B004/trigger-1d-two-calendars.xml");
    let o = run(&[
        "split",
        "--today",
        "2026-07-01",
        input.to_str().unwrap(),
        "--by",
        "periode",
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut outs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    outs.sort();
    let periodic: Vec<&PathBuf> = outs
        .iter()
        .filter(|p| p.to_string_lossy().contains("periode-"))
        .collect();
    assert_eq!(periodic.len(), 2, "{outs:?}");
    for p in &outs {
        let (v, _) = check_json(&[], &[p]);
        assert!(findings(&v, "B004").is_empty(), "{}: {v}", p.display());
        let text = std::fs::read_to_string(p).unwrap();
        assert!(text.matches("<periode ").count() <= 1, "{text}");
    }
}

/// A Siècle file with a birth date written another way is still loaded: I003 still comes from
/// it, and the JSON notes name the record.
#[test]
fn siecle_with_an_odd_birth_date_still_drives_the_cross_checks() {
    let dir = tmpdir("siecle-date");
    for f in ["ElevesSansAdresses.xml", "sts_emp_0999999X_2025.xml"] {
        let text = std::fs::read(fixture("I003/refdata").join(f)).unwrap();
        std::fs::write(dir.join(f), text).unwrap();
    }
    let siecle = dir.join("ElevesSansAdresses.xml");
    let text = std::fs::read_to_string(&siecle).unwrap();
    assert!(text.contains("<DATE_NAISS>14/03/2011</DATE_NAISS>"));
    let odd = text.replacen(
        "<DATE_NAISS>14/03/2011</DATE_NAISS>",
        "<DATE_NAISS>14 mars 2011</DATE_NAISS>",
        1,
    );
    std::fs::write(&siecle, odd).unwrap();
    let (v, code) = check_json(
        &["--refdata", dir.to_str().unwrap()],
        &[&fixture("I003/trigger-2d-v10.xml")],
    );
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(findings(&v, "I003").len(), 2, "{v}");
    let notes = v["notes"].as_array().unwrap();
    let note = notes
        .iter()
        .find(|n| n["records"] == 1)
        .unwrap_or_else(|| panic!("no note on the unreadable record: {notes:?}"));
    assert_eq!(note["input"], "siecle");
    assert_eq!(note["lines"].as_array().map(Vec::len), Some(1));
    assert!(
        note["message"].as_str().unwrap().contains("14 mars 2011"),
        "{note}"
    );
}

/// A file given twice (the configuration's `[inputs]` and the command line), and a file a
/// `--refdata` folder cannot recognise, are notes of the JSON report.
#[test]
fn refdata_notes_are_in_the_json_report() {
    let dir = tmpdir("notes");
    let refdir = dir.join("ref");
    std::fs::create_dir_all(&refdir).unwrap();
    let siecle = fixture("I003/refdata/ElevesSansAdresses.xml");
    std::fs::copy(&siecle, refdir.join("ElevesSansAdresses.xml")).unwrap();
    std::fs::write(refdir.join("lisez-moi.txt"), "rien\n").unwrap();
    let config = dir.join("lsu-lint.toml");
    std::fs::write(
        &config,
        format!("[inputs]\nsiecle = \"{}\"\n", siecle.display()),
    )
    .unwrap();
    let (v, _) = check_json(
        &[
            "--config",
            config.to_str().unwrap(),
            "--siecle",
            siecle.to_str().unwrap(),
            "--refdata",
            refdir.to_str().unwrap(),
        ],
        &[&fixture("I003/trigger-2d-v10.xml")],
    );
    let notes: Vec<String> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| format!("{} {}", n["path"], n["message"]))
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("lisez-moi.txt") && n.contains("non reconnu")),
        "{notes:?}"
    );
    let twice: Vec<&String> = notes.iter().filter(|n| n.contains("deux fois")).collect();
    assert_eq!(twice.len(), 2, "folder and configuration: {notes:?}");
}

/// A Latin-9 Siècle export given as the LSU file is S001 naming what it is (transcoding would
/// not make it an LSU file); the same file in UTF-8 too.
#[test]
fn a_siecle_export_given_as_the_lsu_file_is_named() {
    let latin9 = fixture("S001/trigger-siecle-latin9.xml");
    assert!(std::str::from_utf8(&std::fs::read(&latin9).unwrap()).is_err());
    let (v, code) = check_json(&[], &[&latin9]);
    assert_eq!(code, Some(1));
    let s = findings(&v, "S001");
    assert_eq!(s.len(), 1, "{v}");
    assert!(findings(&v, "E002").is_empty(), "{v}");
    let msg = s[0]["message"].as_str().unwrap();
    assert!(msg.contains("Siècle ElevesSansAdresses"), "{msg}");
    let (v, _) = check_json(&[], &[&fixture("I003/refdata/ElevesSansAdresses.xml")]);
    let msg = findings(&v, "S001")[0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("Siècle ElevesSansAdresses"), "{msg}");
}

/// UTF-16, with or without BOM, is E002 saying so (not « Windows-1252 »); the unsafe fix
/// transcodes the file, which then checks as UTF-8.
#[test]
fn utf16_is_named_and_transcoded() {
    for (f, endian) in [
        ("E002/trigger-utf16-bom.xml", "petit-boutiste avec BOM"),
        ("E002/trigger-utf16be-nobom.xml", "gros-boutiste sans BOM"),
    ] {
        let (v, _) = check_json(&[], &[&fixture(f)]);
        let e = findings(&v, "E002");
        assert_eq!(e.len(), 1, "{f}: {v}");
        let msg = e[0]["message"].as_str().unwrap();
        assert!(msg.contains(&format!("UTF-16 {endian}")), "{f}: {msg}");
        assert!(!msg.contains("1252"), "{f}: {msg}");
        let dir = tmpdir(&format!("utf16-{endian}").replace(' ', "-"));
        let out = dir.join("utf8.xml");
        run(&[
            "fix",
            "--unsafe-fixes",
            "--today",
            "2026-07-01",
            fixture(f).to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        let fixed = std::fs::read(&out).expect("fixed output");
        let text = String::from_utf8(fixed).expect("UTF-8 now");
        assert!(
            text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{text}"
        );
        let (after, _) = check_json(&[], &[&out]);
        assert!(findings(&after, "E002").is_empty(), "{after}");
        assert!(findings(&after, "E004").is_empty(), "{after}");
    }
}
