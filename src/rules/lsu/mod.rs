//! L family. One file per rule; `rules()` lists this family's rules for the registry.

use super::Rule;

pub fn rules() -> Vec<&'static Rule> {
    vec![]
}
