//! S007 schema-version-newer-than-known: a 2D version above 10.0 is checked against 10.0.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::S007,
    degree: None,
    check,
};

/// The variants of S007 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "schema-version-newer-than-known",
        title: "version du format plus récente que celles connues de lsu-lint",
        agir: Agir::Logiciel,
        action: "Rien à corriger si LSU accepte cette version ; sinon choisir dans le logiciel de vie scolaire le format LSU 10.0, et mettre à jour lsu-lint pour contrôler les nouveautés.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.version.newer_than_known {
        let declared = ctx.version.declared.as_deref().unwrap_or("?");
        out.push(ctx.at_attr(
            ctx.lsu.root,
            "schemaVersion",
            Code::S007,
            format!(
                "la version de format « {declared} » (schemaVersion) est plus récente que la dernière connue de lsu-lint (10.0) : le fichier est vérifié avec le schéma 10.0 et les nouveautés de la version {declared} ne sont pas contrôlées ; si l'éditeur fournit le schéma XSD officiel de cette version, donnez-le à lsu-lint (option --xsd de la ligne de commande) pour une vérification complète"
            ),
        ));
    }
}
