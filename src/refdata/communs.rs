//! Siècle « Communs » (root `BEE_COMMUN`): the school's UAI, school year and the pupils' school
//! year start and end dates (`reference-data.md` §1.6) — the per-school rentrée.

use std::path::Path;

use crate::xml::Document;
use chrono::{Datelike, NaiveDate};

use super::detect::Kind;
use super::read::{self, child, date_child_or_note, path as at, text, Unreadable};
use crate::error::Error;

#[derive(Clone, Debug, Default)]
pub struct Communs {
    pub path: String,
    pub uai: Option<String>,
    pub annee: Option<i32>,
    /// `DONNEES/UAJ/DENOM_PRINC`.
    pub denomination: Option<String>,
    /// `DONNEES/ANNEE_SCOLAIRE/DATE_DEBUT_ELEVE`: the pupils' rentrée.
    pub date_debut: Option<NaiveDate>,
    /// `DONNEES/ANNEE_SCOLAIRE/DATE_FIN_ELEVE`.
    pub date_fin: Option<NaiveDate>,
    /// Fields that could not be read (`interfaces.md`, « Reference files »).
    pub unreadable: Unreadable,
}

impl Communs {
    /// The millésime the start date belongs to: ANNEE_SCOLAIRE, else the start date's year.
    pub fn millesime(&self) -> Option<i32> {
        self.annee.or(self.date_debut.map(|d| d.year()))
    }

    pub fn summary(&self) -> String {
        let debut = self
            .date_debut
            .map(|d| format!("rentrée des élèves le {}", d.format("%Y-%m-%d")))
            .unwrap_or_else(|| "sans date de rentrée".into());
        format!(
            "UAI {}, {}, {debut}",
            self.uai.as_deref().unwrap_or("inconnu"),
            read::year_label(self.annee)
        )
    }
}

/// Loads a Communs file (.xml or .zip bytes).
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Communs, Error> {
    super::load_xml(bytes, path, Kind::Communs, parse)
}

/// Never fails on a field: unreadable dates are unknown (`Communs::unreadable`).
fn parse(doc: &Document, path: &Path) -> Result<Communs, Error> {
    let root = doc.root_element();
    let mut c = Communs {
        path: read::display(path),
        ..Communs::default()
    };
    if let Some(p) = child(root, "PARAMETRES") {
        c.uai = text(p, "UAJ");
        c.annee = text(p, "ANNEE_SCOLAIRE").and_then(|y| read::parse_year(&y));
    }
    c.denomination = at(root, &["DONNEES", "UAJ"]).and_then(|u| text(u, "DENOM_PRINC"));
    if let Some(a) = at(root, &["DONNEES", "ANNEE_SCOLAIRE"]) {
        let mut problems = Vec::new();
        c.date_debut = date_child_or_note(a, "DATE_DEBUT_ELEVE", &mut problems);
        c.date_fin = date_child_or_note(a, "DATE_FIN_ELEVE", &mut problems);
        if let (Some(d), Some(f)) = (c.date_debut, c.date_fin) {
            if f < d {
                // Which one is wrong is unknown: neither is used.
                problems.push(format!(
                    "DATE_FIN_ELEVE {f} antérieure à DATE_DEBUT_ELEVE {d}, dates ignorées"
                ));
                c.date_debut = None;
                c.date_fin = None;
            }
        }
        c.unreadable.record(read::line(doc, a), problems, false);
    }
    Ok(c)
}
