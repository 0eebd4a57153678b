//! E002 invalid-utf8: reported by the reader (`parse.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of E002 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "invalid-utf8",
        title: "fichier qui n'est pas encodé en UTF-8",
        agir: Agir::Logiciel,
        action: "Exporter à nouveau depuis le logiciel de vie scolaire, en UTF-8, sans ouvrir ni enregistrer le fichier dans un autre outil (tableur, éditeur de texte).",
    },
];
