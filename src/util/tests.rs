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
