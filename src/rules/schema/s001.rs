//! S001 unknown-root-or-version: not an LSU root, unknown or contradictory degree/version, or
//! an obsolete 2D version (2.0–3.0) that LSU no longer accepts.

use crate::catalogue::Code;
use crate::catalogue::{Agir, KindMeta};
use crate::diagnostic::Diagnostic;
use crate::rules::{Ctx, Rule};

pub static RULE: Rule = Rule {
    code: Code::S001,
    degree: None,
    check,
};

/// The variants of S001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "format-inconnu",
        title: "fichier qui n'est pas un export LSU reconnu (racine, espace de noms, degré ou version)",
        agir: Agir::Logiciel,
        action: "Vérifier que le fichier envoyé est bien l'export LSU du logiciel de vie scolaire, au format du degré de l'établissement, puis l'exporter à nouveau sans le modifier à la main.",
    },
    KindMeta {
        slug: "version-obsolete",
        title: "format LSU obsolète (version antérieure à 4.0)",
        agir: Agir::Logiciel,
        action: "Mettre à jour le logiciel de vie scolaire ou choisir dans ses réglages d'export le format LSU en vigueur, puis exporter à nouveau.",
    },
];

fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let root = ctx.lsu.root;
    let v = ctx.version;
    if let Some(problem) = &v.problem {
        let at = if root.has_attribute("schemaVersion")
            && v.declared.is_some()
            && root.tag_name().name() == "lsun-bilans"
        {
            ctx.at_attr(root, "schemaVersion", Code::S001, "")
        } else {
            ctx.at_node(root, Code::S001, "")
        };
        out.push(Diagnostic {
            message: format!("{problem} ; LSU refusera le fichier"),
            ..at
        });
    } else if v.obsolete {
        let declared = v.declared.as_deref().unwrap_or("?");
        out.push(
            ctx.at_attr(
                root,
                "schemaVersion",
                Code::S001,
                format!(
                    "schemaVersion « {declared} » est obsolète : LSU n'accepte plus les fichiers 2D antérieurs à la version 4.0 ; le fichier est vérifié avec le {}, mais il faut exporter au format courant (10.0)",
                    match &v.user_schema {
                        Some(u) => format!("schéma {}", u.label),
                        None => "dernier schéma 3.0 (2019-2020)".to_string(),
                    }
                ),
            )
            .with_kind("version-obsolete")
            .with_group(format!("format LSU obsolète (version {declared})")),
        );
    }
}
