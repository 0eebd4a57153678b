//! D002 conseil-date-inconsistent (2D): a class-council date earlier than the schooling date
//! (the pupil arrived after the council: the bilan should not exist), or in the future.
//! A missing `date-conseil-classe` is a schema error (S003); a malformed one is S005.

use super::common::{iso, parse_date};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::model::Degree;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::D002,
    degree: Some(Degree::D2),
    check,
};

/// The variants of D002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "conseil-avant-scolarite",
        title: "conseil de classe antérieur à la date de scolarité",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, corriger la date du conseil de classe ou la date d'arrivée de l'élève (un élève arrivé après le conseil n'a pas de bilan pour cette période), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "conseil-futur",
        title: "date du conseil de classe dans le futur",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, saisir la date réelle du conseil de classe, puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for &bilan in &ctx.lsu.bilans_periodiques {
        let Some(conseil) = bilan.attribute("date-conseil-classe").and_then(parse_date) else {
            continue;
        };
        let scol = bilan.attribute("date-scolarite").and_then(parse_date);
        let (kind, msg) = if let Some(scol) = scol.filter(|s| conseil < *s) {
            let msg = format!(
                "date du conseil de classe {} antérieure à la date de scolarité {} : l'élève est arrivé après le conseil, LSU risque de rejeter ce bilan ; corriger l'une des deux dates (ou ne pas exporter ce bilan)",
                iso(conseil),
                iso(scol)
            );
            ("conseil-avant-scolarite", msg)
        } else if conseil > ctx.today {
            let msg = format!(
                "date du conseil de classe {} postérieure à la date du jour ({}) : date saisie par avance ou erronée ; corriger la date du conseil dans le logiciel d'origine",
                iso(conseil),
                iso(ctx.today)
            );
            ("conseil-futur", msg)
        } else {
            continue;
        };
        out.push(
            ctx.at_attr(bilan, "date-conseil-classe", Code::D002, msg)
                .with_kind(kind),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::dates::common::test_support::*;

    #[test]
    fn council_before_schooling_or_in_future() {
        let ok = run(&file_2d("2025", "2025-09-01", "2025-12-04"), "2026-01-15");
        assert!(of(&ok, Code::D002).is_empty());
        // Same day is fine.
        let ok = run(&file_2d("2025", "2025-12-04", "2025-12-04"), "2026-01-15");
        assert!(of(&ok, Code::D002).is_empty());
        let bad = run(&file_2d("2025", "2025-12-05", "2025-12-04"), "2026-01-15");
        assert_eq!(of(&bad, Code::D002).len(), 1);
        let future = run(&file_2d("2025", "2025-09-01", "2025-12-04"), "2025-12-03");
        assert_eq!(of(&future, Code::D002).len(), 1);
        let today = run(&file_2d("2025", "2025-09-01", "2025-12-04"), "2025-12-04");
        assert!(of(&today, Code::D002).is_empty());
    }
}
