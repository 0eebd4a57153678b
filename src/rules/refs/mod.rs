//! R family: cross-references inside the file. One file per rule; `rules()` lists this
//! family's rules for the registry. The reference table of the format lives in `model::refs`.

use super::Rule;

pub mod r001;
pub mod r002;
pub mod r003;
pub mod r004;
pub mod r005;
pub mod r006;

pub fn rules() -> Vec<&'static Rule> {
    vec![
        &r001::RULE,
        &r002::RULE,
        &r003::RULE,
        &r004::RULE,
        &r005::RULE,
        &r006::RULE,
    ]
}

pub use crate::model::refs::{for_each_ref, specs_of, tokens, RefSpec};
