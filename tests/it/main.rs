//! The integration tests, in one binary (one link instead of one per file). `tests/memory.rs`
//! stays apart: it runs alone, in release, with `--ignored` (`.ci/run`).
//!
//! Run one module: `cargo test --test it fixtures::`.

#[path = "../support/mod.rs"]
mod support;

mod browser;
mod causes;
mod ci;
mod cli;
mod deploy;
mod file_handling;
mod fix_properties;
mod fixture_snapshots;
mod fixtures;
mod fuzz_corpus;
mod generated_batches;
mod generator;
mod layers;
mod meta;
mod pages;
mod real_files;
mod ref_rules_identity;
mod ref_rules_staff;
mod refdata;
mod robustness;
mod schema_differential;
mod schema_identity;
mod schema_translation;
mod serialisations;
mod server;
mod service_ops;
mod split_properties;
mod summary;
mod whole_school;
mod xsd;
