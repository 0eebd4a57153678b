use super::uai_shape_problem;

#[test]
fn shapes() {
    assert_eq!(uai_shape_problem("0999999X"), None);
    // The check letter is not verified.
    assert_eq!(uai_shape_problem("0999999A"), None);
    assert!(uai_shape_problem("099999X")
        .unwrap()
        .contains("7 caractères"));
    assert!(uai_shape_problem("0999999XX").is_some());
    assert!(uai_shape_problem("0999999x").unwrap().contains("majuscule"));
    assert!(uai_shape_problem("09999999").is_some());
    assert!(uai_shape_problem("A999999X").is_some());
    assert!(uai_shape_problem(" 0999999X").unwrap().contains("espaces"));
    assert!(uai_shape_problem("0999999É").is_some());
}
