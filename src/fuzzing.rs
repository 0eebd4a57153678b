//! What must hold for any input, as functions: the fuzz targets of `fuzz/` call them on the
//! fuzzer's bytes, and `tests/it/fuzz_corpus.rs` replays the seed and crash corpora through them
//! (deterministic, in every test run). A violated property panics.

use std::path::Path;
use std::sync::OnceLock;

use crate::engine::{Engine, EngineBuilder};
use crate::fix::{fix_source, FixOptions, MAX_PASSES};
use crate::refdata::{read, settings, Kind, RefData};
use crate::source::SourceFile;

/// One engine for every input: no reference data, a fixed date.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or_default();
        EngineBuilder::default()
            .today(today)
            .build()
            .unwrap_or_else(|e| panic!("the default engine builds: {e}"))
    })
}

/// `check` then `fix` (unsafe fixes included) on any bytes: no panic; every finding and every
/// edit lies within the file; a fix run that applied nothing leaves the bytes alone; and a
/// second fix run changes nothing more (fix converges in one run).
pub fn check_and_fix(data: &[u8]) {
    let engine = engine();
    let report = engine.check_owned("fuzz.xml".into(), data.to_vec());
    for d in &report.diagnostics {
        assert!(
            d.start <= d.end && d.end <= data.len(),
            "{} outside the file: {}..{} of {}",
            d.code,
            d.start,
            d.end,
            data.len()
        );
        if let Some(f) = &d.fix {
            for e in &f.edits {
                assert!(
                    e.start <= e.end && e.end <= data.len(),
                    "{} edit outside the file",
                    d.code
                );
            }
        }
    }
    let opts = FixOptions { unsafe_fixes: true };
    let once = fix_source(engine, &SourceFile::new("fuzz.xml", data.to_vec()), opts);
    if once.applied.is_empty() {
        assert_eq!(
            once.output, data,
            "bytes changed by a run that applied nothing"
        );
    }
    if once.passes < MAX_PASSES {
        let twice = fix_source(
            engine,
            &SourceFile::new("fuzz.xml", once.output.clone()),
            opts,
        );
        assert!(
            twice.applied.is_empty(),
            "a second fix run still applied {:?}",
            twice
                .applied
                .iter()
                .map(|a| (a.code, a.title.as_str()))
                .collect::<Vec<_>>()
        );
    }
}

/// A reference file of `kind` (zipped or not): read or refused, never a panic.
pub fn load_reference(kind: Kind, data: &[u8]) {
    let path = Path::new("reference");
    if let Ok(un) = read::unpack(data, path) {
        let mut refdata = RefData::default();
        let _ = refdata.load_bytes(kind, &un.bytes, path);
    }
}

/// An LSU settings file: read or refused, never a panic.
pub fn load_settings(data: &[u8]) {
    let _ = settings::from_bytes(data, Path::new("lsu-settings.toml"));
}

/// A target's property, run on one input.
pub type Target = fn(&[u8]);

/// The targets by name, for the corpus replay (`fuzz/seeds/<name>/`, `fuzz/regressions/<name>/`).
pub const TARGETS: &[(&str, Target)] = &[
    ("check_fix", check_and_fix),
    ("siecle", |d| load_reference(Kind::Siecle, d)),
    ("nomenclature", |d| load_reference(Kind::Nomenclature, d)),
    ("sts", |d| load_reference(Kind::Sts, d)),
    ("onde", |d| load_reference(Kind::Onde, d)),
    ("communs", |d| load_reference(Kind::Communs, d)),
    ("settings", load_settings),
];
