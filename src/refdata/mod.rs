//! Reference data (Siècle, STS-Web, ONDE, LSU settings): loaded once per run, shared by every
//! file. Each loader lives in its own module; `detect` recognises files by content.
//!
//! A file that cannot be read, is not of the kind it was given as, or is malformed stops the run
//! (`Error::RefData` / `Error::Settings`, exit 2). A readable file of another school or school
//! year is loaded as is: rules I001/I007 report it.

pub mod communs;
pub mod detect;
pub mod nomenclature;
pub mod onde;
pub mod read;
pub mod settings;
pub mod siecle;
pub mod sts;

use std::path::{Path, PathBuf};

use roxmltree::Document;

pub use communs::Communs;
pub use detect::Kind;
pub use nomenclature::Nomenclature;
pub use onde::Onde;
pub use settings::Settings;
pub use siecle::Siecle;
pub use sts::Sts;

use crate::calendar::{Calendar, Zone};
use crate::error::Error;
use crate::rules::Input;

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

/// What loading the reference inputs of a run produced.
#[derive(Debug, Default)]
pub struct Loaded {
    pub refdata: RefData,
    pub calendar: Calendar,
    pub inputs: crate::output::Inputs,
    /// What was recognised (for `--refdata`), shown by the human format.
    pub notes: Vec<String>,
}

/// Where a reference file comes from.
enum Origin {
    File(PathBuf),
    Dir(detect::Found),
}

fn explicit(
    args: &crate::cli::CommonArgs,
    config: &crate::config::Config,
    kind: Kind,
) -> (Option<PathBuf>, Option<PathBuf>) {
    let (a, c) = match kind {
        Kind::Siecle => (&args.siecle, &config.inputs.siecle),
        Kind::Nomenclature => (&args.nomenclature, &config.inputs.nomenclature),
        Kind::Sts => (&args.sts, &config.inputs.sts),
        Kind::Onde => (&args.onde, &config.inputs.onde),
        Kind::Communs => (&args.communs, &config.inputs.communs),
    };
    (a.clone(), c.clone())
}

fn set_input(inputs: &mut crate::output::Inputs, kind: Kind, shown: String) {
    let slot = match kind {
        Kind::Siecle => &mut inputs.siecle,
        Kind::Nomenclature => &mut inputs.nomenclature,
        Kind::Sts => &mut inputs.sts,
        Kind::Onde => &mut inputs.onde,
        Kind::Communs => &mut inputs.communs,
    };
    *slot = Some(shown);
}

/// Loads every reference input named on the command line or in the config, once.
///
/// For each kind, the first of: the command-line option, a file of the command-line
/// `--refdata` folder, the config's `[inputs]` entry, a file of the config's `refdata` folder.
pub fn load(
    args: &crate::cli::CommonArgs,
    config: &crate::config::Config,
) -> Result<Loaded, Error> {
    let mut loaded = Loaded::default();
    let mut notes = Vec::new();

    // Folders: the command line's, then the config's (when another one).
    let mut scan = |d: &Path| -> Result<Vec<detect::Found>, Error> {
        let (found, dir_notes) = detect::scan(d)?;
        if found.is_empty() {
            notes.push(format!(
                "{} : aucun fichier de référence reconnu dans ce dossier",
                read::display(d)
            ));
        }
        notes.extend(dir_notes);
        Ok(found)
    };
    let cli_dir = match &args.refdata {
        Some(d) => scan(d)?,
        None => Vec::new(),
    };
    let cfg_dir = match &config.inputs.refdata {
        Some(d) if args.refdata.as_ref() != Some(d) => scan(d)?,
        _ => Vec::new(),
    };

    let mut chosen: Vec<(Kind, Origin)> = Vec::new();
    let mut leftovers: Vec<(detect::Found, &'static str)> = Vec::new();
    let mut take_dir = |found: Vec<detect::Found>, chosen: &mut Vec<(Kind, Origin)>| {
        for f in found {
            if let Some((_, o)) = chosen.iter().find(|(k, _)| *k == f.kind) {
                let why = match o {
                    Origin::File(_) => "fichier donné explicitement",
                    Origin::Dir(_) => "un autre fichier du même type a déjà été retenu",
                };
                leftovers.push((f, why));
            } else {
                chosen.push((f.kind, Origin::Dir(f)));
            }
        }
    };
    for kind in Kind::ALL {
        if let (Some(p), _) = explicit(args, config, kind) {
            chosen.push((kind, Origin::File(p)));
        }
    }
    take_dir(cli_dir, &mut chosen);
    for kind in Kind::ALL {
        if let (None, Some(p)) = explicit(args, config, kind) {
            if !chosen.iter().any(|(k, _)| *k == kind) {
                chosen.push((kind, Origin::File(p)));
            }
        }
    }
    take_dir(cfg_dir, &mut chosen);
    for (f, why) in leftovers {
        notes.push(format!(
            "{} : {} ignoré ({why})",
            read::display(&f.path),
            f.kind.label_fr()
        ));
    }
    chosen.sort_by_key(|(k, _)| *k);

    for (kind, origin) in chosen {
        let (path, member, summary) = match origin {
            Origin::File(p) => {
                let bytes = read::read_file(&p)?;
                let un = read::unpack(&bytes, &p)?;
                let summary = loaded.refdata.load_bytes(kind, &un.bytes, &p)?;
                (p, un.member, summary)
            }
            Origin::Dir(f) => {
                let summary = loaded.refdata.load_bytes(kind, &f.bytes, &f.path)?;
                (f.path, f.member, summary)
            }
        };
        let shown = read::display(&path);
        let inner = member
            .map(|m| format!(" (archive contenant {m})"))
            .unwrap_or_default();
        notes.push(format!("{shown}{inner} : {}, {summary}", kind.label_fr()));
        set_input(&mut loaded.inputs, kind, shown);
    }

    if let Some(p) = args.settings.as_ref().or(config.inputs.settings.as_ref()) {
        let s = settings::load(p)?;
        notes.push(format!(
            "{} : paramètres LSU, {}",
            read::display(p),
            s.summary()
        ));
        loaded.inputs.settings = Some(read::display(p));
        loaded.refdata.settings = Some(s);
    }

    loaded.calendar = loaded.refdata.calendar();
    loaded.notes = notes;
    Ok(loaded)
}
