//! C family. One file per rule; `rules()` lists this family's rules for the registry.

use crate::xml::Node;

use super::Rule;
use crate::model::{self, Degree};
use crate::rules::Ctx;

pub mod c001;
pub mod c002;
pub mod c003;
pub mod c004;
pub mod c005;
pub mod c006;
pub mod c007;

pub fn rules() -> Vec<&'static Rule> {
    vec![
        &c001::RULE,
        &c002::RULE,
        &c003::RULE,
        &c004::RULE,
        &c005::RULE,
        &c006::RULE,
        &c007::RULE,
    ]
}

/// The 8 components of the socle, in LSU order, with their French labels (`rules.md`, notes).
pub const SOCLE: [(&str, &str); 8] = [
    (
        "CPD_FRA",
        "Comprendre, s'exprimer en utilisant la langue française à l'oral et à l'écrit",
    ),
    (
        "CPD_ETR",
        "Comprendre, s'exprimer en utilisant une langue étrangère et, le cas échéant, une langue régionale",
    ),
    (
        "CPD_SCI",
        "Comprendre, s'exprimer en utilisant les langages mathématiques, scientifiques et informatiques",
    ),
    (
        "CPD_ART",
        "Comprendre, s'exprimer en utilisant les langages des arts et du corps",
    ),
    ("MET_APP", "Les méthodes et outils pour apprendre"),
    ("FRM_CIT", "La formation de la personne et du citoyen"),
    ("SYS_NAT", "Les systèmes naturels et les systèmes techniques"),
    ("REP_MND", "Les représentations du monde et l'activité humaine"),
];

pub use crate::util::xs_trim;

/// A one-digit value in `lo..=hi` as the LSU patterns (`[0-4]`, `[1-2]`) accept it.
pub fn digit_in(v: &str, lo: u8, hi: u8) -> Option<u8> {
    let t = xs_trim(v).as_bytes();
    match t {
        [d] if (b'0' + lo..=b'0' + hi).contains(d) => Some(d - b'0'),
        _ => None,
    }
}

/// What is wrong with one `socle` block: components missing, doubled, unknown, without
/// positionnement or with a positionnement outside 0–4.
#[derive(Default, Debug)]
pub struct SocleCheck {
    pub present: usize,
    pub missing: Vec<usize>,
    pub doubled: Vec<usize>,
    pub unknown: Vec<String>,
    pub no_level: Vec<usize>,
    pub bad_level: Vec<(usize, String)>,
}

impl SocleCheck {
    /// `level_required`: a component without `positionnement` is a defect.
    pub fn of(socle: Option<Node>, level_required: bool) -> Self {
        let mut c = SocleCheck::default();
        let mut count = [0usize; 8];
        for d in socle
            .into_iter()
            .flat_map(|s| model::children(s, "domaine"))
        {
            c.present += 1;
            let code = d.attribute("code").map(xs_trim).unwrap_or("");
            let Some(i) = SOCLE.iter().position(|(k, _)| *k == code) else {
                c.unknown.push(code.to_string());
                continue;
            };
            count[i] += 1;
            if count[i] == 2 {
                c.doubled.push(i);
            }
            match d.attribute("positionnement") {
                None if level_required => c.no_level.push(i),
                Some(v) if digit_in(v, 0, 4).is_none() => c.bad_level.push((i, v.to_string())),
                _ => {}
            }
        }
        c.missing = (0..8).filter(|i| count[*i] == 0).collect();
        c
    }

    pub fn structure_ok(&self) -> bool {
        self.missing.is_empty() && self.doubled.is_empty() && self.unknown.is_empty()
    }

    pub fn ok(&self) -> bool {
        self.structure_ok() && self.no_level.is_empty() && self.bad_level.is_empty()
    }

    /// The defects in French, each component named with its code and label.
    pub fn describe(&self) -> Vec<String> {
        let named = |i: &usize| format!("{} « {} »", SOCLE[*i].0, SOCLE[*i].1);
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            let n = self.missing.len();
            parts.push(format!(
                "{n} composante{s} manquante{s} : {}",
                self.missing
                    .iter()
                    .map(named)
                    .collect::<Vec<_>>()
                    .join(" ; "),
                s = if n > 1 { "s" } else { "" }
            ));
        }
        if !self.doubled.is_empty() {
            parts.push(format!(
                "en double : {}",
                self.doubled
                    .iter()
                    .map(named)
                    .collect::<Vec<_>>()
                    .join(" ; ")
            ));
        }
        if !self.unknown.is_empty() {
            let list: Vec<String> = self.unknown.iter().map(|u| format!("« {u} »")).collect();
            parts.push(format!(
                "code{} inconnu{} : {} (codes admis : {})",
                if list.len() > 1 { "s" } else { "" },
                if list.len() > 1 { "s" } else { "" },
                list.join(", "),
                SOCLE.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
            ));
        }
        if !self.no_level.is_empty() {
            parts.push(format!(
                "sans positionnement : {}",
                self.no_level
                    .iter()
                    .map(named)
                    .collect::<Vec<_>>()
                    .join(" ; ")
            ));
        }
        if !self.bad_level.is_empty() {
            let list: Vec<String> = self
                .bad_level
                .iter()
                .map(|(i, v)| format!("{} (« {v} »)", named(i)))
                .collect();
            parts.push(format!(
                "positionnement hors de 0 à 4 : {}",
                list.join(" ; ")
            ));
        }
        parts
    }
}

pub fn is_2d(ctx: &Ctx) -> bool {
    ctx.version.degree == Some(Degree::D2)
}

/// `cycle` as written, trimmed (`"?"` when absent), for messages.
pub fn cycle_of<'a>(bilan: Node<'a, '_>) -> &'a str {
    bilan.attribute("cycle").map(xs_trim).unwrap_or("?")
}

/// The codes the schema in use admits for `element/@code`: the user's schema's enumeration
/// when one is given (a newer format may add codes), else the built-in list.
pub fn codes_in_use<'a>(ctx: &'a Ctx, element: &str, builtin: &'a [&'a str]) -> Vec<&'a str> {
    match ctx
        .version
        .facts()
        .and_then(|f| f.enumeration(element, &[], "code"))
    {
        Some(list) => list.iter().map(String::as_str).collect(),
        None => builtin.to_vec(),
    }
}
