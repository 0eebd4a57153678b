//! Properties of `fix`: fixing twice changes nothing more; a fixed file re-checks with no
//! remaining fixable finding of the applied level (unless the fix was refused, and said so);
//! no fix adds an error; bytes no edit touches stay identical; and on files with injected
//! defects, the output validates against the official XSD and no longer shows the fixed codes.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use lsu_lint::catalogue::Severity;
use lsu_lint::cli::CommonArgs;
use lsu_lint::engine::{Engine, FileReport};
use lsu_lint::fix::{allowed, fix_source, FixOptions, FixOutcome};
use lsu_lint::schema::CustomSchema;
use lsu_lint::source::SourceFile;
use proptest::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn engine(today: &str) -> Engine {
    let common = CommonArgs {
        today: Some(today.into()),
        ..CommonArgs::default()
    };
    common.builder().and_then(|b| b.build()).expect("engine")
}

fn errors(r: &FileReport) -> BTreeMap<lsu_lint::catalogue::Code, usize> {
    let mut m = BTreeMap::new();
    for d in r
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
    {
        *m.entry(d.code).or_insert(0) += 1;
    }
    m
}

/// Independent check that `after` is `before` with exactly the edits applied: every byte
/// between edits is the same, at its shifted place.
fn untouched_bytes_identical(
    before: &[u8],
    after: &[u8],
    edits: &[lsu_lint::diagnostic::Edit],
) -> Result<(), String> {
    let mut shift: isize = 0;
    let mut prev_end = 0usize;
    for e in edits {
        if e.start < prev_end || e.end < e.start || e.end > before.len() {
            return Err(format!("bad edit {e:?}"));
        }
        let seg = &before[prev_end..e.start];
        let at = (prev_end as isize + shift) as usize;
        if after.get(at..at + seg.len()) != Some(seg) {
            return Err(format!(
                "bytes {}..{} changed outside any edit",
                prev_end, e.start
            ));
        }
        shift += e.replacement.len() as isize - (e.end - e.start) as isize;
        prev_end = e.end;
    }
    let tail = &before[prev_end..];
    let at = (prev_end as isize + shift) as usize;
    if after.get(at..) != Some(tail) {
        return Err("tail changed".into());
    }
    Ok(())
}

fn check_outcome(engine: &Engine, name: &str, original: &[u8], o: &FixOutcome, opts: FixOptions) {
    // Untouched bytes: replay the passes.
    let mut cur = original.to_vec();
    for (i, edits) in o.pass_edits.iter().enumerate() {
        let next = lsu_lint::fix::apply_edits(&cur, &edits.iter().collect::<Vec<_>>());
        if let Err(e) = untouched_bytes_identical(&cur, &next, edits) {
            panic!("{name}: pass {i}: {e}");
        }
        cur = next;
    }
    assert_eq!(cur, o.output, "{name}: the passes' edits make the output");
    // No new error.
    let before = engine.check_source(&SourceFile::new(name, original.to_vec()));
    let (b, a) = (errors(&before), errors(&o.remaining));
    for (code, n) in &a {
        assert!(
            *n <= b.get(code).copied().unwrap_or(0),
            "{name}: fix added {code} errors ({:?} → {n})",
            b.get(code)
        );
    }
    // Nothing fixable of this level remains, except fixes refused and reported.
    for d in &o.remaining.diagnostics {
        if let Some(f) = &d.fix {
            if allowed(f, opts) {
                assert!(
                    o.dropped
                        .iter()
                        .any(|x| x.code == d.code && x.title == f.title),
                    "{name}: {} still fixable after fix ({}): {}",
                    d.code,
                    f.title,
                    d.message
                );
            }
        }
    }
    // Idempotence.
    let again = fix_source(engine, &SourceFile::new(name, o.output.clone()), opts);
    assert_eq!(
        again.output, o.output,
        "{name}: fixing twice changed the file"
    );
}

fn fixtures() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in std::fs::read_dir(root().join("corpus/fixtures"))
        .into_iter()
        .flatten()
        .flatten()
    {
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let p = f.path();
            if p.extension().is_some_and(|e| e == "xml") {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

#[test]
fn fixing_every_fixture_is_safe_idempotent_and_local() {
    let engine = engine("2026-06-30");
    let mut fixed_files = 0;
    for p in fixtures() {
        let bytes = std::fs::read(&p).expect("fixture");
        let name = p.display().to_string();
        for opts in [
            FixOptions {
                unsafe_fixes: false,
            },
            FixOptions { unsafe_fixes: true },
        ] {
            let o = fix_source(&engine, &SourceFile::new(name.clone(), bytes.clone()), opts);
            if o.changed() {
                fixed_files += 1;
            }
            check_outcome(&engine, &name, &bytes, &o, opts);
        }
    }
    assert!(
        fixed_files > 50,
        "only {fixed_files} fixture runs changed anything"
    );
}

/// One injectable defect on the 10.0 sample: (needle, replacement, code it raises).
const INJECTIONS: &[(&str, &str, &str)] = &[
    ("moyenne-eleve=\"14.5\"", "moyenne-eleve=\"14,5\"", "P003"),
    (
        "Bon trimestre, participation régulière.",
        "Bon trimestre,&#13;participation régulière.",
        "X003",
    ),
    ("id-sts=\"1002\"", "id-sts=\"P1002\"", "T001"),
    ("modalite-election=\"O\"", "modalite-election=\"o\"", "S004"),
    ("nom=\"Lefèvre\"", "nom=\"Lefe\u{300}vre\"", "E005"),
    (
        "date-conseil-classe=\"2025-12-04\"",
        "date-conseil-classe=\"04/12/2025\"",
        "S005",
    ),
    (
        "date-scolarite=\"2025-09-01\"",
        "date-scolarite=\"2025-08-28\"",
        "D001",
    ),
    ("prof-princ-refs=\"ENS_1\"", "prof-princ-refs=\"\"", "R003"),
    (
        "libelle=\"Technologie\"",
        "libelle=\"  Technologie\"",
        "X005",
    ),
];

/// The official 10.0 schema (test oracle), or None when absent (said once).
fn official_10() -> Option<CustomSchema> {
    static SAID: std::sync::Once = std::sync::Once::new();
    let Some(dir) = support::official_xsd_dir() else {
        SAID.call_once(|| {
            let _ = support::official_xsd_or_skip("fixed files against the official XSD");
        });
        return None;
    };
    let p = dir.join("2d-10.0/import-complet-strict.xsd");
    let xsd = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    Some(CustomSchema::compile(&xsd).expect("official XSD compiles"))
}

fn sample() -> String {
    std::fs::read_to_string(root().join("corpus/valid/lsu-2d-10.0-complet.xml")).expect("sample")
}

fn inject(mut text: String, picks: &[usize], bom: bool) -> String {
    for &i in picks {
        let (needle, repl, _) = INJECTIONS[i];
        text = text.replacen(needle, repl, 1);
    }
    if bom {
        text.insert(0, '\u{feff}');
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn injected_defects_are_fixed_into_a_valid_file(
        picks in proptest::sample::subsequence((0..INJECTIONS.len()).collect::<Vec<_>>(), 1..=INJECTIONS.len()),
        bom in any::<bool>(),
    ) {
        let engine = engine("2026-01-15");
        let schema = official_10();
        let text = inject(sample(), &picks, bom);
        let before = engine.check_source(&SourceFile::new("injecte.xml", text.clone().into_bytes()));
        for &i in &picks {
            let code = INJECTIONS[i].2;
            prop_assert!(before.diagnostics.iter().any(|d| d.code == code), "{} not raised by its injection", code);
        }
        let opts = FixOptions { unsafe_fixes: true };
        let o = fix_source(&engine, &SourceFile::new("injecte.xml", text.clone().into_bytes()), opts);
        check_outcome(&engine, "injecte.xml", text.as_bytes(), &o, opts);
        let out = String::from_utf8(o.output.clone()).expect("UTF-8 output");
        if let Some(schema) = &schema {
            let errs = schema.validate(&out).expect("validation runs");
            prop_assert!(errs.is_empty(), "official XSD errors after fix: {:?}", errs);
        }
        for &i in &picks {
            let code = INJECTIONS[i].2;
            prop_assert!(!o.remaining.diagnostics.iter().any(|d| d.code == code), "{} remains after fix", code);
        }
        if bom {
            prop_assert!(!out.starts_with('\u{feff}'), "BOM kept");
        }
    }
}

#[test]
fn the_injection_list_is_usable() {
    let s = sample();
    for (needle, _, code) in INJECTIONS {
        assert!(
            s.contains(needle),
            "{code}: needle {needle} missing from the sample"
        );
    }
    assert!(Path::new(&root().join("corpus/valid")).is_dir());
}

#[test]
fn a_windows_1252_export_is_transcoded_back_to_the_same_utf8_file() {
    // Only the encoding family: the sample's other (safe) findings would be fixed too.
    let common = CommonArgs {
        today: Some("2026-06-30".into()),
        select: vec!["E".into()],
        ..CommonArgs::default()
    };
    let engine = common.builder().and_then(|b| b.build()).expect("engine");
    let utf8 = sample();
    let (latin, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&utf8);
    assert!(!unmappable);
    let latin = latin.into_owned();
    assert_ne!(latin, utf8.as_bytes());
    let name = "latin.xml";
    let safe = fix_source(
        &engine,
        &SourceFile::new(name, latin.clone()),
        FixOptions {
            unsafe_fixes: false,
        },
    );
    assert!(
        !safe.changed(),
        "E002's transcoding is unsafe: not applied without --unsafe-fixes"
    );
    let o = fix_source(
        &engine,
        &SourceFile::new(name, latin.clone()),
        FixOptions { unsafe_fixes: true },
    );
    assert!(
        o.output == utf8.as_bytes(),
        "not transcoded back byte for byte"
    );
    assert_eq!(o.applied.len(), 1, "one fix for every invalid sequence");
    assert!(!o.remaining.diagnostics.iter().any(|d| d.code == "E002"));
}
