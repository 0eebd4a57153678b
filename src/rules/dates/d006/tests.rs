use super::*;
use crate::catalogue::Code;
use crate::rules::dates::common::test_support::*;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn july_15_and_rentree_boundaries() {
    let cal = Calendar::default();
    assert_eq!(campaign(&cal, 2025, day("2026-07-14")), Campaign::Open);
    assert_eq!(
        campaign(&cal, 2025, day("2026-07-15")),
        Campaign::Late {
            closes: day("2026-09-01")
        }
    );
    assert_eq!(
        campaign(&cal, 2025, day("2026-08-31")),
        Campaign::Late {
            closes: day("2026-09-01")
        }
    );
    assert_eq!(
        campaign(&cal, 2025, day("2026-09-01")),
        Campaign::Closed {
            since: day("2026-09-01"),
            known: true
        }
    );
    // 2024-25 closed at the 2025 rentrée (1 September 2025).
    assert_eq!(
        campaign(&cal, 2024, day("2025-09-01")),
        Campaign::Closed {
            since: day("2025-09-01"),
            known: true
        }
    );
    // Rentrée 2031 unknown: open until certain.
    assert_eq!(campaign(&cal, 2030, day("2031-10-01")), Campaign::Open);
    assert!(matches!(
        campaign(&cal, 2030, day("2032-01-01")),
        Campaign::Closed { known: false, .. }
    ));
}

#[test]
fn severity_follows_the_date() {
    let xml = file_2d("2025", "2025-09-01", "2025-12-04");
    assert!(of(&run(&xml, "2026-07-14"), Code::D006).is_empty());
    let late = run(&xml, "2026-07-20");
    let d = of(&late, Code::D006);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Warning);
    let closed = run(&xml, "2026-09-01");
    let d = of(&closed, Code::D006);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Error);
}
