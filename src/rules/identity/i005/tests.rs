use super::ine_shape_problem;

#[test]
fn shapes() {
    assert_eq!(ine_shape_problem("099990101BA"), None);
    assert!(ine_shape_problem("09999010BA")
        .unwrap()
        .contains("10 caractères"));
    assert!(ine_shape_problem("").unwrap().contains("vide"));
    assert!(ine_shape_problem("   ").unwrap().contains("vide"));
    assert!(ine_shape_problem(" 099990101BA")
        .unwrap()
        .contains("espaces"));
    assert!(ine_shape_problem("0999-0101BA").is_some());
    assert!(ine_shape_problem("0999é0101BA").is_some());
}
