use super::{identify, Baseline, Identity};
use crate::catalogue::Code;
use crate::diagnostic::Diagnostic;
use std::path::Path;

fn finding(start: usize, path: &str) -> Diagnostic {
    let mut d = Diagnostic::new(Code::P001, start, start + 1, "m").with_eleve("E1");
    d.id_path = Some(path.to_string());
    d
}

#[test]
fn identities_ignore_positions_and_count_equal_ones() {
    let mut a = vec![finding(10, "/x"), finding(20, "/x"), finding(30, "/y")];
    identify("f.xml", &mut a);
    assert_eq!(
        a.iter().map(|d| d.occurrence).collect::<Vec<_>>(),
        [1, 2, 1]
    );
    // Same findings elsewhere in the file (lines added above): same fingerprints.
    let mut b = vec![finding(110, "/x"), finding(220, "/x"), finding(330, "/y")];
    identify("f.xml", &mut b);
    let fa: Vec<&str> = a.iter().map(|d| d.fingerprint.as_str()).collect();
    let fb: Vec<&str> = b.iter().map(|d| d.fingerprint.as_str()).collect();
    assert_eq!(fa, fb);
    assert_eq!(fa[0].len(), 32);
    assert!(fa[0] != fa[1] && fa[1] != fa[2] && fa[0] != fa[2]);
    // Another file: other fingerprints.
    let mut c = vec![finding(10, "/x")];
    identify("g.xml", &mut c);
    assert_ne!(c[0].fingerprint, a[0].fingerprint);
}

#[test]
fn a_baseline_reads_back_what_it_wrote() {
    let mut a = vec![finding(10, "/x"), finding(20, "/x")];
    identify("f.xml", &mut a);
    let ids: Vec<Identity> = a.iter().map(|d| Identity::of("f.xml", d)).collect();
    let text = Baseline::new(ids.clone()).to_json();
    let back = Baseline::parse(&text, Path::new("b.json")).unwrap();
    assert!(ids.iter().all(|i| back.contains(i)));
    assert_eq!(back.len(), 2);
    assert!(Baseline::parse("{\"version\": 9, \"findings\": []}", Path::new("b.json")).is_err());
}
