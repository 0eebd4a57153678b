//! S: root, version and schema-level structure. One file per rule.
pub mod s001;
pub mod s006;
pub mod s007;

pub mod s002;
pub mod s003;
pub mod s004;
pub mod s005;
use super::Rule;

pub fn rules() -> Vec<&'static Rule> {
    vec![&s001::RULE, &s006::RULE, &s007::RULE]
}
