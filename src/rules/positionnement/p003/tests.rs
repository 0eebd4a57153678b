use super::{check_decimal, check_string};

#[test]
fn decimal_averages() {
    assert!(check_decimal("14.5").is_none());
    assert!(check_decimal(" 12 ").is_none());
    assert!(check_decimal("20.00").is_none());
    assert!(check_decimal("0").is_none());
    assert!(check_decimal("14.500").is_none());
    assert_eq!(check_decimal("14,5").unwrap().1.as_deref(), Some("14.5"));
    assert_eq!(check_decimal("14/20").unwrap().1.as_deref(), Some("14"));
    assert_eq!(check_decimal("14.125").unwrap().1.as_deref(), Some("14.13"));
    assert_eq!(check_decimal("20.5").unwrap().1, None);
    assert_eq!(check_decimal("-1").unwrap().1, None);
    assert_eq!(check_decimal("Abs").unwrap().1, None);
    assert_eq!(check_decimal("").unwrap().1, None);
    assert_eq!(check_decimal("75%").unwrap().1, None);
}

#[test]
fn string_averages() {
    assert!(check_string("14,5").is_none());
    assert!(check_string("14.5/20").is_none());
    assert!(check_string("14.125").is_none());
    assert!(check_string("Abs").is_some());
    assert!(check_string("75%").is_some());
    assert!(check_string("7/10").is_some());
    assert!(check_string("25").is_some());
    assert!(check_string("-3").is_some());
}
