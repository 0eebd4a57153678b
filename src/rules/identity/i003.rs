//! I003 ★ division-unknown-in-siecle (2D): `eleve/@code-division` must be a division code of the
//! reference data — a Siècle structure of type D or an STS-Web division (exact string: spaces and
//! case matter). LSU rejects every bilan of a pupil whose division it does not know: one finding
//! per bilan of the pupils concerned, or one on the pupil when it has no bilan.
//!
//! A known division that is not the pupil's own Siècle division is a change of class (B003),
//! not an unknown code. The message names the pupil's Siècle division when there is one, else
//! the nearest known codes. Fix (unsafe): replace the code by the pupil's Siècle division when he
//! has exactly one; when every pupil of that code gets the same replacement, the common blocks
//! (`parcours-commun`, `vie-scolaire-commun`) of that code are renamed too.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::{BTreeSet, HashMap};

use super::common::{eleve_label, nearest, quoted_list, report_per_bilan, PupilProblem};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{attr_value_range, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::I003,
    degree: Some(Degree::D2),
    check,
};

/// The variants of I003 (`kind`), with where to act and what to do.
/// One cause for every unknown code: the classes were renamed or truncated in the vendor
/// software, whatever the code.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "division-unknown-in-siecle",
    title: "code de division inconnu de Siècle",
    agir: Agir::Logiciel,
    action: "Dans le logiciel de vie scolaire, donner à chaque classe exactement le code de division de Siècle (mêmes espaces, mêmes majuscules), puis exporter à nouveau.",
}];

/// The reference files that list divisions, for messages.
fn sources(ctx: &Ctx) -> String {
    let mut v = Vec::new();
    if let Some(s) = &ctx.refdata.siecle {
        v.push(format!("Siècle ElevesSansAdresses ({})", s.path));
    }
    if let Some(s) = &ctx.refdata.sts {
        v.push(format!("STS-Web sts_emp ({})", s.path));
    }
    v.join(" et ")
}

/// The cause's title with the reference data it was checked against (never the code itself,
/// which differs from pupil to pupil and stays in the message).
fn group(ctx: &Ctx) -> String {
    let from = match (&ctx.refdata.siecle, &ctx.refdata.sts) {
        (Some(_), Some(_)) => "Siècle et de STS-Web",
        (None, Some(_)) => "STS-Web",
        _ => "Siècle",
    };
    format!("code de division inconnu de {from}")
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let known: BTreeSet<&str> = ctx
        .refdata
        .siecle
        .iter()
        .flat_map(|s| s.divisions.iter())
        .chain(
            ctx.refdata
                .sts
                .iter()
                .flat_map(|s| s.divisions.iter().map(|d| &d.code)),
        )
        .map(String::as_str)
        .collect();
    let from = sources(ctx);
    let group = group(ctx);
    // Nearest codes, computed once per unknown code.
    let mut nearest_cache: HashMap<&str, Vec<&str>> = HashMap::new();
    // Unknown code → the replacements proposed for its pupils (None: a pupil without one).
    let mut targets: HashMap<&str, Vec<Option<String>>> = HashMap::new();
    let mut problems: HashMap<usize, (PupilProblem, &str)> = HashMap::new();
    for &eleve in &ctx.lsu.eleves {
        // Missing or empty: the schema's (S003/S005).
        let Some(code) = eleve.attribute("code-division").filter(|c| !c.is_empty()) else {
            continue;
        };
        if ctx.refdata.is_known_division(code) {
            continue;
        }
        let own: Vec<&str> = match (&ctx.refdata.siecle, eleve.attribute("id-be")) {
            (Some(s), Some(id)) => s
                .eleve(id)
                .map(|e| e.divisions.iter().map(String::as_str).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut message = format!(
            "{} : division « {code} » inconnue dans {from} : LSU rejettera ce bilan (élève non inscrit dans cette division) ; code-division doit être le code exact de la division",
            eleve_label(eleve)
        );
        let target = match own.as_slice() {
            [one] => {
                message.push_str(&format!(" ; dans Siècle, l'élève est en « {one} »"));
                Some(one.to_string())
            }
            [] => {
                let near = nearest_cache
                    .entry(code)
                    .or_insert_with(|| nearest(code, known.iter().copied(), 3));
                if !near.is_empty() {
                    message.push_str(&format!(
                        " ; divisions connues les plus proches : {}",
                        quoted_list(near)
                    ));
                }
                None
            }
            many => {
                message.push_str(&format!(
                    " ; dans Siècle, l'élève est dans les divisions {} (changement de classe : voir B003)",
                    quoted_list(many)
                ));
                None
            }
        };
        let fix = target.as_ref().and_then(|t| {
            let (s, e) = attr_value_range(eleve, "code-division")?;
            Some(Fix::unsafe_(
                format!("Remplacer la division « {code} » de l'élève par « {t} » (Siècle)"),
                vec![Edit::replace(s, e, t.clone())],
            ))
        });
        targets.entry(code).or_default().push(target);
        problems.insert(
            eleve.range().start,
            (
                PupilProblem {
                    message,
                    group: Some(group.clone()),
                    fix,
                },
                code,
            ),
        );
    }
    rename_common_blocks(ctx, &targets, &mut problems);
    report_per_bilan(
        ctx,
        out,
        Code::I003,
        "code-division",
        problems.into_iter().map(|(k, (p, _))| (k, p)).collect(),
    );
}

/// When every pupil of an unknown code is moved to the same division, the common blocks of that
/// code follow (else they would be orphans, R006): their edits join the first pupil's fix.
fn rename_common_blocks(
    ctx: &Ctx,
    targets: &HashMap<&str, Vec<Option<String>>>,
    problems: &mut HashMap<usize, (PupilProblem, &str)>,
) {
    let Some(donnees) = ctx.lsu.donnees else {
        return;
    };
    for (code, ts) in targets {
        let Some(Some(t)) = ts.first() else {
            continue;
        };
        if ts.iter().any(|x| x.as_ref() != Some(t)) {
            continue;
        }
        let edits: Vec<Edit> = donnees
            .descendants()
            .filter(|n| {
                matches!(
                    n.tag_name().name(),
                    "parcours-commun" | "vie-scolaire-commun"
                ) && n.attribute("code-division") == Some(*code)
            })
            .filter_map(|n| attr_value_range(n, "code-division"))
            .map(|(s, e)| Edit::replace(s, e, t.clone()))
            .collect();
        if edits.is_empty() {
            continue;
        }
        // The first pupil (in document order) of that code carries them.
        let first = ctx
            .lsu
            .eleves
            .iter()
            .map(|e| e.range().start)
            .find(|k| problems.get(k).is_some_and(|(_, c)| c == code));
        if let Some((p, _)) = first.and_then(|k| problems.get_mut(&k)) {
            if let Some(f) = &mut p.fix {
                f.edits.extend(edits);
                f.title
                    .push_str(" (et les blocs communs de cette division)");
            }
        }
    }
}
