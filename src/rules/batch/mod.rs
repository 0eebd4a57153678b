//! B family. One file per rule; `rules()` lists this family's rules for the registry.

pub mod b001;
pub mod b002;
pub mod b003;
pub mod b004;

use super::Rule;

pub fn rules() -> Vec<&'static Rule> {
    vec![&b001::RULE, &b002::RULE, &b003::RULE, &b004::RULE]
}
