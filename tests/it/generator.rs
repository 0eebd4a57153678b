//! The synthetic school generator: determinism, validity against the official XSDs (read from
//! `../shared/reference/xsd/` as a test oracle only), consistency with the reference data,
//! recorded defects, and the demo corpus.

use crate::support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use lsu_gen::{self as gen, refdata, BilanKind, Defect, Degree, Options, School, Version};
use lsu_lint::catalogue::Severity;
use lsu_lint::cli::CommonArgs;
use lsu_lint::source::SourceFile;

const NS: &str = "urn:fr:edu:scolarite:lsun:bilans:import";

/// The official XSD folder (test oracle), if present: `LSU_LINT_OFFICIAL_XSD`, else
/// `shared/reference/xsd` beside the repository or one of its ancestors.
fn xsd_dir() -> Option<PathBuf> {
    support::official_xsd_dir()
}

/// Whether the oracle is there; says on stderr what is skipped when it is not.
fn oracle(what: &str) -> bool {
    support::official_xsd_or_skip(what).is_some()
}

fn xsd_for(v: Version) -> PathBuf {
    let d = xsd_dir().expect("callers check the oracle first");
    match v {
        Version::V10_0 => d.join("2d-10.0/import-complet-strict.xsd"),
        Version::V7_0 => d.join("2d-7.0/import-complet-strict.xsd"),
        Version::V3_0 => d.join("2d-3.0-lsu2020/import-bilan-complet.xsd"),
        Version::V1_0 => d.join("1d-1.0b/livret-scolaire_1d_schema_1.0b.xsd"),
    }
}

/// Validates `xml` against the official XSD; Err with the first messages.
fn validate(v: Version, xml: &[u8]) -> Result<(), String> {
    let xsd = xsd_for(v);
    assert!(xsd.exists(), "oracle XSD missing: {}", xsd.display());
    // Through lsu-lint's own wrapper: it initialises libxml2 once, which parallel tests need.
    let text = std::fs::read_to_string(&xsd).map_err(|e| format!("{}: {e}", xsd.display()))?;
    let schema = lsu_lint::schema::CustomSchema::compile(&text)
        .map_err(|e| format!("XSD does not compile: {e}"))?;
    let xml = std::str::from_utf8(xml).map_err(|e| format!("not UTF-8: {e}"))?;
    let errs = schema
        .validate(xml)
        .map_err(|e| format!("validation: {e}"))?;
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs
            .iter()
            .take(5)
            .map(|e| format!("line {}: {}", e.line, e.message))
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

fn school(degree: Degree, eleves: usize, seed: u64, v: Version) -> School {
    let mut o = Options::new(degree, eleves, seed);
    o.version = v;
    School::generate(&o).expect("generation")
}

fn all_outputs(s: &School) -> Vec<Vec<u8>> {
    let mut out = vec![s.lsu_bytes()];
    let mut push = |f: &dyn Fn(&mut Vec<u8>) -> std::io::Result<()>| {
        let mut v = Vec::new();
        f(&mut v).expect("write to Vec");
        out.push(v);
    };
    push(&|w| refdata::write_settings(s, w));
    match s.degree {
        Degree::D2 => {
            push(&|w| refdata::write_siecle_eleves(s, w));
            push(&|w| refdata::write_nomenclature(s, w));
            push(&|w| refdata::write_communs(s, w));
            push(&|w| refdata::write_sts(s, w));
        }
        Degree::D1 => push(&|w| refdata::write_onde(s, w)),
    }
    out
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    for (deg, v) in [(Degree::D2, Version::V10_0), (Degree::D1, Version::V1_0)] {
        let a = all_outputs(&school(deg, 70, 42, v));
        let b = all_outputs(&school(deg, 70, 42, v));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert!(x == y, "{deg:?}: same seed gave different bytes");
        }
        let c = all_outputs(&school(deg, 70, 43, v));
        assert_ne!(a[0], c[0], "{deg:?}: another seed gave the same LSU file");
    }
}

#[test]
fn valid_against_official_xsd_every_version() {
    if !oracle("valid_against_official_xsd_every_version") {
        return;
    }
    for (deg, v, n) in [
        (Degree::D2, Version::V10_0, 130),
        (Degree::D2, Version::V7_0, 90),
        (Degree::D2, Version::V3_0, 90),
        (Degree::D1, Version::V1_0, 80),
    ] {
        let s = school(deg, n, 7, v);
        let xml = s.lsu_bytes();
        let text = String::from_utf8(xml.clone()).expect("UTF-8");
        assert!(text.contains(&format!("schemaVersion=\"{}\"", v.as_str())));
        if let Err(e) = validate(v, &xml) {
            panic!("{} invalid against its XSD:\n{e}", v.as_str());
        }
        // Version differences (lsu-format.md §7).
        match v {
            Version::V10_0 => {
                assert!(!text.contains("date-verrou"));
                assert!(!text.contains("eleve-non-note"));
            }
            Version::V7_0 | Version::V3_0 => {
                assert!(text.contains("date-verrou=\""));
                assert!(!text.contains("statut-evaluation-eleve"));
            }
            Version::V1_0 => assert!(text.contains("<classes>")),
        }
        // The same file is not valid against a neighbouring version (the oracle discriminates).
        if v == Version::V10_0 {
            assert!(validate(Version::V7_0, &xml).is_err());
        }
    }
}

#[test]
fn other_seeds_and_period_counts_stay_valid() {
    if !oracle("other_seeds_and_period_counts_stay_valid") {
        return;
    }
    for seed in [1u64, 2, 3] {
        for periods in [2u32, 4] {
            let mut o = Options::new(Degree::D2, 60, seed);
            o.periods = periods;
            let s = School::generate(&o).expect("generation");
            validate(Version::V10_0, &s.lsu_bytes())
                .unwrap_or_else(|e| panic!("seed {seed}, {periods} périodes: {e}"));
            let mut o = Options::new(Degree::D1, 60, seed);
            o.periods = periods;
            let s = School::generate(&o).expect("generation");
            validate(Version::V1_0, &s.lsu_bytes())
                .unwrap_or_else(|e| panic!("1D seed {seed}, {periods} périodes: {e}"));
        }
    }
}

fn parse(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).expect("well-formed")
}

fn elems<'a, 'i>(doc: &'a roxmltree::Document<'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants().filter(|n| n.has_tag_name(name)).collect()
}

fn latin9(bytes: &[u8]) -> String {
    let (t, _, bad) = encoding_rs::ISO_8859_15.decode(bytes);
    assert!(!bad);
    t.into_owned()
}

fn child_text<'a>(n: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.children()
        .find(|c| c.has_tag_name(name))
        .and_then(|c| c.text())
}

#[test]
fn reference_data_matches_the_lsu_file_2d() {
    let s = school(Degree::D2, 150, 11, Version::V10_0);
    let out = all_outputs(&s);
    let lsu = String::from_utf8(out[0].clone()).expect("UTF-8");
    let lsu = parse(&lsu);
    // Siècle files are really ISO-8859-15.
    for bytes in &out[2..] {
        assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>"));
        assert!(std::str::from_utf8(bytes).is_err() || !bytes.iter().any(|b| *b >= 0x80));
    }
    let siecle_text = latin9(&out[2]);
    let siecle = parse(&siecle_text);
    let sts_text = latin9(&out[5]);
    let sts = parse(&sts_text);
    let nom_text = latin9(&out[3]);
    let nomenclature = parse(&nom_text);
    let communs_text = latin9(&out[4]);
    let communs = parse(&communs_text);

    let uai = elems(&lsu, "etablissement")[0].text().unwrap_or_default();
    assert_eq!(uai, s.uai);
    for doc in [&siecle, &nomenclature, &communs] {
        assert_eq!(elems(doc, "UAJ")[0].text(), Some(uai));
        assert_eq!(elems(doc, "ANNEE_SCOLAIRE")[0].text(), Some("2025"));
    }
    assert_eq!(elems(&sts, "UAJ")[0].attribute("CODE"), Some(uai));
    assert_eq!(
        elems(&sts, "ANNEE_SCOLAIRE")[0].attribute("ANNEE"),
        Some("2025")
    );
    assert_eq!(
        elems(&communs, "DATE_DEBUT_ELEVE")[0].text(),
        Some("01/09/2025")
    );
    for p in elems(&lsu, "periode") {
        assert_eq!(p.attribute("millesime"), Some("2025"));
    }

    // Pupils: id-be = ELEVE_ID, code-division = the pupil's Siècle D structure, and an STS division.
    let mut division_of: BTreeMap<&str, &str> = BTreeMap::new();
    for se in elems(&siecle, "STRUCTURES_ELEVE") {
        for st in se.children().filter(|c| c.has_tag_name("STRUCTURE")) {
            if child_text(st, "TYPE_STRUCTURE") == Some("D") {
                division_of.insert(
                    se.attribute("ELEVE_ID").unwrap_or(""),
                    child_text(st, "CODE_STRUCTURE").unwrap_or(""),
                );
            }
        }
    }
    let siecle_ids: BTreeSet<&str> = elems(&siecle, "ELEVE")
        .iter()
        .filter_map(|e| e.attribute("ELEVE_ID"))
        .collect();
    let sts_divs: BTreeSet<&str> = elems(&sts, "DIVISION")
        .iter()
        .filter_map(|e| e.attribute("CODE"))
        .collect();
    let eleves = elems(&lsu, "eleve");
    assert_eq!(eleves.len(), 150);
    assert_eq!(siecle_ids.len(), 150);
    for e in &eleves {
        let id_be = e.attribute("id-be").unwrap_or_default();
        assert!(siecle_ids.contains(id_be), "id-be {id_be} not in Siècle");
        let div = e.attribute("code-division").unwrap_or_default();
        assert_eq!(division_of.get(id_be).copied(), Some(div));
        assert!(sts_divs.contains(div), "division {div} not in STS");
    }
    // Teachers: (type, id-sts) of every LSU teacher is an STS individual with that TYPE.
    let sts_people: BTreeSet<(&str, &str)> = elems(&sts, "INDIVIDU")
        .iter()
        .filter_map(|i| Some((i.attribute("TYPE")?, i.attribute("ID")?)))
        .collect();
    for t in elems(&lsu, "enseignant") {
        let key = (
            t.attribute("type").unwrap_or(""),
            t.attribute("id-sts").unwrap_or(""),
        );
        assert!(sts_people.contains(&key), "teacher {key:?} not in STS");
    }
    // Every professeur principal is one in STS for that division.
    let pp: BTreeSet<(String, String)> = elems(&sts, "INDIVIDU")
        .iter()
        .flat_map(|i| {
            elems_of(*i, "PROF_PRINC")
                .into_iter()
                .map(|p| {
                    (
                        i.attribute("ID").unwrap_or("").to_string(),
                        child_text(p, "CODE_STRUCTURE").unwrap_or("").to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let eleve_div: BTreeMap<&str, &str> = eleves
        .iter()
        .map(|e| {
            (
                e.attribute("id").unwrap_or(""),
                e.attribute("code-division").unwrap_or(""),
            )
        })
        .collect();
    for b in elems(&lsu, "bilan-periodique") {
        let div = eleve_div[b.attribute("eleve-ref").unwrap_or("")];
        let t = b
            .attribute("prof-princ-refs")
            .unwrap_or("")
            .trim_start_matches("ENS_");
        assert!(
            pp.contains(&(t.to_string(), div.to_string())),
            "PP {t} of {div} not in STS"
        );
    }
    // Disciplines (code, modalité) are in the Nomenclature programmes.
    let programmes: BTreeSet<(&str, &str)> = elems(&nomenclature, "PROGRAMME")
        .iter()
        .filter_map(|p| {
            Some((
                child_text(*p, "CODE_MATIERE")?,
                child_text(*p, "CODE_MODALITE_ELECT")?,
            ))
        })
        .collect();
    for d in elems(&lsu, "discipline") {
        let key = (
            d.attribute("code").unwrap_or(""),
            d.attribute("modalite-election").unwrap_or(""),
        );
        assert!(
            programmes.contains(&key),
            "discipline {key:?} not in Nomenclature"
        );
    }
    // date-scolarite is never before the pupil's entry date nor after his exit date.
    let fr = |s: &str| chrono::NaiveDate::parse_from_str(s, "%d/%m/%Y").expect("date");
    let mut entree = BTreeMap::new();
    let mut sortie = BTreeMap::new();
    for e in elems(&siecle, "ELEVE") {
        let id = e.attribute("ELEVE_ID").unwrap_or("");
        entree.insert(id, fr(child_text(e, "DATE_ENTREE").unwrap_or("01/01/2000")));
        if let Some(x) = child_text(e, "DATE_SORTIE") {
            sortie.insert(id, fr(x));
        }
    }
    assert!(
        entree.values().any(|d| d.to_string() != "2025-09-01"),
        "no late arrival"
    );
    assert!(!sortie.is_empty(), "no leaver");
    let id_be: BTreeMap<&str, &str> = eleves
        .iter()
        .map(|e| {
            (
                e.attribute("id").unwrap_or(""),
                e.attribute("id-be").unwrap_or(""),
            )
        })
        .collect();
    for b in elems(&lsu, "bilan-periodique") {
        let be = id_be[b.attribute("eleve-ref").unwrap_or("")];
        let ds = chrono::NaiveDate::parse_from_str(
            b.attribute("date-scolarite").unwrap_or(""),
            "%Y-%m-%d",
        )
        .expect("date");
        assert!(ds >= entree[be] && ds >= s.rentree);
        if let Some(x) = sortie.get(be) {
            assert!(ds <= *x);
        }
    }
    // Settings: échelle classes are exactly the divisions assessed by positionnement.
    let settings: toml::Value =
        toml::from_str(std::str::from_utf8(&out[1]).expect("UTF-8")).expect("settings TOML");
    assert_eq!(settings["annee"].as_integer(), Some(2025));
    assert_eq!(settings["defaut"]["positionnement"].as_str(), Some("notes"));
    let echelle: BTreeSet<&str> = settings["classes"]
        .as_table()
        .map(|t| t.keys().map(String::as_str).collect())
        .unwrap_or_default();
    for b in elems(&lsu, "bilan-periodique") {
        let div = eleve_div[b.attribute("eleve-ref").unwrap_or("")];
        let positioned = elems_of(b, "acquis")
            .iter()
            .any(|a| a.has_attribute("positionnement"));
        let noted = elems_of(b, "acquis")
            .iter()
            .any(|a| a.has_attribute("moyenne-eleve"));
        assert_eq!(positioned, echelle.contains(div), "{div}");
        assert_eq!(noted, !echelle.contains(div), "{div}");
    }
}

fn elems_of<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    n.descendants().filter(|x| x.has_tag_name(name)).collect()
}

#[test]
fn reference_data_matches_the_lsu_file_1d() {
    let s = school(Degree::D1, 90, 12, Version::V1_0);
    let out = all_outputs(&s);
    let lsu_text = String::from_utf8(out[0].clone()).expect("UTF-8");
    let lsu = parse(&lsu_text);
    let csv = String::from_utf8(out[2].clone()).expect("ONDE CSV in UTF-8");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(';').collect();
    assert_eq!(header.len(), 22);
    assert_eq!(header[17], "Identifiant classe");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(';').collect()).collect();
    assert_eq!(rows.len(), 90);
    assert!(rows.iter().all(|r| r.len() == 22));
    let ine_class: BTreeMap<&str, &str> = rows.iter().map(|r| (r[5], r[17])).collect();
    let classes: BTreeMap<&str, &str> = elems(&lsu, "classe")
        .iter()
        .map(|c| {
            (
                c.attribute("id").unwrap_or(""),
                c.attribute("id-be").unwrap_or(""),
            )
        })
        .collect();
    for e in elems(&lsu, "eleve") {
        let ine = e.attribute("ine").unwrap_or("");
        assert_eq!(ine.chars().count(), 11);
        let id_be = classes[e.attribute("classe-ref").unwrap_or("")];
        assert_eq!(ine_class.get(ine).copied(), Some(id_be), "INE {ine}");
    }
    // Settings: same periods as the file, and every teacher/director spelt as in the settings.
    let settings: toml::Value =
        toml::from_str(std::str::from_utf8(&out[1]).expect("UTF-8")).expect("settings TOML");
    let periodes = settings["periodes"].as_array().expect("[[periodes]]");
    let lsu_periodes = elems(&lsu, "periode");
    assert_eq!(periodes.len(), lsu_periodes.len());
    for (a, b) in periodes.iter().zip(&lsu_periodes) {
        assert_eq!(a["debut"].as_str(), b.attribute("date-debut"));
        assert_eq!(a["fin"].as_str(), b.attribute("date-fin"));
        assert_eq!(
            a["indice"].as_integer().map(|x| x.to_string()).as_deref(),
            b.attribute("indice")
        );
    }
    let onde: BTreeSet<(String, String)> = settings["enseignants"]
        .as_array()
        .expect("[[enseignants]]")
        .iter()
        .map(|t| {
            (
                t["civilite"].as_str().unwrap_or("").to_string(),
                t["nom"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for t in elems(&lsu, "enseignant")
        .into_iter()
        .chain(elems(&lsu, "directeur"))
    {
        let key = (
            t.attribute("civilite").unwrap_or("").to_string(),
            t.attribute("nom").unwrap_or("").to_string(),
        );
        assert!(onde.contains(&key), "{key:?} not in settings");
    }
    // Names carry accents, hyphens or apostrophes somewhere in the school.
    assert!(lsu_text.chars().any(|c| "éèëïôçÉ".contains(c)));
}

/// The bilan element a BilanRef designates.
fn bilan_at<'a, 'i>(
    doc: &'a roxmltree::Document<'i>,
    r: &gen::BilanRef,
) -> roxmltree::Node<'a, 'i> {
    let name = match r.kind {
        BilanKind::Periodique { .. } => "bilan-periodique",
        BilanKind::Cycle { .. } => "bilan-cycle",
    };
    let all = elems(doc, name);
    let b = all[r.index - 1];
    assert_eq!(
        b.attribute("eleve-ref"),
        Some(r.eleve.as_str()),
        "{}",
        r.path()
    );
    match r.kind {
        BilanKind::Periodique { indice } => {
            let per = doc
                .descendants()
                .find(|n| {
                    n.has_tag_name("periode") && n.attribute("id") == b.attribute("periode-ref")
                })
                .expect("period");
            assert_eq!(per.attribute("indice"), Some(indice.to_string().as_str()));
        }
        BilanKind::Cycle { cycle } => {
            assert_eq!(b.attribute("cycle"), Some(cycle.to_string().as_str()))
        }
    }
    b
}

#[test]
fn defects_are_recorded_and_present_2d() {
    let mut o = Options::new(Degree::D2, 120, 5);
    o.defects = vec![
        (Defect::DateScolariteBeforeRentree, 3),
        (Defect::DateBeforeEntry, 2),
        (Defect::DateAfterExit, 2),
        (Defect::UnknownDivision, 2),
        (Defect::SocleIncomplete, 2),
        (Defect::ScaleMismatch, 2),
        (Defect::CommaAverage, 2),
        (Defect::DanglingRef, 2),
    ];
    let s = School::generate(&o).expect("generation");
    for (d, n) in &o.defects {
        let got: Vec<_> = s.defects.iter().filter(|r| r.defect == *d).collect();
        assert_eq!(got.len(), *n, "{d}");
        assert!(got
            .iter()
            .all(|r| r.code == d.code() && r.eleve.is_some() && !r.bilans.is_empty()));
    }
    // One defect per pupil, so that findings can be matched to their cause.
    let pupils: BTreeSet<_> = s.defects.iter().filter_map(|r| r.eleve.clone()).collect();
    assert_eq!(pupils.len(), s.defects.len());

    let text = String::from_utf8(s.lsu_bytes()).expect("UTF-8");
    let doc = parse(&text);
    let out = all_outputs(&s);
    let siecle_text = latin9(&out[2]);
    let siecle = parse(&siecle_text);
    let siecle_divs: BTreeSet<&str> = elems(&siecle, "CODE_STRUCTURE")
        .iter()
        .filter_map(|n| n.text())
        .collect();
    let ids: BTreeSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let eleve = |id: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("eleve") && n.attribute("id") == Some(id))
            .expect("eleve")
    };
    let siecle_date = |id_be: &str, what: &str| -> Option<chrono::NaiveDate> {
        let e = elems(&siecle, "ELEVE")
            .into_iter()
            .find(|e| e.attribute("ELEVE_ID") == Some(id_be))?;
        chrono::NaiveDate::parse_from_str(child_text(e, what)?, "%d/%m/%Y").ok()
    };
    let date = |b: roxmltree::Node, a: &str| {
        chrono::NaiveDate::parse_from_str(b.attribute(a).unwrap_or(""), "%Y-%m-%d").expect("date")
    };
    for r in &s.defects {
        let id = r.eleve.as_deref().unwrap_or("");
        let el = eleve(id);
        assert_eq!(
            el.attribute("code-division"),
            r.division.as_deref(),
            "{r:?}"
        );
        let id_be = el.attribute("id-be").unwrap_or("");
        for br in &r.bilans {
            let b = bilan_at(&doc, br);
            match r.defect {
                Defect::DateScolariteBeforeRentree => {
                    assert!(date(b, "date-scolarite") < s.rentree)
                }
                Defect::DateBeforeEntry => {
                    assert!(
                        date(b, "date-scolarite")
                            < siecle_date(id_be, "DATE_ENTREE").expect("entry")
                    )
                }
                Defect::DateAfterExit => {
                    assert!(
                        date(b, "date-scolarite")
                            > siecle_date(id_be, "DATE_SORTIE").expect("exit")
                    )
                }
                Defect::UnknownDivision => {
                    assert!(!siecle_divs.contains(r.division.as_deref().unwrap_or("")))
                }
                Defect::SocleIncomplete => assert_eq!(elems_of(b, "domaine").len(), 6),
                Defect::ScaleMismatch => {
                    assert!(elems_of(b, "acquis")
                        .iter()
                        .any(|a| a.has_attribute("positionnement")));
                    assert!(!elems_of(b, "acquis")
                        .iter()
                        .any(|a| a.has_attribute("moyenne-eleve")));
                }
                Defect::CommaAverage => assert!(elems_of(b, "acquis").iter().any(|a| a
                    .attribute("moyenne-eleve")
                    .is_some_and(|m| m.contains(',')))),
                Defect::DanglingRef => assert!(elems_of(b, "acquis").iter().any(|a| a
                    .attribute("enseignant-refs")
                    .unwrap_or("")
                    .split_whitespace()
                    .any(|t| !ids.contains(t)))),
                _ => unreachable!(),
            }
        }
    }
    if !oracle("defects_are_recorded_and_present_2d (schema part)") {
        return;
    }
    // Only the comma average and the incomplete socle break the schema.
    let err = validate(Version::V10_0, text.as_bytes()).expect_err("defects that break the schema");
    assert!(
        err.contains("moyenne-eleve") || err.contains("socle"),
        "{err}"
    );
    let mut o2 = o.clone();
    o2.defects
        .retain(|(d, _)| !matches!(d, Defect::CommaAverage | Defect::SocleIncomplete));
    let s2 = School::generate(&o2).expect("generation");
    validate(Version::V10_0, &s2.lsu_bytes())
        .expect("the other defects keep the file schema-valid");
}

#[test]
fn defects_are_recorded_and_present_1d() {
    let mut o = Options::new(Degree::D1, 100, 6);
    o.defects = vec![
        (Defect::DateScolariteBeforeRentree, 2),
        (Defect::UnknownOndeClass, 3),
        (Defect::TeacherSpelling, 2),
        (Defect::DanglingRef, 1),
        (Defect::Oversized, 300),
    ];
    let s = School::generate(&o).expect("generation");
    assert!(s.pupils.len() >= 300);
    let text = String::from_utf8(s.lsu_bytes()).expect("UTF-8");
    let doc = parse(&text);
    let mut csv = Vec::new();
    refdata::write_onde(&s, &mut csv).expect("csv");
    let csv = String::from_utf8(csv).expect("UTF-8");
    let onde_ids: BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(';').nth(17))
        .collect();
    let mut settings = Vec::new();
    refdata::write_settings(&s, &mut settings).expect("settings");
    let settings: toml::Value =
        toml::from_str(std::str::from_utf8(&settings).expect("UTF-8")).expect("TOML");
    let onde_names: BTreeSet<&str> = settings["enseignants"]
        .as_array()
        .expect("enseignants")
        .iter()
        .filter_map(|t| t["nom"].as_str())
        .collect();
    let ids: BTreeSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    for (d, n) in &o.defects {
        let got = s.defects.iter().filter(|r| r.defect == *d).count();
        assert_eq!(got, if *d == Defect::Oversized { 1 } else { *n }, "{d}");
    }
    for r in &s.defects {
        match r.defect {
            Defect::UnknownOndeClass => {
                let id_be = r.division.as_deref().unwrap_or("");
                assert!(!onde_ids.contains(id_be));
                let cl = doc
                    .descendants()
                    .find(|n| n.has_tag_name("classe") && n.attribute("id-be") == Some(id_be))
                    .expect("ghost class");
                let el = doc
                    .descendants()
                    .find(|n| n.has_tag_name("eleve") && n.attribute("id") == r.eleve.as_deref())
                    .expect("eleve");
                assert_eq!(el.attribute("classe-ref"), cl.attribute("id"));
                assert!(!r.bilans.is_empty());
                for br in &r.bilans {
                    bilan_at(&doc, br);
                }
            }
            Defect::TeacherSpelling => {
                assert!(r.eleve.is_none());
                let refs: BTreeSet<&str> = r
                    .bilans
                    .iter()
                    .map(|br| {
                        bilan_at(&doc, br)
                            .attribute("enseignant-refs")
                            .unwrap_or("")
                    })
                    .collect();
                assert_eq!(refs.len(), 1, "one teacher per record");
                let t = doc
                    .descendants()
                    .find(|n| {
                        n.has_tag_name("enseignant")
                            && refs.contains(n.attribute("id").unwrap_or(""))
                    })
                    .expect("teacher");
                let nom = t.attribute("nom").unwrap_or("");
                assert!(!onde_names.contains(nom), "{nom} is spelt as in ONDE");
                let fold = |x: &str| x.to_lowercase().replace(['-', '\'', '\u{2019}', ' '], "");
                assert!(onde_names
                    .iter()
                    .any(|o| fold(&lsu_lint::util::fold(o)) == fold(&lsu_lint::util::fold(nom))));
            }
            Defect::DateScolariteBeforeRentree => {
                let b = bilan_at(&doc, &r.bilans[0]);
                assert!(b.attribute("date-scolarite").unwrap_or("") < "2025-09-01");
            }
            Defect::DanglingRef => {
                let b = bilan_at(&doc, &r.bilans[0]);
                assert!(!ids.contains(b.attribute("enseignant-refs").unwrap_or("")));
            }
            Defect::Oversized => assert!(r.bilans.is_empty()),
            _ => unreachable!(),
        }
    }
    if oracle("defects_are_recorded_and_present_1d (schema part)") {
        validate(Version::V1_0, text.as_bytes())
            .expect("these 1D defects keep the file schema-valid");
    }
}

/// I003 on whole classes and I002: each pupil recorded, the LSU file alone changed (Siècle
/// untouched), the classes' LSU settings under their Siècle codes, and the file still valid.
#[test]
fn whole_class_and_unknown_pupil_defects_2d() {
    let mut o = Options::new(Degree::D2, 100, 12);
    o.classes = ["6A", "6B", "5A", "3A"].map(String::from).to_vec();
    // Three classes: the two 6e in positionnement, then one in notes switched to it.
    o.defects = vec![(Defect::UnknownDivisionClass, 3), (Defect::UnknownPupil, 4)];
    let s = School::generate(&o).expect("generation");
    let mut clean = o.clone();
    clean.defects.clear();
    let c = School::generate(&clean).expect("generation");
    let out = all_outputs(&s);
    assert_eq!(out[2], all_outputs(&c)[2], "Siècle must not change");
    let siecle_text = latin9(&out[2]);
    let siecle = parse(&siecle_text);
    let siecle_ids: BTreeSet<&str> = elems(&siecle, "ELEVE")
        .iter()
        .filter_map(|e| e.attribute("ELEVE_ID"))
        .collect();
    let siecle_divs: BTreeSet<&str> = elems(&siecle, "CODE_STRUCTURE")
        .iter()
        .filter_map(|n| n.text())
        .collect();
    let text = String::from_utf8(s.lsu_bytes()).expect("UTF-8");
    let doc = parse(&text);
    let eleve = |id: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("eleve") && n.attribute("id") == Some(id))
            .expect("eleve")
    };
    let settings: toml::Value =
        toml::from_str(std::str::from_utf8(&out[1]).expect("UTF-8")).expect("TOML");

    let whole: Vec<_> = s
        .defects
        .iter()
        .filter(|r| r.defect == Defect::UnknownDivisionClass)
        .collect();
    let codes: BTreeSet<&str> = whole.iter().filter_map(|r| r.division.as_deref()).collect();
    assert_eq!(codes.len(), 3, "{codes:?}");
    for code in &codes {
        assert!(!siecle_divs.contains(code), "{code} is a Siècle division");
        // Every pupil written with that code is recorded, with all his bilans.
        let written: BTreeSet<&str> = elems(&doc, "eleve")
            .iter()
            .filter(|e| e.attribute("code-division") == Some(code))
            .filter_map(|e| e.attribute("id"))
            .collect();
        let recorded: BTreeSet<&str> = whole
            .iter()
            .filter(|r| r.division.as_deref() == Some(code))
            .filter_map(|r| r.eleve.as_deref())
            .collect();
        assert_eq!(written, recorded, "{code}");
        // The common blocks of the class follow the code the software uses.
        assert!(elems(&doc, "vie-scolaire-commun")
            .iter()
            .any(|v| v.attribute("code-division") == Some(code)));
    }
    for r in &whole {
        let id = r.eleve.as_deref().unwrap_or("");
        let p = s.pupils.iter().find(|p| p.id == id).expect("pupil");
        let real = &s.divisions[p.division].code;
        assert!(r.detail.contains(real.as_str()), "{}", r.detail);
        // In positionnement in LSU under the Siècle code: the unknown code gets notes (P001).
        assert_eq!(
            settings["classes"][real.as_str()]["positionnement"].as_str(),
            Some("echelle"),
            "{real}"
        );
        assert!(settings["classes"]
            .get(r.division.as_deref().unwrap_or(""))
            .is_none());
        let periodic = r
            .bilans
            .iter()
            .filter(|b| matches!(b.kind, BilanKind::Periodique { .. }))
            .count();
        assert_eq!(
            periodic,
            s.periods_of(s.pupils.iter().position(|x| x.id == id).unwrap_or(0))
                .len()
        );
        for br in &r.bilans {
            let b = bilan_at(&doc, br);
            if matches!(br.kind, BilanKind::Periodique { .. }) {
                let acquis = elems_of(b, "acquis");
                assert!(acquis.iter().any(|a| a.has_attribute("positionnement")));
                assert!(!acquis.iter().any(|a| a.has_attribute("moyenne-eleve")));
            }
        }
    }

    let unknown: Vec<_> = s
        .defects
        .iter()
        .filter(|r| r.defect == Defect::UnknownPupil)
        .collect();
    assert_eq!(unknown.len(), 4);
    assert!(unknown.iter().any(|r| r.detail.contains("ELENOET")));
    assert!(unknown.iter().any(|r| r.detail.contains("faute de frappe")));
    let mut lsu_ids = BTreeSet::new();
    for r in &unknown {
        let el = eleve(r.eleve.as_deref().unwrap_or(""));
        assert_eq!(el.attribute("code-division"), r.division.as_deref());
        let id_be = el.attribute("id-be").unwrap_or("");
        assert!(!siecle_ids.contains(id_be), "{id_be} is a Siècle ELEVE_ID");
        assert!(
            r.detail.starts_with(&format!("id-be {id_be} ")),
            "{}",
            r.detail
        );
        assert!(lsu_ids.insert(id_be));
        assert!(!r.bilans.is_empty());
        for br in &r.bilans {
            bilan_at(&doc, br);
        }
    }
    // Every id-be of the file is unique.
    let all_ids: Vec<&str> = elems(&doc, "eleve")
        .iter()
        .filter_map(|e| e.attribute("id-be"))
        .collect();
    assert_eq!(all_ids.iter().collect::<BTreeSet<_>>().len(), all_ids.len());
    if oracle("whole_class_and_unknown_pupil_defects_2d (schema part)") {
        validate(Version::V10_0, text.as_bytes())
            .expect("these defects keep the file schema-valid");
    }
}

/// A defect that cannot be injected as many times as asked is an error, never a smaller
/// injection; a school without averages gets a class in notes for P003 (the `--many` case).
#[test]
fn defects_are_injected_in_full_or_refused() {
    // 25 pupils: one 6e class, in positionnement.
    let mut o = Options::new(Degree::D2, 25, 3);
    o.defects = vec![(Defect::CommaAverage, 2), (Defect::ScaleMismatch, 1)];
    let s = School::generate(&o).expect("generation");
    assert_eq!(s.divisions.len(), 1);
    assert_eq!(s.defects.len(), 3);
    let text = String::from_utf8(s.lsu_bytes()).expect("UTF-8");
    assert_eq!(
        elems(&parse(&text), "acquis")
            .iter()
            .filter(|a| a
                .attribute("moyenne-eleve")
                .is_some_and(|m| m.contains(',')))
            .count(),
        2
    );
    let mut settings = Vec::new();
    refdata::write_settings(&s, &mut settings).expect("settings");
    let settings = String::from_utf8(settings).expect("UTF-8");
    assert!(
        !settings.contains("[classes."),
        "the class is in notes: {settings}"
    );

    for (degree, defects, what) in [
        (
            Degree::D2,
            vec![(Defect::SocleIncomplete, 30)],
            "socle-incomplete (C001) 30 fois",
        ),
        (
            Degree::D2,
            vec![(Defect::UnknownDivisionClass, 2)],
            "unknown-division-class (I003) 2 fois : une seule fois",
        ),
        (
            Degree::D2,
            vec![(Defect::DateBeforeEntry, 20), (Defect::UnknownPupil, 20)],
            "unknown-pupil (I002) 20 fois",
        ),
        (
            Degree::D1,
            vec![(Defect::TeacherSpelling, 3)],
            "teacher-spelling (T004) 3 fois : une seule fois",
        ),
    ] {
        let mut o = Options::new(degree, 25, 3);
        o.defects = defects;
        let e = School::generate(&o).expect_err("not enough room");
        let e = e.to_string();
        assert!(e.starts_with("impossible d'injecter le défaut "), "{e}");
        assert!(e.contains(what), "{e}");
    }
}

#[test]
fn defect_names_and_applicability() {
    assert_eq!(
        Defect::parse("D001"),
        Some(Defect::DateScolariteBeforeRentree)
    );
    assert_eq!(Defect::parse("i003"), Some(Defect::UnknownDivision));
    assert_eq!(Defect::parse("I002"), Some(Defect::UnknownPupil));
    assert_eq!(
        Defect::parse("unknown-division-class"),
        Some(Defect::UnknownDivisionClass)
    );
    assert_eq!(
        Defect::parse("date-after-exit"),
        Some(Defect::DateAfterExit)
    );
    assert_eq!(
        Defect::parse("TeacherSpelling"),
        Some(Defect::TeacherSpelling)
    );
    assert_eq!(Defect::parse("Z999"), None);
    for d in Defect::ALL {
        assert_eq!(Defect::parse(d.name()), Some(d));
    }
    let mut o = Options::new(Degree::D1, 20, 1);
    o.defects = vec![(Defect::CommaAverage, 1)];
    let e = School::generate(&o).expect_err("P003 is 2D only");
    assert!(e.to_string().contains("1er degré"));
    let mut o = Options::new(Degree::D2, 20, 1);
    o.version = Version::V1_0;
    assert!(School::generate(&o).is_err());
    let mut o = Options::new(Degree::D2, 20, 1);
    o.periods = 1;
    assert!(
        School::generate(&o).is_err(),
        "1 period is no LSU periodicity"
    );
}

#[test]
fn target_size_adds_pupils() {
    let o = Options::new(Degree::D2, 10, 8);
    let s = gen::generate_to_size(&o, 400_000).expect("generation");
    let size = s.lsu_size().expect("size");
    assert!(size >= 400_000, "{size}");
    assert!(size < 600_000, "overshoot: {size}");
    assert!(s.pupils.len() > 10);
}

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/demo")
}

fn demo_options() -> [(&'static str, Options); 2] {
    let mut college = Options::new(Degree::D2, 57, 2025);
    college.classes = vec!["6A".into(), "5A".into(), "3A".into()];
    college.uai = Some("0999101K".into());
    let mut ecole = Options::new(Degree::D1, 38, 2025);
    ecole.classes = vec!["CE2".into(), "CM1-CM2".into()];
    ecole.uai = Some("0999102L".into());
    [("college", college), ("ecole", ecole)]
}

#[test]
fn demo_corpus_is_valid_small_and_reproducible() {
    let mut total = 0u64;
    for (dir, opts) in demo_options() {
        let s = School::generate(&opts).expect("generation");
        let tmp = std::env::temp_dir().join(format!("lsu-gen-demo-{}-{dir}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let written = refdata::write_dir(&s, &tmp).expect("write");
        for f in &written {
            let rel = f.strip_prefix(&tmp).expect("written under the folder");
            let committed = demo().join(dir).join(rel);
            let a = std::fs::read(f).expect("generated");
            let b = std::fs::read(&committed)
                .unwrap_or_else(|e| panic!("{}: {e}", committed.display()));
            assert!(
                a == b,
                "{} differs from the generator output: regenerate (corpus/demo/README.md)",
                committed.display()
            );
            total += b.len() as u64;
        }
        let _ = std::fs::remove_dir_all(&tmp);
        let lsu = std::fs::read(demo().join(dir).join("lsu.xml")).expect("demo lsu");
        if oracle("demo corpus against the official XSD") {
            validate(opts.version, &lsu).unwrap_or_else(|e| panic!("demo {dir}: {e}"));
        }
    }
    let readme = std::fs::read_to_string(demo().join("README.md")).expect("README");
    assert!(
        readme.contains("--seed 2025 --uai 0999101K")
            && readme.contains("--seed 2025 --uai 0999102L")
    );
    total += readme.len() as u64;
    assert!(total < 2_000_000, "demo corpus is {total} bytes");
    let college = std::fs::read_to_string(demo().join("college/lsu.xml")).expect("college");
    let doc = parse(&college);
    let divs: BTreeSet<&str> = elems(&doc, "eleve")
        .iter()
        .filter_map(|e| e.attribute("code-division"))
        .collect();
    assert_eq!(divs, ["3A", "5A", "6A"].into_iter().collect());
    assert_eq!(elems(&doc, "periode").len(), 3);
    let cycles: BTreeSet<&str> = elems(&doc, "bilan-cycle")
        .iter()
        .filter_map(|b| b.attribute("cycle"))
        .collect();
    assert_eq!(cycles, ["3", "4"].into_iter().collect());
    assert!(doc.root_element().tag_name().namespace() == Some(NS));
}

/// The collège's export « à corriger »: the same school with injected defects, checked with the
/// same reference data (the defects change only the LSU file).
#[test]
fn demo_file_with_defects_is_reproducible_and_shares_the_reference_data() {
    let [(_, college), _] = demo_options();
    let mut opts = college.clone();
    opts.defects = vec![
        (Defect::DateScolariteBeforeRentree, 4),
        (Defect::UnknownDivision, 1),
        (Defect::ScaleMismatch, 1),
        (Defect::SocleIncomplete, 1),
    ];
    let with = School::generate(&opts).expect("generation");
    let committed = std::fs::read(demo().join("college/lsu-a-corriger.xml")).expect("demo file");
    assert!(
        with.lsu_bytes() == committed,
        "college/lsu-a-corriger.xml differs from the generator output: regenerate (corpus/demo/README.md)"
    );
    let tmp = std::env::temp_dir().join(format!("lsu-gen-demo-defects-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let written = refdata::write_dir(&with, &tmp).expect("write");
    for f in written
        .iter()
        .filter(|f| f.starts_with(tmp.join("refdata")))
    {
        let rel = f.strip_prefix(&tmp).expect("under tmp");
        assert_eq!(
            std::fs::read(f).ok(),
            std::fs::read(demo().join("college").join(rel)).ok(),
            "{} differs: the defects must not change the reference data",
            rel.display()
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

#[test]
fn lsu_lint_finds_no_error_in_the_demo() {
    for dir in ["college", "ecole"] {
        // With the demo's own reference data and LSU settings (its lsu-lint.toml).
        let common = CommonArgs {
            today: Some("2026-01-15".into()),
            config: Some(demo().join(dir).join("lsu-lint.toml")),
            ..CommonArgs::default()
        };
        let engine = common.builder().and_then(|b| b.build()).expect("engine");
        let inputs = engine.inputs.clone();
        assert!(inputs.settings.is_some(), "{dir}: settings loaded");
        let path = demo().join(dir).join("lsu.xml");
        let bytes = std::fs::read(&path).expect("demo file");
        let report = engine.check_source(&SourceFile::new(path.display().to_string(), bytes));
        assert!(
            report.eleves > 0 && report.bilans_periodiques > 0,
            "{dir}: nothing read"
        );
        let errors: Vec<String> = report
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {}:{} {}", d.code, d.line, d.column, d.message))
            .collect();
        assert!(errors.is_empty(), "{dir}: {errors:#?}");
    }
}

#[test]
fn many_small_files_are_distinct_schools() {
    let a = School::generate(&Options::new(Degree::D2, 12, 100)).expect("a");
    let b = School::generate(&Options::new(Degree::D2, 12, 101)).expect("b");
    assert_ne!(a.lsu_bytes(), b.lsu_bytes());
    assert!(a.lsu_bytes().len() < 200_000);
}

#[test]
fn oversized_defect_gives_many_pupils() {
    let mut o = Options::new(Degree::D2, 30, 9);
    o.defects = vec![(Defect::Oversized, 1)];
    let s = School::generate(&o).expect("generation");
    assert!(s.pupils.len() > 250);
    assert!(s.divisions.len() > 8);
    let rec = s
        .defects
        .iter()
        .find(|r| r.defect == Defect::Oversized)
        .expect("record");
    assert_eq!(rec.code, "B002");
}
