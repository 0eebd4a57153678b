//! Schema validation with libxml2 against our own XSDs (`schemas/`), and translation of its
//! errors into findings under the codes of `rules.md` (« Schema errors → codes »).
//!
//! - [`compile`]: schemas compiled once per thread (the user's `--xsd` once per run);
//! - [`validate`]: streaming validation of the in-memory text (`stream` shortens huge values);
//! - [`identity`]: the schema's `xs:unique` constraints, checked on the tree instead of by
//!   libxml2 (whose identity tables cost half the validation time and grow with the file);
//! - [`locate`]: libxml2's line and column turned into the element and byte range concerned;
//! - [`classify`]: libxml2's words turned into a [`SchemaError`] (what went wrong, where) and
//!   the code that owns it.
//!
//! The message and the fix are written by the rule module owning the code (its
//! `from_schema`, found through [`crate::rules::schema_writer`]): one wording per code.

pub mod classify;
pub mod compile;
pub mod identity;
mod libxml2;
pub mod locate;
pub mod stream;
pub mod validate;

pub use classify::{SchemaError, Violation};
pub use compile::{compile_builtin, CustomSchema, SharedSchema};
pub use validate::{validate, RawError, Validation};

use crate::diagnostic::Diagnostic;
use crate::rules::Ctx;
use crate::source::LineIndex;

/// Turns raw errors into findings placed on the offending element or attribute, each worded
/// by the rule module owning its code. `identity`: the constraints of the built-in schema left
/// to the tree (`identity::builtin`), checked here where libxml2 would have checked them.
pub fn translate<'a, 'i>(
    ctx: &Ctx<'a, 'i>,
    lines: &'a LineIndex<'i>,
    errors: &[RawError],
    identity: Option<&identity::Plan>,
) -> Vec<Diagnostic> {
    // Duplicate `xs:ID` values are not among them (libxml2 checks ID uniqueness only when it
    // builds a tree, which streaming validation does not): the U004 rule reports them.
    let mut loc = None;
    let mut placed = place(ctx, lines, &mut loc, errors);
    let duplicates = match identity {
        Some(plan) => identity::check(plan, ctx.doc, lines, &skips_of(&placed)),
        None => Vec::new(),
    };
    if !duplicates.is_empty() {
        placed.extend(place(ctx, lines, &mut loc, &duplicates));
        // In libxml2's order: by line, a duplicate after the other errors of its line.
        placed.sort_by_key(|e| match e.raw.line {
            0 => usize::MAX,
            l => l,
        });
    }
    placed
        .iter()
        .filter_map(|e| {
            let code = classify::owner(e, ctx);
            match crate::rules::schema_writer(code) {
                Some(write) => write(e, ctx),
                // Every code `owner` returns has a writer (tested); never lose an error.
                None => Some(crate::rules::schema::s002::unclassified(e, ctx)),
            }
        })
        .collect()
}

/// Raw errors classified and placed in the tree (the locator built on first need).
fn place<'a, 'i, 'm>(
    ctx: &Ctx<'a, 'i>,
    lines: &'a LineIndex<'i>,
    loc: &mut Option<locate::Locator<'a, 'i>>,
    raw: &'m [RawError],
) -> Vec<SchemaError<'a, 'i, 'm>> {
    if raw.is_empty() {
        return Vec::new();
    }
    let l = loc.get_or_insert_with(|| locate::Locator::new(ctx, lines));
    raw.iter()
        .filter_map(|r| classify::classify(ctx, l, r))
        .collect()
}

/// What libxml2 did not validate, read from its errors (see `identity::Skips`).
fn skips_of(placed: &[SchemaError]) -> identity::Skips {
    let mut skips = identity::Skips::default();
    for e in placed {
        match (&e.what, e.node) {
            (Violation::UnknownRoot | Violation::Unreadable, _) => skips.nothing_validated(),
            (Violation::NotExpected(_) | Violation::MissingBefore(_), Some(n)) => {
                skips.out_of_place(n)
            }
            (Violation::AttributeNotAllowed(_) | Violation::MissingAttribute(_), _) => {}
            (_, Some(n)) => {
                if let Some(a) = e.attr {
                    skips.bad_value(n, a);
                }
            }
            _ => {}
        }
    }
    skips
}

#[cfg(test)]
mod tests {
    use crate::catalogue::Code;

    /// Every code a schema error can be routed to is worded by its rule module.
    #[test]
    fn every_owner_code_has_a_writer() {
        for code in [
            Code::S002,
            Code::S003,
            Code::S004,
            Code::S005,
            Code::I001,
            Code::I005,
            Code::P003,
            Code::P007,
            Code::P008,
            Code::X001,
            Code::X002,
            Code::X003,
            Code::C001,
            Code::C002,
            Code::C005,
            Code::T001,
            Code::T008,
            Code::M003,
            Code::U001,
            Code::U002,
            Code::U003,
            Code::U004,
            Code::U005,
        ] {
            assert!(crate::rules::schema_writer(code).is_some(), "{code:?}");
        }
    }
}
