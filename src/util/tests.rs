use super::display_path;
use std::path::Path;

#[test]
fn report_paths_are_relative_to_the_working_directory() {
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(
        display_path(&cwd.join("exports/a b.xml")),
        "exports/a b.xml"
    );
    assert_eq!(display_path(Path::new("./x.xml")), "x.xml");
    assert_eq!(display_path(Path::new("./d/./x.xml")), "d/x.xml");
    assert_eq!(display_path(Path::new("../x.xml")), "../x.xml");
    // Outside the working directory: as given.
    let outside = cwd.parent().unwrap().join("ailleurs-lsu-lint/x.xml");
    assert_eq!(display_path(&outside), outside.display().to_string());
}

#[test]
fn in_place_sort_is_the_stable_sort() {
    // A fixed pseudo-random sequence (LCG): few distinct keys, so many ties.
    let mut state: u64 = 7;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % 5) as u8
    };
    for len in [0usize, 1, 2, 3, 10, 100, 1000] {
        for _ in 0..20 {
            let v: Vec<(u8, u32)> = (0..len as u32).map(|i| (next(), i)).collect();
            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            let mut got = v.clone();
            super::sort_by_key_in_place(&mut got, |x| x.0);
            assert_eq!(got, expected, "len {len}");
        }
    }
}
