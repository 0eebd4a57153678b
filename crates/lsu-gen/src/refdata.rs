//! Reference data matching a generated school: Siècle (ElevesSansAdresses, Nomenclature,
//! Communs, in ISO-8859-15 like real exports), STS-Web `sts_emp_<UAI>_<année>.xml`, the ONDE
//! pupils' CSV extraction, and the LSU settings TOML (`interfaces.md`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::names;
use super::xml::Latin9;
use super::{cycle_1d, Civilite, Degree, Scale, School};
use lsu_lint::util::{escape_attr, escape_text};

fn fr(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

const EXPORT_DATE: &str = "15/01/2026";

fn parametres<W: Write + ?Sized>(s: &School, w: &mut W, heure: &str) -> io::Result<()> {
    writeln!(w, "  <PARAMETRES>")?;
    writeln!(w, "    <UAJ>{}</UAJ>", escape_text(&s.uai))?;
    writeln!(w, "    <ANNEE_SCOLAIRE>{}</ANNEE_SCOLAIRE>", s.millesime)?;
    writeln!(w, "    <DATE_EXPORT>{EXPORT_DATE}</DATE_EXPORT>")?;
    writeln!(w, "    <HORODATAGE>{EXPORT_DATE} {heure}</HORODATAGE>")?;
    writeln!(w, "  </PARAMETRES>")
}

/// LV2 group code of a division (`5A_ESP2`).
pub fn lv2_group(s: &School, div: usize, disc: usize) -> String {
    format!("{}_{}", s.divisions[div].code, s.disciplines[disc].gestion)
}

fn write_siecle_eleves_text<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    writeln!(w, "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>")?;
    writeln!(w, "<BEE_ELEVES VERSION=\"3.0\">")?;
    parametres(s, w, "09:12:34")?;
    writeln!(w, "  <DONNEES>")?;
    writeln!(w, "    <ELEVES>")?;
    for x in &s.pupils {
        let div = &s.divisions[x.division];
        writeln!(
            w,
            "      <ELEVE ELEVE_ID=\"{}\" ELENOET=\"{}\">",
            x.eleve_id, x.elenoet
        )?;
        writeln!(w, "        <ID_NATIONAL>{}</ID_NATIONAL>", x.ine)?;
        writeln!(
            w,
            "        <NOM_DE_FAMILLE>{}</NOM_DE_FAMILLE>",
            escape_text(&x.nom_upper())
        )?;
        writeln!(w, "        <NOM_USAGE/>")?;
        writeln!(w, "        <PRENOM>{}</PRENOM>", escape_text(&x.prenom))?;
        writeln!(w, "        <DATE_NAISS>{}</DATE_NAISS>", fr(x.naissance))?;
        writeln!(
            w,
            "        <CODE_SEXE>{}</CODE_SEXE>",
            if x.fille { 2 } else { 1 }
        )?;
        writeln!(w, "        <CODE_PAYS>100</CODE_PAYS>")?;
        writeln!(w, "        <CODE_MEF>{}</CODE_MEF>", div.mef())?;
        writeln!(w, "        <CODE_STATUT>ST</CODE_STATUT>")?;
        writeln!(w, "        <DATE_ENTREE>{}</DATE_ENTREE>", fr(x.entree))?;
        if let Some(so) = x.sortie {
            writeln!(w, "        <DATE_SORTIE>{}</DATE_SORTIE>", fr(so))?;
            writeln!(w, "        <CODE_MOTIF_SORTIE>DEM</CODE_MOTIF_SORTIE>")?;
        }
        if div.niveau_num() == 6 {
            writeln!(w, "        <SCOLARITE_AN_DERNIER>")?;
            writeln!(w, "          <CODE_STRUCTURE>CM2</CODE_STRUCTURE>")?;
            writeln!(w, "          <CODE_RNE>0999998W</CODE_RNE>")?;
            writeln!(w, "          <SIGLE>EPPU</SIGLE>")?;
            writeln!(
                w,
                "          <DENOM_PRINC>ECOLE ELEMENTAIRE PUBLIQUE</DENOM_PRINC>"
            )?;
            writeln!(w, "          <DENOM_COMPL>DES EXEMPLES</DENOM_COMPL>")?;
            writeln!(w, "        </SCOLARITE_AN_DERNIER>")?;
        }
        writeln!(w, "      </ELEVE>")?;
    }
    writeln!(w, "    </ELEVES>")?;
    let lv1 = s.disciplines.iter().position(|d| d.code == "030201");
    writeln!(w, "    <OPTIONS>")?;
    for x in &s.pupils {
        writeln!(
            w,
            "      <OPTION ELEVE_ID=\"{}\" ELENOET=\"{}\">",
            x.eleve_id, x.elenoet
        )?;
        for (rank, disc) in [lv1, x.lv2].into_iter().enumerate() {
            let Some(di) = disc else { continue };
            let d = &s.disciplines[di];
            writeln!(w, "        <OPTIONS_ELEVE>")?;
            writeln!(w, "          <NUM_OPTION>{}</NUM_OPTION>", rank + 1)?;
            writeln!(
                w,
                "          <CODE_MODALITE_ELECT>{}</CODE_MODALITE_ELECT>",
                d.modalite
            )?;
            writeln!(w, "          <CODE_MATIERE>{}</CODE_MATIERE>", d.code)?;
            writeln!(w, "        </OPTIONS_ELEVE>")?;
        }
        writeln!(w, "      </OPTION>")?;
    }
    writeln!(w, "    </OPTIONS>")?;
    writeln!(w, "    <STRUCTURES>")?;
    for x in &s.pupils {
        writeln!(
            w,
            "      <STRUCTURES_ELEVE ELEVE_ID=\"{}\" ELENOET=\"{}\">",
            x.eleve_id, x.elenoet
        )?;
        let mut structs = vec![(s.divisions[x.division].code.clone(), "D")];
        if let Some(di) = x.lv2 {
            structs.push((lv2_group(s, x.division, di), "G"));
        }
        for (code, t) in structs {
            writeln!(w, "        <STRUCTURE>")?;
            writeln!(
                w,
                "          <CODE_STRUCTURE>{}</CODE_STRUCTURE>",
                escape_text(&code)
            )?;
            writeln!(w, "          <TYPE_STRUCTURE>{t}</TYPE_STRUCTURE>")?;
            writeln!(w, "        </STRUCTURE>")?;
        }
        writeln!(w, "      </STRUCTURES_ELEVE>")?;
    }
    writeln!(w, "    </STRUCTURES>")?;
    writeln!(w, "  </DONNEES>")?;
    writeln!(w, "</BEE_ELEVES>")
}

fn niveaux(s: &School) -> BTreeSet<u8> {
    s.divisions.iter().map(|d| d.niveau_num()).collect()
}

fn mef_libelle(n: u8) -> &'static str {
    match n {
        5 => "5EME",
        4 => "4EME",
        3 => "3EME",
        _ => "6EME",
    }
}

/// Disciplines taught at each niveau (from the divisions' services).
fn taught(s: &School) -> BTreeMap<u8, BTreeSet<usize>> {
    let mut m: BTreeMap<u8, BTreeSet<usize>> = BTreeMap::new();
    for d in &s.divisions {
        m.entry(d.niveau_num())
            .or_default()
            .extend(d.teachers.iter().map(|(di, _)| *di));
    }
    m
}

/// The labels of a matière, written alike by the Nomenclature and by STS-Web.
fn matiere_labels<W: Write + ?Sized>(w: &mut W, d: &super::Discipline) -> io::Result<()> {
    writeln!(
        w,
        "        <CODE_GESTION>{}</CODE_GESTION>",
        escape_text(d.gestion)
    )?;
    writeln!(
        w,
        "        <LIBELLE_COURT>{}</LIBELLE_COURT>",
        escape_text(d.court)
    )?;
    writeln!(
        w,
        "        <LIBELLE_LONG>{}</LIBELLE_LONG>",
        escape_text(&names::upper(d.libelle))
    )?;
    writeln!(
        w,
        "        <LIBELLE_EDITION>{}</LIBELLE_EDITION>",
        escape_text(d.libelle)
    )
}

fn write_nomenclature_text<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    let taught = taught(s);
    let used: BTreeSet<usize> = taught.values().flatten().copied().collect();
    writeln!(w, "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>")?;
    writeln!(w, "<BEE_NOMENCLATURES VERSION=\"3.1\">")?;
    parametres(s, w, "09:13:05")?;
    writeln!(w, "  <DONNEES>")?;
    writeln!(w, "    <MATIERES>")?;
    for &di in &used {
        let d = &s.disciplines[di];
        writeln!(w, "      <MATIERE CODE_MATIERE=\"{}\">", d.code)?;
        matiere_labels(w, d)?;
        writeln!(w, "        <MATIERE_ETP>0</MATIERE_ETP>")?;
        writeln!(w, "      </MATIERE>")?;
    }
    writeln!(w, "    </MATIERES>")?;
    writeln!(w, "    <MEFS>")?;
    for n in niveaux(s) {
        let mef = super::mef_of(n);
        writeln!(w, "      <MEF CODE_MEF=\"{mef}\">")?;
        writeln!(w, "        <FORMATION>{}</FORMATION>", mef_libelle(n))?;
        writeln!(w, "        <LIBELLE_LONG>{}</LIBELLE_LONG>", mef_libelle(n))?;
        writeln!(w, "        <LIBELLE_EDITION>{n}ème</LIBELLE_EDITION>")?;
        writeln!(w, "        <MEF_RATTACHEMENT>{mef}</MEF_RATTACHEMENT>")?;
        writeln!(w, "      </MEF>")?;
    }
    writeln!(w, "    </MEFS>")?;
    writeln!(w, "    <PROGRAMMES>")?;
    for (n, discs) in &taught {
        for &di in discs {
            let d = &s.disciplines[di];
            let h = if *n == 6 { d.horaire.0 } else { d.horaire.1 };
            writeln!(w, "      <PROGRAMME>")?;
            writeln!(w, "        <CODE_MEF>{}</CODE_MEF>", super::mef_of(*n))?;
            writeln!(w, "        <CODE_MATIERE>{}</CODE_MATIERE>", d.code)?;
            writeln!(
                w,
                "        <CODE_MODALITE_ELECT>{}</CODE_MODALITE_ELECT>",
                d.modalite
            )?;
            writeln!(w, "        <HORAIRE>{h}</HORAIRE>")?;
            writeln!(w, "      </PROGRAMME>")?;
        }
    }
    writeln!(w, "    </PROGRAMMES>")?;
    writeln!(w, "    <OPTIONS_OBLIGATOIRES>")?;
    for (n, discs) in &taught {
        for &di in discs {
            let d = &s.disciplines[di];
            if d.modalite != "O" {
                continue;
            }
            writeln!(w, "      <OPTION_OBLIGATOIRE>")?;
            writeln!(w, "        <CODE_MEF>{}</CODE_MEF>", super::mef_of(*n))?;
            writeln!(w, "        <CODE_MATIERE>{}</CODE_MATIERE>", d.code)?;
            writeln!(
                w,
                "        <RANG_OPTION>{}</RANG_OPTION>",
                if d.lv2 { 2 } else { 1 }
            )?;
            writeln!(w, "      </OPTION_OBLIGATOIRE>")?;
        }
    }
    writeln!(w, "    </OPTIONS_OBLIGATOIRES>")?;
    writeln!(w, "    <MODALITES_ELECTION>")?;
    for (c, court, long) in [
        ("S", "TRONC COMM", "MATIERE ENSEIGNEE EN TRONC COMMUN"),
        ("O", "OBLIGATOIR", "MATIERE ENSEIGNEE OPTION OBLIGATOIRE"),
        ("F", "FACULTATIF", "MATIERE ENSEIGNEE OPTION FACULTATIVE"),
        ("N", "OBL OU FAC", "MATIERE ENSEIGNEE OBLIG. OU FACULTATIVE"),
        ("X", "MESURE SPE", "MESURE SPECIFIQUE"),
        ("L", "AJOUT ACAD", "AJOUT ACADEMIQUE AU PROGRAMME"),
        ("R", "ENS.RELIG.", "ENSEIGNEMENT RELIGIEUX"),
    ] {
        writeln!(w, "      <MODALITE_ELECTION CODE_MODALITE_ELECT=\"{c}\">")?;
        writeln!(w, "        <LIBELLE_COURT>{court}</LIBELLE_COURT>")?;
        writeln!(w, "        <LIBELLE_LONG>{long}</LIBELLE_LONG>")?;
        writeln!(w, "      </MODALITE_ELECTION>")?;
    }
    writeln!(w, "    </MODALITES_ELECTION>")?;
    writeln!(w, "  </DONNEES>")?;
    writeln!(w, "</BEE_NOMENCLATURES>")
}

fn write_communs_text<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    let h = &s.teachers[s.head];
    writeln!(w, "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>")?;
    writeln!(w, "<BEE_COMMUN>")?;
    parametres(s, w, "09:13:30")?;
    writeln!(w, "  <DONNEES>")?;
    writeln!(w, "    <UAJ>")?;
    writeln!(
        w,
        "      <DENOM_PRINC>{}</DENOM_PRINC>",
        escape_text(&s.denomination)
    )?;
    writeln!(
        w,
        "      <NOM_RESP>{} {}</NOM_RESP>",
        escape_text(&names::upper(&h.nom)),
        escape_text(&names::upper(&h.prenom))
    )?;
    let qual = if h.civilite == Civilite::Mme {
        "PRINCIPALE"
    } else {
        "PRINCIPAL"
    };
    writeln!(w, "      <QUAL_RESP>{qual}</QUAL_RESP>")?;
    writeln!(
        w,
        "      <LIGNE1_ADRESSE>1 RUE DES EXEMPLES</LIGNE1_ADRESSE>"
    )?;
    writeln!(w, "      <CODE_POSTAL>99999</CODE_POSTAL>")?;
    writeln!(w, "    </UAJ>")?;
    writeln!(w, "    <ANNEE_SCOLAIRE>")?;
    writeln!(
        w,
        "      <DATE_DEBUT_ELEVE>{}</DATE_DEBUT_ELEVE>",
        fr(s.rentree)
    )?;
    writeln!(
        w,
        "      <DATE_FIN_ELEVE>{}</DATE_FIN_ELEVE>",
        fr(s.fin_annee)
    )?;
    writeln!(w, "    </ANNEE_SCOLAIRE>")?;
    writeln!(w, "  </DONNEES>")?;
    writeln!(w, "</BEE_COMMUN>")
}

fn individu<W: Write + ?Sized>(
    s: &School,
    w: &mut W,
    t: usize,
    pp: &[String],
    hours: Option<u32>,
) -> io::Result<()> {
    let x = &s.teachers[t];
    writeln!(
        w,
        "      <INDIVIDU ID=\"{}\" TYPE=\"{}\">",
        x.sts_id, x.kind
    )?;
    let (sexe, civ) = match x.civilite {
        Civilite::M => (1, 1),
        Civilite::Mme => (2, 2),
    };
    writeln!(w, "        <SEXE>{sexe}</SEXE>")?;
    writeln!(w, "        <CIVILITE>{civ}</CIVILITE>")?;
    writeln!(
        w,
        "        <NOM_USAGE>{}</NOM_USAGE>",
        escape_text(&names::upper(&x.nom))
    )?;
    writeln!(
        w,
        "        <NOM_PATRONYMIQUE>{}</NOM_PATRONYMIQUE>",
        escape_text(&names::upper(&x.nom))
    )?;
    writeln!(w, "        <PRENOM>{}</PRENOM>", escape_text(&x.prenom))?;
    if x.kind == "epp" {
        writeln!(
            w,
            "        <DATE_NAISSANCE>{}</DATE_NAISSANCE>",
            x.naissance
        )?;
        writeln!(
            w,
            "        <GRADE>{}</GRADE>",
            if t == s.head {
                "PERDIR CL N"
            } else {
                "CERT. CL N"
            }
        )?;
    }
    writeln!(
        w,
        "        <FONCTION>{}</FONCTION>",
        if t == s.head { "DIR" } else { "ENS" }
    )?;
    if !pp.is_empty() {
        writeln!(w, "        <PROFS_PRINC>")?;
        for code in pp {
            writeln!(w, "          <PROF_PRINC>")?;
            writeln!(
                w,
                "            <CODE_STRUCTURE>{}</CODE_STRUCTURE>",
                escape_text(code)
            )?;
            writeln!(w, "            <DATE_DEBUT>{}</DATE_DEBUT>", s.rentree)?;
            writeln!(w, "            <DATE_FIN>2026-08-31</DATE_FIN>")?;
            writeln!(w, "          </PROF_PRINC>")?;
        }
        writeln!(w, "        </PROFS_PRINC>")?;
    }
    if let (Some(di), Some(h)) = (x.discipline, hours) {
        let (code, lib) = s.disciplines[di].qualif;
        writeln!(w, "        <DISCIPLINES>")?;
        writeln!(w, "          <DISCIPLINE CODE=\"{code}\">")?;
        writeln!(
            w,
            "            <LIBELLE_COURT>{}</LIBELLE_COURT>",
            escape_text(lib)
        )?;
        writeln!(w, "            <NB_HEURES>{h}.00</NB_HEURES>")?;
        writeln!(w, "          </DISCIPLINE>")?;
        writeln!(w, "        </DISCIPLINES>")?;
    }
    writeln!(w, "      </INDIVIDU>")
}

fn services<W: Write + ?Sized>(s: &School, w: &mut W, list: &[(usize, usize)]) -> io::Result<()> {
    writeln!(w, "          <SERVICES>")?;
    for &(di, t) in list {
        let x = &s.teachers[t];
        writeln!(
            w,
            "            <SERVICE CODE_MATIERE=\"{}\" CODE_MOD_COURS=\"CG\">",
            s.disciplines[di].code
        )?;
        writeln!(w, "              <ENSEIGNANTS>")?;
        writeln!(
            w,
            "                <ENSEIGNANT ID=\"{}\" TYPE=\"{}\"/>",
            x.sts_id, x.kind
        )?;
        writeln!(w, "              </ENSEIGNANTS>")?;
        writeln!(w, "            </SERVICE>")?;
    }
    writeln!(w, "          </SERVICES>")
}

fn write_sts_text<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    let taught = taught(s);
    let used: BTreeSet<usize> = taught.values().flatten().copied().collect();
    writeln!(w, "<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?>")?;
    writeln!(w, "<STS_EDT>")?;
    writeln!(w, "  <PARAMETRES>")?;
    writeln!(w, "    <UAJ CODE=\"{}\">", escape_attr(&s.uai, '"'))?;
    writeln!(w, "      <ACADEMIE>")?;
    writeln!(w, "        <CODE>99</CODE>")?;
    writeln!(w, "        <LIBELLE>ACADEMIE FICTIVE</LIBELLE>")?;
    writeln!(w, "      </ACADEMIE>")?;
    writeln!(w, "      <SIGLE>CLG</SIGLE>")?;
    writeln!(w, "      <DENOM_PRINC>COLLEGE</DENOM_PRINC>")?;
    writeln!(
        w,
        "      <DENOM_COMPL>{}</DENOM_COMPL>",
        escape_text(s.denomination.trim_start_matches("COLLEGE "))
    )?;
    writeln!(w, "    </UAJ>")?;
    writeln!(w, "    <ANNEE_SCOLAIRE ANNEE=\"{}\">", s.millesime)?;
    writeln!(w, "      <DATE_DEBUT>{}-09-01</DATE_DEBUT>", s.millesime)?;
    writeln!(w, "      <DATE_FIN>{}-08-31</DATE_FIN>", s.millesime + 1)?;
    writeln!(w, "    </ANNEE_SCOLAIRE>")?;
    writeln!(w, "    <HORODATAGE>{EXPORT_DATE} 09:20:11</HORODATAGE>")?;
    writeln!(w, "  </PARAMETRES>")?;
    writeln!(w, "  <NOMENCLATURES>")?;
    writeln!(w, "    <MATIERES>")?;
    for &di in &used {
        let d = &s.disciplines[di];
        writeln!(w, "      <MATIERE CODE=\"{}\">", d.code)?;
        matiere_labels(w, d)?;
        writeln!(w, "      </MATIERE>")?;
    }
    writeln!(w, "    </MATIERES>")?;
    writeln!(w, "    <MEFS>")?;
    for n in niveaux(s) {
        writeln!(w, "      <MEF CODE=\"{}\">", super::mef_of(n))?;
        writeln!(w, "        <FORMATION>{}</FORMATION>", mef_libelle(n))?;
        writeln!(w, "        <LIBELLE_LONG>{}</LIBELLE_LONG>", mef_libelle(n))?;
        writeln!(w, "        <LIBELLE_EDITION>{n}ème</LIBELLE_EDITION>")?;
        writeln!(w, "      </MEF>")?;
    }
    writeln!(w, "    </MEFS>")?;
    writeln!(w, "  </NOMENCLATURES>")?;
    writeln!(w, "  <DONNEES>")?;
    writeln!(w, "    <INDIVIDUS>")?;
    let mut pp: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut hours: BTreeMap<usize, u32> = BTreeMap::new();
    for d in &s.divisions {
        pp.entry(d.pp).or_default().push(d.code.clone());
        for (di, t) in &d.teachers {
            let h = s.disciplines[*di].horaire;
            let x: f64 = (if d.niveau_num() == 6 { h.0 } else { h.1 })
                .parse()
                .unwrap_or(1.0);
            *hours.entry(*t).or_default() += x.ceil() as u32;
        }
    }
    let mut ids: Vec<usize> = (0..s.teachers.len()).collect();
    ids.sort_by_key(|&t| (t != s.head, s.teachers[t].sts_id));
    for t in ids {
        if t != s.head && !hours.contains_key(&t) {
            continue;
        }
        individu(
            s,
            w,
            t,
            pp.get(&t).map(Vec::as_slice).unwrap_or(&[]),
            hours.get(&t).copied(),
        )?;
    }
    writeln!(w, "    </INDIVIDUS>")?;
    writeln!(w, "    <STRUCTURE>")?;
    writeln!(w, "      <DIVISIONS>")?;
    let count = |div: usize| s.pupils.iter().filter(|p| p.division == div).count();
    for (i, d) in s.divisions.iter().enumerate() {
        writeln!(
            w,
            "        <DIVISION CODE=\"{}\">",
            escape_attr(&d.code, '"')
        )?;
        writeln!(
            w,
            "          <LIBELLE_LONG>{}</LIBELLE_LONG>",
            escape_text(&d.libelle)
        )?;
        writeln!(w, "          <EFFECTIF_PREVU>{}</EFFECTIF_PREVU>", count(i))?;
        writeln!(w, "          <MEFS_APPARTENANCE>")?;
        writeln!(w, "            <MEF_APPARTENANCE CODE=\"{}\">", d.mef())?;
        writeln!(
            w,
            "              <EFFECTIF_PREVU>{}</EFFECTIF_PREVU>",
            count(i)
        )?;
        writeln!(w, "            </MEF_APPARTENANCE>")?;
        writeln!(w, "          </MEFS_APPARTENANCE>")?;
        let list: Vec<(usize, usize)> = d
            .teachers
            .iter()
            .copied()
            .filter(|(di, _)| !s.disciplines[*di].lv2)
            .collect();
        services(s, w, &list)?;
        writeln!(w, "        </DIVISION>")?;
    }
    writeln!(w, "      </DIVISIONS>")?;
    writeln!(w, "      <GROUPES>")?;
    for (i, d) in s.divisions.iter().enumerate() {
        for &(di, t) in d.teachers.iter().filter(|(di, _)| s.disciplines[*di].lv2) {
            let n = s
                .pupils
                .iter()
                .filter(|p| p.division == i && p.lv2 == Some(di))
                .count();
            if n == 0 {
                continue;
            }
            writeln!(
                w,
                "        <GROUPE CODE=\"{}\">",
                escape_attr(&lv2_group(s, i, di), '"')
            )?;
            writeln!(
                w,
                "          <LIBELLE_LONG>{} {}</LIBELLE_LONG>",
                escape_text(&d.code),
                escape_text(s.disciplines[di].court)
            )?;
            writeln!(w, "          <EFFECTIF_PREVU>{n}</EFFECTIF_PREVU>")?;
            writeln!(w, "          <DIVISIONS_APPARTENANCE>")?;
            writeln!(
                w,
                "            <DIVISION_APPARTENANCE CODE=\"{}\">",
                escape_attr(&d.code, '"')
            )?;
            writeln!(w, "              <EFFECTIF_PREVU>{n}</EFFECTIF_PREVU>")?;
            writeln!(w, "            </DIVISION_APPARTENANCE>")?;
            writeln!(w, "          </DIVISIONS_APPARTENANCE>")?;
            writeln!(w, "          <MEFS_APPARTENANCE>")?;
            writeln!(w, "            <MEF_APPARTENANCE CODE=\"{}\"/>", d.mef())?;
            writeln!(w, "          </MEFS_APPARTENANCE>")?;
            services(s, w, &[(di, t)])?;
            writeln!(w, "        </GROUPE>")?;
        }
    }
    writeln!(w, "      </GROUPES>")?;
    writeln!(w, "    </STRUCTURE>")?;
    writeln!(w, "  </DONNEES>")?;
    writeln!(w, "</STS_EDT>")
}

/// The header of the ONDE pupils' extraction (22 columns).
pub const ONDE_HEADER: &str = "Nom élève;Nom d'usage élève;Prénom élève;Date naissance;Sexe;INE;Adresse1;Cp1;Commune1;Pays1;Adresse2;Cp2;Commune2;Pays2;Cycle;Niveau;Libellé classe;Identifiant classe;Attestation fournie;Autorisation associations;Autorisation photo;Décision de passage";

/// ONDE `CSVExtraction.csv` (UTF-8, `;`, LF).
pub fn write_onde<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    writeln!(w, "{ONDE_HEADER}")?;
    for &p in s.pupil_order() {
        let x = &s.pupils[p];
        let d = &s.divisions[x.division];
        let cycle = if cycle_1d(&x.niveau) == 2 {
            "CYCLE II"
        } else {
            "CYCLE III"
        };
        let oui = |b: bool| if b { "Oui" } else { "Non" };
        let bits = x.eleve_id.wrapping_add(x.ine.len() as u32) ^ (x.naissance.ordinal());
        writeln!(
            w,
            "{};;{};{};{};{};{} rue des Exemples;99999;{};FRANCE;;;;;{};{};{};{};{};{};{};",
            x.nom_upper(),
            x.prenom,
            fr(x.naissance),
            if x.fille { "F" } else { "M" },
            x.ine,
            1 + p % 40,
            s.commune,
            cycle,
            x.niveau,
            d.libelle,
            d.onde_id,
            oui(!bits.is_multiple_of(5)),
            oui(!bits.is_multiple_of(3)),
            oui(!bits.is_multiple_of(7)),
        )?;
    }
    Ok(())
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn periodicite(nb: u32) -> &'static str {
    match nb {
        2 => "semestre",
        4 => "bimestre",
        5 => "periode-5",
        _ => "trimestre",
    }
}

/// The LSU settings file (`interfaces.md` « LSU settings file »).
pub fn write_settings<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    writeln!(
        w,
        "# Paramètres saisis dans LSU pour l'établissement fictif {} (généré par lsu-gen).",
        s.uai
    )?;
    writeln!(w, "annee = {}", s.millesime)?;
    writeln!(w)?;
    writeln!(w, "[defaut]")?;
    writeln!(w, "source = \"import-editeur\"")?;
    writeln!(
        w,
        "periodicite = \"{}\"",
        periodicite(s.periods.len() as u32)
    )?;
    if s.degree == Degree::D2 {
        writeln!(w, "positionnement = \"notes\"")?;
        for d in &s.divisions {
            if d.scale == Scale::Echelle {
                writeln!(w)?;
                writeln!(w, "[classes.{}]", toml_str(&d.code))?;
                writeln!(w, "positionnement = \"echelle\"")?;
            }
        }
    } else {
        for per in &s.periods {
            writeln!(w)?;
            writeln!(w, "[[periodes]]")?;
            writeln!(w, "indice = {}", per.indice)?;
            writeln!(w, "debut = \"{}\"", per.debut)?;
            writeln!(w, "fin = \"{}\"", per.fin)?;
        }
        // The director first, then the class teachers, as spelt in ONDE.
        let mut people = vec![s.head];
        people.extend(s.divisions.iter().map(|d| d.pp));
        for t in people {
            let x = &s.teachers[t];
            writeln!(w)?;
            writeln!(w, "[[enseignants]]")?;
            writeln!(w, "civilite = \"{}\"", x.civilite.lsu())?;
            writeln!(w, "nom = {}", toml_str(&x.nom))?;
            writeln!(w, "prenom = {}", toml_str(&x.prenom))?;
        }
    }
    Ok(())
}

/// One line per injected defect (tab-separated), for people and scripts.
pub fn write_defects<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    writeln!(w, "code\tdefaut\televe\tdivision\tbilans\tdetail")?;
    for r in &s.defects {
        let bilans: Vec<String> = r.bilans.iter().map(|b| b.path()).collect();
        writeln!(
            w,
            "{}\t{}\t{}\t{}\t{}\t{}",
            r.code,
            r.defect.name(),
            r.eleve.as_deref().unwrap_or("-"),
            r.division.as_deref().unwrap_or("-"),
            bilans.join(" "),
            r.detail
        )?;
    }
    Ok(())
}

fn create(dir: &Path, name: &str, written: &mut Vec<PathBuf>) -> io::Result<BufWriter<File>> {
    let path = dir.join(name);
    let f = File::create(&path)?;
    written.push(path);
    Ok(BufWriter::new(f))
}

/// Writes `lsu.xml`, the LSU settings and an `lsu-lint.toml` naming them into `dir`, and the
/// matching reference files into `dir/refdata/` (so that `--refdata` finds only them and a
/// check of `dir` finds only LSU files); returns the paths written.
pub fn write_dir(s: &School, dir: &Path) -> io::Result<Vec<PathBuf>> {
    let refdir = dir.join("refdata");
    std::fs::create_dir_all(&refdir)?;
    let mut out = Vec::new();
    let mut w = create(dir, "lsu.xml", &mut out)?;
    s.write_lsu(&mut w)?;
    w.flush()?;
    match s.degree {
        Degree::D2 => {
            type F = fn(&School, &mut dyn Write) -> io::Result<()>;
            let sts = format!("sts_emp_{}_{}.xml", s.uai, s.millesime);
            let files: [(&str, F); 4] = [
                ("ElevesSansAdresses.xml", |s, w| write_siecle_eleves(s, w)),
                ("Nomenclature.xml", |s, w| write_nomenclature(s, w)),
                ("Communs.xml", |s, w| write_communs(s, w)),
                (sts.as_str(), |s, w| write_sts(s, w)),
            ];
            for (name, f) in files {
                let mut w = create(&refdir, name, &mut out)?;
                f(s, &mut w)?;
                w.flush()?;
            }
        }
        Degree::D1 => {
            let mut w = create(&refdir, "CSVExtraction.csv", &mut out)?;
            write_onde(s, &mut w)?;
            w.flush()?;
        }
    }
    let mut w = create(dir, "lsu-settings.toml", &mut out)?;
    write_settings(s, &mut w)?;
    w.flush()?;
    let mut w = create(dir, "lsu-lint.toml", &mut out)?;
    w.write_all(
        "# lsu-lint : données de référence et paramètres LSU de cet établissement fictif\n\
         [inputs]\nrefdata = \"refdata\"\nsettings = \"lsu-settings.toml\"\n"
            .as_bytes(),
    )?;
    w.flush()?;
    if !s.defects.is_empty() {
        let mut w = create(dir, "defauts.tsv", &mut out)?;
        write_defects(s, &mut w)?;
        w.flush()?;
    }
    Ok(out)
}

/// Siècle `ElevesSansAdresses.xml`, encoded in ISO-8859-15 as the real exports are.
pub fn write_siecle_eleves<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    write_siecle_eleves_text(s, &mut Latin9 { inner: w })
}

/// Siècle `Nomenclature.xml`, encoded in ISO-8859-15 as the real exports are.
pub fn write_nomenclature<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    write_nomenclature_text(s, &mut Latin9 { inner: w })
}

/// Siècle `Communs.xml`, encoded in ISO-8859-15 as the real exports are.
pub fn write_communs<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    write_communs_text(s, &mut Latin9 { inner: w })
}

/// STS-Web `sts_emp_<UAI>_<année>.xml`, encoded in ISO-8859-15 as the real exports are.
pub fn write_sts<W: Write + ?Sized>(s: &School, w: &mut W) -> io::Result<()> {
    write_sts_text(s, &mut Latin9 { inner: w })
}
