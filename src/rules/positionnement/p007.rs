//! P007 element-programme-required (2D): an `acquis` without `element-programme-refs` when the
//! schema in use requires it, as the revisions of 2017–2019 did (LSU rejected such files). It
//! follows the schema the file is checked against, never contradicting it: every built-in
//! schema makes the attribute optional (2.0–3.0 files are judged by the 2019-2020 revision, as
//! the ministry's own 2019-2020 sample is), so P007 fires only under a user's schema (`--xsd`)
//! that requires it. One finding per acquis.
//!
//! Unsafe fix (opt-in): a placeholder element de programme, as exporters did (SACoche `EL0`,
//! Gepi `EP_0000`), declared once in `elements-programme` and referenced by the acquis. When the
//! file has no `elements-programme` block, no edit is proposed.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::{self, Degree};
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::P007,
    degree: Some(Degree::D2),
    check,
};

/// The variants of P007 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "element-programme-required",
    title: "acquis sans élément de programme, exigé par un ancien schéma",
    agir: Agir::Logiciel,
    action: "Exporter avec le format LSU actuel depuis le logiciel de vie scolaire (l'élément de programme y est facultatif), ou saisir les éléments de programme travaillés avant d'exporter à nouveau.",
}];

const PLACEHOLDER_ID: &str = "EP_LSU_LINT_0";
/// Written as plain UTF-8 text: rules only run on UTF-8 files (`parse::decode`), and it has no
/// character XML would need escaped in an attribute.
const PLACEHOLDER_LIBELLE: &str = "Élément de programme non renseigné";

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !ctx.version.element_programme_refs_required() {
        return;
    }
    let container = ctx
        .lsu
        .donnees
        .and_then(|d| model::child(d, "elements-programme"));
    let declared: Vec<_> = container
        .map(|c| model::children(c, "element-programme").collect())
        .unwrap_or_default();
    // An existing placeholder (same label, or our id from a previous pass) is reused.
    let existing = declared
        .iter()
        .find(|e| {
            e.attribute("libelle").map(str::trim) == Some(PLACEHOLDER_LIBELLE)
                || e.attribute("id") == Some(PLACEHOLDER_ID)
        })
        .and_then(|e| e.attribute("id"));
    let id_free = ctx.lsu.target(PLACEHOLDER_ID).is_none();
    // Where to declare the placeholder: after the last element-programme, same indentation.
    let declaration = match (existing, declared.last()) {
        (None, Some(last)) if id_free => {
            let start = last.range().start;
            let before = ctx.text.get(..start).unwrap_or("");
            let indent = &before[before.trim_end_matches([' ', '\t']).len()..];
            let prefix = model::written_prefix(*last, ctx.text);
            Some(Edit::insert(
                last.range().end,
                format!(
                    "\n{indent}<{prefix}element-programme id=\"{PLACEHOLDER_ID}\" libelle=\"{PLACEHOLDER_LIBELLE}\"/>"
                ),
            ))
        }
        _ => None,
    };
    let ref_id = existing.or(declaration.as_ref().map(|_| PLACEHOLDER_ID));
    let declared_v = ctx.version.declared.as_deref().unwrap_or("?");
    for bilan in &ctx.lsu.bilans_periodiques {
        for acquis in model::items(Some(*bilan), "liste-acquis", "acquis") {
            if acquis.has_attribute("element-programme-refs") {
                continue; // an empty list is R003's
            }
            let disc = acquis.attribute("discipline-ref").unwrap_or("?");
            let mut d = ctx.at_node(
                acquis,
                Code::P007,
                format!(
                    "acquis de la discipline « {disc} » sans element-programme-refs : le schéma {} exige que chaque acquis cite au moins un élément de programme, et LSU refuse le fichier sinon. Saisissez les éléments de programme travaillés dans le logiciel, ou exportez avec un format où l'attribut est facultatif",
                    ctx.version.schema_label()
                ),
            )
            .with_group(format!(
                "acquis sans élément de programme, exigé par un ancien schéma (version {declared_v})"
            ));
            let anchor = model::attr_range(acquis, "discipline-ref").or_else(|| {
                acquis
                    .attributes()
                    .last()
                    .map(|a| (a.range().start, a.range().end))
            });
            if let (Some(id), Some((_, end))) = (ref_id, anchor) {
                let mut edits = vec![Edit::insert(
                    end,
                    format!(" element-programme-refs=\"{id}\""),
                )];
                let title = if existing.is_none() {
                    if let Some(decl) = &declaration {
                        edits.push(decl.clone());
                    }
                    format!(
                        "Déclarer l'élément de programme de substitution « {PLACEHOLDER_LIBELLE} » ({id}) et le citer dans l'acquis"
                    )
                } else {
                    format!("Citer l'élément de programme de substitution {id} dans l'acquis")
                };
                d = d.with_fix(Fix::unsafe_(title, edits));
            }
            out.push(d);
        }
    }
}

/// Words a schema error routed to P007 (`crate::schema::classify::owner`).
pub fn from_schema(
    e: &crate::schema::SchemaError,
    ctx: &crate::rules::Ctx,
) -> Option<crate::diagnostic::Diagnostic> {
    use crate::schema::Violation as V;
    let V::MissingAttribute(_) = &e.what else {
        return None;
    };
    Some(e.finding(
        crate::catalogue::Code::P007,
        format!(
            "{} : l'attribut element-programme-refs est absent alors que le schéma {} l'exige (au moins un élément de programme par acquis)",
            e.element(),
            ctx.version.schema_label()
        ),
    ))
}
