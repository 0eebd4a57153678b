//! Generator of realistic synthetic schools, deterministic from a seed: the school model
//! (pupils, divisions or classes, teachers, disciplines, periods, bilans), the LSU writers
//! (2D 10.0 / 7.0 / 3.0, 1D 1.0), the matching reference data (Siècle, STS-Web, ONDE, LSU
//! settings) and the injection of recorded defects for tests.
//!
//! Bilans are not stored: each one is rebuilt on demand from its own PRNG stream
//! ([`rng::Rng::derive`]), so a 50 MB file is written with a small, constant memory footprint.

// User data never reaches an unwrap (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod bilans;
mod inject;
pub mod names;
pub mod refdata;
pub mod rng;
mod school;
pub mod write1d;
pub mod write2d;
pub mod xml;

use lsu_lint::catalogue::Code;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{self, Write};

use chrono::NaiveDate;

pub use lsu_lint::Degree;
use rng::Rng;

pub use inject::spelling_variant;
use school::weekday_on_or_after;
pub use school::{cycle_1d, mef_of};

/// The LSU schema version written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    /// 2D 10.0 (default for 2D).
    V10_0,
    /// 2D 7.0.
    V7_0,
    /// 2D 3.0 (the 2019-2020 revision).
    V3_0,
    /// 1D 1.0 (revision b).
    V1_0,
}

impl Version {
    pub fn as_str(self) -> &'static str {
        match self {
            Version::V10_0 => "10.0",
            Version::V7_0 => "7.0",
            Version::V3_0 => "3.0",
            Version::V1_0 => "1.0",
        }
    }
    pub fn parse(s: &str) -> Option<Version> {
        match s.trim() {
            "10.0" | "10" => Some(Version::V10_0),
            "7.0" | "7" => Some(Version::V7_0),
            "3.0" | "3" => Some(Version::V3_0),
            "1.0" | "1" => Some(Version::V1_0),
            _ => None,
        }
    }
    pub fn degree(self) -> Degree {
        if self == Version::V1_0 {
            Degree::D1
        } else {
            Degree::D2
        }
    }
    pub fn default_for(d: Degree) -> Version {
        match d {
            Degree::D1 => Version::V1_0,
            Degree::D2 => Version::V10_0,
        }
    }
}

/// How a 2D class is assessed in LSU.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Averages out of 20.
    Notes,
    /// Positionnement 1–4.
    Echelle,
}

/// Defects the generator can inject (each recorded in [`School::defects`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Defect {
    /// D001: `date-scolarite` before the official rentrée.
    DateScolariteBeforeRentree,
    /// D001: `date-scolarite` before the pupil's Siècle DATE_ENTREE (2D).
    DateBeforeEntry,
    /// D001: `date-scolarite` after the pupil's Siècle DATE_SORTIE (2D).
    DateAfterExit,
    /// I003: `code-division` that is not a Siècle/STS division (2D), on single pupils.
    UnknownDivision,
    /// I003 on whole classes (N = number of classes): the software names the division
    /// otherwise than Siècle (« 6 A » for « 6A »). The class is set to positionnement in LSU
    /// under its Siècle code, so LSU's default (notes sur 20) applies to the unknown code and
    /// P001 follows on every periodic bilan of the class (2D).
    UnknownDivisionClass,
    /// I002: `eleve/@id-be` that is no Siècle ELEVE_ID: the ELENOET exported instead, or a
    /// typo in the ELEVE_ID (2D).
    UnknownPupil,
    /// I004: `classe/@id-be` that is not an ONDE class id (1D).
    UnknownOndeClass,
    /// T004: teacher spelt differently from ONDE (1D; accent, hyphen, case, apostrophe).
    TeacherSpelling,
    /// C001: a `bilan-cycle` with fewer than 8 socle components.
    SocleIncomplete,
    /// P001: positionnement in a class set to notes in LSU (2D).
    ScaleMismatch,
    /// P003: an average with a decimal comma (2D).
    CommaAverage,
    /// R001: a reference to an undeclared id.
    DanglingRef,
    /// B002: more pupils than LSU digests in one file.
    Oversized,
}

impl Defect {
    pub const ALL: [Defect; 13] = [
        Defect::DateScolariteBeforeRentree,
        Defect::DateBeforeEntry,
        Defect::DateAfterExit,
        Defect::UnknownDivision,
        Defect::UnknownDivisionClass,
        Defect::UnknownPupil,
        Defect::UnknownOndeClass,
        Defect::TeacherSpelling,
        Defect::SocleIncomplete,
        Defect::ScaleMismatch,
        Defect::CommaAverage,
        Defect::DanglingRef,
        Defect::Oversized,
    ];

    /// The lsu-lint rule that must report it.
    pub fn code(self) -> Code {
        match self {
            Defect::DateScolariteBeforeRentree
            | Defect::DateBeforeEntry
            | Defect::DateAfterExit => Code::D001,
            Defect::UnknownDivision | Defect::UnknownDivisionClass => Code::I003,
            Defect::UnknownPupil => Code::I002,
            Defect::UnknownOndeClass => Code::I004,
            Defect::TeacherSpelling => Code::T004,
            Defect::SocleIncomplete => Code::C001,
            Defect::ScaleMismatch => Code::P001,
            Defect::CommaAverage => Code::P003,
            Defect::DanglingRef => Code::R001,
            Defect::Oversized => Code::B002,
        }
    }

    /// Name accepted on the command line (kebab-case).
    pub fn name(self) -> &'static str {
        match self {
            Defect::DateScolariteBeforeRentree => "date-scolarite-before-rentree",
            Defect::DateBeforeEntry => "date-before-entry",
            Defect::DateAfterExit => "date-after-exit",
            Defect::UnknownDivision => "unknown-division",
            Defect::UnknownDivisionClass => "unknown-division-class",
            Defect::UnknownPupil => "unknown-pupil",
            Defect::UnknownOndeClass => "unknown-onde-class",
            Defect::TeacherSpelling => "teacher-spelling",
            Defect::SocleIncomplete => "socle-incomplete",
            Defect::ScaleMismatch => "scale-mismatch",
            Defect::CommaAverage => "comma-average",
            Defect::DanglingRef => "dangling-ref",
            Defect::Oversized => "oversized",
        }
    }

    /// From a rule code (D001 means « before the rentrée », I003 single pupils), a kebab-case
    /// name or the Rust variant name, case-insensitively.
    pub fn parse(s: &str) -> Option<Defect> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("D001") {
            return Some(Defect::DateScolariteBeforeRentree);
        }
        let folded: String = t
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Defect::ALL.into_iter().find(|d| {
            d.code().as_str().eq_ignore_ascii_case(t) && d.code() != Code::D001
                || d.name().replace('-', "") == folded
        })
    }

    /// Whether the defect exists in files of that degree.
    pub fn applies_to(self, d: Degree) -> bool {
        match self {
            Defect::DateBeforeEntry
            | Defect::DateAfterExit
            | Defect::UnknownDivision
            | Defect::UnknownDivisionClass
            | Defect::UnknownPupil
            | Defect::ScaleMismatch
            | Defect::CommaAverage => d == Degree::D2,
            Defect::UnknownOndeClass | Defect::TeacherSpelling => d == Degree::D1,
            _ => true,
        }
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.code())
    }
}

/// Which bilan a defect lives in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BilanKind {
    /// `bilan-periodique` of the period with this 1-based `indice`.
    Periodique { indice: u32 },
    /// `bilan-cycle` of this cycle.
    Cycle { cycle: u8 },
}

/// One bilan in the written LSU file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BilanRef {
    pub kind: BilanKind,
    /// `eleve-ref` of the bilan.
    pub eleve: String,
    /// 1-based position among the file's `bilan-periodique` (or `bilan-cycle`) elements.
    pub index: usize,
}

impl BilanRef {
    /// The path lsu-lint reports for a finding on this bilan.
    pub fn path(&self) -> String {
        match self.kind {
            BilanKind::Periodique { .. } => format!(
                "/lsun-bilans/donnees/bilans-periodiques/bilan-periodique[{}]",
                self.index
            ),
            BilanKind::Cycle { .. } => {
                format!(
                    "/lsun-bilans/donnees/bilans-cycle/bilan-cycle[{}]",
                    self.index
                )
            }
        }
    }
}

/// What was injected, where: tests check that lsu-lint reports `code` on these pupils,
/// classes and bilans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DefectRecord {
    pub defect: Defect,
    pub code: Code,
    /// `eleve/@id` of the pupil concerned (None for class-, teacher- or file-level defects).
    pub eleve: Option<String>,
    /// 2D `code-division` or 1D `classe/@id-be`, as written in the LSU file.
    pub division: Option<String>,
    /// The bilans concerned (one for a bilan-level defect, all the pupil's or teacher's bilans
    /// otherwise).
    pub bilans: Vec<BilanRef>,
    /// French description of what was changed.
    pub detail: String,
}

/// Generation parameters.
#[derive(Clone, Debug)]
pub struct Options {
    pub degree: Degree,
    pub eleves: usize,
    pub seed: u64,
    pub version: Version,
    /// Periods per year (2D trimestres by default, 1D periods with dates).
    pub periods: u32,
    /// 2D division codes (`6A`, `5B`…) or 1D class levels (`CE2`, `CM1-CM2`…); empty: automatic.
    pub classes: Vec<String>,
    pub uai: Option<String>,
    pub defects: Vec<(Defect, usize)>,
}

impl Options {
    pub fn new(degree: Degree, eleves: usize, seed: u64) -> Self {
        Options {
            degree,
            eleves,
            seed,
            version: Version::default_for(degree),
            periods: 3,
            classes: Vec::new(),
            uai: None,
            defects: Vec::new(),
        }
    }
}

/// Errors in the options (French messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenError(pub String);

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GenError {}

#[derive(Clone, Debug)]
pub struct Period {
    pub id: String,
    pub indice: u32,
    pub nb: u32,
    pub debut: NaiveDate,
    pub fin: NaiveDate,
    /// Base date of the class councils (2D), shifted by a few days per division.
    pub conseil: NaiveDate,
}

#[derive(Clone, Copy, Debug)]
pub struct Discipline {
    pub code: &'static str,
    pub modalite: &'static str,
    pub gestion: &'static str,
    pub court: &'static str,
    pub libelle: &'static str,
    /// Living language 2 (taught from 5e, in groups).
    pub lv2: bool,
    /// STS teacher qualification (code, label).
    pub qualif: (&'static str, &'static str),
    /// Weekly hours in 6e and in cycle 4.
    pub horaire: (&'static str, &'static str),
    pub elements: &'static [&'static str],
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Civilite {
    M,
    Mme,
}

impl Discipline {
    /// LSU id (`DI_020700_S`).
    pub fn id(&self) -> String {
        format!("DI_{}_{}", self.code, self.modalite)
    }
}

impl Civilite {
    pub fn lsu(self) -> &'static str {
        match self {
            Civilite::M => "M",
            Civilite::Mme => "MME",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Teacher {
    /// LSU id.
    pub id: String,
    pub sts_id: u32,
    /// STS `TYPE`: `epp` or `local`.
    pub kind: &'static str,
    pub civilite: Civilite,
    /// Canonical spelling (as in ONDE for 1D; STS prints it upper-case).
    pub nom: String,
    pub prenom: String,
    /// Spelling written in the LSU file (differs from `nom` with [`Defect::TeacherSpelling`]).
    pub lsu_nom: String,
    /// Discipline index (2D), None for the head or a 1D teacher.
    pub discipline: Option<usize>,
    pub naissance: NaiveDate,
}

/// A 2D division (Siècle/STS) or a 1D ONDE class.
#[derive(Clone, Debug)]
pub struct Division {
    /// 2D: Siècle code (`6A`); 1D: the ONDE class id as text.
    pub code: String,
    /// 2D: the code the software writes in LSU (`code-division`, common blocks); differs from
    /// `code` with [`Defect::UnknownDivisionClass`].
    pub lsu_code: String,
    /// 2D: `6`, `5`, `4`, `3`; 1D: the levels (`CE2`, `CM1-CM2`).
    pub niveau: String,
    pub scale: Scale,
    /// 1D ONDE class id.
    pub onde_id: u32,
    /// 1D ONDE « Libellé classe » / 2D STS LIBELLE_LONG.
    pub libelle: String,
    /// (discipline, teacher) for 2D; 1D: the class teacher under discipline index 0.
    pub teachers: Vec<(usize, usize)>,
    /// Professeur principal (2D) or class teacher (1D).
    pub pp: usize,
}

impl Division {
    pub fn niveau_num(&self) -> u8 {
        self.niveau
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .unwrap_or(6) as u8
    }
    pub fn mef(&self) -> &'static str {
        mef_of(self.niveau_num())
    }
    pub fn teacher_of(&self, disc: usize) -> Option<usize> {
        self.teachers
            .iter()
            .find(|(d, _)| *d == disc)
            .map(|(_, t)| *t)
    }
}

/// A 1D `classe` element of the LSU file (the ONDE classes, plus « ghost » classes whose
/// id-be is unknown to ONDE with [`Defect::UnknownOndeClass`]).
#[derive(Clone, Debug)]
pub struct LsuClass {
    pub id: String,
    pub id_be: u32,
    pub libelle: String,
    /// The ONDE class it stands for.
    pub division: usize,
}

#[derive(Clone, Debug)]
pub struct Pupil {
    /// LSU `eleve/@id`.
    pub id: String,
    /// Siècle ELEVE_ID.
    pub eleve_id: u32,
    /// LSU `id-be` (2D): the ELEVE_ID, unless [`Defect::UnknownPupil`] changed it.
    pub lsu_id_be: u32,
    pub elenoet: u32,
    pub ine: String,
    /// Canonical surname (printed upper-case in Siècle/ONDE and in LSU).
    pub nom: String,
    pub prenom: String,
    pub fille: bool,
    pub naissance: NaiveDate,
    pub entree: NaiveDate,
    pub sortie: Option<NaiveDate>,
    pub division: usize,
    /// `code-division` written in LSU (2D).
    pub lsu_division: String,
    /// Index into [`School::lsu_classes`] (1D).
    pub lsu_class: usize,
    /// 1D level (`CE2`…); 2D: the division's niveau.
    pub niveau: String,
    /// LV2 discipline (2D, from 5e).
    pub lv2: Option<usize>,
    /// Overall ability (≈ normal, mean 0).
    pub ability: f64,
    /// Modalité d'accompagnement (PAP, PPRE, PAI) if any.
    pub modalite: Option<&'static str>,
}

impl Pupil {
    pub fn nom_upper(&self) -> String {
        names::upper(&self.nom)
    }
}

/// The synthetic school.
#[derive(Clone, Debug)]
pub struct School {
    pub degree: Degree,
    pub version: Version,
    pub seed: u64,
    pub uai: String,
    /// Denomination (« COLLEGE DES TILLEULS »).
    pub denomination: String,
    pub commune: String,
    pub millesime: i32,
    pub rentree: NaiveDate,
    pub fin_annee: NaiveDate,
    pub periods: Vec<Period>,
    pub disciplines: Vec<Discipline>,
    pub teachers: Vec<Teacher>,
    /// The head: principal (2D, also a STS individual) or directeur (1D).
    pub head: usize,
    pub divisions: Vec<Division>,
    pub lsu_classes: Vec<LsuClass>,
    pub pupils: Vec<Pupil>,
    /// Injected defects, in injection order.
    pub defects: Vec<DefectRecord>,
    /// Bilan-level defects by (pupil, slot).
    bilan_defects: BTreeMap<(usize, Slot), Defect>,
    /// (pupil, period) bilans written although the pupil had left (DateAfterExit).
    forced_bilans: BTreeSet<(usize, usize)>,
    /// Pupil order in the file (by division, then name).
    order: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Slot {
    Periode(usize),
    Cycle,
}

impl School {
    /// Writes the LSU file of the school's degree and version.
    pub fn write_lsu<W: Write>(&self, w: &mut W) -> io::Result<()> {
        match self.degree {
            Degree::D2 => write2d::write(self, w),
            Degree::D1 => write1d::write(self, w),
        }
    }

    /// The LSU file in memory (small schools, tests).
    pub fn lsu_bytes(&self) -> Vec<u8> {
        let mut v = Vec::new();
        // Writing into a Vec cannot fail.
        let _ = self.write_lsu(&mut v);
        v
    }

    /// Size of the LSU file, without keeping it.
    pub fn lsu_size(&self) -> io::Result<u64> {
        let mut c = xml::Counting::new(io::sink());
        self.write_lsu(&mut c)?;
        Ok(c.count)
    }
}

/// Generates a school whose LSU file is at least `target` bytes, adding pupils.
pub fn generate_to_size(opts: &Options, target: u64) -> Result<School, GenError> {
    let mut o = opts.clone();
    o.classes.clear();
    let io_err = |e: io::Error| GenError(format!("erreur d'écriture : {e}"));
    let mut school = School::generate(&o)?;
    for _ in 0..8 {
        let size = school.lsu_size().map_err(io_err)?;
        if size >= target {
            break;
        }
        let n = school.pupils.len() as f64;
        let want = (n * target as f64 / size.max(1) as f64 * 1.02).ceil() as usize + 1;
        o.eleves = want.max(school.pupils.len() + 1);
        school = School::generate(&o)?;
    }
    Ok(school)
}

/// Average formatting: up to two decimals, trailing zeros dropped, dot or comma.
pub fn fmt_average(x: f64, comma: bool) -> String {
    let cents = (x * 100.0).round() as i64;
    let (int, frac) = (cents / 100, cents % 100);
    let s = if frac == 0 {
        if comma {
            format!("{int},0")
        } else {
            int.to_string()
        }
    } else if frac % 10 == 0 {
        format!("{int}.{}", frac / 10)
    } else {
        format!("{int}.{frac:02}")
    };
    if comma {
        s.replace('.', ",")
    } else {
        s
    }
}
