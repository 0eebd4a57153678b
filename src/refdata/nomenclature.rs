//! Siècle « Nomenclature » (root `BEE_NOMENCLATURES`): matières, MEFs, and the programmes
//! table MEF × matière × modalité d'élection with its weekly hours (`reference-data.md` §1.3).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::xml::Document;

use super::detect::Kind;
use super::read::{self, attr, child, children, text};
use crate::error::Error;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matiere {
    /// `CODE_MATIERE`: 6 characters, leading zeros kept.
    pub code: String,
    pub code_gestion: Option<String>,
    pub libelle_court: Option<String>,
    pub libelle_long: Option<String>,
    pub libelle_edition: Option<String>,
}

impl Matiere {
    /// The best label for messages: LIBELLE_EDITION, else LIBELLE_LONG, else the code.
    pub fn libelle(&self) -> &str {
        self.libelle_edition
            .as_deref()
            .or(self.libelle_long.as_deref())
            .or(self.libelle_court.as_deref())
            .unwrap_or(&self.code)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mef {
    /// `CODE_MEF`: 11 digits.
    pub code: String,
    pub formation: Option<String>,
    pub libelle_long: Option<String>,
    pub libelle_edition: Option<String>,
    pub mef_rattachement: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Programme {
    pub code_mef: String,
    pub code_matiere: String,
    /// `CODE_MODALITE_ELECT`.
    pub modalite: Option<String>,
    /// `HORAIRE`: weekly hours (`0.00` possible); None when absent or unreadable.
    pub horaire: Option<f64>,
}

#[derive(Clone, Debug, Default)]
pub struct Nomenclature {
    pub path: String,
    pub version: Option<String>,
    pub uai: Option<String>,
    pub annee: Option<i32>,
    pub matieres: BTreeMap<String, Matiere>,
    pub mefs: BTreeMap<String, Mef>,
    pub programmes: Vec<Programme>,
    /// `MODALITES_ELECTION`: code → LIBELLE_LONG (or court).
    pub modalites: BTreeMap<String, String>,
    by_mef_matiere: HashMap<(String, String), Vec<usize>>,
    /// Records dropped for lack of a code (`interfaces.md`, « Reference files »).
    pub unreadable: read::Unreadable,
}

impl Nomenclature {
    pub fn matiere(&self, code: &str) -> Option<&Matiere> {
        self.matieres.get(code.trim())
    }

    pub fn mef(&self, code: &str) -> Option<&Mef> {
        self.mefs.get(code.trim())
    }

    /// The programme rows of a MEF and a matière (any modalité, any hours).
    pub fn programmes_for(&self, code_mef: &str, code_matiere: &str) -> Vec<&Programme> {
        self.by_mef_matiere
            .get(&(code_mef.trim().to_string(), code_matiere.trim().to_string()))
            .map(|v| v.iter().map(|&i| &self.programmes[i]).collect())
            .unwrap_or_default()
    }

    /// The modalités d'élection offered for a MEF and a matière, keeping rows with hours > 0
    /// (rows at 0.00 are placeholders, as SACoche treats them).
    pub fn modalites_for(&self, code_mef: &str, code_matiere: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .programmes_for(code_mef, code_matiere)
            .into_iter()
            .filter(|p| p.horaire.is_none_or(|h| h > 0.0))
            .filter_map(|p| p.modalite.as_deref())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The programme rows of a MEF.
    pub fn programmes_of_mef<'s>(
        &'s self,
        code_mef: &'s str,
    ) -> impl Iterator<Item = &'s Programme> + 's {
        self.programmes
            .iter()
            .filter(move |p| p.code_mef == code_mef.trim())
    }

    pub fn summary(&self) -> String {
        format!(
            "UAI {}, {}, {} matières, {} MEF, {} lignes de programme",
            self.uai.as_deref().unwrap_or("inconnu"),
            read::year_label(self.annee),
            self.matieres.len(),
            self.mefs.len(),
            self.programmes.len()
        )
    }
}

/// Loads a Nomenclature file (.xml or .zip bytes).
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Nomenclature, Error> {
    super::load_xml(bytes, path, Kind::Nomenclature, parse)
}

/// `4.50` or `4,50`.
fn parse_hours(s: &str) -> Option<f64> {
    let v: f64 = s.trim().replace(',', ".").parse().ok()?;
    v.is_finite().then_some(v)
}

/// Never fails on a record: one without its code is dropped (`Nomenclature::unreadable`).
fn parse(doc: &Document, path: &Path) -> Result<Nomenclature, Error> {
    let root = doc.root_element();
    let mut n = Nomenclature {
        path: read::display(path),
        version: attr(root, "VERSION"),
        ..Nomenclature::default()
    };
    if let Some(p) = child(root, "PARAMETRES") {
        n.uai = text(p, "UAJ");
        n.annee = text(p, "ANNEE_SCOLAIRE").and_then(|y| read::parse_year(&y));
    }
    let Some(donnees) = child(root, "DONNEES") else {
        n.unreadable.record(
            read::line(doc, root),
            vec!["élément DONNEES absent (export incomplet), aucune nomenclature lue".into()],
            true,
        );
        return Ok(n);
    };
    if let Some(ms) = child(donnees, "MATIERES") {
        for m in children(ms, "MATIERE") {
            let Some(code) = attr(m, "CODE_MATIERE").or_else(|| text(m, "CODE_MATIERE")) else {
                n.unreadable.record(
                    read::line(doc, m),
                    vec!["MATIERE sans CODE_MATIERE".into()],
                    true,
                );
                continue;
            };
            n.matieres.insert(
                code.clone(),
                Matiere {
                    code,
                    code_gestion: text(m, "CODE_GESTION"),
                    libelle_court: text(m, "LIBELLE_COURT"),
                    libelle_long: text(m, "LIBELLE_LONG"),
                    libelle_edition: text(m, "LIBELLE_EDITION"),
                },
            );
        }
    }
    if let Some(ms) = child(donnees, "MEFS") {
        for m in children(ms, "MEF") {
            let Some(code) = attr(m, "CODE_MEF").or_else(|| text(m, "CODE_MEF")) else {
                n.unreadable
                    .record(read::line(doc, m), vec!["MEF sans CODE_MEF".into()], true);
                continue;
            };
            n.mefs.insert(
                code.clone(),
                Mef {
                    code,
                    formation: text(m, "FORMATION"),
                    libelle_long: text(m, "LIBELLE_LONG"),
                    libelle_edition: text(m, "LIBELLE_EDITION"),
                    mef_rattachement: text(m, "MEF_RATTACHEMENT"),
                },
            );
        }
    }
    if let Some(ps) = child(donnees, "PROGRAMMES") {
        for p in children(ps, "PROGRAMME") {
            let (Some(mef), Some(mat)) = (text(p, "CODE_MEF"), text(p, "CODE_MATIERE")) else {
                n.unreadable.record(
                    read::line(doc, p),
                    vec!["PROGRAMME sans CODE_MEF ou sans CODE_MATIERE".into()],
                    true,
                );
                continue;
            };
            let i = n.programmes.len();
            n.by_mef_matiere
                .entry((mef.clone(), mat.clone()))
                .or_default()
                .push(i);
            n.programmes.push(Programme {
                code_mef: mef,
                code_matiere: mat,
                modalite: text(p, "CODE_MODALITE_ELECT"),
                horaire: text(p, "HORAIRE").and_then(|h| parse_hours(&h)),
            });
        }
    }
    if let Some(ms) = child(donnees, "MODALITES_ELECTION") {
        for m in children(ms, "MODALITE_ELECTION") {
            let Some(code) = attr(m, "CODE_MODALITE_ELECT") else {
                continue;
            };
            let label = text(m, "LIBELLE_LONG")
                .or_else(|| text(m, "LIBELLE_COURT"))
                .unwrap_or_default();
            n.modalites.insert(code, label);
        }
    }
    Ok(n)
}
