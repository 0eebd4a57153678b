//! B001 mixed-degree-or-school (file part): one file carries one degree and one school. The
//! degree signals that make the file unreadable are S001's (`model::detect_version`); here, the
//! other traces of the other degree — 2nd-degree sections in a 1D file, the other degree's
//! attributes on bilans — and maternelle classes, which have no LSU livret (SACoche refuses
//! them). Whether every pupil belongs to the header's school comes with Siècle/ONDE.
//! Suggest only: export each degree (and each school) separately.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::rules::{Ctx, Rule};
use crate::util::fold;

pub static RULE: Rule = Rule {
    code: Code::B001,
    degree: None,
    check,
};

/// The variants of B001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "degres-melanges",
        title: "fichier mêlant le 1er et le 2nd degré",
        agir: Agir::Logiciel,
        action: "Exporter séparément l'école et le collège depuis le logiciel, chacun au format LSU de son degré.",
    },
    KindMeta {
        slug: "classe-maternelle",
        title: "classe de maternelle dans l'export",
        agir: Agir::Logiciel,
        action: "Retirer de l'export les classes de maternelle et leurs élèves dans le logiciel (le livret LSU commence au CP), puis exporter à nouveau.",
    },
];

/// `donnees` sections that only exist in the 2nd-degree format.
const SECTIONS_2D: &[&str] = &[
    "disciplines",
    "epis-thematiques",
    "epis",
    "epis-groupes",
    "acc-persos",
    "acc-persos-groupes",
    "vies-scolaires-communs",
    "competences-numeriques-communs",
];

/// Bilan attributes of one degree only.
const BILAN_ATTRS_1D: &[&str] = &["directeur-ref", "enseignant-refs"];
const BILAN_ATTRS_2D: &[&str] = &[
    "responsable-etab-ref",
    "date-conseil-classe",
    "prof-princ-refs",
];

/// A maternelle level in a class label (« GS A », « Moyenne section », « PS-MS »).
fn maternelle_level(label: &str) -> Option<&'static str> {
    let f = fold(label);
    for phrase in [
        "toute petite section",
        "petite section",
        "moyenne section",
        "grande section",
        "maternelle",
    ] {
        if f.contains(phrase) {
            return Some("maternelle");
        }
    }
    let tokens = f.split(|c: char| !c.is_alphanumeric());
    for t in tokens {
        match t {
            "tps" => return Some("TPS"),
            "ps" => return Some("PS"),
            "ms" => return Some("MS"),
            "gs" => return Some("GS"),
            _ => {}
        }
    }
    None
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(degree) = ctx.version.degree else {
        return;
    };
    let (foreign_attrs, other) = match degree {
        Degree::D1 => (BILAN_ATTRS_2D, "2nd degré (collège)"),
        Degree::D2 => (BILAN_ATTRS_1D, "1er degré (école)"),
    };
    if degree == Degree::D1 {
        if let Some(donnees) = ctx.lsu.donnees {
            for section in donnees.children().filter(|n| n.is_element()) {
                let name = section.tag_name().name();
                if SECTIONS_2D.contains(&name) {
                    out.push(ctx.at_node(
                        section,
                        Code::B001,
                        format!(
                            "section « {name} » propre au {other} dans un fichier du 1er degré : un fichier LSU ne contient qu'un degré, LSU le refusera ; exporter séparément l'école et le collège"
                        ),
                    ));
                }
            }
        }
        for &classe in &ctx.lsu.classes {
            let label = classe.attribute("libelle").unwrap_or("");
            if let Some(level) = maternelle_level(label) {
                out.push(
                    ctx.at_attr(
                        classe,
                        "libelle",
                        Code::B001,
                        format!(
                            "classe « {label} » de maternelle ({level}) : le livret scolaire LSU commence au CP, les classes de maternelle ne s'exportent pas ; retirer cette classe et ses élèves de l'export"
                        ),
                    )
                    .with_kind("classe-maternelle"),
                );
            }
        }
    }
    // Bilan attributes of the other degree: one finding per attribute name, on its first bilan.
    for attr in foreign_attrs {
        let mut bilans = ctx.lsu.all_bilans().filter(|b| b.has_attribute(*attr));
        let Some(first) = bilans.next() else {
            continue;
        };
        let n = 1 + bilans.count();
        out.push(ctx.at_attr(
            first,
            attr,
            Code::B001,
            format!(
                "attribut « {attr} » du {other} sur {n} bilan{} : le fichier mêle les deux formats, LSU le refusera ; exporter avec le format de ce degré",
                if n > 1 { "s" } else { "" }
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::maternelle_level;

    #[test]
    fn maternelle_labels() {
        assert_eq!(maternelle_level("GS A"), Some("GS"));
        assert_eq!(maternelle_level("PS-MS"), Some("PS"));
        assert_eq!(maternelle_level("Grande Section"), Some("maternelle"));
        assert_eq!(maternelle_level("CE2 A"), None);
        assert_eq!(maternelle_level("CM1-CM2 Mme Gsell"), None);
        assert_eq!(maternelle_level(""), None);
    }
}
