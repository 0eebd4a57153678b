//! P001 scale-mismatch-with-lsu-settings (2D, settings): the evaluation mode of each bilan (any
//! `moyenne-eleve` → notes sur 20; else any `positionnement` → échelle/objectifs) against the
//! class's positioning type in LSU (`[classes."X"]`, else `[defaut]`, else LSU's own default:
//! notes sur 20). LSU rejects the bilans of a class exported in the other mode. One finding per
//! bilan concerned, grouped per class and mode. Suggest only (converting notes ↔ levels is not
//! a meaning-preserving edit).

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::{self, Degree};
use crate::refdata::settings::Positionnement;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::P001,
    degree: Some(Degree::D2),
    check,
};

/// The variants of P001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: ECHELLE_NOTES,
        title: "positionnements exportés pour une classe réglée en notes sur 20 dans LSU",
        agir: Agir::Lsu,
        action: "Dans LSU, régler le positionnement de la classe sur l'échelle (ou les objectifs) utilisée par le logiciel avant d'importer : LSU remet les classes en notes sur 20 à chaque rentrée.",
    },
    KindMeta {
        slug: NOTES_ECHELLE,
        title: "notes sur 20 exportées pour une classe réglée en positionnement dans LSU",
        agir: Agir::Lsu,
        action: "Dans LSU, régler la classe en notes sur 20 avant d'importer, ou exporter la classe en positionnement depuis le logiciel de vie scolaire.",
    },
];

/// The file has positionnements, LSU expects notes (LSU's yearly reset: the common case).
const ECHELLE_NOTES: &str = "echelle-notes";
/// The file has notes, LSU expects a positioning scale.
const NOTES_ECHELLE: &str = "notes-echelle";

fn setting_fr(p: Positionnement) -> &'static str {
    match p {
        Positionnement::Notes => "notes sur 20",
        Positionnement::Echelle => "positionnement sur une échelle (1 à 4)",
        Positionnement::Objectifs => "positionnement par objectifs d'apprentissage",
    }
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(settings) = ctx.refdata.settings.as_ref() else {
        return;
    };
    for bilan in &ctx.lsu.bilans_periodiques {
        let Some(division) = ctx
            .lsu
            .eleve_of(*bilan)
            .and_then(|e| ctx.lsu.division_of_eleve(e))
        else {
            continue;
        };
        let acquis = model::items(Some(*bilan), "liste-acquis", "acquis");
        let notes = acquis
            .iter()
            .filter(|a| a.has_attribute("moyenne-eleve"))
            .count();
        let positions = acquis
            .iter()
            .filter(|a| a.has_attribute("positionnement"))
            .count();
        let file_notes = if notes > 0 {
            true
        } else if positions > 0 {
            false
        } else {
            continue; // nothing evaluated: no mode to compare
        };
        let cs = settings.class(division);
        let (setting, from) = match cs.positionnement {
            Some(p) if settings.classes.get(division).and_then(|c| c.positionnement).is_some() => {
                (p, settings.origin_fr(Some(division)))
            }
            Some(p) => (p, settings.origin_fr(None)),
            None => (
                Positionnement::Notes,
                format!(
                    "les paramètres LSU fournis ({}) ne donnent pas de positionnement pour cette classe : le réglage par défaut de LSU s'applique, notes sur 20",
                    settings.path
                ),
            ),
        };
        let setting_notes = setting == Positionnement::Notes;
        if file_notes == setting_notes {
            continue;
        }
        let file_mode = if file_notes {
            format!("des moyennes sur 20 (notes, {notes} acquis)")
        } else {
            format!("des positionnements (1 à 4, {positions} acquis) sans moyenne")
        };
        let advice = if file_notes {
            "réglez la classe dans LSU en « notes sur 20 » (et indiquez-le dans les paramètres LSU donnés à lsu-lint), ou exportez la classe en positionnement depuis le logiciel"
        } else {
            "réglez la classe dans LSU en positionnement (échelle ou objectifs) avant l'import, puis indiquez-le dans les paramètres LSU donnés à lsu-lint"
        };
        let msg = format!(
            "division « {division} » : le bilan exporte {file_mode}, mais la classe est réglée dans LSU en « {} » ({from}) ; LSU rejettera ce bilan. Rappel : LSU remet les classes du 2nd degré en « notes sur 20 » à chaque nouvelle année scolaire ; {advice}",
            setting_fr(setting)
        );
        // The class is shared by its bilans (and named by an I003 cause that masks them).
        let (kind, group) = if file_notes {
            (
                NOTES_ECHELLE,
                format!(
                    "notes sur 20 exportées pour une classe réglée dans LSU en « {} » (division {division})",
                    setting_fr(setting)
                ),
            )
        } else {
            (
                ECHELLE_NOTES,
                format!(
                    "positionnements exportés pour une classe réglée en notes sur 20 dans LSU (division {division})"
                ),
            )
        };
        out.push(
            ctx.at_node(*bilan, Code::P001, msg)
                .with_kind(kind)
                .with_division(division)
                .with_group(group),
        );
    }
}
