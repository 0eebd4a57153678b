use super::*;

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lsu-lint-files-unit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_fifo_is_refused_without_blocking() {
    let d = tmpdir("fifo");
    let p = d.join("tube");
    let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    match read_regular(&p, 1 << 20) {
        Err(OpenError::NotRegular(what)) => assert!(what.contains("FIFO")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(write_target(&p), Err(OpenError::NotRegular(_))));
}

#[test]
fn links_are_followed_and_loops_named() {
    let d = tmpdir("links");
    std::fs::write(d.join("real"), "x").unwrap();
    std::os::unix::fs::symlink("real", d.join("a")).unwrap();
    std::os::unix::fs::symlink("a", d.join("b")).unwrap();
    assert_eq!(write_target(&d.join("b")).unwrap(), d.join("real"));
    assert_eq!(read_regular(&d.join("b"), 10).unwrap(), b"x");
    std::os::unix::fs::symlink("loop", d.join("loop")).unwrap();
    assert!(matches!(
        write_target(&d.join("loop")),
        Err(OpenError::Loop)
    ));
    assert!(matches!(
        read_regular(&d.join("loop"), 10),
        Err(OpenError::Loop)
    ));
    // A dangling link: the write creates the file it names.
    std::os::unix::fs::symlink("new", d.join("dangling")).unwrap();
    assert_eq!(write_target(&d.join("dangling")).unwrap(), d.join("new"));
}

#[test]
fn limits_hold_and_messages_are_french() {
    let d = tmpdir("limits");
    std::fs::write(d.join("big"), vec![b'a'; 100]).unwrap();
    assert!(matches!(
        read_regular(&d.join("big"), 99),
        Err(OpenError::TooLarge { size: 100 })
    ));
    let denied = io::Error::from(io::ErrorKind::PermissionDenied);
    assert_eq!(io_message(&denied), "accès refusé (droits insuffisants)");
    assert!(OpenError::NotRegular("un dossier")
        .message()
        .contains("pas un fichier ordinaire"));
}
