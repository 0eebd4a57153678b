use super::Average;

fn norm(v: &str) -> Option<String> {
    Average::parse(v).and_then(|a| a.normalized())
}

#[test]
fn parses_written_forms() {
    let a = Average::parse("14,5").unwrap();
    assert!(a.comma && !a.per20 && a.int == "14" && a.frac == "5");
    let a = Average::parse(" 14.5/20 ").unwrap();
    assert!(a.per20 && !a.comma);
    assert!(Average::parse("14.5 /20").unwrap().per20);
    assert!(Average::parse(".5").is_some());
    assert!(Average::parse("12.").is_some());
    assert!(Average::parse("").is_none());
    assert!(Average::parse(".").is_none());
    assert!(Average::parse("Abs").is_none());
    assert!(Average::parse("75%").is_none());
    assert!(Average::parse("14.5.2").is_none());
    assert!(Average::parse("1 4").is_none());
    assert!(Average::parse("7/10").is_none());
}

#[test]
fn ranges_and_decimals() {
    assert!(!Average::parse("20").unwrap().above_20());
    assert!(!Average::parse("20.00").unwrap().above_20());
    assert!(Average::parse("20.01").unwrap().above_20());
    assert!(Average::parse("21").unwrap().above_20());
    assert!(Average::parse("0020.5").unwrap().above_20());
    assert!(Average::parse("123456789012345678901234567890")
        .unwrap()
        .above_20());
    assert!(!Average::parse("-0").unwrap().negative_value());
    assert!(Average::parse("-1").unwrap().negative_value());
    assert_eq!(Average::parse("14.500").unwrap().fraction_digits(), 1);
    assert_eq!(Average::parse("14.125").unwrap().fraction_digits(), 3);
}

#[test]
fn normalizes_safely() {
    assert_eq!(norm("14,5").as_deref(), Some("14.5"));
    assert_eq!(norm("14,50").as_deref(), Some("14.5"));
    assert_eq!(norm("14.125").as_deref(), Some("14.13"));
    assert_eq!(norm("14.124").as_deref(), Some("14.12"));
    assert_eq!(norm("9.999").as_deref(), Some("10"));
    assert_eq!(norm("19.995").as_deref(), Some("20"));
    assert_eq!(norm("12/20").as_deref(), Some("12"));
    assert_eq!(norm("08,05").as_deref(), Some("8.05"));
    assert_eq!(norm(",5").as_deref(), Some("0.5"));
    assert_eq!(norm("20,5"), None);
    assert_eq!(norm("-2"), None);
    assert_eq!(norm("20.001"), None);
}

/// Rounding works on the decimal digits as written, half up, never through a binary float:
/// 12.255, 1.005 and 2.675 have no exact binary value (printf("%.2f") gives 12.26 for the
/// first but 1.00 and 2.67 for the others).
#[test]
fn rounding_is_decimal_exact_half_up() {
    assert_eq!(norm("12.255").as_deref(), Some("12.26"));
    assert_eq!(norm("12,255").as_deref(), Some("12.26"));
    assert_eq!(norm("1.005").as_deref(), Some("1.01"));
    assert_eq!(norm("2.675").as_deref(), Some("2.68"));
    assert_eq!(norm("12.2549999").as_deref(), Some("12.25"));
    assert_eq!(norm("0.015").as_deref(), Some("0.02"));
    assert_eq!(norm("19.9949").as_deref(), Some("19.99"));
}
