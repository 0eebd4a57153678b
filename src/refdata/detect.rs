//! Recognition of reference files by content (XML root element, CSV header), never by name:
//! for `--refdata DIR`, and to tell a user that a file given as `--siecle` is something else.

use std::path::{Path, PathBuf};

use super::read::{self, err};
use crate::error::Error;
use crate::report::Note;

/// The kinds of reference file lsu-lint reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Siecle,
    Nomenclature,
    Sts,
    Onde,
    Communs,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Siecle,
        Kind::Nomenclature,
        Kind::Sts,
        Kind::Onde,
        Kind::Communs,
    ];

    /// How notes and messages name the kind.
    pub fn label_fr(self) -> &'static str {
        match self {
            Kind::Siecle => "Siècle ElevesSansAdresses",
            Kind::Nomenclature => "Siècle Nomenclature",
            Kind::Sts => "STS-Web sts_emp",
            Kind::Onde => "ONDE CSVExtraction (élèves)",
            Kind::Communs => "Siècle Communs",
        }
    }

    /// The command-line option that takes this kind.
    pub fn option(self) -> &'static str {
        match self {
            Kind::Siecle => "--siecle",
            Kind::Nomenclature => "--nomenclature",
            Kind::Sts => "--sts",
            Kind::Onde => "--onde",
            Kind::Communs => "--communs",
        }
    }

    /// The XML root element of the kind (None for the ONDE CSV).
    pub fn root(self) -> Option<&'static str> {
        match self {
            Kind::Siecle => Some("BEE_ELEVES"),
            Kind::Nomenclature => Some("BEE_NOMENCLATURES"),
            Kind::Sts => Some("STS_EDT"),
            Kind::Communs => Some("BEE_COMMUN"),
            Kind::Onde => None,
        }
    }
}

/// What a file's content looks like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sniff {
    Known(Kind),
    /// Recognised but not used by lsu-lint (description in French).
    Other(String),
    /// Not recognised (reason in French).
    Unknown(String),
}

fn other_root(root: &str) -> Option<String> {
    let s = match root {
        "BEE_STRUCTURES" => "export Siècle Structures (non utilisé : les divisions viennent d'ElevesSansAdresses ou de STS-Web)",
        "BEE_RESPONSABLES" => "export Siècle Responsables (non utilisé)",
        "EDT_STS" => "fichier d'emploi du temps destiné à STS-Web (emp_sts), pas l'export sts_emp de STS-Web",
        "lsun-bilans" => "fichier d'import LSU (à vérifier avec `lsu-lint check`, pas une donnée de référence)",
        _ => return None,
    };
    Some(s.to_string())
}

/// What an XML file with this root element is, in French (« un export Siècle
/// ElevesSansAdresses »), when lsu-lint knows the kind; None for an unknown root. Used to tell a
/// user who gave a reference or another export as the LSU file what it is.
pub fn describe_root(root: &str) -> Option<String> {
    let local = root.rsplit(':').next().unwrap_or(root);
    if let Some(k) = Kind::ALL.into_iter().find(|k| k.root() == Some(local)) {
        return Some(format!("un export {}", k.label_fr()));
    }
    if local == "lsun-bilans" {
        return None;
    }
    if let Some(d) = other_root(local) {
        return Some(format!("un {d}"));
    }
    // The lycée's livret (LSL) is the export most often mistaken for an LSU one.
    if local.to_ascii_lowercase().starts_with("lsl") {
        return Some("un export du Livret scolaire du lycée (LSL)".into());
    }
    None
}

/// Recognises unpacked bytes (not a zip) by their content.
pub fn sniff(bytes: &[u8]) -> Sniff {
    let head = &bytes[..bytes.len().min(8192)];
    let head_text = String::from_utf8_lossy(head);
    let trimmed = head_text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('<') {
        return match read::sniff_root(trimmed) {
            Some(root) => {
                if let Some(k) = Kind::ALL.into_iter().find(|k| k.root() == Some(root)) {
                    Sniff::Known(k)
                } else if let Some(d) = other_root(root) {
                    Sniff::Other(d)
                } else {
                    Sniff::Unknown(format!("XML de racine <{root}> non reconnu"))
                }
            }
            None => Sniff::Unknown("XML sans élément racine lisible".into()),
        };
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") || head.contains(&0) {
        return Sniff::Unknown("fichier binaire ou UTF-16, ni XML ni CSV".into());
    }
    let first = super::onde::first_line(bytes);
    if super::onde::is_onde_header(&first) {
        return Sniff::Known(Kind::Onde);
    }
    if first.contains(';') || first.contains(',') || first.contains('\t') {
        Sniff::Unknown(
            "CSV sans les colonnes de l'extraction ONDE des élèves (INE, Identifiant classe)"
                .into(),
        )
    } else {
        Sniff::Unknown("ni XML Siècle/STS-Web ni CSV ONDE".into())
    }
}

/// The error for a file given as `expected` whose content is something else.
pub fn wrong_kind(path: &Path, expected: Kind, found: &Sniff) -> Error {
    let (what, help) = match found {
        Sniff::Known(k) => (
            format!("c'est un fichier {}, à fournir comme tel", k.label_fr()),
            format!(
                "en ligne de commande, {} attend un fichier {} ; celui-ci se passe avec {}",
                expected.option(),
                expected.label_fr(),
                k.option()
            ),
        ),
        Sniff::Other(d) => (format!("c'est un {d}"), String::new()),
        Sniff::Unknown(r) => (r.clone(), String::new()),
    };
    Error::WrongKind {
        path: path.to_path_buf(),
        expected: expected.label_fr(),
        found: what,
        help: if help.is_empty() {
            format!(
                "en ligne de commande, {} attend un fichier {}",
                expected.option(),
                expected.label_fr()
            )
        } else {
            help
        },
    }
}

/// A recognised file of a `--refdata` folder, unpacked.
pub struct Found {
    pub kind: Kind,
    pub path: PathBuf,
    pub member: Option<String>,
    pub bytes: Vec<u8>,
}

/// Recognises every file of a folder (not recursive, hidden files skipped). Unrecognised or
/// unreadable files become notes; only an unreadable folder is an error.
pub fn scan(dir: &Path) -> Result<(Vec<Found>, Vec<Note>), Error> {
    if !dir.exists() {
        return Err(err(dir, "dossier introuvable (--refdata)"));
    }
    if !dir.is_dir() {
        return Err(err(
            dir,
            "--refdata attend un dossier ; pour un fichier, utilisez --siecle, --sts, --onde…",
        ));
    }
    let rd = std::fs::read_dir(dir).map_err(|e| err(dir, format!("dossier illisible : {e}")))?;
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    let mut found = Vec::new();
    let mut notes = Vec::new();
    for p in entries {
        let name = read::file_name(&p);
        if name.starts_with('.') {
            continue;
        }
        let shown = read::display(&p);
        if p.is_dir() {
            notes.push(Note::file(
                None,
                shown,
                "sous-dossier ignoré (--refdata ne lit que les fichiers du dossier)",
            ));
            continue;
        }
        let bytes = match read::read_file(&p) {
            Ok(b) => b,
            Err(Error::RefData { message, .. }) => {
                notes.push(Note::file(None, shown, format!("ignoré ({message})")));
                continue;
            }
            Err(e) => return Err(e),
        };
        let unpacked = match read::unpack(&bytes, &p) {
            Ok(u) => (u.bytes.into_owned(), u.member),
            Err(Error::RefData { message, .. }) => {
                notes.push(Note::file(None, shown, format!("non reconnu ({message})")));
                continue;
            }
            Err(e) => return Err(e),
        };
        match sniff(&unpacked.0) {
            Sniff::Known(kind) => found.push(Found {
                kind,
                path: p,
                member: unpacked.1,
                bytes: unpacked.0,
            }),
            Sniff::Other(d) => notes.push(Note::file(None, shown, format!("{d} ; ignoré"))),
            Sniff::Unknown(r) => {
                let hint = if name.to_ascii_lowercase().ends_with(".toml") {
                    " (des paramètres LSU se passent avec --settings)"
                } else {
                    ""
                };
                notes.push(Note::file(
                    None,
                    shown,
                    format!("non reconnu ({r}){hint} ; ignoré"),
                ))
            }
        }
    }
    Ok((found, notes))
}
