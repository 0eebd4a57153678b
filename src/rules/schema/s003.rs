//! S003 required-block-missing: reported by the schema validator's translation (`schema.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of S003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "required-block-missing",
        title: "élément ou attribut obligatoire absent",
        agir: Agir::Logiciel,
        action: "Compléter dans le logiciel de vie scolaire la donnée manquante (synthèse, vie scolaire, responsable…) puis exporter à nouveau ; si elle est bien saisie, signaler l'oubli à l'éditeur.",
    },
];
