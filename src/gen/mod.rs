//! Generator of realistic synthetic schools, deterministic from a seed: the school model
//! (pupils, divisions or classes, teachers, disciplines, periods, bilans), the LSU writers
//! (2D 10.0 / 7.0 / 3.0, 1D 1.0), the matching reference data (Siècle, STS-Web, ONDE, LSU
//! settings) and the injection of recorded defects for tests.
//!
//! Bilans are not stored: each one is rebuilt on demand from its own PRNG stream
//! ([`rng::Rng::derive`]), so a 50 MB file is written with a small, constant memory footprint.

pub mod bilans;
pub mod names;
pub mod refdata;
pub mod rng;
pub mod write1d;
pub mod write2d;
pub mod xml;

use crate::catalogue::Code;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{self, Write};

use chrono::{Datelike, Duration, NaiveDate};

pub use crate::model::Degree;
use rng::Rng;

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

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// Collège MEF codes (Gepi `bulletin/bull_func_2016.lib.php`).
pub fn mef_of(niveau: u8) -> &'static str {
    match niveau {
        5 => "10110001110",
        4 => "10210001110",
        3 => "10310019110",
        _ => "10010012110",
    }
}

/// 2D disciplines. Codes as in the ministry's LSU sample (see `reference-data.md`); columns:
/// code, modalité, CODE_GESTION, LIBELLE_COURT, libellé, LV2, STS qualification (code, label),
/// weekly hours (6e, cycle 4), programme elements.
const DISCIPLINES_2D: [Discipline; 12] = [
    Discipline {
        code: "020700",
        modalite: "S",
        gestion: "FRANC",
        court: "FRANCAIS",
        libelle: "Français",
        lv2: false,
        qualif: ("L0202", "LETTRES MODERNES"),
        horaire: ("4.50", "4.50"),
        elements: &[
            "Lire et comprendre des textes variés",
            "Écrire un texte organisé et cohérent",
            "S'exprimer à l'oral avec clarté",
        ],
    },
    Discipline {
        code: "061300",
        modalite: "S",
        gestion: "MATHS",
        court: "MATHEMATIQUES",
        libelle: "Mathématiques",
        lv2: false,
        qualif: ("L1300", "MATHEMATIQUES"),
        horaire: ("4.50", "3.50"),
        elements: &[
            "Résoudre des problèmes numériques",
            "Raisonner et démontrer en géométrie",
            "Utiliser le calcul littéral",
        ],
    },
    Discipline {
        code: "030201",
        modalite: "O",
        gestion: "AGL1",
        court: "ANGLAIS LV1",
        libelle: "Anglais LV1",
        lv2: false,
        qualif: ("L0422", "ANGLAIS"),
        horaire: ("4.00", "3.00"),
        elements: &[
            "Comprendre un document oral en anglais",
            "Prendre la parole en continu en anglais",
        ],
    },
    Discipline {
        code: "030602",
        modalite: "O",
        gestion: "ESP2",
        court: "ESPAGNOL LV2",
        libelle: "Espagnol LV2",
        lv2: true,
        qualif: ("L0426", "ESPAGNOL"),
        horaire: ("0", "2.50"),
        elements: &[
            "Comprendre un texte écrit en espagnol",
            "Interagir à l'oral en espagnol",
        ],
    },
    Discipline {
        code: "030102",
        modalite: "O",
        gestion: "ALL2",
        court: "ALLEMAND LV2",
        libelle: "Allemand LV2",
        lv2: true,
        qualif: ("L0421", "ALLEMAND"),
        horaire: ("0", "2.50"),
        elements: &[
            "Comprendre un texte écrit en allemand",
            "Interagir à l'oral en allemand",
        ],
    },
    Discipline {
        code: "042100",
        modalite: "S",
        gestion: "HIGEO",
        court: "HISTOIRE-GEOGRAPHIE",
        libelle: "Histoire-géographie",
        lv2: false,
        qualif: ("L1000", "HISTOIRE GEOGRAPHIE"),
        horaire: ("3.00", "3.00"),
        elements: &[
            "Se repérer dans le temps et dans l'espace",
            "Analyser et comprendre un document",
        ],
    },
    Discipline {
        code: "062900",
        modalite: "S",
        gestion: "SVT",
        court: "SVT",
        libelle: "Sciences de la vie et de la Terre",
        lv2: false,
        qualif: ("L1500", "SC. VIE & TERRE"),
        horaire: ("1.50", "1.50"),
        elements: &[
            "Pratiquer des démarches scientifiques",
            "Expliquer le fonctionnement du corps humain",
        ],
    },
    Discipline {
        code: "062300",
        modalite: "S",
        gestion: "PH-CH",
        court: "PHYSIQUE-CHIMIE",
        libelle: "Physique-chimie",
        lv2: false,
        qualif: ("L1315", "PHYSIQUE CHIMIE"),
        horaire: ("1.50", "1.50"),
        elements: &[
            "Décrire la constitution de la matière",
            "Mesurer et interpréter des grandeurs physiques",
        ],
    },
    Discipline {
        code: "070800",
        modalite: "S",
        gestion: "TECHN",
        court: "TECHNOLOGIE",
        libelle: "Technologie",
        lv2: false,
        qualif: ("L1400", "TECHNOLOGIE"),
        horaire: ("1.50", "1.50"),
        elements: &[
            "Concevoir et réaliser un objet technique",
            "Écrire un programme simple",
        ],
    },
    Discipline {
        code: "090100",
        modalite: "S",
        gestion: "A-PLA",
        court: "ARTS PLASTIQUES",
        libelle: "Arts plastiques",
        lv2: false,
        qualif: ("L1800", "ARTS PLASTIQUES"),
        horaire: ("1.00", "1.00"),
        elements: &[
            "Expérimenter, produire, créer",
            "Situer une œuvre dans son contexte",
        ],
    },
    Discipline {
        code: "081300",
        modalite: "S",
        gestion: "EDMUS",
        court: "EDUCATION MUSICALE",
        libelle: "Éducation musicale",
        lv2: false,
        qualif: ("L1700", "EDUCATION MUSICALE"),
        horaire: ("1.00", "1.00"),
        elements: &[
            "Chanter et interpréter",
            "Écouter et décrire une œuvre musicale",
        ],
    },
    Discipline {
        code: "100100",
        modalite: "S",
        gestion: "EPS",
        court: "ED.PHYSIQUE & SPORT.",
        libelle: "Éducation physique et sportive",
        lv2: false,
        qualif: ("L1900", "EDUCATION PHYSIQUE ET SPORTIVE"),
        horaire: ("4.00", "3.00"),
        elements: &[
            "Produire une performance optimale",
            "Coopérer et s'opposer dans un sport collectif",
        ],
    },
];

/// Index of the first discipline with that code.
fn disc_idx(ds: &[Discipline], code: &str) -> usize {
    ds.iter().position(|x| x.code == code).unwrap_or(0)
}

/// Period bounds for `nb` periods: the usual trimestres for 3, an even split otherwise.
fn make_periods(degree: Degree, nb: u32, rentree: NaiveDate) -> Vec<Period> {
    let fin_annee = d(2026, 7, 3);
    let mut out = Vec::new();
    if nb == 3 {
        let bounds = match degree {
            Degree::D2 => [
                (rentree, d(2025, 11, 30), d(2025, 12, 4)),
                (d(2025, 12, 1), d(2026, 2, 28), d(2026, 3, 12)),
                (d(2026, 3, 1), fin_annee, d(2026, 6, 11)),
            ],
            Degree::D1 => [
                (rentree, d(2025, 11, 28), d(2025, 12, 4)),
                (d(2025, 12, 1), d(2026, 3, 6), d(2026, 3, 12)),
                (d(2026, 3, 9), fin_annee, d(2026, 6, 11)),
            ],
        };
        for (i, (a, b, c)) in bounds.into_iter().enumerate() {
            out.push((a, b, c, i as u32 + 1));
        }
    } else {
        let total = (fin_annee - rentree).num_days();
        for i in 0..nb {
            let a = rentree + Duration::days(total * i as i64 / nb as i64);
            let b = if i + 1 == nb {
                fin_annee
            } else {
                rentree + Duration::days(total * (i as i64 + 1) / nb as i64 - 1)
            };
            let c = if i + 1 == nb {
                d(2026, 6, 11)
            } else {
                b + Duration::days(4)
            };
            out.push((a, b, c, i + 1));
        }
    }
    out.into_iter()
        .map(|(debut, fin, conseil, indice)| Period {
            id: match degree {
                Degree::D2 => format!("PER_2025_{indice}_{nb}"),
                Degree::D1 => format!("PER_{indice}"),
            },
            indice,
            nb,
            debut,
            fin,
            conseil,
        })
        .collect()
}

/// Next working day (Monday–Friday) on or after `x`.
fn weekday_on_or_after(x: NaiveDate) -> NaiveDate {
    let mut y = x;
    while y.weekday().number_from_monday() > 5 {
        y += Duration::days(1);
    }
    y
}

/// Division codes for `n` pupils: four niveaux, ~28 pupils per division.
fn auto_divisions(n: usize) -> Vec<String> {
    let count = n.div_ceil(28).max(1);
    let mut out = Vec::new();
    for i in 0..count {
        let niveau = [6, 5, 4, 3][i % 4];
        let k = i / 4;
        let letters = if k < 26 {
            ((b'A' + k as u8) as char).to_string()
        } else {
            format!(
                "{}{}",
                (b'A' + (k / 26 - 1) as u8 % 26) as char,
                (b'A' + (k % 26) as u8) as char
            )
        };
        out.push(format!("{niveau}{letters}"));
    }
    out
}

fn auto_classes_1d(n: usize) -> Vec<String> {
    let count = n.div_ceil(25).max(1);
    let levels = ["CP", "CE1", "CE2", "CM1", "CM2"];
    (0..count).map(|i| levels[i % 5].to_string()).collect()
}

/// Cycle of a 1D level.
pub fn cycle_1d(niveau: &str) -> u8 {
    if niveau.starts_with("CM") {
        3
    } else {
        2
    }
}

impl School {
    /// Builds a school, applying the defects asked for.
    pub fn generate(opts: &Options) -> Result<School, GenError> {
        if opts.version.degree() != opts.degree {
            return Err(GenError(format!(
                "la version de schéma {} n'existe pas pour le {} (2nd degré : 10.0, 7.0 ou 3.0 ; 1er degré : 1.0)",
                opts.version.as_str(),
                if opts.degree == Degree::D1 { "1er degré" } else { "2nd degré" }
            )));
        }
        // LSU periodicities: semestres, trimestres, bimestres or 5 periods.
        if !(2..=5).contains(&opts.periods) {
            return Err(GenError(format!(
                "nombre de périodes {} invalide : entre 2 et 5",
                opts.periods
            )));
        }
        for (def, _) in &opts.defects {
            if !def.applies_to(opts.degree) {
                return Err(GenError(format!(
                    "le défaut {def} ne concerne pas le {}",
                    if opts.degree == Degree::D1 {
                        "1er degré"
                    } else {
                        "2nd degré"
                    }
                )));
            }
        }
        let mut eleves = opts.eleves.max(1);
        for (def, n) in &opts.defects {
            if *def == Defect::Oversized {
                eleves = eleves.max((*n).max(251));
            }
        }
        let mut r = Rng::derive(opts.seed, &[1]);
        let uai = match &opts.uai {
            Some(u) => u.clone(),
            None => format!(
                "0999{:03}{}",
                r.below(1000),
                (b'A' + r.below(26) as u8) as char
            ),
        };
        let rentree = d(2025, 9, 1);
        let mut school = School {
            degree: opts.degree,
            version: opts.version,
            seed: opts.seed,
            uai,
            denomination: String::new(),
            commune: String::new(),
            millesime: 2025,
            rentree,
            fin_annee: d(2026, 7, 3),
            periods: make_periods(opts.degree, opts.periods, rentree),
            disciplines: Vec::new(),
            teachers: Vec::new(),
            head: 0,
            divisions: Vec::new(),
            lsu_classes: Vec::new(),
            pupils: Vec::new(),
            defects: Vec::new(),
            bilan_defects: BTreeMap::new(),
            forced_bilans: BTreeSet::new(),
            order: Vec::new(),
        };
        const LIEUX: &[&str] = &[
            "des Tilleuls",
            "Jean-de-La-Fontaine",
            "Marie-Curie",
            "des Hauts-de-Vèze",
            "Saint-Exupéry",
            "Hélène-Boucher",
            "du Val-d'Arré",
            "Émile-Zola",
        ];
        const COMMUNES: &[&str] = &[
            "VILLE-EXEMPLE",
            "BOURG-FICTIF",
            "SAINT-ESSAI",
            "LA-VALLÉE-TEST",
        ];
        let lieu = *r.pick(LIEUX);
        school.commune = (*r.pick(COMMUNES)).to_string();
        match opts.degree {
            Degree::D2 => {
                school.denomination = format!("COLLEGE {}", names::upper(lieu));
                school.build_2d(opts, eleves, &mut r)?;
            }
            Degree::D1 => {
                school.denomination = format!("ECOLE ELEMENTAIRE {}", names::upper(lieu));
                school.build_1d(opts, eleves, &mut r)?;
            }
        }
        let mut order: Vec<usize> = (0..school.pupils.len()).collect();
        order.sort_by(|&a, &b| {
            let (pa, pb) = (&school.pupils[a], &school.pupils[b]);
            (pa.division, pa.nom_upper(), &pa.prenom, a).cmp(&(
                pb.division,
                pb.nom_upper(),
                &pb.prenom,
                b,
            ))
        });
        school.order = order;
        school.inject(opts)?;
        Ok(school)
    }

    fn new_teacher(
        &mut self,
        r: &mut Rng,
        kind: &'static str,
        discipline: Option<usize>,
        sts_base: u32,
    ) -> usize {
        // (civilité, nom, prénom) must be unique: it is the 1D teachers' key in the schema.
        let (mut civilite, mut nom, mut prenom);
        let mut tries = 0;
        loop {
            civilite = if r.chance(0.6) {
                Civilite::Mme
            } else {
                Civilite::M
            };
            nom = names::nom(r);
            prenom = names::prenom(r, civilite == Civilite::Mme);
            let taken = self
                .teachers
                .iter()
                .any(|t| t.civilite == civilite && t.nom == nom && t.prenom == prenom);
            tries += 1;
            if !taken {
                break;
            }
            if tries > 20 {
                nom = format!("{nom}-{}", names::nom(r));
                break;
            }
        }
        let sts_id = sts_base + self.teachers.len() as u32 * 3 + r.below(3) as u32;
        let naissance = d(
            1960 + r.below(35) as i32,
            1 + r.below(12) as u32,
            1 + r.below(28) as u32,
        );
        self.teachers.push(Teacher {
            id: format!("ENS_{sts_id}"),
            sts_id,
            kind,
            civilite,
            lsu_nom: nom.clone(),
            nom,
            prenom,
            discipline,
            naissance,
        });
        self.teachers.len() - 1
    }

    fn new_pupil(
        &mut self,
        r: &mut Rng,
        division: usize,
        niveau: String,
        birth_year: i32,
        ids: (u32, u32, u64),
    ) -> usize {
        let i = self.pupils.len();
        let fille = r.chance(0.5);
        let nom = names::nom(r);
        let prenom = names::prenom(r, fille);
        let naissance = d(birth_year, 1 + r.below(12) as u32, 1 + r.below(28) as u32);
        let letters = [
            (b'A' + r.below(26) as u8) as char,
            (b'A' + r.below(26) as u8) as char,
        ];
        let ine = format!("{:09}{}{}", ids.2 + i as u64 * 7, letters[0], letters[1]);
        let modalite = if r.chance(0.06) {
            Some(*r.pick(&["PAP", "PPRE", "PAI"]))
        } else {
            None
        };
        let eleve_id = ids.0 + i as u32 * 3 + r.below(3) as u32;
        self.pupils.push(Pupil {
            id: format!("EL_{}", i + 1),
            eleve_id,
            lsu_id_be: eleve_id,
            elenoet: ids.1 + i as u32,
            ine,
            nom,
            prenom,
            fille,
            naissance,
            entree: self.rentree,
            sortie: None,
            division,
            lsu_division: String::new(),
            lsu_class: 0,
            niveau,
            lv2: None,
            ability: r.normal(),
            modalite,
        });
        i
    }

    fn build_2d(&mut self, opts: &Options, eleves: usize, r: &mut Rng) -> Result<(), GenError> {
        self.disciplines = DISCIPLINES_2D.to_vec();
        let codes = if opts.classes.is_empty() {
            auto_divisions(eleves)
        } else {
            opts.classes.clone()
        };
        for c in &codes {
            let ok = c.chars().next().is_some_and(|x| matches!(x, '3'..='6'))
                && c.chars().count() <= 8
                && c.chars().all(|x| x.is_ascii_alphanumeric());
            if !ok {
                return Err(GenError(format!(
                    "code de division « {c} » invalide : il doit commencer par le niveau (6, 5, 4 ou 3) et ne contenir que des lettres et chiffres (8 au plus)"
                )));
            }
        }
        let sts_base = 100_000 + r.below(800_000) as u32;
        // The principal: a STS individual with FONCTION DIR, no service.
        self.head = self.new_teacher(r, "epp", None, sts_base);
        // Teachers: each one takes up to 5 divisions (LV2: groups) of his discipline.
        let mut load: BTreeMap<usize, (usize, usize)> = BTreeMap::new(); // disc -> (teacher, count)
        for code in &codes {
            let niveau = code.chars().next().unwrap_or('6').to_string();
            let mut div = Division {
                code: code.clone(),
                lsu_code: code.clone(),
                scale: if niveau == "6" {
                    Scale::Echelle
                } else {
                    Scale::Notes
                },
                onde_id: 0,
                libelle: format!("{}EME {}", niveau, &code[1..]),
                niveau,
                teachers: Vec::new(),
                pp: 0,
            };
            for (di, disc) in self.disciplines.clone().iter().enumerate() {
                if disc.lv2 && div.niveau == "6" {
                    continue;
                }
                let t = match load.get(&di) {
                    Some(&(t, n)) if n < 5 => {
                        load.insert(di, (t, n + 1));
                        t
                    }
                    _ => {
                        // About one teacher in fifteen is a contractual (« local ») person.
                        let kind = if r.chance(0.07) { "local" } else { "epp" };
                        let t = self.new_teacher(r, kind, Some(di), sts_base);
                        load.insert(di, (t, 1));
                        t
                    }
                };
                div.teachers.push((di, t));
            }
            let pp_disc = if r.chance(0.5) { 0 } else { 1 };
            div.pp = div.teacher_of(pp_disc).unwrap_or(0);
            self.divisions.push(div);
        }
        let eleve_base = 1_000_000 + r.below(7_000_000) as u32;
        let elenoet_base = 10_000 + r.below(50_000) as u32;
        let ine_base = 100_000_000 + r.below(700_000_000) as u64;
        let ndiv = self.divisions.len();
        let esp = disc_idx(&self.disciplines, "030602");
        let all = disc_idx(&self.disciplines, "030102");
        for i in 0..eleves {
            let div = i % ndiv;
            let niv = self.divisions[div].niveau_num();
            // 6e pupils are born in 2014 (11 at the rentrée), one year more per niveau.
            let birth = 2014 - (6 - niv as i32) - if r.chance(0.08) { 1 } else { 0 };
            let p = self.new_pupil(
                r,
                div,
                self.divisions[div].niveau.clone(),
                birth,
                (eleve_base, elenoet_base, ine_base),
            );
            let code = self.divisions[div].code.clone();
            let pupil = &mut self.pupils[p];
            pupil.lsu_division = code;
            if niv != 6 {
                pupil.lv2 = Some(if r.chance(0.7) { esp } else { all });
            }
        }
        // Natural late arrivals and leavers (not defects): ~4 % and ~3 %, at least one each.
        let n = self.pupils.len();
        if n >= 10 {
            let late = (n * 4 / 100).max(1);
            let gone = (n * 3 / 100).max(1);
            let mut idx: Vec<usize> = (0..n).collect();
            r.shuffle(&mut idx);
            for &p in idx.iter().take(late) {
                let off = r.range(14, 150);
                self.pupils[p].entree = weekday_on_or_after(self.rentree + Duration::days(off));
            }
            for &p in idx.iter().skip(late).take(gone) {
                let off = r.range(40, 240);
                self.pupils[p].sortie =
                    Some(weekday_on_or_after(self.rentree + Duration::days(off)));
            }
        }
        Ok(())
    }

    fn build_1d(&mut self, opts: &Options, eleves: usize, r: &mut Rng) -> Result<(), GenError> {
        let levels = if opts.classes.is_empty() {
            auto_classes_1d(eleves)
        } else {
            opts.classes.clone()
        };
        const KNOWN: [&str; 5] = ["CP", "CE1", "CE2", "CM1", "CM2"];
        for l in &levels {
            if l.split('-').any(|x| !KNOWN.contains(&x)) {
                return Err(GenError(format!(
                    "classe « {l} » invalide : niveaux CP, CE1, CE2, CM1, CM2, éventuellement joints par un tiret (CM1-CM2)"
                )));
            }
            if l.split('-').map(cycle_1d).collect::<BTreeSet<_>>().len() > 1 {
                return Err(GenError(format!(
                    "classe « {l} » invalide : elle mêle deux cycles"
                )));
            }
        }
        // 1D people have no STS id; the numbers only keep the internal ids unique.
        self.head = self.new_teacher(r, "epp", None, 1000);
        let mut onde_id = 10_000 + r.below(80_000) as u32;
        for (ci, l) in levels.iter().enumerate() {
            onde_id += 1 + r.below(40) as u32;
            let t = self.new_teacher(r, "epp", None, 1000);
            let teacher = &self.teachers[t];
            let label = format!(
                "{l} - {} {}",
                if teacher.civilite == Civilite::Mme {
                    "Mme"
                } else {
                    "M."
                },
                names::upper(&teacher.nom)
            );
            self.divisions.push(Division {
                code: onde_id.to_string(),
                lsu_code: onde_id.to_string(),
                niveau: l.clone(),
                scale: Scale::Echelle,
                onde_id,
                libelle: label.clone(),
                teachers: vec![(0, t)],
                pp: t,
            });
            self.lsu_classes.push(LsuClass {
                id: format!("CL_{}", ci + 1),
                id_be: onde_id,
                libelle: label,
                division: ci,
            });
        }
        let ine_base = 100_000_000 + r.below(700_000_000) as u64;
        let nd = self.divisions.len();
        for i in 0..eleves {
            let div = i % nd;
            let lv: Vec<String> = self.divisions[div]
                .niveau
                .split('-')
                .map(str::to_string)
                .collect();
            let niveau = lv[(i / nd) % lv.len()].clone();
            let rank = KNOWN.iter().position(|k| *k == niveau).unwrap_or(0) as i32;
            // CP pupils are born in 2019 (6 at the rentrée).
            let birth = 2019 - rank - if r.chance(0.05) { 1 } else { 0 };
            let p = self.new_pupil(r, div, niveau, birth, (0, 0, ine_base));
            self.pupils[p].lsu_class = div;
            self.pupils[p].lsu_division = self.divisions[div].code.clone();
            // ONDE sends the modalités itself; 1D files carry none (L004).
            self.pupils[p].modalite = None;
        }
        Ok(())
    }

    /// The periods a pupil gets a bilan for (present at some point of the period).
    pub fn periods_of(&self, p: usize) -> Vec<usize> {
        let pupil = &self.pupils[p];
        (0..self.periods.len())
            .filter(|&k| {
                let per = &self.periods[k];
                let present =
                    pupil.entree <= per.fin && pupil.sortie.is_none_or(|s| s >= per.debut);
                present || self.forced_bilans.contains(&(p, k))
            })
            .collect()
    }

    /// The end-of-cycle bilan of a pupil, if any: cycle 3 in 6e, 4 in 3e (2D), 2 in CE2 (1D);
    /// none for a pupil who has left.
    pub fn cycle_of(&self, p: usize) -> Option<u8> {
        let pupil = &self.pupils[p];
        if pupil.sortie.is_some() {
            return None;
        }
        match self.degree {
            Degree::D2 => match self.divisions[pupil.division].niveau_num() {
                6 => Some(3),
                3 => Some(4),
                _ => None,
            },
            Degree::D1 => (pupil.niveau == "CE2").then_some(2),
        }
    }

    /// Pupils in file order.
    pub fn pupil_order(&self) -> &[usize] {
        &self.order
    }

    /// Every periodic bilan in file order: (pupil, period index). Periods outermost, as most
    /// exporters write one period after the other.
    pub fn periodic_keys(&self) -> Vec<(usize, usize)> {
        let mut per_pupil: Vec<Vec<usize>> = vec![Vec::new(); self.pupils.len()];
        for &p in &self.order {
            per_pupil[p] = self.periods_of(p);
        }
        let mut out = Vec::new();
        for k in 0..self.periods.len() {
            for &p in &self.order {
                if per_pupil[p].contains(&k) {
                    out.push((p, k));
                }
            }
        }
        out
    }

    /// Every bilan-cycle in file order: (pupil, cycle).
    pub fn cycle_keys(&self) -> Vec<(usize, u8)> {
        self.order
            .iter()
            .filter_map(|&p| self.cycle_of(p).map(|c| (p, c)))
            .collect()
    }

    /// The `date-scolarite` of a periodic bilan: max(period start, entry date), as SACoche
    /// and Gepi compute it (before any defect).
    pub fn date_scolarite(&self, p: usize, k: usize) -> NaiveDate {
        let per = &self.periods[k];
        per.debut.max(self.pupils[p].entree)
    }

    fn defect_of(&self, p: usize, slot: Slot) -> Option<Defect> {
        self.bilan_defects.get(&(p, slot)).copied()
    }

    fn inject(&mut self, opts: &Options) -> Result<(), GenError> {
        let mut r = Rng::derive(opts.seed, &[2]);
        // Candidates: ordinary pupils (present all year) not already carrying a defect.
        let mut used: BTreeSet<usize> = BTreeSet::new();
        // Divisions renamed as a whole: their scale must stay as set (P001 follows from it).
        let mut pinned: BTreeSet<usize> = BTreeSet::new();
        let mut pending: Vec<(Defect, usize, Option<usize>, Slot, String)> = Vec::new();
        let mut class_records: Vec<DefectRecord> = Vec::new();
        // Whole classes first, so that the defects of single pupils land elsewhere.
        let whole = |d: &Defect| *d == Defect::UnknownDivisionClass;
        let asked: Vec<(Defect, usize)> = (opts.defects.iter().filter(|(d, _)| whole(d)))
            .chain(opts.defects.iter().filter(|(d, _)| !whole(d)))
            .copied()
            .collect();
        for (def, n) in asked {
            let mut candidates: Vec<usize> = (0..self.pupils.len())
                .filter(|p| !used.contains(p))
                .filter(|&p| {
                    let x = &self.pupils[p];
                    x.entree == self.rentree && x.sortie.is_none()
                })
                .collect();
            r.shuffle(&mut candidates);
            let ordinary = count_fr(
                candidates.len(),
                "élève présent toute l'année et sans autre défaut",
                "élèves présents toute l'année et sans autre défaut",
            );
            // (how many were injected, what limits them)
            let (got, limit): (usize, String) = match def {
                Defect::Oversized => {
                    class_records.push(DefectRecord {
                        defect: def,
                        code: def.code(),
                        eleve: None,
                        division: None,
                        bilans: Vec::new(),
                        detail: format!(
                            "{} élèves et {} divisions/classes dans un seul fichier",
                            self.pupils.len(),
                            self.divisions.len()
                        ),
                    });
                    // N is a minimal number of pupils, reached in `generate`.
                    (n, String::new())
                }
                Defect::TeacherSpelling => {
                    let mut ts: Vec<usize> = self
                        .divisions
                        .iter()
                        .map(|x| x.pp)
                        .filter(|t| self.teachers[*t].lsu_nom == self.teachers[*t].nom)
                        .collect();
                    ts.dedup();
                    // Names with accents, hyphens or apostrophes first: the classic mismatches.
                    ts.sort_by_key(|&t| {
                        self.teachers[t]
                            .nom
                            .chars()
                            .all(|c| c.is_ascii_alphabetic())
                    });
                    let limit = count_fr(
                        ts.len(),
                        "enseignant de classe dont le nom n'est pas déjà altéré",
                        "enseignants de classe dont le nom n'est pas déjà altéré",
                    );
                    let mut got = 0;
                    for (j, t) in ts.into_iter().take(n).enumerate() {
                        let variant = spelling_variant(&self.teachers[t].nom, j);
                        let detail = format!(
                            "enseignant écrit « {} » dans LSU au lieu de « {} » (ONDE)",
                            variant, self.teachers[t].nom
                        );
                        self.teachers[t].lsu_nom = variant;
                        pending.push((def, t, None, Slot::Cycle, detail));
                        got += 1;
                    }
                    (got, limit)
                }
                Defect::UnknownOndeClass => {
                    let mut got = 0;
                    for p in candidates.into_iter().take(n) {
                        used.insert(p);
                        let origin = self.pupils[p].division;
                        let ghost = match self.lsu_classes.iter().position(|c| {
                            c.division == origin && c.id_be != self.divisions[origin].onde_id
                        }) {
                            Some(g) => g,
                            None => {
                                let known: BTreeSet<u32> =
                                    self.lsu_classes.iter().map(|x| x.id_be).collect();
                                // An id from last year's ONDE classes, no longer valid.
                                let real = self.divisions[origin].onde_id;
                                let id = (1..)
                                    .map(|k: u32| {
                                        real.checked_sub(37 * k)
                                            .filter(|x| *x > 1000)
                                            .unwrap_or(real + 100_000 + k)
                                    })
                                    .find(|x| !known.contains(x))
                                    .unwrap_or(real + 99_999);
                                self.lsu_classes.push(LsuClass {
                                    id: format!("CL_{}", self.lsu_classes.len() + 1),
                                    id_be: id,
                                    libelle: format!(
                                        "{} (année précédente)",
                                        self.divisions[origin].niveau
                                    ),
                                    division: origin,
                                });
                                self.lsu_classes.len() - 1
                            }
                        };
                        self.pupils[p].lsu_class = ghost;
                        self.pupils[p].lsu_division = self.lsu_classes[ghost].id_be.to_string();
                        let detail = format!(
                            "classe-ref vers une classe d'id-be {} inconnu d'ONDE (classe ONDE réelle : {})",
                            self.lsu_classes[ghost].id_be, self.divisions[origin].onde_id
                        );
                        pending.push((def, p, None, Slot::Cycle, detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::UnknownDivision => {
                    let mut got = 0;
                    for (j, p) in candidates.into_iter().take(n).enumerate() {
                        used.insert(p);
                        let code = self.divisions[self.pupils[p].division].code.clone();
                        let (niv, rest) = code.split_at(1);
                        let variant = match j % 3 {
                            0 => format!("{niv}e{rest}"),
                            1 => format!("{niv} {rest}"),
                            _ => format!("{niv}EME{rest}"),
                        };
                        let detail =
                            format!("code-division « {variant} » au lieu de « {code} » (Siècle)");
                        self.pupils[p].lsu_division = variant;
                        pending.push((def, p, None, Slot::Cycle, detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::UnknownDivisionClass => {
                    let free: Vec<usize> = (0..self.divisions.len())
                        .filter(|dv| !pinned.contains(dv))
                        .filter(|&dv| self.pupils.iter().any(|x| x.division == dv))
                        .filter(|&dv| {
                            (0..self.pupils.len())
                                .all(|p| self.pupils[p].division != dv || !used.contains(&p))
                        })
                        .collect();
                    let limit = count_fr(
                        free.len(),
                        "division avec des élèves sans autre défaut",
                        "divisions avec des élèves sans autre défaut",
                    );
                    let mut divs = free;
                    r.shuffle(&mut divs);
                    // Classes already in positionnement first: nothing else changes for them.
                    divs.sort_by_key(|&dv| self.divisions[dv].scale != Scale::Echelle);
                    let mut known: BTreeSet<String> = self
                        .divisions
                        .iter()
                        .flat_map(|x| [x.code.clone(), x.lsu_code.clone()])
                        .collect();
                    let mut got = 0;
                    for (j, dv) in divs.into_iter().take(n).enumerate() {
                        let code = self.divisions[dv].code.clone();
                        let (niv, rest) = code.split_at(1);
                        let variants = [
                            format!("{niv} {rest}"),
                            format!("{niv}EME{rest}"),
                            format!("{niv}e{rest}"),
                        ];
                        // A trailing space would vanish in LSU's whitespace handling.
                        let Some(variant) = (0..3)
                            .map(|i| variants[(j + i) % 3].clone())
                            .find(|v| !known.contains(v) && !v.ends_with(' '))
                        else {
                            continue;
                        };
                        known.insert(variant.clone());
                        // The school set the class to positionnement in LSU, under its Siècle
                        // code: the unknown code gets LSU's default, notes sur 20.
                        self.divisions[dv].scale = Scale::Echelle;
                        self.divisions[dv].lsu_code = variant.clone();
                        pinned.insert(dv);
                        let detail = format!(
                            "classe entière exportée sous le code-division « {variant} » au lieu de « {code} » (Siècle), réglée en positionnement dans LSU sous son code Siècle"
                        );
                        for p in 0..self.pupils.len() {
                            if self.pupils[p].division == dv {
                                used.insert(p);
                                self.pupils[p].lsu_division = variant.clone();
                                pending.push((def, p, None, Slot::Cycle, detail.clone()));
                            }
                        }
                        got += 1;
                    }
                    (got, limit)
                }
                Defect::UnknownPupil => {
                    let mut taken: BTreeSet<u32> = self
                        .pupils
                        .iter()
                        .flat_map(|x| [x.eleve_id, x.lsu_id_be])
                        .collect();
                    let mut got = 0;
                    for (j, p) in candidates.into_iter().take(n).enumerate() {
                        let (eleve_id, elenoet) = (self.pupils[p].eleve_id, self.pupils[p].elenoet);
                        // Half export the ELENOET (the other Siècle number), half mistype.
                        let (id, detail) = if j % 2 == 0 && !taken.contains(&elenoet) {
                            (
                                elenoet,
                                format!("id-be {elenoet} : l'ELENOET de l'élève au lieu de son ELEVE_ID {eleve_id} (Siècle)"),
                            )
                        } else if let Some(t) =
                            id_typos(eleve_id).into_iter().find(|t| !taken.contains(t))
                        {
                            (
                                t,
                                format!("id-be {t} : faute de frappe dans l'ELEVE_ID {eleve_id} (Siècle)"),
                            )
                        } else {
                            continue;
                        };
                        taken.insert(id);
                        used.insert(p);
                        self.pupils[p].lsu_id_be = id;
                        pending.push((def, p, None, Slot::Cycle, detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::DateBeforeEntry => {
                    let mut got = 0;
                    for p in candidates.into_iter().take(n) {
                        used.insert(p);
                        // Arrived during the first period (after its start).
                        let per = &self.periods[0];
                        let span = (per.fin - per.debut).num_days().max(2);
                        let entree =
                            weekday_on_or_after(per.debut + Duration::days(r.range(7, span - 1)));
                        let entree = entree.min(per.fin);
                        self.pupils[p].entree = entree;
                        let detail = format!(
                            "date-scolarite {} antérieure à l'entrée dans l'établissement le {}",
                            per.debut, entree
                        );
                        pending.push((def, p, Some(0), Slot::Periode(0), detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::DateAfterExit => {
                    let mut got = 0;
                    for p in candidates.into_iter().take(n) {
                        used.insert(p);
                        let (k, sortie) = if self.periods.len() >= 2 {
                            (1, self.periods[1].debut - Duration::days(r.range(3, 20)))
                        } else {
                            (0, self.periods[0].debut + Duration::days(30))
                        };
                        self.pupils[p].sortie = Some(sortie);
                        self.forced_bilans.insert((p, k));
                        let ds = self.date_scolarite(p, k).max(sortie + Duration::days(1));
                        let detail = format!(
                            "bilan de la période {} avec date-scolarite {} alors que l'élève est sorti le {}",
                            k + 1,
                            ds,
                            sortie
                        );
                        pending.push((def, p, Some(k), Slot::Periode(k), detail));
                        got += 1;
                    }
                    (got, ordinary)
                }
                Defect::DateScolariteBeforeRentree
                | Defect::DanglingRef
                | Defect::CommaAverage
                | Defect::ScaleMismatch => {
                    let needs_notes = matches!(def, Defect::CommaAverage | Defect::ScaleMismatch);
                    let in_notes = |s: &School, p: usize| {
                        !needs_notes || s.divisions[s.pupils[p].division].scale == Scale::Notes
                    };
                    let mut eligible = candidates.iter().filter(|&&p| in_notes(self, p)).count();
                    // A school whose classes are all in positionnement (a small collège of
                    // 6e only) has no average to spoil: switch classes to notes sur 20, the
                    // LSU settings with them, until the defect has room.
                    for dv in 0..self.divisions.len() {
                        if eligible >= n {
                            break;
                        }
                        if pinned.contains(&dv) || self.divisions[dv].scale == Scale::Notes {
                            continue;
                        }
                        self.divisions[dv].scale = Scale::Notes;
                        eligible = candidates.iter().filter(|&&p| in_notes(self, p)).count();
                    }
                    let eligible: Vec<usize> = candidates
                        .iter()
                        .copied()
                        .filter(|&p| in_notes(self, p))
                        .collect();
                    let limit = if needs_notes {
                        count_fr(
                            eligible.len(),
                            "élève présent toute l'année, sans autre défaut, dans une classe qui peut être notée sur 20",
                            "élèves présents toute l'année, sans autre défaut, dans une classe qui peut être notée sur 20",
                        )
                    } else {
                        ordinary
                    };
                    let mut got = 0;
                    for p in eligible.into_iter().take(n) {
                        used.insert(p);
                        let k = r.below(self.periods.len());
                        let detail = match def {
                            Defect::DateScolariteBeforeRentree => format!(
                                "date-scolarite antérieure à la rentrée du {} (période {})",
                                self.rentree,
                                k + 1
                            ),
                            Defect::DanglingRef => format!(
                                "enseignant-refs du premier acquis vers un enseignant non déclaré (période {})",
                                k + 1
                            ),
                            Defect::CommaAverage => {
                                format!("moyenne-eleve avec une virgule décimale (période {})", k + 1)
                            }
                            _ => format!(
                                "positionnement 1–4 dans une classe paramétrée en notes sur 20 (période {})",
                                k + 1
                            ),
                        };
                        pending.push((def, p, Some(k), Slot::Periode(k), detail));
                        got += 1;
                    }
                    (got, limit)
                }
                Defect::SocleIncomplete => {
                    let eligible: Vec<usize> = candidates
                        .into_iter()
                        .filter(|&p| self.cycle_of(p).is_some())
                        .collect();
                    let limit = count_fr(
                        eligible.len(),
                        "élève présent toute l'année, sans autre défaut, avec un bilan de fin de cycle (6e ou 3e ; CE2 au 1er degré)",
                        "élèves présents toute l'année, sans autre défaut, avec un bilan de fin de cycle (6e ou 3e ; CE2 au 1er degré)",
                    );
                    let mut got = 0;
                    for p in eligible.into_iter().take(n) {
                        used.insert(p);
                        pending.push((def, p, None, Slot::Cycle, "bilan de fin de cycle sans les composantes du socle MET_APP et SYS_NAT".into()));
                        got += 1;
                    }
                    (got, limit)
                }
            };
            if got < n {
                return Err(shortfall(def, n, got, &limit));
            }
        }
        for (def, p, _, slot, _) in &pending {
            if !matches!(
                def,
                Defect::UnknownDivision
                    | Defect::UnknownDivisionClass
                    | Defect::UnknownPupil
                    | Defect::UnknownOndeClass
                    | Defect::TeacherSpelling
            ) {
                self.bilan_defects.insert((*p, *slot), *def);
            }
        }
        let pkeys = self.periodic_keys();
        let ckeys = self.cycle_keys();
        let pref = |p: usize, k: usize| -> Option<BilanRef> {
            pkeys.iter().position(|&x| x == (p, k)).map(|i| BilanRef {
                kind: BilanKind::Periodique {
                    indice: k as u32 + 1,
                },
                eleve: self.pupils[p].id.clone(),
                index: i + 1,
            })
        };
        let cref = |p: usize| -> Option<BilanRef> {
            ckeys.iter().position(|&(x, _)| x == p).map(|i| BilanRef {
                kind: BilanKind::Cycle { cycle: ckeys[i].1 },
                eleve: self.pupils[p].id.clone(),
                index: i + 1,
            })
        };
        let all_of = |p: usize| -> Vec<BilanRef> {
            let mut v: Vec<BilanRef> = pkeys
                .iter()
                .enumerate()
                .filter(|(_, x)| x.0 == p)
                .map(|(i, x)| BilanRef {
                    kind: BilanKind::Periodique {
                        indice: x.1 as u32 + 1,
                    },
                    eleve: self.pupils[p].id.clone(),
                    index: i + 1,
                })
                .collect();
            v.extend(cref(p));
            v
        };
        let mut records = Vec::new();
        for (def, who, k, slot, detail) in pending {
            let rec = match def {
                Defect::TeacherSpelling => {
                    let t = &self.teachers[who];
                    let div = self.divisions.iter().position(|x| x.pp == who);
                    let mut bilans = Vec::new();
                    for (i, &(p, kk)) in pkeys.iter().enumerate() {
                        if Some(self.pupils[p].division) == div {
                            bilans.push(BilanRef {
                                kind: BilanKind::Periodique {
                                    indice: kk as u32 + 1,
                                },
                                eleve: self.pupils[p].id.clone(),
                                index: i + 1,
                            });
                        }
                    }
                    for (i, &(p, c)) in ckeys.iter().enumerate() {
                        if Some(self.pupils[p].division) == div {
                            bilans.push(BilanRef {
                                kind: BilanKind::Cycle { cycle: c },
                                eleve: self.pupils[p].id.clone(),
                                index: i + 1,
                            });
                        }
                    }
                    DefectRecord {
                        defect: def,
                        code: def.code(),
                        eleve: None,
                        division: div.map(|x| self.divisions[x].code.clone()),
                        bilans,
                        detail: format!("{} ({})", detail, t.id),
                    }
                }
                _ => {
                    let p = who;
                    let bilans = match (slot, k) {
                        (Slot::Periode(_), Some(k)) => pref(p, k).into_iter().collect(),
                        (Slot::Cycle, _) if def == Defect::SocleIncomplete => {
                            cref(p).into_iter().collect()
                        }
                        _ => all_of(p),
                    };
                    DefectRecord {
                        defect: def,
                        code: def.code(),
                        eleve: Some(self.pupils[p].id.clone()),
                        division: Some(self.pupils[p].lsu_division.clone()),
                        bilans,
                        detail,
                    }
                }
            };
            records.push(rec);
        }
        records.extend(class_records);
        self.defects = records;
        Ok(())
    }

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

/// « 1 élève », « 3 élèves » (French: 0 and 1 take the singular).
fn count_fr(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n > 1 { many } else { one })
}

/// The error for a defect that could not be injected as many times as asked.
fn shortfall(def: Defect, asked: usize, got: usize, limit: &str) -> GenError {
    let possible = match got {
        0 => "aucune fois".to_string(),
        1 => "une seule fois".to_string(),
        g => format!("{g} fois au plus"),
    };
    GenError(format!(
        "impossible d'injecter le défaut {def} {asked} fois : {possible} dans cet établissement, qui compte {limit} ; augmentez le nombre d'élèves ou demandez moins de défauts"
    ))
}

/// Mistypings of an ELEVE_ID: two adjacent digits swapped (from the right), then one digit
/// off by one; none starts with a zero.
fn id_typos(id: u32) -> Vec<u32> {
    let digits: Vec<u8> = id.to_string().into_bytes();
    let mut out = Vec::new();
    let mut push = |d: &[u8]| {
        if d.first() != Some(&b'0') {
            if let Some(x) = std::str::from_utf8(d).ok().and_then(|t| t.parse().ok()) {
                if x != id {
                    out.push(x);
                }
            }
        }
    };
    for i in (1..digits.len()).rev() {
        if digits[i] != digits[i - 1] {
            let mut d = digits.clone();
            d.swap(i, i - 1);
            push(&d);
        }
    }
    for i in (0..digits.len()).rev() {
        for delta in [1u8, 9] {
            let mut d = digits.clone();
            d[i] = b'0' + (d[i] - b'0' + delta) % 10;
            push(&d);
        }
    }
    out
}

fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'É' | 'È' | 'Ê' | 'Ë' => 'E',
            'à' | 'â' | 'ä' => 'a',
            'î' | 'ï' => 'i',
            'ô' | 'ö' => 'o',
            'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ÿ' => 'y',
            c => c,
        })
        .collect()
}

/// A spelling of `nom` that LSU's exact comparison rejects: accents dropped, hyphen turned
/// into a space, typographic apostrophe, or upper-case — the first that changes something,
/// starting from variant `j`.
pub fn spelling_variant(nom: &str, j: usize) -> String {
    let variants: [fn(&str) -> String; 4] = [
        strip_accents,
        |s| s.replace('-', " "),
        |s| s.replace('\'', "\u{2019}"),
        |s| s.to_uppercase(),
    ];
    for i in 0..variants.len() {
        let v = variants[(j + i) % variants.len()](nom);
        if v != nom {
            return v;
        }
    }
    format!("{nom}e")
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
