//! S004 code-not-in-enumeration: reported by the schema validator's translation (`schema.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of S004 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "code-not-in-enumeration",
    title: "",
    agir: Agir::Logiciel,
    action: "",
}];
