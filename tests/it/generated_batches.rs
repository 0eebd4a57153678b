//! Big generated files (not committed): B002 thresholds at their defaults (250 pupils,
//! 8 divisions, exceeded strictly) and D001's one finding per bilan on a whole file.

use chrono::NaiveDate;
use lsu_lint::calendar::Calendar;
use lsu_lint::config::Config;
use lsu_lint::diagnostic::Diagnostic;
use lsu_lint::engine::Engine;
use lsu_lint::refdata::RefData;
use lsu_lint::source::SourceFile;

/// A 2D 10.0 file with `pupils` pupils spread round-robin over `divisions` divisions, one
/// bilan-periodique each with `date-scolarite`.
fn file_2d(pupils: usize, divisions: usize, date_scolarite: &str) -> String {
    let mut eleves = String::new();
    let mut bilans = String::new();
    for i in 1..=pupils {
        let div = format!("3{}", (b'A' + ((i - 1) % divisions) as u8) as char);
        eleves.push_str(&format!(
            "      <eleve id=\"EL_{i}\" id-be=\"{}\" nom=\"Test\" prenom=\"Élève {i}\" code-division=\"{div}\"/>\n",
            9_990_000 + i
        ));
        bilans.push_str(&format!(
            r#"      <bilan-periodique eleve-ref="EL_{i}" periode-ref="PER_1" date-conseil-classe="2025-12-04" date-scolarite="{date_scolarite}" responsable-etab-ref="RESP_1">
        <liste-acquis><acquis discipline-ref="DI_FRA" enseignant-refs="ENS_1" moyenne-eleve="12"><appreciation>Bien.</appreciation></acquis></liste-acquis>
        <acquis-conseils>Bien.</acquis-conseils>
        <vie-scolaire nb-retards="0" nb-abs-justifiees="0" nb-abs-injustifiees="0"/>
      </bilan-periodique>
"#
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import" schemaVersion="10.0">
  <entete><editeur>E</editeur><application>A</application><etablissement>0999999X</etablissement></entete>
  <donnees>
    <responsables-etab><responsable-etab id="RESP_1" libelle="Principal Test"/></responsables-etab>
    <eleves>
{eleves}    </eleves>
    <periodes><periode id="PER_1" millesime="2025" indice="1" nb-periodes="3"/></periodes>
    <disciplines><discipline id="DI_FRA" code="020700" modalite-election="S" libelle="Français"/></disciplines>
    <enseignants><enseignant id="ENS_1" type="epp" id-sts="1001" civilite="MME" nom="Prof" prenom="Une"/></enseignants>
    <bilans-periodiques>
{bilans}    </bilans-periodiques>
  </donnees>
</lsun-bilans>
"#
    )
}

fn run(xml: &str) -> Vec<Diagnostic> {
    let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let engine = Engine::new(
        Config::default(),
        RefData::default(),
        Calendar::default(),
        today,
    );
    engine
        .check_source(&SourceFile::new("generated.xml", xml.as_bytes().to_vec()))
        .diagnostics
}

fn of<'a>(d: &'a [Diagnostic], code: &str) -> Vec<&'a Diagnostic> {
    d.iter().filter(|x| x.code == code).collect()
}

#[test]
fn b002_at_thresholds_is_clean() {
    let d = run(&file_2d(250, 8, "2025-09-01"));
    assert!(of(&d, "B002").is_empty(), "{:?}", of(&d, "B002"));
}

#[test]
fn b002_251_pupils_one_finding() {
    let d = run(&file_2d(251, 8, "2025-09-01"));
    let b = of(&d, "B002");
    assert_eq!(b.len(), 1);
    let m = &b[0].message;
    assert!(m.contains("251 élèves (seuil 250, dépassé)"), "{m}");
    assert!(m.contains("8 divisions (seuil 8)"), "{m}");
    assert!(m.contains("lsu-lint split --by division"), "{m}");
    assert!(b[0].fix.is_none());
}

#[test]
fn b002_9_divisions_one_finding() {
    let d = run(&file_2d(9, 9, "2025-09-01"));
    let b = of(&d, "B002");
    assert_eq!(b.len(), 1);
    assert!(
        b[0].message.contains("9 divisions (seuil 8, dépassé)"),
        "{}",
        b[0].message
    );
    let both = run(&file_2d(300, 12, "2025-09-01"));
    assert_eq!(of(&both, "B002").len(), 1, "one finding per file");
}

#[test]
fn d001_one_finding_per_bilan() {
    let d = run(&file_2d(398, 8, "2025-08-28"));
    let f = of(&d, "D001");
    assert_eq!(f.len(), 398);
    // Each finding is attached to its own bilan (for the rejected-bilans estimate).
    let mut bilans: Vec<_> = f.iter().filter_map(|x| x.bilan).collect();
    bilans.sort_unstable();
    bilans.dedup();
    assert_eq!(bilans.len(), 398);
    assert_eq!(
        f[0].message,
        "date de scolarité 2025-08-28 antérieure à la rentrée du 2025-09-01 (calendrier officiel, métropole) : LSU rejette probablement ce bilan (élève non inscrit)"
    );
    // One cause for the whole batch: the shared rentrée, never the pupil's own date.
    assert!(f.iter().all(|x| x.kind == "avant-rentree"));
    assert_eq!(
        f[0].group.as_deref(),
        Some("date de scolarité antérieure à la rentrée du 2025-09-01 (calendrier officiel, métropole)")
    );
    let fix = f[0].fix.as_ref().expect("fix");
    assert!(fix.title.contains("2025-09-01"));
    assert_eq!(fix.edits.len(), 1);
    assert_eq!(fix.edits[0].replacement, "2025-09-01");
    let clean = run(&file_2d(398, 8, "2025-09-01"));
    assert!(of(&clean, "D001").is_empty());
}
