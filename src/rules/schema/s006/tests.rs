use crate::catalogue::Code;
use crate::rules::dates::common::test_support::*;

#[test]
fn removal_fixes_and_filled_blocks_pass() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/fixtures/S006/trigger-2d-v7-liste-parcours.xml"
    );
    let xml = std::fs::read_to_string(path).unwrap();
    let diags = run(&xml, "2026-07-01");
    assert_eq!(of(&diags, Code::S006).len(), 1);
    let fixed = apply(&xml, &diags, Code::S006);
    assert!(!fixed.contains("<liste-parcours>"));
    assert!(of(&run(&fixed, "2026-07-01"), Code::S006).is_empty());
    // A competences-numeriques carrying only a common reference is not empty.
    let with_ref = file_2d("2025", "2025-09-01", "2025-12-04").replace(
        "<acquis-conseils>",
        r#"<competences-numeriques comp-num-commun-refs="CNC_1"/><acquis-conseils>"#,
    );
    assert!(of(&run(&with_ref, "2026-07-01"), Code::S006).is_empty());
}
