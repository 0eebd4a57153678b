//! E family: encoding. E001–E004 are found while reading the file (`parse.rs`); E005 and E006
//! look at the parsed values. One file per rule; `rules()` lists this family's rules.

pub mod e001;
pub mod e002;
pub mod e003;
pub mod e004;
use super::Rule;

pub mod e005;
pub mod e006;

pub fn rules() -> Vec<&'static Rule> {
    vec![&e005::RULE, &e006::RULE]
}
