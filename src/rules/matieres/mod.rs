//! M family. One file per rule; `rules()` lists this family's rules for the registry.

use super::Rule;

pub mod m003;
pub mod m007;

pub fn rules() -> Vec<&'static Rule> {
    vec![&m003::RULE, &m007::RULE]
}
