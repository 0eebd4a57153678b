//! S005 malformed-value: reported by the schema validator's translation (`schema.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of S005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "valeur-mal-formee",
        title: "valeur mal formée (date, nombre, identifiant…)",
        agir: Agir::Logiciel,
        action: "Corriger la valeur dans le logiciel de vie scolaire, ou signaler le défaut d'export à l'éditeur, puis exporter à nouveau.",
    },
    KindMeta {
        slug: "date-a-reformater",
        title: "date écrite dans un autre format que AAAA-MM-JJ",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui réécrit les dates au format AAAA-MM-JJ.",
    },
];
