//! L family. One file per rule; `rules()` lists this family's rules for the registry.

pub mod l001;
pub mod l004;

use super::Rule;

pub fn rules() -> Vec<&'static Rule> {
    vec![&l001::RULE, &l004::RULE]
}
