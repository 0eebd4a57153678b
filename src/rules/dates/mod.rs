//! D family. One file per rule; `rules()` lists this family's rules for the registry.
//! `common` holds the date helpers they share.

pub mod common;
pub mod d001;
pub mod d002;
pub mod d003;
pub mod d004;
pub mod d005;
pub mod d006;
pub mod d007;
pub mod d008;

use super::Rule;

pub fn rules() -> Vec<&'static Rule> {
    vec![
        &d001::RULE,
        &d002::RULE,
        &d003::RULE,
        &d004::RULE,
        &d005::RULE,
        &d006::RULE,
        &d007::RULE,
        &d008::RULE,
    ]
}
