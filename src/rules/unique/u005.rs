//! U005 unique-key-violation: the schema's unique keys not covered by U001–U004 (`lsu-format.md`
//! §3.6 for 2D, §4 for 1D), plus disciplines sharing (code, modalité) without `id-lv`: the 7.0
//! and 10.0 keys include the optional `id-lv`, so the schema stops checking those, while the
//! 2020 schema rejects them and LSU cannot tell the two disciplines apart.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::xml::Node;

use crate::diagnostic::Diagnostic;
use crate::model::{child, children, Degree};
use crate::rules::helpers::Lines;
use crate::rules::unique::{duplicate_finding, find_duplicates};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::U005,
    degree: None,
    check,
};

/// The variants of U005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "doublon-different",
        title: "donnée en double là où le format exige une valeur unique",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, supprimer ou distinguer la donnée en double (période, parcours, composante du socle…), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "doublon-identique",
        title: "donnée répétée à l'identique là où le format exige une valeur unique",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui supprime la répétition identique.",
    },
];

/// A key: the items `path/item` under a scope, identified by `fields` (all required for the
/// key to apply, except those listed in `optional`, which count as empty when absent).
struct Key {
    path: &'static [&'static str],
    item: &'static str,
    fields: &'static [&'static str],
    optional: &'static [&'static str],
    what: &'static str,
}

const fn key(
    path: &'static [&'static str],
    item: &'static str,
    fields: &'static [&'static str],
    what: &'static str,
) -> Key {
    Key {
        path,
        item,
        fields,
        optional: &[],
        what,
    }
}

/// Keys of the `donnees` level, 2D. Keys that a dedicated rule reports are left to it, so one
/// problem gets one code: responsable-etab libellé and 1D directeurs → T007, disciplines and an
/// acquis repeated for one discipline → M003, enseignants → T008.
const DONNEES_2D: &[Key] = &[
    key(
        &["periodes"],
        "periode",
        &["millesime", "indice", "nb-periodes"],
        "période de même millésime, indice et nombre de périodes",
    ),
    key(
        &["parcours-communs"],
        "parcours-commun",
        &["periode-ref", "code-division"],
        "parcours commun pour la même période et la même division",
    ),
    key(
        &["vies-scolaires-communs"],
        "vie-scolaire-commun",
        &["periode-ref", "code-division"],
        "vie scolaire commune pour la même période et la même division",
    ),
    key(
        &["epis-thematiques"],
        "epi-thematique",
        &["code"],
        "thématique d'EPI de même code",
    ),
];

/// Keys of the `donnees` level, 1D.
const DONNEES_1D: &[Key] = &[
    key(
        &["classes"],
        "classe",
        &["id-be"],
        "classe de même identifiant ONDE id-be",
    ),
    key(
        &["periodes"],
        "periode",
        &[
            "millesime",
            "indice",
            "nb-periodes",
            "date-debut",
            "date-fin",
        ],
        "période de mêmes millésime, indice, nombre de périodes et dates",
    ),
    key(
        &["parcours-communs"],
        "parcours-commun",
        &["periode-ref", "classe-ref"],
        "parcours commun pour la même période et la même classe",
    ),
];

/// Keys inside one periodic bilan (both degrees: each element exists in one degree only, except
/// `acquis`, keyed by discipline in 2D and by domain in 1D).
const BILAN_P: &[Key] = &[
    key(
        &["liste-acquis"],
        "acquis",
        &["code-domaine"],
        "acquis pour le même domaine",
    ),
    key(
        &["competences-numeriques"],
        "competence-num",
        &["code"],
        "compétence numérique de même code",
    ),
    key(
        &["epis-eleve"],
        "epi-eleve",
        &["epi-groupe-ref"],
        "participation au même groupe d'EPI",
    ),
    key(
        &["acc-persos-eleve"],
        "acc-perso-eleve",
        &["acc-perso-groupe-ref"],
        "participation au même groupe d'accompagnement personnalisé",
    ),
    key(
        &["liste-parcours"],
        "parcours",
        &["code"],
        "parcours de même code",
    ),
    key(
        &["modalites-accompagnement"],
        "modalite-accompagnement",
        &["code"],
        "modalité d'accompagnement de même code",
    ),
    key(
        &["socle"],
        "domaine",
        &["code"],
        "composante du socle de même code",
    ),
];

const BILAN_C: &[Key] = &[key(
    &["socle"],
    "domaine",
    &["code"],
    "composante du socle de même code",
)];

const PARCOURS_COMMUN: Key = key(
    &[],
    "parcours",
    &["code"],
    "parcours de même code dans le même bloc commun",
);
const SOUS_DOMAINES: Key = key(
    &["sous-domaines"],
    "sous-domaine",
    &["code-domaine"],
    "sous-domaine de même code",
);

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(donnees) = ctx.lsu.donnees else {
        return;
    };
    let lines = Lines::new(ctx.text);
    let d1 = ctx.version.degree == Some(Degree::D1);
    let top = if d1 { DONNEES_1D } else { DONNEES_2D };
    for k in top {
        check_key(ctx, &lines, donnees, k, out);
    }
    if let Some(pc) = child(donnees, "parcours-communs") {
        for block in children(pc, "parcours-commun") {
            check_key(ctx, &lines, block, &PARCOURS_COMMUN, out);
        }
    }
    for b in &ctx.lsu.bilans_periodiques {
        for k in BILAN_P {
            check_key(ctx, &lines, *b, k, out);
        }
        if let Some(la) = child(*b, "liste-acquis") {
            for a in children(la, "acquis") {
                check_key(ctx, &lines, a, &SOUS_DOMAINES, out);
            }
        }
    }
    for b in &ctx.lsu.bilans_cycle {
        for k in BILAN_C {
            check_key(ctx, &lines, *b, k, out);
        }
    }
}

fn check_key(ctx: &Ctx, lines: &Lines, scope: Node, k: &Key, out: &mut Vec<Diagnostic>) {
    let mut parent = Some(scope);
    for step in k.path {
        parent = parent.and_then(|p| child(p, step));
    }
    let Some(parent) = parent else { return };
    let dups = find_duplicates(children(parent, k.item), |n| {
        k.fields
            .iter()
            .map(|f| match n.attribute(*f) {
                Some(v) => Some(v.trim()),
                None if k.optional.contains(f) => Some(""),
                None => None,
            })
            .collect::<Option<Vec<&str>>>()
    });
    for (first, later) in dups {
        let values: Vec<String> = k
            .fields
            .iter()
            .filter_map(|f| later.attribute(*f).map(|v| format!("{f}=« {v} »")))
            .collect();
        let mut what = format!(
            "doublon de clé unique : {} ({} {})",
            k.what,
            k.item,
            values.join(", ")
        );
        if k.item == "discipline" && !later.has_attribute("id-lv") && ctx.version.has_id_lv() {
            what.push_str(
                " ; sans id-lv, le schéma 7.0/10.0 ne détecte pas ce doublon mais LSU ne peut pas distinguer les deux disciplines",
            );
        }
        out.push(
            duplicate_finding(
                ctx,
                lines,
                Code::U005,
                (first, later),
                k.fields.first().copied(),
                what,
                true,
            )
            .with_group(format!("doublon de clé unique : {}", k.what)),
        );
    }
}

/// Words a schema error routed to U005 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::Duplicate { values, constraint } = &e.what else {
        return None;
    };
    Some(e.finding(
        Code::U005,
        format!(
            "<{}> : valeur(s) {} déjà utilisée(s) alors qu'elles doivent être uniques ({})",
            e.elem,
            values.replace('\'', ""),
            describe_constraint(constraint)
        ),
    ))
}

/// A unique key of the schema, in French.
fn describe_constraint(c: &str) -> &'static str {
    match c {
        "uniq-responsable-etab-libelle" => "libellé des responsables d'établissement",
        "uniq-periode" => "période : millésime, indice, nombre de périodes",
        "uniq-parcours-commun" => "parcours commun : période et division",
        "uniq-parcours-commun-code" => "code de parcours dans un parcours commun",
        "uniq-vie-scolaire-commun" => "vie scolaire commune : période et division",
        "uniq-epi-thematique-code" => "code de thématique d'EPI",
        "uniq-bp-acquis-discipline" => "une seule ligne d'acquis par discipline dans un bilan",
        "uniq-bp-competence-num" => "code de compétence numérique dans un bilan",
        "uniq-bp-epi-eleve" => "groupe d'EPI dans un bilan",
        "uniq-bp-acc-perso-eleve" => "groupe d'AP dans un bilan",
        "uniq-bp-parcours" => "code de parcours dans un bilan",
        "uniq-bp-modalite" => "modalité d'accompagnement dans un bilan",
        "uniq-directeur" => "directeur : civilité, nom, prénom",
        "uniq-classe-id-be" => "identifiant ONDE de classe",
        "uniq-acquis-code" => "code de domaine dans un bilan",
        "uniq-sous-domaine-code" => "code de sous-domaine dans un domaine",
        _ => "contrainte d'unicité du schéma",
    }
}
