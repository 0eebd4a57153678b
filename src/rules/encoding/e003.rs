//! E003 forbidden-xml-character: reported by the reader (`parse.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of E003 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "forbidden-xml-character",
        title: "caractère interdit en XML (caractère de contrôle)",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui supprime les caractères interdits (souvent venus d'un copier-coller depuis un traitement de texte).",
    },
];
