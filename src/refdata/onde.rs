//! ONDE « CSVExtraction » of the pupils (1st degree): `;`-separated, UTF-8 or Windows-1252,
//! headers matched by name loosely (case, accents, spaces), dates `dd/mm/yyyy`
//! (`reference-data.md` §1.8).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use chrono::NaiveDate;

use super::detect::{self, Kind, Sniff};
use super::read::{self, err, Unreadable};
use crate::error::Error;
use crate::util::fold;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EleveOnde {
    pub nom: Option<String>,
    pub nom_usage: Option<String>,
    pub prenom: Option<String>,
    pub date_naissance: Option<NaiveDate>,
    pub sexe: Option<String>,
    pub ine: Option<String>,
    pub cycle: Option<String>,
    pub niveau: Option<String>,
    /// « Identifiant classe »: LSU `classe/@id-be`.
    pub classe_id: Option<String>,
    /// « Libellé classe ».
    pub classe_libelle: Option<String>,
    /// Line of the record in the file.
    pub line: usize,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClasseOnde {
    pub id: String,
    pub libelle: Option<String>,
    /// Niveaux of its pupils (several for a multi-level class).
    pub niveaux: BTreeSet<String>,
    /// Indexes into `Onde::eleves`.
    pub eleves: Vec<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Onde {
    pub path: String,
    /// « UTF-8 » or « Windows-1252 ».
    pub encoding: &'static str,
    pub eleves: Vec<EleveOnde>,
    /// By « Identifiant classe ».
    pub classes: BTreeMap<String, ClasseOnde>,
    /// Rows read without some field, or dropped (`interfaces.md`, « Reference files »).
    pub unreadable: Unreadable,
    by_ine: HashMap<String, Vec<usize>>,
}

impl Onde {
    pub fn classe(&self, id: &str) -> Option<&ClasseOnde> {
        self.classes.get(id.trim())
    }

    /// Classes whose label equals `libelle` once folded (case, accents, spaces).
    pub fn classes_by_libelle(&self, libelle: &str) -> Vec<&ClasseOnde> {
        let f = fold(libelle);
        self.classes
            .values()
            .filter(|c| c.libelle.as_deref().is_some_and(|l| fold(l) == f))
            .collect()
    }

    pub fn eleve_by_ine(&self, ine: &str) -> Option<&EleveOnde> {
        self.eleves_by_ine(ine).into_iter().next()
    }

    pub fn eleves_by_ine(&self, ine: &str) -> Vec<&EleveOnde> {
        self.by_ine
            .get(&read::ine_key(ine))
            .map(|v| v.iter().map(|&i| &self.eleves[i]).collect())
            .unwrap_or_default()
    }

    pub fn eleves_of_classe<'s>(&'s self, id: &str) -> impl Iterator<Item = &'s EleveOnde> + 's {
        self.classe(id)
            .map(|c| c.eleves.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|&i| &self.eleves[i])
    }

    pub fn summary(&self) -> String {
        format!(
            "{} élèves, {} classes (encodage {} ; pas d'UAI ni d'année dans ce fichier)",
            self.eleves.len(),
            self.classes.len(),
            self.encoding
        )
    }
}

/// Decodes a CSV: UTF-8 when valid (BOM stripped), else Windows-1252.
pub fn decode_csv(bytes: &[u8]) -> (String, &'static str) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => {
            let (t, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(body);
            (t.into_owned(), "Windows-1252")
        }
    }
}

/// The decoded first line (for recognition; only the start of the file is decoded).
pub fn first_line(bytes: &[u8]) -> String {
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len())
        .min(16384);
    let line = &bytes[..end];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    decode_csv(line).0
}

/// Header name in comparable form: folded, quotes and typographic apostrophes normalised.
fn header_key(h: &str) -> String {
    let h = h.trim().trim_matches('"');
    fold(h).replace(['\u{2019}', '`', '\u{b4}'], "'")
}

fn separator(header: &str) -> char {
    [';', '\t', ',']
        .into_iter()
        .find(|c| header.contains(*c))
        .unwrap_or(';')
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Col {
    Nom,
    NomUsage,
    Prenom,
    DateNaissance,
    Sexe,
    Ine,
    Cycle,
    Niveau,
    Libelle,
    ClasseId,
}

impl Col {
    fn of(key: &str) -> Option<Col> {
        Some(match key {
            "nom eleve" | "nom" => Col::Nom,
            "nom d'usage eleve" | "nom d'usage" => Col::NomUsage,
            "prenom eleve" | "prenom" => Col::Prenom,
            "date naissance" | "date de naissance" => Col::DateNaissance,
            "sexe" => Col::Sexe,
            "ine" => Col::Ine,
            "cycle" => Col::Cycle,
            "niveau" => Col::Niveau,
            "libelle classe" => Col::Libelle,
            "identifiant classe" => Col::ClasseId,
            _ => return None,
        })
    }

    fn header_fr(self) -> &'static str {
        match self {
            Col::Nom => "Nom élève",
            Col::NomUsage => "Nom d'usage élève",
            Col::Prenom => "Prénom élève",
            Col::DateNaissance => "Date naissance",
            Col::Sexe => "Sexe",
            Col::Ine => "INE",
            Col::Cycle => "Cycle",
            Col::Niveau => "Niveau",
            Col::Libelle => "Libellé classe",
            Col::ClasseId => "Identifiant classe",
        }
    }
}

const REQUIRED: [Col; 4] = [Col::Nom, Col::Prenom, Col::Ine, Col::ClasseId];

/// Whether a header line is that of the ONDE pupils' extraction (INE and class id columns).
pub fn is_onde_header(line: &str) -> bool {
    let sep = separator(line);
    let cols: Vec<Option<Col>> = line.split(sep).map(|h| Col::of(&header_key(h))).collect();
    cols.contains(&Some(Col::Ine)) && cols.contains(&Some(Col::ClasseId))
}

/// Splits CSV text into records (quoted cells may hold separators, quotes and line breaks),
/// each with the line it starts on.
fn records(text: &str, sep: char, path: &Path) -> Result<Vec<(usize, Vec<String>)>, Error> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut start_line = 1;
    let mut fields: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut at_field_start = true;
    let mut quote_line = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cur.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cur.push('\n');
                }
                _ => cur.push(c),
            }
            continue;
        }
        match c {
            '"' if at_field_start => {
                quoted = true;
                quote_line = line;
                at_field_start = false;
            }
            c if c == sep => {
                fields.push(std::mem::take(&mut cur));
                at_field_start = true;
            }
            '\n' => {
                if cur.ends_with('\r') {
                    cur.pop();
                }
                fields.push(std::mem::take(&mut cur));
                out.push((start_line, std::mem::take(&mut fields)));
                line += 1;
                start_line = line;
                at_field_start = true;
            }
            _ => {
                cur.push(c);
                at_field_start = false;
            }
        }
    }
    if quoted {
        return Err(err(
            path,
            format!("ligne {quote_line} : guillemet ouvert jamais refermé (fichier CSV tronqué ?)"),
        ));
    }
    if cur.ends_with('\r') {
        cur.pop();
    }
    if !cur.is_empty() || !fields.is_empty() {
        fields.push(cur);
        out.push((start_line, fields));
    }
    Ok(out)
}

/// Loads an ONDE extraction (CSV bytes, or a zip holding it).
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Onde, Error> {
    let un = read::unpack(bytes, path)?;
    let bytes: &[u8] = &un.bytes;
    let sniffed = detect::sniff(bytes);
    let (text, encoding) = decode_csv(bytes);
    let mut recs = records(&text, separator(&first_line(bytes)), path)?.into_iter();
    let Some((_, header)) = recs.next() else {
        return Err(err(
            path,
            "fichier vide : la ligne d'en-tête de l'extraction ONDE manque",
        ));
    };
    let mut index: HashMap<Col, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(c) = Col::of(&header_key(h)) {
            index.entry(c).or_insert(i);
        }
    }
    let missing: Vec<&str> = REQUIRED
        .iter()
        .filter(|c| !index.contains_key(*c))
        .map(|c| c.header_fr())
        .collect();
    if !missing.is_empty() {
        if matches!(sniffed, Sniff::Known(k) if k != Kind::Onde)
            || matches!(sniffed, Sniff::Other(_))
        {
            return Err(detect::wrong_kind(path, Kind::Onde, &sniffed));
        }
        return Err(err(
            path,
            format!(
                "ligne 1 : colonnes de l'extraction ONDE des élèves absentes : {} (est-ce bien « Extraction format CSV » de la liste des élèves ?)",
                missing.join(", ")
            ),
        ));
    }
    let mut o = Onde {
        path: read::display(path),
        encoding,
        ..Onde::default()
    };
    let width = header.len();
    for (line, rec) in recs {
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let mut problems = Vec::new();
        if rec.len() < width {
            problems.push(format!(
                "{} champ{} au lieu de {width} (colonnes manquantes inconnues)",
                rec.len(),
                if rec.len() > 1 { "s" } else { "" }
            ));
        }
        let get = |c: Col| -> Option<String> {
            let i = *index.get(&c)?;
            let v = rec.get(i)?.trim();
            (!v.is_empty()).then(|| v.to_string())
        };
        let (ine, classe_id) = (get(Col::Ine), get(Col::ClasseId));
        if ine.is_none() || classe_id.is_none() {
            let missing: Vec<&str> = [(Col::Ine, &ine), (Col::ClasseId, &classe_id)]
                .into_iter()
                .filter(|(_, v)| v.is_none())
                .map(|(c, _)| c.header_fr())
                .collect();
            problems.push(format!("{} absent", missing.join(" et ")));
            o.unreadable.record(line, problems, true);
            continue;
        }
        let date_naissance = get(Col::DateNaissance).and_then(|d| {
            let parsed = read::parse_date(&d);
            if parsed.is_none() {
                problems.push(format!("date de naissance « {d} » illisible"));
            }
            parsed
        });
        o.unreadable.record(line, problems, false);
        o.eleves.push(EleveOnde {
            nom: get(Col::Nom),
            nom_usage: get(Col::NomUsage),
            prenom: get(Col::Prenom),
            date_naissance,
            sexe: get(Col::Sexe),
            ine,
            cycle: get(Col::Cycle),
            niveau: get(Col::Niveau),
            classe_id,
            classe_libelle: get(Col::Libelle),
            line,
        });
    }
    for (i, e) in o.eleves.iter().enumerate() {
        if let Some(ine) = &e.ine {
            o.by_ine.entry(read::ine_key(ine)).or_default().push(i);
        }
        if let Some(id) = &e.classe_id {
            let c = o.classes.entry(id.clone()).or_insert_with(|| ClasseOnde {
                id: id.clone(),
                ..ClasseOnde::default()
            });
            if c.libelle.is_none() {
                c.libelle = e.classe_libelle.clone();
            }
            if let Some(n) = &e.niveau {
                c.niveaux.insert(n.clone());
            }
            c.eleves.push(i);
        }
    }
    Ok(o)
}
