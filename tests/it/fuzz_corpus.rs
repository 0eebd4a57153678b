//! Replays the fuzz corpora through the fuzz targets' functions (`lsu_lint::fuzzing`): the seed
//! inputs made by the generator (`fuzz/seeds/<target>/`) and every input a fuzzing session
//! found failing, kept once fixed (`fuzz/regressions/<target>/`). Deterministic: no fuzzing here.

use std::path::Path;

#[test]
fn every_seed_and_regression_input_passes_its_target() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut seeds = 0;
    for (target, run) in lsu_lint::fuzzing::TARGETS {
        for kind in ["seeds", "regressions"] {
            let dir = root.join(kind).join(target);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                assert_eq!(kind, "regressions", "{} is missing", dir.display());
                continue;
            };
            let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
            files.sort();
            if kind == "seeds" {
                assert!(!files.is_empty(), "no seed for {target}");
                seeds += files.len();
            }
            for f in files {
                let data = std::fs::read(&f).unwrap();
                // A panic names the input that caused it.
                let r = std::panic::catch_unwind(|| run(&data));
                assert!(r.is_ok(), "{} fails its target {target}", f.display());
            }
        }
    }
    assert!(seeds >= lsu_lint::fuzzing::TARGETS.len());
}
