//! E001 not-well-formed: reported by the reader (`parse.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of E001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "mal-forme",
        title: "XML mal formé (fichier tronqué ou balises incorrectes)",
        agir: Agir::Logiciel,
        action: "Exporter à nouveau le fichier depuis le logiciel de vie scolaire, sans l'ouvrir ni le modifier dans un autre outil ; si l'erreur revient, la signaler à l'éditeur.",
    },
    KindMeta {
        slug: "entite-html",
        title: "entité HTML ou « & » isolé dans un texte",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui remplace les entités HTML par les caractères et écrit correctement les « & » isolés.",
    },
];
