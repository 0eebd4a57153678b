use crate::calendar::Calendar;
use crate::catalogue::Code;
use crate::config::Config;
use crate::diagnostic::Applicability;
use crate::rules::dates::common::test_support::*;

#[test]
fn rentree_itself_is_fine_the_day_before_is_not() {
    let ok = run(&file_2d("2025", "2025-09-01", "2025-12-04"), "2026-01-15");
    assert!(of(&ok, Code::D001).is_empty());
    let xml = file_2d("2025", "2025-08-31", "2025-12-04");
    let bad = run(&xml, "2026-01-15");
    let d = of(&bad, Code::D001);
    assert_eq!(d.len(), 1);
    assert_eq!(
        d[0].message,
        "date de scolarité 2025-08-31 antérieure à la rentrée du 2025-09-01 (calendrier officiel, métropole) : LSU rejette probablement ce bilan (élève non inscrit)"
    );
    assert_eq!(d[0].kind, "avant-rentree");
    let fix = d[0].fix.as_ref().expect("clamp fix");
    assert_eq!(fix.applicability, Applicability::Unsafe);
    assert!(fix.title.contains("2025-09-01"));
    let fixed = apply(&xml, &bad, Code::D001);
    assert!(fixed.contains(r#"date-scolarite="2025-09-01""#));
    assert!(of(&run(&fixed, "2026-01-15"), Code::D001).is_empty());
}

#[test]
fn settings_rentree_is_named_and_unknown_year_is_skipped() {
    let cal = Calendar {
        settings_rentree: Some((2025, chrono::NaiveDate::from_ymd_opt(2025, 9, 3).unwrap())),
        ..Calendar::default()
    };
    let diags = run_with(
        &file_2d("2025", "2025-09-02", "2025-12-04"),
        "2026-01-15",
        Config::default(),
        cal,
    );
    let d = of(&diags, Code::D001);
    assert_eq!(d.len(), 1);
    assert!(d[0]
        .message
        .contains("rentrée du 2025-09-03 (paramètres LSU (rentree))"));
    // No rentrée known for 2031: skipped, whatever the date.
    let diags = run(&file_2d("2031", "2031-08-01", "2031-12-04"), "2031-12-15");
    assert!(of(&diags, Code::D001).is_empty());
}

#[test]
fn no_clamp_when_council_precedes_rentree_or_date_is_a_year_off() {
    let diags = run(&file_2d("2025", "2025-08-20", "2025-08-25"), "2026-01-15");
    let d = of(&diags, Code::D001);
    assert_eq!(d.len(), 1);
    assert!(d[0].fix.is_none());
    let diags = run(&file_2d("2025", "2024-09-02", "2025-12-04"), "2026-01-15");
    let d = of(&diags, Code::D001);
    assert_eq!(d.len(), 1);
    assert!(d[0].fix.is_none());
    assert!(d[0].message.contains("D005"));
}

#[test]
fn malformed_dates_are_skipped() {
    let diags = run(&file_2d("2025", "28/08/2025", "2025-12-04"), "2026-01-15");
    assert!(of(&diags, Code::D001).is_empty());
    let diags = run(&file_2d("20x5", "2025-08-28", "2025-12-04"), "2026-01-15");
    assert!(of(&diags, Code::D001).is_empty());
}

#[test]
fn one_d_period_fixed_once_and_each_bilan_reported() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/fixtures/D001/trigger-1d.xml"
    );
    let xml = std::fs::read_to_string(path).unwrap();
    // A second pupil with a bilan on the same period.
    let el = r#"<eleve id="EL_1" ine="099990101BA" classe-ref="CL_1" nom="Test" prenom="Élève"/>"#;
    let start = xml.find("      <bilan-periodique ").unwrap();
    let end = xml.find("</bilan-periodique>").unwrap() + "</bilan-periodique>\n".len();
    let bilan = &xml[start..end];
    let xml = xml
        .replace(el, &format!("{el}\n      <eleve id=\"EL_2\" ine=\"099990102CA\" classe-ref=\"CL_1\" nom=\"Test\" prenom=\"Deux\"/>"))
        .replace(bilan, &format!("{bilan}{}", bilan.replace("EL_1", "EL_2")));
    let diags = run(&xml, "2026-07-01");
    let d = of(&diags, Code::D001);
    assert_eq!(d.len(), 2);
    assert!(d[0].message.contains("PER_1") && d[0].message.contains("2025-08-28"));
    assert_eq!(d.iter().filter(|x| x.fix.is_some()).count(), 1);
    let fixed = apply(&xml, &diags, Code::D001);
    assert!(fixed.contains(r#"date-debut="2025-09-01""#));
    assert!(of(&run(&fixed, "2026-07-01"), Code::D001).is_empty());
}
