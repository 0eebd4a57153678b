use crate::catalogue::Code;
use crate::diagnostic::Applicability;
use crate::rules::dates::common::test_support::*;

#[test]
fn dropped_block_leaves_a_clean_file() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/fixtures/L004/trigger-1d.xml"
    );
    let xml = std::fs::read_to_string(path).unwrap();
    let diags = run(&xml, "2026-07-01");
    let l = of(&diags, Code::L004);
    assert_eq!(l.len(), 1);
    assert!(l[0].message.contains("PPRE") && l[0].message.contains("099990101BA"));
    assert_eq!(
        l[0].fix.as_ref().unwrap().applicability,
        Applicability::Safe
    );
    let fixed = apply(&xml, &diags, Code::L004);
    assert!(!fixed.contains("modalite"));
    assert!(
        !fixed.contains("\n\n        <appreciation-generale>"),
        "no blank line left"
    );
    assert!(of(&run(&fixed, "2026-07-01"), Code::L004).is_empty());
}
