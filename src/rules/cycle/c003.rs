//! C003 cycle-inconsistent (file part): the `cycle` of a `bilan-cycle` must be 2 in 1D and 3 or
//! 4 in 2D; in 2D the cycle 3 bilan is written in 6e and the cycle 4 bilan in 3e, so a division
//! code that plainly names the other level (`6B` with cycle 4, `3A` with cycle 3) is flagged.
//! With Siècle, the pupil's `CODE_MEF` gives the level instead (MEF 100… = 6e → cycle 3, 103… =
//! 3e → cycle 4; other levels are not checked) and takes precedence over the division code.

use super::xs_trim;
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::C003,
    degree: None,
    check,
};

/// The variants of C003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "cycle-hors-degre",
        title: "cycle impossible pour le degré du fichier",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, corriger le cycle des bilans de fin de cycle (cycle 2 à l'école, cycles 3 et 4 au collège), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "cycle-niveau",
        title: "cycle du bilan différent du niveau de l'élève",
        agir: Agir::Logiciel,
        action: "Vérifier dans le logiciel de vie scolaire le niveau de l'élève et le cycle de son bilan (cycle 3 en 6e, cycle 4 en 3e), corriger, puis exporter à nouveau.",
    },
];

/// The level a division code plainly names: `6A`, `6EME2`, `601` → 6; `3B`, `302` → 3.
/// Codes where the first digit may mean something else (`30`, `3012`, `SEGPA3`) → None.
pub fn division_level(code: &str) -> Option<u8> {
    let b = code.trim().as_bytes();
    let first = *b.first()?;
    if first != b'3' && first != b'6' {
        return None;
    }
    let plausible = match b.get(1) {
        None => true,
        Some(c) if !c.is_ascii_digit() => true,
        // « 301 », « 612 »: three digits, the usual numbering of a level's divisions.
        Some(_) => b.len() == 3 && b.iter().all(u8::is_ascii_digit),
    };
    plausible.then_some(first - b'0')
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(degree) = ctx.version.degree else {
        return;
    };
    for bilan in &ctx.lsu.bilans_cycle {
        let Some(raw) = bilan.attribute("cycle") else {
            continue; // a missing required attribute is S003's
        };
        let cycle = xs_trim(raw);
        let allowed: &[&str] = match degree {
            Degree::D1 => &["2"],
            Degree::D2 => &["3", "4"],
        };
        if !allowed.contains(&cycle) {
            let msg = match degree {
                Degree::D1 => format!(
                    "cycle « {raw} » : dans un fichier du 1er degré, le seul bilan de fin de cycle importable est celui du cycle 2 (cycle=\"2\", en CE2) ; le cycle 3 se termine en 6e (collège) et le cycle 1 ne fait pas partie du LSU"
                ),
                Degree::D2 => format!(
                    "cycle « {raw} » : dans un fichier du 2nd degré, le cycle d'un bilan de fin de cycle vaut 3 (fin de 6e) ou 4 (fin de 3e)"
                ),
            };
            out.push(ctx.at_attr(*bilan, "cycle", Code::C003, msg));
            continue;
        }
        if degree != Degree::D2 {
            continue;
        }
        let Some(eleve) = ctx.lsu.eleve_of(*bilan) else {
            continue;
        };
        let siecle = eleve
            .attribute("id-be")
            .and_then(|id| ctx.refdata.siecle.as_ref()?.eleve(id))
            .and_then(|e| Some((e.code_mef.as_deref()?, ctx.refdata.siecle.as_ref()?)));
        let (expected, because) = if let Some((mef, s)) = siecle {
            let expected = match mef.get(..3) {
                Some("100") => "3",
                Some("103") => "4",
                // Siècle knows the level: the division code's guess does not apply.
                _ => continue,
            };
            let level = if expected == "3" { "6e" } else { "3e" };
            (
                expected,
                format!(
                    "un élève de {level} (MEF {mef} dans Siècle ElevesSansAdresses ({}))",
                    s.path
                ),
            )
        } else {
            let Some(division) = eleve.attribute("code-division") else {
                continue;
            };
            let expected = match division_level(division) {
                Some(6) => "3",
                Some(3) => "4",
                _ => continue,
            };
            let level = if expected == "3" { "6e" } else { "3e" };
            (
                expected,
                format!("un élève de la division « {division} » ({level})"),
            )
        };
        if cycle != expected {
            out.push(
                ctx.at_attr(
                    *bilan,
                    "cycle",
                    Code::C003,
                    format!(
                        "bilan de fin de cycle {cycle} pour {because} : le bilan de fin de cycle 3 se fait en 6e et celui du cycle 4 en 3e ; attendu cycle=\"{expected}\" (vérifier le cycle ou le niveau de l'élève)"
                    ),
                )
                .with_kind("cycle-niveau"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::division_level;

    #[test]
    fn division_levels() {
        assert_eq!(division_level("6A"), Some(6));
        assert_eq!(division_level("6EME2"), Some(6));
        assert_eq!(division_level("601"), Some(6));
        assert_eq!(division_level("3B"), Some(3));
        assert_eq!(division_level("3"), Some(3));
        assert_eq!(division_level("302"), Some(3));
        assert_eq!(division_level("30"), None);
        assert_eq!(division_level("3012"), None);
        assert_eq!(division_level("4A"), None);
        assert_eq!(division_level("SEGPA3"), None);
        assert_eq!(division_level(""), None);
    }
}
