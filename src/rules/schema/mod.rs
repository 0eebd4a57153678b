//! S: root, version and schema-level structure. One file per code.
//!
//! S001, S006 and S007 are registry rules (`rules()`). S002–S005 have no registry rule: they
//! come from the schema validator's errors. `crate::schema::classify` turns each libxml2 error
//! into a `SchemaError` and picks the code that owns it; the owning module's `from_schema`
//! writes the message and the fix (table `crate::rules::schema_writer`). S002–S005 are worded
//! here; the schema errors owned by finer codes (I001, I005, T001, T008, M003, P003, P007,
//! P008, C001, C002, C005, X001–X003, U001–U005) are worded in those codes' modules, with
//! the same wording as their rule where both report one problem.
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
