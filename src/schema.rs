//! Schema validation with libxml2 against our own XSDs (`schemas/`), and translation of its
//! messages into French findings under the codes of `rules.md` (« Schema errors → codes »).

use crate::diagnostic::Diagnostic;
use crate::model::SchemaKind;
use crate::rules::Ctx;

/// One raw libxml2 validity error.
#[derive(Debug, Clone)]
pub struct RawError {
    pub line: usize,
    pub message: String,
}

/// Validates `text` against the schema `kind` (streaming, no network, no recovery).
pub fn validate(_kind: SchemaKind, _text: &str) -> Result<Vec<RawError>, crate::error::Error> {
    Ok(Vec::new())
}

/// Turns raw errors into findings placed on the offending element or attribute.
pub fn translate(_ctx: &Ctx, _errors: &[RawError]) -> Vec<Diagnostic> {
    Vec::new()
}
