//! T family. One file per rule; `rules()` lists this family's rules for the registry.

use super::Rule;

pub mod t001;
pub mod t002;
pub mod t003;
pub mod t004;
pub mod t005;
pub mod t006;
pub mod t007;
pub mod t008;

pub fn rules() -> Vec<&'static Rule> {
    vec![
        &t001::RULE,
        &t002::RULE,
        &t003::RULE,
        &t004::RULE,
        &t005::RULE,
        &t006::RULE,
        &t007::RULE,
        &t008::RULE,
    ]
}

pub use crate::util::xs_trim;

/// The value of an `xs:positiveInteger` as canonical digits (`"+0012"` → `"12"`), or None.
pub fn positive_integer(v: &str) -> Option<&str> {
    let t = xs_trim(v);
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sig = t.trim_start_matches('0');
    (!sig.is_empty()).then_some(sig)
}
