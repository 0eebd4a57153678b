//! lsu-lint: a linter for the XML files that French school software exports to the national
//! Livret Scolaire Unique (LSU), checked against the ministry's reference data before import.

// User data never reaches an unwrap: errors are typed and shown in French (tests may unwrap).
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]
// Inside the private modules an item is `pub(crate)` unless the API below re-exports it.
#![warn(unreachable_pub)]

pub mod calendar;
pub mod catalogue;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod error;
mod files;
pub mod fix;
pub mod fuzzing;
pub mod inspect;
mod model;
pub mod output;
mod parse;
pub mod refdata;
pub mod report;
pub mod rules;
pub mod schema;
pub mod server;
pub mod source;
pub mod split;
pub mod util;
mod xml;
mod xsd;

// The few types of the private modules that the public API shows.
pub use catalogue::Degree;
pub use xml::Node;
pub use xsd::UserSchema;
