//! I family. One file per rule; `rules()` lists this family's rules for the registry.
//! `common` holds the reference-data matching helpers they share (also used by B003).

pub mod common;
pub mod i001;
pub mod i002;
pub mod i003;
pub mod i004;
pub mod i005;
pub mod i006;
pub mod i007;

use super::Rule;

pub fn rules() -> Vec<&'static Rule> {
    vec![
        &i001::RULE,
        &i002::RULE,
        &i003::RULE,
        &i004::RULE,
        &i005::RULE,
        &i006::RULE,
        &i007::RULE,
    ]
}
