use super::*;

#[test]
fn parses_dates_leniently_and_never_panics() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
    assert_eq!(parse_date("2025-09-01"), d(2025, 9, 1));
    assert_eq!(parse_date(" 2025-09-01 "), d(2025, 9, 1));
    assert_eq!(parse_date("2025-12-05T18:00:00"), d(2025, 12, 5));
    assert_eq!(parse_date("2025-12-05Z"), d(2025, 12, 5));
    assert_eq!(parse_date("2025-12-05+01:00"), d(2025, 12, 5));
    assert_eq!(parse_date("2025-02-30"), None);
    assert_eq!(parse_date("01/09/2025"), None);
    assert_eq!(parse_date("2025-09-011"), None);
    assert_eq!(parse_date("2025-9-1"), None);
    assert_eq!(parse_date(""), None);
    assert_eq!(parse_date("éééééééééééé"), None);
    assert_eq!(parse_date("2025-09-0é"), None);
    assert_eq!(parse_millesime("2025"), Some(2025));
    assert_eq!(parse_millesime("2025-2026"), None);
    assert_eq!(parse_millesime("25"), None);
    assert_eq!(parse_millesime("２０２５"), None);
}

#[test]
fn school_years_follow_the_calendar() {
    let cal = Calendar::default();
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    assert_eq!(school_year_start(&cal, 2025), d(2025, 8, 1));
    // Unknown year: month borrowed from a neighbour.
    assert_eq!(school_year_start(&cal, 2029), d(2029, 8, 1));
    assert_eq!(school_year_start(&cal, 1990), d(1990, 8, 1));
    assert_eq!(school_year_of(&cal, d(2025, 8, 28)), 2025);
    assert_eq!(school_year_of(&cal, d(2026, 7, 31)), 2025);
    assert_eq!(school_year_of(&cal, d(2026, 8, 1)), 2026);
    assert_eq!(school_year_of(&cal, d(2025, 3, 1)), 2024);
    let nc = Calendar {
        zone: crate::calendar::Zone::NouvelleCaledonie,
        ..Calendar::default()
    };
    assert_eq!(school_year_start(&nc, 2025), d(2025, 1, 1));
    assert_eq!(school_year_of(&nc, d(2025, 12, 15)), 2025);
    assert_eq!(school_year_of(&nc, d(2026, 1, 15)), 2026);
}
