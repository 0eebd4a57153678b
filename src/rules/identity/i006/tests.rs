use super::differences;

#[test]
fn names_compared_folded() {
    assert_eq!(
        differences(
            Some("Le Goff"),
            Some("Léna"),
            &[Some("LE-GOFF"), None],
            &[Some("LENA")]
        ),
        None
    );
    let d = differences(
        Some("Martin"),
        Some("Léna"),
        &[Some("ARNOUX"), None],
        &[Some("Léna")],
    )
    .unwrap();
    assert_eq!(d, "nom « Martin » (référence : « ARNOUX »)");
    let d = differences(
        Some("Arnoux"),
        Some("Hugo"),
        &[Some("ARNOUX")],
        &[Some("Léna")],
    )
    .unwrap();
    assert!(d.starts_with("prénom « Hugo »"));
    // Nothing to compare with: no finding.
    assert_eq!(differences(Some("X"), Some("Y"), &[None], &[None]), None);
}
