//! `check` in a vendor's CI (`interfaces.md` « CI »): stable finding identities, paths relative
//! to the working directory, SARIF valid against the 2.1.0 schema, JUnit, baselines, several
//! reports in one run, warnings that fail the run. Uses only the project's own corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The demo college: an export with typical defects, its reference data and LSU settings.
fn demo_export() -> PathBuf {
    root().join("corpus/demo/college/lsu-a-corriger.xml")
}

fn demo_config() -> String {
    root()
        .join("corpus/demo/college/lsu-lint.toml")
        .display()
        .to_string()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lsu-lint-ci-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Runs `lsu-lint` in `dir` (the working directory reports are relative to).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn check_demo(dir: &Path, format: &str) -> Output {
    run_in(
        dir,
        &[
            "check",
            "--today",
            "2026-07-10",
            "--config",
            &demo_config(),
            "--format",
            format,
            "export.xml",
        ],
    )
}

/// SARIF results: fingerprint → (rule, logical location).
fn sarif_fingerprints(v: &Value) -> Vec<(String, String, String)> {
    v["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["partialFingerprints"]["lsuLintIdentity/v1"]
                    .as_str()
                    .expect("fingerprint")
                    .to_string(),
                r["ruleId"].as_str().unwrap_or("").to_string(),
                r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

fn gitlab_fingerprints(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("code quality array")
        .iter()
        .map(|i| i["fingerprint"].as_str().expect("fingerprint").to_string())
        .collect()
}

fn distinct(v: &[String]) -> bool {
    v.iter().collect::<BTreeSet<_>>().len() == v.len()
}

#[test]
fn fingerprints_survive_a_line_and_a_pupil_added_above_every_finding() {
    let dir = tmpdir("fingerprints");
    let original = std::fs::read_to_string(demo_export()).expect("demo export");
    std::fs::write(dir.join("export.xml"), &original).unwrap();
    let sarif0 = json(&check_demo(&dir, "sarif"));
    let gitlab0 = json(&check_demo(&dir, "gitlab"));
    let fp0: Vec<String> = sarif_fingerprints(&sarif0)
        .into_iter()
        .map(|t| t.0)
        .collect();
    let gl0 = gitlab_fingerprints(&gitlab0);
    assert!(
        fp0.len() >= 20,
        "the demo export has many findings: {fp0:?}"
    );
    assert!(distinct(&fp0), "SARIF fingerprints are distinct: {fp0:?}");
    assert!(distinct(&gl0), "GitLab fingerprints are distinct: {gl0:?}");
    // One identity, computed once: both formats carry the same fingerprints.
    assert_eq!(
        fp0.iter().collect::<BTreeSet<_>>(),
        gl0.iter().collect::<BTreeSet<_>>()
    );
    // Locations name bilans by their pupil and period, not by their rank.
    let locations: Vec<String> = sarif_fingerprints(&sarif0)
        .into_iter()
        .map(|t| t.2)
        .collect();
    assert!(locations
        .iter()
        .any(|l| l.contains("bilan-periodique[@eleve-ref='") && l.contains("[@periode-ref='")));
    assert!(
        locations
            .iter()
            .all(|l| !l.contains("bilan-periodique[") || l.contains("bilan-periodique[@")),
        "{locations:?}"
    );

    // A comment line above everything.
    let decl_end = original.find("?>").expect("declaration") + 2;
    let with_line = format!(
        "{}\n<!-- une ligne ajoutée -->{}",
        &original[..decl_end],
        &original[decl_end..]
    );
    std::fs::write(dir.join("export.xml"), &with_line).unwrap();
    let sarif1 = json(&check_demo(&dir, "sarif"));
    let gitlab1 = json(&check_demo(&dir, "gitlab"));
    let lines0: Vec<u64> = sarif0["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        })
        .collect();
    let lines1: Vec<u64> = sarif1["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert!(
        lines0.iter().zip(&lines1).all(|(a, b)| b == &(a + 1)),
        "every finding moved one line down"
    );
    let fp1: Vec<String> = sarif_fingerprints(&sarif1)
        .into_iter()
        .map(|t| t.0)
        .collect();
    assert_eq!(
        fp0, fp1,
        "SARIF fingerprints unchanged by a line added above"
    );
    assert_eq!(
        gl0,
        gitlab_fingerprints(&gitlab1),
        "GitLab fingerprints unchanged by a line added above"
    );

    // A new pupil first in the list, above every pupil and bilan.
    let eleves = with_line.find("<eleves>").expect("eleves") + "<eleves>".len();
    let with_pupil = format!(
        "{}\n      <eleve id=\"EL_NOUVEAU\" id-be=\"1839999\" nom=\"NOUVEL\" prenom=\"Arrivé\" code-division=\"6A\"/>{}",
        &with_line[..eleves],
        &with_line[eleves..]
    );
    std::fs::write(dir.join("export.xml"), &with_pupil).unwrap();
    let sarif2 = json(&check_demo(&dir, "sarif"));
    let gitlab2 = json(&check_demo(&dir, "gitlab"));
    let fp2: BTreeSet<String> = sarif_fingerprints(&sarif2)
        .into_iter()
        .map(|t| t.0)
        .collect();
    for fp in &fp0 {
        assert!(
            fp2.contains(fp),
            "SARIF fingerprint {fp} lost by a pupil added above"
        );
    }
    let gl2: BTreeSet<String> = gitlab_fingerprints(&gitlab2).into_iter().collect();
    for fp in &gl0 {
        assert!(
            gl2.contains(fp),
            "GitLab fingerprint {fp} lost by a pupil added above"
        );
    }
    // Whatever is new concerns the new pupil only.
    for r in sarif2["runs"][0]["results"].as_array().unwrap() {
        let fp = r["partialFingerprints"]["lsuLintIdentity/v1"]
            .as_str()
            .unwrap();
        if !fp0.iter().any(|f| f == fp) {
            assert_eq!(r["properties"]["eleve"], "EL_NOUVEAU", "{r}");
        }
    }
    let all2: Vec<String> = sarif_fingerprints(&sarif2)
        .into_iter()
        .map(|t| t.0)
        .collect();
    assert!(distinct(&all2));
}

#[test]
fn equal_identities_are_told_apart_by_their_occurrence() {
    // Two identical bilans (same pupil, same period) with the same defect: one identity each.
    let dir = tmpdir("occurrence");
    let original = std::fs::read_to_string(demo_export()).unwrap();
    let start = original.find("<bilan-periodique ").expect("a bilan");
    let end = original[start..].find("</bilan-periodique>").unwrap() + start + 19;
    let bilan = &original[start..end];
    let broken = bilan.replacen("positionnement=\"", "positionnement=\"x", 1);
    assert_ne!(broken, bilan, "the first bilan has a positionnement");
    let text = format!(
        "{}{broken}\n{broken}{}",
        &original[..start],
        &original[end..]
    );
    std::fs::write(dir.join("export.xml"), text).unwrap();
    let v = json(&check_demo(&dir, "sarif"));
    let results = sarif_fingerprints(&v);
    let mut same_place: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (_, rule, place) in &results {
        *same_place.entry((rule.clone(), place.clone())).or_default() += 1;
    }
    assert!(
        same_place.values().any(|n| *n >= 2),
        "two findings of one rule at the same place: {same_place:?}"
    );
    let fps: Vec<String> = results.into_iter().map(|t| t.0).collect();
    assert!(distinct(&fps), "{fps:?}");
    let gl = gitlab_fingerprints(&json(&check_demo(&dir, "gitlab")));
    assert!(distinct(&gl), "{gl:?}");
}

#[test]
fn paths_are_relative_to_the_working_directory_and_sarif_is_valid() {
    let dir = tmpdir("paths");
    let sub = dir.join("exports");
    std::fs::create_dir_all(&sub).unwrap();
    let name = "export été,50%.xml";
    std::fs::copy(demo_export(), sub.join(name)).unwrap();
    // An absolute path below the working directory.
    let abs = sub.join(name);
    let o = run_in(
        &dir,
        &[
            "check",
            "--today",
            "2026-07-10",
            "--config",
            &demo_config(),
            "--format",
            "sarif",
            abs.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let sarif = json(&o);
    let run = &sarif["runs"][0];
    let loc = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "exports/export%20%C3%A9t%C3%A9%2C50%25.xml");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let inv = &run["invocations"][0];
    assert_eq!(inv["exitCode"], 1);
    assert_eq!(inv["executionSuccessful"], true);
    assert!(inv["startTimeUtc"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    assert!(inv["endTimeUtc"].is_string());
    for rule in run["tool"]["driver"]["rules"].as_array().unwrap() {
        let md = rule["help"]["markdown"].as_str().unwrap_or("");
        assert!(
            md.starts_with('#') && md.contains(rule["id"].as_str().unwrap()),
            "each rule's help is its page: {}",
            rule["id"]
        );
    }
    validate_sarif(&sarif);

    // `check .` names files without `./`, in every format.
    for (format, pick) in [
        ("gitlab", "/0/location/path"),
        ("json", "/files/0/path"),
        (
            "sarif",
            "/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri",
        ),
    ] {
        let o = run_in(
            &sub,
            &[
                "check",
                "--today",
                "2026-07-10",
                "--config",
                &demo_config(),
                "--format",
                format,
                ".",
            ],
        );
        let v = json(&o);
        let p = v.pointer(pick).and_then(Value::as_str).unwrap_or("");
        assert!(
            p == name || p == "export%20%C3%A9t%C3%A9%2C50%25.xml",
            "{format}: {p}"
        );
    }
    for format in ["concise", "github", "junit"] {
        let o = run_in(
            &sub,
            &["check", "--today", "2026-07-10", "--format", format, "."],
        );
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(!out.contains("./"), "{format}: {out}");
        assert!(out.contains("export été"), "{format}: {out}");
    }

    // A file outside the working directory keeps its absolute path, as a file URI.
    let elsewhere = tmpdir("paths-elsewhere");
    let o = run_in(
        &elsewhere,
        &[
            "check",
            "--today",
            "2026-07-10",
            "--format",
            "sarif",
            abs.to_str().unwrap(),
        ],
    );
    let v = json(&o);
    let uri = v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap_or("");
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/exports/export%20%C3%A9t%C3%A9%2C50%25.xml"),
        "{uri}"
    );
    validate_sarif(&v);
}

/// The official SARIF 2.1.0 JSON schema (tests/sarif/, see its README).
fn sarif_schema() -> Value {
    let text = std::fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json"))
        .expect("schema file");
    // The schema's `run.language` pattern has a stray `]`, a literal for ECMA-262 without the
    // `u` flag but an error for the strict check `jsonschema` applies to patterns before
    // compiling a schema. Escaping it keeps its meaning (lsu-lint never writes `language`).
    let stray = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    assert!(text.contains(stray), "the schema file is the official one");
    let text = text.replace(stray, r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$""#);
    serde_json::from_str(&text).expect("schema is JSON")
}

/// Validates a SARIF log against the official SARIF 2.1.0 JSON schema, formats included.
fn validate_sarif(sarif: &Value) {
    let schema = sarif_schema();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF invalid: {errors:#?}");
}

#[test]
fn the_sarif_check_catches_an_invalid_log() {
    // The validation above is a real one: a result without a message fails it.
    let mut v: Value = serde_json::json!({
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "A"}]}]
    });
    let validator = jsonschema::validator_for(&sarif_schema()).unwrap();
    assert!(!validator.is_valid(&v));
    v["runs"][0]["results"][0]["message"] = serde_json::json!({"text": "ok"});
    assert!(validator.is_valid(&v));
}

/// Error codes of the demo export checked alone.
fn demo_error_codes(dir: &Path) -> BTreeSet<String> {
    let o = run_in(
        dir,
        &[
            "check",
            "--today",
            "2026-07-10",
            "--format",
            "json",
            "export.xml",
        ],
    );
    let v = json(&o);
    v["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn junit_fails_only_on_errors_with_one_stable_case_per_file_and_rule() {
    let dir = tmpdir("junit");
    std::fs::copy(demo_export(), dir.join("export.xml")).unwrap();
    // Every error of the demo export turned into a warning: a warnings-only input.
    let codes = demo_error_codes(&dir);
    assert!(!codes.is_empty());
    let mut config = String::from("[severity]\n");
    for c in &codes {
        config.push_str(&format!("{c} = \"warning\"\n"));
    }
    std::fs::write(dir.join("lsu-lint.toml"), config).unwrap();
    let o = run_in(
        &dir,
        &[
            "check",
            "--today",
            "2026-07-10",
            "--format",
            "junit",
            "export.xml",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "warnings only: exit 0");
    let xml = String::from_utf8(o.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("JUnit is XML");
    let suites = doc.root_element();
    assert_eq!(suites.tag_name().name(), "testsuites");
    assert_eq!(suites.attribute("failures"), Some("0"));
    assert!(suites.attribute("time").is_some());
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0,
        "a warning is no failure: {xml}"
    );
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let mut names = BTreeMap::new();
    for c in &cases {
        let name = c.attribute("name").unwrap();
        assert!(
            !name.contains("ligne") && !name.chars().any(|ch| ch == ':'),
            "{name}"
        );
        assert!(c.attribute("time").is_some(), "{name} has a time");
        assert_eq!(c.attribute("classname"), Some("export.xml"));
        *names.entry(name.to_string()).or_insert(0) += 1;
    }
    assert!(names.values().all(|n| *n == 1), "one case per file × rule");
    // Rules that ran without finding anything are passing cases; the warnings are listed.
    assert!(cases.len() > codes.len());
    assert!(cases.iter().any(|c| c
        .children()
        .any(|n| n.has_tag_name("system-out") && n.text().unwrap_or("").contains("warning"))));

    // The same under --error-on-warnings: the cases with warnings fail, and so does the run.
    let o = run_in(
        &dir,
        &[
            "check",
            "--today",
            "2026-07-10",
            "--format",
            "junit",
            "--error-on-warnings",
            "export.xml",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let xml = String::from_utf8(o.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    assert!(failures >= codes.len(), "{xml}");
    assert_eq!(
        doc.root_element().attribute("failures"),
        Some(failures.to_string().as_str())
    );
}

#[test]
fn baseline_round_trip() {
    let dir = tmpdir("baseline");
    let original = std::fs::read_to_string(demo_export()).unwrap();
    std::fs::write(dir.join("export.xml"), &original).unwrap();
    let common = ["check", "--today", "2026-07-10", "--config", &demo_config()];
    let with = |extra: &[&str]| -> Output {
        let mut args: Vec<&str> = common.to_vec();
        args.extend_from_slice(extra);
        args.push("export.xml");
        run_in(&dir, &args)
    };
    // Write: the run reports as usual.
    let o = with(&["--format", "json", "--write-baseline", "lsu-baseline.json"]);
    assert_eq!(o.status.code(), Some(1));
    let first = json(&o);
    let n = first["files"][0]["diagnostics"].as_array().unwrap().len();
    let baseline: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("lsu-baseline.json")).unwrap())
            .expect("the baseline is JSON");
    let entries = baseline["findings"].as_array().expect("findings");
    assert_eq!(entries.len(), n);
    for e in entries {
        for k in [
            "file",
            "code",
            "kind",
            "path",
            "eleve",
            "division",
            "occurrence",
        ] {
            assert!(e.get(k).is_some(), "baseline field {k}: {e}");
        }
        assert_eq!(e["file"], "export.xml");
        assert!(e.get("line").is_none());
    }

    // Recheck: nothing left, anywhere, and exit 0.
    let o = with(&["--format", "json", "--baseline", "lsu-baseline.json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let v = json(&o);
    assert_eq!(v["files"][0]["diagnostics"].as_array().unwrap().len(), 0);
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["warnings"], 0);
    assert_eq!(v["summary"]["bilans_rejetes_estimes"], 0);
    assert_eq!(v["summary"]["causes"].as_array().unwrap().len(), 0);
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["message"].as_str().unwrap_or("").contains("déjà connues")));
    let sarif = json(&with(&[
        "--format",
        "sarif",
        "--baseline",
        "lsu-baseline.json",
    ]));
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(sarif["runs"][0]["invocations"][0]["exitCode"], 0);

    // A new defect, below a line added above everything: only it is reported.
    let target = "moyenne-eleve=\"7.97\"";
    let at = original.find(target).expect("a grade to break");
    let decl_end = original.find("?>").unwrap() + 2;
    let broken = format!(
        "{}\n<!-- nouvel export -->{}moyenne-eleve=\"7,97\"{}",
        &original[..decl_end],
        &original[decl_end..at],
        &original[at + target.len()..]
    );
    std::fs::write(dir.join("export.xml"), &broken).unwrap();
    let o = with(&["--format", "json", "--baseline", "lsu-baseline.json"]);
    let v = json(&o);
    let diags = v["files"][0]["diagnostics"].as_array().unwrap();
    assert!(!diags.is_empty(), "the new defect is reported");
    let new_at = broken.find("moyenne-eleve=\"7,97\"").unwrap() as u64;
    for d in diags {
        assert_eq!(d["start"], new_at, "only the new defect: {d}");
    }
    assert_eq!(
        v["summary"]["errors"].as_u64().unwrap()
            + v["summary"]["warnings"].as_u64().unwrap()
            + v["summary"]["infos"].as_u64().unwrap(),
        diags.len() as u64
    );

    // The configuration's `baseline` key does the same once for all.
    let toml = format!(
        "baseline = \"lsu-baseline.json\"\n[inputs]\nrefdata = \"{}\"\nsettings = \"{}\"\n",
        root().join("corpus/demo/college/refdata").display(),
        root()
            .join("corpus/demo/college/lsu-settings.toml")
            .display()
    );
    std::fs::write(dir.join("lsu-lint.toml"), toml).unwrap();
    let o = run_in(
        &dir,
        &[
            "check",
            "--today",
            "2026-07-10",
            "--format",
            "json",
            "export.xml",
        ],
    );
    assert_eq!(
        json(&o)["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .len(),
        diags.len()
    );

    // A baseline that is not one is exit 2, in French.
    std::fs::write(dir.join("faux.json"), "{pas du json").unwrap();
    let o = with(&["--baseline", "faux.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("ligne de base"));
}

#[test]
fn several_reports_in_one_run_beside_the_terminal_output() {
    let dir = tmpdir("outputs");
    std::fs::copy(demo_export(), dir.join("export.xml")).unwrap();
    let o = run_in(
        &dir,
        &[
            "check",
            "--today",
            "2026-07-10",
            "--format",
            "concise",
            "--output",
            "sarif=rapports/lsu.sarif",
            "--output",
            "junit=rapports/junit.xml",
            "--output",
            "gitlab=gl-code-quality-report.json",
            "--output",
            "html=rapport.html",
            "export.xml",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let terminal = String::from_utf8_lossy(&o.stdout);
    assert!(
        terminal.lines().all(|l| l.starts_with("export.xml:")),
        "{terminal}"
    );
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("rapports/lsu.sarif")).unwrap())
            .unwrap();
    assert_eq!(
        sarif["runs"][0]["results"].as_array().unwrap().len(),
        terminal.lines().count()
    );
    validate_sarif(&sarif);
    let junit = std::fs::read_to_string(dir.join("rapports/junit.xml")).unwrap();
    roxmltree::Document::parse(&junit).expect("JUnit XML");
    let gl: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("gl-code-quality-report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(gl.as_array().unwrap().len(), terminal.lines().count());
    assert!(std::fs::read_to_string(dir.join("rapport.html"))
        .unwrap()
        .contains("<html"));
    // No temporary file left beside the reports.
    let leftovers: Vec<String> = std::fs::read_dir(dir.join("rapports"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let o = run_in(&dir, &["check", "--output", "pdf=x.pdf", "export.xml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("inconnu"));
}

#[test]
fn warnings_can_fail_the_run() {
    let dir = tmpdir("gate");
    std::fs::copy(demo_export(), dir.join("export.xml")).unwrap();
    let codes = demo_error_codes(&dir);
    let mut config = String::from("[severity]\n");
    for c in &codes {
        config.push_str(&format!("{c} = \"warning\"\n"));
    }
    std::fs::write(dir.join("lsu-lint.toml"), &config).unwrap();
    let base = ["check", "--today", "2026-07-10", "--format", "json"];
    let go = |extra: &[&str]| {
        let mut a: Vec<&str> = base.to_vec();
        a.extend_from_slice(extra);
        a.push("export.xml");
        run_in(&dir, &a)
    };
    let o = go(&[]);
    assert_eq!(o.status.code(), Some(0));
    let warnings = json(&o)["summary"]["warnings"].as_u64().unwrap();
    assert!(warnings > 1);
    let many = warnings.to_string();
    let fewer = (warnings - 1).to_string();
    assert_eq!(go(&["--max-warnings", &many]).status.code(), Some(0));
    let o = go(&["--max-warnings", &fewer]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("avertissements") && err.contains(&fewer),
        "{err}"
    );
    assert_eq!(go(&["--error-on-warnings"]).status.code(), Some(1));
    // The same from the configuration.
    std::fs::write(
        dir.join("lsu-lint.toml"),
        format!("max-warnings = {fewer}\n{config}"),
    )
    .unwrap();
    assert_eq!(go(&[]).status.code(), Some(1));
}

#[test]
fn ci_options_are_documented() {
    let dir = tmpdir("help");
    let help = String::from_utf8(run_in(&dir, &["check", "--help"]).stdout).unwrap();
    for opt in [
        "--output <FORMAT=FICHIER>",
        "--baseline <FICHIER>",
        "--write-baseline <FICHIER>",
        "--error-on-warnings",
        "--max-warnings <N>",
    ] {
        assert!(help.contains(opt), "check --help lists {opt}: {help}");
    }
    let config = String::from_utf8(run_in(&dir, &["explain", "config"]).stdout).unwrap();
    for key in ["baseline", "max-warnings", "error-on-warnings"] {
        assert!(config.contains(key), "explain config lists {key}");
    }
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for s in [
        "--output",
        "--baseline",
        "--write-baseline",
        "--error-on-warnings",
        "--max-warnings",
        "cargo install --path .",
    ] {
        assert!(readme.contains(s), "README documents {s}");
    }
}

#[test]
fn no_progress_bar_in_a_pipe() {
    let dir = tmpdir("progress");
    for i in 0..25 {
        std::fs::copy(
            root().join("corpus/demo/college/lsu.xml"),
            dir.join(format!("export-{i:02}.xml")),
        )
        .unwrap();
    }
    let o = run_in(&dir, &["check", "--today", "2026-07-10", "."]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        !err.contains("fichiers") && !err.contains('\r') && !err.contains('\u{1b}'),
        "stderr is a pipe: no progress bar: {err:?}"
    );
}
