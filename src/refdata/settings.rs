//! The LSU settings file (`--settings`, TOML, `interfaces.md`): what the school set in LSU, which
//! LSU has no export of. Unknown keys and values outside the enumerations are errors (exit 2),
//! with a « vouliez-vous dire » hint.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use toml::Spanned;

use crate::error::Error;
use crate::util::did_you_mean;

/// How the class's bilans reach LSU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    ImportEditeur,
    Saisie,
}

/// Number of periods of the class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Periodicite {
    #[serde(rename = "trimestre")]
    Trimestre,
    #[serde(rename = "semestre")]
    Semestre,
    #[serde(rename = "bimestre")]
    Bimestre,
    #[serde(rename = "periode-5")]
    Periode5,
}

impl Periodicite {
    pub fn nb_periodes(self) -> u32 {
        match self {
            Periodicite::Trimestre => 3,
            Periodicite::Semestre => 2,
            Periodicite::Bimestre => 4,
            Periodicite::Periode5 => 5,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Periodicite::Trimestre => "trimestre",
            Periodicite::Semestre => "semestre",
            Periodicite::Bimestre => "bimestre",
            Periodicite::Periode5 => "periode-5",
        }
    }
}

/// 2D positioning mode of the class in LSU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Positionnement {
    /// Notes sur 20 (LSU's default, restored at each new school year).
    Notes,
    /// Positionnement sur une échelle 1–4.
    Echelle,
    Objectifs,
}

impl Positionnement {
    pub fn as_str(self) -> &'static str {
        match self {
            Positionnement::Notes => "notes",
            Positionnement::Echelle => "echelle",
            Positionnement::Objectifs => "objectifs",
        }
    }
}

/// `[defaut]` or `[classes."X"]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassSettings {
    pub source: Option<Source>,
    pub periodicite: Option<Periodicite>,
    pub positionnement: Option<Positionnement>,
}

impl ClassSettings {
    /// `self` completed by `base` for the keys it leaves unset.
    pub fn or(self, base: ClassSettings) -> ClassSettings {
        ClassSettings {
            source: self.source.or(base.source),
            periodicite: self.periodicite.or(base.periodicite),
            positionnement: self.positionnement.or(base.positionnement),
        }
    }
}

/// A `[[periodes]]` entry (1D: the period dates set in LSU).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodeSettings {
    pub indice: u32,
    pub debut: NaiveDate,
    pub fin: NaiveDate,
}

/// A `[[enseignants]]` entry (1D: teachers as spelt in ONDE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnseignantSettings {
    /// `M` or `MME` (upper case).
    pub civilite: Option<String>,
    pub nom: String,
    pub prenom: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub path: String,
    /// Millésime: first year of the school year.
    pub annee: Option<i32>,
    /// Overrides the built-in calendar.
    pub rentree: Option<NaiveDate>,
    pub academie: Option<String>,
    pub defaut: ClassSettings,
    /// By 2D code-division or 1D ONDE class id (exact key).
    pub classes: BTreeMap<String, ClassSettings>,
    pub periodes: Vec<PeriodeSettings>,
    pub enseignants: Vec<EnseignantSettings>,
}

impl Settings {
    /// The effective settings of a class: its own table, completed by `[defaut]`.
    pub fn class(&self, code: &str) -> ClassSettings {
        self.classes
            .get(code)
            .copied()
            .unwrap_or_default()
            .or(self.defaut)
    }

    /// Whether the class has its own `[classes."X"]` table.
    pub fn has_class(&self, code: &str) -> bool {
        self.classes.contains_key(code)
    }

    /// The millésime of the settings: `annee`, else the year of `rentree`.
    pub fn millesime(&self) -> Option<i32> {
        self.annee.or(self.rentree.map(|d| d.year()))
    }

    pub fn periode(&self, indice: u32) -> Option<&PeriodeSettings> {
        self.periodes.iter().find(|p| p.indice == indice)
    }

    /// Where a class's setting comes from, in words a user reads (never the TOML syntax: the
    /// web page fills the settings by a form): « le réglage de la classe « 6A » dans les
    /// paramètres LSU fournis (reglages.toml) », or the default one.
    pub fn origin_fr(&self, class: Option<&str>) -> String {
        match class {
            Some(c) => format!(
                "réglage de la classe « {c} » dans les paramètres LSU fournis ({})",
                self.path
            ),
            None => format!(
                "réglage commun à toutes les classes dans les paramètres LSU fournis ({})",
                self.path
            ),
        }
    }

    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(a) = self.annee {
            parts.push(format!("année {a}-{}", a + 1));
        }
        if let Some(r) = self.rentree {
            parts.push(format!("rentrée {}", r.format("%Y-%m-%d")));
        }
        if let Some(a) = &self.academie {
            parts.push(format!("académie {a}"));
        }
        parts.push(match self.classes.len() {
            0 => "aucune classe paramétrée à part".to_string(),
            n => crate::util::plural(n, "classe paramétrée", "classes paramétrées"),
        });
        if !self.periodes.is_empty() {
            parts.push(crate::util::plural(
                self.periodes.len(),
                "période",
                "périodes",
            ));
        }
        if !self.enseignants.is_empty() {
            parts.push(crate::util::plural(
                self.enseignants.len(),
                "enseignant",
                "enseignants",
            ));
        }
        parts.join(", ")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    annee: Option<Spanned<i64>>,
    rentree: Option<Spanned<toml::Value>>,
    academie: Option<String>,
    defaut: Option<ClassSettings>,
    #[serde(default)]
    classes: BTreeMap<String, ClassSettings>,
    #[serde(default)]
    periodes: Vec<Spanned<RawPeriode>>,
    #[serde(default)]
    enseignants: Vec<Spanned<RawEnseignant>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriode {
    indice: Spanned<i64>,
    debut: Spanned<toml::Value>,
    fin: Spanned<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnseignant {
    civilite: Option<Spanned<String>>,
    nom: String,
    prenom: Option<String>,
}

/// Every key of the file, for « vouliez-vous dire » when serde gives no list.
const KEYS: &[&str] = &[
    "annee",
    "rentree",
    "academie",
    "defaut",
    "classes",
    "periodes",
    "enseignants",
    "source",
    "periodicite",
    "positionnement",
    "indice",
    "debut",
    "fin",
    "civilite",
    "nom",
    "prenom",
];

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The names between backticks after `expected`, as serde lists them.
fn expected_list(msg: &str) -> Vec<&str> {
    let Some(p) = msg.find("expected") else {
        return Vec::new();
    };
    msg[p..].split('`').skip(1).step_by(2).collect()
}

/// A TOML/serde error in French: the line, the key, and a hint.
fn toml_error(e: &toml::de::Error, text: &str) -> String {
    let msg = e.message().trim();
    let span = e.span();
    let at = span
        .as_ref()
        .map(|s| format!("ligne {} : ", line_at(text, s.start)))
        .unwrap_or_default();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let listed = expected_list(rest);
        let candidates: Vec<&str> = if listed.is_empty() {
            KEYS.to_vec()
        } else {
            listed.clone()
        };
        let hint = did_you_mean(key, &candidates)
            .map(|k| format!(" (vouliez-vous dire « {k} » ?)"))
            .unwrap_or_default();
        let allowed = if listed.is_empty() {
            String::new()
        } else {
            format!(" ; clés admises ici : {}", listed.join(", "))
        };
        return format!("{at}clé inconnue « {key} »{hint}{allowed}");
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let value = rest.split('`').next().unwrap_or("");
        let listed = expected_list(rest);
        // The key is what precedes `=` on the value's line.
        let key = span
            .as_ref()
            .and_then(|s| {
                let start = text[..s.start.min(text.len())]
                    .rfind('\n')
                    .map_or(0, |p| p + 1);
                text[start..s.start.min(text.len())].split('=').next()
            })
            .map(|k| k.trim().trim_matches('"').to_string())
            .filter(|k| !k.is_empty());
        let hint = did_you_mean(value, &listed)
            .map(|k| format!(" (vouliez-vous dire « {k} » ?)"))
            .unwrap_or_default();
        let what = key.map(|k| format!("{k} = ")).unwrap_or_default();
        let admises: Vec<String> = listed.iter().map(|v| format!("« {v} »")).collect();
        return format!(
            "{at}valeur {what}« {value} » invalide{hint} ; valeurs admises : {}",
            admises.join(", ")
        );
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        return format!("{at}clé obligatoire « {key} » absente");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        return format!("{at}type de valeur invalide ({rest})");
    }
    format!("{at}{msg}")
}

/// A date written as a TOML string « 2025-09-01 » or a bare TOML date.
fn date_value(v: &Spanned<toml::Value>, key: &str, text: &str) -> Result<NaiveDate, String> {
    let line = line_at(text, v.span().start);
    let bad = |shown: String| {
        format!("ligne {line} : {key} = {shown} n'est pas une date AAAA-MM-JJ (par exemple \"2025-09-01\")")
    };
    match v.get_ref() {
        toml::Value::String(s) => {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| bad(format!("« {s} »")))
        }
        toml::Value::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) => {
                NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                    .ok_or_else(|| bad(dt.to_string()))
            }
            _ => Err(bad(dt.to_string())),
        },
        other => Err(bad(other.to_string())),
    }
}

/// Parses and checks settings text.
pub fn parse(text: &str, path: &Path) -> Result<Settings, Error> {
    let fail = |message: String| Error::Settings {
        path: path.to_path_buf(),
        message,
    };
    let raw: RawSettings = toml::from_str(text).map_err(|e| fail(toml_error(&e, text)))?;
    let mut s = Settings {
        path: super::read::display(path),
        academie: raw
            .academie
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty()),
        defaut: raw.defaut.unwrap_or_default(),
        classes: raw.classes,
        ..Settings::default()
    };
    if let Some(a) = &raw.annee {
        let y = *a.get_ref();
        if !(2000..=2100).contains(&y) {
            return Err(fail(format!(
                "ligne {} : annee = {y} invalide : attendu le millésime, première année de l'année scolaire (par exemple 2025 pour 2025-2026)",
                line_at(text, a.span().start)
            )));
        }
        s.annee = i32::try_from(y).ok();
    }
    if let Some(r) = &raw.rentree {
        let d = date_value(r, "rentree", text).map_err(fail)?;
        if let Some(a) = s.annee {
            if d.year() != a {
                return Err(fail(format!(
                    "ligne {} : rentree = {d} n'appartient pas à l'année scolaire {a}-{} (annee = {a})",
                    line_at(text, r.span().start),
                    a + 1
                )));
            }
        }
        s.rentree = Some(d);
    }
    for p in &raw.periodes {
        let line = line_at(text, p.span().start);
        let p = p.get_ref();
        let indice = *p.indice.get_ref();
        if !(1..=5).contains(&indice) {
            return Err(fail(format!(
                "ligne {} : indice = {indice} invalide : une période a un indice de 1 à 5",
                line_at(text, p.indice.span().start)
            )));
        }
        let debut = date_value(&p.debut, "debut", text).map_err(fail)?;
        let fin = date_value(&p.fin, "fin", text).map_err(fail)?;
        if fin < debut {
            return Err(fail(format!(
                "ligne {line} : période {indice} : fin {fin} antérieure au début {debut}"
            )));
        }
        let indice = indice as u32;
        if s.periodes.iter().any(|q| q.indice == indice) {
            return Err(fail(format!(
                "ligne {line} : période d'indice {indice} donnée deux fois"
            )));
        }
        s.periodes.push(PeriodeSettings { indice, debut, fin });
    }
    s.periodes.sort_by_key(|p| p.indice);
    for e in raw.enseignants {
        let e = e.into_inner();
        let civilite = match e.civilite {
            None => None,
            Some(c) => {
                let v = c.get_ref().trim().to_uppercase();
                let v = match v.as_str() {
                    "M" | "M." => "M".to_string(),
                    "MME" => "MME".to_string(),
                    _ => {
                        return Err(fail(format!(
                        "ligne {} : civilite = « {} » invalide ; valeurs admises : « M », « MME »",
                        line_at(text, c.span().start),
                        c.get_ref()
                    )))
                    }
                };
                Some(v)
            }
        };
        s.enseignants.push(EnseignantSettings {
            civilite,
            nom: e.nom,
            prenom: e.prenom,
        });
    }
    Ok(s)
}

/// Reads and checks a settings file.
pub fn load(path: &Path) -> Result<Settings, Error> {
    let fail = |message: String| Error::Settings {
        path: path.to_path_buf(),
        message,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail("fichier introuvable".into()))
        }
        Err(e) => return Err(fail(format!("lecture impossible : {e}"))),
    };
    from_bytes(&bytes, path)
}

/// Checks a settings file received as bytes (`path` names it in messages).
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Settings, Error> {
    let fail = |message: String| Error::Settings {
        path: path.to_path_buf(),
        message,
    };
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        fail(format!(
            "ligne {} : le fichier doit être en UTF-8",
            super::read::line_of(body, e.valid_up_to())
        ))
    })?;
    parse(text, path)
}
