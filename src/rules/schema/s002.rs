//! S002 schema-violation: reported by the schema validator's translation (`schema.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of S002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "schema-violation",
        title: "structure non conforme au schéma LSU",
        agir: Agir::Logiciel,
        action: "Signaler l'erreur à l'éditeur du logiciel de vie scolaire : le fichier produit ne respecte pas le format LSU ; exporter à nouveau une fois le logiciel corrigé.",
    },
];
