//! L001 class-not-in-import-editeur (settings): a class of the file whose data source in LSU is
//! « saisie » (manual entry) does not accept imports: LSU reports « paramétrage incohérent » and
//! imports none of its bilans. One finding per bilan of such a class, grouped per class.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::refdata::settings::Source;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::L001,
    degree: None,
    check,
};

/// The variants of L001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "class-not-in-import-editeur",
        title: "classe paramétrée en saisie manuelle dans LSU",
        agir: Agir::Lsu,
        action: "Dans LSU, le directeur ou le chef d'établissement passe la source de données de la classe à « Import(s) éditeur(s) », puis importe de nouveau le fichier.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(settings) = ctx.refdata.settings.as_ref() else {
        return;
    };
    let one_d = ctx.version.degree == Some(crate::model::Degree::D1);
    for bilan in ctx.lsu.all_bilans() {
        let Some(division) = ctx
            .lsu
            .eleve_of(bilan)
            .and_then(|e| ctx.lsu.division_of_eleve(e))
        else {
            continue;
        };
        if settings.class(division).source != Some(Source::Saisie) {
            continue;
        }
        let explicit = settings
            .classes
            .get(division)
            .and_then(|c| c.source)
            .is_some();
        let from = settings.origin_fr(explicit.then_some(division));
        let what = if one_d {
            "la classe (identifiant ONDE)"
        } else {
            "la division"
        };
        let msg = format!(
            "{what} « {division} » est paramétrée en saisie manuelle dans LSU ({from}) : LSU n'importe pas les bilans d'une classe qui n'est pas en « Import(s) éditeur(s) » (« paramétrage incohérent ») et ce bilan ne sera pas importé. Dans LSU, passez la source de données de la classe à « Import(s) éditeur(s) », puis mettez à jour les paramètres LSU donnés à lsu-lint"
        );
        out.push(
            ctx.at_node(bilan, Code::L001, msg)
                .with_division(division)
                .with_group(format!("classe {division} en saisie manuelle dans LSU")),
        );
    }
}
