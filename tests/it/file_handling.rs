//! File handling that loses nothing (issue 11): character repair before the fixes that read
//! repaired values, fixes that converge in one run, well-formedness fixes judged by
//! well-formedness, `-o` through links and never onto devices or FIFOs, folder walks that end,
//! non-regular inputs refused at once, exact positions, distinct split names, French messages.
//! FIFOs and device nodes are made in temporary folders; no real `/dev` node is touched.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const TODAY: &str = "2026-01-15";

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/fixtures")
        .join(p)
}

fn clean() -> Vec<u8> {
    std::fs::read(fixture("R006/clean-v10.xml")).unwrap()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lsu-lint-files-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the binary; a run that has not ended after two minutes is a hang (the defect some of
/// these tests are about), killed and reported.
fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .args(args.iter().map(|a| a.as_ref()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "lsu-lint {:?} did not end: {}",
                args.iter().map(|a| a.as_ref()).collect::<Vec<_>>(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The error output with miette's wrapping undone (`│` margins, line breaks).
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON expected ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn mkfifo(p: &Path) {
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn fix_json(input: &Path, out: &Path) -> (Output, Value) {
    let o = run(&[
        &"fix",
        &"--today",
        &TODAY,
        &"--format",
        &"json",
        &input,
        &"-o",
        &out,
    ]);
    let v = json(&o);
    (o, v)
}

fn applied_codes(v: &Value) -> Vec<String> {
    v["files"][0]["applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_nul_in_a_division_code_is_repaired_before_r006_decides() {
    let d = tmpdir("nul-division");
    let input = d.join("in.xml");
    let text = String::from_utf8(clean()).unwrap().replacen(
        "code-division=\"3A\"/>",
        "code-division=\"3\0A\"/>",
        1,
    );
    std::fs::write(&input, text).unwrap();
    let out = d.join("out.xml");
    let (o, v) = fix_json(&input, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fixed = std::fs::read_to_string(&out).unwrap();
    assert!(fixed.contains("code-division=\"3A\"/>"), "{fixed}");
    assert!(fixed.contains("<parcours-communs>"), "data lost: {fixed}");
    assert!(
        fixed.contains("<vies-scolaires-communs>"),
        "data lost: {fixed}"
    );
    assert_eq!(applied_codes(&v), ["E003"], "{v}");
}

#[test]
fn four_thousand_nuls_are_all_removed_in_one_run() {
    let d = tmpdir("many-nuls");
    let input = d.join("in.xml");
    let nuls = "\0".repeat(4096);
    let text = String::from_utf8(clean()).unwrap().replacen(
        "Bon trimestre,",
        &format!("Bon{nuls} trimestre,"),
        1,
    );
    std::fs::write(&input, text).unwrap();
    let out = d.join("out.xml");
    let (o, v) = fix_json(&input, &out);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let fixed = std::fs::read(&out).unwrap();
    assert!(!fixed.contains(&0), "NULs left after one run");
    assert_eq!(
        fixed,
        clean(),
        "the repair is exactly the removal of the NULs"
    );
    assert!(applied_codes(&v).iter().all(|c| c == "E003"), "{v}");
    // A second run finds nothing more to do.
    let again = d.join("again.xml");
    let (_, v2) = fix_json(&out, &again);
    assert!(applied_codes(&v2).is_empty(), "{v2}");
}

#[test]
fn a_well_formedness_fix_is_kept_when_it_reveals_hidden_findings() {
    let d = tmpdir("wellformed");
    let input = d.join("in.xml");
    // A stray `&` hides an empty required text (X002, an error) behind the malformation; the
    // BOM's fix (E004) must not be skipped with the `&` one either.
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(
        String::from_utf8(clean())
            .unwrap()
            .replace("Classe investie ce trimestre.", "   ")
            .replacen("Bon trimestre,", "Tom & Jerry,", 1)
            .into_bytes(),
    );
    std::fs::write(&input, bytes).unwrap();
    let out = d.join("out.xml");
    let (o, v) = fix_json(&input, &out);
    let fixed = std::fs::read_to_string(&out).unwrap();
    assert!(fixed.contains("Tom &amp; Jerry"), "{fixed}");
    assert!(!fixed.starts_with('\u{feff}'), "BOM left");
    let mut applied = applied_codes(&v);
    applied.sort();
    assert_eq!(applied, ["E001", "E004"], "{v}");
    assert!(
        v["files"][0]["dropped"].as_array().unwrap().is_empty(),
        "{v}"
    );
    // The revealed finding is reported as remaining, and the run fails on it.
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn e002_is_located_on_its_line_and_column() {
    let d = tmpdir("e002");
    let input = d.join("in.xml");
    let text = String::from_utf8(clean()).unwrap();
    let mut bytes = text.into_bytes();
    // « Élève » on line 21: its `É` becomes the Windows-1252 byte 0xC9.
    let at = bytes.windows(2).position(|w| w == "É".as_bytes()).unwrap();
    bytes.splice(at..at + 2, [0xC9]);
    std::fs::write(&input, &bytes).unwrap();
    let o = run(&[&"check", &"--today", &TODAY, &"--format", &"json", &input]);
    let v = json(&o);
    let d0 = &v["files"][0]["diagnostics"][0];
    assert_eq!(d0["code"], "E002", "{v}");
    let line_start = bytes[..at].iter().rposition(|b| *b == b'\n').unwrap() + 1;
    let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&bytes[line_start..at])
        .chars()
        .count()
        + 1;
    assert_eq!(d0["line"], line);
    assert_eq!(d0["column"], column);
    assert!(line > 1 && column > 1);
}

#[test]
fn a_truncated_file_is_located_at_its_end() {
    let d = tmpdir("truncated");
    let input = d.join("in.xml");
    let text = String::from_utf8(clean()).unwrap();
    let cut = &text[..text.find("<bilans-periodiques>").unwrap()];
    std::fs::write(&input, cut).unwrap();
    let o = run(&[&"check", &"--today", &TODAY, &"--format", &"json", &input]);
    let v = json(&o);
    let d0 = &v["files"][0]["diagnostics"][0];
    assert_eq!(d0["code"], "E001", "{v}");
    let lines = cut.trim_end().lines().count();
    assert_eq!(d0["line"], lines, "{v}");
    assert!(d0["column"].as_u64().unwrap() > 1, "{v}");
}

#[test]
fn an_xinclude_in_a_text_gives_one_finding() {
    let d = tmpdir("xinclude");
    let input = d.join("in.xml");
    let text = String::from_utf8(clean()).unwrap().replacen(
        "<appreciation>Bon trimestre, participation régulière.</appreciation>",
        "<appreciation><xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"texte.txt\" parse=\"text\"/></appreciation>",
        1,
    );
    std::fs::write(&input, text).unwrap();
    let o = run(&[&"check", &"--today", &TODAY, &"--format", &"json", &input]);
    let v = json(&o);
    let on_line: Vec<&Value> = v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["line"] == 57)
        .collect();
    assert_eq!(on_line.len(), 1, "{on_line:?}");
    assert_eq!(on_line[0]["code"], "S002");
    let msg = on_line[0]["message"].as_str().unwrap();
    assert!(
        msg.contains("<xi:include>") && msg.contains("XInclude"),
        "{msg}"
    );
    assert!(!msg.contains("libxml2"), "{msg}");
}

fn dirty(d: &Path) -> PathBuf {
    // A fixable file: a BOM (E004, safe).
    let input = d.join("in.xml");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(clean());
    std::fs::write(&input, bytes).unwrap();
    input
}

#[test]
fn output_through_a_symbolic_link_replaces_its_target_and_keeps_the_link() {
    let d = tmpdir("out-link");
    let input = dirty(&d);
    let target = d.join("real.xml");
    std::fs::write(&target, "old").unwrap();
    let link = d.join("link.xml");
    std::os::unix::fs::symlink("real.xml", &link).unwrap();
    let o = run(&[&"fix", &"--today", &TODAY, &input, &"-o", &link]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(&link).unwrap().is_symlink(),
        "link replaced"
    );
    assert_eq!(std::fs::read(&target).unwrap(), clean());
    // No temporary file left behind.
    let names: Vec<String> = std::fs::read_dir(&d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn output_through_a_link_to_the_input_is_refused() {
    let d = tmpdir("out-link-input");
    let input = dirty(&d);
    let before = std::fs::read(&input).unwrap();
    let link = d.join("link.xml");
    std::os::unix::fs::symlink("in.xml", &link).unwrap();
    let o = run(&[&"fix", &"--today", &TODAY, &input, &"-o", &link]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("est le fichier d'entrée"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn output_onto_a_fifo_is_refused_and_the_fifo_kept() {
    use std::os::unix::fs::FileTypeExt;
    let d = tmpdir("out-fifo");
    let input = dirty(&d);
    let fifo = d.join("tube.xml");
    mkfifo(&fifo);
    let o = run(&[&"fix", &"--today", &TODAY, &input, &"-o", &fifo]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("tube nommé"), "{}", stderr(&o));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // Through a link too.
    let link = d.join("lien.xml");
    std::os::unix::fs::symlink("tube.xml", &link).unwrap();
    let o = run(&[&"fix", &"--today", &TODAY, &input, &"-o", &link]);
    assert_eq!(o.status.code(), Some(2));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn output_onto_a_device_is_refused_and_the_device_kept() {
    use std::os::unix::fs::FileTypeExt;
    let d = tmpdir("out-device");
    let input = dirty(&d);
    // A node like /dev/null (1, 3), made in the temporary folder: creating one needs root.
    let dev = d.join("null.xml");
    let c = std::ffi::CString::new(dev.as_os_str().as_encoded_bytes()).unwrap();
    let made = unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o600, libc::makedev(1, 3)) };
    if made != 0 {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI runs as root and must make the device node"
        );
        eprintln!("SKIPPED: making a device node needs root");
        return;
    }
    let o = run(&[&"fix", &"--today", &TODAY, &input, &"-o", &dev]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("périphérique"), "{}", stderr(&o));
    assert!(std::fs::metadata(&dev)
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn a_folder_with_symbolic_link_cycles_is_walked_once() {
    let d = tmpdir("walk-cycles");
    std::fs::write(d.join("a.xml"), clean()).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/parent")).unwrap();
    std::os::unix::fs::symlink(".", d.join("self")).unwrap();
    std::os::unix::fs::symlink("boucle.xml", d.join("boucle.xml")).unwrap();
    std::os::unix::fs::symlink("../a.xml", d.join("sub/alias.xml")).unwrap();
    let o = run(&[&"check", &"--today", &TODAY, &"--format", &"json", &d]);
    let v = json(&o);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 1, "{v}");
    // The loop of links is noted, not checked nor fatal.
    let o = run(&[&"check", &"--today", &TODAY, &"--format", &"human", &d]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("boucle.xml : laissé de côté : boucle de liens symboliques"),
        "{out}"
    );
    assert!(
        !out.contains("alias.xml"),
        "the alias of a.xml is the same file: {out}"
    );
}

#[test]
fn a_fifo_as_the_lsu_file_or_a_reference_file_exits_2_at_once() {
    let d = tmpdir("fifo-input");
    let fifo = d.join("tube.xml");
    mkfifo(&fifo);
    let o = run(&[&"check", &"--today", &TODAY, &fifo]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("tube nommé"), "{}", stderr(&o));
    let lsu = d.join("lsu.xml");
    std::fs::write(&lsu, clean()).unwrap();
    for opt in ["--siecle", "--settings", "--config", "--sts"] {
        let o = run(&[&"check", &"--today", &TODAY, &opt, &fifo, &lsu]);
        assert_eq!(o.status.code(), Some(2), "{opt}");
        assert!(stderr(&o).contains("tube nommé"), "{opt}: {}", stderr(&o));
    }
}

#[test]
fn a_symbolic_link_loop_is_called_a_loop() {
    let d = tmpdir("loop-arg");
    let p = d.join("boucle.xml");
    std::os::unix::fs::symlink("boucle.xml", &p).unwrap();
    let o = run(&[&"check", &"--today", &TODAY, &p]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("boucle de liens symboliques"), "{e}");
    assert!(!e.contains("n'existe pas"), "{e}");
}

#[test]
fn split_file_names_never_collide() {
    use lsu_lint::split::file_keys;
    let raw = ["A/B", "A_B", "A B", "a_b", "3A", "3B"];
    let keys = file_keys(raw);
    let mut folded: Vec<String> = keys.iter().map(|k| k.to_lowercase()).collect();
    folded.sort();
    folded.dedup();
    assert_eq!(folded.len(), raw.len(), "{keys:?}");
    assert!(keys.iter().all(|k| k
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')));
    // Keys without a clash keep their plain name; a key's suffix does not depend on the others.
    assert_eq!(keys[4], "3A");
    let again = file_keys(["a_b", "A/B"]);
    assert_eq!(again[1], keys[0]);
}

#[test]
fn split_writes_one_file_per_division_when_names_would_clash() {
    let d = tmpdir("split-clash");
    let input = d.join("lsu.xml");
    // Two pupils, divisions « 3/A » and « 3_A »: two files, not one.
    let text = std::fs::read_to_string(fixture("P002/clean-v10.xml")).unwrap();
    let divisions: Vec<String> = text
        .match_indices("code-division=\"")
        .map(|(i, m)| {
            let rest = &text[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect();
    let mut distinct = divisions.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 2, "{divisions:?}");
    let renamed = text
        .replace(&format!("\"{}\"", distinct[0]), "\"3/A\"")
        .replace(&format!("\"{}\"", distinct[1]), "\"3_A\"");
    std::fs::write(&input, renamed).unwrap();
    let out = d.join("out");
    let o = run(&[
        &"split",
        &"--today",
        &TODAY,
        &input,
        &"--by",
        &"division",
        &"-o",
        &out,
    ]);
    assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
    let n = std::fs::read_dir(&out).unwrap().count();
    assert_eq!(n, 2, "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn settings_type_errors_are_in_french() {
    let d = tmpdir("settings-fr");
    let lsu = d.join("lsu.xml");
    std::fs::write(&lsu, clean()).unwrap();
    for (toml, needle) in [
        ("annee = \"deux mille\"\n", "nombre entier"),
        ("annee = 2025\n[defaut]\nsource = 3\n", "texte"),
        ("annee =\n", "valeur absente"),
        ("annee = 2025\nannee = 2026\n", "deux fois"),
        ("[defaut\n", "en-tête"),
    ] {
        let s = d.join("lsu-settings.toml");
        std::fs::write(&s, toml).unwrap();
        let o = run(&[&"check", &"--today", &TODAY, &"--settings", &s, &lsu]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        let e = stderr(&o);
        assert!(e.contains(needle), "{toml}: {e}");
        for english in [
            "expected",
            "invalid ",
            "duplicate",
            "string",
            "integer",
            "table header",
        ] {
            assert!(!e.contains(english), "{toml}: English « {english} » in {e}");
        }
    }
}
