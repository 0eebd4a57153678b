//! Siècle « ElevesSansAdresses » (root `BEE_ELEVES`): pupils, their division and groups, their
//! options, and the header's UAI and school year (`reference-data.md` §1.2).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use crate::xml::Document;
use chrono::NaiveDate;

use super::detect::Kind;
use super::read::{self, attr, child, children, date_child_or_note, text, Unreadable};
use crate::error::Error;
use crate::util::name_key;

/// One pupil of Siècle.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EleveSiecle {
    /// `ELEVE_ID`: what LSU calls `id-be`.
    pub eleve_id: String,
    pub elenoet: Option<String>,
    /// `ID_NATIONAL` (the INE; the RNIE one since Siècle 17.4).
    pub id_national: Option<String>,
    pub ine_bea: Option<String>,
    pub ine_rnie: Option<String>,
    /// `NOM_DE_FAMILLE`, or the legacy `NOM`.
    pub nom_de_famille: Option<String>,
    /// `NOM_USAGE`, only when it differs.
    pub nom_usage: Option<String>,
    pub prenom: Option<String>,
    pub prenom2: Option<String>,
    pub prenom3: Option<String>,
    pub date_naissance: Option<NaiveDate>,
    pub code_sexe: Option<String>,
    pub code_mef: Option<String>,
    pub date_entree: Option<NaiveDate>,
    pub date_sortie: Option<NaiveDate>,
    /// Structures of type D (normally one).
    pub divisions: Vec<String>,
    /// Structures of type G.
    pub groupes: Vec<String>,
    pub options: Vec<OptionEleve>,
    /// Line of the `ELEVE` element in the file.
    pub line: usize,
}

impl EleveSiecle {
    /// The name LSU shows: the usage name when there is one, else the family name.
    pub fn nom(&self) -> Option<&str> {
        self.nom_usage.as_deref().or(self.nom_de_famille.as_deref())
    }

    /// Every INE of the pupil (ID_NATIONAL, INE_BEA, INE_RNIE), without duplicates.
    pub fn ines(&self) -> Vec<&str> {
        let mut v: Vec<&str> = Vec::new();
        for i in [&self.id_national, &self.ine_bea, &self.ine_rnie]
            .into_iter()
            .flatten()
        {
            if !v.iter().any(|x| x.eq_ignore_ascii_case(i)) {
                v.push(i);
            }
        }
        v
    }

    /// The pupil's division (first structure of type D).
    pub fn division(&self) -> Option<&str> {
        self.divisions.first().map(String::as_str)
    }
}

/// One `OPTIONS_ELEVE`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OptionEleve {
    pub num_option: Option<u32>,
    pub code_matiere: String,
    /// `CODE_MODALITE_ELECT` (S, O, F, N, X, L, R…).
    pub modalite: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Siecle {
    /// Shown path of the file.
    pub path: String,
    pub version: Option<String>,
    /// `PARAMETRES/UAJ`.
    pub uai: Option<String>,
    /// `PARAMETRES/ANNEE_SCOLAIRE`: the millésime (start year).
    pub annee: Option<i32>,
    pub date_export: Option<NaiveDate>,
    pub eleves: Vec<EleveSiecle>,
    /// Codes of type D (the pupils' structures; sorted).
    pub divisions: BTreeSet<String>,
    /// Codes of type G.
    pub groupes: BTreeSet<String>,
    /// Records read without some field, or dropped (`interfaces.md`, « Reference files »).
    pub unreadable: Unreadable,
    /// `read::id_key` of the id → pupils.
    by_id: read::HashIndex,
    /// `read::ine_key` of each INE → pupils.
    by_ine: read::HashIndex,
    /// (`util::name_key` of a name — family or usage —, of the first name) → pupils.
    by_name: read::HashIndex,
}

impl Siecle {
    /// The pupil of an `id-be` (compared numerically: « 0042 » = « 42 »); the first one if
    /// two carry it.
    pub fn eleve(&self, id_be: &str) -> Option<&EleveSiecle> {
        let key = read::id_key(id_be);
        self.by_id
            .candidates(read::HashIndex::hash(&key))
            .map(|i| &self.eleves[i])
            .find(|e| read::id_key(&e.eleve_id) == key)
    }

    /// The pupils carrying an INE (any of ID_NATIONAL, INE_BEA, INE_RNIE; case-insensitive).
    pub fn eleves_by_ine(&self, ine: &str) -> Vec<&EleveSiecle> {
        let key = read::ine_key(ine);
        self.by_ine
            .candidates(read::HashIndex::hash(&key))
            .map(|i| &self.eleves[i])
            .filter(|e| e.ines().iter().any(|i| read::ine_key(i) == key))
            .collect()
    }

    pub fn eleve_by_ine(&self, ine: &str) -> Option<&EleveSiecle> {
        self.eleves_by_ine(ine).into_iter().next()
    }

    /// The pupils whose family or usage name and first name equal `nom` and `prenom` once
    /// reduced by `util::name_key` (case, accents, spaces, hyphens ignored).
    pub fn eleves_by_name(&self, nom: &str, prenom: &str) -> Vec<&EleveSiecle> {
        let key = (name_key(nom), name_key(prenom));
        self.by_name
            .candidates(read::HashIndex::hash(&key))
            .map(|i| &self.eleves[i])
            .filter(|e| {
                e.prenom.as_deref().is_some_and(|p| name_key(p) == key.1)
                    && [&e.nom_de_famille, &e.nom_usage]
                        .into_iter()
                        .flatten()
                        .any(|n| name_key(n) == key.0)
            })
            .collect()
    }

    /// Whether a code is a Siècle division (exact string: spaces and case matter).
    pub fn is_division(&self, code: &str) -> bool {
        self.divisions.contains(code)
    }

    pub fn is_groupe(&self, code: &str) -> bool {
        self.groupes.contains(code)
    }

    /// Pupils whose division (type D) is `code`.
    pub fn eleves_of_division<'s>(
        &'s self,
        code: &'s str,
    ) -> impl Iterator<Item = &'s EleveSiecle> + 's {
        self.eleves
            .iter()
            .filter(move |e| e.divisions.iter().any(|d| d == code))
    }

    /// « UAI 0999999X, 2024-2025, 6 élèves ».
    pub fn summary(&self) -> String {
        format!(
            "UAI {}, {}, {} élève{}, {} division{}",
            self.uai.as_deref().unwrap_or("inconnu"),
            read::year_label(self.annee),
            self.eleves.len(),
            if self.eleves.len() > 1 { "s" } else { "" },
            self.divisions.len(),
            if self.divisions.len() > 1 { "s" } else { "" },
        )
    }

    fn index(&mut self) {
        let (mut by_id, mut by_ine, mut by_name) = (Vec::new(), Vec::new(), Vec::new());
        for (i, e) in self.eleves.iter().enumerate() {
            let i = i as u32;
            if let Some(p) = &e.prenom {
                let p = name_key(p);
                for n in [&e.nom_de_famille, &e.nom_usage].into_iter().flatten() {
                    by_name.push((read::HashIndex::hash(&(name_key(n), p.clone())), i));
                }
            }
            by_id.push((read::HashIndex::hash(&read::id_key(&e.eleve_id)), i));
            for ine in e.ines() {
                by_ine.push((read::HashIndex::hash(&read::ine_key(ine)), i));
            }
            self.divisions.extend(e.divisions.iter().cloned());
            self.groupes.extend(e.groupes.iter().cloned());
        }
        self.by_id = read::HashIndex::new(by_id);
        self.by_ine = read::HashIndex::new(by_ine);
        self.by_name = read::HashIndex::new(by_name);
    }
}

/// Loads an ElevesSansAdresses file (.xml or .zip bytes).
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Siecle, Error> {
    super::load_xml(bytes, path, Kind::Siecle, parse)
}

/// Never fails on a record: a readable file is loaded, its unreadable fields unknown
/// (`Siecle::unreadable`).
fn parse(doc: &Document, path: &Path) -> Result<Siecle, Error> {
    let root = doc.root_element();
    let lines = read::Lines::new(doc);
    let mut s = Siecle {
        path: read::display(path),
        version: attr(root, "VERSION"),
        ..Siecle::default()
    };
    if let Some(p) = child(root, "PARAMETRES") {
        s.uai = text(p, "UAJ");
        s.annee = text(p, "ANNEE_SCOLAIRE").and_then(|y| read::parse_year(&y));
        let mut problems = Vec::new();
        s.date_export = date_child_or_note(p, "DATE_EXPORT", &mut problems);
        s.unreadable.record(lines.of(p), problems, false);
    }
    let Some(donnees) = child(root, "DONNEES") else {
        // Readable but empty: every pupil will be reported unknown, and the note says why.
        s.unreadable.record(
            lines.of(root),
            vec!["élément DONNEES absent (export incomplet), aucun élève lu".into()],
            true,
        );
        return Ok(s);
    };
    let mut pos: HashMap<String, usize> = HashMap::new();
    if let Some(eleves) = child(donnees, "ELEVES") {
        for n in children(eleves, "ELEVE") {
            let line = lines.of(n);
            let mut problems = Vec::new();
            let Some(id) = attr(n, "ELEVE_ID").or_else(|| text(n, "ELEVE_ID")) else {
                problems.push("ELEVE sans ELEVE_ID".to_string());
                s.unreadable.record(line, problems, true);
                continue;
            };
            let e = EleveSiecle {
                eleve_id: id.clone(),
                elenoet: attr(n, "ELENOET").or_else(|| text(n, "ELENOET")),
                id_national: text(n, "ID_NATIONAL"),
                ine_bea: text(n, "INE_BEA"),
                ine_rnie: text(n, "INE_RNIE"),
                nom_de_famille: text(n, "NOM_DE_FAMILLE").or_else(|| text(n, "NOM")),
                nom_usage: text(n, "NOM_USAGE"),
                prenom: text(n, "PRENOM"),
                prenom2: text(n, "PRENOM2"),
                prenom3: text(n, "PRENOM3"),
                date_naissance: date_child_or_note(n, "DATE_NAISS", &mut problems),
                code_sexe: text(n, "CODE_SEXE"),
                code_mef: text(n, "CODE_MEF"),
                date_entree: date_child_or_note(n, "DATE_ENTREE", &mut problems),
                date_sortie: date_child_or_note(n, "DATE_SORTIE", &mut problems),
                line,
                ..EleveSiecle::default()
            };
            s.unreadable.record(line, problems, false);
            pos.entry(read::id_key(&id)).or_insert(s.eleves.len());
            s.eleves.push(e);
        }
    }
    if let Some(options) = child(donnees, "OPTIONS") {
        for o in children(options, "OPTION") {
            let Some(&i) = attr(o, "ELEVE_ID").and_then(|id| pos.get(&read::id_key(&id))) else {
                continue;
            };
            for oe in children(o, "OPTIONS_ELEVE") {
                let Some(code) = text(oe, "CODE_MATIERE") else {
                    continue;
                };
                s.eleves[i].options.push(OptionEleve {
                    num_option: text(oe, "NUM_OPTION").and_then(|n| n.parse().ok()),
                    code_matiere: code,
                    modalite: text(oe, "CODE_MODALITE_ELECT"),
                });
            }
        }
    }
    if let Some(structures) = child(donnees, "STRUCTURES") {
        for se in children(structures, "STRUCTURES_ELEVE") {
            let Some(&i) = attr(se, "ELEVE_ID").and_then(|id| pos.get(&read::id_key(&id))) else {
                continue;
            };
            for st in children(se, "STRUCTURE") {
                // Division codes can contain spaces (« 4e 1 »): keep them, only trim the ends.
                let Some(code) = text(st, "CODE_STRUCTURE") else {
                    continue;
                };
                match text(st, "TYPE_STRUCTURE").as_deref() {
                    Some("D") | Some("d") => s.eleves[i].divisions.push(code),
                    _ => s.eleves[i].groupes.push(code),
                }
            }
        }
    }
    s.index();
    Ok(s)
}
