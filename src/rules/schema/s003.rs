//! S003 required-block-missing: a required attribute or element is absent. Reported from the
//! schema validator's errors (`crate::schema`), not by a registry rule: this module words them
//! and declares the code's kinds.

use crate::catalogue::{Agir, Code, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::schema::{SchemaError, Violation};

/// The variants of S003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "required-block-missing",
        title: "élément ou attribut obligatoire absent",
        agir: Agir::Logiciel,
        action: "Compléter dans le logiciel de vie scolaire la donnée manquante (synthèse, vie scolaire, responsable…) puis exporter à nouveau ; si elle est bien saisie, signaler l'oubli à l'éditeur.",
    },
];

/// Words a schema error routed to S003.
pub fn from_schema(e: &SchemaError, _ctx: &Ctx) -> Option<Diagnostic> {
    let elem = e.elem;
    let msg = match &e.what {
        Violation::MissingAttribute(a) => {
            format!("{} : l'attribut obligatoire {a} est absent", e.element())
        }
        Violation::MissingChild(expected) => format!(
            "<{elem}> : élément(s) obligatoire(s) manquant(s) ; attendu : {}",
            expected.join(", ")
        ),
        Violation::MissingBefore(expected) => {
            let (parent, list) = (e.parent_name(), expected.join(", "));
            if expected.len() == 1 {
                format!("<{parent}> : l'élément obligatoire <{list}> est absent (attendu avant <{elem}>)")
            } else {
                format!("<{parent}> : un élément obligatoire manque avant <{elem}> ; attendu à cet endroit : {list}")
            }
        }
        _ => return None,
    };
    Some(e.finding(Code::S003, msg))
}
