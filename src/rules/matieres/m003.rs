//! M003 discipline-duplicate (2D): two `discipline` declarations with the same (code,
//! modalité d'élection, id-lv), or the same discipline twice in one `liste-acquis`. Since 7.0
//! the schema's key includes the optional `id-lv`, so two disciplines without `id-lv` slip
//! through validation: they are checked here on (code, modalité) as the 2020 schema did.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::M003,
    degree: Some(Degree::D2),
    check,
};

/// The variants of M003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "matiere-en-double",
        title: "deux disciplines rattachées à la même matière",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, regrouper les deux services rattachés à la même matière (ou rattacher l'un d'eux à sa vraie matière), puis exporter à nouveau.",
    },
    KindMeta {
        slug: "acquis-en-double",
        title: "deux acquis de la même discipline dans un bilan",
        agir: Agir::Logiciel,
        action: "Dans le logiciel de vie scolaire, n'inscrire l'élève qu'à un service de la matière (ou regrouper les appréciations), puis exporter à nouveau.",
    },
];

fn t(v: Option<&str>) -> &str {
    v.map(|s| s.trim()).unwrap_or("")
}

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<(&str, &str, &str), &str> = HashMap::new();
    for d in &ctx.lsu.disciplines {
        let code = t(d.attribute("code"));
        let modalite = t(d.attribute("modalite-election"));
        let lv = t(d.attribute("id-lv"));
        if code.is_empty() {
            continue; // S003
        }
        let id = d.attribute("id").unwrap_or("?");
        if let Some(first) = seen.get(&(code, modalite, lv)) {
            let lv_note = if lv.is_empty() {
                String::new()
            } else {
                format!(", id-lv « {lv} »")
            };
            out.push(ctx.at_attr(
                *d,
                "code",
                Code::M003,
                format!(
                    "discipline « {id} » : même code « {code} », modalité d'élection « {modalite} »{lv_note} que la discipline « {first} » ; LSU refuse le fichier. Deux services du logiciel sont rattachés à la même matière : les regrouper dans le logiciel (fusionner deux appréciations n'est pas automatique)"
                ),
            ).with_kind("matiere-en-double"));
        } else {
            seen.insert((code, modalite, lv), id);
        }
    }
    for bilan in &ctx.lsu.bilans_periodiques {
        let mut in_bilan: HashMap<&str, ()> = HashMap::new();
        for a in model::items(Some(*bilan), "liste-acquis", "acquis") {
            let Some(r) = a.attribute("discipline-ref") else {
                continue;
            };
            if in_bilan.insert(r.trim(), ()).is_some() {
                out.push(ctx.at_attr(
                    a,
                    "discipline-ref",
                    Code::M003,
                    format!(
                        "la discipline « {r} » a deux acquis dans ce bilan : un seul acquis par discipline est admis, LSU refuse le fichier (élève inscrit dans deux services de la même matière : regrouper les appréciations dans le logiciel)"
                    ),
                ).with_kind("acquis-en-double"));
            }
        }
    }
}

/// Words a schema error routed to M003 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    _ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::Duplicate { values, .. } = &e.what else {
        return None;
    };
    let vals = values.replace('\'', "");
    let and_language = if vals.matches(',').count() >= 2 {
        " et langue"
    } else {
        " "
    };
    Some(e.finding(
        Code::M003,
        format!("<discipline> en double (même code, modalité d'élection{and_language}: {vals})"),
    ))
}
