//! E004 bom-or-declaration: reported by the reader (`parse.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of E004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "bom-or-declaration",
    title: "",
    agir: Agir::Logiciel,
    action: "",
}];
