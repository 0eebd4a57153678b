//! E004 bom-or-declaration: reported by the reader (`parse.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of E004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[
    KindMeta {
        slug: "bom",
        title: "marque d'ordre des octets (BOM) en tête du fichier",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui retire la marque BOM.",
    },
    KindMeta {
        slug: "declaration",
        title: "déclaration XML absente ou annonçant un autre encodage que UTF-8",
        agir: Agir::Fichier,
        action: "Lancer lsu-lint fix, qui écrit la déclaration XML avec l'encodage UTF-8.",
    },
];
