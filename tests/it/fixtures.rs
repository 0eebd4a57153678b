//! Rule fixtures: `corpus/fixtures/<CODE>/trigger*.xml` must raise CODE, `clean*.xml` must not.
//!
//! A fixture may carry a directive anywhere in its first 4 KiB, in an XML comment:
//! `lsu-lint-test: today=2026-01-15 count=3 settings=settings.toml refdata=refdata config=c.toml`
//! (on one line; paths relative to the fixture's folder; `today` defaults to 2026-01-15; `count` asks for
//! exactly that many findings of the code, else at least one).
//!
//! `xsd=<schema>+require:<element>@<attribute>` checks the fixture with `--xsd` against a schema
//! the test writes: a copy of `schemas/<schema>` (our own schema, never an official file) where
//! that attribute of that element is made required.

use std::path::{Path, PathBuf};

use lsu_lint::engine::EngineBuilder;
use lsu_lint::refdata::{Kind, Source};
use lsu_lint::source::SourceFile;

pub struct Directive {
    pub today: String,
    pub count: Option<usize>,
    /// The engine of the fixture's options, built with the library's builder.
    pub builder: EngineBuilder,
    /// Those options as `check` would take them, paths relative to the repository (snapshots).
    pub shown: Vec<String>,
}

pub fn directive(path: &Path, bytes: &[u8]) -> Directive {
    let dir = path.parent().unwrap_or(Path::new("."));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head);
    let mut today = "2026-01-15".to_string();
    let mut count = None;
    let mut b = EngineBuilder::default();
    let mut shown = Vec::new();
    if let Some(p) = head.find("lsu-lint-test:") {
        let rest = &head[p + "lsu-lint-test:".len()..];
        let rest = rest
            .split("-->")
            .next()
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("");
        for kv in rest.split_whitespace() {
            let Some((k, v)) = kv.split_once('=') else {
                continue;
            };
            let file = dir.join(v);
            let rel = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .to_string_lossy()
                .into_owned();
            let path_of = || Source::Path(file.clone());
            b = match k {
                "today" => {
                    today = v.to_string();
                    continue;
                }
                "count" => {
                    count = v.parse().ok();
                    continue;
                }
                "settings" => b.settings(path_of()),
                "refdata" => b.refdata_dir(file.clone()),
                "siecle" => b.reference(Kind::Siecle, path_of()),
                "nomenclature" => b.reference(Kind::Nomenclature, path_of()),
                "sts" => b.reference(Kind::Sts, path_of()),
                "onde" => b.reference(Kind::Onde, path_of()),
                "communs" => b.reference(Kind::Communs, path_of()),
                "config" => b.discover_config(Some(file.clone())),
                "select" => b.select(v.split(',').map(str::to_string).collect()),
                "xsd" => {
                    shown.push(format!("--xsd <{v}>"));
                    b.xsd(Some(test_made_xsd(v)))
                }
                other => panic!("{}: unknown directive key {other}", path.display()),
            };
            if k != "xsd" {
                let value = if k == "select" { v.to_string() } else { rel };
                shown.push(format!("--{k} {value}"));
            }
        }
    }
    let date = chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d")
        .unwrap_or_else(|e| panic!("{}: today={today}: {e}", path.display()));
    Directive {
        builder: b.today(date),
        today,
        count,
        shown,
    }
}

/// Writes the schema a fixture's `xsd=` directive describes, and returns its path.
pub fn test_made_xsd(spec: &str) -> PathBuf {
    let mut parts = spec.split('+');
    let base = parts.next().unwrap_or_default();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = std::fs::read_to_string(root.join("schemas").join(base))
        .unwrap_or_else(|e| panic!("schemas/{base}: {e}"));
    for edit in parts {
        let Some((element, attr)) = edit
            .strip_prefix("require:")
            .and_then(|r| r.split_once('@'))
        else {
            panic!("unknown xsd edit {edit}");
        };
        let at = text
            .find(&format!("name=\"{element}\""))
            .unwrap_or_else(|| panic!("{base} declares no {element}"));
        let decl = format!("<xs:attribute name=\"{attr}\"");
        let a = at
            + text[at..]
                .find(&decl)
                .unwrap_or_else(|| panic!("{base}: no {attr} after {element}"));
        text.insert_str(a + decl.len(), " use=\"required\"");
    }
    let dir = std::env::temp_dir().join(format!("lsu-lint-fixture-xsd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{}.xsd", spec.replace(['+', ':', '@', '/'], "_")));
    // Tests of this file run in parallel: written aside, then renamed (atomic).
    let tmp = path
        .with_extension(format!("{:?}.tmp", std::thread::current().id()).replace(['(', ')'], ""));
    std::fs::write(&tmp, text).expect("write the test-made schema");
    std::fs::rename(&tmp, &path).expect("rename the test-made schema");
    path
}

/// Runs a fixture and returns the codes found (with their messages, for failure output).
pub fn run(path: &Path) -> Vec<(String, String)> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let d = directive(path, &bytes);
    let engine = d
        .builder
        .clone()
        .build()
        .unwrap_or_else(|e| panic!("{}: cannot build engine: {e}", path.display()));
    let report = engine.check_source(&SourceFile::new(path.display().to_string(), bytes));
    report
        .diagnostics
        .iter()
        .map(|x| {
            (
                x.code.to_string(),
                format!("{}:{} {}", x.line, x.column, x.message),
            )
        })
        .collect()
}

pub fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|r| {
            r.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

pub fn fixture_files(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.path())
                .filter(|p| {
                    let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                    n.starts_with(prefix) && n.ends_with(".xml") && !n.contains(".fixed")
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn every_fixture_behaves() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in fixture_dirs() {
        let code = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        for f in fixture_files(&dir, "trigger") {
            checked += 1;
            let bytes = std::fs::read(&f).unwrap_or_default();
            let want = directive(&f, &bytes).count;
            let found = run(&f);
            let n = found.iter().filter(|(c, _)| *c == code).count();
            let ok = match want {
                Some(w) => n == w,
                None => n >= 1,
            };
            if !ok {
                failures.push(format!(
                    "{}: expected {} {code}, found {n}; all findings: {found:?}",
                    f.display(),
                    want.map(|w| w.to_string()).unwrap_or_else(|| "≥1".into())
                ));
            }
        }
        for f in fixture_files(&dir, "clean") {
            checked += 1;
            let found = run(&f);
            let bad: Vec<_> = found.iter().filter(|(c, _)| *c == code).collect();
            if !bad.is_empty() {
                failures.push(format!(
                    "{}: must not raise {code}, got {bad:?}",
                    f.display()
                ));
            }
        }
    }
    assert!(checked > 0, "no fixture found under corpus/fixtures");
    assert!(
        failures.is_empty(),
        "{} fixture failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every finding of every fixture names a kind its rule declares, and a rule whose LSU reaction
/// is only reported or inferred (confidence R or I) never states it as certain.
#[test]
fn fixture_findings_have_declared_kinds_and_hedged_predictions() {
    use lsu_lint::catalogue::Confidence;
    let mut problems = Vec::new();
    for dir in fixture_dirs() {
        for f in fixture_files(&dir, "trigger")
            .into_iter()
            .chain(fixture_files(&dir, "clean"))
        {
            let bytes = std::fs::read(&f).unwrap_or_default();
            let d = directive(&f, &bytes);
            let engine = d
                .builder
                .clone()
                .build()
                .unwrap_or_else(|e| panic!("{}: cannot build engine: {e}", f.display()));
            let report = engine.check_source(&SourceFile::new(f.display().to_string(), bytes));
            for x in &report.diagnostics {
                let meta = x.meta();
                if meta.kind(x.kind).is_none() {
                    problems.push(format!(
                        "{}: {} emits kind {:?}, not among its KINDS",
                        f.display(),
                        x.code,
                        x.kind
                    ));
                }
                if meta.confidence != Confidence::C && !hedged(&x.message) {
                    problems.push(format!(
                        "{}: {} (confidence {:?}) states LSU's reaction as certain: {}",
                        f.display(),
                        x.code,
                        meta.confidence,
                        x.message
                    ));
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Whether a message predicting a rejection hedges it (« LSU rejette probablement… »).
fn hedged(message: &str) -> bool {
    let m = message.to_lowercase();
    let certain = [
        "rejettera",
        "sera rejeté",
        "seront rejeté",
        "refusera",
        "sera refusé",
    ];
    if !certain.iter().any(|c| m.contains(c)) {
        return true;
    }
    [
        "probablement",
        "sans doute",
        "risque",
        "peut-être",
        "pourrait",
        "vraisemblablement",
    ]
    .iter()
    .any(|h| m.contains(h))
}

/// The kinds of one code found in a fixture, sorted and deduplicated.
fn kinds_of(path: &Path, code: &str) -> Vec<&'static str> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let d = directive(path, &bytes);
    let engine = d
        .builder
        .clone()
        .build()
        .unwrap_or_else(|e| panic!("{}: cannot build engine: {e}", path.display()));
    let report = engine.check_source(&SourceFile::new(path.display().to_string(), bytes));
    let mut k: Vec<&'static str> = report
        .diagnostics
        .iter()
        .filter(|x| x.code == code)
        .map(|x| x.kind)
        .collect();
    k.sort_unstable();
    k.dedup();
    k
}

/// A finding takes the variant that says where it is corrected: the fixtures of the rules with
/// several kinds land on the expected ones (the file-level, schema-level, text, reference,
/// duplicate, batch and cycle families).
#[test]
fn fixture_findings_take_the_kind_of_their_variant() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures");
    let cases: &[(&str, &str, &[&str])] = &[
        ("S001/trigger-root.xml", "S001", &["format-inconnu"]),
        ("S001/trigger-obsolete.xml", "S001", &["version-obsolete"]),
        ("S004/trigger-case.xml", "S004", &["casse-ou-espaces"]),
        (
            "S004/trigger-modalite-election.xml",
            "S004",
            &["code-inconnu"],
        ),
        ("S005/trigger-date.xml", "S005", &["date-a-reformater"]),
        ("S005/trigger-id.xml", "S005", &["valeur-mal-formee"]),
        ("R003/trigger-1d.xml", "R003", &["liste-facultative"]),
        (
            "R003/trigger-1d-required.xml",
            "R003",
            &["liste-obligatoire"],
        ),
        ("R006/trigger-v10.xml", "R006", &["sans-bilan"]),
        (
            "I005/trigger-1d-other-class.xml",
            "I005",
            &["classe-differente-onde"],
        ),
        (
            "I005/trigger-1d-unknown-in-onde.xml",
            "I005",
            &["ine-inconnu-onde"],
        ),
        (
            "R006/trigger-v10-variant.xml",
            "R006",
            &["code-division-different"],
        ),
        (
            "R005/trigger-v10-couple.xml",
            "R005",
            &["discipline-hors-dispositif"],
        ),
        ("U001/trigger-v10.xml", "U001", &["doublon-different"]),
        (
            "U001/trigger-v10-identical.xml",
            "U001",
            &["doublon-identique"],
        ),
        ("X001/trigger-v10-libelle.xml", "X001", &["libelle"]),
        (
            "X001/trigger-v10-appreciation.xml",
            "X001",
            &["appreciation"],
        ),
        ("X002/trigger-v10-required.xml", "X002", &["obligatoire"]),
        (
            "B001/trigger-1d-maternelle.xml",
            "B001",
            &["classe-maternelle"],
        ),
        (
            "B001/trigger-1d-disciplines.xml",
            "B001",
            &["degres-melanges"],
        ),
        (
            "B003/trigger-2d-v10-file.xml",
            "B003",
            &["plusieurs-divisions"],
        ),
        (
            "B003/trigger-2d-v10-siecle.xml",
            "B003",
            &["division-siecle"],
        ),
        ("C004/trigger-v10-absent.xml", "C004", &["absent"]),
        (
            "C004/trigger-v10-auc-level.xml",
            "C004",
            &["aucun-superflu"],
        ),
        ("C004/trigger-v10-nolevel.xml", "C004", &["invalide"]),
        (
            "C005/trigger-v3-seven.xml",
            "C005",
            &["incomplet-facultatif"],
        ),
        ("C005/trigger-v10-dup.xml", "C005", &["composante-invalide"]),
        ("E001/trigger-v10-entity.xml", "E001", &["entite-html"]),
        ("E004/trigger-v10-bom.xml", "E004", &["bom"]),
        ("E004/trigger-v10-encoding.xml", "E004", &["declaration"]),
    ];
    let mut problems = Vec::new();
    for (file, code, expected) in cases {
        let got = kinds_of(&root.join(file), code);
        if got != *expected {
            problems.push(format!(
                "{file}: {code} kinds {got:?}, expected {expected:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A rule's fixes agree with its declared fix class, kind by kind (`RuleMeta::fix_class_of`; as
/// ruff refuses « marked as non-fixable but it created a fix »): `none` emits no fix, `suggest`
/// only explanations (display-only, no edit), `safe` only safe edits and `unsafe` only unsafe
/// ones — both may explain instead when they cannot repair; an applicable fix has edits and an
/// explanation has none. Checked on every fixture and on the demo exports; and a rule declared
/// `safe` or `unsafe` does fix at least one of its trigger fixtures.
#[test]
fn emitted_fixes_match_the_declared_fix_class() {
    use lsu_lint::catalogue::FixClass;
    use lsu_lint::diagnostic::Applicability;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut runs: Vec<(PathBuf, EngineBuilder)> = Vec::new();
    for dir in fixture_dirs() {
        for f in fixture_files(&dir, "trigger")
            .into_iter()
            .chain(fixture_files(&dir, "clean"))
        {
            let bytes = std::fs::read(&f).unwrap_or_default();
            runs.push((f.clone(), directive(&f, &bytes).builder));
        }
    }
    let demo_day = chrono::NaiveDate::from_ymd_opt(2026, 7, 10).expect("a date");
    for school in ["college", "ecole"] {
        let dir = root.join("corpus/demo").join(school);
        let builder = EngineBuilder::default()
            .discover_config(Some(dir.join("lsu-lint.toml")))
            .today(demo_day);
        for f in fixture_files(&dir, "lsu") {
            runs.push((f, builder.clone()));
        }
    }
    assert!(runs.len() > 300, "only {} files checked", runs.len());
    let mut problems = Vec::new();
    let mut fixed_somewhere = std::collections::BTreeSet::new();
    let mut fixes_seen = 0;
    for (f, builder) in runs {
        let bytes = std::fs::read(&f).unwrap_or_default();
        let engine = builder
            .build()
            .unwrap_or_else(|e| panic!("{}: cannot build engine: {e}", f.display()));
        let report = engine.check_source(&SourceFile::new(f.display().to_string(), bytes));
        for x in &report.diagnostics {
            let class = x.meta().fix_class_of(x.kind);
            let Some(fix) = &x.fix else { continue };
            fixes_seen += 1;
            let edits = !fix.edits.is_empty();
            if edits && f.starts_with(root.join("corpus/fixtures")) {
                fixed_somewhere.insert(x.code);
            }
            let shape_ok = match fix.applicability {
                Applicability::DisplayOnly => !edits,
                Applicability::Safe | Applicability::Unsafe => edits,
            };
            let class_ok = match (class, fix.applicability) {
                (FixClass::None, _) => false,
                (_, Applicability::DisplayOnly) => true,
                (FixClass::Suggest, _) => false,
                (FixClass::Safe, a) => a == Applicability::Safe,
                (FixClass::Unsafe, a) => a == Applicability::Unsafe,
            };
            if !(shape_ok && class_ok) {
                problems.push(format!(
                    "{}: {} (kind {}) is declared {:?} but emitted a {:?} fix with {} edit(s) « {} »",
                    f.display(),
                    x.code,
                    x.kind,
                    class,
                    fix.applicability,
                    fix.edits.len(),
                    fix.title
                ));
            }
        }
    }
    assert!(fixes_seen > 100, "only {fixes_seen} fixes seen");
    for m in lsu_lint::catalogue::CATALOGUE {
        // Split codes are repaired by `lsu-lint split`, not by edits (tests/it/split_properties.rs).
        if matches!(m.fix_class, FixClass::Safe | FixClass::Unsafe)
            && !m.fixed_by_split()
            && !fixed_somewhere.contains(&m.code)
        {
            problems.push(format!(
                "{} is declared {:?} but no fixture shows its fix",
                m.code, m.fix_class
            ));
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// P007's placeholder is inserted as plain UTF-8 text, not as character references (rules run
/// only on UTF-8 files).
#[test]
fn p007_placeholder_is_plain_text() {
    use lsu_lint::fix::{fix_source, FixOptions};
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/fixtures/P007/trigger-v3-xsd-required.xml");
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let d = directive(&path, &bytes);
    let engine = d
        .builder
        .clone()
        .build()
        .unwrap_or_else(|e| panic!("{}: cannot build engine: {e}", path.display()));
    let out = fix_source(
        &engine,
        &SourceFile::new("p007.xml".to_string(), bytes),
        FixOptions { unsafe_fixes: true },
    );
    let text = String::from_utf8_lossy(&out.output);
    assert!(
        text.contains(r#"libelle="Élément de programme non renseigné""#),
        "{text}"
    );
    assert!(!text.contains("&#"), "{text}");
}
