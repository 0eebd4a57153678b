//! STS-Web « sts_emp » (root `STS_EDT`): staff (INDIVIDUS, SUPPLEANTS), divisions and groups with
//! their MEFs and services (matière, teachers, hours) (`reference-data.md` §1.7).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::xml::{Document, Node};
use chrono::NaiveDate;

use super::detect::Kind;
use super::read::{self, attr, child, children, date_child_or_note, path as at, text, Unreadable};
use crate::error::Error;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Individu {
    /// `@ID`: LSU `id-sts`.
    pub id: String,
    /// `@TYPE`: `epp`, `local`, `dir`, `eppsup`…
    pub type_: Option<String>,
    /// `CIVILITE`: 1 M., 2 Mme, 3 Mlle.
    pub civilite: Option<String>,
    pub sexe: Option<String>,
    pub nom_usage: Option<String>,
    pub nom_patronymique: Option<String>,
    pub prenom: Option<String>,
    pub date_naissance: Option<NaiveDate>,
    pub grade: Option<String>,
    /// `FONCTION` (ENS, DIR, EDU, DOC…); absent for some local staff and staff on leave.
    pub fonction: Option<String>,
    pub profs_princ: Vec<ProfPrinc>,
    /// `DISCIPLINES/DISCIPLINE`: (code, libellé, hours).
    pub disciplines: Vec<Discipline>,
    /// From `SUPPLEANTS` rather than `INDIVIDUS`.
    pub suppleant: bool,
    pub line: usize,
}

impl Individu {
    /// The name as LSU shows it: usage name, else birth name.
    pub fn nom(&self) -> Option<&str> {
        self.nom_usage
            .as_deref()
            .or(self.nom_patronymique.as_deref())
    }

    /// LSU's civilité (`M` / `MME`) from CIVILITE, else SEXE.
    pub fn civilite_lsu(&self) -> Option<&'static str> {
        match self.civilite.as_deref().or(self.sexe.as_deref()) {
            Some("1") => Some("M"),
            Some("2") | Some("3") => Some("MME"),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProfPrinc {
    pub code_structure: String,
    pub date_debut: Option<NaiveDate>,
    pub date_fin: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Discipline {
    pub code: String,
    pub libelle: Option<String>,
    pub nb_heures: Option<f64>,
}

/// A division or a group of STS-Web.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Structure {
    pub code: String,
    pub libelle: Option<String>,
    /// `MEFS_APPARTENANCE/MEF_APPARTENANCE/@CODE`.
    pub mefs: Vec<String>,
    /// Groups only: `DIVISIONS_APPARTENANCE/DIVISION_APPARTENANCE/@CODE`.
    pub divisions: Vec<String>,
    pub services: Vec<Service>,
    pub line: usize,
}

impl Structure {
    /// The services of a matière.
    pub fn services_of<'s>(
        &'s self,
        code_matiere: &'s str,
    ) -> impl Iterator<Item = &'s Service> + 's {
        self.services
            .iter()
            .filter(move |s| s.code_matiere == code_matiere)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Service {
    pub code_matiere: String,
    /// `CODE_MOD_COURS` (CG = cours général…).
    pub code_mod_cours: Option<String>,
    pub enseignants: Vec<EnseignantService>,
}

impl Service {
    /// Weekly hours of the service (sum of the teachers' courses), when a timetable was uploaded.
    pub fn heures(&self) -> Option<f64> {
        let mins: Vec<u32> = self.enseignants.iter().filter_map(|e| e.minutes).collect();
        (!mins.is_empty()).then(|| f64::from(mins.iter().sum::<u32>()) / 60.0)
    }

    pub fn has_enseignant(&self, id_sts: &str) -> bool {
        let k = read::id_key(id_sts);
        self.enseignants.iter().any(|e| read::id_key(&e.id) == k)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnseignantService {
    pub id: String,
    pub type_: Option<String>,
    /// Sum of `COURS_RATTACHES/COURS/DUREE` (HHMM) in minutes; None without courses.
    pub minutes: Option<u32>,
}

/// Where a service sits: (in a group rather than a division, structure index, service index).
type ServiceAt = (bool, usize, usize);

#[derive(Clone, Debug, Default)]
pub struct Sts {
    pub path: String,
    /// `PARAMETRES/UAJ/@CODE`.
    pub uai: Option<String>,
    /// `PARAMETRES/ANNEE_SCOLAIRE/@ANNEE`.
    pub annee: Option<i32>,
    pub date_debut: Option<NaiveDate>,
    pub date_fin: Option<NaiveDate>,
    pub academie: Option<String>,
    /// `PARAMETRES/APPLICATION_SOURCE`: set by private timetable tools, not by STS-Web (I007).
    pub application_source: Option<String>,
    /// `NOMENCLATURES/MATIERES/MATIERE/@CODE` → best label.
    pub matieres: BTreeMap<String, String>,
    /// `NOMENCLATURES/MEFS/MEF/@CODE` → best label.
    pub mefs: BTreeMap<String, String>,
    pub individus: Vec<Individu>,
    pub divisions: Vec<Structure>,
    pub groupes: Vec<Structure>,
    /// Records read without some field, or dropped (`interfaces.md`, « Reference files »).
    pub unreadable: Unreadable,
    by_id: HashMap<String, Vec<usize>>,
    division_idx: HashMap<String, usize>,
    groupe_idx: HashMap<String, usize>,
    /// Division code → indices of the groups attached to it.
    groupes_by_division: HashMap<String, Vec<usize>>,
    /// (structure code, matière code) → services, built once so that per-acquis lookups
    /// (T003, M004, M005) never scan every service of the file.
    /// Nested rather than keyed by a pair, so that a lookup borrows its two codes (no
    /// allocation per acquis).
    services_idx: HashMap<String, HashMap<String, Vec<ServiceAt>>>,
    /// Folded name (usage and birth names) → person indices, for T002's match by name.
    by_name: HashMap<String, Vec<usize>>,
}

impl Sts {
    /// The person of an `id-sts` (compared numerically); INDIVIDUS before SUPPLEANTS.
    pub fn individu(&self, id: &str) -> Option<&Individu> {
        self.individus_by_id(id).into_iter().next()
    }

    /// Every person entry with that id (a replacement teacher can appear twice).
    pub fn individus_by_id(&self, id: &str) -> Vec<&Individu> {
        self.by_id
            .get(&read::id_key(id))
            .map(|v| v.iter().map(|&i| &self.individus[i]).collect())
            .unwrap_or_default()
    }

    pub fn division(&self, code: &str) -> Option<&Structure> {
        self.division_idx.get(code).map(|&i| &self.divisions[i])
    }

    pub fn groupe(&self, code: &str) -> Option<&Structure> {
        self.groupe_idx.get(code).map(|&i| &self.groupes[i])
    }

    pub fn is_division(&self, code: &str) -> bool {
        self.division_idx.contains_key(code)
    }

    /// Groups attached to a division.
    pub fn groupes_of_division<'s>(
        &'s self,
        code: &'s str,
    ) -> impl Iterator<Item = &'s Structure> + 's {
        self.groupes_by_division
            .get(code)
            .into_iter()
            .flatten()
            .map(|&i| &self.groupes[i])
    }

    /// The services of a matière in a division or a group (exact codes), from the index.
    pub fn services_for(&self, structure: &str, code_matiere: &str) -> Vec<&Service> {
        self.services_idx
            .get(structure)
            .and_then(|m| m.get(code_matiere.trim()))
            .map(|v| {
                v.iter()
                    .filter_map(|&(groupe, s, i)| {
                        let st = if groupe {
                            self.groupes.get(s)
                        } else {
                            self.divisions.get(s)
                        };
                        st.and_then(|st| st.services.get(i))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether a division or group code exists in STS.
    pub fn is_structure(&self, code: &str) -> bool {
        self.division_idx.contains_key(code) || self.groupe_idx.contains_key(code)
    }

    /// People whose usage or birth name folds (`util::fold`) to the same as `nom`, without
    /// duplicates (a replacement teacher listed twice counts once).
    pub fn individus_by_name(&self, nom: &str) -> Vec<&Individu> {
        let mut v: Vec<&Individu> = Vec::new();
        for &i in self
            .by_name
            .get(&crate::util::fold(nom))
            .into_iter()
            .flatten()
        {
            let ind = &self.individus[i];
            if !v
                .iter()
                .any(|x| read::id_key(&x.id) == read::id_key(&ind.id))
            {
                v.push(ind);
            }
        }
        v
    }

    /// Professeurs principaux of a division (any date).
    pub fn profs_princ_of<'s>(
        &'s self,
        division: &'s str,
    ) -> impl Iterator<Item = &'s Individu> + 's {
        self.individus
            .iter()
            .filter(move |i| i.profs_princ.iter().any(|p| p.code_structure == division))
    }

    /// Whether the file was produced by a private timetable tool rather than STS-Web.
    pub fn is_third_party(&self) -> bool {
        self.application_source.is_some()
    }

    pub fn summary(&self) -> String {
        let mut s = format!(
            "UAI {}, {}, {} personnes, {} divisions, {} groupes",
            self.uai.as_deref().unwrap_or("inconnu"),
            read::year_label(self.annee),
            self.individus.len(),
            self.divisions.len(),
            self.groupes.len()
        );
        if let Some(a) = &self.application_source {
            s.push_str(&format!(", produit par « {a} » et non par STS-Web"));
        }
        s
    }
}

/// Loads an sts_emp file (.xml or .zip bytes).
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Sts, Error> {
    super::load_xml(bytes, path, Kind::Sts, parse)
}

/// `HHMM` → minutes.
fn hhmm(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: u32 = s[..2].parse().ok()?;
    let m: u32 = s[2..].parse().ok()?;
    (m < 60).then_some(h * 60 + m)
}

/// A person (INDIVIDU or SUPPLEANT); None when its ID or TYPE is unreadable (dropped).
fn individu(lines: &read::Lines, n: Node, suppleant: bool, u: &mut Unreadable) -> Option<Individu> {
    let line = lines.of(n);
    let mut problems = Vec::new();
    let (Some(id), Some(type_)) = (attr(n, "ID"), attr(n, "TYPE")) else {
        problems.push(format!("{} sans attribut ID ou TYPE", n.tag_name().name()));
        u.record(line, problems, true);
        return None;
    };
    let mut profs_princ = Vec::new();
    if let Some(pp) = child(n, "PROFS_PRINC") {
        for p in children(pp, "PROF_PRINC") {
            let Some(code) = text(p, "CODE_STRUCTURE") else {
                continue;
            };
            profs_princ.push(ProfPrinc {
                code_structure: code,
                date_debut: date_child_or_note(p, "DATE_DEBUT", &mut problems),
                date_fin: date_child_or_note(p, "DATE_FIN", &mut problems),
            });
        }
    }
    let disciplines = child(n, "DISCIPLINES")
        .map(|ds| {
            children(ds, "DISCIPLINE")
                .filter_map(|d| {
                    Some(Discipline {
                        code: attr(d, "CODE")?,
                        libelle: text(d, "LIBELLE_COURT"),
                        nb_heures: text(d, "NB_HEURES")
                            .and_then(|h| h.replace(',', ".").parse().ok()),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let ind = Individu {
        id,
        type_: Some(type_),
        civilite: text(n, "CIVILITE"),
        sexe: text(n, "SEXE"),
        nom_usage: text(n, "NOM_USAGE"),
        nom_patronymique: text(n, "NOM_PATRONYMIQUE"),
        prenom: text(n, "PRENOM"),
        date_naissance: date_child_or_note(n, "DATE_NAISSANCE", &mut problems),
        grade: text(n, "GRADE"),
        fonction: text(n, "FONCTION"),
        profs_princ,
        disciplines,
        suppleant,
        line,
    };
    u.record(line, problems, false);
    Some(ind)
}

/// A division or group; None when its CODE is unreadable (dropped). A service without
/// CODE_MATIERE is left out of the structure, which is kept.
fn structure(lines: &read::Lines, n: Node, u: &mut Unreadable) -> Option<Structure> {
    let line = lines.of(n);
    let mut problems = Vec::new();
    let Some(code) = attr(n, "CODE") else {
        problems.push(format!("{} sans attribut CODE", n.tag_name().name()));
        u.record(line, problems, true);
        return None;
    };
    let codes = |list: &str, item: &str| -> Vec<String> {
        child(n, list)
            .map(|l| children(l, item).filter_map(|m| attr(m, "CODE")).collect())
            .unwrap_or_default()
    };
    let mut services = Vec::new();
    if let Some(ss) = child(n, "SERVICES") {
        for s in children(ss, "SERVICE") {
            let Some(code_matiere) = attr(s, "CODE_MATIERE") else {
                problems.push(format!(
                    "SERVICE sans CODE_MATIERE (ligne {}) ignoré",
                    lines.of(s)
                ));
                continue;
            };
            let mut enseignants = Vec::new();
            if let Some(es) = child(s, "ENSEIGNANTS") {
                for e in children(es, "ENSEIGNANT") {
                    let Some(id) = attr(e, "ID") else { continue };
                    let cours: Vec<u32> = child(e, "COURS_RATTACHES")
                        .map(|c| {
                            children(c, "COURS")
                                .filter_map(|c| text(c, "DUREE"))
                                .filter_map(|d| hhmm(&d))
                                .collect()
                        })
                        .unwrap_or_default();
                    enseignants.push(EnseignantService {
                        id,
                        type_: attr(e, "TYPE"),
                        minutes: (!cours.is_empty()).then(|| cours.iter().sum()),
                    });
                }
            }
            services.push(Service {
                code_matiere,
                code_mod_cours: attr(s, "CODE_MOD_COURS"),
                enseignants,
            });
        }
    }
    u.record(line, problems, false);
    Some(Structure {
        code,
        libelle: text(n, "LIBELLE_LONG"),
        mefs: codes("MEFS_APPARTENANCE", "MEF_APPARTENANCE"),
        divisions: codes("DIVISIONS_APPARTENANCE", "DIVISION_APPARTENANCE"),
        services,
        line,
    })
}

fn label(m: Node) -> Option<String> {
    text(m, "LIBELLE_EDITION")
        .or_else(|| text(m, "LIBELLE_LONG"))
        .or_else(|| text(m, "LIBELLE_COURT"))
}

/// Never fails on a record: a readable file is loaded, its unreadable fields unknown
/// (`Sts::unreadable`).
fn parse(doc: &Document, path: &Path) -> Result<Sts, Error> {
    let root = doc.root_element();
    let lines = read::Lines::new(doc);
    let mut s = Sts {
        path: read::display(path),
        ..Sts::default()
    };
    if let Some(p) = child(root, "PARAMETRES") {
        if let Some(u) = child(p, "UAJ") {
            s.uai = attr(u, "CODE").or_else(|| read::own_text(u));
            s.academie =
                at(u, &["ACADEMIE"]).and_then(|a| text(a, "LIBELLE").or_else(|| text(a, "CODE")));
        }
        if let Some(a) = child(p, "ANNEE_SCOLAIRE") {
            s.annee = attr(a, "ANNEE")
                .or_else(|| read::own_text(a))
                .and_then(|y| read::parse_year(&y));
            let mut problems = Vec::new();
            s.date_debut = date_child_or_note(a, "DATE_DEBUT", &mut problems);
            s.date_fin = date_child_or_note(a, "DATE_FIN", &mut problems);
            s.unreadable.record(lines.of(a), problems, false);
        }
        s.application_source = text(p, "APPLICATION_SOURCE");
    }
    if let Some(ms) = at(root, &["NOMENCLATURES", "MATIERES"]) {
        for m in children(ms, "MATIERE") {
            if let Some(code) = attr(m, "CODE") {
                let l = label(m).unwrap_or_else(|| code.clone());
                s.matieres.insert(code, l);
            }
        }
    }
    if let Some(ms) = at(root, &["NOMENCLATURES", "MEFS"]) {
        for m in children(ms, "MEF") {
            if let Some(code) = attr(m, "CODE") {
                let l = label(m).unwrap_or_else(|| code.clone());
                s.mefs.insert(code, l);
            }
        }
    }
    let Some(donnees) = child(root, "DONNEES") else {
        // Readable but empty: the note says why every person will be unknown.
        s.unreadable.record(
            lines.of(root),
            vec![
                "élément DONNEES absent (export incomplet), aucune personne ni division lue".into(),
            ],
            true,
        );
        return Ok(s);
    };
    let mut u = std::mem::take(&mut s.unreadable);
    if let Some(is) = child(donnees, "INDIVIDUS") {
        for n in children(is, "INDIVIDU") {
            s.individus.extend(individu(&lines, n, false, &mut u));
        }
    }
    if let Some(is) = child(donnees, "SUPPLEANTS") {
        for n in children(is, "SUPPLEANT") {
            s.individus.extend(individu(&lines, n, true, &mut u));
        }
    }
    if let Some(st) = child(donnees, "STRUCTURE") {
        if let Some(ds) = child(st, "DIVISIONS") {
            for n in children(ds, "DIVISION") {
                s.divisions.extend(structure(&lines, n, &mut u));
            }
        }
        if let Some(gs) = child(st, "GROUPES") {
            for n in children(gs, "GROUPE") {
                s.groupes.extend(structure(&lines, n, &mut u));
            }
        }
    }
    s.unreadable = u;
    for (i, ind) in s.individus.iter().enumerate() {
        s.by_id.entry(read::id_key(&ind.id)).or_default().push(i);
    }
    for (i, d) in s.divisions.iter().enumerate() {
        s.division_idx.entry(d.code.clone()).or_insert(i);
    }
    for (i, g) in s.groupes.iter().enumerate() {
        s.groupe_idx.entry(g.code.clone()).or_insert(i);
        for d in &g.divisions {
            s.groupes_by_division.entry(d.clone()).or_default().push(i);
        }
    }
    for (groupe, list) in [(false, &s.divisions), (true, &s.groupes)] {
        for (si, st) in list.iter().enumerate() {
            for (i, sv) in st.services.iter().enumerate() {
                s.services_idx
                    .entry(st.code.clone())
                    .or_default()
                    .entry(sv.code_matiere.clone())
                    .or_default()
                    .push((groupe, si, i));
            }
        }
    }
    for (i, ind) in s.individus.iter().enumerate() {
        let mut keys = Vec::new();
        for n in [&ind.nom_usage, &ind.nom_patronymique]
            .into_iter()
            .flatten()
        {
            let k = crate::util::fold(n);
            if !k.is_empty() && !keys.contains(&k) {
                keys.push(k);
            }
        }
        for k in keys {
            s.by_name.entry(k).or_default().push(i);
        }
    }
    Ok(s)
}
