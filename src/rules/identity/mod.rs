//! I family. One file per rule; `rules()` lists this family's rules for the registry.

pub mod i001;
pub mod i005;

use super::Rule;

pub fn rules() -> Vec<&'static Rule> {
    vec![&i001::RULE, &i005::RULE]
}
