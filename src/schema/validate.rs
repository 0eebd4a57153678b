//! Streaming validation with libxml2 (`xmlSchemaValidateStream`): no tree is built, nothing
//! is fetched, no recovery. Errors are collected as [`RawError`]s, libxml2's words split into
//! element, attribute and detail; [`super::classify`] says what they mean.

use std::ffi::{c_char, c_int, c_void, CStr};

use super::compile::{compile, init_libxml, Compiled};
use super::libxml2 as ffi;
use crate::error::Error;
use crate::model::SchemaKind;

/// Beyond this many raw errors, the rest are counted, not kept (a broken generator can emit
/// one error per pupil; the first ones are enough to act).
const MAX_ERRORS: usize = 5_000;

/// One raw libxml2 validity error.
#[derive(Debug, Clone, Default)]
pub struct RawError {
    /// 1-based line libxml2 gives (start tag, or end tag for a missing child).
    pub line: usize,
    /// 1-based column (characters) where the parser stood: just after the start tag's or the
    /// end tag's `>`; 0 when unknown.
    pub column: usize,
    /// The whole message, as libxml2 wrote it (trimmed).
    pub message: String,
    /// Local name of the element concerned (`Element '{ns}name'`), if given.
    pub element: Option<String>,
    /// Attribute concerned (`attribute 'name'`), if given.
    pub attribute: Option<String>,
    /// The message without the `Element '…', attribute '…': ` prefix.
    pub detail: String,
    /// Whether this came from the XML parser rather than from the schema validator.
    pub parser: bool,
    /// Start offset of the element concerned, when known exactly (the identity constraints
    /// checked on the tree, `super::identity`).
    pub at: Option<usize>,
}

/// Where the error callback stores what it receives.
#[derive(Default)]
pub(super) struct Sink {
    pub(super) errors: Vec<RawError>,
    dropped: usize,
}

pub(super) unsafe extern "C" fn on_error(data: *mut c_void, err: ffi::xmlErrorPtr) {
    // A panic must never unwind into C.
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if data.is_null() || err.is_null() {
            return;
        }
        let sink = &mut *(data as *mut Sink);
        let e = &*err;
        if e.level == ffi::xmlErrorLevel_XML_ERR_WARNING {
            // "No precomputed value available…" and similar noise.
            return;
        }
        if sink.errors.len() >= MAX_ERRORS {
            sink.dropped += 1;
            return;
        }
        let message = if e.message.is_null() {
            String::new()
        } else {
            CStr::from_ptr(e.message)
                .to_string_lossy()
                .trim()
                .to_string()
        };
        // libxml2 2.9 raises this follow-up of a facet error at error level.
        if message.contains("Warning: No precomputed value available") {
            return;
        }
        let parser = e.domain != ffi::xmlErrorDomain_XML_FROM_SCHEMASV as c_int;
        let mut raw = parse_message(usize::try_from(e.line).unwrap_or(0), message, parser);
        raw.column = usize::try_from(e.int2).unwrap_or(0);
        sink.errors.push(raw);
    }));
}

/// Does nothing: installed on the thread between validations so libxml2 never prints.
pub(super) unsafe extern "C" fn drop_error(_data: *mut c_void, _err: ffi::xmlErrorPtr) {}

/// Splits `Element '{ns}x', attribute 'a': detail` into its parts.
pub(super) fn parse_message(line: usize, message: String, parser: bool) -> RawError {
    let mut element = None;
    let mut attribute = None;
    let mut rest: &str = &message;
    if let Some(r) = rest.strip_prefix("Element '") {
        if let Some(end) = r.find('\'') {
            let full = &r[..end];
            let local = full.rsplit('}').next().unwrap_or(full);
            element = Some(local.to_string());
            rest = &r[end + 1..];
            if let Some(r2) = rest.strip_prefix(", attribute '") {
                if let Some(end2) = r2.find('\'') {
                    attribute = Some(r2[..end2].to_string());
                    rest = &r2[end2 + 1..];
                }
            }
            rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        }
    }
    let detail = rest.to_string();
    RawError {
        line,
        column: 0,
        message: message.clone(),
        element,
        attribute,
        detail,
        parser,
        at: None,
    }
}

/// Serves the document to libxml2 in chunks: a (possibly rewritten) XML declaration, then the
/// rest of the text as is — no copy of the file.
struct Reader<'t> {
    parts: Vec<&'t [u8]>,
    part: usize,
    pos: usize,
}

unsafe extern "C" fn read_chunk(ctx: *mut c_void, buffer: *mut c_char, len: c_int) -> c_int {
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        if ctx.is_null() || buffer.is_null() || len <= 0 {
            return 0;
        }
        let reader = &mut *(ctx as *mut Reader);
        let want = usize::try_from(len).unwrap_or(0);
        let mut written = 0usize;
        while written < want && reader.part < reader.parts.len() {
            let src = reader.parts[reader.part];
            let left = &src[reader.pos.min(src.len())..];
            if left.is_empty() {
                reader.part += 1;
                reader.pos = 0;
                continue;
            }
            let n = left.len().min(want - written);
            std::ptr::copy_nonoverlapping(left.as_ptr(), (buffer as *mut u8).add(written), n);
            written += n;
            reader.pos += n;
        }
        c_int::try_from(written).unwrap_or(0)
    }));
    r.unwrap_or(-1)
}

unsafe extern "C" fn close_reader(_ctx: *mut c_void) -> c_int {
    0
}

/// The XML declaration rewritten to say UTF-8 when it names another encoding (the text is
/// always UTF-8 here; libxml2 would otherwise re-decode it), and the offset where it ends.
fn declaration_fix(text: &str) -> Option<(String, usize)> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skip = text.len() - body.len();
    if !body.starts_with("<?xml") {
        return None;
    }
    let end = body.find("?>")? + 2;
    let decl = &body[..end];
    let at = decl.find("encoding")?;
    let after = &decl[at + "encoding".len()..];
    let q = after.find(['"', '\''])?;
    let quote = after[q..].chars().next()?;
    let value_start = at + "encoding".len() + q + 1;
    let value_len = decl[value_start..].find(quote)?;
    let value = &decl[value_start..value_start + value_len];
    if value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8") {
        return None;
    }
    let fixed = format!(
        "{}UTF-8{}",
        &decl[..value_start],
        &decl[value_start + value_len..]
    );
    Some((fixed, skip + end))
}

/// The raw errors of one validation, or why it could not run.
pub type Validation = Result<Vec<RawError>, Error>;

/// Validates `text` against the schema `kind` (streaming, no network, no recovery).
pub fn validate(kind: SchemaKind, text: &str) -> Result<Vec<RawError>, Error> {
    init_libxml();
    let compiled = compile(kind)?;
    validate_compiled(&compiled, kind.label(), text)
}

pub(super) fn validate_compiled(
    compiled: &Compiled,
    label: &'static str,
    text: &str,
) -> Result<Vec<RawError>, Error> {
    let fixed = declaration_fix(text);
    let (head, rest_at): (&[u8], usize) = match &fixed {
        Some((decl, end)) => (decl.as_bytes(), *end),
        None => (&[], 0),
    };
    let (ranges, splices) = super::stream::plan(text, rest_at.min(text.len()));
    let mut parts = vec![head];
    parts.extend(ranges.iter().map(|&(a, b)| &text.as_bytes()[a..b]));
    let mut reader = Reader {
        parts,
        part: 0,
        pos: 0,
    };
    let mut sink = Sink::default();
    let rc = unsafe {
        let vctxt = ffi::xmlSchemaNewValidCtxt(compiled.0);
        if vctxt.is_null() {
            return Err(Error::Schema(
                label,
                "contexte de validation non créé".into(),
            ));
        }
        let sink_ptr = &mut sink as *mut Sink as *mut c_void;
        ffi::xmlSchemaSetValidStructuredErrors(vctxt, Some(on_error), sink_ptr);
        // Parser-level errors go to the thread's handler: collect them too, never print.
        ffi::xmlSetStructuredErrorFunc(sink_ptr, Some(on_error));
        let input = ffi::xmlParserInputBufferCreateIO(
            Some(read_chunk),
            Some(close_reader),
            &mut reader as *mut Reader as *mut c_void,
            ffi::xmlCharEncoding_XML_CHAR_ENCODING_UTF8,
        );
        let rc = if input.is_null() {
            -1
        } else {
            // Takes ownership of `input` (freed with its parser context).
            ffi::xmlSchemaValidateStream(
                vctxt,
                input,
                ffi::xmlCharEncoding_XML_CHAR_ENCODING_UTF8,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        ffi::xmlSetStructuredErrorFunc(std::ptr::null_mut(), Some(drop_error));
        ffi::xmlSchemaFreeValidCtxt(vctxt);
        rc
    };
    if rc < 0 && sink.errors.is_empty() {
        return Err(Error::Schema(
            label,
            format!("erreur interne de libxml2 ({rc})"),
        ));
    }
    if !splices.is_empty() {
        for e in sink.errors.iter_mut().filter(|e| e.line > 0) {
            (e.line, e.column) = super::stream::to_document(&splices, e.line, e.column);
        }
    }
    if sink.dropped > 0 {
        sink.errors.push(RawError {
            line: 0,
            message: format!("{} autres erreurs de schéma non détaillées", sink.dropped),
            detail: format!("{} autres erreurs de schéma non détaillées", sink.dropped),
            ..RawError::default()
        });
    }
    Ok(sink.errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_messages() {
        let e = parse_message(
            3,
            "Element '{urn:fr:edu:scolarite:lsun:bilans:import}acquis', attribute 'moyenne-eleve': '14,5' is not a valid value of the atomic type '{urn:fr:edu:scolarite:lsun:bilans:import}MoyenneNumerique'.".into(),
            false,
        );
        assert_eq!(e.element.as_deref(), Some("acquis"));
        assert_eq!(e.attribute.as_deref(), Some("moyenne-eleve"));
        match super::super::classify::Violation::parse(&e.detail) {
            super::super::classify::Violation::Atomic { value, ty } => {
                assert_eq!(value, "14,5");
                assert_eq!(ty, "MoyenneNumerique");
            }
            _ => panic!("not atomic"),
        }
    }

    #[test]
    fn declaration_is_rewritten_only_when_not_utf8() {
        assert!(declaration_fix("<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>").is_none());
        let (d, end) = declaration_fix("<?xml version=\"1.0\" encoding='ISO-8859-1'?><a/>")
            .unwrap_or_default();
        assert_eq!(d, "<?xml version=\"1.0\" encoding='UTF-8'?>");
        assert_eq!(end, "<?xml version=\"1.0\" encoding='ISO-8859-1'?>".len());
    }
}
