//! T002 enseignant-unknown-in-sts (2D, STS): the (`type`, `id-sts`) of each `enseignant` must be
//! an STS-Web person (INDIVIDU or SUPPLEANT), and the name should be that person's. Unsafe fix:
//! take `id-sts` and `type` from STS when civilité, nom and prénom designate exactly one person.

use super::{positive_integer, xs_trim};
use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::refdata::sts::{Individu, Sts};
use crate::rules::{Ctx, Rule};
use crate::util::{escape_attr, fold};

pub static RULE: Rule = Rule {
    code: Code::T002,
    degree: Some(Degree::D2),
    check,
};

/// The variants of T002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "identifiant-different",
        title: "identifiant STS-Web de l'enseignant erroné dans le logiciel (personne connue de STS-Web sous son nom)",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, relier l'enseignant à sa fiche STS-Web (identifiant et type), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "absent-de-sts",
        title: "enseignant introuvable dans STS-Web",
        agir: Agir::Sts,
        action: "Faire ajouter l'enseignant (contractuel, remplaçant…) dans STS-Web, puis importer STS-Web à nouveau dans le logiciel de vie scolaire et exporter à nouveau.",
    },
];

/// The LSU `type` to write for an STS person (`eppsup` replacements and `dir` are `epp` for
/// LSU, as exporters write them).
fn lsu_type(ind: &Individu) -> &str {
    match ind.type_.as_deref().map(str::trim) {
        Some(t) if t.eq_ignore_ascii_case("local") => "local",
        Some(t) if t.eq_ignore_ascii_case("autre") => "autre",
        _ => "epp",
    }
}

/// Whether the file's `type` designates this STS person's type.
fn type_matches(file: &str, ind: &Individu) -> bool {
    let sts = ind.type_.as_deref().map(str::trim).unwrap_or("");
    file.eq_ignore_ascii_case(sts) || file.eq_ignore_ascii_case(lsu_type(ind))
}

/// Whether the file's civilité / nom / prénom fit this person (absent values do not count).
fn name_matches(civ: Option<&str>, nom: &str, prenom: Option<&str>, ind: &Individu) -> bool {
    let nom_ok = [&ind.nom_usage, &ind.nom_patronymique]
        .into_iter()
        .flatten()
        .any(|n| fold(n) == fold(nom));
    let prenom_ok = match (prenom.map(fold).filter(|p| !p.is_empty()), &ind.prenom) {
        (Some(p), Some(q)) => p == fold(q),
        _ => true,
    };
    let civ_ok = match (civ, ind.civilite_lsu()) {
        (Some(c), Some(s)) => c.eq_ignore_ascii_case(s),
        _ => true,
    };
    nom_ok && prenom_ok && civ_ok
}

fn who(ind: &Individu) -> String {
    let nom = ind.nom().unwrap_or("?");
    let prenom = ind.prenom.as_deref().unwrap_or("");
    let t = ind.type_.as_deref().unwrap_or("?");
    format!("{} {prenom} (ID {}, TYPE {t})", nom, ind.id)
        .replace("  ", " ")
        .trim()
        .to_string()
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(sts) = ctx.refdata.sts.as_ref() else {
        return;
    };
    for ens in &ctx.lsu.enseignants {
        let Some(raw) = ens.attribute("id-sts") else {
            continue;
        };
        if positive_integer(raw).is_none() {
            continue; // T001's
        }
        let id_sts = xs_trim(raw);
        let typ = ens.attribute("type").map(xs_trim).unwrap_or("");
        let civ = ens.attribute("civilite").map(xs_trim);
        let nom = ens.attribute("nom").map(xs_trim).unwrap_or("");
        let prenom = ens.attribute("prenom").map(xs_trim);
        let id = ens.attribute("id").unwrap_or("?");
        let shown = format!("{} {}", nom, prenom.unwrap_or(""))
            .trim()
            .to_string();
        let by_id = sts.individus_by_id(id_sts);
        let same_type: Vec<&Individu> = by_id
            .iter()
            .copied()
            .filter(|i| type_matches(typ, i))
            .collect();
        let problem = if by_id.is_empty() {
            let fabricated = if id_sts.starts_with("999") {
                " ; il ressemble à un identifiant fabriqué par le logiciel (numéro interne complété par des 9)"
            } else {
                ""
            };
            format!("id-sts « {id_sts} » n'existe pas dans STS-Web{fabricated}")
        } else if same_type.is_empty() {
            let types: Vec<String> = by_id.iter().map(|i| who(i)).collect();
            format!(
                "id-sts « {id_sts} » existe dans STS-Web mais avec un autre type que « {typ} » : {}",
                types.join(", ")
            )
        } else if !nom.is_empty() && !same_type.iter().any(|i| name_matches(None, nom, None, i)) {
            format!(
                "id-sts « {id_sts} » désigne dans STS-Web {}, pas « {shown} » (identifiant périmé ou d'une autre personne ?)",
                who(same_type[0])
            )
        } else {
            continue;
        };
        let candidates: Vec<&Individu> = if nom.is_empty() {
            Vec::new()
        } else {
            sts.individus_by_name(nom)
                .into_iter()
                .filter(|i| name_matches(civ, nom, prenom, i))
                .collect()
        };
        let hint = match candidates.as_slice() {
            [] => " ; aucune personne de ce nom dans STS-Web : mettez STS-Web à jour (contractuel, remplaçant arrivé après l'export), réimportez-le dans le logiciel et refaites l'export".to_string(),
            [one] if crate::refdata::read::id_key(&one.id) == crate::refdata::read::id_key(id_sts) => {
                format!(" ; écrivez type=\"{}\" comme dans STS-Web", lsu_type(one))
            }
            [one] => format!(" ; STS-Web connaît « {shown} » sous {}", who(one)),
            many => format!(
                " ; plusieurs personnes de STS-Web portent ce nom ({}) : choisissez la bonne dans le logiciel",
                many.iter().map(|i| who(i)).collect::<Vec<_>>().join(", ")
            ),
        };
        // Nobody of that name in STS-Web (and not a mere type mismatch on a known id): the
        // person is missing from STS-Web, not only from the software's link.
        let wrong_type = !by_id.is_empty() && same_type.is_empty();
        let kind = if candidates.is_empty() && !wrong_type {
            "absent-de-sts"
        } else {
            "identifiant-different"
        };
        let mut d = ctx.at_attr(
            *ens,
            "id-sts",
            Code::T002,
            format!(
                "enseignant « {id} » ({shown}) : {problem} ({}){hint} ; LSU importera les bilans avec une alerte « enseignant inconnu »",
                file_label(sts)
            ),
        )
        .with_kind(kind);
        if let [one] = candidates.as_slice() {
            d = fix_for(d, *ens, one, id_sts, typ);
        }
        out.push(d);
    }
}

fn file_label(sts: &Sts) -> String {
    format!("fichier STS-Web {}", sts.path)
}

fn fix_for(
    d: Diagnostic,
    ens: crate::xml::Node,
    ind: &Individu,
    id_sts: &str,
    typ: &str,
) -> Diagnostic {
    let new_type = lsu_type(ind);
    let mut edits = Vec::new();
    let mut parts = Vec::new();
    if crate::refdata::read::id_key(id_sts) != crate::refdata::read::id_key(&ind.id) {
        if let Some((s, e)) = model::attr_value_range(ens, "id-sts") {
            edits.push(Edit::replace(s, e, escape_attr(ind.id.trim(), '"')));
            parts.push(format!("id-sts {id_sts} par {}", ind.id.trim()));
        }
    }
    if typ != new_type {
        if let Some((s, e)) = model::attr_value_range(ens, "type") {
            edits.push(Edit::replace(s, e, new_type));
            parts.push(format!("type {typ} par {new_type}"));
        }
    }
    if edits.is_empty() {
        return d;
    }
    d.with_fix(Fix::unsafe_(
        format!("Remplacer {} (personne de STS-Web)", parts.join(" et ")),
        edits,
    ))
}
