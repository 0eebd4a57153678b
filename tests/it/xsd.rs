//! `--xsd FILE` (interfaces.md): the user's own schema replaces the built-in one for the files of
//! the degree it describes; its errors are translated like the built-in ones, the rules that
//! read limits from the schema take them from it, and no S007 is reported. The schemas here are
//! written by the tests from our own `schemas/` (never from the official files).

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lsu-lint-xsd-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Our own 10.0 schema with `from` replaced by `to` (once), written to `dir/name`.
fn edited_schema(dir: &Path, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(root().join("schemas/lsu-2d-10.0.xsd")).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from} not in our 10.0 schema");
        text = text.replacen(from, to, 1);
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn check(extra: &[&str], file: &Path) -> Value {
    let mut args = vec!["check", "--today", "2026-07-01", "--format", "json"];
    args.extend_from_slice(extra);
    let f = file.display().to_string();
    args.push(&f);
    let o = run(&args);
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn diags(v: &Value) -> Vec<Value> {
    v["files"][0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn of(v: &Value, code: &str) -> Vec<Value> {
    diags(v).into_iter().filter(|d| d["code"] == code).collect()
}

fn sample() -> PathBuf {
    root().join("corpus/valid/lsu-2d-10.0-complet.xml")
}

/// Start offsets of the elements named `name` (under `parent`) whose text exceeds `max`.
fn longer_than(text: &str, parent: &str, name: &str, max: usize) -> Vec<u64> {
    let doc = roxmltree::Document::parse(text).unwrap();
    doc.descendants()
        .filter(|n| n.tag_name().name() == name)
        .filter(|n| {
            n.parent_element()
                .is_some_and(|p| p.tag_name().name() == parent)
        })
        .filter(|n| n.text().unwrap_or("").chars().count() > max)
        .map(|n| n.range().start as u64)
        .collect()
}

#[test]
fn a_tightened_facet_is_reported_at_its_location() {
    let dir = tmpdir("tight");
    // The acquis appreciation and acquis-conseils type (Texte1000) limited to 30 characters.
    let xsd = edited_schema(
        &dir,
        "strict.xsd",
        &[(
            r#"<xs:simpleType name="Texte1000"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="1000"/>"#,
            r#"<xs:simpleType name="Texte1000"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="30"/>"#,
        )],
    );
    let text = std::fs::read_to_string(sample()).unwrap();
    let mut expected = longer_than(&text, "acquis", "appreciation", 30);
    expected.extend(longer_than(
        &text,
        "bilan-periodique",
        "acquis-conseils",
        30,
    ));
    expected.sort();
    assert!(expected.len() >= 3, "the sample has long texts");

    let builtin = check(&[], &sample());
    assert!(of(&builtin, "X001").is_empty(), "{builtin}");

    let v = check(&["--xsd", xsd.to_str().unwrap()], &sample());
    let x: Vec<Value> = of(&v, "X001");
    let mut starts: Vec<u64> = x.iter().filter_map(|d| d["start"].as_u64()).collect();
    starts.sort();
    assert_eq!(starts, expected, "{v}");
    for d in &x {
        let msg = d["message"].as_str().unwrap();
        assert!(
            msg.contains("limite de 30") && msg.contains("strict.xsd"),
            "{msg}"
        );
    }
    assert!(of(&v, "S007").is_empty());

    // An enumeration narrowed: the discipline's modalité « O » becomes S004 on its attribute.
    let xsd = edited_schema(
        &dir,
        "sans-o.xsd",
        &[(
            r#"<xs:enumeration value="S"/><xs:enumeration value="O"/>"#,
            r#"<xs:enumeration value="S"/>"#,
        )],
    );
    let v = check(&["--xsd", xsd.to_str().unwrap()], &sample());
    let s: Vec<Value> = of(&v, "S004");
    let at = text.find(r#"modalite-election="O""#).unwrap() as u64;
    assert!(
        s.iter()
            .any(|d| d["start"] == at && d["message"].as_str().unwrap().contains("« O »")),
        "{v}"
    );
}

#[test]
fn a_loosened_schema_clears_an_s002_and_s007() {
    let dir = tmpdir("loose");
    let text = std::fs::read_to_string(sample()).unwrap();
    // A newer format (13.0) adding an optional block after acquis-conseils.
    let newer = text
        .replacen(r#"schemaVersion="10.0""#, r#"schemaVersion="13.0""#, 1)
        .replacen(
            "</acquis-conseils>",
            "</acquis-conseils>\n        <bilan-nouveau>Bloc ajouté par le format 13.0.</bilan-nouveau>",
            1,
        );
    let file = dir.join("lsu-13.xml");
    std::fs::write(&file, &newer).unwrap();
    let builtin = check(&[], &file);
    let s002 = of(&builtin, "S002");
    assert_eq!(s002.len(), 1, "{builtin}");
    assert!(s002[0]["message"]
        .as_str()
        .unwrap()
        .contains("bilan-nouveau"));
    let s007 = of(&builtin, "S007");
    assert_eq!(s007.len(), 1, "{builtin}");
    assert!(
        s007[0]["message"]
            .as_str()
            .unwrap()
            .contains("schéma XSD officiel"),
        "S007 suggests giving the official schema: {}",
        s007[0]
    );

    let xsd = edited_schema(
        &dir,
        "lsu-13.0.xsd",
        &[
            (
                r#"<xs:enumeration value="10.0"/>"#,
                r#"<xs:enumeration value="10.0"/><xs:enumeration value="13.0"/>"#,
            ),
            (
                r#"<xs:element name="acquis-conseils" type="lsu:Texte1000"/>"#,
                r#"<xs:element name="acquis-conseils" type="lsu:Texte1000"/><xs:element name="bilan-nouveau" type="lsu:Texte600" minOccurs="0"/>"#,
            ),
        ],
    );
    let v = check(&["--xsd", xsd.to_str().unwrap()], &file);
    assert!(of(&v, "S002").is_empty(), "{v}");
    assert!(of(&v, "S007").is_empty(), "{v}");
    // Nothing else than what the 10.0 sample itself has.
    let base: Vec<Value> = diags(&check(&[], &sample()));
    assert_eq!(diags(&v).len(), base.len(), "{v}");
}

/// A code a newer schema adds (an enseignement de complément) is neither S004 nor C004 with it.
#[test]
fn codes_come_from_the_given_schema() {
    let dir = tmpdir("codes");
    let text = std::fs::read_to_string(sample()).unwrap();
    let file = dir.join("nouveau-code.xml");
    std::fs::write(
        &file,
        text.replacen(
            r#"<enseignement-complement code="LCA" positionnement="1"/>"#,
            r#"<enseignement-complement code="EXP" positionnement="1"/>"#,
            1,
        ),
    )
    .unwrap();
    let builtin = check(&[], &file);
    assert!(!of(&builtin, "C004").is_empty(), "{builtin}");
    let xsd = edited_schema(
        &dir,
        "codes.xsd",
        &[(
            r#"<xs:enumeration value="LVE"/></xs:restriction></xs:simpleType>"#,
            r#"<xs:enumeration value="LVE"/><xs:enumeration value="EXP"/></xs:restriction></xs:simpleType>"#,
        )],
    );
    let v = check(&["--xsd", xsd.to_str().unwrap()], &file);
    assert!(of(&v, "C004").is_empty(), "{v}");
    assert!(of(&v, "S004").is_empty(), "{v}");
}

#[test]
fn includes_resolve_relative_to_the_schema_never_over_the_network() {
    let dir = tmpdir("include");
    let text = std::fs::read_to_string(root().join("schemas/lsu-2d-10.0.xsd")).unwrap();
    // The text types move to types/textes.xsd, included by a relative path.
    let (moved, kept): (Vec<&str>, Vec<&str>) = text
        .lines()
        .partition(|l| l.trim_start().starts_with(r#"<xs:simpleType name="Texte"#));
    assert!(moved.len() >= 9);
    let open_end = text.find("attributeFormDefault=\"unqualified\">").unwrap()
        + "attributeFormDefault=\"unqualified\">".len();
    let header = &text[..open_end];
    std::fs::create_dir_all(dir.join("types")).unwrap();
    std::fs::write(
        dir.join("types/textes.xsd"),
        format!("{header}\n{}\n</xs:schema>\n", moved.join("\n")),
    )
    .unwrap();
    let main = kept.join("\n").replacen(
        "attributeFormDefault=\"unqualified\">",
        "attributeFormDefault=\"unqualified\">\n  <xs:include schemaLocation=\"types/textes.xsd\"/>",
        1,
    );
    let xsd = dir.join("principal.xsd");
    std::fs::write(&xsd, &main).unwrap();
    let elsewhere = tmpdir("include-cwd");
    let o = Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .current_dir(&elsewhere)
        .args([
            "check",
            "--today",
            "2026-07-01",
            "--format",
            "json",
            "--xsd",
            xsd.to_str().unwrap(),
            sample().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|_| {
        panic!("{}", String::from_utf8_lossy(&o.stderr));
    });
    let base = check(&[], &sample());
    assert_eq!(diags(&v).len(), diags(&base).len(), "{v}");

    // A network include is refused: exit 2, in French, naming the file.
    let net = main.replacen("types/textes.xsd", "http://example.invalid/textes.xsd", 1);
    let bad = dir.join("reseau.xsd");
    std::fs::write(&bad, net).unwrap();
    let o = run(&[
        "check",
        "--xsd",
        bad.to_str().unwrap(),
        sample().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("reseau.xsd") && err.contains("réseau"),
        "{err}"
    );
}

#[test]
fn a_schema_that_does_not_compile_is_exit_2_in_french() {
    let dir = tmpdir("broken");
    let xsd = edited_schema(
        &dir,
        "casse.xsd",
        &[(r#"type="lsu:Texte600""#, r#"type="lsu:TypeInexistant""#)],
    );
    for cmd in ["check", "fix", "split"] {
        let mut args = vec![cmd, "--xsd", xsd.to_str().unwrap()];
        let f = sample().display().to_string();
        args.push(&f);
        let out = dir.join("out");
        let o_s = out.display().to_string();
        match cmd {
            "fix" => args.extend(["-o", &o_s]),
            "split" => args.extend(["--by", "division", "-o", &o_s]),
            _ => {}
        }
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains("casse.xsd") && err.contains("ne se compile pas"),
            "{cmd}: {err}"
        );
    }
    // Not an LSU schema at all.
    let other = dir.join("autre.xsd");
    std::fs::write(
        &other,
        r#"<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="facture"/></xs:schema>"#,
    )
    .unwrap();
    let o = run(&[
        "check",
        "--xsd",
        other.to_str().unwrap(),
        sample().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("lsun-bilans"));
}

#[test]
fn the_schema_applies_to_its_degree_only_and_to_fix_and_split() {
    let dir = tmpdir("degree");
    let xsd = edited_schema(
        &dir,
        "strict.xsd",
        &[(
            r#"<xs:simpleType name="Texte1000"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="1000"/>"#,
            r#"<xs:simpleType name="Texte1000"><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="30"/>"#,
        )],
    );
    // A 1D file keeps the built-in 1D schema.
    let one_d = root().join("corpus/valid/lsu-1d-1.0-complet.xml");
    let a = check(&[], &one_d);
    let b = check(&["--xsd", xsd.to_str().unwrap()], &one_d);
    assert_eq!(diags(&a), diags(&b));
    // fix: the prose cut to the given limit is an unsafe fix; the output keeps no X001.
    let out = dir.join("corrige.xml");
    let o = run(&[
        "fix",
        "--unsafe-fixes",
        "--today",
        "2026-07-01",
        "--xsd",
        xsd.to_str().unwrap(),
        sample().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(out.exists(), "{}", String::from_utf8_lossy(&o.stderr));
    let v = check(&["--xsd", xsd.to_str().unwrap()], &out);
    assert!(of(&v, "X001").is_empty(), "{v}");
    // split re-checks each part against the given schema.
    let parts = dir.join("parts");
    let o = run(&[
        "split",
        "--today",
        "2026-07-01",
        "--xsd",
        xsd.to_str().unwrap(),
        sample().to_str().unwrap(),
        "--by",
        "division",
        "-o",
        parts.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.code() == Some(1), "{stdout}");
}

/// The official 10.0 schema given with `--xsd` gives the verdict of the built-in one on our
/// valid sample (oracle: read from ../shared or LSU_LINT_OFFICIAL_XSD, never copied).
#[test]
fn the_official_schema_given_with_xsd_agrees_on_the_valid_sample() {
    let Some(dir) = support::official_xsd_or_skip("official XSD given with --xsd") else {
        return;
    };
    let official = dir.join("2d-10.0/import-complet-strict.xsd");
    let v = check(&["--xsd", official.to_str().unwrap()], &sample());
    let base = check(&[], &sample());
    assert_eq!(v["summary"]["errors"], base["summary"]["errors"], "{v}");
    let schema_codes = |v: &Value| -> Vec<String> {
        diags(v)
            .iter()
            .filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with('S')))
            .map(|d| d["code"].to_string())
            .collect()
    };
    assert_eq!(schema_codes(&v), schema_codes(&base));
}

/// With the official schemas as oracle: every one is read (degree, versions) and compiles, and
/// P007 follows the one given — the 2017 revision requires element-programme-refs, the
/// 2019-2020 one does not.
#[test]
fn the_official_schemas_are_read_and_p007_follows_them() {
    let Some(dir) = support::official_xsd_or_skip("official schemas given with --xsd") else {
        return;
    };
    for (rel, degree) in [
        ("1d-1.0b/livret-scolaire_1d_schema_1.0b.xsd", "1d"),
        ("2d-3.0/livret-scolaire_2d_schema_3.0.xsd", "2d"),
        ("2d-3.0-lsu2020/import-bilan-complet.xsd", "2d"),
        ("2d-7.0/import-complet-strict.xsd", "2d"),
        ("2d-10.0/import-complet-strict.xsd", "2d"),
    ] {
        let u = lsu_lint::UserSchema::load(&dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(u.degree.as_str(), degree, "{rel}");
        assert!(!u.versions.is_empty(), "{rel}");
    }
    let file = root().join("corpus/fixtures/P007/clean-v3-2019-2020.xml");
    let old = dir.join("2d-3.0/livret-scolaire_2d_schema_3.0.xsd");
    let v = check(&["--xsd", old.to_str().unwrap()], &file);
    assert_eq!(of(&v, "P007").len(), 1, "{v}");
    let new = dir.join("2d-3.0-lsu2020/import-bilan-complet.xsd");
    let v = check(&["--xsd", new.to_str().unwrap()], &file);
    assert!(of(&v, "P007").is_empty(), "{v}");
}
