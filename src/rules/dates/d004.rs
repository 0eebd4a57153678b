//! D004 periodicity-mismatch: the period's `nb-periodes` must match the periodicity of the
//! pupil's class in LSU (settings `[classes."X"].periodicite`, else `[defaut]`: trimestre 3,
//! semestre 2, bimestre 4, periode-5 5). LSU rejects the bilan (« Veuillez effectuer le
//! paramétrage des périodes pour la classe »): one finding per bilan concerned. The class is the
//! 2D `code-division` or the 1D `classe/@id-be`. A class with no periodicity in the settings is
//! not checked (the indice range is D008's). Suggest only: the periodicity is an LSU setting.

use super::common::periode_of;
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::D004,
    degree: None,
    check,
};

/// The variants of D004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "periodicity-mismatch",
    title: "nombre de périodes différent de la périodicité de la classe dans LSU",
    agir: Agir::Lsu,
    action: "Dans LSU, attacher à la classe la périodicité utilisée par le logiciel (trimestres, semestres…) avant l'import, ou exporter depuis le logiciel avec la périodicité de LSU.",
}];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(settings) = &ctx.refdata.settings else {
        return;
    };
    for &bilan in &ctx.lsu.bilans_periodiques {
        let Some(periode) = periode_of(ctx.lsu, bilan) else {
            continue;
        };
        let Some(nb) = periode
            .attribute("nb-periodes")
            .and_then(|n| n.trim().parse::<u32>().ok())
        else {
            continue;
        };
        let Some(classe) = ctx
            .lsu
            .eleve_of(bilan)
            .and_then(|e| ctx.lsu.division_of_eleve(e))
        else {
            continue;
        };
        let Some(p) = settings.class(classe).periodicite else {
            continue;
        };
        if p.nb_periodes() == nb {
            continue;
        }
        let from = settings.origin_fr(settings.has_class(classe).then_some(classe));
        let pid = periode.attribute("id").unwrap_or("?");
        out.push(
            ctx.at_attr(
                bilan,
                "periode-ref",
                Code::D004,
                format!(
                    "période {pid} en {nb} périodes (nb-periodes=\"{nb}\"), mais la classe « {classe} » est paramétrée dans LSU en {} périodes (« {} », {from}) : LSU rejettera ce bilan (« Veuillez effectuer le paramétrage des périodes pour la classe ») ; aligner la périodicité de la classe dans LSU ou dans le logiciel d'origine",
                    p.nb_periodes(),
                    p.as_str(),
                ),
            )
            .with_group(format!(
                "nombre de périodes différent de la périodicité de la classe dans LSU ({nb} périodes dans le fichier, « {} » dans LSU)",
                p.as_str()
            )),
        );
    }
}
