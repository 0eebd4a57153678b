//! The human summary a helpdesk reads first, pinned for the demo collège's export with defects:
//! its causes in order, where to act, what to do, consequences, and the counts.

use std::process::Command;

#[test]
fn human_summary_of_the_demo_college() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .current_dir(root)
        .args([
            "check",
            "--today",
            "2026-07-10",
            "--config",
            "corpus/demo/college/lsu-lint.toml",
            "corpus/demo/college/lsu-a-corriger.xml",
        ])
        .output()
        .expect("lsu-lint runs");
    assert_eq!(out.status.code(), Some(1), "the demo export has errors");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    // Each finding's help names its LSU impact in French, never the JSON slug.
    assert!(
        text.contains("impact LSU : fichier rejeté — détails : lsu-lint explain C001"),
        "{text}"
    );
    assert!(!text.contains("fichier-rejete") && !text.contains("bilan-rejete"));
    let summary = &text[text.find("Causes principales").expect("a causes section")..];
    insta::assert_snapshot!(summary);
}
