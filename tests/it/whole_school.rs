//! Whole synthetic schools with their reference data (issue « reference data », done-when): a
//! consistent collège of about 600 pupils and a whole école give no error; each injected defect
//! of a ★ rule is reported on the right pupil and class (and bilan).

use std::path::PathBuf;

use lsu_gen::{refdata, Defect, DefectRecord, Degree, Options, School};
use lsu_lint::catalogue::Severity;
use lsu_lint::cli::CommonArgs;
use lsu_lint::engine::FileReport;
use lsu_lint::source::SourceFile;

fn run(name: &str, opts: &Options) -> (School, FileReport) {
    let school = School::generate(opts).expect("generation");
    let dir = std::env::temp_dir().join(format!("lsu-whole-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    refdata::write_dir(&school, &dir).expect("write");
    let common = CommonArgs {
        // End of the school year: every period and its councils are past.
        today: Some("2026-07-10".into()),
        config: Some(dir.join("lsu-lint.toml")),
        ..CommonArgs::default()
    };
    let engine = common.builder().and_then(|b| b.build()).expect("engine");
    let inputs = engine.inputs.clone();
    assert!(inputs.settings.is_some());
    let lsu: PathBuf = dir.join("lsu.xml");
    let bytes = std::fs::read(&lsu).expect("lsu");
    let report = engine.check_source(&SourceFile::new(lsu.display().to_string(), bytes));
    let skipped = engine.skipped_rules_for(std::slice::from_ref(&report));
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        skipped
            .iter()
            .all(|(c, _)| !["D001", "I003", "I004", "P001", "T004"].contains(&c.as_str())),
        "{name}: a ★ rule was skipped: {skipped:?}"
    );
    (school, report)
}

fn errors(r: &FileReport) -> Vec<String> {
    r.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            format!(
                "{} {}:{} [{:?} {:?}] {}",
                d.code, d.line, d.column, d.eleve, d.division, d.message
            )
        })
        .collect()
}

fn assert_reported(name: &str, rec: &DefectRecord, r: &FileReport) {
    let found: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == rec.code)
        .collect();
    assert!(
        !found.is_empty(),
        "{name}: {} ({}) not reported",
        rec.code,
        rec.detail
    );
    if let Some(e) = &rec.eleve {
        let on_pupil: Vec<_> = found
            .iter()
            .filter(|d| d.eleve.as_deref() == Some(e))
            .collect();
        assert!(
            !on_pupil.is_empty(),
            "{name}: {} not reported on pupil {e} ({})",
            rec.code,
            rec.detail
        );
        if let Some(div) = &rec.division {
            assert!(
                on_pupil.iter().any(|d| d.division.as_deref() == Some(div)),
                "{name}: {} on {e} not in class {div}: {:?}",
                rec.code,
                on_pupil.iter().map(|d| &d.division).collect::<Vec<_>>()
            );
        }
        for b in &rec.bilans {
            let p = b.path();
            assert!(
                on_pupil.iter().any(|d| d
                    .path
                    .as_deref()
                    .is_some_and(|x| x == p || x.starts_with(&format!("{p}/")))),
                "{name}: {} on {e}: no finding on {p}",
                rec.code
            );
        }
    } else {
        // A teacher-level defect: its detail ends with the teacher's id, « (ENS_1014) ».
        let who = rec
            .detail
            .rsplit('(')
            .next()
            .unwrap_or("")
            .trim_end_matches(')');
        assert!(
            found.iter().any(|d| d.message.contains(who)),
            "{name}: {} not reported on {who} ({})",
            rec.code,
            rec.detail
        );
    }
}

#[test]
fn a_consistent_college_of_600_pupils_gives_no_error() {
    let opts = Options::new(Degree::D2, 600, 2026);
    let (school, r) = run("college", &opts);
    assert!(school.pupils.len() >= 600);
    assert!(
        r.bilans_periodiques >= 1700 && r.bilans_cycle > 0,
        "{} / {}",
        r.bilans_periodiques,
        r.bilans_cycle
    );
    let e = errors(&r);
    assert!(
        e.is_empty(),
        "{} errors:\n{}",
        e.len(),
        e[..e.len().min(20)].join("\n")
    );
}

#[test]
fn a_consistent_ecole_gives_no_error() {
    let opts = Options::new(Degree::D1, 150, 2026);
    let (_, r) = run("ecole", &opts);
    let e = errors(&r);
    assert!(
        e.is_empty(),
        "{} errors:\n{}",
        e.len(),
        e[..e.len().min(20)].join("\n")
    );
}

#[test]
fn injected_college_defects_land_on_the_right_pupil_and_class() {
    let mut opts = Options::new(Degree::D2, 600, 7);
    opts.defects = vec![
        (Defect::DateScolariteBeforeRentree, 3),
        (Defect::DateBeforeEntry, 2),
        (Defect::DateAfterExit, 2),
        (Defect::UnknownDivision, 2),
        (Defect::UnknownDivisionClass, 1),
        (Defect::UnknownPupil, 3),
        (Defect::SocleIncomplete, 2),
        (Defect::ScaleMismatch, 2),
    ];
    let (school, r) = run("college-defects", &opts);
    assert!(
        school.defects.len() >= 16,
        "{} defects recorded",
        school.defects.len()
    );
    for rec in &school.defects {
        assert_reported("collège", rec, &r);
    }
}

#[test]
fn injected_ecole_defects_land_on_the_right_pupil_and_class() {
    let mut opts = Options::new(Degree::D1, 150, 11);
    opts.defects = vec![
        (Defect::UnknownOndeClass, 2),
        (Defect::TeacherSpelling, 2),
        (Defect::SocleIncomplete, 2),
        (Defect::DateScolariteBeforeRentree, 1),
    ];
    let (school, r) = run("ecole-defects", &opts);
    assert!(
        school.defects.len() >= 6,
        "{} defects recorded",
        school.defects.len()
    );
    for rec in &school.defects {
        assert_reported("école", rec, &r);
    }
}
