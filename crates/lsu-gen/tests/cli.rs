//! The `lsu-gen` command: files written, batches, defects it cannot inject and bad arguments
//! (exit code 2, French messages).

fn parse(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).expect("well-formed")
}

fn elems<'a, 'i>(doc: &'a roxmltree::Document<'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants().filter(|n| n.has_tag_name(name)).collect()
}

fn lsu_gen(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_lsu-gen"))
        .args(args)
        .output()
        .expect("run lsu-gen")
}

#[test]
fn lsu_gen_cli_writes_files_and_rejects_bad_arguments() {
    let tmp = std::env::temp_dir().join(format!("lsu-gen-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let out = tmp.join("c");
    let o = lsu_gen(&[
        "--degree",
        "2d",
        "--eleves",
        "30",
        "--seed",
        "3",
        "--version",
        "7.0",
        "--defect",
        "I003:2",
        "--out",
        out.to_str().unwrap_or(""),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "lsu.xml",
        "refdata/ElevesSansAdresses.xml",
        "refdata/Nomenclature.xml",
        "refdata/Communs.xml",
        "lsu-settings.toml",
        "lsu-lint.toml",
        "defauts.tsv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let uai = String::from_utf8_lossy(
        &std::fs::read(out.join("refdata/Communs.xml")).unwrap_or_default(),
    )
    .split("<UAJ>")
    .nth(1)
    .and_then(|x| x.get(..8))
    .unwrap_or_default()
    .to_string();
    assert!(out
        .join(format!("refdata/sts_emp_{uai}_2025.xml"))
        .is_file());
    let tsv = std::fs::read_to_string(out.join("defauts.tsv")).unwrap_or_default();
    assert_eq!(tsv.lines().filter(|l| l.starts_with("I003\t")).count(), 2);

    let many = tmp.join("m");
    let o = lsu_gen(&[
        "--many",
        "3",
        "--eleves",
        "5",
        "--out",
        many.to_str().unwrap_or(""),
    ]);
    assert!(o.status.success());
    assert!(many.join("college-0003.xml").is_file() && !many.join("college-0004.xml").exists());
    // Écoles are named as such.
    let ecoles = tmp.join("m1d");
    let o = lsu_gen(&[
        "--degree",
        "1d",
        "--many",
        "2",
        "--eleves",
        "5",
        "--out",
        ecoles.to_str().unwrap_or(""),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(ecoles.join("ecole-0002.xml").is_file() && !ecoles.join("college-0001.xml").exists());

    // A batch of small collèges (one 6e class each) still gets its decimal commas.
    let commas = tmp.join("p003");
    let o = lsu_gen(&[
        "--many",
        "2",
        "--defect",
        "P003:1",
        "--out",
        commas.to_str().unwrap_or(""),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["college-0001.xml", "college-0002.xml"] {
        let text = std::fs::read_to_string(commas.join(f)).unwrap_or_default();
        let doc = parse(&text);
        assert_eq!(
            elems(&doc, "acquis")
                .iter()
                .filter(|a| a
                    .attribute("moyenne-eleve")
                    .is_some_and(|m| m.contains(',')))
                .count(),
            1,
            "{f}"
        );
    }
    // Asking more than the school allows fails, naming the file, instead of injecting less.
    let o = lsu_gen(&[
        "--many",
        "2",
        "--defect",
        "C001:40",
        "--out",
        commas.to_str().unwrap_or(""),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("lsu-gen : erreur : college-0001.xml : impossible d'injecter le défaut socle-incomplete (C001) 40 fois"),
        "{err}"
    );
    let o = lsu_gen(&[
        "--eleves",
        "30",
        "--defect",
        "unknown-division-class:3",
        "--out",
        tmp.join("y").to_str().unwrap_or(""),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("impossible d'injecter"));

    for bad in [
        vec!["--eleves", "abc", "--out", "x"],
        vec!["--degree", "3d", "--out", "x"],
        vec!["--version", "13.0", "--out", "x"],
        vec!["--degree", "1d", "--version", "10.0", "--out", "x"],
        vec!["--defect", "Z999:1", "--out", "x"],
        vec![
            "--degree",
            "1d",
            "--defect",
            "P003:1",
            "--out",
            tmp.join("x").to_str().unwrap_or(""),
        ],
        vec!["--periods", "9", "--out", "x"],
        vec!["--eleves", "10"],
        vec!["--frobnicate"],
    ] {
        let o = lsu_gen(&bad);
        assert_eq!(o.status.code(), Some(2), "{bad:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.starts_with("lsu-gen : erreur : "), "{bad:?}: {err}");
        assert!(!err.contains("panicked"));
    }
    let help = lsu_gen(&["--help"]);
    assert!(help.status.success() && String::from_utf8_lossy(&help.stdout).contains("--target-mb"));
    let _ = std::fs::remove_dir_all(&tmp);
}

/// What the clap parser must keep from the hand-written one: `--flag=value`, the last of a
/// repeated flag, negative numbers read as (invalid) values, French messages and suggestions.
#[test]
fn lsu_gen_cli_keeps_its_argument_conventions() {
    let tmp = std::env::temp_dir().join(format!("lsu-gen-conv-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let (a, b) = (tmp.join("a"), tmp.join("b"));
    let o = lsu_gen(&[
        "--eleves=5",
        "--seed",
        "1",
        "--seed",
        "2",
        "--many=1",
        &format!("--out={}", a.display()),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = lsu_gen(&[
        "--eleves",
        "5",
        "--seed",
        "2",
        "--many",
        "1",
        "--out",
        b.to_str().unwrap_or(""),
    ]);
    assert!(o.status.success());
    let read = |d: &std::path::Path| std::fs::read(d.join("college-0001.xml")).unwrap_or_default();
    assert!(!read(&a).is_empty() && read(&a) == read(&b));

    for (args, message) in [
        (
            vec!["--target-mb", "-1", "--out", "x"],
            "taille « -1 » invalide pour --target-mb",
        ),
        (
            vec!["--eleve", "3", "--out", "x"],
            "argument inconnu « --eleve » (vouliez-vous dire « --eleves » ?)",
        ),
        (vec!["--out"], "l'option --out attend une valeur"),
        (
            vec!["--seed", "4"],
            "l'option --out DOSSIER est obligatoire",
        ),
    ] {
        let o = lsu_gen(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.starts_with(&format!("lsu-gen : erreur : {message}")),
            "{args:?}: {err}"
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
