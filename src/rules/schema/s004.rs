//! S004 code-not-in-enumeration: reported by the schema validator's translation (`schema.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of S004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "code-inconnu",
        title: "code hors de la liste autorisée par le format LSU",
        agir: Agir::Logiciel,
        action: "Corriger le code dans le logiciel de vie scolaire (ou dans sa table de correspondance) en choisissant une valeur de la liste autorisée, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "casse-ou-espaces",
        title: "code autorisé mal écrit (majuscules ou espaces)",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui réécrit le code exactement comme la liste autorisée l'attend.",
    },
];
