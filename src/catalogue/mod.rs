//! Rule metadata: the typed code table (`table.rs`, one line per code of `spec/rules.md`), the
//! kinds each rule declares (in its own module), and the French pages of `rules/`.

use std::fmt;

use serde::Serialize;

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
    /// French label for human output.
    pub fn label_fr(self) -> &'static str {
        match self {
            Severity::Error => "erreur",
            Severity::Warning => "avertissement",
            Severity::Info => "info",
        }
    }
}

/// Premier degré (écoles) or second degré (collèges): which exports a rule applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Degree {
    #[serde(rename = "1d")]
    D1,
    #[serde(rename = "2d")]
    D2,
}

impl Degree {
    pub fn as_str(self) -> &'static str {
        match self {
            Degree::D1 => "1d",
            Degree::D2 => "2d",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Impact {
    #[serde(rename = "fichier-rejete")]
    FichierRejete,
    #[serde(rename = "bilan-rejete")]
    BilanRejete,
    #[serde(rename = "alerte")]
    Alerte,
    #[serde(rename = "perte-silencieuse")]
    PerteSilencieuse,
    #[serde(rename = "prealable")]
    Prealable,
    #[serde(rename = "qualite")]
    Qualite,
}

impl Impact {
    pub fn as_str(self) -> &'static str {
        match self {
            Impact::FichierRejete => "fichier-rejete",
            Impact::BilanRejete => "bilan-rejete",
            Impact::Alerte => "alerte",
            Impact::PerteSilencieuse => "perte-silencieuse",
            Impact::Prealable => "prealable",
            Impact::Qualite => "qualite",
        }
    }
    /// French label for reports.
    pub fn label_fr(self) -> &'static str {
        match self {
            Impact::FichierRejete => "fichier rejeté",
            Impact::BilanRejete => "bilan rejeté",
            Impact::Alerte => "alerte à l'import",
            Impact::PerteSilencieuse => "perte silencieuse",
            Impact::Prealable => "préalable",
            Impact::Qualite => "qualité",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixClass {
    Safe,
    Unsafe,
    Suggest,
    None,
}

/// How sure the predicted LSU reaction is (`lsu-error-catalogue.md`): confirmed by code or
/// official/editor documentation, reported, or inferred. Only `C` may be stated as certain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Confidence {
    C,
    R,
    I,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::C => "C",
            Confidence::R => "R",
            Confidence::I => "I",
        }
    }
    /// French label for human output.
    pub fn label_fr(self) -> &'static str {
        match self {
            Confidence::C => "confirmé",
            Confidence::R => "signalé",
            Confidence::I => "déduit",
        }
    }
}

/// Where a cause is corrected (`interfaces.md` « Root causes »).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Agir {
    /// The vendor software or its export settings: correct there and export again.
    Logiciel,
    /// The file itself: `lsu-lint fix` can do it.
    Fichier,
    Siecle,
    Sts,
    Onde,
    /// A setting of the LSU application.
    Lsu,
}

impl Agir {
    pub fn as_str(self) -> &'static str {
        match self {
            Agir::Logiciel => "logiciel",
            Agir::Fichier => "fichier",
            Agir::Siecle => "siecle",
            Agir::Sts => "sts",
            Agir::Onde => "onde",
            Agir::Lsu => "lsu",
        }
    }
    /// « où corriger », in French.
    pub fn label_fr(self) -> &'static str {
        match self {
            Agir::Logiciel => "le logiciel de vie scolaire (puis exporter à nouveau)",
            Agir::Fichier => "le fichier lui-même (l'export corrigé par lsu-lint le répare)",
            Agir::Siecle => "Siècle",
            Agir::Sts => "STS-Web",
            Agir::Onde => "ONDE",
            Agir::Lsu => "le paramétrage de LSU",
        }
    }
}

/// One variant of a rule (`kind`): a short stable slug, where to act and what to do. A cause
/// of the report is one (code, kind) pair.
#[derive(Debug)]
pub struct KindMeta {
    pub slug: &'static str,
    /// Generic French title of the cause, used when its findings do not share one value
    /// (« date de scolarité antérieure à la rentrée »).
    pub title: &'static str,
    pub agir: Agir,
    /// One French sentence for a school secretary: what to change, where, by whom.
    pub action: &'static str,
}

/// Inputs a rule may need beyond the file (names as in the JSON report's `inputs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Input {
    Siecle,
    Nomenclature,
    Sts,
    Onde,
    Communs,
    Settings,
    Calendar,
}

impl Input {
    /// The degree whose files this input describes (Siècle, STS-Web: collèges; ONDE: écoles).
    pub fn degree(self) -> Option<Degree> {
        match self {
            Input::Siecle | Input::Nomenclature | Input::Sts | Input::Communs => Some(Degree::D2),
            Input::Onde => Some(Degree::D1),
            Input::Settings | Input::Calendar => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Input::Siecle => "siecle",
            Input::Nomenclature => "nomenclature",
            Input::Sts => "sts",
            Input::Onde => "onde",
            Input::Communs => "communs",
            Input::Settings => "settings",
            Input::Calendar => "calendar",
        }
    }
}

#[derive(Debug)]
pub struct RuleMeta {
    pub code: Code,
    pub name: &'static str,
    pub severity: Severity,
    pub impact: Impact,
    pub confidence: Confidence,
    /// Each inner list is a set of alternatives: the rule runs when, for every inner list, at
    /// least one of its inputs is present (`SIE or STS` = `&[&[Siecle, Sts]]`).
    pub requires: &'static [&'static [Input]],
    /// Inputs as written in the spec (`F`, `SIE or STS`, …), for listings.
    pub needs: &'static str,
    pub fix_class: FixClass,
    /// The spec's fix column, verbatim (e.g. `safe (strip one leading P)`).
    pub fix_note: &'static str,
    /// ★ in the spec: named in the product brief.
    pub starred: bool,
    /// The rule's variants; the first is the default of a finding that names none.
    pub kinds: &'static [KindMeta],
}

impl RuleMeta {
    /// The French title: first heading of the rule's page, after the code.
    pub fn title(&self) -> &'static str {
        page(self.code.as_str())
            .and_then(|p| p.lines().next())
            .map(|l| {
                let l = l.trim_start_matches('#').trim();
                let l = l.strip_prefix(self.code.as_str()).unwrap_or(l).trim_start();
                l.trim_start_matches(['—', '-', ':']).trim()
            })
            .unwrap_or("")
    }

    pub fn page(&self) -> Option<&'static str> {
        page(self.code.as_str())
    }

    /// The rule as listed by `rules --format json` and `GET /api/v1/rules`.
    pub fn to_json(&self) -> serde_json::Value {
        let kinds: Vec<serde_json::Value> = self
            .kinds
            .iter()
            .map(|k| {
                serde_json::json!({
                    "kind": k.slug,
                    "title": k.title,
                    "agir": k.agir,
                    "action": k.action,
                })
            })
            .collect();
        serde_json::json!({
            "code": self.code,
            "name": self.name,
            "title": self.title(),
            "severity": self.severity.as_str(),
            "impact": self.impact.as_str(),
            "confidence": self.confidence.as_str(),
            "needs": self.needs,
            "fix": self.fix_note,
            "kinds": kinds,
        })
    }

    /// The fix class of one of the rule's kinds: the rule's, but for the kinds the spec
    /// classes apart (X001: « safe for labels, unsafe for appreciations »).
    pub fn fix_class_of(&self, kind: &str) -> FixClass {
        KIND_FIX_CLASS
            .iter()
            .find(|(c, k, _)| *c == self.code && *k == kind)
            .map_or(self.fix_class, |(_, _, f)| *f)
    }

    /// Whether the rule's fix is a split of the file (`lsu-lint split`), not an edit.
    pub fn fixed_by_split(&self) -> bool {
        self.fix_note.contains("split")
    }

    /// The declared kind of that slug.
    pub fn kind(&self, slug: &str) -> Option<&'static KindMeta> {
        self.kinds.iter().find(|k| k.slug == slug)
    }
}

/// Kinds whose fix class is not their rule's (the spec's fix column names them).
const KIND_FIX_CLASS: &[(Code, &str, FixClass)] = &[
    (Code::X001, "appreciation", FixClass::Unsafe),
    // T004: « unsafe (exactly one folded match); safe NFC ».
    (Code::T004, "unicode-nfc", FixClass::Safe),
];

/// Generates `Code`, `Code::ALL` and `CATALOGUE` from the table, in one order.
macro_rules! catalogue {
    ($($code:ident $star:literal $name:literal $sev:ident $impact:ident $conf:ident
       [$([$($inp:ident),+]),*] $needs:literal $fix:ident $note:literal => $($module:ident)::+;)+) => {
        /// Every rule code of `spec/rules.md`. Ordered as text (`B001` < `C001` < `D001`), the
        /// order of reports; `Code::ALL` keeps the table's order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Code {
            $($code),+
        }

        impl Code {
            /// Every code, in the table's order.
            pub const ALL: &'static [Code] = &[$(Code::$code),+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code)),+
                }
            }
        }

        /// The catalogue, indexed by `Code as usize`.
        pub static CATALOGUE: &[RuleMeta] = &[$(RuleMeta {
            code: Code::$code,
            name: $name,
            severity: Severity::$sev,
            impact: Impact::$impact,
            confidence: Confidence::$conf,
            requires: &[$(&[$(Input::$inp),+]),*],
            needs: $needs,
            fix_class: FixClass::$fix,
            fix_note: $note,
            starred: $star,
            kinds: crate::rules::$($module)::+::KINDS,
        }),+];
    };
}

pub mod messages;
mod table;
pub use table::{Code, CATALOGUE};

impl Code {
    /// The code's metadata.
    pub fn meta(self) -> &'static RuleMeta {
        &CATALOGUE[self as usize]
    }

    /// Parses an exact code (`D001`), case-insensitively.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
    }

    /// The family letter (`D` for D001).
    pub fn family(self) -> char {
        self.as_str().chars().next().unwrap_or('?')
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Code> for &str {
    fn eq(&self, other: &Code) -> bool {
        *self == other.as_str()
    }
}

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// Looks a rule up by code (`D001`) or name (`date-scolarite-outside-enrolment`), case-insensitively.
pub fn lookup(key: &str) -> Option<&'static RuleMeta> {
    CATALOGUE
        .iter()
        .find(|m| m.code.as_str().eq_ignore_ascii_case(key) || m.name.eq_ignore_ascii_case(key))
}

/// Every rule as `rules --format json` and `GET /api/v1/rules` list them.
pub fn listing_json() -> String {
    let v: Vec<serde_json::Value> = CATALOGUE.iter().map(RuleMeta::to_json).collect();
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// The metadata of a code.
pub fn meta(code: Code) -> &'static RuleMeta {
    code.meta()
}

include!(concat!(env!("OUT_DIR"), "/rule_pages.rs"));

/// The embedded French page of a rule (`rules/<CODE>-<name>.md`).
pub fn page(code: &str) -> Option<&'static str> {
    RULE_PAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, text)| *text)
}
