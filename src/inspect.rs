//! What a dropped file is (`POST /api/v1/inspect`, the web page's file list and LSU settings
//! form): each file is recognised by its content, never its name, as `--refdata` does, and
//! described in French. For an LSU export, its degree, periods and classes, with how the file
//! evaluates each class, so that the page can ask what is set in LSU for it. Nothing is checked.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::error::Error;
use crate::model::{self, Degree, Lsu};
use crate::refdata::detect::{self, Sniff};
use crate::refdata::{read, settings, Kind, RefData};
use crate::util::plural;

/// The version of the `inspect` answer.
pub const VERSION: u32 = 1;

/// What a file was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// An LSU export (`lsun-bilans`), to be checked.
    Lsu,
    Siecle,
    Nomenclature,
    Sts,
    Onde,
    Communs,
    /// LSU settings written as TOML (`--settings`).
    Settings,
    /// An `lsu-lint.toml` configuration.
    Config,
    /// Recognised, but not a file lsu-lint uses (Siècle Structures, a zipped LSU export…).
    Autre,
    /// Not recognised.
    Inconnu,
}

impl FileKind {
    fn of(kind: Kind) -> FileKind {
        match kind {
            Kind::Siecle => FileKind::Siecle,
            Kind::Nomenclature => FileKind::Nomenclature,
            Kind::Sts => FileKind::Sts,
            Kind::Onde => FileKind::Onde,
            Kind::Communs => FileKind::Communs,
        }
    }

    /// Whether one request takes at most one file of this kind (all but LSU exports).
    pub fn single(self) -> bool {
        !matches!(self, FileKind::Lsu | FileKind::Autre | FileKind::Inconnu)
    }
}

/// How the bilans of a class are evaluated in the file (`lsu-format.md` §5.1: any
/// `moyenne-eleve` makes a bilan « notes », else any `positionnement` makes it « positionnement »).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Evaluation {
    /// Notes sur 20 (averages).
    Notes,
    /// Positionnement 1–4, without averages (an échelle and objectives are written alike).
    Positionnement,
    /// Some bilans with notes, others with positionnements.
    Mixte,
    /// No evaluated subject in its periodic bilans.
    Aucune,
}

impl Evaluation {
    pub fn label_fr(self) -> &'static str {
        match self {
            Evaluation::Notes => "notes sur 20",
            Evaluation::Positionnement => "positionnement (échelle de 1 à 4 ou objectifs)",
            Evaluation::Mixte => "notes sur 20 pour certains bilans, positionnement pour d'autres",
            Evaluation::Aucune => "aucune évaluation dans les bilans périodiques",
        }
    }
}

/// One period of an LSU export.
#[derive(Clone, Debug, Serialize)]
pub struct Periode {
    pub id: String,
    pub millesime: Option<i32>,
    pub indice: Option<u32>,
    pub nb_periodes: Option<u32>,
    /// 1D only: the dates the file gives (the page never copies them into the settings).
    pub debut: Option<String>,
    pub fin: Option<String>,
}

/// One class (2D division, 1D class) of an LSU export.
#[derive(Clone, Debug, Serialize)]
pub struct Classe {
    /// 2D `code-division`, 1D `classe/@id-be` (the key of `[classes."X"]` in the settings).
    pub code: String,
    /// 1D: the class's label in the file.
    pub libelle: Option<String>,
    /// 2D: « 6e » … « 3e » from the division code; 1D: the levels that start the label.
    pub niveau: Option<String>,
    pub eleves: usize,
    pub bilans_periodiques: usize,
    pub evaluation: Evaluation,
    pub evaluation_label: &'static str,
    pub bilans_notes: usize,
    pub bilans_positionnement: usize,
    /// The `nb-periodes` of its bilans' periods (the file's periodicity), sorted.
    pub nb_periodes: Vec<u32>,
}

/// What an LSU export contains.
#[derive(Clone, Debug, Serialize)]
pub struct LsuExport {
    pub degree: Option<Degree>,
    pub schema_version: Option<String>,
    pub eleves: usize,
    pub bilans_periodiques: usize,
    pub bilans_cycle: usize,
    pub periodes: Vec<Periode>,
    pub classes: Vec<Classe>,
}

/// One inspected file.
#[derive(Clone, Debug, Serialize)]
pub struct Inspection {
    /// The name it was given (base name, never a path).
    pub name: String,
    pub kind: FileKind,
    /// What it is, in French (« Siècle ElevesSansAdresses », « Export LSU »…).
    pub label: String,
    /// One French line: label, UAI, school year, counts (« Siècle ElevesSansAdresses, UAI
    /// 0999101K, 2025-2026, 57 élèves, 3 divisions »), or why it is not recognised.
    pub description: String,
    /// Whether the check can use it: false for an unrecognised file, a recognised one that
    /// cannot be read, or a second file of a kind taken once (`problem` says why).
    pub usable: bool,
    /// Why it cannot be used, in French.
    pub problem: Option<String>,
    pub uai: Option<String>,
    /// Millésime: first year of the school year.
    pub annee: Option<i32>,
    /// « 2025-2026 ».
    pub annee_scolaire: Option<String>,
    /// The member read inside a zip archive.
    pub member: Option<String>,
    pub counts: BTreeMap<&'static str, usize>,
    pub lsu: Option<LsuExport>,
}

impl Inspection {
    fn new(name: &str, kind: FileKind, label: impl Into<String>) -> Self {
        Inspection {
            name: name.to_string(),
            kind,
            label: label.into(),
            description: String::new(),
            usable: true,
            problem: None,
            uai: None,
            annee: None,
            annee_scolaire: None,
            member: None,
            counts: BTreeMap::new(),
            lsu: None,
        }
    }

    fn unusable(mut self, problem: String) -> Self {
        self.usable = false;
        self.description = format!("{} : {problem}", self.label);
        self.problem = Some(problem);
        self
    }

    fn set_year(&mut self, annee: Option<i32>) {
        self.annee = annee;
        self.annee_scolaire = annee.map(|y| format!("{y}-{}", y + 1));
    }
}

/// The answer of `POST /api/v1/inspect`.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub version: u32,
    pub files: Vec<Inspection>,
}

/// Inspects files in parallel, in the order given. A second file of a kind that a check takes
/// once (a second Siècle export, two settings files) is marked unusable: the first one counts.
pub fn inspect_all(files: Vec<(String, Vec<u8>)>) -> Answer {
    let mut out: Vec<Inspection> = files
        .into_par_iter()
        .map(|(name, bytes)| inspect(&name, &bytes))
        .collect();
    let mut seen: Vec<(FileKind, String)> = Vec::new();
    for f in &mut out {
        if !f.usable || !f.kind.single() {
            continue;
        }
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == f.kind) {
            let problem = format!(
                "un autre fichier de ce type est déjà fourni (« {first} ») ; un seul est utilisé, \
                 retirez celui qui ne convient pas"
            );
            f.usable = false;
            f.problem = Some(problem);
        } else {
            seen.push((f.kind, f.name.clone()));
        }
    }
    Answer {
        version: VERSION,
        files: out,
    }
}

/// The answer as JSON.
pub fn to_json(answer: &Answer) -> String {
    serde_json::to_string_pretty(answer).unwrap_or_default() + "\n"
}

/// The message of a reference error without the file name (the page shows it next to the file).
fn message_of(e: Error) -> String {
    match e {
        Error::RefData { message, .. }
        | Error::Settings { message, .. }
        | Error::Config { message, .. } => message,
        Error::WrongKind { found, .. } => found,
        other => other.to_string(),
    }
}

/// Recognises and describes one file.
pub fn inspect(name: &str, bytes: &[u8]) -> Inspection {
    let path = Path::new(name);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Inspection::new(name, FileKind::Inconnu, "Fichier non reconnu")
            .unusable("le fichier est vide".into());
    }
    let unpacked = match read::unpack(bytes, path) {
        Ok(u) => u,
        Err(e) => {
            return Inspection::new(name, FileKind::Inconnu, "Fichier non reconnu")
                .unusable(message_of(e))
        }
    };
    let member = unpacked.member.clone();
    let content: &[u8] = &unpacked.bytes;
    let head = String::from_utf8_lossy(&content[..content.len().min(8192)]).into_owned();
    let is_lsu = read::sniff_root(&head) == Some("lsun-bilans");
    if is_lsu {
        if member.is_some() {
            // The check reads LSU exports as they are: it does not open archives.
            return Inspection::new(name, FileKind::Autre, "Archive zip d'un export LSU").unusable(
                "décompressez l'archive et déposez le fichier XML qu'elle contient".into(),
            );
        }
        return inspect_lsu(name, content);
    }
    let mut out = match detect::sniff(content) {
        Sniff::Known(kind) => inspect_reference(name, kind, content),
        Sniff::Other(what) => Inspection::new(name, FileKind::Autre, "Fichier non utilisé")
            .unusable(format!("{what} ; lsu-lint ne s'en sert pas")),
        Sniff::Unknown(why) => match inspect_toml(name, content) {
            Some(found) => found,
            None => {
                Inspection::new(name, FileKind::Inconnu, "Fichier non reconnu").unusable(format!(
                    "{why} ; déposez un export LSU (XML), un export Siècle, STS-Web (XML ou \
                     zip) ou une extraction ONDE (CSV)"
                ))
            }
        },
    };
    out.member = member;
    out
}

fn inspect_reference(name: &str, kind: Kind, content: &[u8]) -> Inspection {
    let mut out = Inspection::new(name, FileKind::of(kind), kind.label_fr());
    let mut refdata = RefData::default();
    let summary = match refdata.load_bytes(kind, content, Path::new(name)) {
        Ok(s) => s,
        Err(e) => return out.unusable(format!("illisible : {}", message_of(e))),
    };
    out.description = format!("{}, {summary}", kind.label_fr());
    let (uai, annee) = match kind {
        Kind::Siecle => refdata.siecle.as_ref().map(|s| {
            out.counts.insert("eleves", s.eleves.len());
            out.counts.insert("divisions", s.divisions.len());
            (s.uai.clone(), s.annee)
        }),
        Kind::Nomenclature => refdata.nomenclature.as_ref().map(|n| {
            out.counts.insert("matieres", n.matieres.len());
            out.counts.insert("mefs", n.mefs.len());
            out.counts.insert("programmes", n.programmes.len());
            (n.uai.clone(), n.annee)
        }),
        Kind::Sts => refdata.sts.as_ref().map(|s| {
            out.counts.insert("personnes", s.individus.len());
            out.counts.insert("divisions", s.divisions.len());
            out.counts.insert("groupes", s.groupes.len());
            (s.uai.clone(), s.annee)
        }),
        Kind::Onde => refdata.onde.as_ref().map(|o| {
            out.counts.insert("eleves", o.eleves.len());
            out.counts.insert("classes", o.classes.len());
            (None, None)
        }),
        Kind::Communs => refdata.communs.as_ref().map(|c| (c.uai.clone(), c.annee)),
    }
    .unwrap_or((None, None));
    out.uai = uai.map(|u| u.trim().to_string());
    out.set_year(annee);
    out
}

/// Keys only an LSU settings file has at its top level, and only a configuration has.
const SETTINGS_KEYS: &[&str] = &[
    "annee",
    "rentree",
    "academie",
    "defaut",
    "classes",
    "periodes",
    "enseignants",
];
const CONFIG_KEYS: &[&str] = &[
    "select",
    "ignore",
    "unsafe-fixes",
    "severity",
    "batch",
    "inputs",
];

/// An LSU settings file or an lsu-lint configuration (both TOML), told apart by their keys.
fn inspect_toml(name: &str, content: &[u8]) -> Option<Inspection> {
    let text =
        std::str::from_utf8(content.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(content)).ok()?;
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        // Named as TOML but not readable as such: say where, rather than « not recognised ».
        Err(e) if name.to_ascii_lowercase().ends_with(".toml") => {
            let line = e
                .span()
                .map(|r| text[..r.start.min(text.len())].matches('\n').count() + 1);
            let at = line.map(|l| format!(" ligne {l}")).unwrap_or_default();
            return Some(
                Inspection::new(name, FileKind::Inconnu, "Fichier TOML illisible").unusable(
                    format!(
                        "syntaxe TOML incorrecte{at} ; un fichier de réglages enregistré depuis \
                         cette page se dépose tel quel"
                    ),
                ),
            );
        }
        Err(_) => return None,
    };
    let has = |keys: &[&str]| table.keys().any(|k| keys.contains(&k.as_str()));
    let path = Path::new(name);
    if has(SETTINGS_KEYS) {
        let out = Inspection::new(name, FileKind::Settings, "Paramètres LSU (fichier TOML)");
        return Some(match settings::parse(text, path) {
            Ok(s) => {
                let mut out = out;
                out.description = format!("Paramètres LSU (fichier TOML), {}", s.summary());
                out.set_year(s.millesime());
                out.counts.insert("classes", s.classes.len());
                out.counts.insert("periodes", s.periodes.len());
                out.counts.insert("enseignants", s.enseignants.len());
                out
            }
            Err(e) => out.unusable(format!("invalides : {}", message_of(e))),
        });
    }
    if has(CONFIG_KEYS) {
        let out = Inspection::new(
            name,
            FileKind::Config,
            "Configuration lsu-lint (fichier TOML)",
        );
        return Some(match Config::from_toml(text, path) {
            Ok(c) => {
                let mut out = out;
                let total = crate::catalogue::CATALOGUE.len();
                out.description = format!(
                    "Configuration lsu-lint (fichier TOML), {} sur {total}{}",
                    plural(c.enabled.len(), "règle appliquée", "règles appliquées"),
                    if table.contains_key("inputs") {
                        " ; les fichiers qu'elle désigne ne sont pas lus ici : déposez-les"
                    } else {
                        ""
                    }
                );
                out.counts.insert("regles", c.enabled.len());
                out
            }
            Err(e) => out.unusable(format!("invalide : {}", message_of(e))),
        });
    }
    None
}

fn degree_fr(d: Option<Degree>) -> &'static str {
    match d {
        Some(Degree::D1) => "1er degré (école)",
        Some(Degree::D2) => "2d degré (collège)",
        None => "degré inconnu",
    }
}

/// 2D: « 6e » from « 6A »; the collège's niveaux only.
fn niveau_2d(code: &str) -> Option<String> {
    let d = code.trim().chars().next()?;
    ('3'..='6').contains(&d).then(|| format!("{d}e"))
}

/// 1D: the levels a class label starts with (« CM1-CM2 - Mme X » → « CM1-CM2 »).
fn niveau_1d(libelle: &str) -> Option<String> {
    const LEVELS: &[&str] = &["TPS", "PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"];
    let mut found: Vec<&str> = Vec::new();
    for token in libelle.split(|c: char| !c.is_ascii_alphanumeric()) {
        let t = token.to_ascii_uppercase();
        match LEVELS.iter().find(|l| **l == t) {
            Some(l) => found.push(l),
            None if token.is_empty() => continue,
            None => break,
        }
    }
    (!found.is_empty()).then(|| found.join("-"))
}

fn inspect_lsu(name: &str, content: &[u8]) -> Inspection {
    let mut out = Inspection::new(name, FileKind::Lsu, "Export LSU");
    // Described even when it is not UTF-8 (the check then reports E002).
    let text = match std::str::from_utf8(content) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => read::decode_xml(content, Path::new(name))
            .map(std::borrow::Cow::Owned)
            .unwrap_or_else(|_| String::from_utf8_lossy(content)),
    };
    let unreadable = |mut out: Inspection, why: String| {
        // Still sent to the check, which reports the problem precisely.
        out.description =
            format!("Export LSU illisible ({why}) : la vérification détaillera l'erreur");
        out
    };
    if crate::parse::too_deep(&text).is_some() {
        return unreadable(out, "structure XML anormale".into());
    }
    let doc = match crate::xml::Document::parse(&text) {
        Ok(d) => d,
        Err(e) => {
            return unreadable(out, format!("XML mal formé ligne {}", e.pos().row));
        }
    };
    let version = model::detect_version(&doc);
    let lsu = Lsu::new(&doc);
    out.uai = lsu
        .uai()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    out.set_year(
        lsu.periodes
            .iter()
            .chain(lsu.bilans_cycle.iter())
            .filter_map(|n| n.attribute("millesime")?.trim().parse().ok())
            .min(),
    );
    let periodes: Vec<Periode> = lsu
        .periodes
        .iter()
        .map(|p| {
            let num = |a: &str| p.attribute(a).and_then(|v| v.trim().parse::<u32>().ok());
            Periode {
                id: p.attribute("id").unwrap_or("").to_string(),
                millesime: p
                    .attribute("millesime")
                    .and_then(|v| v.trim().parse::<i32>().ok()),
                indice: num("indice"),
                nb_periodes: num("nb-periodes"),
                debut: p.attribute("date-debut").map(str::to_string),
                fin: p.attribute("date-fin").map(str::to_string),
            }
        })
        .collect();
    let nb_of: BTreeMap<&str, u32> = periodes
        .iter()
        .filter_map(|p| Some((p.id.as_str(), p.nb_periodes?)))
        .collect();

    #[derive(Default)]
    struct Acc {
        libelle: Option<String>,
        eleves: usize,
        bilans: usize,
        notes: usize,
        positions: usize,
        nb: std::collections::BTreeSet<u32>,
    }
    let mut classes: BTreeMap<String, Acc> = BTreeMap::new();
    // 1D classes are listed even without pupils; their label says the level.
    for c in &lsu.classes {
        if let Some(id) = c.attribute("id-be") {
            classes.entry(id.to_string()).or_default().libelle =
                c.attribute("libelle").map(str::to_string);
        }
    }
    for e in &lsu.eleves {
        if let Some(d) = lsu.division_of_eleve(*e) {
            classes.entry(d.to_string()).or_default().eleves += 1;
        }
    }
    for b in &lsu.bilans_periodiques {
        let Some(d) = lsu.eleve_of(*b).and_then(|e| lsu.division_of_eleve(e)) else {
            continue;
        };
        let acc = classes.entry(d.to_string()).or_default();
        acc.bilans += 1;
        let acquis = model::items(Some(*b), "liste-acquis", "acquis");
        if acquis.iter().any(|a| a.has_attribute("moyenne-eleve")) {
            acc.notes += 1;
        } else if acquis.iter().any(|a| a.has_attribute("positionnement")) {
            acc.positions += 1;
        }
        if let Some(nb) = b.attribute("periode-ref").and_then(|r| nb_of.get(r)) {
            acc.nb.insert(*nb);
        }
    }
    let one_d = version.degree == Some(Degree::D1);
    let classes: Vec<Classe> = classes
        .into_iter()
        .map(|(code, a)| {
            let evaluation = match (a.notes > 0, a.positions > 0) {
                (true, false) => Evaluation::Notes,
                (false, true) => Evaluation::Positionnement,
                (true, true) => Evaluation::Mixte,
                (false, false) => Evaluation::Aucune,
            };
            let niveau = if one_d {
                a.libelle.as_deref().and_then(niveau_1d)
            } else {
                niveau_2d(&code)
            };
            Classe {
                code,
                libelle: a.libelle,
                niveau,
                eleves: a.eleves,
                bilans_periodiques: a.bilans,
                evaluation,
                evaluation_label: evaluation.label_fr(),
                bilans_notes: a.notes,
                bilans_positionnement: a.positions,
                nb_periodes: a.nb.into_iter().collect(),
            }
        })
        .collect();

    let version_fr = version
        .declared
        .as_deref()
        .map(|v| format!(", schéma {v}"))
        .unwrap_or_default();
    let (one, many) = if one_d {
        ("classe", "classes")
    } else {
        ("division", "divisions")
    };
    let mut parts = vec![format!(
        "Export LSU {}{version_fr}",
        degree_fr(version.degree)
    )];
    if let Some(u) = &out.uai {
        parts.push(format!("UAI {u}"));
    }
    if let Some(y) = &out.annee_scolaire {
        parts.push(y.clone());
    }
    parts.push(plural(lsu.eleves.len(), "élève", "élèves"));
    parts.push(plural(classes.len(), one, many));
    parts.push(plural(
        lsu.bilans_periodiques.len(),
        "bilan périodique",
        "bilans périodiques",
    ));
    parts.push(plural(
        lsu.bilans_cycle.len(),
        "bilan de fin de cycle",
        "bilans de fin de cycle",
    ));
    out.description = parts.join(", ");
    if let Some(problem) = &version.problem {
        out.description
            .push_str(&format!(" ; attention : {problem}"));
    }
    out.counts.insert("eleves", lsu.eleves.len());
    out.counts
        .insert(if one_d { "classes" } else { "divisions" }, classes.len());
    out.counts
        .insert("bilans_periodiques", lsu.bilans_periodiques.len());
    out.counts.insert("bilans_cycle", lsu.bilans_cycle.len());
    out.lsu = Some(LsuExport {
        degree: version.degree,
        schema_version: version.declared.clone(),
        eleves: lsu.eleves.len(),
        bilans_periodiques: lsu.bilans_periodiques.len(),
        bilans_cycle: lsu.bilans_cycle.len(),
        periodes,
        classes,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn niveaux() {
        assert_eq!(niveau_2d("6A").as_deref(), Some("6e"));
        assert_eq!(niveau_2d("3 B").as_deref(), Some("3e"));
        assert_eq!(niveau_2d("ULIS"), None);
        assert_eq!(
            niveau_1d("CM1-CM2 - Mme MÉNERON").as_deref(),
            Some("CM1-CM2")
        );
        assert_eq!(niveau_1d("CE2 - M. DALAZET").as_deref(), Some("CE2"));
        assert_eq!(niveau_1d("Classe des grands"), None);
    }

    #[test]
    fn toml_files_are_told_apart() {
        let s = inspect(
            "p.toml",
            b"annee = 2025\n[classes.\"6A\"]\npositionnement = \"echelle\"\n",
        );
        assert_eq!(s.kind, FileKind::Settings);
        assert!(s.usable, "{s:?}");
        assert_eq!(s.annee, Some(2025));
        let bad = inspect("p.toml", b"[defaut]\npositionement = \"notes\"\n");
        assert_eq!(bad.kind, FileKind::Settings);
        assert!(!bad.usable);
        assert!(
            bad.problem
                .as_deref()
                .unwrap_or("")
                .contains("positionnement"),
            "{bad:?}"
        );
        let c = inspect("lsu-lint.toml", b"ignore = [\"X\"]\n");
        assert_eq!(c.kind, FileKind::Config);
        assert!(c.usable, "{c:?}");
        let other = inspect("notes.txt", b"bonjour");
        assert_eq!(other.kind, FileKind::Inconnu);
        assert!(!other.usable);
        let broken = inspect(
            "reglages-lsu.toml",
            b"annee = 2025\n[classes.\"6A\"\npositionnement = 1\n",
        );
        assert_eq!(broken.kind, FileKind::Inconnu);
        assert!(
            broken.problem.as_deref().unwrap_or("").contains("ligne 2"),
            "{broken:?}"
        );
    }

    #[test]
    fn a_second_file_of_a_single_kind_is_not_used() {
        let a = inspect_all(vec![
            ("a.toml".into(), b"annee = 2025\n".to_vec()),
            ("b.toml".into(), b"annee = 2025\n".to_vec()),
        ]);
        assert!(a.files[0].usable);
        assert!(!a.files[1].usable);
        assert!(a.files[1]
            .problem
            .as_deref()
            .unwrap_or("")
            .contains("« a.toml »"));
    }
}
