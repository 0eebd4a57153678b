//! Hostile or broken LSU input never panics and never hangs: truncations, byte flips, entity
//! bombs, deep nesting, huge attribute lists. Each gives findings (E001…), not a crash.

use lsu_lint::cli::CommonArgs;
use lsu_lint::engine::Engine;
use lsu_lint::source::SourceFile;

fn engine() -> Engine {
    let common = CommonArgs {
        today: Some("2026-01-15".into()),
        ..CommonArgs::default()
    };
    common.builder().and_then(|b| b.build()).expect("engine")
}

fn sample() -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/valid/lsu-2d-10.0-complet.xml");
    std::fs::read(p).expect("sample")
}

fn codes(e: &Engine, bytes: Vec<u8>) -> Vec<&'static str> {
    e.check_source(&SourceFile::new("x.xml", bytes))
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

#[test]
fn truncations_are_not_well_formed_findings() {
    let e = engine();
    let s = sample();
    let mut n = 0;
    for cut in (1..s.len()).step_by(211) {
        let c = codes(&e, s[..cut].to_vec());
        assert!(
            c.contains(&"E001") || c.contains(&"E002"),
            "cut at {cut}: {c:?}"
        );
        n += 1;
    }
    assert!(n > 20);
}

#[test]
fn byte_flips_never_panic() {
    let e = engine();
    let s = sample();
    // A deterministic walk over positions and replacement bytes (no RNG dependency).
    let mut x: u64 = 0x9E3779B97F4A7C15;
    for _ in 0..300 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let mut b = s.clone();
        let pos = (x % b.len() as u64) as usize;
        b[pos] = (x >> 32) as u8;
        let _ = codes(&e, b);
    }
}

#[test]
fn entity_bombs_and_external_entities_are_refused() {
    let e = engine();
    let bomb = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<lsun-bilans xmlns="urn:fr:edu:scolarite:lsun:bilans:import" schemaVersion="10.0"><entete><editeur>&d;</editeur></entete></lsun-bilans>"#;
    let c = codes(&e, bomb.as_bytes().to_vec());
    assert_eq!(c, vec!["E001"], "{c:?}");
    let xxe = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]><lsun-bilans>&f;</lsun-bilans>"#;
    assert_eq!(codes(&e, xxe.as_bytes().to_vec()), vec!["E001"]);
}

#[test]
fn deep_nesting_and_wide_elements_are_handled() {
    let e = engine();
    let deep = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\" schemaVersion=\"10.0\">{}{}</lsun-bilans>",
        "<x>".repeat(5000),
        "</x>".repeat(5000)
    );
    assert_eq!(codes(&e, deep.into_bytes()), vec!["E001"]);
    let attrs: String = (0..20000).map(|i| format!(" a{i}=\"v\"")).collect();
    let wide = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<lsun-bilans xmlns=\"urn:fr:edu:scolarite:lsun:bilans:import\" schemaVersion=\"10.0\"{attrs}/>"
    );
    let c = codes(&e, wide.into_bytes());
    assert_eq!(c, vec!["E001"], "refused before parsing");
}

#[test]
fn empty_and_binary_files_give_findings() {
    let e = engine();
    assert!(codes(&e, Vec::new()).contains(&"E001"));
    assert!(codes(&e, vec![0xFF, 0xFE, 0x00, 0x3C]).contains(&"E002"));
    assert!(codes(&e, b"not xml at all".to_vec()).contains(&"E001"));
}
