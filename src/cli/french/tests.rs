use super::parse_from;

fn err(args: &[&str]) -> (String, i32) {
    match parse_from(std::iter::once("lsu-lint").chain(args.iter().copied())) {
        Ok(_) => panic!("{args:?} parsed"),
        Err(e) => e,
    }
}

#[test]
fn the_french_command_is_well_formed() {
    // clap checks every argument of every subcommand (it would panic on first use otherwise).
    super::command().debug_assert();
}

#[test]
fn usage_errors_are_in_french() {
    let (t, code) = err(&["check", "--formt", "json", "x.xml"]);
    assert_eq!(code, 2);
    assert!(
        t.starts_with("erreur : argument inattendu « --formt »"),
        "{t}"
    );
    assert!(t.contains("vouliez-vous dire « --format »"), "{t}");
    assert!(t.contains("Utilisation : lsu-lint check"), "{t}");
    let (t, _) = err(&["chek"]);
    assert!(
        t.contains("commande inconnue « chek »") && t.contains("« check »"),
        "{t}"
    );
    let (t, _) = err(&["check", "--format", "xml", "x.xml"]);
    assert!(t.contains("valeur « xml » invalide pour --format"), "{t}");
    assert!(
        t.contains("valeurs possibles : human, concise, json"),
        "{t}"
    );
    let (t, _) = err(&["check"]);
    assert!(t.contains("argument obligatoire manquant"), "{t}");
    let (t, _) = err(&["check", "--max-file-size", "beaucoup", "x.xml"]);
    assert!(t.contains("nombre entier attendu"), "{t}");
    for t in [t] {
        for english in [
            "error:",
            "Usage:",
            "unexpected",
            "tip:",
            "For more information",
        ] {
            assert!(!t.contains(english), "{english} in {t}");
        }
    }
}

#[test]
fn help_is_in_french() {
    let (t, code) = err(&["check", "--help"]);
    assert_eq!(code, 0);
    assert!(t.contains("Utilisation : lsu-lint check"), "{t}");
    assert!(t.contains("Affiche cette aide"), "{t}");
    assert!(
        t.contains("défaut : human") && t.contains("valeurs : human, concise"),
        "{t}"
    );
    for english in ["Usage:", "Print help", "[default:", "[possible values:"] {
        assert!(!t.contains(english), "{english} in {t}");
    }
    let (t, _) = err(&["--help"]);
    assert!(t.contains("Commandes") && !t.contains("Commands:"), "{t}");
    assert!(!t.contains("Print this message"), "{t}");
}
