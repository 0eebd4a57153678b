//! Reference-data loaders: each loader on the synthetic samples of `corpus/refdata-samples/`,
//! zip handling, `--refdata` recognition by content, every error case, the calendar precedence,
//! and the CLI wiring (`inputs` of the JSON report).

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use lsu_lint::calendar::RentreeSource;
use lsu_lint::cli::CommonArgs;
use lsu_lint::config::Config;
use lsu_lint::error::Error;
use lsu_lint::refdata::{
    self, communs, nomenclature, onde, read, settings, siecle, sts, Kind, RefData,
};
use lsu_lint::rules::Input;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/refdata-samples")
}

fn sample(name: &str) -> (Vec<u8>, PathBuf) {
    let p = samples().join(name);
    (
        std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
        p,
    )
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lsu-lint-refdata-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("scratch dir");
    d
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(*name, opts).expect("zip entry");
        w.write_all(data).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

fn message(e: &Error) -> String {
    match e {
        Error::RefData { message, .. } | Error::Settings { message, .. } => message.clone(),
        // What the command line shows: the message and its help line (which names options).
        Error::WrongKind { help, .. } => format!("{e} — {help}"),
        other => panic!("unexpected error kind: {other:?}"),
    }
}

fn ref_err<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(e @ (Error::RefData { .. } | Error::WrongKind { .. })) => message(&e),
        other => panic!("expected Error::RefData, got {other:?}"),
    }
}

fn settings_err<T: std::fmt::Debug>(r: Result<T, Error>) -> String {
    match r {
        Err(e @ Error::Settings { .. }) => message(&e),
        other => panic!("expected Error::Settings, got {other:?}"),
    }
}

/// Replaces text in an ISO-8859-15 sample (ASCII replacements only).
fn patched(name: &str, from: &str, to: &str) -> Vec<u8> {
    let (bytes, _) = sample(name);
    let s = encoding_rs::ISO_8859_15.decode(&bytes).0.into_owned();
    assert!(s.contains(from), "{from} not in {name}");
    encoding_rs::ISO_8859_15
        .encode(&s.replace(from, to))
        .0
        .into_owned()
}

// ---------------------------------------------------------------- Siècle ElevesSansAdresses

#[test]
fn siecle_sample() {
    let (bytes, p) = sample("ElevesSansAdresses.xml");
    let s = siecle::from_bytes(&bytes, &p).expect("sample loads");
    assert_eq!(s.uai.as_deref(), Some("0999999X"));
    assert_eq!(s.annee, Some(2024));
    assert_eq!(s.version.as_deref(), Some("3.0"));
    assert_eq!(s.eleves.len(), 6);
    assert_eq!(
        s.divisions.iter().map(String::as_str).collect::<Vec<_>>(),
        ["3B", "6A"]
    );
    assert!(s.is_groupe("3B_ESP2") && s.is_groupe("3B_ALL2"));
    assert!(!s.is_division("3B_ESP2"));

    // ISO-8859-15 decoded.
    let e1 = s.eleve("9000001").expect("9000001");
    assert_eq!(e1.prenom.as_deref(), Some("Léna"));
    assert_eq!(e1.nom(), Some("ARNOUX"));
    assert_eq!(e1.elenoet.as_deref(), Some("90001"));
    assert_eq!(e1.date_naissance, Some(date(2013, 3, 14)));
    assert_eq!(e1.code_mef.as_deref(), Some("10010012110"));
    assert_eq!(e1.division(), Some("6A"));
    // id-be is compared numerically.
    assert_eq!(
        s.eleve("09000001").map(|e| e.eleve_id.as_str()),
        Some("9000001")
    );
    assert!(s.eleve("90001").is_none(), "ELENOET is not an id-be");

    let e3 = s.eleve("9000003").expect("9000003");
    assert_eq!(e3.date_entree, Some(date(2025, 1, 6)));

    let e4 = s.eleve("9000004").expect("9000004");
    assert_eq!(e4.ine_bea.as_deref(), Some("0999900041K"));
    assert_eq!(e4.ines(), ["099990004AD", "0999900041K"]);
    assert_eq!(e4.groupes, ["3B_ESP2"]);
    assert_eq!(e4.options.len(), 2);
    assert_eq!(e4.options[1].code_matiere, "030602");
    assert_eq!(e4.options[1].modalite.as_deref(), Some("O"));
    assert_eq!(e4.options[1].num_option, Some(2));
    // Lookup by any INE, case-insensitive.
    assert_eq!(
        s.eleve_by_ine("0999900041k").map(|e| e.eleve_id.as_str()),
        Some("9000004")
    );
    assert_eq!(
        s.eleve_by_ine("099990004AD").map(|e| e.eleve_id.as_str()),
        Some("9000004")
    );

    let e5 = s.eleve("9000005").expect("9000005");
    assert_eq!(e5.nom(), Some("ESNAULT-ROY"));
    assert_eq!(e5.nom_de_famille.as_deref(), Some("ESNAULT"));
    assert_eq!(e5.prenom.as_deref(), Some("Maëlys"));

    let e6 = s.eleve("9000006").expect("9000006");
    assert_eq!(e6.date_sortie, Some(date(2024, 12, 20)));
    assert_eq!(s.eleves_of_division("3B").count(), 3);
    assert!(s.summary().contains("6 élèves"));
}

#[test]
fn siecle_legacy_nom_and_other_school_is_not_an_error() {
    let bytes = patched(
        "ElevesSansAdresses.xml",
        "<UAJ>0999999X</UAJ>",
        "<UAJ>0888888Y</UAJ>",
    );
    let bytes = {
        let s = String::from_utf8_lossy(&bytes)
            .replace("NOM_DE_FAMILLE>ARNOUX</NOM_DE_FAMILLE", "NOM>ARNOUX</NOM");
        encoding_rs::ISO_8859_15.encode(&s).0.into_owned()
    };
    let s = siecle::from_bytes(&bytes, Path::new("autre.xml")).expect("another school still loads");
    assert_eq!(s.uai.as_deref(), Some("0888888Y"));
    assert_eq!(s.eleve("9000001").and_then(|e| e.nom()), Some("ARNOUX"));
}

#[test]
fn siecle_bad_date_is_unknown_and_noted() {
    // interfaces.md « Reference files »: an unreadable field leaves the record loaded, the field
    // unknown, and the file's note names the line.
    let bytes = patched(
        "ElevesSansAdresses.xml",
        "<DATE_ENTREE>06/01/2025",
        "<DATE_ENTREE>2025-13-45",
    );
    let s = siecle::from_bytes(&bytes, Path::new("e.xml")).expect("a bad date is not fatal");
    assert_eq!(s.eleves.len(), 6, "every pupil is kept");
    assert_eq!(s.unreadable.kept, 1);
    assert_eq!(s.unreadable.dropped, 0);
    let e = s
        .eleves
        .iter()
        .find(|e| s.unreadable.lines.contains(&e.line))
        .expect("the affected pupil is named by its line");
    assert_eq!(e.date_entree, None);
    let m = s.unreadable.message().expect("a note");
    assert!(
        m.contains("DATE_ENTREE") && m.contains("2025-13-45") && m.contains("ligne "),
        "{m}"
    );
    // A pupil without ELEVE_ID is dropped, and I002's caveat says so.
    let (raw, _) = sample("ElevesSansAdresses.xml");
    let text = encoding_rs::ISO_8859_15
        .decode(&raw)
        .0
        .replacen("ELEVE_ID=\"", "ELEVE_IDX=\"", 1);
    let bytes = encoding_rs::ISO_8859_15.encode(&text).0.into_owned();
    let s = siecle::from_bytes(&bytes, Path::new("e.xml")).expect("a missing id is not fatal");
    assert_eq!(s.eleves.len(), 5);
    assert_eq!(s.unreadable.dropped, 1);
    assert!(
        s.unreadable.caveat().contains("écarté"),
        "{}",
        s.unreadable.caveat()
    );
}

// ---------------------------------------------------------------- Nomenclature

#[test]
fn nomenclature_sample() {
    let (bytes, p) = sample("Nomenclature.xml");
    let n = nomenclature::from_bytes(&bytes, &p).expect("sample loads");
    assert_eq!(n.uai.as_deref(), Some("0999999X"));
    assert_eq!(n.annee, Some(2024));
    assert_eq!(n.matieres.len(), 7);
    let eps = n.matiere("100100").expect("EPS");
    assert_eq!(eps.code_gestion.as_deref(), Some("EPS"));
    assert_eq!(eps.libelle(), "Éducation physique et sportive");
    assert_eq!(eps.libelle_court.as_deref(), Some("ED.PHYSIQUE & SPORT."));
    assert_eq!(
        n.mef("10310019110").and_then(|m| m.formation.as_deref()),
        Some("3EME")
    );
    assert_eq!(n.programmes.len(), 12);
    let p = n.programmes_for("10310019110", "030602");
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].horaire, Some(2.5));
    assert_eq!(n.modalites_for("10310019110", "030602"), ["O"]);
    assert_eq!(n.modalites_for("10010012110", "020700"), ["S"]);
    assert!(n.modalites_for("10010012110", "030602").is_empty());
    assert_eq!(n.programmes_of_mef("10010012110").count(), 5);
    assert!(n.modalites.contains_key("N"));
}

#[test]
fn nomenclature_zero_hours_row_is_not_an_offer() {
    let bytes = patched(
        "Nomenclature.xml",
        "<CODE_MATIERE>030602</CODE_MATIERE>\n        <CODE_MODALITE_ELECT>O</CODE_MODALITE_ELECT>\n        <HORAIRE>2.50</HORAIRE>",
        "<CODE_MATIERE>030602</CODE_MATIERE>\n        <CODE_MODALITE_ELECT>O</CODE_MODALITE_ELECT>\n        <HORAIRE>0.00</HORAIRE>",
    );
    let n = nomenclature::from_bytes(&bytes, Path::new("n.xml")).expect("loads");
    assert_eq!(
        n.programmes_for("10310019110", "030602")[0].horaire,
        Some(0.0)
    );
    assert!(n.modalites_for("10310019110", "030602").is_empty());
}

// ---------------------------------------------------------------- Communs

#[test]
fn communs_sample() {
    let (bytes, p) = sample("Communs.xml");
    let c = communs::from_bytes(&bytes, &p).expect("sample loads");
    assert_eq!(c.uai.as_deref(), Some("0999999X"));
    assert_eq!(c.annee, Some(2024));
    assert_eq!(c.millesime(), Some(2024));
    assert_eq!(c.date_debut, Some(date(2024, 9, 2)));
    assert_eq!(c.date_fin, Some(date(2025, 7, 5)));
    assert_eq!(c.denomination.as_deref(), Some("COLLEGE"));
}

// ---------------------------------------------------------------- STS-Web

#[test]
fn sts_sample() {
    let (bytes, p) = sample("sts_emp_0999999X_2024.xml");
    let s = sts::from_bytes(&bytes, &p).expect("sample loads");
    assert_eq!(s.uai.as_deref(), Some("0999999X"));
    assert_eq!(s.annee, Some(2024));
    assert_eq!(s.date_debut, Some(date(2024, 9, 1)));
    assert_eq!(s.application_source, None);
    assert!(!s.is_third_party());
    assert_eq!(s.individus.len(), 8);
    assert_eq!(
        s.matieres.get("030602").map(String::as_str),
        Some("Espagnol LV2")
    );
    assert_eq!(s.mefs.len(), 2);

    let joly = s.individu("990104").expect("990104");
    assert_eq!(joly.type_.as_deref(), Some("local"));
    assert_eq!(joly.fonction, None);
    assert_eq!(joly.date_naissance, None);
    assert_eq!(joly.nom(), Some("JOLY"));
    assert_eq!(joly.civilite_lsu(), Some("M"));
    assert_eq!(
        s.individu("0990101").and_then(|i| i.prenom.as_deref()),
        Some("Sophie")
    );
    assert_eq!(
        s.individu("990001").and_then(|i| i.fonction.as_deref()),
        Some("DIR")
    );
    assert!(s.individu("123").is_none());
    let garnier = s.individu("990101").expect("990101");
    assert_eq!(garnier.disciplines[0].code, "L0202");
    assert_eq!(garnier.disciplines[0].nb_heures, Some(18.0));

    assert!(s.is_division("6A") && s.is_division("3B"));
    assert!(!s.is_division("3B_ESP2"));
    let d6 = s.division("6A").expect("6A");
    assert_eq!(d6.mefs, ["10010012110"]);
    assert_eq!(d6.services.len(), 5);
    let fr = d6.services_of("020700").next().expect("français 6A");
    assert_eq!(fr.code_mod_cours.as_deref(), Some("CG"));
    assert_eq!(fr.heures(), Some(4.5));
    assert!(fr.has_enseignant("990101"));
    assert!(!fr.has_enseignant("990102"));

    let esp = s.groupe("3B_ESP2").expect("3B_ESP2");
    assert_eq!(esp.divisions, ["3B"]);
    assert_eq!(esp.services[0].code_matiere, "030602");
    assert_eq!(esp.services[0].enseignants[0].id, "990104");
    assert_eq!(
        esp.services[0].enseignants[0].type_.as_deref(),
        Some("local")
    );
    assert_eq!(esp.services[0].heures(), Some(2.5));
    assert_eq!(s.groupes_of_division("3B").count(), 2);
    let pp: Vec<_> = s.profs_princ_of("3B").filter_map(|i| i.nom()).collect();
    assert_eq!(pp, ["HAMON"]);
}

/// interfaces.md « Reference files »: a person without TYPE, a division without CODE are dropped,
/// an unreadable birth date is unknown; the rest of the file is loaded.
#[test]
fn sts_unreadable_records_are_dropped_or_kept_with_a_note() {
    let (raw, _) = sample("sts_emp_0999999X_2024.xml");
    let text = encoding_rs::ISO_8859_15
        .decode(&raw)
        .0
        .replacen(
            r#"<INDIVIDU ID="990102" TYPE="epp">"#,
            r#"<INDIVIDU ID="990102">"#,
            1,
        )
        .replacen(r#"<DIVISION CODE="3B">"#, "<DIVISION>", 1);
    let first_birth = text.find("<DATE_NAISSANCE>").expect("a birth date");
    let end = first_birth + text[first_birth..].find("</DATE_NAISSANCE>").unwrap();
    let text = format!(
        "{}<DATE_NAISSANCE>né en 1980{}",
        &text[..first_birth],
        &text[end..]
    );
    let bytes = encoding_rs::ISO_8859_15.encode(&text).0.into_owned();
    let s = sts::from_bytes(&bytes, Path::new("sts.xml")).expect("not fatal");
    assert_eq!(s.individus.len(), 7);
    assert!(s.individu("990102").is_none());
    assert!(s.individu("990101").is_some());
    assert!(!s.is_division("3B") && s.is_division("6A"));
    assert_eq!((s.unreadable.kept, s.unreadable.dropped), (1, 2));
    assert_eq!(s.unreadable.lines.len(), 3);
    let m = s.unreadable.message().expect("a note");
    assert!(
        m.contains("né en 1980") && m.contains("sans attribut ID ou TYPE"),
        "{m}"
    );
}

#[test]
fn sts_third_party_tool_is_kept() {
    let bytes = patched(
        "sts_emp_0999999X_2024.xml",
        "<HORODATAGE>",
        "<APPLICATION_SOURCE>EDT PRIVE 2024</APPLICATION_SOURCE>\n    <HORODATAGE>",
    );
    let s = sts::from_bytes(&bytes, Path::new("sts.xml")).expect("loads");
    assert_eq!(s.application_source.as_deref(), Some("EDT PRIVE 2024"));
    assert!(s.is_third_party());
    assert!(s.summary().contains("EDT PRIVE 2024"));
}

// ---------------------------------------------------------------- ONDE

fn check_onde(o: &onde::Onde) {
    assert_eq!(o.eleves.len(), 6);
    assert_eq!(o.classes.len(), 2);
    let c1 = o.classe("99901").expect("99901");
    assert_eq!(c1.libelle.as_deref(), Some("CE2 - Mme PERRIN"));
    assert_eq!(c1.eleves.len(), 3);
    let c2 = o.classe("99902").expect("99902");
    assert_eq!(c2.libelle.as_deref(), Some("CM1-CM2 - M. QUÉRÉ"));
    assert_eq!(
        c2.niveaux.iter().map(String::as_str).collect::<Vec<_>>(),
        ["CM1", "CM2"]
    );
    let t = o.eleve_by_ine("099990103bc").expect("TESSIER by INE");
    assert_eq!(t.nom.as_deref(), Some("TESSIER"));
    assert_eq!(t.nom_usage.as_deref(), Some("BLANC"));
    assert_eq!(t.prenom.as_deref(), Some("Lou"));
    assert_eq!(t.date_naissance, Some(date(2016, 10, 3)));
    assert_eq!(t.classe_id.as_deref(), Some("99901"));
    assert_eq!(t.cycle.as_deref(), Some("CYCLE II"));
    assert_eq!(t.line, 4);
    let s = o.eleve_by_ine("099990102BB").expect("SAUVAGE");
    assert_eq!(s.prenom.as_deref(), Some("Timéo"));
    assert_eq!(o.classes_by_libelle("cm1-cm2 - m. quere").len(), 1);
    assert_eq!(o.eleves_of_classe("99902").count(), 3);
}

#[test]
fn onde_utf8_sample() {
    let (bytes, p) = sample("CSVExtraction.csv");
    let o = onde::from_bytes(&bytes, &p).expect("sample loads");
    assert_eq!(o.encoding, "UTF-8");
    check_onde(&o);
}

#[test]
fn onde_windows1252_sample() {
    let (bytes, p) = sample("CSVExtraction-windows1252.csv");
    let o = onde::from_bytes(&bytes, &p).expect("sample loads");
    assert_eq!(o.encoding, "Windows-1252");
    check_onde(&o);
}

#[test]
fn onde_bom_loose_headers_and_quoted_cells() {
    let (bytes, _) = sample("CSVExtraction.csv");
    let text = String::from_utf8(bytes).expect("utf-8 sample");
    let (header, rest) = text.split_once('\n').expect("header");
    let header = header
        .replace("Identifiant classe", " IDENTIFIANT  Classe ")
        .replace("Prénom élève", "prenom eleve")
        .replace("Nom d'usage élève", "Nom d\u{2019}usage élève")
        .replace("Cycle", " Cycle");
    // A quoted label holding the separator and a line break.
    let rest = rest.replace("CE2 - Mme PERRIN", "\"CE2; Mme\nPERRIN\"");
    let csv = format!("\u{feff}{header}\r\n{rest}");
    let o = onde::from_bytes(csv.as_bytes(), Path::new("x.csv")).expect("loose headers load");
    assert_eq!(o.encoding, "UTF-8");
    assert_eq!(o.eleves.len(), 6);
    assert_eq!(
        o.classe("99901").and_then(|c| c.libelle.as_deref()),
        Some("CE2; Mme\nPERRIN")
    );
    assert_eq!(
        o.eleve_by_ine("099990103BC")
            .and_then(|e| e.nom_usage.as_deref()),
        Some("BLANC")
    );
    assert_eq!(
        o.eleve_by_ine("099990104BD")
            .and_then(|e| e.cycle.as_deref()),
        Some("CYCLE III")
    );
    // Records after a multi-line cell keep their real line numbers.
    assert_eq!(o.eleve_by_ine("099990104BD").map(|e| e.line), Some(8));
}

#[test]
fn onde_errors() {
    let m = ref_err(onde::from_bytes(
        b"Nom;Prenom;Classe\nA;B;C\n",
        Path::new("autre.csv"),
    ));
    assert!(
        m.contains("INE") && m.contains("Identifiant classe") && m.contains("ligne 1"),
        "{m}"
    );
    let m = ref_err(onde::from_bytes(b"", Path::new("vide.csv")));
    assert!(m.contains("vide"), "{m}");
    // An unreadable date is unknown, not fatal (interfaces.md « Reference files »).
    let (bytes, _) = sample("CSVExtraction.csv");
    let bad = String::from_utf8(bytes)
        .expect("utf-8")
        .replace("03/10/2016", "31/02/2016");
    let o = onde::from_bytes(bad.as_bytes(), Path::new("x.csv")).expect("loads");
    assert_eq!(o.unreadable.kept, 1);
    assert_eq!(o.unreadable.lines, vec![4]);
    let m = o.unreadable.message().expect("a note");
    assert!(m.contains("ligne 4") && m.contains("31/02/2016"), "{m}");
    // A row with too few fields: kept when INE and class id are there, else dropped.
    let o = onde::from_bytes(
        "Nom élève;Prénom élève;INE;Identifiant classe;Date naissance;Niveau\n\
         A;B;099990101BA;99901;01/01/2017;CE2\n\
         C;D;099990102BB;99901\n\
         E;F;099990103BC\n"
            .as_bytes(),
        Path::new("court.csv"),
    )
    .expect("short rows are not fatal");
    assert_eq!(o.eleves.len(), 2);
    assert_eq!((o.unreadable.kept, o.unreadable.dropped), (1, 1));
    assert_eq!(o.unreadable.lines, vec![3, 4]);
    assert_eq!(o.eleves[1].niveau, None, "the missing column is unknown");
    let m = o.unreadable.message().expect("a note");
    assert!(m.contains("4 champs au lieu de 6"), "{m}");
    let m = ref_err(onde::from_bytes(
        b"INE;Identifiant classe;Nom eleve;Prenom eleve\n\"abc;1;2;3\n",
        Path::new("q.csv"),
    ));
    assert!(m.contains("guillemet") && m.contains("ligne 2"), "{m}");
    // An XML file given as ONDE names what it is.
    let (xml, _) = sample("Communs.xml");
    let m = ref_err(onde::from_bytes(&xml, Path::new("Communs.xml")));
    assert!(
        m.contains("Siècle Communs") && m.contains("--communs"),
        "{m}"
    );
}

// ---------------------------------------------------------------- zip

#[test]
fn zip_made_in_test() {
    let (xml, _) = sample("ElevesSansAdresses.xml");
    let z = zip_of(&[("ElevesSansAdresses.xml", &xml)]);
    let s =
        siecle::from_bytes(&z, Path::new("ExportXML_ElevesSansAdresses.zip")).expect("zip loads");
    assert_eq!(s.eleves.len(), 6);
    assert_eq!(
        s.eleve("9000001").and_then(|e| e.prenom.as_deref()),
        Some("Léna")
    );

    // Through load(), from disk, the note names the member.
    let dir = scratch("zip");
    let zp = dir.join("Export.zip");
    std::fs::write(&zp, &z).expect("write zip");
    let args = CommonArgs {
        siecle: Some(zp.clone()),
        ..CommonArgs::default()
    };
    let l = refdata::load(&args.sources(), &Config::default()).expect("loads");
    assert_eq!(
        l.inputs.siecle.as_deref(),
        Some(zp.display().to_string().as_str())
    );
    assert!(
        l.notes
            .iter()
            .map(ToString::to_string)
            .any(|n| n.contains("ElevesSansAdresses.xml") && n.contains("6 élèves")),
        "{:?}",
        l.notes
    );

    // A folder entry and a macOS resource fork are not data.
    let z2 = zip_of(&[
        ("__MACOSX/._x.xml", b"junk"),
        ("export/ElevesSansAdresses.xml", &xml),
    ]);
    assert!(siecle::from_bytes(&z2, Path::new("z2.zip")).is_ok());
}

#[test]
fn zip_refusals() {
    let (xml, _) = sample("Communs.xml");
    let many: Vec<(String, Vec<u8>)> = (0..20)
        .map(|i| (format!("f{i}.xml"), xml.clone()))
        .collect();
    let refs: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    let m = ref_err(communs::from_bytes(&zip_of(&refs), Path::new("many.zip")));
    assert!(m.contains("20 entrées"), "{m}");

    let two = zip_of(&[("a.xml", &xml), ("b.xml", &xml)]);
    let m = ref_err(communs::from_bytes(&two, Path::new("two.zip")));
    assert!(m.contains("plusieurs"), "{m}");

    let m = ref_err(communs::from_bytes(&zip_of(&[]), Path::new("empty.zip")));
    assert!(m.contains("vide"), "{m}");

    // A member inflating beyond the limit (a zip bomb at small scale).
    let big = vec![b' '; 200_000];
    let bomb = zip_of(&[("bomb.xml", &big)]);
    assert!(bomb.len() < 10_000, "deflate compresses the bomb");
    let m =
        ref_err(read::unpack_limited(&bomb, Path::new("bomb.zip"), 100_000).map(|u| u.bytes.len()));
    assert!(m.contains("archive piégée"), "{m}");

    let m = ref_err(communs::from_bytes(
        b"PK\x03\x04garbage",
        Path::new("bad.zip"),
    ));
    assert!(m.contains("zip"), "{m}");
}

// ---------------------------------------------------------------- errors on XML files

#[test]
fn missing_file() {
    let args = CommonArgs {
        sts: Some(PathBuf::from("/nonexistent/sts_emp.xml")),
        ..CommonArgs::default()
    };
    let m = ref_err(refdata::load(&args.sources(), &Config::default()).map(|_| ()));
    assert!(m.contains("introuvable"), "{m}");
    let args = CommonArgs {
        siecle: Some(samples()),
        ..CommonArgs::default()
    };
    let m = ref_err(refdata::load(&args.sources(), &Config::default()).map(|_| ()));
    assert!(m.contains("dossier"), "{m}");
}

#[test]
fn wrong_kind() {
    let (bytes, p) = sample("Nomenclature.xml");
    let m = ref_err(siecle::from_bytes(&bytes, &p));
    assert!(
        m.contains("--siecle") && m.contains("Siècle Nomenclature") && m.contains("--nomenclature"),
        "{m}"
    );
    let (bytes, p) = sample("CSVExtraction.csv");
    let m = ref_err(sts::from_bytes(&bytes, &p));
    assert!(m.contains("--sts") && m.contains("ONDE"), "{m}");
    let m = ref_err(nomenclature::from_bytes(
        b"<lsun-bilans/>",
        Path::new("lsu.xml"),
    ));
    assert!(m.contains("LSU"), "{m}");
    let m = ref_err(communs::from_bytes(
        b"<?xml version=\"1.0\"?><FOO/>",
        Path::new("foo.xml"),
    ));
    assert!(m.contains("<FOO>"), "{m}");
}

#[test]
fn truncated_and_hostile_xml() {
    let (bytes, _) = sample("ElevesSansAdresses.xml");
    let m = ref_err(siecle::from_bytes(&bytes[..3000], Path::new("t.xml")));
    assert!(m.contains("tronqué") && m.contains("ligne"), "{m}");

    let m = ref_err(siecle::from_bytes(
        b"<?xml version=\"1.0\"?>\n<BEE_ELEVES>\n<PARAMETRES></PARAMETRE>\n</BEE_ELEVES>",
        Path::new("m.xml"),
    ));
    assert!(m.contains("ligne 3"), "{m}");

    let laughs = b"<?xml version=\"1.0\"?>\n<!DOCTYPE BEE_ELEVES [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>\n<BEE_ELEVES><DONNEES>&b;</DONNEES></BEE_ELEVES>";
    let m = ref_err(siecle::from_bytes(laughs, Path::new("dtd.xml")));
    assert!(m.contains("DTD"), "{m}");

    let m = ref_err(siecle::from_bytes(
        b"<?xml version=\"1.0\" encoding=\"KLINGON-8\"?><BEE_ELEVES/>",
        Path::new("enc.xml"),
    ));
    assert!(m.contains("KLINGON-8"), "{m}");

    // Declared UTF-8 but Latin-9 bytes.
    let m = ref_err(siecle::from_bytes(
        b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BEE_ELEVES><DONNEES><ELEVES><ELEVE ELEVE_ID=\"1\"><PRENOM>L\xe9na</PRENOM></ELEVE></ELEVES></DONNEES></BEE_ELEVES>",
        Path::new("u.xml"),
    ));
    assert!(m.contains("ligne 2") && m.contains("UTF-8"), "{m}");

    // Every prefix of every sample: an error or a value, never a panic.
    for name in [
        "ElevesSansAdresses.xml",
        "Nomenclature.xml",
        "Communs.xml",
        "sts_emp_0999999X_2024.xml",
        "CSVExtraction.csv",
    ] {
        let (bytes, p) = sample(name);
        for cut in (0..bytes.len()).step_by(97) {
            let b = &bytes[..cut];
            let _ = siecle::from_bytes(b, &p);
            let _ = nomenclature::from_bytes(b, &p);
            let _ = communs::from_bytes(b, &p);
            let _ = sts::from_bytes(b, &p);
            let _ = onde::from_bytes(b, &p);
        }
    }
}

#[test]
fn utf8_xml_with_bom_and_no_declaration() {
    let (bytes, _) = sample("Communs.xml");
    let s = encoding_rs::ISO_8859_15
        .decode(&bytes)
        .0
        .replace("encoding=\"ISO-8859-15\"", "encoding=\"UTF-8\"");
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), s.as_bytes()].concat();
    assert!(communs::from_bytes(&with_bom, Path::new("bom.xml")).is_ok());
    let no_decl = s
        .split_once("?>")
        .map(|(_, r)| r.to_string())
        .expect("declaration");
    assert_eq!(
        communs::from_bytes(no_decl.as_bytes(), Path::new("nodecl.xml"))
            .ok()
            .and_then(|c| c.date_debut),
        Some(date(2024, 9, 2))
    );
}

#[test]
fn utf8_content_under_latin9_declaration() {
    let (bytes, _) = sample("ElevesSansAdresses.xml");
    let utf8 = encoding_rs::ISO_8859_15.decode(&bytes).0.into_owned();
    assert!(utf8.contains("encoding=\"ISO-8859-15\""));
    let s = siecle::from_bytes(utf8.as_bytes(), Path::new("resaved.xml")).expect("loads");
    assert_eq!(
        s.eleve("9000005").and_then(|e| e.prenom.as_deref()),
        Some("Maëlys")
    );
}

// ---------------------------------------------------------------- --refdata

#[test]
fn refdata_folder_recognised_by_content() {
    let dir = scratch("folder");
    // Names say nothing: recognition is by content.
    let copies = [
        ("ElevesSansAdresses.xml", "a.dat"),
        ("Nomenclature.xml", "b.xml"),
        ("sts_emp_0999999X_2024.xml", "c"),
        ("CSVExtraction-windows1252.csv", "d.txt"),
        ("Communs.xml", "e.xml"),
    ];
    for (from, to) in copies {
        std::fs::copy(samples().join(from), dir.join(to)).expect("copy");
    }
    std::fs::write(dir.join("notes.txt"), "liste des classes\n").expect("write");
    std::fs::write(
        dir.join("structures.xml"),
        "<?xml version=\"1.0\"?><BEE_STRUCTURES/>",
    )
    .expect("write");
    std::fs::write(dir.join(".cache"), "hidden").expect("write");
    let args = CommonArgs {
        refdata: Some(dir.clone()),
        ..CommonArgs::default()
    };
    let l = refdata::load(&args.sources(), &Config::default()).expect("folder loads");
    let r = &l.refdata;
    assert_eq!(r.siecle.as_ref().map(|s| s.eleves.len()), Some(6));
    assert_eq!(r.nomenclature.as_ref().map(|n| n.matieres.len()), Some(7));
    assert_eq!(r.sts.as_ref().map(|s| s.individus.len()), Some(8));
    assert_eq!(r.onde.as_ref().map(|o| o.encoding), Some("Windows-1252"));
    assert_eq!(
        r.communs.as_ref().and_then(|c| c.date_debut),
        Some(date(2024, 9, 2))
    );
    for i in [
        Input::Siecle,
        Input::Nomenclature,
        Input::Sts,
        Input::Onde,
        Input::Communs,
        Input::Calendar,
    ] {
        assert!(r.has(i), "{i:?}");
    }
    assert!(!r.has(Input::Settings));
    assert_eq!(
        l.inputs.siecle.as_deref(),
        Some(dir.join("a.dat").display().to_string().as_str())
    );
    assert_eq!(
        l.inputs.onde.as_deref(),
        Some(dir.join("d.txt").display().to_string().as_str())
    );
    let notes = l
        .notes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        notes.contains("notes.txt") && notes.contains("non reconnu"),
        "{notes}"
    );
    assert!(
        notes.contains("structures.xml") && notes.contains("Structures"),
        "{notes}"
    );
    assert!(
        notes.contains("a.dat : Siècle ElevesSansAdresses, UAI 0999999X, 2024-2025, 6 élèves"),
        "{notes}"
    );
    assert!(!notes.contains(".cache"), "{notes}");
    // Communs start date feeds the calendar.
    assert_eq!(
        l.calendar.rentree(2024),
        Some((date(2024, 9, 2), RentreeSource::Communs))
    );

    // An explicit option wins over the folder, which is then noted.
    let other = scratch("folder-explicit");
    let zp = other.join("s.zip");
    std::fs::write(
        &zp,
        zip_of(&[(
            "x.xml",
            &std::fs::read(samples().join("ElevesSansAdresses.xml")).expect("read"),
        )]),
    )
    .expect("write");
    let args = CommonArgs {
        refdata: Some(dir.clone()),
        siecle: Some(zp.clone()),
        ..CommonArgs::default()
    };
    let l = refdata::load(&args.sources(), &Config::default()).expect("loads");
    assert_eq!(
        l.inputs.siecle.as_deref(),
        Some(zp.display().to_string().as_str())
    );
    assert!(
        l.notes
            .iter()
            .map(ToString::to_string)
            // The same content (unzipped) by two routes is read once, and said so.
            .any(|n| n.contains("a.dat") && n.contains("deux fois") && n.contains("même contenu")),
        "{:?}",
        l.notes
    );
}

#[test]
fn refdata_folder_errors() {
    let args = CommonArgs {
        refdata: Some(PathBuf::from("/nonexistent/refdata")),
        ..CommonArgs::default()
    };
    let m = ref_err(refdata::load(&args.sources(), &Config::default()).map(|_| ()));
    assert!(m.contains("introuvable"), "{m}");
    // A recognised file that is malformed stops the run.
    let dir = scratch("folder-bad");
    let (bytes, _) = sample("sts_emp_0999999X_2024.xml");
    std::fs::write(dir.join("sts.xml"), &bytes[..5000]).expect("write");
    let args = CommonArgs {
        refdata: Some(dir.clone()),
        ..CommonArgs::default()
    };
    let m = ref_err(refdata::load(&args.sources(), &Config::default()).map(|_| ()));
    assert!(m.contains("tronqué"), "{m}");
}

#[test]
fn config_inputs_are_defaults() {
    let dir = scratch("config");
    std::fs::copy(samples().join("Communs.xml"), dir.join("Communs.xml")).expect("copy");
    std::fs::write(
        dir.join("lsu-settings.toml"),
        "annee = 2024\nacademie = \"Mayotte\"\n",
    )
    .expect("write");
    let cfg_path = dir.join("lsu-lint.toml");
    let cfg_text = "[inputs]\ncommuns = \"Communs.xml\"\nsettings = \"lsu-settings.toml\"\n";
    std::fs::write(&cfg_path, cfg_text).expect("write");
    let config = Config::from_toml(cfg_text, &cfg_path).expect("config");
    let l = refdata::load(&refdata::Sources::default(), &config).expect("loads");
    assert!(l.refdata.has(Input::Communs) && l.refdata.has(Input::Settings));
    assert_eq!(l.calendar.zone, lsu_lint::calendar::Zone::Mayotte);
    // The command line wins over the config.
    let args = CommonArgs {
        communs: Some(PathBuf::from("/nonexistent/Communs.xml")),
        ..CommonArgs::default()
    };
    assert!(refdata::load(&args.sources(), &config).is_err());
}

// ---------------------------------------------------------------- settings

const SETTINGS: &str = r#"
annee = 2025
rentree = "2025-09-01"
academie = "Créteil"

[defaut]
source = "import-editeur"
periodicite = "trimestre"
positionnement = "notes"

[classes."3B"]
positionnement = "echelle"

[classes."99902"]
periodicite = "semestre"
source = "saisie"

[[periodes]]
indice = 2
debut = 2025-12-01
fin = "2026-02-28"

[[periodes]]
indice = 1
debut = "2025-09-01"
fin = "2025-11-30"

[[enseignants]]
civilite = "Mme"
nom = "D'Arcy-Lefèvre"
prenom = "Éloïse"
"#;

#[test]
fn settings_full() {
    use settings::{Periodicite, Positionnement, Source};
    let s = settings::parse(SETTINGS, Path::new("s.toml")).expect("valid settings");
    assert_eq!(s.annee, Some(2025));
    assert_eq!(s.rentree, Some(date(2025, 9, 1)));
    assert_eq!(s.academie.as_deref(), Some("Créteil"));
    let c3b = s.class("3B");
    assert_eq!(c3b.positionnement, Some(Positionnement::Echelle));
    assert_eq!(c3b.periodicite, Some(Periodicite::Trimestre));
    assert_eq!(c3b.source, Some(Source::ImportEditeur));
    let c = s.class("99902");
    assert_eq!(c.source, Some(Source::Saisie));
    assert_eq!(c.periodicite.map(|p| p.nb_periodes()), Some(2));
    assert_eq!(s.class("6A").positionnement, Some(Positionnement::Notes));
    assert!(s.has_class("3B") && !s.has_class("6A"));
    assert_eq!(
        s.periodes.iter().map(|p| p.indice).collect::<Vec<_>>(),
        [1, 2]
    );
    assert_eq!(s.periode(2).map(|p| p.debut), Some(date(2025, 12, 1)));
    assert_eq!(s.enseignants[0].civilite.as_deref(), Some("MME"));
    assert_eq!(s.enseignants[0].nom, "D'Arcy-Lefèvre");
    assert_eq!(s.enseignants[0].prenom.as_deref(), Some("Éloïse"));
    // An empty file is valid: nothing set.
    let e = settings::parse("", Path::new("e.toml")).expect("empty settings");
    assert_eq!(e.class("X"), settings::ClassSettings::default());
}

#[test]
fn settings_errors() {
    let p = Path::new("s.toml");
    let m = settings_err(settings::parse(
        "annee = 2025\nrentre = \"2025-09-01\"\n",
        p,
    ));
    assert!(
        m.contains("ligne 2")
            && m.contains("« rentre »")
            && m.contains("vouliez-vous dire « rentree »"),
        "{m}"
    );
    let m = settings_err(settings::parse(
        "[classes.\"3B\"]\npositionement = \"notes\"\n",
        p,
    ));
    assert!(m.contains("vouliez-vous dire « positionnement »"), "{m}");
    let m = settings_err(settings::parse(
        "[[periodes]]\nindice = 1\ndebut = \"2025-09-01\"\nfin = \"2025-11-30\"\nfn = 1\n",
        p,
    ));
    assert!(m.contains("« fn »") && m.contains("« fin »"), "{m}");
    let m = settings_err(settings::parse("[defaut]\nperiodicite = \"trimestr\"\n", p));
    assert!(
        m.contains("ligne 2")
            && m.contains("« trimestr »")
            && m.contains("vouliez-vous dire « trimestre »"),
        "{m}"
    );
    let m = settings_err(settings::parse("[defaut]\nsource = \"editeur\"\n", p));
    assert!(m.contains("import-editeur") && m.contains("saisie"), "{m}");
    let m = settings_err(settings::parse(
        "[classes.\"6A\"]\npositionnement = \"lettres\"\n",
        p,
    ));
    assert!(m.contains("« lettres »") && m.contains("echelle"), "{m}");
    let m = settings_err(settings::parse("rentree = \"01/09/2025\"\n", p));
    assert!(m.contains("ligne 1") && m.contains("AAAA-MM-JJ"), "{m}");
    let m = settings_err(settings::parse(
        "annee = 2025\nrentree = \"2024-09-02\"\n",
        p,
    ));
    assert!(m.contains("2025-2026"), "{m}");
    let m = settings_err(settings::parse("annee = 25\n", p));
    assert!(m.contains("millésime"), "{m}");
    let m = settings_err(settings::parse(
        "[[periodes]]\nindice = 7\ndebut = \"2025-09-01\"\nfin = \"2025-11-30\"\n",
        p,
    ));
    assert!(m.contains("indice"), "{m}");
    let m = settings_err(settings::parse(
        "[[periodes]]\nindice = 1\ndebut = \"2025-12-01\"\nfin = \"2025-11-30\"\n",
        p,
    ));
    assert!(m.contains("antérieure"), "{m}");
    let m = settings_err(settings::parse(
        "[[enseignants]]\ncivilite = \"Dr\"\nnom = \"X\"\n",
        p,
    ));
    assert!(m.contains("MME"), "{m}");
    let m = settings_err(settings::parse("[[enseignants]]\ncivilite = \"M\"\n", p));
    assert!(m.contains("« nom »"), "{m}");
    let m = settings_err(settings::parse("annee = \"2025\"\n", p));
    assert!(m.contains("ligne 1"), "{m}");
    let m = settings_err(settings::load(Path::new("/nonexistent/lsu-settings.toml")));
    assert!(m.contains("introuvable"), "{m}");
}

// ---------------------------------------------------------------- calendar precedence

#[test]
fn calendar_precedence() {
    let (bytes, p) = sample("Communs.xml");
    let communs = communs::from_bytes(&bytes, &p).expect("communs");
    // Built in only (metropolitan 2024-09-02).
    let r = RefData::default();
    assert_eq!(
        r.calendar().rentree(2024),
        Some((date(2024, 9, 2), RentreeSource::Calendar("métropole")))
    );
    // The settings' académie changes the built-in calendar.
    let r = RefData {
        settings: Some(settings::parse("academie = \"La Réunion\"\n", Path::new("s")).expect("s")),
        ..RefData::default()
    };
    assert_eq!(
        r.calendar().rentree(2024).map(|(d, _)| d),
        Some(date(2024, 8, 19))
    );
    // Communs beats the built-in calendar…
    let mut shifted = communs.clone();
    shifted.date_debut = Some(date(2024, 9, 3));
    let r = RefData {
        communs: Some(shifted.clone()),
        settings: Some(settings::parse("academie = \"La Réunion\"\n", Path::new("s")).expect("s")),
        ..RefData::default()
    };
    assert_eq!(
        r.calendar().rentree(2024),
        Some((date(2024, 9, 3), RentreeSource::Communs))
    );
    // …and the settings' rentrée beats Communs.
    let r = RefData {
        communs: Some(shifted),
        settings: Some(
            settings::parse("annee = 2024\nrentree = \"2024-09-04\"\n", Path::new("s")).expect("s"),
        ),
        ..RefData::default()
    };
    let cal = r.calendar();
    assert_eq!(
        cal.rentree(2024),
        Some((date(2024, 9, 4), RentreeSource::Settings))
    );
    // Overrides apply to their own school year only.
    assert_eq!(
        cal.rentree(2025).map(|(_, s)| s),
        Some(RentreeSource::Calendar("métropole"))
    );
    // Settings without annee: the rentrée's year is the millésime.
    let r = RefData {
        settings: Some(settings::parse("rentree = 2025-09-02\n", Path::new("s")).expect("s")),
        ..RefData::default()
    };
    assert_eq!(
        r.calendar().rentree(2025),
        Some((date(2025, 9, 2), RentreeSource::Settings))
    );
}

#[test]
fn has_per_field() {
    let (bytes, p) = sample("sts_emp_0999999X_2024.xml");
    let r = RefData {
        sts: Some(sts::from_bytes(&bytes, &p).expect("sts")),
        ..RefData::default()
    };
    assert!(r.has(Input::Sts) && r.has(Input::Calendar));
    assert!(!r.has(Input::Siecle) && !r.has(Input::Onde) && !r.has(Input::Nomenclature));
    assert!(r.is_known_division("6A") && !r.is_known_division("6B"));
    assert_eq!(
        r.identities(),
        [(
            Kind::Sts,
            // Reference files are named relative to the working directory (the crate's, here).
            lsu_lint::util::display_path(&p).as_str(),
            Some("0999999X"),
            Some(2024)
        )]
    );
}

// ---------------------------------------------------------------- CLI

#[test]
fn cli_check_accepts_reference_files() {
    let dir = scratch("cli");
    let settings = dir.join("lsu-settings.toml");
    std::fs::write(&settings, SETTINGS).expect("write");
    let lsu = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures");
    let lsu = first_xml(&lsu).expect("a fixture to check");
    let siecle = samples().join("ElevesSansAdresses.xml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .current_dir(&dir)
        .args(["check", "--format", "json", "--today", "2026-01-15"])
        .arg("--siecle")
        .arg(&siecle)
        .arg("--settings")
        .arg(&settings)
        .arg(&lsu)
        .output()
        .expect("run lsu-lint");
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    assert_eq!(v["inputs"]["siecle"], siecle.display().to_string());
    // Below the working directory, a file is named relative to it, as in every report.
    assert_eq!(v["inputs"]["settings"], "lsu-settings.toml");
    assert!(v["inputs"]["sts"].is_null());

    // A bad settings file is exit 2 with the did-you-mean.
    std::fs::write(&settings, "anne = 2025\n").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lsu-lint"))
        .current_dir(&dir)
        .args(["check", "--settings"])
        .arg(&settings)
        .arg(&lsu)
        .output()
        .expect("run lsu-lint");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("annee"), "{err}");
}

fn first_xml(dir: &Path) -> Option<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            if let Some(x) = first_xml(&p) {
                return Some(x);
            }
        } else if p.extension().is_some_and(|e| e == "xml") {
            return Some(p);
        }
    }
    None
}
