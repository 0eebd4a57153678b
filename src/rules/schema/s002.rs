//! S002 schema-violation: a schema error no finer code owns (element out of place, attribute
//! not allowed, element inside a text, unreadable document). Reported from the schema
//! validator's errors (`crate::schema`), not by a registry rule: this module words them and
//! declares the code's kinds.

use crate::catalogue::{Agir, Code, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::schema::{SchemaError, Violation};

/// The variants of S002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "schema-violation",
        title: "structure non conforme au schéma LSU",
        agir: Agir::Logiciel,
        action: "Signaler l'erreur à l'éditeur du logiciel de vie scolaire : le fichier produit ne respecte pas le format LSU ; exporter à nouveau une fois le logiciel corrigé.",
    },
];

/// Words a schema error routed to S002.
pub fn from_schema(e: &SchemaError, ctx: &Ctx) -> Option<Diagnostic> {
    let vers = ctx.version.schema_label();
    let elem = e.elem;
    let msg = match &e.what {
        Violation::ElementInText { child, xinclude } => {
            let why = if *xinclude {
                " ; les inclusions XInclude ne sont lues ni par LSU ni par lsu-lint : le texte doit figurer dans l'export lui-même"
            } else {
                ""
            };
            format!(
                "{} contient l'élément <{child}> alors qu'il n'admet que du texte{why}",
                e.here()
            )
        }
        Violation::AttributeNotAllowed(a) => {
            let hint = match *a {
                "eleve-non-note" | "structure-non-notee" => " (remplacé par statut-evaluation-eleve / statut-evaluation-structure en 10.0)",
                "statut-evaluation-eleve" | "statut-evaluation-structure" => " (n'existe qu'à partir du schéma 10.0 ; avant : eleve-non-note / structure-non-notee)",
                "date-verrou" => " (supprimé dans le schéma 10.0)",
                "id-lv" => " (n'existe qu'à partir du schéma 7.0)",
                "non-evalue" => " (schéma 1D 1.0 révision b)",
                _ => "",
            };
            format!(
                "{} : l'attribut {a} n'est pas autorisé dans le schéma {vers}{hint}",
                e.element()
            )
        }
        Violation::NotExpected(expected) => {
            let parent = e.parent_name();
            if expected.is_empty() {
                format!("<{elem}> n'est pas attendu à cet endroit (dans <{parent}>) selon le schéma {vers}")
            } else {
                format!(
                    "<{elem}> n'est pas attendu à cet endroit (dans <{parent}>) ; attendu ici : {} (ordre imposé par le schéma {vers})",
                    expected.join(", ")
                )
            }
        }
        Violation::Unreadable => format!(
            "lecture du document par le validateur impossible (message de libxml2 : {})",
            e.raw.message
        ),
        Violation::UnknownRoot => format!(
            "<{elem}> : élément racine inconnu du schéma {vers} (espace de noms manquant ?)"
        ),
        _ => return Some(unclassified(e, ctx)),
    };
    Some(e.finding(Code::S002, msg))
}

/// An error no rule words more precisely: libxml2's own message, placed.
pub fn unclassified(e: &SchemaError, _ctx: &Ctx) -> Diagnostic {
    e.finding(
        Code::S002,
        format!(
            "{} : erreur de schéma (message du validateur libxml2 : {})",
            e.here(),
            e.raw.detail
        ),
    )
}
