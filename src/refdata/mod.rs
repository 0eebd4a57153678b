//! Reference data (Siècle, STS-Web, ONDE, LSU settings): loaded once per run, shared by every
//! file. Each loader lives in its own module; `detect` recognises files by content.
//!
//! A file that cannot be read or decoded, is not of the kind it was given as (root element, CSV
//! header), or is not well-formed stops the run (`Error::RefData` / `Error::Settings`, exit 2).
//! A readable file with some unreadable records or fields is loaded: the field is unknown, the
//! record kept when its identifiers are readable, and one note per file says so. A readable file
//! of another school or school year is loaded as is: rules I001/I007 report it.

pub mod communs;
pub mod detect;
pub mod nomenclature;
pub mod onde;
pub mod read;
pub mod settings;
pub mod siecle;
pub mod sts;

use std::path::{Path, PathBuf};

use crate::xml::Document;

pub use communs::Communs;
pub use detect::Kind;
pub use nomenclature::Nomenclature;
pub use onde::Onde;
pub use settings::Settings;
pub use siecle::Siecle;
pub use sts::Sts;

use crate::calendar::{Calendar, Zone};
use crate::catalogue::Input;
use crate::config::Config;
use crate::error::Error;
use crate::report::{Inputs, Note};

/// All reference data of a run; every part is optional.
#[derive(Debug, Default)]
pub struct RefData {
    pub siecle: Option<Siecle>,
    pub nomenclature: Option<Nomenclature>,
    pub sts: Option<Sts>,
    pub onde: Option<Onde>,
    pub communs: Option<Communs>,
    pub settings: Option<Settings>,
}

impl RefData {
    /// The niveau of a pupil from reference data: 2D from the Siècle CODE_MEF (collège MEFs
    /// start with 100 for 6e … 103 for 3e), 1D from the ONDE niveau; None when unknown.
    pub fn niveau_of_eleve(&self, eleve: crate::xml::Node) -> Option<String> {
        if let (Some(siecle), Some(id_be)) = (&self.siecle, eleve.attribute("id-be")) {
            let mef = siecle.eleve(id_be)?.code_mef.clone()?;
            let niveau = match mef.get(..3) {
                Some("100") => "6",
                Some("101") => "5",
                Some("102") => "4",
                Some("103") => "3",
                _ => return Some(mef),
            };
            return Some(niveau.to_string());
        }
        if let (Some(onde), Some(ine)) = (&self.onde, eleve.attribute("ine")) {
            return onde.eleve_by_ine(ine)?.niveau.clone();
        }
        None
    }

    /// Whether an input is present (for skipping rules). The calendar is always there (built in).
    pub fn has(&self, input: Input) -> bool {
        match input {
            Input::Siecle => self.siecle.is_some(),
            Input::Nomenclature => self.nomenclature.is_some(),
            Input::Sts => self.sts.is_some(),
            Input::Onde => self.onde.is_some(),
            Input::Communs => self.communs.is_some(),
            Input::Settings => self.settings.is_some(),
            Input::Calendar => true,
        }
    }

    /// Whether `code` is a division in Siècle (type D) or in STS-Web.
    pub fn is_known_division(&self, code: &str) -> bool {
        self.siecle.as_ref().is_some_and(|s| s.is_division(code))
            || self.sts.as_ref().is_some_and(|s| s.is_division(code))
    }

    /// Every (file path, UAI, millésime) of the loaded reference files that carry them (I001/I007).
    pub fn identities(&self) -> Vec<(Kind, &str, Option<&str>, Option<i32>)> {
        let mut v = Vec::new();
        if let Some(s) = &self.siecle {
            v.push((Kind::Siecle, s.path.as_str(), s.uai.as_deref(), s.annee));
        }
        if let Some(s) = &self.nomenclature {
            v.push((
                Kind::Nomenclature,
                s.path.as_str(),
                s.uai.as_deref(),
                s.annee,
            ));
        }
        if let Some(s) = &self.sts {
            v.push((Kind::Sts, s.path.as_str(), s.uai.as_deref(), s.annee));
        }
        if let Some(s) = &self.communs {
            v.push((Kind::Communs, s.path.as_str(), s.uai.as_deref(), s.annee));
        }
        v
    }

    /// What could not be read in the loaded file of a kind.
    pub fn unreadable(&self, kind: Kind) -> Option<&read::Unreadable> {
        match kind {
            Kind::Siecle => self.siecle.as_ref().map(|s| &s.unreadable),
            Kind::Nomenclature => self.nomenclature.as_ref().map(|s| &s.unreadable),
            Kind::Sts => self.sts.as_ref().map(|s| &s.unreadable),
            Kind::Onde => self.onde.as_ref().map(|s| &s.unreadable),
            Kind::Communs => self.communs.as_ref().map(|s| &s.unreadable),
        }
    }

    /// Loads one reference file of a known kind from bytes (.xml, .zip or .csv content).
    pub fn load_bytes(&mut self, kind: Kind, bytes: &[u8], path: &Path) -> Result<String, Error> {
        Ok(match kind {
            Kind::Siecle => {
                let s = siecle::from_bytes(bytes, path)?;
                let summary = s.summary();
                self.siecle = Some(s);
                summary
            }
            Kind::Nomenclature => {
                let s = nomenclature::from_bytes(bytes, path)?;
                let summary = s.summary();
                self.nomenclature = Some(s);
                summary
            }
            Kind::Sts => {
                let s = sts::from_bytes(bytes, path)?;
                let summary = s.summary();
                self.sts = Some(s);
                summary
            }
            Kind::Onde => {
                let s = onde::from_bytes(bytes, path)?;
                let summary = s.summary();
                self.onde = Some(s);
                summary
            }
            Kind::Communs => {
                let s = communs::from_bytes(bytes, path)?;
                let summary = s.summary();
                self.communs = Some(s);
                summary
            }
        })
    }

    /// The calendar of the run: zone from the settings' `academie`, rentrée overrides from the
    /// settings then Siècle Communs (precedence of `rules.md`).
    pub fn calendar(&self) -> Calendar {
        let mut cal = Calendar::default();
        if let Some(s) = &self.settings {
            if let Some(a) = &s.academie {
                cal.zone = Zone::from_academie(a);
            }
            if let (Some(r), Some(y)) = (s.rentree, s.millesime()) {
                cal.settings_rentree = Some((y, r));
            }
        }
        if let Some(c) = &self.communs {
            if let (Some(d), Some(y)) = (c.date_debut, c.millesime()) {
                cal.communs_rentree = Some((y, d));
            }
        }
        cal
    }
}

/// Common path of the XML loaders: unzip, check the root element is the expected kind's,
/// decode per the declared encoding, parse without DTD, then hand the tree to `parse`.
pub(crate) fn load_xml<T>(
    bytes: &[u8],
    path: &Path,
    kind: Kind,
    parse: fn(&Document, &Path) -> Result<T, Error>,
) -> Result<T, Error> {
    let un = read::unpack(bytes, path)?;
    let sniffed = detect::sniff(&un.bytes);
    if sniffed != detect::Sniff::Known(kind) {
        return Err(detect::wrong_kind(path, kind, &sniffed));
    }
    let text = read::decode_xml(&un.bytes, path)?;
    let doc = read::parse_xml(&text, path)?;
    if Some(doc.root_element().tag_name().name()) != kind.root() {
        return Err(detect::wrong_kind(
            path,
            kind,
            &detect::Sniff::Unknown(format!("racine <{}>", doc.root_element().tag_name().name())),
        ));
    }
    parse(&doc, path)
}

/// A reference input: a file on disk, or bytes received by the service (never written).
#[derive(Debug, Clone)]
pub enum Source {
    Path(PathBuf),
    Bytes { name: String, bytes: Vec<u8> },
}

impl Source {
    /// How reports show it: the path as given, or the uploaded file's name.
    pub fn shown(&self) -> String {
        match self {
            Source::Path(p) => read::display(p),
            Source::Bytes { name, .. } => name.clone(),
        }
    }

    fn path(&self) -> PathBuf {
        match self {
            Source::Path(p) => p.clone(),
            Source::Bytes { name, .. } => PathBuf::from(name),
        }
    }
}

/// The reference inputs of a run as the user gave them (command line or upload). The
/// configuration's `[inputs]` complete them in `load`.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// Files given for one kind (`--siecle`…, or an upload's field).
    pub explicit: Vec<(Kind, Source)>,
    /// A folder whose files are recognised by content (`--refdata`).
    pub dir: Option<PathBuf>,
    /// The LSU settings file.
    pub settings: Option<Source>,
}

/// What loading the reference inputs of a run produced.
#[derive(Debug, Default)]
pub struct Loaded {
    pub refdata: RefData,
    pub calendar: Calendar,
    pub inputs: Inputs,
    /// What was recognised or left out, for every report.
    pub notes: Vec<Note>,
}

/// Where a reference file comes from.
enum Origin {
    Given(Source),
    Dir(detect::Found),
}

fn set_input(inputs: &mut Inputs, kind: Kind, shown: String) {
    let slot = match kind {
        Kind::Siecle => &mut inputs.siecle,
        Kind::Nomenclature => &mut inputs.nomenclature,
        Kind::Sts => &mut inputs.sts,
        Kind::Onde => &mut inputs.onde,
        Kind::Communs => &mut inputs.communs,
    };
    *slot = Some(shown);
}

/// The input name of a kind, as in the report's `inputs`.
pub fn input_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Siecle => "siecle",
        Kind::Nomenclature => "nomenclature",
        Kind::Sts => "sts",
        Kind::Onde => "onde",
        Kind::Communs => "communs",
    }
}

fn config_input(config: &Config, kind: Kind) -> Option<&PathBuf> {
    match kind {
        Kind::Siecle => config.inputs.siecle.as_ref(),
        Kind::Nomenclature => config.inputs.nomenclature.as_ref(),
        Kind::Sts => config.inputs.sts.as_ref(),
        Kind::Onde => config.inputs.onde.as_ref(),
        Kind::Communs => config.inputs.communs.as_ref(),
    }
}

/// Whether the file at `path` (whose unpacked content is `bytes` when already read) has the
/// same content as the chosen `origin`. Only called for a kind given twice.
fn same_content(origin: &Origin, path: &Path, bytes: Option<&[u8]>) -> bool {
    let read = |p: &Path| {
        read::read_file(p)
            .ok()
            .and_then(|b| read::unpack(&b, p).ok().map(|u| u.bytes.into_owned()))
    };
    let left = match bytes {
        Some(b) => Some(b.to_vec()),
        None => read(path),
    };
    let chosen = match origin {
        Origin::Given(Source::Path(p)) => read(p),
        Origin::Given(Source::Bytes { bytes, name }) => read::unpack(bytes, Path::new(name))
            .ok()
            .map(|u| u.bytes.into_owned()),
        Origin::Dir(f) => Some(f.bytes.clone()),
    };
    matches!((left, chosen), (Some(a), Some(b)) if a == b)
}

/// Loads every reference input of a run, once.
///
/// For each kind, the first of: the given file, a file of the given folder, the config's
/// `[inputs]` entry, a file of the config's `refdata` folder.
pub fn load(sources: &Sources, config: &Config) -> Result<Loaded, Error> {
    let mut loaded = Loaded::default();
    let mut notes = Vec::new();

    // Folders: the given one, then the config's (when another one).
    let mut scan = |d: &Path| -> Result<Vec<detect::Found>, Error> {
        let (found, dir_notes) = detect::scan(d)?;
        if found.is_empty() {
            notes.push(Note::file(
                None,
                read::display(d),
                "aucun fichier de référence reconnu dans ce dossier",
            ));
        }
        notes.extend(dir_notes);
        Ok(found)
    };
    let given_dir = match &sources.dir {
        Some(d) => scan(d)?,
        None => Vec::new(),
    };
    let cfg_dir = match &config.inputs.refdata {
        Some(d) if sources.dir.as_ref() != Some(d) => scan(d)?,
        _ => Vec::new(),
    };

    let mut chosen: Vec<(Kind, Origin)> = Vec::new();
    // Files left out because another of their kind was chosen: (kind, path, content, why).
    let mut leftovers: Vec<(Kind, PathBuf, Option<Vec<u8>>, &'static str)> = Vec::new();
    let take_dir =
        |found: Vec<detect::Found>,
         chosen: &mut Vec<(Kind, Origin)>,
         leftovers: &mut Vec<(Kind, PathBuf, Option<Vec<u8>>, &'static str)>| {
            for f in found {
                if let Some((_, o)) = chosen.iter().find(|(k, _)| *k == f.kind) {
                    let why = match o {
                        Origin::Given(_) => "fichier donné explicitement",
                        Origin::Dir(_) => "un autre fichier du même type a déjà été retenu",
                    };
                    leftovers.push((f.kind, f.path, Some(f.bytes), why));
                } else {
                    chosen.push((f.kind, Origin::Dir(f)));
                }
            }
        };
    for (kind, source) in &sources.explicit {
        if !chosen.iter().any(|(k, _)| k == kind) {
            chosen.push((*kind, Origin::Given(source.clone())));
        }
    }
    take_dir(given_dir, &mut chosen, &mut leftovers);
    for kind in Kind::ALL {
        if let Some(p) = config_input(config, kind) {
            if chosen.iter().any(|(k, _)| *k == kind) {
                leftovers.push((
                    kind,
                    p.clone(),
                    None,
                    "donné aussi par la ligne de commande",
                ));
            } else {
                chosen.push((kind, Origin::Given(Source::Path(p.clone()))));
            }
        }
    }
    take_dir(cfg_dir, &mut chosen, &mut leftovers);
    for (kind, path, bytes, why) in leftovers {
        // The same content by two routes (the configuration and the command line, a folder
        // and an option) is read once; a different file of the kind is left out.
        let same = chosen
            .iter()
            .find(|(k, _)| *k == kind)
            .is_some_and(|(_, o)| same_content(o, &path, bytes.as_deref()));
        let message = if same {
            format!(
                "{} donné deux fois (même contenu ; {why}) : lu une seule fois",
                kind.label_fr()
            )
        } else {
            format!("{} ignoré ({why})", kind.label_fr())
        };
        notes.push(Note::file(
            Some(input_name(kind)),
            read::display(&path),
            message,
        ));
    }
    chosen.sort_by_key(|(k, _)| *k);

    for (kind, origin) in chosen {
        let (shown, member, summary) = match origin {
            Origin::Given(source) => {
                let path = source.path();
                let owned;
                let bytes: &[u8] = match &source {
                    Source::Path(p) => {
                        owned = read::read_file(p)?;
                        &owned
                    }
                    Source::Bytes { bytes, .. } => bytes,
                };
                let un = read::unpack(bytes, &path)?;
                let summary = loaded.refdata.load_bytes(kind, &un.bytes, &path)?;
                (source.shown(), un.member, summary)
            }
            Origin::Dir(f) => {
                let summary = loaded.refdata.load_bytes(kind, &f.bytes, &f.path)?;
                (read::display(&f.path), f.member, summary)
            }
        };
        let inner = member
            .map(|m| format!(" (archive contenant {m})"))
            .unwrap_or_default();
        notes.push(Note::file(
            Some(input_name(kind)),
            format!("{shown}{inner}"),
            format!("{}, {summary}", kind.label_fr()),
        ));
        if let Some(u) = loaded.refdata.unreadable(kind) {
            if let Some(message) = u.message() {
                notes.push(Note {
                    records: Some(u.records()),
                    lines: u.lines.clone(),
                    ..Note::file(Some(input_name(kind)), shown.clone(), message)
                });
            }
        }
        set_input(&mut loaded.inputs, kind, shown);
    }

    let settings = sources
        .settings
        .clone()
        .or_else(|| config.inputs.settings.clone().map(Source::Path));
    if let Some(source) = settings {
        let s = match &source {
            Source::Path(p) => settings::load(p)?,
            Source::Bytes { name, bytes } => settings::from_bytes(bytes, Path::new(name))?,
        };
        notes.push(Note::file(
            Some("settings"),
            source.shown(),
            format!("paramètres LSU, {}", s.summary()),
        ));
        loaded.inputs.settings = Some(source.shown());
        loaded.refdata.settings = Some(s);
    }

    loaded.calendar = loaded.refdata.calendar();
    loaded.notes = notes;
    Ok(loaded)
}
