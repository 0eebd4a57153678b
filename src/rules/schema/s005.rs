//! S005 malformed-value: reported by the schema validator's translation (`schema.rs`), not by a registry rule; this module declares the
//! code's kinds.

use crate::catalogue::{Agir, KindMeta};

/// The variants of S005 (`kind`), with where to act and what to do.
pub const KINDS: &[KindMeta] = &[KindMeta {
    slug: "malformed-value",
    title: "",
    agir: Agir::Logiciel,
    action: "",
}];
