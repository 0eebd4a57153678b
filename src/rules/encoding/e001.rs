//! E001 not-well-formed: reported by the reader (`parse.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of E001 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "not-well-formed",
    title: "",
    agir: Agir::Logiciel,
    action: "",
}];
